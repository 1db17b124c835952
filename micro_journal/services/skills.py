"""Creating objectives and micro-skills from what the user typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain import rules
from ..domain.models import Metric, MicroSkill, Objective, ValidationError
from ..domain.plan import new_plan
from ..store.repository import Repository


@dataclass
class SkillDraft:
    """The new-skill form's text, exactly as typed."""

    objective: str = ""
    title: str = ""
    why: str = ""
    minutes: str = "5"
    metric: str = ""
    unit: str = ""
    direction: str = "higher"
    baseline: str = ""
    target: str = ""
    days: str = "7"


def parse_number(text: str, field: str, name: str = "") -> float | None:
    """A typed number: empty is None; anything else must be a finite number (``name``
    leads the error's words: "the measurement must be a finite number")."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a number") from None
    if value != value or abs(value) == float("inf"):
        raise ValidationError(field, f"{name} must be a finite number".lstrip())
    return value


def _whole(text: str, field: str, low: int, high: int, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text.strip()!r} is not a whole number") from None
    if not low <= value <= high:
        raise ValidationError(field, f"{what} must be from {low} to {high}")
    return value


def skill_from_draft(draft: SkillDraft, objective_id: str = "") -> MicroSkill:
    """Validate the draft; raises ValidationError naming the first bad field."""
    if not draft.objective.strip() and not objective_id:
        raise ValidationError("objective", "name the objective this skill serves")
    if not draft.title.strip():
        raise ValidationError("title", "a micro-skill needs a title")
    minutes = _whole(draft.minutes or "5", "minutes", 1, 240, "minutes")
    days = _whole(draft.days or "7", "days", 1, 7, "days per week")
    direction = draft.direction if draft.direction in ("higher", "lower") else "higher"
    metric = Metric(
        name=draft.metric.strip(), unit=draft.unit.strip(), direction=direction,
        baseline=parse_number(draft.baseline, "baseline"),
        target=parse_number(draft.target, "target"),
    )
    return MicroSkill(
        objective_id=objective_id, title=draft.title.strip(), why=draft.why.strip(),
        practice_minutes=minutes, metric=metric, frequency_target=days, status="active",
    )


def create_skill(
    repo: Repository, draft: SkillDraft, today: dt.date | None = None,
    first_weekday: int = rules.MONDAY,
) -> MicroSkill:
    """Create the skill (and its objective when new) in one atomic save.

    Given ``today``, an objective with no plan and no other active skill also gets its
    stacking plan, starting this week with this skill as week 1: the weekly review then
    comes round and offers the next skill to stack.
    """
    name = draft.objective.strip()
    existing = next(
        (o for o in repo.objectives() if o.title.casefold() == name.casefold()), None
    )
    skill = skill_from_draft(draft, existing.id if existing else "pending")
    with repo.batch():
        objective = existing
        if objective is None:
            objective = repo.save(Objective(title=name))
        skill.objective_id = objective.id
        repo.save(skill)
        if today is not None and _starts_a_plan(repo, objective.id, skill.id):
            repo.save(new_plan(objective.id, today, [skill.id], first_weekday))
    return skill


def _starts_a_plan(repo: Repository, objective_id: str, skill_id: str) -> bool:
    if any(p.objective_id == objective_id for p in repo.plans()):
        return False
    return not any(
        s.status == "active" and s.id != skill_id for s in repo.skills(objective_id)
    )
