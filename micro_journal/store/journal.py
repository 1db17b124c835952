"""Opening a journal: TinyDB on the safe storage, then schema, backups and notices.

``open_journal`` is the one way in for the app and the commands. It

1. opens the file as a :class:`~.table.JournalDB` (TinyDB) on a
   :class:`~.storage.JournalStorage`, which takes the lock, parses the file, sets an
   unreadable one aside and merges a change log left behind (see storage.py);
2. checks ``schema_version``: a newer file opens read-only, an older one is upgraded
   after a verified backup (migrations.py);
3. folds a change log left by the last run into journal.json (unless ``fold=False``:
   a one-shot command appends its saves and leaves the fold, at open and at close,
   to the app's next start or to the log's size limit, so that its cost does not
   grow with the journal);
4. takes the day's rotating backup (backups.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.models import SCHEMA_VERSION
from . import backups, migrations
from .errors import FoldError, JournalError, SaveError
from .files import atomic_write, describe_os_error, dumps, parse_journal_bytes
from .storage import JournalStorage, lock_path_for
from .table import JournalDB

Data = dict[str, dict[str, Any]]


@dataclass
class Journal:
    """An open journal: its TinyDB database and what the user should be told."""

    db: JournalDB
    notices: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION
    today: Callable[[], dt.date] = dt.date.today
    backups_keep: int = backups.DAILY_KEEP
    fold_on_close: bool = True
    # other devices' change logs as last merged (sync): path -> file identity
    _seen_logs: dict[Path, Any] = field(default_factory=dict, repr=False)

    @property
    def storage(self) -> JournalStorage:
        return self.db.storage

    @property
    def path(self) -> Path:
        return self.storage.path

    @property
    def read_only_reason(self) -> str | None:
        return self.storage.read_only_reason

    @read_only_reason.setter
    def read_only_reason(self, reason: str | None) -> None:
        self.storage.read_only_reason = reason

    @property
    def read_only(self) -> bool:
        return self.storage.read_only_reason is not None

    @property
    def lock_path(self) -> Path:
        return lock_path_for(self.path)

    def close(self, *, fold: bool | None = None) -> None:
        """Fold the change log into journal.json, then let go of the lock.

        A failed fold loses nothing: the log is complete on disk and the next open
        folds it in (``fold=False`` leaves it there, as a one-shot command does)."""
        if fold is None:
            fold = self.fold_on_close
        self.storage.close(fold=fold and self.storage.holds_lock)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # sync -----------------------------------------------------------------------
    def sync(self, *, now: dt.datetime | None = None) -> list[str]:
        """Merge what other devices left beside the journal, record by record
        (sync.py): conflict copies of journal.json as sync tools name them (each then
        moved aside, never deleted), other devices' change logs, and a journal.json
        another device's version replaced while this one was open. Returns one line
        per source that brought anything, for the user. With nothing new it costs a
        listing of the folder and a stat; memory is replaced (``storage.replaced``
        moves) only when something was merged."""
        if self.read_only:
            return []
        from . import changes as change_log
        from . import sync
        from .files import identity_of
        from .storage import read_state

        replaced = self.storage.changed_on_disk()
        names = change_log.folder_names(self.path)  # one listing serves both
        copies = sync.conflict_copies(self.path, names)
        logs = []
        for log_path in change_log.other_logs(self.path, names):
            seen = identity_of(log_path)
            if self._seen_logs.get(log_path) != seen:
                logs.append((log_path, seen))
        if not (replaced or copies or logs):
            return []
        told: list[str] = []
        merged: Data | None = None  # read whole only when something is new

        def everything() -> Data:
            return merged if merged is not None else self.storage.everything()

        if replaced:
            identity = identity_of(self.path)
            try:
                theirs = read_state(self.path)
                ours = everything()
                merged, outcome = sync.merge(ours, theirs, now=now)
            except (ValueError, OSError, JournalError) as err:
                told.append(f"{self.path.name} was replaced on disk (by a sync tool?) with "
                            f"a version that cannot be merged: {_why(err)}. This one keeps "
                            "what it shows and saves over it.")
                merged = None
            else:
                if outcome.changed:
                    told.append(f"Merged the version of {self.path.name} another device "
                                f"synced here: {outcome.summary()}.")
                if sync.records_equal(merged, theirs):
                    # it holds all this one held: take it as it is, no write (a write
                    # would bounce between the devices)
                    self.storage.adopt(theirs, identity)
                    merged = None
        done: list[tuple[Path, str]] = []
        for copy, tool in copies:
            try:
                theirs = read_state(copy)
                merged, outcome = sync.merge(everything(), theirs, now=now)
            except (ValueError, OSError, JournalError) as err:
                told.append(f"{copy.name} (a conflict copy left by {tool}) cannot be merged: "
                            f"{_why(err)}. It is left as it is.")
                continue
            done.append((copy, outcome.summary()))
        for log_path, seen in logs:
            log = change_log.read(self.path, None, log_path=log_path)
            theirs = sync.from_log(log.batches + log.foreign)
            self._seen_logs[log_path] = seen
            if not theirs or (merged is None and self._holds(theirs)):
                continue
            current = everything()
            theirs["meta"] = {k: dict(v) for k, v in (current.get("meta") or {}).items()}
            try:
                merged, outcome = sync.merge(current, theirs, now=now)
            except ValueError:
                continue
            if outcome.changed:
                device = log_path.name[len(self.path.name) + 1:-len(change_log.CHANGES_SUFFIX)]
                told.append(f"Merged the saves device {device} made: {outcome.summary()}.")
        if merged is not None and not sync.records_equal(merged, self.storage.everything()):
            try:
                self.storage.write(merged)
            except SaveError as err:
                return [*told, f"Could not save the merge: {err}. The copies are left as "
                        "they are and merged at the next start."]
        for copy, what in done:
            try:
                kept = sync.keep_merged(self.path, copy)
            except OSError as err:
                told.append(f"Merged {copy.name} ({what or 'nothing new'}), but it cannot be "
                            f"moved aside: {describe_os_error(err)}.")
                continue
            if what:  # a copy that brought nothing is put away without a word
                told.append(f"Merged {copy.name}, a conflict copy: {what}. It is kept in "
                            f"{kept.parent.name}/.")
        return told

    def _holds(self, theirs: Data) -> bool:
        """Whether memory's recent documents already hold every record of ``theirs``
        as the merge would leave it (the usual case for another device's log, polled
        again and again): then nothing needs reading whole."""
        from . import sync

        stones = {d.get("id"): str(d.get("removed_at", ""))
                  for d in (self.storage.peek(sync.TOMBSTONES) or {}).values()
                  if isinstance(d, dict)}
        for table, docs in theirs.items():
            if table == "meta":
                continue
            mine = {d.get("id"): d for d in (self.storage.peek(table) or {}).values()
                    if isinstance(d, dict)}
            for doc in docs.values():
                have = mine.get(doc.get("id"))
                if have == doc or (
                        have is None and stones.get(doc.get("id"), "") >= str(
                            doc.get("updated_at", "~"))):
                    continue
                if have is not None and table != "entries" and str(
                        have.get("updated_at", "")) > str(doc.get("updated_at", "")):
                    continue
                return False
        return True

    def merge_copy(self, other: Path, *, now: dt.datetime | None = None):
        """Merge the journal file ``other`` (a copy from another device, by hand) into
        this journal; returns what was taken (sync.Outcome). Raises ValueError (not a
        journal, another schema: sync.MergeRefused, JournalCorrupt) or OSError."""
        from . import sync
        from .storage import read_state

        if self.read_only:
            raise ValueError(f"this journal is read-only ({self.read_only_reason})")
        theirs = read_state(other)
        ours = self.storage.everything()
        merged, outcome = sync.merge(ours, theirs, now=now)
        if not sync.records_equal(merged, ours):
            self.storage.write(merged)
        return outcome

    # backups ------------------------------------------------------------------
    def backup_now(self, label: str | None = None) -> Path | None:
        """Copy the journal as it is on disk into backups/ (skipped if it does not exist)."""
        if not self.read_only:
            self.storage.compact()  # the file alone must hold everything
        if not self.path.exists():
            return None
        return backups.copy_journal(self.path, label or self.today().isoformat(),
                                    self.storage.known_good)

    def daily_backup(self) -> Path | None:
        """Take today's backup if there is none yet, then rotate."""
        if self.read_only or not self.path.exists() or self.path.stat().st_size == 0:
            return None
        backups.remove_leftover_temps(self.path)  # a backup killed half way
        if backups.has_daily(self.path, self.today()):
            return None
        if not self.storage.holds_records():
            # a copy of an empty journal protects nothing, and would rotate away the
            # backups of the journal that was there before (say, set aside as corrupt)
            return None
        try:
            made = self.backup_now()
        except FoldError as err:
            # a backup copies journal.json alone, so the log must be folded in first;
            # the saves themselves are safe in the log: this is a notice, not a failure
            self.notices.append(
                f"Could not take today's backup: the saves waiting in "
                f"{self.storage.changes_path.name} could not be folded into "
                f"{self.path.name} first ({err.reason}). Your saves are not affected.")
            return None
        except (OSError, ValueError, SaveError) as err:
            reason = err.reason if isinstance(err, SaveError) else describe_os_error(err)
            self.notices.append(
                f"Could not take today's backup: {reason}. Your saves are not affected.")
            return None
        self.rotate_backups()
        return made

    def rotate_backups(self) -> None:
        backups.rotate(self.path, self.backups_keep)


