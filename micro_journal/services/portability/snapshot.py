"""The journal in memory for the exporters: every record of a repository, each kind
read the first time it is asked for, with the look-ups the exports need."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar, cast

from ...domain import dates
from ...domain.models import (
    ALL_RECORD_TYPES,
    CheckIn,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Record,
    WeeklyReview,
)
from ...store.repository import Repository
from .common import Progress, as_date, noop

R = TypeVar("R", bound=Record)


def phases(progress: Progress) -> tuple[Progress, Progress]:
    """``progress`` split in two halves: reading the records, then making and writing
    the export; it never goes back (a kind of record read late counts for nothing)."""
    scale, last = 1000, [0]

    def report(done: int, total: int, start: int) -> None:
        at = start + min(scale, done * scale // max(1, total))
        if at >= last[0]:
            last[0] = at
            progress(at, 2 * scale)

    return (lambda done, total: report(done, total, 0),
            lambda done, total: report(done, total, scale))


class _RecordsByType(dict):
    """record class -> its records sorted by (created, id), read when first asked for:
    a CSV of the check-ins never reads a hundred years of entries."""

    def __init__(self, repo: Repository, loaded: Callable[[type[Record]], None]) -> None:
        super().__init__()
        self._repo, self._loaded = repo, loaded

    def __missing__(self, cls: type[Record]) -> list[Record]:
        records = self[cls] = sorted(self._repo.all(cls), key=lambda r: (r.created_at, r.id))
        self._loaded(cls)
        return records


class Snapshot:
    """Every record of a repository, with the look-ups the exporters need; each kind is
    read the first time it is used (nothing is read to count them first). ``progress``
    moves on as each kind is read: 1 of 2, 2 of 3, 3 of 4…"""

    def __init__(self, repo: Repository, progress: Progress = noop) -> None:
        read: list[int] = [0]

        def loaded(cls: type[Record]) -> None:
            read[0] += 1
            progress(read[0], read[0] + 1)

        self.records: dict[type[Record], list[Record]] = _RecordsByType(repo, loaded)
        self._weeks: dict[dt.date, list[CheckIn]] = {}
        self._weeks_start: int | None = None

    def of(self, cls: type[R]) -> list[R]:
        """The records of ``cls``, sorted by (created, id)."""
        # ``records`` maps each class to its own records: a mapping mypy cannot type
        return cast("list[R]", self.records[cls])

    @functools.cached_property
    def objectives(self) -> dict[str, Objective]:
        return {o.id: o for o in self.of(Objective)}

    @functools.cached_property
    def skills(self) -> dict[str, MicroSkill]:
        return {s.id: s for s in self.of(MicroSkill)}

    @functools.cached_property
    def plans(self) -> list[Plan]:
        return list(self.of(Plan))

    @functools.cached_property
    def checkins(self) -> list[CheckIn]:
        return sorted(self.of(CheckIn), key=lambda c: (c.date, c.created_at, c.id))

    @functools.cached_property
    def entries(self) -> list[Entry]:
        return sorted(self.of(Entry), key=lambda e: (e.date, e.created_at, e.id))

    @functools.cached_property
    def reviews(self) -> list[WeeklyReview]:
        return sorted(self.of(WeeklyReview), key=lambda r: (r.week, r.created_at))

    @functools.cached_property
    def goals(self) -> list[MicroGoal]:
        return sorted(self.of(MicroGoal), key=lambda g: (g.deadline, g.created_at, g.id))

    @functools.cached_property
    def by_skill(self) -> dict[str, list[CheckIn]]:
        found: dict[str, list[CheckIn]] = defaultdict(list)
        for c in self.checkins:
            found[c.skill_id].append(c)
        return found

    @functools.cached_property
    def reviews_by_week(self) -> dict[str, list[WeeklyReview]]:
        found: dict[str, list[WeeklyReview]] = defaultdict(list)
        for r in self.reviews:
            found[r.week].append(r)
        return found

    def week_checkins(self, first: dt.date) -> list[CheckIn]:
        """The check-ins of the week that starts on ``first``."""
        if self._weeks_start != first.weekday():  # (re)index for this week start
            self._weeks_start, self._weeks = first.weekday(), defaultdict(list)
            for c in self.checkins:
                day = as_date(c.date)
                if day is not None:
                    self._weeks[dates.week_start(day, first.weekday())].append(c)
        return self._weeks.get(first, [])

    def total(self) -> int:
        return sum(len(self.records[cls]) for cls in ALL_RECORD_TYPES)

    def skill_title(self, skill_id: str | None) -> str:
        skill = self.skills.get(skill_id or "")
        return skill.title if skill else "(missing skill)"

    def objective_of(self, skill_id: str | None) -> Objective | None:
        skill = self.skills.get(skill_id or "")
        return self.objectives.get(skill.objective_id) if skill else None

    def objective_title(self, objective_id: str | None) -> str:
        objective = self.objectives.get(objective_id or "")
        return objective.title if objective else ""
