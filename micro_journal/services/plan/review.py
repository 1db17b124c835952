"""The weekly review: what it shows for one objective's week (each stacked skill's
measurement, history and the rules' signal) and saving it with its decision (stack,
hold or tweak) and maintenance changes in one atomic write."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...domain import dates, rules, stacking
from ...domain import plan as rules_plan
from ...domain.models import (
    DECISIONS,
    Measurement,
    MicroSkill,
    Objective,
    Plan,
    PlanWeek,
    ValidationError,
    WeeklyReview,
)
from ...domain.plan import Change
from ...store.repository import Repository
from ..skills import parse_number
from .editing import WeekChoice, chosen_skill
from .measures import Measured, Measures, as_date, find_review, tweak_weeks
from .view import plans_of

DECISION_HELP = {
    "stack": "stack the next skill as planned",
    "hold": "hold: repeat this week, later weeks move back one week",
    "tweak": "tweak: keep the plan, change how I practise",
}
HISTORY_WEEKS = 4


@dataclass(frozen=True)
class ReviewLine:
    skill: MicroSkill
    role: str  # "new", "held", "stacked" or "free" (no plan)
    prefill: float | None
    source: str | None  # where the prefill comes from: "review", "check-ins" or None
    count: int  # check-in values behind a "check-ins" prefill
    history: list[tuple[str, float | None]]  # earlier weeks, oldest first
    done: int
    from_checkins: Measured = field(default_factory=lambda: Measured(None))
    skipped: int = 0
    earlier: list[stacking.SkillWeek] = field(default_factory=list)  # matches ``history``
    tweak_at: int | None = None  # index in earlier + [this week] of the last tweak week

    @property
    def previous(self) -> float | None:
        return self.history[-1][1] if self.history else None

    def weeks(self, value: float | None) -> list[stacking.SkillWeek]:
        return [*self.earlier, stacking.SkillWeek(self.done, self.skipped, value)]

    def signal(self, value: float | None) -> stacking.Signal:
        """What the rules say about this week (with ``value`` as its measurement)."""
        return stacking.assess(
            self.skill.metric, self.skill.days_target, self.weeks(value), self.tweak_at
        )

    def tweak_effect(self, value: float | None) -> stacking.TweakEffect | None:
        if self.tweak_at is None:
            return None
        values = [w.value for w in self.weeks(value)]
        return stacking.tweak_effect(self.skill.metric, values, self.tweak_at)

    def change(self, value: float | None) -> Change | None:
        return rules_plan.change(self.skill.metric, self.previous, value)


@dataclass(frozen=True)
class ReviewData:
    objective: Objective
    start: dt.date
    end: dt.date
    today: dt.date
    lines: list[ReviewLine]
    review: WeeklyReview | None  # the existing review (reopening edits it)
    plan: Plan | None
    index: int | None  # the plan week reviewed
    today_index: int = 0

    @property
    def when(self) -> str:
        if self.end < self.today:
            return "past"
        return "current" if self.start <= self.today else "future"

    @property
    def label(self) -> str:
        days = dates.day_range(self.start, self.end)
        if self.plan is not None and self.index is not None:
            held = " (held)" if self.plan.weeks[self.index].hold else ""
            return f"week {self.index + 1} of {len(self.plan.weeks)}{held} · {days}"
        return f"week of {days}"

    @property
    def focus(self) -> ReviewLine | None:
        """The week's focus: the skill it introduced or held (the newest of the stack)."""
        return self.lines[0] if self.lines else None

    def suggestion(self, values: dict[str, float | None]) -> stacking.Suggestion:
        """The one decision the rules suggest, the skill it is about, and why."""
        focus = self.focus
        if focus is None:
            return stacking.Suggestion("stack", None, "nothing was active that week")
        signals = {
            line.skill.id: line.signal(values.get(line.skill.id)) for line in self.lines
        }
        stacked = [
            (line.skill.id, signals[line.skill.id]) for line in self.lines[1:]
            if not line.skill.in_maintenance
        ]
        return stacking.suggest((focus.skill.id, signals[focus.skill.id]), stacked)

    @property
    def planned_next(self) -> str | None:
        """The skill the plan already has for the week after the one reviewed."""
        plan, index = self.plan, self.index
        if plan is None or index is None or index + 1 >= len(plan.weeks):
            return None
        return rules_plan.introduced_at(plan, index + 1)

    @property
    def stack_ids(self) -> set[str]:
        return {line.skill.id for line in self.lines}


