"""Reads of guest stays and event reports, scoped by villages.roles (greenscore reads these too)."""

from __future__ import annotations

from villages import roles

from .models import EventReport, GuestStay


def guest_stay_list(*, user):
    """Guest stays the user may see (filters: villages.log_filters.LogFilterSet)."""
    return roles.logs_visible_to(
        user, GuestStay.objects.select_related("village", "homestay", "author")
    )


def event_report_list(*, user):
    """Event reports the user may see (filters: villages.log_filters.LogFilterSet)."""
    return roles.logs_visible_to(
        user, EventReport.objects.select_related("village", "event", "author")
    )


def guest_stay_review_queue():
    return (
        GuestStay.objects.filter(status="submitted")
        .select_related("village", "homestay", "author")
        .order_by("date", "id")
    )


def event_report_review_queue():
    return (
        EventReport.objects.filter(status="submitted")
        .select_related("village", "event", "author")
        .order_by("date", "id")
    )


def village_ids_with_homestays(*, villages) -> set[int]:
    """Which of these villages have a homestay (where a guest stay can be logged)."""
    from .models import Homestay

    return set(Homestay.objects.filter(village__in=villages).values_list("village_id", flat=True))
