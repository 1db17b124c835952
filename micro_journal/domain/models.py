"""The entities of the journal (DESIGN §2) as plain dataclasses.

Every stored record has a stable string ``id`` (uuid4 hex), and ``created_at`` /
``updated_at`` in UTC ISO 8601. Local calendar dates are ``YYYY-MM-DD`` strings.

``to_dict``/``from_dict`` are the only (de)serialisation; unknown keys read from a
file are kept in ``extra`` and written back, so a newer app's fields survive an
older app's edit. Each stored field is checked on reading by the record's ``SCHEMA``
(the checks and their errors are in ``checks``; importers find them here too).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from .checks import (
    DATE_MAX,
    MINUTES_MAX,
    NUMBER_MAX,
    Check,
    DecodingCheck,
    OptionalCheck,
    RecordError,
    check_date,
    check_fields,
    check_flag,
    check_id,
    check_ids,
    check_number,
    check_period,
    check_stamp,
    check_text,
    check_texts,
    checked_day,
    is_unicode,
    kind_of,
    one_of,
    whole_number,
)

# the names importers have always found here
from .checks import DATE_MIN as DATE_MIN
from .checks import ValidationError as ValidationError
from .checks import parse_local_date as parse_local_date

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


STAMP_UNKNOWN = "1970-01-01T00:00:00+00:00"  # a stored record's missing stamp


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


_isascii = str.isascii  # TypeError for anything but text
_fromisoformat = _dt.date.fromisoformat  # ValueError for a day that does not exist
_stamp_parse = _dt.datetime.fromisoformat


# the fast paths' tests (``Record._plain``), in single expressions: a value as the app
# writes it; KeyError or ValueError mean "check it the long way"


def _plain_base(data: dict[str, Any]) -> bool:
    """A record's id and stamps (``Record.SCHEMA``) as the app writes them."""
    ident, created, updated = data["id"], data["created_at"], data["updated_at"]
    return (
        type(ident) is str and ident.isascii() and ident != ""
        and type(created) is str and "1000" <= created < "9000"
        and type(updated) is str and "1000" <= updated < "9000"
        and _stamp_parse(created) is not None and _stamp_parse(updated) is not None
    )


def _plain_date(date: Any) -> bool:
    """A day as the app writes it: ``YYYY-MM-DD``, one that exists."""
    return (
        type(date) is str and len(date) == 10 and date[4] == "-" == date[7]
        and "1000" <= date < "9000" and _fromisoformat(date) is not None
    )


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
            data[f.name] = _plain_data(getattr(self, f.name))
        return data

    # (field, check) of every field read from disk; each check returns the value (decoded
    # for nested ones) or raises RecordError naming the field
    SCHEMA: ClassVar[tuple[tuple[str, Check], ...]] = (
        ("id", check_id), ("created_at", check_stamp), ("updated_at", check_stamp),
    )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record a stored document holds: every field the app relies on checked
        (types, dates, numbers, choices, nested shapes); unknown keys kept in ``extra``.
        RecordError (a ValueError and a TypeError) names the first field that does not fit.
        """
        if not isinstance(data, dict):
            raise RecordError("document", f"is not an object (it is {kind_of(data)})")
        names = _field_names(cls)
        if data.keys() <= names:  # the usual case, checked at C speed
            known, extra = dict(data), {}
        else:
            known = {k: v for k, v in data.items() if k in names}
            extra = {k: v for k, v in data.items() if k not in names}
        if not cls._plain(known):
            known = cls._decode(check_fields(cls, known))
        obj = cls(**known)
        obj.extra = extra
        return obj

    @classmethod
    def from_stored(cls, data: Any) -> Self:
        """``from_dict`` for a document read from disk, which must carry its own id (a
        made-up one would change at every read)."""
        if isinstance(data, dict) and "id" not in data:
            raise RecordError("id", "is missing", "lacks id")
        if isinstance(data, dict) and not ("created_at" in data and "updated_at" in data):
            # (written by hand or by another program) nor a made-up stamp: "now" would
            # change at every read, and make the record the newest in a sync merge
            known = data.get("created_at", data.get("updated_at", STAMP_UNKNOWN))
            data = {"created_at": known, "updated_at": known, **data}
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


def _plain_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # nested values (metric, plan weeks, measurements) keep unknown keys too
        data = dict(getattr(value, "extra", None) or {})
        for f in dataclasses.fields(value):
            if f.name != "extra":
                data[f.name] = _plain_data(getattr(value, f.name))
        return data
    if isinstance(value, list | tuple):
        return [_plain_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    return value


def _nested(cls: type, data: Any, where: str = "") -> Any:
    """Build a nested dataclass from a stored dict, keeping unknown keys in ``extra``;
    its fields are checked by ``cls.SCHEMA`` (RecordError names ``where`` + the field)."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, dict):
        raise RecordError(where.rstrip(".") or cls.__name__,
                          f"is not an object (it is {kind_of(data)})")
    names = _field_names(cls)
    known = check_fields(cls, {k: v for k, v in data.items() if k in names}, where)
    obj = cls(**known)
    obj.extra = {k: v for k, v in data.items() if k not in names}
    return obj


