"""{% load sog_i18n %}: content in the reader's language (see villages.i18n)."""

from __future__ import annotations

from django import template

from villages.i18n import localized

register = template.Library()


@register.filter
def bilingual(obj, base: str) -> str:
    """{{ event|bilingual:"title" }}: `title_id`/`title_en` in the active language, else the other."""
    return localized(obj, base)
