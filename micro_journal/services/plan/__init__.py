"""Plans and weekly reviews as use-cases: what the Plan and Review screens show and save.

The pure rules (calendar, mastery, plateau, edits) are in ``domain.plan``; this package
reads the journal, puts the pieces together, and saves every change as one atomic write.

One module a job; each imports only those below it in this list:

``review``    the weekly review: what it shows, saving it with its decision
``editing``   the new-plan form, creating, extending, changing and ending a plan
``view``      the Plan screen's grid of weeks (``build_plan_view``)
``measures``  a skill's weekly measurement: its review's, else its check-ins' mean

This package re-exports the public names, so ``from ..services import plan as svc``
serves every caller; a test that patches a name patches the module that reads it.
"""

from __future__ import annotations

from .editing import (
    PlanDraft,
    WeekChoice,
    change_week,
    chosen_weeks,
    create_plan,
    end_plan,
    extend_plan,
    find_objective,
    record_decision,
    save_plan,
    start_choices,
    validate_plan,
    week_choice_title,
)
from .measures import Measured, Measures, find_review, fmt, measure
from .review import (
    DECISION_HELP,
    HISTORY_WEEKS,
    MAINTENANCE_DAYS,
    ReviewData,
    ReviewLine,
    SavedReview,
    due_reviews,
    parse_measurement,
    review_data,
    save_review,
)
from .view import PlanView, SkillWeek, WeekView, build_plan_view, objectives_for_plan, plans_of

__all__ = [
    "DECISION_HELP",
    "HISTORY_WEEKS",
    "MAINTENANCE_DAYS",
    "Measured",
    "Measures",
    "PlanDraft",
    "PlanView",
    "ReviewData",
    "ReviewLine",
    "SavedReview",
    "SkillWeek",
    "WeekChoice",
    "WeekView",
    "build_plan_view",
    "change_week",
    "chosen_weeks",
    "create_plan",
    "due_reviews",
    "end_plan",
    "extend_plan",
    "find_objective",
    "find_review",
    "fmt",
    "measure",
    "objectives_for_plan",
    "parse_measurement",
    "plans_of",
    "record_decision",
    "review_data",
    "save_plan",
    "save_review",
    "start_choices",
    "validate_plan",
    "week_choice_title",
]
