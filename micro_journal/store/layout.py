"""How journal.json is laid out, so that opening it need not parse every entry.

Journal entries are most of a journal's bytes, and the Today screen does not read
them. So the file is written with the ``entries`` table last, and the meta row
records that table's exact length and CRC-32::

    {"meta":{"1":{..., "entries_bytes":[L, CRC]}}, "skills":{...}, ..., "entries":{...L bytes...}}

Opening parses everything before ``,"entries":`` and keeps the entries as the bytes
they are, to be parsed the first time something reads them. That is only done when
the bytes are provably the ones we wrote: the part before them must parse as a whole
object (which it cannot if the marker sits inside a record), and their length and
checksum must match. A file edited by anything else, written by an older version, or
damaged anywhere, fails one of those checks and is parsed (and judged) in full, as
before. The file stays plain JSON that TinyDB, ``jq`` or an older version read as is.
"""

from __future__ import annotations

import zlib
from typing import Any

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


def split(raw: bytes, check_shape) -> tuple[Data, bytes] | None:
    """``(everything but the entries, the entries' bytes)``, or None: parse it all."""
    from .storage import DECLINED, fast_loads

    if not raw.endswith(b"}"):
        return None
    at = raw.find(_MARK)
    if at < 0:
        return None
    head = fast_loads(raw[:at] + b"}")
    if head is DECLINED or not isinstance(head, dict) or COLD_TABLE in head:
        return None
    row = _meta_row(head)
    info = row.get(LAYOUT_KEY) if row else None
    start = at + len(_MARK)
    if not (isinstance(info, list) and len(info) == 2 and info[0] == len(raw) - 1 - start):
        return None
    cold = raw[start:-1]
    if zlib.crc32(cold) != info[1]:
        return None
    try:
        check_shape(head)
    except ValueError:
        return None
    return head, cold


def parse_cold(cold: bytes) -> dict[str, Any]:
    from .storage import DECLINED, fast_loads

    value = fast_loads(cold)
    if value is DECLINED:
        import json

        value = json.loads(cold)
    return value


def serialise(data: Data, cold: bytes | None) -> list[bytes]:
    """The file's bytes, in pieces, entries last (``cold``: their unparsed bytes)."""
    from .storage import dumps

    row = _meta_row(data)
    if row is None or (cold is None and COLD_TABLE not in data):
        if row is not None:
            row.pop(LAYOUT_KEY, None)
        return [dumps(data)]
    entries = cold if cold is not None else dumps(data[COLD_TABLE])
    row[LAYOUT_KEY] = [len(entries), zlib.crc32(entries)]
    head = dumps({name: docs for name, docs in data.items() if name != COLD_TABLE})
    return [head[:-1], _MARK, entries, b"}"]
