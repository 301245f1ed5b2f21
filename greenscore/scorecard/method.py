"""Impact-scorecard method: pure (no Django, no database) so snapshots recompute exactly.

Any change to a formula or threshold here must bump ``METHOD_VERSION``."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

METHOD_VERSION = "1.0"
PILLARS: tuple[str, ...] = ("social", "economic", "environmental")
AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric")
# A pillar needs data for at least this share of its weight; exactly 2/3 is enough.
MIN_COVERAGE = Fraction(2, 3)
# Lower bound of each stage on the 0..100 composite; a stage runs up to the next bound
# (exclusive): <40 rintisan, 40..<60 berkembang, 60..<80 maju, >=80 mandiri.
STAGE_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (0.0, "rintisan"),
    (40.0, "berkembang"),
    (60.0, "maju"),
    (80.0, "mandiri"),
)
Number = float | int | Decimal | Fraction


class Direction(StrEnum):
    """Which way an indicator improves."""

    HIGHER = "higher"
    LOWER = "lower"
    BAND = "band"  # best at the target, worse the further away in either direction


def _direction(value: Direction | str) -> Direction:
    try:
        return Direction(value)
    except ValueError:
        raise ValueError(f"Unknown direction {value!r}: use higher, lower or band.") from None


def _check_fraction(year_fraction: float) -> None:
    if not 0.0 < year_fraction <= 1.0:  # also rejects NaN
        raise ValueError(f"year_fraction must be in (0, 1], not {year_fraction!r}.")


def _unit(x: float) -> float:
    return max(0.0, min(1.0, x))


def _finite(name: str, value: Number) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")
    return number


def indicator_score(
    *,
    value: Number | None,
    baseline: Number,
    target: Number,
    direction: Direction | str,
    band: bool = False,
) -> float | None:
    """Score 0..100 of one indicator; None when the value is missing (missing is never zero).

    Linear ``100 * clamp((x - b) / (t - b), 0, 1)`` also covers lower-is-better (t < b).
    Band (direction "band" or ``band=True``): ``100 * clamp(1 - |x - t| / |t - b|, 0, 1)``.
    t == b leaves no ramp, so it is all-or-nothing: 100 if x meets the target in the
    indicator's direction (x >= t higher, x <= t lower, x == t band), else 0.
    "higher" with t < b (or "lower" with t > b) is rejected: it would reward the wrong way.
    """
    kind = Direction.BAND if band else _direction(direction)
    if value is None:
        return None
    x, b, t = (
        _finite(n, v) for n, v in (("value", value), ("baseline", baseline), ("target", target))
    )
    if kind is Direction.BAND:
        if t == b:
            return 100.0 if x == t else 0.0
        return 100.0 * _unit(1.0 - abs(x - t) / abs(t - b))
    if t == b:
        met = x >= t if kind is Direction.HIGHER else x <= t
        return 100.0 if met else 0.0
    if (kind is Direction.HIGHER) != (t > b):
        side = "above" if kind is Direction.HIGHER else "below"
        raise ValueError(
            f"A {kind.value}-is-better indicator needs a target {side} its "
            f"baseline (baseline {b:g}, target {t:g})."
        )
    return 100.0 * _unit((x - b) / (t - b))


def scale_flow(*, annual_value: Number | None, year_fraction: float) -> float | None:
    """Scale an annual flow baseline/target to a period (stock indicators are not scaled)."""
    _check_fraction(year_fraction)
    if annual_value is None:
        return None
    return _finite("annual_value", annual_value) * year_fraction


def _exact(weight: Number) -> Fraction:
    # Floats go through their shortest repr so 0.1 means one tenth: weights that a person
    # meant as exactly 2/3 of the total then compare as exactly 2/3, with no epsilon.
    if not math.isfinite(float(weight)) or weight < 0:
        raise ValueError(f"Indicator weights must be finite and >= 0, not {weight!r}.")
    return _float_fraction(weight) if isinstance(weight, float) else Fraction(weight)


@functools.lru_cache(maxsize=256)
def _float_fraction(weight: float) -> Fraction:
    # A handful of distinct weights recur in every scorecard: parse each once.
    return Fraction(repr(weight))


@dataclass(frozen=True)
class PillarResult:
    """A pillar's weighted mean score and how much of its weight had data."""

    score: float | None
    coverage: float
    weight_with_data: float
    weight_total: float
    insufficient: bool


def pillar_score(items: Iterable[tuple[float | None, Number]]) -> PillarResult:
    """Weighted mean of the scored indicators; None ("insufficient data") below 2/3 coverage."""
    total, with_data, weighted_sum = Fraction(0), Fraction(0), 0.0
    for score, weight in items:
        exact = _exact(weight)
        total += exact
        if score is not None:
            with_data += exact
            weighted_sum += float(score) * float(weight)
    coverage = with_data / total if total else Fraction(0)
    insufficient = total == 0 or coverage < MIN_COVERAGE
    score_out = None if insufficient else weighted_sum / float(with_data)
    return PillarResult(score_out, float(coverage), float(with_data), float(total), insufficient)


