"""The weekly review's signals: is a skill ready to stack, mastered, slowing or on a plateau?

Each rule looks at one skill's weeks since it joined the stack, oldest first, the last
being the week under review (``SkillWeek``: days done, rest days, the week's
measurement). Every signal carries its reason in plain words, and one suggested
decision, so the review shows a single suggestion and pre-selects the decision that
agrees with it.

The rules, in the order they are tried:

- **Target days.** A week's target days are met when the days done reach the skill's
  x-of-7 target; a rest day (skip) is excused, as it is for streaks: the days needed
  are ``min(target, 7 − rest days)``, and at least one.
- **Mastered**: the target days met, and this week's *and* the week before's
  measurements at or beyond the target. Suggests ``stack`` (and maintenance).
- **Ready to stack**: the target days met, and the measurement either at target or
  better than the reference by more than the tolerance, in the metric's direction. The
  reference is the latest earlier weekly measurement; in a skill's first week it is the
  baseline. A first week with neither a baseline nor an earlier week is judged on the
  days alone. Suggests ``stack``.
- **Not practised enough**: target days missed. Suggests ``hold`` (whatever the
  measurement says: practice comes first).
- **Plateau**: two weeks in a row, each improving on the week before by no more than the
  tolerance. Suggests ``tweak``.
- **Slowing**: one such week. Suggests ``tweak``.
- Otherwise (a first week no better than the baseline, or no measurement): ``hold``.

The **tolerance** is ``SIGNAL_TOLERANCE`` of the baseline-to-target span; without both
ends, of the size of the values. A skill with no metric at all (no name, no target) is
judged on its days alone: ready when they are met, mastered when met two weeks running.

**After a tweak** the skill's earlier weeks stop counting for slowing and plateau: the
week the tweak was decided in is the new reference, so the weeks that follow are judged
on the new approach. ``tweak_effect`` compares the weeks before and after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .models import Metric

SIGNAL_TOLERANCE = 0.05  # of the baseline→target span (or of the values' size)

STACK, HOLD, TWEAK = "stack", "hold", "tweak"


@dataclass(frozen=True)
class SkillWeek:
    """One skill in one week: days done, rest days taken, the week's measurement."""

    done: int
    skipped: int = 0
    value: float | None = None


@dataclass(frozen=True)
class Signal:
    """What the rules say about a skill's week, why, and the decision they suggest."""

    kind: str  # "mastered", "ready", "practice", "plateau", "slowing", "unproven", "none"
    reason: str
    suggestion: str  # "stack", "hold" or "tweak"

    @property
    def stalled(self) -> bool:
        return self.kind in ("plateau", "slowing")

    @property
    def title(self) -> str:
        return {
            "mastered": "Mastered",
            "ready": "Ready to stack",
            "practice": "Not practised enough",
            "plateau": "Plateau",
            "slowing": "Slowing",
            "unproven": "Not improving yet",
            "none": "No measurement",
        }[self.kind]


def days_needed(frequency_target: int, skipped: int = 0) -> int:
    """The days a week needs for the x-of-7 target, rest days excused (at least one)."""
    target = max(1, min(7, frequency_target))
    return max(1, min(target, 7 - max(0, skipped)))


def days_met(week: SkillWeek, frequency_target: int) -> bool:
    return week.done >= days_needed(frequency_target, week.skipped)


def measurable(metric: Metric) -> bool:
    return bool(metric.name.strip()) or metric.target is not None


def tolerance(metric: Metric, values: Sequence[float] = (),
              rel: float = SIGNAL_TOLERANCE) -> float:
    """The smallest change that counts as a change for this metric."""
    if metric.baseline is not None and metric.target is not None:
        span = abs(metric.target - metric.baseline)
        if span > 0:
            return rel * span
    size = max((abs(v) for v in values), default=0.0)
    return rel * size if size > 0 else 1e-9


def gain(metric: Metric, before: float, after: float) -> float:
    """How much ``after`` is better than ``before`` in the metric's direction."""
    return before - after if metric.direction == "lower" else after - before


def _num(value: float) -> str:
    return f"{value:g}"


