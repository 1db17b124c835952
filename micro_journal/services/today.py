"""What "today" looks like, and the daily check-in: shared by the Today screen and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from ..domain import dates, rules
from ..domain.models import CheckIn, MicroGoal, MicroSkill, Objective, Record, ValidationError
from ..store.repository import Repository

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class SkillToday:
    skill: MicroSkill
    objective: Objective | None
    checkin: CheckIn | None
    week: rules.WeekProgress
    streaks: rules.Streaks
    is_focus: bool
    states: dict[dt.date, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def state(self) -> str:
        """"done", "skipped" or "open"."""
        return self.checkin.status if self.checkin else "open"

    def to_json(self) -> dict:
        c = self.checkin
        return {
            "id": self.skill.id,
            "title": self.skill.title,
            "objective": self.objective.title if self.objective else None,
            "state": self.state,
            "done": self.state == "done",
            "skipped": self.state == "skipped",
            "minutes": c.minutes if c else None,
            "value": c.value if c else None,
            "note": c.note if c else "",
            "week": {"done": self.week.done, "target": self.week.target},
            "streak": {"current": self.streaks.current, "best": self.streaks.best},
        }


@dataclass(frozen=True)
class GoalToday:
    goal: MicroGoal
    objective: Objective | None
    days_late: int  # 0 = due today

    @property
    def overdue(self) -> bool:
        return self.days_late > 0

    def to_json(self) -> dict:
        return {
            "id": self.goal.id,
            "action": self.goal.action,
            "deadline": self.goal.deadline,
            "objective": self.objective.title if self.objective else None,
            "overdue": self.overdue,
            "days_late": self.days_late,
        }


@dataclass(frozen=True)
class ObjectiveToday:
    objective: Objective | None
    position: rules.PlanPosition | None
    focus: SkillToday | None
    stacked: list[SkillToday]
    # skills in maintenance whose lighter weekly target is met: folded into one line
    maintained: list[SkillToday] = field(default_factory=list)


@dataclass(frozen=True)
class TodayView:
    date: dt.date
    groups: list[ObjectiveToday]
    goals: list[GoalToday] = field(default_factory=list)
    has_any_skill: bool = False

    @property
    def focus(self) -> SkillToday | None:
        for group in self.groups:
            if group.focus:
                return group.focus
        return None

    @property
    def plan_label(self) -> str | None:
        for group in self.groups:
            if group.position:
                return group.position.label()
        return None

    @property
    def stacked(self) -> list[SkillToday]:
        """Every active skill other than the main focus, in display order."""
        out: list[SkillToday] = []
        main = self.focus
        for group in self.groups:
            if group.focus and group.focus is not main:
                out.append(group.focus)
            out.extend(group.stacked)
        return out

    @property
    def maintained(self) -> list[SkillToday]:
        return [s for group in self.groups for s in group.maintained]

    @property
    def skills(self) -> list[SkillToday]:
        main = self.focus
        return ([main] if main else []) + self.stacked

    def to_json(self) -> dict:
        focus = self.focus
        return {
            "date": self.date.isoformat(),
            "plan_week": self.plan_label,
            "focus": focus.to_json() if focus else None,
            "stacked": [s.to_json() for s in self.stacked],
            "maintenance_done": [s.to_json() for s in self.maintained],
            "objectives": [
                {
                    "title": g.objective.title if g.objective else None,
                    "plan_week": g.position.label() if g.position else None,
                    "focus": g.focus.skill.id if g.focus else None,
                    "stacked": [s.skill.id for s in g.stacked],
                }
                for g in self.groups
            ],
            "goals_due": [g.to_json() for g in self.goals],
        }


def skill_today(
    repo: Repository, skill: MicroSkill, today: dt.date, first_weekday: int, is_focus: bool
) -> SkillToday:
    states = repo.day_states(skill.id, since=dates.week_start(today, first_weekday))
    return SkillToday(
        skill=skill,
        objective=repo.get(Objective, skill.objective_id),
        checkin=repo.checkin(skill.id, today),
        week=rules.week_progress(states, today, skill.days_target, first_weekday),
        streaks=repo.streaks(skill, today, first_weekday),
        is_focus=is_focus,
        states=states,
    )


def build_today(repo: Repository, today: dt.date, first_weekday: int = rules.MONDAY) -> TodayView:
    skills = repo.skills()
    by_id = {s.id: s for s in skills}
    groups = []
    for focus in rules.active_skills(today, skills, repo.plans(), first_weekday):
        main = by_id.get(focus.focus_id) if focus.focus_id else None
        stacked = [
            skill_today(repo, by_id[i], today, first_weekday, False)
            for i in focus.stacked_ids if i in by_id
        ]
        # a skill in maintenance leaves the list for the week once its days are done
        # (checked in today, it stays until tomorrow so the check-in can be seen)
        kept = [
            s for s in stacked
            if s.skill.in_maintenance and s.week.met and s.checkin is None
        ]
        groups.append(
            ObjectiveToday(
                objective=repo.get(Objective, focus.objective_id),
                position=focus.position,
                focus=skill_today(repo, main, today, first_weekday, True) if main else None,
                stacked=[s for s in stacked if s not in kept],
                maintained=kept,
            )
        )
    goals = []
    for goal in repo.open_goals():
        late = dates.days_between(rules.to_date(goal.deadline), today)
        if late >= 0:
            goals.append(GoalToday(goal, repo.get(Objective, goal.objective_id), late))
    goals.sort(key=lambda g: (-g.days_late, g.goal.action))
    return TodayView(today, groups, goals, has_any_skill=bool(skills))


def with_skill_rebuilt(
    view: TodayView, repo: Repository, skill_id: str, first_weekday: int = rules.MONDAY
) -> TodayView | None:
    """``view`` with the one skill ``skill_id`` built again from the journal, after its
    check-in of ``view.date`` was made, changed or undone: what ``build_today`` would
    give then, without building every other skill again (a check-in changes no other
    skill, goal, plan position or the skills shown). None when the skill is not on the
    view, or when the change moves it: a skill in maintenance whose week is met leaves
    the list once it has no check-in today (an undo) — build the whole view then."""
    for at, group in enumerate(view.groups):
        if group.focus is not None and group.focus.skill.id == skill_id:
            rebuilt = replace(group, focus=skill_today(
                repo, group.focus.skill, view.date, first_weekday, True))
        else:
            index = next((i for i, s in enumerate(group.stacked) if s.skill.id == skill_id),
                         None)
            if index is None:
                continue
            one = skill_today(repo, group.stacked[index].skill, view.date, first_weekday, False)
            if one.skill.in_maintenance and one.week.met and one.checkin is None:
                return None
            stacked = list(group.stacked)
            stacked[index] = one
            rebuilt = replace(group, stacked=stacked)
        groups = list(view.groups)
        groups[at] = rebuilt
        return replace(view, groups=groups)
    return None


# ------------------------------------------------------------------ check-in use-case


def validate_checkin_fields(
    minutes: str | int | None, value: str | float | None
) -> tuple[int | None, float | None]:
    """Turn typed minutes/value into numbers, or raise ValidationError naming the field."""
    mins: int | None = None
    val: float | None = None
    if minutes not in (None, ""):
        try:
            mins = int(str(minutes).strip())
        except ValueError:
            raise ValidationError(
                "minutes", f"{minutes!r} is not a whole number of minutes"
            ) from None
        if mins < 0:
            raise ValidationError("minutes", "minutes cannot be negative")
        if mins > 24 * 60:
            raise ValidationError("minutes", "that is more minutes than a day has")
    if value not in (None, ""):
        try:
            val = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise ValidationError("value", f"{value!r} is not a number") from None
        if val != val or val in (float("inf"), float("-inf")):
            raise ValidationError("value", "the value must be a finite number")
    return mins, val


def find_skill(repo: Repository, query: str) -> MicroSkill:
    """A skill by id prefix or case-insensitive part of its title; ValidationError if none/many."""
    q = query.strip().casefold()
    if not q:
        raise ValidationError("skill", "no skill given")
    skills = [s for s in repo.skills() if s.status != "archived"] or repo.skills()
    matches = [s for s in skills if q in s.title.casefold()]
    return pick_one(
        query, q, repo.skills(), matches, name=lambda s: s.title,
        same=lambda s: s.title.casefold() == q, field="skill", noun="skill", nouns="skills",
    )


def pick_one(
    query: str,
    q: str,
    records: Sequence[R],
    matches: Sequence[R],
    *,
    name: Callable[[R], str],
    same: Callable[[R], bool],
    field: str,
    noun: str,
    nouns: str,
) -> R:
    """The one record ``query`` (``q``: its folded form) names: a record whose id starts
    with ``q``, else the one of ``matches`` whose ``name`` is the query (``same``), else
    the only match. ValidationError (on ``field``) when none or several match."""
    # an id prefix counts only when it is long enough not to be a word ("e", "eye")
    by_id = [r for r in records if len(q) >= 4 and r.id.startswith(q)]
    if len(by_id) == 1:
        return by_id[0]
    exact = [r for r in matches if same(r)]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ValidationError(field, f"no {noun} matches {query!r}")
    names = ", ".join(f"{name(r)!r} ({r.id[:6]})" for r in matches[:5])
    raise ValidationError(field, f"{query!r} matches several {nouns}: {names}; be more precise")
