"""Streaks are counted week by week (issue 17): the same numbers as walking every day
since the first check-in, which is what the rule says and what this reference does."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from micro_journal.domain import rules
from micro_journal.domain.dates import week_start

BASE = dt.date(2026, 1, 1)


def walk_every_day(states, today, target, first_weekday, since=None) -> rules.Streaks:
    """The rule, read literally: one step per day from the first check-in to today."""
    allowance = 7 - max(1, min(7, target))
    past = {d: s for d, s in states.items() if d <= today}
    if not past:
        return rules.Streaks(0, 0)
    day = min(since, min(past)) if since else min(past)
    run = best = misses = 0
    week = None
    while day <= today:
        if week_start(day, first_weekday) != week:
            week, misses = week_start(day, first_weekday), 0
        state = past.get(day)
        if state == "done":
            run += 1
        elif state != "skipped" and day != today:
            misses += 1
            if misses > allowance:
                run = 0
        best = max(best, run)
        day += dt.timedelta(days=1)
    return rules.Streaks(run, best)


days = st.integers(min_value=0, max_value=120)


@settings(max_examples=400, deadline=None)
@given(
    marks=st.dictionaries(days, st.sampled_from(["done", "done", "done", "skipped"]),
                          max_size=90),
    today=days,
    target=st.integers(min_value=0, max_value=8),
    first_weekday=st.sampled_from([0, 6, 2]),
    since=st.one_of(st.none(), days),
)
def test_week_by_week_streaks_equal_walking_every_day(marks, today, target, first_weekday,
                                                      since):
    states = {BASE + dt.timedelta(days=n): s for n, s in marks.items()}
    day = BASE + dt.timedelta(days=today)
    start = BASE + dt.timedelta(days=since) if since is not None else None
    assert rules.streaks(states, day, target, first_weekday, start) == walk_every_day(
        states, day, target, first_weekday, start)


def test_a_month_away_ends_the_run_but_keeps_the_best():
    done = {BASE + dt.timedelta(days=n): "done" for n in range(10)}
    done.update({BASE + dt.timedelta(days=n): "done" for n in range(45, 48)})
    today = BASE + dt.timedelta(days=48)
    assert rules.streaks(done, today, 7) == rules.Streaks(3, 10)
    # five of seven: two free days a week, but not a whole week away
    assert rules.streaks(done, today, 5) == rules.Streaks(3, 10)


@settings(max_examples=400, deadline=None)
@given(
    marks=st.dictionaries(days, st.sampled_from(["done", "done", "done", "skipped"]),
                          max_size=90),
    today=st.integers(min_value=30, max_value=120),
    cut_week=st.integers(min_value=1, max_value=4),
    target=st.integers(min_value=1, max_value=7),
    first_weekday=st.sampled_from([0, 6]),
)
def test_a_span_kept_for_the_old_weeks_joins_the_recent_one(marks, today, cut_week, target,
                                                            first_weekday):
    """What the journal keeps for the weeks before its recent ones (StreakSpan), joined
    to the recent weeks, gives the streaks of the whole history."""
    states = {BASE + dt.timedelta(days=n): s for n, s in marks.items()}
    day = BASE + dt.timedelta(days=today)
    cut = week_start(day, first_weekday) - dt.timedelta(weeks=cut_week)
    old = {d: s for d, s in states.items() if d < cut}
    whole = rules.streaks(states, day, target, first_weekday)
    recent = {d: s for d, s in states.items() if cut <= d <= day}
    if not old:
        return
    kept = rules.streak_span(old, min(old), cut - dt.timedelta(days=1), target, first_weekday)
    assert rules.StreakSpan.from_list(kept.to_list()) == kept
    joined = kept.then(rules.streak_span(recent, cut, day, target, first_weekday, day))
    assert rules.Streaks(joined.tail, joined.best) == whole
