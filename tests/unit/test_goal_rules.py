"""Micro-goal rules: deadlines as typed, lateness, periods and roll-ups, the checklist;
and the goal use-cases on a real (temporary) journal."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain import goals as g
from micro_journal.domain.clock import FixedClock
from micro_journal.domain.goals import Mastered, Period
from micro_journal.domain.models import (
    CheckIn,
    Metric,
    MicroGoal,
    MicroSkill,
    Objective,
    ValidationError,
)
from micro_journal.services import goals as svc
from micro_journal.store import Repository, open_journal

WED = dt.date(2026, 11, 18)  # a Wednesday
D = dt.date


def parse(text: str, today: dt.date = WED) -> dt.date:
    return g.parse_deadline(text, today)


# ------------------------------------------------------------------ deadline forms


@pytest.mark.parametrize("text, expected", [
    ("today", WED),
    ("  Today ", WED),
    ("tomorrow", D(2026, 11, 19)),
    ("tom", D(2026, 11, 19)),
    ("+3d", D(2026, 11, 21)),
    ("3d", D(2026, 11, 21)),
    ("+3 days", D(2026, 11, 21)),
    ("in 3 days", D(2026, 11, 21)),
    ("+0d", WED),
    ("+1w", D(2026, 11, 25)),
    ("+2 weeks", D(2026, 12, 2)),
    ("+1m", D(2026, 12, 18)),
    ("2026-12-01", D(2026, 12, 1)),
    ("2026-12-1", D(2026, 12, 1)),
])
def test_each_deadline_form(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("thursday", D(2026, 11, 19)),
    ("thu", D(2026, 11, 19)),
    ("Fri", D(2026, 11, 20)),
    ("friday", D(2026, 11, 20)),
    ("next fri", D(2026, 11, 20)),
    ("sunday", D(2026, 11, 22)),
    ("mon", D(2026, 11, 23)),
    ("tue", D(2026, 11, 24)),
    ("tues", D(2026, 11, 24)),
])
def test_weekday_names_mean_the_next_one(text, expected):
    assert parse(text) == expected


def test_todays_own_weekday_means_next_week_because_today_names_today():
    assert parse("wednesday") == D(2026, 11, 25)
    assert parse("wed") == D(2026, 11, 25)
    assert parse("today") == WED


@pytest.mark.parametrize("today, text, expected", [
    (D(2026, 1, 30), "+3d", D(2026, 2, 2)),  # across a month end
    (D(2026, 12, 30), "+3d", D(2027, 1, 2)),  # across a year end
    (D(2026, 12, 31), "tomorrow", D(2027, 1, 1)),
    (D(2026, 12, 28), "+1w", D(2027, 1, 4)),
    (D(2026, 1, 31), "+1m", D(2026, 2, 28)),  # kept to the end of a shorter month
    (D(2028, 1, 31), "+1m", D(2028, 2, 29)),  # ... of a leap February
    (D(2026, 3, 31), "+1m", D(2026, 4, 30)),
    (D(2026, 11, 30), "+3m", D(2027, 2, 28)),
    (D(2028, 2, 28), "+1d", D(2028, 2, 29)),  # leap day
    (D(2028, 2, 28), "tomorrow", D(2028, 2, 29)),
    (D(2028, 2, 29), "tomorrow", D(2028, 3, 1)),
    (D(2027, 2, 28), "tomorrow", D(2027, 3, 1)),  # no leap day in 2027
    (D(2028, 2, 26), "tue", D(2028, 2, 29)),
    (D(2028, 2, 29), "+1w", D(2028, 3, 7)),
])
def test_month_ends_year_ends_and_leap_days(today, text, expected):
    assert parse(text, today) == expected


def test_leap_day_as_an_iso_date():
    assert parse("2028-02-29") == D(2028, 2, 29)
    with pytest.raises(ValidationError, match="2027 is not a leap year"):
        parse("2027-02-29")
    with pytest.raises(ValidationError, match="November 2026 has 30 days"):
        parse("2026-11-31")
    with pytest.raises(ValidationError, match="no month 13"):
        parse("2026-13-01")


@pytest.mark.parametrize("bad", ["", "   ", "frday", "soon", "+3x", "+d", "2026/12/01",
                                 "next", "+9999w", "+200m", "12-01"])
def test_bad_deadlines_are_explained_with_the_accepted_forms(bad):
    with pytest.raises(ValidationError) as info:
        parse(bad)
    assert info.value.field == "deadline"
    assert "+3d" in info.value.message or "deadline" in info.value.message


def test_deadlines_are_relative_to_the_day_start_not_the_wall_clock():
    # 01:30 on Thursday with a day that starts at 04:00 is still Wednesday for the user
    clock = FixedClock(dt.datetime(2026, 11, 19, 1, 30, tzinfo=dt.UTC), day_start_hour=4)
    assert clock.today() == WED
    assert parse("tomorrow", clock.today()) == D(2026, 11, 19)
    assert parse("today", clock.today()) == WED
    assert parse("thu", clock.today()) == D(2026, 11, 19)
    # at midnight day start it is already Thursday
    midnight = FixedClock(dt.datetime(2026, 11, 19, 1, 30, tzinfo=dt.UTC))
    assert parse("tomorrow", midnight.today()) == D(2026, 11, 20)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
       st.integers(min_value=0, max_value=400))
def test_relative_days_never_land_before_today(today, n):
    assert parse(f"+{n}d", today) == today + dt.timedelta(days=n)
    assert parse(f"+{n % 60}m", today) >= today


def test_describe_deadline():
    assert g.describe_deadline(D(2026, 11, 20), WED) == "Fri 20 Nov (in 2 days)"
    assert g.describe_deadline(WED, WED) == "Wed 18 Nov (today)"
    assert g.describe_deadline(D(2026, 11, 19), WED) == "Thu 19 Nov (tomorrow)"
    assert g.describe_deadline(D(2027, 1, 4), WED) == "Mon 4 Jan 2027 (in 47 days)"
    assert g.describe_deadline(D(2026, 11, 15), WED) == "Sun 15 Nov (3 days ago)"


# ------------------------------------------------------------------ classification


def goal(deadline: str, status: str = "open", **kw) -> MicroGoal:
    return MicroGoal(objective_id="o", action=kw.pop("action", "x"), deadline=deadline,
                     status=status, **kw)


@pytest.mark.parametrize("deadline, state, late", [
    ("2026-11-25", "upcoming", -7),
    ("2026-11-19", "upcoming", -1),
    ("2026-11-18", "due", 0),
    ("2026-11-17", "overdue", 1),
    ("2026-11-04", "overdue", 14),  # exactly two weeks late: not stale yet
    ("2026-11-03", "stale", 15),  # more than two weeks
    ("2025-12-01", "stale", 352),
])
def test_due_overdue_stale(deadline, state, late):
    item = goal(deadline)
    assert g.classify(item, WED) == state
    assert g.days_late(item, WED) == late
    assert g.is_stale(item, WED) == (state == "stale")


def test_closed_goals_are_never_late_or_stale():
    assert g.classify(goal("2025-01-01", "done"), WED) == "done"
    assert g.classify(goal("2025-01-01", "dropped"), WED) == "dropped"


def test_staleness_across_a_year_end():
    item = goal("2026-12-20")
    assert g.classify(item, D(2027, 1, 3)) == "overdue"  # 14 days
    assert g.classify(item, D(2027, 1, 4)) == "stale"  # 15 days


def test_late_labels():
    assert [g.late_label(n) for n in (0, 1, 2, -1, -3)] == [
        "due today", "overdue 1 day", "overdue 2 days", "due tomorrow", "in 3 days"]


# ------------------------------------------------------------------ periods


def test_periods_hold_their_days_and_labels():
    nov = Period.containing(WED, "month")
    assert (nov.start, nov.end, nov.key, nov.label) == (
        D(2026, 11, 1), D(2026, 11, 30), "2026-11", "November 2026")
    q4 = Period.containing(WED, "quarter")
    assert (q4.start, q4.end, q4.key, q4.label) == (
        D(2026, 10, 1), D(2026, 12, 31), "2026-Q4", "Q4 2026 (Oct–Dec)")
    feb = Period.containing(D(2028, 2, 10), "month")
    assert feb.end == D(2028, 2, 29) and feb.contains(D(2028, 2, 29))


def test_periods_move_across_year_ends():
    dec = Period("month", 2026, 12)
    assert dec.shift(1) == Period("month", 2027, 1)
    assert Period("month", 2027, 1).shift(-1) == dec
    assert dec.shift(-12) == Period("month", 2025, 12)
    assert dec.shift(25) == Period("month", 2029, 1)
    q4 = Period("quarter", 2026, 4)
    assert q4.shift(1) == Period("quarter", 2027, 1)
    assert Period("quarter", 2027, 1).shift(-1) == q4
    assert q4.shift(-8) == Period("quarter", 2024, 4)
    assert [m.key for m in q4.month_periods()] == ["2026-10", "2026-11", "2026-12"]
    assert dec.as_kind("quarter") == q4 and q4.as_kind("month") == Period("month", 2026, 10)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
       st.sampled_from(["month", "quarter"]), st.integers(min_value=-50, max_value=50))
def test_consecutive_periods_tile_the_calendar(day, kind, steps):
    period = Period.containing(day, kind)
    assert period.contains(day)
    moved = period.shift(steps)
    assert moved.shift(-steps) == period
    assert moved.shift(1).start == moved.end + dt.timedelta(days=1)


# ------------------------------------------------------------------ roll-ups


def done(action: str, at: str, insight: str = "") -> MicroGoal:
    return goal("2026-12-01", "done", action=action, completed_at=at, insight=insight)


def test_monthly_and_quarterly_rollups_across_a_year_end():
    goals = [
        done("eve", "2026-12-31T23:30:00+01:00", "late night"),
        done("new year", "2027-01-01T09:00:00+01:00"),
        done("october", "2026-10-01T08:00:00+00:00"),
        goal("2026-12-15"),  # open: never rolled up
        goal("2026-12-15", "dropped"),
    ]
    dec = g.rollup(Period("month", 2026, 12), goals)
    assert [x.action for x, _ in dec.done] == ["eve"]
    assert [x.action for x in dec.insights] == ["eve"]
    jan = g.rollup(Period("month", 2027, 1), goals)
    assert [x.action for x, _ in jan.done] == ["new year"]
    q4 = g.rollup(Period("quarter", 2026, 4), goals)
    assert [x.action for x, _ in q4.done] == ["october", "eve"]
    assert [(m.key, n) for m, n in q4.done_by_month()] == [
        ("2026-10", 1), ("2026-11", 0), ("2026-12", 1)]
    assert q4.done_by_objective() == {"o": 2}
    q1 = g.rollup(Period("quarter", 2027, 1), goals)
    assert [x.action for x, _ in q1.done] == ["new year"]


def test_completion_day_uses_local_wall_time_and_the_day_start():
    # 01:30 local on 1 January belongs to 31 December when the day starts at 04:00
    item = done("night owl", "2027-01-01T01:30:00+01:00")
    assert g.completed_day(item) == D(2027, 1, 1)
    assert g.completed_day(item, day_start_hour=4) == D(2026, 12, 31)
    assert [x.action for x, _ in g.rollup(Period("month", 2026, 12), [item], (), 4).done] == [
        "night owl"]
    assert g.rollup(Period("month", 2026, 12), [item]).done == []
    assert g.completed_day(done("bad", "yesterday")) is None
    assert g.completed_day(done("date only", "2026-11-18")) == WED


def test_mastered_skills_roll_up_by_the_day_they_were_mastered():
    a = MicroSkill(objective_id="o", title="A")
    b = MicroSkill(objective_id="o", title="B")
    mastered = [Mastered(a, D(2026, 12, 27)), Mastered(b, D(2027, 1, 3))]
    assert [m.skill.title for m in g.rollup(Period("month", 2026, 12), [], mastered).mastered] \
        == ["A"]
    assert [m.skill.title for m in g.rollup(Period("quarter", 2027, 1), [], mastered).mastered] \
        == ["B"]


def test_objective_progress_leaves_dropped_goals_out():
    goals = [goal("2026-11-01", "done"), goal("2026-11-01"), goal("2026-11-01", "dropped")]
    assert g.objective_progress(goals) == (1, 2)
    assert g.objective_progress([]) == (0, 0)


def test_the_checklist_warns_above_two_hours_and_without_a_metric():
    ok = goal("2026-11-20", estimate_minutes=120, success_metric="done")
    assert g.goal_warnings(ok) == []
    long = goal("2026-11-20", estimate_minutes=121, success_metric="done")
    assert "split" in g.goal_warnings(long)[0]
    assert "success metric" in g.goal_warnings(goal("2026-11-20"))[0]


# ------------------------------------------------------------------ use-cases on a journal


@pytest.fixture
def repo(tmp_path):
    with open_journal(tmp_path / "j.json", today=lambda: WED) as journal:
        yield Repository(journal)


def test_save_goal_creates_the_objective_once_and_refuses_past_deadlines(repo):
    draft = svc.GoalDraft(action="  Book  a room ", objective="Public speaking",
                          deadline="fri", success_metric="booked", estimate="30")
    first = svc.save_goal(repo, draft, WED)
    assert (first.action, first.deadline, first.estimate_minutes) == ("Book a room",
                                                                      "2026-11-20", 30)
    again = svc.save_goal(repo, svc.GoalDraft(action="Rehearse", objective="public  SPEAKING",
                                              deadline="+1w"), WED)
    assert again.objective_id == first.objective_id
    assert [o.title for o in repo.objectives()] == ["Public speaking"]
    with pytest.raises(ValidationError) as info:
        svc.save_goal(repo, svc.GoalDraft(action="x", objective="P", deadline="2026-11-01"),
                      WED)
    assert info.value.field == "deadline" and "past" in info.value.message
    for field, draft in [
        ("action", svc.GoalDraft(objective="P", deadline="today")),
        ("objective", svc.GoalDraft(action="x", deadline="today")),
        ("estimate", svc.GoalDraft(action="x", objective="P", deadline="today", estimate="lots")),
        ("estimate", svc.GoalDraft(action="x", objective="P", deadline="today", estimate="0")),
    ]:
        with pytest.raises(ValidationError) as info:
            svc.save_goal(repo, draft, WED)
        assert info.value.field == field
    assert len(repo.goals()) == 2 and len(repo.objectives()) == 1  # nothing half-saved


def test_editing_keeps_a_past_deadline_that_was_already_there(repo):
    o = repo.save(Objective(title="P"))
    old = repo.save(MicroGoal(objective_id=o.id, action="old", deadline="2026-10-01"))
    draft = svc.draft_of(repo, old)
    draft.action = "old, reworded"
    saved = svc.save_goal(repo, draft, WED, old)
    assert (saved.id, saved.deadline, saved.action) == (old.id, "2026-10-01", "old, reworded")


def test_complete_drop_reopen_reschedule_and_the_stamp(repo):
    o = repo.save(Objective(title="P"))
    item = repo.save(MicroGoal(objective_id=o.id, action="talk", deadline="2026-11-01"))
    clock = FixedClock(dt.datetime(2026, 11, 18, 21, 0, tzinfo=dt.UTC))
    stamp = svc.completion_stamp(clock)
    assert stamp == "2026-11-18T21:00:00+00:00"
    item = svc.complete(repo, item, stamp)
    assert svc.complete(repo, item, "later").completed_at == stamp  # done twice: unchanged
    item = svc.set_insight(repo, item, "  pausing works ")
    assert item.insight == "pausing works"
    item = svc.reopen(repo, item)
    assert (item.status, item.completed_at, item.insight) == ("open", None, "pausing works")
    item = svc.drop(repo, item, "no longer fits")
    assert (item.status, item.drop_reason) == ("dropped", "no longer fits")
    item = svc.reschedule(repo, item, "+1w", WED)
    assert (item.status, item.deadline) == ("open", "2026-11-25")
    with pytest.raises(ValidationError):
        svc.reschedule(repo, item, "2026-11-01", WED)
    assert repo.get(MicroGoal, item.id).deadline == "2026-11-25"


def test_the_completion_stamp_of_a_pinned_day_is_its_noon():
    class Pinned(FixedClock):
        pass

    clock = Pinned(dt.datetime(2030, 1, 5, 8, 0, tzinfo=dt.UTC))
    clock.pinned_today = WED
    assert svc.completion_stamp(clock) == "2026-11-18T12:00:00+00:00"


def test_find_goal_prefers_open_goals_and_explains_ambiguity(repo):
    o = repo.save(Objective(title="P"))
    a = repo.save(MicroGoal(objective_id=o.id, action="Call Ana", deadline="2026-11-20"))
    repo.save(MicroGoal(objective_id=o.id, action="Call Ana again", deadline="2026-11-01",
                        status="done"))
    repo.save(MicroGoal(objective_id=o.id, action="Call Bo", deadline="2026-11-21"))
    assert svc.find_goal(repo, "ana").id == a.id  # the open one wins
    assert svc.find_goal(repo, a.id[:6]).id == a.id
    with pytest.raises(ValidationError, match="several"):
        svc.find_goal(repo, "call")
    with pytest.raises(ValidationError, match="no micro-goal"):
        svc.find_goal(repo, "dentist")


def test_goals_view_groups_filters_and_counts(repo):
    p = repo.save(Objective(title="P"))
    q = repo.save(Objective(title="Q"))
    repo.save(MicroGoal(objective_id=p.id, action="late", deadline="2026-11-17"))
    repo.save(MicroGoal(objective_id=p.id, action="soon", deadline="2026-11-20"))
    repo.save(MicroGoal(objective_id=p.id, action="won", deadline="2026-11-10", status="done",
                        completed_at="2026-11-10T10:00:00+00:00"))
    repo.save(MicroGoal(objective_id=q.id, action="gone", deadline="2026-11-10",
                        status="dropped"))
    view = svc.build_goals(repo, WED, "open")
    assert [(x.title, x.done, x.total, [r.goal.action for r in x.rows]) for x in view.groups] \
        == [("P", 1, 3, ["late", "soon"])]
    assert view.counts == {"open": 2, "done": 1, "dropped": 1, "late": 1}
    assert [r.goal.action for r in svc.build_goals(repo, WED, "all").rows] == [
        "late", "soon", "won", "gone"]
    assert [r.goal.action for r in svc.build_goals(repo, WED, "dropped").rows] == ["gone"]
    assert [r.goal.action for r in svc.due_goals(repo, WED)] == ["late"]


def test_review_lists_done_goals_mastered_skills_stale_goals_and_keeps_one_note(repo):
    o = repo.save(Objective(title="P"))
    repo.save(MicroGoal(objective_id=o.id, action="won", deadline="2026-11-10", status="done",
                        completed_at="2026-11-10T10:00:00+00:00", insight="it worked"))
    repo.save(MicroGoal(objective_id=o.id, action="forgotten", deadline="2026-10-20"))
    skill = repo.save(MicroSkill(
        objective_id=o.id, title="Pause", frequency_target=5,
        metric=Metric(name="fillers", direction="lower", target=3),
    ))
    # weeks of Mon 26 Oct and Mon 2 Nov: 5 days done, values at target two weeks running
    # → mastered at the end of the second, Sun 8 Nov
    for i in [*range(5), *range(7, 12)]:
        day = D(2026, 10, 26) + dt.timedelta(days=i)
        repo.save(CheckIn(skill_id=skill.id, date=day.isoformat(), value=2.0))
    marked = repo.save(MicroSkill(objective_id=o.id, title="Smile", status="mastered",
                                  mastered_on="2026-09-30"))
    nov = Period("month", 2026, 11)
    view = svc.build_review(repo, nov, WED)
    assert [x.action for x, _ in view.rollup.done] == ["won"]
    assert [(m.skill.title, m.day) for m in view.rollup.mastered] == [("Pause", D(2026, 11, 8))]
    assert [r.goal.action for r in view.stale] == ["forgotten"]
    q3 = svc.build_review(repo, Period("quarter", 2026, 3), WED)
    assert [m.skill.id for m in q3.rollup.mastered] == [marked.id]
    assert view.note is None
    first = svc.save_note(repo, nov, "good month")
    again = svc.save_note(repo, nov, "a very good month")
    assert first.id == again.id
    assert svc.build_review(repo, nov, WED).note.note == "a very good month"
    assert svc.build_review(repo, Period("quarter", 2026, 4), WED).note is None


def test_this_weeks_practice_does_not_count_as_mastered_before_the_week_ends(repo):
    o = repo.save(Objective(title="P"))
    skill = repo.save(MicroSkill(objective_id=o.id, title="Pause", frequency_target=1))
    repo.save(CheckIn(skill_id=skill.id, date=(WED - dt.timedelta(weeks=1)).isoformat()))
    repo.save(CheckIn(skill_id=skill.id, date=WED.isoformat()))
    # no metric: its days met two weeks running, the second not over yet
    assert svc.mastered_skills(repo, WED) == []
    assert [m.day for m in svc.mastered_skills(repo, D(2026, 11, 23))] == [D(2026, 11, 22)]
