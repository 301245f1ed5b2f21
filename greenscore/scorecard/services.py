"""The scorecard service: compute a village's scorecard for a period, publish it as a frozen
snapshot, recompute a snapshot from its frozen inputs, and confirm a tourism stage.

The arithmetic lives in greenscore.method (pure, versioned); this module only gathers its
inputs from the database and stores what it returns.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from villages import roles
from villages.models import Village

from . import method
from . import selectors as sel
from .models import ScorecardSnapshot
from .periods import Period

# Keys of an indicator input that the method reads; the rest (units, years) is context.
_METHOD_KEYS = ("code", "pillar", "direction", "is_flow", "value", "baseline", "target", "weight")


class ScorecardError(Exception):
    """The references make a scorecard impossible to compute (e.g. a higher-is-better
    target below its baseline); the message says which indicator to fix."""


def freeze_inputs(*, rows: list[dict], period: Period, aggregation: str) -> dict:
    """Everything compute_from_inputs needs, as plain JSON."""
    return {
        "period": period.label,
        "year_fraction": period.year_fraction,
        "aggregation": aggregation,
        "method_version": method.METHOD_VERSION,
        "indicators": rows,
    }


def compute_from_inputs(inputs: dict, *, aggregation: str | None = None) -> dict:
    """Results (method.ScorecardResult.to_dict()) of frozen or live inputs."""
    try:
        indicators = [
            method.IndicatorInput(**{k: row[k] for k in _METHOD_KEYS})
            for row in inputs["indicators"]
        ]
        result = method.compute_scorecard(
            indicators,
            year_fraction=inputs["year_fraction"],
            aggregation=aggregation or inputs["aggregation"],
        )
    except ValueError as exc:
        # Bad references entered outside the forms' checks: a clear conflict, not a crash.
        raise ScorecardError(str(exc)) from None
    return result.to_dict()


def _check_aggregation(aggregation: str) -> None:
    if aggregation not in method.AGGREGATIONS:
        raise ValidationError({"aggregation": _("Use arithmetic or geometric.")})


def _live_results(
    *,
    village_ids: list[int] | None,
    period: Period,
    aggregation: str,
    catalogue: list,
    only_with_data: bool = False,
) -> dict[int, dict]:
    rows = sel.live_inputs(
        village_ids=village_ids, period=period, catalogue=catalogue, only_with_data=only_with_data
    )
    out = {}
    for vid, village_rows in rows.items():
        inputs = freeze_inputs(rows=village_rows, period=period, aggregation=aggregation)
        out[vid] = {"inputs": inputs, "results": compute_from_inputs(inputs)}
    return out


def live_scorecards(
    *, villages: list[Village], period: Period, aggregation: str = "arithmetic"
) -> dict[int, dict]:
    """Live scorecards of several villages at once: {village id: {"inputs", "results"}}.

    The raw values of all villages come from the same handful of grouped queries.
    """
    _check_aggregation(aggregation)
    return _live_results(
        village_ids=[v.pk for v in villages],
        period=period,
        aggregation=aggregation,
        catalogue=sel.indicator_catalogue(),
    )


def live_scorecard(*, village: Village, period: Period, aggregation: str = "arithmetic") -> dict:
    """One village's live scorecard: {"inputs", "results"} (the overview's queries, filtered
    to this village)."""
    return live_scorecards(villages=[village], period=period, aggregation=aggregation)[village.pk]


@transaction.atomic
def publish(
    *, village: Village, period: Period, aggregation: str = "arithmetic", user
) -> ScorecardSnapshot:
    """Freeze the live scorecard as the current published snapshot (older ones are kept)."""
    if not roles.can_publish_scorecard(user):
        raise PermissionDenied(_("Only AMO can publish a scorecard."))
    live = live_scorecard(village=village, period=period, aggregation=aggregation)
    # Lock the village row so two simultaneous publications cannot both be current.
    Village.objects.select_for_update().filter(pk=village.pk).first()
    ScorecardSnapshot.objects.current().filter(
        village=village, period=period.label, aggregation=aggregation
    ).update(is_current=False)
    return ScorecardSnapshot.objects.create(
        village=village,
        period=period.label,
        aggregation=aggregation,
        method_version=live["inputs"]["method_version"],
        inputs=live["inputs"],
        results=live["results"],
        published_by=user,
    )


def recompute_snapshot(snapshot: ScorecardSnapshot) -> dict:
    """The results recomputed from the snapshot's frozen inputs (equal to its results while
    the method version is unchanged)."""
    return compute_from_inputs(snapshot.inputs, aggregation=snapshot.aggregation)


def differences(*, published: dict, live: dict) -> list[dict]:
    """Indicators whose value or score differs between a published and a live result."""
    live_by_code = {i["code"]: i for i in live["indicators"]}
    out = []
    for old in published["indicators"]:
        new = live_by_code.get(old["code"])
        if new is None:
            out.append(
                {
                    "code": old["code"],
                    "published_value": old["value"],
                    "live_value": None,
                    "published_score": old["score"],
                    "live_score": None,
                }
            )
        elif (old["value"], old["score"], old["baseline"], old["target"], old["weight"]) != (
            new["value"],
            new["score"],
            new["baseline"],
            new["target"],
            new["weight"],
        ):
            out.append(
                {
                    "code": old["code"],
                    "published_value": old["value"],
                    "live_value": new["value"],
                    "published_score": old["score"],
                    "live_score": new["score"],
                }
            )
    return out


def confirm_stage(*, village: Village, stage: str, user) -> Village:
    """AMO confirms a village's tourism stage (a suggestion never sets it by itself)."""
    if not roles.can_publish_scorecard(user):
        raise PermissionDenied(_("Only AMO can confirm a tourism stage."))
    if stage not in Village.TourismStage.values:
        raise ValidationError(
            {"stage": _("Unknown stage; use rintisan, berkembang, maju or mandiri.")}
        )
    village.tourism_stage = stage
    village.save(update_fields=["tourism_stage", "updated_at"])
    return village


