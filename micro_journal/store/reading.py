"""Reading a journal file: journal.json with its change log laid on, checked.

What every open does before TinyDB sees a table (``JournalStorage`` in storage.py, and
readers without a lock: ``read_state`` for verify, tools and tests): refuse what is not a
regular file, parse the file's head and recent parts (layout.py), find its change log
(this device's) and apply it — or merge it record by record when journal.json changed
under it — and set aside a file that does not parse, never overwriting it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import Any

from . import changes, files, layout, sync
from .backups import list_backups, newest_good_backup
from .errors import JournalCorrupt, JournalMissing, JournalUnreadable
from .files import (
    check_shape,
    describe_os_error,
    identity_of,
    leftover_temps,
    make_folder,
    move_aside,
    parse_journal_bytes,
    stamp,
)

Data = dict[str, dict[str, Any]]


def real_path(path: Path | str) -> Path:
    """The file a (possibly symlinked) journal path names: what is locked and written."""
    return Path(os.path.realpath(Path(path).expanduser()))

def not_a_regular_file(mode: int) -> str | None:
    """What a file that is not a regular file is ("a folder", "a named pipe (FIFO)"…),
    or None for a regular file. Reading a device or a FIFO never ends (or never
    starts): a journal must be a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def check_journal_file(path: Path | str) -> None:
    """JournalUnreadable, at once, when ``path`` (its target, for a link) exists and is
    not a regular file: a folder, a device (/dev/zero never ends), a FIFO (blocks until
    something writes to it). Nothing is read, locked or created."""
    target = real_path(path)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # missing (a new journal) or unreadable: opening says which
    kind = not_a_regular_file(mode)
    if kind is not None:
        raise JournalUnreadable(target, f"it is {kind}, not a regular file")


def lacks_owner_write(path: Path) -> int | None:
    """The file's mode when its owner may not write it (0400, 0444…), else None."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return None if mode & stat.S_IWUSR else mode


def load_journal_file(path: Path) -> tuple[Data, layout.FilePart | None,
                                           dict[str, layout.Split]]:
    """Read and parse journal.json; its entries and older check-ins may stay in the
    file (layout.FilePart, layout.Split). OSError when it cannot be read, ValueError when
    it does not parse."""
    # O_NONBLOCK: a FIFO swapped in since the check must not hang the open
    fd = os.open(path, os.O_RDONLY | files.O_BINARY | files.O_CLOEXEC | files.O_NONBLOCK)
    try:
        kind = not_a_regular_file(os.fstat(fd).st_mode)
        if kind is not None:
            raise JournalUnreadable(path, f"it is {kind}, not a regular file")
        os.set_blocking(fd, True)
        parts = layout.read_layout(fd, check_shape)
        if parts is None:
            data = parse_journal_bytes(layout.read_all(fd))
    except BaseException:
        os.close(fd)
        raise
    if parts is None:
        os.close(fd)
        return data, None, {}
    head, entries, splits = parts
    if entries is None:
        os.close(fd)
        return head, None, splits
    return head, layout.FilePart(fd, *entries), splits


def join_older(data: Data, name: str, split: layout.Split) -> None:
    """Put table ``name``'s older documents back in ``data`` (its own, newer, win)."""
    older = split.cold.load()
    recent = data.get(name)
    if not isinstance(recent, dict):
        data[name] = older
        return
    newer = dict(recent)
    recent.clear()
    recent.update(older)
    recent.update(newer)


# reading ------------------------------------------------------------------------


def read_with_changes(
    path: Path, *, writable: bool, notices: list[str]
) -> tuple[Data | None, layout.FilePart | None, dict[str, layout.Split], changes.ChangeLog]:
    """The journal as it stands: journal.json with its change log applied, and the
    entries' bytes and older check-ins when they were left unparsed (layout.py).

    A reader (no lock) may race a writer folding the log into a new journal.json;
    it reads again when the file changed under it."""
    for _attempt in range(5):
        before = identity_of(path)
        try:
            data, cold, splits = _read(path, writable=writable, notices=notices)
        except JournalCorrupt:
            if writable:  # its change log goes with it: it applies to no other file
                with contextlib.suppress(OSError):
                    if changes.changes_path_for(path).exists():
                        move_aside(changes.changes_path_for(path))
            raise
        if data is None:
            _log_without_journal(path, writable, notices)
            return data, None, {}, changes.ChangeLog()
        log = changes.read(path, changes.snapshot_token(data),
                           log_path=changes.changes_path_for(path, create=writable))
        if writable or identity_of(path) == before:
            break
        if cold is not None:
            cold.close()
        for split in splits.values():
            split.cold.close()
    assert data is not None  # (the loop returns when there is no file)
    merging = _changed_under_log(data, log, before)
    if cold is not None and (changes.touches(log, layout.COLD_TABLE) or merging):
        data[layout.COLD_TABLE], cold = cold.load(), None
    log.recent_at_open = {}
    for name, split in list(splits.items()):
        recent = data.get(name)
        log.recent_at_open[name] = (frozenset(recent) if isinstance(recent, dict)
                                    else frozenset())
        if merging or _touches_older(log, name, split, log.recent_at_open[name]):
            join_older(data, name, split)
            del splits[name]
    log.stale = not log.batches and log.file is None and not merging
    if merging:
        log.merged = True
        batches = log.batches + (log.foreign if _orphaned(data, log) else [])
        report = changes.merge(data, batches)
        kept = _keep_log_copy(path, "merged") if writable else None
        notices.append(
            f"{path.name} was changed by another program while saves were waiting in "
            f"{changes.changes_path_for(path).name}; both are kept: {report}."
            + (f" The waiting saves are also kept as they were, in {kept}" if kept else ""))
    else:
        changes.apply(data, log.batches)
    if log.damaged:
        kept = _keep_log_copy(path, "damaged") if writable else None
        notices.append(
            f"{log.damaged} saved change(s) in {changes.changes_path_for(path)} could not "
            "be read (the file is damaged) and were skipped"
            + (f"; the file is kept as {kept}." if kept else ".")
        )
    return data, cold, splits, log


