"""Pure rules: weeks, stacking plans, active skills, streaks, weekly progress."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain.dates import week_days, week_start, weeks_between
from micro_journal.domain.models import CheckIn, MicroSkill, Plan, PlanWeek
from micro_journal.domain.rules import (
    MONDAY,
    SUNDAY,
    day_states,
    plan_position,
    streaks,
    week_marks,
    week_progress,
    weekly_measurement,
)
from micro_journal.domain.rules import active_skills as _active_skills

D = dt.date
DAY = dt.timedelta(days=1)


def days(start: dt.date, n: int) -> list[dt.date]:
    return [start + i * DAY for i in range(n)]


# ---------------------------------------------------------------- weeks


def test_iso_week_53_with_monday_weeks():
    # 2026 starts on a Thursday, so it has an ISO week 53: Mon 2026-12-28 .. Sun 2027-01-03
    assert D(2026, 12, 28).isocalendar()[:2] == (2026, 53)
    assert D(2027, 1, 3).isocalendar()[:2] == (2026, 53)
    for day in days(D(2026, 12, 28), 7):
        assert week_start(day) == D(2026, 12, 28)
        assert week_days(day) == days(D(2026, 12, 28), 7)
    assert week_start(D(2027, 1, 4)) == D(2027, 1, 4)
    assert week_start(D(2026, 12, 27)) == D(2026, 12, 21)


def test_sunday_weeks_across_the_year_end():
    # Sun 2026-12-27 .. Sat 2027-01-02
    for day in days(D(2026, 12, 27), 7):
        assert week_start(day, SUNDAY) == D(2026, 12, 27)
        assert week_days(day, SUNDAY) == days(D(2026, 12, 27), 7)
    assert week_start(D(2027, 1, 3), SUNDAY) == D(2027, 1, 3)
    assert week_days(D(2027, 1, 1), SUNDAY)[0].weekday() == SUNDAY
    assert week_days(D(2027, 1, 1), SUNDAY)[-1] == D(2027, 1, 2)


def test_weeks_between_across_the_year_end():
    assert weeks_between(D(2026, 12, 21), D(2027, 1, 4)) == 2
    assert weeks_between(D(2026, 12, 24), D(2027, 1, 3)) == 1  # both inside their weeks
    assert weeks_between(D(2026, 12, 27), D(2027, 1, 2), SUNDAY) == 0
    assert weeks_between(D(2026, 12, 27), D(2027, 1, 3), SUNDAY) == 1
    # the same two dates are one week apart with Monday weeks (Sunday ends a week)
    assert weeks_between(D(2026, 12, 27), D(2027, 1, 2), MONDAY) == 1
    assert weeks_between(D(2027, 1, 4), D(2026, 12, 28)) == -1


def test_weeks_between_a_leap_day():
    assert weeks_between(D(2028, 2, 28), D(2028, 3, 6)) == 1
    assert week_days(D(2028, 2, 29))[1] == D(2028, 2, 29)


@given(
    day=st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)),
    first=st.sampled_from([MONDAY, SUNDAY]),
    k=st.integers(-300, 300),
)
def test_week_invariants(day, first, k):
    start = week_start(day, first)
    assert start.weekday() == first
    assert 0 <= (day - start).days <= 6
    week = week_days(day, first)
    assert day in week
    assert week == days(start, 7)
    assert weeks_between(day, day + 7 * k * DAY, first) == k
    assert weeks_between(start, start + 6 * DAY, first) == 0


# ---------------------------------------------------------------- stacking


def make_plan(weeks, start="2026-11-02", **kw) -> Plan:
    return Plan(objective_id=kw.pop("objective_id", "obj"), start_week=start, weeks=weeks, **kw)


def w(skill_id):
    return PlanWeek(skill_id=skill_id)


HOLD = PlanWeek(skill_id=None, hold=True)


@pytest.fixture
def abhc() -> Plan:
    # Mon 2026-11-02: week 1 A, week 2 B, week 3 hold, week 4 C
    return make_plan([w("A"), w("B"), HOLD, w("C")])


def test_no_position_before_the_plan_starts(abhc):
    assert plan_position(abhc, D(2026, 11, 1)) is None
    assert plan_position(abhc, D(2025, 1, 1)) is None


@pytest.mark.parametrize(
    ("day", "number", "focus", "active", "label"),
    [
        (D(2026, 11, 2), 1, "A", ("A",), "week 1 of 4"),
        (D(2026, 11, 8), 1, "A", ("A",), "week 1 of 4"),
        (D(2026, 11, 9), 2, "B", ("A", "B"), "week 2 of 4"),
        (D(2026, 11, 16), 3, "B", ("A", "B"), "week 3 of 4 (held)"),
        (D(2026, 11, 22), 3, "B", ("A", "B"), "week 3 of 4 (held)"),
        (D(2026, 11, 23), 4, "C", ("A", "B", "C"), "week 4 of 4"),
        (D(2026, 11, 30), 5, "C", ("A", "B", "C"), "week 5 · next skill not planned"),
        (D(2027, 6, 1), None, "C", ("A", "B", "C"), "week 31 · next skill not planned"),
    ],
)
def test_stacking_through_a_plan_with_a_hold(abhc, day, number, focus, active, label):
    pos = plan_position(abhc, day)
    assert pos is not None
    if number is not None:
        assert pos.number == number
    assert pos.focus_id == focus
    assert pos.active_ids == active
    assert pos.label() == label
    assert pos.total == 4


def test_a_held_week_is_reported_as_held_and_others_are_not(abhc):
    holds = [plan_position(abhc, D(2026, 11, 2) + 7 * i * DAY).is_hold for i in range(6)]
    assert holds == [False, False, True, False, False, False]
    assert plan_position(abhc, D(2026, 12, 30)).finished


def test_a_plan_that_opens_with_a_hold_has_nothing_active_yet():
    pos = plan_position(make_plan([HOLD, w("A")]), D(2026, 11, 3))
    assert pos.focus_id is None
    assert pos.active_ids == ()
    assert plan_position(make_plan([HOLD, w("A")]), D(2026, 11, 10)).active_ids == ("A",)


def test_a_skill_listed_twice_is_active_once():
    pos = plan_position(make_plan([w("A"), w("B"), w("A")]), D(2026, 11, 16))
    assert pos.active_ids == ("A", "B")


def test_an_empty_plan_has_no_position():
    assert plan_position(make_plan([]), D(2026, 11, 10)) is None


def test_plan_weeks_follow_sunday_weeks():
    plan = make_plan([w("A"), w("B")], start="2026-11-01")  # a Sunday
    assert plan_position(plan, D(2026, 11, 7), SUNDAY).active_ids == ("A",)
    assert plan_position(plan, D(2026, 11, 8), SUNDAY).active_ids == ("A", "B")


def test_a_plan_across_the_year_end_and_week_53():
    plan = make_plan([w("A"), w("B"), w("C")], start="2026-12-21")
    assert plan_position(plan, D(2026, 12, 27)).focus_id == "A"
    assert plan_position(plan, D(2026, 12, 28)).focus_id == "B"  # ISO week 53
    assert plan_position(plan, D(2027, 1, 3)).focus_id == "B"
    assert plan_position(plan, D(2027, 1, 4)).focus_id == "C"


def test_an_ended_plan_stops_on_the_day_it_ended():
    plan = make_plan([w("A"), w("B"), w("C")], status="ended", ended_on="2026-11-11")
    assert plan_position(plan, D(2026, 11, 10)).active_ids == ("A", "B")
    assert plan_position(plan, D(2026, 11, 11)) is None
    assert plan_position(plan, D(2027, 1, 1)) is None


def test_an_ended_plan_without_an_end_date_is_not_running():
    plan = make_plan([w("A")], status="ended")
    assert plan_position(plan, D(2026, 11, 4)) is None


# ---------------------------------------------------------------- active skills


def skill(sid, objective="obj", status="active", created="2026-01-01T00:00:00+00:00"):
    return MicroSkill(id=sid, objective_id=objective, title=sid, status=status,
                      created_at=created)


def active_skills(day, skills, plans, first_weekday=MONDAY):
    return {
        f.objective_id: (f.focus_id, f.stacked_ids)
        for f in _active_skills(day, skills, plans, first_weekday)
    }


def test_a_plan_gives_the_focus_and_the_stack_newest_first(abhc):
    skills = [skill("A"), skill("B"), skill("C")]
    assert active_skills(D(2026, 11, 24), skills, [abhc]) == {"obj": ("C", ("B", "A"))}
    assert active_skills(D(2026, 11, 17), skills, [abhc]) == {"obj": ("B", ("A",))}


def test_plans_may_be_given_as_a_generator(abhc):
    skills = [skill("A"), skill("B"), skill("C"), skill("X", created="2026-02-01")]
    for day in (D(2026, 10, 30), D(2026, 11, 24)):  # before the plan starts, and during it
        as_list = active_skills(day, skills, [abhc])
        assert active_skills(day, skills, (p for p in [abhc])) == as_list
    # before the plan starts its active skills still count (X is the newest)
    assert active_skills(D(2026, 10, 30), skills, iter([abhc])) == {"obj": ("X", ("C", "B", "A"))}


def test_archived_skills_drop_out_of_the_stack(abhc):
    skills = [skill("A", status="archived"), skill("B"), skill("C")]
    assert active_skills(D(2026, 11, 24), skills, [abhc]) == {"obj": ("C", ("B",))}


def test_without_a_plan_the_newest_active_skill_is_the_focus():
    skills = [
        skill("new", created="2026-03-01T00:00:00+00:00"),
        skill("old", created="2026-01-01T00:00:00+00:00"),
        skill("mid", created="2026-02-01T00:00:00+00:00"),
        skill("planned", status="planned", created="2026-04-01T00:00:00+00:00"),
        skill("gone", status="archived", created="2026-05-01T00:00:00+00:00"),
        skill("done", status="mastered", created="2026-06-01T00:00:00+00:00"),
    ]
    assert active_skills(D(2026, 11, 18), skills, []) == {"obj": ("new", ("mid", "old"))}


def test_no_skills_means_nothing_active():
    assert active_skills(D(2026, 11, 18), [], []) == {}
    assert active_skills(D(2026, 11, 18), [skill("p", status="planned")], []) == {}


def test_each_objective_gets_its_own_focus_in_the_order_given(abhc):
    skills = [skill("solo", objective="other"), skill("A"), skill("B"), skill("C")]
    result = _active_skills(D(2026, 11, 10), skills, [abhc])
    assert [(f.objective_id, f.focus_id, f.stacked_ids) for f in result] == [
        ("other", "solo", ()),
        ("obj", "B", ("A",)),
    ]
    assert result[1].position.number == 2
    assert result[0].position is None


def test_skills_of_later_plan_weeks_are_not_active_before_their_week(abhc):
    skills = [skill("A"), skill("B", status="planned"), skill("C", status="planned")]
    # before the plan starts, planned skills wait for their weeks (an active one is
    # still practised on its own); once it runs, the plan decides
    assert active_skills(D(2026, 10, 30), skills, [abhc]) == {"obj": ("A", ())}
    assert active_skills(D(2026, 11, 3), skills, [abhc]) == {"obj": ("A", ())}
    waiting = [skill("A", status="planned"), *skills[1:]]
    assert active_skills(D(2026, 10, 30), waiting, [abhc]) == {}


def test_after_a_plan_ended_its_active_skills_stand_on_their_own():
    plan = make_plan([w("A"), w("B")], status="ended", ended_on="2026-11-10")
    skills = [skill("A", created="2026-01-01"), skill("B", created="2026-01-02")]
    assert active_skills(D(2026, 11, 20), skills, [plan]) == {"obj": ("B", ("A",))}


def test_the_first_running_plan_of_an_objective_wins():
    first = make_plan([w("A")])
    second = make_plan([w("B")])
    skills = [skill("A"), skill("B")]
    assert active_skills(D(2026, 11, 4), skills, [first, second]) == {"obj": ("A", ())}


# ---------------------------------------------------------------- streaks

TODAY = D(2026, 11, 18)  # a Wednesday


def states(**by_offset: str) -> dict[dt.date, str]:
    """``states(d0="done", d1="skipped")``: offsets in days before TODAY."""
    return {TODAY - int(k[1:]) * DAY: v for k, v in by_offset.items()}


def run_of(n: int, end: dt.date, state: str = "done") -> dict[dt.date, str]:
    return {end - i * DAY: state for i in range(n)}


def cb(result) -> tuple[int, int]:
    return (result.current, result.best)


def test_no_check_ins_no_streak():
    assert cb(streaks({}, TODAY)) == (0, 0)
    assert cb(streaks({TODAY + DAY: "done"}, TODAY)) == (0, 0)


def test_an_unchecked_today_breaks_nothing():
    result = streaks(run_of(5, TODAY - DAY), TODAY)
    assert (result.current, result.best) == (5, 5)


def test_checking_in_today_extends_the_streak():
    data = run_of(5, TODAY - DAY) | {TODAY: "done"}
    assert cb(streaks(data, TODAY)) == (6, 6)


def test_a_missed_yesterday_ends_the_current_streak_but_not_the_best():
    data = run_of(5, TODAY - 2 * DAY)
    result = streaks(data, TODAY)
    assert (result.current, result.best) == (0, 5)


def test_skipped_days_never_break_and_are_not_counted():
    data = states(d6="done", d5="skipped", d4="skipped", d3="done", d2="skipped", d1="done")
    assert cb(streaks(data, TODAY)) == (3, 3)


def test_best_is_the_longest_run_and_current_the_latest():
    data = run_of(10, D(2026, 10, 20)) | run_of(3, TODAY)
    result = streaks(data, TODAY)
    assert (result.current, result.best) == (3, 10)


def test_future_check_ins_are_ignored():
    data = run_of(3, TODAY) | run_of(5, TODAY + 10 * DAY)
    assert cb(streaks(data, TODAY)) == (3, 3)


def test_five_of_seven_allows_two_misses_per_week():
    # Mon 11-09 .. Sun 11-15: done except Tue and Thu
    week = {d: "done" for d in days(D(2026, 11, 9), 7)}
    week.pop(D(2026, 11, 10))
    week.pop(D(2026, 11, 12))
    assert cb(streaks(week, D(2026, 11, 15), frequency_target=5)) == (5, 5)
    # the same week with a 7-of-7 target: only the run after the last miss counts
    assert cb(streaks(week, D(2026, 11, 15), frequency_target=7)) == (3, 3)


def test_a_third_miss_in_a_five_of_seven_week_breaks():
    week = {d: "done" for d in days(D(2026, 11, 9), 7)}
    for gone in (D(2026, 11, 10), D(2026, 11, 12), D(2026, 11, 13)):
        week.pop(gone)
    result = streaks(week, D(2026, 11, 15), frequency_target=5)
    assert (result.current, result.best) == (2, 2)


def test_the_allowance_starts_fresh_each_user_week():
    # misses on Sat 11-14, Sun 11-15, Mon 11-16, Tue 11-17; done around them
    data = {d: "done" for d in days(D(2026, 11, 9), 5)} | {TODAY: "done"}
    # Monday weeks: two misses in each week, allowed with 5 of 7
    assert cb(streaks(data, TODAY, frequency_target=5, first_weekday=MONDAY)) == (6, 6)
    # Sunday weeks: Sat in one week, then Sun+Mon+Tue = three misses in the next: broken
    assert cb(streaks(data, TODAY, frequency_target=5, first_weekday=SUNDAY)) == (1, 5)


def test_skips_do_not_use_up_the_allowance():
    data = run_of(7, TODAY, "skipped") | {TODAY - 7 * DAY: "done", TODAY: "done"}
    assert cb(streaks(data, TODAY, frequency_target=7)) == (2, 2)


def test_one_of_seven_tolerates_six_misses_a_week():
    data = {D(2026, 11, 2): "done", D(2026, 11, 9): "done", D(2026, 11, 16): "done"}
    assert cb(streaks(data, TODAY, frequency_target=1)) == (3, 3)
    # a target of 0 or more than 7 is clamped to 1..7
    assert cb(streaks(data, TODAY, frequency_target=0)) == (3, 3)
    assert cb(streaks(data, TODAY, frequency_target=9)) == (0, 1)  # Tuesday missed


def test_a_streak_across_the_year_end_and_week_53():
    data = run_of(20, D(2027, 1, 5))
    assert cb(streaks(data, D(2027, 1, 6))) == (20, 20)


def test_day_states_from_check_ins():
    checkins = [CheckIn(skill_id="s", date="2026-11-17", status="done"),
                CheckIn(skill_id="s", date="2026-11-18", status="skipped")]
    assert day_states(checkins) == {D(2026, 11, 17): "done", D(2026, 11, 18): "skipped"}


state_maps = st.dictionaries(
    st.dates(min_value=D(2026, 10, 1), max_value=D(2026, 12, 31)),
    st.sampled_from(["done", "skipped"]),
    max_size=60,
)


@given(data=state_maps, target=st.integers(1, 7), first=st.sampled_from([MONDAY, SUNDAY]))
def test_streak_invariants(data, target, first):
    today = D(2026, 12, 15)
    result = streaks(data, today, target, first)
    done_days = sum(1 for d, s in data.items() if s == "done" and d <= today)
    assert 0 <= result.current <= result.best <= done_days
    # checking in today never lowers the current streak
    with_today = streaks({**data, today: "done"}, today, target, first)
    assert with_today.current >= result.current
    assert with_today.best >= result.best


@given(data=state_maps, target=st.integers(1, 7), day=st.dates(D(2026, 10, 1), D(2026, 12, 15)))
def test_turning_a_missed_day_into_a_skip_or_done_never_hurts(data, target, day):
    today = D(2026, 12, 15)
    if day in data or not data or day < min(data):
        return  # counting starts at the first check-in
    before = streaks(data, today, target)
    for state in ("skipped", "done"):
        after = streaks({**data, day: state}, today, target)
        assert after.current >= before.current
        assert after.best >= before.best


@given(n=st.integers(1, 400), target=st.integers(1, 7))
def test_every_day_done_means_the_streak_is_every_day(n, target):
    assert cb(streaks(run_of(n, TODAY), TODAY, target)) == (n, n)


# ---------------------------------------------------------------- week progress and marks


def test_week_progress_midweek():
    data = {D(2026, 11, 16): "done", D(2026, 11, 17): "skipped"}
    progress = week_progress(data, TODAY, frequency_target=5)
    assert (progress.done, progress.skipped, progress.missed) == (1, 1, 0)
    assert progress.remaining_days == 5  # today (unchecked) .. Sunday
    assert progress.label() == "1/5"
    assert not progress.met


def test_week_progress_today_checked_is_not_remaining():
    data = {D(2026, 11, 16): "done", D(2026, 11, 17): "done", TODAY: "done"}
    progress = week_progress(data, TODAY, frequency_target=3)
    assert progress.remaining_days == 4
    assert progress.met


def test_week_progress_counts_the_days_missed_so_far():
    progress = week_progress({TODAY: "done"}, TODAY, frequency_target=7)
    assert progress.missed == 2
    assert progress.label() == "1/7"


def test_week_progress_with_sunday_weeks_and_future_check_ins_ignored_as_done():
    data = {D(2026, 11, 15): "done", D(2026, 11, 20): "done"}  # Sun, and a future Friday
    progress = week_progress(data, TODAY, frequency_target=2, first_weekday=SUNDAY)
    assert progress.done == 1
    assert progress.missed == 2  # Mon, Tue
    assert progress.remaining_days == 4  # Wed (today) .. Sat


def test_week_marks_show_each_day():
    data = {D(2026, 11, 16): "done", D(2026, 11, 17): "skipped"}
    marks = week_marks(data, TODAY, TODAY)
    assert [m for _, m in marks] == [
        "done", "skipped", "today", "future", "future", "future", "future",
    ]
    assert [d for d, _ in marks] == days(D(2026, 11, 16), 7)


def test_week_marks_before_since_are_blank_and_a_past_week_shows_misses():
    marks = week_marks({D(2026, 11, 12): "done"}, D(2026, 11, 10), TODAY, since=D(2026, 11, 11))
    assert [m for _, m in marks] == ["none", "none", "missed", "done", "missed", "missed",
                                     "missed"]


def test_week_marks_sunday_weeks_in_week_53():
    marks = week_marks({}, D(2027, 1, 1), D(2027, 1, 1), first_weekday=SUNDAY)
    assert marks[0] == (D(2026, 12, 27), "missed")
    assert marks[5] == (D(2027, 1, 1), "today")
    assert marks[6] == (D(2027, 1, 2), "future")


def test_weekly_measurement_is_the_mean_of_the_week():
    checkins = [
        CheckIn(skill_id="s", date="2026-11-15", value=100),  # the Sunday before
        CheckIn(skill_id="s", date="2026-11-16", value=3),
        CheckIn(skill_id="s", date="2026-11-17", value=0),  # zero is a value
        CheckIn(skill_id="s", date="2026-11-18", value=None),
        CheckIn(skill_id="s", date="2026-11-22", value=4),  # the Sunday
        CheckIn(skill_id="s", date="2026-11-23", value=100),  # next Monday
    ]
    assert weekly_measurement(checkins, D(2026, 11, 16)) == pytest.approx(7 / 3, abs=0.005)
    assert weekly_measurement(checkins, D(2026, 11, 30)) is None
    assert weekly_measurement([], D(2026, 11, 16)) is None


def test_a_plan_starting_next_week_does_not_hide_an_active_skill_today():
    from micro_journal.domain.models import MicroSkill, Plan, PlanWeek
    from micro_journal.domain.rules import active_skills

    day = dt.date(2026, 11, 18)
    skill = MicroSkill(objective_id="o", title="Outline first", status="active")
    later = Plan(objective_id="o", start_week="2026-11-23", weeks=[PlanWeek(skill_id=skill.id)])
    [focus] = active_skills(day, [skill], [later])
    assert focus.focus_id == skill.id and focus.position is None
    [running] = active_skills(dt.date(2026, 11, 24), [skill], [later])
    assert running.focus_id == skill.id and running.position is not None


def test_past_its_last_week_a_plan_goes_on_and_says_the_next_skill_is_not_planned():
    plan = make_plan([w("A")])  # from Mon 2026-11-02
    assert plan_position(plan, D(2026, 11, 20)).label() == "week 3 · next skill not planned"
