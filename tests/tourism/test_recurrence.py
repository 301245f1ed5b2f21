from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from tourism.recurrence import next_occurrence, occurrences, series_end, validate_rule

WIT = ZoneInfo("Asia/Jayapura")


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=SA;COUNT=8",
        "FREQ=MONTHLY;BYDAY=+1SA;COUNT=6",
        "FREQ=DAILY;UNTIL=20270101T000000Z",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU",
        "",
    ],
)
def test_valid_rules(rule):
    validate_rule(rule)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY;COUNT=5",
        "FREQ=WEEKLY;COUNT=100000",
        "FREQ=WEEKLY;BYDAY=XX",
        "nonsense",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=WEEKLY;COUNT=-1",
    ],
)
def test_invalid_rules(rule):
    with pytest.raises(ValidationError):
        validate_rule(rule)


def test_weekly_saturday_means_saturday_in_ambon():
    # 07:00 WIT on a Saturday is still Friday in UTC: the rule must be read in WIT.
    start = datetime(2027, 1, 2, 7, tzinfo=WIT)
    found = occurrences(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        rule="FREQ=WEEKLY;BYDAY=SA;COUNT=3",
        since=start,
        until=start + timedelta(days=60),
    )
    assert [s.astimezone(WIT).weekday() for s, _ in found] == [5, 5, 5]
    assert series_end(
        starts_at=start, ends_at=start + timedelta(hours=2), rule="FREQ=WEEKLY;BYDAY=SA;COUNT=3"
    ) == datetime(2027, 1, 16, 9, tzinfo=WIT)


def test_open_ended_and_next_occurrence():
    start = datetime(2027, 1, 2, 16, tzinfo=WIT)
    end = start + timedelta(hours=2)
    assert series_end(starts_at=start, ends_at=end, rule="FREQ=WEEKLY") is None
    assert series_end(starts_at=start, ends_at=end, rule="") == end
    # During the second occurrence, that one is "next" (still running).
    during = datetime(2027, 1, 9, 17, tzinfo=WIT)
    assert next_occurrence(starts_at=start, ends_at=end, rule="FREQ=WEEKLY;COUNT=3", after=during)[
        0
    ] == datetime(2027, 1, 9, 16, tzinfo=WIT)
    assert (
        next_occurrence(
            starts_at=start,
            ends_at=end,
            rule="FREQ=WEEKLY;COUNT=3",
            after=datetime(2027, 2, 1, tzinfo=WIT),
        )
        is None
    )
