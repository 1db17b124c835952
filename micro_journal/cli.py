"""Command line: the TUI by default, and plain subcommands for scripts and cron.

Exit status: 0 ok, 1 the journal could not be used (locked, corrupt, unreadable),
2 bad input (unknown skill, bad date, negative minutes…) — nothing written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from . import __version__
from .commands.common import (  # the commands' shared helpers (cli.X stays importable)
    _OPENED,
    DEFAULT_WAIT,
    EXIT_JOURNAL,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    _clock,
    _db_path,
    _open,
    _print_late_notices,
    _wait_seconds,
    check_day,
    out,
    out_line,
    refuse_special_file,
)
from .config import DB_ENV, Config, default_db_path, load_config

if TYPE_CHECKING:
    import argparse

    from .app import MicroJournalApp
    from .domain.clock import Clock

DEBUG_ENV = "MICRO_JOURNAL_DEBUG"  # set: an unexpected error shows its traceback


# argparse ``dest``s that are file names: their bytes are the file's name, whatever the
# locale (never decoded as text, never refused for not being UTF-8)
PATH_ARGS = frozenset({"db", "output", "file", "path", "backup"})
ARG_LABELS = {"skill": "SKILL", "text": "TEXT", "action": "ACTION", "goal": "ID_OR_TEXT",
              "date_from": "--from", "date_to": "--to"}


def _text_arg(value: str, label: str) -> str:
    """An argument as the UTF-8 text it was typed as.

    Python decodes argv with the locale's encoding and keeps undecodable bytes as lone
    surrogates: under the C locale (without UTF-8 mode) "café" arrives as "caf\udcc3\udca9".
    Those bytes are decoded again as UTF-8; bytes that are not UTF-8 are bad input."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    try:
        raw = os.fsencode(value)
    except UnicodeError:
        raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CliError(f"{label}: the text is not valid UTF-8 (byte 0x{raw[err.start]:02x} "
                       f"at position {err.start}); nothing was written") from None


def _decode_text_args(args: argparse.Namespace | SimpleNamespace) -> None:
    for name, value in vars(args).items():
        if name in PATH_ARGS:
            continue
        label = ARG_LABELS.get(name) or "--" + name.replace("_", "-")
        if isinstance(value, str):
            setattr(args, name, _text_arg(value, label))
        elif isinstance(value, list):
            setattr(args, name, [_text_arg(v, label) if isinstance(v, str) else v
                                 for v in value])


def _safe_streams() -> None:
    """Standard output and error that never fail on text.

    Under the C locale without UTF-8 mode Python writes ASCII and raises on "é": write
    UTF-8 there, as UTF-8 mode would (PEP 540). A lone surrogate (a journal written by
    another program can hold one) is written as its escape ``\udcff`` — in JSON output
    that is the JSON escape of the same string — never a crash."""
    import codecs

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or stream is not getattr(sys, f"__{name}__"):
            continue  # a test's capture, or no stream at all: leave it
        try:
            ascii_only = codecs.lookup(stream.encoding).name == "ascii"
            stream.reconfigure(encoding="utf-8" if ascii_only else stream.encoding,
                               errors="backslashreplace")
        except (AttributeError, LookupError, ValueError, OSError):
            continue


