"""Reads for the impact scorecard: catalogue, per-village references, inputs and snapshots.
Who may see a live scorecard or publish one is decided in villages.roles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from villages.models import Village

from . import aggregations
from .models import (
    Indicator,
    Plot,
    ScorecardSnapshot,
    VillageIndicator,
)
from .periods import Period

# --- catalogue and references --------------------------------------------------------


def indicator_catalogue() -> list[Indicator]:
    """Active indicators, by pillar and order."""
    return list(Indicator.objects.filter(is_active=True).order_by("pillar", "order", "code"))


def village_settings(
    *, village_ids: Iterable[int] | None
) -> dict[int, dict[int, VillageIndicator]]:
    """Per village, its overrides by indicator id (one query; None: every village)."""
    out: dict[int, dict[int, VillageIndicator]] = defaultdict(dict)
    qs = VillageIndicator.objects.all()
    if village_ids is not None:
        qs = qs.filter(village_id__in=list(village_ids))
    for row in qs:
        out[row.village_id][row.indicator_id] = row
    return out


def _pick(override, default):
    return default if override is None else override


def _data_village_ids(*, computed: dict, entered: dict, village_ids: list[int] | None) -> set[int]:
    """Villages that have a scorecard to show: SoG sites plus any village with a verified
    action in the period, an entered value for it or a plot. Actions and entered values come
    from the grouped results already at hand (no second pass over the logs)."""
    ids = {vid for vid, values in computed.items() if values.get("actions_verified") is not None}
    ids.update(entered)
    others = Village.objects.filter(is_sog_site=True).order_by().values_list("pk", flat=True)
    plots = Plot.objects.order_by().values_list("village_id", flat=True).distinct()
    if village_ids is not None:
        others = others.filter(pk__in=village_ids)
        plots = plots.filter(village_id__in=village_ids)
    ids.update(others)
    ids.update(plots)
    return ids


def live_inputs(
    *,
    village_ids: Iterable[int] | None,
    period: Period,
    catalogue: list[Indicator] | None = None,
    only_with_data: bool = False,
) -> dict[int, list[dict]]:
    """Per village, one input dict per active indicator: raw value and the references
    (village override, else AMO default) exactly as they will be frozen.

    The raw values of all the villages come from a fixed number of grouped queries over the
    period's logs and the references from one query each, whatever the number of villages.
    ``village_ids=None``: every village with data (see ``_data_village_ids``); with ids and
    ``only_with_data``, those of them with data; else every id asked for."""
    ids = None if village_ids is None else list(village_ids)
    catalogue = indicator_catalogue() if catalogue is None else catalogue
    computed = aggregations.computed_values(village_ids=ids, period=period)
    entered = aggregations.entered_values(village_ids=ids, period=period)
    if ids is None or only_with_data:
        with_data = _data_village_ids(computed=computed, entered=entered, village_ids=ids)
        ids = sorted(with_data if ids is None else with_data.intersection(ids))
    overrides = village_settings(village_ids=ids)
    empty = dict.fromkeys(aggregations.COMPUTATIONS)
    out = {}
    for vid in ids:
        own_rows = overrides.get(vid, {})
        values = computed.get(vid, empty)
        typed = entered.get(vid, {})
        rows = []
        for ind in catalogue:
            own = own_rows.get(ind.pk)
            if ind.source == Indicator.Source.COMPUTED:
                value = values.get(ind.computation)
            else:
                value = typed.get(ind.code)
            rows.append(
                {
                    "code": ind.code,
                    "pillar": ind.pillar,
                    "direction": ind.direction,
                    "is_flow": ind.is_flow,
                    "source": ind.source,
                    "unit": ind.unit_en,
                    "value": None if value is None else float(value),
                    "baseline": float(_pick(own and own.baseline_value, ind.default_baseline)),
                    "baseline_year": _pick(own and own.baseline_year, ind.default_baseline_year),
                    "target": float(_pick(own and own.target_value, ind.default_target)),
                    "target_year": _pick(own and own.target_year, ind.default_target_year),
                    "weight": float(_pick(own and own.weight, ind.default_weight)),
                }
            )
        out[vid] = rows
    return out


# --- snapshots -----------------------------------------------------------------------


def current_snapshot(*, village, period: Period, aggregation: str) -> ScorecardSnapshot | None:
    return (
        ScorecardSnapshot.objects.current()
        .filter(village=village, period=period.label, aggregation=aggregation)
        .first()
    )


def current_snapshots(*, period: Period, aggregation: str) -> dict[int, ScorecardSnapshot]:
    """Current published snapshots of a period, by village id."""
    qs = (
        ScorecardSnapshot.objects.current()
        .filter(period=period.label, aggregation=aggregation)
        .defer("inputs")
    )
    return {s.village_id: s for s in qs}


def snapshots_for_periods(
    *, village, labels: list[str], aggregation: str
) -> dict[str, ScorecardSnapshot]:
    qs = ScorecardSnapshot.objects.current().filter(
        village=village, period__in=labels, aggregation=aggregation
    )
    return {s.period: s for s in qs}


def latest_published_period(
    *, village=None, aggregation: str = "arithmetic", like: Period | None = None
) -> Period | None:
    """The period of the most recent current snapshot (of a village, or of any village):
    the latest end date wins; on a tie, a period of the same kind as ``like``."""
    qs = ScorecardSnapshot.objects.current().filter(aggregation=aggregation)
    if village is not None:
        qs = qs.filter(village=village)
    periods = []
    for label in set(qs.values_list("period", flat=True)):
        try:
            periods.append(Period.parse(label))
        except ValueError:
            continue
    if not periods:
        return None
    return max(periods, key=lambda p: (p.end, like is not None and p.kind == like.kind, -p.days))


def plot_censuses(*, village) -> list[dict]:
    """Each plot of the village with its censuses: trees, CO2e (t, t/ha) and the change from
    the previous census. One query; the allometry runs per tree in Python (non-integer power)."""
    from itertools import groupby

    from . import carbon
    from .models import TreeMeasurement

    rows = (
        TreeMeasurement.objects.filter(plot__village=village)
        .order_by("plot__name", "plot_id", "census_date")
        .values_list(
            "plot_id",
            "plot__name",
            "plot__area_m2",
            "census_date",
            "species__wood_density_g_cm3",
            "dbh_cm",
            "height_m",
        )
    )
    plots = []
    for (plot_id, name, area), plot_rows in groupby(rows, key=lambda r: r[:3]):
        censuses, previous = [], None
        for census_date, trees in groupby(plot_rows, key=lambda r: r[3]):
            trees = list(trees)
            usable = [
                {"wood_density_g_cm3": r[4], "dbh_cm": r[5], "height_m": r[6]}
                for r in trees
                if r[4] is not None
            ]
            totals = carbon.plot_totals(usable, area_m2=area) if area else None
            current = totals.co2e_t if totals else None
            change = carbon.census_change(previous, current) if current is not None else None
            censuses.append(
                {
                    "date": census_date,
                    "trees": len(trees),
                    "trees_without_density": len(trees) - len(usable),
                    "co2e_t": current,
                    "co2e_t_per_ha": totals.co2e_t_per_ha if totals else None,
                    "change_t": change.absolute if change else None,
                }
            )
            previous = current
        plots.append({"id": plot_id, "name": name, "area_m2": area, "censuses": censuses})
    return plots