def review_data(
    repo: Repository,
    objective_id: str,
    day: dt.date,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
) -> ReviewData:
    """Everything the review of the week holding ``day`` shows, for one objective."""
    objective = repo.get(Objective, objective_id)
    if objective is None:
        raise ValidationError("objective", "that objective does not exist")
    start = dates.week_start(day, first_weekday)
    end = start + dt.timedelta(days=6)
    skills = {s.id: s for s in repo.skills()}
    measures = Measures(repo, objective_id)
    focus = next(
        (f for f in rules.active_skills(start, repo.skills(), repo.plans(), first_weekday)
         if f.objective_id == objective_id),
        None,
    )
    plan = focus.position.plan if focus and focus.position else None
    index = focus.position.index if focus and focus.position else None
    if plan is not None and index is not None and index >= len(plan.weeks):
        index = None  # the plan has run out: the stack goes on, there is no plan week
    ids = [focus.focus_id, *focus.stacked_ids] if focus and focus.focus_id else []
    new_id = rules_plan.introduced_at(plan, index) if plan and index is not None else None
    tweaks = tweak_weeks(measures, start)
    lines = []
    for n, skill_id in enumerate(ids):
        skill = skills.get(skill_id)
        if skill is None:
            continue
        if plan is None or index is None:
            role = "free" if plan is None else "stacked"
        else:
            role = "new" if skill_id == new_id else ("held" if n == 0 else "stacked")
        this = measures.get(skill_id, start)
        states = repo.day_states(skill_id)
        history = _history(measures, skill, start, plan, first_weekday)
        earlier = [
            _skill_week(states, start - (len(history) - k) * rules.WEEK, today, first_weekday,
                        value)
            for k, (_, value) in enumerate(history)
        ]
        week = _skill_week(states, start, today, first_weekday, None)
        firsts = [start - (len(history) - k) * rules.WEEK for k in range(len(history))]
        tweak_at = next(
            (k for k in range(len(firsts) - 1, -1, -1)
             if skill_id in tweaks.get(firsts[k], ())),
            None,
        )
        lines.append(ReviewLine(
            skill, role, this.value, this.source, this.count, history, week.done,
            measures.checkins(skill_id, start), week.skipped, earlier, tweak_at,
        ))
    review = measures.review(start)
    today_index = rules_plan.week_index(plan, today, first_weekday) if plan else 0
    return ReviewData(objective, start, end, today, lines, review, plan, index, today_index)


def _skill_week(
    states: dict[dt.date, str], first: dt.date, today: dt.date, first_weekday: int,
    value: float | None,
) -> stacking.SkillWeek:
    marks = [m for _, m in rules.week_marks(states, first, today, first_weekday)]
    return stacking.SkillWeek(marks.count("done"), marks.count("skipped"), value)

def _history(
    measures: Measures, skill: MicroSkill, start: dt.date, plan: Plan | None,
    first_weekday: int,
) -> list[tuple[str, float | None]]:
    """Up to HISTORY_WEEKS earlier weekly measurements of ``skill``, oldest first, from the
    week it became active (in the plan, or when it was created); weeks in a row, with
    no gap, so that ``history[-1]`` is always the week before ``start``."""
    if plan is not None:
        intro = next(
            (i for i, w in enumerate(plan.weeks) if not w.hold and w.skill_id == skill.id), None
        )
        since = rules_plan.first_day(plan, intro, first_weekday) if intro is not None else start
    else:
        since = dates.week_start(as_date(skill.created_at[:10]), first_weekday)
    out: list[tuple[str, float | None]] = []
    for k in range(HISTORY_WEEKS, 0, -1):
        week = start - k * rules.WEEK
        if week < since:
            continue
        if plan is not None:
            label = f"wk {rules_plan.week_index(plan, week, first_weekday) + 1}"
        else:
            label = dates.day_month(week)
        out.append((label, measures.get(skill.id, week).value))
    return out


def parse_measurement(text: str) -> float | None:
    """A typed measurement: empty is None; anything else must be a finite number."""
    return parse_number(text, "value", "the measurement")


@dataclass(frozen=True)
class SavedReview:
    review: WeeklyReview
    plan: Plan | None
    note: str  # what happened to the plan, in plain words ("" when nothing)
    stacked: MicroSkill | None = None  # the skill stacked by a "stack" decision


