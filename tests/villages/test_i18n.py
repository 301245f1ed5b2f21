"""villages.i18n: the one rule for paired `_id`/`_en` content fields."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from villages.i18n import BilingualField, choose, content_language, localized


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("en-gb", "en"),
        ("EN-US", "en"),
        ("id", "id"),
        ("id-id", "id"),
        ("nl", "id"),
    ],
)
def test_content_language_of_a_django_code(code, expected):
    assert content_language(code) == expected


def test_content_language_follows_the_active_language():
    with translation.override("en"):
        assert content_language() == "en"
    with translation.override("id"):
        assert content_language() == "id"
    with translation.override(None):  # nothing active: the site's default, Indonesian
        assert content_language() == "id"


@pytest.mark.parametrize(
    ("language", "text_id", "text_en", "expected"),
    [
        ("id", "Desa musik", "Music village", "Desa musik"),
        ("en", "Desa musik", "Music village", "Music village"),
        ("en", "Desa musik", "", "Desa musik"),  # asked one empty: the other
        ("id", "", "Music village", "Music village"),
        ("en", "Desa musik", None, "Desa musik"),
        ("id", None, None, ""),
        ("id", "", "", ""),
    ],
)
def test_choose_falls_back_to_the_other_language(language, text_id, text_en, expected):
    assert choose(text_id, text_en, language=language) == expected


def test_localized_reads_objects_and_rows_alike():
    obj = SimpleNamespace(title_id="Konser", title_en="Concert")
    row = {"title_id": "Konser", "title_en": ""}
    with translation.override("en"):
        assert localized(obj, "title") == "Concert"
        assert localized(row, "title") == "Konser"
    assert localized(obj, "title", language="id") == "Konser"


def test_localized_names_a_missing_field():
    with pytest.raises(AttributeError):
        localized(SimpleNamespace(name_id="x"), "name")


def test_bilingual_field_on_a_class():
    class Thing:
        name = BilingualField("name")

        def __init__(self, name_id, name_en):
            self.name_id, self.name_en = name_id, name_en

    thing = Thing("Rebana", "Frame drum")
    with translation.override("en"):
        assert thing.name == "Frame drum"
    with translation.override("id"):
        assert thing.name == "Rebana"
    assert Thing("Rebana", "").name == "Rebana"
    assert isinstance(Thing.name, BilingualField)


def test_bilingual_template_filter():
    template = Template(
        '{% load sog_i18n %}{{ stop|bilingual:"name" }}|{{ photo|bilingual:"caption" }}'
    )
    context = Context(
        {
            "stop": SimpleNamespace(name_id="Gerbang", name_en="Gate"),
            "photo": SimpleNamespace(caption_id="Hutan <musik>", caption_en=""),
        }
    )
    with translation.override("en"):
        assert template.render(context) == "Gate|Hutan &lt;musik&gt;"  # still escaped
    with translation.override("id"):
        assert template.render(context) == "Gerbang|Hutan &lt;musik&gt;"
