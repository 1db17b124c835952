"""How journal.json is laid out, so that opening it need not parse every entry.

Journal entries are most of a journal's bytes, and the Today screen does not read
them. So the file is written with the ``entries`` table last, and the meta row
records that table's exact length and CRC-32::

    {"meta":{"1":{..., "entries_bytes":[L, CRC]}}, "skills":{...}, ..., "entries":{...L bytes...}}

Opening parses everything before ``,"entries":`` and leaves the entries in the file:
it keeps the file open (so the bytes stay what they were even after the file is
replaced) and reads and parses them the first time something needs them, checking
their length and checksum again. That is only done when
the bytes are provably the ones we wrote: the part before them must parse as a whole
object (which it cannot if the marker sits inside a record), and their length and
checksum must match. A file edited by anything else, written by an older version, or
damaged anywhere, fails one of those checks and is parsed (and judged) in full, as
before. The file stays plain JSON that TinyDB, ``jq`` or an older version read as is.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterator
from typing import Any

from .files import NOT_PARSED, dumps, fast_loads

COLD_TABLE = "entries"
LAYOUT_KEY = "entries_bytes"
_MARK = b',"' + COLD_TABLE.encode() + b'":'

Data = dict[str, dict[str, Any]]


def _meta_row(data: Data) -> dict[str, Any] | None:
    meta = data.get("meta")
    if isinstance(meta, dict):
        for doc in meta.values():
            if isinstance(doc, dict) and "schema_version" in doc:
                return doc
    return None


class Cold:
    """The entries' bytes, left in the open file ``fd`` at ``start``."""

    __slots__ = ("crc", "fd", "length", "start")

    def __init__(self, fd: int, start: int, length: int, crc: int) -> None:
        # (a plain class: a dataclass costs a millisecond of start-up to build)
        self.fd, self.start, self.length, self.crc = fd, start, length, crc

    def read(self) -> bytes:
        """The bytes, exactly as written, or ValueError (the file was changed in place)."""
        data = os.pread(self.fd, self.length, self.start)
        if len(data) != self.length or zlib.crc32(data) != self.crc:
            raise ValueError("journal.json was changed on disk by another program")
        return data

    def load(self) -> dict[str, Any]:
        """The entries, parsed; the file is let go of either way."""
        try:
            return parse_cold(self.read())
        finally:
            self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


CHUNK = 1 << 18


def chunks(fd: int) -> Iterator[bytes]:
    """The file behind ``fd`` from its start, a chunk at a time."""
    offset = 0
    while chunk := os.pread(fd, CHUNK, offset):
        yield chunk
        offset += len(chunk)


def read_all(fd: int) -> bytes:
    """The whole file behind ``fd``, from its start."""
    return b"".join(chunks(fd))


def read_head(fd: int, check_shape) -> tuple[Data, int, int, int] | None:
    """Read only up to the entries and check the rest by its checksum, in chunks, so
    that opening never holds the whole file in memory: ``(everything but the
    entries, their start, length, CRC)``, or None: parse it all."""
    buf = bytearray()
    offset = 0
    at = -1
    while at < 0:
        chunk = os.pread(fd, CHUNK, offset)
        if not chunk:
            return None
        searched = max(0, len(buf) - len(_MARK))
        buf += chunk
        offset += len(chunk)
        at = buf.find(_MARK, searched)
    start = at + len(_MARK)
    seen = bytes(buf[start:])  # the first bytes of the entries (less than a chunk)
    del buf[at:]
    buf += b"}"
    head = fast_loads(memoryview(buf))
    del buf
    if head is NOT_PARSED or not isinstance(head, dict) or COLD_TABLE in head:
        return None
    row = _meta_row(head)
    info = row.get(LAYOUT_KEY) if row else None
    if not (isinstance(info, list) and len(info) == 2 and isinstance(info[0], int)):
        return None
    length, crc = info
    end = start + length  # the entries end here; one closing brace follows
    if os.fstat(fd).st_size != end + 1 or os.pread(fd, 1, end) != b"}":
        return None
    running = zlib.crc32(seen[:length])
    offset = start + len(seen)
    while offset < end:
        chunk = os.pread(fd, min(CHUNK, end - offset), offset)
        if not chunk:
            return None
        running = zlib.crc32(chunk, running)
        offset += len(chunk)
    if running != crc:
        return None
    try:
        check_shape(head)
    except ValueError:
        return None
    return head, start, length, crc


def parse_cold(cold: bytes) -> dict[str, Any]:
    value = fast_loads(cold)
    if value is NOT_PARSED:
        import json

        value = json.loads(cold)
    return value


def serialise(data: Data, cold: Cold | None) -> list[bytes]:
    """The file's bytes, in pieces, entries last (``cold``: where they still are)."""
    row = _meta_row(data)
    if row is None or (cold is None and COLD_TABLE not in data):
        if row is not None:
            row.pop(LAYOUT_KEY, None)
        return [dumps(data)]
    entries = cold.read() if cold is not None else dumps(data[COLD_TABLE])
    row[LAYOUT_KEY] = [len(entries), zlib.crc32(entries)]
    head = dumps({name: docs for name, docs in data.items() if name != COLD_TABLE})
    return [head[:-1], _MARK, entries, b"}"]
