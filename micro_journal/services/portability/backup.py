"""Backup and restore: a manual backup now, finding a backup by name or label, the list
of backups, and putting one in place of the journal under the journal's lock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ...store import migrations
from ...store.backups import (
    MANUAL_PREFIX,
    SUFFIXES,
    DamagedBackup,
    backup_dir_for,
    list_backups,
    read_backup,
)
from ...store.errors import JournalLocked
from ...store.files import describe_os_error, parse_journal_bytes
from ...store.journal import Journal
from ...store.restore import restore_backup
from ...store.storage import lock_path_for, real_path
from .common import PortabilityError
from .records import read_documents


def backup_now(journal: Journal, now: dt.datetime) -> Path:
    """A manual backup of the journal as it is on disk; returns its path.

    It is labelled ``manual-<date>-<time>``: rotated apart from the daily backups (the
    newest ``backups.MANUAL_KEEP`` manual ones are kept), so backing up by hand — or
    from cron every hour — never pushes a daily or weekly copy out. Its name is one no
    file has (``-1``, ``-2``… when two are made in the same second)."""
    made = journal.backup_now(f"{MANUAL_PREFIX}{now:%Y-%m-%d-%H%M%S}")
    if made is None:
        raise PortabilityError(f"there is no journal at {journal.path} to back up")
    journal.rotate_backups()
    return made


def find_backup(journal_path: Path, name: str) -> Path:
    """The backup called ``name``: a path, a file name in backups/, or its label."""
    given = Path(name).expanduser()
    journal_path = real_path(journal_path)
    folder = backup_dir_for(journal_path)
    # a label names one backup, in whichever format it was written (.json.gz, .json.bz2,
    # or .json by earlier versions)
    candidates = [given, folder / name, *(folder / f"{name}{s}" for s in SUFFIXES),
                  *(folder / f"{journal_path.stem}-{name}{s}" for s in SUFFIXES)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise PortabilityError(
        f"no backup called {name!r} (see `micro-journal restore` for the list)"
    )


@dataclass
class RestoreResult:
    restored: Path
    kept_as: Path | None
    # records of the backup this micro-journal leaves out (kept in the file as they are)
    unreadable: tuple[str, ...] = ()


def restore(journal_path: Path, backup: Path) -> RestoreResult:
    """Put ``backup`` in place of the journal, under the journal's lock; the current file
    is kept first (as a backup, or set aside when it does not parse)."""
    from filelock import FileLock, Timeout

    journal_path = real_path(journal_path)  # the file the app locks and writes
    try:
        raw = read_backup(backup)  # uncompressed: journal.json gets the plain bytes
    except OSError as err:
        raise PortabilityError(f"{backup} cannot be read ({describe_os_error(err)})") from None
    except DamagedBackup as err:
        raise PortabilityError(f"{backup} is a damaged backup: {err}") from None
    try:
        data = parse_journal_bytes(raw)
    except ValueError as err:
        raise PortabilityError(f"{backup} is not a journal backup: {err}") from None
    if not raw.strip():
        raise PortabilityError(f"{backup} is empty; it is no backup of anything")
    # the same check the journal is read with: a record the app would leave out is
    # restored as it is (a backup is the user's own journal; refusing it would leave
    # them without it) and named, as opening such a journal names it
    problem = migrations.version_problem(data)
    unreadable = (problem,) if problem else tuple(str(p) for p in read_documents(data)[1])
    if journal_path.exists() and backup.resolve() == journal_path.resolve():
        raise PortabilityError(f"{backup} is the journal itself")
    lock = FileLock(str(lock_path_for(journal_path)), timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise JournalLocked(journal_path, lock_path_for(journal_path)) from None
    try:
        before = set(list_backups(journal_path))
        aside_before = set(journal_path.parent.glob(f"{journal_path.name}.corrupt-*"))
        restore_backup(journal_path, backup, raw)
        kept = sorted(set(list_backups(journal_path)) - before)
        aside = sorted(set(journal_path.parent.glob(f"{journal_path.name}.corrupt-*"))
                       - aside_before)
    finally:
        lock.release()
    moved = kept or aside
    return RestoreResult(backup, moved[-1] if moved else None, unreadable)


def describe_backups(journal_path: Path) -> list[tuple[Path, int, float]]:
    """(path, size on disk, modified time) of each backup, oldest first (plain or
    compressed alike)."""
    result = []
    for p in list_backups(real_path(journal_path)):
        try:
            st = p.stat()
        except OSError:
            continue
        result.append((p, st.st_size, st.st_mtime))
    return result