MAINTENANCE_DAYS = 2  # the default rhythm of a skill in maintenance


def save_review(
    repo: Repository,
    data: ReviewData,
    values: dict[str, float | None],
    worked: str,
    adjust: str,
    decision: str | None,
    *,
    next_choice: WeekChoice | None = None,
    tweak_skill_id: str | None = None,
    maintenance: dict[str, int | None] | None = None,
) -> SavedReview:
    """Save the week's review (editing the existing one) and act on the decision, in one
    atomic write:

    - ``stack``: ``next_choice`` (an existing skill or a new one) becomes the skill of the
      week after the one reviewed, stacked on the others (the plan's planned next week
      is kept when no other choice is made);
    - ``hold``: the week is repeated, later weeks move back one week;
    - ``tweak``: ``adjust`` says what changes (required), for ``tweak_skill_id``;
    - ``maintenance``: skills moved to maintenance (days a week) or brought back (None).
    """
    if decision is not None and decision not in DECISIONS:
        raise ValidationError("decision", f"{decision!r} is not stack, hold or tweak")
    if decision == "tweak" and not adjust.strip():
        raise ValidationError(
            "adjust", "say what the tweak changes: a new cue, a harder drill, another time"
        )
    maintenance = dict(maintenance or {})
    for skill_id, days in maintenance.items():
        if days is not None and not 1 <= days <= 7:
            raise ValidationError(f"maintain:{skill_id}", "maintenance days must be 1 to 7")
    existing = data.review or find_review(repo, data.objective.id, data.start)
    previous = {m.skill_id: m for m in existing.measurements} if existing else {}
    measurements: list[Measurement] = []
    for line in data.lines:
        old = previous.pop(line.skill.id, None)
        value = values.get(line.skill.id)
        if old is not None:
            m = Measurement(skill_id=old.skill_id, value=value, note=old.note)
            m.extra = dict(old.extra)
        else:
            m = Measurement(skill_id=line.skill.id, value=value)
        measurements.append(m)
    measurements.extend(previous.values())  # skills no longer in the stack keep their record
    if decision == "tweak" and tweak_skill_id is None and data.focus is not None:
        tweak_skill_id = data.focus.skill.id
    fields: dict[str, Any] = dict(  # the review's fields, whether new or edited
        measurements=measurements, worked=worked.strip(), adjust=adjust.strip(),
        decision=decision, tweak_skill_id=tweak_skill_id if decision == "tweak" else None,
    )
    if existing is not None:
        review = existing.touched(**fields)
    else:
        review = WeeklyReview(week=data.start.isoformat(), objective_id=data.objective.id,
                              **fields)
    plan = data.plan
    notes: list[str] = []
    new_plan: Plan | None = None
    new_skills: list[MicroSkill] = []
    stacked: MicroSkill | None = None
    if plan is not None and data.index is not None and decision is not None:
        plan = repo.get(Plan, plan.id) or plan
        first_editable = max(0, data.today_index)
        if plan.weeks[data.index].decision != decision or (
            decision == "hold" and rules_plan.held_weeks(plan, data.index) == 0
        ):
            before = len(plan.weeks)
            new_plan = rules_plan.decide(plan, data.index, decision, first_editable)
            n = data.index + 1
            if len(new_plan.weeks) > before:
                notes.append(f"Week {n} is held: the weeks after it move back one week.")
            elif len(new_plan.weeks) < before:
                notes.append(
                    f"The hold after week {n} is taken back: the plan goes on as planned."
                )
            elif decision == "hold" and data.index + 1 < first_editable:
                notes.append(
                    f"Recorded. Week {n + 1} is already over, so the plan was not changed."
                )
        if decision == "stack":
            new_plan, stacked, new_skill = _stack_next(
                repo, new_plan or plan, data, data.index, next_choice, first_editable
            )
            if new_skill is not None:
                new_skills.append(new_skill)
    elif plan is not None and decision == "stack" and next_choice is not None:
        # the plan ran out before this week: the stack went on; the next skill extends it
        plan = repo.get(Plan, plan.id) or plan
        index = dates.days_between(rules.to_date(plan.start_week), data.start) // 7
        new_plan, stacked, new_skill = _stack_next(
            repo, plan, data, index, next_choice, max(0, data.today_index)
        )
        if new_skill is not None:
            new_skills.append(new_skill)
    elif plan is None and decision == "stack" and next_choice is not None:
        # skills without a plan: the new one becomes active (the newest is the focus)
        skill_id, new_skill = chosen_skill(
            next_choice, data.objective.id, data.today, data.today, rules.MONDAY
        )
        stacked = new_skill or repo.get(MicroSkill, skill_id)
        if stacked is not None and stacked.status != "active":
            stacked = stacked if new_skill else stacked.touched(status="active")
            new_skills.append(stacked)
    if stacked is not None:
        notes.append(f"Stacked: “{stacked.title}” is the new focus.")
    changed_skills = _maintenance_changes(repo, data, maintenance)
    for skill in changed_skills:
        if skill.in_maintenance:
            notes.append(f"“{skill.title}” is in maintenance: {skill.maintenance_days} of 7 "
                         "days.")
        else:
            notes.append(f"“{skill.title}” is back in daily practice.")
    with repo.batch():
        for skill in [*new_skills, *changed_skills]:
            repo.save(skill)
        repo.save(review)
        if new_plan is not None:
            repo.save(new_plan)
    return SavedReview(review, new_plan, " ".join(notes), stacked)


