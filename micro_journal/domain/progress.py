"""Pure aggregates behind the Progress screen: weekly series, practice minutes per day,
a 12-month calendar heatmap, consistency per week and month, streaks and achievements.

Everything is derived on the fly from check-ins (and reviews, goals, mastered skills),
never stored. Inputs are plain mappings keyed by ``datetime.date`` built once per
refresh (``day_index``), so years of check-ins are walked once, not once per cell.

**Tracked days.** A skill is expected on the days from its first check-in (``since``)
to ``until`` (today while it is still practised, else its last check-in). A tracked
day without a check-in is *missed*; a *skipped* day is a rest day: it never breaks a
streak and is not expected in consistency. Days outside the tracked span are *none*
(not tracked) or *future*.

**Consistency** of a span of days: done days against the days expected,
``(tracked − skipped) × target / 7`` for an x-of-7 target, capped at 100 %. A span
with nothing expected has no consistency (None), which is not the same as 0 %.

**Metric direction.** ``progress_ratio`` says how far a value is from the baseline (0)
to the target (1) whatever the direction, so skills of one objective with different
units share one chart.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from . import dates, stacking
from .dates import DAY, MONDAY, WEEK, week_start
from .goals import Mastered, Period, done_within, mastered_within
from .models import CheckIn, Metric, MicroGoal, MicroSkill, Practice, WeeklyReview
from .plan import Change, Plateau, change
from .rules import to_date
from .stacking import TWEAK, TweakEffect, tweak_effect

DAY_MARKS = ("done", "skipped", "missed", "none", "future")
HEATMAP_WEEKS = 53  # 52 full weeks back plus the current one: a year of columns
PERIOD_KINDS = ("week", "month", "quarter")


# ---------------------------------------------------------------- one pass over check-ins


@dataclass(frozen=True)
class DayIndex:
    """One skill's (or one objective's) check-ins, indexed by day once."""

    states: dict[dt.date, str] = field(default_factory=dict)  # done / skipped
    minutes: dict[dt.date, int] = field(default_factory=dict)  # practised minutes (done days)
    values: dict[dt.date, float] = field(default_factory=dict)  # metric values
    level: dict[dt.date, float] = field(default_factory=dict)  # share of skills done (0–1)

    # computed once, when first asked for (the index is complete by then)
    @functools.cached_property
    def first(self) -> dt.date | None:
        return min(self.states) if self.states else None

    @functools.cached_property
    def last(self) -> dt.date | None:
        return max(self.states) if self.states else None


@functools.lru_cache(maxsize=1 << 16)
def _day(text: str) -> dt.date | None:
    """A stored date, parsed once per distinct string (years of check-ins share days)."""
    try:
        return to_date(text)
    except (TypeError, ValueError):
        return None


def day_index(checkins: Iterable[CheckIn]) -> DayIndex:
    """States, minutes and values by day of one skill's check-ins."""
    return practice_index((day, c.status, c.minutes, c.value) for c in checkins
                          if (day := _day(c.date)) is not None)


def practice_index(rows: Iterable[Practice]) -> DayIndex:
    """``day_index`` of one skill's check-ins given as ``Practice`` rows."""
    index = DayIndex()
    states, level, minutes, values = index.states, index.level, index.minutes, index.values
    for day, status, spent, value in rows:
        if status not in ("done", "skipped"):
            continue
        states[day] = status
        if status == "done":
            level[day] = 1.0
            if spent:
                minutes[day] = minutes.get(day, 0) + max(0, int(spent))
        if value is not None:
            values[day] = float(value)
    return index


def combine(indexes: Sequence[DayIndex]) -> DayIndex:
    """Several skills as one (an objective): a day is done when any skill was practised,
    skipped when none was but one rested; minutes add up; ``level`` is the share of the
    skills checked in that day that were done. Values are not combined (units differ)."""
    out = DayIndex()
    seen: dict[dt.date, list[int]] = {}  # day → [done, checked in]
    for index in indexes:
        for day, state in index.states.items():
            counts = seen.setdefault(day, [0, 0])
            counts[1] += 1
            if state == "done":
                counts[0] += 1
        for day, minutes in index.minutes.items():
            out.minutes[day] = out.minutes.get(day, 0) + minutes
    for day, (done, checked) in seen.items():
        out.states[day] = "done" if done else "skipped"
        if done:
            out.level[day] = done / checked
    return out