def make_app(
    db_path: Path | str | None = None,
    clock: Clock | None = None,
    config: Config | None = None,
    *,
    demo: bool = False,
) -> MicroJournalApp:
    """The one factory that builds the app, for the CLI and for tests."""
    from .app import MicroJournalApp
    from .domain.clock import Clock

    config = config or load_config()
    clock = clock or Clock(config.day_start_hour)
    return MicroJournalApp(
        db_path=Path(db_path) if db_path else default_db_path(),
        clock=clock,
        config=config,
        demo=demo,
    )


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every command takes, before or after its name.

    On the top-level parser they have their defaults; on each subcommand's parser their
    default is SUPPRESS, so an option given after the command overrides one given before
    it, and one given only before it is kept.
    """
    import argparse

    keep: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    parser.add_argument("--db", metavar="PATH", **keep,
                        help=f"the journal file (default: ${DB_ENV} or the user data folder)")
    parser.add_argument("--wait", metavar="SECONDS", **keep,
                        help="how long a write waits while another micro-journal has the "
                             f"journal open, then gives up naming the lock (default "
                             f"{DEFAULT_WAIT:g}; 0: give up at once)")
    # `--demo` only means something without a command; after one it is still recognised,
    # so that it is refused with the reason instead of "unrecognized arguments"
    parser.add_argument("--demo", action="store_true", **keep,
                        help="open the app on a fresh demo journal in a temporary folder"
                        if top else argparse.SUPPRESS)


@functools.cache
def _parser_class() -> type[argparse.ArgumentParser]:
    """An ArgumentParser whose subcommands (and theirs) take the global options too.

    Made on first use: the app's start (``app_args``) never pays for importing argparse.
    """
    import argparse

    class GlobalSubParsers(argparse._SubParsersAction):
        def add_parser(self, name, **kwargs):
            parser = super().add_parser(name, **kwargs)
            _global_options(parser, top=False)
            return parser

    class Parser(argparse.ArgumentParser):
        def add_subparsers(self, **kwargs):
            kwargs.setdefault("action", GlobalSubParsers)
            return super().add_subparsers(**kwargs)

    return Parser


def build_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(
        prog="micro-journal",
        description=(
            "Get better through micro-skills and micro-goals. Without a command, opens the "
            "terminal app on your journal."
        ),
        epilog=(
            f"The journal is {default_db_path()} unless --db or ${DB_ENV} says otherwise. "
            "--db and --wait go before or after the command. "
            "MICRO_JOURNAL_TODAY=YYYY-MM-DD pins today's date."
        ),
    )
    parser.add_argument("--version", action="version", version=f"micro-journal {__version__}")
    _global_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_today = sub.add_parser("today", help="show today's focus skill, stacked skills and goals due")
    p_today.add_argument("--json", action="store_true", help="print JSON instead of text")

    p_check = sub.add_parser("checkin", help="check in a skill for today (or --date)")
    p_check.add_argument("skill", nargs="?", metavar="SKILL",
                         help="id prefix or part of the title (default: today's focus skill)")
    p_check.add_argument("--skip", action="store_true", help="mark a rest day instead of done")
    p_check.add_argument("--minutes", metavar="N", help="minutes practised")
    p_check.add_argument("--value", metavar="X", help="the metric's value")
    p_check.add_argument("--note", metavar="TEXT", help="a short note")
    p_check.add_argument("--date", metavar="YYYY-MM-DD", help="another day (backfill)")

    p_demo = sub.add_parser("demo", help="write the demo journal to PATH (never overwrites)")
    p_demo.add_argument("path", metavar="PATH")
    for name in COMMAND_MODULES:
        import_module(name).register(sub)
    return parser


# Plain commands that live in their own modules: each has ``register(subparsers)``, which
# adds its parsers with ``set_defaults(handler=fn)``; ``fn(args, config) -> int``.
# The helpers they share (CliError, open_for(args, config, write=...), EXIT_* codes) are
# in commands/common.py: a command never imports this module.
COMMAND_MODULES: tuple[str, ...] = ("micro_journal.commands.portability",
                                    "micro_journal.commands.goals",
                                    "micro_journal.commands.entries",
                                    "micro_journal.commands.sync")


def app_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain start of the app, ``[--db PATH] [--demo]``, read without
    building the whole parser; None for anything else (the parser reads that).

    Building every subcommand's parser (and importing their modules) is ~10 ms that the
    app's start-up would otherwise wait for. The result is what the parser would give.
    """
    db, demo = None, False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo":
            demo = True
        elif arg == "--db" and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db="):
            db = arg.removeprefix("--db=")
        else:
            return None
    return SimpleNamespace(command=None, db=db, demo=demo, wait=None)


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
        _safe_streams()
    argv = list(argv)
    _OPENED.clear()
    args = app_args(argv) or build_parser().parse_args(argv)
    command = getattr(args, "command", None)
    _name_device()
    try:
        _decode_text_args(args)
        if isinstance(args, SimpleNamespace) or args.command is None:
            return run_app(args)  # app_args's namespace, or the parser's without command
        if args.demo:
            # `--demo checkin` would otherwise write to the real journal
            raise CliError(
                f"--demo opens the app on a throw-away journal; it cannot be combined with "
                f"`{args.command}` (use `micro-journal demo PATH` and `--db PATH`)"
            )
        args.wait = _wait_seconds(getattr(args, "wait", None))
        config = load_config()
        for problem in config.problems:
            print(f"micro-journal: {out_line(problem)}", file=sys.stderr)
        handler = getattr(args, "handler", None) or {
            "today": cmd_today, "checkin": cmd_checkin, "demo": cmd_demo,
        }[args.command]
        code = handler(args, config)
        _print_late_notices()
        return code
    except CliError as err:
        _print_late_notices()
        print(f"micro-journal: {out_line(err)}", file=sys.stderr)
        return err.code
    except BrokenPipeError:
        # `micro-journal goal list | head`: the reader left; that is not an error.
        # (Writes are saved before anything is printed, so nothing is lost here.)
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:
        # The store reports the problems it expects in plain words; anything else the
        # system says (a folder given as the journal, a full or read-only disk…) is still
        # one line naming the file, never a traceback.
        where = f" ({err.filename})" if err.filename else ""
        print(f"micro-journal: {out_line(err.strerror or err)}{out_line(where)}",
              file=sys.stderr)
        return EXIT_JOURNAL
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # never a traceback from a command
        # Something the journal holds that this command could not handle (a value
        # edited by hand, a date at the end of the calendar…). One line, naming the
        # kind of problem only: an exception's text can quote the journal's text.
        if os.environ.get(DEBUG_ENV):
            raise
        name = f"`{command}`" if command else "the app"
        print(f"micro-journal: {name} stopped on something it could not handle "
              f"({type(err).__name__}); nothing more was changed. `micro-journal verify` "
              f"checks the journal; set {DEBUG_ENV}=1 to see where it stopped",
              file=sys.stderr)
        return EXIT_JOURNAL


