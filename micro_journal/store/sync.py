"""Merging copies of one journal, record by record: one journal on several devices.

A journal kept in a synced folder (Syncthing, Dropbox, Nextcloud, OneDrive, git) is
written by more than one device. The sync tool then keeps one ``journal.json`` and
sets the other aside under a name of its own (a *conflict copy*), and each device's
waiting saves sit in a change log named for that device. This module merges such a
copy into the journal; nothing in it picks one side.

The rule (every device applies it the same way, so copies merged in any order end up
holding the same records):

* Records are known by their ``id``. The merge is the **union** of both sides.
* The same record changed on both sides: the version with the later ``updated_at``
  wins. With a common ancestor (``base``: the git merge driver) it is settled field by
  field: a field changed on one side only takes that side's value, and only a field
  changed on both takes the later version's. Equal stamps are settled by the
  documents' bytes, so every device picks the same one.
* Clocks disagree. A save is always stamped after the version it replaced (see
  ``domain.models.Record.touched``), so an edit made on a device whose clock is behind
  still wins over the version it edited; and a version stamped more than a day after
  this machine's clock loses to one that is not, and is reported (``Outcome.future``).
* **Entry text is never dropped.** When the two versions of an entry hold different
  text and neither descends from the other (each entry remembers the checksums of the
  texts it replaced, ``past``), the losing text is kept in the entry's ``conflicts``;
  the editor shows it for the user to resolve.
* **Removals travel as tombstones** (table ``tombstones``: the removed record's id and
  ``removed_at``). A record is dropped when its tombstone is at least as new as the
  record, so an undone check-in does not come back from the other device's copy; a
  record saved again afterwards is stamped after its tombstone and stays.

The functions work on plain tables (``{table: {doc_id: document}}``) and never touch a
file but to read one; the store (journal.py) lays the result down atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import zlib
from pathlib import Path
from typing import Any

from .files import dumps, meta_row

Data = dict[str, dict[str, Any]]

TOMBSTONES = "tombstones"
META = "meta"
CONFLICTS = "conflicts"  # an entry's other versions' text, kept by a merge
PAST = "past"  # checksums of the texts an entry's text replaced
PAST_KEEP = 64  # the newest of them an entry keeps when saved
FUTURE_SLACK = dt.timedelta(days=1)
# meta keys that describe where things sit in one particular file (layout.py): a
# merged journal is laid out afresh
_LAYOUT_KEY = re.compile(r"^(entries_bytes|[a-z_]+_split)$")


class MergeRefused(ValueError):
    """The two copies cannot be merged (another schema version, not a journal)."""


def text_mark(text: str) -> str:
    """The checksum an entry keeps of a text it replaced (8 hex digits)."""
    return f"{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"


class Outcome:
    """What a merge took from the other side, for the one line the user is told."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.removed: dict[str, int] = {}
        self.conflicts = 0  # entries now holding another version's text
        self.future = 0  # versions stamped more than a day ahead of this clock

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.conflicts)

    def count(self, kind: dict[str, int], table: str) -> None:
        kind[table] = kind.get(table, 0) + 1

    def summary(self) -> str:
        """``3 check-ins and 1 entry added, 1 goal updated``; empty when nothing."""
        parts = []
        for label, kind in (("added", self.added), ("updated", self.updated),
                            ("removed", self.removed)):
            if kind:
                parts.append(f"{_things(kind)} {label}")
        if self.conflicts:
            parts.append(f"{_count(self.conflicts, 'entry', 'entries')} with a conflicting "
                         "version to resolve in the editor")
        if self.future:
            parts.append(f"{_count(self.future, 'change')} dated more than a day ahead of "
                         "this computer's clock (another device's clock is wrong?) not "
                         "trusted over the others")
        return ", ".join(parts)


_NOUNS = {"checkins": ("check-in", "check-ins"), "entries": ("entry", "entries"),
          "goals": ("goal", "goals"), "skills": ("skill", "skills"),
          "objectives": ("objective", "objectives"), "plans": ("plan", "plans"),
          "reviews": ("weekly review", "weekly reviews")}


def _things(kind: dict[str, int]) -> str:
    items = [_count(n, *_NOUNS.get(t, ("record", "records"))) for t, n in sorted(kind.items())]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# the rule ---------------------------------------------------------------------


