"""The rules of guest stays and event reports (their kinds: tourism/logkinds.py).

villages.logs does the shared part (who may file, the date rule, retries, audit trail,
review) and calls these through the kinds' `validate`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Homestay


def validate_guest_stay(*, data: dict) -> None:
    errors: dict[str, list] = {}
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


def village_ids_with_homestays(*, villages) -> set[int]:
    """Which of these villages have a homestay (where a guest stay can be logged)."""
    return set(Homestay.objects.filter(village__in=villages).values_list("village_id", flat=True))