def _name_device() -> None:
    """This computer's name for its change log (journal.json.<device>.changes): a
    synced folder then never holds two devices' waiting saves under one name."""
    from .config import config_dir
    from .store import changes
    from .store.sync import device_id

    changes.use_device(lambda create: device_id(config_dir(), create=create))


def cmd_today(args: argparse.Namespace, config: Config) -> int:
    from .services.today import build_today

    clock = _clock(config)
    journal, repo = _open(args, config, clock, write=False)
    with journal:
        view = build_today(repo, clock.today(), config.first_weekday)
    if args.json:
        print(json.dumps(view.to_json(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(render_today_text(view))
    return EXIT_OK


MARK = {"done": "[x]", "skipped": "[-]", "open": "[ ]"}


def render_today_text(view) -> str:
    from .domain import dates

    lines = [dates.day_long(view.date)]
    if not view.groups:
        lines.append("No active micro-skill. Run `micro-journal` to create one.")
    for group in view.groups:
        title = group.objective.title if group.objective else "(no objective)"
        where = f" — {group.position.label()}" if group.position else ""
        lines.append("")
        lines.append(f"{out(title)}{where}")
        if group.focus:
            f = group.focus
            lines.append(
                f"  focus   {MARK[f.state]} {out(f.skill.title)}  ({f.week.label()} this week, "
                f"streak {f.streaks.current})"
            )
        for s in group.stacked:
            lines.append(f"  stacked {MARK[s.state]} {out(s.skill.title)}  "
                         f"({s.week.label()} this week)")
    if view.goals:
        lines.append("")
        lines.append("Micro-goals due")
        for g in view.goals:
            when = dates.late_phrase(g.days_late if g.overdue else 0)
            lines.append(f"  [ ] {out(g.goal.action)}  ({when})")
    return "\n".join(lines)


def cmd_checkin(args: argparse.Namespace, config: Config) -> int:
    from .domain.models import ValidationError, parse_local_date
    from .services.today import build_today, find_skill, validate_checkin_fields
    from .store import JournalError

    clock = _clock(config)
    try:
        day = parse_local_date(args.date, "date") if args.date else clock.today()
        minutes, value = validate_checkin_fields(args.minutes, args.value)
    except ValidationError as err:
        raise CliError(err.message) from None
    check_day(day, "--date")
    if args.skill is not None and not args.skill.strip():
        # an empty "$SKILL" in a script must not check in the focus skill instead
        raise CliError("SKILL is empty; name a skill (the start of its id or part of its "
                       "title), or leave SKILL out to check in today's focus skill")
    if day > clock.today():
        raise CliError(f"{day.isoformat()} is in the future; you can only check in up to today")
    journal, repo = _open(args, config, clock, write=True)
    with journal:
        try:
            if args.skill is not None:
                skill = find_skill(repo, args.skill)
            else:
                focus = build_today(repo, day, config.first_weekday).focus
                if focus is None:
                    raise CliError(f"no skill is in focus on {day.isoformat()}; name one")
                skill = focus.skill
        except ValidationError as err:
            raise CliError(err.message) from None
        status = "skipped" if args.skip else "done"
        try:
            repo.set_checkin(skill.id, day, status, minutes=minutes, value=value, note=args.note)
        except JournalError as err:
            raise CliError(str(err), EXIT_JOURNAL) from None
    extra = []
    if minutes is not None:
        extra.append(f"{minutes} min")
    if value is not None:
        extra.append(f"{out(skill.metric.name or 'value')} {value:g}")
    tail = f" ({', '.join(extra)})" if extra else ""
    print(f"{status}: {out(skill.title)} on {day.isoformat()}{tail}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, config: Config) -> int:
    path = Path(args.path).expanduser()
    if path.exists():
        raise CliError(f"{path} already exists; the demo never overwrites a file — choose "
                       "another path")
    clock = _clock(config)
    count = write_demo_journal(path, clock.today(), config)
    print(f"Wrote the demo journal ({count} records) to {out(path)}")
    print(f"Open it with: micro-journal --db {out(path)}")
    return EXIT_OK


def write_demo_journal(path: Path, today: dt.date, config: Config) -> int:
    from .services.demo import write_demo
    from .store import JournalError, Repository, open_journal

    try:
        journal = open_journal(path, today=lambda: today, on_locked="refuse")
    except JournalError as err:
        raise CliError(str(err), EXIT_JOURNAL) from None
    with journal:
        if journal.storage.read():
            raise CliError(f"{path} is not empty; the demo never overwrites a journal")
        try:
            return write_demo(Repository(journal), today, config.first_weekday)
        except JournalError as err:
            raise CliError(str(err), EXIT_JOURNAL) from None


def run_app(args: argparse.Namespace | SimpleNamespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "micro-journal: the app needs a terminal (standard input and output must be a TTY).\n"
            "For scripts and cron use the plain commands, for example:\n"
            "  micro-journal today [--json]\n"
            "  micro-journal checkin [SKILL] [--skip] [--minutes N] [--value X] [--note TEXT]\n"
            "  micro-journal write \"TEXT\" [--date YYYY-MM-DD] [--skill SKILL]\n"
            "See `micro-journal --help`.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    config = load_config()
    clock = _clock(config)
    db_path = _db_path(args)
    if not args.demo:
        refuse_special_file(db_path)  # a FIFO would hang the start, a device fill memory
    if args.demo:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="micro-journal-demo-"))
        db_path = folder / "journal.json"
        write_demo_journal(db_path, clock.today(), config)
    app = make_app(db_path, clock, config, demo=args.demo)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