def _stamp(doc: dict[str, Any]) -> str:
    value = doc.get("updated_at")
    return value if isinstance(value, str) else ""


def _settled(doc: dict[str, Any]) -> bytes:
    """A version's bytes without what merges add (ties are settled on these)."""
    if CONFLICTS in doc or PAST in doc:
        doc = {k: v for k, v in doc.items() if k not in (CONFLICTS, PAST)}
    return dumps(doc)


def _texts(doc: dict[str, Any], key: str) -> list[str]:
    value = doc.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


class _Rule:
    def __init__(self, now: dt.datetime | None) -> None:
        now = now or dt.datetime.now(dt.UTC)
        self.limit = (now + FUTURE_SLACK).isoformat(timespec="seconds")
        self.outcome = Outcome()

    def rank(self, doc: dict[str, Any]) -> tuple[bool, str, bytes]:
        stamp = _stamp(doc)
        return (stamp[:19] <= self.limit[:19], stamp, _settled(doc))

    def pick(self, table: str, ours: dict[str, Any], theirs: dict[str, Any],
             base: dict[str, Any] | None) -> dict[str, Any]:
        """The merged version of one record both sides hold."""
        if ours == theirs:
            return ours
        for doc in (ours, theirs):
            if not self.rank(doc)[0]:
                self.outcome.future += 1
        win = ours if self.rank(ours) >= self.rank(theirs) else theirs
        if base is None:
            merged = dict(win)
        else:  # field by field: a field only one side changed takes that side's value
            merged = {}
            for key in [*ours, *(k for k in theirs if k not in ours)]:
                if key in (CONFLICTS, PAST):
                    continue
                mine, other, was = ours.get(key, _NO), theirs.get(key, _NO), base.get(key, _NO)
                value = (mine if mine == other else other if mine == was
                         else mine if other == was else win.get(key, _NO))
                if value is not _NO:
                    merged[key] = value
            merged["updated_at"] = max(_stamp(ours), _stamp(theirs))
        if table == "entries":
            self._keep_texts(merged, (ours, theirs), base)
        return merged

    def _keep_texts(self, merged: dict[str, Any], versions: tuple[dict[str, Any], ...],
                    base: dict[str, Any] | None) -> None:
        """Every text either version holds stays: the merged text, or a conflict."""
        past = set()
        texts: list[str] = []
        for doc in (*versions, *([base] if base is not None else [])):
            past.update(_texts(doc, PAST))
        if base is not None and isinstance(base.get("body"), str):
            past.add(text_mark(base["body"]))
        for doc in versions:
            if isinstance(doc.get("body"), str):
                texts.append(doc["body"])
            texts.extend(_texts(doc, CONFLICTS))
        body = merged.get("body")
        conflicts = sorted({t for t in texts if t != body and text_mark(t) not in past})
        had = {t for doc in versions for t in _texts(doc, CONFLICTS)}
        if set(conflicts) - had:
            self.outcome.conflicts += 1
        merged.pop(CONFLICTS, None)
        merged.pop(PAST, None)
        if past:
            merged[PAST] = sorted(past)
        if conflicts:
            merged[CONFLICTS] = conflicts


_NO = object()