def _nested_list(cls: type, value: Any, name: str, defaults: dict[str, Any]) -> list[Any]:
    if value is None:
        return []
    if type(value) is not list:
        raise RecordError(name, f"is not a list (it is {kind_of(value)})")
    return [_nested(cls, item if not isinstance(item, dict) else {**defaults, **item},
                    f"{name}[{n}].") for n, item in enumerate(value)]


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
    # unknown keys from a newer app
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    SCHEMA: ClassVar[tuple[tuple[str, Check], ...]] = (
        ("name", check_text), ("unit", check_text), ("direction", one_of(*DIRECTIONS)),
        ("baseline", OptionalCheck(check_number)), ("target", OptionalCheck(check_number)),
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
        ("why", check_text), ("practice_minutes", whole_number(0, MINUTES_MAX)),
        ("metric", DecodingCheck(lambda v, name: _nested(Metric, v, f"{name}."))),
        ("frequency_target", whole_number(1, 7)), ("status", one_of(*SKILL_STATUSES)),
        ("mastered_on", OptionalCheck(check_date)),
        ("maintenance_days", OptionalCheck(whole_number(1, 7))),
    )

    @property
    def in_maintenance(self) -> bool:
        return self.maintenance_days is not None and self.status != "archived"

    @property
    def days_target(self) -> int:
        """The days per week asked of the skill now: the maintenance rhythm while in
        maintenance, else its frequency target."""
        rhythm = self.maintenance_days if self.in_maintenance else None
        days = self.frequency_target if rhythm is None else rhythm
        try:
            return max(1, min(7, int(days)))
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
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    SCHEMA: ClassVar[tuple[tuple[str, Check], ...]] = (
        ("skill_id", OptionalCheck(check_id)), ("hold", check_flag),
        ("decision", one_of(*DECISIONS, None)),
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
        ("weeks", DecodingCheck(lambda v, name: _nested_list(PlanWeek, v, name,
                                                             {"skill_id": None}))),
        ("status", one_of(*PLAN_STATUSES)), ("ended_on", OptionalCheck(check_date)),
    )

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        try:
            end = checked_day(data["start_week"]) + _dt.timedelta(
                weeks=len(data.get("weeks") or ()) + 1)
        except OverflowError:
            raise RecordError("weeks", "run past the last date a journal can hold") from None
        if end > DATE_MAX:
            raise RecordError("weeks", f"run past {DATE_MAX}")
        return data


