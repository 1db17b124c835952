"""Backups of a journal: the daily copy and its rotation, the copy before a migration,
and putting a backup back (restore).

Backups live in ``backups/`` beside the journal, named ``<stem>-<label>.json``; a
label that starts with a date (``2026-11-30``) is a daily backup and takes part in
rotation; any other label (``before-restore-…``, ``pre-migration-…``, hand-named) is
never rotated away.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from . import changes, layout
from .files import (
    atomic_write,
    check_shape,
    dumps,
    file_identity,
    make_folder,
    move_aside,
    parse_journal_bytes,
    stamp,
)

BACKUP_DIR = "backups"
DAILY_KEEP = 14
WEEKLY_KEEP = 8


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


def copy_journal(path: Path, label: str, known_good: tuple[int, ...] | None) -> Path:
    """Copy journal.json as it is on disk to ``backups/<stem>-<label>.json``.

    Only a journal that parses is ever copied (``known_good``: the identity of the file
    as last parsed or written by this process, which need not be checked again); it is
    copied in chunks, never held in memory whole."""
    folder = backup_dir_for(path)
    make_folder(folder)
    target = folder / f"{path.stem}-{label}.json"
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if file_identity(os.fstat(fd)) != known_good and layout.read_head(
                fd, check_shape) is None:
            parse_journal_bytes(layout.read_all(fd))
        atomic_write(target, layout.chunks(fd))
    finally:
        os.close(fd)
    return target


def pre_migration_backup(path: Path, version: int) -> Path:
    """Copy the file as it is into backups/ before a migration, and read it back."""
    folder = backup_dir_for(path)
    make_folder(folder)
    raw = path.read_bytes()
    target = folder / f"{path.stem}-pre-migration-v{version}-{stamp()}.json"
    n = 1
    while target.exists():
        target = target.with_name(f"{target.stem}-{n}.json")
        n += 1
    atomic_write(target, raw)
    if target.read_bytes() != raw:
        raise ValueError(f"the backup {target} does not read back as written")
    parse_journal_bytes(target.read_bytes())
    return target


def has_daily(path: Path, day: dt.date) -> bool:
    return (backup_dir_for(path) / f"{path.stem}-{day.isoformat()}.json").exists()


def rotate(path: Path, keep_daily: int = DAILY_KEEP) -> None:
    """Keep the newest ``keep_daily`` dailies, plus the newest of each of 8 older weeks."""
    backups = list_backups(path)
    dated: list[tuple[dt.date, Path]] = []
    for p in backups:
        label = p.stem[len(path.stem) + 1 :]
        try:
            dated.append((dt.date.fromisoformat(label[:10]), p))
        except ValueError:
            continue  # a hand-named backup: never rotated away
    dated.sort()
    keep = {p for _, p in dated[-keep_daily:]}
    weeks: dict[tuple[int, int], Path] = {}
    for day, p in dated[: -keep_daily or None]:
        weeks[day.isocalendar()[:2]] = p  # newest of its week wins
    keep.update(sorted(weeks.values(), key=lambda p: p.name)[-WEEKLY_KEEP:])
    keep.update(_last_backups_before_set_aside(path, [p for _, p in dated]))
    for _, p in dated:
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
                folder = backup_dir_for(path)
                make_folder(folder)
                atomic_write(folder / f"{path.stem}-before-restore-{stamp()}.json", current)
    with contextlib.suppress(FileNotFoundError):
        log_path.unlink()  # its changes are in the before-restore backup
    atomic_write(path, raw)

