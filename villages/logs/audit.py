"""The audit trail of village logs: who created, edited, deleted or reviewed what, and when.

Services call `record()` inside the same transaction as the change, so an
entry exists exactly when the change does. Entries are never edited: the
admin shows them read-only and no page or API writes them.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry

from villages.models import AuditEntry


def jsonable(value):
    """A value as plain JSON: geometry as GeoJSON text (WKT is ambiguous about axes), dates ISO."""
    if isinstance(value, GEOSGeometry):
        return value.json
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "pk"):
        return value.pk
    return value


def diff(before: Mapping, after: Mapping) -> dict:
    """{field: [old, new]} for the fields whose JSON form differs."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def record(*, actor, action: str, obj, changes: Mapping | None = None) -> AuditEntry:
    """Append one entry about `obj` (a saved log, or one just deleted: pass it before its pk is lost)."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        village_id=getattr(obj, "village_id", None),
        changes=jsonable(dict(changes or {})),
    )


def entries_for(obj):
    """The audit entries of one record, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    )