def _unit(metric: Metric) -> str:
    return f" {metric.unit}" if metric.unit else ""


def flat_weeks(metric: Metric, values: Sequence[float | None]) -> int:
    """How many weeks in a row, ending with the last, improved on the week before by no
    more than the tolerance (weeks without a measurement end the run)."""
    known = [v for v in values if v is not None]
    tol = tolerance(metric, known)
    n = 0
    for i in range(len(values) - 1, 0, -1):
        after, before = values[i], values[i - 1]
        if after is None or before is None:
            break
        if metric.target is not None and metric.at_target(after):
            break
        if gain(metric, before, after) > tol:
            break
        n += 1
    return n


def assess(
    metric: Metric,
    frequency_target: int,
    weeks: Sequence[SkillWeek],
    tweak_at: int | None = None,
) -> Signal:
    """The signal of the last of ``weeks`` (a skill's weeks since it joined, oldest first).

    ``tweak_at`` is the index in ``weeks`` of the week whose review decided a tweak of
    this skill: weeks before it no longer count for slowing and plateau.
    """
    if not weeks:
        return Signal("none", "no week to judge yet", HOLD)
    week = weeks[-1]
    needed = days_needed(frequency_target, week.skipped)
    days_ok = week.done >= needed
    days_text = f"practised {week.done} of {needed} day{'s' if needed != 1 else ''}"
    rest = f" ({week.skipped} rest)" if week.skipped else ""
    if not measurable(metric):
        if days_ok and len(weeks) >= 2 and days_met(weeks[-2], frequency_target):
            return Signal("mastered", f"{days_text}{rest}, two weeks running; no metric, "
                          "so the days decide", STACK)
        if days_ok:
            return Signal("ready", f"{days_text}{rest}; no metric, so the days decide", STACK)
        return Signal("practice", f"{days_text}{rest}: hold the week and practise", HOLD)
    unit = _unit(metric)
    value = week.value
    if value is None:
        if not days_ok:
            return Signal("practice", f"{days_text}{rest} and no measurement", HOLD)
        return Signal("none", f"{days_text}{rest}, but no measurement this week: "
                      "measure it before stacking", HOLD)
    window = list(weeks if tweak_at is None else weeks[max(0, tweak_at):])
    values = [w.value for w in window]
    earlier = [w.value for w in weeks[:-1] if w.value is not None]
    target = metric.target
    at_target = target is not None and metric.at_target(value)
    prev = weeks[-2].value if len(weeks) >= 2 else None
    if days_ok and target is not None and at_target and prev is not None and (
            metric.at_target(prev)):
        return Signal(
            "mastered",
            f"at target ({_num(target)}{unit}) two weeks running: {_num(prev)} → "
            f"{_num(value)}{unit}; {days_text}",
            STACK,
        )
    if earlier:
        reference = earlier[-1]
        ref_name = "last week" if weeks[-2].value is not None else "the last measurement"
    elif tweak_at is None and metric.baseline is not None:
        reference, ref_name = metric.baseline, "the baseline"
    else:
        reference, ref_name = None, ""
    tol = tolerance(metric, [v for v in values if v is not None])
    if days_ok and target is not None and at_target:
        why = f"at target ({_num(value)}{unit}, target {_num(target)})"
        return Signal("ready", f"{days_text}; {why}", STACK)
    if days_ok and reference is not None and gain(metric, reference, value) > tol:
        why = f"{_num(reference)} → {_num(value)}{unit}, better than {ref_name}"
        return Signal("ready", f"{days_text}; {why}", STACK)
    if days_ok and reference is None:
        return Signal(
            "ready", f"{days_text}; a first measurement ({_num(value)}{unit}) with "
            "nothing to compare it to, so the days decide", STACK,
        )
    if not days_ok:
        return Signal("practice", f"{days_text}{rest}: hold the week and practise", HOLD)
    flat = flat_weeks(metric, values)
    if flat >= 2:
        shown = " → ".join(_num(v) for v in values[-3:] if v is not None)
        return Signal(
            "plateau",
            f"no real change two weeks running ({shown}{unit}): tweak the approach — "
            "a new cue, a harder drill, another time of day",
            TWEAK,
        )
    if flat == 1 and (before := values[-2]) is not None:  # a flat week is measured
        return Signal(
            "slowing",
            f"{_num(before)} → {_num(value)}{unit}: less than {_num(round(tol, 3))}"
            f"{unit} better than last week. A small tweak now keeps it moving",
            TWEAK,
        )
    return Signal(
        "unproven",
        f"{_num(value)}{unit} is not yet better than {ref_name or 'before'}"
        f"{f' ({_num(reference)})' if reference is not None else ''}: hold the week",
        HOLD,
    )


