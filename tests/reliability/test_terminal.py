"""12, 13, 14, 9 and 8: the real app in a real pseudo-terminal.

12 an exception raised mid-typing: the text is on disk, the crash report shows no
   journal text (Textual's own report prints local variables);
13 SIGTERM, SIGHUP and a closed terminal while editing: the text is saved and the
   terminal is restored (alternate screen left, cursor shown);
14 no TTY: a clear message, no traceback;
 9 a lock left by a kill -9'd app does not block the next start;
 8 two apps at once, and an app with a CLI check-in: no write lost, the loser is
   read-only or refused with a message naming the lock.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from tests.cli.cli_helpers import console_script

from .conftest import bodies, draft_bodies, read_json
from .ptyapp import ALT_SCREEN_OFF, ALT_SCREEN_ON, CURSOR_SHOW, PtyApp

F12 = "\x1b[24~"
ESC = "\x1b"


def start(apps, box, demo, **env) -> PtyApp:
    app = PtyApp(["--db", str(demo)], {**box.env, **env}, box.root)
    apps.append(app)
    app.wait_for("Today")
    return app


def open_editor(app: PtyApp) -> None:
    mark = len(app.raw())
    app.press("2")
    app.wait_for("Edit today", since=mark)  # the Journal's footer: the screen is up
    mark = len(app.raw())
    app.press("e")
    app.wait_for("Skills:", since=mark)  # the editor is drawn, its text area focused


def wait_until(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("the condition never held")


def after_leaving(raw: bytes) -> bytes:
    """What the app printed once it had left the alternate screen (the crash report)."""
    assert ALT_SCREEN_OFF in raw, "the alternate screen was never left"
    return raw[raw.rindex(ALT_SCREEN_OFF):]


def assert_terminal_restored(raw: bytes) -> None:
    tail = after_leaving(raw)
    assert ALT_SCREEN_ON not in tail
    assert CURSOR_SHOW in tail


# ---------------------------------------------------------------------- 12


def test_a_crash_mid_typing_keeps_the_text_and_prints_none_of_it(apps, box, demo, figures):
    app = start(apps, box, demo, MICRO_JOURNAL_TEST_CRASH="1")
    open_editor(app)
    app.type("alpha private words")
    wait_until(lambda: bodies(demo) == ["alpha private words"])  # the 1 s autosave
    app.type(" bravo private tail")
    # the draft autosave (0.3 s) has run; the journal one (1 s) not yet
    wait_until(lambda: draft_bodies(demo) == ["alpha private words bravo private tail"])
    assert draft_bodies(demo) == ["alpha private words bravo private tail"]
    app.press(F12)  # the test hook raises RuntimeError with the text in a local
    assert app.exit_code() == 1
    on_disk = bodies(demo) + draft_bodies(demo)
    assert "alpha private words bravo private tail" in on_disk
    report = after_leaving(app.raw()).decode("utf-8", "replace")
    assert "RuntimeError" in report and "test crash" in report  # the report is there …
    assert "private" not in report  # … without a word of the journal
    assert "locals" not in report  # no panel of local variables at all
    assert_terminal_restored(app.raw())
    figures.add("crash: exception raised mid-typing under a pty: text on disk, "
                "0 journal words in the crash report, terminal restored")


# ---------------------------------------------------------------------- 13


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_while_editing_saves_and_restores_the_terminal(apps, box, demo, sig):
    app = start(apps, box, demo)
    open_editor(app)
    app.type("typed just before the signal")
    app.wait_for("typed just before the signal")  # the app has it, before any autosave
    app.signal(sig)
    assert app.exit_code() == 128 + sig
    assert bodies(demo) == ["typed just before the signal"]
    assert draft_bodies(demo) == []
    assert_terminal_restored(app.raw())


def test_closing_the_terminal_window_saves_the_text(apps, box, demo, figures):
    app = start(apps, box, demo)
    open_editor(app)
    app.type("the window was closed")
    app.wait_for("the window was closed")  # the app has it
    app.hang_up()  # the kernel sends SIGHUP; the terminal is gone
    app.wait(timeout=20)
    assert "the window was closed" in bodies(demo) + draft_bodies(demo)
    figures.add("signals: SIGTERM, SIGHUP and a closed pty while editing: text saved "
                "every time, alternate screen left and cursor shown")


# ---------------------------------------------------------------------- 14


@pytest.mark.parametrize("how", ["stdin-pipe", "stdout-file", "both"])
def test_without_a_terminal_a_clear_message_and_no_traceback(box, demo, tmp_path, how):
    script = console_script()
    cmd = [str(script)] if script else [sys.executable, "-m", "micro_journal"]
    out = tmp_path / "out.txt"
    before = demo.read_bytes()
    with open(out, "wb") as stdout:
        if how == "stdin-pipe":  # `echo x | micro-journal` in a terminal
            result = subprocess.run(
                [*cmd, "--db", str(demo)], input=b"x\n", capture_output=True,
                env=box.env, cwd=box.root, timeout=30,
            )
            err = result.stderr.decode()
        else:
            result = subprocess.run(
                [*cmd, "--db", str(demo)],
                input=b"x\n" if how == "both" else None,
                stdin=None if how == "both" else subprocess.DEVNULL,
                stdout=stdout, stderr=subprocess.PIPE, env=box.env, cwd=box.root, timeout=30,
            )
            err = result.stderr.decode()
    assert result.returncode == 2
    assert "needs a terminal" in err
    assert "micro-journal today" in err  # says what to use instead
    assert "Traceback" not in err
    assert demo.read_bytes() == before


# ---------------------------------------------------------------------- 9


def test_a_lock_left_by_a_killed_app_does_not_block_the_next_start(apps, box, demo, figures):
    app = start(apps, box, demo)
    lock = demo.with_name(demo.name + ".lock")
    assert lock.exists()
    refused = box.run("checkin", "eye contact", db=demo)
    assert refused.returncode == 1 and str(lock) in refused.stderr  # it really holds it
    app.signal(signal.SIGKILL)
    app.wait()
    assert lock.exists()  # the stale lock file is still there …
    result = box.run("checkin", "eye contact", db=demo)
    assert result.returncode == 0, result.stderr  # … and blocks nothing
    again = start(apps, box, demo)
    again.wait_for("Quit")  # the footer: the whole first frame, banner or not, is drawn
    assert "READ-ONLY" not in again.text()
    held = box.run("checkin", "outline", db=demo)
    assert held.returncode == 1  # the new app is the writer: it took the lock
    again.press("q")
    assert again.exit_code() == 0
    figures.add("stale lock: app SIGKILLed while holding the lock; the next CLI check-in "
                "and app start were not blocked")


# ---------------------------------------------------------------------- 8


def test_two_apps_one_writes_the_other_is_read_only_and_loses_nothing(apps, box, demo):
    first = start(apps, box, demo)
    second = start(apps, box, demo)
    second.wait_for("READ-ONLY")
    assert "READ-ONLY" not in first.text()
    open_editor(second)
    second.type("typed in the second window")
    wait_until(lambda: "NOT SAVED" in second.text())  # the 1 s autosave, refused
    assert "NOT SAVED" in second.text()
    open_editor(first)
    first.type("typed in the first window")
    wait_until(lambda: bodies(demo) == ["typed in the first window"])
    # each esc is waited for by its effect: a key pressed right after an esc would be read
    # as alt+key
    mark = len(second.raw())
    second.press(ESC)  # the read-only one refuses once: its text is only a draft
    second.wait_for("anyway", since=mark)  # "… press esc again to leave anyway"
    mark = len(second.raw())
    second.press(ESC)
    second.wait_for("Edit today", since=mark)  # back on the Journal
    second.press("q")
    assert second.exit_code() == 0
    mark = len(first.raw())
    first.press(ESC)  # saved: it leaves at once
    first.wait_for("Edit today", since=mark)
    first.press("q")
    assert first.exit_code() == 0
    assert bodies(demo) == ["typed in the first window"]
    assert draft_bodies(demo) == ["typed in the second window"]  # kept, not lost
    # the next start offers it back; r puts it in the journal
    third = start(apps, box, demo)
    third.wait_for("Unsaved text found")
    third.press("r")
    wait_until(lambda: len(bodies(demo)) == 2)
    third.press("q")
    assert third.exit_code() == 0
    assert bodies(demo) == ["typed in the first window", "typed in the second window"]
    assert draft_bodies(demo) == []


def test_an_app_and_a_cli_checkin_no_write_lost(apps, box, demo):
    app = start(apps, box, demo)
    before = demo.read_bytes()
    result = box.run("checkin", "eye contact", "--note", "from the shell", db=demo)
    assert result.returncode == 1
    assert "open in another micro-journal" in result.stderr
    assert str(demo.with_name(demo.name + ".lock")) in result.stderr
    assert "Traceback" not in result.stderr
    assert demo.read_bytes() == before  # the refused command wrote nothing
    app.press(" ")  # space: the focus skill done, from the app
    wait_until(lambda: read_json(demo) != json.loads(before))
    app.press("q")
    assert app.exit_code() == 0
    result = box.run("checkin", "eye contact", "--note", "from the shell", db=demo)
    assert result.returncode == 0, result.stderr
    checkins = [c for c in read_json(demo)["checkins"].values() if c["date"] == "2026-11-18"]
    assert len(checkins) == 2
    assert {c.get("note") for c in checkins} >= {"from the shell"}
