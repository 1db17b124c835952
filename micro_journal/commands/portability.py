"""Plain commands for data portability: export, import, backup, restore, verify,
summary and stats. The work is done by ``micro_journal.services.portability`` (shared
with the app's command palette); this module parses arguments and prints.

Bad input (an unknown format, a malformed file, a path that cannot be written) is a
one-line error with exit status 2, checked before the journal is opened, so the journal
is never touched; a journal that cannot be used is exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import json
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .common import (
    EXIT_JOURNAL,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    _db_path,
    check_day,
    open_for,
    out,
    refuse_special_file,
    wait_for_lock,
)

if TYPE_CHECKING:
    from ..config import Config


# ---------------------------------------------------------------- progress on a terminal


class TerminalProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal (a pipe or a
    file stays clean). Called as ``progress(done, total)``; ``close()`` clears it."""

    WIDTH = 30

    def __init__(self, label: str, stream: IO[str] | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False
        self._last = -1.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        share = min(1.0, done / total)
        filled = int(share * self.WIDTH)
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} {bar} {share:4.0%}")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False


# ---------------------------------------------------------------- helpers


def _date(text: str | None, option: str) -> dt.date | None:
    from ..domain.models import ValidationError, parse_local_date

    if text is None:
        return None
    try:
        return parse_local_date(text, option)
    except ValidationError as err:
        raise CliError(f"{option}: {err.message}") from None


def _write_document(text: str, fmt: str) -> None:
    """A text export or summary to standard output: on a terminal its control
    characters are shown as placeholders (an ESC in a note must not drive the
    terminal); piped or redirected, the bytes are exactly the journal's text."""
    from ..services import portability as pt

    sys.stdout.flush()
    if fmt != "json" and _on_terminal(sys.stdout):
        data = out(text).encode("utf-8", "backslashreplace")
    else:
        try:
            data = pt.encode_export(text, fmt, to_file=False)
        except UnicodeEncodeError:  # a lone surrogate another program wrote
            data = text.encode("utf-8", "backslashreplace")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _write_pieces(chunks) -> None:
    """An export to a pipe or a file as it is made: each piece's bytes as they come,
    exactly the journal's text (as ``_write_document`` writes it whole; a lone
    surrogate, which UTF-8 cannot hold, as its backslash escape)."""
    from ..services import portability as pt

    sys.stdout.flush()
    stream = sys.stdout.buffer
    for chunk in chunks:
        try:
            data = pt.encode_chunk(chunk)
        except UnicodeEncodeError:
            data = pt.encode_chunk(chunk, "backslashreplace")
        stream.write(data)
    stream.flush()


def _on_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _refuse_special(path: Path, what: str) -> None:
    """Bad input (exit 2), at once, for a path that exists and is not a regular file:
    reading a FIFO or a device never ends (or never starts), and writing over one —
    ``--output /dev/null`` — would replace it."""
    import os

    from ..store.storage import not_a_regular_file

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the command says which
    kind = not_a_regular_file(mode)
    if kind is not None and kind != "a folder":  # folders have their own message
        raise CliError(f"{what}: {path} is {kind}, not a regular file; nothing was written")


