"""Reporting periods of the impact scorecard: a year, a quarter or a month.

Pure Python (no Django), so the scoring core can be imported and tested without settings.
Text forms: ``2026`` (year), ``2026-Q2`` (quarter), ``2026-05`` (month).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PeriodKind = Literal["year", "quarter", "month"]

MIN_YEAR = 2000
MAX_YEAR = 2100

# Anchored and strict on purpose: "2026-5" or "26" are rejected rather than guessed at,
# because a mistyped period silently scoring the wrong months is worse than an error.
_YEAR_RE = re.compile(r"^(\d{4})$")
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq](\d)$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")

_EXPECTED = "expected YYYY, YYYY-Qn or YYYY-MM, e.g. 2026, 2026-Q2 or 2026-05"


def _days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; ``number`` is the quarter (1-4) or month (1-12), 0 for a year."""

    kind: PeriodKind
    year: int
    number: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("year", "quarter", "month"):
            raise ValueError(f"Unknown period kind {self.kind!r}: use year, quarter or month.")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"Year {self.year} is outside the supported {MIN_YEAR}..{MAX_YEAR}.")
        limits = {"year": (0, 0), "quarter": (1, 4), "month": (1, 12)}
        low, high = limits[self.kind]
        if not low <= self.number <= high:
            raise ValueError(
                f"A {self.kind} number must be between {low} and {high}, not {self.number}."
            )

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2026``, ``2026-Q2`` or ``2026-05``; raise ValueError with a readable message."""
        if not isinstance(text, str):
            raise ValueError(f"A period must be text ({_EXPECTED}), not {type(text).__name__}.")
        raw = text.strip()
        if not raw:
            raise ValueError(f"The period is empty; {_EXPECTED}.")
        if m := _YEAR_RE.match(raw):
            return cls("year", _checked_year(m.group(1), raw))
        if m := _QUARTER_RE.match(raw):
            year, quarter = _checked_year(m.group(1), raw), int(m.group(2))
            if not 1 <= quarter <= 4:
                raise ValueError(f"{raw!r}: a quarter must be Q1, Q2, Q3 or Q4.")
            return cls("quarter", year, quarter)
        if m := _MONTH_RE.match(raw):
            year, month = _checked_year(m.group(1), raw), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(f"{raw!r}: a month must be between 01 and 12.")
            return cls("month", year, month)
        raise ValueError(f"{raw!r} is not a period: {_EXPECTED}.")

    @property
    def start(self) -> date:
        """First day of the period (inclusive)."""
        if self.kind == "year":
            return date(self.year, 1, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * (self.number - 1) + 1, 1)
        return date(self.year, self.number, 1)

    @property
    def end(self) -> date:
        """First day after the period (exclusive), so ``start <= d < end``."""
        if self.kind == "year":
            return date(self.year + 1, 1, 1)
        last_month = 3 * self.number if self.kind == "quarter" else self.number
        if last_month == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, last_month + 1, 1)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def year_fraction(self) -> float:
        """Share of its calendar year: days in period / days in that year (a year gives 1.0)."""
        return self.days / _days_in_year(self.year)

    @property
    def label(self) -> str:
        """Canonical text form, which ``parse`` reads back."""
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}-{self.number:02d}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls inside the period."""
        return self.start <= day < self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one (ValueError before 2000)."""
        if self.kind == "year":
            return Period("year", self.year - 1)
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, 4 if self.kind == "quarter" else 12)

    def next(self) -> Period:
        """The period of the same kind just after this one (ValueError after 2100)."""
        if self.kind == "year":
            return Period("year", self.year + 1)
        last = 4 if self.kind == "quarter" else 12
        if self.number < last:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)


def _checked_year(digits: str, raw: str) -> int:
    year = int(digits)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{raw!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}.")
    return year


def periods_between(first: Period, last: Period) -> list[Period]:
    """All periods from ``first`` to ``last`` inclusive, oldest first (same kind required)."""
    if first.kind != last.kind:
        raise ValueError(f"Cannot list periods between a {first.kind} and a {last.kind}.")
    if last < first:
        raise ValueError(f"{first} comes after {last}.")
    out = [first]
    while out[-1] != last:
        out.append(out[-1].next())
    return out


def trend(period: Period, n: int) -> list[Period]:
    """The last ``n`` periods of the same kind ending at ``period``, oldest first."""
    if n < 1:
        raise ValueError(f"A trend needs at least one period, not {n}.")
    out = [period]
    for _ in range(n - 1):
        out.append(out[-1].previous())
    out.reverse()
    return out