def _ids(docs: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for doc_id, doc in docs.items():
        if isinstance(doc, dict):
            rid = doc.get("id")
            key = rid if isinstance(rid, str) and rid else "#" + dumps(doc).decode()
            out.setdefault(key, (doc_id, doc))
    return out


def _tombstones(*sides: Data | None) -> dict[str, dict[str, Any]]:
    """The union of the sides' tombstones by record id, the newest of each."""
    out: dict[str, dict[str, Any]] = {}
    for side in sides:
        for doc in (side or {}).get(TOMBSTONES, {}).values():
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
                continue
            have = out.get(doc["id"])
            if have is None or (str(doc.get("removed_at", "")), dumps(doc)) > (
                    str(have.get("removed_at", "")), dumps(have)):
                out[doc["id"]] = doc
    return out


def _buried(doc: dict[str, Any], tombs: dict[str, dict[str, Any]]) -> bool:
    rid = doc.get("id")
    tomb = tombs.get(rid) if isinstance(rid, str) else None
    return tomb is not None and _stamp(doc) <= str(tomb.get("removed_at", ""))


def _next_id(docs: dict[str, Any]) -> int:
    return max((int(k) for k in docs if isinstance(k, str) and k.isdigit()), default=0) + 1


def merge(ours: Data, theirs: Data, base: Data | None = None, *,
          now: dt.datetime | None = None) -> tuple[Data, Outcome]:
    """``ours`` and ``theirs`` merged by the rule above; ``base`` is their common
    ancestor when known (a three-way merge). Neither argument is changed. Our records
    keep their document ids; records only the other side has get new ones."""
    mine, other = meta_row(ours), meta_row(theirs)
    if other is None and any(theirs.get(t) for t in theirs if t != META):
        raise MergeRefused("it is not a micro-journal file (it has no meta row)")
    if mine is not None and other is not None and \
            mine.get("schema_version") != other.get("schema_version"):
        raise MergeRefused(
            f"it was written by another version of micro-journal (schema "
            f"{other.get('schema_version')}, this journal {mine.get('schema_version')}); "
            "open it once with this version first")
    rule = _Rule(now)
    tombs = _tombstones(ours, theirs, base)
    out: Data = {}
    for table in [*ours, *(t for t in theirs if t not in ours)]:
        if table in (META, TOMBSTONES):
            continue
        ours_docs: dict[str, Any] = ours.get(table) or {}
        theirs_docs: dict[str, Any] = theirs.get(table) or {}
        base_ids = _ids(base.get(table) or {}) if base is not None else {}
        mine_ids, other_ids = _ids(ours_docs), _ids(theirs_docs)
        docs: dict[str, Any] = {}
        for key, (doc_id, doc) in mine_ids.items():
            was = base_ids.get(key, (None, None))[1]
            if key in other_ids:
                merged = rule.pick(table, doc, other_ids[key][1], was)
                if merged != doc:
                    rule.outcome.count(rule.outcome.updated, table)
            elif was is not None and was == doc:
                # three-way: removed on their side, unchanged on ours
                rule.outcome.count(rule.outcome.removed, table)
                continue
            else:
                merged = doc
            if _buried(merged, tombs):
                rule.outcome.count(rule.outcome.removed, table)
                continue
            docs[doc_id] = merged
        next_id = _next_id({**ours_docs, **docs})
        for key, (_doc_id, doc) in sorted(other_ids.items(), key=_theirs_order):
            if key in mine_ids:
                continue
            was = base_ids.get(key, (None, None))[1]
            if was is not None and was == doc:
                continue  # three-way: removed on our side, unchanged on theirs
            if _buried(doc, tombs):
                continue
            while str(next_id) in docs:
                next_id += 1
            docs[str(next_id)] = doc
            next_id += 1
            rule.outcome.count(rule.outcome.added, table)
        out[table] = docs
    meta = {doc_id: dict(doc) for doc_id, doc in (ours.get(META) or theirs.get(META)
                                                  or {}).items()}
    for row in meta.values():
        for key in [k for k in row if _LAYOUT_KEY.match(k)]:
            del row[key]
    result: Data = {META: meta, **out}
    if tombs:
        result[TOMBSTONES] = {str(i): doc for i, (_rid, doc) in
                              enumerate(sorted(tombs.items()), start=1)}
    return result, rule.outcome


def _theirs_order(item: tuple[str, tuple[str, dict[str, Any]]]) -> tuple[int, str]:
    doc_id = item[1][0]
    return (int(doc_id) if doc_id.isdigit() else 1 << 62, item[0])


def records_equal(a: Data, b: Data) -> bool:
    """Whether two journals hold the same records (document ids and layout aside)."""
    names = {t for t in (*a, *b) if t != META}
    return all({k: d for k, (_i, d) in _ids(a.get(t) or {}).items()}
               == {k: d for k, (_i, d) in _ids(b.get(t) or {}).items()} for t in names)


def from_log(batches: list[list[list[Any]]]) -> Data:
    """The records another device's change log saved (each record's last version),
    as a journal to merge: removals travel in it as tombstones."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for ops in batches:
        for op in ops:
            table, doc = op[0], op[2]
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                found.setdefault(table, {})[doc["id"]] = doc
    return {table: {str(i): doc for i, doc in enumerate(docs.values(), start=1)}
            for table, docs in found.items()}


# the files sync tools leave ------------------------------------------------------


def conflict_patterns(path: Path) -> list[tuple[str, re.Pattern[str]]]:
    """How each sync tool names a conflict copy of ``path`` (``journal.json``)."""
    stem, ext = re.escape(path.stem), re.escape(path.suffix)
    return [
        # journal.sync-conflict-20261130-081500-ABCDEFG.json
        ("Syncthing", re.compile(rf"^{stem}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]{{7}}{ext}$")),
        # journal (conflicted copy).json, journal (Jane's conflicted copy 2026-11-30).json,
        # journal (Jane's conflicted copy 2026-11-30 (1)).json
        ("Dropbox", re.compile(
            rf"^{stem} \((?:[^()/]+'s )?conflicted copy(?: \d{{4}}-\d{{2}}-\d{{2}})?"
            rf"(?: \(\d+\))?\){ext}$")),
        # journal (conflicted copy 2026-11-30 081500).json;
        # older clients: journal_conflict-20261130-081500.json
        ("Nextcloud", re.compile(
            rf"^(?:{stem} \(conflicted copy \d{{4}}-\d{{2}}-\d{{2}} \d{{6}}\)"
            rf"|{stem}_conflict-\d{{8}}-\d{{6}}){ext}$")),
        # journal-DESKTOP-1A2B3C.json (OneDrive adds the computer's name)
        ("OneDrive", re.compile(rf"^{stem}-[A-Z0-9](?:[A-Z0-9-]{{0,14}}){ext}$")),
        # journal (1).json: OneDrive, iCloud, Google Drive, a browser's download
        ("a copy", re.compile(rf"^{stem} \(\d{{1,3}}\){ext}$")),
    ]


def conflict_copies(path: Path, names: list[str]) -> list[tuple[Path, str]]:
    """Conflict copies of ``path`` among ``names`` (its folder's listing), oldest first,
    with the tool's name."""
    patterns = conflict_patterns(path)
    found = []
    for name in names:
        for tool, pattern in patterns:
            if pattern.match(name):
                copy = path.parent / name
                try:
                    if copy.is_file() and not copy.is_symlink():
                        found.append((copy.stat().st_mtime_ns, copy, tool))
                except OSError:
                    pass
                break
    return [(copy, tool) for _mtime, copy, tool in sorted(found)]


# this device ----------------------------------------------------------------------

_DEVICE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def device_id(folder: Path, *, create: bool = True) -> str | None:
    """This device's name for its change log (``laptop-3fa9c1``), kept in ``folder`` —
    the local config folder, never the synced one: a device id that travelled with
    the journal would make two devices write one log. Made on first use."""
    import secrets
    import socket

    from .files import atomic_write, make_folder

    path = folder / "device-id"
    try:
        found = path.read_text(encoding="utf-8").strip()
        if _DEVICE_NAME.match(found):
            return found
    except (OSError, UnicodeError):
        pass
    if not create:
        return None
    host = re.sub(r"[^a-z0-9]+", "-", socket.gethostname().lower()).strip("-")[:24]
    made = f"{host or 'device'}-{secrets.token_hex(3)}"
    try:
        make_folder(folder)
        atomic_write(path, made.encode() + b"\n")
    except OSError:
        pass  # a read-only config folder: this run's id only (its log is still its own)
    return made


MERGED_KEEP = 30  # merged conflict copies kept, the newest (backups hold the rest)


def merged_dir_for(path: Path) -> Path:
    """Where conflict copies go once merged: ``journal.json.merged/`` beside it."""
    return path.with_name(path.name + ".merged")


def keep_merged(path: Path, copy: Path) -> Path:
    """Move a merged conflict copy of the journal at ``path`` into its merged folder
    (never deleted at once: the newest MERGED_KEEP stay, older ones go; every record
    they held is in the journal and its backups). Returns where it went."""
    from .files import free_name, make_folder, stamp

    folder = merged_dir_for(path)
    make_folder(folder)
    target = free_name(folder / f"{stamp()}-{copy.name}")
    os.rename(copy, target)
    kept = sorted((p for p in folder.iterdir() if p.is_file()), key=_merged_at)
    for old in kept[:-MERGED_KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _merged_at(copy: Path) -> tuple[str, int]:
    """Oldest first: the stamp its name starts with, then when it was moved there."""
    try:
        moved = copy.stat().st_ctime_ns
    except OSError:
        moved = 0
    return copy.name[:16], moved
