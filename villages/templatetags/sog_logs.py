"""Template tags of the log pages (coordinator, review): `{{ log|log_label }}` (a readable
one-line name, the kind's `describe`), `{% log_facts log %}`, `{{ entry|audit_summary }}`."""

from django import template
from django.db.models import FloatField
from django.utils.translation import gettext as _

from villages.logs import kinds

register = template.Library()


@register.filter
def log_label(log) -> str:
    kind = kinds.for_model(type(log))
    return kind.describe(log) if kind else str(log)


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
        if isinstance(field, FloatField):  # a measure (an area in m²): whole units
            value = f"{value:,.0f}"
        facts.append((str(field.verbose_name).capitalize(), value))
    kind = kinds.for_model(type(log))
    if kind is not None:
        facts += kind.extra_facts(log)
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
