"""Hostile input is a 400 naming the field, never a 500 (issue 8, item 3).

Each case below was a 500 on PostgreSQL before villages.input_guard: PostgreSQL
cannot hold a NUL character, date arithmetic overflowed at the calendar's end,
and an import crashed on a feature whose properties were a list.
"""

import datetime
import io
import json
import uuid

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from greenscore.models import ConservationAction
from tourism.models import Event, EventReport, GuestStay, Homestay

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
NUL = "\u0000"


def nul_message(body, field):
    """The 400's message for `field`, checked to be about the NUL character."""
    assert field in body, body
    text = " ".join(map(str, body[field]))
    assert "NUL" in text, text
    return text


@pytest.fixture
def places(village_a):
    c = village_a.centre
    Homestay.objects.create(
        village=village_a,
        name="Rumah",
        slug="rumah-a",
        location=Point(c.x, c.y, srid=4326),
        rooms=2,
        beds=4,
        price_from_idr=250000,
    )
    start = timezone.now() - datetime.timedelta(days=3)
    Event.objects.create(
        village=village_a,
        title_id="Konser",
        slug="konser-a",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


# --- Query parameters (anonymous) ------------------------------------------------------


def test_nul_in_a_query_parameter_of_a_public_layer(client, village_a):
    response = client.get("/api/v1/action-sites/?village=a%00", **EN)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    nul_message(response.json(), "village")


@pytest.mark.parametrize(
    "url,field",
    [
        ("/api/v1/villages/?district=x%00", "district"),
        ("/api/v1/attractions/?q=bambu%00", "q"),
        ("/api/v1/events/?village=x%00", "village"),
        ("/api/v1/scorecards/?period=2026%00", "period"),
        ("/api/v1/action-sites/?kind%00=cleanup", "kind\\u0000"),
    ],
)
def test_nul_in_any_query_parameter_name_or_value(client, village_a, url, field):
    response = client.get(url, **EN)
    assert response.status_code == 400
    assert field in response.json()


def test_nul_in_a_page_query_is_a_readable_page(client, village_a):
    response = client.get("/events/?village=a%00", **EN)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "This request cannot be accepted" in body and "<dt>village</dt>" in body
    assert "NUL" in body


# --- JSON bodies of the log APIs ------------------------------------------------------


def test_nul_in_the_village_of_an_action(api, people, species, payload):
    response = api(people["coord_a"]).post(
        "/api/v1/actions/", payload(village=f"amahusu{NUL}"), format="json", **EN
    )
    assert response.status_code == 400
    nul_message(response.json(), "village")
    assert not ConservationAction.objects.exists()


def test_nul_in_a_species_name_names_its_path(api, people, species, payload):
    body = payload(species=[{"species": f"Schizostachyum{NUL} brachycladum", "count": 4}])
    response = api(people["coord_a"]).post("/api/v1/actions/", body, format="json", **EN)
    assert response.status_code == 400
    nul_message(response.json(), "species[0].species")
    assert not ConservationAction.objects.exists()


def test_nul_in_the_homestay_of_a_guest_stay(api, people, places):
    body = {
        "client_uuid": str(uuid.uuid4()),
        "village": "alpha",
        "date": YESTERDAY,
        "homestay": f"rumah-a{NUL}",
        "nights": 2,
    }
    response = api(people["coord_a"]).post("/api/v1/guest-stays/", body, format="json", **EN)
    assert response.status_code == 400
    nul_message(response.json(), "homestay")
    assert not GuestStay.objects.exists()


def test_nul_in_the_event_of_an_event_report(api, people, places):
    body = {
        "client_uuid": str(uuid.uuid4()),
        "village": "alpha",
        "date": YESTERDAY,
        "kind": "event",
        "event": f"konser-a{NUL}",
        "audience": 30,
    }
    response = api(people["coord_a"]).post("/api/v1/event-reports/", body, format="json", **EN)
    assert response.status_code == 400
    nul_message(response.json(), "event")
    assert not EventReport.objects.exists()


def test_nul_in_an_edit_sent_as_a_form_with_put(api, people, make_action):
    """PUT and PATCH bodies are not in request.POST: DRF's guarded parsers check them."""
    action = make_action()
    response = api(people["coord_a"]).patch(
        f"/api/v1/actions/{action.pk}/",
        f"notes=river{NUL}",
        **EN,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    nul_message(response.json(), "notes")
    action.refresh_from_db()
    assert NUL not in action.notes


def test_tabs_and_new_lines_are_still_text(api, people, species, payload):
    body = payload(notes="first line\r\nsecond\tline")
    response = api(people["coord_a"]).post("/api/v1/actions/", body, format="json", **EN)
    assert response.status_code == 201, response.json()
    assert ConservationAction.objects.get().notes == "first line\r\nsecond\tline"


# --- Dates at the calendar's ends ----------------------------------------------------


@pytest.mark.parametrize(
    "query,field",
    [("to=9999-12-31", "to"), ("from=0001-01-01", "from"), ("from=9999-12-31", "from")],
)
def test_event_dates_at_the_calendar_ends_are_a_400(client, query, field):
    response = client.get(f"/api/v1/events/?{query}", **EN)
    assert response.status_code == 400
    assert "between 1900-01-01 and 2100-12-31" in " ".join(response.json()[field])


@pytest.mark.parametrize(
    "query,field", [("date_to=9999-12-31", "date_to"), ("date_from=0001-01-01", "date_from")]
)
def test_log_list_dates_at_the_calendar_ends_are_a_400(api, people, query, field):
    response = api(people["coord_a"]).get(f"/api/v1/actions/?{query}", **EN)
    assert response.status_code == 400
    assert field in response.json()


def test_event_selector_takes_the_calendar_ends(village_a):
    """The selector's arithmetic does not overflow either: the first and last days bound nothing."""
    from tourism import selectors

    start = timezone.now() + datetime.timedelta(days=2)
    event = Event.objects.create(
        village=village_a,
        title_id="Konser",
        slug="konser",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    found = selectors.event_list(date_from=datetime.date.min, date_to=datetime.date.max)
    assert list(found) == [event]
    assert list(selectors.event_list(date_to=datetime.date.max)) == [event]


# --- Imports (/review/import/) --------------------------------------------------------

DAY = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()


def upload(client, text, name):
    handle = io.BytesIO(text.encode())
    handle.name = name
    return client.post("/review/import/", {"file": handle}, **EN)


def test_nul_in_a_csv_cell_is_reported_for_its_row(client, people, species, village_a):
    client.force_login(people["reviewer"])
    text = (
        "village,kind,date,lon,lat,quantity,unit,notes\n"
        f"alpha{NUL},cleanup,{DAY},128.2,-3.7,5,kg,beach\n"
    )
    response = upload(client, text, "actions.csv")
    assert response.status_code == 400
    body = response.content.decode()
    assert "0 imported, 0 already there, 1 rejected." in body
    assert "village: Remove the NUL character" in body
    assert not ConservationAction.objects.exists()


def test_nul_in_geojson_properties_is_reported_with_its_path(client, people, species, village_a):
    client.force_login(people["reviewer"])
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [128.2, -3.7]},
        "properties": {
            "village": "alpha",
            "kind": "tree_planting",
            "date": DAY,
            "quantity": 5,
            "unit": "seedlings",
            "species": [{"species": f"Gmelina{NUL}", "count": 5}],
        },
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    response = upload(client, text, "actions.geojson")
    assert response.status_code == 400
    body = response.content.decode()
    assert "species[0].species: Remove the NUL character" in body
    assert not ConservationAction.objects.exists()


def test_geojson_properties_of_any_shape_are_reported_per_feature(people, species, village_a):
    from django.utils import translation

    from greenscore.logkinds import ACTIONS
    from villages.logs.importing import import_file

    good = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [128.2, -3.7]},
        "properties": {
            "village": "alpha",
            "kind": "cleanup",
            "date": DAY,
            "quantity": 5,
            "unit": "kg",
        },
    }
    odd = [
        {"type": "Feature", "geometry": None, "properties": ["village", "alpha"]},
        {"type": "Feature", "geometry": None, "properties": "alpha"},
        {"type": "Feature", "geometry": None, "properties": 7},
        {"type": "Feature", "geometry": {"type": f"Point{NUL}"}, "properties": {}},
        {**good, "properties": {**good["properties"], "village": ["alpha"]}},
    ]
    text = json.dumps({"type": "FeatureCollection", "features": [*odd, good]})
    with translation.override("en"):
        report = import_file(
            kind=ACTIONS,
            fileobj=io.BytesIO(text.encode()),
            filename="x.geojson",
            actor=people["reviewer"],
        )
    assert [label for label, _ in report.rejected] == [f"feature {n}" for n in range(1, 6)]
    reasons = dict(report.rejected)
    for n in (1, 2, 3):
        assert reasons[f"feature {n}"] == ["properties: must be a JSON object of the log's fields."]
    assert reasons["feature 4"][0].startswith("geometry.type: Remove the NUL character")
    assert reasons["feature 5"][0].startswith("village:")
    assert len(report.created) == 1