def composite_score(
    pillar_scores: Mapping[str, float | None], *, aggregation: str = "arithmetic"
) -> float | None:
    """Mean of the three pillar scores; None unless every pillar has a score.

    "geometric" floors each score at 1 and takes the cube root of the product, so one
    collapsed pillar drags the composite down instead of hiding (90, 80, 0 -> ~19.3, not 56.7).
    """
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"Unknown aggregation {aggregation!r}: use arithmetic or geometric.")
    if unknown := set(pillar_scores) - set(PILLARS):
        raise ValueError(f"Unknown pillar(s) {sorted(unknown)}: use {', '.join(PILLARS)}.")
    if any(pillar_scores.get(name) is None for name in PILLARS):
        return None
    values = [float(pillar_scores[name]) for name in PILLARS]  # type: ignore[arg-type]
    if aggregation == "arithmetic":
        return sum(values) / len(values)
    return math.prod(max(s, 1.0) for s in values) ** (1.0 / len(values))


def suggest_stage(composite: float | None) -> str | None:
    """Development stage suggested by the composite score (see STAGE_THRESHOLDS)."""
    if composite is None:
        return None
    return next(
        (name for bound, name in reversed(STAGE_THRESHOLDS) if composite >= bound),
        STAGE_THRESHOLDS[0][1],
    )


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator's definition and observed value; baseline/target are annual for flows."""

    code: str
    pillar: str
    direction: Direction | str
    is_flow: bool
    value: Number | None
    baseline: Number
    target: Number
    weight: Number = 1.0

    def __post_init__(self) -> None:
        if self.pillar not in PILLARS:
            raise ValueError(f"{self.code}: unknown pillar {self.pillar!r}.")
        if self.baseline is None or self.target is None:
            raise ValueError(f"{self.code}: an indicator needs both a baseline and a target.")
        object.__setattr__(self, "direction", _direction(self.direction))


def reference_values(indicator: IndicatorInput, *, year_fraction: float) -> tuple[float, float]:
    """Baseline and target as used for the period: flows scaled by year_fraction, stocks not."""
    _check_fraction(year_fraction)
    factor = year_fraction if indicator.is_flow else 1.0  # x * 1.0 is exact: stocks unchanged
    return (
        scale_flow(annual_value=indicator.baseline, year_fraction=factor),  # type: ignore
        scale_flow(annual_value=indicator.target, year_fraction=factor),
    )


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator as scored: baseline/target are the (possibly scaled) values used."""

    code: str
    pillar: str
    value: float | None
    baseline: float
    target: float
    weight: float
    score: float | None


@dataclass(frozen=True)
class ScorecardResult:
    """Everything a scorecard snapshot stores."""

    indicators: tuple[IndicatorResult, ...]
    pillars: dict[str, PillarResult]
    composite: float | None
    suggested_stage: str | None
    aggregation: str
    year_fraction: float
    method_version: str = METHOD_VERSION

    def to_dict(self) -> dict:
        """JSON-serialisable form, floats rounded to 4 decimals (only here, never earlier)."""
        return {
            "method_version": self.method_version,
            "aggregation": self.aggregation,
            "year_fraction": _r(self.year_fraction),
            "indicators": [
                {name: _r(getattr(i, name)) for name in _INDICATOR_FIELDS} for i in self.indicators
            ],
            "pillars": {
                name: {"score": _r(p.score), "coverage": _r(p.coverage)}
                for name, p in self.pillars.items()
            },
            "composite": _r(self.composite),
            "suggested_stage": self.suggested_stage,
        }


# IndicatorResult's fields in order (what dataclasses.asdict gives, without its deep copy).
_INDICATOR_FIELDS = tuple(f.name for f in fields(IndicatorResult))


def _r(value: object) -> object:
    # Rounds floats and passes anything else (None, text) through. "+ 0.0" turns -0.0 into
    # 0.0 so equal snapshots also serialise to equal JSON text.
    return round(value, 4) + 0.0 if isinstance(value, float) else value


def compute_scorecard(
    inputs: Iterable[IndicatorInput], *, year_fraction: float, aggregation: str = "arithmetic"
) -> ScorecardResult:
    """Score every indicator, then the pillars, the composite and the suggested stage."""
    _check_fraction(year_fraction)  # aggregation is checked by composite_score, always reached
    # Sorted by pillar then code so the result (and float summation order) does not depend
    # on the order the caller happened to query the indicators in.
    ordered = sorted(inputs, key=lambda i: (PILLARS.index(i.pillar), i.code))
    codes = [i.code for i in ordered]
    if duplicates := sorted({c for c in codes if codes.count(c) > 1}):
        raise ValueError(f"Duplicate indicator code(s): {', '.join(duplicates)}.")
    results = []
    for ind in ordered:
        b, t = reference_values(ind, year_fraction=year_fraction)
        x = None if ind.value is None else _finite(f"{ind.code} value", ind.value)
        score = indicator_score(value=x, baseline=b, target=t, direction=ind.direction)
        results.append(
            IndicatorResult(
                code=ind.code,
                pillar=ind.pillar,
                value=x,
                baseline=b,
                target=t,
                weight=float(ind.weight),
                score=score,
            )
        )
    pillars = {
        name: pillar_score((r.score, r.weight) for r in results if r.pillar == name)
        for name in PILLARS
    }
    composite = composite_score({n: p.score for n, p in pillars.items()}, aggregation=aggregation)
    return ScorecardResult(
        indicators=tuple(results),
        pillars=pillars,
        composite=composite,
        suggested_stage=suggest_stage(composite),
        aggregation=aggregation,
        year_fraction=year_fraction,
    )
