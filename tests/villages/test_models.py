import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from villages.models import Village

pytestmark = pytest.mark.django_db


def test_dusun_needs_a_parent_in_the_database(make_village):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_village("Orphan", kind="dusun")


def test_only_a_dusun_has_a_parent(make_village):
    negeri = make_village("Induk", kind="negeri")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_village("Anak", kind="desa", parent=negeri)
    hamlet = make_village("Anak", kind="dusun", parent=negeri)
    assert list(negeri.children.all()) == [hamlet]


def test_code_is_unique_where_present(make_village):
    make_village("A", code="81.71.09.2001")
    make_village("B", code=None)
    make_village("C", code=None)  # many villages without a code are fine
    with pytest.raises(IntegrityError), transaction.atomic():
        make_village("D", code="81.71.09.2001")


def test_unknown_kind_is_refused_by_the_database(make_village):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_village("Kota", kind="city")


def test_clean_explains_a_dusun_under_a_dusun(make_village):
    negeri = make_village("Induk", kind="negeri")
    hamlet = make_village("Anak", kind="dusun", parent=negeri)
    other = Village(name="Cucu", slug="cucu", kind="dusun", parent=hamlet, district=negeri.district)
    with pytest.raises(ValidationError) as err:
        other.full_clean()
    assert "parent" in err.value.message_dict


def test_description_falls_back_to_the_other_language(make_village):
    from django.utils import translation

    village = make_village("Bilingual", description_id="Desa musik", description_en="")
    with translation.override("en"):
        assert village.description == "Desa musik"
    village.description_en = "Music village"
    with translation.override("en"):
        assert village.description == "Music village"
    with translation.override("id"):
        assert village.description == "Desa musik"
