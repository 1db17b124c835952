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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = _field_names(cls)
        if data.keys() <= names:  # the usual case, checked at C speed
            known, extra = dict(data), {}
        else:
            known = {k: v for k, v in data.items() if k in names}
            extra = {k: v for k, v in data.items() if k not in names}
        known = cls._decode(known)
        obj = cls(**known)
        obj.extra = extra
        return obj

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def touched(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied and ``updated_at`` refreshed."""
        new = dataclasses.replace(self, **changes, updated_at=utc_now_iso())
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


def _nested(cls: type, data: Any) -> Any:
    """Build a nested dataclass from a stored dict, keeping unknown keys in ``extra``."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} must be an object, not {type(data).__name__}")
    names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
    obj = cls(**{k: v for k, v in data.items() if k in names})
    obj.extra = {k: v for k, v in data.items() if k not in names}
    return obj


_EXTRA = dict(default_factory=dict, repr=False, compare=False)


@dataclass(kw_only=True)
class Objective(Record):
    """A long-term ambition ("Public speaking")."""

    TABLE: ClassVar[str] = "objectives"

    title: str
    description: str = ""
    archived: bool = False


@dataclass(kw_only=True)
class Metric:
    """How a micro-skill is measured: name, unit, direction, optional baseline/target."""

    name: str = ""
    unit: str = ""
    direction: str = "higher"  # "higher" or "lower" is better
    baseline: float | None = None
    target: float | None = None
    extra: dict[str, Any] = field(**_EXTRA)  # unknown keys from a newer app

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

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        metric = data.get("metric")
        if isinstance(metric, dict):
            data["metric"] = _nested(Metric, metric)
        return data

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


@dataclass(kw_only=True)
class Plan(Record):
    """A stacking plan for one objective: one new micro-skill per week, earlier ones stay active."""

    TABLE: ClassVar[str] = "plans"

    objective_id: str
    start_week: str  # local date of the first day of week 1
    weeks: list[PlanWeek] = field(default_factory=list)
    status: str = "active"
    ended_on: str | None = None

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        weeks = data.get("weeks") or []
        decoded = []
        for w in weeks:
            if not isinstance(w, PlanWeek):
                if not isinstance(w, dict):
                    raise TypeError(f"a plan week must be an object, not {type(w).__name__}")
                w = _nested(PlanWeek, {"skill_id": None, **w})
                w.hold = bool(w.hold)
            decoded.append(w)
        data["weeks"] = decoded
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


@dataclass(kw_only=True)
class Measurement:
    skill_id: str
    value: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(**_EXTRA)


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

    @classmethod
    def _decode(cls, data: dict[str, Any]) -> dict[str, Any]:
        data["measurements"] = [
            m if isinstance(m, Measurement) else _nested(Measurement, m)
            for m in data.get("measurements") or []
        ]
        return data


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


@dataclass(kw_only=True)
class PeriodReview(Record):
    """The review note of a month (``period`` "2026-11") or a quarter ("2026-Q4") of
    micro-goals. One per period: editing replaces."""

    TABLE: ClassVar[str] = "period_reviews"

    period: str
    note: str = ""


ALL_RECORD_TYPES: tuple[type[Record], ...] = (
    Objective, MicroSkill, Plan, CheckIn, Entry, WeeklyReview, MicroGoal, PeriodReview,
)
