import pytest
from django.core.management import CommandError, call_command

from villages.models import District, Village

pytestmark = pytest.mark.django_db


def test_register_loads_five_districts_and_fifty_villages(register):
    assert len(register.created) == 55
    assert District.objects.count() == 5
    assert Village.objects.count() == 50
    amahusu = Village.objects.get(code="81.71.01.2004")
    assert (amahusu.name, amahusu.kind, amahusu.district.name) == ("Amahusu", "desa", "Nusaniwe")
    assert Village.objects.filter(kind="kelurahan").count() == 20


def test_villages_sharing_a_name_get_distinct_slugs(register):
    slugs = set(Village.objects.filter(name="Urimessing").values_list("slug", flat=True))
    assert slugs == {"urimessing", "urimessing-kelurahan"}
    assert Village.objects.get(slug="urimessing").code == "81.71.01.2005"
    assert Village.objects.get(code="81.71.04.2001").slug == "hunuth-durian-patah"


def test_second_import_changes_nothing_and_keeps_negeri(register, capsys):
    Village.objects.filter(code="81.71.01.2004").update(kind="negeri")
    call_command("import_admin_areas", "fixtures/ambon-admin-areas.csv")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 55 unchanged, 0 rejected" in out
    assert Village.objects.get(code="81.71.01.2004").kind == "negeri"
    assert Village.objects.count() == 50


def test_renamed_village_is_updated_not_duplicated(register, tmp_path, capsys):
    source = open("fixtures/ambon-admin-areas.csv", encoding="utf-8").read()
    changed = tmp_path / "register.csv"
    changed.write_text(source.replace(",Amahusu\n", ",Amahusu Baru\n"), encoding="utf-8")
    call_command("import_admin_areas", str(changed))
    assert "0 created, 1 updated, 54 unchanged" in capsys.readouterr().out
    village = Village.objects.get(code="81.71.01.2004")
    assert (village.name, village.slug) == ("Amahusu Baru", "amahusu")


def test_bad_rows_are_reported_not_imported(db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,level,parent_code,name\n"
        "81.71.01,district,81.71,Nusaniwe\n"
        "81.71.01.2004,desa,81.71.01,Amahusu\n"
        "81.71.01.2099,town,81.71.01,Nowhere\n"
        "xx,desa,81.71.01,Bad code\n"
        "81.71.07.2001,desa,81.71.07,No district\n",
        encoding="utf-8",
    )
    call_command("import_admin_areas", str(path))
    captured = capsys.readouterr()
    assert "2 created, 0 updated, 0 unchanged, 3 rejected" in captured.out
    assert "line 4: unknown level 'town'" in captured.err
    assert "line 6: district '81.71.07' not found" in captured.err
    assert list(Village.objects.values_list("name", flat=True)) == ["Amahusu"]


def test_missing_columns_or_file_give_one_clear_error(db, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("kode,nama\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("import_admin_areas", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_admin_areas", str(tmp_path / "absent.csv"))