# ---------------------------------------------------------------- marks of days


def mark(
    states: Mapping[dt.date, str],
    day: dt.date,
    today: dt.date,
    since: dt.date | None,
    until: dt.date | None = None,
) -> str:
    """``day`` as done / skipped / missed / none (not tracked) / future.

    Today without a check-in is still open: it counts as ``future``, never as missed.
    """
    state = states.get(day)
    if state in ("done", "skipped") and day <= today:
        return state
    if day >= today:
        return "future"
    end = min(until, today) if until else today
    if since is None or day < since or day > end:
        return "none"
    return "missed"


# the first days of the ``count`` weeks ending with the week holding a day
week_starts = dates.week_starts


# ---------------------------------------------------------------- weekly measurements


@dataclass(frozen=True)
class WeekPoint:
    """A week's measurement: the value confirmed in its review, else the mean of the
    week's check-in values, else None."""

    start: dt.date
    value: float | None
    source: str | None = None  # "review" or "check-ins"
    count: int = 0  # check-in values behind a "check-ins" mean


def weekly_series(
    values: Mapping[dt.date, float],
    weeks: Sequence[dt.date],
    reviewed: Mapping[dt.date, float] | None = None,
) -> list[WeekPoint]:
    """One point per week start in ``weeks`` (oldest first)."""
    reviewed = reviewed or {}
    out = []
    for start in weeks:
        if start in reviewed:
            out.append(WeekPoint(start, float(reviewed[start]), "review"))
            continue
        days = [values[d] for d in (start + DAY * i for i in range(7)) if d in values]
        if days:
            out.append(WeekPoint(start, round(sum(days) / len(days), 2), "check-ins", len(days)))
        else:
            out.append(WeekPoint(start, None))
    return out


@dataclass(frozen=True)
class WeekChange:
    before: WeekPoint
    after: WeekPoint
    change: Change


def week_over_week(series: Sequence[WeekPoint], metric: Metric) -> WeekChange | None:
    """The change between the last two weeks in ``series`` that both have a value, when
    they are consecutive weeks (a gap says nothing about last week)."""
    known = [p for p in series if p.value is not None]
    if len(known) < 2:
        return None
    before, after = known[-2], known[-1]
    if (after.start - before.start) != WEEK:
        return None
    result = change(metric, before.value, after.value)
    return WeekChange(before, after, result) if result else None


def plateau_of(
    series: Sequence[WeekPoint], metric: Metric, since: dt.date | None = None
) -> Plateau | None:
    """The weekly review's plateau rule (``stacking``: two weeks running without real
    improvement) over the series, oldest first; ``since`` is the week of the latest tweak,
    before which weeks no longer count."""
    values = [p.value for p in series if since is None or p.start >= since]
    if stacking.flat_weeks(metric, values) < 2:
        return None
    last = tuple(float(v) for v in values[-3:] if v is not None)
    moved = stacking.gain(metric, last[0], last[-1])
    worse = moved < -stacking.tolerance(metric, last)
    return Plateau("worse" if worse else "flat", last, moved)


# ---------------------------------------------------------------- tweaks


@dataclass(frozen=True)
class Tweak:
    """A change of approach decided in a weekly review. ``week`` is the first day of the
    week reviewed: the tweak was decided at its end and applies from the week after."""

    week: dt.date
    text: str  # what changes (the review's "adjust"), as the user wrote it

    @property
    def applies_from(self) -> dt.date:
        return self.week + WEEK


