"""Pure rules of a stacking plan: its calendar, what each week holds, and edits.

A plan's week *i* is the calendar week ``i`` weeks after the (user's) week holding
``start_week``; week *i* introduces one skill, and every skill introduced before stays
active (stacking, see ``rules.plan_position``). A *hold* week repeats the week before
it: no new skill, the same stack, one more week to master the focus.

Edits never change a plan in place: each returns a new ``Plan`` (``touched``) so the
caller saves it (or throws it away). Weeks that are over are history and never move;
the week containing today and the weeks after it may change. Decisions (stack / hold /
tweak) may be recorded on any week.

``Mastery`` is one week on its own: the frequency target reached, and the measurement
at or better than its target (the Plan grid colours a week's days with it). Whether a
skill is *mastered* (at target two weeks running), ready to stack, slowing or on a
plateau — the review's signals — is decided in ``stacking``.

Readiness and the review's other signals are in ``stacking``; ``Plateau``
here is how a plateau found by those rules is shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .dates import MONDAY, WEEK, week_start, weeks_between
from .models import DECISIONS, Metric, MicroSkill, Plan, PlanWeek
from .rules import to_date
from .stacking import gain

MAX_PLAN_WEEKS = 104


class PlanEditError(ValueError):
    """An edit the plan cannot take; ``str(err)`` says why in plain words."""


# ---------------------------------------------------------------- the calendar


def first_day(plan: Plan, index: int, first_weekday: int = MONDAY) -> dt.date:
    """The first day of week ``index`` (0-based) of ``plan``, in the user's week order."""
    return week_start(to_date(plan.start_week), first_weekday) + index * WEEK


def week_range(plan: Plan, index: int, first_weekday: int = MONDAY) -> tuple[dt.date, dt.date]:
    """First and last day of week ``index``."""
    start = first_day(plan, index, first_weekday)
    return start, start + dt.timedelta(days=6)


def calendar(plan: Plan, first_weekday: int = MONDAY) -> list[tuple[dt.date, dt.date]]:
    """First and last day of every week of the plan, in order."""
    return [week_range(plan, i, first_weekday) for i in range(len(plan.weeks))]


def week_index(plan: Plan, day: dt.date, first_weekday: int = MONDAY) -> int:
    """Which week of the plan holds ``day`` (negative before it starts; may be past the end)."""
    return weeks_between(to_date(plan.start_week), day, first_weekday)


# ``16–22 Nov``, ``30 Nov – 6 Dec``: the one range format lives in ``dates``


# ---------------------------------------------------------------- what each week holds


def stack_at(plan: Plan, index: int) -> tuple[str, ...]:
    """The skills active in week ``index``, oldest first (the focus is last)."""
    active: list[str] = []
    for week in plan.weeks[: max(0, index + 1)]:
        if not week.hold and week.skill_id and week.skill_id not in active:
            active.append(week.skill_id)
    return tuple(active)


def focus_at(plan: Plan, index: int) -> str | None:
    """The week's focus: the skill it introduces, or for a hold week the skill it holds."""
    stack = stack_at(plan, index)
    return stack[-1] if stack else None


def introduced_at(plan: Plan, index: int) -> str | None:
    """The skill week ``index`` adds to the stack (None for a hold or a repeated skill)."""
    if not 0 <= index < len(plan.weeks):
        return None
    week = plan.weeks[index]
    if week.hold or not week.skill_id or week.skill_id in stack_at(plan, index - 1):
        return None
    return week.skill_id


def held_weeks(plan: Plan, index: int) -> int:
    """How many hold weeks directly follow week ``index``."""
    n = 0
    for week in plan.weeks[index + 1:]:
        if not week.hold:
            break
        n += 1
    return n


# ---------------------------------------------------------------- mastery


@dataclass(frozen=True)
class Mastery:
    """A skill's week against its mastery rule."""

    done: int
    frequency_target: int
    value: float | None
    metric: Metric

    @property
    def frequency_met(self) -> bool:
        return self.done >= self.frequency_target

    @property
    def metric_met(self) -> bool | None:
        """At or better than target; None when the metric has no target to reach."""
        if self.metric.target is None:
            return None
        return self.value is not None and self.metric.at_target(self.value)

    @property
    def mastered(self) -> bool:
        return self.frequency_met and self.metric_met is not False

    def shortfalls(self) -> list[str]:
        """What is missing, in plain words (empty when mastered)."""
        out = []
        if not self.frequency_met:
            out.append(f"practised {self.done} of {self.frequency_target} days")
        if self.metric_met is False:
            unit = f" {self.metric.unit}" if self.metric.unit else ""
            if self.value is None:
                out.append("no measurement this week")
            else:
                out.append(f"measured {self.value:g}{unit}, target {self.metric.target:g}{unit}")
        return out


