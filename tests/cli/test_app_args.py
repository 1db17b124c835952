"""A plain start of the app is read without building every subcommand's parser; what
that quick reading gives must be exactly what the full parser gives."""

from __future__ import annotations

import pytest

from micro_journal.cli import app_args, build_parser


@pytest.mark.parametrize("argv", [
    [], ["--demo"], ["--db", "x.json"], ["--db=x.json"], ["--db", "a b.json", "--demo"],
    ["--demo", "--db", "x.json"], ["--db", "x.json", "--db", "y.json"],
])
def test_a_plain_start_reads_as_the_full_parser_would(argv):
    quick = app_args(argv)
    full = build_parser().parse_args(argv)
    assert quick is not None
    assert (quick.command, quick.db, quick.demo) == (full.command, full.db, full.demo)


@pytest.mark.parametrize("argv", [
    ["today"], ["--db"], ["--db", "-x"], ["--help"], ["--version"], ["checkin", "--db", "x"],
    ["--dbx"],
])
def test_anything_else_is_left_to_the_full_parser(argv):
    assert app_args(argv) is None
