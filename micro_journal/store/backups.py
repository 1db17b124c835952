"""Backups of a journal: the daily copy, its rotation, the copy before a migration.

Backups live in ``backups/`` beside the journal, named ``<stem>-<label><suffix>``, of
three kinds:

* daily: the label is a date (``2026-11-30``); the newest ``keep_daily`` days are kept,
  plus the newest of each of 8 older weeks;
* manual (``micro-journal backup``): ``manual-…`` (or ``<date>-manual-…``, as earlier
  versions named them); rotated on their own, the newest ``MANUAL_KEEP`` kept, so they
  never take a daily slot;
* any other label (``before-restore-…``, ``pre-migration-…``, hand-named): never
  rotated away.

A backup is compressed, so that keeping 22 of them costs about three copies of the
journal, not 22: a new one is written gzip-compressed (``.json.gz``, what ``gunzip``
and ``zcat`` read); a weekly one, kept for two months, is recompressed with bzip2
(``.json.bz2``, a third smaller on a journal's text) once its week can no longer
change. Earlier versions wrote plain copies (``.json``): they are read, listed,
restored and rotated with the others. Whatever the format, a backup holds the
journal's bytes exactly as they were on disk; :func:`read_backup` gives them back.

A day whose journal has not changed since the newest backup costs no copy: a hard
link to that one (the same bytes, checked).

The daily backup is taken when the journal is first opened for writing on a day. The
app opens it inside :func:`daily_in_background`: the file is opened there (so the copy
is of the journal as it was then, whatever is saved next), and compressing and writing
it goes on in a thread of its own, so that the first frame never waits for it. (A CLI
command takes it in the foreground, as every other caller does.) Everything else here
that looks at backups/ waits for that thread first, and a process that exits meanwhile
finishes it first. A daily whose thread failed (or whose process was killed) leaves a
note, and the next one is taken in the foreground, so that a failure that lasts is
reported as it always was.

The newest backup of each kind is never removed. A backup is never written over another
file: each is published under a name nothing has yet (``…-1.json.gz``, ``-2``… when its
label is taken, in any format), with a hard link, so not even a race replaces an
earlier copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from . import files, layout
from .files import (
    TMP_MARK,
    atomic_write,
    check_shape,
    file_identity,
    fsync_dir,
    make_folder,
    parse_journal_bytes,
    stamp,
    temp_name,
)

BACKUP_DIR = "backups"
DAILY_KEEP = 14
WEEKLY_KEEP = 8
MANUAL_KEEP = 14
MANUAL_PREFIX = "manual-"
# a daily's label: its date, perhaps with the counter of a name that was taken
_DAILY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:-\d+)?")
# a manual backup's label; earlier versions wrote "<date>-manual-<time>"
_MANUAL = re.compile(r"(?:\d{4}-\d{2}-\d{2}-)?manual-.*")

PLAIN = ".json"  # earlier versions' full copies
GZIP = ".json.gz"  # every new backup
BZIP2 = ".json.bz2"  # a weekly one, recompressed once its week is over
SUFFIXES = (GZIP, BZIP2, PLAIN)
# gzip level 6: a ten-year journal (4 MB) in ~0.15 s, to 14 % of its size (level 1:
# 19 %, 9: 14 % in twice the time); bzip2 takes 3x as long but gets ~9 %
GZIP_LEVEL = 6
BZIP2_LEVEL = 9
# a "backup" that inflates beyond this is refused, never read into memory whole
MAX_UNCOMPRESSED = 1 << 32
# weeklies recompressed per rotation: the first run after an upgrade does not take
# minutes recompressing eight of them
CONVERT_PER_ROTATION = 1


class DamagedBackup(ValueError):
    """A compressed backup that cannot be read to its end: cut short, or corrupt."""


def backup_dir_for(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def split_backup_name(stem: str, name: str) -> tuple[str, str] | None:
    """``(label, suffix)`` when ``name`` is that of a backup of the journal ``stem``."""
    if not name.startswith(f"{stem}-"):
        return None
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(stem) + 1 + len(suffix):
            return name[len(stem) + 1 : -len(suffix)], suffix
    return None


def backup_label(path: Path, backup: Path) -> str:
    """The label of a backup of ``path``: ``2026-11-30``, ``manual-…``, …"""
    found = split_backup_name(path.stem, backup.name)
    return found[0] if found else backup.name


def _list(path: Path) -> list[Path]:
    folder = backup_dir_for(path)
    try:
        found = [p for p in folder.iterdir() if split_backup_name(path.stem, p.name)]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


def list_backups(path: Path) -> list[Path]:
    """Backups of ``path``, oldest first (by name), in every format."""
    wait_for_backups()
    return _list(path)


def _modified(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


# ---------------------------------------------------------------- reading


def compression_of(backup: Path) -> str | None:
    """``"gzip"``, ``"bzip2"``, or None (a plain copy) — by the file's name."""
    if backup.name.endswith(".gz"):
        return "gzip"
    if backup.name.endswith(".bz2"):
        return "bzip2"
    return None