def mastery(skill: MicroSkill, done: int, value: float | None) -> Mastery:
    """``skill``'s week: ``done`` days practised and the week's measurement ``value``."""
    return Mastery(done, max(1, min(7, skill.frequency_target)), value, skill.metric)


# ---------------------------------------------------------------- plateau and change


@dataclass(frozen=True)
class Plateau:
    kind: str  # "flat" or "worse"
    values: tuple[float, ...]  # the measurements looked at, oldest first
    gain: float  # improvement from the first to the last of them (≤ tolerance)

    @property
    def message(self) -> str:
        n = len(self.values)
        if self.kind == "worse":
            return (
                f"Results got worse over the last {n} weeks: time to tweak the approach "
                "(or hold this skill before stacking more)."
            )
        return (
            f"Results have levelled off over the last {n} weeks: try tweaking the "
            "approach — a new cue, a harder drill, or a different time of day."
        )


@dataclass(frozen=True)
class Change:
    delta: float  # after − before
    verdict: str  # "better", "worse" or "same"

    def label(self, unit: str = "") -> str:
        unit = f" {unit}" if unit else ""
        if self.verdict == "same":
            return f"±0{unit}"
        sign = "+" if self.delta > 0 else "−"
        return f"{sign}{abs(self.delta):g}{unit} {self.verdict}"


def change(metric: Metric, before: float | None, after: float | None) -> Change | None:
    """Week-over-week change of a measurement, judged in the metric's direction."""
    if before is None or after is None:
        return None
    delta = round(after - before, 6)
    if abs(delta) < 1e-9:
        return Change(0.0, "same")
    return Change(delta, "better" if gain(metric, before, after) > 0 else "worse")


# ---------------------------------------------------------------- edits


def _copied_weeks(plan: Plan) -> list[PlanWeek]:
    """The plan's weeks copied for an edit (the plan itself never changes)."""
    out = []
    for w in plan.weeks:
        copy = dataclasses.replace(w)
        copy.extra = dict(w.extra)
        out.append(copy)
    return out


def _check_open(plan: Plan) -> None:
    if plan.status != "active":
        raise PlanEditError("This plan has ended; its weeks are kept as history.")


def _check_editable(plan: Plan, index: int, first_editable: int, what: str) -> None:
    if not 0 <= index < len(plan.weeks):
        raise PlanEditError(f"The plan has no week {index + 1}.")
    if index < first_editable:
        raise PlanEditError(
            f"Week {index + 1} is over and stays as it happened; {what} a week from "
            f"week {first_editable + 1} on."
        )


def move_week(plan: Plan, index: int, step: int, first_editable: int = 0) -> Plan:
    """Swap week ``index`` with its neighbour ``step`` (−1 up, +1 down) weeks away."""
    _check_open(plan)
    first_editable = max(0, first_editable)
    _check_editable(plan, index, first_editable, "move")
    target = index + step
    if not 0 <= target < len(plan.weeks):
        raise PlanEditError(
            f"Week {index + 1} is already the {'first' if step < 0 else 'last'} week."
        )
    if target < first_editable:
        raise PlanEditError(f"Week {target + 1} is over; only weeks to come can move.")
    weeks = _copied_weeks(plan)
    weeks[index], weeks[target] = weeks[target], weeks[index]
    return plan.touched(weeks=weeks)


def hold_week(plan: Plan, index: int, first_editable: int = 0) -> Plan:
    """Hold week ``index``: one more week like it, later weeks pushed back one week."""
    _check_open(plan)
    if not 0 <= index < len(plan.weeks):
        raise PlanEditError(f"The plan has no week {index + 1}.")
    if index + 1 < max(0, first_editable):
        raise PlanEditError(
            f"Week {index + 2} is over, so week {index + 1} can no longer be held."
        )
    if len(plan.weeks) >= MAX_PLAN_WEEKS:
        raise PlanEditError(f"A plan holds at most {MAX_PLAN_WEEKS} weeks.")
    weeks = _copied_weeks(plan)
    weeks[index].decision = "hold"
    weeks.insert(index + 1, PlanWeek(skill_id=focus_at(plan, index), hold=True))
    return plan.touched(weeks=weeks)


def remove_week(plan: Plan, index: int, first_editable: int = 0) -> Plan:
    """Take week ``index`` out; later weeks move forward one week."""
    _check_open(plan)
    _check_editable(plan, index, max(0, first_editable), "remove")
    if len(plan.weeks) == 1:
        raise PlanEditError("A plan needs at least one week; end the plan instead.")
    weeks = _copied_weeks(plan)
    removed = weeks.pop(index)
    if (
        removed.hold and index > 0 and weeks[index - 1].decision == "hold"
        and held_weeks(plan, index - 1) == 1
    ):
        weeks[index - 1].decision = None  # the hold it recorded is undone
    return plan.touched(weeks=weeks)


