"""The scoring method, checked against cases worked by hand (no database)."""

import json
from decimal import Decimal

import pytest

from greenscore.scorecard.method import (
    METHOD_VERSION,
    STAGE_THRESHOLDS,
    Direction,
    IndicatorInput,
    composite_score,
    compute_scorecard,
    indicator_score,
    pillar_score,
    reference_values,
    scale_flow,
    suggest_stage,
)
from greenscore.scorecard.periods import Period


def score(value, baseline, target, direction="higher", **kw):
    return indicator_score(value=value, baseline=baseline, target=target, direction=direction, **kw)


# --- indicator scores -----------------------------------------------------------------------


def test_higher_is_better_partial():
    assert score(25, 10, 30) == pytest.approx(75.0)  # (25-10)/(30-10) = 15/20 = 0.75


def test_higher_is_better_clamps():
    assert score(45, 10, 30) == 100.0  # (45-10)/20 = 1.75 -> clamped to 1
    assert score(5, 10, 30) == 0.0  # (5-10)/20 = -0.25 -> clamped to 0
    assert score(10, 10, 30) == 0.0  # on the baseline: 0/20


def test_lower_is_better():
    assert score(70, 100, 50, "lower") == pytest.approx(60.0)  # (70-100)/(50-100) = -30/-50 = 0.6
    assert score(40, 100, 50, "lower") == 100.0  # (40-100)/-50 = 1.2 -> 1
    assert score(120, 100, 50, "lower") == 0.0  # (120-100)/-50 = -0.4 -> 0


def test_band_around_fifty_percent():
    band = dict(baseline=20, target=50, direction="band")
    # 1 - |45-50|/|50-20| = 1 - 5/30 = 0.83333
    assert indicator_score(value=45, **band) == pytest.approx(83.3333333)
    assert indicator_score(value=80, **band) == 0.0  # 1 - |80-50|/30 = 1 - 1 = 0
    assert indicator_score(value=50, **band) == 100.0  # on target: 1 - 0/30
    assert indicator_score(value=20, **band) == 0.0  # back at the baseline: 1 - 30/30
    assert indicator_score(value=95, **band) == 0.0  # 1 - 45/30 = -0.5 -> 0
    assert indicator_score(value=55, **band) == pytest.approx(83.3333333)  # symmetric: 1 - 5/30


def test_band_flag_and_enum_direction():
    assert score(45, 20, 50, Direction.HIGHER, band=True) == pytest.approx(83.3333333)  # 1 - 5/30
    assert score(25, 10, 30, Direction.HIGHER) == pytest.approx(75.0)  # 15/20


def test_missing_value_is_none_not_zero():
    assert score(None, 10, 30) is None
    assert score(None, 20, 50, "band") is None


def test_target_equal_to_baseline_is_all_or_nothing():
    assert score(30, 30, 30, "higher") == 100.0  # meets the target
    assert score(31, 30, 30, "higher") == 100.0  # exceeds it
    assert score(29, 30, 30, "higher") == 0.0
    assert score(30, 30, 30, "lower") == 100.0
    assert score(29, 30, 30, "lower") == 100.0
    assert score(31, 30, 30, "lower") == 0.0
    assert score(30, 30, 30, "band") == 100.0
    assert score(30.5, 30, 30, "band") == 0.0


def test_direction_must_match_target_side():
    with pytest.raises(ValueError, match="target above its baseline"):
        score(25, 30, 10, "higher")
    with pytest.raises(ValueError, match="target below its baseline"):
        score(70, 50, 100, "lower")


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="Unknown direction"):
        score(1, 0, 10, "sideways")
    with pytest.raises(ValueError, match="finite"):
        score(float("nan"), 0, 10)


def test_decimal_inputs():
    assert score(Decimal("25"), Decimal("10"), Decimal("30")) == pytest.approx(75.0)  # 15/20


# --- flow scaling ---------------------------------------------------------------------------


def test_flow_target_scaled_to_a_quarter():
    q2 = Period.parse("2026-Q2")  # 30 + 31 + 30 = 91 days of 365
    assert scale_flow(annual_value=1000, year_fraction=q2.year_fraction) == pytest.approx(
        249.3150685
    )  # 1000 * 91/365 = 249.3150685
    assert scale_flow(annual_value=None, year_fraction=0.5) is None
    with pytest.raises(ValueError):
        scale_flow(annual_value=1000, year_fraction=0)
    with pytest.raises(ValueError):
        scale_flow(annual_value=1000, year_fraction=1.5)


