"""Published snapshots: reproducible from frozen inputs, immune to later edits."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from greenscore.models import ConservationAction, ScorecardSnapshot, VillageIndicator
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period

from .scorecard_factories import ensure_catalogue, make_action, make_user, worked_village

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


Y2026 = Period.parse("2026")


@pytest.fixture
def published(make_village):
    v, coordinator, nangka = worked_village(make_village)
    amo = make_user("amo", amo=True)
    snap = scorecard.publish(village=v, period=Y2026, user=amo)
    return v, coordinator, nangka, amo, snap


def test_recompute_from_frozen_inputs_is_identical(published):
    *_, snap = published
    snap.refresh_from_db()  # through the JSON column and back
    assert scorecard.recompute_snapshot(snap) == snap.results
    assert snap.method_version == "1.0"
    assert snap.inputs["year_fraction"] == 1.0
    frozen = {i["code"]: i for i in snap.inputs["indicators"]}
    assert frozen["env.seedlings_planted"] == {
        "code": "env.seedlings_planted",
        "pillar": "environmental",
        "direction": "higher",
        "is_flow": True,
        "source": "computed",
        "unit": "seedlings",
        "value": 100.0,
        "baseline": 0.0,
        "baseline_year": 2024,
        "target": 200.0,
        "target_year": 2030,
        "weight": 1.5,
    }
    # Plain JSON (no Decimal, no dates) so it reads back the same years later.
    assert json.loads(json.dumps(snap.inputs)) == snap.inputs


def test_later_edits_never_change_a_published_snapshot(published):
    v, coordinator, nangka, amo, snap = published
    before = json.dumps(snap.results, sort_keys=True)
    make_action(v, coordinator, day=date(2026, 9, 1), species=[(nangka, 100)])
    ConservationAction.objects.filter(village=v, kind="cleanup").update(quantity=80)
    VillageIndicator.objects.filter(village=v, indicator__code="env.volunteer_hours").update(
        target_value=45
    )
    snap.refresh_from_db()
    assert json.dumps(snap.results, sort_keys=True) == before
    assert scorecard.recompute_snapshot(snap) == snap.results
    live = scorecard.scorecard_for(user=amo, village=v, period=Y2026)
    assert live["status"] == "live"
    changed = {d["code"]: d for d in live["differences"]}
    # nangka is no instrument species and the new planting has no area: those stay equal.
    assert set(changed) == {
        "env.seedlings_planted",
        "env.waste_collected_kg",
        "env.actions_verified",
        "env.volunteer_hours",
    }
    assert changed["env.seedlings_planted"]["published_value"] == 100
    assert changed["env.seedlings_planted"]["live_value"] == 200
    assert changed["env.waste_collected_kg"]["live_value"] == 80
    # The public still reads the published numbers.
    public = scorecard.scorecard_for(user=None, village=v, period=Y2026)
    assert public["status"] == "published" and public["composite"] == snap.results["composite"]


def test_republishing_keeps_history_with_one_current(published):
    v, coordinator, nangka, amo, first = published
    make_action(v, coordinator, day=date(2026, 9, 1), species=[(nangka, 100)])
    second = scorecard.publish(village=v, period=Y2026, user=amo)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert ScorecardSnapshot.objects.filter(village=v, period="2026").count() == 2
    assert ScorecardSnapshot.objects.current().get(village=v, period="2026") == second
    with pytest.raises(IntegrityError), transaction.atomic():
        ScorecardSnapshot.objects.filter(pk=first.pk).update(is_current=True)


def test_only_amo_publishes(published):
    v, coordinator, *_ = published
    with pytest.raises(PermissionDenied):
        scorecard.publish(village=v, period=Y2026, user=coordinator)
    with pytest.raises(PermissionDenied):
        scorecard.confirm_stage(village=v, stage="maju", user=coordinator)


def test_trend_live_and_published(published):
    v, coordinator, nangka, amo, snap = published
    live = scorecard.trend(village=v, period=Y2026, live=True)
    assert [p["period"] for p in live] == ["2023", "2024", "2025", "2026"]
    assert live[-1]["composite"] == snap.results["composite"]
    assert live[0]["composite"] is None  # no data in 2023: a gap, not a zero
    public = scorecard.trend(village=v, period=Y2026, live=False)
    assert [p["composite"] for p in public] == [None, None, None, snap.results["composite"]]
    quarters = scorecard.trend(village=v, period=Period.parse("2026-Q2"), live=True, n=2)
    assert [p["period"] for p in quarters] == ["2026-Q1", "2026-Q2"]
