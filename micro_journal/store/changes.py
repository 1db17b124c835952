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
* The first line of a log is a header (``ops`` empty) that names the size and
  modification time of the ``journal.json`` it was started against. A journal.json
  that no longer matches was changed by another program while saves were pending
  (plain TinyDB, an editor, a copy put in place): the saves are then merged into it
  record by record rather than laid blindly over it (see ``storage.merge_log``).
* A removal names the removed record's ``id`` as a fourth element, so that a merge
  removes only that record, never another one that took its document id.
* A last line without its newline is a save that never returned (the process died
  mid-append): it was never reported saved and is ignored. A complete line that fails
  its checksum is damage; it is skipped, counted and the log kept for the user.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .files import loads as default_loads
from .files import meta_row

CHANGES_SUFFIX = ".changes"
TOKEN_KEY = "changes_token"
FOLDED_KEY = "changes_folded"  # the tokens of the last logs folded into this file
FOLDED_KEEP = 16

Data = dict[str, dict[str, Any]]
Op = list  # [table, doc_id, doc | None]


# this device's name (store/sync.py ``device_id``), set once by the program that runs
# (``use_device``): each device's waiting saves then go to a log of its own,
# ``journal.json.<device>.changes``, which a sync tool copies but never has two writers
# of. Unset (tests, tools), the log is ``journal.json.changes``.
DEVICE: str | None = None
# names it when a log is first needed: (create) -> name, or None when there is none yet
# and ``create`` is False
_naming: Callable[[bool], str | None] | None = None


def use_device(device: str | Callable[[bool], str | None] | None) -> None:
    """This process's device: a name, or a function giving it when first needed (the
    name lives in the config folder, made by the first write: a command that writes
    nothing makes nothing)."""
    global DEVICE, _naming
    if callable(device):
        DEVICE, _naming = None, device
    else:
        DEVICE, _naming = device, None


def this_device(*, create: bool = True) -> str | None:
    global DEVICE, _naming
    if _naming is not None:
        found = _naming(create)
        if found is None:
            return None
        DEVICE, _naming = found, None
    return DEVICE


def changes_path_for(path: Path, device: str | None = None, *, create: bool = True) -> Path:
    """The change log of the journal at ``path``: this device's, or ``device``'s
    ("" names the log of before devices, ``journal.json.changes``)."""
    if device is None:
        device = this_device(create=create)
    if device:
        return path.with_name(f"{path.name}.{device}{CHANGES_SUFFIX}")
    legacy = path.with_name(path.name + CHANGES_SUFFIX)
    if device is None and not legacy.exists():
        # a program that is no device (a script on TinyDB, a reader): the journal's
        # log is the one device's log when there is exactly one
        logs = _device_logs(path)
        if len(logs) == 1:
            return logs[0]
    return legacy


def folder_names(path: Path) -> list[str]:
    """The names in the folder of the journal at ``path``, sorted (none: unreadable)."""
    try:
        return sorted(entry.name for entry in path.parent.iterdir())
    except OSError:
        return []


def _device_logs(path: Path, names: list[str] | None = None) -> list[Path]:
    pattern = re.compile(rf"^{re.escape(path.name)}\.[a-z0-9][a-z0-9-]{{0,40}}"
                         rf"{re.escape(CHANGES_SUFFIX)}$")
    names = folder_names(path) if names is None else names
    return [path.parent / name for name in names if pattern.match(name)]


def other_logs(path: Path, names: list[str] | None = None) -> list[Path]:
    """Other devices' change logs beside the journal at ``path`` (synced here);
    ``names``: the folder's listing, when the caller has it."""
    names = folder_names(path) if names is None else names
    own = changes_path_for(path)
    found = [log for log in _device_logs(path, names) if log != own]
    legacy = path.name + CHANGES_SUFFIX
    if legacy != own.name and legacy in names:  # a script's, next to this device's own
        found.append(path.parent / legacy)
    return found


def snapshot_token(data: Data | None) -> str | None:
    row = meta_row(data)
    token = row.get(TOKEN_KEY) if row else None
    return token if isinstance(token, str) else None


def folded_tokens(data: Data | None) -> list[str]:
    row = meta_row(data)
    tokens = row.get(FOLDED_KEY) if row else None
    return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []


def set_token(data: Data, token: str) -> bool:
    """Write ``token`` into the meta row (and remember the one it replaces, whose log is
    now folded in, with those of the logs before it); False when there is no meta row to hold it."""
    row = meta_row(data)
    if row is None:
        return False
    old = row.get(TOKEN_KEY)
    if isinstance(old, str):
        row[FOLDED_KEY] = [*folded_tokens(data), old][-FOLDED_KEEP:]
    row[TOKEN_KEY] = token
    return True


def encode(token: str | None, ops: list[Op], dumps, file: list[int] | None = None) -> bytes:
    body = dumps({"g": token, "ops": ops} if file is None else
                 {"g": token, "ops": ops, "file": file})
    return b"%08x " % zlib.crc32(body) + body + b"\n"


