"""``micro-journal merge``: two copies of a journal made one, record by record.

* ``merge OTHER.json`` merges a copy (from another device, a backup, a sync tool's
  conflict copy) into the journal (``--db``), under the journal's lock. The copy is
  left as it is.
* ``merge BASE OURS THEIRS`` is a git merge driver: a three-way merge of two versions
  of a journal file with their common ancestor, written into OURS (git's ``%A``).
  OURS is left byte for byte as it was when THEIRS adds nothing. Set it up once per
  repository (README, "One journal on several devices")::

      .gitattributes:   journal.json merge=micro-journal
      git config merge.micro-journal.driver "micro-journal merge %O %A %B"

The rule is the store's (store/sync.py): the union of the records; the same record
changed on both sides keeps the later change (field by field in a three-way merge);
entry text is never dropped (the other version is kept as a conflicting version, shown
in the editor); removals travel as tombstones.

Exit status: 0 merged (or nothing to merge), 1 a file could not be read or written
(nothing changed), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .common import EXIT_JOURNAL, EXIT_OK, EXIT_USAGE, CliError, open_for, out_line

if TYPE_CHECKING:
    from ..config import Config


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "merge", help="merge another copy of the journal into it, record by record "
                      "(or, with three files, act as git's merge driver)",
        description=(
            "merge OTHER.json: add what another copy of the journal holds (a copy from "
            "another device, a sync tool's conflict copy, a backup) to the journal, record "
            "by record; the copy is left as it is. merge BASE OURS THEIRS: a three-way "
            "merge of journal files for git (the result is written into OURS)."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="OTHER.json, or BASE OURS THEIRS (git's %%O %%A %%B)")
    p.set_defaults(handler=cmd_merge)


def cmd_merge(args: argparse.Namespace, config: Config) -> int:
    from ..store import JournalError
    from ..store.journal import merge_files

    files = [Path(f).expanduser() for f in args.files]
    if len(files) == 3:
        base, ours, theirs = files
        try:
            outcome = merge_files(base, ours, theirs)
        except (JournalError, ValueError, OSError) as err:
            raise CliError(f"cannot merge {theirs} into {ours}: {_why(err)}; "
                           f"{ours} is unchanged", EXIT_JOURNAL) from None
        print(f"micro-journal: merged {theirs.name} into {ours.name}: "
              f"{out_line(outcome.summary() or 'nothing new')}", file=sys.stderr)
        return EXIT_OK
    if len(files) != 1:
        raise CliError("merge takes one file (a copy to merge into the journal) or three "
                       "(BASE OURS THEIRS, as git's merge driver)", EXIT_USAGE)
    other = files[0]
    if not other.is_file():
        raise CliError(f"{other} is not a file", EXIT_USAGE)
    journal, _repo, _clock = open_for(args, config, write=True)
    if other.resolve() == journal.path:
        raise CliError(f"{other} is the journal itself; give another copy of it", EXIT_USAGE)
    try:
        outcome = journal.merge_copy(other)
    except (JournalError, ValueError, OSError) as err:
        raise CliError(f"cannot merge {other}: {_why(err)}; the journal is unchanged",
                       EXIT_JOURNAL) from None
    out_text = outcome.summary()
    print(f"Merged {other.name} into {journal.path.name}: "
          f"{out_line(out_text) if out_text else 'nothing new; the journal already had it all'}.")
    return EXIT_OK


def _why(err: BaseException) -> str:
    from ..store.files import describe_os_error

    return describe_os_error(err) if isinstance(err, OSError) else str(err)