# one check-in as the Progress screen reads it (``Repository.practice``):
# (day, status, minutes, value), no record made
Practice = tuple[_dt.date, str, "int | None", "float | None"]


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
        ("status", one_of(*CHECKIN_STATUSES)),
        ("minutes", OptionalCheck(whole_number(0, MINUTES_MAX))),
        ("value", OptionalCheck(check_number)), ("note", check_text),
    )

    @classmethod
    def _plain(cls, data: dict[str, Any]) -> bool:
        # a check-in a day for a hundred years is read at every start: the usual
        # document (as the app writes it) is recognised in one expression
        try:
            minutes, value, note = data["minutes"], data["value"], data["note"]
            return (
                _plain_base(data)
                and type(data["skill_id"]) is str and data["skill_id"].isascii()
                and data["skill_id"] != ""
                and _plain_date(data["date"])
                and type(data["status"]) is str and data["status"] in CHECKIN_STATUSES
                and (minutes is None or (type(minutes) is int and 0 <= minutes <= MINUTES_MAX))
                and (value is None or (type(value) in (int, float)
                                       and -NUMBER_MAX <= value <= NUMBER_MAX))
                and type(note) is str and note.isascii()
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
        ("skill_ids", check_ids), ("tags", check_texts),
        ("mood", OptionalCheck(whole_number(1, 5))),
        ("energy", OptionalCheck(whole_number(1, 5))), ("archived", check_flag),
    )

    @classmethod
    def _plain(cls, data: dict[str, Any]) -> bool:
        # the Journal and search read every entry: the usual document (as the app
        # writes it) is recognised in one expression, its text checked at C speed. The
        # lists are looked at with ``str.isascii`` mapped over them (a TypeError for an
        # item that is not text); only tags with other letters are checked one by one.
        try:
            body = data["body"]
            skill_ids, tags, mood, energy = (
                data["skill_ids"], data["tags"], data["mood"], data["energy"])
            return (
                _plain_base(data) and _plain_date(data["date"])
                and type(body) is str and is_unicode(body)
                and type(skill_ids) is list and all(map(_isascii, skill_ids))
                and "" not in skill_ids
                and type(tags) is list and (all(map(_isascii, tags)) or all(
                    type(t) is str and is_unicode(t) for t in tags))
                and (mood is None or (type(mood) is int and 1 <= mood <= 5))
                and (energy is None or (type(energy) is int and 1 <= energy <= 5))
                and type(data["archived"]) is bool
            )
        except (KeyError, ValueError, TypeError):  # a missing field, a date that is
            return False  # none, an item that is not text: the long way


@dataclass(kw_only=True)
class Measurement:
    skill_id: str
    value: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    SCHEMA: ClassVar[tuple[tuple[str, Check], ...]] = (
        ("skill_id", check_id), ("value", OptionalCheck(check_number)), ("note", check_text),
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
        *Record.SCHEMA, ("week", check_date), ("objective_id", OptionalCheck(check_id)),
        ("measurements", DecodingCheck(lambda v, name: _nested_list(Measurement, v, name, {}))),
        ("worked", check_text), ("adjust", check_text),
        ("decision", one_of(*DECISIONS, None)), ("tweak_skill_id", OptionalCheck(check_id)),
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
        ("deadline", check_date), ("skill_id", OptionalCheck(check_id)),
        ("success_metric", check_text),
        ("estimate_minutes", OptionalCheck(whole_number(0, MINUTES_MAX))),
        ("status", one_of(*GOAL_STATUSES)), ("completed_at", OptionalCheck(check_stamp)),
        ("insight", check_text), ("drop_reason", check_text),
    )


@dataclass(kw_only=True)
class PeriodReview(Record):
    """The review note of a month (``period`` "2026-11") or a quarter ("2026-Q4") of
    micro-goals. One per period: editing replaces."""

    TABLE: ClassVar[str] = "period_reviews"

    period: str
    note: str = ""

    SCHEMA = (*Record.SCHEMA, ("period", check_period),
              ("note", check_text))


ALL_RECORD_TYPES: tuple[type[Record], ...] = (
    Objective, MicroSkill, Plan, CheckIn, Entry, WeeklyReview, MicroGoal, PeriodReview,
)
