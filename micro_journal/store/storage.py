"""``JournalStorage``: the TinyDB storage that makes a journal file safe to write.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk
mid-write leaves a truncated or empty journal; it rewrites all of it for every
change, so a save grows with the journal; and nothing stops two programs writing at
once. This storage, used as ``TinyDB(path, storage=JournalStorage)``:

* takes the single-writer lock ``journal.json.lock`` (another holder: JournalLocked,
  or a read-only storage with ``on_locked="read-only"``);
* resolves a symlinked path once and locks and writes the real file (the link stays);
* reads and parses the file once, then serves every query from memory; a file that
  does not parse is moved aside as ``journal.json.corrupt-<time>`` and reported
  (JournalCorrupt), never overwritten;
* saves the documents a table operation changed by appending one checksummed line to
  ``journal.json.changes`` and fsyncing it (see :mod:`.changes`); the tables of
  ``JournalDB`` (:mod:`.table`) hand it exactly those documents, so a save costs the
  same with one year of data or a hundred. A whole-database ``write`` (a plain TinyDB
  table, ``drop_tables``) rewrites the file;
* rewrites ``journal.json`` (folding the log in) atomically: a temporary file in the
  same folder, fsynced, ``os.replace``-d over the journal, folder fsynced — the file
  on disk is always the old or the new version. ``close()`` folds, so after a clean
  close plain ``TinyDB(path)`` reads every record;
* finds, at open, a log whose journal.json was changed by another program while
  saves were pending, and merges the two record by record (:func:`.changes.merge`),
  keeping a copy of the log;
* refuses numbers JSON readers do not keep exactly (NaN, infinities, integers beyond
  64 bits), creates files 0600, and reports a failed save as :class:`SaveError`
  after rolling memory back to what is on disk.
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from . import changes, files, layout
from .errors import (
    FoldError,
    JournalCorrupt,
    JournalLocked,
    JournalUnreadable,
    ReadOnlyJournal,
    SaveError,
)
from .files import (
    atomic_write,
    check_shape,
    describe_os_error,
    dumps,
    file_identity,
    fsync_dir,
    identity_of,
    make_folder,
    meta_row,
    write_all,
)
from .parts import OlderParts, _Tables
from .reading import (  # noqa: F401 (not_a_regular_file, read_state: the store's API)
    check_journal_file,
    join_older,
    lacks_owner_write,
    load_journal_file,
    not_a_regular_file,
    read_state,
    read_with_changes,
    real_path,
)

# fold the change log into journal.json once it holds this much
COMPACT_BYTES = 4 * 1024 * 1024
# the integers every JSON reader keeps exactly are the 64-bit ones
INT_LOW, INT_HIGH = -(2**63), 2**64

Data = dict[str, dict[str, Any]]


def lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def refuse_inexact_numbers(value: Any, where: str = "") -> None:
    """ValueError for a number a rewrite would change: NaN, ±infinity, or an integer
    beyond 64 bits (JSON readers turn those into ``null`` or a rounded float)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict or kind is _Tables:
            stack.extend(dict.values(item))
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is float:
            if not math.isfinite(item):
                raise ValueError(
                    f"{item} is not a number a journal can hold; store a finite number")
        elif kind is int and not INT_LOW <= item < INT_HIGH:
            raise ValueError(
                f"the number {str(item)[:12]}… has {len(str(abs(item)))} digits; a journal "
                "keeps integers up to 2^64 exactly — store it as text")


