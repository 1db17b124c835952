"""Opening a journal file: the lock, permissions, parsing, corruption, backups, schema.

``open_journal`` is the one way in. It

1. creates the folder 0700 if needed and takes the single-writer lock on
   ``journal.json.lock`` (a second instance opens read-only, or is refused);
2. reads the file once; a file that does not parse, or a 0-byte file while backups
   exist, is moved aside as ``journal.json.corrupt-<timestamp>`` (never overwritten)
   and reported with the newest good backup;
3. tightens a file readable by others to 0600 (with a notice);
4. removes temp files a killed writer left behind;
5. checks ``schema_version`` (a newer file opens read-only);
6. takes the day's rotating backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.models import SCHEMA_VERSION
from . import changes, layout, migrations
from .errors import (
    JournalCorrupt,
    JournalLocked,
    JournalMissing,
    JournalUnreadable,
    SaveError,
)
from .storage import (
    DECLINED,
    SafeStorage,
    atomic_write,
    describe_os_error,
    dumps,
    fast_loads,
    file_identity,
    leftover_temps,
)

BACKUP_DIR = "backups"
DAILY_KEEP = 14
WEEKLY_KEEP = 8


def lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


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


def parse_journal_bytes(raw: bytes) -> dict[str, dict[str, Any]]:
    """Parse and check the shape of a journal file; ValueError says what is wrong."""
    if not raw.strip():
        return {}
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ValueError("it starts with a byte-order mark, which a journal never has")
    # orjson checks the UTF-8 itself; decoding a copy first would double the memory a
    # ten-year journal needs while it is read (the stdlib path decodes, and explains)
    data = fast_loads(raw)
    if data is DECLINED:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ValueError(f"it is not UTF-8 text (byte {err.start})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(
                f"it is not valid JSON ({err.msg} at line {err.lineno})"
            ) from None
    check_shape(data)
    return data


def check_shape(data: Any) -> None:
    """ValueError unless ``data`` is shaped like a TinyDB database (tables of documents)."""
    if not isinstance(data, dict):
        raise ValueError("it is JSON but not a journal (the top level is not an object)")
    for table, docs in data.items():
        if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
            raise ValueError(f"it is JSON but not a journal (table {table!r} has the wrong shape)")


def load_journal_file(path: Path) -> tuple[dict[str, dict[str, Any]], layout.Cold | None]:
    """Read and parse journal.json; its entries may stay in the file (layout.Cold).
    OSError when it cannot be read, ValueError when it does not parse."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        parts = layout.read_head(fd, check_shape)
        if parts is None:
            data = parse_journal_bytes(layout.read_all(fd))
    except BaseException:
        os.close(fd)
        raise
    if parts is None:
        os.close(fd)
        return data, None
    return parts[0], layout.Cold(fd, *parts[1:])


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def move_aside(path: Path) -> Path:
    """Rename an unreadable journal to ``<name>.corrupt-<timestamp>`` without overwriting."""
    base = path.with_name(f"{path.name}.corrupt-{_stamp()}")
    target, n = base, 1
    while target.exists():
        target = base.with_name(f"{base.name}-{n}")
        n += 1
    os.rename(path, target)
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)  # kept for the user, private like the journal was meant to be
    return target


