"""{{ log|log_label }}: a readable one-line name for any village log."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def log_label(log) -> str:
    name = type(log).__name__
    if name == "GuestStay":
        return _("%(homestay)s · %(guests)d guests · %(nights)d nights · %(date)s") % {
            "homestay": log.homestay,
            "guests": log.guests_domestic + log.guests_foreign,
            "nights": log.nights,
            "date": log.date.isoformat(),
        }
    if name == "EventReport":
        return _("%(title)s · audience %(audience)d · %(date)s") % {
            "title": log.event or log.title,
            "audience": log.audience,
            "date": log.date.isoformat(),
        }
    return str(log)


SKIP = {
    "id",
    "client_uuid",
    "geometry",
    "status",
    "rejection_reason",
    "reviewed_by",
    "reviewed_at",
    "author",
    "created_at",
    "updated_at",
}


@register.simple_tag
def log_facts(log) -> list[tuple[str, object]]:
    """(label, value) pairs of a log for people: choice labels, names, no internal ids."""
    facts = []
    for field in log._meta.concrete_fields:
        if field.name in SKIP:
            continue
        value = getattr(log, field.name)
        if field.choices:
            value = getattr(log, f"get_{field.name}_display")()
        if value in (None, ""):
            continue
        if field.name == "area_m2":
            value = f"{value:,.0f}"
        facts.append((str(field.verbose_name).capitalize(), value))
    if hasattr(log, "species_counts"):
        names = ", ".join(
            f"{sc.species.local_name} ({sc.species.scientific_name}) × {sc.count}"
            for sc in log.species_counts.all()
        )
        if names:
            facts.append((_("Species"), names))
    return facts


@register.filter
def audit_summary(entry) -> str:
    """What an audit entry changed, short: "quantity: 40.00 → 41.00; place changed"."""
    if entry.action in ("create", "delete"):
        return ""
    parts = []
    for field, change in sorted(entry.changes.items()):
        old, new = change if isinstance(change, list) and len(change) == 2 else (None, change)
        if field == "geometry":
            parts.append(_("place changed"))
        elif field == "photos":
            parts.append(_("photo added"))
        else:
            parts.append(
                f"{field}: {old if old not in (None, '') else '—'} → {new if new not in (None, '') else '—'}"
            )
    return "; ".join(parts)