def _bulk_work(command):
    """A command that reads or writes a whole journal runs with Python's cycle collector
    paused: its hundreds of thousands of objects (the parsed journal, its records) hold
    no cycles, yet the collector would walk all of them again and again as they are made
    — a sixth of a 100-year export's time. It runs again when the command ends."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        paused = gc.isenabled()
        gc.disable()
        try:
            return command(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    return run


def _bad(err: Exception) -> CliError:
    return CliError(str(err), EXIT_USAGE)


def _journal_error(err: Exception) -> CliError:
    return CliError(str(err), EXIT_JOURNAL)


# ---------------------------------------------------------------- export


@_bulk_work
def cmd_export(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt
    from ..store import JournalError

    try:
        fmt = pt.check_export_format(args.format)
        span = pt.DateRange(_date(args.date_from, "--from"), _date(args.date_to, "--to"))
        target = None
        if args.output is not None:
            if not args.output.strip():
                raise pt.PortabilityError("--output needs a file name")
            _refuse_special(Path(args.output).expanduser(), "--output")
            target = pt.check_output_path(Path(args.output), _db_path(args).expanduser()
                                          .absolute())
    except pt.PortabilityError as err:
        raise _bad(err) from None
    journal, repo, clock = open_for(args, config, write=False)
    progress = TerminalProgress(f"Exporting {fmt}")
    options = dict(today=clock.today(), first_weekday=config.first_weekday,
                   day_start_hour=config.day_start_hour, span=span, progress=progress)
    # the export is written as it is made, a piece at a time (never held whole): the
    # progress bar runs over the writing too, up to the file in place
    shown = target is None and _on_terminal(sys.stdout)
    text = None
    try:
        with journal:
            if shown:  # made whole, then shown once the bar is cleared away
                text = pt.export_text(repo, fmt, **options)
            elif target is None:
                _write_pieces(pt.iter_export(repo, fmt, **options))
            else:
                pt.export_to_file(repo, fmt, target, **options)
    except JournalError as err:
        raise _journal_error(err) from None
    except pt.PortabilityError as err:
        raise _bad(err) from None
    finally:
        progress.close()
    if text is not None:
        _write_document(text, fmt)
    elif target is not None:
        print(f"Wrote the {fmt} export to {out(target)}")
    return EXIT_OK


# ---------------------------------------------------------------- import


@_bulk_work
def cmd_import(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt
    from ..store import JournalError, Repository, open_journal
    from ..store.backups import list_backups

    source = Path(args.file).expanduser()
    _refuse_special(source, "cannot import")
    try:
        fmt = args.format.strip().lower() if args.format else None
        incoming = pt.load_import(pt.read_import_file(source), fmt)
    except pt.PortabilityError as err:
        raise CliError(f"cannot import {source}: {err}; nothing was written") from None
    path = _db_path(args)
    fresh = (
        not path.exists() and not list_backups(path.expanduser().absolute())
        and not list(path.expanduser().absolute().parent.glob(f"{path.name}.corrupt-*"))
    )
    progress = TerminalProgress("Importing")
    try:
        if fresh:
            # importing is a fine way to start a journal (coming from another tool)
            try:
                journal = wait_for_lock(
                    lambda: open_journal(path, on_locked="refuse",
                                         backups_keep=config.backup_keep),
                    args.wait,
                )
            except JournalError as err:
                raise _journal_error(err) from None
            repo = Repository(journal)
        else:
            # a dry run changes nothing on disk: no lock, no fold, no backup
            journal, repo, _clock = open_for(args, config, write=not args.dry_run,
                                             read_only=args.dry_run)
        with journal:
            report = pt.apply_import(repo, incoming, source=str(source),
                                     dry_run=args.dry_run, progress=progress)
    except JournalError as err:
        raise _journal_error(err) from None
    finally:
        progress.close()
    print(out(report.render()))
    return EXIT_OK


# ---------------------------------------------------------------- backup and restore


def cmd_backup(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt
    from ..store import JournalError

    journal, _repo, clock = open_for(args, config, write=True)
    with journal:
        try:
            made = pt.backup_now(journal, clock.now())
        except (JournalError, OSError, ValueError) as err:
            raise _journal_error(err) from None
    print(out(made))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt
    from ..store import JournalError

    path = _db_path(args).expanduser().absolute()
    if args.backup is None:
        backups = pt.describe_backups(path)
        if not backups:
            from ..store.backups import backup_dir_for
            from ..store.storage import real_path

            folder = backup_dir_for(real_path(path))
            print(f"No backups of {out(path)} yet (they are kept in {out(folder)}).")
            return EXIT_OK
        from ..domain import dates

        print(f"Backups of {out(path)}, oldest first:")
        for p, size, mtime in backups:
            when = dates.moment_short(dt.datetime.fromtimestamp(mtime).astimezone())
            print(f"  {out(p.name):<44} {size / 1024:>8.1f} KB  {when}")
        print(f"Restore one with: micro-journal restore {out(backups[-1][0].name)}")
        return EXIT_OK
    refuse_special_file(path)
    _refuse_special(Path(args.backup).expanduser(), "BACKUP")
    try:
        backup = pt.find_backup(path, args.backup)
        result = wait_for_lock(lambda: pt.restore(path, backup), args.wait)
    except pt.PortabilityError as err:
        raise _bad(err) from None
    except (JournalError, OSError) as err:
        raise _journal_error(err) from None
    print(f"Restored {out(result.restored)} to {out(path)}.")
    if result.kept_as is not None:
        print(f"The journal as it was is kept as {out(result.kept_as)}.")
    if result.unreadable:
        print(f"{len(result.unreadable)} record(s) in it cannot be read by this micro-journal "
              f"(first: {out(result.unreadable[0])}); they are kept as they are and left out "
              "of the screens; `micro-journal verify` lists them.", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- verify, summary, stats


@_bulk_work
def cmd_verify(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt

    path = _db_path(args).expanduser().absolute()
    refuse_special_file(path)  # a folder, a device or a FIFO: never read
    report = pt.verify_path(path)
    print(out(report.render()))
    return EXIT_OK if report.sound else EXIT_JOURNAL


def cmd_summary(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt

    day = _date(args.week, "--week")
    if day is not None:
        check_day(day, "--week")
    journal, repo, clock = open_for(args, config, write=False)
    with journal:
        today = clock.today()
        text = pt.week_summary(repo, day or today, today=today,
                               first_weekday=config.first_weekday,
                               day_start_hour=config.day_start_hour)
    _write_document(text, "markdown")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, config: Config) -> int:
    from ..services import portability as pt

    journal, repo, clock = open_for(args, config, write=False)
    with journal:
        stats = pt.journal_stats(repo, today=clock.today(), first_weekday=config.first_weekday)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(out(pt.render_stats(stats)))
    return EXIT_OK


# ---------------------------------------------------------------- parsers


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="export the journal as json, markdown, csv or ics",
        description=(
            "Export the journal. json: everything, lossless, with its schema version (import "
            "it back with `import`). markdown: a readable document, week by week. csv: the "
            "check-ins (a CSV file written with --output starts with a UTF-8 byte-order mark "
            "for spreadsheets). ics: the plan's daily practice and micro-goal deadlines as "
            "calendar events."
        ),
    )
    p.add_argument("--format", "-f", default="json", metavar="FORMAT",
                   help="json (default), markdown, csv or ics")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write to FILE (atomically) instead of standard output")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help="only dated records on or after this day")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                   help="only dated records on or before this day")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "import", help="import a micro-journal JSON export or a jrnl JSON export",
        description=(
            "Import records into the journal, saved in batches of a thousand records, each "
            "one atomic save. Our JSON is matched by id, so importing the same file twice "
            "adds nothing (and after an import stopped part-way, importing it again adds "
            "the rest). jrnl: make the file with `jrnl --export json > FILE`. A malformed "
            "file writes nothing."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", "-f", metavar="FORMAT",
                   help="json or jrnl (default: recognised from the file)")
    p.add_argument("--dry-run", action="store_true",
                   help="report what would be added, updated and skipped; write nothing")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("backup", help="back the journal up now and print the backup's path")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser(
        "restore", help="list the backups, or put one back in place of the journal",
        description=(
            "Without BACKUP, list the backups. With one (a file name from the list, its date "
            "label, or a path), put it in place of the journal; the current journal is kept "
            "as a backup first. The journal must not be open in the app."
        ),
    )
    p.add_argument("backup", nargs="?", metavar="BACKUP")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser(
        "verify", help="check the journal: it parses, its schema, every reference resolves",
        description="Exit status 0 when the journal is sound, 1 when not (saying what).",
    )
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("summary", help="this week (or --week DATE's) in Markdown, for sharing")
    p.add_argument("--week", metavar="YYYY-MM-DD", help="any day of the week (default: today)")
    p.set_defaults(handler=cmd_summary)

    p = sub.add_parser("stats", help="counts, streaks and minutes")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=cmd_stats)
