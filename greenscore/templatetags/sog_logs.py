"""{{ log|log_label }}: a readable one-line name for any village log."""
from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def log_label(log) -> str:
    name = type(log).__name__
    if name == "GuestStay":
        return _("%(homestay)s · %(guests)d guests · %(nights)d nights · %(date)s") % {
            "homestay": log.homestay, "guests": log.guests_domestic + log.guests_foreign,
            "nights": log.nights, "date": log.date.isoformat()}
    if name == "EventReport":
        return _("%(title)s · audience %(audience)d · %(date)s") % {
            "title": log.event or log.title, "audience": log.audience, "date": log.date.isoformat()}
    return str(log)
