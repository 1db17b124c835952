"""The command line as a user (or a cron job) meets it: the real program in a subprocess."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from micro_journal import __version__
from micro_journal.cli import build_parser
from tests.cli.cli_helpers import (
    EYE,
    OUTLINE,
    SMILE,
    TODAY,
    UM,
    Sandbox,
    assert_one_line_error,
    console_script,
    files_under,
)

# --- --version, --help, the console script --------------------------------------------


def test_version(sandbox: Sandbox) -> None:
    result = sandbox.run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"micro-journal {__version__}"


def test_help_lists_the_commands_and_options(sandbox: Sandbox) -> None:
    result = sandbox.run("--help")
    assert result.returncode == 0, result.stderr
    for word in ("today", "checkin", "demo", "--db", "--demo", "--version", "MICRO_JOURNAL_DB"):
        assert word in result.stdout


def test_checkin_help_lists_its_options(sandbox: Sandbox) -> None:
    result = sandbox.run("checkin", "--help")
    assert result.returncode == 0
    for word in ("SKILL", "--skip", "--minutes", "--value", "--note", "--date"):
        assert word in result.stdout


def test_console_script_is_installed() -> None:
    script = console_script()
    if script is None:
        pytest.skip("the micro-journal script is not installed beside this interpreter")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"micro-journal {__version__}"


def test_unknown_command_is_a_usage_error(sandbox: Sandbox) -> None:
    result = sandbox.run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- the app without a terminal --------------------------------------------------------


def test_app_without_a_tty_points_at_the_plain_commands(sandbox: Sandbox, journal: Path) -> None:
    before = journal.read_bytes()
    listing = files_under(sandbox.root)
    # stdin from /dev/null, stdout and stderr to pipes: no TTY anywhere
    result = sandbox.run(db=journal)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "terminal" in result.stderr
    assert "micro-journal today" in result.stderr
    assert "micro-journal checkin" in result.stderr
    assert result.stdout == ""
    assert journal.read_bytes() == before
    assert files_under(sandbox.root) == listing


def test_app_via_console_script_without_a_tty(sandbox: Sandbox, journal: Path) -> None:
    script = console_script()
    if script is None:
        pytest.skip("the micro-journal script is not installed beside this interpreter")
    result = subprocess.run(
        [str(script), "--db", str(journal)], stdin=subprocess.DEVNULL, capture_output=True,
        text=True, env=sandbox.env, timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "micro-journal today" in result.stderr


def test_app_without_a_tty_does_not_create_the_default_journal(sandbox: Sandbox) -> None:
    result = sandbox.run()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert not sandbox.default_journal.exists()
    assert list((sandbox.root / "data").iterdir()) == []


# --- --demo ----------------------------------------------------------------------------


def test_parser_accepts_demo_flag() -> None:
    args = build_parser().parse_args(["--demo"])
    assert args.demo is True
    assert args.command is None
    assert build_parser().parse_args([]).demo is False


def test_demo_flag_without_a_tty_writes_nothing(sandbox: Sandbox) -> None:
    result = sandbox.run("--demo")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert list((sandbox.root / "tmp").iterdir()) == []
    assert list((sandbox.root / "data").iterdir()) == []


def test_demo_flag_cannot_be_combined_with_a_command(sandbox: Sandbox, journal: Path) -> None:
    # `--demo checkin` must not quietly check in to the real journal
    env = dict(sandbox.env, MICRO_JOURNAL_DB=str(journal))
    before = journal.read_bytes()
    result = sandbox.run("--demo", "checkin", env=env)
    assert_one_line_error(result, 2)
    assert journal.read_bytes() == before


ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_demo_flag_opens_a_temporary_journal_never_the_default(sandbox: Sandbox) -> None:
    """Run the real app on a pseudo-terminal with --demo, wait for the Today screen, quit."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(sandbox.env, TERM="xterm-256color", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "micro_journal", "--demo"],
        stdin=slave, stdout=slave, stderr=slave, env=env, cwd=sandbox.root,
        start_new_session=True,
    )
    os.close(slave)
    screen = b""

    def pump(seconds: float, until: str | None = None) -> bool:
        nonlocal screen
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    return False
                if not chunk:
                    return False
                screen += chunk
                if until and until in ANSI.sub("", screen.decode("utf-8", "replace")):
                    return True
            elif proc.poll() is not None:
                return False
        return False

    try:
        shown = pump(30, until="confident smile")
        text = ANSI.sub("", screen.decode("utf-8", "replace"))
        assert shown, f"the Today screen never appeared; the terminal showed:\n{text[-2000:]}"
        # the demo journal is in a temporary folder while the app runs …
        demo_journals = list((sandbox.root / "tmp").glob("*/journal.json"))
        assert len(demo_journals) == 1
        titles = {s["title"] for s in json.loads(demo_journals[0].read_text())["skills"].values()}
        assert SMILE in titles
        pump(30, until="Quit")  # the footer: the whole first frame is drawn
        os.write(master, b"q")
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pump(0.1)
            raise
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    assert "Traceback" not in text
    assert not sandbox.default_journal.exists()
    assert list((sandbox.root / "data").iterdir()) == []
    # … and removed with its folder when the app quits
    assert list((sandbox.root / "tmp").iterdir()) == []


