"""Every date rule of ``domain.dates``, through the real functions: weeks (Monday- and
Sunday-first), the day-start hour, DST days, ISO week 53, month ends, quarters, relative
phrases, deadline forms and their errors, and the one display style."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain import dates
from micro_journal.domain import goals as g
from micro_journal.domain.clock import Clock
from micro_journal.domain.dates import MONDAY, SUNDAY, DateError
from micro_journal.domain.goals import Period
from micro_journal.domain.models import ValidationError
from micro_journal.domain.progress import WeekPeriod

D = dt.date
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WED = D(2026, 11, 18)  # a Wednesday
any_day = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))


def at(*args: int, tz: dt.tzinfo = LONDON, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz, fold=fold)


# ---------------------------------------------------------------- weeks


def test_pendulum_weekday_numbers_are_pythons():
    # pendulum 3 numbers MONDAY = 0 … SUNDAY = 6, as Python's weekday() does; the week
    # rules rely on it
    import pendulum

    assert pendulum.WeekDay.MONDAY == MONDAY == D(2026, 11, 16).weekday()
    assert pendulum.WeekDay.SUNDAY == SUNDAY == D(2026, 11, 22).weekday()


@pytest.mark.parametrize(("day", "monday_first", "sunday_first"), [
    (D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 15)),  # a Monday
    (D(2026, 11, 18), D(2026, 11, 16), D(2026, 11, 15)),  # a Wednesday
    (D(2026, 11, 21), D(2026, 11, 16), D(2026, 11, 15)),  # a Saturday
    (D(2026, 11, 22), D(2026, 11, 16), D(2026, 11, 22)),  # a Sunday starts its own week
    (D(2027, 1, 1), D(2026, 12, 28), D(2026, 12, 27)),  # across a year end
    (D(2028, 3, 1), D(2028, 2, 28), D(2028, 2, 27)),  # across a leap day
])
def test_week_start_monday_and_sunday_first(day, monday_first, sunday_first):
    assert dates.week_start(day, MONDAY) == monday_first
    assert dates.week_start(day, SUNDAY) == sunday_first
    assert dates.week_start(day) == monday_first  # Monday-first by default


def test_week_days_in_the_users_order():
    assert dates.week_days(WED, MONDAY) == [D(2026, 11, 16) + dt.timedelta(days=i)
                                            for i in range(7)]
    sunday_first = dates.week_days(WED, SUNDAY)
    assert sunday_first[0] == D(2026, 11, 15) and sunday_first[-1] == D(2026, 11, 21)
    assert [d.weekday() for d in sunday_first] == [6, 0, 1, 2, 3, 4, 5]


def test_weeks_between_depends_on_the_week_start():
    # Sunday 20 Dec 2026 → Saturday 9 Jan 2027
    assert dates.weeks_between(D(2026, 12, 20), D(2027, 1, 9), MONDAY) == 3
    assert dates.weeks_between(D(2026, 12, 20), D(2027, 1, 9), SUNDAY) == 2
    assert dates.weeks_between(D(2027, 1, 9), D(2026, 12, 20), SUNDAY) == -2
    assert dates.weeks_between(WED, WED) == 0


def test_week_starts_end_with_the_current_week():
    assert dates.week_starts(WED, 3) == [D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 16)]
    assert dates.week_starts(WED, 2, SUNDAY) == [D(2026, 11, 8), D(2026, 11, 15)]
    assert dates.week_starts(WED, 0) == []


@given(any_day, st.sampled_from([MONDAY, SUNDAY]))
def test_week_start_is_the_last_first_weekday_on_or_before_the_day(day, first):
    start = dates.week_start(day, first)
    assert type(start) is dt.date  # a plain date, not pendulum's subclass
    assert start.weekday() == first
    assert 0 <= (day - start).days <= 6
    assert dates.week_days(day, first)[(day - start).days] == day


# ---------------------------------------------------------------- ISO week 53


def test_iso_week_53_of_2026_runs_into_2027():
    assert D(2026, 12, 28).isocalendar()[:2] == (2026, 53)  # 2026 has 53 ISO weeks
    assert dates.iso_week_key(D(2026, 12, 31)) == "2026-W53"
    assert dates.iso_week_key(D(2027, 1, 1)) == "2026-W53"
    assert dates.iso_week_key(D(2027, 1, 3)) == "2026-W53"
    assert dates.iso_week_key(D(2027, 1, 4)) == "2027-W01"
    assert dates.iso_week_key(D(2025, 12, 29)) == "2026-W01"  # ISO 2026 began in Dec 2025
    week = WeekPeriod.containing(D(2027, 1, 1))
    assert week.start == D(2026, 12, 28) and week.end == D(2027, 1, 3)
    assert week.key == "2026-W53"
    assert week.label == "week of 28 Dec 2026 – 3 Jan 2027"
    assert week.shift(1).key == "2027-W01"


# ---------------------------------------------------------------- months and quarters


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),  # 31 Jan + 1 month: the end of February
    (D(2028, 1, 31), 1, D(2028, 2, 29)),  # ... a leap February
    (D(2026, 3, 31), -1, D(2026, 2, 28)),  # 31 Mar − 1 month
    (D(2028, 3, 31), -1, D(2028, 2, 29)),
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 12, 31), 2, D(2027, 2, 28)),  # across a year end
    (D(2026, 1, 15), -13, D(2024, 12, 15)),
    (D(2026, 5, 31), 0, D(2026, 5, 31)),
])
def test_add_months_keeps_to_the_month_end(day, months, expected):
    moved = dates.add_months(day, months)
    assert moved == expected
    assert type(moved) is dt.date


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
       st.integers(min_value=-240, max_value=240))
def test_add_months_keeps_the_day_or_the_month_end(day, months):
    moved = dates.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (
        moved.day < day.day and moved.day == calendar.monthrange(moved.year, moved.month)[1]
    )


def test_days_in_month():
    assert [dates.days_in_month(2026, m) for m in (1, 2, 4, 12)] == [31, 28, 30, 31]
    assert dates.days_in_month(2028, 2) == 29
    assert dates.days_in_month(2100, 2) == 28  # a century that is not a leap year


@pytest.mark.parametrize(("day", "quarter"), [
    (D(2026, 1, 1), 1), (D(2026, 3, 31), 1), (D(2026, 4, 1), 2),
    (D(2026, 9, 30), 3), (D(2026, 10, 1), 4), (D(2026, 12, 31), 4),
])
def test_quarter_of(day, quarter):
    assert dates.quarter_of(day) == quarter


def test_quarter_starts_ends_and_steps():
    assert dates.quarter_start(2026, 4) == D(2026, 10, 1)
    assert dates.last_day(D(2026, 10, 1), 3) == D(2026, 12, 31)
    assert dates.last_day(D(2028, 1, 1), 3) == D(2028, 3, 31)
    assert dates.last_day(D(2028, 2, 1), 1) == D(2028, 2, 29)
    q4 = Period("quarter", 2026, 4)
    assert (q4.start, q4.end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert q4.shift(1) == Period("quarter", 2027, 1)
    assert q4.shift(-5) == Period("quarter", 2025, 3)
    assert Period.containing(D(2027, 2, 14), "quarter") == Period("quarter", 2027, 1)
    assert Period("month", 2026, 12).shift(2) == Period("month", 2027, 2)
    assert Period("month", 2026, 2).end == D(2026, 2, 28)
    assert q4.label == "Q4 2026 (Oct–Dec)" == dates.quarter_label(2026, 4)
    assert Period("month", 2026, 11).label == "November 2026"


@pytest.mark.parametrize("first", range(7))
def test_month_grid_matches_a_wall_calendar(first):
    # every month of a leap cycle and its neighbours (Decembers into January, Februaries
    # of 28 and 29 days), for each day a week can start on
    for year in range(2023, 2030):
        for month in range(1, 13):
            assert dates.month_grid(year, month, first) == \
                calendar.Calendar(first).monthdayscalendar(year, month), (year, month)


def test_month_grid_of_november_2026():
    # 1 November 2026 is a Sunday
    monday_first = dates.month_grid(2026, 11, MONDAY)
    assert monday_first[0] == [0, 0, 0, 0, 0, 0, 1]
    assert monday_first[-1] == [30, 0, 0, 0, 0, 0, 0]
    assert dates.month_grid(2026, 11, SUNDAY)[0] == [1, 2, 3, 4, 5, 6, 7]


# ---------------------------------------------------------------- day-start hour, DST


def test_half_past_one_belongs_to_the_previous_day_with_a_four_am_start():
    assert dates.local_day(at(2026, 11, 18, 1, 30), 4) == D(2026, 11, 17)
    assert dates.local_day(at(2026, 11, 18, 3, 59, 59), 4) == D(2026, 11, 17)
    assert dates.local_day(at(2026, 11, 18, 4, 0), 4) == D(2026, 11, 18)
    assert dates.local_day(at(2026, 11, 18, 1, 30), 0) == D(2026, 11, 18)
    assert dates.local_day(at(2027, 1, 1, 1, 30), 4) == D(2026, 12, 31)
    assert Clock(4, now=lambda: at(2026, 11, 18, 1, 30), environ={}).today() == D(2026, 11, 17)
    assert type(dates.local_day(at(2026, 11, 18, 1, 30), 4)) is dt.date


def test_the_day_start_is_wall_clock_time_on_a_dst_day():
    # London, 29 March 2026: 01:00 GMT jumps to 02:00 BST
    assert dates.local_day(at(2026, 3, 29, 3, 30), 4) == D(2026, 3, 28)
    assert dates.local_day(at(2026, 3, 29, 4, 0), 4) == D(2026, 3, 29)
    # 25 October 2026: 02:00 BST falls back to 01:00 GMT; 01:30 happens twice
    for fold in (0, 1):
        assert dates.local_day(at(2026, 10, 25, 1, 30, fold=fold), 4) == D(2026, 10, 24)
        assert dates.local_day(at(2026, 10, 25, 1, 30, fold=fold), 0) == D(2026, 10, 25)


@pytest.mark.parametrize(("now", "hours"), [
    (at(2026, 11, 18, 0, 0), 24),  # an ordinary day
    (at(2026, 3, 29, 0, 0), 23),  # London spring forward: a 23-hour day
    (at(2026, 10, 25, 0, 0), 25),  # London fall back: a 25-hour day
    (at(2026, 3, 8, 0, 0, tz=NEW_YORK), 23),  # New York spring forward
    (at(2026, 11, 1, 0, 0, tz=NEW_YORK), 25),  # New York fall back
    (at(2026, 11, 1, 12, 0, tz=NEW_YORK), 12),  # after the change: ordinary hours
])
def test_seconds_until_tomorrow_on_dst_days(now, hours):
    assert dates.seconds_until_next_day(now, 0) == hours * 3600
    assert Clock(0, now=lambda: now, environ={}).seconds_until_tomorrow() == hours * 3600


def test_seconds_until_a_day_start_inside_a_dst_gap_or_overlap():
    # day start 01:00 in London: on 29 March 01:00 does not exist, the day starts as the
    # gap ends (02:00 BST = 01:00 UTC, two real hours after 23:00 GMT)
    assert dates.seconds_until_next_day(at(2026, 3, 28, 23, 0), 1) == 2 * 3600
    # on 25 October 01:00 happens twice: the day starts at the first (01:00 BST = 00:00
    # UTC, two real hours after 23:00 BST), not an hour later
    assert dates.seconds_until_next_day(at(2026, 10, 24, 23, 0), 1) == 2 * 3600
    # a fixed-offset or naive now is counted as it is
    utc = dt.datetime(2026, 11, 18, 22, 0, tzinfo=dt.UTC)
    assert dates.seconds_until_next_day(utc, 4) == 6 * 3600
    assert dates.seconds_until_next_day(utc.replace(tzinfo=None), 0) == 2 * 3600


def test_days_between_counts_calendar_days():
    assert dates.days_between(D(2026, 11, 15), WED) == 3
    assert dates.days_between(WED, D(2026, 11, 15)) == -3
    assert dates.days_between(D(2026, 2, 28), D(2026, 3, 1)) == 1
    assert dates.days_between(D(2028, 2, 28), D(2028, 3, 1)) == 2
    assert dates.days_between(D(2026, 12, 31), D(2027, 12, 31)) == 365


# ---------------------------------------------------------------- relative phrases


@pytest.mark.parametrize(("day", "phrase"), [
    (WED, "today"),
    (D(2026, 11, 19), "tomorrow"),
    (D(2026, 11, 17), "yesterday"),
    (D(2026, 11, 23), "in 5 days"),
    (D(2026, 11, 15), "3 days ago"),
    (D(2026, 10, 28), "21 days ago"),
    (D(2027, 1, 4), "in 47 days"),
])
def test_relative_day(day, phrase):
    assert dates.relative_day(day, WED) == phrase


def test_late_phrases():
    assert [dates.late_phrase(n) for n in (0, 1, 2, 15, -1, -3)] == [
        "due today", "overdue 1 day", "overdue 2 days", "overdue 15 days",
        "due tomorrow", "in 3 days",
    ]


def test_describe_deadline_puts_the_year_only_on_another_year():
    assert g.describe_deadline(D(2026, 11, 20), WED) == "Fri 20 Nov (in 2 days)"
    assert g.describe_deadline(D(2027, 1, 4), WED) == "Mon 4 Jan 2027 (in 47 days)"
    assert g.describe_deadline(D(2026, 11, 2), WED) == "Mon 2 Nov (16 days ago)"


# ---------------------------------------------------------------- deadline forms


@pytest.mark.parametrize(("text", "expected"), [
    ("today", WED), ("  TODAY ", WED), ("tod", WED),
    ("tomorrow", D(2026, 11, 19)), ("tmr", D(2026, 11, 19)),
    ("fri", D(2026, 11, 20)), ("Friday", D(2026, 11, 20)), ("next fri", D(2026, 11, 20)),
    ("thurs", D(2026, 11, 19)), ("tues", D(2026, 11, 24)),
    ("mon", D(2026, 11, 23)), ("sun", D(2026, 11, 22)),
    ("wed", D(2026, 11, 25)),  # today's own weekday: a week on
    ("+3d", D(2026, 11, 21)), ("3 days", D(2026, 11, 21)), ("in 3 days", D(2026, 11, 21)),
    ("+1w", D(2026, 11, 25)), ("2 weeks", D(2026, 12, 2)),
    ("+1m", D(2026, 12, 18)), ("+2m", D(2027, 1, 18)),
    ("2026-12-01", D(2026, 12, 1)), ("2026-1-5", D(2026, 1, 5)), ("2028-02-29", D(2028, 2, 29)),
])
def test_parse_day_forms(text, expected):
    parsed = dates.parse_day(text, WED)
    assert parsed == expected
    assert type(parsed) is dt.date


def test_month_steps_from_a_month_end():
    assert dates.parse_day("+1m", D(2026, 1, 31)) == D(2026, 2, 28)
    assert dates.parse_day("+1m", D(2028, 1, 31)) == D(2028, 2, 29)


@pytest.mark.parametrize(("text", "why"), [
    ("2027-02-29", "'2027-02-29': 2027 is not a leap year (February has 28 days)"),
    ("2026-04-31", "'2026-04-31': April 2026 has 30 days"),
    ("2026-13-01", "'2026-13-01': there is no month 13"),
    ("2026-00-10", "'2026-00-10': there is no month 0"),
    ("+3y", "'y' is not d (days), w (weeks) or m (months)"),
    ("+121m", "121 months is more than ten years away"),
    ("+9999d", "'+9999d' is more than ten years away"),
    ("someday", ""),
    ("fr", ""),  # too short to be a weekday
    ("18/11/2026", ""),
])
def test_parse_day_errors_say_why(text, why):
    with pytest.raises(DateError) as info:
        dates.parse_day(text, WED)
    assert str(info.value) == why


def test_parse_deadline_turns_date_errors_into_field_errors():
    with pytest.raises(ValidationError) as info:
        g.parse_deadline("2027-02-29", WED)
    assert info.value.field == "deadline"
    assert "2027 is not a leap year" in str(info.value) and "YYYY-MM-DD" in str(info.value)
    with pytest.raises(ValidationError, match="'someday' is not a deadline"):
        g.parse_deadline("someday", WED)
    with pytest.raises(ValidationError, match="needs a deadline"):
        g.parse_deadline("   ", WED)


def test_weekday_numbers_are_pythons():
    assert [dates.weekday_number(w) for w in ("mon", "Tuesday", "sun", "SAT.")] == [0, 1, 6, 5]
    assert dates.weekday_number("mo") is None
    assert dates.weekday_number("xyz") is None


@given(any_day, st.integers(min_value=0, max_value=6))
def test_next_weekday_is_strictly_after_and_within_a_week(today, weekday):
    nxt = dates.next_weekday(today, weekday)
    assert type(nxt) is dt.date
    assert nxt.weekday() == weekday
    assert 1 <= (nxt - today).days <= 7


# ---------------------------------------------------------------- display


def test_one_display_style_never_zero_pads_the_day():
    day = D(2026, 11, 2)
    assert dates.day_long(day) == "Monday 2 November 2026"
    assert dates.day_long(D(2026, 11, 30)) == "Monday 30 November 2026"
    assert dates.day_short(day) == "Mon 2 Nov"
    assert dates.day_short(day, WED) == "Mon 2 Nov"
    assert dates.day_short(day, D(2027, 1, 1)) == "Mon 2 Nov 2026"
    assert dates.day_short(day, year=True) == "Mon 2 Nov 2026"
    assert dates.day_month(day) == "2 Nov"
    assert dates.weekday_day_month(D(2026, 11, 22)) == "Sunday 22 Nov"
    assert dates.list_day(day) == "Mon  2"
    assert dates.list_day(WED) == "Wed 18"


def test_month_and_weekday_names():
    assert dates.month_label(WED) == "November 2026"
    assert dates.month_short(WED) == "Nov"
    assert dates.month_short(WED, year=True) == "Nov 2026"
    assert dates.weekday_name(WED) == "Wednesday"
    assert dates.weekday_abbr(WED) == "Wed"
    assert dates.weekday_letters(dates.week_days(WED, SUNDAY)) == list("SMTWTFS")
    assert dates.weekday_heads(MONDAY) == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert dates.weekday_heads(SUNDAY) == ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"]


@pytest.mark.parametrize(("start", "end", "plain", "with_year"), [
    (D(2026, 11, 16), D(2026, 11, 22), "16–22 Nov", "16–22 Nov 2026"),
    (D(2026, 11, 30), D(2026, 12, 6), "30 Nov – 6 Dec", "30 Nov – 6 Dec 2026"),
    (D(2026, 12, 28), D(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027", "28 Dec 2026 – 3 Jan 2027"),
])
def test_day_ranges(start, end, plain, with_year):
    assert dates.day_range(start, end) == plain
    assert dates.day_range(start, end, year=True) == with_year
    assert dates.day_range(start, end, compact=True) == plain.replace(" – ", "–")


def test_time_hms():
    assert dates.time_hms(at(2026, 11, 18, 9, 5, 7)) == "09:05:07"
    assert dates.time_hms(dt.datetime(2026, 11, 18, 23, 59, 0)) == "23:59:00"
