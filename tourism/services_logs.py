"""Writes for guest stays and event reports: rules, create (once per client UUID), edit, delete.

Pages and the API both come through here; villages.logs does the shared part
(retries, audit trail, review).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from villages import logs

from .models import EventReport, GuestStay

PROGRAMME_START = datetime.date(2020, 1, 1)

GUEST_STAY_FIELDS = (
    "village",
    "date",
    "homestay",
    "nights",
    "guests_domestic",
    "guests_foreign",
    "revenue_idr",
    "notes",
)
GUEST_STAY_DEFAULTS = {"guests_domestic": 0, "guests_foreign": 0, "revenue_idr": 0, "notes": ""}
EVENT_REPORT_FIELDS = (
    "village",
    "date",
    "kind",
    "event",
    "title",
    "audience",
    "local_performers_paid",
    "participants_youth",
    "participants_women",
    "revenue_idr",
    "notes",
)
EVENT_REPORT_DEFAULTS = {
    "kind": "event",
    "event": None,
    "title": "",
    "audience": 0,
    "local_performers_paid": 0,
    "participants_youth": 0,
    "participants_women": 0,
    "revenue_idr": 0,
    "notes": "",
}


def _content(obj_or_data, fields) -> dict:
    get = obj_or_data.get if isinstance(obj_or_data, dict) else lambda f: getattr(obj_or_data, f)
    content = {}
    for field in fields:
        value = get(field)
        content[field] = value.pk if hasattr(value, "pk") else value
    return content


def guest_stay_content(stay) -> dict:
    return _content(stay, GUEST_STAY_FIELDS)


def event_report_content(report) -> dict:
    return _content(report, EVENT_REPORT_FIELDS)


def _check_date(errors: dict, day) -> None:
    if day > timezone.localdate():
        errors.setdefault("date", []).append(
            _("The date %(date)s is in the future.") % {"date": day.isoformat()}
        )
    elif day < PROGRAMME_START:
        errors.setdefault("date", []).append(
            _("The date is before the programme began (%(start)s).")
            % {"start": PROGRAMME_START.isoformat()}
        )


def validate_guest_stay(*, data: dict) -> None:
    errors: dict[str, list] = {}
    _check_date(errors, data["date"])
    if data["homestay"].village_id != data["village"].pk:
        errors.setdefault("homestay", []).append(
            _("%(homestay)s is not in %(village)s.")
            % {"homestay": data["homestay"].name, "village": data["village"].name}
        )
    if not 1 <= data["nights"] <= 365:
        errors.setdefault("nights", []).append(_("Nights must be between 1 and 365."))
    if data["guests_domestic"] + data["guests_foreign"] < 1:
        errors.setdefault("guests_domestic", []).append(
            _("A stay has at least one guest, from Indonesia or from abroad.")
        )
    if errors:
        raise ValidationError(errors)


def validate_event_report(*, data: dict) -> None:
    errors: dict[str, list] = {}
    _check_date(errors, data["date"])
    event = data.get("event")
    if event is not None and event.village_id != data["village"].pk:
        errors.setdefault("event", []).append(
            _("This event is not in %(village)s.") % {"village": data["village"].name}
        )
    if event is None and not (data.get("title") or "").strip():
        errors.setdefault("title", []).append(_("Choose a listed event or give a title."))
    if data["kind"] == "event" and event is None:
        errors.setdefault("event", []).append(
            _("Choose the listed event, or pick ad-hoc performance or workshop.")
        )
    if errors:
        raise ValidationError(errors)


def _create(*, model, fields, defaults, validate, content, author, data):
    logs.check_filing(user=author, village=data["village"])
    full = {**defaults, **data}
    validate(data=full)

    def create():
        return model.objects.create(
            client_uuid=data["client_uuid"], author=author, **{f: full[f] for f in fields}
        )

    return logs.create_once(
        model=model,
        client_uuid=data["client_uuid"],
        author=author,
        content=_content(full, fields),
        stored_content=content,
        create=create,
    )


def _update(*, user, log, fields, validate, content, data):
    logs.check_can_edit(user=user, log=log)
    if "village" in data and data["village"].pk != log.village_id:
        logs.check_filing(user=user, village=data["village"])
    merged = {f: getattr(log, f) for f in fields}
    merged.update({k: v for k, v in data.items() if k in fields})
    validate(data=merged)
    before = content(log)

    def apply():
        for field in fields:
            setattr(log, field, merged[field])

    return logs.update_log(user=user, log=log, before=before, apply=apply, stored_content=content)


def guest_stay_create(*, author, data: dict):
    return _create(
        model=GuestStay,
        fields=GUEST_STAY_FIELDS,
        defaults=GUEST_STAY_DEFAULTS,
        validate=validate_guest_stay,
        content=guest_stay_content,
        author=author,
        data=data,
    )


def guest_stay_update(*, user, stay: GuestStay, data: dict):
    return _update(
        user=user,
        log=stay,
        fields=GUEST_STAY_FIELDS,
        validate=validate_guest_stay,
        content=guest_stay_content,
        data=data,
    )


def guest_stay_delete(*, user, stay: GuestStay) -> None:
    logs.delete_log(user=user, log=stay, stored_content=guest_stay_content)


def event_report_create(*, author, data: dict):
    return _create(
        model=EventReport,
        fields=EVENT_REPORT_FIELDS,
        defaults=EVENT_REPORT_DEFAULTS,
        validate=validate_event_report,
        content=event_report_content,
        author=author,
        data=data,
    )


def event_report_update(*, user, report: EventReport, data: dict):
    return _update(
        user=user,
        log=report,
        fields=EVENT_REPORT_FIELDS,
        validate=validate_event_report,
        content=event_report_content,
        data=data,
    )


def event_report_delete(*, user, report: EventReport) -> None:
    logs.delete_log(user=user, log=report, stored_content=event_report_content)
