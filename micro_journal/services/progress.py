"""What the Progress screen shows: one skill's or one objective's charts, streaks and
consistency, and the achievements of a week, month or quarter.

``ProgressData`` reads the journal once per refresh: every check-in as a small row, not
a record (``Repository.practice``; the older ones are read from the file and kept only
as rows), each skill's indexed by day a single time (``domain.progress.practice_index``),
and every view is then computed from those indexes, so ten years of check-ins draw as
fast as three weeks.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..domain import dates, rules
from ..domain import progress as progress_rules
from ..domain.goals import Mastered
from ..domain.models import Metric, MicroGoal, MicroSkill, Objective, Practice
from ..domain.plan import Plateau
from ..domain.stacking import TweakEffect
from ..store.repository import Repository

PICTURES_ENV = "MICRO_JOURNAL_PICTURES_DIR"


# ------------------------------------------------------------------ views


class SkillProgress:
    """One skill's progress; streaks, this week and totals are computed when first asked
    for (an objective's chart needs only the weekly series of its skills)."""

    def __init__(
        self, skill: MicroSkill, objective: Objective | None, index: progress_rules.DayIndex,
        until: dt.date | None, series: list[progress_rules.WeekPoint],
        recent: list[progress_rules.WeekPoint],
        today: dt.date, first_weekday: int, tweaks: list[progress_rules.Tweak] | None = None,
        reviewed: dict[dt.date, float] | None = None,
    ) -> None:
        self.skill = skill
        self.objective = objective
        self.index = index
        self.until = until  # the last tracked day (None: still practised)
        self.series = series  # the weeks charted, oldest first
        self.change: progress_rules.WeekChange | None = progress_rules.week_over_week(
            recent, skill.metric)
        self.tweaks = tweaks or []  # the skill's tweaks, oldest week first
        since = self.tweaks[-1].week if self.tweaks else None
        self.plateau: Plateau | None = progress_rules.plateau_of(recent, skill.metric, since)
        self.today = today
        self.first_weekday = first_weekday
        self.reviewed = reviewed or {}

    @property
    def metric(self) -> Metric:
        return self.skill.metric

    @property
    def latest(self) -> progress_rules.WeekPoint | None:
        return next((p for p in reversed(self.series) if p.value is not None), None)

    @functools.cached_property
    def streaks(self) -> rules.Streaks:
        return rules.streaks(self.index.states, self.today, self.skill.days_target,
                             self.first_weekday)

    @functools.cached_property
    def week(self) -> rules.WeekProgress:
        return rules.week_progress(self.index.states, self.today, self.skill.days_target,
                                   self.first_weekday)

    @functools.cached_property
    def totals(self) -> progress_rules.Totals:
        return progress_rules.totals(self.index, self.today)

    @property
    def latest_tweak(self) -> progress_rules.Tweak | None:
        return self.tweaks[-1] if self.tweaks else None

    @functools.cached_property
    def tweak_effect(self) -> TweakEffect | None:
        """What the latest tweak did: the weeks up to it against the weeks after."""
        tweak = self.latest_tweak
        if tweak is None:
            return None
        return progress_rules.effect_of_tweak(self.metric, self.index.values, self.reviewed, tweak,
                                 self.today, self.first_weekday)


@dataclass(frozen=True)
class ObjectiveProgress:
    objective: Objective
    skills: list[SkillProgress]
    index: progress_rules.DayIndex  # the skills' check-ins combined
    until: dt.date | None
    streaks: rules.Streaks
    totals: progress_rules.Totals
    target: int  # the strictest x-of-7 target of its skills


# ------------------------------------------------------------------ the journal, read once


class ProgressData:
    """Everything the Progress screen needs from the journal, read once."""

    def __init__(
        self, repo: Repository, today: dt.date, first_weekday: int = rules.MONDAY,
        day_start_hour: int = 0,
    ) -> None:
        self.repo = repo
        self.today = today
        self.first_weekday = first_weekday
        self.day_start_hour = day_start_hour
        self.objectives = repo.objectives(include_archived=True)
        # every check-in as a row (no record: ``Repository.practice``); indexed by day
        # per skill, or sorted by day for achievements, only when a view needs them
        self._practice = repo.practice()
        by_skill = set(self._practice)
        self._by_day: list[tuple[str, Practice]] | None = None
        self._days: list[dt.date] = []
        all_skills = repo.skills()
        active = {
            i for f in rules.active_skills(today, all_skills, repo.plans(), first_weekday)
            for i in ([f.focus_id] if f.focus_id else []) + list(f.stacked_ids)
        }
        self.active_ids = active
        order = {o.id: n for n, o in enumerate(self.objectives)}
        shown = [
            s for s in all_skills
            if s.id in by_skill or s.id in active or s.status in ("active", "mastered")
        ]
        shown = [s for s in shown if s.status != "archived" or s.id in by_skill]
        shown.sort(key=lambda s: (order.get(s.objective_id, len(order)), s.created_at))
        self.skills = shown
        self.all_skills = all_skills
        self._indexes: dict[str, progress_rules.DayIndex] = {}
        self.reviewed: dict[str, dict[dt.date, float]] = {}
        # the reviews' measured values (the older ones without their records, as the
        # check-ins), and the records of the tweaks the charts mark
        reviews = repo.review_values()
        self.tweak_reviews = [record for _week, _values, record in reviews if record]
        for week, values, _record in reviews:  # oldest week first: a later one replaces
            try:
                start = dates.week_start(rules.to_date(week), first_weekday)
            except (TypeError, ValueError):
                continue
            for skill_id, value in values:
                self.reviewed.setdefault(skill_id, {})[start] = value
        self._goals: list[MicroGoal] | None = None
        self._mastered: list[Mastered] | None = None

    def index(self, skill_id: str) -> progress_rules.DayIndex:
        """The skill's check-ins by day, built the first time it is needed."""
        index = self._indexes.get(skill_id)
        if index is None:
            index = self._indexes[skill_id] = progress_rules.practice_index(
                self._practice.get(skill_id, ()))
        return index

    # -------------------------------------------------------------- subjects
    @property
    def empty(self) -> bool:
        return not self.skills

    def objectives_shown(self) -> list[Objective]:
        ids = {s.objective_id for s in self.skills}
        return [o for o in self.objectives if o.id in ids]

    def objective(self, objective_id: str) -> Objective | None:
        return next((o for o in self.objectives if o.id == objective_id), None)

    def until(self, skill: MicroSkill, index: progress_rules.DayIndex) -> dt.date | None:
        """Still practised: tracked up to today; else up to its last check-in."""
        if skill.id in self.active_ids or skill.status == "active":
            return None
        return index.last

    # -------------------------------------------------------------- one skill
    def skill(self, skill: MicroSkill, weeks: int = 12) -> SkillProgress:
        index = self.index(skill.id)
        until = self.until(skill, index)
        starts = progress_rules.week_starts(self.today, max(2, weeks), self.first_weekday)
        reviewed = self.reviewed.get(skill.id, {})
        series = progress_rules.weekly_series(index.values, starts, reviewed)
        # the change and plateau look at the weeks before the chart too
        recent = progress_rules.weekly_series(
            index.values, progress_rules.week_starts(self.today, 8, self.first_weekday), reviewed
        )
        return SkillProgress(
            skill, self.objective(skill.objective_id), index, until, series, recent,
            self.today, self.first_weekday, self.tweaks(skill), reviewed,
        )

    def tweaks(self, skill: MicroSkill) -> list[progress_rules.Tweak]:
        """The skill's tweaks from the weekly reviews, oldest week first."""
        return progress_rules.tweaks_of(skill, self.tweak_reviews, self.first_weekday)

    def first_week(self, index: progress_rules.DayIndex) -> dt.date:
        first = index.first or self.today
        return dates.week_start(min(first, self.today), self.first_weekday)

    def weeks_of_data(self, index: progress_rules.DayIndex) -> int:
        return dates.weeks_between(self.first_week(index), self.today, self.first_weekday) + 1

    # -------------------------------------------------------------- one objective
    def objective_view(self, objective: Objective, weeks: int = 12) -> ObjectiveProgress:
        skills = [self.skill(s, weeks) for s in self.skills if s.objective_id == objective.id]
        index = progress_rules.combine([s.index for s in skills])
        tracked = [s.until for s in skills]
        until = None if any(u is None for u in tracked) or not tracked else max(
            u for u in tracked if u is not None)
        target = max((s.skill.frequency_target for s in skills), default=7)
        return ObjectiveProgress(
            objective=objective,
            skills=skills,
            index=index,
            until=until,
            streaks=rules.streaks(index.states, self.today, target, self.first_weekday),
            totals=progress_rules.totals(index, self.today),
            target=target,
        )

    # -------------------------------------------------------------- achievements
    @property
    def goals(self) -> list[MicroGoal]:
        if self._goals is None:
            self._goals = self.repo.goals()
        return self._goals

    @property
    def mastered(self) -> list[Mastered]:
        """Every skill with the day it was mastered (the Goals review's rule)."""
        if self._mastered is None:
            out = []
            for skill in self.all_skills:
                day = progress_rules.first_mastered(
                    skill, self.index(skill.id), self.reviewed.get(skill.id, {}),
                    self.today, self.first_weekday,
                )
                if day is not None:
                    out.append(Mastered(skill, day))
            self._mastered = out
        return self._mastered

    def practice_between(self, start: dt.date, end: dt.date) -> list[tuple[str, Practice]]:
        """(skill id, check-in) of the days from ``start`` to ``end``."""
        if self._by_day is None:
            self._by_day = sorted(
                ((skill_id, row) for skill_id, rows in self._practice.items() for row in rows),
                key=lambda pair: pair[1][0])
            self._days = [row[0] for _skill, row in self._by_day]
        lo = bisect.bisect_left(self._days, start)
        hi = bisect.bisect_right(self._days, end)
        return self._by_day[lo:hi]

    def achievements(self, period: progress_rules.AnyPeriod) -> progress_rules.Achievements:
        return progress_rules.practice_achievements(
            period, self.practice_between(period.start, period.end), self.goals,
            self.mastered, self.today, self.day_start_hour,
        )

    def history(self, period: progress_rules.AnyPeriod,
                count: int = 8) -> list[progress_rules.Achievements]:
        """``period`` and the ``count - 1`` before it, oldest first."""
        return [self.achievements(period.shift(-i)) for i in range(count - 1, -1, -1)]

    def period(self, kind: str) -> progress_rules.AnyPeriod:
        return progress_rules.period_containing(self.today, kind, self.first_weekday)


def build(repo: Repository, today: dt.date, first_weekday: int = rules.MONDAY,
          day_start_hour: int = 0) -> ProgressData:
    return ProgressData(repo, today, first_weekday, day_start_hour)


# ------------------------------------------------------------------ pictures


def pictures_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where saved pictures go: ``$MICRO_JOURNAL_PICTURES_DIR``, else a micro-journal
    folder in the user's Pictures folder (platformdirs)."""
    override = (os.environ if env is None else env).get(PICTURES_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_pictures_path

    return user_pictures_path() / "micro-journal"


def picture_name(folder: Path, subject: str, today: dt.date) -> str:
    """``progress-eliminate-um-and-uh-2026-11-18.svg``; never an existing file's name."""
    slug = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:40] or "progress"
    base = f"progress-{slug}-{today.isoformat()}"
    name, n = f"{base}.svg", 2
    while (folder / name).exists():
        name, n = f"{base}-{n}.svg", n + 1
    return name