def test_stocks_are_not_scaled():
    stock = IndicatorInput("S", "social", "higher", False, 5, 10, 30)
    flow = IndicatorInput("F", "social", "higher", True, 5, 0, 1000)
    assert reference_values(stock, year_fraction=91 / 365) == (10.0, 30.0)
    b, t = reference_values(flow, year_fraction=91 / 365)
    assert (b, t) == (0.0, pytest.approx(249.3150685))  # 0 * f = 0, 1000 * 91/365


# --- pillars --------------------------------------------------------------------------------


def test_pillar_weighted_mean():
    result = pillar_score([(75.0, 2), (60.0, 1)])
    assert result.score == pytest.approx(70.0)  # (75*2 + 60*1) / 3 = 210/3
    assert result.coverage == 1.0 and not result.insufficient


def test_missing_indicator_is_excluded_not_zero():
    result = pillar_score([(80.0, 1), (60.0, 1), (None, 1)])
    assert result.score == pytest.approx(70.0)  # (80+60)/2, the missing one is not a 0
    assert result.coverage == pytest.approx(2 / 3)  # weight 2 of 3 has data
    assert not result.insufficient  # exactly 2/3 counts as sufficient


def test_one_of_three_is_insufficient():
    result = pillar_score([(80.0, 1), (None, 1), (None, 1)])
    assert result.score is None and result.insufficient
    assert result.coverage == pytest.approx(1 / 3)  # weight 1 of 3
    assert (result.weight_with_data, result.weight_total) == (1.0, 3.0)


def test_two_thirds_is_exact_for_decimal_looking_weights():
    # 0.1 + 0.2 over 0.1 + 0.2 + 0.15 is 0.3/0.45 = 2/3 exactly; in binary floats it is not.
    result = pillar_score([(50.0, 0.1), (80.0, 0.2), (None, 0.15)])
    assert not result.insufficient
    assert result.score == pytest.approx(70.0)  # (50*0.1 + 80*0.2)/0.3 = 21/0.3
    assert not pillar_score(
        [(50.0, Decimal("0.1")), (80.0, Decimal("0.2")), (None, Decimal("0.15"))]
    ).insufficient


def test_just_below_two_thirds_is_insufficient():
    assert pillar_score([(50.0, 0.66), (None, 0.34)]).insufficient  # 0.66 < 2/3


def test_empty_pillar_and_bad_weight():
    empty = pillar_score([])
    assert empty.score is None and empty.coverage == 0.0 and empty.insufficient
    with pytest.raises(ValueError, match="weights"):
        pillar_score([(50.0, -1)])


# --- composite and stage --------------------------------------------------------------------

SCORES = {"social": 90.0, "economic": 80.0, "environmental": 0.0}


def test_arithmetic_composite():
    assert composite_score(SCORES) == pytest.approx(56.6666667)  # (90+80+0)/3 = 170/3


def test_geometric_composite_punishes_a_collapsed_pillar():
    geo = composite_score(SCORES, aggregation="geometric")
    assert geo == pytest.approx(19.3097877)  # (90*80*max(0,1))^(1/3) = 7200^(1/3)
    assert geo < composite_score(SCORES) / 2
    balanced = {"social": 60.0, "economic": 60.0, "environmental": 60.0}
    assert composite_score(balanced, aggregation="geometric") == pytest.approx(60.0)  # 216000^(1/3)


def test_composite_needs_every_pillar():
    assert composite_score({**SCORES, "economic": None}) is None
    assert composite_score({"social": 90.0, "economic": 80.0}) is None
    assert composite_score({**SCORES, "economic": None}, aggregation="geometric") is None


def test_composite_rejects_unknown_names():
    with pytest.raises(ValueError, match="aggregation"):
        composite_score(SCORES, aggregation="median")
    with pytest.raises(ValueError, match="pillar"):
        composite_score({**SCORES, "cultural": 50.0})


@pytest.mark.parametrize(
    "composite, stage",
    [
        (0.0, "rintisan"),
        (39.9999, "rintisan"),
        (40.0, "berkembang"),
        (59.9999, "berkembang"),
        (60.0, "maju"),
        (79.9999, "maju"),
        (80.0, "mandiri"),
        (100.0, "mandiri"),
        (None, None),
    ],
)
def test_stage_thresholds(composite, stage):
    assert suggest_stage(composite) == stage


def test_stage_thresholds_constant():
    assert [bound for bound, _ in STAGE_THRESHOLDS] == [0.0, 40.0, 60.0, 80.0]


# --- whole scorecard ------------------------------------------------------------------------


