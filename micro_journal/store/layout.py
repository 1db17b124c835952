"""How journal.json is laid out, so that opening it need not parse every entry.

Journal entries are most of a journal's bytes, and the Today screen does not read
them. So the file is written with the ``entries`` table last, and the meta row
records that table's exact length and CRC-32::

    {"meta":{"1":{..., "entries_bytes":[L, CRC]}}, "skills":{...}, ..., "entries":{...L bytes...}}

Opening parses everything before ``,"entries":`` and leaves the entries in the file:
it keeps the file open (so the bytes stay what they were even after the file is
replaced) and reads and parses them the first time something needs them, checking
their checksum then. That is only done when the bytes are where we wrote them: the
part before them must parse as a whole object (which it cannot if the marker sits
inside a record), and their length must end exactly at the file's closing brace. A
file edited by anything else, written by an older version, or cut or padded, fails
one of those checks and is parsed (and judged) in full, as before; one damaged in
place fails the checksum when the entries are read (they are then parsed from the
file as it is), or before a backup or a fold copies them. The file stays plain JSON
that TinyDB, ``jq`` or an older version read as is.

The check-ins grow the same way (one a day per skill), and Today reads only the
recent weeks of them. So the ``checkins`` table is written just before the entries,
its older documents first, and the meta row records where the recent ones begin::

    ..., "checkins":{OLDER...,RECENT...}, "entries":{...}}
    "checkins_split": {"old": [length, CRC], "recent": length, "cut": "2026-09-21",
                       "max_id": 36441, "week_start": 0, "streaks": {skill id: [...]}}

Opening parses only the recent part; the older check-ins (all dated before ``cut``)
stay in the file like the entries, with their highest document id (new ones are
numbered above it) and, per skill, the streak over them (``domain.rules.StreakSpan``,
kept by store/history.py), so Today's streaks need not read them. The same checks
apply: every length must land on the bytes around it or the file is parsed in full,
and the older part's checksum is checked when it is read or copied.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from collections.abc import Iterator
from typing import Any

from . import files
from .allocations import long_lived
from .files import NOT_PARSED, dumps, fast_loads, meta_row

COLD_TABLE = "entries"
LAYOUT_KEY = "entries_bytes"
_MARK = b',"' + COLD_TABLE.encode() + b'":'
SPLIT_TABLE = "checkins"
# tables written with their older documents apart, in this order, before the entries
SPLIT_TABLES = ("reviews", "goals", SPLIT_TABLE)


def split_key(name: str) -> str:
    return f"{name}_split"


SPLIT_KEY = split_key(SPLIT_TABLE)


def _split_mark(name: str) -> bytes:
    return b',"' + name.encode() + b'":{'


_ANY_SPLIT = re.compile(b"|".join(re.escape(_split_mark(n)) for n in SPLIT_TABLES))

Data = dict[str, dict[str, Any]]


class FilePart:
    """The entries' bytes, left in the open file ``fd`` at ``start``."""

    __slots__ = ("crc", "fd", "inner", "length", "start")

    def __init__(self, fd: int, start: int, length: int, crc: int,
                 inner: bool = False) -> None:
        # (a plain class: a dataclass costs a millisecond of start-up to build)
        self.fd, self.start, self.length, self.crc = fd, start, length, crc
        self.inner = inner  # the bytes between an object's braces (older check-ins)

    def read(self) -> bytes:
        """The bytes, exactly as written, or ValueError (the file was changed in place)."""
        data = files.pread(self.fd, self.length, self.start)
        if len(data) != self.length or zlib.crc32(data) != self.crc:
            raise ValueError("journal.json was changed on disk by another program")
        return data

    def load(self) -> dict[str, Any]:
        """The documents, parsed (kept until quit: made without the cycle collector); the
        file is let go of either way. Read and parsed a chunk at a time (``pieces``), so
        a hundred years of entries never sit in memory twice, as bytes and as documents;
        ValueError as ``read``'s when the bytes are not the ones written."""
        try:
            with long_lived():
                docs: dict[str, Any] = {}
                for piece in self.pieces():
                    docs.update(piece)
                return docs
        finally:
            self.close()

    def pieces(self) -> Iterator[dict[str, Any]]:
        """The part's documents, a run of whole documents at a time: together, what
        ``parse_cold`` gives for the whole part (later documents replace earlier ones
        of the same key, as in one parse). The file stays open. ValueError, after the
        last piece, when the bytes are not the ones written (``read``).

        A piece ends at a ``},"`` (a document's end, then the next key). A ``"`` inside
        a string is escaped, so the sequence is either between two documents or at a
        place where the piece cannot parse (inside a string or a nested value leaves a
        string or a brace open). So a piece that parses is a run of whole documents; one
        that does not is kept and read on with."""
        crc, offset, end = 0, self.start, self.start + self.length
        pending, an_object = b"", True
        while offset < end:
            chunk = files.pread(self.fd, min(CHUNK, end - offset), offset)
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            offset += len(chunk)
            if not self.inner and offset - len(chunk) == self.start:
                if chunk[:1] != b"{":
                    an_object = False  # parsed whole below, and judged
                    break
                chunk = chunk[1:]
            pending += chunk
            cut = pending.rfind(b'},"') if offset < end else -1
            if cut > 0:
                piece = fast_loads(b"{" + pending[:cut + 1] + b"}")
                if isinstance(piece, dict):
                    yield piece
                    pending = pending[cut + 2:]
        if not an_object or offset != end:
            yield parse_cold(self._whole())
            return
        if crc != self.crc:
            raise ValueError("journal.json was changed on disk by another program")
        if not self.inner:
            pending = pending[:-1] if pending.endswith(b"}") else b"\x00"  # (never parses)
        yield parse_cold(b"{" + pending + b"}")

    def _whole(self) -> bytes:
        data = self.read()
        return b"{" + data + b"}" if self.inner else data

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


