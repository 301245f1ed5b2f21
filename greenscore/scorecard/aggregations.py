"""Raw indicator values per village and period, aggregated in the database from VERIFIED logs.

One grouped query per family of indicators (conservation actions, instrument species, guest
stays, homestay beds, event reports, tree measurements, recordings, entered values), each
returning one row per village. Python only divides totals and, for carbon, applies the
allometry per tree (a non-integer power, which SpatiaLite cannot compute).

``village_ids=None`` means every village: the queries are then filtered by the period only,
so all villages' values cost a pass over the period's logs, whatever the number of villages
(issue 12); one village is the same queries filtered to it.

Missing is not zero. The rule, per family: a village with no verified log of a family in
the period has every indicator of that family missing (None). Once it has at least one,
a sum with nothing to add is 0 (a village that logged plantings but no clean-up collected
0 kg of waste as far as verified logs show). Ratios are missing when their denominator is
0 or unknown. See docs/methodology.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Case, Count, F, FloatField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast

from recordings.selectors import median_ndsi
from tourism.selectors_stats import event_report_totals, guest_stay_totals, homestay_beds
from villages.logs.models import LogStatus
from villages.models import Village

from ..actions.models import ActionSpecies, ConservationAction
from ..actions.services import PLANTING_KINDS
from . import carbon
from .computations import COMPUTATIONS
from .models import IndicatorValue, TreeMeasurement
from .periods import Period


def _f(value) -> float:
    # Sums come back as int, Decimal or float depending on the column and the database.
    return float(value or 0)


def _ratio(numerator, denominator, scale: float = 1.0) -> float | None:
    return None if not denominator else _f(numerator) / _f(denominator) * scale


def _ids(village_ids: Iterable[int] | None) -> list[int] | None:
    return None if village_ids is None else list(village_ids)


def _in(qs, field: str, ids: list[int] | None):
    """Filter to the villages asked for; None: every village (no filter)."""
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def action_totals(*, village_ids: Iterable[int] | None, period: Period) -> dict[int, dict]:
    """Per village: totals of its verified conservation actions dated in the period.

    Seedlings here are only the declared quantities (unit "seedlings"); planting actions
    without one count their species rows, summed in seedling_totals (no per-row subquery,
    so this is one plain GROUP BY over the period's actions, with no join: populations are
    read by village id afterwards)."""
    area = Case(
        When(area_m2__isnull=False, then=F("area_m2")),
        When(unit="m2", then=Cast("quantity", FloatField())),
        default=Value(0.0),
        output_field=FloatField(),
    )
    qs = ConservationAction.objects.filter(
        status=LogStatus.VERIFIED, date__gte=period.start, date__lt=period.end
    )
    rows = (
        _in(qs, "village_id", _ids(village_ids))
        .order_by()
        .values("village_id")
        .annotate(
            actions=Count("id"),
            area_m2=Sum(area, filter=Q(kind__in=PLANTING_KINDS)),
            seedlings_declared=Sum(
                Cast("quantity", FloatField()),
                filter=Q(kind__in=PLANTING_KINDS, unit="seedlings", quantity__isnull=False),
            ),
            waste_kg=Sum("quantity", filter=Q(unit="kg")),
            volunteer_hours=Sum("volunteer_hours"),
            participants=Sum("participants_total"),
            women=Sum("participants_women"),
            youth=Sum("participants_youth"),
            visitors=Sum("participants_visitors"),
        )
    )
    out = {row.pop("village_id"): row for row in rows}
    populations = Village.objects.filter(pk__in=sorted(out)).values_list("pk", "population")
    for pk, population in populations if out else ():
        out[pk]["population"] = population
    return out


def seedling_totals(*, village_ids: Iterable[int] | None, period: Period) -> dict[int, dict]:
    """Per village, from the species rows of verified planting actions: seedlings of
    instrument species (only species rows say which species a seedling was), and the
    seedlings of actions that declared no quantity in seedlings (a row older than that rule
    counts its species rows instead; a declared quantity is never exceeded by its species
    counts, the logging service checks)."""
    qs = ActionSpecies.objects.filter(
        action__status=LogStatus.VERIFIED,
        action__kind__in=PLANTING_KINDS,
        action__date__gte=period.start,
        action__date__lt=period.end,
    )
    rows = (
        _in(qs, "action__village_id", _ids(village_ids))
        .order_by()
        .values("action__village_id")
        .annotate(
            instrument=Sum("count", filter=~Q(species__instrument_use="")),
            undeclared=Sum(
                "count", filter=Q(action__quantity__isnull=True) | ~Q(action__unit="seedlings")
            ),
        )
    )
    return {row.pop("action__village_id"): row for row in rows}


def latest_census_trees(*, village_ids: Iterable[int] | None, before: date):
    """Rows (village_id, plot_id, census_date, wood density, dbh, height) of each plot's
    latest census dated before ``before`` (one query; the latest date is a subquery)."""
    latest = (
        TreeMeasurement.objects.filter(plot=OuterRef("plot"), census_date__lt=before)
        .order_by("-census_date")
        .values("census_date")[:1]
    )
    return (
        _in(
            TreeMeasurement.objects.filter(census_date__lt=before),
            "plot__village_id",
            _ids(village_ids),
        )
        .annotate(latest=Subquery(latest))
        .filter(census_date=F("latest"))
        .order_by("plot_id", "tree_tag")
        .values_list(
            "plot__village_id",
            "plot_id",
            "census_date",
            "species__wood_density_g_cm3",
            "dbh_cm",
            "height_m",
        )
    )


def carbon_stock(*, village_ids: Iterable[int] | None, before: date) -> dict[int, dict]:
    """Per village: CO2e (t) above ground in its plots at their latest census before a date.

    Trees whose species has no wood density cannot be computed; they are counted in
    ``trees_without_density`` and left out (never guessed). A village whose measured
    trees all lack a density has a missing stock.
    """
    out: dict[int, dict] = defaultdict(
        lambda: {"agb_kg": 0.0, "trees": 0, "trees_without_density": 0, "plots": set()}
    )
    for village_id, plot_id, _census, rho, dbh, height in latest_census_trees(
        village_ids=village_ids, before=before
    ):
        entry = out[village_id]
        entry["plots"].add(plot_id)
        if rho is None:
            entry["trees_without_density"] += 1
            continue
        entry["agb_kg"] += carbon.agb_kg(wood_density_g_cm3=rho, dbh_cm=dbh, height_m=height)
        entry["trees"] += 1
    result = {}
    for village_id, entry in out.items():
        co2e_t = None
        if entry["trees"]:
            co2e_t = carbon.co2e_kg(carbon_kg=carbon.carbon_kg(agb_kg=entry["agb_kg"])) / 1000.0
        result[village_id] = {
            "co2e_t": co2e_t,
            "trees": entry["trees"],
            "trees_without_density": entry["trees_without_density"],
            "plots": len(entry["plots"]),
        }
    return result


def entered_values(
    *, village_ids: Iterable[int] | None, period: Period
) -> dict[int, dict[str, float]]:
    """Per village: values entered for exactly this period label, by indicator code."""
    out: dict[int, dict[str, float]] = defaultdict(dict)
    rows = _in(
        IndicatorValue.objects.filter(period=period.label), "village_id", _ids(village_ids)
    ).values_list("village_id", "indicator__code", "value")
    for village_id, code, value in rows:
        out[village_id][code] = value
    return dict(out)


def computed_values(
    *, village_ids: Iterable[int] | None, period: Period
) -> dict[int, dict[str, float | None]]:
    """Per village: every computation in COMPUTATIONS, None where its family has no data.

    With village ids, one entry per id asked for; with None, one per village that has data
    of any family in the period (a fixed number of grouped queries either way)."""
    ids = _ids(village_ids)
    actions = action_totals(village_ids=ids, period=period)
    seedlings = seedling_totals(village_ids=ids, period=period)
    stays = guest_stay_totals(village_ids=ids, start=period.start, end=period.end)
    events = event_report_totals(village_ids=ids, start=period.start, end=period.end)
    beds = homestay_beds(village_ids=ids if ids is not None else list(stays)) if stays else {}
    stocks = carbon_stock(village_ids=ids, before=period.end)
    sounds = median_ndsi(village_ids=ids, start=period.start, end=period.end)
    if ids is None:
        ids = sorted(set(actions) | set(stays) | set(events) | set(stocks) | set(sounds))
    result = {}
    for vid in ids:
        values: dict[str, float | None] = dict.fromkeys(COMPUTATIONS)
        if (a := actions.get(vid)) is not None:
            s = seedlings.get(vid, {})
            values.update(
                seedlings_planted=_f(a["seedlings_declared"]) + _f(s.get("undeclared")),
                instrument_species_planted=_f(s.get("instrument")),
                area_restored_m2=_f(a["area_m2"]),
                waste_collected_kg=_f(a["waste_kg"]),
                volunteer_hours=_f(a["volunteer_hours"]),
                actions_verified=_f(a["actions"]),
                women_participation_pct=_ratio(a["women"], a["participants"], 100.0),
                # Participations, not persons: one resident at two actions counts twice.
                resident_participation_pct=_ratio(
                    _f(a["participants"]) - _f(a["visitors"]), a.get("population"), 100.0
                ),
            )
        if (st := stays.get(vid)) is not None:
            capacity = beds.get(vid, 0) * period.days
            values.update(
                guest_nights=_f(st["guest_nights"]),
                avg_length_of_stay=_ratio(st["guest_nights"], st["guests"]),
                bed_occupancy_pct=_ratio(st["guest_nights"], capacity, 100.0),
            )
        if (ev := events.get(vid)) is not None:
            values.update(
                events_held=_f(ev["reports"]),
                event_audience=_f(ev["audience"]),
                local_performers_paid=_f(ev["local_performers_paid"]),
            )
        if st is not None or ev is not None:
            values["tourism_revenue_idr"] = _f((st or {}).get("revenue_idr")) + _f(
                (ev or {}).get("revenue_idr")
            )
        if a is not None or ev is not None:
            values["youth_participants"] = _f((a or {}).get("youth")) + _f(
                (ev or {}).get("participants_youth")
            )
        if (c := stocks.get(vid)) is not None:
            values["carbon_stock_tco2e"] = c["co2e_t"]
        if (sound := sounds.get(vid)) is not None:
            values["soundscape_ndsi"] = sound["ndsi"]
        result[vid] = values
    return result