def test_import_page_with_properties_as_a_list(client, people, species, village_a):
    client.force_login(people["reviewer"])
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": None, "properties": [1, 2]}],
        }
    )
    response = upload(client, text, "actions.geojson")
    assert response.status_code == 400
    assert "properties: must be a JSON object" in response.content.decode()


def test_csv_with_an_oversized_cell_is_refused_whole(people, species, village_a):
    from greenscore.logkinds import ACTIONS
    from villages.logs.importing import import_file

    text = (
        'village,kind,date,lon,lat,notes\nalpha,cleanup,2025-01-01,128.2,-3.7,"'
        + ("x" * 200_000)
        + '"\n'
    )
    report = import_file(
        kind=ACTIONS,
        fileobj=io.BytesIO(text.encode()),
        filename="big.csv",
        actor=people["reviewer"],
    )
    assert report.fatal and not report.created


def test_review_with_a_non_ascii_digit_as_id(client, people, make_action):
    """'²'.isdigit() is true but int('²') fails: such an id is ignored, not a 500."""
    action = make_action()
    client.force_login(people["reviewer"])
    response = client.post(
        "/review/decide/", {"type": "actions", "ids": ["²"], "decision": "verify"}, **EN
    )
    assert response.status_code == 400
    assert "Tick at least one log." in response.content.decode()
    action.refresh_from_db()
    assert action.status == "submitted"


@pytest.mark.parametrize(
    "url",
    ["/api/v1/attractions/?format=xml", "/api/v1/species/?format=%3FV", "/api/v1/events/?format="],
)
def test_an_unknown_format_is_a_400_naming_it(client, url):
    response = client.get(url, **EN)
    assert response.status_code == 400
    assert "Unknown format" in response.json()["format"][0]
