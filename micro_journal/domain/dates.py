"""Every date rule and every date display format: the one home of dates.

**Rules.** Calendar months and quarters (31 January + 1 month), daylight-saving days
and the next day's start, the deadline forms people type and weekday names are
pendulum 3's. Steps of a fixed length — whole days between two dates, the start of a
week, a month's grid of weeks, the day at a wall-clock time less the day-start hour — are plain
``datetime`` arithmetic, here and nowhere else: they run once per day of history
(streaks), where pendulum's pure-Python steps cost seconds at 100 years. pendulum is
imported when a rule first needs it, after the first frame (its import costs one).

**Types.** The app's API is ``datetime.date``. pendulum's ``Date`` is a subclass, but
its ``-`` returns an ``Interval`` rather than a ``timedelta``, so every function here
takes plain dates (or pendulum ones) and returns plain ``datetime.date`` objects:
nothing downstream changes type, dict keys stay plain dates.

**Weekday numbers** are Python's: Monday = 0 … Sunday = 6. pendulum 3's ``WeekDay``
uses the same numbering (``WeekDay.MONDAY == 0``), so ``WeekDay(n)`` is exact. The
global ``pendulum.week_starts_at`` is never touched: it is process-wide state, and the
user's week start is a setting passed in.

**Display.** One style: the day of the month is never zero-padded (``Monday 2 November
2026``, ``Mon 2 Nov``), months and weekdays are English names. No ``%-d`` (Windows
rejects it): ``_fmt`` writes pendulum-style tokens from the C library's names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

MONDAY = 0
SUNDAY = 6
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class DateError(ValueError):
    """Text that names no date; ``str(err)`` says why (empty: simply not recognised)."""


# ---------------------------------------------------------------- conversions


def _pendulum():
    """pendulum, imported when a rule first needs it: its import (with dateutil's
    parser) costs a start-up frame, and Today's first paint needs none of it."""
    import pendulum

    return pendulum


def _pendulum_date(day: dt.date):
    """``day`` as a pendulum Date (dates only: a datetime's time is dropped)."""
    return _pendulum().Date(day.year, day.month, day.day)


def plain(day: dt.date) -> dt.date:
    """``day`` as a plain ``datetime.date`` (a pendulum Date or a datetime's date)."""
    return dt.date(day.year, day.month, day.day)


