"""Tree carbon from field measurements: Chave et al. (2014) pantropical allometry.

AGB (kg) = 0.0673 * (rho * D^2 * H)^0.976 with rho in g/cm3, D (dbh) in cm, H in m
(Chave et al. 2014, Global Change Biology 20:3177, eq. 4). Carbon = 0.47 * AGB (IPCC 2006
default carbon fraction); CO2e = carbon * 44/12 (molar mass of CO2 over that of C).
Pure Python (no Django) like the rest of the scoring core.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CHAVE_A = 0.0673
CHAVE_B = 0.976
CARBON_FRACTION = 0.47
CO2_PER_C = 44.0 / 12.0
M2_PER_HA = 10_000.0

# Plausibility limits: beyond these a value is almost surely a unit or typing error
# (mm for cm, feet for m), and the allometry is not calibrated there anyway.
MAX_DBH_CM = 500.0
MAX_HEIGHT_M = 120.0
WOOD_DENSITY_RANGE = (0.05, 1.5)


def _positive(name: str, value: float) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}.")
    return number


def validate_tree(*, wood_density_g_cm3: float, dbh_cm: float, height_m: float) -> None:
    """Raise ValueError for non-positive or implausible tree measurements."""
    rho = _positive("Wood density", wood_density_g_cm3)
    dbh = _positive("Diameter at breast height", dbh_cm)
    height = _positive("Height", height_m)
    low, high = WOOD_DENSITY_RANGE
    if not low <= rho <= high:
        raise ValueError(f"Wood density {rho:g} g/cm3 is outside {low:g}..{high:g} g/cm3.")
    if dbh > MAX_DBH_CM:
        raise ValueError(f"Diameter {dbh:g} cm is above {MAX_DBH_CM:g} cm; was it in mm?")
    if height > MAX_HEIGHT_M:
        raise ValueError(f"Height {height:g} m is above {MAX_HEIGHT_M:g} m; was it in feet?")


def agb_kg(*, wood_density_g_cm3: float, dbh_cm: float, height_m: float) -> float:
    """Above-ground biomass (kg dry matter) of one tree, Chave et al. (2014) eq. 4."""
    validate_tree(wood_density_g_cm3=wood_density_g_cm3, dbh_cm=dbh_cm, height_m=height_m)
    product = float(wood_density_g_cm3) * float(dbh_cm) ** 2 * float(height_m)
    return CHAVE_A * product**CHAVE_B


def carbon_kg(*, agb_kg: float) -> float:
    """Carbon (kg C) in a given biomass."""
    if not math.isfinite(float(agb_kg)) or agb_kg < 0:
        raise ValueError(f"Biomass must be a finite number >= 0, not {agb_kg!r}.")
    return CARBON_FRACTION * float(agb_kg)


def co2e_kg(*, carbon_kg: float) -> float:
    """CO2 equivalent (kg CO2e) of a carbon mass."""
    if not math.isfinite(float(carbon_kg)) or carbon_kg < 0:
        raise ValueError(f"Carbon must be a finite number >= 0, not {carbon_kg!r}.")
    return float(carbon_kg) * CO2_PER_C


@dataclass(frozen=True)
class Tree:
    """One measured tree."""

    wood_density_g_cm3: float
    dbh_cm: float
    height_m: float


@dataclass(frozen=True)
class TreeCarbon:
    """Biomass, carbon and CO2e of one tree, in kg."""

    agb_kg: float
    carbon_kg: float
    co2e_kg: float


def tree_carbon(*, wood_density_g_cm3: float, dbh_cm: float, height_m: float) -> TreeCarbon:
    """AGB, carbon and CO2e (kg) of one tree."""
    agb = agb_kg(wood_density_g_cm3=wood_density_g_cm3, dbh_cm=dbh_cm, height_m=height_m)
    carbon = carbon_kg(agb_kg=agb)
    return TreeCarbon(agb_kg=agb, carbon_kg=carbon, co2e_kg=co2e_kg(carbon_kg=carbon))


@dataclass(frozen=True)
class PlotTotals:
    """A plot's totals in tonnes, and its CO2e per hectare."""

    tree_count: int
    area_m2: float
    agb_t: float
    carbon_t: float
    co2e_t: float
    co2e_t_per_ha: float


def _fields(tree: Tree | Mapping[str, float]) -> dict[str, float]:
    if isinstance(tree, Mapping):
        return {k: tree[k] for k in ("wood_density_g_cm3", "dbh_cm", "height_m")}
    return {
        "wood_density_g_cm3": tree.wood_density_g_cm3,
        "dbh_cm": tree.dbh_cm,
        "height_m": tree.height_m,
    }


def plot_totals(trees: Iterable[Tree | Mapping[str, float]], *, area_m2: float) -> PlotTotals:
    """Sum the trees of a plot; totals in tonnes (CO2e also per hectare)."""
    area = _positive("Plot area", area_m2)
    count, agb_total = 0, 0.0
    for tree in trees:
        agb_total += agb_kg(**_fields(tree))
        count += 1
    # Carbon and CO2e are linear in AGB, so converting the sum equals summing conversions.
    carbon_total = carbon_kg(agb_kg=agb_total)
    co2e_total_t = co2e_kg(carbon_kg=carbon_total) / 1000.0
    return PlotTotals(
        tree_count=count,
        area_m2=area,
        agb_t=agb_total / 1000.0,
        carbon_t=carbon_total / 1000.0,
        co2e_t=co2e_total_t,
        co2e_t_per_ha=co2e_total_t * M2_PER_HA / area,
    )


@dataclass(frozen=True)
class CensusChange:
    """Change in a carbon stock between two censuses; relative is None without a base."""

    previous: float | None
    current: float
    absolute: float | None
    relative: float | None


def census_change(previous_total: float | None, current_total: float) -> CensusChange:
    """Absolute and relative change from the previous census total to the current one."""
    current = float(current_total)
    if not math.isfinite(current) or current < 0:
        raise ValueError(f"A census total must be a finite number >= 0, not {current_total!r}.")
    if previous_total is None:  # first census: nothing to compare with yet
        return CensusChange(previous=None, current=current, absolute=None, relative=None)
    previous = float(previous_total)
    if not math.isfinite(previous) or previous < 0:
        raise ValueError(f"A census total must be a finite number >= 0, not {previous_total!r}.")
    absolute = current - previous
    # A relative change from zero is undefined, not infinite.
    relative = absolute / previous if previous > 0 else None
    return CensusChange(previous=previous, current=current, absolute=absolute, relative=relative)
