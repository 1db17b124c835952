"""Checks of the values a record reads from disk (validation at the edge), and the
errors a wrong value raises.

A *check* takes a value and the field's name and returns the value (decoded, for a
nested record) or raises ``RecordError`` naming the field; a record class lists one
per stored field in its ``SCHEMA`` and ``check_fields`` runs them. The bounds here are
wide enough for anything the app writes and narrow enough that no rule (week
arithmetic, sums, charts) overflows on a stored value.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

Check = Callable[[Any, str], Any]


class ValidationError(ValueError):
    """A value the user gave breaks a rule; ``field`` names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def parse_local_date(text: str, field_name: str = "date") -> _dt.date:
    """Parse a ``YYYY-MM-DD`` string, raising ValidationError with a plain message."""
    try:
        return _dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValidationError(
            field_name, f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-11-18"
        ) from None


class RecordError(ValidationError, TypeError):
    """A document read from disk does not fit its record type (validation at the edge).

    ``field`` names the field (``date``, ``metric.target``, ``weeks[2].skill_id``); the
    message says what is expected and never quotes the field's text (it may be private).
    A ``TypeError`` too, so code that caught a malformed record's TypeError still does.
    """

    def __init__(self, field_name: str, problem: str, message: str | None = None) -> None:
        super().__init__(field_name, message or f"{field_name} {problem}")
        self.problem = problem


# what a stored value may be: wide enough for anything the app writes, narrow enough
# that no rule (week arithmetic, sums, charts) overflows on it
DATE_MIN = _dt.date(1000, 1, 1)
DATE_MAX = _dt.date(8999, 12, 31)
MINUTES_MAX = 100_000
NUMBER_MAX = 1e15


def _shown(value: Any) -> str:
    """A value in a message: short plain words and numbers only, never user text."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 20 and value.isprintable() else "that text"
    if value is None or isinstance(value, bool | int | float):
        return repr(value) if len(repr(value)) <= 24 else "that number"
    return f"a {kind_of(value)}"


def kind_of(value: Any) -> str:
    """What ``value`` is, in a message's words: object, list, text, number…"""
    return {dict: "object", list: "list", str: "text", bool: "true/false",
            type(None): "null"}.get(type(value), "number" if isinstance(value, int | float)
                                      else type(value).__name__)


def is_unicode(text: str) -> bool:
    """False for text holding a lone surrogate (half of a character)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---------------------------------------------------------------- the checks


def check_text(value: Any, name: str) -> str:
    if type(value) is not str:
        raise RecordError(name, f"is not text (it is {kind_of(value)})")
    if not is_unicode(value):
        raise RecordError(name, "holds a lone surrogate (half of a character): it is not "
                          "valid Unicode")
    return value


def check_id(value: Any, name: str) -> str:
    if type(value) is not str or not value:
        raise RecordError(name, "is not an id (it is "
                          f"{kind_of(value) if value != '' else 'empty'})")
    return check_text(value, name)


_GOOD_DATES: dict[str, _dt.date] = {}  # check-ins share their days: parse each once


def check_date(value: Any, name: str) -> str:
    if type(value) is str and value in _GOOD_DATES:
        return value
    if type(value) is not str:
        raise RecordError(name, f"is not a YYYY-MM-DD date (it is {kind_of(value)})")
    day = None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = _dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        raise RecordError(name, f"{_shown(value)} is not a YYYY-MM-DD date")
    if not DATE_MIN <= day <= DATE_MAX:
        raise RecordError(name, f"{value} is not a YYYY-MM-DD date between {DATE_MIN} and "
                          f"{DATE_MAX}")
    if len(_GOOD_DATES) < 100_000:
        _GOOD_DATES[value] = day
    return value


def checked_day(text: str) -> _dt.date:
    """The date of a ``YYYY-MM-DD`` string ``check_date`` passed (parsed once)."""
    return _GOOD_DATES.get(text) or _dt.date.fromisoformat(text)


def check_stamp(value: Any, name: str) -> str:
    if type(value) is not str:
        raise RecordError(name, f"is not a date and time (it is {kind_of(value)})")
    try:
        moment = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(name, f"{_shown(value)} is not an ISO 8601 date and time"
                          ) from None
    if not DATE_MIN <= moment.date() <= DATE_MAX:
        raise RecordError(name, f"{value} is not a date and time between {DATE_MIN} and "
                          f"{DATE_MAX}")
    return value


def whole_number(low: int, high: int) -> Check:
    """The check of a whole number from ``low`` to ``high``."""

    def check(value: Any, name: str) -> int:
        if type(value) is not int:
            raise RecordError(name, f"{_shown(value)} is not a whole number")
        if not low <= value <= high:
            raise RecordError(name, f"{_shown(value)} is not a whole number from {low} to "
                              f"{high}")
        return value

    return check


def check_number(value: Any, name: str) -> float | int:
    if type(value) not in (int, float):
        raise RecordError(name, f"{_shown(value)} is not a number")
    if not -NUMBER_MAX <= value <= NUMBER_MAX:  # NaN fails this too
        raise RecordError(name, f"{_shown(value)} is not a finite number of at most 10^15")
    return value


def one_of(*allowed: str | None) -> Check:
    """The check of a value among ``allowed`` (None among them: the field is optional)."""
    names = ", ".join(a for a in allowed if a)

    def check(value: Any, name: str) -> Any:
        if value not in allowed or (value is not None and type(value) is not str):
            raise RecordError(name, f"{_shown(value)} is not one of {names}")
        return value

    return check


def _check_list(value: Any, name: str, what: str, check_item: Check) -> list[str]:
    if type(value) is not list:
        raise RecordError(name, f"is not a list of {what} (it is {kind_of(value)})")
    for n, item in enumerate(value):
        check_item(item, f"{name}[{n}]")
    return value


def check_ids(value: Any, name: str) -> list[str]:
    return _check_list(value, name, "ids", check_id)


def check_texts(value: Any, name: str) -> list[str]:
    return _check_list(value, name, "text", check_text)


def check_period(value: Any, name: str) -> str:
    """A month ``2026-11`` or a quarter ``2026-Q4``."""
    text = check_text(value, name)
    ok = len(text) == 7 and text[:4].isdigit() and text[4] == "-" and (
        (text[5:].isdigit() and 1 <= int(text[5:]) <= 12)
        or (text[5] == "Q" and text[6] in "1234"))
    if not ok or not DATE_MIN.year <= int(text[:4]) <= DATE_MAX.year:
        raise RecordError(name, f"{_shown(value)} is not a month (2026-11) or a quarter "
                          "(2026-Q4)")
    return text


class OptionalCheck:
    """``check`` of an optional field: None passes as it is."""

    allows_none = True  # ``check_fields`` lets None through without a call

    def __init__(self, check: Check) -> None:
        self.check = check

    def __call__(self, value: Any, name: str) -> Any:
        return None if value is None else self.check(value, name)


class DecodingCheck:
    """``check`` whose result replaces the stored value (a nested record, a 0/1 flag)."""

    decodes = True  # read by ``check_fields`` and by the JSON export

    def __init__(self, check: Check) -> None:
        self.check = check

    def __call__(self, value: Any, name: str) -> Any:
        return self.check(value, name)


def _flag(value: Any, name: str) -> bool:
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise RecordError(name, f"{_shown(value)} is not true or false")


check_flag = DecodingCheck(_flag)  # 0/1 read as false/true


# ---------------------------------------------------------------- a record's fields


class Schemed(Protocol):
    """A dataclass whose stored fields ``SCHEMA`` checks: (field, check) pairs."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    SCHEMA: ClassVar[tuple[tuple[str, Check], ...]]


