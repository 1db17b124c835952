"""Pure rules of micro-goals: deadlines as people type them, how late a goal is, and the
monthly / quarterly roll-ups of what was achieved.

Everything is relative to a given ``today`` (the user's local date, already shifted by
the configured day-start hour — see ``domain.clock``), so "tomorrow" typed at 01:30 with a
04:00 day start still means the calendar day after the one the user is living in.

Deadline forms (case-insensitive, surrounding spaces ignored):

- ``today``, ``tomorrow`` (also ``tod``, ``tom``, ``tmr``);
- a weekday name, full or three letters (``friday``, ``fri``, ``next fri``): its **next
  occurrence after today**. Typing today's own weekday means the same day next week,
  because ``today`` already names today (``wed`` on a Wednesday is seven days away);
- ``+3d``, ``+1w``, ``+2m`` (days, weeks, calendar months; ``+`` optional, and
  ``3 days`` / ``2 weeks`` spelled out work too). A month step that lands on a day the
  month lacks keeps to its last day: 31 January + 1m is 28 (or 29) February;
- an ISO date ``YYYY-MM-DD`` (an impossible one, 2027-02-29, is explained).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from . import dates
from .models import GOAL_ESTIMATE_WARN, MicroGoal, MicroSkill, ValidationError

STALE_DAYS = 14  # open more than two weeks past its deadline

DEADLINE_HELP = "today, tomorrow, a weekday (fri), +3d, +1w, +1m or YYYY-MM-DD"


def _deadline_error(text: str, why: str = "") -> ValidationError:
    shown = text.strip() or "nothing"
    reason = f"{why}; " if why else f"{shown!r} is not a deadline; "
    return ValidationError("deadline", f"{reason}use {DEADLINE_HELP}")


def parse_deadline(text: str, today: dt.date) -> dt.date:
    """The date ``text`` names, counted from ``today``; ValidationError("deadline") if none.

    Never returns a date before ``today`` for a relative form; an ISO date in the past
    is returned as given (callers decide whether the past is allowed).
    """
    if not text.strip():
        raise ValidationError("deadline", f"a micro-goal needs a deadline: {DEADLINE_HELP}")
    try:
        return dates.parse_day(text, today)
    except dates.DateError as err:
        raise _deadline_error(text, str(err)) from None


def describe_deadline(deadline: dt.date, today: dt.date) -> str:
    """``Fri 20 Nov`` plus how far it is: ``today``, ``tomorrow``, ``in 5 days``, ``3 days ago``."""
    return f"{dates.day_short(deadline, today)} ({dates.relative_day(deadline, today)})"


# ---------------------------------------------------------------- classification

def days_late(goal: MicroGoal, today: dt.date) -> int:
    """Days past the deadline (0 on the day itself, negative before it)."""
    return dates.days_between(dt.date.fromisoformat(goal.deadline), today)


def classify(goal: MicroGoal, today: dt.date) -> str:
    """``done`` / ``dropped`` for closed goals; an open goal is ``due`` (deadline today),
    ``overdue`` (1–14 days late), ``stale`` (open more than two weeks past its deadline)
    or ``upcoming``."""
    if goal.status in ("done", "dropped"):
        return goal.status
    late = days_late(goal, today)
    if late > STALE_DAYS:
        return "stale"
    if late > 0:
        return "overdue"
    if late == 0:
        return "due"
    return "upcoming"


def is_stale(goal: MicroGoal, today: dt.date) -> bool:
    return classify(goal, today) == "stale"


def late_label(late: int) -> str:
    """``due today``, ``overdue 1 day``, ``in 3 days``…"""
    return dates.late_phrase(late)


# ---------------------------------------------------------------- completion day


def completed_day(goal: MicroGoal, day_start_hour: int = 0) -> dt.date | None:
    """The local day a goal was completed on: the wall time of ``completed_at`` (stored
    with the user's offset) shifted back by the day-start hour, as "today" is."""
    if not goal.completed_at:
        return None
    try:
        moment = dt.datetime.fromisoformat(goal.completed_at)
    except ValueError:
        try:
            return dt.date.fromisoformat(goal.completed_at[:10])
        except ValueError:
            return None
    return dates.local_day(moment, day_start_hour)


# ---------------------------------------------------------------- periods


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month (``index`` 1–12) or quarter (``index`` 1–4) of ``year``."""

    kind: str  # "month" or "quarter"
    year: int
    index: int

    @classmethod
    def containing(cls, day: dt.date, kind: str) -> Period:
        if kind == "month":
            return cls("month", day.year, day.month)
        if kind == "quarter":
            return cls("quarter", day.year, dates.quarter_of(day))
        raise ValueError(f"a period is a month or a quarter, not {kind!r}")

    @property
    def months(self) -> int:
        return 1 if self.kind == "month" else 3

    @property
    def start(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.index, 1)
        return dates.quarter_start(self.year, self.index)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return dates.last_day(self.start, self.months)

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return f"{self.year}-Q{self.index}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return dates.month_label(self.start)
        return dates.quarter_label(self.year, self.index)

    def shift(self, steps: int) -> Period:
        """The period ``steps`` months/quarters later (negative: earlier), across years."""
        return Period.containing(dates.add_months(self.start, steps * self.months), self.kind)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def month_periods(self) -> list[Period]:
        return [Period.containing(dates.add_months(self.start, i), "month")
                for i in range(self.months)]

    def as_kind(self, kind: str) -> Period:
        """The month/quarter holding this period's first day (switching views keeps the
        place in time)."""
        return Period.containing(self.start, kind)


# ---------------------------------------------------------------- roll-ups


@dataclass(frozen=True)
class Mastered:
    """A skill and the day it was mastered."""

    skill: MicroSkill
    day: dt.date


@dataclass(frozen=True)
class Rollup:
    """What a month or quarter achieved: done goals (oldest first) and mastered skills."""

    period: Period
    done: list[tuple[MicroGoal, dt.date]] = field(default_factory=list)
    mastered: list[Mastered] = field(default_factory=list)

    @property
    def insights(self) -> list[MicroGoal]:
        return [g for g, _ in self.done if g.insight.strip()]

    def done_by_objective(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for goal, _ in self.done:
            counts[goal.objective_id] = counts.get(goal.objective_id, 0) + 1
        return counts

    def done_by_month(self) -> list[tuple[Period, int]]:
        """Per month of the period (a quarter has three), how many goals were done."""
        return [
            (month, sum(1 for _, day in self.done if month.contains(day)))
            for month in self.period.month_periods()
        ]


def rollup(
    period: Period,
    goals: Iterable[MicroGoal],
    mastered: Iterable[Mastered] = (),
    day_start_hour: int = 0,
) -> Rollup:
    """Done goals completed within ``period`` and skills mastered within it."""
    done = done_within(period, goals, day_start_hour)
    done.sort(key=lambda pair: (pair[1], pair[0].completed_at or "", pair[0].action))
    return Rollup(period, done, mastered_within(period, mastered))


class Span(Protocol):
    """Anything with days in it: a ``Period`` or the progress screen's week."""

    def contains(self, day: dt.date) -> bool: ...