def tweaks_of(
    skill: MicroSkill, reviews: Iterable[WeeklyReview], first_weekday: int = MONDAY
) -> list[Tweak]:
    """The tweaks of ``skill``, oldest week first, one per week (a later review of the
    same week replaces an earlier one). A review counts when it decided ``tweak`` for
    the skill's objective (or for no recorded objective) and names the skill, or, when
    it names no skill (older reviews), measured the skill."""
    out: dict[dt.date, Tweak] = {}
    for review in reviews:
        if review.decision != TWEAK:
            continue
        if review.objective_id is not None and review.objective_id != skill.objective_id:
            continue
        if review.tweak_skill_id is not None:
            if review.tweak_skill_id != skill.id:
                continue
        elif not any(m.skill_id == skill.id for m in review.measurements):
            continue
        day = _day(review.week) if isinstance(review.week, str) else None
        if day is None:
            continue
        start = week_start(day, first_weekday)
        out[start] = Tweak(start, review.adjust or "")
    return [out[k] for k in sorted(out)]


def effect_of_tweak(
    metric: Metric,
    values: Mapping[dt.date, float],
    reviewed: Mapping[dt.date, float],
    tweak: Tweak,
    today: dt.date,
    first_weekday: int = MONDAY,
    span: int = 2,
) -> TweakEffect:
    """``stacking.tweak_effect`` over the weekly measurements around ``tweak``: the
    ``span`` weeks up to and including the tweak week against the ``span`` after it
    (weeks after the current one are not there yet)."""
    this_week = week_start(today, first_weekday)
    starts = [tweak.week + WEEK * i for i in range(1 - span, span + 1)]
    series = weekly_series(values, [s for s in starts if s <= this_week], reviewed)
    return tweak_effect(metric, [p.value for p in series], span - 1, span)


def progress_ratio(metric: Metric, value: float | None) -> float | None:
    """How far ``value`` is from the baseline (0.0) to the target (1.0), in the metric's
    direction; beyond the target is above 1, worse than the baseline below 0. None
    without a baseline and a different target."""
    if value is None or metric.baseline is None or metric.target is None:
        return None
    span = metric.target - metric.baseline
    if span == 0:
        return None
    return (value - metric.baseline) / span


