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
from dataclasses import dataclass
from typing import Any, TypeVar

from ..domain.models import (
    CheckIn,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Record,
    RecordError,
    WeeklyReview,
    utc_now_iso,
)
from .errors import SaveError
from .files import check_storable, describe_os_error
from .journal import Journal
from .migrations import target_version, version_problem

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Skipped:
    """A document the repository could not turn into a record: left out of what the
    commands and screens see, kept as it is in the file, listed by ``verify``."""

    table: str
    doc_id: str
    field: str
    problem: str  # what is wrong, in words that never quote the field's text

    def describe(self) -> str:
        return f"{self.table} #{self.doc_id}: {self.problem}"


def read_document(cls: type[R], doc_id: Any, doc: Any) -> R:
    """The record document ``doc_id`` of ``cls``'s table holds; RecordError when it does
    not fit (the one check every document read from disk passes: see domain.models)."""
    if not isinstance(doc_id, int):
        raise RecordError("document id", "is not a number (TinyDB numbers its documents)",
                          "document id is not a number (TinyDB numbers its documents)")
    try:
        return cls.from_stored(doc)
    except RecordError:
        raise
    except RecursionError:
        raise RecordError("document", "is nested too deeply") from None
    except (TypeError, KeyError, ValueError, AttributeError) as err:
        raise RecordError("document", f"cannot be read ({type(err).__name__})") from None


def skipped_notice(skipped: list[Skipped]) -> str | None:
    """The one line that tells the user some records were left out, or None."""
    if not skipped:
        return None
    n = len(skipped)
    return (f"{n} record{'s' if n != 1 else ''} could not be read and "
            f"{'are' if n != 1 else 'is'} left out (kept in the file as they are); "
            "run `micro-journal verify` for the list.")


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
        # documents left out, by table (filled as each table is first read)
        self._skipped: dict[str, list[Skipped]] = {}
        self._load()
        problem = version_problem(self.storage.read())
        if problem and not self.read_only:
            # which app wrote it, and what a save would do to it, cannot be known
            self.storage.make_read_only(
                f"{problem}; it is opened for reading only (fix it, or run "
                "`micro-journal verify`)", release_lock=True)

    # ----------------------------------------------------------------- loading
    def _load(self) -> None:
        """Forget what was loaded; each table is turned into records when first used.

        Start-up pays only for what Today reads (skills, plans, check-ins, goals), not
        for ten years of journal entries.
        """
        self._records = _LazyTables(self._load_table)
        self._doc_ids = {}
        self._skipped = {}
        self._checkin_index = None
        self.version = getattr(self, "version", 0) + 1

    def _load_table(self, cls: type[Record]) -> dict[str, Record]:
        records: dict[str, Record] = {}
        skipped: list[Skipped] = []
        for doc_id, doc in self.db.table(cls.TABLE).documents():
            try:
                record = read_document(cls, doc_id, doc)
                if record.id in records:
                    raise RecordError("id", "is used by two records",
                                      f"id is used by two records (#{self._doc_ids[record.id]}"
                                      " too)")
            except RecordError as err:
                # left out, never changed or dropped: the storage keeps the document as
                # it is, and verify lists it
                skipped.append(Skipped(cls.TABLE, str(doc_id), err.field, err.message))
                continue
            records[record.id] = record
            self._doc_ids[record.id] = doc_id
        self._skipped[cls.TABLE] = skipped
        return records

    @property
    def skipped(self) -> list[Skipped]:
        """The documents left out of the tables read so far (each table is read when
        first used; ``load_all`` reads every one)."""
        return [s for table in self._skipped.values() for s in table]

    def load_all(self) -> None:
        from ..domain.models import ALL_RECORD_TYPES

        for cls in ALL_RECORD_TYPES:
            self._records[cls]

    def skipped_notice(self) -> str | None:
        """"2 records could not be read…": say it once, where the user will see it."""
        return skipped_notice(self.skipped)

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
        doc = record.to_dict()
        try:  # text the journal cannot hold (a lone surrogate) is refused, named
            check_storable(doc)
        except (UnicodeError, ValueError) as err:
            raise SaveError(self.storage.path, describe_os_error(err)) from None
        # one save: the meta row (a new journal's first record) and the record together
        with self.storage.batch():
            self.ensure_meta()
            if doc_id is None:
                doc_id = table.insert(doc)
            else:
                table.replace(doc_id, doc)
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
