"""The Plan screen's grid: each plan week with its skills, their days, measurements,
changes and mastery, and the mastery gate when a week awaits its decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...domain import dates, rules, stacking
from ...domain import plan as rules_plan
from ...domain.models import MicroSkill, Objective, Plan, PlanWeek, WeeklyReview
from ...domain.plan import Change, Mastery
from ...store.repository import Repository
from .measures import Measured, Measures, tweak_weeks


@dataclass(frozen=True)
class SkillWeek:
    """One active skill in one plan week."""

    skill: MicroSkill
    role: str  # "new" (introduced this week), "held" (the held focus) or "stacked"
    marks: list[tuple[dt.date, str]]
    done: int
    measured: Measured
    previous: float | None
    change: Change | None
    mastery: Mastery
    signal: stacking.Signal | None = None  # the review's rules on this week (not future)


@dataclass(frozen=True)
class WeekView:
    index: int
    start: dt.date
    end: dt.date
    when: str  # "past", "current", "future", or "unused" (after the plan ended)
    week: PlanWeek
    skills: list[SkillWeek]  # the focus first, then the stack newest first
    review: WeeklyReview | None
    gate_due: bool = False

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def hold(self) -> bool:
        return self.week.hold

    @property
    def decision(self) -> str | None:
        return self.week.decision

    @property
    def focus(self) -> SkillWeek | None:
        return self.skills[0] if self.skills else None

    @property
    def dates(self) -> str:
        return dates.day_range(self.start, self.end)


@dataclass(frozen=True)
class PlanView:
    objective: Objective
    plan: Plan | None  # the plan shown (the running one unless an earlier cycle was picked)
    plans: list[Plan]  # every plan of the objective, newest first
    today: dt.date
    weeks: list[WeekView] = field(default_factory=list)
    today_index: int = 0

    @property
    def current(self) -> WeekView | None:
        return next((w for w in self.weeks if w.when == "current"), None)

    @property
    def running(self) -> bool:
        return self.plan is not None and self.plan.status == "active"

    @property
    def cycle(self) -> int:
        """1 for the first plan of the objective, 2 for the next cycle…"""
        if self.plan is None:
            return 0
        oldest_first = list(reversed(self.plans))
        return oldest_first.index(self.plan) + 1 if self.plan in oldest_first else 0

    @property
    def first_editable(self) -> int:
        return max(0, self.today_index)

    @property
    def gate(self) -> WeekView | None:
        return next((w for w in self.weeks if w.gate_due), None)

    def status(self) -> str:
        plan = self.plan
        if plan is None:
            return "no plan yet"
        n = len(plan.weeks)
        weeks = "week" if n == 1 else "weeks"
        if plan.status == "ended":
            return f"ended {_short(rules.to_date(plan.ended_on))}" if plan.ended_on else "ended"
        if self.today_index < 0:
            return f"starts {_short(rules_plan.first_day(plan, 0))} · {n} {weeks}"
        if self.today_index >= n:
            return f"week {self.today_index + 1} · next skill: at the review (w)"
        held = " (held)" if plan.weeks[self.today_index].hold else ""
        return f"week {self.today_index + 1} of {n}{held}"


def _short(day: dt.date) -> str:
    return dates.day_short(day, year=True)


def plans_of(repo: Repository, objective_id: str) -> list[Plan]:
    """The objective's plans, the running one first, then the others newest first."""
    plans = [p for p in repo.plans() if p.objective_id == objective_id]
    plans.sort(key=lambda p: (p.status == "active", p.start_week, p.created_at), reverse=True)
    return plans


def objectives_for_plan(repo: Repository) -> list[Objective]:
    """Objectives to show on the Plan screen: those with a running plan first."""
    objectives = repo.objectives()
    running = {p.objective_id for p in repo.plans(active_only=True)}
    return sorted(objectives, key=lambda o: o.id not in running)