def read_backup(backup: Path) -> bytes:
    """The journal's bytes a backup holds: a plain copy as it is, a ``.gz`` or ``.bz2``
    one uncompressed. OSError when the file cannot be read; :class:`DamagedBackup` (a
    ValueError, saying what is wrong in one line) when its compressed data is cut short
    or corrupt."""
    return _read_as(backup, compression_of(backup))


def _read_as(backup: Path, kind: str | None) -> bytes:
    if kind is None:
        return backup.read_bytes()
    import gzip  # here: start-up reads no backup

    parts = []
    total = 0
    with open(backup, "rb") as raw:
        try:
            with _decompressing(raw, kind) as stream:
                while chunk := stream.read(layout.CHUNK):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:
                        raise DamagedBackup(
                            f"it is a {kind} file of more than {MAX_UNCOMPRESSED >> 30} GiB "
                            "uncompressed, which no journal is")
                    parts.append(chunk)
        except EOFError:
            raise DamagedBackup(f"it is a damaged {kind} file: its compressed data ends "
                                "early (the file was cut short)") from None
        except (zlib.error, gzip.BadGzipFile) as err:
            raise DamagedBackup(f"it is a damaged {kind} file ({err})") from None
        except OSError as err:
            if err.errno is not None:
                raise  # the disk's error, not the data's
            raise DamagedBackup(f"it is a damaged {kind} file ({err})") from None
        if not parts and not raw.tell():
            raise DamagedBackup(f"it is empty, not a {kind} file (even an empty one has a "
                                "header)")
    return b"".join(parts)


def _decompressing(raw, kind: str):
    if kind == "gzip":
        import gzip

        return gzip.GzipFile(fileobj=raw, mode="rb")
    import bz2

    return bz2.BZ2File(raw, "rb")


def _same_bytes(backup: Path, fd: int, size: int) -> bool:
    """Whether ``backup`` holds exactly the ``size`` bytes of the file open as ``fd``
    (read a chunk at a time; False at the first difference, or for a damaged one)."""
    kind = compression_of(backup)
    offset = 0
    try:
        with open(backup, "rb") as raw:
            stream = raw if kind is None else _decompressing(raw, kind)
            with stream:
                while chunk := stream.read(layout.CHUNK):
                    if files.pread(fd, len(chunk), offset) != chunk:
                        return False
                    offset += len(chunk)
    except (OSError, EOFError, ValueError, zlib.error):
        return False
    return offset == size


def newest_good_backup(path: Path) -> Path | None:
    """The most recently written backup that reads to its end, parses and is not empty
    (a damaged compressed one never is chosen)."""
    candidates = sorted(list_backups(path), key=lambda p: (_modified(p), p.name))
    for backup in reversed(candidates):
        try:
            raw = read_backup(backup)
            parse_journal_bytes(raw)
        except (OSError, ValueError):
            continue
        if not raw.strip():
            continue  # an empty file is no backup of anything
        return backup
    return None


