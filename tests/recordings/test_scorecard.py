"""env.soundscape_ndsi: the median NDSI of a period's verified soundscapes, in the database;
no recording means missing, never 0."""

import datetime
import uuid

import pytest
from django.utils import timezone

from greenscore.models import Indicator
from greenscore.scorecard.aggregations import computed_values
from greenscore.scorecard.periods import Period
from recordings.models import Recording
from recordings.selectors import median_ndsi

from .conftest import point

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def make(
    village,
    author,
    ndsi,
    *,
    day=datetime.date(2026, 5, 10),
    kind="soundscape",
    status="verified",
    processing="ready",
):
    return Recording.objects.create(
        client_uuid=uuid.uuid4(),
        village=village,
        author=author,
        slug=f"r-{uuid.uuid4().hex[:8]}",
        kind=kind,
        title_en="Dawn",
        place=point(),
        recorded_at=datetime.datetime.combine(day, datetime.time(5, 45), TZ),
        duration_s=120,
        status=status,
        processing=processing,
        ndsi=ndsi,
        original="recordings/x.orig",
    )


def test_median_of_an_odd_and_an_even_number(village_a, village_b, people):
    author = people["coord_a"]
    for value in (0.9, -0.2, 0.5):
        make(village_a, author, value)
    for value in (0.1, 0.4, 0.8, 0.2):
        make(village_b, author, value)
    result = median_ndsi(
        village_ids=[village_a.pk, village_b.pk],
        start=datetime.date(2026, 4, 1),
        end=datetime.date(2026, 7, 1),
    )
    assert result[village_a.pk]["ndsi"] == pytest.approx(0.5)
    assert result[village_a.pk]["recordings"] == 3
    assert result[village_b.pk]["ndsi"] == pytest.approx(0.3)


def test_only_verified_processed_soundscapes_of_the_period_count(village_a, people):
    author = people["coord_a"]
    make(village_a, author, 0.6)
    make(village_a, author, -0.9, status="submitted")
    make(village_a, author, -0.9, status="rejected")
    make(village_a, author, -0.9, processing="failed")
    make(village_a, author, None, kind="rehearsal")
    make(village_a, author, -0.9, day=datetime.date(2026, 3, 31))  # the quarter before
    result = median_ndsi(
        village_ids=[village_a.pk], start=datetime.date(2026, 4, 1), end=datetime.date(2026, 7, 1)
    )
    assert result == {village_a.pk: {"ndsi": pytest.approx(0.6), "recordings": 1}}


def test_the_scorecard_value_is_missing_without_recordings(village_a, village_b, people):
    make(village_a, people["coord_a"], 0.7)
    values = computed_values(
        village_ids=[village_a.pk, village_b.pk], period=Period.parse("2026-Q2")
    )
    assert values[village_a.pk]["soundscape_ndsi"] == pytest.approx(0.7)
    assert values[village_b.pk]["soundscape_ndsi"] is None


def test_the_indicator_is_in_the_catalogue():
    indicator = Indicator.objects.get(code="env.soundscape_ndsi")
    assert indicator.computation == "soundscape_ndsi"
    assert indicator.is_flow is False
    assert (indicator.min_value, indicator.max_value) == (-1.0, 1.0)
