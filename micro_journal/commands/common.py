"""What every plain command shares: exit codes, CliError, opening the journal for a
command (waiting for a lock, naming a missing journal), and writing user text to the
terminal.

The command line (``micro_journal.cli``) and each command module (``commands/*``) import
from here; a command never imports ``cli``, which sits above the commands (the layers
in pyproject.toml, ``[tool.importlinter]``).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, TypeVar

from ..config import default_db_path

if TYPE_CHECKING:
    import argparse

    from ..config import Config
    from ..domain.clock import Clock
    from ..store import JournalLocked

EXIT_OK, EXIT_JOURNAL, EXIT_USAGE = 0, 1, 2
# how long a write waits for a journal another micro-journal holds, unless --wait says
DEFAULT_WAIT = 5.0
LOCK_POLL = 0.05  # seconds between two tries for the lock while waiting

T = TypeVar("T")


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# The days a command takes (today, --date, --deadline, --week): the weeks, months and
# plans computed around a day must stay inside the calendar Python knows (years 1 to
# 9999), so the years at its edges are refused as bad input instead of crashing.
FIRST_DAY, LAST_DAY = dt.date(1000, 1, 1), dt.date(8999, 12, 31)


def check_day(day: dt.date, what: str) -> dt.date:
    """``day``, or a CliError (bad input) when it is outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CliError(f"{what}: {day.isoformat()} is not a day micro-journal can use; "
                       f"give a day from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
    return day


def out(text: object) -> str:
    """User text (titles, notes, actions, paths) for a command's terminal output:
    newlines and tabs kept, every other control character shown as a placeholder, so
    nothing in a journal ever reaches the terminal as a control code."""
    from ..domain.text import terminal_text

    return terminal_text(str(text))


# the journals a command opened, with how many of their notices were printed: notices
# added later (a fold that failed during a save) are printed when the command ends
_OPENED: list[list] = []


def _print_late_notices() -> None:
    for item in _OPENED:
        journal, told = item
        for notice in journal.notices[told:]:
            print(f"micro-journal: {out_line(notice)}", file=sys.stderr)
        item[1] = len(journal.notices)
    _OPENED.clear()


def out_line(text: object) -> str:
    """A message for one line of standard error: line breaks become spaces."""
    from ..domain.text import visible

    return visible(str(text))


def open_for(args: argparse.Namespace, config: Config, *, write: bool,
             read_only: bool = False):
    """(journal, repository, clock) for a plain command; errors become CliError.
    ``read_only``: change nothing on disk at all (no lock, fold or backup)."""
    clock = _clock(config)
    journal, repo = _open(args, config, clock, write=write, read_only=read_only)
    return journal, repo, clock


def _wait_seconds(text: str | float | None) -> float:
    """``--wait``: seconds, 0 or more (default DEFAULT_WAIT)."""
    if text is None:
        return DEFAULT_WAIT
    try:
        seconds = float(text)
    except (TypeError, ValueError):
        raise CliError(f"--wait: {text!r} is not a number of seconds (e.g. --wait 10, or "
                       "--wait 0 to give up at once)") from None
    if not math.isfinite(seconds) or seconds < 0:
        raise CliError(f"--wait: {text!r} is not a number of seconds 0 or more")
    return seconds


def wait_for_lock(attempt: Callable[[], T], wait: float) -> T:
    """``attempt()``, tried again while another micro-journal holds the journal's lock
    (it raises JournalLocked), for up to ``wait`` seconds; then a CliError naming the lock.

    The store never waits: a journal open in the app is refused at once. Scripts and
    cron jobs would rather wait a moment for the app to be closed (or for another
    script's write to finish) than fail.
    """
    from ..store import JournalLocked

    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return attempt()
        except JournalLocked as err:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CliError(_locked_message(err, wait), EXIT_JOURNAL) from None
            if not told and _is_terminal(sys.stderr):
                print(f"micro-journal: the journal is open in another micro-journal; "
                      f"waiting up to {wait:g} s for it…", file=sys.stderr)
                told = True
            time.sleep(min(LOCK_POLL, left))


def _locked_message(err: JournalLocked, wait: float) -> str:
    held = (f"the journal {err.path} is open in another micro-journal (lock file "
            f"{err.lock_path})")
    if wait > 0:
        return (f"{held}; gave up after waiting {wait:g} s — close the other one, or wait "
                "longer with --wait SECONDS")
    return f"{held} — close the other one and try again, or wait for it with --wait SECONDS"


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _clock(config: Config) -> Clock:
    from ..domain.clock import Clock, ClockError

    try:
        clock = Clock(config.day_start_hour)
    except ClockError as err:
        raise CliError(str(err)) from None
    check_day(clock.today(), "today (MICRO_JOURNAL_TODAY or the system clock)")
    return clock


def _db_path(args: argparse.Namespace | SimpleNamespace) -> Path:
    if args.db is None:
        return default_db_path()
    if not args.db.strip():
        # never fall back to the default journal because a variable expanded to nothing
        raise CliError("--db needs a file name; it was given an empty one")
    return Path(args.db).expanduser()


def _missing_journal(path: Path) -> CliError:
    """The message for a journal file that is not there, mentioning what is beside it."""
    from ..store.backups import newest_good_backup

    corrupt = sorted(path.parent.glob(f"{path.name}.corrupt-*"))
    backup = newest_good_backup(path)  # never point at a torn or empty backup
    if backup is not None:
        return CliError(
            f"there is no journal at {path}, but there are backups of it (the newest good "
            f"one is {backup}); run `micro-journal --db {path}` to restore one",
            EXIT_JOURNAL,
        )
    if corrupt:
        return CliError(
            f"there is no journal at {path}: an unreadable one was set aside as {corrupt[-1]} "
            "and no backup was found; run `micro-journal` to start a new one",
            EXIT_JOURNAL,
        )
    return CliError(
        f"there is no journal at {path} yet; run `micro-journal` to start one, or "
        "`micro-journal demo PATH` for an example",
        EXIT_JOURNAL,
    )


def refuse_special_file(path: Path) -> None:
    """CliError (journal problem) at once for a journal path that is a folder, a
    device or a FIFO: reading one never ends, or never starts."""
    from ..store import JournalError
    from ..store.storage import check_journal_file

    try:
        check_journal_file(path)
    except JournalError as err:
        raise CliError(str(err), EXIT_JOURNAL) from None


def _open(args: argparse.Namespace, config: Config, clock: Clock, *, write: bool,
          read_only: bool = False):
    from ..store import JournalError, Repository, open_journal

    path = _db_path(args)
    refuse_special_file(path)
    if not path.exists():
        raise _missing_journal(path)

    def attempt():
        return open_journal(
            path, today=clock.today, on_locked="refuse" if write else "read-only",
            backups_keep=config.backup_keep, fold=False, read_only=read_only,
            first_weekday=config.first_weekday,
        )

    try:
        journal = wait_for_lock(attempt, _args_wait(args)) if write else attempt()
    except JournalError as err:
        raise CliError(str(err), EXIT_JOURNAL) from None
    for notice in journal.notices:
        print(f"micro-journal: {out_line(notice)}", file=sys.stderr)
    _OPENED.append([journal, len(journal.notices)])
    return journal, Repository(journal)


def _args_wait(args: argparse.Namespace | SimpleNamespace) -> float:
    wait = getattr(args, "wait", None)
    return wait if isinstance(wait, float) else _wait_seconds(wait)
