"""Micro-goals as use-cases, shared by the Goals screen, Today and the ``goal`` commands:
what the list and the reviews show, and every change (add, edit, complete, insight,
drop, restore, reschedule, review note), each saved as one atomic write.

The rules (deadline forms, lateness, periods, roll-ups) are pure, in ``domain.goals``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..domain import dates, rules
from ..domain import goals as rules_goals
from ..domain.clock import Clock
from ..domain.goals import Mastered, Period, Rollup
from ..domain.models import (
    MicroGoal,
    MicroSkill,
    Objective,
    PeriodReview,
    ValidationError,
)
from ..store.repository import Repository
from .today import build_today, pick_one

FILTERS = ("open", "done", "dropped", "all")
MAX_ESTIMATE = 24 * 60


# ------------------------------------------------------------------ the list


@dataclass(frozen=True)
class GoalRow:
    goal: MicroGoal
    objective: Objective | None
    skill: MicroSkill | None
    state: str  # what domain.goals.classify says: stale, overdue, due, upcoming, done, dropped
    late: int  # days past the deadline (negative: days left)

    @property
    def deadline(self) -> dt.date:
        return dt.date.fromisoformat(self.goal.deadline)

    def to_json(self) -> dict:
        g = self.goal
        return {
            "id": g.id,
            "action": g.action,
            "objective": self.objective.title if self.objective else None,
            "deadline": g.deadline,
            "status": g.status,
            "state": self.state,
            "days_late": self.late,
            "success_metric": g.success_metric,
            "estimate_minutes": g.estimate_minutes,
            "skill": self.skill.title if self.skill else None,
            "completed_at": g.completed_at,
            "insight": g.insight,
            "drop_reason": g.drop_reason,
        }


@dataclass(frozen=True)
class ObjectiveGoals:
    objective: Objective | None
    done: int  # done / total of all its goals (dropped ones no longer count)
    total: int
    rows: list[GoalRow] = field(default_factory=list)
    more: int = 0  # goals of the filter left out of ``rows`` (the oldest closed ones)

    @property
    def title(self) -> str:
        return self.objective.title if self.objective else "(no objective)"


@dataclass(frozen=True)
class GoalsView:
    today: dt.date
    filter: str
    groups: list[ObjectiveGoals]
    counts: dict[str, int]  # by status, and "late" = overdue + stale + due today

    @property
    def rows(self) -> list[GoalRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def has_any(self) -> bool:
        return sum(self.counts.get(s, 0) for s in ("open", "done", "dropped")) > 0


def row_of(repo: Repository, goal: MicroGoal, today: dt.date) -> GoalRow:
    return GoalRow(
        goal,
        repo.get(Objective, goal.objective_id),
        repo.get(MicroSkill, goal.skill_id) if goal.skill_id else None,
        rules_goals.classify(goal, today),
        rules_goals.days_late(goal, today),
    )


def _ordered(goals: list[MicroGoal]) -> list[MicroGoal]:
    """Open goals by deadline (the most urgent first), then done ones newest first, then
    dropped ones most recently dropped first: a long list's page holds the newest."""
    def of(status: str) -> list[MicroGoal]:
        return [g for g in goals if g.status == status]

    return (
        sorted(of("open"), key=lambda g: (g.deadline, g.created_at))
        # (a goal done without its stamp, imported say, by its deadline)
        + sorted(of("done"), key=lambda g: (g.completed_at or "", g.deadline), reverse=True)
        + sorted(of("dropped"), key=lambda g: g.updated_at, reverse=True)
    )