def make_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents 0700 (mkdir's parents ignore ``mode``)."""
    if folder.exists():
        return
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by someone else meanwhile: not ours to change
        os.chmod(part, 0o700)


@dataclass
class Journal:
    """An open journal: its storage, lock and what the user should be told."""

    path: Path
    storage: SafeStorage
    read_only_reason: str | None = None
    notices: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    _lock: Any = None
    today: Callable[[], dt.date] = dt.date.today
    backups_keep: int = DAILY_KEEP

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def lock_path(self) -> Path:
        return lock_path_for(self.path)

    def close(self, *, fold: bool = True) -> None:
        """Fold the change log into journal.json, then let go of the lock.

        A failed fold loses nothing: the log is complete on disk and the next open
        folds it in (``fold=False`` leaves it there, as a killed process would)."""
        if fold and self._lock is not None and not self.read_only:
            with contextlib.suppress(Exception):
                self.storage.compact()
        self.storage.close()
        if self._lock is not None:
            with contextlib.suppress(Exception):
                self._lock.release()
            self._lock = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # backups ------------------------------------------------------------------
    def backup_now(self, label: str | None = None) -> Path | None:
        """Copy the journal as it is on disk into backups/ (skipped if it does not exist)."""
        if not self.read_only:
            self.storage.compact()  # the file alone must hold everything
        if not self.path.exists():
            return None
        folder = backup_dir_for(self.path)
        make_folder(folder)
        name = f"{self.path.stem}-{label or self.today().isoformat()}.json"
        target = folder / name
        fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            # only ever back up a journal that parses (the file opened, or last written,
            # here was checked then); copied in chunks, never held in memory whole
            if file_identity(os.fstat(fd)) != self.storage.known_good and layout.read_head(
                    fd, check_shape) is None:
                parse_journal_bytes(layout.read_all(fd))
            atomic_write(target, layout.chunks(fd))
        finally:
            os.close(fd)
        return target

    def pre_migration_backup(self, version: int) -> Path:
        """Copy the file as it is into backups/ before a migration, and read it back."""
        folder = backup_dir_for(self.path)
        make_folder(folder)
        raw = self.path.read_bytes()
        target = folder / f"{self.path.stem}-pre-migration-v{version}-{_stamp()}.json"
        n = 1
        while target.exists():
            target = target.with_name(f"{target.stem}-{n}.json")
            n += 1
        atomic_write(target, raw)
        if target.read_bytes() != raw:
            raise ValueError(f"the backup {target} does not read back as written")
        parse_journal_bytes(target.read_bytes())
        return target

    def daily_backup(self) -> Path | None:
        """Take today's backup if there is none yet, then rotate."""
        if self.read_only or not self.path.exists() or self.path.stat().st_size == 0:
            return None
        today = self.today().isoformat()
        existing = {p.name for p in list_backups(self.path)}
        if f"{self.path.stem}-{today}.json" in existing:
            return None
        if not self.storage.holds_records():
            # a copy of an empty journal protects nothing, and would rotate away the
            # backups of the journal that was there before (say, set aside as corrupt)
            return None
        try:
            made = self.backup_now()
        except (OSError, ValueError, SaveError) as err:
            self.notices.append(f"Could not write today's backup: {describe_os_error(err)}.")
            return None
        self.rotate_backups()
        return made

    def rotate_backups(self) -> None:
        """Keep the newest ``backups_keep`` dailies, plus the newest of each of 8 older weeks."""
        backups = list_backups(self.path)
        dated: list[tuple[dt.date, Path]] = []
        for p in backups:
            label = p.stem[len(self.path.stem) + 1 :]
            try:
                dated.append((dt.date.fromisoformat(label[:10]), p))
            except ValueError:
                continue  # a hand-named backup: never rotated away
        dated.sort()
        keep = {p for _, p in dated[-self.backups_keep :]}
        weeks: dict[tuple[int, int], Path] = {}
        for day, p in dated[: -self.backups_keep or None]:
            weeks[day.isocalendar()[:2]] = p  # newest of its week wins
        keep.update(sorted(weeks.values(), key=lambda p: p.name)[-WEEKLY_KEEP:])
        keep.update(self._last_backups_before_set_aside([p for _, p in dated]))
        for _, p in dated:
            if p not in keep:
                with contextlib.suppress(OSError):
                    p.unlink()

    def _last_backups_before_set_aside(self, backups: list[Path]) -> set[Path]:
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
        for corrupt in self.path.parent.glob(f"{self.path.name}.corrupt-*"):
            try:
                moved_at = corrupt.stat().st_ctime_ns
            except OSError:
                continue
            before = [p for mtime, p in stamped if mtime <= moved_at]
            if before:
                keep.add(before[-1])
        return keep


def _acquire_lock(path: Path) -> Any | None:
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path_for(path)), timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        return None
    return lock


def open_journal(
    path: Path | str,
    *,
    today: Callable[[], dt.date] = dt.date.today,
    on_locked: str = "read-only",  # or "refuse"
    backups_keep: int = DAILY_KEEP,
) -> Journal:
    """Open (creating if needed) the journal at ``path``. See the module docstring."""
    path = Path(path).expanduser().absolute()
    try:
        make_folder(path.parent)
    except OSError as err:
        raise JournalUnreadable(
            path, f"its folder cannot be created ({describe_os_error(err)})"
        ) from err
    notices: list[str] = []
    read_only_reason: str | None = None
    try:
        lock = _acquire_lock(path)
    except OSError as err:
        lock = None
        read_only_reason = f"cannot create the lock file: {describe_os_error(err)}"
    else:
        if lock is None:
            if on_locked == "refuse":
                raise JournalLocked(path, lock_path_for(path))
            read_only_reason = (
                f"another micro-journal has it open (lock file {lock_path_for(path)})"
            )
    try:
        opened_as = _identity(path)  # taken before the read: a later change differs
        data, cold, log = _read_with_changes(
            path, writable=read_only_reason is None, notices=notices
        )
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    storage = SafeStorage(path, data, changes_size=log.size, cold=cold)
    if data is not None:
        storage.known_good = opened_as
    journal = Journal(
        path, storage, read_only_reason, notices, _lock=lock, today=today,
        backups_keep=backups_keep,
    )
    version = _schema_version(data or {})
    current = migrations.target_version()
    journal.schema_version = version
    if version > current:
        journal.read_only_reason = (
            f"it was written by a newer micro-journal (schema {version}; "
            f"this one understands {current}) — upgrade to edit it"
        )
        if lock is not None:
            # a reader must not keep the newer app that can edit it from writing
            with contextlib.suppress(Exception):
                lock.release()
            journal._lock = None
    elif version < current and data:
        _upgrade(journal, storage.read() or {}, version, current)
    storage.read_only_reason = journal.read_only_reason
    if journal.read_only_reason is None:
        if log.exists:
            # the last session ended without folding its changes in (it was killed):
            # fold them now, so the file alone holds the journal again
            try:
                storage.compact()
            except SaveError as err:
                notices.append(f"{err} The changes are kept in {storage.changes_path}.")
        journal.daily_backup()
    return journal


