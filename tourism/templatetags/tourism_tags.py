"""Template helpers for tourism pages: rupiah, WIT times, contact links, a village's offer."""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils import formats, timezone

from .. import formatting, selectors
from ..recurrence import next_occurrence

register = template.Library()


@register.filter
def idr(value) -> str:
    """{{ price|idr }} -> "Rp 150.000", "Free" for 0, "" when unknown."""
    return formatting.idr(value)


@register.filter
def wit(value, fmt: str = "DATETIME_FORMAT") -> str:
    """{{ event.starts_at|wit }}: the date and time in Asia/Jayapura, suffixed WIT."""
    if not value:
        return ""
    local = formatting.wit(value)
    return f"{formats.date_format(local, fmt)} WIT"


@register.filter
def wa_digits(phone: str) -> str:
    """A phone number as wa.me wants it: digits only, Indonesian 0 prefix turned into 62."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


@register.filter
def tel(phone: str) -> str:
    """A tel: URI body: + and digits only."""
    phone = (phone or "").strip()
    return ("+" if phone.startswith("+") else "") + re.sub(r"\D", "", phone)


@register.inclusion_tag("tourism/_village_offer.html", takes_context=True)
def village_offer(context, village):
    """{% village_offer village %}: attractions, homestays, trails and upcoming events of a village."""
    offer = selectors.village_offer(village=village)
    query = f"?village={village.slug}"
    urls = {
        name: reverse(f"api-{name[:-1]}-list") + query
        for name in ("attractions", "homestays", "trails")
        if offer[name]
    }
    return {
        "village": village,
        "request": context.get("request"),
        "offer_config": {"urls": urls},
        **offer,
    }


@register.filter
def next_start(event):
    """When a (possibly recurring) event next starts; its first start if it has no later one."""
    if getattr(event, "next_starts_at", None):
        return event.next_starts_at  # set by selectors.upcoming_events
    upcoming = next_occurrence(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        rule=event.recurrence,
        after=timezone.now(),
    )
    return upcoming[0] if upcoming else event.starts_at


@register.filter
def metres(value) -> str:
    """{{ trail.length_m|metres }}, {{ place.distance_m|metres }}: "350 m", "1,2 km" (localised)."""
    if value is None or value == "":
        return ""
    m = float(getattr(value, "m", value))
    if m < 1000:
        return f"{round(m)} m"
    return f"{formats.number_format(round(m / 1000, 1), 1, use_l10n=True)} km"
