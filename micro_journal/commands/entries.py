"""``micro-journal write`` and ``micro-journal entries``: the journal from the shell.

``write`` is quick capture, as jrnl users know it: the text from the arguments, or from
standard input when there is none (or it is ``-``), saved as a journal entry for today
(or ``--date``), linked to ``--skill`` skills; ``#tags`` in the text are its tags. It
prints where the entry went. ``entries`` lists them, newest first.

Exit status as for every plain command: 0 ok, 1 the journal could not be used (missing,
held by the app longer than ``--wait``, unreadable), 2 bad input (empty text, a bad or
future date, an unknown skill) — nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

from ..domain.text import visible
from .common import EXIT_JOURNAL, EXIT_OK, CliError, check_day, open_for, out

if TYPE_CHECKING:
    from ..config import Config
    from ..domain.models import Entry, MicroSkill


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "write", help="write a journal entry (from the arguments or standard input)",
        description=(
            "Write a journal entry from the shell. The words given are the text; with none, "
            "or '-', the text is read from standard input (end it with Ctrl-D). #tags in the "
            "text are the entry's tags. Prints the entry's date, id and journal file."
        ),
    )
    p.add_argument("text", nargs="*", metavar="TEXT",
                   help="the entry (several words are joined with spaces); none or '-': "
                        "read standard input")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the day it is about (default: today; not a future day)")
    p.add_argument("--skill", action="append", metavar="SKILL",
                   help="link a micro-skill: id prefix or part of the title, as for checkin "
                        "(repeat for more)")
    p.set_defaults(handler=cmd_write)

    p = subparsers.add_parser(
        "entries", help="list journal entries, newest first",
        description="Journal entries (not archived), newest first: date, id, first line, tags.",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only entries on or after this day")
    p.add_argument("--json", action="store_true",
                   help="print JSON (with each entry's whole text) instead of text")
    p.set_defaults(handler=cmd_entries)


# ------------------------------------------------------------------ helpers


def _date(text: str, option: str) -> dt.date:
    from ..domain.models import ValidationError, parse_local_date

    try:
        return parse_local_date(text, option)
    except ValidationError as err:
        raise CliError(f"{option}: {err.message}") from None


def _today(config: Config) -> dt.date:
    from ..domain.clock import Clock, ClockError

    try:
        return Clock(config.day_start_hour).today()
    except ClockError as err:
        raise CliError(str(err)) from None


def printable(text: str) -> str:
    """User text for one line of terminal output: line breaks and tabs become spaces,
    other control characters visible placeholders, so nothing typed into an entry is
    ever sent to the terminal as a code (the journal keeps the text exactly)."""
    return visible(text)


def read_text(words: list[str]) -> str:
    """The entry's text: the words given, or standard input when none (or '-')."""
    if words and words != ["-"]:
        return " ".join(words)
    stdin = sys.stdin
    if stdin is None:
        raise CliError("no text given and there is no standard input; write the text as "
                       "an argument: micro-journal write \"TEXT\"")
    if stdin.isatty():
        print("Write the entry; end it with Ctrl-D on a line of its own (Ctrl-C: cancel).",
              file=sys.stderr)
    raw = getattr(stdin, "buffer", None)
    if raw is None:  # a text stream without bytes underneath
        return stdin.read()
    data = raw.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CliError(f"standard input is not UTF-8 text (byte {err.start}); nothing was "
                       "written") from None


def clean_body(text: str) -> str:
    """The text as typed, less blank lines before it and white space after it (the
    newline `echo` adds); everything else is kept exactly."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def _skill_titles(skills: list[MicroSkill]) -> str:
    return ", ".join(repr(printable(s.title)) for s in skills)


# ------------------------------------------------------------------ write


def cmd_write(args: argparse.Namespace, config: Config) -> int:
    from ..domain.journal import entry_tags
    from ..domain.models import ValidationError
    from ..services.journal import write_entry
    from ..services.today import find_skill
    from ..store import JournalError

    # everything that can be checked is checked before the journal is opened
    today = _today(config)
    day = _date(args.date, "--date") if args.date is not None else today
    check_day(day, "--date")
    if day > today:
        raise CliError(f"--date: {day.isoformat()} is in the future; an entry can be "
                       f"written for today ({today.isoformat()}) or an earlier day")
    queries = args.skill or []
    if any(not q.strip() for q in queries):
        raise CliError("--skill needs a skill: an id prefix or part of its title")
    body = clean_body(read_text(args.text))
    if not body.strip():
        raise CliError("the entry is empty; nothing was written (give the text as an "
                       "argument, or on standard input)")
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        raise CliError("the text is not valid UTF-8; nothing was written") from None
    journal, repo, _clock = open_for(args, config, write=True)
    with journal:
        try:
            skills: list[MicroSkill] = []
            for query in queries:
                skill = find_skill(repo, query)
                if skill not in skills:
                    skills.append(skill)
        except ValidationError as err:
            raise CliError(f"--skill: {err.message}; nothing was written") from None
        try:
            entry = write_entry(repo, day, body, [s.id for s in skills])
        except JournalError as err:
            raise CliError(str(err), EXIT_JOURNAL) from None
        path = journal.path
    extra = []
    if skills:
        extra.append(("skill " if len(skills) == 1 else "skills ") + _skill_titles(skills))
    tags = entry_tags(entry)
    if tags:
        extra.append("tags " + " ".join(f"#{printable(t)}" for t in tags))
    tail = f" ({'; '.join(extra)})" if extra else ""
    print(f"wrote entry {printable(entry.id[:8])} on {printable(entry.date)} to "
          f"{out(path)}{tail}")
    return EXIT_OK


# ------------------------------------------------------------------ entries


def entry_json(entry: Entry, skills: dict[str, MicroSkill]) -> dict:
    from ..domain.journal import entry_tags, entry_title

    return {
        "id": entry.id,
        "date": entry.date,
        "title": entry_title(entry, width=10_000),
        "tags": entry_tags(entry),
        "skills": [
            {"id": i, "title": skills[i].title if i in skills else None}
            for i in entry.skill_ids
        ],
        "mood": entry.mood,
        "energy": entry.energy,
        "body": entry.body,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def cmd_entries(args: argparse.Namespace, config: Config) -> int:
    from ..domain.journal import entry_tags, entry_title
    from ..services.journal import list_entries

    since = _date(args.since, "--since") if args.since is not None else None
    journal, repo, _clock = open_for(args, config, write=False)
    with journal:
        entries = list_entries(repo, since)
        skills = {s.id: s for s in repo.skills()}
    if args.json:
        print(json.dumps({
            "since": since.isoformat() if since else None,
            "count": len(entries),
            "entries": [entry_json(e, skills) for e in entries],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        when = f" since {since.isoformat()}" if since else ""
        print(f'No journal entries{when}. Write one: micro-journal write "TEXT"')
        return EXIT_OK
    for entry in entries:
        tags = " ".join(f"#{printable(t)}" for t in entry_tags(entry))
        line = (f"{printable(entry.date)}  {printable(entry.id[:8])}  "
                f"{printable(entry_title(entry))}")
        print(f"{line}  {tags}" if tags else line)
    return EXIT_OK