CHUNK = 1 << 18


def chunks(fd: int) -> Iterator[bytes]:
    """The file behind ``fd`` from its start, a chunk at a time."""
    offset = 0
    while chunk := files.pread(fd, CHUNK, offset):
        yield chunk
        offset += len(chunk)


def read_all(fd: int) -> bytes:
    """The whole file behind ``fd``, from its start."""
    return b"".join(chunks(fd))


class Split:
    """Where a table's older documents are (left in the file), and what is kept of them."""

    __slots__ = ("cold", "info")

    def __init__(self, cold: FilePart, info: dict[str, Any]) -> None:
        self.cold, self.info = cold, info


def split_info(row: dict[str, Any] | None, name: str = SPLIT_TABLE) -> dict[str, Any] | None:
    """The meta row's record of table ``name`` written split, when it is whole."""
    info = row.get(split_key(name)) if row else None
    if not isinstance(info, dict):
        return None
    old, recent, cut = info.get("old"), info.get("recent"), info.get("cut")
    if not (isinstance(old, list) and len(old) == 2 and all(type(v) is int for v in old)
            and type(recent) is int and recent >= 0 and old[0] >= 0
            and isinstance(cut, str) and len(cut) == 10 and type(info.get("max_id")) is int):
        return None
    if name == SPLIT_TABLE and not (type(info.get("week_start")) is int
                                    and isinstance(info.get("streaks"), dict)):
        return None
    return info


Parts = tuple[Data, "tuple[int, int, int] | None", dict[str, Split]]


def read_head(fd: int, check_shape) -> tuple[Data, int, int, int] | None:
    """``(everything but the entries, their start, length, CRC)`` (see read_layout, here
    with every checksum checked), or None: parse it all."""
    found = read_layout(fd, check_shape, verify=True)
    if found is None:
        return None
    data, entries, splits = found
    for split in splits.values():
        split.cold.close()
    return (data, *entries) if entries is not None else (data, -1, 0, 0)


def read_layout(fd: int, check_shape, verify: bool = False) -> Parts | None:
    """Read only up to the entries (and the older documents of the split tables), in
    chunks, so that opening never holds the whole file in memory: ``(everything else,
    (entries' start, length, CRC) or None, {table: its older documents})``, or None:
    parse it all. Each older part's FilePart has a file descriptor of its own.

    The parts left in the file are checked by their exact lengths and the bytes around
    them at once (a cut or padded file is parsed in full, and judged); their checksums
    when they are read (FilePart.read: before a fold copies them, when the Journal reads
    the entries) — or here too with ``verify`` (a backup about to be taken). Reading
    35 MB only to check them would be most of a hundred-year journal's start."""
    buf = bytearray()
    offset = 0
    at = -1
    # a split table's mark may first be that of one written whole (its documents are all
    # recent: the goals, say, before the split check-ins): the next marks are tried too
    split_from, tries = 0, len(SPLIT_TABLES) + 2
    while at < 0:
        chunk = files.pread(fd, CHUNK, offset)
        if not chunk:
            return None
        searched = max(0, len(buf) - 16)
        buf += chunk
        offset += len(chunk)
        at = buf.find(_MARK, searched)
        while tries:
            found = _ANY_SPLIT.search(buf, max(split_from, searched))
            if found is None or (at >= 0 and found.start() > at):
                break
            tries -= 1
            parts = _read_split(fd, buf, found.start(), check_shape, verify)
            if parts is not None:
                return parts
            split_from = found.start() + 1
    start = at + len(_MARK)
    seen = bytes(buf[start:])  # the first bytes of the entries (less than a chunk)
    del buf[at:]
    buf += b"}"
    head = fast_loads(memoryview(buf))
    del buf
    if head is NOT_PARSED or not isinstance(head, dict) or COLD_TABLE in head:
        return None
    row = meta_row(head)
    info = row.get(LAYOUT_KEY) if row else None
    if not (isinstance(info, list) and len(info) == 2 and isinstance(info[0], int)):
        return None
    length, crc = info
    end = start + length  # the entries end here; one closing brace follows
    if os.fstat(fd).st_size != end + 1 or files.pread(fd, 1, end) != b"}":
        return None
    if verify and not _crc_matches(fd, start, length, crc, seen):
        return None
    try:
        check_shape(head)
    except ValueError:
        return None
    return head, (start, length, crc), {}


