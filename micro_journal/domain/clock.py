"""The injectable clock: the only place that reads the system time.

"Today" is the user's local calendar date, shifted by a configurable day-start hour
(a day that starts at 04:00 keeps 01:30 on the previous date). It is recomputed at
every call: the local zone is re-read (``time.tzset``) so a zone change while the app
is open moves the date, instead of trusting a zone cached at start.
``MICRO_JOURNAL_TODAY=YYYY-MM-DD`` pins the date (tests, demos, backfill).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable

from . import dates

TODAY_ENV = "MICRO_JOURNAL_TODAY"


class ClockError(ValueError):
    pass


def _system_local_now() -> dt.datetime:
    if hasattr(time, "tzset"):
        time.tzset()
    return dt.datetime.now().astimezone()


class Clock:
    """Reads the wall clock; ``today()`` applies day-start hour and the pinning variable."""

    def __init__(
        self,
        day_start_hour: int = 0,
        *,
        now: Callable[[], dt.datetime] | None = None,
        pinned_today: dt.date | None = None,
        environ: dict[str, str] | os._Environ[str] | None = None,
    ) -> None:
        if not 0 <= day_start_hour <= 23:
            raise ClockError(f"day-start hour must be 0–23, not {day_start_hour}")
        self.day_start_hour = day_start_hour
        self._now = now or _system_local_now
        env = os.environ if environ is None else environ
        pinned = env.get(TODAY_ENV, "").strip()
        if pinned_today is None and pinned:
            try:
                pinned_today = dt.date.fromisoformat(pinned)
            except ValueError:
                raise ClockError(
                    f"{TODAY_ENV}={pinned!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-18"
                ) from None
        self.pinned_today = pinned_today

    def now(self) -> dt.datetime:
        """The current local time (aware)."""
        return self._now()

    def today(self) -> dt.date:
        """The user's local calendar date, honouring the day-start hour and pinning."""
        if self.pinned_today is not None:
            return self.pinned_today
        return dates.local_day(self.now(), self.day_start_hour)

    def seconds_until_tomorrow(self) -> float:
        """Seconds until the next day starts (for the app to notice midnight)."""
        if self.pinned_today is not None:
            return 3600.0
        # the system zone reaches us as a fixed offset that only knows today's offset:
        # let the OS (re-read at every call) place the next day's wall time, DST-aware
        place = _system_place if self._now is _system_local_now else None
        return dates.seconds_until_next_day(self.now(), self.day_start_hour, place)


def _system_place(wall: dt.datetime) -> dt.datetime:
    if hasattr(time, "tzset"):
        time.tzset()
    return wall.astimezone()


class FixedClock(Clock):
    """A clock that shows a fixed (but movable) moment; for tests and demos."""

    def __init__(self, moment: dt.datetime | dt.date, day_start_hour: int = 0) -> None:
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time(12, 0))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        self.moment = moment
        super().__init__(day_start_hour, now=lambda: self.moment, environ={})

    def advance(self, **delta: float) -> None:
        self.moment = self.moment + dt.timedelta(**delta)

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment
