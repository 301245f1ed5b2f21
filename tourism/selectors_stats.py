"""Totals of verified tourism logs per village, for the impact scorecard.

greenscore reads tourism through these selectors only (see docs/architecture.md). Each
function is one grouped query: rows come back per village, summed by the database.
A village with no verified log of a family in the window is absent from the result, so
the caller can tell "nothing logged" (missing) from "logged, and the sum is zero".
``village_ids=None`` means every village (no filter): the cost is then a pass over the
window's logs, whatever the number of villages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Sum

from villages.logs.models import LogStatus

from .models import EventReport, GuestStay, Homestay


def _villages(qs, village_ids: Iterable[int] | None):
    return qs if village_ids is None else qs.filter(village_id__in=list(village_ids))


def _window(qs, *, village_ids: Iterable[int] | None, start: date, end: date):
    # end is exclusive, like greenscore.periods.Period.end
    return _villages(
        qs.filter(status=LogStatus.VERIFIED, date__gte=start, date__lt=end), village_ids
    )


def guest_stay_totals(
    *, village_ids: Iterable[int] | None, start: date, end: date
) -> dict[int, dict]:
    """Per village: verified stays, guests, guest nights (nights x guests) and revenue (IDR).

    A stay counts in the window of its date (arrival), all its nights included.
    """
    guests = F("guests_domestic") + F("guests_foreign")
    rows = (
        _window(GuestStay.objects, village_ids=village_ids, start=start, end=end)
        .order_by()
        .values("village_id")
        .annotate(
            stays=Count("id"),
            guests=Sum(guests),
            guest_nights=Sum(F("nights") * guests),
            revenue_idr=Sum("revenue_idr"),
        )
    )
    return {row.pop("village_id"): row for row in rows}


def homestay_beds(*, village_ids: Iterable[int] | None) -> dict[int, int]:
    """Per village: beds in its homestays (all homestays, published or not)."""
    rows = (
        _villages(Homestay.objects.all(), village_ids)
        .order_by()
        .values("village_id")
        .annotate(beds=Sum("beds"))
    )
    return {row["village_id"]: row["beds"] or 0 for row in rows}


def event_report_totals(
    *, village_ids: Iterable[int] | None, start: date, end: date
) -> dict[int, dict]:
    """Per village: verified event reports, audience, local performers paid, youth and
    women participants, and revenue (IDR)."""
    rows = (
        _window(EventReport.objects, village_ids=village_ids, start=start, end=end)
        .order_by()
        .values("village_id")
        .annotate(
            reports=Count("id"),
            audience=Sum("audience"),
            local_performers_paid=Sum("local_performers_paid"),
            participants_youth=Sum("participants_youth"),
            participants_women=Sum("participants_women"),
            revenue_idr=Sum("revenue_idr"),
        )
    )
    return {row.pop("village_id"): row for row in rows}
