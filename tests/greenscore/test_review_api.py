"""The reviewers' API: POST /api/v1/<kind>/<id>/review/ with the rules of /review/
(AMO only, four eyes, a reason to reject, 409 once decided, an audit entry), and the log
lists a page at a time (cursor pagination) with updated_since and client_uuid."""

import datetime
import uuid

import pytest

from tests.tourism.test_api_logs import places, report, stay  # noqa: F401
from villages.models import AuditEntry

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def logs(api, people, places, payload, species):  # noqa: F811
    """One submitted log of each kind, filed by coord_a through the API."""
    client = api(people["coord_a"])
    made = {}
    for kind, body in (
        ("actions", payload()),
        ("guest-stays", stay()),
        ("event-reports", report()),
    ):
        response = client.post(f"/api/v1/{kind}/", body, format="json")
        assert response.status_code == 201, response.json()
        made[kind] = response.json()["id"]
    return made


KINDS = ["actions", "guest-stays", "event-reports"]


@pytest.mark.parametrize("kind", KINDS)
def test_reviewer_verifies_and_rejects_with_audit(api, people, logs, kind):
    reviewer = api(people["reviewer"])
    url = f"/api/v1/{kind}/{logs[kind]}/review/"
    response = reviewer.post(url, {"decision": "verify"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "verified"
    entry = AuditEntry.objects.filter(action="verify").get()
    assert entry.actor == people["reviewer"] and entry.changes["status"] == [
        "submitted",
        "verified",
    ]
    # Already decided: a 409 naming why, and nothing changes.
    again = reviewer.post(url, {"decision": "reject", "reason": "late"}, format="json", **EN)
    assert again.status_code == 409
    assert again.json()["code"] == "not_submitted"
    assert AuditEntry.objects.filter(action__in=["verify", "reject"]).count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_reject_needs_a_reason_and_keeps_it(api, people, logs, kind):
    reviewer = api(people["reviewer"])
    url = f"/api/v1/{kind}/{logs[kind]}/review/"
    missing = reviewer.post(url, {"decision": "reject", "reason": "  "}, format="json", **EN)
    assert missing.status_code == 400 and "reason" in missing.json()
    bad = reviewer.post(url, {"decision": "maybe"}, format="json", **EN)
    assert bad.status_code == 400 and "decision" in bad.json()
    rejected = reviewer.post(url, {"decision": "reject", "reason": "No photo"}, format="json")
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "No photo"
    assert AuditEntry.objects.get(action="reject").changes["rejection_reason"] == ["", "No photo"]


@pytest.mark.parametrize("kind", KINDS)
def test_only_reviewers_and_never_their_own(api, people, logs, kind, village_a):
    from villages import roles

    url = f"/api/v1/{kind}/{logs[kind]}/review/"
    coordinator = api(people["coord_a"]).post(url, {"decision": "verify"}, format="json")
    assert coordinator.status_code == 403
    assert api().post(url, {"decision": "verify"}, format="json").status_code in (401, 403)
    # Four eyes: coord_a made a reviewer still may not verify what they filed.
    roles.grant_reviewer(user=people["coord_a"])
    own = api(people["coord_a"]).post(url, {"decision": "verify"}, format="json", **EN)
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    assert not AuditEntry.objects.filter(action="verify").exists()


def test_lists_are_cursor_paginated_with_updated_since(api, people, payload, species):
    client = api(people["coord_a"])
    uuids = [str(uuid.uuid4()) for _ in range(5)]
    for value in uuids:
        assert (
            client.post("/api/v1/actions/", payload(client_uuid=value), format="json").status_code
            == 201
        )
    seen, url, pages = [], "/api/v1/actions/?page_size=2", 0
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"} and len(body["results"]) <= 2
        seen += [row["client_uuid"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert sorted(seen) == sorted(uuids) and pages == 3
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=1)).isoformat()
    assert client.get("/api/v1/actions/", {"updated_since": later}).json()["results"] == []
    one = client.get("/api/v1/actions/", {"client_uuid": uuids[2]}).json()["results"]
    assert [row["client_uuid"] for row in one] == [uuids[2]]
    bad = client.get("/api/v1/actions/", {"client_uuid": "not-a-uuid"}, **EN)
    assert bad.status_code == 400 and "client_uuid" in bad.json()


def test_a_decision_shows_in_the_next_sync(api, people, logs):
    coordinator = api(people["coord_a"])
    first = coordinator.get("/api/v1/guest-stays/").json()["results"]
    since = max(row["updated_at"] for row in first)
    api(people["reviewer"]).post(
        f"/api/v1/guest-stays/{logs['guest-stays']}/review/",
        {"decision": "reject", "reason": "Two nights, not three"},
        format="json",
    )
    changed = coordinator.get("/api/v1/guest-stays/", {"updated_since": since}).json()["results"]
    assert [(row["status"], row["rejection_reason"]) for row in changed] == [
        ("rejected", "Two nights, not three")
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=2&page_size=3", "page_size"),
        ("page_size=501", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        ("status=", "status"),
    ],
)
def test_bad_paging_and_empty_choices_are_400(api, people, query, field):
    response = api(people["coord_a"]).get(f"/api/v1/guest-stays/?{query}", **EN)
    assert response.status_code == 400 and field in response.json(), response.content
