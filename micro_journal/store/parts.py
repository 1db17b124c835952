"""The parts of a journal left in its file until needed, for ``JournalStorage``.

A journal file keeps the entries and the older check-ins, reviews and goals apart from
what start-up reads (layout.py). ``OlderParts`` is the half of the storage that knows
them: which documents may still be in the file, reading them in when an operation needs
the whole table (``_Tables`` does it for any TinyDB operation), and what a rewrite keeps
apart again (history.py decides; ``_pieces`` hands layout.py the bytes).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import history, layout
from .errors import JournalUnreadable
from .files import describe_os_error, parse_journal_bytes
from .reading import join_older, load_journal_file

Data = dict[str, dict[str, Any]]
Older = dict[str, tuple[bytes, dict[str, Any], dict[str, Any]]]


class _Tables(dict):
    """The tables in memory. The entries table may still be in the file (layout.py):
    it is read the first time something asks for it."""

    __slots__ = ("storage",)
    storage: Callable[[], Any]  # a weak reference: the storage holds the tables

    def _read_all_parts(self) -> None:
        storage = self.storage()
        if storage is not None and storage._cold is not None:
            storage._load_cold()
        if storage is not None and storage._splits:
            storage._load_older()

    def __getitem__(self, name: str) -> dict[str, Any]:
        storage = self.storage()
        if storage is not None and name in storage._splits:
            storage._load_older(name)  # a TinyDB operation sees the whole table
        return dict.__getitem__(self, name)

    def __missing__(self, name: str) -> dict[str, Any]:
        storage = self.storage()
        if name == layout.COLD_TABLE and storage is not None and storage._cold is not None:
            storage._load_cold()  # the entries only: the older check-ins stay in the file
            if dict.__contains__(self, name):
                return dict.__getitem__(self, name)
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        self._read_all_parts()
        return dict.__iter__(self)

    def keys(self):
        self._read_all_parts()
        return dict.keys(self)


class OlderParts:
    """What JournalStorage does with the parts left in its file (see the module doc)."""

    path: Path
    history: tuple[Any, int] | None
    checkins_generation: int
    _data: _Tables
    _cold: layout.FilePart | None
    _splits: dict[str, layout.Split]
    _recent_at_open: dict[str, frozenset[str]]

    def holds_records(self) -> bool:
        """Whether the journal holds anything besides its meta row."""
        if self._cold is not None and self._cold.length > 2:  # more than "{}"
            return True
        if any(split.cold.length for split in self._splits.values()):
            return True
        return any(docs for name, docs in dict.items(self._data) if name != "meta")

    def _tables(self, data: Data) -> _Tables:
        tables = data if isinstance(data, _Tables) else _Tables(data)
        tables.storage = weakref.ref(self)
        return tables

    # the older check-ins -------------------------------------------------------
    def peek(self, name: str) -> dict[str, Any] | None:
        """Table ``name`` as held in memory, without reading what is left in the file:
        for the check-ins, only the recent ones while ``older_left()``."""
        return dict.get(self._data, name)

    def older_left(self, name: str = layout.SPLIT_TABLE) -> dict[str, Any] | None:
        """The record of table ``name``'s older documents while they are still in the
        file (cut, max_id; for the check-ins week_start and streaks: layout.py), else
        None."""
        split = self._splits.get(name)
        return split.info if split is not None else None

    def may_be_older(self, key: str, name: str = layout.SPLIT_TABLE) -> bool:
        """Whether document ``key`` of table ``name`` may be one of the older ones left
        in the file (which an operation on it must read first)."""
        split = self._splits.get(name)
        if split is None or key in self._recent_at_open.get(name, ()):
            return False
        return not (key.isdigit() and int(key) > split.info["max_id"])

    def older_pieces(self, name: str = layout.SPLIT_TABLE) -> Iterator[dict[str, Any]] | None:
        """Table ``name``'s older documents left in the file, read from it a run at a
        time and kept nowhere (``layout.FilePart.pieces``); None once they are in
        memory. OSError or ValueError (changed in place since) as they are read."""
        split = self._splits.get(name)
        return None if split is None else split.cold.pieces()

    def read_older(self, name: str | None = None) -> None:
        """Read the older documents left in the file (of table ``name``, or of all)
        into memory: ``peek`` then sees every one."""
        self._load_older(name)

    def older_shadowed(self, name: str = layout.SPLIT_TABLE) -> bool:
        """Whether a document in memory may stand for one of the older ones (changed or
        moved since): what is kept of the older part then no longer describes it."""
        recent = dict.get(self._data, name) or {}
        return any(self.may_be_older(key, name) for key in recent)

    def _load_older(self, name: str | None = None) -> None:
        for table in [name] if name is not None else list(self._splits):
            split = self._splits.pop(table, None)
            if split is None:
                continue
            if table == layout.SPLIT_TABLE:
                self.checkins_generation += 1
            try:
                join_older(self._data, table, split)
            except (OSError, ValueError):
                # changed in place by another program since it was opened: take what
                # the file holds now (its newer documents in memory still win)
                try:
                    now = parse_journal_bytes(self.path.read_bytes()).get(table, {})
                except (OSError, ValueError) as err:
                    raise JournalUnreadable(
                        self.path, "it was changed on disk by another program while open "
                        f"and can no longer be read ({describe_os_error(err)})") from err
                recent = dict.get(self._data, table) or {}
                dict.__setitem__(self._data, table, {**now, **recent})

    def _drop_older(self) -> None:
        for split in self._splits.values():
            split.cold.close()
        if layout.SPLIT_TABLE in self._splits:
            self.checkins_generation += 1
        self._splits = {}

    def _older_for_write(self) -> dict[str, tuple[bytes, dict[str, Any], dict[str, Any]]]:
        """What the rewrite keeps apart, by table (history.py)."""
        if self.history is None:
            self._load_older()
            return {}
        today, first_weekday = self.history
        day = today()
        skills = dict.get(self._data, "skills")
        out = {}
        for name in layout.SPLIT_TABLES:
            split = self._splits.get(name)
            opened = self._recent_at_open.get(name, frozenset())
            if name == layout.SPLIT_TABLE:
                cut = history.cut_for(day, first_weekday)
            else:  # goals and reviews: a month further back than the check-ins
                cut = history.cut_for(day, first_weekday, history.RECENT_WEEKS + 4)
            found = None
            if split is not None:
                docs = dict.get(self._data, name) or {}
                if name == layout.SPLIT_TABLE:
                    found = history.append_aged(split.cold.read(), split.info, docs, opened,
                                                skills, cut, first_weekday)
                else:
                    found = history.append_plain(name, split.cold.read(), split.info, docs,
                                                 opened, cut)
                if found is None:
                    self._load_older(name)
            if found is None:
                docs = dict.get(self._data, name)
                if not isinstance(docs, dict):
                    continue
                if name == layout.SPLIT_TABLE:
                    found = history.split_all(docs, skills, cut, first_weekday)
                else:
                    found = history.split_plain(name, docs, cut)
            if found is not None:
                out[name] = found
        return out

    def _load_cold(self) -> None:
        cold, self._cold = self._cold, None
        try:
            if cold is None:
                return
            entries = cold.load()
        except (OSError, ValueError):
            # changed in place by another program since it was opened: take what the
            # file holds now (a reload would also drop a batch in progress)
            try:
                entries = parse_journal_bytes(self.path.read_bytes()).get(
                    layout.COLD_TABLE, {})
            except (OSError, ValueError) as err:
                raise JournalUnreadable(
                    self.path, "it was changed on disk by another program while open and "
                    f"can no longer be read ({describe_os_error(err)})") from err
        dict.__setitem__(self._data, layout.COLD_TABLE, entries)

    def _pieces(self) -> tuple[dict[str, tuple[bytes, dict[str, Any], dict[str, Any]]],
                               list[bytes]]:
        older = self._older_for_write()
        data: Data = self._data
        if older:  # the file's part of each split table holds its recent documents
            data = dict(dict.items(self._data))
            for name, (_old, _info, recent) in older.items():
                data[name] = recent
        return older, layout.serialise(
            data, self._cold, {name: found[:2] for name, found in older.items()})

    def _reopen_older(self, older: dict[str, tuple[bytes, dict[str, Any], dict[str, Any]]]
                      ) -> None:
        """After a rewrite that added aged documents to older parts still unread:
        memory keeps the recent ones, and the older parts are the new file's (as a
        fresh open would have them)."""
        unread = set(self._splits)
        self._drop_older()
        try:
            _data, cold, splits = load_journal_file(self.path)
        except (OSError, ValueError, JournalUnreadable):
            cold, splits = None, {}
        if cold is not None:
            cold.close()
        for name, split in splits.items():
            if name not in unread or name not in older:
                split.cold.close()  # read already: memory holds them all
                continue
            recent = older[name][2]
            table = dict.get(self._data, name)
            if isinstance(table, dict):
                for key in [k for k in table if k not in recent]:
                    del table[key]  # now in the older part, read from there when needed
            self._splits[name] = split
            self._recent_at_open[name] = frozenset(recent)
