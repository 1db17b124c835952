"""Bytes on disk: JSON in and out, atomic replacement, fsync, names beside the journal.

The lowest layer of the store: it imports nothing else from it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_orjson: Any
try:  # orjson serialises a ten-year journal ~20x faster, to the same bytes
    import orjson as _orjson
except ImportError:  # pragma: no cover - the stdlib does the same job, slower
    _orjson = None

TMP_MARK = ".tmp-"
# fast_loads could not parse it: ask the stdlib (whose message names the problem)
NOT_PARSED = object()
TOO_DEEP = "it is nested too deeply (lists or objects inside each other thousands of times)"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON. The stdlib handles what orjson refuses (and names the
    problem), so both paths fail or succeed alike.

    A lone surrogate (half of a character) is written as the JSON escape ``\\udcff``,
    the way TinyDB's own storage writes it: a journal that already holds one (another
    program wrote it) keeps it exactly through every fold, instead of no fold ever
    succeeding again. New text is refused before it gets here (``check_storable``)."""
    if _orjson is not None:
        try:
            return _orjson.dumps(data)
        except (TypeError, ValueError):
            pass
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # outside strings JSON holds no such character: only string contents change
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def check_storable(data: Any) -> None:
    """Raise for what a save must refuse to take in: UnicodeEncodeError for a lone
    surrogate (naming it: see ``describe_os_error``), ValueError for what JSON cannot
    hold. Text already in the journal is kept by ``dumps`` whatever it is."""
    if _orjson is not None:
        try:
            _orjson.dumps(data)
            return
        except (TypeError, ValueError):
            pass
    try:
        json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except RecursionError:
        raise ValueError(TOO_DEEP) from None


def fast_loads(raw: bytes | memoryview) -> Any:
    """Parse with orjson when it can; ``NOT_PARSED`` means: use the stdlib."""
    if _orjson is None:
        return NOT_PARSED
    try:
        return _orjson.loads(raw)
    except ValueError:
        return NOT_PARSED


def loads(raw: bytes) -> Any:
    """Parse JSON bytes (a change-log line); ValueError for anything unreadable, deep
    nesting included."""
    value = fast_loads(raw)
    if value is not NOT_PARSED:
        return value
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None


# ---- what differs between operating systems, chosen at run time ---------------------
# Windows has no os.pread, no O_CLOEXEC and no O_NONBLOCK (its handles are not inherited
# by default, and a FIFO cannot stand where the journal is), and opens files in text
# mode (\r\n translated) unless told O_BINARY. The flags are 0 where they do not exist.
O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)
O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
O_BINARY: int = getattr(os, "O_BINARY", 0)

_SEEK_LOCK = threading.Lock()  # seek+read is two steps: no other thread between them


def pread(fd: int, n: int, offset: int) -> bytes:
    """Up to ``n`` bytes of ``fd`` from ``offset`` (``os.pread`` where it exists).

    Elsewhere a seek and a read under a lock; the file position moves, which none of
    our callers relies on (an O_APPEND log still appends at its end). ``os.pread`` is
    looked up at each call, so a test can take it away."""
    native = getattr(os, "pread", None)
    if native is not None:
        return native(fd, n, offset)
    with _SEEK_LOCK:
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, n)


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def leftover_temps(path: Path) -> list[Path]:
    prefix = f".{path.name}{TMP_MARK}"
    try:
        return [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []


def file_identity(st: os.stat_result) -> tuple[int, ...]:
    """Which file, in which state: a replaced or rewritten file gives another tuple."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def identity_of(path: Path) -> tuple[int, ...] | None:
    try:
        return file_identity(path.stat())
    except OSError:
        return None


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


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path: Path, payload: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new, never a mix."""
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY | O_CLOEXEC, 0o600)
        try:
            for piece in [payload] if isinstance(payload, bytes) else payload:
                write_all(fd, piece)
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


def parse_journal_bytes(raw: bytes) -> dict[str, dict[str, Any]]:
    """Parse and check the shape of a journal file; ValueError says what is wrong."""
    if not raw.strip():
        return {}
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ValueError("it starts with a byte-order mark, which a journal never has")
    # orjson checks the UTF-8 itself; decoding a copy first would double the memory a
    # ten-year journal needs while it is read (the stdlib path decodes, and explains)
    data = fast_loads(raw)
    if data is NOT_PARSED:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ValueError(f"it is not UTF-8 text (byte {err.start})") from None
        data = json_text(text)
    check_shape(data)
    return data



def json_text(text: str) -> Any:
    """``json.loads`` whose every failure is a one-line ValueError: bad JSON (where),
    or nesting deeper than Python's parser can follow (a RecursionError otherwise)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(
            f"it is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
        ) from None
    except RecursionError:
        raise ValueError(TOO_DEEP) from None


def check_shape(data: Any) -> None:
    """ValueError unless ``data`` is shaped like a TinyDB database (tables of documents)."""
    if not isinstance(data, dict):
        raise ValueError("it is JSON but not a journal (the top level is not an object)")
    for table, docs in data.items():
        if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
            raise ValueError(f"it is JSON but not a journal (table {table!r} has the wrong shape)")


def stamp() -> str:
    """A UTC timestamp for file names."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def free_name(base: Path) -> Path:
    """``base``, or ``base-1``, ``base-2``… : a name nothing has yet."""
    target, n = base, 1
    while target.exists() or target.is_symlink():
        target = base.with_name(f"{base.name}-{n}")
        n += 1
    return target


def move_aside(path: Path, label: str = "corrupt") -> Path:
    """Rename ``path`` to ``<name>.<label>-<timestamp>`` without overwriting anything."""
    target = free_name(path.with_name(f"{path.name}.{label}-{stamp()}"))
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


def meta_row(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The journal's meta row (the document of table ``meta`` holding
    ``schema_version``), or None when it has none."""
    meta = (data or {}).get("meta")
    if isinstance(meta, dict):
        for doc in meta.values():
            if isinstance(doc, dict) and "schema_version" in doc:
                return doc
    return None
