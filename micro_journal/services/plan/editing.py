"""Creating and editing plans: the new-plan form, extending, changing or ending a plan
and the mastery gate's decision, each saved as one atomic write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...domain import dates, rules
from ...domain import plan as rules_plan
from ...domain.models import MicroSkill, Objective, Plan, ValidationError
from ...store.repository import Repository
from ..skills import SkillDraft, skill_from_draft
from .view import plans_of


@dataclass
class WeekChoice:
    """One week of a plan being created: an existing skill or a new one (a draft)."""

    skill_id: str | None = None
    draft: SkillDraft | None = None

    @property
    def empty(self) -> bool:
        return self.skill_id is None and self.draft is None


@dataclass
class PlanDraft:
    """The new-plan form, exactly as chosen."""

    objective: str = ""
    start: str = "this"  # "this" week or "next" week
    weeks: list[WeekChoice] = field(default_factory=lambda: [WeekChoice() for _ in range(4)])


def start_choices(today: dt.date, first_weekday: int) -> dict[str, dt.date]:
    this = dates.week_start(today, first_weekday)
    return {"this": this, "next": this + rules.WEEK}


def chosen_weeks(draft: PlanDraft) -> list[WeekChoice]:
    """The weeks given a skill; the empty weeks at the end are left to the reviews."""
    weeks = list(draft.weeks)
    while weeks and weeks[-1].empty:
        weeks.pop()
    return weeks


def find_objective(repo: Repository, title: str) -> Objective | None:
    name = title.strip().casefold()
    return next((o for o in repo.objectives() if o.title.casefold() == name), None)


def validate_plan(repo: Repository, draft: PlanDraft) -> Objective | None:
    """Check the draft; raises ValidationError naming the field (``objective``,
    ``week-3``…). Returns the existing objective, or None when it will be created."""
    name = draft.objective.strip()
    if not name:
        raise ValidationError("objective", "name the objective this plan serves")
    objective = find_objective(repo, name)
    if objective is not None:
        running = [p for p in plans_of(repo, objective.id) if p.status == "active"]
        if running:
            raise ValidationError(
                "objective",
                f"{objective.title} has a running plan: extend it (a) or end it (E)",
            )
    if not draft.weeks or draft.weeks[0].empty:
        raise ValidationError("week-1", "week 1 needs its micro-skill: enter picks one, n "
                              "creates one")
    weeks = chosen_weeks(draft)
    if len(weeks) < len(draft.weeks):
        gap = next(n for n, c in enumerate(draft.weeks, 1) if c.empty)
        if any(not c.empty for c in draft.weeks[gap:]):
            raise ValidationError(
                f"week-{gap}", f"week {gap} is empty: pick its skill, or remove the week (-)"
            )
    seen: dict[str, int] = {}
    for n, choice in enumerate(weeks, 1):
        key = choice.skill_id or f"draft:{id(choice.draft)}"
        if key in seen:
            raise ValidationError(
                f"week-{n}", f"already week {seen[key]} (to repeat it, hold it later)"
            )
        seen[key] = n
        if choice.skill_id is not None:
            skill = repo.get(MicroSkill, choice.skill_id)
            if skill is None or (objective is not None and skill.objective_id != objective.id):
                raise ValidationError(f"week-{n}", "a skill of another objective")
        elif choice.draft is not None:
            try:
                skill_from_draft(choice.draft, "x")
            except ValidationError as err:
                raise ValidationError(f"week-{n}", f"the new skill: {err.message}") from None
    return objective


def create_plan(
    repo: Repository, draft: PlanDraft, today: dt.date, first_weekday: int = rules.MONDAY
) -> Plan:
    """Create the plan (and its objective and new skills) in one atomic save."""
    objective = validate_plan(repo, draft)
    start = start_choices(today, first_weekday).get(draft.start, dates.week_start(
        today, first_weekday))
    with repo.batch():
        if objective is None:
            objective = repo.save(Objective(title=draft.objective.strip()))
        ids = []
        for n, choice in enumerate(chosen_weeks(draft)):
            # a new skill of a later week is "planned": it waits for its week
            skill_id, new = chosen_skill(choice, objective.id, start + n * rules.WEEK, today,
                                         first_weekday)
            if new is not None:
                repo.save(new)
            ids.append(skill_id)
        previous = next((p for p in plans_of(repo, objective.id)), None)
        if previous is not None and previous.status == "ended":
            plan = rules_plan.next_cycle(previous, start, ids, first_weekday)
        else:
            plan = rules_plan.new_plan(objective.id, start, ids, first_weekday)
        repo.save(plan)
    return plan


def save_plan(repo: Repository, plan: Plan, *skills: MicroSkill) -> Plan:
    with repo.batch():
        for skill in skills:
            repo.save(skill)
        repo.save(plan)
    return plan


def chosen_skill(
    choice: WeekChoice, objective_id: str, week_start: dt.date, today: dt.date,
    first_weekday: int,
) -> tuple[str, MicroSkill | None]:
    """The skill id for ``choice``, and the new skill to save when it is a draft."""
    if choice.skill_id is not None:
        return choice.skill_id, None
    if choice.draft is None:
        raise ValidationError("skill", "pick or create a skill")
    skill = skill_from_draft(choice.draft, objective_id)
    if week_start > dates.week_start(today, first_weekday):
        skill.status = "planned"  # waits for its week
    return skill.id, skill


def extend_plan(
    repo: Repository, plan: Plan, choice: WeekChoice, today: dt.date,
    first_weekday: int = rules.MONDAY,
) -> Plan:
    """Add a week introducing the chosen (or new) skill after the plan's last week."""
    today_index = rules_plan.week_index(plan, today, first_weekday)
    index = max(len(plan.weeks), today_index)
    skill_id, new = chosen_skill(
        choice, plan.objective_id, rules_plan.first_day(plan, index, first_weekday), today,
        first_weekday,
    )
    extended = rules_plan.extend(plan, skill_id, today_index)
    return save_plan(repo, extended, *([new] if new else []))