def _inputs():
    return [
        IndicatorInput("S1", "social", "higher", False, 25, 10, 30),  # 15/20 -> 75
        IndicatorInput("S2", "social", "lower", False, 70, 100, 50),  # -30/-50 -> 60
        IndicatorInput("S3", "social", "higher", False, None, 0, 10),  # missing
        IndicatorInput("E1", "economic", "higher", True, 200, 0, 1000, weight=2),
        IndicatorInput("E2", "economic", "band", False, 45, 20, 50),  # 1 - 5/30 -> 83.33
        IndicatorInput("V1", "environmental", "lower", True, 60, 400, 200),
    ]


def test_scorecard_for_a_quarter():
    yf = Period.parse("2026-Q2").year_fraction  # 91/365
    result = compute_scorecard(_inputs(), year_fraction=yf)
    by_code = {i.code: i for i in result.indicators}
    # E1: target 1000*91/365 = 249.315; 200/249.315 = 73000/910 = 0.8021978 -> 80.21978
    assert by_code["E1"].target == pytest.approx(249.3150685)
    assert by_code["E1"].score == pytest.approx(80.2197802)
    # V1: b = 400*91/365 = 99.72603, t = 49.86301; (60-99.72603)/(49.86301-99.72603)
    #     = 14500/18200 = 0.7967033 -> 79.67033
    assert (by_code["V1"].baseline, by_code["V1"].target) == (
        pytest.approx(99.7260274),
        pytest.approx(49.8630137),
    )
    assert by_code["V1"].score == pytest.approx(79.6703297)
    assert by_code["S1"].baseline == 10.0  # stock: not scaled
    social, economic, environmental = (
        result.pillars[n] for n in ("social", "economic", "environmental")
    )
    assert social.score == pytest.approx(67.5)  # (75+60)/2, coverage 2/3 suffices
    assert social.coverage == pytest.approx(2 / 3)
    assert economic.score == pytest.approx(81.2576313)  # (80.21978*2 + 83.33333)/3
    assert environmental.score == pytest.approx(79.6703297)
    assert result.composite == pytest.approx(76.1426536)  # (67.5 + 81.25763 + 79.67033)/3
    assert result.suggested_stage == "maju"  # 60 <= 76.14 < 80
    assert result.method_version == METHOD_VERSION == "1.0"


def test_scorecard_dict_is_json_rounded_and_deterministic():
    yf = 91 / 365
    first = compute_scorecard(_inputs(), year_fraction=yf).to_dict()
    again = compute_scorecard(list(reversed(_inputs())), year_fraction=yf).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert first["composite"] == 76.1427  # rounded only here
    assert first["pillars"]["social"] == {"score": 67.5, "coverage": 0.6667}
    assert first["suggested_stage"] == "maju" and first["aggregation"] == "arithmetic"
    assert first["method_version"] == "1.0"
    e1 = next(i for i in first["indicators"] if i["code"] == "E1")
    assert e1 == {
        "code": "E1",
        "pillar": "economic",
        "value": 200.0,
        "baseline": 0.0,
        "target": 249.3151,
        "weight": 2.0,
        "score": 80.2198,
    }
    s3 = next(i for i in first["indicators"] if i["code"] == "S3")
    assert s3["value"] is None and s3["score"] is None
    # The unrounded composite is kept on the result itself.
    assert compute_scorecard(_inputs(), year_fraction=yf).composite != 76.1427


def test_scorecard_with_an_insufficient_pillar_has_no_composite():
    inputs = [i for i in _inputs() if i.code != "S2"]  # social: 1 of 2 weight scored
    result = compute_scorecard(inputs, year_fraction=1.0, aggregation="geometric")
    assert result.pillars["social"].score is None
    assert result.composite is None and result.suggested_stage is None
    assert result.to_dict()["aggregation"] == "geometric"


def test_scorecard_rejects_bad_input():
    with pytest.raises(ValueError, match="Duplicate"):
        compute_scorecard(_inputs() + [_inputs()[0]], year_fraction=1.0)
    with pytest.raises(ValueError, match="aggregation"):
        compute_scorecard(_inputs(), year_fraction=1.0, aggregation="harmonic")
    with pytest.raises(ValueError, match="year_fraction"):
        compute_scorecard(_inputs(), year_fraction=0)
    with pytest.raises(ValueError, match="pillar"):
        IndicatorInput("X", "cultural", "higher", False, 1, 0, 10)
    with pytest.raises(ValueError, match="direction"):
        IndicatorInput("X", "social", "up", False, 1, 0, 10)
