"""The scorecard service: compute a village's scorecard for a period, publish it as a frozen
snapshot, recompute a snapshot from its frozen inputs, and confirm a tourism stage.

The arithmetic lives in greenscore.method (pure, versioned); this module only gathers its
inputs from the database and stores what it returns.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from villages.models import Village

from . import method
from . import selectors_scorecard as sel
from .models import ScorecardSnapshot
from .periods import Period

# Keys of an indicator input that the method reads; the rest (units, years) is context.
_METHOD_KEYS = ("code", "pillar", "direction", "is_flow", "value", "baseline", "target", "weight")


def freeze_inputs(*, rows: list[dict], period: Period, aggregation: str) -> dict:
    """Everything compute_from_inputs needs, as plain JSON."""
    return {"period": period.label, "year_fraction": period.year_fraction,
            "aggregation": aggregation, "method_version": method.METHOD_VERSION,
            "indicators": rows}


def compute_from_inputs(inputs: dict, *, aggregation: str | None = None) -> dict:
    """Results (method.ScorecardResult.to_dict()) of frozen or live inputs."""
    indicators = [method.IndicatorInput(**{k: row[k] for k in _METHOD_KEYS})
                  for row in inputs["indicators"]]
    result = method.compute_scorecard(indicators, year_fraction=inputs["year_fraction"],
                                      aggregation=aggregation or inputs["aggregation"])
    return result.to_dict()


def _check_aggregation(aggregation: str) -> None:
    if aggregation not in method.AGGREGATIONS:
        raise ValidationError({"aggregation": _("Use arithmetic or geometric.")})


def live_scorecards(*, villages: list[Village], period: Period,
                    aggregation: str = "arithmetic") -> dict[int, dict]:
    """Live scorecards of several villages at once: {village id: {"inputs", "results"}}.

    The raw values of all villages come from the same handful of grouped queries.
    """
    _check_aggregation(aggregation)
    catalogue = sel.indicator_catalogue()
    rows = sel.live_inputs(village_ids=[v.pk for v in villages], period=period,
                           catalogue=catalogue)
    out = {}
    for village in villages:
        inputs = freeze_inputs(rows=rows[village.pk], period=period, aggregation=aggregation)
        out[village.pk] = {"inputs": inputs, "results": compute_from_inputs(inputs)}
    return out


def live_scorecard(*, village: Village, period: Period, aggregation: str = "arithmetic") -> dict:
    """One village's live scorecard: {"inputs", "results"}."""
    return live_scorecards(villages=[village], period=period, aggregation=aggregation)[village.pk]


@transaction.atomic
def publish(*, village: Village, period: Period, aggregation: str = "arithmetic",
            user) -> ScorecardSnapshot:
    """Freeze the live scorecard as the current published snapshot (older ones are kept)."""
    if not sel.can_publish(user):
        raise PermissionDenied(_("Only AMO can publish a scorecard."))
    live = live_scorecard(village=village, period=period, aggregation=aggregation)
    # Lock the village row so two simultaneous publications cannot both be current.
    Village.objects.select_for_update().filter(pk=village.pk).first()
    ScorecardSnapshot.objects.current().filter(
        village=village, period=period.label, aggregation=aggregation).update(is_current=False)
    return ScorecardSnapshot.objects.create(
        village=village, period=period.label, aggregation=aggregation,
        method_version=live["inputs"]["method_version"], inputs=live["inputs"],
        results=live["results"], published_by=user)


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
            out.append({"code": old["code"], "published_value": old["value"],
                        "live_value": None, "published_score": old["score"], "live_score": None})
        elif (old["value"], old["score"], old["baseline"], old["target"], old["weight"]) != (
                new["value"], new["score"], new["baseline"], new["target"], new["weight"]):
            out.append({"code": old["code"], "published_value": old["value"],
                        "live_value": new["value"], "published_score": old["score"],
                        "live_score": new["score"]})
    return out


def confirm_stage(*, village: Village, stage: str, user) -> Village:
    """AMO confirms a village's tourism stage (a suggestion never sets it by itself)."""
    if not sel.can_publish(user):
        raise PermissionDenied(_("Only AMO can confirm a tourism stage."))
    if stage not in Village.TourismStage.values:
        raise ValidationError({"stage": _("Unknown stage; use rintisan, berkembang, maju or "
                                          "mandiri.")})
    village.tourism_stage = stage
    village.save(update_fields=["tourism_stage", "updated_at"])
    return village


def trend(*, village: Village, period: Period, live: bool, aggregation: str = "arithmetic",
          n: int = 4) -> list[dict]:
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
        out.append({"period": p.label,
                    "composite": results and results["composite"],
                    "pillars": {k: (results["pillars"][k]["score"] if results else None)
                                for k in method.PILLARS}})
    return out
