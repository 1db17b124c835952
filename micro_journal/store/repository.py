"""The repository: domain objects in, domain objects out. Nothing else touches the store.

All records are loaded once into memory (indexed by id, and check-ins by skill and
date); every change is saved to the safe storage *before* the in-memory index is
updated, so the index never holds what the disk does not.

Records are TinyDB documents: each record class has its table in the journal's
``JournalDB``; a new record is inserted (TinyDB gives it its document id), a changed
one replaces its document, a removed one is removed, and the table saves just that
document (store/table.py): a save costs the same however big the journal. The
indexes here (records by id, check-ins by skill and date) are built from the tables'
documents, once per table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TypeVar

from ..domain.models import (
    CheckIn,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Record,
    WeeklyReview,
    utc_now_iso,
)
from .journal import Journal
from .migrations import target_version

R = TypeVar("R", bound=Record)


class _LazyTables(dict):
    """record class -> {id: record}, filled on first access of each class."""

    def __init__(self, loader) -> None:
        super().__init__()
        self._loader = loader

    def __missing__(self, cls):
        records = self[cls] = self._loader(cls)
        return records


class Repository:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.db = journal.db
        self.storage = journal.storage
        self._records: dict[type[Record], dict[str, Record]] = {}
        self._doc_ids: dict[str, int] = {}
        self._checkin_index: dict[tuple[str, str], CheckIn] | None = None
        self._load()

    # ----------------------------------------------------------------- loading
    def _load(self) -> None:
        """Forget what was loaded; each table is turned into records when first used.

        Start-up pays only for what Today reads (skills, plans, check-ins, goals), not
        for ten years of journal entries.
        """
        self._records = _LazyTables(self._load_table)
        self._doc_ids = {}
        self._checkin_index = None
        self.version = getattr(self, "version", 0) + 1

    def _load_table(self, cls: type[Record]) -> dict[str, Record]:
        records: dict[str, Record] = {}
        for doc_id, doc in self.db.table(cls.TABLE).documents():
            try:
                record = cls.from_dict(doc)
            except (TypeError, KeyError, ValueError, AttributeError):
                continue  # verify (issue "data portability") reports these
            records[record.id] = record
            self._doc_ids[record.id] = doc_id
        return records

    @property
    def _checkins(self) -> dict[tuple[str, str], CheckIn]:
        if self._checkin_index is None:
            self._checkin_index = {
                (c.skill_id, c.date): c for c in self._records[CheckIn].values()
            }
        return self._checkin_index

    def reload(self) -> None:
        self.storage.reload()
        self._forget()

    def _forget(self) -> None:
        """Memory was read again from disk: drop every index built from it."""
        self.db.forget()
        self._load()

    @property
    def read_only(self) -> bool:
        return self.journal.read_only

    def ensure_meta(self) -> None:
        meta = self.db.table("meta")
        if not len(meta) and not self.read_only:
            meta.insert({"schema_version": target_version(), "created_at": utc_now_iso()})

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes saved as one atomic write (all or nothing)."""
        try:
            with self.storage.batch():
                yield
        except BaseException:
            self._forget()  # memory back to what is on disk
            raise

    # ----------------------------------------------------------------- generic
    def all(self, cls: type[R]) -> list[R]:
        return list(self._records[cls].values())  # type: ignore[arg-type]

    def get(self, cls: type[R], record_id: str) -> R | None:
        return self._records[cls].get(record_id)  # type: ignore[return-value]

    def save(self, record: R) -> R:
        """Insert or replace ``record`` (by id). Raises SaveError/ReadOnlyJournal."""
        cls = type(record)
        self._records[cls]  # loaded first, so its doc ids are known
        table = self.db.table(cls.TABLE)
        doc_id = self._doc_ids.get(record.id)
        # one save: the meta row (a new journal's first record) and the record together
        with self.storage.batch():
            self.ensure_meta()
            if doc_id is None:
                doc_id = table.insert(record.to_dict())
            else:
                table.replace(doc_id, record.to_dict())
        self._doc_ids[record.id] = doc_id
        previous = self._records[cls].get(record.id)
        self._records[cls][record.id] = record
        self.version += 1
        if isinstance(record, CheckIn):
            if isinstance(previous, CheckIn):
                key = (previous.skill_id, previous.date)
                if self._checkins.get(key) is previous:
                    del self._checkins[key]  # moved to another day or skill
            self._checkins[(record.skill_id, record.date)] = record
        return record

    def _delete(self, record: Record) -> None:
        self._records[type(record)]
        doc_id = self._doc_ids.get(record.id)
        if doc_id is not None:
            self.db.table(type(record).TABLE).remove(doc_ids=[doc_id])
            del self._doc_ids[record.id]
        self._records[type(record)].pop(record.id, None)
        self.version += 1

    # ----------------------------------------------------------------- queries
    def objectives(self, *, include_archived: bool = False) -> list[Objective]:
        items = sorted(self.all(Objective), key=lambda o: o.created_at)
        return [o for o in items if include_archived or not o.archived]

    def skills(self, objective_id: str | None = None) -> list[MicroSkill]:
        items = sorted(self.all(MicroSkill), key=lambda s: s.created_at)
        if objective_id is not None:
            items = [s for s in items if s.objective_id == objective_id]
        return items

    def plans(self, *, active_only: bool = False) -> list[Plan]:
        items = sorted(self.all(Plan), key=lambda p: p.created_at)
        return [p for p in items if not active_only or p.status == "active"]

    def checkin(self, skill_id: str, day: dt.date | str) -> CheckIn | None:
        key = day.isoformat() if isinstance(day, dt.date) else day
        return self._checkins.get((skill_id, key))

    def checkins(self, skill_id: str | None = None) -> list[CheckIn]:
        items = [
            c for c in self._checkins.values() if skill_id is None or c.skill_id == skill_id
        ]
        return sorted(items, key=lambda c: (c.date, c.created_at))

    def entries(self, *, include_archived: bool = False) -> list[Entry]:
        items = sorted(self.all(Entry), key=lambda e: (e.date, e.created_at), reverse=True)
        return [e for e in items if include_archived or not e.archived]

    def goals(self) -> list[MicroGoal]:
        return sorted(self.all(MicroGoal), key=lambda g: (g.deadline, g.created_at))

    def reviews(self) -> list[WeeklyReview]:
        return sorted(self.all(WeeklyReview), key=lambda r: r.week)

    # ----------------------------------------------------------------- check-ins
    def set_checkin(
        self,
        skill_id: str,
        day: dt.date,
        status: str = "done",
        *,
        minutes: int | None = None,
        value: float | None = None,
        note: str | None = None,
    ) -> CheckIn:
        """Record (or replace) the check-in of ``skill_id`` on ``day``; never duplicates.

        Fields left as None keep what an existing check-in of that day already had.
        """
        existing = self.checkin(skill_id, day)
        if existing is None:
            record = CheckIn(
                skill_id=skill_id, date=day.isoformat(), status=status,
                minutes=minutes, value=value, note=note or "",
            )
        else:
            record = existing.touched(
                status=status,
                minutes=existing.minutes if minutes is None else minutes,
                value=existing.value if value is None else value,
                note=existing.note if note is None else note,
            )
        return self.save(record)

    def remove_checkin(self, skill_id: str, day: dt.date) -> CheckIn | None:
        """Undo the check-in of ``skill_id`` on ``day``; returns what was removed."""
        existing = self.checkin(skill_id, day)
        if existing is None:
            return None
        self._delete(existing)
        del self._checkins[(skill_id, existing.date)]
        return existing

    def save_many(self, records: Iterable[Record]) -> None:
        with self.batch():
            for record in records:
                self.save(record)