def mastered_in(
    metric: Metric, frequency_target: int, weeks: Sequence[tuple[object, SkillWeek]]
) -> object | None:
    """The key (e.g. the first day) of the first week that made a skill mastered: at or
    beyond target with its days met, the week right before it at target too. ``weeks``
    are (key, week) in calendar order; a missing week (no entry) breaks the pair only
    when keys are consecutive entries, so pass every week in the range."""
    before: SkillWeek | None = None
    for key, week in weeks:
        if before is not None and days_met(week, frequency_target) and (
            _at_target(metric, week) and _at_target(metric, before)
            if metric.target is not None
            else days_met(before, frequency_target)
        ):
            return key
        before = week
    return None


def _at_target(metric: Metric, week: SkillWeek) -> bool:
    return week.value is not None and metric.at_target(week.value)


@dataclass(frozen=True)
class TweakEffect:
    """Mean measurement of the weeks before a tweak and of the weeks after it."""

    before: float | None
    after: float | None
    verdict: str  # "better", "worse", "same" or "too early"

    def label(self, unit: str = "") -> str:
        unit = f" {unit}" if unit else ""
        if self.before is None or self.after is None:
            return "since the tweak: too early to tell"
        return (
            f"before the tweak {_num(self.before)}{unit}, after {_num(self.after)}{unit}: "
            f"{self.verdict}"
        )


def tweak_effect(
    metric: Metric, values: Sequence[float | None], tweak_at: int, span: int = 2
) -> TweakEffect:
    """Compare up to ``span`` weeks up to and including the tweak week with those after."""
    before = [v for v in values[max(0, tweak_at - span + 1): tweak_at + 1] if v is not None]
    after = [v for v in values[tweak_at + 1: tweak_at + 1 + span] if v is not None]
    if not before or not after:
        return TweakEffect(_mean(before), _mean(after), "too early")
    b, a = _mean(before), _mean(after)
    assert a is not None and b is not None
    tol = tolerance(metric, before + after)
    g = gain(metric, b, a)
    verdict = "better" if g > tol else ("worse" if g < -tol else "same")
    return TweakEffect(b, a, verdict)


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


PRIORITY = {"practice": 0, "none": 1, "unproven": 2, "plateau": 3, "slowing": 4,
            "ready": 5, "mastered": 6}


@dataclass(frozen=True)
class Suggestion:
    """The review's one suggestion: the decision, the skill it is about, and why."""

    decision: str
    skill_id: str | None
    reason: str


def suggest(focus: tuple[str, Signal] | None,
            stacked: Sequence[tuple[str, Signal]] = ()) -> Suggestion:
    """One suggestion for the week, from the focus's signal and the stacked skills'.

    The focus decides between stack and hold; a stalled focus suggests a tweak of it. A
    stacked skill on a plateau (two flat weeks) turns a ``stack`` into a ``tweak`` of that
    skill, since stacking more on a stuck skill rarely helps; a stacked skill that is only
    slowing is shown on its own line and does not change the suggestion.
    """
    if focus is None:
        plateaued = next(((i, s) for i, s in stacked if s.kind == "plateau"), None)
        if plateaued:
            return Suggestion(TWEAK, plateaued[0], plateaued[1].reason)
        return Suggestion(STACK, None, "no focus skill this week")
    focus_id, signal = focus
    if signal.suggestion == STACK:
        plateaued = next(((i, s) for i, s in stacked if s.kind == "plateau"), None)
        if plateaued:
            return Suggestion(TWEAK, plateaued[0], plateaued[1].reason)
    return Suggestion(signal.suggestion, focus_id, signal.reason)
