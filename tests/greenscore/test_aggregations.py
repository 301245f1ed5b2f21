"""Raw indicator values from verified logs, aggregated in the database, checked by hand.

Runs on both databases (scripts/test runs the suite on PostGIS and SpatiaLite)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greenscore.scorecard import aggregations, carbon
from greenscore.scorecard.periods import Period

from .scorecard_factories import (
    ensure_catalogue,
    make_action,
    make_event_report,
    make_homestay,
    make_plot,
    make_species,
    make_stay,
    make_tree,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


Q2 = Period.parse("2026-Q2")  # 1 April .. 30 June 2026, 91 days


@pytest.fixture
def season(make_village):
    """Village V with a hand-countable Q2 season; W with nothing; X with events only."""
    v = make_village("Vdesa", population=1000)
    w = make_village("Wdesa", lon=128.3)
    x = make_village("Xdesa", lon=128.4)
    user = make_user()
    nangka = make_species("nangka", "Artocarpus heterophyllus")
    titi = make_species("titi", "Gmelina moluccana", instrument_use="tifa")
    bambu = make_species("bambu tui", "Schizostachyum sp.", instrument_use="suling")
    make_action(
        v,
        user,
        day=date(2026, 4, 10),
        species=[(nangka, 30), (titi, 20)],
        area_m2=500,
        total=10,
        women=4,
        youth=3,
        visitors=2,
        hours=20,
    )
    make_action(
        v,
        user,
        kind="bamboo_planting",
        day=date(2026, 5, 2),
        species=[(bambu, 50)],
        quantity=300,
        unit="m2",
        total=6,
        women=3,
        youth=1,
        hours=12.5,
    )
    make_action(
        v,
        user,
        kind="cleanup",
        day=date(2026, 6, 30),
        quantity=42.5,
        unit="kg",
        total=4,
        women=1,
        youth=2,
        visitors=1,
        hours=8,
    )
    # Not counted: outside the quarter, only submitted, rejected.
    make_action(v, user, day=date(2026, 7, 1), species=[(nangka, 100)], total=5, hours=5)
    make_action(v, user, day=date(2026, 5, 15), status="submitted", species=[(nangka, 1000)])
    make_action(
        v, user, kind="cleanup", day=date(2026, 5, 20), status="rejected", quantity=99, unit="kg"
    )
    h1, h2 = make_homestay(v, beds=4), make_homestay(v, beds=6)
    make_stay(v, h1, user, day=date(2026, 4, 5), nights=2, domestic=2, foreign=1, revenue=600_000)
    make_stay(v, h2, user, day=date(2026, 6, 20), nights=3, domestic=1, revenue=450_000)
    make_stay(v, h2, user, day=date(2026, 5, 1), nights=9, domestic=9, status="submitted")
    make_event_report(
        v,
        user,
        day=date(2026, 5, 10),
        audience=120,
        performers=15,
        youth=8,
        women=5,
        revenue=2_000_000,
    )
    make_event_report(v, user, day=date(2026, 6, 1), audience=80, performers=10, youth=4)
    make_event_report(
        x, user, day=date(2026, 4, 1), audience=50, performers=3, youth=2, revenue=500_000
    )
    return v, w, x


def test_conservation_actions_by_hand(season):
    v, _, _ = season
    got = aggregations.computed_values(village_ids=[v.pk], period=Q2)[v.pk]
    assert got["seedlings_planted"] == 100  # 30 + 20 + 50
    assert got["instrument_species_planted"] == 70  # titi 20 + bambu 50
    assert got["area_restored_m2"] == pytest.approx(800)  # polygon 500 + 300 entered in m2
    assert got["waste_collected_kg"] == pytest.approx(42.5)
    assert got["volunteer_hours"] == pytest.approx(40.5)
    assert got["actions_verified"] == 3
    assert got["women_participation_pct"] == pytest.approx(40.0)  # 8 of 20
    assert got["resident_participation_pct"] == pytest.approx(1.7)  # (20 - 3) / 1000 * 100


def test_tourism_logs_by_hand(season):
    v, _, _ = season
    got = aggregations.computed_values(village_ids=[v.pk], period=Q2)[v.pk]
    assert got["guest_nights"] == 9  # 2 x 3 + 3 x 1
    assert got["avg_length_of_stay"] == pytest.approx(9 / 4)
    assert got["bed_occupancy_pct"] == pytest.approx(9 / (10 * 91) * 100)
    assert got["events_held"] == 2
    assert got["event_audience"] == 200
    assert got["local_performers_paid"] == 25
    assert got["youth_participants"] == 18  # actions 3 + 1 + 2, events 8 + 4
    assert got["tourism_revenue_idr"] == 3_050_000


def test_no_logs_is_missing_not_zero(season):
    _, w, x = season
    got = aggregations.computed_values(village_ids=[w.pk, x.pk], period=Q2)
    assert set(got[w.pk].values()) == {None}
    # X reported events only: event indicators count, the others stay missing.
    assert got[x.pk]["events_held"] == 1
    assert got[x.pk]["tourism_revenue_idr"] == 500_000
    assert got[x.pk]["youth_participants"] == 2
    assert got[x.pk]["guest_nights"] is None
    assert got[x.pk]["seedlings_planted"] is None
    assert got[x.pk]["women_participation_pct"] is None


def test_family_with_logs_sums_to_zero_where_nothing_applies(make_village):
    v = make_village("Cleanonly")
    make_action(v, make_user(), kind="cleanup", day=date(2026, 2, 1), quantity=5, unit="kg")
    got = aggregations.computed_values(village_ids=[v.pk], period=Period.parse("2026"))[v.pk]
    assert got["seedlings_planted"] == 0
    assert got["waste_collected_kg"] == 5
    assert got["women_participation_pct"] is None  # no participants: no ratio
    assert got["resident_participation_pct"] is None  # population unknown


def test_q3_counts_the_july_action_only(season):
    v, _, _ = season
    got = aggregations.computed_values(village_ids=[v.pk], period=Period.parse("2026-Q3"))[v.pk]
    assert got["seedlings_planted"] == 100 and got["actions_verified"] == 1
    assert got["guest_nights"] is None


def test_grouped_queries_do_not_grow_with_villages(season, make_village):
    ids = [v.pk for v in season] + [make_village(f"N{i}", lon=128 + i / 100).pk for i in range(5)]
    with CaptureQueriesContext(connection) as few:
        aggregations.computed_values(village_ids=ids[:1], period=Q2)
    with CaptureQueriesContext(connection) as many:
        aggregations.computed_values(village_ids=ids, period=Q2)
    with CaptureQueriesContext(connection) as every:
        everyone = aggregations.computed_values(village_ids=None, period=Q2)
    # Seven grouped queries and the populations of the villages with actions, by id.
    assert len(many) == len(few) == len(every) <= 8
    assert set(everyone) <= set(ids)


def test_carbon_stock_latest_census_before_period_end(make_village):
    v = make_village("Karbon")
    titi = make_species("titi", "Gmelina moluccana", instrument_use="tifa", density=0.5)
    unknown = make_species("gomu", "Unknown gomu", density=None)
    plot = make_plot(v, side_m=20)
    assert plot.area_m2 == pytest.approx(400, rel=1e-3)
    make_tree(plot, tag="T1", species=titi, dbh=10, height=8, census=date(2025, 6, 1))
    make_tree(plot, tag="T1", species=titi, dbh=20, height=10, census=date(2026, 6, 1))
    make_tree(plot, tag="T2", species=unknown, dbh=20, height=10, census=date(2026, 6, 1))
    # By hand: AGB = 0.0673 * (0.5 * 20^2 * 10)^0.976 = 0.0673 * 2000^0.976 kg
    agb_2026 = 0.0673 * 2000**0.976
    agb_2025 = 0.0673 * (0.5 * 100 * 8) ** 0.976
    to_t = 0.47 * 44 / 12 / 1000
    y2025 = aggregations.carbon_stock(village_ids=[v.pk], before=Period.parse("2025").end)
    y2026 = aggregations.carbon_stock(village_ids=[v.pk], before=Period.parse("2026").end)
    q1 = aggregations.carbon_stock(village_ids=[v.pk], before=Period.parse("2026-Q1").end)
    assert y2025[v.pk]["co2e_t"] == pytest.approx(agb_2025 * to_t)
    assert q1[v.pk]["co2e_t"] == pytest.approx(agb_2025 * to_t)  # 2026 census not yet made
    assert y2026[v.pk]["co2e_t"] == pytest.approx(agb_2026 * to_t)
    assert y2026[v.pk]["trees_without_density"] == 1
    assert agb_2026 == pytest.approx(carbon.agb_kg(wood_density_g_cm3=0.5, dbh_cm=20, height_m=10))
    assert aggregations.carbon_stock(village_ids=[v.pk], before=date(2025, 1, 1)) == {}


def test_plot_censuses_totals_per_hectare_and_change(make_village):
    from greenscore.scorecard.selectors import plot_censuses

    v = make_village("Plots")
    titi = make_species("titi", "Gmelina moluccana", instrument_use="tifa", density=0.5)
    plot = make_plot(v, side_m=20)  # 400 m2 = 0.04 ha
    make_tree(plot, tag="T1", species=titi, dbh=10, height=8, census=date(2025, 6, 1))
    make_tree(plot, tag="T1", species=titi, dbh=20, height=10, census=date(2026, 6, 1))
    make_tree(plot, tag="T2", species=titi, dbh=20, height=10, census=date(2026, 6, 1))
    to_t = 0.47 * 44 / 12 / 1000
    first = 0.0673 * 400**0.976 * to_t  # rho D^2 H = 0.5 x 100 x 8
    second = 2 * 0.0673 * 2000**0.976 * to_t
    [summary] = plot_censuses(village=v)
    assert summary["area_m2"] == pytest.approx(400, rel=1e-3)
    c1, c2 = summary["censuses"]
    assert (c1["trees"], c2["trees"]) == (1, 2)
    assert c1["co2e_t"] == pytest.approx(first) and c1["change_t"] is None
    assert c2["co2e_t"] == pytest.approx(second)
    assert c2["co2e_t_per_ha"] == pytest.approx(second / 0.04, rel=1e-3)
    assert c2["change_t"] == pytest.approx(second - first)


def test_declared_quantity_counts_without_species(make_village):
    """A verified planting of 37 seedlings with no species list moves the indicator by 37."""
    v = make_village("Quantity")
    user = make_user()
    titi = make_species("titi", "Gmelina moluccana", instrument_use="tifa")
    make_action(v, user, day=date(2026, 5, 1), species=[(titi, 10)], quantity=10, unit="seedlings")
    before = aggregations.computed_values(village_ids=[v.pk], period=Q2)[v.pk]
    assert before["seedlings_planted"] == 10
    make_action(v, user, day=date(2026, 5, 2), quantity=37, unit="seedlings")
    make_action(v, user, day=date(2026, 5, 3), quantity=50, unit="seedlings", status="submitted")
    after = aggregations.computed_values(village_ids=[v.pk], period=Q2)[v.pk]
    assert after["seedlings_planted"] - before["seedlings_planted"] == 37
    assert after["instrument_species_planted"] == before["instrument_species_planted"] == 10


def test_quantity_counts_in_full_when_species_cover_part_of_it(make_village):
    """Species name a part of the seedlings: the quantity counts, instrument species come from
    the species rows; a row with no quantity in seedlings counts its species rows."""
    v = make_village("Partial")
    user = make_user()
    nangka = make_species("nangka", "Artocarpus heterophyllus")
    titi = make_species("titi", "Gmelina moluccana", instrument_use="tifa")
    make_action(
        v,
        user,
        day=date(2026, 4, 2),
        species=[(nangka, 5), (titi, 15)],
        quantity=60,
        unit="seedlings",
    )
    make_action(v, user, kind="mangrove_planting", day=date(2026, 4, 3), species=[(titi, 7)])
    make_action(v, user, kind="nursery", day=date(2026, 4, 4), quantity=500, unit="seedlings")
    got = aggregations.computed_values(village_ids=[v.pk], period=Q2)[v.pk]
    # 60 declared + 7 from an older row without a quantity; a nursery is not a planting.
    assert got["seedlings_planted"] == 67
    assert got["instrument_species_planted"] == 22  # titi 15 + 7