def build_plan_view(
    repo: Repository,
    objective: Objective,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    plan_id: str | None = None,
) -> PlanView:
    plans = plans_of(repo, objective.id)
    plan = next((p for p in plans if p.id == plan_id), None) if plan_id else None
    plan = plan or (plans[0] if plans else None)
    if plan is None:
        return PlanView(objective, None, plans, today)
    today_index = rules_plan.week_index(plan, today, first_weekday)
    skills = {s.id: s for s in repo.skills()}
    states_cache: dict[str, dict[dt.date, str]] = {}
    ended = rules.to_date(plan.ended_on) if plan.status == "ended" and plan.ended_on else None
    weeks: list[WeekView] = []
    measured_cache: dict[tuple[str, dt.date], Measured] = {}
    # what the plan's weeks (and the week before its first) read: a plan of these months
    # leaves the years of reviews and check-ins before it in the file (store/history.py)
    first_day = rules_plan.week_range(plan, 0, first_weekday)[0] if plan.weeks else today
    last_day = rules_plan.week_range(plan, max(0, len(plan.weeks) - 1), first_weekday)[1]
    measures = Measures(repo, objective.id, (first_day - rules.WEEK, last_day + rules.WEEK))
    history: dict[str, list[stacking.SkillWeek]] = {}  # each skill's weeks so far
    tweaks = tweak_weeks(measures, dt.date.max)
    tweak_at: dict[str, int] = {}

    def measured(skill_id: str, start: dt.date) -> Measured:
        key = (skill_id, start)
        if key not in measured_cache:
            measured_cache[key] = measures.get(skill_id, start)
        return measured_cache[key]

    for index, week in enumerate(plan.weeks):
        start, end = rules_plan.week_range(plan, index, first_weekday)
        if ended is not None and start >= ended:
            when = "unused"
        elif index < today_index:
            when = "past"
        elif index == today_index:
            when = "current"
        else:
            when = "future"
        stack = rules_plan.stack_at(plan, index)
        new_id = rules_plan.introduced_at(plan, index)
        previous_stack = set(rules_plan.stack_at(plan, index - 1))
        rows = []
        for n, skill_id in enumerate(reversed(stack)):
            skill = skills.get(skill_id)
            if skill is None:
                continue
            if skill_id not in states_cache:
                states_cache[skill_id] = repo.day_states(skill_id, since=first_day)
            marks = rules.week_marks(states_cache[skill_id], start, today, first_weekday)
            if when == "unused":
                marks = [(d, "none") for d, _ in marks]
            done = sum(1 for _, m in marks if m == "done")
            this = measured(skill_id, start) if when != "future" else Measured(None)
            before = (
                measured(skill_id, start - rules.WEEK).value
                if skill_id in previous_stack else None
            )
            role = "new" if skill_id == new_id else ("held" if n == 0 else "stacked")
            signal = None
            if when in ("past", "current"):
                weeks_of = history.setdefault(skill_id, [])
                skipped = sum(1 for _, m in marks if m == "skipped")
                weeks_of.append(stacking.SkillWeek(done, skipped, this.value))
                signal = stacking.assess(
                    skill.metric, skill.days_target, weeks_of, tweak_at.get(skill_id)
                )
                if skill_id in tweaks.get(start, ()):
                    tweak_at[skill_id] = len(weeks_of) - 1
            rows.append(SkillWeek(
                skill=skill, role=role, marks=marks, done=done, measured=this,
                previous=before, change=rules_plan.change(skill.metric, before, this.value),
                mastery=rules_plan.mastery(skill, done, this.value), signal=signal,
            ))
        review = measures.review(start) if when != "future" else None
        gate = (
            plan.status == "active" and index == today_index - 1 and review is None
            and week.decision is None and bool(rows) and rules_plan.held_weeks(plan, index) == 0
        )
        weeks.append(WeekView(index, start, end, when, week, rows, review, gate))
    return PlanView(objective, plan, plans, today, weeks, today_index)