def trend(
    *, village: Village, period: Period, live: bool, aggregation: str = "arithmetic", n: int = 4
) -> list[dict]:
    """Composite and pillar scores over the last n periods of the same kind, oldest first:
    live for those allowed to see it, else published snapshots only (gaps stay None)."""
    from .periods import trend as periods_trend

    periods = periods_trend(period, n) if period.year - n >= 2000 else [period]
    labels = [p.label for p in periods]
    published = sel.snapshots_for_periods(village=village, labels=labels, aggregation=aggregation)
    out = []
    for p in periods:
        if live:
            results = live_scorecard(village=village, period=p, aggregation=aggregation)["results"]
        else:
            snap = published.get(p.label)
            results = snap.results if snap else None
        out.append(
            {
                "period": p.label,
                "composite": results and results["composite"],
                "pillars": {
                    k: (results["pillars"][k]["score"] if results else None) for k in method.PILLARS
                },
            }
        )
    return out


# --- what a reader sees: published for everyone, live for AMO and coordinators ------


def _names(catalogue=None) -> dict[str, dict]:
    catalogue = sel.indicator_catalogue() if catalogue is None else catalogue
    return {
        i.code: {"name": i.name, "unit": i.unit, "source": i.source, "anchor": i.anchor}
        for i in catalogue
    }


def payload(
    *,
    village: Village,
    results: dict,
    status: str,
    names: dict[str, dict],
    snapshot: ScorecardSnapshot | None = None,
) -> dict:
    """The JSON shape of one village's scorecard (API, exports and pages share it)."""
    indicators = []
    for row in results["indicators"]:
        meta = names.get(row["code"], {})
        indicators.append(
            {
                "code": row["code"],
                "name": meta.get("name", row["code"]),
                "unit": meta.get("unit", ""),
                "pillar": row["pillar"],
                "source": meta.get("source", ""),
                "value": row["value"],
                "baseline": row["baseline"],
                "target": row["target"],
                "weight": row["weight"],
                "score": row["score"],
            }
        )
    return {
        "village": village.slug,
        "village_name": village.name,
        "period": (snapshot.period if snapshot else None) or results.get("period"),
        "status": status,
        "published_at": snapshot.published_at.isoformat() if snapshot else None,
        "method_version": results["method_version"],
        "aggregation": results["aggregation"],
        "year_fraction": results["year_fraction"],
        "composite": results["composite"],
        "suggested_stage": results["suggested_stage"],
        "confirmed_stage": village.tourism_stage or None,
        "pillars": results["pillars"],
        "indicators": indicators,
    }


def scorecard_for(
    *, user, village: Village, period: Period, aggregation: str = "arithmetic", view: str = "auto"
) -> dict | None:
    """The scorecard this user may read: live (with differences from the published one)
    for AMO and the village's coordinators, else the published snapshot, else None."""
    _check_aggregation(aggregation)
    live_allowed = roles.can_view_live_scorecard(user, village)
    if view == "live" and not live_allowed:
        raise PermissionDenied(
            _("Only AMO and the village's coordinators see unpublished scorecards.")
        )
    snapshot = sel.current_snapshot(village=village, period=period, aggregation=aggregation)
    names = _names()
    if view == "published" or not live_allowed:
        if snapshot is None:
            return None
        out = payload(
            village=village,
            results=snapshot.results,
            status="published",
            names=names,
            snapshot=snapshot,
        )
        out["period"] = period.label
        return out
    live = live_scorecard(village=village, period=period, aggregation=aggregation)
    out = payload(village=village, results=live["results"], status="live", names=names)
    out["period"] = period.label
    out["published_at"] = snapshot.published_at.isoformat() if snapshot else None
    out["published_composite"] = snapshot.results["composite"] if snapshot else None
    out["differences"] = (
        differences(published=snapshot.results, live=live["results"]) if snapshot else None
    )
    return out