def build_goals(repo: Repository, today: dt.date, filter: str = "open",
                shown: int | None = None) -> GoalsView:
    """Goals grouped by objective (in the order objectives were made), filtered by status.
    ``shown``: at most that many rows an objective (years of done goals are thousands);
    the rest, the oldest, are counted in its ``more``."""
    if filter not in FILTERS:
        raise ValueError(f"filter must be one of {FILTERS}, not {filter!r}")
    # the open goals list none of the goals closed long ago: those are only counted
    goals, older = repo.goals_and_older_counts() if filter == "open" else (repo.goals(), {})
    counts = {"open": 0, "done": 0, "dropped": 0, "late": 0}
    for by_status in older.values():
        for status, n in by_status.items():
            counts[status] = counts.get(status, 0) + n
    by_objective: dict[str, list[MicroGoal]] = {}
    for goal in goals:
        counts[goal.status] = counts.get(goal.status, 0) + 1
        if goal.status == "open" and rules_goals.days_late(goal, today) >= 0:
            counts["late"] += 1
        by_objective.setdefault(goal.objective_id, []).append(goal)
    order = [o.id for o in repo.objectives(include_archived=True)]
    order += [oid for oid in by_objective if oid not in order]
    groups = []
    for objective_id in order:
        mine = by_objective.get(objective_id, [])
        picked = [g for g in mine if filter == "all" or g.status == filter]
        if not picked:
            continue
        done, total = rules_goals.objective_progress(mine)
        closed = older.get(objective_id, {})
        done, total = done + closed.get("done", 0), total + closed.get("done", 0)
        listed = _ordered(picked)
        kept = listed if shown is None else listed[:shown]
        rows = [row_of(repo, g, today) for g in kept]
        groups.append(ObjectiveGoals(repo.get(Objective, objective_id), done, total, rows,
                                     len(listed) - len(kept)))
    return GoalsView(today, filter, groups, counts)


def due_goals(repo: Repository, today: dt.date) -> list[GoalRow]:
    """Open goals due today or late, the most overdue first (what Today lists)."""
    rows = [
        row_of(repo, g, today) for g in repo.open_goals()
        if rules_goals.days_late(g, today) >= 0
    ]
    rows.sort(key=lambda r: (-r.late, r.goal.action))
    return rows


# ------------------------------------------------------------------ add and edit


@dataclass
class GoalDraft:
    """The goal form's text, exactly as typed."""

    action: str = ""
    objective: str = ""
    deadline: str = ""
    success_metric: str = ""
    estimate: str = ""
    skill_id: str | None = None


def find_objective(repo: Repository, title: str) -> Objective | None:
    name = " ".join(title.split()).casefold()
    found = [
        o for o in repo.objectives(include_archived=True)
        if " ".join(o.title.split()).casefold() == name
    ]
    found.sort(key=lambda o: o.archived)  # an active objective wins over an archived one
    return found[0] if found else None


def action_key(action: str) -> str:
    """What makes two actions the same: the words, whatever their case and spacing."""
    return " ".join(action.split()).casefold()


def open_duplicate(repo: Repository, action: str, objective_id: str) -> MicroGoal | None:
    """An open goal of the objective with the same action (case and spaces aside)."""
    key = action_key(action)
    for goal in repo.open_goals():
        if (goal.objective_id == objective_id
                and action_key(goal.action) == key):
            return goal
    return None


def default_objective(
    repo: Repository, today: dt.date, first_weekday: int
) -> tuple[Objective | None, MicroSkill | None]:
    """The objective a goal serves when none is named: the only one, else the objective
    of today's focus skill (returned with it); (None, None) when neither says."""
    objectives = repo.objectives()
    if len(objectives) == 1:
        return objectives[0], None
    focus = build_today(repo, today, first_weekday).focus
    if focus is None:
        return None, None
    objective = repo.get(Objective, focus.skill.objective_id)
    if objective is None or objective.archived:
        return None, None
    return objective, focus.skill


def parse_estimate(text: str | int | None) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    raw = str(text).strip().lower().removesuffix("min").removesuffix("m").strip()
    try:
        minutes = int(raw)
    except ValueError:
        raise ValidationError(
            "estimate", f"{str(text).strip()!r} is not a whole number of minutes"
        ) from None
    if minutes < 1:
        raise ValidationError("estimate", "an estimate is at least 1 minute (or leave it empty)")
    if minutes > MAX_ESTIMATE:
        raise ValidationError("estimate", "that is more minutes than a day has")
    return minutes


def check_deadline(
    text: str, today: dt.date, keep: str | None = None
) -> dt.date:
    """Parse a typed deadline; a past date is refused unless it is the one already stored."""
    day = rules_goals.parse_deadline(text, today)
    if day < today and day.isoformat() != keep:
        raise ValidationError(
            "deadline",
            f"{day.isoformat()} is in the past; a deadline is today or later "
            f"({rules_goals.DEADLINE_HELP})",
        )
    return day