def _crc_matches(fd: int, start: int, length: int, crc: int, seen: bytes = b"") -> bool:
    running = zlib.crc32(seen[:length])
    offset = start + min(len(seen), length)
    end = start + length
    while offset < end:
        chunk = files.pread(fd, min(CHUNK, end - offset), offset)
        if not chunk:
            return False
        running = zlib.crc32(chunk, running)
        offset += len(chunk)
    return running == crc


def _read_split(fd: int, buf: bytearray, at: int, check_shape, verify: bool) -> Parts | None:
    """The file as written with tables split (module doc), or None."""
    head = fast_loads(memoryview(bytes(buf[:at]) + b"}"))
    if head is NOT_PARSED or not isinstance(head, dict) or COLD_TABLE in head:
        return None
    row = meta_row(head)
    entries = row.get(LAYOUT_KEY) if row else None
    if entries is not None and not (isinstance(entries, list) and len(entries) == 2
                                    and all(type(v) is int for v in entries)):
        return None
    names = [n for n in SPLIT_TABLES if n not in head and split_info(row, n) is not None]
    if not names:
        return None
    size = os.fstat(fd).st_size
    position = at
    regions = []
    for name in names:
        info = split_info(row, name)
        assert info is not None
        mark = _split_mark(name)
        (old_length, old_crc), recent_length = info["old"], info["recent"]
        old_start = position + len(mark)
        old_end = old_start + old_length
        gap = 1 if old_length and recent_length else 0
        recent_start = old_end + gap
        recent_end = recent_start + recent_length
        if (recent_end >= size or files.pread(fd, len(mark), position) != mark
                or (gap and files.pread(fd, 1, old_end) != b",")
                or files.pread(fd, 1, recent_end) != b"}"):
            return None
        regions.append((name, info, old_start, old_length, old_crc, recent_start,
                        recent_length))
        position = recent_end + 1
    if entries is None:  # no entries yet: the split tables close the file
        length = crc = 0
        entries_start = -1
        fits = size == position + 1 and files.pread(fd, 1, position) == b"}"
    else:
        length, crc = entries
        entries_start = position + len(_MARK)
        fits = (size == entries_start + length + 1
                and files.pread(fd, len(_MARK), position) == _MARK
                and files.pread(fd, 1, entries_start + length) == b"}")
    if not fits:
        return None
    for name, _info, old_start, old_length, old_crc, recent_start, recent_length in regions:
        recent_bytes = files.pread(fd, recent_length, recent_start)
        recent = fast_loads(b"{" + recent_bytes + b"}")
        if len(recent_bytes) != recent_length or not isinstance(recent, dict):
            return None
        if verify and not _crc_matches(fd, old_start, old_length, old_crc):
            return None
        head[name] = recent
    if verify and entries is not None and not _crc_matches(fd, entries_start, length, crc):
        return None
    try:
        check_shape(head)
    except ValueError:
        return None
    splits = {
        name: Split(FilePart(os.dup(fd), old_start, old_length, old_crc, inner=True), info)
        for name, info, old_start, old_length, old_crc, _s, _l in regions
    }
    return head, (entries_start, length, crc) if entries is not None else None, splits


def parse_cold(cold: bytes) -> dict[str, Any]:
    value = fast_loads(cold)
    if value is NOT_PARSED:
        import json

        value = json.loads(cold)
    return value


def inner(docs: dict[str, Any]) -> bytes:
    """A table's documents as the bytes between its braces."""
    return dumps(docs)[1:-1]


def serialise(data: Data, cold: FilePart | None,
              older: dict[str, tuple[bytes, dict[str, Any]]] | None = None) -> list[bytes]:
    """The file's bytes, in pieces, entries last (``cold``: where they still are).

    ``older``: for each split table, its older documents' bytes (between braces) and
    the record of the split (store/history.py); ``data`` then holds its recent ones."""
    row = meta_row(data)
    older = {n: older[n] for n in SPLIT_TABLES if older and n in older and n in data}
    has_entries = cold is not None or COLD_TABLE in data
    if row is not None:
        for name in SPLIT_TABLES:
            row.pop(split_key(name), None)
    if row is None or (not has_entries and not older):
        if row is not None:
            row.pop(LAYOUT_KEY, None)
        return [dumps(data)]
    entries = b""
    if has_entries:
        entries = cold.read() if cold is not None else dumps(data[COLD_TABLE])
        row[LAYOUT_KEY] = [len(entries), zlib.crc32(entries)]
    else:
        row.pop(LAYOUT_KEY, None)
    regions: list[bytes] = []
    for name, (old_bytes, info) in older.items():
        recent = inner(data[name])
        row[split_key(name)] = {**info, "old": [len(old_bytes), zlib.crc32(old_bytes)],
                                "recent": len(recent)}
        gap = b"," if old_bytes and recent else b""
        regions += [_split_mark(name), old_bytes, gap, recent, b"}"]
    head = dumps({name: docs for name, docs in data.items()
                  if name != COLD_TABLE and name not in older})
    tail = [_MARK, entries, b"}"] if has_entries else [b"}"]
    return [head[:-1], *regions, *tail]
