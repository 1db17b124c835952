"""The entities of the journal (DESIGN §2) as plain dataclasses.

Every stored record has a stable string ``id`` (uuid4 hex), and ``created_at`` /
``updated_at`` in UTC ISO 8601. Local calendar dates are ``YYYY-MM-DD`` strings.

``to_dict``/``from_dict`` are the only (de)serialisation; unknown keys read from a
file are kept in ``extra`` and written back, so a newer app's fields survive an
older app's edit.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

SCHEMA_VERSION = 1

# statuses
SKILL_STATUSES = ("planned", "active", "mastered", "archived")
CHECKIN_STATUSES = ("done", "skipped")
GOAL_STATUSES = ("open", "done", "dropped")
PLAN_STATUSES = ("active", "ended")
DIRECTIONS = ("higher", "lower")
DECISIONS = ("stack", "hold", "tweak")

DEFAULT_PRACTICE_MINUTES = 5
PRACTICE_MINUTES_WARN = 15
GOAL_ESTIMATE_WARN = 120


def new_id() -> str:
    return uuid.uuid4().hex


def utc_now_iso() -> str:
    """A UTC timestamp for created_at/updated_at (wall time; not the user's 'today')."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def stamp_after(stamp: str) -> str:
    """A stamp for a new version of a record last stamped ``stamp``: now, or a second
    after ``stamp`` when this clock is behind it (a device whose clock lags still
    stamps its edit after the version it edited: sync keeps the later one)."""
    now = utc_now_iso()
    if not isinstance(stamp, str) or now > stamp:
        return now
    try:
        after = _dt.datetime.fromisoformat(stamp) + _dt.timedelta(seconds=1)
    except ValueError:
        return now
    return after.astimezone(_dt.UTC).isoformat(timespec="seconds")


def checkin_id(skill_id: str, day: str) -> str:
    """The id of the check-in of ``skill_id`` on ``day``: the same on every device,
    so two devices checking in the same skill on the same day make one record (sync
    keeps the later version) rather than two."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"micro-journal:checkin:{skill_id}:{day}").hex


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


def _bad(name: str, problem: str) -> RecordError:
    return RecordError(name, problem)


def _shown(value: Any) -> str:
    """A value in a message: short plain words and numbers only, never user text."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 20 and value.isprintable() else "that text"
    if value is None or isinstance(value, bool | int | float):
        return repr(value) if len(repr(value)) <= 24 else "that number"
    return f"a {_kind(value)}"


def _kind(value: Any) -> str:
    return {dict: "object", list: "list", str: "text", bool: "true/false",
            type(None): "null"}.get(type(value), "number" if isinstance(value, int | float)
                                      else type(value).__name__)


def _is_unicode(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(value: Any, name: str) -> str:
    if type(value) is not str:
        raise _bad(name, f"is not text (it is {_kind(value)})")
    if not _is_unicode(value):
        raise _bad(name, "holds a lone surrogate (half of a character): it is not "
                   "valid Unicode")
    return value


def check_id(value: Any, name: str) -> str:
    if type(value) is not str or not value:
        raise _bad(name, f"is not an id (it is {_kind(value) if value != '' else 'empty'})")
    return check_text(value, name)


def _optional(check):
    def optional(value: Any, name: str) -> Any:
        return None if value is None else check(value, name)

    optional.allows_none = True  # type: ignore[attr-defined]
    return optional


_GOOD_DATES: dict[str, _dt.date] = {}  # check-ins share their days: parse each once


def check_date(value: Any, name: str) -> str:
    if type(value) is str and value in _GOOD_DATES:
        return value
    if type(value) is not str:
        raise _bad(name, f"is not a YYYY-MM-DD date (it is {_kind(value)})")
    day = None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = _dt.date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        raise _bad(name, f"{_shown(value)} is not a YYYY-MM-DD date")
    if not DATE_MIN <= day <= DATE_MAX:
        raise _bad(name, f"{value} is not a YYYY-MM-DD date between {DATE_MIN} and "
                   f"{DATE_MAX}")
    if len(_GOOD_DATES) < 100_000:
        _GOOD_DATES[value] = day
    return value


def check_stamp(value: Any, name: str) -> str:
    if type(value) is not str:
        raise _bad(name, f"is not a date and time (it is {_kind(value)})")
    try:
        moment = _dt.datetime.fromisoformat(value)
    except ValueError:
        raise _bad(name, f"{_shown(value)} is not an ISO 8601 date and time") from None
    if not DATE_MIN <= moment.date() <= DATE_MAX:
        raise _bad(name, f"{value} is not a date and time between {DATE_MIN} and "
                   f"{DATE_MAX}")
    return value


def _whole(low: int, high: int):
    def check(value: Any, name: str) -> int:
        if type(value) is not int:
            raise _bad(name, f"{_shown(value)} is not a whole number")
        if not low <= value <= high:
            raise _bad(name, f"{_shown(value)} is not a whole number from {low} to {high}")
        return value

    return check


def check_number(value: Any, name: str) -> float | int:
    if type(value) not in (int, float):
        raise _bad(name, f"{_shown(value)} is not a number")
    if not -NUMBER_MAX <= value <= NUMBER_MAX:  # NaN fails this too
        raise _bad(name, f"{_shown(value)} is not a finite number of at most 10^15")
    return value


def check_flag(value: Any, name: str) -> bool:
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise _bad(name, f"{_shown(value)} is not true or false")


def _choice(*allowed: str | None):
    names = ", ".join(a for a in allowed if a)

    def check(value: Any, name: str) -> Any:
        if value not in allowed or (value is not None and type(value) is not str):
            raise _bad(name, f"{_shown(value)} is not one of {names}")
        return value

    return check


def _check_list(value: Any, name: str, what: str, check_item: Callable[[Any, str], Any]
                ) -> list[str]:
    if type(value) is not list:
        raise _bad(name, f"is not a list of {what} (it is {_kind(value)})")
    for n, item in enumerate(value):
        check_item(item, f"{name}[{n}]")
    return value


def check_ids(value: Any, name: str) -> list[str]:
    return _check_list(value, name, "ids", check_id)


def check_texts(value: Any, name: str) -> list[str]:
    return _check_list(value, name, "text", check_text)


def _check_fields(cls: type, data: dict[str, Any], where: str = "") -> dict[str, Any]:
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
_fromisoformat = _dt.date.fromisoformat  # ValueError for a day that does not exist
_stamp_parse = _dt.datetime.fromisoformat
_TEXT, _ID, _DATE, _STAMP, _NONE_OR, _DECODE, _OTHER = (
    "text", "id", "date", "stamp", "none-or", "decode", "other")
_KINDS = {check_text: _TEXT, check_id: _ID, check_date: _DATE, check_stamp: _STAMP}
_REQUIRED: dict[type, tuple[str, ...]] = {}
_COMPILED: dict[type, tuple[frozenset[str], tuple[tuple[str, Any, str], ...]]] = {}


def _required(cls: type) -> tuple[str, ...]:
    names = _REQUIRED.get(cls)
    if names is None:
        names = _REQUIRED[cls] = tuple(
            f.name for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
    return names


def _compiled(cls: type) -> tuple[frozenset[str], tuple[tuple[str, Any, str], ...]]:
    found = _COMPILED.get(cls)
    if found is None:
        plan = tuple(
            (name, check, _DECODE if getattr(check, "decodes", False)
             else _NONE_OR if getattr(check, "allows_none", False)
             else _KINDS.get(check, _OTHER))
            for name, check in cls.SCHEMA  # type: ignore[attr-defined]
        )
        found = _COMPILED[cls] = (frozenset(_required(cls)), plan)
    return found


def _decoder(check):
    """Mark a check whose result replaces the stored value (a nested record)."""
    check.decodes = True
    return check


_decoder(check_flag)  # 0/1 read as false/true


@dataclass(kw_only=True)
class Record:
    """Base of every stored record."""

    TABLE: ClassVar[str] = ""

    id: str = field(default_factory=new_id)
    created_at: str = field(default_factory=utc_now_iso)
    updated_at: str = field(default_factory=utc_now_iso)
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.extra)
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            data[f.name] = _plain(getattr(self, f.name))
        return data

    # (field, check) of every field read from disk; each check returns the value (decoded
    # for nested ones) or raises RecordError naming the field
    SCHEMA: ClassVar[tuple[tuple[str, Any], ...]] = (
        ("id", check_id), ("created_at", check_stamp), ("updated_at", check_stamp),
    )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record a stored document holds: every field the app relies on checked
        (types, dates, numbers, choices, nested shapes); unknown keys kept in ``extra``.
        RecordError (a ValueError and a TypeError) names the first field that does not fit.
        """
        if not isinstance(data, dict):
            raise RecordError("document", f"is not an object (it is {_kind(data)})")
        names = _field_names(cls)
        if data.keys() <= names:  # the usual case, checked at C speed
            known, extra = dict(data), {}
        else:
            known = {k: v for k, v in data.items() if k in names}
            extra = {k: v for k, v in data.items() if k not in names}
        if not cls._plain(known):
            known = cls._decode(_check_fields(cls, known))
        obj = cls(**known)
        obj.extra = extra
        return obj

    @classmethod
    def from_stored(cls, data: Any) -> Self:
        """``from_dict`` for a document read from disk, which must carry its own id (a
        made-up one would change at every read)."""
        if isinstance(data, dict) and "id" not in data:
            raise RecordError("id", "is missing", "lacks id")
        return cls.from_dict(data)

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        return data

    @classmethod
    def _plain(cls, data: dict[str, Any]) -> bool:
        """True when ``data`` certainly passes the check (a fast path for the tables
        that grow with the years); False: check it field by field."""
        return False

    def touched(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied and ``updated_at`` refreshed."""
        new = dataclasses.replace(self, **changes, updated_at=stamp_after(self.updated_at))
        new.extra = dict(self.extra)
        return new


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    """A record class's field names but ``extra`` (cached: loading reads thousands)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in dataclasses.fields(cls)) - {
            "extra"
        }
    return names


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # nested values (metric, plan weeks, measurements) keep unknown keys too
        data = dict(getattr(value, "extra", None) or {})
        for f in dataclasses.fields(value):
            if f.name != "extra":
                data[f.name] = _plain(getattr(value, f.name))
        return data
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _nested(cls: type, data: Any, where: str = "") -> Any:
    """Build a nested dataclass from a stored dict, keeping unknown keys in ``extra``;
    its fields are checked by ``cls.SCHEMA`` (RecordError names ``where`` + the field)."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, dict):
        raise RecordError(where.rstrip(".") or cls.__name__,
                          f"is not an object (it is {_kind(data)})")
    names = _field_names(cls)
    known = _check_fields(cls, {k: v for k, v in data.items() if k in names}, where)
    obj = cls(**known)
    obj.extra = {k: v for k, v in data.items() if k not in names}
    return obj


def _nested_list(cls: type, value: Any, name: str, defaults: dict[str, Any]) -> list[Any]:
    if value is None:
        return []
    if type(value) is not list:
        raise RecordError(name, f"is not a list (it is {_kind(value)})")
    return [_nested(cls, item if not isinstance(item, dict) else {**defaults, **item},
                    f"{name}[{n}].") for n, item in enumerate(value)]


_EXTRA = dict(default_factory=dict, repr=False, compare=False)


@dataclass(kw_only=True)
class Objective(Record):
    """A long-term ambition ("Public speaking")."""

    TABLE: ClassVar[str] = "objectives"

    title: str
    description: str = ""
    archived: bool = False

    SCHEMA = (*Record.SCHEMA, ("title", check_text), ("description", check_text),
              ("archived", check_flag))


@dataclass(kw_only=True)
class Metric:
    """How a micro-skill is measured: name, unit, direction, optional baseline/target."""

    name: str = ""
    unit: str = ""
    direction: str = "higher"  # "higher" or "lower" is better
    baseline: float | None = None
    target: float | None = None
    extra: dict[str, Any] = field(**_EXTRA)  # unknown keys from a newer app

    SCHEMA: ClassVar[tuple[tuple[str, Any], ...]] = (
        ("name", check_text), ("unit", check_text), ("direction", _choice(*DIRECTIONS)),
        ("baseline", _optional(check_number)), ("target", _optional(check_number)),
    )

    def better(self, a: float, b: float) -> bool:
        """Is value ``a`` strictly better than ``b`` in this metric's direction?"""
        return a < b if self.direction == "lower" else a > b

    def at_target(self, value: float) -> bool:
        if self.target is None:
            return False
        return value <= self.target if self.direction == "lower" else value >= self.target


@dataclass(kw_only=True)
class MicroSkill(Record):
    """One tiny, measurable element of a bigger skill."""

    TABLE: ClassVar[str] = "skills"

    objective_id: str
    title: str
    why: str = ""  # why / cue
    practice_minutes: int = DEFAULT_PRACTICE_MINUTES
    metric: Metric = field(default_factory=Metric)
    frequency_target: int = 7  # days per week, x of 7
    status: str = "active"
    mastered_on: str | None = None
    # days a week while in maintenance (a mastered skill kept up lightly); None = not
    maintenance_days: int | None = None

    SCHEMA = (
        *Record.SCHEMA, ("objective_id", check_id), ("title", check_text),
        ("why", check_text), ("practice_minutes", _whole(0, MINUTES_MAX)),
        ("metric", _decoder(lambda v, name: _nested(Metric, v, f"{name}."))),
        ("frequency_target", _whole(1, 7)), ("status", _choice(*SKILL_STATUSES)),
        ("mastered_on", _optional(check_date)), ("maintenance_days", _optional(_whole(1, 7))),
    )

    @property
    def in_maintenance(self) -> bool:
        return self.maintenance_days is not None and self.status != "archived"

    @property
    def days_target(self) -> int:
        """The days per week asked of the skill now: the maintenance rhythm while in
        maintenance, else its frequency target."""
        days = self.maintenance_days if self.in_maintenance else self.frequency_target
        try:
            return max(1, min(7, int(days)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 7

    def checklist_warnings(self) -> list[str]:
        """The micro-skill checklist: warn (never block) when an answer breaks it."""
        warnings = []
        if not self.metric.name.strip():
            warnings.append("No metric: a micro-skill you can't measure is hard to improve.")
        if self.practice_minutes > PRACTICE_MINUTES_WARN:
            warnings.append(
                f"{self.practice_minutes} minutes a day is a lot: micro-skills are practised "
                "in 5–10 minutes."
            )
        lowered = f" {self.title.lower()} "
        if " and " in lowered or "," in self.title:
            warnings.append("This looks like more than one element: keep one thing per skill.")
        return warnings


@dataclass(kw_only=True)
class PlanWeek:
    """One calendar week of a plan: introduces ``skill_id``, or holds (repeats) the week before."""

    skill_id: str | None
    hold: bool = False
    decision: str | None = None  # recorded at the mastery gate: "stack" / "hold" / "tweak"
    extra: dict[str, Any] = field(**_EXTRA)

    SCHEMA: ClassVar[tuple[tuple[str, Any], ...]] = (
        ("skill_id", _optional(check_id)), ("hold", check_flag),
        ("decision", _choice(*DECISIONS, None)),
    )


@dataclass(kw_only=True)
class Plan(Record):
    """A stacking plan for one objective: one new micro-skill per week, earlier ones stay active."""

    TABLE: ClassVar[str] = "plans"

    objective_id: str
    start_week: str  # local date of the first day of week 1
    weeks: list[PlanWeek] = field(default_factory=list)
    status: str = "active"
    ended_on: str | None = None

    SCHEMA = (
        *Record.SCHEMA, ("objective_id", check_id), ("start_week", check_date),
        ("weeks", _decoder(lambda v, name: _nested_list(PlanWeek, v, name,
                                                        {"skill_id": None}))),
        ("status", _choice(*PLAN_STATUSES)), ("ended_on", _optional(check_date)),
    )

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        start = _GOOD_DATES.get(data["start_week"]) or _dt.date.fromisoformat(
            data["start_week"])
        try:
            start + _dt.timedelta(weeks=len(data.get("weeks") or ()) + 1)
        except OverflowError:
            raise RecordError("weeks", "run past the last date a journal can hold") from None
        if start + _dt.timedelta(weeks=len(data.get("weeks") or ()) + 1) > DATE_MAX:
            raise RecordError("weeks", f"run past {DATE_MAX}")
        return data


@dataclass(kw_only=True)
class CheckIn(Record):
    """One skill on one local day. At most one per (skill, date): editing replaces."""

    TABLE: ClassVar[str] = "checkins"

    skill_id: str
    date: str
    status: str = "done"  # "done" or "skipped"
    minutes: int | None = None
    value: float | None = None
    note: str = ""

    SCHEMA = (
        *Record.SCHEMA, ("skill_id", check_id), ("date", check_date),
        ("status", _choice(*CHECKIN_STATUSES)), ("minutes", _optional(_whole(0, MINUTES_MAX))),
        ("value", _optional(check_number)), ("note", check_text),
    )

    @classmethod
    def _plain(cls, data: dict[str, Any]) -> bool:
        # a check-in a day for a hundred years is read at every start: the usual
        # document (as the app writes it) is recognised in one expression
        try:
            minutes, value, note = data["minutes"], data["value"], data["note"]
            ident, created, updated = data["id"], data["created_at"], data["updated_at"]
            date = data["date"]
            return (
                type(ident) is str and ident.isascii() and ident != ""
                and type(data["skill_id"]) is str and data["skill_id"].isascii()
                and data["skill_id"] != ""
                and type(date) is str and len(date) == 10 and date[4] == "-" == date[7]
                and "1000" <= date < "9000" and _fromisoformat(date) is not None
                and type(data["status"]) is str and data["status"] in CHECKIN_STATUSES
                and (minutes is None or (type(minutes) is int and 0 <= minutes <= MINUTES_MAX))
                and (value is None or (type(value) in (int, float)
                                       and -NUMBER_MAX <= value <= NUMBER_MAX))
                and type(note) is str and note.isascii()
                and type(created) is str and "1000" <= created < "9000"
                and type(updated) is str and "1000" <= updated < "9000"
                and _stamp_parse(created) is not None and _stamp_parse(updated) is not None
            )
        except (KeyError, ValueError):  # a missing field, a date that is none: the long way
            return False


@dataclass(kw_only=True)
class Entry(Record):
    """A journal entry on a local date."""

    TABLE: ClassVar[str] = "entries"

    date: str
    body: str = ""
    skill_ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    mood: int | None = None
    energy: int | None = None
    archived: bool = False

    SCHEMA = (
        *Record.SCHEMA, ("date", check_date), ("body", check_text),
        ("skill_ids", check_ids), ("tags", check_texts), ("mood", _optional(_whole(1, 5))),
        ("energy", _optional(_whole(1, 5))), ("archived", check_flag),
    )

    @classmethod
    def _plain(cls, data: dict[str, Any]) -> bool:
        # the Journal and search read every entry: the usual document (as the app
        # writes it) is recognised in one expression, its text checked at C speed
        try:
            ident, created, updated = data["id"], data["created_at"], data["updated_at"]
            date, body = data["date"], data["body"]
            skill_ids, tags, mood, energy = (
                data["skill_ids"], data["tags"], data["mood"], data["energy"])
            return (
                type(ident) is str and ident.isascii() and ident != ""
                and type(date) is str and len(date) == 10 and date[4] == "-" == date[7]
                and "1000" <= date < "9000" and _fromisoformat(date) is not None
                and type(body) is str and _is_unicode(body)
                and type(skill_ids) is list
                and all(type(i) is str and i.isascii() and i != "" for i in skill_ids)
                and type(tags) is list and all(type(t) is str and _is_unicode(t) for t in tags)
                and (mood is None or (type(mood) is int and 1 <= mood <= 5))
                and (energy is None or (type(energy) is int and 1 <= energy <= 5))
                and type(data["archived"]) is bool
                and type(created) is str and "1000" <= created < "9000"
                and type(updated) is str and "1000" <= updated < "9000"
                and _stamp_parse(created) is not None and _stamp_parse(updated) is not None
            )
        except (KeyError, ValueError):  # a missing field, a date that is none: the long way
            return False


@dataclass(kw_only=True)
class Measurement:
    skill_id: str
    value: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(**_EXTRA)

    SCHEMA: ClassVar[tuple[tuple[str, Any], ...]] = (
        ("skill_id", check_id), ("value", _optional(check_number)), ("note", check_text),
    )


@dataclass(kw_only=True)
class WeeklyReview(Record):
    """One per week (``week`` is the local date of the week's first day)."""

    TABLE: ClassVar[str] = "reviews"

    week: str
    objective_id: str | None = None
    measurements: list[Measurement] = field(default_factory=list)
    worked: str = ""
    adjust: str = ""
    decision: str | None = None
    tweak_skill_id: str | None = None  # the skill a "tweak" decision changes

    SCHEMA = (
        *Record.SCHEMA, ("week", check_date), ("objective_id", _optional(check_id)),
        ("measurements", _decoder(lambda v, name: _nested_list(Measurement, v, name, {}))),
        ("worked", check_text), ("adjust", check_text),
        ("decision", _choice(*DECISIONS, None)), ("tweak_skill_id", _optional(check_id)),
    )


@dataclass(kw_only=True)
class MicroGoal(Record):
    """The next concrete action toward an objective, with a deadline and a success metric."""

    TABLE: ClassVar[str] = "goals"

    objective_id: str
    action: str
    deadline: str
    skill_id: str | None = None
    success_metric: str = ""
    estimate_minutes: int | None = None
    status: str = "open"
    completed_at: str | None = None
    insight: str = ""
    drop_reason: str = ""

    SCHEMA = (
        *Record.SCHEMA, ("objective_id", check_id), ("action", check_text),
        ("deadline", check_date), ("skill_id", _optional(check_id)),
        ("success_metric", check_text), ("estimate_minutes", _optional(_whole(0, MINUTES_MAX))),
        ("status", _choice(*GOAL_STATUSES)), ("completed_at", _optional(check_stamp)),
        ("insight", check_text), ("drop_reason", check_text),
    )


@dataclass(kw_only=True)
class PeriodReview(Record):
    """The review note of a month (``period`` "2026-11") or a quarter ("2026-Q4") of
    micro-goals. One per period: editing replaces."""

    TABLE: ClassVar[str] = "period_reviews"

    period: str
    note: str = ""

    SCHEMA = (*Record.SCHEMA, ("period", lambda v, name: check_period(v, name)),
              ("note", check_text))


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


ALL_RECORD_TYPES: tuple[type[Record], ...] = (
    Objective, MicroSkill, Plan, CheckIn, Entry, WeeklyReview, MicroGoal, PeriodReview,
)