class ChangeLog:
    """What a change log holds for one snapshot."""

    def __init__(self, size: int = 0, exists: bool = False) -> None:
        # (a plain class: a dataclass costs a millisecond of start-up to build)
        self.batches: list[list[Op]] = []
        self.size = size  # bytes in the file
        self.exists = exists
        self.damaged = 0  # complete lines that failed their checks
        self.file: list[int] | None = None  # [size, mtime_ns] of journal.json at its start
        self.tokens: set[str | None] = set()  # the tokens its lines name
        self.foreign: list[list[Op]] = []  # batches of lines naming another token
        # keys of the documents journal.json holds in its split tables' recent parts
        self.recent_at_open: dict[str, frozenset[str]] = {}
        self.merged = False  # laid on a journal.json that changed under it (storage.py)
        self.stale = False  # nothing in it for this journal.json: folded in already


def _valid_op(op: Any) -> bool:
    return (
        isinstance(op, list) and len(op) in (3, 4) and isinstance(op[0], str)
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
        log.tokens.add(obj.get("g"))
        if obj.get("g") != token:
            log.foreign.append(ops)  # a line of another file (folded into it, usually)
            continue
        if "file" in obj and log.file is None and isinstance(obj["file"], list):
            log.file = obj["file"]
        if ops:
            log.batches.append(ops)
    return log


def read(path: Path, token: str | None, loads=default_loads, *,
         log_path: Path | None = None) -> ChangeLog:
    """The change log of the journal at ``path`` (empty when there is none)."""
    try:
        raw = (log_path or changes_path_for(path)).read_bytes()
    except FileNotFoundError:
        return ChangeLog()
    return parse(raw, token, loads)


def touches(log: ChangeLog, table: str) -> bool:
    return any(op[0] == table for ops in log.batches for op in ops)


def apply(data: Data, batches: list[list[Op]]) -> None:
    for ops in batches:
        for table, doc_id, doc, *_ in ops:
            if doc is None:
                docs = data.get(table)
                if docs is not None:
                    docs.pop(doc_id, None)
            else:
                data.setdefault(table, {})[doc_id] = doc


class MergeReport:
    """What ``merge`` did, for the one line the user is told."""

    def __init__(self) -> None:
        self.applied = 0  # saves laid on the file as they were
        self.renumbered = 0  # saves whose document id the file had given to another record
        self.kept_newer = 0  # saves older than the file's own version of the same record
        self.removals_skipped = 0  # removals of a record the file no longer holds there

    def __str__(self) -> str:
        parts = [f"merged {_count(self.applied, 'waiting save')}"]
        if self.renumbered:
            parts.append(f"{_count(self.renumbered, 'record')} got a new document id (the "
                         "file had given that id to another record)")
        if self.kept_newer:
            parts.append(f"{_count(self.kept_newer, 'record')} kept as the file had it "
                         "(its version was newer)")
        if self.removals_skipped:
            parts.append(f"{_count(self.removals_skipped, 'removal')} not applied (the "
                         "record there is another one now)")
        return "; ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _record_id(doc: Any) -> Any:
    return doc.get("id") if isinstance(doc, dict) else None


def merge(data: Data, batches: list[list[Op]]) -> MergeReport:
    """Lay ``batches`` on a journal.json that changed after they were saved, keeping both.

    The file's own records are never overwritten by another record: a save whose
    document id the file now gives to a different record (a TinyDB insert made while the
    saves were pending takes the same next id) gets a fresh id. The same record
    changed on both sides keeps the later ``updated_at``. A removal removes only the
    record it named."""
    report = MergeReport()
    target_of: dict[tuple[str, str], str | None] = {}
    next_id: dict[str, int] = {}
    # the file's documents as they were, before any save is laid on them
    touched = {op[0] for ops in batches for op in ops}
    in_file = {name: dict(data.get(name) or {}) for name in touched}

    def fresh_id(table: str) -> str:
        """An id neither the file nor any waiting save uses."""
        if table not in next_id:
            used = set(in_file[table]) | {op[1] for ops in batches for op in ops
                                          if op[0] == table}
            next_id[table] = max((int(k) for k in used if k.isdigit()), default=0) + 1
        new = next_id[table]
        next_id[table] = new + 1
        return str(new)

    for ops in batches:
        for op in ops:
            table, doc_id, doc = op[0], op[1], op[2]
            named = _record_id(doc) if doc is not None else (op[3] if len(op) > 3 else None)
            docs = data.setdefault(table, {})
            key = (table, doc_id)
            if key not in target_of:
                theirs = in_file[table].get(doc_id)
                if theirs is None or (named is not None and _record_id(theirs) == named):
                    target_of[key] = doc_id
                elif doc is None:
                    target_of[key] = None  # removing a record that is not there any more
                else:
                    target_of[key] = fresh_id(table)
                    report.renumbered += 1
            target = target_of[key]
            if doc is None:
                current = docs.get(target) if target is not None else None
                if (current is not None and target is not None and named is not None
                        and _record_id(current) == named):
                    del docs[target]
                    report.applied += 1
                elif current is not None or target is None:
                    report.removals_skipped += 1
                continue
            if target is None:  # put after a removal of another record's id: a new id
                target = target_of[key] = fresh_id(table)
                report.renumbered += 1
            current = docs.get(target)
            if (current is not None and _record_id(current) == named
                    and str(current.get("updated_at", "")) > str(doc.get("updated_at", ""))):
                report.kept_newer += 1
                continue
            docs[target] = doc
            report.applied += 1
    return report
