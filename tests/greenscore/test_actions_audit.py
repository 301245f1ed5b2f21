"""The audit trail: every create, edit, delete and review is recorded, and nobody can edit it."""

import pytest
from django.contrib.admin.sites import site

from villages.logs import audit
from villages.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_every_write_is_recorded_with_who_and_what(api, people, species, payload):
    client = api(people["coord_a"])
    created = client.post("/api/v1/actions/", payload(), format="json").json()
    client.patch(
        f"/api/v1/actions/{created['id']}/",
        {"quantity": "41", "species": [{"species": "Schizostachyum brachycladum", "count": 41}]},
        format="json",
    )
    client.delete(f"/api/v1/actions/{created['id']}/")
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert {e.actor_username for e in entries} == {"coord_a"}
    assert entries[0].changes["kind"] == [None, "bamboo_planting"]
    assert entries[1].changes == {
        "quantity": ["40.00", "41.00"],
        "species": [[[species["bambu"].pk, 40]], [[species["bambu"].pk, 41]]],
    }
    assert entries[2].changes["village"][1] is None
    assert all(e.village.slug == "alpha" for e in entries)


def test_geometry_changes_are_recorded_as_geojson(api, people, make_action):
    action = make_action()
    api(people["coord_a"]).patch(
        f"/api/v1/actions/{action.pk}/",
        {"geometry": {"type": "Point", "coordinates": [128.201, -3.701]}},
        format="json",
    )
    entry = AuditEntry.objects.get(action="update")
    old, new = entry.changes["geometry"]
    assert '"Point"' in old and "128.201" in new


def test_review_entries(people, make_action):
    from villages.logs import review_logs

    action = make_action()
    review_logs(
        logs=[action], reviewer=people["reviewer"], decision="reject", reason="Wrong village"
    )
    entry = audit.entries_for(action).first()
    assert entry.action == "reject" and entry.actor == people["reviewer"]
    assert entry.changes == {
        "status": ["submitted", "rejected"],
        "rejection_reason": ["", "Wrong village"],
    }


def test_entries_survive_the_deleted_log_and_the_user(people, make_action):
    action = make_action()
    pk = action.pk
    from greenscore.logkinds import ACTIONS

    ACTIONS.delete(people["coord_a"], action)
    assert AuditEntry.objects.filter(object_id=pk).count() == 2


def test_admin_is_read_only_even_for_superusers(rf, people):
    admin = site._registry[AuditEntry]
    request = rf.get("/")
    for who in ("admin", "reviewer"):
        request.user = people[who]
        assert admin.has_view_permission(request)
        assert not admin.has_add_permission(request)
        assert not admin.has_change_permission(request)
        assert not admin.has_delete_permission(request)
    request.user = people["coord_a"]
    assert not admin.has_view_permission(request)


def test_reviewer_cannot_post_changes_in_admin(client, people, make_action):
    make_action()
    entry = AuditEntry.objects.first()
    client.force_login(people["reviewer"])
    assert client.get(f"/admin/villages/auditentry/{entry.pk}/change/").status_code == 200
    client.post(f"/admin/villages/auditentry/{entry.pk}/change/", {"actor_username": "someone"})
    client.post(f"/admin/villages/auditentry/{entry.pk}/delete/", {"post": "yes"})
    entry.refresh_from_db()
    assert entry.actor_username == "coord_a"


def test_history_on_the_review_page_is_readable(client, api, people, make_action):
    action = make_action()
    api(people["coord_a"]).patch(
        f"/api/v1/actions/{action.pk}/",
        {"notes": "mulched", "geometry": {"type": "Point", "coordinates": [128.201, -3.701]}},
        format="json",
    )
    client.force_login(people["reviewer"])
    body = client.get(f"/review/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "notes: — → mulched" in body and "place changed" in body
