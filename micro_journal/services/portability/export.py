"""An export in any format: made a piece at a time, joined into one text, or written
straight into a file atomically, never held whole in memory; and the checks on where
an export may be written (never over any part of the journal, by any name)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Required, TypedDict, Unpack

from ...domain import rules
from ...store.backups import backup_dir_for
from ...store.files import TMP_MARK, atomic_write, describe_os_error
from ...store.repository import Repository
from ...store.storage import not_a_regular_file, real_path
from .common import ALL_DATES, DateRange, PortabilityError, Progress, noop
from .csv_export import iter_export_csv
from .ics_export import iter_export_ics
from .json_export import Chunk, decode_chunks, encode_chunk, iter_export_json
from .markdown import iter_export_markdown

EXPORT_FORMATS = ("json", "markdown", "csv", "ics")
FILE_SUFFIX = {"json": ".json", "markdown": ".md", "csv": ".csv", "ics": ".ics"}


def journal_part(target: Path, journal_path: Path) -> str | None:
    """What of the journal ``target`` is (its file, change log, lock, drafts, backups, a
    copy set aside…), or None when it is none of it. ``target`` is compared as given
    (made absolute) and with every symlink and ``..`` resolved, against the journal's
    path as given and as the file it names, so neither a symlink nor a relative path
    reaches the journal's files by another name."""
    journal_path = Path(os.path.abspath(journal_path.expanduser()))
    journals = {journal_path, real_path(journal_path)}
    targets = {Path(os.path.abspath(target)), Path(os.path.realpath(target))}
    fold = (lambda s: s.casefold()) if sys.platform in ("darwin", "win32") else str

    def same(a: Path, b: Path) -> bool:
        return fold(os.path.normcase(str(a))) == fold(os.path.normcase(str(b)))

    def within(inner: Path, outer: Path) -> bool:
        return same(inner, outer) or any(same(parent, outer) for parent in inner.parents)

    for journal in journals:
        name = fold(journal.name)
        for t in targets:
            if same(t, journal):
                return "the journal itself"
            if within(t, backup_dir_for(journal)):
                return "in the journal's backups folder"
            for suffix, what in ((".drafts", "its drafts"), (".changes", "its change log"),
                                 (".lock", "its lock file")):
                if within(t, journal.with_name(journal.name + suffix)):
                    return f"part of the journal ({what})"
            if same(t.parent, journal.parent):
                tname = fold(t.name)
                if tname.startswith(f"{name}.") or tname.startswith(f".{name}{TMP_MARK}"):
                    return "part of the journal (a name kept for its files)"
    # the same file under another name (a hard link, a case-insensitive disk)
    for journal in journals:
        for p in (journal, journal.with_name(journal.name + ".changes"),
                  journal.with_name(journal.name + ".lock")):
            with contextlib.suppress(OSError):
                if os.path.samefile(target, p):
                    return "the journal itself" if p == journal else "part of the journal"
    return None


def check_output_path(target: Path, journal_path: Path | None = None) -> Path:
    """Refuse an output path that cannot be written, or that is part of the journal:
    the journal file, its change log, lock, drafts, backups or a copy set aside beside
    it — by any name (a symlink, ``..``). Nothing is written when it is refused."""
    target = target.expanduser()
    if journal_path is not None:
        part = journal_part(target, journal_path)
        if part == "the journal itself":
            raise PortabilityError(f"{target} is the journal itself; export to another file")
        if part is not None:
            raise PortabilityError(f"{target} is {part}; export to another file")
    if target.is_dir():
        raise PortabilityError(f"{target} is a folder; give a file name")
    try:
        kind = not_a_regular_file(os.stat(target).st_mode)
    except OSError:
        kind = None  # not there yet (or unreadable: the write says so)
    if kind:
        # writing is a rename over the target: a device or a pipe would be replaced
        raise PortabilityError(f"{target} is {kind}, not a file; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise PortabilityError(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise PortabilityError(f"cannot write {target}: permission denied")
    return target


def encode_export(text: str, fmt: str, *, to_file: bool) -> bytes:
    """The bytes to write: UTF-8; a CSV written to a file starts with a byte-order mark so
    spreadsheets (Excel) read its accents correctly."""
    data = text.encode("utf-8")
    if fmt == "csv" and to_file:
        data = "\ufeff".encode() + data
    return data


def write_export(target: Path, text: str | Iterable[Chunk], fmt: str) -> None:
    """Write an export atomically (a crash leaves the old file or the new, never half).

    ``text`` is the whole export, or its pieces (``iter_export``): each is written as it
    comes, so the export is never held whole in memory. Whatever stops it part-way —
    a full disk, an error making the next piece — removes the temporary file: the old
    file (or none) stays, never half of the new one."""
    def pieces() -> Iterator[bytes]:
        if fmt == "csv":
            yield "\ufeff".encode()
        for chunk in [text] if isinstance(text, str) else text:
            yield encode_chunk(chunk)

    try:
        atomic_write(target, pieces())
    except (OSError, UnicodeEncodeError) as err:
        raise PortabilityError(f"cannot write {target}: {describe_os_error(err)}") from None


def iter_export(
    repo: Repository,
    fmt: str,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = ALL_DATES,
    progress: Progress = noop,
) -> Iterator[Chunk]:
    """An export in ``fmt``, a piece at a time (see ``write_export``); the pieces joined
    are ``export_text``."""
    if fmt == "json":
        return iter_export_json(repo, span=span, progress=progress)
    if fmt == "markdown":
        return iter_export_markdown(repo, today=today, first_weekday=first_weekday,
                                    day_start_hour=day_start_hour, span=span,
                                    progress=progress)
    if fmt == "csv":
        return iter_export_csv(repo, span=span, progress=progress)
    if fmt == "ics":
        return iter_export_ics(repo, span=span, progress=progress)
    raise _unknown_format(fmt)


class ExportOptions(TypedDict, total=False):
    """``iter_export``'s keywords, which ``export_text`` and ``export_to_file`` pass on."""

    today: Required[dt.date]
    first_weekday: int
    day_start_hour: int
    span: DateRange
    progress: Progress


def export_text(repo: Repository, fmt: str, **options: Unpack[ExportOptions]) -> str:
    return "".join(decode_chunks(iter_export(repo, fmt, **options)))


def export_to_file(
    repo: Repository, fmt: str, target: Path, **options: Unpack[ExportOptions],
) -> None:
    """Export straight into ``target`` (atomically, 0600), writing each piece as it is
    made. ``progress`` runs over making and writing the pieces and reaches its total
    once the file is in place (the last 2 % are the flush to disk and the rename)."""
    progress = options.pop("progress", noop)
    whole = [1]

    def making(done: int, total: int) -> None:
        whole[0] = total + max(1, total // 50)
        progress(min(done, total), whole[0])

    making_options: ExportOptions = {**options, "progress": making}
    write_export(target, iter_export(repo, fmt, **making_options), fmt)
    progress(whole[0], whole[0])


def _unknown_format(fmt: str) -> PortabilityError:
    return PortabilityError(f"unknown export format {fmt!r}; use one of: "
                            f"{', '.join(EXPORT_FORMATS)}")


def check_export_format(fmt: str) -> str:
    aliases = {"md": "markdown", "ical": "ics", "icalendar": "ics"}
    fmt = aliases.get(fmt.strip().lower(), fmt.strip().lower())
    if fmt not in EXPORT_FORMATS:
        raise _unknown_format(fmt)
    return fmt

