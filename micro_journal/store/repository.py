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
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..domain import rules
from ..domain.models import (
    CheckIn,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Practice,
    Record,
    RecordError,
    WeeklyReview,
    checkin_id,
    stamp_after,
    utc_now_iso,
)
from .errors import SaveError
from .files import check_storable, describe_os_error
from .journal import Journal
from .migrations import target_version, version_problem
from .sync import CONFLICTS, PAST, PAST_KEEP, TOMBSTONES, text_mark
from .table import DocId
from .table import doc_id as document_id
from .views import CheckIns, EntryRows, RecordRows, plain_rows

R = TypeVar("R", bound=Record)
S = TypeVar("S")


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
        # a document id is TinyDB's number, or the text key of a document filed by hand
        self._doc_ids: dict[str, DocId] = {}
        self._checkin_index: CheckIns | None = None
        # records made from documents one at a time, by table and document id
        self._made: dict[tuple[str, DocId], Record] = {}
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
        self._made = {}
        # the entries made so far, by document id, with the document each was made from
        self._entries_made: dict[DocId, tuple[Any, Entry]] = {}
        self._entry_ids_known = False
        # stored key -> (the document found plain, its id): checked once, not per list
        self._plain_entries: dict[str, tuple[Any, DocId]] = {}
        self._tombs: dict[str, str] | None = None
        # what is kept of other tables' older parts (``_with_older``), by table, with the
        # record of the part it came from
        self._older_kept: dict[str, tuple[dict[str, Any], Any]] = {}
        self.version = getattr(self, "version", 0) + 1

    def _load_table(self, cls: type[Record]) -> dict[str, Record]:
        records: dict[str, Record] = {}
        skipped: list[Skipped] = []
        made = self._made
        entries_made = self._entries_made if cls is Entry else {}
        for doc_id, doc in self.db.table(cls.TABLE).documents():
            try:
                record = made.get((cls.TABLE, doc_id))
                if record is None:
                    hit = entries_made.get(doc_id)  # an entry read before, if still stored
                    record = (hit[1] if hit is not None and hit[0] is doc
                              else read_document(cls, doc_id, doc))
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
        if cls is CheckIn:
            for record in records.values():
                made[(cls.TABLE, self._doc_ids[record.id])] = record
            self._checkin_index = None  # built again from the records just read
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
    def _checkins(self) -> CheckIns:
        index = self._checkin_index
        if index is None or index.generation != self.storage.checkins_generation:
            index = self._checkin_index = self._index_checkins()
        return index

    def _raw_checkins(self) -> dict[str, Any]:
        """The check-in documents in memory (the recent ones while the older are left
        in the file: layout.py), without reading the older ones."""
        return self.storage.peek(CheckIn.TABLE) or {}

    def _read_older(self) -> None:
        """Read the older check-ins the file holds (an answer needs every one)."""
        if self.storage.older_left() is not None:
            self.storage.read_older()

    def _index_checkins(self) -> CheckIns:
        """The check-ins' documents sorted by skill (from their records when every one
        was read); a document whose skill is no text is read as a record at once."""
        groups: dict[str, list[DocId]] = {}
        generation = self.storage.checkins_generation
        if dict.__contains__(self._records, CheckIn):
            for record in dict.__getitem__(self._records, CheckIn).values():
                assert isinstance(record, CheckIn)
                groups.setdefault(record.skill_id, []).append(self._doc_ids[record.id])
            return CheckIns(groups, generation)
        table = CheckIn.TABLE
        skipped = self._skipped[table] = []
        for key, doc in self._raw_checkins().items():
            doc_id = document_id(key)
            skill_id = doc.get("skill_id") if type(doc) is dict else None
            if type(skill_id) is not str or type(doc_id) is not int:
                try:  # read in full: it says what is wrong (or it is a check-in after all)
                    record = read_document(CheckIn, doc_id, doc)
                except RecordError as err:
                    skipped.append(Skipped(table, str(doc_id), err.field, err.message))
                    continue
                skill_id = record.skill_id
            group = groups.get(skill_id)
            if group is None:
                groups[skill_id] = [doc_id]
            else:
                group.append(doc_id)
        return CheckIns(groups, generation)

    def _skill_days(self, skill_id: str) -> dict[str, DocId]:
        """``{date: doc id}`` of one skill's check-ins (the last document of a day wins,
        as when every record is read)."""
        index = self._checkins
        days = index.per_skill.get(skill_id)
        if days is not None:
            return days
        days = index.per_skill[skill_id] = {}
        raw = self._raw_checkins()
        doc_ids = self._doc_ids
        for doc_id in index.groups.pop(skill_id, ()):
            doc = raw.get(str(doc_id))
            if doc is None:
                continue
            rid, date = doc.get("id"), doc.get("date")
            if type(rid) is not str or type(date) is not str or rid in doc_ids:
                record = self._checkin_record(doc_id)
                if record is None:
                    continue
                rid, date = record.id, record.date
                if doc_ids.get(rid, doc_id) != doc_id:
                    self._made.pop((CheckIn.TABLE, doc_id), None)
                    self._skip_checkin(doc_id, RecordError(
                        "id", "is used by two records",
                        f"id is used by two records (#{doc_ids[rid]} too)"))
                    continue
            doc_ids[rid] = doc_id
            days[date] = doc_id
        return days

    def _skip_checkin(self, doc_id: DocId, err: RecordError) -> None:
        self._skipped.setdefault(CheckIn.TABLE, []).append(
            Skipped(CheckIn.TABLE, str(doc_id), err.field, err.message))

    def _checkin_record(self, doc_id: DocId) -> CheckIn | None:
        """The check-in document ``doc_id`` holds, made (and checked) once; None, and
        left out like any unreadable document, when it does not read as a check-in."""
        key = (CheckIn.TABLE, doc_id)
        record = self._made.get(key)
        if record is None:
            doc = self._raw_checkins().get(str(doc_id))
            if doc is None and self.storage.older_left() is not None:
                self._read_older()  # it is one of the older check-ins
                doc = self._raw_checkins().get(str(doc_id))
            try:
                record = read_document(CheckIn, doc_id, doc)
            except RecordError as err:
                self._skip_checkin(doc_id, err)
                skill_id, date, rid = (
                    (doc.get("skill_id"), doc.get("date"), doc.get("id"))
                    if isinstance(doc, dict) else (None, None, None))
                days = self._checkins.per_skill.get(skill_id) if type(skill_id) is str else None
                if days is not None and type(date) is str:
                    self._checkins.drop(days, skill_id, date, doc_id)  # type: ignore[arg-type]
                if type(rid) is str and self._doc_ids.get(rid) == doc_id:
                    del self._doc_ids[rid]
                return None
            self._made[key] = record
        return record  # type: ignore[return-value]

    def reload(self) -> None:
        self.storage.reload()
        self._forget()

    def _tombstones(self) -> dict[str, str]:
        """Removed records' ids → when they were removed (the ``tombstones`` table,
        which a sync carries to other devices: sync.py)."""
        if self._tombs is None:
            docs = self.storage.peek(TOMBSTONES) or {}
            self._tombs = {
                doc["id"]: str(doc.get("removed_at", "")) for doc in docs.values()
                if isinstance(doc, dict) and type(doc.get("id")) is str}
        return self._tombs

    @staticmethod
    def _remember_texts(record: Record, doc: dict[str, Any], old: Any) -> None:
        """An entry whose text changed keeps the checksum of the text it replaced (and
        of conflicting versions the user has resolved): a sync then knows that text
        for an older version, not a conflicting one (sync.py)."""
        if not isinstance(old, dict):
            return
        marks = [m for m in (old.get(PAST) or []) if isinstance(m, str)]
        for m in doc.get(PAST) or []:
            if isinstance(m, str) and m not in marks:
                marks.append(m)
        replaced = []
        if isinstance(old.get("body"), str) and old["body"] != doc.get("body"):
            replaced.append(old["body"])
        if not doc.get(CONFLICTS):  # resolved in the editor
            replaced += [t for t in old.get(CONFLICTS) or [] if isinstance(t, str)]
        for text in replaced:
            mark = text_mark(text)
            if mark not in marks:
                marks.append(mark)
        if isinstance(body := doc.get("body"), str):
            # a text typed again is the entry's text, not one it replaced: left in
            # ``past``, a sync would take it for an older version and drop it
            marks = [m for m in marks if m != text_mark(body)]
        if marks:
            doc[PAST] = record.extra[PAST] = marks[-PAST_KEEP:]
        else:
            doc.pop(PAST, None)
            record.extra.pop(PAST, None)

    def _bury(self, record: Record) -> None:
        """Leave a tombstone for a removed record: another device's copy of it must
        not bring it back when the copies are merged."""
        removed_at = stamp_after(record.updated_at)
        table = self.db.table(TOMBSTONES)
        stone = {"id": record.id, "table": type(record).TABLE, "removed_at": removed_at}
        found = [doc.doc_id for doc in table if doc.get("id") == record.id]
        if found:
            table.replace(found[0], stone)
        else:
            table.insert(stone)
        self._tombstones()[record.id] = removed_at

    def forget_indexes(self) -> None:
        """The storage's memory was replaced whole (a sync merged another device's
        records in): records and indexes are made again from it."""
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
        if cls is Entry and not dict.__contains__(self._records, Entry):
            return self._entry(record_id)  # type: ignore[return-value]
        return self._records[cls].get(record_id)  # type: ignore[return-value]

    def _know_doc_ids(self, cls: type[Record]) -> None:
        """Read enough of ``cls``'s table that its records' document ids are known: the
        check-ins' index, the entries' ids, or every record of the other tables."""
        if cls is CheckIn:
            _ = self._checkins
        elif cls is Entry:
            self._know_entry_ids()
        else:
            _ = self._records[cls]

    # ----------------------------------------------------------------- entries
    # Read from their documents until something needs every record (store/views.py)

    def _know_entry_ids(self) -> None:
        """The entries' document ids, from the documents (the first document of an id is
        the entry, as ``_load_table`` reads them)."""
        if self._entry_ids_known or dict.__contains__(self._records, Entry):
            return
        doc_ids = self._doc_ids
        for doc_id, doc in self.db.table(Entry.TABLE).documents():
            if type(doc) is dict and type(ident := doc.get("id")) is str:
                doc_ids.setdefault(ident, doc_id)
        self._entry_ids_known = True

    def _make_entry(self, doc_id: DocId, doc: dict[str, Any]) -> Entry:
        """The record of document ``doc`` (made once; a document replaced since, by a
        save or a sync, is made again)."""
        hit = self._entries_made.get(doc_id)
        if hit is not None and hit[0] is doc:
            return hit[1]
        entry = read_document(Entry, doc_id, doc)
        self._entries_made[doc_id] = (doc, entry)
        return entry

    def _entry(self, record_id: str) -> Entry | None:
        self._know_entry_ids()
        doc_id = self._doc_ids.get(record_id)
        doc = None if doc_id is None else self.db.table(Entry.TABLE).document(doc_id)
        if doc_id is None or doc is None:
            return None
        try:
            return self._make_entry(doc_id, doc)
        except RecordError:  # left out of the records, as the full read leaves it
            return self._records[Entry].get(record_id)  # type: ignore[return-value]

    def entry_rows(self, *, archived: bool = False) -> EntryRows:
        """The entries (archived ones, or the others), newest first as ``entries`` lists
        them, made into records as they are read. A journal with any entry document the
        app would not write is listed from its records (the full read skips and names
        what cannot be read)."""
        if not dict.__contains__(self._records, Entry):
            raw = self.db.table(Entry.TABLE).raw_documents()
            found = plain_rows(raw, self._plain_entries, archived)
            if found is not None:
                rows, ids = found
                if not self._entry_ids_known:
                    for ident, doc_id in ids.items():
                        self._doc_ids.setdefault(ident, doc_id)
                    self._entry_ids_known = True
                return EntryRows(rows, self._make_entry, self._entries_made)
        return RecordRows([e for e in self.entries(include_archived=True)
                           if e.archived == archived])

    def save(self, record: R) -> R:
        """Insert or replace ``record`` (by id). Raises SaveError/ReadOnlyJournal."""
        cls = type(record)
        self._know_doc_ids(cls)
        table = self.db.table(cls.TABLE)
        doc_id = self._doc_ids.get(record.id)
        removed_at = self._tombstones().get(record.id)
        if removed_at is not None and record.updated_at <= removed_at:
            # saved again after it was removed: stamped after its tombstone, so that
            # a sync keeps it (sync.py)
            record = dataclasses.replace(record, updated_at=stamp_after(removed_at))
        doc = record.to_dict()
        if cls is Entry and doc_id is not None:
            self._remember_texts(record, doc, table.get(doc_id=doc_id))  # type: ignore[arg-type]  # TinyDB types ids int
        try:  # text the journal cannot hold (a lone surrogate) is refused, named
            check_storable(doc)
        except (UnicodeError, ValueError) as err:
            raise SaveError(self.storage.path, describe_os_error(err)) from None
        before = None
        if doc_id is not None and cls is CheckIn:
            old = self._made.get((cls.TABLE, doc_id))
            if isinstance(old, CheckIn):
                before = (old.skill_id, old.date)
            elif isinstance(raw := self._raw_checkins().get(str(doc_id)), dict) and type(
                    raw.get("skill_id")) is str and type(raw.get("date")) is str:
                before = (raw["skill_id"], raw["date"])
        # one save: the meta row (a new journal's first record) and the record together
        with self.storage.batch():
            self.ensure_meta()
            if doc_id is None:
                doc_id = table.insert(doc)
            else:
                table.replace(doc_id, doc)
        self._doc_ids[record.id] = doc_id
        # (dict.get never calls __missing__: a table not read has nothing to update)
        records = self._records.get(cls)
        if records is not None:
            records[record.id] = record
        self.version += 1
        if isinstance(record, CheckIn):
            index = self._checkins
            if before is not None:  # it may have moved to another day or skill
                index.drop(self._skill_days(before[0]), before[0], before[1], doc_id)
            index.put(self._skill_days(record.skill_id), record.skill_id, record.date, doc_id,
                      record.status)
            self._made[(cls.TABLE, doc_id)] = record
        elif cls is Entry:  # made again from what is stored when next read
            self._entries_made.pop(doc_id, None)
        return record

    def _delete(self, record: Record) -> None:
        cls = type(record)
        self._know_doc_ids(cls)
        doc_id = self._doc_ids.get(record.id)
        if doc_id is not None:
            with self.storage.batch():  # the removal and its tombstone: one save
                self.db.table(cls.TABLE).remove(doc_ids=[doc_id])
                self._bury(record)
            del self._doc_ids[record.id]
            self._made.pop((cls.TABLE, doc_id), None)
            self._entries_made.pop(doc_id, None)
            if isinstance(record, CheckIn):
                self._checkins.drop(self._skill_days(record.skill_id), record.skill_id,
                                    record.date, doc_id)
        records = dict.get(self._records, cls)
        if records is not None:
            records.pop(record.id, None)
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
        older = self.storage.older_left()
        if older is not None and key < older["cut"]:
            self._read_older()  # a day whose check-in may be one of the older ones
        doc_id = self._skill_days(skill_id).get(key)
        return None if doc_id is None else self._checkin_record(doc_id)

    def checkins(self, skill_id: str | None = None) -> list[CheckIn]:
        self._read_older()
        return self._checkins_in_memory(skill_id)

    def _checkins_in_memory(self, skill_id: str | None = None) -> list[CheckIn]:
        """``checkins`` of the documents in memory: the recent ones only while the older
        are left in the file."""
        index = self._checkins
        skills = list(index.groups) + list(index.per_skill) if skill_id is None else [skill_id]
        doc_ids = [d for s in dict.fromkeys(skills) for d in self._skill_days(s).values()]
        items = [c for c in map(self._checkin_record, doc_ids) if c is not None]
        return sorted(items, key=lambda c: (c.date, c.created_at))

    def practice(self) -> dict[str, Sequence[Practice]]:
        """Every check-in as (day, status, minutes, value), by skill, oldest day first:
        what the Progress screen draws — the same as ``checkins()`` says (the sequences
        may be the repository's own: read them, never change them).

        While the older check-ins are left in the file (layout.py), they are read as
        ``_with_older`` says and kept as these rows only: no record and no document of
        each (a hundred years are 36,500), and no copy in the table. A check-in since
        dated among the older ones has every check-in read, as ``checkins()`` does."""
        info = self.storage.older_left()
        recent = self._checkins_in_memory() if info is not None else []
        found = None
        if info is not None and all(c.date >= info["cut"] for c in recent):
            found = self._with_older(CheckIn, _practice_by_skill)
        if found is None:
            return dict(_practice_by_skill(self.checkins()))
        older = found[1]
        rows: dict[str, Sequence[Practice]] = dict(older)
        for skill_id, mine in _practice_by_skill(recent).items():
            rows[skill_id] = (*older.get(skill_id, ()), *mine)
        return rows

    def day_states(self, skill_id: str, since: dt.date | None = None
                   ) -> dict[dt.date, str]:
        """``{day: "done" | "skipped"}`` of a skill's check-ins (what streaks and the
        week's progress count), read from the documents; kept up to date by saves. A
        document that does not look as the app writes it is read as a record first
        (and left out when it is none).

        ``since``: only the days from then on are wanted — while the older check-ins
        are left in the file and ``since`` is in the recent weeks, they stay there
        (the states then hold the recent weeks only)."""
        older = self.storage.older_left()
        if older is not None and (since is None or since.isoformat() < older["cut"]):
            self._read_older()
        return self._states(skill_id)

    def _states(self, skill_id: str) -> dict[dt.date, str]:
        """``day_states`` of the check-ins in memory: every one, or — while the older
        ones are left in the file — those of the recent weeks (from the ``cut`` of
        ``storage.older_left()``), with any day checked in since the journal opened."""
        index = self._checkins
        states = index.states.get(skill_id)
        if states is not None:
            return states
        states = {}
        raw = self._raw_checkins()
        made = self._made
        fromisoformat = dt.date.fromisoformat
        for date, doc_id in list(self._skill_days(skill_id).items()):
            record: Record | None = made.get((CheckIn.TABLE, doc_id))
            if not isinstance(record, CheckIn):
                doc = raw.get(str(doc_id))
                if doc is None:
                    continue  # now one of the older check-ins (after a rewrite)
                status = doc.get("status")
                if status in ("done", "skipped") and len(date) == 10:
                    try:
                        states[fromisoformat(date)] = status
                        continue
                    except ValueError:
                        pass
                record = self._checkin_record(doc_id)  # unusual: read it as a record
                if record is None:
                    continue
            states[fromisoformat(record.date)] = record.status
        index.states[skill_id] = states
        return states

    def entries(self, *, include_archived: bool = False) -> list[Entry]:
        items = sorted(self.all(Entry), key=lambda e: (e.date, e.created_at), reverse=True)
        return [e for e in items if include_archived or not e.archived]

    def streaks(self, skill: MicroSkill, today: dt.date, first_weekday: int) -> rules.Streaks:
        """The skill's current and best streak. While the older check-ins are left in
        the file, their streak kept beside them (store/history.py) is joined to the
        recent weeks' — exactly what counting every day gives (domain.rules) — unless
        something makes it unusable: another week start, a changed weekly target, a
        check-in dated before the recent weeks, one standing for an older one."""
        target = skill.days_target
        older = self.storage.older_left()
        if older is not None and older["week_start"] == first_weekday:
            cut = dt.date.fromisoformat(older["cut"])
            kept = older["streaks"].get(skill.id)
            states = self._states(skill.id)
            span = (rules.StreakSpan.from_list(kept[1:])
                    if isinstance(kept, list) and len(kept) == 6 and kept[0] == target
                    else None)
            if (today >= cut and (kept is None or span is not None)
                    and all(d >= cut for d in states) and not self.storage.older_shadowed()):
                if span is None:
                    return rules.streaks(states, today, target, first_weekday)
                joined = span.then(
                    rules.streak_span(states, cut, today, target, first_weekday, today))
                return rules.Streaks(joined.tail, joined.best)
        return rules.streaks(self.day_states(skill.id), today, target, first_weekday)

    def _picked(self, cls: type[R], may_be: Callable[[dict], bool]) -> list[R]:
        """Records of ``cls``'s documents in memory that ``may_be`` keeps, each made (and
        checked) once; one that does not read as a record is left out (reading the
        whole table lists it)."""
        table = cls.TABLE
        found = []
        for key, doc in (self.storage.peek(table) or {}).items():
            if type(doc) is not dict or not may_be(doc):
                continue
            doc_id = document_id(key)
            record = self._made.get((table, doc_id))
            if record is None:
                try:
                    record = read_document(cls, doc_id, doc)
                except RecordError:
                    continue
                self._made[(table, doc_id)] = record
            found.append(record)
        return found  # type: ignore[return-value]

    def open_goals(self) -> list[MicroGoal]:
        """The goals still open, as ``goals()`` orders them: the closed ones (most of a
        long journal's goals) are passed over as documents, never made into records."""
        if dict.__contains__(self._records, MicroGoal):
            return [g for g in self.goals() if g.status == "open"]
        found = [g for g in self._picked(MicroGoal, lambda doc: doc.get(
            "status", "open") not in ("done", "dropped")) if g.status == "open"]
        ids = {g.id for g in found}
        if len(ids) != len(found):  # two documents with one id: read them all to judge
            return [g for g in self.goals() if g.status == "open"]
        return sorted(found, key=lambda g: (g.deadline, g.created_at))

    def goals(self) -> list[MicroGoal]:
        return sorted(self.all(MicroGoal), key=lambda g: (g.deadline, g.created_at))

    def goals_and_older_counts(self) -> tuple[list[MicroGoal], dict[str, dict[str, int]]]:
        """``goals()`` less the older ones left in the file (done or dropped before the
        recent weeks: store/history.py), and how many of those there are, by objective
        and status: what the Goals screen's list of open goals needs, without a record
        or a document of each kept (a hundred years are 7,300 goals). Read as
        ``_with_older`` says; an open goal among the older ones has every goal read."""
        found = self._with_older(MicroGoal, _count_closed)
        if found is None:
            return self.goals(), {}
        recent, counts = found
        return sorted(recent, key=lambda g: (g.deadline, g.created_at)), counts

    def reviews_between(self, first: dt.date, last: dt.date) -> list[WeeklyReview]:
        """The reviews of the weeks keyed from ``first`` to ``last`` (both included), as
        ``reviews()`` orders them; the others are passed over as documents."""
        if dict.__contains__(self._records, WeeklyReview):
            return [r for r in self.reviews() if first.isoformat() <= r.week <= last.isoformat()]
        low, high = first.isoformat(), last.isoformat()
        table = WeeklyReview.TABLE
        older = self.storage.older_left(table)
        if older is not None and low < older["cut"]:
            self.storage.read_older(table)  # weeks among the older reviews

        def may_be_in(doc: dict) -> bool:
            week = doc.get("week")
            return type(week) is not str or low <= week <= high

        found = [r for r in self._picked(WeeklyReview, may_be_in) if low <= r.week <= high]
        if len({r.id for r in found}) != len(found):  # one id twice: judge them all
            return [r for r in self.reviews() if low <= r.week <= high]
        return sorted(found, key=lambda r: r.week)

    def reviews(self) -> list[WeeklyReview]:
        return sorted(self.all(WeeklyReview), key=lambda r: r.week)

    def review_values(self) -> list[ReviewValues]:
        """Every weekly review as ``reviews()`` orders them (oldest week first), as its
        week, its measured values ``(skill id, value)`` and — for a "tweak" decision, which
        the Progress screen marks on its charts — its record: what Progress reads of the
        reviews, the older ones read as ``_with_older`` says."""
        found = self._with_older(WeeklyReview, _review_values)
        if found is None:
            return _review_values(self.reviews())
        recent, older = found
        # a review saved since for a week among the older ones sorts in with them
        return sorted([*older, *_review_values(recent)], key=lambda row: row[0])

    def _with_older(self, cls: type[R], summarise: Callable[[Iterable[R]], S | None]
                    ) -> tuple[list[R], S] | None:
        """The records of table ``cls``'s documents in memory, and ``summarise`` of its
        older ones left in the file (layout.py): these are read from it a run at a time,
        each made into a record, summarised and let go, once per version of the file. None
        when the table is read whole, or when what is summarised could differ from what
        the records say (``summarise`` gives None, a document is not a record, two share
        an id or a key, one in memory may stand for an older one): then read every record.
        """
        table = cls.TABLE
        info = self.storage.older_left(table)
        if info is None or dict.__contains__(self._records, cls):
            return None
        recent = self._picked(cls, lambda doc: True)
        ids = {r.id for r in recent}
        if len(ids) != len(recent) or self.storage.older_shadowed(table):
            return None
        kept = self._older_kept.get(table)
        if kept is not None and kept[0] is info:
            return recent, kept[1]
        try:
            summary = summarise(self._each_older(cls, ids | set(self._doc_ids)))
        except (OSError, ValueError, _Judged):  # RecordError too: the full read leaves it out
            return None
        if summary is None:
            return None
        self._older_kept[table] = (info, summary)
        return recent, summary

    def _each_older(self, cls: type[R], taken: set[str]) -> Iterator[R]:
        """The records of table ``cls``'s older documents, read from the file a run at a
        time; _Judged when one shares its key or its id (``taken``: ids known already)
        with another."""
        pieces = self.storage.older_pieces(cls.TABLE)
        if pieces is None:
            raise _Judged
        keys: set[str] = set()
        for piece in pieces:
            for key, doc in piece.items():
                record = read_document(cls, document_id(key), doc)
                if key in keys or record.id in taken:
                    raise _Judged
                keys.add(key)
                taken.add(record.id)
                yield record

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
                id=checkin_id(skill_id, day.isoformat()),
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
        return existing

    def save_many(self, records: Iterable[Record]) -> None:
        with self.batch():
            for record in records:
                self.save(record)


