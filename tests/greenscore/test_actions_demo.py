"""Demo data: loaded through the services, once, with accounts nobody can sign in to yet."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from greenscore.actions.demo import load_demo_actions
from greenscore.models import ConservationAction, Species
from villages import roles

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_safely(demo_places, freeze_today):
    lines = list(load_demo_actions())
    assert "actions:" in lines[0] and any("skipped" in line for line in lines[1:])
    n = ConservationAction.objects.count()
    assert n == 2 * 11 * 3
    assert ConservationAction.objects.filter(status="verified").count() == 2 * 10 * 3
    assert Species.objects.filter(
        scientific_name="Gmelina moluccana", instrument_use="tifa"
    ).exists()
    coordinator = get_user_model().objects.get(username="demo-coordinator")
    reviewer = get_user_model().objects.get(username="demo-reviewer")
    assert not coordinator.has_usable_password() and not reviewer.has_usable_password()
    assert len(roles.coordinated_village_ids(coordinator)) == 2 and roles.is_reviewer(reviewer)
    assert list(load_demo_actions()) == ["actions: already loaded"]
    assert ConservationAction.objects.count() == n


def test_load_demo_command_and_public_layer(demo_places, freeze_today, client, capsys):
    call_command("load_demo")
    assert "greenscore: actions:" in capsys.readouterr().out
    features = client.get("/api/v1/action-sites/").json()["features"]
    # the 2026 season of the coordinators' demo, and the scorecard demo's 2025 season
    assert len([f for f in features if f["properties"]["date"] >= "2026"]) == 60
    assert len([f for f in features if f["properties"]["date"] < "2026"]) == 2 * 20
    assert {f["properties"]["village"] for f in features} == {"amahusu", "dusun-tuni"}


@pytest.fixture
def freeze_today(monkeypatch):
    """The demo season runs January to November 2026; pin 'today' to its end."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 30))