def set_week_skill(plan: Plan, index: int, skill_id: str, first_editable: int = 0) -> Plan:
    """Week ``index`` introduces ``skill_id`` (a hold week becomes a skill week)."""
    _check_open(plan)
    _check_editable(plan, index, max(0, first_editable), "change")
    if skill_id in stack_at(plan, index - 1):
        raise PlanEditError("That skill is already in the stack by then; hold a week to repeat.")
    weeks = _copied_weeks(plan)
    weeks[index] = PlanWeek(skill_id=skill_id, extra=weeks[index].extra)
    return plan.touched(weeks=weeks)


def extend(plan: Plan, skill_id: str, today_index: int = 0) -> Plan:
    """Add a week introducing ``skill_id`` after the last one ("plan the next skill").

    When the plan ran out before today, the weeks since then are kept as hold weeks (the
    whole stack stayed active), so the new skill starts this week, never in the past.
    """
    _check_open(plan)
    if skill_id in stack_at(plan, len(plan.weeks)):
        raise PlanEditError("That skill is already in this plan.")
    weeks = _copied_weeks(plan)
    while len(weeks) < today_index:
        weeks.append(PlanWeek(skill_id=focus_at(plan, len(weeks) - 1), hold=True))
    weeks.append(PlanWeek(skill_id=skill_id))
    if len(weeks) > MAX_PLAN_WEEKS:
        raise PlanEditError(f"A plan holds at most {MAX_PLAN_WEEKS} weeks.")
    return plan.touched(weeks=weeks)


def decide(plan: Plan, index: int, decision: str | None, first_editable: int = 0) -> Plan:
    """Record the decision taken at the end of week ``index`` (the mastery gate).

    ``hold`` also holds the week (a hold week after it) unless one already follows or the
    next week is over; ``stack`` and ``tweak`` take back a hold that follows it and has
    not started yet. Returns the plan with the decision recorded.
    """
    if decision is not None and decision not in DECISIONS:
        raise PlanEditError(f"{decision!r} is not a decision (stack, hold or tweak).")
    if not 0 <= index < len(plan.weeks):
        raise PlanEditError(f"The plan has no week {index + 1}.")
    first_editable = max(0, first_editable)
    follows = held_weeks(plan, index)
    movable = plan.status == "active" and index + 1 >= first_editable
    if decision == "hold" and follows == 0 and movable:
        return hold_week(plan, index, first_editable)
    weeks = _copied_weeks(plan)
    if decision in ("stack", "tweak") and follows and movable:
        del weeks[index + 1: index + 1 + follows]  # take back holds not started yet
    weeks[index].decision = decision
    return plan.touched(weeks=weeks)


def end_plan(plan: Plan, day: dt.date) -> Plan:
    """End the plan on ``day`` (it stops being active that day; its weeks stay as history)."""
    _check_open(plan)
    return plan.touched(status="ended", ended_on=day.isoformat())


def new_plan(
    objective_id: str,
    start: dt.date,
    skill_ids: Sequence[str],
    first_weekday: int = MONDAY,
) -> Plan:
    """A plan starting the week of ``start``, one skill per week in the order given."""
    if not skill_ids:
        raise PlanEditError("A plan needs at least one week with a skill.")
    seen: dict[str, int] = {}
    for n, skill_id in enumerate(skill_ids, 1):
        if not skill_id:
            raise PlanEditError(f"Week {n} has no skill.")
        if skill_id in seen:
            raise PlanEditError(
                f"Week {n} repeats week {seen[skill_id]}'s skill; hold week "
                f"{seen[skill_id]} instead."
            )
        seen[skill_id] = n
    if len(skill_ids) > MAX_PLAN_WEEKS:
        raise PlanEditError(f"A plan holds at most {MAX_PLAN_WEEKS} weeks.")
    return Plan(
        objective_id=objective_id,
        start_week=week_start(start, first_weekday).isoformat(),
        weeks=[PlanWeek(skill_id=s) for s in skill_ids],
    )


def next_cycle(
    previous: Plan,
    start: dt.date,
    skill_ids: Sequence[str],
    first_weekday: int = MONDAY,
) -> Plan:
    """The next cycle of an ended plan: a new plan for the same objective (history kept)."""
    if previous.status != "ended":
        raise PlanEditError("End the current plan before starting the next cycle.")
    if previous.ended_on and week_start(start, first_weekday) < week_start(
        to_date(previous.start_week), first_weekday
    ):
        raise PlanEditError("The next cycle cannot start before the previous one.")
    return new_plan(previous.objective_id, start, skill_ids, first_weekday)