# a weekly review as Progress reads it: (week, ((skill id, value), ...), the record when
# its decision is a tweak)
ReviewValues = tuple[str, tuple[tuple[str, float], ...], "WeeklyReview | None"]


class _Judged(Exception):
    """Older documents the records would judge (one shares a key or an id): read them all."""


def _count_closed(goals: Iterable[MicroGoal]) -> dict[str, dict[str, int]] | None:
    """How many ``goals`` there are by objective and status; None when one is open (the
    open ones are listed, not counted)."""
    counts: dict[str, dict[str, int]] = {}
    for goal in goals:
        if goal.status == "open":
            return None
        mine = counts.setdefault(goal.objective_id, {})
        mine[goal.status] = mine.get(goal.status, 0) + 1
    return counts


def _review_values(reviews: Iterable[WeeklyReview]) -> list[ReviewValues]:
    """``review_values`` of records, sorted by week as ``reviews()`` sorts them (ties keep
    their order)."""
    from ..domain.stacking import TWEAK

    rows = [(r.week, tuple((m.skill_id, float(m.value)) for m in r.measurements
                           if m.value is not None),
             r if r.decision == TWEAK else None) for r in reviews]
    return sorted(rows, key=lambda row: row[0])


_STATUS = {"done": "done", "skipped": "skipped"}  # one string each, not one a check-in


def _practice_by_skill(checkins: Iterable[CheckIn]) -> dict[str, tuple[Practice, ...]]:
    """Each skill's check-ins as ``Practice`` rows, oldest day first (the last of a day
    wins, as in ``_skill_days``)."""
    days: dict[str, dict[dt.date, tuple[str, int | None, float | None]]] = {}
    for c in checkins:
        days.setdefault(c.skill_id, {})[dt.date.fromisoformat(c.date)] = (
            _STATUS.get(c.status, c.status), c.minutes, c.value)
    return {skill: tuple((day, *row) for day, row in sorted(rows.items()))
            for skill, rows in days.items()}
