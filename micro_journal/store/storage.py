"""A crash-safe TinyDB storage.

TinyDB's stock JSONStorage rewrites the file in place, so a crash or a full disk
mid-write leaves a truncated or empty journal. This storage:

* reads and parses the file once, then serves every query from memory;
* writes by serialising the whole state to a temporary file in the same folder,
  flushing and fsyncing it, ``os.replace``-ing it over the journal and fsyncing the
  folder — the journal on disk is always either the old or the new version;
* creates files 0600;
* reports a failed write as :class:`SaveError` and rolls the in-memory state back to
  what is on disk, so memory never claims more than the disk holds;
* can batch several table updates into one write (``with storage.batch():``).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

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


def atomic_write(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new, never a mix."""
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(payload)
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
    """TinyDB storage over an in-memory copy of the journal with atomic saves."""

    def __init__(self, path: Path, data: dict[str, dict[str, Any]] | None) -> None:
        self.path = path
        self._data = data if data is not None else {}
        self._batch_depth = 0
        self._pending = False
        self.read_only_reason: str | None = None
        self.saves = 0

    # TinyDB interface -------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only_reason:
            from .errors import ReadOnlyJournal

            self.reload()
            raise ReadOnlyJournal(self.path, self.read_only_reason)
        self._data = data
        if self._batch_depth:
            self._pending = True
            return
        self.flush()

    def close(self) -> None:
        pass

    # ours -------------------------------------------------------------------
    def flush(self) -> None:
        try:
            payload = dumps(self._data)
            atomic_write(self.path, payload)
        except Exception as err:
            self.reload()
            raise SaveError(self.path, describe_os_error(err)) from err
        self._pending = False
        self.saves += 1

    def reload(self) -> None:
        """Throw away unsaved in-memory changes: re-read what is on disk."""
        self._pending = False
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            # never written yet: nothing is on disk, so memory holds nothing either
            self._data = {}
            return
        except OSError:
            return  # keep memory; the caller reports the failure
        with contextlib.suppress(ValueError):  # unreadable: keep memory, the caller reports
            fast = fast_loads(raw) if raw.strip() else {}
            self._data = json.loads(raw) if fast is DECLINED else fast

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group several updates into one atomic save (all or nothing)."""
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
