"""Tourism's log kinds, guest stays and event reports (villages.logs.kinds derives their
API, coordinator pages, review queue, CSV export and audit trail from these lines).

Their rules across fields are tourism/services_logs.py.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from villages.logs.kinds import LogKind, register

from . import services_logs
from .models import EventReport, GuestStay


class GuestStayKind(LogKind):
    def validate(self, *, data):
        services_logs.validate_guest_stay(data=data)

    def describe(self, log) -> str:
        return _("%(homestay)s · %(guests)d guests · %(nights)d nights · %(date)s") % {
            "homestay": log.homestay,
            "guests": log.guests_domestic + log.guests_foreign,
            "nights": log.nights,
            "date": log.date.isoformat(),
        }

    def expected_in(self, villages):
        # A guest stay can only be missing where there is a homestay to stay in.
        return services_logs.village_ids_with_homestays(villages=villages)


class EventReportKind(LogKind):
    def validate(self, *, data):
        services_logs.validate_event_report(data=data)

    def describe(self, log) -> str:
        return _("%(title)s · audience %(audience)d · %(date)s") % {
            "title": log.event or log.title,
            "audience": log.audience,
            "date": log.date.isoformat(),
        }


GUEST_STAYS = register(
    GuestStayKind(
        slug="guest-stays",
        model=GuestStay,
        fields=("homestay", "date", "nights", "guests_domestic", "guests_foreign", "revenue_idr"),
        label=_lazy("Guest stays"),
        label_one=_lazy("guest stay"),
        order=20,
        labels={"date": _lazy("Arrival date")},
        csv_refs={"homestay": "name"},
        select_related=("homestay",),
    )
)
EVENT_REPORTS = register(
    EventReportKind(
        slug="event-reports",
        model=EventReport,
        fields=(
            "kind",
            "event",
            "title",
            "date",
            "audience",
            "local_performers_paid",
            "participants_youth",
            "participants_women",
            "revenue_idr",
        ),
        label=_lazy("Event reports"),
        label_one=_lazy("event report"),
        order=30,
        labels={
            "kind": _lazy("What took place"),
            "event": _lazy("Listed event"),
            "title": _lazy("Title (when not a listed event)"),
        },
        choice_ordering={"event": "-starts_at"},
        select_related=("event",),
    )
)
