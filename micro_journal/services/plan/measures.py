"""A week's measurement of a skill: the value confirmed in its weekly review, else the
mean of its check-in values; read once per objective so long plans stay fast to draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...domain import rules
from ...domain.models import CheckIn, WeeklyReview
from ...store.repository import Repository


@dataclass(frozen=True)
class Measured:
    """A skill's measurement for one week, and where it came from."""

    value: float | None
    source: str | None = None  # "review" (confirmed in a review), "check-ins" (their mean)
    count: int = 0  # check-in values behind a "check-ins" mean


class Measures:
    """One objective's reviews and its skills' check-in values, indexed by day once, so
    a long plan over years of check-ins stays fast to draw."""

    def __init__(self, repo: Repository, objective_id: str | None,
                 weeks: tuple[dt.date, dt.date] | None = None) -> None:
        self.repo = repo
        self.objective_id = objective_id
        self.by_week: dict[dt.date, list[WeeklyReview]] = {}
        # ``weeks``: only reviews keyed from the first to the last day are asked for
        for review in repo.reviews() if weeks is None else repo.reviews_between(*weeks):
            if review.objective_id == objective_id:
                self.by_week.setdefault(as_date(review.week), []).append(review)
        self._days: dict[str, dict[dt.date, CheckIn | None]] = {}  # looked up so far

    def review(self, week_first: dt.date) -> WeeklyReview | None:
        """The review of the week starting ``week_first`` (a review keyed by another day
        of that week counts: the week start setting may have changed)."""
        found = [
            r for i in range(7)
            for r in self.by_week.get(week_first + dt.timedelta(days=i), [])
        ]
        found.sort(key=lambda r: (r.week != week_first.isoformat(), r.created_at))
        return found[0] if found else None

    def checkins(self, skill_id: str, week_first: dt.date) -> Measured:
        """The mean of the week's check-in values (what a review is pre-filled with).

        The week's seven days are looked up in the check-ins' index: a plan's recent
        weeks never read the years of check-ins left in the file (store/history.py)."""
        days = self._days.setdefault(skill_id, {})
        week = []
        for day in (week_first + dt.timedelta(days=i) for i in range(7)):
            if day not in days:
                days[day] = self.repo.checkin(skill_id, day)
            checkin = days[day]
            if checkin is not None and checkin.value is not None:
                week.append(checkin)
        if not week:
            return Measured(None)
        return Measured(rules.weekly_measurement(week, week_first), "check-ins", len(week))

    def get(self, skill_id: str, week_first: dt.date) -> Measured:
        """The week's measurement: the value confirmed in that week's review, else the mean
        of the week's check-in values, else none."""
        review = self.review(week_first)
        if review is not None:
            for m in review.measurements:
                if m.skill_id == skill_id and m.value is not None:
                    return Measured(float(m.value), "review")
        return self.checkins(skill_id, week_first)


def as_date(text: str) -> dt.date:
    try:
        return rules.to_date(text)
    except (TypeError, ValueError):
        return dt.date.min


def find_review(
    repo: Repository, objective_id: str | None, week_first: dt.date
) -> WeeklyReview | None:
    return Measures(repo, objective_id, (week_first, week_first + rules.WEEK)
                    ).review(week_first)


def measure(
    repo: Repository, skill_id: str, objective_id: str | None, week_first: dt.date
) -> Measured:
    return Measures(repo, objective_id).get(skill_id, week_first)


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"



def tweak_weeks(measures: Measures, before: dt.date) -> dict[dt.date, set[str]]:
    """The weeks (first day) before ``before`` whose review decided a tweak, and the
    skills it changed (a review of an older app names none: every skill it measured)."""
    out: dict[dt.date, set[str]] = {}
    for day, reviews in measures.by_week.items():
        for review in reviews:
            if review.decision != "tweak" or day >= before:
                continue
            ids = {review.tweak_skill_id} if review.tweak_skill_id else {
                m.skill_id for m in review.measurements
            }
            out.setdefault(day, set()).update(ids)
    return out
