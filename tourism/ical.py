"""Events as an iCalendar feed (RFC 5545), written by hand: it is a small text format.

Times are given in Asia/Jayapura with a VTIMEZONE, so a weekly rule such as
BYDAY=SA means Saturday in Ambon, whatever the reader's own time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .recurrence import local_tz

TZID = "Asia/Jayapura"
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:WIT",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _local(value: datetime) -> str:
    return value.astimezone(local_tz()).strftime("%Y%m%dT%H%M%S")


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*, name: str, events, host: str, url_for) -> str:
    """A VCALENDAR with one VEVENT per event; url_for(event) gives its absolute page URL."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ambon Music Office//Sound of Green//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for event in events:
        attraction = event.attraction if event.attraction and event.attraction.published else None
        place = ", ".join(
            p for p in [attraction.name if attraction else "", event.village.name] if p
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.slug}@{host}",
            f"DTSTAMP:{_utc(event.updated_at)}",
            f"DTSTART;TZID={TZID}:{_local(event.starts_at)}",
            f"DTEND;TZID={TZID}:{_local(event.ends_at)}",
            f"SUMMARY:{escape(event.text('title'))}",
        ]
        if event.recurrence:
            lines.append(f"RRULE:{event.recurrence.strip().removeprefix('RRULE:')}")
        if event.text("description"):
            lines.append(f"DESCRIPTION:{escape(event.text('description'))}")
        lines.append(f"LOCATION:{escape(place)}")
        point = event.place if getattr(event, "place", None) else None
        if point is not None:
            lines.append(f"GEO:{point.y:.6f};{point.x:.6f}")
        lines += [f"URL:{url_for(event)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
