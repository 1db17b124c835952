"""The Progress screen's aggregates (domain/progress.py): empty journal, one day, gaps,
skips, a leap day, a plan across a year end, and metric direction."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain import progress as P
from micro_journal.domain.goals import Mastered, Period
from micro_journal.domain.models import CheckIn, Metric, MicroGoal, MicroSkill
from micro_journal.domain.rules import SUNDAY

D = dt.date
WED = D(2026, 11, 18)  # a Wednesday


def ci(day: D, status: str = "done", minutes: int | None = 5, value: float | None = None,
       skill: str = "s1") -> CheckIn:
    return CheckIn(skill_id=skill, date=day.isoformat(), status=status,
                   minutes=minutes if status == "done" else None, value=value)


def days(start: D, n: int) -> list[D]:
    return [start + dt.timedelta(days=i) for i in range(n)]


LOWER = Metric(name="fillers", unit="fillers", direction="lower", baseline=14, target=3)
HIGHER = Metric(name="seconds", unit="s", direction="higher", baseline=1, target=5)


# ---------------------------------------------------------------- the empty journal


def test_empty_journal_has_nothing_to_show_and_never_fails():
    index = P.day_index([])
    assert index.first is None and index.last is None
    assert P.totals(index, WED) == P.Totals(0, 0, 0, None)
    series = P.weekly_series(index.values, P.week_starts(WED, 4))
    assert [p.value for p in series] == [None] * 4
    assert P.week_over_week(series, LOWER) is None
    assert P.plateau_of(series, LOWER) is None
    heat = P.heatmap(index, WED)
    assert len(heat.columns) == P.HEATMAP_WEEKS
    counts = heat.counts()
    assert counts["done"] == counts["missed"] == counts["skipped"] == 0
    assert all(c.ratio is None for c in P.monthly_consistency(index, WED))
    assert all(c.ratio is None for c in P.weekly_consistency(index, WED))
    bars = P.minutes_per_day(index, WED - dt.timedelta(days=6), WED, WED)
    assert [b.minutes for b in bars] == [0] * 7
    assert {b.mark for b in bars} == {"none", "future"}
    a = P.achievements(Period.containing(WED, "month"), [], [], [], WED)
    assert a.empty and a.minutes == a.days == a.best_streak == 0


# ---------------------------------------------------------------- one day


def test_one_day_done_today():
    index = P.day_index([ci(WED, minutes=7, value=9)])
    assert index.first == index.last == WED
    assert P.totals(index, WED) == P.Totals(7, 1, 0, WED)
    assert P.totals(index, WED).average == 7
    series = P.weekly_series(index.values, P.week_starts(WED, 2))
    assert series[-1] == P.WeekPoint(D(2026, 11, 16), 9.0, "check-ins", 1)
    assert series[0].value is None
    week = P.weekly_consistency(index, WED, target=7)[-1]
    assert (week.done, week.expected, week.ratio) == (1, 1.0, 1.0)
    heat = P.heatmap(index, WED)
    assert heat.columns[-1][2] == P.HeatCell(WED, "done", 1.0)
    # days before the first check-in are not tracked, never "missed"
    assert heat.columns[-1][1].mark == "none"
    assert heat.counts()["missed"] == 0


def test_today_unchecked_is_open_not_missed():
    index = P.day_index([ci(WED - dt.timedelta(days=1))])
    assert P.mark(index.states, WED, WED, index.first) == "future"
    week = P.consistency(index, D(2026, 11, 16), D(2026, 11, 22), WED)
    assert week.done == 1 and week.expected == 1.0  # Tuesday only: today is still open


# ---------------------------------------------------------------- gaps and skips


def test_gaps_are_missed_and_lower_consistency():
    start = D(2026, 11, 2)  # a Monday
    checkins = [ci(d) for d in days(start, 7) if d.weekday() not in (2, 3)]  # no Wed, Thu
    index = P.day_index(checkins)
    marks = [P.mark(index.states, d, WED, index.first) for d in days(start, 7)]
    assert marks == ["done", "done", "missed", "missed", "done", "done", "done"]
    week = P.consistency(index, start, start + dt.timedelta(days=6), WED, target=7)
    assert week.done == 5 and week.percent == 71
    # with a 5-of-7 target the same week is fully consistent
    assert P.consistency(index, start, start + dt.timedelta(days=6), WED, target=5).ratio == 1.0


def test_skips_are_rest_days_excused_from_consistency_and_shown_apart():
    start = D(2026, 11, 2)
    checkins = [ci(d) for d in days(start, 5)] + [ci(d, "skipped") for d in days(
        start + dt.timedelta(days=5), 2)]
    index = P.day_index(checkins)
    week = P.consistency(index, start, start + dt.timedelta(days=6), WED, target=7)
    assert week.done == 5 and week.expected == 5.0 and week.ratio == 1.0
    totals = P.totals(index, WED)
    assert (totals.days, totals.rest_days, totals.minutes) == (5, 2, 25)
    bars = P.minutes_per_day(index, start, start + dt.timedelta(days=6), WED)
    assert [b.mark for b in bars] == ["done"] * 5 + ["skipped"] * 2
    assert [b.minutes for b in bars] == [5] * 5 + [0, 0]


def test_a_skill_no_longer_practised_is_not_missed_after_its_last_day():
    start = D(2026, 10, 5)
    index = P.day_index([ci(d) for d in days(start, 3)])
    last = start + dt.timedelta(days=2)
    assert P.mark(index.states, last + dt.timedelta(days=3), WED, index.first, last) == "none"
    assert P.mark(index.states, last + dt.timedelta(days=3), WED, index.first) == "missed"


def test_longest_run_rest_days_neither_count_nor_break():
    states = {D(2026, 1, 1): "done", D(2026, 1, 2): "skipped", D(2026, 1, 3): "done",
              D(2026, 1, 5): "done"}
    assert P.longest_run(states, D(2026, 1, 1), D(2026, 1, 31)) == 2
    assert P.longest_run(states, D(2026, 1, 3), D(2026, 1, 3)) == 1


# ---------------------------------------------------------------- a leap day


def test_leap_day_is_a_day_like_any_other():
    feb = days(D(2028, 2, 27), 4)  # 27, 28, 29 Feb, 1 Mar 2028
    index = P.day_index([ci(d, minutes=10) for d in feb])
    assert D(2028, 2, 29) in index.states
    month = P.consistency(index, D(2028, 2, 1), D(2028, 2, 29), D(2028, 3, 5))
    assert month.done == 3
    months = P.monthly_consistency(index, D(2028, 3, 5), count=2)
    assert [(m.start, m.end) for m in months] == [
        (D(2028, 2, 1), D(2028, 2, 29)), (D(2028, 3, 1), D(2028, 3, 31))]
    heat = P.heatmap(index, D(2028, 3, 5))
    cells = {c.day: c.mark for col in heat.columns for c in col}
    assert cells[D(2028, 2, 29)] == "done"
    assert (D(2028, 3, 5) - heat.weeks[0]).days < 371
    a = P.achievements(Period.containing(D(2028, 2, 29), "month"),
                       [ci(d, minutes=10) for d in feb], today=D(2028, 3, 5))
    assert (a.days, a.minutes, a.best_streak) == (3, 30, 3)


# ---------------------------------------------------------------- across a year end


def test_series_weeks_and_periods_across_a_year_end():
    today = D(2027, 1, 6)  # a Wednesday
    starts = P.week_starts(today, 3)
    assert starts == [D(2026, 12, 21), D(2026, 12, 28), D(2027, 1, 4)]
    values = {D(2026, 12, 29): 8.0, D(2027, 1, 1): 6.0, D(2027, 1, 4): 5.0}
    series = P.weekly_series(values, starts, reviewed={D(2026, 12, 21): 10.0})
    assert [(p.value, p.source) for p in series] == [
        (10.0, "review"), (7.0, "check-ins"), (5.0, "check-ins")]
    wc = P.week_over_week(series, LOWER)
    assert wc is not None and wc.change.verdict == "better" and wc.change.delta == -2.0
    week = P.WeekPeriod.containing(D(2027, 1, 1))
    assert week.start == D(2026, 12, 28) and week.key == "2026-W53"
    assert "2026" in week.label and "2027" in week.label
    assert week.shift(1).start == D(2027, 1, 4)
    q = P.period_containing(D(2026, 12, 31), "quarter")
    assert q.shift(1).key == "2027-Q1"
    assert P.as_kind(week.shift(1), "month", today).key == "2027-01"  # holds today
    assert P.as_kind(week, "month", today).key == "2026-12"  # its first day
    assert P.as_kind(P.WeekPeriod(D(2026, 11, 30)), "month", today).key == "2026-11"


def test_heatmap_month_labels_cross_the_year():
    index = P.day_index([ci(D(2026, 1, 1))])
    heat = P.heatmap(index, D(2026, 1, 7))
    labels = [label for _, label in heat.months]
    assert labels[-1] == "Jan" and "Dec" in labels
    cols = [c for c, _ in heat.months]
    assert cols == sorted(cols)


def test_heatmap_week_order_follows_the_first_weekday():
    index = P.day_index([ci(WED)])
    heat = P.heatmap(index, WED, first_weekday=SUNDAY)
    assert heat.weeks[-1] == D(2026, 11, 15)
    assert [c.day.weekday() for c in heat.columns[-1]] == [6, 0, 1, 2, 3, 4, 5]


# ---------------------------------------------------------------- metric direction


def test_direction_decides_better_change_and_progress():
    assert P.progress_ratio(LOWER, 14) == 0.0
    assert P.progress_ratio(LOWER, 3) == 1.0
    assert P.progress_ratio(LOWER, 8.5) == pytest.approx(0.5)
    assert P.progress_ratio(HIGHER, 5) == 1.0 and P.progress_ratio(HIGHER, 1) == 0.0
    assert P.progress_ratio(LOWER, 16) < 0  # worse than the baseline
    assert P.progress_ratio(Metric(name="x"), 3) is None
    starts = P.week_starts(WED, 2)
    series = P.weekly_series({starts[0]: 6.0, starts[1]: 4.0}, starts)
    assert P.week_over_week(series, LOWER).change.verdict == "better"
    assert P.week_over_week(series, HIGHER).change.verdict == "worse"


def test_plateau_uses_the_review_rule():
    starts = P.week_starts(WED, 4)
    flat = P.weekly_series(dict(zip(starts, [9.0, 5.0, 5.0, 5.1], strict=True)), starts)
    assert P.plateau_of(flat, LOWER) is not None
    falling = P.weekly_series(dict(zip(starts, [9.0, 7.0, 6.0, 5.0], strict=True)), starts)
    assert P.plateau_of(falling, LOWER) is None
    at_target = P.weekly_series(dict(zip(starts, [3.0, 3.0, 3.0, 3.0], strict=True)), starts)
    assert P.plateau_of(at_target, LOWER) is None


def test_week_over_week_needs_consecutive_weeks():
    starts = P.week_starts(WED, 3)
    series = P.weekly_series({starts[0]: 6.0, starts[2]: 4.0}, starts)
    assert P.week_over_week(series, LOWER) is None


# ---------------------------------------------------------------- objectives


def test_combine_an_objective():
    a = P.day_index([ci(WED, minutes=5, skill="a"), ci(WED - dt.timedelta(days=1), "skipped",
                                                      skill="a")])
    b = P.day_index([ci(WED, "skipped", skill="b"), ci(WED - dt.timedelta(days=1), minutes=3,
                                                      skill="b")])
    both = P.combine([a, b])
    assert both.states[WED] == "done" and both.level[WED] == 0.5
    assert both.minutes == {WED: 5, WED - dt.timedelta(days=1): 3}
    assert P.combine([a]).level[WED] == 1.0
    c = P.day_index([ci(WED - dt.timedelta(days=2), "skipped", skill="c")])
    assert P.combine([c]).states == {WED - dt.timedelta(days=2): "skipped"}


# ---------------------------------------------------------------- achievements


def test_achievements_by_week_month_and_quarter():
    start = D(2026, 11, 2)
    checkins = [ci(d, minutes=5) for d in days(start, 10)] + [
        ci(d, minutes=3, skill="s2") for d in days(start, 3)]
    skill = MicroSkill(objective_id="o", title="Um")
    goal = MicroGoal(objective_id="o", action="Talk", deadline="2026-11-05", status="done",
                     completed_at="2026-11-05T12:00:00+00:00")
    open_goal = MicroGoal(objective_id="o", action="Later", deadline="2026-11-30")
    mastered = [Mastered(skill, D(2026, 11, 8))]
    week = P.achievements(P.WeekPeriod.containing(start), checkins, [goal, open_goal],
                          mastered, WED)
    assert (week.days, week.checkins, week.minutes) == (7, 10, 44)
    assert week.skills_practised == 2 and week.best_streak == 7
    assert [g.action for g, _ in week.goals_done] == ["Talk"]
    assert [m.skill.title for m in week.mastered] == ["Um"]
    month = P.achievements(Period.containing(start, "month"), checkins, [goal], mastered, WED)
    assert (month.days, month.minutes, month.best_streak) == (10, 59, 10)
    quarter = P.achievements(Period.containing(start, "quarter"), checkins, [goal], mastered,
                             WED)
    assert quarter.minutes == month.minutes and not quarter.empty
    later = P.achievements(P.WeekPeriod.containing(D(2026, 12, 7)), checkins, [goal], mastered,
                           WED)
    assert later.empty


def test_achievements_ignore_days_after_today():
    checkins = [ci(d) for d in days(WED, 5)]  # today and four days "to come"
    a = P.achievements(P.WeekPeriod.containing(WED), checkins, today=WED)
    assert a.days == 1


# ---------------------------------------------------------------- invariants


@given(st.sets(st.integers(0, 400), max_size=80), st.sets(st.integers(0, 400), max_size=40),
       st.integers(1, 7))
def test_consistency_is_a_ratio_and_heatmap_counts_every_day(done_days, rest_days, target):
    first = D(2025, 10, 1)
    today = first + dt.timedelta(days=400)
    checkins = [ci(first + dt.timedelta(days=n)) for n in done_days]
    checkins += [ci(first + dt.timedelta(days=n), "skipped") for n in rest_days - done_days]
    index = P.day_index(checkins)
    for c in P.monthly_consistency(index, today, target) + P.weekly_consistency(
            index, today, target):
        assert c.ratio is None or 0.0 <= c.ratio <= 1.0
        assert c.done <= (c.end - c.start).days + 1
    heat = P.heatmap(index, today)
    assert sum(heat.counts().values()) == 7 * P.HEATMAP_WEEKS
    shown = {c.day for col in heat.columns for c in col if c.mark == "done"}
    assert shown == {d for d, s in index.states.items() if s == "done" and d >= heat.weeks[0]}