def _touches_older(log: changes.ChangeLog, name: str, split: layout.Split,
                   recent: frozenset[str]) -> bool:
    """Whether a waiting save removes or replaces one of table ``name``'s older
    documents (the log must then be laid over all of them)."""
    max_id = split.info["max_id"]
    for ops in log.batches:
        for op in ops:
            if op[0] == name and op[1] not in recent and not (
                    isinstance(op[1], str) and op[1].isdigit() and int(op[1]) > max_id):
                return True
    return False


def _orphaned(data: Data, log: changes.ChangeLog) -> bool:
    """Lines for a journal.json other than this one, which were not folded into it:
    the journal was replaced (by hand, by a copy) while they waited."""
    known = {changes.snapshot_token(data), *changes.folded_tokens(data)}
    return bool(log.foreign) and any(t not in known for t in log.tokens)


def _changed_under_log(data: Data, log: changes.ChangeLog,
                       identity: tuple[int, ...] | None) -> bool:
    if not log.exists:
        return False
    if _orphaned(data, log):
        return True
    if not log.batches or log.file is None or identity is None:
        return False
    return list(identity[2:4]) != log.file


def read_state(path: Path | str) -> Data:
    """What the journal at ``path`` holds — journal.json with its change log applied —
    read without a lock and without changing anything (verify, tests, tools).
    Raises JournalCorrupt/JournalUnreadable like opening it."""
    found, cold, splits, _log = read_with_changes(real_path(path), writable=False, notices=[])
    data: Data = found if found is not None else {}
    if cold is not None:
        data[layout.COLD_TABLE] = cold.load()
    for name, split in splits.items():
        join_older(data, name, split)
    return data


def _keep_log_copy(path: Path, label: str) -> Path | None:
    import shutil

    source = changes.changes_path_for(path)
    target = source.with_name(f"{source.name}.{label}-{stamp()}")
    try:
        if label == "merged":  # (with sync, routine: kept with the merged copies)
            folder = sync.merged_dir_for(path)
            make_folder(folder)
            target = folder / target.name
        shutil.copyfile(source, target)
        os.chmod(target, 0o600)
    except OSError:
        return None
    return target


def _log_without_journal(path: Path, writable: bool, notices: list[str]) -> None:
    """A change log whose journal.json is gone (set aside, deleted by hand) belongs to
    no file any more: keep it aside, so a new journal never folds or deletes it."""
    log = changes.changes_path_for(path)
    if not writable or not log.exists():
        return
    with contextlib.suppress(OSError):
        kept = move_aside(log)
        notices.append(f"Changes saved for a journal that is no longer there are kept in {kept}.")


def _read(path: Path, *, writable: bool, notices: list[str]
          ) -> tuple[Data | None, layout.FilePart | None, dict[str, layout.Split]]:
    if writable:
        for tmp in leftover_temps(path):
            with contextlib.suppress(OSError):
                tmp.unlink()
    if not path.exists():
        backup = newest_good_backup(path)
        set_aside = sorted(path.parent.glob(f"{path.name}.corrupt-*"))
        if (backup is not None or set_aside) and writable:
            # never start silently empty where a journal used to be
            raise JournalMissing(path, backup, set_aside[-1] if set_aside else None)
        return None, None, {}
    reason = None
    cold = None
    splits: dict[str, layout.Split] = {}
    try:
        data, cold, splits = load_journal_file(path)
    except OSError as err:
        raise JournalUnreadable(path, f"it cannot be read ({describe_os_error(err)})") from err
    except ValueError as err:
        reason = str(err)
    if reason is None and not data and list_backups(path):
        raw = path.read_bytes()  # nothing in it: small
        if not raw.strip():
            reason = (
                "it is empty (0 bytes) although backups of it exist" if not raw
                else "it holds only blank space although backups of it exist"
            )
    if reason is not None:
        moved = None
        if writable:
            try:
                moved = move_aside(path)
            except OSError:
                moved = None
        raise JournalCorrupt(path, reason, moved, newest_good_backup(path))
    if writable:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            try:
                os.chmod(path, 0o600)
                notices.append(
                    f"Tightened the permissions of {path} from {mode:04o} to 0600 "
                    "so only you can read your journal."
                )
            except OSError:
                notices.append(f"{path} is readable by others ({mode:04o}); chmod 600 it.")
    return data, cold, splits