def _audience(user, view: str) -> tuple[str, list[int] | None]:
    """Who reads the overview, as far as what it shows goes: ("public", []) for published
    snapshots only, ("amo", None) for every live scorecard, ("coordinator:<ids>", ids) for
    live ones of the villages a coordinator works in."""
    if view == "published" or not getattr(user, "is_authenticated", False):
        return "public", []
    if roles.is_reviewer(user):
        return "amo", None
    ids = sorted(roles.coordinated_village_ids(user))
    if not ids:
        return "public", []
    return "coordinator:" + ",".join(map(str, ids)), ids


def scorecards_for(
    *, user, period: Period, aggregation: str = "arithmetic", view: str = "auto"
) -> list[dict]:
    """Every village's scorecard this user may read, best composite first, with ranks
    (view="published" shows published snapshots only, even to AMO).

    Cached per period, aggregation, audience (public, AMO, a coordinator's villages) and
    language until a write that can change a scorecard (greenscore/scorecard/cache.py)."""
    from django.core.cache import cache as django_cache
    from django.utils.translation import get_language

    from . import cache

    _check_aggregation(aggregation)
    audience, live_ids = _audience(user, view)
    key = cache.key(period.label, aggregation, audience, get_language() or "")
    rows = django_cache.get(key)
    if rows is None:
        rows = compute_overview(period=period, aggregation=aggregation, live_ids=live_ids)
        django_cache.set(key, rows, cache.TIMEOUT)
    return rows


def compute_overview(
    *, period: Period, aggregation: str = "arithmetic", live_ids: list[int] | None = ()
) -> list[dict]:
    """The overview's rows, uncached: live scorecards for ``live_ids`` (None: every village
    with data; empty: none), published snapshots for the other villages; ranked."""
    published = sel.current_snapshots(period=period, aggregation=aggregation)
    catalogue = sel.indicator_catalogue()
    live = (
        _live_results(
            village_ids=live_ids,
            period=period,
            aggregation=aggregation,
            catalogue=catalogue,
            only_with_data=True,
        )
        if live_ids is None or live_ids
        else {}
    )
    # A published village without data this period is still shown live to those who may.
    extra = sorted(
        pk for pk in published if pk not in live and (live_ids is None or pk in (live_ids or ()))
    )
    if extra:
        live.update(
            _live_results(
                village_ids=extra, period=period, aggregation=aggregation, catalogue=catalogue
            )
        )
    villages = (
        Village.objects.only("id", "slug", "name", "tourism_stage")
        .order_by("pk")
        .in_bulk(sorted(set(live) | set(published)))
    )
    names = _names(catalogue)
    rows = []
    for pk, village in villages.items():
        if pk in live:
            row = payload(village=village, results=live[pk]["results"], status="live", names=names)
        else:
            row = payload(
                village=village,
                results=published[pk].results,
                status="published",
                names=names,
                snapshot=published[pk],
            )
        row["period"] = period.label
        rows.append(row)
    rows.sort(key=lambda r: (r["composite"] is None, -(r["composite"] or 0), r["village_name"]))
    # Standard competition ranking: equal composites share a rank (1, 2, 2, 4).
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row["composite"] is None:
            row["rank"] = None
            continue
        if row["composite"] != previous:
            previous, rank = row["composite"], position
        row["rank"] = rank
    return rows


def enter_value(
    *, village: Village, indicator, period: Period, value: float, source: str, note: str = "", user
):
    """AMO enters (or corrects) a survey or account value for a village and period.

    Validated like the admin form (entered indicators only, within the indicator's range).
    A published snapshot keeps the value it froze; the live view shows the difference.
    """
    from .models import IndicatorValue

    if not roles.can_publish_scorecard(user):
        raise PermissionDenied(_("Only AMO can enter indicator values."))
    row = IndicatorValue.objects.filter(
        village=village, indicator=indicator, period=period.label
    ).first() or IndicatorValue(village=village, indicator=indicator, period=period.label)
    row.value, row.source, row.note, row.entered_by = value, source, note, user
    row.full_clean()
    row.save()
    return row
