"""A crash-safe TinyDB storage.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk
mid-write leaves a truncated or empty journal; and it rewrites all of it for every
change, so a save grows with the journal. This storage:

* reads and parses the file once, then serves every query from memory;
* saves a record by appending one checksummed line to ``journal.json.changes`` and
  fsyncing it (see :mod:`.changes`) — the cost of a save does not grow with the
  journal;
* rewrites ``journal.json`` (compaction) by serialising the whole state to a
  temporary file in the same folder, flushing and fsyncing it, ``os.replace``-ing it
  over the journal and fsyncing the folder — the file on disk is always either the
  old or the new version; then the change log starts afresh;
* creates files 0600;
* reports a failed save as :class:`SaveError` and rolls the in-memory state back to
  what is on disk, so memory never claims more than the disk holds;
* can batch several updates into one save (``with storage.batch():``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from . import changes, layout
from .errors import SaveError

TMP_MARK = ".tmp-"


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def leftover_temps(path: Path) -> list[Path]:
    prefix = f".{path.name}{TMP_MARK}"
    try:
        return [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []


try:  # orjson serialises a ten-year journal ~20x faster, to the same bytes
    import orjson as _orjson
except ImportError:  # pragma: no cover - the stdlib does the same job, slower
    _orjson = None

DECLINED = object()

# fold the change log into journal.json once it holds this much
COMPACT_BYTES = 4 * 1024 * 1024


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON. The stdlib handles what orjson refuses (and names the
    problem, e.g. a lone surrogate), so both paths fail or succeed alike."""
    if _orjson is not None:
        try:
            return _orjson.dumps(data)
        except (TypeError, ValueError):
            pass
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fast_loads(raw: bytes) -> Any:
    """Parse with orjson when it can; ``DECLINED`` means: use the stdlib (and its message)."""
    if _orjson is None:
        return DECLINED
    try:
        return _orjson.loads(raw)
    except ValueError:
        return DECLINED


def file_identity(st: os.stat_result) -> tuple[int, ...]:
    """Which file, in which state: a replaced or rewritten file gives another tuple."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems cannot fsync a directory; the file itself was synced
    finally:
        os.close(fd)


def atomic_write(path: Path, payload: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new, never a mix."""
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                view = memoryview(piece)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def describe_os_error(err: BaseException) -> str:
    if isinstance(err, OSError):
        import errno

        if err.errno == errno.ENOSPC:
            return "the disk is full"
        if err.errno in (errno.EACCES, errno.EPERM):
            return "permission denied"
        if err.errno == errno.EROFS:
            return "the file system is read-only"
        if err.errno == errno.EIO:
            return "the disk reported an input/output error"
        return err.strerror or str(err)
    if isinstance(err, UnicodeEncodeError) and err.object[err.start : err.end]:
        # name the character, never the text around it (it may be private)
        char = err.object[err.start]
        kind = "half of a pair (a lone surrogate)" if 0xD800 <= ord(char) <= 0xDFFF else "invalid"
        return (
            f"the text contains a character that cannot be stored: U+{ord(char):04X}, "
            f"{kind} — it is not valid Unicode; remove it and save again"
        )
    if isinstance(err, UnicodeError):
        return "the text contains characters that cannot be stored (invalid Unicode)"
    return str(err) or type(err).__name__