def _stack_next(
    repo: Repository, plan: Plan, data: ReviewData, index: int, choice: WeekChoice | None,
    first_editable: int,
) -> tuple[Plan, MicroSkill | None, MicroSkill | None]:
    """The plan with ``choice`` as the skill of the week after week ``index`` (the one
    reviewed), the skill stacked, and the new skill to save when the choice is new."""
    nxt = index + 1
    planned = data.planned_next
    if choice is None or (choice.skill_id is not None and choice.skill_id == planned):
        skill = repo.get(MicroSkill, planned) if planned else None
        return plan, skill, None
    week_first = rules_plan.first_day(plan, max(nxt, first_editable))
    skill_id, new_skill = chosen_skill(
        choice, plan.objective_id, week_first, data.today, rules.MONDAY
    )
    if new_skill is not None:
        new_skill.status = "active"
    if skill_id in rules_plan.stack_at(plan, min(index, len(plan.weeks))):
        raise ValidationError("next", "that skill is already in the stack")
    if nxt < len(plan.weeks) and nxt >= first_editable:
        # stacked now: planned later, it moves up; the week planned here moves back one
        weeks = [
            dataclasses.replace(w, extra=dict(w.extra)) for w in plan.weeks
            if not (w.skill_id == skill_id and not w.hold)
        ]
        weeks.insert(nxt, PlanWeek(skill_id=skill_id))
        if len(weeks) > rules_plan.MAX_PLAN_WEEKS:
            raise ValidationError("next", "a plan holds at most "
                                  f"{rules_plan.MAX_PLAN_WEEKS} weeks")
        changed = plan.touched(weeks=weeks)
    else:
        changed = rules_plan.extend(plan, skill_id, max(nxt, first_editable))
    skill = new_skill or repo.get(MicroSkill, skill_id)
    if skill is not None and new_skill is None and skill.status == "planned":
        skill = skill.touched(status="active")
        new_skill = skill
    return changed, skill, new_skill


def _maintenance_changes(
    repo: Repository, data: ReviewData, maintenance: dict[str, int | None]
) -> list[MicroSkill]:
    out = []
    for skill_id, days in maintenance.items():
        skill = repo.get(MicroSkill, skill_id)
        if skill is None or skill.maintenance_days == days:
            continue
        if days is None:
            out.append(skill.touched(maintenance_days=None, status="active"))
        else:
            mastered_on = skill.mastered_on or min(data.end, data.today).isoformat()
            out.append(skill.touched(maintenance_days=days, status="mastered",
                                     mastered_on=mastered_on))
    return out


def due_reviews(
    repo: Repository, today: dt.date, first_weekday: int = rules.MONDAY
) -> list[tuple[Objective, dt.date]]:
    """Last week's reviews still to do: objectives whose plan ran last week, unreviewed."""
    last = dates.week_start(today, first_weekday) - rules.WEEK
    out = []
    for objective in repo.objectives():
        running = [
            p for p in plans_of(repo, objective.id)
            if rules.plan_position(p, last, first_weekday) is not None
        ]
        if running and find_review(repo, objective.id, last) is None:
            out.append((objective, last))
    return out
