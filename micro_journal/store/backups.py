"""Backups of a journal: the daily copy and its rotation, the copy before a migration,
and putting a backup back (restore).

Backups live in ``backups/`` beside the journal, named ``<stem>-<label>.json``, of
three kinds:

* daily: the label is a date (``2026-11-30``); the newest ``keep_daily`` days are kept,
  plus the newest of each of 8 older weeks;
* manual (``micro-journal backup``): ``manual-…`` (or ``<date>-manual-…``, as earlier
  versions named them); rotated on their own, the newest ``MANUAL_KEEP`` kept, so they
  never take a daily slot;
* any other label (``before-restore-…``, ``pre-migration-…``, hand-named): never
  rotated away.

The newest backup of each kind is never removed. A backup is never written over another
file: each is published under a name nothing has yet (``…-1.json``, ``-2``… when its
name is taken), with a hard link, so not even a race replaces an earlier copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from . import changes, layout
from .files import (
    TMP_MARK,
    atomic_write,
    check_shape,
    dumps,
    file_identity,
    fsync_dir,
    make_folder,
    move_aside,
    parse_journal_bytes,
    stamp,
    temp_name,
)

BACKUP_DIR = "backups"
DAILY_KEEP = 14
WEEKLY_KEEP = 8
MANUAL_KEEP = 14
MANUAL_PREFIX = "manual-"
# a daily's label: its date, perhaps with the counter of a name that was taken
_DAILY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-\d+)?")
# a manual backup's label; earlier versions wrote "<date>-manual-<time>"
_MANUAL = re.compile(r"(?:\d{4}-\d{2}-\d{2}-)?manual-.*")


def backup_dir_for(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def list_backups(path: Path) -> list[Path]:
    """Backups of ``path``, oldest first."""
    folder = backup_dir_for(path)
    stem = path.stem
    try:
        found = [
            p for p in folder.iterdir()
            if p.name.startswith(f"{stem}-") and p.suffix == ".json"
        ]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


def _modified(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def newest_good_backup(path: Path) -> Path | None:
    """The most recently written backup that parses and is not empty."""
    candidates = sorted(list_backups(path), key=lambda p: (_modified(p), p.name))
    for backup in reversed(candidates):
        try:
            raw = backup.read_bytes()
            parse_journal_bytes(raw)
        except (OSError, ValueError):
            continue
        if not raw.strip():
            continue  # an empty file is no backup of anything
        return backup
    return None


def backup_kind(path: Path, backup: Path) -> str:
    """``"daily"``, ``"manual"`` or ``"kept"`` (never rotated) for a backup of ``path``."""
    label = backup.stem[len(path.stem) + 1 :]
    if _DAILY.fullmatch(label):
        return "daily"
    if _MANUAL.fullmatch(label):
        return "manual"
    return "kept"


def _temp_pid(name: str) -> int | None:
    try:
        return int(name.rsplit(TMP_MARK, 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return None


def _writer_alive(pid: int | None) -> bool:
    """Whether the process that made a temp file may still be writing it."""
    if pid is None or pid == os.getpid():
        return False  # not one of ours now: this process writes one backup at a time
    if sys.platform == "win32":
        return False  # backups are written under the journal's lock: its writer is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, someone else's
    return True


def remove_leftover_temps(path: Path) -> list[Path]:
    """Remove the temp files a killed backup (daily, manual, before-restore…) of ``path``
    left in backups/; they are never a backup, only its unfinished copy."""
    folder = backup_dir_for(path)
    removed = []
    try:
        names = [p for p in folder.iterdir()
                 if p.name.lstrip(".").startswith(f"{path.stem}-") and TMP_MARK in p.name]
    except OSError:
        return removed
    for tmp in names:
        if _writer_alive(_temp_pid(tmp.name)):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def write_new_backup(path: Path, label: str, payload: bytes | Iterable[bytes]) -> Path:
    """Write ``payload`` to ``backups/<stem>-<label>.json`` — or ``<label>-1``, ``-2``…
    when that name is taken — and return where. Never replaces an existing file.

    The copy is written (atomically, fsynced) under a temp name, then published with a
    hard link, which fails rather than replace (where links are not supported: a rename
    to a name checked to be free, under the journal's lock). A crash leaves a temp file
    (removed by :func:`remove_leftover_temps`), never a half backup under a backup's
    name."""
    folder = backup_dir_for(path)
    make_folder(folder)
    remove_leftover_temps(path)
    base = f"{path.stem}-{label}"
    staged = temp_name(folder / f"{base}.json")
    atomic_write(staged, payload)
    try:
        n = 0
        while True:
            target = folder / (f"{base}.json" if n == 0 else f"{base}-{n}.json")
            n += 1
            try:
                os.link(staged, target)
            except FileExistsError:
                continue
            except OSError:
                if target.exists() or target.is_symlink():
                    continue
                os.rename(staged, target)  # no hard links here; the name was free
            break
    finally:
        with contextlib.suppress(OSError):
            os.unlink(staged)
    fsync_dir(folder)
    return target


def copy_journal(path: Path, label: str, known_good: tuple[int, ...] | None) -> Path:
    """Copy journal.json as it is on disk to ``backups/<stem>-<label>.json`` (or the
    next free name: an existing backup is never replaced); returns the copy's path.

    Only a journal that parses is ever copied (``known_good``: the identity of the file
    as last parsed or written by this process, which need not be checked again); it is
    copied in chunks, never held in memory whole."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if file_identity(os.fstat(fd)) != known_good and layout.read_head(
                fd, check_shape) is None:
            parse_journal_bytes(layout.read_all(fd))
        return write_new_backup(path, label, layout.chunks(fd))
    finally:
        os.close(fd)