def first_mastered(
    skill: MicroSkill,
    index: DayIndex,
    reviewed: Mapping[dt.date, float],
    today: dt.date,
    first_weekday: int = MONDAY,
) -> dt.date | None:
    """The day ``skill`` was mastered: its ``mastered_on`` when marked mastered, else the
    last day of the first finished week that met the mastery rule (``plan.mastery``:
    practised on its x-of-7 days and the week's measurement — the review's, else the
    check-ins' mean — at or beyond the target). The same rule as the Plan's ★ and the
    Goals review; here from the day index, so years of check-ins stay fast."""
    if skill.status == "mastered" and skill.mastered_on:
        day = _day(skill.mastered_on)
        if day is not None:
            return day
    this_week = week_start(today, first_weekday)
    done: dict[dt.date, int] = {}
    rest: dict[dt.date, int] = {}
    for day, state in index.states.items():
        start = week_start(day, first_weekday)
        if start < this_week:
            done[start] = done.get(start, 0) + (state == "done")
            rest[start] = rest.get(start, 0) + (state == "skipped")
    if not done:
        return None
    starts = [min(done) + WEEK * k for k in range((max(done) - min(done)).days // 7 + 1)]
    points = weekly_series(index.values, starts, reviewed)
    weeks = [
        (start, stacking.SkillWeek(done.get(start, 0), rest.get(start, 0), point.value))
        for start, point in zip(starts, points, strict=True)
    ]
    found = stacking.mastered_in(skill.metric, skill.frequency_target, weeks)
    return found + DAY * 6 if isinstance(found, dt.date) else None


# ---------------------------------------------------------------- minutes


@dataclass(frozen=True)
class DayBar:
    day: dt.date
    minutes: int
    mark: str  # see ``mark``


def minutes_per_day(
    index: DayIndex, start: dt.date, end: dt.date, today: dt.date,
    until: dt.date | None = None,
) -> list[DayBar]:
    """Each day from ``start`` to ``end`` (inclusive) with its practised minutes."""
    out = []
    day, since = start, index.first
    while day <= end:
        out.append(DayBar(day, index.minutes.get(day, 0) if day <= today else 0,
                          mark(index.states, day, today, since, until)))
        day += DAY
    return out


@dataclass(frozen=True)
class Totals:
    minutes: int
    days: int  # days practised (done)
    rest_days: int
    first: dt.date | None

    @property
    def average(self) -> float:
        """Minutes per day practised."""
        return self.minutes / self.days if self.days else 0.0


def totals(index: DayIndex, today: dt.date) -> Totals:
    """Minutes and days practised so far (nothing after ``today`` counts)."""
    minutes = sum(m for d, m in index.minutes.items() if d <= today)
    days = sum(1 for d, s in index.states.items() if s == "done" and d <= today)
    rest = sum(1 for d, s in index.states.items() if s == "skipped" and d <= today)
    return Totals(minutes, days, rest, index.first)


# ---------------------------------------------------------------- heatmap


@dataclass(frozen=True)
class HeatCell:
    day: dt.date
    mark: str
    level: float = 0.0  # share of skills done that day (1.0 for a single skill)


@dataclass(frozen=True)
class Heatmap:
    weeks: list[dt.date]  # the first day of each column, oldest first
    columns: list[list[HeatCell]]  # one list of seven days per week, in week order
    months: list[tuple[int, str]]  # (column, "Dec") where a month begins

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(DAY_MARKS, 0)
        for column in self.columns:
            for cell in column:
                out[cell.mark] += 1
        return out


def heatmap(
    index: DayIndex,
    today: dt.date,
    first_weekday: int = MONDAY,
    until: dt.date | None = None,
    weeks: int = HEATMAP_WEEKS,
) -> Heatmap:
    """A GitHub-style calendar of the last ``weeks`` weeks: one column a week, one row a
    weekday; a month label on the column holding the month's first day (the first
    column is labelled too when the month starts inside it or it is the only one)."""
    starts = week_starts(today, weeks, first_weekday)
    since = index.first
    columns = []
    months: list[tuple[int, str]] = []
    for col, start in enumerate(starts):
        cells = []
        for i in range(7):
            day = start + DAY * i
            m = mark(index.states, day, today, since, until)
            cells.append(HeatCell(day, m, index.level.get(day, 0.0) if m == "done" else 0.0))
            if day.day == 1:
                months.append((col, dates.month_short(day)))
        columns.append(cells)
    if starts and (not months or months[0][0] > 2):
        months.insert(0, (0, dates.month_short(starts[0] + DAY * 6)))
    return Heatmap(starts, columns, months)


# ---------------------------------------------------------------- consistency


@dataclass(frozen=True)
class Consistency:
    start: dt.date
    end: dt.date  # inclusive
    done: int
    expected: float  # done days the x-of-7 target asks for in the tracked days

    @property
    def ratio(self) -> float | None:
        if self.expected <= 0:
            return None
        return min(1.0, self.done / self.expected)

    @property
    def percent(self) -> int | None:
        r = self.ratio
        return None if r is None else round(100 * r)


def consistency(
    index: DayIndex,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    target: int = 7,
    until: dt.date | None = None,
) -> Consistency:
    """Done days of ``start``–``end`` against the days the target expected of them.

    Today counts once checked in (done or rested); unchecked, it is not expected yet.
    """
    target = max(1, min(7, target))
    since = index.first
    done = tracked = 0
    day = start
    while day <= end and day <= today:
        m = mark(index.states, day, today, since, until)
        if m == "done":
            done += 1
            tracked += 1
        elif m == "missed":
            tracked += 1
        day += DAY
    return Consistency(start, end, done, tracked * target / 7)


def weekly_consistency(
    index: DayIndex, today: dt.date, target: int = 7, first_weekday: int = MONDAY,
    until: dt.date | None = None, count: int = 12,
) -> list[Consistency]:
    """The last ``count`` weeks, oldest first (the current one so far)."""
    return [
        consistency(index, s, s + DAY * 6, today, target, until)
        for s in week_starts(today, count, first_weekday)
    ]


def monthly_consistency(
    index: DayIndex, today: dt.date, target: int = 7, until: dt.date | None = None,
    count: int = 12,
) -> list[Consistency]:
    """The last ``count`` calendar months, oldest first (the current one so far)."""
    this = Period.containing(today, "month")
    return [
        consistency(index, p.start, p.end, today, target, until)
        for p in (this.shift(-i) for i in range(count - 1, -1, -1))
    ]


# ---------------------------------------------------------------- achievements


@dataclass(frozen=True, order=True)
class WeekPeriod:
    """A calendar week, with the interface of ``goals.Period`` (month / quarter)."""

    start: dt.date  # the first day, in the user's week order
    kind: str = "week"

    @classmethod
    def containing(cls, day: dt.date, first_weekday: int = MONDAY) -> WeekPeriod:
        return cls(week_start(day, first_weekday))

    @property
    def end(self) -> dt.date:
        return self.start + DAY * 6

    @property
    def key(self) -> str:
        return dates.iso_week_key(self.start)

    @property
    def label(self) -> str:
        return f"week of {dates.day_range(self.start, self.end, year=True)}"

    def shift(self, steps: int) -> WeekPeriod:
        return WeekPeriod(self.start + WEEK * steps)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


AnyPeriod = WeekPeriod | Period


def period_containing(day: dt.date, kind: str, first_weekday: int = MONDAY) -> AnyPeriod:
    if kind == "week":
        return WeekPeriod.containing(day, first_weekday)
    return Period.containing(day, kind)


def as_kind(period: AnyPeriod, kind: str, today: dt.date, first_weekday: int = MONDAY
            ) -> AnyPeriod:
    """The period of ``kind`` holding the same moment: today when ``period`` holds
    today, else ``period``'s first day (switching kinds keeps the place in time)."""
    anchor = today if period.contains(today) else period.start
    return period_containing(anchor, kind, first_weekday)


def longest_run(states: Mapping[dt.date, str], start: dt.date, end: dt.date) -> int:
    """The longest run of practice days within ``start``–``end``: consecutive days each
    done or rested (a rest day neither counts nor breaks the run)."""
    best = run = 0
    day = start
    while day <= end:
        state = states.get(day)
        if state == "done":
            run += 1
            best = max(best, run)
        elif state != "skipped":
            run = 0
        day += DAY
    return best


@dataclass(frozen=True)
class Achievements:
    """What one week, month or quarter achieved (derived, never stored)."""

    period: AnyPeriod
    mastered: list[Mastered]
    goals_done: list[tuple[MicroGoal, dt.date]]
    minutes: int
    days: int  # days with any practice
    checkins: int  # done check-ins (a day practising three skills counts three)
    best_streak: int  # longest run of practice days inside the period
    skills_practised: int

    @property
    def empty(self) -> bool:
        return not (self.mastered or self.goals_done or self.days)


def achievements(
    period: AnyPeriod,
    checkins: Iterable[CheckIn],
    goals: Iterable[MicroGoal] = (),
    mastered: Iterable[Mastered] = (),
    today: dt.date | None = None,
    day_start_hour: int = 0,
) -> Achievements:
    """Roll up ``period``: practice from check-ins (only up to ``today``), goals done in
    it, skills mastered in it."""
    return practice_achievements(
        period, ((c.skill_id, (day, c.status, c.minutes, c.value)) for c in checkins
                 if (day := _day(c.date)) is not None),
        goals, mastered, today, day_start_hour)


def practice_achievements(
    period: AnyPeriod,
    practice: Iterable[tuple[str, Practice]],
    goals: Iterable[MicroGoal] = (),
    mastered: Iterable[Mastered] = (),
    today: dt.date | None = None,
    day_start_hour: int = 0,
) -> Achievements:
    """``achievements`` of check-ins given as (skill id, ``Practice``) pairs."""
    end = min(period.end, today) if today else period.end
    states: dict[dt.date, str] = {}
    minutes = count = 0
    skills: set[str] = set()
    for skill_id, (day, status, spent, _value) in practice:
        if not period.start <= day <= end:
            continue
        if status == "done":
            states[day] = "done"
            count += 1
            skills.add(skill_id)
            minutes += max(0, int(spent or 0))
        elif status == "skipped":
            states.setdefault(day, "skipped")
    done_goals = done_within(period, goals, day_start_hour)
    done_goals.sort(key=lambda pair: (pair[1], pair[0].action))
    inside = mastered_within(period, mastered)
    days = sum(1 for s in states.values() if s == "done")
    return Achievements(
        period, inside, done_goals, minutes, days, count,
        longest_run(states, period.start, end), len(skills),
    )
