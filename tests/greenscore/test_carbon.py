"""Tree carbon (Chave et al. 2014), checked against numbers computed independently with bc -l."""

import pytest

from greenscore.scorecard.carbon import (
    Tree,
    agb_kg,
    carbon_kg,
    census_change,
    co2e_kg,
    plot_totals,
    tree_carbon,
)

# rho = 0.6 g/cm3, D = 30 cm, H = 20 m
#   rho * D^2 * H       = 0.6 * 900 * 20        = 10800
#   10800^0.976         = e^(0.976 * ln 10800)  = 8642.145728731667  (bc -l)
#   AGB = 0.0673 * that                          = 581.6164075436412 kg
#   C   = 0.47 * AGB                             = 273.3597115455114 kg
#   CO2e = C * 44/12                             = 1002.318942333542 kg
WORKED = dict(wood_density_g_cm3=0.6, dbh_cm=30, height_m=20)


def test_worked_example():
    agb = agb_kg(**WORKED)
    assert agb == pytest.approx(581.6164075436412, rel=1e-6)
    carbon = carbon_kg(agb_kg=agb)
    assert carbon == pytest.approx(273.3597115455114, rel=1e-6)
    assert co2e_kg(carbon_kg=carbon) == pytest.approx(1002.318942333542, rel=1e-6)


def test_tree_carbon_bundles_the_three():
    tree = tree_carbon(**WORKED)
    assert (tree.agb_kg, tree.carbon_kg, tree.co2e_kg) == (
        pytest.approx(581.6164075436412, rel=1e-6),
        pytest.approx(273.3597115455114, rel=1e-6),
        pytest.approx(1002.318942333542, rel=1e-6),
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        (dict(dbh_cm=0), "positive"),
        (dict(dbh_cm=-5), "positive"),
        (dict(height_m=0), "positive"),
        (dict(wood_density_g_cm3=0), "positive"),
        (dict(dbh_cm=float("nan")), "positive"),
        (dict(dbh_cm=501), "above 500"),
        (dict(height_m=121), "above 120"),
        (dict(wood_density_g_cm3=0.04), "outside 0.05..1.5"),
        (dict(wood_density_g_cm3=1.6), "outside 0.05..1.5"),
    ],
)
def test_absurd_measurements_are_rejected(changes, message):
    with pytest.raises(ValueError, match=message):
        agb_kg(**{**WORKED, **changes})


def test_limits_themselves_are_accepted():
    assert agb_kg(wood_density_g_cm3=1.5, dbh_cm=500, height_m=120) > 0
    assert agb_kg(wood_density_g_cm3=0.05, dbh_cm=0.1, height_m=0.1) > 0


def test_plot_totals():
    # Second tree: rho 0.5, D 20, H 15 -> 0.5*400*15 = 3000; 3000^0.976 = 2475.542260178607;
    #   AGB = 0.0673 * 2475.542260178607 = 166.6039941100200 kg
    # Plot CO2e = (581.6164075436412 + 166.6039941100200) * 0.47 * 44/12
    #           = 1289.433158849810 kg = 1.289433158849810 t
    # Per hectare on 400 m2: 1.289433158849810 * 10000/400 = 32.23582897124525 t/ha
    trees = [Tree(0.6, 30, 20), {"wood_density_g_cm3": 0.5, "dbh_cm": 20, "height_m": 15}]
    totals = plot_totals(trees, area_m2=400)
    assert totals.tree_count == 2
    assert totals.agb_t == pytest.approx(0.7482204016536612, rel=1e-6)  # (581.616 + 166.604)/1000
    assert totals.co2e_t == pytest.approx(1.289433158849810, rel=1e-6)
    assert totals.co2e_t_per_ha == pytest.approx(32.23582897124525, rel=1e-6)
    assert totals.carbon_t == pytest.approx(0.3516635887772208, rel=1e-6)  # 0.748220 * 0.47


def test_empty_plot_and_bad_area():
    totals = plot_totals([], area_m2=100)
    assert (totals.tree_count, totals.co2e_t, totals.co2e_t_per_ha) == (0, 0.0, 0.0)
    with pytest.raises(ValueError, match="Plot area"):
        plot_totals([Tree(0.6, 30, 20)], area_m2=0)
    with pytest.raises(ValueError):
        plot_totals([Tree(0.6, 3000, 20)], area_m2=100)  # 3000 cm: a unit error


def test_census_change():
    change = census_change(10.0, 12.5)
    assert change.absolute == pytest.approx(2.5)  # 12.5 - 10
    assert change.relative == pytest.approx(0.25)  # 2.5 / 10
    loss = census_change(12.5, 10.0)
    assert (loss.absolute, loss.relative) == (pytest.approx(-2.5), pytest.approx(-0.2))  # -2.5/12.5


def test_census_change_without_a_base():
    first = census_change(None, 12.5)
    assert first.absolute is None and first.relative is None and first.current == 12.5
    from_zero = census_change(0.0, 3.0)
    assert from_zero.absolute == 3.0 and from_zero.relative is None  # undefined, not infinite
    with pytest.raises(ValueError):
        census_change(-1.0, 3.0)
    with pytest.raises(ValueError):
        census_change(1.0, float("inf"))