def goal_from_draft(
    repo: Repository, draft: GoalDraft, today: dt.date, existing: MicroGoal | None = None
) -> tuple[MicroGoal, str | None]:
    """Validate the draft: (the goal, the title of an objective to create or None).

    Raises ValidationError naming the first bad field; nothing is saved.
    """
    action = " ".join(draft.action.split())
    if not action:
        raise ValidationError("action", "write the next concrete action, e.g. 'Book a room'")
    name = " ".join(draft.objective.split())
    if not name:
        raise ValidationError(
            "objective", "name the objective this goal moves forward (pick one, or a new name)"
        )
    deadline = check_deadline(draft.deadline, today, existing.deadline if existing else None)
    estimate = parse_estimate(draft.estimate)
    skill_id = draft.skill_id or None
    if skill_id and repo.get(MicroSkill, skill_id) is None:
        raise ValidationError("skill", "that micro-skill is no longer in the journal")
    objective = find_objective(repo, name)
    fields: dict[str, Any] = dict(  # the goal's fields, whether new or edited
        action=action, deadline=deadline.isoformat(), success_metric=draft.success_metric.strip(),
        estimate_minutes=estimate, skill_id=skill_id,
        objective_id=objective.id if objective else "pending",
    )
    goal = existing.touched(**fields) if existing else MicroGoal(**fields)
    return goal, None if objective else name


def save_goal(
    repo: Repository, draft: GoalDraft, today: dt.date, existing: MicroGoal | None = None
) -> MicroGoal:
    """Create (or edit) the goal, and its objective when new, in one atomic save."""
    goal, new_objective = goal_from_draft(repo, draft, today, existing)
    with repo.batch():
        if new_objective is not None:
            goal.objective_id = repo.save(Objective(title=new_objective)).id
        repo.save(goal)
    return goal


def draft_of(repo: Repository, goal: MicroGoal) -> GoalDraft:
    objective = repo.get(Objective, goal.objective_id)
    return GoalDraft(
        action=goal.action, objective=objective.title if objective else "",
        deadline=goal.deadline, success_metric=goal.success_metric,
        estimate="" if goal.estimate_minutes is None else str(goal.estimate_minutes),
        skill_id=goal.skill_id,
    )


# ------------------------------------------------------------------ status changes


def completion_stamp(clock: Clock) -> str:
    """When a goal is done: now, with the user's offset — or noon of the pinned day
    when ``MICRO_JOURNAL_TODAY`` pins another date (so reviews place it on that day)."""
    now = clock.now()
    today = clock.today()
    if dates.local_day(now, clock.day_start_hour) == today:
        return now.isoformat(timespec="seconds")
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=now.tzinfo)
    return noon.isoformat(timespec="seconds")


def complete(repo: Repository, goal: MicroGoal, stamp: str) -> MicroGoal:
    """Mark done (again: unchanged); the insight written before is kept."""
    current = repo.get(MicroGoal, goal.id) or goal
    if current.status == "done":
        return current
    return repo.save(current.touched(status="done", completed_at=stamp))


def set_insight(repo: Repository, goal: MicroGoal, text: str) -> MicroGoal:
    current = repo.get(MicroGoal, goal.id) or goal
    return repo.save(current.touched(insight=text.strip()))


def drop(repo: Repository, goal: MicroGoal, reason: str = "") -> MicroGoal:
    """Archive a goal that no longer fits (restorable); the reason is kept."""
    current = repo.get(MicroGoal, goal.id) or goal
    return repo.save(current.touched(status="dropped", drop_reason=reason.strip()))


def reopen(repo: Repository, goal: MicroGoal) -> MicroGoal:
    """A dropped or done goal back to open. The drop reason and insight stay written
    (nothing typed is thrown away); the completion time is cleared."""
    current = repo.get(MicroGoal, goal.id) or goal
    return repo.save(current.touched(status="open", completed_at=None))


def reschedule(repo: Repository, goal: MicroGoal, text: str, today: dt.date) -> MicroGoal:
    """A new deadline (any deadline form); a dropped goal rescheduled is open again."""
    current = repo.get(MicroGoal, goal.id) or goal
    day = check_deadline(text, today)
    status = "open" if current.status == "dropped" else current.status
    return repo.save(current.touched(deadline=day.isoformat(), status=status))