def pre_migration_backup(path: Path, version: int) -> Path:
    """Copy the file as it is into backups/ before a migration, and read it back."""
    raw = path.read_bytes()
    target = write_new_backup(path, f"pre-migration-v{version}-{stamp()}", raw)
    if target.read_bytes() != raw:
        raise ValueError(f"the backup {target} does not read back as written")
    parse_journal_bytes(target.read_bytes())
    return target


def has_daily(path: Path, day: dt.date) -> bool:
    return (backup_dir_for(path) / f"{path.stem}-{day.isoformat()}.json").exists()


def rotate(path: Path, keep_daily: int = DAILY_KEEP, keep_manual: int = MANUAL_KEEP) -> None:
    """Keep the dailies of the newest ``keep_daily`` days, plus the newest of each of 8
    older weeks; and, apart from them, the newest ``keep_manual`` manual backups. The
    newest backup of each kind, and of all, is never removed; other labels never are."""
    remove_leftover_temps(path)
    backups = list_backups(path)
    dated: list[tuple[dt.date, Path]] = []
    manual: list[Path] = []
    for p in backups:
        kind = backup_kind(path, p)
        if kind == "daily":
            dated.append((dt.date.fromisoformat(p.stem[len(path.stem) + 1 :][:10]), p))
        elif kind == "manual":
            manual.append(p)
    dated.sort()
    days = sorted({day for day, _ in dated})
    recent = set(days[-keep_daily:]) if keep_daily > 0 else set()
    keep = {p for day, p in dated if day in recent}
    weeks: dict[tuple[int, int], Path] = {}
    for day, p in dated:
        if day not in recent:
            weeks[day.isocalendar()[:2]] = p  # newest of its week wins
    keep.update(sorted(weeks.values(), key=lambda p: p.name)[-WEEKLY_KEEP:])
    by_age = sorted(manual, key=lambda p: (_modified(p), p.name))
    keep.update(by_age[-keep_manual:] if keep_manual > 0 else by_age[-1:])
    keep.update(_last_backups_before_set_aside(path, [p for _, p in dated] + manual))
    newest = sorted(backups, key=lambda p: (_modified(p), p.name))
    keep.update(newest[-1:])
    if dated:
        keep.add(dated[-1][1])
    for p in [p for _, p in dated] + manual:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()


def _last_backups_before_set_aside(path: Path, backups: list[Path]) -> set[Path]:
    """For each journal set aside as unreadable, the newest backup taken before it.

    That backup is the last good copy of what was lost: rotation never removes it,
    however long a new (or restored) journal is used while the set-aside file is
    there. "Before" is the moment of the move aside (the rename sets its ctime).
    """
    keep: set[Path] = set()
    stamped = []
    for p in backups:
        with contextlib.suppress(OSError):
            stamped.append((p.stat().st_mtime_ns, p))
    stamped.sort()
    for corrupt in path.parent.glob(f"{path.name}.corrupt-*"):
        try:
            moved_at = corrupt.stat().st_ctime_ns
        except OSError:
            continue
        before = [p for mtime, p in stamped if mtime <= moved_at]
        if before:
            keep.add(before[-1])
    return keep


def restore_backup(path: Path, backup: Path) -> None:
    """Put ``backup`` in place of the journal (the caller holds its lock; no app has it
    open).

    A journal that still exists is first kept — with its change log folded in — as a
    ``before-restore`` backup, or set aside as ``<name>.corrupt-…`` (with its log) when
    it does not parse; never overwritten blindly. The change log goes before the
    backup is put in place, so none of its changes is ever applied on top of it.
    """
    path = Path(os.path.realpath(path))  # a symlinked journal: the file it names
    raw = backup.read_bytes()
    parse_journal_bytes(raw)
    log_path = changes.changes_path_for(path)
    if path.exists():
        current = path.read_bytes()
        try:
            data = parse_journal_bytes(current)
        except ValueError:
            move_aside(path)
            if log_path.exists():
                move_aside(log_path)
        else:
            log = changes.read(path, changes.snapshot_token(data))
            if log.batches:
                changes.apply(data, log.batches)
                current = dumps(data)
            if log.damaged:
                move_aside(log_path)  # what could not be read is kept, not deleted
            if current.strip():
                # under a name nothing has: an earlier safety copy (a restore in the
                # same second) is the journal as it was then, and stays
                write_new_backup(path, f"before-restore-{stamp()}", current)
    with contextlib.suppress(FileNotFoundError):
        log_path.unlink()  # its changes are in the before-restore backup
    atomic_write(path, raw)

