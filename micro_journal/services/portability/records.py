"""Records read from a file, checked as the repository checks them; the references a
record holds; and the words a message names each kind of record with."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from ...domain.models import (
    ALL_RECORD_TYPES,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Record,
    RecordError,
    WeeklyReview,
)
from ...store.repository import read_document
from ...store.table import doc_id as table_doc_id
from .common import PortabilityError

# reference fields, by name, wherever they appear (nested plan weeks and measurements too)
REFERENCE_KEYS: dict[str, type[Record]] = {
    "objective_id": Objective,
    "skill_id": MicroSkill,
    "skill_ids": MicroSkill,
    "plan_id": Plan,
    "goal_id": MicroGoal,
    "goal_ids": MicroGoal,
    "entry_id": Entry,
    "review_id": WeeklyReview,
}


def decode(cls: type[Record], doc: Any, doc_id: Any = 1) -> Record:
    """A record from a stored/exported dict, through the same check the repository
    reads the journal with (``store.repository.read_document``); PortabilityError says
    which field is wrong, never quoting its text."""
    try:
        return read_document(cls, doc_id, doc)
    except RecordError as err:
        raise PortabilityError(err.message) from None


def read_documents(data: dict[str, Any]
                   ) -> tuple[dict[type[Record], dict[str, Record]], list[str]]:
    """The records of ``data`` (a parsed journal) by type and id, and every document the
    repository would leave out, as ``table #doc-id: field …`` (the same check as the
    repository's, so the same list; never a field's text)."""
    records: dict[type[Record], dict[str, Record]] = {cls: {} for cls in ALL_RECORD_TYPES}
    problems = []
    for cls in ALL_RECORD_TYPES:
        docs = data.get(cls.TABLE) or {}
        seen: dict[str, str] = {}
        for key, doc in docs.items():
            try:
                record = decode(cls, doc, table_doc_id(key))
            except PortabilityError as err:
                problems.append(f"{cls.TABLE} #{key}: {err}")
                continue
            if record.id in seen:
                problems.append(f"{cls.TABLE} #{key}: id is used by two records "
                                f"(#{seen[record.id]} too)")
                continue
            seen[record.id] = key
            records[cls][record.id] = record
    return records, problems


def _walk_references(value: Any, where: str) -> Iterator[tuple[str, type[Record], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}" if where else key
            target = REFERENCE_KEYS.get(key)
            if target is not None:
                if isinstance(item, str):
                    yield here, target, item
                elif isinstance(item, list):
                    for n, ref in enumerate(item):
                        if isinstance(ref, str):
                            yield f"{here}[{n}]", target, ref
                continue
            yield from _walk_references(item, here)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _walk_references(item, f"{where}[{n}]")


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_FIELD_ORDER: dict[type[Record], tuple[str, ...]] = {}


def _inert(value: Any) -> bool:
    """A field value that holds no reference wherever it sits: a scalar, or a list of
    scalars (so the walk of its ``to_dict`` form yields nothing)."""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return True
    return (kind is list or kind is tuple) and all(type(v) in _SCALAR_TYPES for v in value)


def references(record: Record) -> Iterator[tuple[str, type[Record], str]]:
    """(where, target type, id) of every reference a record holds: what a walk of its
    ``to_dict()`` (less its id) finds under the ``REFERENCE_KEYS``, in that order."""
    cls = type(record)
    order = _FIELD_ORDER.get(cls)
    if order is None:
        order = _FIELD_ORDER[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if f.name not in ("id", "extra"))
    if record.extra or cls.to_dict is not Record.to_dict:
        data = record.to_dict()
        data.pop("id", None)
        yield from _walk_references(data, "")
        return
    # no unknown fields: to_dict() is the fields in order; read them where they are
    # (a hundred years of check-ins and entries are not written out to be walked)
    found = []
    for name in order:
        value = getattr(record, name)
        target = REFERENCE_KEYS.get(name)
        if target is not None:
            if isinstance(value, str):
                found.append((name, target, value))
            elif isinstance(value, list | tuple):
                found += [(f"{name}[{n}]", target, ref) for n, ref in enumerate(value)
                          if isinstance(ref, str)]
        elif not _inert(value):  # nested (a metric, plan weeks, measurements): walk it
            data = record.to_dict()
            data.pop("id", None)
            yield from _walk_references(data, "")
            return
    yield from found


KIND = {
    "objectives": "objective", "skills": "micro-skill", "plans": "plan",
    "checkins": "check-in", "entries": "journal entry", "reviews": "weekly review",
    "goals": "micro-goal",
}


PLURAL = {
    "objectives": "objectives", "skills": "micro-skills", "plans": "plans",
    "checkins": "check-ins", "entries": "journal entries", "reviews": "weekly reviews",
    "goals": "micro-goals",
}


def kind_of(cls: type[Record]) -> str:
    return KIND.get(cls.TABLE, cls.TABLE.replace("_", " ").removesuffix("s"))


def kinds_of(table: str) -> str:
    return PLURAL.get(table, table.replace("_", " "))
