"""{% recordings_for village=... %} / attraction=...: the public recordings of a place,
with players (templates/recordings/_players.html, static/js/sound-player.js)."""

from django import template
from django.utils.dateparse import parse_datetime

from .. import selectors

register = template.Library()


@register.inclusion_tag("recordings/_players.html")
def recordings_for(village=None, attraction=None, event=None, heading=True):
    filters = {
        k: v
        for k, v in {"village": village, "attraction": attraction, "event": event}.items()
        if v is not None
    }
    rows = selectors.for_page(**filters) if filters else []
    for row in rows:
        row["recorded"] = parse_datetime(row["recorded_at"]) if row["recorded_at"] else None
        row["minutes"] = f"{int(row['duration_s'] // 60)}:{int(row['duration_s'] % 60):02d}"
    return {"recordings": rows, "heading": heading}
