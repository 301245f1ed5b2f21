"""The three kinds of village log as the coordinator and review pages see them.

One entry per kind binds its model, form, reads, writes and CSV columns, so
the pages are written once for all three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tourism import selectors_logs, services_logs
from tourism.models import EventReport, GuestStay
from villages.log_filters import LogFilterSet

from . import forms, selectors_actions, services_actions
from .models import ConservationAction


@dataclass(frozen=True)
class LogType:
    slug: str
    label: str
    label_one: str
    model: type
    form: type
    list_for: Callable  # (user) -> queryset of the logs the user may see
    filterset: type  # the list's filters (villages.log_filters), as on the API
    queue: Callable  # () -> queryset of submitted logs
    create: Callable  # (author, data) -> (log, created)
    update: Callable  # (user, log, data) -> log
    delete: Callable  # (user, log) -> None
    content: Callable  # (log) -> dict, for audit and retries
    csv_fields: tuple


ACTIONS = LogType(
    slug="actions",
    label=_("Conservation actions"),
    label_one=_("conservation action"),
    model=ConservationAction,
    form=forms.ActionForm,
    list_for=lambda user: selectors_actions.action_list(user=user),
    filterset=selectors_actions.ActionFilterSet,
    queue=selectors_actions.review_queue,
    create=lambda author, data: services_actions.action_create(author=author, data=data),
    update=lambda user, log, data: services_actions.action_update(user=user, action=log, data=data),
    delete=lambda user, log: services_actions.action_delete(user=user, action=log),
    content=services_actions.stored_content,
    csv_fields=(
        "kind",
        "quantity",
        "unit",
        "area_m2",
        "participants_total",
        "participants_women",
        "participants_youth",
        "participants_visitors",
        "volunteer_hours",
    ),
)
GUEST_STAYS = LogType(
    slug="guest-stays",
    label=_("Guest stays"),
    label_one=_("guest stay"),
    model=GuestStay,
    form=forms.GuestStayForm,
    list_for=lambda user: selectors_logs.guest_stay_list(user=user),
    filterset=LogFilterSet,
    queue=selectors_logs.guest_stay_review_queue,
    create=lambda author, data: services_logs.guest_stay_create(author=author, data=data),
    update=lambda user, log, data: services_logs.guest_stay_update(user=user, stay=log, data=data),
    delete=lambda user, log: services_logs.guest_stay_delete(user=user, stay=log),
    content=services_logs.guest_stay_content,
    csv_fields=("homestay__name", "nights", "guests_domestic", "guests_foreign", "revenue_idr"),
)
EVENT_REPORTS = LogType(
    slug="event-reports",
    label=_("Event reports"),
    label_one=_("event report"),
    model=EventReport,
    form=forms.EventReportForm,
    list_for=lambda user: selectors_logs.event_report_list(user=user),
    filterset=LogFilterSet,
    queue=selectors_logs.event_report_review_queue,
    create=lambda author, data: services_logs.event_report_create(author=author, data=data),
    update=lambda user, log, data: services_logs.event_report_update(
        user=user, report=log, data=data
    ),
    delete=lambda user, log: services_logs.event_report_delete(user=user, report=log),
    content=services_logs.event_report_content,
    csv_fields=(
        "kind",
        "event__slug",
        "title",
        "audience",
        "local_performers_paid",
        "participants_youth",
        "participants_women",
        "revenue_idr",
    ),
)
LOG_TYPES = {t.slug: t for t in (ACTIONS, GUEST_STAYS, EVENT_REPORTS)}


def log_type(slug: str) -> LogType:
    try:
        return LOG_TYPES[slug]
    except KeyError:
        raise Http404(_("No such kind of log.")) from None