def backup_kind(path: Path, backup: Path) -> str:
    """``"daily"``, ``"manual"`` or ``"kept"`` (never rotated) for a backup of ``path``."""
    label = backup_label(path, backup)
    if _DAILY.fullmatch(label):
        return "daily"
    if _MANUAL.fullmatch(label):
        return "manual"
    return "kept"


# ---------------------------------------------------------------- writing


def _temp_pid(name: str) -> int | None:
    try:
        return int(name.rsplit(TMP_MARK, 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return None


def _writer_alive(pid: int | None) -> bool:
    """Whether the process that made a temp file may still be writing it."""
    if pid is None or pid == os.getpid():
        return False  # not one of ours now: wait_for_backups() ran first
    if sys.platform == "win32":
        return False  # backups are written under the journal's lock: its writer is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, someone else's
    return True


def remove_leftover_temps(path: Path) -> list[Path]:
    """Remove the temp files a killed backup (daily, manual, before-restore…) of ``path``
    left in backups/; they are never a backup, only its unfinished copy."""
    wait_for_backups()
    return _remove_leftover_temps(path)


def _remove_leftover_temps(path: Path) -> list[Path]:
    folder = backup_dir_for(path)
    removed: list[Path] = []
    try:
        names = [p for p in folder.iterdir()
                 if p.name.lstrip(".").startswith(f"{path.stem}-") and TMP_MARK in p.name]
    except OSError:
        return removed
    for tmp in names:
        if _writer_alive(_temp_pid(tmp.name)):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def compressed(pieces: bytes | Iterable[bytes], suffix: str = GZIP) -> Iterator[bytes]:
    """``pieces`` (a journal's bytes), compressed as a backup with ``suffix`` is."""
    if isinstance(pieces, bytes):
        pieces = [pieces]
    if suffix == PLAIN:
        yield from pieces
        return
    comp: Any
    if suffix == GZIP:  # a gzip member with no name and no time in its header
        comp = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    else:
        import bz2

        comp = bz2.BZ2Compressor(BZIP2_LEVEL)
    for piece in pieces:
        out = comp.compress(piece)
        if out:
            yield out
    yield comp.flush()


def _taken(folder: Path, base: str) -> bool:
    """Whether a backup (of any format) already has the name ``base``."""
    return any((folder / f"{base}{s}").exists() or (folder / f"{base}{s}").is_symlink()
               for s in SUFFIXES)


def _publish(staged: Path, folder: Path, base: str, suffix: str, *,
             move: bool = True) -> Path:
    """Give ``staged`` the first free name ``<base><suffix>``, ``<base>-1<suffix>``…
    (free in every format, so a label names one backup), never replacing a file.

    ``move=False``: ``staged`` is itself a backup, which must keep its name: OSError
    where hard links are not supported, rather than a rename."""
    n = 0
    while True:
        name = base if n == 0 else f"{base}-{n}"
        n += 1
        if _taken(folder, name):
            continue
        target = folder / f"{name}{suffix}"
        try:
            os.link(staged, target)
        except FileExistsError:
            continue
        except OSError:
            if target.exists() or target.is_symlink():
                continue
            if not move:
                raise
            os.rename(staged, target)  # no hard links here; the name was free
        return target


def write_new_backup(path: Path, label: str, payload: bytes | Iterable[bytes],
                     suffix: str = GZIP) -> Path:
    """Write ``payload`` (a journal's bytes), compressed, to
    ``backups/<stem>-<label>.json.gz`` — or ``<label>-1``, ``-2``… when that label is
    taken — and return where. Never replaces an existing file.

    The copy is written (atomically, fsynced) under a temp name, then published with a
    hard link, which fails rather than replace (where links are not supported: a rename
    to a name checked to be free, under the journal's lock). A crash leaves a temp file
    (removed by :func:`remove_leftover_temps`), never a half backup under a backup's
    name."""
    wait_for_backups()
    return _write_new_backup(path, label, payload, suffix)


def _write_new_backup(path: Path, label: str, payload: bytes | Iterable[bytes],
                      suffix: str = GZIP) -> Path:
    folder = backup_dir_for(path)
    make_folder(folder)
    _remove_leftover_temps(path)
    base = f"{path.stem}-{label}"
    staged = temp_name(folder / f"{base}{suffix}")
    atomic_write(staged, compressed(payload, suffix))
    try:
        target = _publish(staged, folder, base, suffix)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(staged)
    fsync_dir(folder)
    return target


def _link_if_unchanged(path: Path, label: str, fd: int) -> Path | None:
    """When the newest backup holds exactly the journal open as ``fd``, publish it again
    under ``label`` (a hard link: no second copy) and return where; else None.

    Only a compressed backup written after the journal last changed is compared, and
    the comparison is of every byte."""
    st = os.fstat(fd)
    newest = None
    for p in _list(path):
        try:
            pst = p.stat()
        except OSError:
            continue
        if newest is None or (pst.st_mtime_ns, p.name) > newest[0]:
            newest = ((pst.st_mtime_ns, p.name), p, pst)
    if newest is None:
        return None
    _, candidate, cst = newest
    if (compression_of(candidate) is None or cst.st_mtime_ns < st.st_mtime_ns
            or cst.st_mode & 0o077 or not _same_bytes(candidate, fd, st.st_size)):
        return None
    folder = backup_dir_for(path)
    named = split_backup_name(path.stem, candidate.name)
    if named is None:  # (newest_daily lists backups of this journal only)
        return None
    suffix = named[1]
    try:
        target = _publish(candidate, folder, f"{path.stem}-{label}", suffix, move=False)
    except OSError:
        return None  # no hard links on this disk: a copy, then
    fsync_dir(folder)
    return target


def _copy_from(path: Path, label: str, fd: int) -> Path:
    return (_link_if_unchanged(path, label, fd)
            or _write_new_backup(path, label, layout.chunks(fd)))


def copy_journal(path: Path, label: str, known_good: tuple[int, ...] | None) -> Path:
    """Back up journal.json as it is on disk to ``backups/<stem>-<label>.json.gz`` (or the
    next free name: an existing backup is never replaced); returns the copy's path.

    Only a journal that parses is ever copied (``known_good``: the identity of the file
    as last parsed or written by this process, which need not be checked again); it is
    read in chunks, never held in memory whole. A journal that has not changed since the
    newest backup becomes a hard link to it.

    A daily backup (the label is a date) taken inside :func:`daily_in_background` is
    compressed and written in a thread of its own: the path returned is the name it
    will have."""
    fd = os.open(path, os.O_RDONLY | files.O_BINARY | files.O_CLOEXEC)
    try:
        if file_identity(os.fstat(fd)) != known_good and layout.read_head(
                fd, check_shape) is None:
            parse_journal_bytes(layout.read_all(fd))
        wait_for_backups()
        if (_DAILY.fullmatch(label) and getattr(_background, "on", False)
                and not _unfinished_note(path).exists()):
            job = _Job(path, label, fd)
            if job.start():
                fd = -1  # the job's now: its thread closes it
                return job.target
        made = _copy_from(path, label, fd)
        if _DAILY.fullmatch(label):
            with contextlib.suppress(OSError):
                _unfinished_note(path).unlink()  # it did not fail this time
        return made
    finally:
        if fd >= 0:
            os.close(fd)


def pre_migration_backup(path: Path, version: int) -> Path:
    """Copy the file as it is into backups/ before a migration, and read it back."""
    raw = path.read_bytes()
    target = write_new_backup(path, f"pre-migration-v{version}-{stamp()}", raw)
    if read_backup(target) != raw:
        raise ValueError(f"the backup {target} does not read back as written")
    parse_journal_bytes(raw)
    return target


def has_daily(path: Path, day: dt.date) -> bool:
    wait_for_backups()
    return _taken(backup_dir_for(path), f"{path.stem}-{day.isoformat()}")


# ---------------------------------------------------------------- the daily, in a thread


def _unfinished_note(path: Path) -> Path:
    """Left in backups/ while a daily backup is written in the background, and kept
    (saying why) when it fails: the next daily is then taken in the foreground."""
    return backup_dir_for(path) / f".{path.stem}.daily-backup-unfinished"


_jobs: dict[tuple[str, str], _Job] = {}
_jobs_lock = threading.Lock()
_background = threading.local()


@contextlib.contextmanager
def daily_in_background() -> Iterator[None]:
    """Within it (on this thread), a daily backup is compressed and written in a thread
    of its own: the app opens its journal so, and starts without waiting for it."""
    was = getattr(_background, "on", False)
    _background.on = True
    try:
        yield
    finally:
        _background.on = was


def _key(path: Path) -> tuple[str, str]:
    return os.path.realpath(backup_dir_for(path)), path.stem


class _Job:
    """A daily backup of the journal open as ``fd``, compressed, written and published
    in a thread of its own; rotation asked for meanwhile runs after it."""

    def __init__(self, path: Path, label: str, fd: int) -> None:
        self.path, self.label, self.fd = path, label, fd
        self.target = backup_dir_for(path) / f"{path.stem}-{label}{GZIP}"
        self.error: BaseException | None = None
        self.writing = True
        self.rotation: tuple[int, int] | None = None
        # not a daemon: a process that exits meanwhile finishes the backup first
        self.thread = threading.Thread(target=self._run, name="micro-journal backup")

    def start(self) -> bool:
        """Start the thread; False when none can be (the backup is then taken in the
        foreground). What fails at once (the folder, the note) raises at once."""
        make_folder(backup_dir_for(self.path))
        _remove_leftover_temps(self.path)
        note = _unfinished_note(self.path)
        os.close(os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | files.O_CLOEXEC, 0o600))
        with _jobs_lock:
            _jobs[_key(self.path)] = self
        try:
            self.thread.start()
        except RuntimeError:  # no thread to be had
            with _jobs_lock:
                _jobs.pop(_key(self.path), None)
            with contextlib.suppress(OSError):
                note.unlink()
            return False
        return True

    def _run(self) -> None:
        _lower_priority()
        try:
            self.target = _copy_from(self.path, self.label, self.fd)
        except BaseException as err:  # kept, and told by the next daily
            self.error = err
        finally:
            os.close(self.fd)
        with _jobs_lock:
            self.writing = False
            rotation = self.rotation
        try:
            note = _unfinished_note(self.path)
            if self.error is not None:
                with contextlib.suppress(OSError):
                    note.write_text(f"{type(self.error).__name__}: {self.error}\n",
                                    encoding="utf-8")
            else:
                with contextlib.suppress(OSError):
                    note.unlink()
                if rotation is not None:
                    with contextlib.suppress(OSError, ValueError):
                        _rotate(self.path, *rotation)
        finally:
            with _jobs_lock:
                if _jobs.get(_key(self.path)) is self:
                    del _jobs[_key(self.path)]


def _lower_priority() -> None:
    """This thread yields the CPU to the app's (Linux: threads have their own nice)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def wait_for_backups() -> None:
    """Wait for the backups this process is still writing in the background (not from
    that thread itself)."""
    with _jobs_lock:
        jobs = list(_jobs.values())
    for job in jobs:
        if job.thread is not threading.current_thread() and job.thread.is_alive():
            job.thread.join()


# ---------------------------------------------------------------- rotation


def rotate(path: Path, keep_daily: int = DAILY_KEEP, keep_manual: int = MANUAL_KEEP) -> None:
    """Keep the dailies of the newest ``keep_daily`` days, plus the newest of each of 8
    older weeks; and, apart from them, the newest ``keep_manual`` manual backups. The
    newest backup of each kind, and of all, is never removed; other labels never are.

    Then the newest weekly backup whose week is over (no later day can take its place)
    and that is not yet bzip2 is recompressed so (one per rotation: a ten-year journal
    takes ~0.5 s; it is the weeklies that are kept longest). Asked for while today's
    daily is written in the background, all of it runs after it, in its thread."""
    with _jobs_lock:
        job = _jobs.get(_key(path))
        if job is not None and job.writing:
            job.rotation = (keep_daily, keep_manual)
            return
    wait_for_backups()
    _rotate(path, keep_daily, keep_manual)


def _rotate(path: Path, keep_daily: int, keep_manual: int) -> None:
    _remove_leftover_temps(path)
    backups = _list(path)
    dated: list[tuple[dt.date, Path]] = []
    manual: list[Path] = []
    for p in backups:
        kind = backup_kind(path, p)
        if kind == "daily":
            dated.append((dt.date.fromisoformat(backup_label(path, p)[:10]), p))
        elif kind == "manual":
            manual.append(p)
    # the same day in two formats (a recompression cut short): the bzip2 one is newer
    dated.sort(key=lambda d: (d[0], backup_label(path, d[1]), d[1].name.endswith(BZIP2)))
    days = sorted({day for day, _ in dated})
    recent = set(days[-keep_daily:]) if keep_daily > 0 else set()
    keep = {p for day, p in dated if day in recent}
    weeks: dict[tuple[int, int], tuple[dt.date, Path]] = {}
    for day, p in dated:
        if day not in recent:
            weeks[day.isocalendar()[:2]] = day, p  # newest of its week wins
    weekly = sorted(weeks.values(), key=lambda d: d[1].name)[-WEEKLY_KEEP:]
    keep.update(p for _, p in weekly)
    by_age = sorted(manual, key=lambda p: (_modified(p), p.name))
    keep.update(by_age[-keep_manual:] if keep_manual > 0 else by_age[-1:])
    keep.update(_last_backups_before_set_aside(path, [p for _, p in dated] + manual))
    newest = sorted(backups, key=lambda p: (_modified(p), p.name))
    keep.update(newest[-1:])
    if dated:
        keep.add(dated[-1][1])
    for p in [p for _, p in dated] + manual:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()
    if recent:
        first_recent = min(recent)
        done = [p for day, p in weekly
                if _week_end(day) < first_recent and not p.name.endswith(BZIP2)]
        converted = 0
        for p in reversed(done):  # the newest first
            if converted == CONVERT_PER_ROTATION:
                break
            with contextlib.suppress(OSError, ValueError):
                converted += _recompress(path, p) is not None


def _week_end(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.isoweekday())


def _recompress(path: Path, backup: Path) -> Path | None:
    """Replace a weekly backup that no later day can take the place of by its bzip2
    copy, under the same label. A damaged one is left as it is (a gzip one's checksum
    is checked as it is read; a plain one is parsed), and so is one that is also
    published under another name (a hard link: recompressing it would save nothing)."""
    st = backup.stat()
    if st.st_nlink > 1:
        return None
    raw = read_backup(backup)
    if compression_of(backup) is None:
        parse_journal_bytes(raw)
    folder = backup_dir_for(path)
    target = folder / f"{path.stem}-{backup_label(path, backup)}{BZIP2}"
    staged = temp_name(target)
    atomic_write(staged, compressed(raw, BZIP2))
    try:
        try:
            os.link(staged, target)
        except FileExistsError:
            if read_backup(target) != raw:
                return None  # two different backups under one label: both kept
        except OSError:
            if target.exists() or target.is_symlink():
                return None
            os.rename(staged, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(staged)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # when it was taken
    fsync_dir(folder)
    backup.unlink()
    return target


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