def open_journal(
    path: Path | str,
    *,
    today: Callable[[], dt.date] = dt.date.today,
    on_locked: str = "read-only",  # or "refuse"
    backups_keep: int = backups.DAILY_KEEP,
    fold: bool = True,
    read_only: bool = False,
    first_weekday: int = 0,
) -> Journal:
    """Open (creating if needed) the journal at ``path``. See the module docstring.

    ``read_only``: for reading only — no lock, no fold, no backup, no upgrade written,
    no permission tightened: nothing on disk changes (``import --dry-run``).
    ``first_weekday`` (0 Monday … 6 Sunday): the user's week, by which rewrites keep
    the older check-ins apart with their streaks (store/history.py)."""
    db = JournalDB(path, on_locked=on_locked, read_only=read_only)
    storage = db.storage
    storage.history = (today, first_weekday)
    journal = Journal(db, storage.notices, today=today, backups_keep=backups_keep,
                      fold_on_close=fold)
    data = storage.read()
    version = _schema_version(data)
    current = migrations.target_version()
    journal.schema_version = version
    if version > current:
        # a reader must not keep the newer app that can edit it from writing
        storage.make_read_only(
            f"it was written by a newer micro-journal (schema {version}; "
            f"this one understands {current}) — upgrade to edit it", release_lock=True)
    elif version < current and data:
        _upgrade(journal, version, current)
    if not journal.read_only:
        if fold and (storage.log_size or storage.changes_path.exists()):
            # the last run ended without folding its changes in: fold them now, so
            # the file alone holds the journal again
            try:
                storage.compact()
            except FoldError as err:
                # nothing is lost and saving goes on (appending): a notice, and no
                # backup today (it needs the fold), rather than a second notice
                journal.notices.append(str(err) + " Today's backup was not taken.")
                return journal
            except SaveError as err:
                journal.notices.append(
                    f"{err} The changes are kept in {storage.changes_path}.")
        journal.notices.extend(journal.sync())
        journal.daily_backup()
    return journal


