"""The weekly review's signals (domain/stacking.py): ready, mastered, slowing, plateau,
in both metric directions, with noisy values, missing days, skips, one measurement and
a tweak in the middle."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain.models import Metric
from micro_journal.domain.stacking import (
    HOLD,
    PRIORITY,
    SIGNAL_TOLERANCE,
    STACK,
    TWEAK,
    Signal,
    SkillWeek,
    Suggestion,
    TweakEffect,
    assess,
    days_met,
    days_needed,
    flat_weeks,
    gain,
    measurable,
    suggest,
    tolerance,
    tweak_effect,
)

KINDS = ("mastered", "ready", "practice", "plateau", "slowing", "unproven", "none")
SUGGESTION_OF = {
    "mastered": STACK,
    "ready": STACK,
    "practice": HOLD,
    "none": HOLD,
    "unproven": HOLD,
    "plateau": TWEAK,
    "slowing": TWEAK,
}


# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Direction:
    """A metric and how to write a "lower is better" series in its direction.

    Every scenario is written once as a lower-is-better series (seconds, baseline 12,
    target 3); the higher-is-better twin mirrors each value around 7.5 (points, baseline
    3, target 12), so the same story is told in both directions with the same span (9)
    and so the same tolerance (0.45).
    """

    name: str
    metric: Metric
    v: Callable[[float], float]

    def arrow(self, *values: float) -> str:
        return " → ".join(f"{self.v(x):g}" for x in values)


LOWER = Direction(
    "lower",
    Metric(name="time", unit="s", direction="lower", baseline=12, target=3),
    lambda x: x,
)
HIGHER = Direction(
    "higher",
    Metric(name="score", unit="pts", direction="higher", baseline=3, target=12),
    lambda x: round(15 - x, 9),
)


@pytest.fixture(params=[LOWER, HIGHER], ids=lambda d: d.name)
def d(request: pytest.FixtureRequest) -> Direction:
    return request.param


def wk(value: float | None = None, done: int = 7, skipped: int = 0) -> SkillWeek:
    return SkillWeek(done=done, skipped=skipped, value=value)


def series(d: Direction, *values: float | None, done: int = 7) -> list[SkillWeek]:
    """Weeks with all target days done and the given (lower-is-better) measurements."""
    return [wk(None if x is None else d.v(x), done) for x in values]


def judge(d: Direction, *values: float | None, tweak_at: int | None = None,
          target_days: int = 7) -> Signal:
    return assess(d.metric, target_days, series(d, *values), tweak_at=tweak_at)


def check(signal: Signal, kind: str, suggestion: str) -> None:
    assert signal.kind == kind, signal
    assert signal.suggestion == suggestion, signal
    assert SUGGESTION_OF[signal.kind] == signal.suggestion
    assert signal.reason


# ---------------------------------------------------------------- target days


@pytest.mark.parametrize(
    ("target", "skipped", "needed"),
    [
        (7, 0, 7),
        (5, 0, 5),
        (1, 0, 1),
        (7, 1, 6),  # a rest day is excused
        (7, 3, 4),
        (5, 1, 5),  # 5 of 7 leaves room for two rest days
        (5, 2, 5),
        (5, 3, 4),
        (3, 4, 3),
        (3, 5, 2),
        (7, 6, 1),
        (7, 7, 1),  # a whole week of rest still needs one day: never below 1
        (7, 9, 1),
        (1, 7, 1),
        (7, -2, 7),  # a negative rest count is no rest
        (0, 0, 1),  # targets outside 1..7 are clamped
        (-3, 0, 1),
        (8, 0, 7),
        (100, 2, 5),
        (0, 7, 1),
    ],
)
def test_days_needed_for_an_x_of_7_target(target, skipped, needed):
    assert days_needed(target, skipped) == needed


def test_days_needed_defaults_to_no_rest():
    assert days_needed(5) == 5


@pytest.mark.parametrize(
    ("week", "target", "met"),
    [
        (SkillWeek(done=7), 7, True),
        (SkillWeek(done=6), 7, False),
        (SkillWeek(done=6, skipped=1), 7, True),  # the skip is excused
        (SkillWeek(done=5, skipped=1), 7, False),
        (SkillWeek(done=5), 5, True),
        (SkillWeek(done=4), 5, False),
        (SkillWeek(done=4, skipped=3), 5, True),
        (SkillWeek(done=7), 5, True),  # more than the target is fine
        (SkillWeek(done=0, skipped=7), 7, False),  # at least one day
        (SkillWeek(done=1, skipped=7), 7, True),
        (SkillWeek(done=0), 0, False),  # a target of 0 is clamped to 1
        (SkillWeek(done=1), 0, True),
        (SkillWeek(done=7), 12, True),  # a target of 12 is clamped to 7
        (SkillWeek(done=6), 12, False),
    ],
)
def test_days_met(week, target, met):
    assert days_met(week, target) is met


@given(st.integers(-20, 30), st.integers(-5, 20))
def test_days_needed_is_between_one_and_the_clamped_target(target, skipped):
    needed = days_needed(target, skipped)
    assert 1 <= needed <= max(1, min(7, target))
    assert needed <= max(1, 7 - max(0, skipped))


@given(st.integers(-20, 30), st.integers(0, 10))
def test_a_rest_day_never_raises_the_days_needed(target, skipped):
    assert days_needed(target, skipped + 1) <= days_needed(target, skipped)


# ---------------------------------------------------------------- tolerance and gain


def test_tolerance_is_a_share_of_the_baseline_to_target_span():
    metric = Metric(name="t", direction="lower", baseline=12, target=3)
    assert tolerance(metric) == pytest.approx(SIGNAL_TOLERANCE * 9)
    # the values do not matter when both ends are known
    assert tolerance(metric, [1000.0, -5000.0]) == pytest.approx(SIGNAL_TOLERANCE * 9)
    assert tolerance(Metric(name="t", baseline=3, target=12)) == pytest.approx(0.45)


def test_tolerance_takes_a_relative_share():
    metric = Metric(name="t", baseline=0, target=20)
    assert tolerance(metric, rel=0.1) == pytest.approx(2.0)


@pytest.mark.parametrize(
    "metric",
    [
        Metric(name="t"),
        Metric(name="t", baseline=12),
        Metric(name="t", target=3),
        Metric(name="t", baseline=5, target=5),  # a zero span
    ],
    ids=["no ends", "baseline only", "target only", "zero span"],
)
def test_tolerance_falls_back_to_the_size_of_the_values(metric):
    assert tolerance(metric, [10.0, -20.0, 4.0]) == pytest.approx(SIGNAL_TOLERANCE * 20)
    assert tolerance(metric, [100.0]) == pytest.approx(SIGNAL_TOLERANCE * 100)


@pytest.mark.parametrize("values", [(), (0.0,), (0.0, 0.0)])
def test_tolerance_without_span_or_size_is_tiny_but_positive(values):
    tol = tolerance(Metric(name="t", baseline=5, target=5), values)
    assert 0 < tol < 1e-6


def test_gain_follows_the_metric_direction():
    higher = Metric(name="wpm", direction="higher")
    lower = Metric(name="fillers", direction="lower")
    assert gain(higher, 5, 7) == 2
    assert gain(higher, 7, 5) == -2
    assert gain(lower, 7, 5) == 2
    assert gain(lower, 5, 7) == -2
    assert gain(higher, 4, 4) == gain(lower, 4, 4) == 0


def test_a_metric_with_a_name_or_a_target_is_measurable():
    assert measurable(Metric(name="fillers"))
    assert measurable(Metric(target=3))
    assert not measurable(Metric())
    assert not measurable(Metric(name="   "))
    assert not measurable(Metric(baseline=12, unit="s"))


# ---------------------------------------------------------------- flat weeks


@pytest.mark.parametrize(
    ("values", "flat"),
    [
        ((), 0),
        ((6,), 0),  # one measurement: nothing to compare
        ((9.7, 6), 0),
        ((9.7, 6, 6), 1),
        ((9.7, 6, 6, 6), 2),
        ((6, 6, 6, 6), 3),
        ((9.7, 6, 7), 1),  # a week that got worse counts as flat
        ((9.7, 6, 7, 8), 2),
        ((9.7, 6, 6.3, 6.1), 2),  # noise within the tolerance (0.45) is flat
        ((9.7, 6, 6.3, 5.7), 0),  # a gain of 0.6 is not
        ((9.7, 6, 5.5), 0),
        ((6, 6, None, 6), 0),  # a week without a measurement ends the run
        ((6, None, 6, 6), 1),
        ((6, 6, 6, None), 0),
        ((None, None), 0),
        ((3.2, 3), 0),  # a week at target is not flat
        ((6, 6, 3.2, 3), 0),
    ],
)
def test_flat_weeks(d, values, flat):
    mirrored = [None if x is None else d.v(x) for x in values]
    assert flat_weeks(d.metric, mirrored) == flat


def test_a_gain_of_exactly_the_tolerance_is_still_flat():
    metric = Metric(name="wpm", direction="higher", baseline=0, target=20)  # tolerance 1
    assert tolerance(metric) == 1.0
    assert flat_weeks(metric, [10, 11]) == 1
    assert flat_weeks(metric, [10, 11.5]) == 0
    lower = Metric(name="s", direction="lower", baseline=20, target=0)
    assert flat_weeks(lower, [11, 10]) == 1
    assert flat_weeks(lower, [11.5, 10]) == 0


def test_flat_weeks_without_span_uses_the_size_of_the_values():
    metric = Metric(name="wpm", direction="higher")  # tolerance 5% of 104 = 5.2
    assert flat_weeks(metric, [100, 104]) == 1
    assert flat_weeks(metric, [100, 106]) == 0


# ---------------------------------------------------------------- assess: nothing to judge


def test_no_week_at_all_is_nothing_to_judge(d):
    signal = assess(d.metric, 7, [])
    check(signal, "none", HOLD)


# ---------------------------------------------------------------- assess: ready


def test_ready_in_week_one_against_the_baseline(d):
    signal = judge(d, 9.7)
    check(signal, "ready", STACK)
    assert d.arrow(12, 9.7) in signal.reason
    assert "baseline" in signal.reason
    assert "practised 7 of 7 days" in signal.reason


@pytest.mark.parametrize("value", [12, 12.5, 11.7], ids=["same", "worse", "within tolerance"])
def test_not_ready_in_week_one_when_no_better_than_the_baseline(d, value):
    signal = judge(d, value)
    check(signal, "unproven", HOLD)
    assert f"{d.v(value):g}" in signal.reason
    assert f"({d.v(12):g})" in signal.reason
    assert "baseline" in signal.reason


def test_week_one_without_a_baseline_is_judged_on_its_days(d):
    metric = Metric(name=d.metric.name, unit=d.metric.unit, direction=d.metric.direction,
                    target=d.metric.target)
    signal = assess(metric, 7, [wk(d.v(9.7))])
    check(signal, "ready", STACK)
    assert f"{d.v(9.7):g}" in signal.reason
    assert "days decide" in signal.reason
    check(assess(metric, 7, [wk(d.v(9.7), done=6)]), "practice", HOLD)


def test_week_one_without_baseline_or_target_is_judged_on_its_days(d):
    metric = Metric(name="reps", direction=d.metric.direction)
    check(assess(metric, 7, [wk(40)]), "ready", STACK)
    check(assess(metric, 5, [wk(40, done=5)]), "ready", STACK)
    check(assess(metric, 5, [wk(40, done=4)]), "practice", HOLD)


def test_ready_when_at_target_even_without_a_meaningful_improvement(d):
    # 3.2 → 3 is a gain of 0.2, within the tolerance (0.45), but 3 is the target
    signal = judge(d, 3.2, 3)
    check(signal, "ready", STACK)
    assert f"at target ({d.v(3):g} {d.metric.unit}, target {d.v(3):g})" in signal.reason


def test_ready_when_beyond_target_in_week_one(d):
    signal = judge(d, 2)
    check(signal, "ready", STACK)
    assert "at target" in signal.reason


def test_ready_when_reaching_the_target_from_further_away(d):
    signal = judge(d, 3.5, 3)
    check(signal, "ready", STACK)
    assert "at target" in signal.reason


def test_ready_needs_a_meaningful_improvement(d):
    signal = judge(d, 9.7, 9.2)  # a gain of 0.5 > 0.45
    check(signal, "ready", STACK)
    assert d.arrow(9.7, 9.2) in signal.reason
    assert "better than last week" in signal.reason
    # a gain of 0.3 is within the tolerance: not ready, the week is flat
    signal = judge(d, 9.7, 9.4)
    check(signal, "slowing", TWEAK)
    assert d.arrow(9.7, 9.4) in signal.reason


def test_ready_names_the_last_measurement_when_last_week_was_not_measured(d):
    signal = judge(d, 9.7, None, 6)
    check(signal, "ready", STACK)
    assert d.arrow(9.7, 6) in signal.reason
    assert "the last measurement" in signal.reason


def test_the_baseline_is_the_reference_while_no_week_was_measured(d):
    signal = judge(d, None, 9.7)
    check(signal, "ready", STACK)
    assert d.arrow(12, 9.7) in signal.reason
    check(judge(d, None, 12.5), "unproven", HOLD)


# ---------------------------------------------------------------- assess: mastered


def test_mastered_needs_two_consecutive_weeks_at_target(d):
    signal = judge(d, 5, 3, 3)
    check(signal, "mastered", STACK)
    assert d.arrow(3, 3) in signal.reason
    assert f"at target ({d.v(3):g} {d.metric.unit})" in signal.reason
    assert "two weeks running" in signal.reason


def test_mastered_beyond_target(d):
    signal = judge(d, 3, 2.5)
    check(signal, "mastered", STACK)
    assert d.arrow(3, 2.5) in signal.reason


def test_mastered_from_week_two(d):
    check(judge(d, 3, 3), "mastered", STACK)


def test_one_week_at_target_is_only_ready(d):
    check(judge(d, 9.7, 5, 3), "ready", STACK)
    check(judge(d, 3), "ready", STACK)


def test_weeks_at_target_that_are_not_consecutive_are_not_mastered(d):
    check(judge(d, 3, 5, 3), "ready", STACK)
    check(judge(d, 3, None, 3), "ready", STACK)


def test_at_target_but_days_missed_is_held(d):
    weeks = [wk(d.v(3)), wk(d.v(3), done=4)]
    signal = assess(d.metric, 7, weeks)
    check(signal, "practice", HOLD)
    assert "practised 4 of 7 days" in signal.reason
    check(assess(d.metric, 7, [wk(d.v(3), done=6)]), "practice", HOLD)


def test_mastered_with_an_x_of_7_target_and_rest_days(d):
    weeks = [wk(d.v(3), done=5), wk(d.v(3), done=5)]
    check(assess(d.metric, 5, weeks), "mastered", STACK)
    weeks = [wk(d.v(3), done=5), wk(d.v(3), done=4, skipped=3)]  # 3 rest days: 4 needed
    check(assess(d.metric, 5, weeks), "mastered", STACK)
    weeks = [wk(d.v(3), done=5), wk(d.v(3), done=4, skipped=2)]  # 2 rest days: still 5
    check(assess(d.metric, 5, weeks), "practice", HOLD)


def test_the_week_before_only_needs_to_be_at_target(d):
    # the target days are this week's; last week's measurement is what counts
    weeks = [wk(d.v(3), done=2), wk(d.v(3))]
    check(assess(d.metric, 7, weeks), "mastered", STACK)


def test_without_a_target_nothing_is_ever_mastered(d):
    metric = Metric(name="t", direction=d.metric.direction, baseline=d.metric.baseline)
    weeks = series(d, 3, 3, 3)
    assert assess(metric, 7, weeks).kind != "mastered"


# ---------------------------------------------------------------- assess: slowing and plateau


def test_the_example_progression(d):
    """9.7 → 6 → 6: ready, ready, then slowing in the third week."""
    first = judge(d, 9.7)
    check(first, "ready", STACK)
    assert d.arrow(12, 9.7) in first.reason
    second = judge(d, 9.7, 6)
    check(second, "ready", STACK)
    assert d.arrow(9.7, 6) in second.reason
    third = judge(d, 9.7, 6, 6)
    check(third, "slowing", TWEAK)
    assert d.arrow(6, 6) in third.reason
    assert "less than 0.45" in third.reason
    fourth = judge(d, 9.7, 6, 6, 6)
    check(fourth, "plateau", TWEAK)
    assert d.arrow(6, 6, 6) in fourth.reason


def test_plateau_goes_on_while_nothing_changes(d):
    signal = judge(d, 9.7, 6, 6, 6, 6, 6)
    check(signal, "plateau", TWEAK)
    assert d.arrow(6, 6, 6) in signal.reason


def test_a_week_that_got_worse_counts_as_flat(d):
    signal = judge(d, 9.7, 6, 7)
    check(signal, "slowing", TWEAK)
    assert d.arrow(6, 7) in signal.reason
    signal = judge(d, 9.7, 6, 7, 8)
    check(signal, "plateau", TWEAK)
    assert d.arrow(6, 7, 8) in signal.reason


def test_noise_within_the_tolerance_is_flat(d):
    check(judge(d, 9.7, 6.2, 5.9), "slowing", TWEAK)  # 0.3 better: not meaningful
    signal = judge(d, 9.7, 6, 6.3, 6.1)
    check(signal, "plateau", TWEAK)
    assert d.arrow(6, 6.3, 6.1) in signal.reason


def test_noise_beyond_the_tolerance_is_not_flat(d):
    signal = judge(d, 9.7, 6, 6.3, 5.7)  # 0.6 better than last week
    check(signal, "ready", STACK)
    assert d.arrow(6.3, 5.7) in signal.reason
    check(judge(d, 9.7, 6, 6, 6, 5), "ready", STACK)  # a plateau broken by a real gain


def test_a_week_without_a_measurement_breaks_the_flat_run(d):
    signal = judge(d, 9.7, 6, None, 6)
    check(signal, "unproven", HOLD)
    assert f"({d.v(6):g})" in signal.reason
    assert "the last measurement" in signal.reason
    check(judge(d, 6, 6, None, 6, 6), "slowing", TWEAK)
    check(judge(d, 6, 6, None, 6, 6, 6), "plateau", TWEAK)


def test_slowing_and_plateau_on_a_metric_without_baseline_or_target():
    metric = Metric(name="wpm", unit="wpm", direction="higher")  # tolerance 5% of the values
    weeks = [wk(80), wk(100), wk(103)]
    signal = assess(metric, 7, weeks)
    check(signal, "slowing", TWEAK)
    assert "100 → 103 wpm" in signal.reason
    check(assess(metric, 7, [*weeks, wk(101)]), "plateau", TWEAK)
    check(assess(metric, 7, [*weeks, wk(110)]), "ready", STACK)


def test_slowing_on_a_metric_with_only_a_baseline(d):
    metric = Metric(name="t", direction=d.metric.direction, baseline=d.metric.baseline)
    check(assess(metric, 7, series(d, 9.7)), "ready", STACK)
    check(assess(metric, 7, series(d, 9.7, 6, 6)), "slowing", TWEAK)
    check(assess(metric, 7, series(d, 9.7, 6, 6, 6)), "plateau", TWEAK)


# ---------------------------------------------------------------- assess: days and skips


def test_missing_days_hold_even_when_the_measurement_improved(d):
    weeks = [wk(d.v(9.7)), wk(d.v(6), done=4)]
    signal = assess(d.metric, 7, weeks)
    check(signal, "practice", HOLD)
    assert "practised 4 of 7 days" in signal.reason
    check(assess(d.metric, 7, [wk(d.v(9.7), done=0)]), "practice", HOLD)


def test_missing_days_hold_before_slowing_or_plateau(d):
    weeks = [*series(d, 9.7, 6, 6), wk(d.v(6), done=3)]
    check(assess(d.metric, 7, weeks), "practice", HOLD)


def test_skips_reduce_the_days_needed(d):
    weeks = [wk(d.v(9.7)), wk(d.v(6), done=5, skipped=2)]
    signal = assess(d.metric, 7, weeks)
    check(signal, "ready", STACK)
    assert "practised 5 of 5 days" in signal.reason
    weeks = [wk(d.v(9.7)), wk(d.v(6), done=3, skipped=2)]
    signal = assess(d.metric, 7, weeks)
    check(signal, "practice", HOLD)
    assert "practised 3 of 5 days (2 rest)" in signal.reason


def test_an_x_of_7_target(d):
    check(assess(d.metric, 5, [wk(d.v(9.7), done=5)]), "ready", STACK)
    check(assess(d.metric, 5, [wk(d.v(9.7), done=4)]), "practice", HOLD)
    check(assess(d.metric, 5, [wk(d.v(9.7), done=4, skipped=3)]), "ready", STACK)


def test_a_week_of_rest_still_needs_one_day(d):
    check(assess(d.metric, 7, [wk(d.v(9.7), done=0, skipped=7)]), "practice", HOLD)
    signal = assess(d.metric, 7, [wk(d.v(9.7), done=1, skipped=6)])
    check(signal, "ready", STACK)
    assert "practised 1 of 1 day;" in signal.reason


# ---------------------------------------------------------------- assess: no metric


@pytest.mark.parametrize(
    "metric",
    [Metric(), Metric(name="  ", direction="lower"), Metric(baseline=12, unit="s")],
    ids=["empty", "blank name", "baseline only"],
)
def test_a_skill_without_a_metric_is_judged_on_its_days(metric):
    signal = assess(metric, 7, [wk(None)])
    check(signal, "ready", STACK)
    assert "no metric" in signal.reason
    # whatever the values say; the days met two weeks running make it mastered
    check(assess(metric, 7, [wk(5), wk(50), wk(5)]), "mastered", STACK)
    check(assess(metric, 7, [wk(5), wk(5), wk(5), wk(5)]), "mastered", STACK)
    check(assess(metric, 7, [wk(5, done=4), wk(5)]), "ready", STACK)
    signal = assess(metric, 7, [wk(None, done=6)])
    check(signal, "practice", HOLD)
    assert "practised 6 of 7 days" in signal.reason
    signal = assess(metric, 5, [wk(None, done=3, skipped=2)])
    check(signal, "practice", HOLD)
    assert "(2 rest)" in signal.reason
    check(assess(metric, 5, [wk(None, done=4, skipped=3)]), "ready", STACK)


def test_a_metric_with_a_target_but_no_name_is_measured(d):
    metric = Metric(direction=d.metric.direction, target=d.metric.target)
    check(assess(metric, 7, series(d, 3, 3)), "mastered", STACK)
    check(assess(metric, 7, series(d, 9.7, 6, 6)), "slowing", TWEAK)


# ---------------------------------------------------------------- assess: no measurement


def test_no_measurement_this_week_with_the_days_met(d):
    signal = judge(d, 9.7, None)
    check(signal, "none", HOLD)
    assert "no measurement" in signal.reason
    check(judge(d, None), "none", HOLD)
    check(judge(d, 3, 3, None), "none", HOLD)  # even after two weeks at target


def test_no_measurement_this_week_with_days_missed(d):
    signal = assess(d.metric, 7, [wk(d.v(9.7)), wk(None, done=2)])
    check(signal, "practice", HOLD)
    assert "no measurement" in signal.reason
    assert "practised 2 of 7 days" in signal.reason


# ---------------------------------------------------------------- assess: a tweak in the middle


def test_weeks_before_a_tweak_no_longer_count_for_plateau(d):
    check(judge(d, 9.7, 6, 6, 6), "plateau", TWEAK)
    signal = judge(d, 9.7, 6, 6, 6, tweak_at=2)
    check(signal, "slowing", TWEAK)
    assert d.arrow(6, 6) in signal.reason


def test_after_a_tweak_one_more_flat_week_is_slowing_again(d):
    check(judge(d, 9.7, 6, 6, 6, 6), "plateau", TWEAK)
    check(judge(d, 9.7, 6, 6, 6, 6, tweak_at=3), "slowing", TWEAK)
    check(judge(d, 9.7, 6, 6, 6, 6, 6, tweak_at=3), "plateau", TWEAK)


def test_a_tweak_at_the_start_changes_nothing(d):
    check(judge(d, 9.7, 6, 6, 6, tweak_at=0), "plateau", TWEAK)
    check(judge(d, 9.7, 6, 6, 6, tweak_at=1), "plateau", TWEAK)


def test_after_a_tweak_the_tweak_week_is_the_reference(d):
    signal = judge(d, 9.7, 6, 6, 5, tweak_at=2)
    check(signal, "ready", STACK)
    assert d.arrow(6, 5) in signal.reason
    # a week worse than an older one, but better than the tweak week, is ready
    signal = judge(d, 5, 8, 7, tweak_at=1)
    check(signal, "ready", STACK)
    assert d.arrow(8, 7) in signal.reason


def test_after_a_tweak_the_baseline_is_not_the_reference(d):
    # without a tweak, a value worse than the baseline is not improving yet
    check(judge(d, None, 12.5), "unproven", HOLD)
    # after a tweak decided in an unmeasured week, there is nothing to compare: the days
    # decide, and the baseline is not named
    signal = judge(d, None, 12.5, tweak_at=0)
    check(signal, "ready", STACK)
    assert "baseline" not in signal.reason
    assert f"({d.v(12):g})" not in signal.reason
    check(assess(d.metric, 7, [wk(None), wk(d.v(12.5), done=3)], tweak_at=0), "practice", HOLD)


# A tweak decided in a week with no measurement keeps the latest earlier measurement as
# the reference: a skill that measured 6 again is not "ready" for want of a comparison.
def test_an_unmeasured_tweak_week_keeps_the_last_measurement_as_reference(d):
    signal = judge(d, 9.7, 6, 6, None, 6, tweak_at=3)
    check(signal, "unproven", HOLD)
    assert "the last measurement" in signal.reason


def test_a_tweak_does_not_undo_mastery(d):
    check(judge(d, 9.7, 3, 3, tweak_at=2), "mastered", STACK)


def test_a_flat_run_after_a_tweak_is_broken_by_a_missing_measurement(d):
    check(judge(d, 9.7, 6, 6, None, 6, tweak_at=2), "unproven", HOLD)


# ---------------------------------------------------------------- tweak effect


@pytest.mark.parametrize(
    ("after", "verdict"),
    [((5, 5), "better"), ((7, 7), "worse"), ((6.2, 6.1), "same"), ((5.8, 5.7), "same")],
)
def test_tweak_effect_in_both_directions(d, after, verdict):
    values = [d.v(x) for x in (9.7, 6, 6, *after)]
    effect = tweak_effect(d.metric, values, tweak_at=2)
    assert effect.verdict == verdict
    assert effect.before == pytest.approx(d.v(6))
    assert effect.after == pytest.approx(d.v(sum(after) / len(after)))


def test_tweak_effect_label():
    metric = LOWER.metric
    effect = tweak_effect(metric, [9.7, 6, 6, 5, 5], tweak_at=2)
    assert effect == TweakEffect(6.0, 5.0, "better")
    assert effect.label("s") == "before the tweak 6 s, after 5 s: better"
    assert effect.label() == "before the tweak 6, after 5: better"


def test_tweak_effect_compares_up_to_span_weeks_each_side():
    metric = Metric(name="wpm", direction="higher", baseline=0, target=20)
    effect = tweak_effect(metric, [1, 2, 3, 4, 5, 6, 7], tweak_at=3)
    assert (effect.before, effect.after, effect.verdict) == (3.5, 5.5, "better")
    effect = tweak_effect(metric, [1, 2, 3, 4, 5, 6, 7], tweak_at=3, span=3)
    assert (effect.before, effect.after) == (3.0, 6.0)
    effect = tweak_effect(metric, [10, 4, 5], tweak_at=0)
    assert (effect.before, effect.after, effect.verdict) == (10.0, 4.5, "worse")


def test_tweak_effect_skips_weeks_without_a_measurement():
    effect = tweak_effect(LOWER.metric, [9.7, None, 6, None, 5], tweak_at=2)
    assert (effect.before, effect.after, effect.verdict) == (6.0, 5.0, "better")


@pytest.mark.parametrize(
    ("values", "tweak_at"),
    [((9.7, 6, 6), 2), ((9.7, 6, 6, None), 2), ((9.7, 6, 6, None, None), 2), ((None, 5), 0)],
)
def test_tweak_effect_is_too_early_without_a_week_on_each_side(d, values, tweak_at):
    mirrored = [None if x is None else d.v(x) for x in values]
    effect = tweak_effect(d.metric, mirrored, tweak_at=tweak_at)
    assert effect.verdict == "too early"
    assert effect.before is None or effect.after is None
    assert effect.label("s") == "since the tweak: too early to tell"


# ---------------------------------------------------------------- suggest


READY = Signal("ready", "practised 7 of 7 days; 9.7 → 6 s, better than last week", STACK)
MASTERED = Signal("mastered", "at target (3 s) two weeks running: 3 → 3 s", STACK)
PRACTICE = Signal("practice", "practised 4 of 7 days: hold the week and practise", HOLD)
UNPROVEN = Signal("unproven", "12 s is not yet better than the baseline (12): hold", HOLD)
NONE = Signal("none", "no measurement this week", HOLD)
PLATEAU = Signal("plateau", "no real change two weeks running (6 → 6 → 6 s)", TWEAK)
SLOWING = Signal("slowing", "6 → 6 s: less than 0.45 s better than last week", TWEAK)


@pytest.mark.parametrize("focus", [READY, MASTERED], ids=["ready", "mastered"])
def test_a_stacked_skill_on_a_plateau_turns_stack_into_its_tweak(focus):
    result = suggest(("focus", focus), [("a", READY), ("b", PLATEAU), ("c", PLATEAU)])
    assert result == Suggestion(TWEAK, "b", PLATEAU.reason)


@pytest.mark.parametrize("focus", [READY, MASTERED], ids=["ready", "mastered"])
def test_a_stacked_skill_only_slowing_does_not_change_stack(focus):
    result = suggest(("focus", focus), [("a", SLOWING), ("b", READY)])
    assert result == Suggestion(STACK, "focus", focus.reason)


def test_a_focus_ready_with_nothing_stacked_stacks():
    assert suggest(("focus", READY)) == Suggestion(STACK, "focus", READY.reason)


@pytest.mark.parametrize("focus", [PRACTICE, UNPROVEN, NONE], ids=lambda s: s.kind)
def test_a_focus_on_hold_wins(focus):
    result = suggest(("focus", focus), [("b", PLATEAU), ("c", SLOWING)])
    assert result == Suggestion(HOLD, "focus", focus.reason)


@pytest.mark.parametrize("focus", [PLATEAU, SLOWING], ids=lambda s: s.kind)
def test_a_stalled_focus_suggests_its_own_tweak(focus):
    assert suggest(("focus", focus)) == Suggestion(TWEAK, "focus", focus.reason)
    result = suggest(("focus", focus), [("b", PLATEAU)])
    assert result == Suggestion(TWEAK, "focus", focus.reason)


def test_no_focus_stacks_unless_a_stacked_skill_is_on_a_plateau():
    result = suggest(None)
    assert result.decision == STACK and result.skill_id is None
    assert "no focus" in result.reason
    assert suggest(None, [("a", READY), ("b", SLOWING)]).decision == STACK
    assert suggest(None, [("a", SLOWING), ("b", PLATEAU)]) == Suggestion(
        TWEAK, "b", PLATEAU.reason
    )


# ---------------------------------------------------------------- Signal


def test_every_kind_has_a_title_a_priority_and_one_suggestion():
    for kind in KINDS:
        signal = Signal(kind, "why", SUGGESTION_OF[kind])
        assert signal.title
        assert kind in PRIORITY
        assert signal.stalled is (kind in ("plateau", "slowing"))
    assert set(PRIORITY) == set(KINDS)
    assert Signal("ready", "", STACK).title == "Ready to stack"
    assert Signal("practice", "", HOLD).title == "Not practised enough"


# ---------------------------------------------------------------- properties

values_st = st.one_of(
    st.none(),
    st.integers(-50, 50).map(float),
    st.floats(-1000, 1000, allow_nan=False, allow_infinity=False),
)
weeks_st = st.lists(
    st.builds(SkillWeek, done=st.integers(0, 7), skipped=st.integers(0, 7), value=values_st),
    min_size=1,
    max_size=8,
)
metrics_st = st.builds(
    Metric,
    name=st.sampled_from(["", "time", "  "]),
    direction=st.sampled_from(["higher", "lower"]),
    baseline=st.one_of(st.none(), st.integers(-50, 50).map(float)),
    target=st.one_of(st.none(), st.integers(-50, 50).map(float)),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Metric, int, list[SkillWeek], int | None]:
    metric = draw(metrics_st)
    weeks = draw(weeks_st)
    target = draw(st.integers(0, 8))
    tweak_at = draw(st.one_of(st.none(), st.integers(0, len(weeks) - 1)))
    return metric, target, weeks, tweak_at


def mirror(metric: Metric, weeks: Sequence[SkillWeek]) -> tuple[Metric, list[SkillWeek]]:
    flipped = Metric(
        name=metric.name,
        unit=metric.unit,
        direction="lower" if metric.direction == "higher" else "higher",
        baseline=None if metric.baseline is None else -metric.baseline,
        target=None if metric.target is None else -metric.target,
    )
    return flipped, [
        SkillWeek(w.done, w.skipped, None if w.value is None else -w.value) for w in weeks
    ]


@given(cases())
def test_one_suggestion_that_agrees_with_the_kind(case):
    metric, target, weeks, tweak_at = case
    signal = assess(metric, target, weeks, tweak_at=tweak_at)
    assert signal.kind in KINDS
    assert signal.suggestion in (STACK, HOLD, TWEAK)
    assert signal.suggestion == SUGGESTION_OF[signal.kind]
    assert signal.reason and signal.title


@given(cases())
def test_mirroring_the_direction_gives_the_same_kind(case):
    metric, target, weeks, tweak_at = case
    flipped, flipped_weeks = mirror(metric, weeks)
    assert (
        assess(flipped, target, flipped_weeks, tweak_at=tweak_at).kind
        == assess(metric, target, weeks, tweak_at=tweak_at).kind
    )


@given(cases())
def test_never_stack_when_the_days_are_not_met(case):
    metric, target, weeks, tweak_at = case
    signal = assess(metric, target, weeks, tweak_at=tweak_at)
    if not days_met(weeks[-1], target):
        assert signal.suggestion != STACK
        assert signal.kind == "practice"
    else:
        assert signal.kind != "practice"


@given(cases())
def test_mastered_means_two_weeks_at_target(case):
    metric, target, weeks, tweak_at = case
    signal = assess(metric, target, weeks, tweak_at=tweak_at)
    if signal.kind == "mastered":
        assert len(weeks) >= 2
        assert days_met(weeks[-1], target)
        if measurable(metric):
            assert weeks[-1].value is not None and metric.at_target(weeks[-1].value)
            assert weeks[-2].value is not None and metric.at_target(weeks[-2].value)
        else:  # no metric: the days, two weeks running
            assert days_met(weeks[-2], target)
    if signal.kind in ("plateau", "slowing", "unproven"):
        assert weeks[-1].value is not None and not metric.at_target(weeks[-1].value)


@given(metrics_st, st.lists(values_st, max_size=8))
def test_flat_weeks_is_bounded_and_mirrors(metric, values):
    n = flat_weeks(metric, values)
    assert 0 <= n <= max(0, len(values) - 1)
    flipped, _ = mirror(metric, [])
    assert flat_weeks(flipped, [None if v is None else -v for v in values]) == n
