"""Reporting periods: parsing, boundaries, year fractions and trends (no database)."""

from datetime import date

import pytest

from greenscore.scorecard.periods import Period, periods_between, trend


def test_year():
    p = Period.parse("2026")
    assert (p.kind, p.label) == ("year", "2026")
    assert (p.start, p.end) == (date(2026, 1, 1), date(2027, 1, 1))
    assert p.year_fraction == 1.0  # 365 / 365


def test_quarter():
    p = Period.parse("2026-Q2")
    assert p.kind == "quarter"
    assert (p.start, p.end) == (date(2026, 4, 1), date(2026, 7, 1))
    assert p.days == 91  # April 30 + May 31 + June 30
    assert p.year_fraction == pytest.approx(91 / 365)  # 0.24931...
    assert str(p) == p.label == "2026-Q2"


def test_fourth_quarter_ends_on_new_year():
    p = Period.parse("2026-Q4")
    assert (p.start, p.end) == (date(2026, 10, 1), date(2027, 1, 1))
    assert p.days == 92  # Oct 31 + Nov 30 + Dec 31


def test_month():
    p = Period.parse("2026-05")
    assert (p.kind, p.label) == ("month", "2026-05")
    assert (p.start, p.end) == (date(2026, 5, 1), date(2026, 6, 1))
    assert p.year_fraction == pytest.approx(31 / 365)  # May has 31 days, 2026 has 365


def test_december_and_leap_february():
    assert Period.parse("2026-12").end == date(2027, 1, 1)
    feb = Period.parse("2028-02")
    assert feb.days == 29
    assert feb.year_fraction == pytest.approx(29 / 366)  # 2028 is a leap year


def test_quarters_add_up_to_the_year():
    assert sum(Period.parse(f"2026-Q{q}").year_fraction for q in range(1, 5)) == pytest.approx(1.0)
    assert sum(Period("month", 2028, m).year_fraction for m in range(1, 13)) == pytest.approx(1.0)


def test_parse_is_lenient_only_about_case_and_spaces():
    assert Period.parse(" 2026-q3 ").label == "2026-Q3"


@pytest.mark.parametrize(
    "text", ["2026", "2026-Q1", "2026-Q4", "2026-01", "2026-12", "2000", "2100"]
)
def test_label_round_trips(text):
    assert Period.parse(text).label == text
    assert Period.parse(Period.parse(text).label) == Period.parse(text)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-Q5", "quarter must be Q1"),
        ("2026-Q0", "quarter must be Q1"),
        ("2026-13", "month must be between 01 and 12"),
        ("2026-00", "month must be between 01 and 12"),
        ("26", "not a period"),
        ("2026-5", "not a period"),
        ("", "empty"),
        ("   ", "empty"),
        ("1999", "between 2000 and 2100"),
        ("2101-Q1", "between 2000 and 2100"),
        ("2026-Q", "not a period"),
        ("2026/05", "not a period"),
        ("2026-W05", "not a period"),
        ("twenty", "not a period"),
    ],
)
def test_invalid_text_is_rejected_with_a_message(text, message):
    with pytest.raises(ValueError, match=message):
        Period.parse(text)


def test_non_text_is_rejected():
    with pytest.raises(ValueError, match="must be text"):
        Period.parse(2026)  # type: ignore[arg-type]


def test_direct_construction_is_validated():
    with pytest.raises(ValueError):
        Period("quarter", 2026, 5)
    with pytest.raises(ValueError):
        Period("week", 2026, 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, previous",
    [
        ("2026", "2025"),
        ("2026-Q2", "2026-Q1"),
        ("2026-Q1", "2025-Q4"),
        ("2026-05", "2026-04"),
        ("2026-01", "2025-12"),
    ],
)
def test_previous(text, previous):
    assert Period.parse(text).previous() == Period.parse(previous)


def test_previous_before_2000_is_an_error():
    with pytest.raises(ValueError, match="2000"):
        Period.parse("2000-01").previous()


def test_trend_is_oldest_first_and_crosses_years():
    labels = [p.label for p in trend(Period.parse("2026-Q2"), 4)]
    assert labels == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert trend(Period.parse("2026"), 1) == [Period.parse("2026")]
    with pytest.raises(ValueError):
        trend(Period.parse("2026"), 0)


def test_periods_between():
    months = periods_between(Period.parse("2025-11"), Period.parse("2026-02"))
    assert [m.label for m in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    with pytest.raises(ValueError, match="comes after"):
        periods_between(Period.parse("2026-02"), Period.parse("2025-11"))
    with pytest.raises(ValueError, match="between a quarter and a month"):
        periods_between(Period.parse("2026-Q1"), Period.parse("2026-02"))


def test_contains_uses_exclusive_end():
    q2 = Period.parse("2026-Q2")
    assert q2.contains(date(2026, 4, 1)) and q2.contains(date(2026, 6, 30))
    assert not q2.contains(date(2026, 7, 1))