def done_within(
    period: Span, goals: Iterable[MicroGoal], day_start_hour: int = 0
) -> list[tuple[MicroGoal, dt.date]]:
    """Each done goal completed within ``period``, with the day it was (in ``goals``'
    order: the caller sorts)."""
    done = []
    for goal in goals:
        if goal.status != "done":
            continue
        day = completed_day(goal, day_start_hour)
        if day is not None and period.contains(day):
            done.append((goal, day))
    return done


def mastered_within(period: Span, mastered: Iterable[Mastered]) -> list[Mastered]:
    """The skills mastered within ``period``, by day, then title."""
    return sorted(
        (m for m in mastered if period.contains(m.day)), key=lambda m: (m.day, m.skill.title)
    )


def objective_progress(goals: Iterable[MicroGoal]) -> tuple[int, int]:
    """(done, total) of an objective's goals; dropped goals no longer count."""
    done = total = 0
    for goal in goals:
        if goal.status == "dropped":
            continue
        total += 1
        done += goal.status == "done"
    return done, total


# ---------------------------------------------------------------- the micro-goal checklist


def goal_warnings(goal: MicroGoal) -> list[str]:
    """Warn (never block) when a goal breaks the micro-goal checklist."""
    warnings = []
    if goal.estimate_minutes is not None and goal.estimate_minutes > GOAL_ESTIMATE_WARN:
        warnings.append(
            f"{goal.estimate_minutes} minutes is more than two hours: split it into smaller "
            "micro-goals you can finish in one sitting."
        )
    if not goal.success_metric.strip():
        warnings.append("No success metric: how will you know it is done?")
    return warnings
