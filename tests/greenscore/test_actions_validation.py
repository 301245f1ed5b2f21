"""The bad-input corpus: every bad geometry, value and file gets a 400 naming the field; nothing is stored."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from greenscore.actions.geometry_input import MAX_VERTICES, parse_geometry
from greenscore.models import ConservationAction

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions/"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BAD_GEOMETRIES = sorted((FIXTURES / "bad_geometries").glob("*.json"))
BAD_FILES = sorted((FIXTURES / "bad_files").iterdir())


def load(path):
    return json.loads(path.read_text())


def post(api, people, body):
    return api(people["coord_a"]).post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_the_corpus_is_there():
    assert len(BAD_GEOMETRIES) >= 25 and len(BAD_FILES) >= 6


@pytest.mark.parametrize("path", BAD_GEOMETRIES, ids=lambda p: p.stem)
def test_bad_geometry_is_400_on_the_geometry_field(path, api, people, species, payload):
    case = load(path)
    response = post(api, people, payload(geometry=case["geometry"]))
    assert response.status_code == 400, (path.stem, response.content)
    errors = response.json()
    assert list(errors) == ["geometry"], errors
    assert errors["geometry"][0]
    assert not ConservationAction.objects.exists()


@pytest.mark.parametrize(
    "path",
    [p for p in BAD_GEOMETRIES if load(p)["expected_code"] != "outside_village"],
    ids=lambda p: p.stem,
)
def test_bad_geometry_is_refused_for_the_expected_reason(path):
    case = load(path)
    with pytest.raises(ValidationError) as info:
        parse_geometry(case["geometry"])
    assert info.value.code == case["expected_code"]


def test_swapped_axes_get_a_hint(api, people, species, payload):
    response = post(api, people, payload(geometry={"type": "Point", "coordinates": [-3.7, 128.2]}))
    assert "swapped" in response.json()["geometry"][0]


def test_too_many_vertices(api, people, species, payload):
    line = [[128.195 + i * 1e-6, -3.70] for i in range(MAX_VERTICES + 1)]
    response = post(api, people, payload(geometry={"type": "LineString", "coordinates": line}))
    assert response.status_code == 400
    assert str(MAX_VERTICES) in response.json()["geometry"][0]


def test_within_tolerance_outside_boundary_is_accepted(api, people, species, payload):
    # Village Alpha's square ends at lon 128.205; 128.212 is ~780 m outside it.
    response = post(
        api, people, payload(geometry={"type": "Point", "coordinates": [128.212, -3.70]})
    )
    assert response.status_code == 201, response.json()


def test_village_known_only_by_its_centre_uses_a_wider_radius(
    api, people, species, payload, village_a
):
    village_a.boundary = None
    village_a.save()
    near = post(
        api, people, payload(geometry={"type": "Point", "coordinates": [128.23, -3.70]})
    )  # ~3.3 km
    far = post(
        api, people, payload(geometry={"type": "Point", "coordinates": [128.26, -3.70]})
    )  # ~6.7 km
    assert near.status_code == 201, near.json()
    assert far.status_code == 400 and "centre" in far.json()["geometry"][0]


def test_crs_allow_list_accepts_wgs84_names(api, people, species, payload):
    geometry = {
        "type": "Point",
        "coordinates": [128.2, -3.7],
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    }
    assert post(api, people, payload(geometry=geometry)).status_code == 201


TODAY = datetime.date.today()
BAD_VALUES = [
    ("future_date", {"date": (TODAY + datetime.timedelta(days=2)).isoformat()}, "date"),
    ("before_programme", {"date": "2019-12-31"}, "date"),
    ("not_a_date", {"date": "31/12/2025"}, "date"),
    ("negative_quantity", {"quantity": "-5"}, "quantity"),
    ("absurd_quantity", {"quantity": "5000000"}, "quantity"),
    ("too_many_digits", {"quantity": "1e15"}, "quantity"),
    ("quantity_not_a_number", {"quantity": "forty"}, "quantity"),
    ("unit_for_wrong_kind", {"unit": "kg"}, "unit"),
    ("unknown_unit", {"unit": "buckets"}, "unit"),
    ("planting_without_quantity", {"quantity": None}, "quantity"),
    ("unknown_kind", {"kind": "dancing"}, "kind"),
    ("unknown_species", {"species": [{"species": "Quercus imaginaria", "count": 3}]}, "species"),
    ("species_zero_count", {"species": [{"species": "Gmelina moluccana", "count": 0}]}, "species"),
    (
        "species_twice",
        {
            "species": [
                {"species": "Gmelina moluccana", "count": 2},
                {"species": "gmelina moluccana", "count": 3},
            ]
        },
        "species",
    ),
    ("species_not_a_list", {"species": "Gmelina moluccana"}, "species"),
    ("women_more_than_total", {"participants_women": 13}, "participants_women"),
    ("youth_more_than_total", {"participants_youth": 20}, "participants_youth"),
    ("visitors_more_than_total", {"participants_visitors": 13}, "participants_visitors"),
    ("negative_participants", {"participants_total": -1}, "participants_total"),
    (
        "absurd_participants",
        {
            "participants_total": 50000,
            "participants_women": 0,
            "participants_youth": 0,
            "participants_visitors": 0,
        },
        "participants_total",
    ),
    ("absurd_hours", {"volunteer_hours": "5000"}, "volunteer_hours"),
    ("negative_hours", {"volunteer_hours": "-1"}, "volunteer_hours"),
    ("unknown_village", {"village": "atlantis"}, "village"),
    ("null_geometry", {"geometry": None}, "geometry"),
    ("nan_quantity", {"quantity": "NaN"}, "quantity"),
    ("infinite_quantity", {"quantity": "Infinity"}, "quantity"),
    ("nan_hours", {"volunteer_hours": "NaN"}, "volunteer_hours"),
    ("float_count", {"species": [{"species": "Gmelina moluccana", "count": 3.5}]}, "species"),
    ("species_item_not_object", {"species": ["Gmelina moluccana"]}, "species"),
    ("species_as_object", {"species": [{"species": {"id": 1}, "count": 3}]}, "species"),
    ("boolean_species", {"species": [{"species": True, "count": 3}]}, "species"),
    ("huge_integer_uuid", {"client_uuid": 2**200}, "client_uuid"),
    ("negative_integer_uuid", {"client_uuid": -1}, "client_uuid"),
    ("huge_participants", {"participants_total": 2**40}, "participants_total"),
    ("date_year_one", {"date": "0001-01-01"}, "date"),
    ("date_year_9999", {"date": "9999-12-31"}, "date"),
    ("village_as_number", {"village": 1}, "village"),
    ("kind_as_list", {"kind": ["cleanup"]}, "kind"),
    ("notes_too_long", {"notes": "x" * 6000}, "notes"),
]


@pytest.mark.parametrize("name,overrides,field", BAD_VALUES, ids=[c[0] for c in BAD_VALUES])
def test_bad_value_is_400_on_its_field(name, overrides, field, api, people, species, payload):
    response = post(api, people, payload(**overrides))
    assert response.status_code == 400, (name, response.content)
    assert field in response.json(), response.json()
    assert not ConservationAction.objects.exists()


def test_species_on_a_cleanup_is_refused(api, people, species, payload):
    response = post(api, people, payload(kind="cleanup", unit="kg", quantity="12.5"))
    assert response.status_code == 400 and "species" in response.json()


def test_cleanup_in_kg_is_accepted_exactly(api, people, species, payload):
    response = post(api, people, payload(kind="cleanup", unit="kg", quantity="12.50", species=[]))
    assert response.status_code == 201, response.json()
    assert ConservationAction.objects.get().quantity == pytest.approx(12.5)


def test_more_decimals_than_stored_is_refused_not_rounded(api, people, species, payload):
    response = post(api, people, payload(kind="cleanup", unit="kg", quantity="12.555", species=[]))
    assert response.status_code == 400 and "quantity" in response.json()


def test_malformed_json_body_is_400(api, people):
    response = api(people["coord_a"]).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.name)
def test_bad_file_is_400_on_image(path, api, people, make_action, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = make_action()
    with path.open("rb") as handle:
        response = api(people["coord_a"]).post(
            f"{URL}{action.pk}/photos/",
            {"image": handle},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400, response.content
    assert "image" in response.json()
    assert not action.photos.exists()


def test_species_counts_may_not_add_up_to_more_than_the_quantity(api, people, species, payload):
    response = post(
        api,
        people,
        payload(
            quantity="35",
            species=[
                {"species": "Schizostachyum brachycladum", "count": 30},
                {"species": "Gmelina moluccana", "count": 10},
            ],
        ),
    )
    assert response.status_code == 400, response.content
    message = response.json()["species"][0]
    assert "40" in message and "35" in message
    assert not ConservationAction.objects.exists()


def test_species_counts_below_the_quantity_are_accepted(api, people, species, payload):
    """A coordinator may know the species of only some seedlings: the quantity stays as given."""
    response = post(api, people, payload(quantity="45"))
    assert response.status_code == 201, response.content
    stored = ConservationAction.objects.get()
    assert stored.quantity == 45
    assert list(stored.species_counts.values_list("count", flat=True)) == [40]


def test_absurdly_nested_json_is_400_not_500(api, people):
    body = "[" * 100000 + "]" * 100000
    response = api(people["coord_a"]).post(URL, body, content_type="application/json")
    assert response.status_code == 400


def test_oversized_body_is_400(api, people, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"notes": "x" * 20_000})
    response = api(people["coord_a"]).post(URL, body, content_type="application/json")
    assert response.status_code == 400


def test_absurd_nesting_inside_geometry_text(api, people, species, payload):
    response = post(api, people, payload(geometry="[" * 50000 + "]" * 50000))
    assert response.status_code == 400 and "geometry" in response.json()


def test_a_verified_planting_of_37_without_species_adds_37_seedlings(
    api, people, species, payload, village_a
):
    """The whole path: filed through the API with no species, verified by AMO, counted."""
    from greenscore.scorecard import aggregations
    from greenscore.scorecard.periods import Period
    from villages.logs import review_logs

    day = datetime.date.today() - datetime.timedelta(days=3)
    period = Period.parse(str(day.year))

    def seedlings():
        got = aggregations.computed_values(village_ids=[village_a.pk], period=period)
        return got[village_a.pk]["seedlings_planted"] or 0

    before = seedlings()
    response = post(
        api, people, payload(kind="tree_planting", quantity="37", species=[], date=day.isoformat())
    )
    assert response.status_code == 201, response.content
    action = ConservationAction.objects.get()
    assert seedlings() == before  # submitted, not verified yet
    review_logs(logs=[action], reviewer=people["reviewer"], decision="verify")
    assert seedlings() - before == 37