def find_goal(repo: Repository, query: str, *, prefer: str = "open") -> MicroGoal:
    """A goal by id prefix (4+ characters) or part of its action; goals with status
    ``prefer`` win. ValidationError when none or several match."""
    q = " ".join(query.split()).casefold()
    if not q:
        raise ValidationError("goal", "no goal given")
    goals = repo.goals()
    matches = [g for g in goals if q in " ".join(g.action.split()).casefold()]
    preferred = [g for g in matches if g.status == prefer] or matches
    return pick_one(
        query, q, goals, preferred, name=lambda g: g.action,
        same=lambda g: " ".join(g.action.split()).casefold() == q,
        field="goal", noun="micro-goal", nouns="goals",
    )


# ------------------------------------------------------------------ reviews


def mastered_skills(
    repo: Repository, today: dt.date, first_weekday: int = rules.MONDAY
) -> list[Mastered]:
    """Every skill with the day it was mastered.

    A skill marked mastered counts on its ``mastered_on`` day. Otherwise a skill counts
    on the last day of the first finished week that made it mastered — the weekly
    review's rule (``stacking.mastered_in``), the same as the Plan's ★: at or beyond the
    target two weeks running, the second with its days met; a week's measurement is the
    weekly review's, else the check-ins' mean.
    """
    from ..domain import stacking
    from .plan.measures import Measures

    out: list[Mastered] = []
    measures: dict[str, Measures] = {}
    this_week = dates.week_start(today, first_weekday)
    for skill in repo.skills():
        if skill.status == "mastered" and skill.mastered_on:
            with contextlib.suppress(ValueError):
                out.append(Mastered(skill, dt.date.fromisoformat(skill.mastered_on)))
            continue
        weeks: dict[dt.date, int] = {}
        rest: dict[dt.date, int] = {}
        for c in repo.checkins(skill.id):
            try:
                first = dates.week_start(dt.date.fromisoformat(c.date), first_weekday)
            except ValueError:
                continue
            if first < this_week:
                weeks[first] = weeks.get(first, 0) + (c.status == "done")
                rest[first] = rest.get(first, 0) + (c.status == "skipped")
        if not weeks:
            continue
        m = measures.setdefault(skill.objective_id, Measures(repo, skill.objective_id))
        oldest, newest = min(weeks), max(weeks)
        starts = [oldest + dates.WEEK * k
                  for k in range(dates.weeks_between(oldest, newest, first_weekday) + 1)]
        found = stacking.mastered_in(skill.metric, skill.frequency_target, [
            (s, stacking.SkillWeek(weeks.get(s, 0), rest.get(s, 0), m.get(skill.id, s).value))
            for s in starts
        ])
        if isinstance(found, dt.date):
            out.append(Mastered(skill, found + dt.timedelta(days=6)))
    return out


@dataclass(frozen=True)
class ReviewView:
    """A month's or a quarter's review of micro-goals."""

    period: Period
    today: dt.date
    rollup: Rollup
    stale: list[GoalRow]
    note: PeriodReview | None
    objectives: dict[str, Objective]

    @property
    def is_future(self) -> bool:
        return self.period.start > self.today

    @property
    def is_current(self) -> bool:
        return self.period.contains(self.today)

    def objective_title(self, objective_id: str) -> str:
        o = self.objectives.get(objective_id)
        return o.title if o else "(no objective)"


def find_note(repo: Repository, period: Period) -> PeriodReview | None:
    found = [r for r in repo.all(PeriodReview) if r.period == period.key]
    found.sort(key=lambda r: r.created_at)
    return found[0] if found else None


def build_review(
    repo: Repository,
    period: Period,
    today: dt.date,
    day_start_hour: int = 0,
    first_weekday: int = rules.MONDAY,
) -> ReviewView:
    goals = repo.goals()
    stale = sorted(
        (row_of(repo, g, today) for g in goals if rules_goals.is_stale(g, today)),
        key=lambda r: (-r.late, r.goal.action),
    )
    return ReviewView(
        period=period,
        today=today,
        rollup=rules_goals.rollup(
            period, goals, mastered_skills(repo, today, first_weekday), day_start_hour
        ),
        stale=stale,
        note=find_note(repo, period),
        objectives={o.id: o for o in repo.objectives(include_archived=True)},
    )


def save_note(repo: Repository, period: Period, text: str) -> PeriodReview:
    """The period's review note (one per period: saving again replaces it)."""
    existing = find_note(repo, period)
    if existing is None:
        return repo.save(PeriodReview(period=period.key, note=text.strip()))
    return repo.save(existing.touched(note=text.strip()))