class JournalStorage(OlderParts, Storage):
    """A TinyDB storage for a journal file: locked, logged, atomic. See the module doc.

    ``on_locked``: ``"refuse"`` (JournalLocked when another program holds the lock) or
    ``"read-only"`` (open it for reading; writes raise ReadOnlyJournal)."""

    def __init__(self, path: Path | str, *, on_locked: str = "refuse",
                 read_only: bool = False) -> None:
        self.link = Path(path).expanduser().absolute()
        self.path = real_path(path)
        self.notices: list[str] = []
        self.read_only_reason: str | None = None
        self.compact_bytes = COMPACT_BYTES
        self.saves = 0
        self.rewrites = 0
        self._lock: Any = None
        self._cold: layout.FilePart | None = None
        # tables whose older documents are left in the file (layout.py), until read
        self._splits: dict[str, layout.Split] = {}
        # each such table's document keys in its recent part as read (history.py)
        self._recent_at_open: dict[str, frozenset[str]] = {}
        # bumped whenever check-ins appear in or leave memory (the repository's index)
        self.checkins_generation = 0
        # bumped when memory is replaced whole (a sync merge): indexes must be rebuilt
        self.replacements = 0
        # (today, first weekday): when set, rewrites keep older check-ins apart
        self.history: tuple[Any, int] | None = None
        self._batch_depth = 0
        self._pending = False
        self._ops: list[list] = []
        self._rewrite = False  # the next flush rewrites journal.json
        self._log_fd: int | None = None
        self._log_size = 0
        self._log_broken = False  # an append failed: rewrite before appending again
        self._must_fold = False  # memory is not journal.json + its log: rewrite first
        # (device, inode, size, mtime) of journal.json as last parsed or written here
        self.known_good: tuple[int, ...] | None = None
        # the log size past which a fold that failed is tried again (see flush)
        self._retry_fold_at = 0
        check_journal_file(self.path)  # a folder, a device, a FIFO: refused before a read
        try:
            make_folder(self.path.parent)
        except OSError as err:
            raise JournalUnreadable(
                self.path, f"its folder cannot be created ({describe_os_error(err)})"
            ) from err
        no_write = lacks_owner_write(self.path)
        if read_only:
            self.read_only_reason = "it was opened for reading only"
        elif no_write is not None:
            # the owner took the write permission away: respect it, never rewrite the
            # file (a fold would replace it with a new 0600 file)
            self.read_only_reason = (
                f"the file has no write permission for you (mode {no_write:04o}); "
                f"chmod u+w {self.path} to edit it")
        else:
            self._take_lock(on_locked)
        # (named after the lock: a refused open makes nothing, not even a device name)
        self.changes_path = changes.changes_path_for(self.path, create=self.writable)
        if self.writable and changes.this_device():
            # a log from before logs were named for their device is this device's
            legacy = changes.changes_path_for(self.path, "")
            if legacy.exists() and not self.changes_path.exists():
                with contextlib.suppress(OSError):
                    os.replace(legacy, self.changes_path)
        try:
            opened_as = identity_of(self.path)  # taken before the read: a later change differs
            data, self._cold, self._splits, log = read_with_changes(
                self.path, writable=self.writable, notices=self.notices)
        except BaseException:
            self._release_lock()
            raise
        self._data = self._tables(data or {})
        self._recent_at_open = log.recent_at_open
        self._token = changes.snapshot_token(data)
        self._log_size = log.size
        self._must_fold = log.merged
        if self.writable and log.exists and log.stale:
            # folded into journal.json already (a crash came between the rewrite and
            # the unlink): new lines must start a log of their own, with its header
            with contextlib.suppress(OSError):
                os.unlink(self.changes_path)
            self._log_size = 0
        if data is not None:
            self.known_good = opened_as

    # the lock -----------------------------------------------------------------
    def _take_lock(self, on_locked: str) -> None:
        from filelock import FileLock, Timeout

        lock_path = lock_path_for(self.path)
        try:
            lock = FileLock(str(lock_path), timeout=0, mode=0o600)
            lock.acquire()
        except Timeout:
            if on_locked == "refuse":
                raise JournalLocked(self.path, lock_path) from None
            self.read_only_reason = (
                f"another micro-journal on this computer has it open (lock file {lock_path})")
        except OSError as err:
            self.read_only_reason = f"cannot create the lock file: {describe_os_error(err)}"
        else:
            self._lock = lock

    def _release_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(Exception):
                self._lock.release()
            self._lock = None

    @property
    def writable(self) -> bool:
        return self.read_only_reason is None

    @property
    def holds_lock(self) -> bool:
        return self._lock is not None

    def make_read_only(self, reason: str, *, release_lock: bool = False) -> None:
        self.read_only_reason = reason
        if release_lock:
            self._release_lock()

    # TinyDB interface -------------------------------------------------------
    def read(self) -> Data:
        return self._data

    def write(self, data: Data) -> None:
        """TinyDB hands over the whole database: which documents changed is not known,
        so the file is rewritten (the tables of JournalDB save per document instead)."""
        self._refuse_if_read_only()
        try:
            check_shape(data)
            refuse_inexact_numbers(data)
        except ValueError as err:
            self.reload()
            raise SaveError(self.path, str(err)) from err
        if data is not self._data:
            self.replacements += 1
            if self._cold is not None and layout.COLD_TABLE not in data:
                self._cold.close()
                self._cold = None
            self._drop_older()  # the tables handed over are the whole journal
            self._data = self._tables(data)
        self._rewrite = True
        self._changed()

    def close(self, *, fold: bool = True) -> None:
        """Fold the change log into journal.json, then let go of the files and the lock.

        A failed fold loses nothing: the log is complete on disk and the next open
        folds it in (``fold=False`` leaves it there, as a killed process would)."""
        if fold and self.writable:
            with contextlib.suppress(Exception):
                self.compact()
        self._close_log()
        if self._cold is not None:
            self._cold.close()
            self._cold = None
        self._drop_older()
        self._release_lock()

    # documents ----------------------------------------------------------------
    def save_documents(self, table: str, ops: list[list]) -> None:
        """Save what a table operation changed: ``[table, doc_id, doc]`` puts a whole
        document, ``[table, doc_id, None, record id]`` removes one. Memory already
        holds the change; a save that fails rolls memory back (SaveError)."""
        if not ops:
            return
        self._refuse_if_read_only()
        try:
            for op in ops:
                if op[2] is not None:
                    refuse_inexact_numbers(op[2])
        except ValueError as err:
            self.reload()
            raise SaveError(self.path, str(err)) from err
        self._ops.extend(ops)
        self._changed()

    def _refuse_if_read_only(self) -> None:
        if self.read_only_reason:
            self.reload()
            raise ReadOnlyJournal(self.path, self.read_only_reason)

    def _changed(self) -> None:
        self._pending = True
        if not self._batch_depth:
            self.flush()

    # saving -------------------------------------------------------------------
    @property
    def log_size(self) -> int:
        """Bytes of change log not yet folded into journal.json."""
        return self._log_size

    def flush(self) -> None:
        if not self._pending:
            return
        try:
            line = None
            if not (self._rewrite or self._log_broken or self._must_fold
                    or not self.path.exists()):
                line = changes.encode(self._token, self._ops, dumps)
            if line is not None and self.compact_bytes <= 0:
                line = None  # no log kept: every save rewrites journal.json
            if line is None:
                self._write_snapshot()
            elif (self._log_size + len(line) > self.compact_bytes
                  and self._log_size >= self._retry_fold_at):
                # the log has grown enough: fold it in now — but the save does not
                # need the fold: when it fails, the save is appended all the same
                # (and the fold is tried again once the log has grown a quarter more)
                try:
                    self._write_snapshot()
                except Exception as err:
                    self._retry_fold_at = self._log_size + self.compact_bytes // 4
                    self.notices.append(str(FoldError(
                        self.path, self.changes_path, self._fold_problem(err))))
                    self._append(line)
            else:
                self._append(line)
        except Exception as err:
            self.reload()
            raise SaveError(self.path, describe_os_error(err)) from err
        self._pending = False
        self._ops = []
        self.saves += 1

    def compact(self) -> None:
        """Fold the change log into journal.json (nothing to do when there is none).

        Raises FoldError (a SaveError) when the rewrite fails: nothing is lost — the
        log is complete on disk, memory is unchanged, and later saves append to it."""
        if self.read_only_reason or self._batch_depth:
            return
        if not (self._log_size or self._pending or self.changes_path.exists()):
            return
        if self._pending:  # a save is waiting (a batch that never flushed): save it
            self.flush()
        if self._log_broken or self._must_fold:
            # memory is not journal.json + its log: only a rewrite saves it
            self._rewrite = self._pending = True
            self.flush()
            return
        try:
            self._write_snapshot()
        except Exception as err:
            raise FoldError(self.path, self.changes_path, self._fold_problem(err)) from err

    def _fold_problem(self, err: Exception) -> str:
        """Why a fold failed, in plain words: the disk's error, or the record that
        cannot be written (its table and id — never its text)."""
        if isinstance(err, OSError):
            return describe_os_error(err)
        for table, docs in dict.items(self._data):
            if not isinstance(docs, dict):
                continue
            for doc_id, doc in docs.items():
                try:
                    dumps(doc)
                except Exception as bad:  # any refusal: name the record
                    what = describe_os_error(bad).split(" — ")[0]
                    return (f"record {str(doc_id)[:40]!r} of table {str(table)[:40]!r} "
                            f"cannot be written ({what})")
        return describe_os_error(err)

    def _open_log(self) -> int:
        """The log, open for appending. A torn last line (a save that never returned)
        is cut off first, so that the next save is not glued onto it."""
        fd = os.open(self.changes_path, os.O_RDWR | os.O_APPEND | os.O_CREAT | files.O_BINARY
                     | files.O_CLOEXEC, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size:
                tail = files.pread(fd, min(size, 1 << 16), max(0, size - (1 << 16)))
                if not tail.endswith(b"\n"):
                    cut = tail.rfind(b"\n")
                    keep = size - len(tail) + cut + 1 if cut >= 0 else (
                        0 if size <= len(tail) else None)
                    if keep is None:  # a torn line longer than 64 KiB: fold instead
                        raise OSError("the change log ends in a line cut short")
                    os.ftruncate(fd, keep)
                    os.fsync(fd)
                    size = keep
        except BaseException:
            os.close(fd)
            raise
        self._log_size = size
        return fd

    def _append(self, line: bytes) -> None:
        created = False
        if self._log_fd is None:
            created = not self.changes_path.exists()
            self._log_fd = self._open_log()
        fd = self._log_fd
        if not self._log_size:
            # a new log starts with a header naming the journal.json it applies to
            # (written with its first line: a failed save leaves no trace)
            st = os.stat(self.path)
            line = changes.encode(self._token, [], dumps,
                                  file=[st.st_size, st.st_mtime_ns]) + line
        try:
            write_all(fd, line)
            os.fsync(fd)
        except BaseException:
            # take back whatever part of the line reached the file; and rewrite the
            # whole journal next time rather than trust this log again
            self._log_broken = True
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self._log_size)
            self._close_log()
            raise
        if created:
            fsync_dir(self.path.parent)
        self._log_size += len(line)

    def _write_snapshot(self) -> None:
        token = secrets.token_hex(8)
        row = meta_row(self._data)
        before = dict(row) if row is not None else None
        holds_token = changes.set_token(self._data, token)
        try:
            try:
                older, pieces = self._pieces()
            except ValueError:
                # a part left in the file fails its checksum (changed in place since
                # it was opened): read what the file holds now, and write from memory
                self._load_cold()
                self._load_older()
                older, pieces = self._pieces()
            atomic_write(self.path, pieces)
        except BaseException:
            if row is not None and before is not None:  # memory names the file on disk
                row.clear()
                row.update(before)
            raise
        try:
            self.known_good = file_identity(os.stat(self.path))
        except OSError:
            self.known_good = None
        self.rewrites += 1
        self._token = token if holds_token else None
        self._rewrite = False
        if self._splits and older:
            self._reopen_older(older)
        # the log is folded in; its lines name the old token, so even a log that
        # survives (a failed unlink, a crash right here) is never applied again
        self._close_log()
        try:
            os.unlink(self.changes_path)
        except FileNotFoundError:
            pass
        except OSError:
            with contextlib.suppress(OSError):
                os.truncate(self.changes_path, 0)
        self._log_size = 0
        self._log_broken = False
        self._must_fold = False

    def _close_log(self) -> None:
        if self._log_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._log_fd)
            self._log_fd = None

    def replace_data(self, data: Data) -> None:
        """Take ``data`` as what the file now holds (written by a migration)."""
        if self._cold is not None:
            self._cold.close()
            self._cold = None
        self._drop_older()
        self._data = self._tables(data)
        self._token = changes.snapshot_token(data)

    def everything(self) -> Data:
        """Every table as memory holds it, older parts and entries read in (a plain
        dict of the tables: the documents are memory's own, not to be changed)."""
        if self._cold is not None:
            self._load_cold()
        self._load_older()
        return dict(dict.items(self._data))

    def changed_on_disk(self) -> bool:
        """Whether journal.json is no longer the file this storage last read or wrote
        (a sync tool put another device's version in its place)."""
        if self.known_good is None:
            return False
        return identity_of(self.path) not in (None, self.known_good)

    def adopt(self, data: Data, identity: tuple[int, ...] | None) -> None:
        """Take journal.json as it now is on disk (``data``, read whole, with file
        ``identity``) as the journal: every record memory held is in it (a sync
        merge found nothing to add), so this storage's waiting saves are folded in
        already and its log goes."""
        if self._cold is not None:
            self._cold.close()
            self._cold = None
        self._drop_older()
        self._data = self._tables(data)
        self.replacements += 1
        self._token = changes.snapshot_token(data)
        self.known_good = identity
        self.checkins_generation += 1
        self._close_log()
        if self.writable:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.changes_path)
        self._log_size = 0
        self._must_fold = self._log_broken = False

    def reload(self) -> None:
        """Throw away unsaved in-memory changes: read again what is on disk."""
        self._pending = False
        self._ops = []
        self._rewrite = False
        try:
            data, cold, splits, log = read_with_changes(self.path, writable=False, notices=[])
        except (OSError, ValueError, JournalCorrupt, JournalUnreadable):
            return  # unreadable: keep memory, the caller reports
        if self._cold is not None:
            self._cold.close()
        self._drop_older()
        self._data, self._cold = self._tables(data or {}), cold
        self._splits, self._recent_at_open = splits, log.recent_at_open
        self.checkins_generation += 1
        self._token, self._log_size = changes.snapshot_token(data), log.size

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group several updates into one save (all or nothing)."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._pending:
                self.reload()
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._pending:
            self.flush()

