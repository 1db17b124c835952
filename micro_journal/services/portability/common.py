"""What every part of portability shares: the progress callback, the one error bad
input raises, a range of dates, and the few small formats of dates and numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ...domain.models import ALL_RECORD_TYPES, Record

Progress = Callable[[int, int], None]

EXPORT_MARK = "micro-journal-export"


class PortabilityError(ValueError):
    """Bad input (a malformed file, an unknown format…); the message is one line."""


def noop(done: int, total: int) -> None:
    pass


def by_table() -> dict[str, type[Record]]:
    return {cls.TABLE: cls for cls in ALL_RECORD_TYPES}


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of local dates; either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise PortabilityError(
                f"--from {self.start.isoformat()} is after --to {self.end.isoformat()}"
            )

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def contains(self, day: dt.date | str | None) -> bool:
        if self.open:
            return True
        day = as_date(day)
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return (self.start is None or last >= self.start) and (
            self.end is None or first <= self.end
        )


ALL_DATES = DateRange()  # open at both ends: every date


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A date, or an ISO text's first ten characters as one; None when it is none."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def record_day(record: Record) -> dt.date | None:
    """The local date a dated record belongs to (None for undated ones)."""
    for name in ("date", "week", "deadline"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return as_date(value)
    return None


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def num(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(round(float(value), 6))

