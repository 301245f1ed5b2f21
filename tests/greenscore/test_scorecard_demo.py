"""The scorecard demo loader: real numbers on first start, idempotent, never overwrites."""

import pytest

from greenscore.models import ConservationAction, IndicatorValue, Plot, TreeMeasurement
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.demo import load_scorecard_demo
from greenscore.scorecard.periods import Period
from villages.models import Village

from .scorecard_factories import ensure_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


def test_demo_loads_once_and_scores(demo_places):
    lines = list(load_scorecard_demo())
    assert any("Amahusu" in line for line in lines)
    counts = (ConservationAction.objects.count(), TreeMeasurement.objects.count())
    assert Plot.objects.filter(village__slug="amahusu").count() == 2
    assert TreeMeasurement.objects.values("census_date").distinct().count() == 2
    ikm = IndicatorValue.objects.get(
        village__slug="amahusu", indicator__code="soc.community_satisfaction_ikm"
    )
    ikm.value = 50
    ikm.save()
    assert list(load_scorecard_demo())[-1] == "scorecard demo: already loaded"
    assert (ConservationAction.objects.count(), TreeMeasurement.objects.count()) == counts
    ikm.refresh_from_db()
    assert ikm.value == 50  # an edit survives a second load
    amahusu = Village.objects.get(slug="amahusu")
    results = scorecard.live_scorecard(village=amahusu, period=Period.parse("2026"))["results"]
    assert results["pillars"]["environmental"]["score"] is not None
    assert results["pillars"]["social"]["score"] is not None
    assert all(a.status == "verified" for a in ConservationAction.objects.all())


def test_demo_skips_without_the_sog_villages(db):
    assert list(load_scorecard_demo())[-1].startswith("scorecard demo: skipped")