def days_between(start: dt.date, end: dt.date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier); on
    ordinals, like the week rules below (see the module's docstring)."""
    return end.toordinal() - start.toordinal()


# ---------------------------------------------------------------- weeks


def week_start(day: dt.date, first_weekday: int = MONDAY) -> dt.date:
    """The first day of the (user's) week holding ``day``; ``first_weekday`` is a
    pendulum ``WeekDay`` number: 0 = Monday, 6 = Sunday."""
    back = (day.weekday() - first_weekday) % 7
    return dt.date.fromordinal(day.toordinal() - back)


def week_days(day: dt.date, first_weekday: int = MONDAY) -> list[dt.date]:
    """The seven dates of the week holding ``day``, in the user's week order."""
    first = week_start(day, first_weekday).toordinal()
    return [dt.date.fromordinal(first + i) for i in range(7)]


def weeks_between(start: dt.date, day: dt.date, first_weekday: int = MONDAY) -> int:
    """Whole weeks from the week of ``start`` to the week of ``day`` (negative if before)."""
    return days_between(week_start(start, first_weekday), week_start(day, first_weekday)) // 7


def week_starts(last_day: dt.date, count: int, first_weekday: int = MONDAY) -> list[dt.date]:
    """The first days of the ``count`` weeks ending with the week holding ``last_day``."""
    last = _pendulum_date(week_start(last_day, first_weekday))
    return [plain(last.subtract(weeks=count - 1 - i)) for i in range(max(0, count))]


def iso_week_key(day: dt.date) -> str:
    """``2026-W53``: the ISO year and week of ``day`` (1 January 2027 is 2026-W53)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------- months and quarters


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months (negative: back), kept to the last day of a
    shorter month: 31 January + 1 month is 28 (or 29) February."""
    p = _pendulum_date(day)
    return plain(p.add(months=months) if months >= 0 else p.subtract(months=-months))


def days_in_month(year: int, month: int) -> int:
    return _pendulum().Date(year, month, 1).days_in_month


def quarter_of(day: dt.date) -> int:
    """1–4: the calendar quarter holding ``day``."""
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


def last_day(start: dt.date, months: int) -> dt.date:
    """The last day of the ``months`` calendar months starting at ``start`` (a first)."""
    return plain(_pendulum_date(start).add(months=months).subtract(days=1))


def month_grid(year: int, month: int, first_weekday: int = MONDAY) -> list[list[int]]:
    """The weeks of a month as rows of day numbers in the user's week order; 0 pads the
    days of the neighbouring months (what a wall calendar shows). Steps of a week from
    the week holding the first: no calendar-month rule is needed, and the Journal's
    calendar draws on its first visit without waiting for pendulum's import."""
    first = dt.date(year, month, 1)
    start = week_start(first, first_weekday).toordinal()
    rows: list[list[int]] = []
    while True:
        days = [dt.date.fromordinal(start + i) for i in range(7)]
        if days[0] > first and days[0].month != month:  # the week after the month's
            return rows
        rows.append([d.day if d.month == month else 0 for d in days])
        start += 7


# ---------------------------------------------------------------- day-start hour, DST


def local_day(moment: dt.datetime, day_start_hour: int = 0) -> dt.date:
    """The user's date at ``moment``: its wall-clock time shifted back by the day-start
    hour (at 4, 01:30 belongs to the day before). Wall-clock arithmetic, so a DST jump
    between midnight and the day start does not move the date."""
    wall = moment.replace(tzinfo=None)  # the wall clock: no zone, no DST step
    return (wall - dt.timedelta(hours=day_start_hour)).date()


def next_day_start(moment: dt.datetime, day_start_hour: int = 0) -> dt.datetime:
    """The wall-clock time (naive) at which the day after ``moment``'s day starts."""
    day = _pendulum_date(local_day(moment, day_start_hour)).add(days=1)
    return dt.datetime(day.year, day.month, day.day, day_start_hour)


def seconds_until_next_day(
    now: dt.datetime,
    day_start_hour: int = 0,
    place: Callable[[dt.datetime], dt.datetime] | None = None,
) -> float:
    """Real seconds from ``now`` until the next day starts (at least 1).

    The next start is a wall-clock time in ``now``'s zone, placed by pendulum: a start
    hour repeated by a DST fall-back counts its first occurrence, one skipped by a spring
    jump becomes the first instant after the gap. So a day is 23 or 25 hours long on DST
    days. ``place`` puts the naive wall time in a zone instead (the system zone, which a
    fixed-offset ``now`` cannot know).
    """
    pendulum = _pendulum()
    wall = next_day_start(now, day_start_hour)
    if now.tzinfo is None:
        return max(1.0, (wall - now.replace(tzinfo=None)).total_seconds())
    if place is not None:
        start = pendulum.instance(place(wall))
    else:
        args = (wall.year, wall.month, wall.day, wall.hour)
        start = pendulum.datetime(*args, tz=now.tzinfo, fold=0)  # the first of two
        if start.naive() < pendulum.naive(*args):  # in a spring gap: after it
            start = pendulum.datetime(*args, tz=now.tzinfo, fold=1)
    return max(1.0, (start - pendulum.instance(now)).total_seconds())


# ---------------------------------------------------------------- weekdays, deadlines

_UNITS = {
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "m": "m", "mo": "m", "month": "m", "months": "m",
}
_RELATIVE = re.compile(r"^(?:in\s+)?\+?\s*(\d{1,4})\s*([a-z]+)$")
_ISO_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MAX_AHEAD_DAYS = 366 * 10  # a deadline ten years out is a typo


def weekday_number(word: str) -> int | None:
    """``"fri"`` / ``"Friday"`` → 4 (Monday = 0); None if ``word`` is not a weekday."""
    word = word.strip().lower().rstrip(".")
    if len(word) < 3:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return number
    return {"tues": 1, "thur": 3, "thurs": 3}.get(word)


def next_weekday(today: dt.date, weekday: int) -> dt.date:
    """The next ``weekday`` strictly after ``today`` (today's own weekday: a week later)."""
    return plain(_pendulum_date(today).next(_pendulum().WeekDay(weekday)))


def parse_day(text: str, today: dt.date) -> dt.date:
    """The date ``text`` names, counted from ``today``: ``today``, ``tomorrow``, a weekday
    (its next occurrence after today), ``+3d`` / ``+1w`` / ``+1m`` (``3 days``, ``in 2
    weeks``), or ``YYYY-MM-DD``. DateError otherwise, saying why when there is a reason
    (``2027-02-29``: 2027 is not a leap year); an empty reason means "not a date"."""
    raw = text.strip()
    text = " ".join(raw.lower().split())
    if text in ("today", "tod", "now", "tonight"):
        return plain(today)
    if text in ("tomorrow", "tom", "tmr", "tmrw"):
        return plain(_pendulum_date(today).add(days=1))
    number = weekday_number(text.removeprefix("next ").strip())
    if number is not None:
        return next_weekday(today, number)
    relative = _RELATIVE.match(text)
    if relative:
        count, unit = int(relative.group(1)), _UNITS.get(relative.group(2))
        if unit is None:
            raise DateError(f"{relative.group(2)!r} is not d (days), w (weeks) or m (months)")
        if unit == "m" and count > 120:
            raise DateError(f"{count} months is more than ten years away")
        step = {"d": "days", "w": "weeks", "m": "months"}[unit]
        day = plain(_pendulum_date(today).add(**{step: count}))
        if days_between(today, day) > MAX_AHEAD_DAYS:
            raise DateError(f"{raw!r} is more than ten years away")
        return day
    shape = _ISO_SHAPE.match(text)
    if shape:
        year, month, mday = (int(g) for g in shape.groups())
        if not 1 <= month <= 12:
            raise DateError(f"{raw!r}: there is no month {month}")
        last = days_in_month(year, month)
        if not 1 <= mday <= last:
            if month == 2 and mday == 29:
                raise DateError(f"{raw!r}: {year} is not a leap year (February has 28 days)")
            raise DateError(f"{raw!r}: {month_label(dt.date(year, month, 1))} has {last} days")
        return dt.date(year, month, mday)
    raise DateError("")


# ---------------------------------------------------------------- relative phrases


def relative_day(day: dt.date, today: dt.date) -> str:
    """How far ``day`` is from ``today``: ``today``, ``tomorrow``, ``yesterday``,
    ``in 5 days``, ``3 days ago``."""
    days = days_between(today, day)
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def late_phrase(late: int) -> str:
    """A deadline ``late`` days ago (negative: ahead): ``due today``, ``overdue 1 day``,
    ``overdue 2 days``, ``due tomorrow``, ``in 3 days``."""
    if late == 0:
        return "due today"
    if late > 0:
        return f"overdue {late} day{'s' if late != 1 else ''}"
    if late == -1:
        return "due tomorrow"
    return f"in {-late} days"


# ---------------------------------------------------------------- display


def _fmt(day: dt.date, pattern: str) -> str:
    """``day`` written with the tokens ``dddd`` (Monday), ``ddd`` (Mon), ``D`` (2),
    ``MMMM`` (November), ``MMM`` (Nov), ``YYYY``; other characters as they are.
    Names come from the C library in the C locale (Python never sets LC_TIME), so
    they are English like the rest of the app; the day number is never padded."""
    names = {"dddd": "%A", "ddd": "%a", "MMMM": "%B", "MMM": "%b"}
    out = []
    for token in _FORMAT_TOKENS.findall(pattern):
        if token in names:
            out.append(day.strftime(names[token]))
        elif token == "D":
            out.append(str(day.day))
        elif token == "YYYY":
            out.append(str(day.year))
        else:
            out.append(token)
    return "".join(out)


_FORMAT_TOKENS = re.compile(r"dddd|ddd|MMMM|MMM|YYYY|D|[^dMYD]+|.")


def day_long(day: dt.date) -> str:
    """``Monday 2 November 2026``."""
    return _fmt(day, "dddd D MMMM YYYY")


def day_short(day: dt.date, today: dt.date | None = None, *, year: bool = False) -> str:
    """``Mon 2 Nov``; ``Mon 2 Nov 2026`` with ``year``, or when ``day`` is not in
    ``today``'s year."""
    with_year = year or (today is not None and day.year != today.year)
    return _fmt(day, "ddd D MMM YYYY" if with_year else "ddd D MMM")


def day_month(day: dt.date) -> str:
    """``2 Nov``."""
    return _fmt(day, "D MMM")


def weekday_day_month(day: dt.date) -> str:
    """``Sunday 22 Nov``."""
    return _fmt(day, "dddd D MMM")


def list_day(day: dt.date) -> str:
    """``Wed  2`` / ``Wed 18``: weekday and day number, the number right-aligned so the
    days of a list line up (a space, not a zero, pads it)."""
    return f"{weekday_abbr(day)} {day.day:>2}"


def month_label(day: dt.date) -> str:
    """``November 2026``: the month holding ``day``."""
    return _fmt(day, "MMMM YYYY")


def month_short(day: dt.date, *, year: bool = False) -> str:
    """``Nov`` (``Nov 2026`` with ``year``)."""
    return _fmt(day, "MMM YYYY" if year else "MMM")


def quarter_label(year: int, quarter: int) -> str:
    """``Q4 2026 (Oct–Dec)``."""
    start = quarter_start(year, quarter)
    end = last_day(start, 3)
    return f"Q{quarter} {year} ({month_short(start)}–{month_short(end)})"


def weekday_name(day: dt.date) -> str:
    """``Monday``."""
    return _fmt(day, "dddd")


def weekday_abbr(day: dt.date) -> str:
    """``Mon``."""
    return _fmt(day, "ddd")


def weekday_letters(days: list[dt.date]) -> list[str]:
    """``M T W T F S S``: one letter per day, for narrow column heads."""
    return [weekday_abbr(d)[0] for d in days]


def weekday_heads(first_weekday: int = MONDAY) -> list[str]:
    """``Mo Tu We …``: two-letter weekday heads in the user's week order."""
    start = week_start(dt.date(2026, 1, 5), first_weekday)  # any week will do
    return [weekday_abbr(d)[:2] for d in week_days(start, first_weekday)]


def day_range(
    start: dt.date, end: dt.date, *, year: bool = False, compact: bool = False
) -> str:
    """``16–22 Nov``, ``30 Nov – 6 Dec``, ``28 Dec 2026 – 3 Jan 2027``; with ``year`` the
    year closes a range inside one year too (``16–22 Nov 2026``); ``compact`` drops the
    spaces around the dash for narrow labels (``30 Nov–6 Dec``)."""
    tail = " YYYY" if year else ""
    dash = "–" if compact else " – "
    if start.year != end.year:
        return f"{_fmt(start, 'D MMM YYYY')}{dash}{_fmt(end, 'D MMM YYYY')}"
    if start.month != end.month:
        return f"{day_month(start)}{dash}{_fmt(end, 'D MMM' + tail)}"
    return f"{start.day}–{_fmt(end, 'D MMM' + tail)}"


def moment_short(moment: dt.datetime) -> str:
    """``Mon 2 Nov 2026 14:03``: when a file was written."""
    return f"{_fmt(moment, 'ddd D MMM YYYY')} {moment:%H:%M}"


def time_hms(moment: dt.datetime) -> str:
    """``14:03:09``: a wall-clock time."""
    return f"{moment:%H:%M:%S}"
