"""Bulk import: valid rows stored, bad rows reported with reasons, a re-run stores nothing twice."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from greenscore.logkinds import ACTIONS
from greenscore.models import ConservationAction
from villages.logs.importing import import_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The report's row labels and messages are checked in English (the default is Indonesian)."""
    from django.utils import translation

    with translation.override("en"):
        yield


DAY = (datetime.date.today() - datetime.timedelta(days=10)).isoformat()
CSV = f"""village,kind,date,lon,lat,quantity,unit,species,participants_total,participants_women,participants_youth,participants_visitors,volunteer_hours,notes
alpha,bamboo_planting,{DAY},128.2,-3.7,30,seedlings,Schizostachyum brachycladum:30,8,4,3,0,16,river bank
alpha,cleanup,{DAY},128.201,-3.701,55.5,kg,,20,10,12,2,40,beach
alpha,cleanup,{DAY},128.201,-3.701,55.5,seedlings,,20,10,12,2,40,wrong unit
alpha,tree_planting,2031-01-01,128.2,-3.7,5,seedlings,Gmelina moluccana:5,2,0,0,0,2,future
alpha,tree_planting,{DAY},-3.7,128.2,5,seedlings,Gmelina moluccana:5,2,0,0,0,2,swapped
atlantis,tree_planting,{DAY},128.2,-3.7,5,seedlings,Gmelina moluccana:5,2,0,0,0,2,no such village
alpha,tree_planting,{DAY},128.2,-3.7,5,seedlings,Quercus imaginaria:5,2,0,0,0,2,unknown species
alpha,tree_planting,{DAY},abc,-3.7,5,seedlings,Gmelina moluccana:5,2,0,0,0,2,bad lon
"""


def run(text, user, name="actions.csv", dry_run=False):
    return import_file(
        kind=ACTIONS, fileobj=io.BytesIO(text.encode()), filename=name, actor=user, dry_run=dry_run
    )


def test_csv_import_reports_and_is_idempotent(people, species, village_a):
    report = run(CSV, people["reviewer"])
    assert len(report.created) == 2
    assert [label for label, _ in report.rejected] == [
        "row 4",
        "row 5",
        "row 6",
        "row 7",
        "row 8",
        "row 9",
    ]
    reasons = dict(report.rejected)
    assert "unit" in reasons["row 4"][0]
    assert "date" in reasons["row 5"][0]
    assert "swapped" in reasons["row 6"][0]
    assert "village" in reasons["row 7"][0]
    assert "species" in reasons["row 8"][0]
    assert "lon/lat" in reasons["row 9"][0]
    again = run(CSV, people["reviewer"])
    assert len(again.created) == 0 and len(again.existing) == 2
    assert ConservationAction.objects.count() == 2
    assert ConservationAction.objects.get(kind="bamboo_planting").species_counts.get().count == 30


def test_import_refuses_species_counts_above_the_quantity(people, species, village_a):
    text = (
        CSV.splitlines()[0]
        + "\n"
        + (
            f"alpha,tree_planting,{DAY},128.2,-3.7,10,seedlings,"
            "Gmelina moluccana:8;Schizostachyum brachycladum:5,2,0,0,0,2,too many\n"
            f"alpha,tree_planting,{DAY},128.2,-3.7,37,seedlings,,2,0,0,0,2,no species\n"
        )
    )
    report = run(text, people["reviewer"])
    assert [label for label, _ in report.rejected] == ["row 2"]
    reason = dict(report.rejected)["row 2"][0]
    assert "species" in reason and "13" in reason and "(10)" in reason
    assert ConservationAction.objects.get().quantity == 37


def test_dry_run_stores_nothing(people, species, village_a):
    report = run(CSV, people["reviewer"], dry_run=True)
    assert len(report.created) == 2
    assert not ConservationAction.objects.exists()


def test_geojson_import(people, species, village_a):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [128.2, -3.7]},
                "properties": {
                    "village": "alpha",
                    "kind": "mangrove_planting",
                    "date": DAY,
                    "quantity": 12,
                    "unit": "seedlings",
                    "species": [{"species": "Gmelina moluccana", "count": 12}],
                    "participants_total": 3,
                },
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [128.199, -3.701],
                            [128.201, -3.699],
                            [128.201, -3.701],
                            [128.199, -3.699],
                            [128.199, -3.701],
                        ]
                    ],
                },
                "properties": {
                    "village": "alpha",
                    "kind": "plot_measurement",
                    "date": DAY,
                    "quantity": 400,
                    "unit": "m2",
                },
            },
        ],
    }
    text = json.dumps(collection)
    report = run(text, people["reviewer"], name="a.geojson")
    assert len(report.created) == 1 and report.rejected[0][0] == "feature 2"
    assert "geometry" in report.rejected[0][1][0]
    assert len(run(text, people["reviewer"], name="a.geojson").created) == 0


@pytest.mark.parametrize(
    "text,name",
    [("{not json", "x.geojson"), ('{"type": "Feature"}', "x.geojson"), ("a;b\n1;2\n", "x.csv")],
)
def test_unreadable_files_are_refused_whole(people, text, name):
    assert run(text, people["reviewer"], name=name).fatal


def test_command(people, species, village_a, tmp_path, capsys):
    path = tmp_path / "actions.csv"
    path.write_text(CSV)
    call_command("import_actions", str(path), "--as", "reviewer")
    out = capsys.readouterr().out
    assert "2 imported, 0 already there, 6 rejected" in out
    call_command("import_actions", str(path), "--as", "reviewer")
    assert "0 imported, 2 already there" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not an AMO reviewer"):
        call_command("import_actions", str(path), "--as", "coord_a")


def test_upload_page(client, people, species, village_a):
    client.force_login(people["reviewer"])
    upload = io.BytesIO(CSV.encode())
    upload.name = "actions.csv"
    response = client.post("/review/import/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 imported, 0 already there, 6 rejected." in body
    assert ConservationAction.objects.count() == 2


def test_odd_rows_and_features_are_reported_not_crashed(people, species, village_a):
    text = "village,kind,date,lon,lat\nalpha,cleanup,2025-01-01,128.2,-3.7,extra,cells\nalpha\n"
    report = run(text, people["reviewer"])
    assert [label for label, _ in report.rejected] == ["row 2", "row 3"]
    collection = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                None,
                5,
                {"type": "Feature", "properties": None, "geometry": None},
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [128.2, -3.7]},
                    "properties": {
                        "village": "alpha",
                        "kind": "cleanup",
                        "date": DAY,
                        "quantity": "x",
                        "unit": "kg",
                        "species": 7,
                    },
                },
            ],
        }
    )
    report = run(collection, people["reviewer"], name="f.geojson")
    assert len(report.rejected) == 4 and not report.created