def _upgrade(journal: Journal, data: dict[str, dict[str, Any]], version: int,
             current: int) -> None:
    """Migrate an older file: verified backup first, then one atomic write."""
    try:
        migrated = migrations.migrate(data, version, current)
    except migrations.MigrationError as err:
        journal.read_only_reason = (
            f"it uses schema {version} and {err}; the file was not changed"
        )
        return
    if journal.read_only_reason is not None:
        journal.storage._data = migrated  # a reader sees it upgraded, in memory only
        return
    try:
        backup = journal.pre_migration_backup(version)
        payload = dumps(migrated)
        parse_journal_bytes(payload)
        atomic_write(journal.path, payload)
    except (OSError, ValueError) as err:
        journal.read_only_reason = (
            f"it needs upgrading from schema {version} to {current}, which failed "
            f"({describe_os_error(err)}); the file was not changed"
        )
        return
    journal.storage._data = migrated
    journal.schema_version = current
    journal.notices.append(
        f"Upgraded the journal from schema {version} to {current}. The file as it was "
        f"is kept as {backup}."
    )


def _schema_version(data: dict[str, dict[str, Any]]) -> int:
    found = migrations.file_version(data)
    return migrations.target_version() if found is None else found


def _read_with_changes(
    path: Path, *, writable: bool, notices: list[str]
) -> tuple[dict[str, dict[str, Any]] | None, layout.Cold | None, changes.ChangeLog]:
    """The journal as it stands: journal.json with its change log applied, and the
    entries' bytes when they were left unparsed (layout.py).

    A reader (no lock) may race a writer folding the log into a new journal.json;
    it reads again when the file changed under it."""
    for _attempt in range(5):
        before = _identity(path)
        try:
            data, cold = _read(path, writable=writable, notices=notices)
        except JournalCorrupt:
            if writable:  # its change log goes with it: it applies to no other file
                with contextlib.suppress(OSError):
                    if changes.changes_path_for(path).exists():
                        move_aside(changes.changes_path_for(path))
            raise
        if data is None:
            _log_without_journal(path, writable, notices)
            return data, None, changes.ChangeLog()
        log = changes.read(path, changes.snapshot_token(data), changes.default_loads)
        if writable or _identity(path) == before:
            break
        if cold is not None:
            cold.close()
    if cold is not None and changes.touches(log, layout.COLD_TABLE):
        data[layout.COLD_TABLE], cold = cold.load(), None
    changes.apply(data, log.batches)
    if log.damaged:
        kept = _keep_damaged_log(path) if writable else None
        notices.append(
            f"{log.damaged} saved change(s) in {changes.changes_path_for(path)} could not "
            "be read (the file is damaged) and were skipped"
            + (f"; the file is kept as {kept}." if kept else ".")
        )
    return data, cold, log


def read_state(path: Path) -> dict[str, dict[str, Any]]:
    """What the journal at ``path`` holds — journal.json with its change log applied —
    read without a lock and without changing anything (verify, tests, tools).
    Raises JournalCorrupt/JournalUnreadable like ``open_journal``."""
    data, cold, _log = _read_with_changes(Path(path), writable=False, notices=[])
    if cold is not None:
        data[layout.COLD_TABLE] = cold.load()
    return data or {}


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        return file_identity(path.stat())
    except OSError:
        return None


def _keep_damaged_log(path: Path) -> Path | None:
    import shutil

    source = changes.changes_path_for(path)
    target = source.with_name(f"{source.name}.damaged-{_stamp()}")
    try:
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
          ) -> tuple[dict[str, dict[str, Any]] | None, layout.Cold | None]:
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
        return None, None
    reason = None
    cold = None
    try:
        data, cold = load_journal_file(path)
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
    return data, cold


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
            log = changes.read(path, changes.snapshot_token(data), changes.default_loads)
            if log.batches:
                changes.apply(data, log.batches)
                current = dumps(data)
            if log.damaged:
                move_aside(log_path)  # what could not be read is kept, not deleted
            if current.strip():
                folder = backup_dir_for(path)
                make_folder(folder)
                atomic_write(folder / f"{path.stem}-before-restore-{_stamp()}.json", current)
    with contextlib.suppress(FileNotFoundError):
        log_path.unlink()  # its changes are in the before-restore backup
    atomic_write(path, raw)
