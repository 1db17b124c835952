"""``JournalDB``: TinyDB whose tables save only the documents an operation changed.

TinyDB's ``Table`` hands its storage the whole database after every insert, update
or removal (the storage interface has no smaller unit). For a journal of ten years
that is a rewrite per check-in. ``JournalTable`` (TinyDB's ``table_class`` extension
point) runs TinyDB's own operations unchanged, on a view of the table that notes
which documents they set, removed or changed in place, and hands just those to
:class:`~.storage.JournalStorage`, which appends them to its change log. Everything
else — ids, queries, the query cache, ``Document`` — is TinyDB's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB
from tinydb.table import Table

from .files import dumps
from .storage import JournalStorage

_UNREADABLE = b""  # a document dumps() refuses: any change to it counts as a change


DocId = int | str  # TinyDB's number, or the text key of a document filed by hand


def doc_id(key: Any) -> DocId:
    """A stored document key as TinyDB's document id: the number it spells, or — for a
    key that spells none exactly (``"abc"``, ``"007"``, ``"-1"``, written by another
    program) — the key itself, so reading the table never fails on it. Such a document
    is kept as it is; the repository leaves it out and ``verify`` lists it."""
    if type(key) is int:
        return key
    text = str(key)
    if text.isascii() and text.isdigit() and (text == "0" or text[0] != "0"):
        return int(text)
    return text


def _fingerprint(doc: Any) -> bytes:
    try:
        return dumps(doc)
    except (TypeError, ValueError):
        return _UNREADABLE


class _NotingView(MutableMapping):
    """A table's documents keyed by document id, over the stored table (string keys),
    noting what an operation does to them."""

    def __init__(self, raw: dict[str, Any], id_class: Callable[[Any], Any]) -> None:
        self.raw = raw
        self.id_class = id_class
        self.written: dict[str, Any] = {}  # key -> record id of a removed document
        self.read: dict[str, bytes] = {}  # key -> the document as it was when read

    def __getitem__(self, doc_id: Any) -> Any:
        key = str(doc_id)
        doc = self.raw[key]
        if key not in self.read and key not in self.written:
            self.read[key] = _fingerprint(doc)  # an update changes it in place
        return doc

    def __setitem__(self, doc_id: Any, doc: Any) -> None:
        key = str(doc_id)
        self.raw[key] = doc
        self.written[key] = None

    def __delitem__(self, doc_id: Any) -> None:
        key = str(doc_id)
        doc = self.raw.pop(key)
        self.written[key] = doc.get("id") if isinstance(doc, Mapping) else None

    def __iter__(self) -> Iterator[Any]:
        return (self.id_class(key) for key in list(self.raw))

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.raw

    def ops(self, table: str) -> list[list]:
        found = []
        for key, record_id in self.written.items():
            doc = self.raw.get(key)
            found.append([table, key, doc] if doc is not None else [table, key, None, record_id])
        for key, before in self.read.items():
            if key in self.written or key not in self.raw:
                continue
            if before is _UNREADABLE or _fingerprint(self.raw[key]) != before:
                found.append([table, key, self.raw[key]])
        return found


class JournalTable(Table):
    """A TinyDB table whose changes are saved document by document."""

    # a key that is no number (another program wrote it) reads as itself, not a crash
    document_id_class = staticmethod(doc_id)  # type: ignore[assignment]

    # set while an operation touches only documents it names (insert, replace, remove
    # by id): it may then run on the recent check-ins alone (layout.py)
    _named_only = False

    def _older_left(self) -> dict[str, Any] | None:
        storage = self._storage
        if isinstance(storage, JournalStorage):
            return storage.older_left(self.name)
        return None

    def _get_next_id(self) -> int:
        """TinyDB's next id (one above the highest), counting only the numeric ids: a
        document filed under ``"abc"`` must not stop every insert into its table."""
        next_id: int | None = self._next_id
        if next_id is None:
            older = self._older_left()
            if older is not None:  # the older check-ins are numbered up to max_id
                keys = self._storage.peek(self.name) or {}  # type: ignore[attr-defined]
                floor = older["max_id"]
            else:
                keys, floor = self._read_table(), 0
            numbers = [i for i in map(doc_id, keys) if type(i) is int]
            next_id = max(max(numbers, default=0), floor) + 1
        self._next_id = next_id + 1  # type: ignore[assignment]  # TinyDB types it None
        return next_id

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        storage = self._storage
        if not isinstance(storage, JournalStorage):  # a plain storage: TinyDB's way
            super()._update_table(updater)
            return
        tables = storage.read()
        created = False
        try:
            if self._named_only and storage.older_left(self.name) is not None:
                raw = storage.peek(self.name)
                if raw is None:
                    raise KeyError(self.name)
            else:
                raw = tables[self.name]
        except KeyError:
            raw, created = {}, True
            dict.__setitem__(tables, self.name, raw)
        view = _NotingView(raw, self.document_id_class)
        try:
            updater(view)  # type: ignore[arg-type]
        except BaseException:
            self.forget()
            if view.written or view.read:
                storage.reload()  # TinyDB may have changed memory before it failed
            raise
        try:
            ops = view.ops(self.name)
            if created and not ops:
                storage.write(tables)  # TinyDB keeps an empty table: so must the file
            else:
                storage.save_documents(self.name, ops)
        finally:
            self.clear_cache()

    def documents(self) -> Iterator[tuple[int | str, Any]]:
        """``(doc_id, document)`` for every document, without copying them (read only:
        change documents through the table's operations)."""
        for key, doc in self._read_table().items():
            yield self.document_id_class(key), doc

    def raw_documents(self) -> dict[str, Any]:
        """The documents by their stored keys, as held (read only; a key is made a
        document id by ``doc_id``): a pass over ten years of entries without making
        an id of each key."""
        return self._read_table()

    def document(self, doc_id: int | str) -> Any:
        """Document ``doc_id`` as stored (read only), or None."""
        return self._read_table().get(str(doc_id))

    def insert(self, document: Mapping) -> int:
        # a new document needs none of the older check-ins: its id is above theirs
        self._named_only = not isinstance(document, self.document_class)
        try:
            return super().insert(document)
        finally:
            self._named_only = False

    def remove(self, cond=None, doc_ids=None):
        storage = self._storage
        doc_ids = list(doc_ids) if doc_ids is not None else None
        self._named_only = (
            cond is None and doc_ids is not None and isinstance(storage, JournalStorage)
            and not any(storage.may_be_older(str(i), self.name) for i in doc_ids))
        try:
            return super().remove(cond, doc_ids)
        finally:
            self._named_only = False

    def replace(self, doc_id: DocId, document: Mapping) -> None:
        """Put ``document`` in place of document ``doc_id`` (inserted if it is new):
        fields it lacks are dropped, unlike ``update``."""
        def updater(table: dict) -> None:
            table[doc_id] = dict(document)

        # a document that stands for an older check-in is fine: the recent part wins,
        # and the next rewrite reads the older part first (history.py)
        self._named_only = True
        try:
            self._update_table(updater)
        finally:
            self._named_only = False
        if self._next_id is not None and type(doc_id) is int and doc_id >= self._next_id:
            self._next_id = doc_id + 1

    def forget(self) -> None:
        """Drop what this table remembers of its documents (after a reload)."""
        self.clear_cache()
        self._next_id = None


class JournalDB(TinyDB):
    """TinyDB on a :class:`~.storage.JournalStorage`, with :class:`JournalTable` tables."""

    table_class = JournalTable
    default_storage_class = JournalStorage  # type: ignore[assignment]  # TinyDB types it JSONStorage

    @property
    def storage(self) -> JournalStorage:
        return self._storage  # type: ignore[return-value]

    if TYPE_CHECKING:  # TinyDB's table() is typed as its base Table
        def table(self, name: str, **kwargs: Any) -> JournalTable: ...

    def forget(self) -> None:
        """Every table forgets what it cached: memory was read again from disk."""
        for name in list(self._tables):
            table = self._tables[name]
            if isinstance(table, JournalTable):
                table.forget()
            else:
                table.clear_cache()
