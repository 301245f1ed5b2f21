"""A log kind declared in a test app (tests/logkind_app: a model on VillageLog and a
ten-line LogKind) gets the API, the coordinator pages, CSV export, the review queue and
the audit trail without a line elsewhere."""

import csv
import datetime
import io
import uuid

import pytest
from rest_framework.test import APIClient

from villages.logs import kinds

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/api/v1/sightings/"


@pytest.fixture
def world(make_village, django_user_model):
    from villages import roles

    alpha = make_village("Alpha", slug="alpha")
    beta = make_village("Beta", slug="beta", lon=128.3)
    coord = django_user_model.objects.create_user("coord", password="pw-coord-123")
    other = django_user_model.objects.create_user("other", password="pw-other-123")
    reviewer = django_user_model.objects.create_user("reviewer", password="pw-reviewer-123")
    roles.grant_coordinator(user=coord, village=alpha)
    roles.grant_coordinator(user=other, village=beta)
    roles.grant_reviewer(user=reviewer)
    return {"alpha": alpha, "coord": coord, "other": other, "reviewer": reviewer}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(**overrides):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "village": "alpha",
        "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
        "bird": "kingfisher",
        "count": 3,
        "place_name": "river mouth",
    }
    data.update(overrides)
    return data


def test_the_kind_is_registered_from_its_app():
    kind = kinds.get("sightings")
    assert kind.model.__name__ == "Sighting"
    assert kind.content_fields == ("village", "date", "bird", "count", "place_name", "notes")
    assert "sightings" in [k.slug for k in kinds.all_kinds()]


def test_api_create_retry_list_edit_and_the_rules(world):
    client = api(world["coord"])
    sent = body()
    created = client.post(URL, sent, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["bird"] == "kingfisher"
    assert created.json()["village"] == "alpha"
    assert created.json()["status"] == "submitted"
    assert created.json()["author"] == "coord"
    # A retry of the same log is stored once; other content under the same UUID is a 409.
    assert client.post(URL, sent, format="json").status_code == 200
    assert client.post(URL, {**sent, "count": 4}, format="json").status_code == 409
    # The model's validator (count <= 500) and the kind's own rule, as 400s per field.
    too_many = client.post(URL, body(count=501), format="json")
    assert too_many.status_code == 400 and "count" in too_many.json()
    flock = client.post(URL, body(bird="hornbill", count=30), format="json")
    assert flock.status_code == 400
    assert flock.json() == {"count": ["Hornbills are not seen in flocks of over 20."]}
    future = client.post(URL, body(date="2999-01-01"), format="json")
    assert future.status_code == 400 and "date" in future.json()
    # Scoped: another village's coordinator sees nothing and may not file for alpha.
    assert api(world["other"]).get(URL).json()["results"] == []
    assert api(world["other"]).post(URL, body(), format="json").status_code == 400
    pk = created.json()["id"]
    patched = client.patch(f"{URL}{pk}/", {"count": 5}, format="json")
    assert patched.status_code == 200 and patched.json()["count"] == 5
    listed = client.get(URL, {"status": "submitted"}).json()["results"]
    assert [row["id"] for row in listed] == [pk]


def test_pages_review_and_audit_come_with_the_declaration(client, world):
    from villages.logs.audit import entries_for

    client.force_login(world["coord"])
    assert client.get("/coordinator/sightings/", **EN).status_code == 200
    form = client.get("/coordinator/sightings/new/", **EN)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="bird"' in html and 'name="count"' in html and 'name="place_name"' in html
    new_uuid = str(uuid.uuid4())
    posted = client.post(
        "/coordinator/sightings/new/",
        {
            "client_uuid": new_uuid,
            "village": world["alpha"].pk,
            "date": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
            "bird": "hornbill",
            "count": "2",
            "place_name": "ridge",
        },
        **EN,
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    kind = kinds.get("sightings")
    log = kind.model.objects.get(client_uuid=new_uuid)
    assert client.get(f"/coordinator/sightings/{log.pk}/", **EN).status_code == 200
    dashboard = client.get("/coordinator/", **EN).content.decode()
    assert "Sightings" in dashboard
    exported = client.get("/coordinator/sightings/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0] == [
        "id",
        "client_uuid",
        "village",
        "date",
        "status",
        "rejection_reason",
        "author",
        "bird",
        "count",
        "place_name",
        "notes",
    ]
    assert rows[1][7:10] == ["hornbill", "2", "ridge"]

    client.force_login(world["reviewer"])
    queue = client.get("/review/", {"type": "sightings"}, **EN)
    assert queue.status_code == 200 and f'value="{log.pk}"' in queue.content.decode()
    decided = client.post(
        "/review/decide/", {"type": "sightings", "ids": [log.pk], "decision": "verify"}, **EN
    )
    assert decided.status_code == 302
    log.refresh_from_db()
    assert log.status == "verified"
    assert client.get(f"/review/sightings/{log.pk}/", **EN).status_code == 200
    assert [e.action for e in entries_for(log)] == ["verify", "create"]
    # A verified log is read-only, for this kind as for every other.
    client.force_login(world["coord"])
    refused = api(world["coord"]).patch(f"{URL}{log.pk}/", {"count": 3}, format="json")
    assert refused.status_code == 409
    assert client.get(f"/coordinator/sightings/{log.pk}/edit/", **EN).status_code == 409