# --- demo PATH -------------------------------------------------------------------------


def test_demo_writes_a_journal(sandbox: Sandbox) -> None:
    target = sandbox.root / "new" / "demo.json"
    result = sandbox.run("demo", str(target))
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stdout
    data = json.loads(target.read_text(encoding="utf-8"))
    titles = {s["title"] for s in data["skills"].values()}
    assert {SMILE, EYE, UM, OUTLINE} <= titles
    assert {o["title"] for o in data["objectives"].values()} >= {"Public speaking"}
    assert data["checkins"] and data["entries"] and data["goals"] and data["reviews"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600


def test_demo_refuses_to_overwrite_an_existing_file(sandbox: Sandbox, journal: Path) -> None:
    before = journal.read_bytes()
    result = sandbox.run("demo", str(journal))
    assert_one_line_error(result, 2)
    assert str(journal) in result.stderr
    assert journal.read_bytes() == before


def test_demo_refuses_to_overwrite_an_unrelated_file(sandbox: Sandbox) -> None:
    target = sandbox.root / "notes.txt"
    target.write_bytes(b"my precious notes\n")
    result = sandbox.run("demo", str(target))
    assert_one_line_error(result, 2)
    assert target.read_bytes() == b"my precious notes\n"


def test_demo_refuses_an_empty_existing_file(sandbox: Sandbox) -> None:
    target = sandbox.root / "empty.json"
    target.write_bytes(b"")
    result = sandbox.run("demo", str(target))
    assert_one_line_error(result, 2)
    assert target.read_bytes() == b""


# --- today -----------------------------------------------------------------------------


def test_today_text(sandbox: Sandbox, journal: Path) -> None:
    result = sandbox.run("today", db=journal)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Wednesday 18 November 2026" in out
    assert "week 3 of 4" in out
    focus_line = next(line for line in out.splitlines() if "focus" in line)
    assert SMILE in focus_line
    assert EYE in out and UM in out
    assert result.stderr == ""


def test_today_json_shape(today_json) -> None:
    data = today_json()
    assert data["date"] == TODAY
    assert data["plan_week"] == "week 3 of 4"
    focus = data["focus"]
    assert {"id", "title", "done"} <= focus.keys()
    assert focus["title"] == SMILE
    assert focus["done"] is False
    assert isinstance(data["stacked"], list)
    for item in data["stacked"]:
        assert {"id", "title", "done"} <= item.keys()
        assert isinstance(item["done"], bool)
    stacked_titles = [s["title"] for s in data["stacked"]]
    # the first two skills of the plan stay active under the week-3 focus
    assert EYE in stacked_titles
    assert UM in stacked_titles
    assert SMILE not in stacked_titles


def test_today_does_not_change_the_journal(sandbox: Sandbox, journal: Path) -> None:
    before = journal.read_bytes()
    assert sandbox.run("today", db=journal).returncode == 0
    assert sandbox.run("today", "--json", db=journal).returncode == 0
    assert journal.read_bytes() == before


def test_journal_from_environment_variable(sandbox: Sandbox, journal: Path) -> None:
    env = dict(sandbox.env, MICRO_JOURNAL_DB=str(journal))
    result = sandbox.run("today", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["focus"]["title"] == SMILE


def test_db_option_wins_over_the_environment(sandbox: Sandbox, journal: Path) -> None:
    env = dict(sandbox.env, MICRO_JOURNAL_DB=str(sandbox.root / "elsewhere.json"))
    result = sandbox.run("today", "--json", db=journal, env=env)
    assert result.returncode == 0, result.stderr
    assert not (sandbox.root / "elsewhere.json").exists()


def test_empty_db_option_is_refused(sandbox: Sandbox) -> None:
    result = sandbox.run("--db", "", "today")
    assert_one_line_error(result, 2)
    assert not sandbox.default_journal.exists()


def test_bad_pinned_date_is_a_usage_error(sandbox: Sandbox, journal: Path) -> None:
    env = dict(sandbox.env, MICRO_JOURNAL_TODAY="18/11/2026")
    result = sandbox.run("today", db=journal, env=env)
    assert_one_line_error(result, 2)
    assert "MICRO_JOURNAL_TODAY" in result.stderr


# --- a missing or unusable journal -----------------------------------------------------


@pytest.mark.parametrize("command", [["today"], ["today", "--json"], ["checkin"]])
def test_missing_journal(sandbox: Sandbox, command: list[str]) -> None:
    path = sandbox.root / "nowhere" / "journal.json"
    result = sandbox.run(*command, db=path)
    assert_one_line_error(result, 1)
    assert str(path) in result.stderr
    assert "no journal" in result.stderr
    assert not path.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG layout is Linux's")
def test_missing_default_journal_names_the_default_place(sandbox: Sandbox) -> None:
    result = sandbox.run("today")
    assert_one_line_error(result, 1)
    assert str(sandbox.default_journal) in result.stderr
    assert not sandbox.default_journal.exists()


def test_missing_journal_with_backups_mentions_them(sandbox: Sandbox, journal: Path) -> None:
    assert sandbox.run("today", db=journal).returncode == 0  # takes the daily backup
    assert list((journal.parent / "backups").glob("*.json*"))
    journal.unlink()
    result = sandbox.run("checkin", db=journal)
    assert_one_line_error(result, 1)
    assert "backup" in result.stderr
    assert not journal.exists()


def test_a_folder_given_as_the_journal(sandbox: Sandbox) -> None:
    folder = sandbox.root / "afolder"
    folder.mkdir()
    for command in (["today"], ["checkin"]):
        result = sandbox.run(*command, db=folder)
        assert_one_line_error(result, 1)
        assert str(folder) in result.stderr
    assert list(folder.iterdir()) == []


def test_corrupt_journal_is_reported_and_never_overwritten(sandbox: Sandbox) -> None:
    path = sandbox.root / "journal.json"
    garbage = b'{"skills": {"1": {"title": "half a'
    path.write_bytes(garbage)
    result = sandbox.run("checkin", db=path)
    assert_one_line_error(result, 1)
    assert "could not be read" in result.stderr
    kept = list(sandbox.root.glob("journal.json.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == garbage
    assert str(kept[0]) in result.stderr
    # and a second try explains where it went instead of starting afresh
    again = sandbox.run("checkin", db=path)
    assert_one_line_error(again, 1)
    assert kept[0].name in again.stderr
    assert kept[0].read_bytes() == garbage
