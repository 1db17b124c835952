"""What the repository reads of its tables from the documents, without making a record
of each: the check-ins by skill and day (``CheckIns``), the entries newest first
(``EntryRows``).

The Journal lists ten years of entries but shows a screenful; search reads their text,
not their records. ``EntryRows`` is that list: the table's documents in order, each
turned into an ``Entry`` (and kept, by the repository) the first time it is asked for.
Dates, texts and stamps are read from the documents, which costs no record.

Only documents that certainly read as an entry (``Entry._plain``: the shape the app
writes) are listed this way; a journal with any other document is listed from its
records (``RecordRows``), so what the Journal shows never depends on which way it was
read (tests/unit/test_entry_rows.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from ..domain.models import Entry
from .table import DocId
from .table import doc_id as doc_id_of

Row = tuple[Any, dict[str, Any]]  # (document id, document)


class EntryRows(Sequence[Entry]):
    """Entries as documents (see the module doc); ``make`` turns a row into its record."""

    __slots__ = ("_made", "_make", "_rows")

    def __init__(self, rows: list[Row], make: Callable[[Any, dict[str, Any]], Entry],
                 made: dict[Any, tuple[Any, Entry]] | None = None) -> None:
        self._rows = rows
        self._make = make
        # the records made, by document id, with the document each was made from: one
        # made from a document since replaced (a save, a sync) is never handed out
        self._made = {} if made is None else made

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> EntryRows: ...

    def __getitem__(self, index: int | slice) -> Entry | EntryRows:
        if isinstance(index, slice):
            return self.rows_of(self._rows[index])
        doc_id, doc = self._rows[index]
        hit = self._made.get(doc_id)
        return hit[1] if hit is not None and hit[0] is doc else self._make(doc_id, doc)

    def __iter__(self) -> Iterator[Entry]:
        make, made = self._make, self._made.get
        for doc_id, doc in self._rows:
            hit = made(doc_id)
            yield hit[1] if hit is not None and hit[0] is doc else make(doc_id, doc)

    def rows_of(self, rows: list[Row]) -> EntryRows:
        return EntryRows(rows, self._make, self._made)

    def pick(self, indexes: Iterable[int]) -> EntryRows:
        """The entries at ``indexes`` (in that order), still unmade."""
        rows = self._rows
        return self.rows_of([rows[i] for i in indexes])

    # what the Journal reads of an entry without its record
    def date(self, index: int) -> str:
        return self._rows[index][1]["date"]

    def text(self, index: int) -> str:
        return self._rows[index][1]["body"]

    def tags(self, index: int) -> list[str]:
        """The tags field (``domain.journal.tags_of`` adds the text's ``#tags``)."""
        return self._rows[index][1]["tags"]

    def stamp(self, index: int) -> tuple[str, str]:
        """(id, updated_at): what a cache of the entry's folded text is keyed on."""
        doc = self._rows[index][1]
        return doc["id"], doc["updated_at"]

    def same_as(self, other: object) -> bool:
        """The very same entries, saved the same way (no record is made to tell)."""
        if not isinstance(other, EntryRows) or type(other) is not type(self):
            return False
        mine, theirs = self._rows, other._rows
        return mine is theirs or (len(mine) == len(theirs) and all(
            a[1] is b[1] for a, b in zip(mine, theirs, strict=True)))


class RecordRows(EntryRows):
    """The same list over records already made (a journal with an unusual document)."""

    __slots__ = ("_records",)

    def __init__(self, records: list[Entry]) -> None:
        super().__init__([], _unused)
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return RecordRows(self._records[index])
        return self._records[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._records)

    def pick(self, indexes: Iterable[int]) -> EntryRows:
        records = self._records
        return RecordRows([records[i] for i in indexes])

    def date(self, index: int) -> str:
        return self._records[index].date

    def text(self, index: int) -> str:
        return self._records[index].body

    def tags(self, index: int) -> list[str]:
        return self._records[index].tags

    def stamp(self, index: int) -> tuple[str, str]:
        entry = self._records[index]
        return entry.id, entry.updated_at

    def same_as(self, other: object) -> bool:
        if not isinstance(other, RecordRows):
            return False
        mine, theirs = self._records, other._records
        return mine is theirs or (len(mine) == len(theirs) and all(
            a is b for a, b in zip(mine, theirs, strict=True)))


def _unused(doc_id: Any, doc: dict[str, Any]) -> Entry:
    raise AssertionError("RecordRows holds its records")


def plain_rows(raw: Mapping[str, Any], seen: dict[str, tuple[Any, DocId]], archived: bool
               ) -> tuple[list[Row], dict[str, DocId]] | None:
    """The rows of the entries (archived ones, or the others) of a table's documents
    ``raw`` (by stored key), newest first, and every entry's document id by its id; None
    when a document is not one the app writes (``Entry._plain``), or two share an id:
    then only the full read says what to list. ``seen`` keeps the documents already
    found plain (by identity), so a journal changed by a save is not checked again."""
    rows: list[Row] = []
    ids: dict[str, DocId] = {}
    plain = Entry._plain
    for key, doc in raw.items():
        known = seen.get(key)
        if known is None or known[0] is not doc:
            doc_id = doc_id_of(key)
            if type(doc) is not dict or type(doc_id) is not int or not plain(doc):
                return None
            known = seen[key] = (doc, doc_id)
        ident = doc["id"]
        if ident in ids:
            return None
        ids[ident] = known[1]
        if doc["archived"] is archived:
            rows.append((known[1], doc))
    # by date, then creation stamp, as ``Repository.entries`` orders records; ties keep
    # the table's order
    rows.sort(key=_order, reverse=True)
    return rows, ids


def _order(row: Row) -> tuple[str, str]:
    doc = row[1]
    return doc["date"], doc["created_at"]


class CheckIns:
    """The check-ins by skill and day, as document ids of the ``checkins`` table.

    Built from the documents without making a record of each (a hundred years are
    36,500 check-ins; Today shows this week's): one pass sorts the documents by skill,
    a skill's days are indexed when that skill is first asked about, and a record is
    made (and checked) only when one is asked for."""

    __slots__ = ("generation", "groups", "per_skill", "states")

    def __init__(self, groups: dict[str, list[DocId]], generation: int = 0) -> None:
        self.generation = generation  # the storage's, when built (it moves check-ins)
        self.groups = groups  # skill id -> doc ids, not yet indexed by day
        self.per_skill: dict[str, dict[str, DocId]] = {}  # skill id -> {date: doc id}
        self.states: dict[str, dict[dt.date, str]] = {}  # skill id -> states, when asked

    def put(self, days: dict[str, DocId], skill_id: str, date: str, doc_id: DocId,
            status: str) -> None:
        days[date] = doc_id
        states = self.states.get(skill_id)
        if states is not None:  # kept up to date, not read again
            states[dt.date.fromisoformat(date)] = status

    def drop(self, days: dict[str, DocId], skill_id: str, date: str, doc_id: DocId) -> None:
        if days.get(date) == doc_id:
            del days[date]
            states = self.states.get(skill_id)
            if states is not None:
                try:
                    states.pop(dt.date.fromisoformat(date), None)
                except ValueError:  # a date that is none: read them again when asked
                    del self.states[skill_id]