def change_week(
    repo: Repository, plan: Plan, index: int, choice: WeekChoice, today: dt.date,
    first_weekday: int = rules.MONDAY,
) -> Plan:
    """Week ``index`` introduces the chosen (or new) skill instead."""
    skill_id, new = chosen_skill(
        choice, plan.objective_id, rules_plan.first_day(plan, index, first_weekday), today,
        first_weekday,
    )
    first_editable = max(0, rules_plan.week_index(plan, today, first_weekday))
    changed = rules_plan.set_week_skill(plan, index, skill_id, first_editable)
    return save_plan(repo, changed, *([new] if new else []))


def end_plan(repo: Repository, plan: Plan, today: dt.date,
             first_weekday: int = rules.MONDAY) -> Plan:
    """End ``plan`` today. Skills it never reached go back to "planned"; the ones it did
    reach stay (or become) active, so they stand on their own afterwards."""
    ended = rules_plan.end_plan(plan, today)
    index = rules_plan.week_index(plan, today, first_weekday)
    reached = set(rules_plan.stack_at(plan, index))
    changed = []
    for week in plan.weeks:
        skill = repo.get(MicroSkill, week.skill_id) if week.skill_id else None
        if skill is None or skill.status in ("archived", "mastered"):
            continue
        want = "active" if skill.id in reached else "planned"
        if skill.status != want and skill not in changed:
            changed.append(skill.touched(status=want))
    return save_plan(repo, ended, *changed)



def record_decision(
    repo: Repository, plan: Plan, index: int, decision: str, today: dt.date,
    first_weekday: int = rules.MONDAY,
) -> Plan:
    """The mastery gate's answer, recorded on the plan week (``hold`` also holds it)."""
    first_editable = max(0, rules_plan.week_index(plan, today, first_weekday))
    return save_plan(repo, rules_plan.decide(plan, index, decision, first_editable))


def week_choice_title(repo: Repository, choice: WeekChoice) -> str:
    if choice.draft is not None:
        return choice.draft.title.strip()
    skill = repo.get(MicroSkill, choice.skill_id) if choice.skill_id else None
    return skill.title if skill else ""

