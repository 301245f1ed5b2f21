"""Content in two languages: the one rule for paired `<base>_id` / `<base>_en` fields.

Places, events, instruments, photos and indicators keep their own words in both
site languages side by side (`name_id`/`name_en`, `description_id`/`description_en`,
`title_*`, `caption_*`, `definition_*`). A reader gets the active language's text,
or the other language's when that one is empty. Everything that shows such a
pair asks here:

- models: `description = BilingualField("description")` (or `localized(self, "name")`);
- row builders (GeoJSON from `values_list`): `choose(text_id, text_en)` or
  `localized(row_dict, "title")`;
- templates: `{% load sog_i18n %}{{ place|bilingual:"description" }}`.

Nothing here changes what is stored: it only picks which of the two to show.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language

DEFAULT = "id"  # settings.LANGUAGE_CODE: Bahasa Indonesia first
OTHER = {"id": "en", "en": "id"}


def content_language(language: str | None = None) -> str:
    """ "en" or "id": the content language for a Django language code (the active one if None)."""
    code = (language or get_language() or DEFAULT).lower()
    return "en" if code.startswith("en") else "id"


def choose(text_id: str | None, text_en: str | None, *, language: str | None = None) -> str:
    """The text in `language` (default: the active one), else the other language's, else ""."""
    texts = {"id": text_id, "en": text_en}
    wanted = content_language(language)
    return texts[wanted] or texts[OTHER[wanted]] or ""


def localized(source, base: str, *, language: str | None = None) -> str:
    """`<base>_id` / `<base>_en` of a model instance (attributes) or a row (mapping), by `choose`."""
    if isinstance(source, Mapping):
        text_id, text_en = source.get(f"{base}_id"), source.get(f"{base}_en")
    else:
        text_id, text_en = getattr(source, f"{base}_id"), getattr(source, f"{base}_en")
    return choose(text_id, text_en, language=language)


class BilingualField:
    """A read-only attribute giving `localized(instance, base)`: `name = BilingualField("name")`."""

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.__doc__ = f"The {self.base} in the active language, falling back to the other one."

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return localized(instance, self.base)