def _upgrade(journal: Journal, version: int, current: int) -> None:
    """Migrate an older file: verified backup first, then one atomic write."""
    storage = journal.storage
    tables = storage.read()
    data = {name: tables[name] for name in tables}
    try:
        migrated = migrations.migrate(data, version, current)
    except migrations.MigrationError as err:
        storage.make_read_only(f"it uses schema {version} and {err}; the file was not changed")
        return
    if journal.read_only:
        storage.replace_data(migrated)  # a reader sees it upgraded, in memory only
        return
    try:
        backup = backups.pre_migration_backup(journal.path, version)
        payload = dumps(migrated)
        parse_journal_bytes(payload)
        atomic_write(journal.path, payload)
    except (OSError, ValueError) as err:
        storage.make_read_only(
            f"it needs upgrading from schema {version} to {current}, which failed "
            f"({describe_os_error(err)}); the file was not changed"
        )
        return
    storage.replace_data(migrated)
    with contextlib.suppress(OSError):
        storage.changes_path.unlink()  # its changes are in the upgraded file
    journal.schema_version = current
    journal.notices.append(
        f"Upgraded the journal from schema {version} to {current}. The file as it was "
        f"is kept as {backup}."
    )


def _schema_version(data: dict[str, dict[str, Any]]) -> int:
    found = migrations.file_version(data)
    return migrations.target_version() if found is None else found


def _why(err: BaseException) -> str:
    return describe_os_error(err) if isinstance(err, OSError) else str(err)


def merge_files(base: Path, ours: Path, theirs: Path, *, now: dt.datetime | None = None):
    """A three-way merge of journal files, as a git merge driver does it: the result
    replaces ``ours`` (atomically, as a plain TinyDB file the app lays out again at its
    next rewrite), which is left byte for byte as it was when ``theirs`` adds nothing.
    Returns the sync.Outcome; raises ValueError/OSError when a file cannot be merged."""
    from . import sync
    from .storage import read_state

    base_data = read_state(base) if base.exists() and base.stat().st_size else None
    ours_data = read_state(ours)
    merged, outcome = sync.merge(ours_data, read_state(theirs), base_data, now=now)
    if not sync.records_equal(merged, ours_data):
        atomic_write(ours, dumps(merged))
    return outcome
