"""Plans and weekly reviews as use-cases: what the Plan and Review screens show and save.

The pure rules (calendar, mastery, plateau, edits) are in ``domain.plan``; this module
reads the journal, puts the pieces together, and saves every change as one atomic write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from ..domain import dates, rules, stacking
from ..domain import plan as rules_plan
from ..domain.models import (
    DECISIONS,
    CheckIn,
    Measurement,
    MicroSkill,
    Objective,
    Plan,
    PlanWeek,
    ValidationError,
    WeeklyReview,
)
from ..domain.plan import Change, Mastery
from ..store.repository import Repository
from .skills import SkillDraft, skill_from_draft

DECISION_HELP = {
    "stack": "stack the next skill as planned",
    "hold": "hold: repeat this week, later weeks move back one week",
    "tweak": "tweak: keep the plan, change how I practise",
}
HISTORY_WEEKS = 4


# ------------------------------------------------------------------ measurements


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
                self.by_week.setdefault(_date(review.week), []).append(review)
        self._days: dict[str, dict[dt.date, CheckIn]] = {}

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
        """The mean of the week's check-in values (what a review is pre-filled with)."""
        days = self._days.get(skill_id)
        if days is None:
            days = self._days[skill_id] = {
                _date(c.date): c for c in self.repo.checkins(skill_id) if c.value is not None
            }
        week = [
            days[d] for d in (week_first + dt.timedelta(days=i) for i in range(7)) if d in days
        ]
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


def _date(text: str) -> dt.date:
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


# ------------------------------------------------------------------ the plan grid


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
    measures = Measures(repo, objective.id)
    history: dict[str, list[stacking.SkillWeek]] = {}  # each skill's weeks so far
    tweaks = _tweak_weeks(measures, dt.date.max)
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
                states_cache[skill_id] = repo.day_states(skill_id)
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


# ------------------------------------------------------------------ creating a plan


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
        else:
            try:
                skill_from_draft(choice.draft, "x")  # type: ignore[arg-type]
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
    this_week = dates.week_start(today, first_weekday)
    with repo.batch():
        if objective is None:
            objective = repo.save(Objective(title=draft.objective.strip()))
        ids = []
        for n, choice in enumerate(chosen_weeks(draft)):
            if choice.skill_id is not None:
                ids.append(choice.skill_id)
                continue
            skill = skill_from_draft(choice.draft, objective.id)  # type: ignore[arg-type]
            if start + n * rules.WEEK > this_week:
                skill.status = "planned"  # waits for its week
            ids.append(repo.save(skill).id)
        previous = next((p for p in plans_of(repo, objective.id)), None)
        if previous is not None and previous.status == "ended":
            plan = rules_plan.next_cycle(previous, start, ids, first_weekday)
        else:
            plan = rules_plan.new_plan(objective.id, start, ids, first_weekday)
        repo.save(plan)
    return plan


# ------------------------------------------------------------------ editing a plan


def save_plan(repo: Repository, plan: Plan, *skills: MicroSkill) -> Plan:
    with repo.batch():
        for skill in skills:
            repo.save(skill)
        repo.save(plan)
    return plan


def _chosen_skill(
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
    skill_id, new = _chosen_skill(
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
    skill_id, new = _chosen_skill(
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


# ------------------------------------------------------------------ the weekly review


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
    tweaks = _tweak_weeks(measures, start)
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


def _tweak_weeks(measures: Measures, before: dt.date) -> dict[dt.date, set[str]]:
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
        since = dates.week_start(_date(skill.created_at[:10]), first_weekday)
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
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationError("value", f"{text!r} is not a number") from None
    if value != value or abs(value) == float("inf"):
        raise ValidationError("value", "the measurement must be a finite number")
    return value


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
    fields = dict(
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
        skill_id, new_skill = _chosen_skill(
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
    skill_id, new_skill = _chosen_skill(
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

