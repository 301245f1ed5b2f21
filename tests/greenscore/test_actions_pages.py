"""Coordinator and review pages: the whole round trip a coordinator and AMO make."""

import csv
import datetime
import io
import json
import uuid

import pytest

from greenscore.models import ConservationAction
from villages.models import AuditEntry

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def form_data(village, **overrides):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "village": village.pk,
        "kind": "bamboo_planting",
        "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
        "geometry": json.dumps(
            {"type": "Point", "coordinates": [village.centre.x, village.centre.y]}
        ),
        "quantity": "25",
        "unit": "seedlings",
        "participants_total": "6",
        "participants_women": "3",
        "participants_youth": "2",
        "participants_visitors": "0",
        "volunteer_hours": "12",
        "notes": "",
        "species_1": "",
        "count_1": "",
        "species_2": "",
        "count_2": "",
        "species_3": "",
        "count_3": "",
        "species_4": "",
        "count_4": "",
    }
    data.update(overrides)
    return data


def test_dashboard_shows_my_villages_only(signed_in, people, village_a, village_b):
    response = signed_in(people["coord_a"]).get("/coordinator/", **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alpha" in body and "Beta" not in body
    assert "Nothing logged yet this month" in body
    assert "Guest stays, " not in body  # Alpha has no homestay: no guest stays to miss


def test_dashboard_counts_this_months_logs_and_actions_without_photo(
    signed_in, people, make_action
):
    from django.utils import timezone

    make_action(date=timezone.localdate())  # the dashboard's month is Maluku's (WIT)
    body = signed_in(people["coord_a"]).get("/coordinator/", **EN).content.decode()
    assert "1 waiting for review" in body
    assert "1 action without a photo" in body


def test_new_action_form_renders_with_map_and_location_button(signed_in, people):
    body = signed_in(people["coord_a"]).get("/coordinator/actions/new/", **EN).content.decode()
    assert 'id="use-my-location"' in body and "leaflet" in body.lower()
    assert 'name="client_uuid"' in body


def test_file_an_action_through_the_form_and_resubmit_is_stored_once(
    signed_in, people, species, village_a
):
    client = signed_in(people["coord_a"])
    data = form_data(village_a, species_1=species["bambu"].pk, count_1="25")
    first = client.post("/coordinator/actions/new/", data, **EN)
    assert first.status_code == 302, first.content.decode()[:2000]
    again = client.post("/coordinator/actions/new/", data, **EN)
    assert again.status_code == 302
    action = ConservationAction.objects.get()
    assert action.species_counts.get().count == 25 and action.author == people["coord_a"]


def test_form_shows_errors_per_field(signed_in, people, species, village_a):
    client = signed_in(people["coord_a"])
    data = form_data(
        village_a,
        participants_women="9",
        unit="kg",
        geometry=json.dumps({"type": "Point", "coordinates": [-3.7, 128.2]}),
    )
    response = client.post("/coordinator/actions/new/", data, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "swapped" in body
    data["geometry"] = form_data(village_a)["geometry"]
    response = client.post("/coordinator/actions/new/", data, **EN)
    assert response.status_code == 400
    assert "more than the 6 participants" in response.content.decode()
    assert "The unit for" in response.content.decode()
    assert not ConservationAction.objects.exists()


def test_form_refuses_species_counts_above_the_quantity(signed_in, people, species, village_a):
    data = form_data(
        village_a,
        quantity="25",
        species_1=species["bambu"].pk,
        count_1="20",
        species_2=species["titi"].pk,
        count_2="10",
    )
    response = signed_in(people["coord_a"]).post("/coordinator/actions/new/", data, **EN)
    assert response.status_code == 400
    assert "add up to 30 seedlings, more than the quantity (25)" in response.content.decode()
    assert not ConservationAction.objects.exists()


def test_coordinator_cannot_pick_another_village(signed_in, people, village_b):
    response = signed_in(people["coord_a"]).post(
        "/coordinator/actions/new/", form_data(village_b), **EN
    )
    assert response.status_code == 400
    assert not ConservationAction.objects.exists()


def test_list_filters_and_csv_export(signed_in, people, make_action, village_a, village_b):
    make_action(notes='=HYPERLINK("http://evil")')
    make_action(village=village_b, author=people["coord_b"])
    client = signed_in(people["coord_a"])
    listing = client.get("/coordinator/actions/?status=submitted", **EN)
    assert listing.status_code == 200
    assert client.get("/coordinator/actions/?date_from=notadate", **EN).status_code == 400
    response = client.get("/coordinator/actions/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "client_uuid", "village", "date"]
    assert len(rows) == 2 and rows[1][2] == "alpha"
    assert rows[1][-1].startswith("'=")  # formula neutralised


def test_edit_and_delete_own_log_pages(signed_in, people, make_action):
    action = make_action()
    client = signed_in(people["coord_a"])
    assert client.get(f"/coordinator/actions/{action.pk}/edit/").status_code == 200
    assert client.get(f"/coordinator/actions/{action.pk}/delete/").status_code == 200
    assert client.post(f"/coordinator/actions/{action.pk}/delete/").status_code == 302
    assert not ConservationAction.objects.filter(pk=action.pk).exists()


def test_review_round_trip_reject_then_fix_then_verify(signed_in, people, make_action, client):
    action = make_action()
    reviewer = signed_in(people["reviewer"])
    queue = reviewer.get("/review/", **EN)
    assert queue.status_code == 200 and str(action) in queue.content.decode()
    no_reason = reviewer.post(
        "/review/decide/",
        {"type": "actions", "ids": [action.pk], "decision": "reject", "reason": ""},
        **EN,
    )
    assert no_reason.status_code == 400 and "Give a reason" in no_reason.content.decode()
    assert (
        reviewer.post(
            "/review/decide/",
            {
                "type": "actions",
                "ids": [action.pk],
                "decision": "reject",
                "reason": "No photo of the planting",
            },
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "rejected" and action.reviewed_by == people["reviewer"]

    coordinator = signed_in(people["coord_a"])
    assert "No photo of the planting" in coordinator.get("/coordinator/", **EN).content.decode()
    coordinator.force_login(people["coord_a"])
    response = coordinator.post(
        f"/coordinator/actions/{action.pk}/edit/",
        form_data(
            action.village,
            notes="photo added",
            species_1=action.species_counts.get().species_id,
            count_1="10",
            quantity="10",
            kind="tree_planting",
        ),
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert action.status == "submitted" and action.rejection_reason == ""

    reviewer.force_login(people["reviewer"])
    assert (
        reviewer.post(
            "/review/decide/", {"type": "actions", "ids": [action.pk], "decision": "verify"}
        ).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "verified"
    actions = list(
        AuditEntry.objects.filter(object_id=action.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "reject", "update", "verify"]


def test_bulk_verify(signed_in, people, make_action, village_b):
    logs = [make_action(), make_action(), make_action(village=village_b, author=people["coord_b"])]
    response = signed_in(people["reviewer"]).post(
        "/review/decide/", {"type": "actions", "ids": [a.pk for a in logs], "decision": "verify"}
    )
    assert response.status_code == 302
    assert set(ConservationAction.objects.values_list("status", flat=True)) == {"verified"}


def test_review_of_a_verified_log_is_refused(signed_in, people, make_action):
    action = make_action(status="verified")
    response = signed_in(people["reviewer"]).post(
        "/review/decide/",
        {"type": "actions", "ids": [action.pk], "decision": "reject", "reason": "x"},
        **EN,
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == "verified"


def test_review_detail_shows_history(signed_in, people, make_action):
    action = make_action()
    response = signed_in(people["reviewer"]).get(f"/review/actions/{action.pk}/", **EN)
    assert response.status_code == 200
    assert "History" in response.content.decode()


def test_review_a_guest_stay_and_see_it_back_on_the_dashboard(signed_in, people, village_a):
    import uuid as uuid_

    from django.contrib.gis.geos import Point

    from tourism.models import GuestStay, Homestay

    homestay = Homestay.objects.create(
        village=village_a,
        name="Rumah Tifa",
        slug="rumah-tifa",
        location=Point(128.2, -3.7, srid=4326),
        rooms=1,
        beds=2,
        price_from_idr=200000,
    )
    stay = GuestStay.objects.create(
        client_uuid=uuid_.uuid4(),
        village=village_a,
        date=datetime.date.today(),
        homestay=homestay,
        nights=1,
        guests_foreign=1,
        author=people["coord_a"],
    )
    reviewer = signed_in(people["reviewer"])
    assert (
        "Rumah Tifa" in reviewer.get("/review/?type=guest-stays").content.decode()
        or str(stay) in reviewer.get("/review/?type=guest-stays").content.decode()
    )
    response = reviewer.post(
        "/review/decide/",
        {
            "type": "guest-stays",
            "ids": [stay.pk],
            "decision": "reject",
            "reason": "Receipt missing",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.status == "rejected"
    reviewer.force_login(people["coord_a"])
    assert "Receipt missing" in reviewer.get("/coordinator/", **EN).content.decode()


def test_decide_with_vanished_ids_is_400(signed_in, people, make_action):
    action = make_action()
    response = signed_in(people["reviewer"]).post(
        "/review/decide/",
        {"type": "actions", "ids": [action.pk, 999999], "decision": "verify"},
        **EN,
    )
    assert response.status_code == 400 and "no longer exist" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "submitted"


def test_detail_page_shows_facts_for_people(signed_in, people, make_action):
    action = make_action(notes="Along the river")
    body = (
        signed_in(people["coord_a"])
        .get(f"/coordinator/actions/{action.pk}/", **EN)
        .content.decode()
    )
    assert "titi (Gmelina moluccana) × 10" in body and "tree planting" in body
    assert "map-config" in body and "client_uuid" not in body


def test_list_is_paged(signed_in, people, make_action, monkeypatch):
    from villages.logs import coordinator as views_coordinator

    monkeypatch.setattr(views_coordinator, "PAGE_SIZE", 2)
    for _ in range(3):
        make_action()
    client = signed_in(people["coord_a"])
    first = client.get("/coordinator/actions/?status=submitted", **EN).content.decode()
    assert "Page 1 of 2" in first and "status=submitted&amp;page=2" in first
    assert client.get("/coordinator/actions/?page=99", **EN).status_code == 200


def test_admin_pages_of_an_action_use_the_shared_log_admin(client, people, make_action):
    """The action's admin extends villages.logs.admin.LogAdmin like every kind's admin."""
    from greenscore.actions.admin import ConservationActionAdmin
    from villages.logs.admin import LogAdmin

    assert issubclass(ConservationActionAdmin, LogAdmin)
    action = make_action()
    client.force_login(people["admin"])
    base = "/admin/greenscore/conservationaction/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{action.pk}/change/").status_code == 200
    assert client.get(f"{base}add/").status_code == 200