def check_fields(cls: type[Schemed], data: dict[str, Any], where: str = "") -> dict[str, Any]:
    """``data``'s known fields checked (and decoded) by ``cls.SCHEMA``; the required ones
    present. Raises RecordError naming the field (``where`` prefixes nested ones).

    Loading reads every check-in at start: a plain value (ASCII text, a day already
    seen) passes without a call; the rest go through their check."""
    required, plan = _compiled(cls)
    if not required <= data.keys():
        name = next(n for n in _required(cls) if n not in data)
        raise RecordError(f"{where}{name}", "is missing", f"lacks {where}{name}")
    for name, check, kind in plan:
        value = data.get(name, _ABSENT)
        if value is _ABSENT:
            continue
        if kind is _TEXT:
            if type(value) is str and value.isascii():
                continue
        elif kind is _ID:
            if type(value) is str and value and value.isascii():
                continue
        elif kind is _DATE:
            if type(value) is str and value in _GOOD_DATES:
                continue
        elif kind is _STAMP:
            if type(value) is str and len(value) == 25 and value[:4] > "0999" and (
                    value[:4] < "9000" and value.endswith("+00:00")):
                try:
                    _dt.datetime.fromisoformat(value)
                    continue
                except ValueError:
                    pass
        elif kind is _NONE_OR:
            if value is None:
                continue
        elif kind is _DECODE:
            data[name] = check(value, f"{where}{name}")
            continue
        check(value, f"{where}{name}")
    return data


_ABSENT = object()
_TEXT, _ID, _DATE, _STAMP, _NONE_OR, _DECODE, _OTHER = (
    "text", "id", "date", "stamp", "none-or", "decode", "other")
_KINDS: dict[Check, str] = {
    check_text: _TEXT, check_id: _ID, check_date: _DATE, check_stamp: _STAMP}
_REQUIRED: dict[type, tuple[str, ...]] = {}
_COMPILED: dict[type, tuple[frozenset[str], tuple[tuple[str, Check, str], ...]]] = {}


def _required(cls: type[Schemed]) -> tuple[str, ...]:
    names = _REQUIRED.get(cls)
    if names is None:
        names = _REQUIRED[cls] = tuple(
            f.name for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
    return names


def _compiled(cls: type[Schemed]) -> tuple[frozenset[str], tuple[tuple[str, Check, str], ...]]:
    found = _COMPILED.get(cls)
    if found is None:
        plan = tuple(
            (name, check, _DECODE if getattr(check, "decodes", False)
             else _NONE_OR if getattr(check, "allows_none", False)
             else _KINDS.get(check, _OTHER))
            for name, check in cls.SCHEMA
        )
        found = _COMPILED[cls] = (frozenset(_required(cls)), plan)
    return found
