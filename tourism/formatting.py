"""Money and time as visitors in Ambon read them."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from .recurrence import local_tz


def idr(value) -> str:
    """Rupiah the Indonesian way: "Rp 150.000" (dots group thousands); 0 is free; None is ''."""
    if value is None or value == "":
        return ""
    amount = int(value)
    if amount == 0:
        return _("Free")
    return "Rp " + f"{amount:,}".replace(",", ".")


def wit(value: datetime) -> datetime:
    """The same instant in Asia/Jayapura (WIT, UTC+9)."""
    return value.astimezone(local_tz())
