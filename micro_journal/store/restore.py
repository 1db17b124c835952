"""Restoring a backup: the journal put back as a backup holds it, nothing thrown away.

The caller holds the journal's lock (services.portability.restore takes it). What was
there is kept first: as a ``before-restore`` backup with its change log folded in, or
set aside as ``<name>.corrupt-…`` when it does not parse.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from . import changes
from .backups import read_backup, wait_for_backups, write_new_backup
from .files import atomic_write, dumps, move_aside, parse_journal_bytes, stamp


def restore_backup(path: Path, backup: Path, raw: bytes | None = None) -> None:
    """Put ``backup`` in place of the journal (the caller holds its lock; no app has it
    open): journal.json gets the bytes it holds, uncompressed, as they were.

    A journal that still exists is first kept — with its change log folded in — as a
    ``before-restore`` backup, or set aside as ``<name>.corrupt-…`` (with its log) when
    it does not parse; never overwritten blindly. The change log goes before the
    backup is put in place, so none of its changes is ever applied on top of it.
    ``raw``: the backup's bytes, when the caller has read them already.
    """
    wait_for_backups()
    path = Path(os.path.realpath(path))  # a symlinked journal: the file it names
    if raw is None:
        raw = read_backup(backup)
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
