"""Pure rules: weeks, stacking plans, streaks and weekly frequency.

Dates here are ``datetime.date``; stored records carry ISO strings and are converted
at the edges. Weekday numbering is Python's (Monday = 0 … Sunday = 6) everywhere;
``week_start`` is 0 for Monday-first weeks and 6 for Sunday-first weeks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# the week rules are the date module's (callers name the constants ``rules.MONDAY`` too)
from .dates import DAY, MONDAY, SUNDAY, WEEK, week_days, week_start, weeks_between  # noqa: F401
from .models import CheckIn, MicroSkill, Plan


def to_date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


# ---------------------------------------------------------------- stacking


@dataclass(frozen=True)
class PlanPosition:
    """Where a date falls in a plan."""

    plan: Plan
    index: int  # 0-based week index; may be >= len(weeks) once the plan has run out
    focus_id: str | None  # the skill introduced most recently (the week's focus)
    active_ids: tuple[str, ...]  # every skill introduced so far, in order (focus last)

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def total(self) -> int:
        return len(self.plan.weeks)

    @property
    def finished(self) -> bool:
        return self.index >= len(self.plan.weeks)

    @property
    def is_hold(self) -> bool:
        return not self.finished and self.plan.weeks[self.index].hold

    def label(self) -> str:
        if self.finished:
            return f"week {self.number} · next skill not planned"
        held = " (held)" if self.is_hold else ""
        return f"week {self.number} of {self.total}{held}"


def plan_position(
    plan: Plan, day: dt.date, first_weekday: int = MONDAY
) -> PlanPosition | None:
    """Which week of ``plan`` contains ``day`` and which skills are active then.

    Week *i* introduces its skill and keeps every earlier one active (stacking); a held
    week repeats the previous week without a new skill. Before the plan starts, or
    after it was ended, there is no position. Past its last week the whole stack stays
    active until the user extends or ends the plan.
    """
    if plan.status == "ended" and (not plan.ended_on or day >= to_date(plan.ended_on)):
        return None  # an ended plan with no end date recorded is simply not running
    index = weeks_between(to_date(plan.start_week), day, first_weekday)
    if index < 0 or not plan.weeks:
        return None
    active: list[str] = []
    for week in plan.weeks[: index + 1]:
        if not week.hold and week.skill_id and week.skill_id not in active:
            active.append(week.skill_id)
    focus = active[-1] if active else None
    return PlanPosition(plan, index, focus, tuple(active))


@dataclass(frozen=True)
class ObjectiveFocus:
    """For one objective on one date: its focus skill and the skills stacked under it."""

    objective_id: str
    focus_id: str | None
    stacked_ids: tuple[str, ...]  # active skills other than the focus, newest first
    position: PlanPosition | None


def active_skills(
    day: dt.date,
    skills: Iterable[MicroSkill],
    plans: Iterable[Plan],
    first_weekday: int = MONDAY,
) -> list[ObjectiveFocus]:
    """The focus and stacked skills of every objective on ``day``.

    Skills come from each objective's active plan (stacking); an objective with no plan
    running uses its skills whose status is ``active`` (newest is the focus). Archived
    skills are never active. Objectives keep the order their skills were given in.
    """
    skills = list(skills)
    plans = list(plans)  # iterated twice below; a generator would be empty the second time
    usable = {s.id for s in skills if s.status != "archived"}
    result: dict[str, ObjectiveFocus] = {}
    for plan in plans:
        pos = plan_position(plan, day, first_weekday)
        if pos is None or plan.objective_id in result:
            continue
        ids = [i for i in pos.active_ids if i in usable]
        if not ids:
            continue
        focus, stacked = ids[-1], tuple(reversed(ids[:-1]))
        result[plan.objective_id] = ObjectiveFocus(plan.objective_id, focus, stacked, pos)
    # skills of a running plan follow the plan; a plan that starts later does not hide
    # an active skill today
    planned_ids = {
        w.skill_id
        for p in plans
        if p.status == "active" and plan_position(p, day, first_weekday) is not None
        for w in p.weeks
    }
    free: dict[str, list[MicroSkill]] = {}
    for skill in skills:
        if (
            skill.status == "active"
            and skill.objective_id not in result
            and skill.id not in planned_ids
        ):
            free.setdefault(skill.objective_id, []).append(skill)
    for objective_id, group in free.items():
        group.sort(key=lambda s: s.created_at)
        ids = [s.id for s in group]
        result[objective_id] = ObjectiveFocus(
            objective_id, ids[-1], tuple(reversed(ids[:-1])), None
        )
    order = {s.objective_id: n for n, s in reversed(list(enumerate(skills)))}
    return sorted(result.values(), key=lambda f: order.get(f.objective_id, 0))


# ---------------------------------------------------------------- streaks and frequency


@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


def day_states(checkins: Iterable[CheckIn]) -> dict[dt.date, str]:
    return {to_date(c.date): c.status for c in checkins}


@dataclass(frozen=True)
class StreakSpan:
    """What a run of whole days does to a streak, so that spans can be joined: one kept
    for the years before a journal's recent weeks, one counted from those weeks.

    ``head``: done days before the span's first break (all of them if none);
    ``tail``: the run at its end (counted from its last break); ``best``: the longest
    run inside it, counting from zero at its start; ``first``: its first day."""

    first: int  # a date's ordinal
    broken: bool
    head: int
    tail: int
    best: int

    def then(self, later: StreakSpan) -> StreakSpan:
        """This span followed by ``later`` (which must start on a week's first day, so
        that no week's misses are split between them)."""
        return StreakSpan(
            first=self.first,
            broken=self.broken or later.broken,
            head=self.head if self.broken else self.head + later.head,
            tail=later.tail if later.broken else self.tail + later.tail,
            best=max(self.best, later.best, self.tail + later.head),
        )

    def to_list(self) -> list[int]:
        return [self.first, int(self.broken), self.head, self.tail, self.best]

    @classmethod
    def from_list(cls, value: object) -> StreakSpan | None:
        if (isinstance(value, list) and len(value) == 5
                and all(type(v) is int and v >= 0 for v in value)):
            first, broken, head, tail, best = value
            if first > 0 and broken in (0, 1):
                return cls(first, bool(broken), head, tail, best)
        return None


def streak_span(
    states: Mapping[dt.date, str],
    first: dt.date,
    end: dt.date,
    frequency_target: int = 7,
    first_weekday: int = MONDAY,
    today: dt.date | None = None,
) -> StreakSpan:
    """The streak over the days from ``first`` to ``end`` (both included), counted as
    :func:`streaks` counts; ``today``, when it is ``end``, is still open (no miss).
    Only weeks holding a check-in are walked day by day: a week with none misses all
    seven days, more than any allowance, so it breaks the run."""
    allowance = 7 - max(1, min(7, frequency_target))
    start, last = first.toordinal(), end.toordinal()
    open_day = today.toordinal() if today is not None else None
    marks = {d.toordinal(): s for d, s in states.items() if first <= d <= end}

    def week_of(ordinal: int) -> int:  # the ordinal of the week's first day
        return ordinal - ((ordinal + 6) % 7 - first_weekday) % 7

    weeks = sorted({week_of(o) for o in marks} | {week_of(start), week_of(last)})
    run = best = head = 0
    broken = False
    previous = None
    for week in weeks:
        if previous is not None and week - previous > 7:
            broken, run = True, 0  # a whole week between with nothing checked in
        previous = week
        misses_in_week = 0
        for day in range(max(week, start), min(week + 7, last + 1)):
            state = marks.get(day)
            if state == "done":
                run += 1
                if run > best:
                    best = run
                if not broken:
                    head += 1
            elif state == "skipped" or day == open_day:
                pass  # a rest day, or today still open
            else:
                misses_in_week += 1
                if misses_in_week > allowance:
                    broken, run = True, 0
    return StreakSpan(start, broken, head, run, best)


def streaks(
    states: Mapping[dt.date, str],
    today: dt.date,
    frequency_target: int = 7,
    first_weekday: int = MONDAY,
    since: dt.date | None = None,
) -> Streaks:
    """Current and best streak, counted in done days.

    A streak is a run of days in which every missed day is allowed: a skipped day (a
    rest day) never breaks it, and with a weekly target of *x* of 7 each week may miss
    up to 7 − x days. The first miss beyond that allowance ends the run. Today counts
    only once checked in: an unchecked today is still open and breaks nothing.
    Days after ``today`` are ignored; ``since`` (default: the first check-in) is where
    counting starts. The cost follows the weeks holding a check-in, not the days.
    """
    past = [d for d in states if d <= today]
    if not past:
        return Streaks(0, 0)
    start = min(past)
    if since is not None:
        start = min(start, since)
    span = streak_span(states, start, today, frequency_target, first_weekday, today)
    return Streaks(span.tail, span.best)


@dataclass(frozen=True)
class WeekProgress:
    done: int
    skipped: int
    missed: int
    target: int
    remaining_days: int  # days left in the week after today (today included if unchecked)

    @property
    def met(self) -> bool:
        return self.done >= self.target

    def label(self) -> str:
        return f"{self.done}/{self.target}"


def week_progress(
    states: Mapping[dt.date, str],
    today: dt.date,
    frequency_target: int = 7,
    first_weekday: int = MONDAY,
) -> WeekProgress:
    """This week's frequency so far: done days against the x-of-7 target."""
    done = skipped = missed = remaining = 0
    for day in week_days(today, first_weekday):
        state = states.get(day)
        if day > today:
            remaining += 1
        elif state == "done":
            done += 1
        elif state == "skipped":
            skipped += 1
        elif day == today:
            remaining += 1
        else:
            missed += 1
    return WeekProgress(done, skipped, missed, frequency_target, remaining)


def week_marks(
    states: Mapping[dt.date, str],
    day: dt.date,
    today: dt.date,
    first_weekday: int = MONDAY,
    since: dt.date | None = None,
) -> list[tuple[dt.date, str]]:
    """Each day of ``day``'s week as done / skipped / missed / today / future / none."""
    marks = []
    for d in week_days(day, first_weekday):
        state = states.get(d)
        if state in ("done", "skipped"):
            marks.append((d, state))
        elif d > today:
            marks.append((d, "future"))
        elif d == today:
            marks.append((d, "today"))
        elif since is not None and d < since:
            marks.append((d, "none"))
        else:
            marks.append((d, "missed"))
    return marks


def weekly_measurement(checkins: Iterable[CheckIn], week_first_day: dt.date) -> float | None:
    """The mean of a week's check-in values (None when no value was logged)."""
    end = week_first_day + WEEK
    values = [
        c.value for c in checkins
        if c.value is not None and week_first_day <= to_date(c.date) < end
    ]
    if not values:
        return None
    return round(sum(values) / len(values), 2)