class SafeStorage(Storage):
    """TinyDB storage over an in-memory copy of the journal, saved without loss.

    A record saved through :meth:`put`/:meth:`remove` is appended to the change log
    (``journal.json.changes``, see :mod:`.changes`) and fsynced: a save costs the same
    with one year of data or a hundred. Anything else — TinyDB's own ``write`` of the
    whole database, a change too big for one line, the first save of a new journal,
    the save after a failed append — rewrites ``journal.json`` atomically and starts
    a fresh log (compaction). :meth:`compact` folds the log in on demand (at close).
    """

    def __init__(self, path: Path, data: dict[str, dict[str, Any]] | None, *,
                 changes_size: int = 0, cold: layout.Cold | None = None) -> None:
        self.path = path
        # the entries table, left in the file until something reads it (layout.py)
        self._cold = cold
        self.changes_path = changes.changes_path_for(path)
        self._data = data if data is not None else {}
        self._token = changes.snapshot_token(self._data)
        self._batch_depth = 0
        self._pending = False
        self._ops: list[list] = []
        self._rewrite = False  # the next flush rewrites journal.json
        self._log_fd: int | None = None
        self._log_size = changes_size
        self._log_broken = False  # an append failed: rewrite before appending again
        self.compact_bytes = COMPACT_BYTES
        self.read_only_reason: str | None = None
        # (device, inode, size, mtime) of journal.json as last parsed or written here
        self.known_good: tuple[int, ...] | None = None
        self.saves = 0
        self.rewrites = 0

    # TinyDB interface -------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]] | None:
        self._warm()
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """TinyDB hands over the whole database: the change is unknown, so rewrite."""
        self._refuse_if_read_only()
        self._data = data
        self._rewrite = True
        self._changed()

    def close(self) -> None:
        self._close_log()
        if self._cold is not None:
            self._cold.close()

    # ours -------------------------------------------------------------------
    def table(self, name: str) -> dict[str, Any]:
        """One table's documents (parsing only that table if it was left unparsed)."""
        if name == layout.COLD_TABLE:
            self._warm()
        return self._data.get(name) or {}

    def holds_records(self) -> bool:
        """Whether the journal holds anything besides its meta row."""
        if self._cold is not None and self._cold.length > 2:  # more than "{}"
            return True
        return any(docs for name, docs in self._data.items() if name != "meta")

    def _warm(self) -> None:
        if self._cold is None:
            return
        cold, self._cold = self._cold, None
        try:
            entries = cold.load()
        except (OSError, ValueError):
            # changed in place by another program since it was opened: take what the
            # file holds now (a reload would also drop a batch in progress)
            from .errors import JournalUnreadable
            from .journal import parse_journal_bytes

            try:
                entries = parse_journal_bytes(self.path.read_bytes()).get(
                    layout.COLD_TABLE, {})
            except (OSError, ValueError) as err:
                raise JournalUnreadable(
                    self.path, "it was changed on disk by another program while open and "
                    f"can no longer be read ({describe_os_error(err)})") from err
        self._data[layout.COLD_TABLE] = entries

    def put(self, table: str, doc_id: str, doc: dict[str, Any]) -> None:
        """Insert or replace one document (saved now, or when the batch ends)."""
        self._refuse_if_read_only()
        if table == layout.COLD_TABLE:
            self._warm()
        self._data.setdefault(table, {})[doc_id] = doc
        self._ops.append([table, doc_id, doc])
        self._changed()

    def remove(self, table: str, doc_id: str) -> None:
        self._refuse_if_read_only()
        if table == layout.COLD_TABLE:
            self._warm()
        docs = self._data.get(table)
        if docs is not None:
            docs.pop(doc_id, None)
        self._ops.append([table, doc_id, None])
        self._changed()

    def _refuse_if_read_only(self) -> None:
        if self.read_only_reason:
            from .errors import ReadOnlyJournal

            self.reload()
            raise ReadOnlyJournal(self.path, self.read_only_reason)

    def _changed(self) -> None:
        self._pending = True
        if not self._batch_depth:
            self.flush()

    @property
    def log_size(self) -> int:
        """Bytes of change log not yet folded into journal.json."""
        return self._log_size

    def flush(self) -> None:
        if not self._pending:
            return
        try:
            line = None
            if not (self._rewrite or self._log_broken or not self.path.exists()):
                line = changes.encode(self._token, self._ops, dumps)
                if self._log_size + len(line) > self.compact_bytes:
                    line = None  # the log has grown enough: fold it in now
            if line is None:
                self._write_snapshot()
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
        Raises SaveError; the log stays complete if the rewrite fails."""
        if self.read_only_reason or self._batch_depth:
            return
        if not (self._log_size or self._pending or self.changes_path.exists()):
            return
        self._rewrite = self._pending = True
        self.flush()

    def _append(self, line: bytes) -> None:
        created = False
        if self._log_fd is None:
            created = not self.changes_path.exists()
            self._log_fd = os.open(
                self.changes_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600
            )
            self._log_size = os.fstat(self._log_fd).st_size
        fd = self._log_fd
        try:
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
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
        holds_token = changes.set_token(self._data, token)
        atomic_write(self.path, layout.serialise(self._data, self._cold))
        try:
            self.known_good = file_identity(os.stat(self.path))
        except OSError:
            self.known_good = None
        self.rewrites += 1
        self._token = token if holds_token else None
        self._rewrite = False
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

    def _close_log(self) -> None:
        if self._log_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._log_fd)
            self._log_fd = None

    def reload(self) -> None:
        """Throw away unsaved in-memory changes: read again what is on disk."""
        self._pending = False
        self._ops = []
        self._rewrite = False
        from .journal import load_journal_file

        try:
            data, cold = load_journal_file(self.path)
        except FileNotFoundError:
            # never written yet: nothing is on disk, so memory holds nothing either
            if self._cold is not None:
                self._cold.close()
            self._data, self._cold, self._token = {}, None, None
            return
        except (OSError, ValueError):
            return  # unreadable: keep memory, the caller reports
        token = changes.snapshot_token(data)
        log = changes.read(self.path, token, changes.default_loads)
        if cold is not None and changes.touches(log, layout.COLD_TABLE):
            try:
                data[layout.COLD_TABLE], cold = cold.load(), None
            except (OSError, ValueError):
                return
        changes.apply(data, log.batches)
        if self._cold is not None:
            self._cold.close()
        self._data, self._cold, self._token, self._log_size = data, cold, token, log.size

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
