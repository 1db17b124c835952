"""The clock decides what "today" is: day-start hour, DST days, pinning, zone changes."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest

from micro_journal.domain.clock import TODAY_ENV, Clock, ClockError, FixedClock

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args: int, fold: int = 0, tz: dt.tzinfo = BERLIN) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz, fold=fold)


def clock_at(moment: dt.datetime, day_start_hour: int = 0) -> Clock:
    return Clock(day_start_hour, now=lambda: moment, environ={})


class MovingNow:
    """A ``now`` callable whose instant can be moved forward in real (UTC) time."""

    def __init__(self, moment: dt.datetime) -> None:
        self.tz = moment.tzinfo
        self.utc = moment.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.utc.astimezone(self.tz)

    def sleep(self, seconds: float) -> None:
        self.utc += dt.timedelta(seconds=seconds)


# ---------------------------------------------------------------- day-start hour


def test_midnight_day_start_uses_the_calendar_date():
    assert clock_at(at(2026, 11, 18, 0, 0)).today() == dt.date(2026, 11, 18)
    assert clock_at(at(2026, 11, 18, 23, 59)).today() == dt.date(2026, 11, 18)
    assert clock_at(at(2026, 11, 17, 23, 59)).today() == dt.date(2026, 11, 17)


def test_half_past_one_belongs_to_yesterday_when_the_day_starts_at_four():
    assert clock_at(at(2026, 11, 18, 1, 30), 4).today() == dt.date(2026, 11, 17)
    assert clock_at(at(2026, 11, 18, 3, 59), 4).today() == dt.date(2026, 11, 17)
    assert clock_at(at(2026, 11, 18, 4, 0), 4).today() == dt.date(2026, 11, 18)


def test_late_night_before_new_year_with_a_day_start_hour():
    assert clock_at(at(2027, 1, 1, 1, 30), 4).today() == dt.date(2026, 12, 31)


@pytest.mark.parametrize("hour", [-1, 24, 100])
def test_day_start_hour_out_of_range_is_refused(hour):
    with pytest.raises(ClockError, match="0–23"):
        Clock(hour, environ={})


# ---------------------------------------------------------------- DST days (Europe/Berlin)


def test_spring_forward_day_keeps_its_date():
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST
    assert clock_at(at(2026, 3, 29, 1, 30)).today() == dt.date(2026, 3, 29)
    assert clock_at(at(2026, 3, 29, 3, 30)).today() == dt.date(2026, 3, 29)
    # with a 4 o'clock day start, 03:30 summer time is still the night before
    assert clock_at(at(2026, 3, 29, 3, 30), 4).today() == dt.date(2026, 3, 28)
    assert clock_at(at(2026, 3, 29, 4, 0), 4).today() == dt.date(2026, 3, 29)


@pytest.mark.parametrize("fold", [0, 1])
def test_fall_back_day_both_half_past_twos_are_the_same_date(fold):
    # 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice
    moment = at(2026, 10, 25, 2, 30, fold=fold)
    assert clock_at(moment).today() == dt.date(2026, 10, 25)
    assert clock_at(moment, 4).today() == dt.date(2026, 10, 24)
    assert clock_at(at(2026, 10, 25, 4, 0), 4).today() == dt.date(2026, 10, 25)


@pytest.mark.parametrize(
    ("moment", "day_start", "hours"),
    [
        (at(2026, 11, 18, 0, 30), 0, 23.5),  # an ordinary day
        (at(2026, 3, 28, 0, 30), 0, 23.5),  # the day before spring forward
        (at(2026, 3, 29, 0, 30), 0, 22.5),  # spring forward: a 23-hour day
        (at(2026, 10, 25, 0, 30), 0, 24.5),  # fall back: a 25-hour day
        (at(2026, 3, 29, 1, 30), 4, 1.5),  # 01:30 CET → 04:00 CEST is 1.5 real hours
        (at(2026, 10, 25, 1, 30), 4, 3.5),  # 01:30 CEST → 04:00 CET is 3.5 real hours
    ],
)
def test_seconds_until_tomorrow_counts_real_seconds_on_dst_days(moment, day_start, hours):
    assert clock_at(moment, day_start).seconds_until_tomorrow() == hours * 3600


@pytest.mark.parametrize(
    "moment",
    [
        at(2026, 3, 28, 22, 0),
        at(2026, 3, 29, 0, 30),
        at(2026, 3, 29, 3, 10),
        at(2026, 10, 24, 23, 0),
        at(2026, 10, 25, 2, 30, fold=1),
        at(2026, 12, 31, 12, 0),
    ],
)
@pytest.mark.parametrize("day_start", [0, 2, 4])
def test_waking_after_seconds_until_tomorrow_lands_on_the_next_day(moment, day_start):
    """The app sleeps this long to notice midnight: it must wake exactly as the day turns."""
    now = MovingNow(moment)
    clock = Clock(day_start, now=now, environ={})
    before = clock.today()
    wait = clock.seconds_until_tomorrow()
    now.sleep(wait - 1)
    assert clock.today() == before
    now.sleep(1)
    assert clock.today() == before + dt.timedelta(days=1)


# ---------------------------------------------------------------- pinning


def test_pinned_today_from_the_environment_wins_over_the_wall_clock():
    clock = Clock(4, now=lambda: at(2030, 1, 1, 1, 0), environ={TODAY_ENV: "2026-11-18"})
    assert clock.today() == dt.date(2026, 11, 18)


def test_pinned_today_read_from_os_environ(monkeypatch):
    monkeypatch.setenv(TODAY_ENV, " 2026-12-28 ")
    assert Clock().today() == dt.date(2026, 12, 28)


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01", "2026-02-30", "18/11/2026"])
def test_a_bad_pinned_value_raises_a_plain_clock_error(bad):
    with pytest.raises(ClockError) as info:
        Clock(environ={TODAY_ENV: bad})
    message = str(info.value)
    assert TODAY_ENV in message
    assert bad in message
    assert "YYYY-MM-DD" in message


def test_an_empty_pinned_value_means_not_pinned():
    clock = Clock(now=lambda: at(2026, 11, 18, 12, 0), environ={TODAY_ENV: "  "})
    assert clock.today() == dt.date(2026, 11, 18)


def test_explicit_pinned_today_beats_the_environment():
    clock = Clock(pinned_today=dt.date(2026, 1, 1), environ={TODAY_ENV: "not a date"})
    assert clock.today() == dt.date(2026, 1, 1)


def test_a_pinned_clock_still_asks_to_be_woken_later():
    assert Clock(environ={TODAY_ENV: "2026-11-18"}).seconds_until_tomorrow() > 0


# ---------------------------------------------------------------- system zone


@pytest.fixture
def restore_tz():
    yield
    time.tzset()


def test_the_local_zone_is_re_read_at_every_call(monkeypatch, restore_tz):
    """Moving the machine across the date line while the app is open moves "today"."""
    clock = Clock(environ={})
    monkeypatch.setenv("TZ", "Pacific/Pago_Pago")  # UTC-11
    west = clock.today()
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    east = clock.today()
    assert (east - west).days in (1, 2)
    assert clock.now().utcoffset() == dt.timedelta(hours=14)


# ---------------------------------------------------------------- FixedClock


def test_fixed_clock_from_a_date_shows_that_date():
    assert FixedClock(dt.date(2026, 12, 31)).today() == dt.date(2026, 12, 31)


def test_fixed_clock_ignores_the_pinning_variable(monkeypatch):
    monkeypatch.setenv(TODAY_ENV, "2000-01-01")
    assert FixedClock(dt.date(2026, 12, 31)).today() == dt.date(2026, 12, 31)


def test_fixed_clock_advances_and_can_be_set():
    clock = FixedClock(dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC))
    clock.advance(hours=2)
    assert clock.today() == dt.date(2027, 1, 1)
    clock.set(dt.datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN))
    assert clock.today() == dt.date(2026, 3, 29)
    assert clock.now().tzinfo is BERLIN


def test_fixed_clock_with_day_start_hour():
    clock = FixedClock(dt.datetime(2026, 11, 18, 1, 30, tzinfo=dt.UTC), day_start_hour=4)
    assert clock.today() == dt.date(2026, 11, 17)
