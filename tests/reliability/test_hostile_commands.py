"""Issue 16, the plain commands and the opening of files: hostile text, hostile dates,
hostile paths — never a control code on the terminal, never a traceback, never journal
text in an error, the exit codes the README promises, and no write where none is due.

Every test drives the real command in a subprocess (``python -m micro_journal``) with a
timeout, so that a hang fails instead of blocking the suite.
"""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.cli_helpers import TODAY

from .conftest import read_json

ESC_TITLE = "\x1b]0;pwned\x07Title \x1b[31mred\x1b[0m"
ESC = "\x1b"
RUN_TIMEOUT = 30


def run(box, *args, env=None, stdin=subprocess.DEVNULL, timeout=RUN_TIMEOUT, text=True):
    cmd = [sys.executable, "-m", "micro_journal", *args]
    return subprocess.run(cmd, stdin=stdin, capture_output=True, text=text,
                          env=env or box.env, cwd=box.root, timeout=timeout)


def one_line_error(result, code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("micro-journal: "), result.stderr
    return lines[0]


def on_disk(path: Path) -> dict[str, bytes | None]:
    """Every file of the journal's folder, byte for byte (backups included)."""
    out: dict[str, bytes | None] = {}
    for p in sorted(path.parent.rglob("*")):
        out[str(p.relative_to(path.parent))] = p.read_bytes() if p.is_file() else None
    return out


def edit_journal(path: Path, change) -> None:
    """Change journal.json as a hand edit would (no change log waiting)."""
    data = json.loads(path.read_bytes())
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def hostile_demo(demo: Path) -> Path:
    """The demo journal with ESC sequences in the objective and skill titles."""
    def change(data):
        for table in ("objectives", "skills"):
            for doc in data[table].values():
                doc["title"] = ESC_TITLE + " " + doc["title"]
    edit_journal(demo, change)
    return demo


def run_on_pty(box, *args, timeout=RUN_TIMEOUT) -> tuple[int, bytes]:
    """The command with its standard output (and error) on a pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "micro_journal", *args],
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                            env=box.env, cwd=box.root)
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return code, bytes(out)


# ------------------------------------------------------------- 1. output is data


def test_listings_and_confirmations_never_print_control_codes(box, demo):
    hostile_demo(demo)
    db = ["--db", str(demo)]
    outputs = []
    added = run(box, *db, "goal", "add", ESC_TITLE + " call", "--deadline", "today",
                "--objective", "Public")
    assert added.returncode == 0, added.stderr
    outputs.append(added)
    for args in (["today"], ["goal", "list"], ["goal", "list", "--all"],
                 ["checkin", "smile", "--note", ESC_TITLE],
                 ["write", ESC_TITLE + " #tag", "--skill", "smile"],
                 ["entries"], ["goal", "done", "call"], ["stats"], ["backup"],
                 ["restore"]):
        result = run(box, *db, *args)
        assert result.returncode == 0, (args, result.stderr)
        outputs.append(result)
    for result in outputs:
        assert ESC not in result.stdout, (result.args, result.stdout)
        assert "\x07" not in result.stdout, (result.args, result.stdout)
        assert ESC not in result.stderr, (result.args, result.stderr)
    # the journal keeps the text exactly, and JSON output keeps it exactly
    assert any(ESC_TITLE in g["action"] for g in read_json(demo)["goals"].values())
    listed = run(box, *db, "goal", "list", "--all", "--json")
    assert any(ESC_TITLE in g["action"] for g in json.loads(listed.stdout)["goals"])


def test_a_journal_path_with_control_codes_is_printed_as_text(box, demo):
    odd = demo.with_name("j\x1b[31m.json")
    demo.rename(odd)
    for args in (["write", "hello"], ["backup"], ["restore"], ["export", "-f", "markdown",
                                                                "-o", str(box.root / "x.md")]):
        result = run(box, "--db", str(odd), *args)
        assert result.returncode == 0, (args, result.stderr)
        assert ESC not in result.stdout and ESC not in result.stderr, (args, result.stdout)


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_text_exports_are_exact_when_piped_and_safe_on_a_terminal(box, demo, fmt):
    hostile_demo(demo)
    assert run(box, "--db", str(demo), "checkin", "smile", "--note", ESC_TITLE).returncode == 0
    piped = run(box, "--db", str(demo), "export", "-f", fmt, text=False)
    assert piped.returncode == 0, piped.stderr
    assert ESC_TITLE.encode() in piped.stdout  # redirected: the bytes as they are
    code, shown = run_on_pty(box, "--db", str(demo), "export", "-f", fmt)
    assert code == 0, shown
    assert b"\x1b]0;" not in shown and b"\x1b[31m" not in shown, shown[:2000]
    assert "␛]0;pwned".encode() in shown
    written = box.root / f"out.{fmt}"
    assert run(box, "--db", str(demo), "export", "-f", fmt, "-o", str(written)).returncode == 0
    assert ESC_TITLE.encode() in written.read_bytes()  # a file keeps the text exactly


def test_summary_is_exact_when_piped_and_safe_on_a_terminal(box, demo):
    hostile_demo(demo)
    piped = run(box, "--db", str(demo), "summary", text=False)
    assert piped.returncode == 0, piped.stderr
    assert ESC_TITLE.encode() in piped.stdout
    code, shown = run_on_pty(box, "--db", str(demo), "summary")
    assert code == 0, shown
    assert b"\x1b]0;" not in shown, shown[:2000]


# ------------------------------------------------------------- 2. one-line errors


@pytest.mark.parametrize("args, env, code", [
    (["goal", "add", "X", "--deadline", "0000-01-01"], {}, 2),
    (["goal", "add", "X", "--deadline", "9999-12-31"], {}, 2),
    (["goal", "add", "X", "--deadline", "+99999999d"], {}, 2),
    (["today"], {"MICRO_JOURNAL_TODAY": "9999-12-31"}, 2),
    (["goal", "add", "X", "--deadline", "today"], {"MICRO_JOURNAL_TODAY": "9999-12-31"}, 2),
    (["goal", "list"], {"MICRO_JOURNAL_TODAY": "0001-01-01"}, 2),
    (["summary", "--week", "0001-01-01"], {}, 2),
    (["summary", "--week", "9999-12-31"], {}, 2),
    (["checkin", "--date", "0001-01-01"], {}, 2),
    (["write", "x", "--date", "0001-01-01"], {}, 2),
    (["entries", "--since", "0001-01-01"], {}, 0),
    (["export", "--from", "0001-01-01", "--to", "9999-12-31"], {}, 0),
], ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_dates_at_the_edge_of_the_calendar_are_one_line_errors(box, demo, args, env, code):
    before = on_disk(demo)
    result = run(box, "--db", str(demo), *args, env={**box.env, **env})
    if code == 0:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        return
    line = one_line_error(result, code)
    assert "date" in line or "day" in line, line
    assert on_disk(demo) == before


def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    return {"device": Path("/dev/zero"), "fifo": fifo, "folder": folder}


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
@pytest.mark.parametrize("args", [["today"], ["checkin"], ["write", "x"], ["goal", "list"],
                                  ["entries"], ["export"], ["verify"], ["stats"],
                                  ["backup"], ["summary"]],
                         ids=lambda a: a[0] + ("-" + a[1] if len(a) > 1 else ""))
def test_a_journal_that_is_not_a_regular_file_is_refused_at_once(box, tmp_path, kind, args):
    path = special_files(tmp_path)[kind]
    started = time.monotonic()
    result = run(box, "--db", str(path), *args, timeout=20)
    line = one_line_error(result, 1)
    assert str(path) in line
    assert time.monotonic() - started < 10
    assert not path.with_name(path.name + ".lock").exists() or kind == "device"


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_the_app_refuses_a_journal_that_is_not_a_regular_file(box, tmp_path, kind):
    path = special_files(tmp_path)[kind]
    code, shown = run_on_pty(box, "--db", str(path), timeout=20)
    assert code == 1, shown[-2000:]
    text = shown.decode("utf-8", "replace")
    assert "Traceback" not in text
    assert str(path) in text and "not a regular file" in text, text


@pytest.mark.parametrize("args", [["import", "{fifo}"], ["import", "{fifo}", "--dry-run"],
                                  ["export", "-o", "{fifo}"], ["restore", "{fifo}"]],
                         ids=lambda a: "-".join(a).replace("{fifo}", "fifo"))
def test_a_fifo_given_as_a_file_to_read_or_write_is_refused_at_once(box, demo, tmp_path, args):
    fifo = tmp_path / "other.json"
    os.mkfifo(fifo)
    before = on_disk(demo)
    result = run(box, "--db", str(demo), *[a.replace("{fifo}", str(fifo)) for a in args],
                 timeout=20)
    line = one_line_error(result, 2)
    assert "named pipe" in line, line
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # never replaced by a file
    assert on_disk(demo) == before


def test_the_store_refuses_a_fifo_before_reading_it(tmp_path):
    from micro_journal.store import JournalUnreadable, open_journal

    fifo = tmp_path / "j.json"
    os.mkfifo(fifo)
    code = (
        "import sys\n"
        "from micro_journal.store import JournalUnreadable, open_journal\n"
        "try:\n"
        f"    open_journal({str(fifo)!r})\n"
        "except JournalUnreadable as err:\n"
        "    print(err); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=20)
    assert result.returncode == 3, result.stderr
    assert "named pipe" in result.stdout
    assert JournalUnreadable and open_journal  # imported in this process too


def secret_journal(demo: Path) -> Path:
    def change(data):
        first = next(iter(data["checkins"].values()))
        first["date"] = "SECRET diary text"
        goal = next(iter(data["goals"].values()))
        goal["deadline"] = "SECRET plans"
    edit_journal(demo, change)
    return demo


@pytest.mark.parametrize("args", [["today"], ["today", "--json"], ["goal", "list"],
                                  ["goal", "list", "--all"], ["entries"], ["stats"],
                                  ["summary"], ["export"], ["export", "-f", "markdown"],
                                  ["export", "-f", "csv"], ["export", "-f", "ics"],
                                  ["checkin", "smile"], ["goal", "add", "Y", "--deadline",
                                                         "today"]],
                         ids=lambda a: "-".join(a))
def test_no_traceback_and_no_journal_text_in_an_error(box, demo, args):
    secret_journal(demo)
    result = run(box, "--db", str(demo), *args)
    assert "Traceback" not in result.stderr, result.stderr
    assert "SECRET" not in result.stderr, result.stderr
    if result.returncode != 0:
        one_line_error(result, 1)


# ------------------------------------------------------------- 3. wrong answers


@pytest.mark.parametrize("args", [["checkin", ""], ["checkin", "  "], ["goal", "done", ""],
                                  ["goal", "add", "X", "--deadline", "today", "--skill", ""],
                                  ["goal", "add", "X", "--deadline", "today",
                                   "--objective", ""]],
                         ids=lambda a: " ".join(repr(x) for x in a))
def test_an_empty_name_is_refused_never_a_default(box, demo, args):
    before = on_disk(demo)
    result = run(box, "--db", str(demo), *args)
    one_line_error(result, 2)
    assert on_disk(demo) == before


@pytest.mark.parametrize("args", [
    [b"checkin", b"smile", b"--note", b"bad \xff byte"],
    [b"checkin", b"sm\xffile"],
    [b"write", b"bad \xff byte"],
    [b"goal", b"add", b"bad \xff", b"--deadline", b"today"],
    [b"goal", b"add", b"X", b"--deadline", b"today", b"--metric", b"\xc3"],
])
def test_invalid_utf8_in_an_argument_is_bad_input(box, demo, args):
    before = on_disk(demo)
    result = subprocess.run([sys.executable.encode(), b"-m", b"micro_journal", b"--db",
                             bytes(demo), *args], capture_output=True, env=box.env,
                            cwd=box.root, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result.stderr
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "UTF-8" in err, err
    assert on_disk(demo) == before


def c_locale(env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in env.items() if not k.startswith(("LC_", "LANG"))}
    env.update(LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    env.pop("PYTHONIOENCODING", None)
    return env


def test_the_c_locale_keeps_utf8_arguments_and_prints_them(box, demo):
    env = c_locale(box.env)
    db = [b"--db", bytes(demo)]

    def mj(*args: bytes):
        return subprocess.run([sys.executable.encode(), b"-m", b"micro_journal", *db, *args],
                              capture_output=True, env=env, cwd=box.root,
                              timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)

    added = mj(b"goal", b"add", "café ☕".encode(), b"--deadline", b"today")
    assert added.returncode == 0, added.stderr
    assert "café ☕".encode() in added.stdout
    assert any(g["action"] == "café ☕" for g in read_json(demo)["goals"].values())
    listed = mj(b"goal", b"list")
    assert listed.returncode == 0, listed.stderr
    assert "café ☕".encode() in listed.stdout
    for args in ([b"today"], [b"entries"], [b"goal", b"list", b"--json"]):
        result = mj(*args)
        assert result.returncode == 0, (args, result.stderr)
    wrote = mj(b"write", "Thé #tag".encode())
    assert wrote.returncode == 0, wrote.stderr
    note = mj(b"checkin", b"smile", b"--note", "naïve".encode())
    assert note.returncode == 0, note.stderr
    checkins = read_json(demo)["checkins"].values()
    assert any(c.get("note") == "naïve" for c in checkins)


FULL_DISK_SHIM = r'''
import errno, os, sys
real_write = os.write
def full(fd, data):
    try:
        name = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        name = ""
    # room for an appended line, none for a rewrite or a backup copy
    if ".tmp-" in name or "/backups/" in name:
        raise OSError(errno.ENOSPC, "No space left on device")
    return real_write(fd, data)
os.write = full
from micro_journal.cli import main
sys.argv[0] = "micro-journal"
raise SystemExit(main(sys.argv[1:]))
'''


def test_a_nearly_full_disk_never_reports_a_successful_save_as_failed(box, demo):
    db = ["--db", str(demo)]
    assert run(box, *db, "checkin", "smile").returncode == 0  # a save waits in the log
    tomorrow = {**box.env, "MICRO_JOURNAL_TODAY": "2026-11-19"}  # a backup is due
    result = subprocess.run([sys.executable, "-c", FULL_DISK_SHIM, *db, "checkin", "eye"],
                            capture_output=True, text=True, env=tomorrow, cwd=box.root,
                            timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("done: "), result.stdout
    assert "Could not save" not in result.stderr, result.stderr
    assert "not saved" not in result.stderr, result.stderr
    assert "backup" in result.stderr and "the disk is full" in result.stderr, result.stderr
    days = {(c["skill_id"], c["date"]) for c in read_json(demo)["checkins"].values()}
    assert any(d == "2026-11-19" for _s, d in days)


def test_import_dry_run_writes_nothing_at_all(box, demo):
    db = ["--db", str(demo)]
    export = box.root / "export.json"
    assert run(box, *db, "export", "-o", str(export)).returncode == 0
    assert run(box, *db, "checkin", "smile").returncode == 0  # a save waits in the log
    later = {**box.env, "MICRO_JOURNAL_TODAY": "2026-11-20"}  # a daily backup is due
    demo.chmod(0o644)  # a journal others can read: a writer would tighten it
    before = on_disk(demo)
    mode = stat.S_IMODE(demo.stat().st_mode)
    result = run(box, *db, "import", str(export), "--dry-run", env=later)
    assert result.returncode == 0, result.stderr
    assert on_disk(demo) == before
    assert stat.S_IMODE(demo.stat().st_mode) == mode


def test_a_journal_without_owner_write_permission_is_read_only(box, demo):
    db = ["--db", str(demo)]
    assert run(box, *db, "checkin", "smile").returncode == 0  # a save waits in the log
    demo.chmod(0o400)
    before = on_disk(demo)
    later = {**box.env, "MICRO_JOURNAL_TODAY": "2026-11-20"}
    shown = run(box, *db, "today", env=later)
    assert shown.returncode == 0, shown.stderr
    refused = run(box, *db, "checkin", "eye", env=later)
    line = one_line_error(refused, 1)
    assert "read-only" in line and "permission" in line, line
    assert stat.S_IMODE(demo.stat().st_mode) == 0o400
    assert on_disk(demo) == before
    code = (
        "import sys\n"
        "from micro_journal.store import open_journal\n"
        f"j = open_journal({str(demo)!r})\n"
        "print(j.read_only_reason); j.close()\n"
    )
    opened = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=RUN_TIMEOUT, env=later)
    assert opened.returncode == 0, opened.stderr
    assert "permission" in opened.stdout, opened.stdout
    assert stat.S_IMODE(demo.stat().st_mode) == 0o400
    assert on_disk(demo) == before


# ------------------------------------------------------------- 4. a lone surrogate on disk


def surrogate_journal(demo: Path) -> str:
    """A note "\\udcff" written by plain TinyDB (which writes it as a JSON escape)."""
    from tinydb import TinyDB

    with TinyDB(demo) as db:
        table = db.table("checkins")
        doc = table.all()[0]
        table.update({"note": "\udcff"}, doc_ids=[doc.doc_id])
        record_id = doc["id"]
    assert b"\\udcff" in demo.read_bytes()
    return record_id


# A journal's own dumps writes a lone surrogate as its JSON escape; a value that no
# dumps can write (the stdlib's, before that) still must not turn a save into a failure.
# This shim makes the fold's serialisation refuse the surrogate, as json.dumps(...)
# .encode("utf-8") does; an appended line (the new save only) is written as usual.
UNWRITABLE_SHIM = r'''
import json, sys
from micro_journal.store import files, layout, storage
real = files.dumps
def strict(data):
    text = json.dumps(data, ensure_ascii=False)
    if "\udcff" in text:
        text.encode("utf-8")  # raises UnicodeEncodeError, naming U+DCFF
    return real(data)
layout.dumps = storage.dumps = strict
from micro_journal.cli import main
raise SystemExit(main(sys.argv[1:]))
'''


def run_shim(box, shim, *args, input=None, env=None):
    return subprocess.run([sys.executable, "-c", shim, *args], input=input,
                          capture_output=True, text=True, env=env or box.env, cwd=box.root,
                          timeout=RUN_TIMEOUT)


def assert_no_save_failure(result) -> None:
    assert result.returncode == 0, result.stderr
    assert "Could not save" not in result.stderr, result.stderr
    assert "not saved" not in result.stderr, result.stderr
    assert "\\udcff" not in result.stderr and "\udcff" not in result.stderr


def test_a_lone_surrogate_on_disk_never_turns_a_save_into_a_failure(box, demo):
    surrogate_journal(demo)
    db = ["--db", str(demo)]
    assert_no_save_failure(run(box, *db, "checkin", "smile"))
    assert_no_save_failure(run(box, *db, "checkin", "eye"))
    done = {c["skill_id"] for c in read_json(demo)["checkins"].values() if c["date"] == TODAY}
    assert len(done) >= 2


def test_a_fold_that_cannot_write_a_record_is_a_notice_not_a_failed_save(box, demo):
    record = surrogate_journal(demo)
    db = ["--db", str(demo)]
    assert run(box, *db, "checkin", "um").returncode == 0  # a save waits in the log
    tomorrow = {**box.env, "MICRO_JOURNAL_TODAY": "2026-11-19"}  # a backup (a fold) is due
    first = run_shim(box, UNWRITABLE_SHIM, *db, "checkin", "smile", env=tomorrow)
    assert_no_save_failure(first)
    assert first.stdout.startswith("done: ")
    assert "checkins" in first.stderr and "backup" in first.stderr, first.stderr
    assert record not in first.stderr  # the record's own id is fine; but no text
    second = run_shim(box, UNWRITABLE_SHIM, *db, "checkin", "eye", env=tomorrow)
    assert_no_save_failure(second)
    days = [c["date"] for c in read_json(demo)["checkins"].values()]
    assert days.count("2026-11-19") == 2


def test_a_fold_that_cannot_write_a_record_lets_the_log_grow_past_its_limit(box, demo):
    surrogate_journal(demo)
    db = ["--db", str(demo)]
    chunk = ("word " * 200 + "\n") * 1000  # about 1 MB
    for i in range(6):  # past the 4 MB fold limit
        result = run_shim(box, UNWRITABLE_SHIM, *db, "write", input=f"entry {i}\n{chunk}")
        assert_no_save_failure(result)
    bodies = [e["body"] for e in read_json(demo)["entries"].values()]
    assert sum(b.startswith("entry ") for b in bodies) == 6
    assert b"\\udcff" in demo.read_bytes()  # the record is kept as it was


def test_the_app_opens_and_saves_when_a_fold_cannot_write_a_record(tmp_path, demo):
    surrogate_journal(demo)
    code = (
        "import datetime as dt, json, sys\n"
        + UNWRITABLE_SHIM.split("from micro_journal.cli")[0]
        + "from micro_journal.store import Repository, open_journal\n"
        f"j = open_journal({str(demo)!r}, today=lambda: dt.date(2026, 11, 18))\n"
        "Repository(j).set_checkin('skill-x', dt.date(2026, 11, 18), note='kept')\n"
        "j.close()\n"
        f"j = open_journal({str(demo)!r}, today=lambda: dt.date(2026, 11, 18))\n"
        "print(json.dumps(j.notices))\n"
        "Repository(j).set_checkin('skill-y', dt.date(2026, 11, 18), note='also')\n"
        "j.close()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=RUN_TIMEOUT)
    assert result.returncode == 0, result.stderr
    notices = " ".join(json.loads(result.stdout))
    assert "Could not save" not in notices and "not saved" not in notices, notices
    assert "checkins" in notices, notices
    assert "\udcff" not in notices
    notes = {c.get("note") for c in read_json(demo)["checkins"].values()}
    assert {"kept", "also"} <= notes
