"""The change log beside the journal: ``journal.json.changes``.

Rewriting a ten-year journal for every check-in costs time that grows with the
journal. So a save appends one line to this file instead (and fsyncs it), and the
whole journal is rewritten only now and then ("compaction": at close, when the log
has grown, after a failed append). ``journal.json`` stays a complete TinyDB file as
of its last compaction; the journal *is* that file plus the lines of this one.

One line per save (a save of several records is one line, so it applies all or
nothing)::

    <crc32 of JSON, 8 hex digits> <JSON: {"g": token, "ops": [[table, doc_id, doc|null], ...]}>

* ``doc`` is the whole document (``null`` removes it), so applying a line twice
  changes nothing.
* ``token`` names the ``journal.json`` the line applies to: every compaction writes a
  fresh token into the meta row, so lines already folded in (a log that outlived the
  compaction that absorbed it, a crash between the two steps) are recognised and
  skipped, and a log can never be replayed onto a different file (a restored backup).
* A last line without its newline is a save that never returned (the process died
  mid-append): it was never reported saved and is ignored. A complete line that fails
  its checksum is damage; it is skipped, counted and the log kept for the user.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

CHANGES_SUFFIX = ".changes"
TOKEN_KEY = "changes_token"

Data = dict[str, dict[str, Any]]
Op = list  # [table, doc_id, doc | None]


def changes_path_for(path: Path) -> Path:
    return path.with_name(path.name + CHANGES_SUFFIX)


def _meta_row(data: Data | None) -> dict[str, Any] | None:
    meta = (data or {}).get("meta")
    if isinstance(meta, dict):
        for doc in meta.values():
            if isinstance(doc, dict) and "schema_version" in doc:
                return doc
    return None


def snapshot_token(data: Data | None) -> str | None:
    row = _meta_row(data)
    token = row.get(TOKEN_KEY) if row else None
    return token if isinstance(token, str) else None


def set_token(data: Data, token: str) -> bool:
    """Write ``token`` into the meta row; False when there is no meta row to hold it."""
    row = _meta_row(data)
    if row is None:
        return False
    row[TOKEN_KEY] = token
    return True


def encode(token: str | None, ops: list[Op], dumps) -> bytes:
    body = dumps({"g": token, "ops": ops})
    return b"%08x " % zlib.crc32(body) + body + b"\n"


class ChangeLog:
    """What a change log holds for one snapshot."""

    def __init__(self, size: int = 0, exists: bool = False) -> None:
        # (a plain class: a dataclass costs a millisecond of start-up to build)
        self.batches: list[list[Op]] = []
        self.size = size  # bytes in the file
        self.exists = exists
        self.damaged = 0  # complete lines that failed their checks


def _valid_op(op: Any) -> bool:
    return (
        isinstance(op, list) and len(op) == 3 and isinstance(op[0], str)
        and isinstance(op[1], str) and (op[2] is None or isinstance(op[2], dict))
    )


def parse(raw: bytes, token: str | None, loads) -> ChangeLog:
    log = ChangeLog(size=len(raw), exists=True)
    lines = raw.split(b"\n")
    lines.pop()  # what follows the last newline: a save cut short, never acknowledged
    for line in lines:
        if not line:
            continue
        try:
            crc = int(line[:8], 16)
            body = line[9:]
            if line[8:9] != b" " or zlib.crc32(body) != crc:
                raise ValueError("checksum")
            obj = loads(body)
            ops = obj["ops"]
            if not isinstance(ops, list) or not all(_valid_op(op) for op in ops):
                raise ValueError("shape")
        except (ValueError, TypeError, KeyError):
            log.damaged += 1
            continue
        if obj.get("g") != token:
            continue  # a line of another file: already folded into it
        log.batches.append(ops)
    return log


def read(path: Path, token: str | None, loads) -> ChangeLog:
    """The change log of the journal at ``path`` (empty when there is none)."""
    try:
        raw = changes_path_for(path).read_bytes()
    except FileNotFoundError:
        return ChangeLog()
    return parse(raw, token, loads)


def touches(log: ChangeLog, table: str) -> bool:
    return any(op[0] == table for ops in log.batches for op in ops)


def apply(data: Data, batches: list[list[Op]]) -> None:
    for ops in batches:
        for table, doc_id, doc in ops:
            if doc is None:
                docs = data.get(table)
                if docs is not None:
                    docs.pop(doc_id, None)
            else:
                data.setdefault(table, {})[doc_id] = doc


def default_loads(raw: bytes) -> Any:
    from .storage import DECLINED, fast_loads

    value = fast_loads(raw)
    return json.loads(raw) if value is DECLINED else value
