"""Guest stays and event reports through the API: rules, retries, edits."""

import datetime
import uuid

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from tourism.models import Event, EventReport, GuestStay, Homestay

pytestmark = pytest.mark.django_db
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def places(village_a, village_b):
    made = {}
    for key, village in (("a", village_a), ("b", village_b)):
        c = village.centre
        made[f"homestay_{key}"] = Homestay.objects.create(
            village=village,
            name=f"Rumah {key}",
            slug=f"rumah-{key}",
            location=Point(c.x, c.y, srid=4326),
            rooms=2,
            beds=4,
            price_from_idr=250000,
        )
        start = timezone.now() - datetime.timedelta(days=3)
        made[f"event_{key}"] = Event.objects.create(
            village=village,
            title_id=f"Konser {key}",
            slug=f"konser-{key}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
    return made


def stay(**over):
    body = {
        "client_uuid": str(uuid.uuid4()),
        "village": "alpha",
        "date": YESTERDAY,
        "homestay": "rumah-a",
        "nights": 2,
        "guests_domestic": 1,
        "guests_foreign": 2,
        "revenue_idr": 900000,
    }
    body.update(over)
    return body


def report(**over):
    body = {
        "client_uuid": str(uuid.uuid4()),
        "village": "alpha",
        "date": YESTERDAY,
        "kind": "event",
        "event": "konser-a",
        "audience": 80,
        "local_performers_paid": 6,
        "participants_youth": 4,
        "participants_women": 3,
        "revenue_idr": 1500000,
    }
    body.update(over)
    return body


def test_guest_stay_create_and_retry(api, people, places):
    client = api(people["coord_a"])
    body = stay()
    assert client.post("/api/v1/guest-stays/", body, format="json").status_code == 201
    assert client.post("/api/v1/guest-stays/", body, format="json").status_code == 200
    assert (
        client.post("/api/v1/guest-stays/", {**body, "nights": 3}, format="json").status_code == 409
    )
    assert GuestStay.objects.get().nights == 2


BAD_STAYS = [
    ({"homestay": "rumah-b"}, "homestay"),
    ({"homestay": "nowhere"}, "homestay"),
    ({"guests_domestic": 0, "guests_foreign": 0}, "guests_domestic"),
    ({"nights": 0}, "nights"),
    ({"nights": 400}, "nights"),
    ({"revenue_idr": -1}, "revenue_idr"),
    ({"date": "2019-05-01"}, "date"),
    ({"date": (datetime.date.today() + datetime.timedelta(days=5)).isoformat()}, "date"),
    ({"village": "beta", "homestay": "rumah-b"}, "village"),
]


@pytest.mark.parametrize("overrides,field", BAD_STAYS)
def test_bad_guest_stays(api, people, places, overrides, field):
    response = api(people["coord_a"]).post(
        "/api/v1/guest-stays/", stay(**overrides), format="json", **EN
    )
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not GuestStay.objects.exists()


BAD_REPORTS = [
    ({"event": "konser-b"}, "event"),
    ({"event": None, "title": ""}, "title"),
    ({"event": None, "title": "Suling"}, "event"),  # kind "event" needs a listed event
    ({"audience": -4}, "audience"),
    ({"kind": "party"}, "kind"),
]


@pytest.mark.parametrize("overrides,field", BAD_REPORTS)
def test_bad_event_reports(api, people, places, overrides, field):
    response = api(people["coord_a"]).post(
        "/api/v1/event-reports/", report(**overrides), format="json", **EN
    )
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not EventReport.objects.exists()


def test_ad_hoc_performance_and_edit(api, people, places):
    client = api(people["coord_a"])
    created = client.post(
        "/api/v1/event-reports/",
        report(kind="performance", event=None, title="Suling at dusk"),
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    edited = client.patch(f"/api/v1/event-reports/{pk}/", {"audience": 95}, format="json")
    assert edited.status_code == 200 and edited.json()["audience"] == 95
    EventReport.objects.filter(pk=pk).update(status="verified")
    assert (
        client.patch(f"/api/v1/event-reports/{pk}/", {"audience": 96}, format="json").status_code
        == 409
    )


def test_guest_stay_form_page(client, people, places, village_a):
    client.force_login(people["coord_a"])
    data = {
        "client_uuid": str(uuid.uuid4()),
        "village": village_a.pk,
        "homestay": places["homestay_a"].pk,
        "date": YESTERDAY,
        "nights": "3",
        "guests_domestic": "2",
        "guests_foreign": "0",
        "revenue_idr": "750000",
        "notes": "",
    }
    assert client.post("/coordinator/guest-stays/new/", data).status_code == 302
    stay_ = GuestStay.objects.get()
    assert stay_.guest_nights == 6 and stay_.author == people["coord_a"]


def test_event_report_form_page_and_errors(client, people, places, village_a):
    client.force_login(people["coord_a"])
    data = {
        "client_uuid": str(uuid.uuid4()),
        "village": village_a.pk,
        "kind": "event",
        "event": places["event_b"].pk,
        "title": "",
        "date": YESTERDAY,
        "audience": "50",
        "local_performers_paid": "5",
        "participants_youth": "3",
        "participants_women": "2",
        "revenue_idr": "0",
        "notes": "",
    }
    refused = client.post("/coordinator/event-reports/new/", data)
    assert refused.status_code == 400  # event_b is not offered to a coordinator of A
    data["event"] = places["event_a"].pk
    assert client.post("/coordinator/event-reports/new/", data).status_code == 302
    assert EventReport.objects.get().event == places["event_a"]
