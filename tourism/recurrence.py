"""Recurring events: a safe subset of iCalendar RRULE, expanded in WIT (Asia/Jayapura).

Events store their first occurrence (starts_at/ends_at) and an optional RRULE.
The rule is expanded in local time so that BYDAY=SA means Saturday in Ambon.
Only DAILY/WEEKLY/MONTHLY/YEARLY rules with a bounded COUNT are accepted, so
expanding a rule can never run away.
"""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
MAX_COUNT = 366


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _parts(rule: str) -> dict[str, str]:
    parts = {}
    for chunk in rule.strip().upper().removeprefix("RRULE:").split(";"):
        key, sep, value = chunk.partition("=")
        if not sep or not key or not value:
            raise ValidationError(
                _("%(part)r is not a KEY=VALUE part of a rule.") % {"part": chunk}
            )
        parts[key] = value
    return parts


def validate_rule(rule: str) -> None:
    """Raise ValidationError unless `rule` is an RRULE this platform can expand safely."""
    if not rule:
        return
    parts = _parts(rule)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise ValidationError(_("FREQ must be one of DAILY, WEEKLY, MONTHLY or YEARLY."))
    count = parts.get("COUNT")
    if count is not None and (not count.isdigit() or not 1 <= int(count) <= MAX_COUNT):
        raise ValidationError(
            _("COUNT must be a whole number from 1 to %(max)d.") % {"max": MAX_COUNT}
        )
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= 52:
        raise ValidationError(_("INTERVAL must be a whole number from 1 to 52."))
    try:
        _rule(datetime(2026, 1, 1, tzinfo=local_tz()), rule)
    except (ValueError, TypeError):
        raise ValidationError(_("This is not a valid iCalendar RRULE.")) from None


def _rule(starts_at: datetime, rule: str):
    dtstart = starts_at.astimezone(local_tz())
    text = rule.strip().removeprefix("RRULE:")
    return rrulestr(text, dtstart=dtstart, forceset=False, ignoretz=False, cache=False)


def series_end(*, starts_at: datetime, ends_at: datetime, rule: str) -> datetime | None:
    """End of the last occurrence; None for an open-ended rule."""
    if not rule:
        return ends_at
    duration = ends_at - starts_at
    parsed = _rule(starts_at, rule)
    parts = _parts(rule)
    if "COUNT" not in parts and "UNTIL" not in parts:
        return None
    starts = list(islice(parsed, MAX_COUNT + 1))
    if len(starts) > MAX_COUNT:
        return None  # an UNTIL far away: treat as open-ended rather than expand it
    return (starts[-1] + duration) if starts else ends_at


def next_occurrence(*, starts_at: datetime, ends_at: datetime, rule: str, after: datetime):
    """(start, end) of the first occurrence still running at `after`, or None."""
    duration = ends_at - starts_at
    if not rule:
        return (starts_at, ends_at) if ends_at >= after else None
    start = _rule(starts_at, rule).after(after - duration, inc=True)
    return (start, start + duration) if start else None


def occurrences(
    *,
    starts_at: datetime,
    ends_at: datetime,
    rule: str,
    since: datetime,
    until: datetime,
    limit: int = 50,
):
    """Occurrences overlapping [since, until), at most `limit`."""
    duration = ends_at - starts_at
    if not rule:
        return [(starts_at, ends_at)] if starts_at < until and ends_at >= since else []
    found = []
    for start in _rule(starts_at, rule).xafter(since - duration, inc=True):
        if start >= until or len(found) >= limit:
            break
        found.append((start, start + duration))
    return found
