"""Issue 18, the command line: global options anywhere, `goal add` without --objective and
its duplicates, one notion of an entry's tags in every export, `write` and `entries`, and
`--wait` for a journal another micro-journal holds.

Most checks call the real entry point, ``micro_journal.cli.main``, in this process (with
the sealed environment of cli_helpers); standard input, the lock and the console
behaviour that needs a separate process run the real program in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from micro_journal import cli
from micro_journal.domain.models import Entry, Objective
from micro_journal.store import Repository, open_journal
from tests.cli.cli_helpers import (
    EYE,
    OUTLINE,
    SMILE,
    TODAY,
    Sandbox,
    assert_one_line_error,
    load,
    sealed_env,
    skill_ids,
)

SIGN_UP = "Sign up for the December lightning talk"


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def mj(tmp_path: Path, monkeypatch, capsys) -> Callable[..., Run]:
    """``mj(*argv, stdin=None)``: ``cli.main(argv)`` in the sealed environment."""
    for key in [k for k in os.environ if k.startswith("MICRO_JOURNAL_")]:
        monkeypatch.delenv(key)
    for key, value in sealed_env(tmp_path).items():  # the same folders as `sandbox`
        if key.startswith(("MICRO_JOURNAL_", "XDG_")) or key in ("HOME", "TMPDIR"):
            monkeypatch.setenv(key, value)

    def run(*argv: str, stdin: str | bytes | None = None) -> Run:
        capsys.readouterr()
        if stdin is not None:
            raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def one_line_error(result: Run, code: int) -> str:
    assert result.code == code, result
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("micro-journal: "), result.err
    return lines[0]


def entries_of(path: Path) -> list[dict]:
    return list(load(path).get("entries", {}).values())


def goals_named(path: Path, action: str) -> list[dict]:
    return [g for g in load(path)["goals"].values() if g["action"] == action]


def edit(path: Path, change: Callable[[Repository], None]) -> None:
    """Change the journal through the store, as the app would."""
    with open_journal(path, on_locked="refuse") as journal:
        change(Repository(journal))


# ======================================================================= global options


def test_db_after_the_subcommand(mj, journal: Path) -> None:
    before = mj("--db", str(journal), "today", "--json")
    after = mj("today", "--json", "--db", str(journal))
    assert before.code == after.code == 0, after.err
    assert json.loads(after.out) == json.loads(before.out)
    assert json.loads(after.out)["focus"]["title"] == SMILE

    # on a command's own subcommand too, at either level
    for argv in (["goal", "list", "--db", str(journal)], ["goal", "--db", str(journal), "list"]):
        result = mj(*argv)
        assert result.code == 0, result.err
        assert SIGN_UP in result.out


def test_db_after_the_subcommand_wins_over_one_before(mj, journal: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "journal.json"
    result = mj("--db", str(missing), "today", "--db", str(journal))
    assert result.code == 0, result.err
    assert SMILE in result.out
    # and one given only before the command is kept
    error = one_line_error(mj("--db", str(missing), "today"), 1)
    assert str(missing) in error


def test_global_options_after_the_command_in_a_real_process(sandbox: Sandbox,
                                                             journal: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "micro_journal", "checkin", "--note", "late db",
         "--db", str(journal), "--wait", "0"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=sandbox.env,
        cwd=sandbox.root, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "unrecognized arguments" not in result.stderr
    notes = [c["note"] for c in load(journal)["checkins"].values() if c["date"] == TODAY]
    assert "late db" in notes


def test_demo_after_a_command_is_refused_with_the_reason(mj, journal: Path) -> None:
    error = one_line_error(mj("today", "--demo", "--db", str(journal)), 2)
    assert "--demo" in error and "unrecognized" not in error


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", ""])
def test_a_bad_wait_is_refused_before_anything_is_opened(mj, journal: Path, value) -> None:
    before = journal.read_bytes()
    error = one_line_error(mj("checkin", "--wait", value, "--db", str(journal)), 2)
    assert "--wait" in error
    assert journal.read_bytes() == before


def test_help_shows_the_global_options_on_a_command(sandbox: Sandbox) -> None:
    for command in (["write"], ["entries"], ["goal", "add"]):
        result = sandbox.run(*command, "--help")
        assert result.returncode == 0, result.stderr
        assert "--db PATH" in result.stdout and "--wait SECONDS" in result.stdout
        assert "--demo" not in result.stdout  # accepted (and refused) but not offered


# ======================================================================= goal add


def test_goal_add_without_objective_takes_the_focus_objective(mj, journal: Path) -> None:
    objectives = {o["title"]: o["id"] for o in load(journal)["objectives"].values()}
    assert len(objectives) == 2
    result = mj("goal", "add", "Rehearse the opening", "--deadline", "fri",
                "--db", str(journal))
    assert result.code == 0, result.err
    assert "objective 'Public speaking'" in result.out and SMILE in result.out
    (goal,) = goals_named(journal, "Rehearse the opening")
    assert goal["objective_id"] == objectives["Public speaking"]


def test_goal_add_follows_the_focus_to_another_objective(mj, journal: Path) -> None:
    def archive_speaking(repo: Repository) -> None:
        speaking = next(o for o in repo.objectives() if o.title == "Public speaking")
        for skill in repo.skills(speaking.id):
            repo.save(skill.touched(status="archived"))

    edit(journal, archive_speaking)
    today = json.loads(mj("today", "--json", "--db", str(journal)).out)
    assert today["focus"]["title"] == OUTLINE
    result = mj("goal", "add", "Outline Monday", "--deadline", "+3d", "--db", str(journal))
    assert result.code == 0, result.err
    assert "objective 'Productivity'" in result.out and OUTLINE in result.out
    productivity = next(o["id"] for o in load(journal)["objectives"].values()
                        if o["title"] == "Productivity")
    assert goals_named(journal, "Outline Monday")[0]["objective_id"] == productivity
    # --json gives the objective too
    as_json = mj("goal", "add", "Outline Tuesday", "--deadline", "+3d", "--json",
                 "--db", str(journal))
    assert json.loads(as_json.out)["objective"] == "Productivity"


def test_goal_add_with_several_objectives_and_no_focus_names_them(mj, tmp_path: Path) -> None:
    path = tmp_path / "two" / "journal.json"

    def two_objectives(repo: Repository) -> None:
        repo.save(Objective(title="Public speaking"))
        repo.save(Objective(title="Running"))

    edit(path, two_objectives)
    before = path.read_bytes()
    error = one_line_error(mj("goal", "add", "X", "--deadline", "today", "--db", str(path)), 2)
    assert "--objective" in error and "'Public speaking', 'Running'" in error
    assert path.read_bytes() == before
    # a new name still creates one
    made = mj("goal", "add", "Run 5 km", "--deadline", "sat", "--objective", "Cycling",
              "--db", str(path))
    assert made.code == 0 and "new objective 'Cycling'" in made.out


def test_goal_add_with_the_only_objective_says_which(mj, tmp_path: Path) -> None:
    path = tmp_path / "one" / "journal.json"
    edit(path, lambda repo: repo.save(Objective(title="Running")))
    result = mj("goal", "add", "Run 5 km", "--deadline", "sat", "--db", str(path))
    assert result.code == 0, result.err
    assert "(objective 'Running')" in result.out


def test_the_same_open_goal_is_refused_unless_forced(mj, journal: Path) -> None:
    before = journal.read_bytes()
    # same objective (chosen by the focus), same words in another case and spacing
    error = one_line_error(
        mj("goal", "add", "  sign UP for the   december lightning talk ", "--deadline", "fri",
           "--db", str(journal)), 2)
    existing = goals_named(journal, SIGN_UP)[0]
    assert "already an open micro-goal of 'Public speaking'" in error
    assert existing["id"][:8] in error and "--force" in error and "nothing was added" in error
    assert journal.read_bytes() == before
    # named objective: the same check
    one_line_error(mj("goal", "add", SIGN_UP, "--deadline", "fri", "--objective",
                      "public speaking", "--db", str(journal)), 2)
    assert journal.read_bytes() == before

    forced = mj("goal", "add", SIGN_UP, "--deadline", "fri", "--force", "--db", str(journal))
    assert forced.code == 0, forced.err
    assert "already open" in forced.err and existing["id"][:8] in forced.err
    assert len(goals_named(journal, SIGN_UP)) == 2


def test_the_same_action_elsewhere_or_already_done_is_no_duplicate(mj, journal: Path) -> None:
    other = mj("goal", "add", SIGN_UP, "--deadline", "fri", "--objective", "Productivity",
               "--db", str(journal))
    assert other.code == 0, other.err
    done = next(g["action"] for g in load(journal)["goals"].values() if g["status"] == "done")
    again = mj("goal", "add", done, "--deadline", "fri", "--objective", "Public speaking",
               "--db", str(journal))
    assert again.code == 0, again.err
    assert len(goals_named(journal, done)) == 2


# ======================================================================= tags in exports


def _tagged_entries(path: Path) -> tuple[str, str]:
    """An entry with only inline tags, one with a stored tag and an inline one."""
    ids = []

    def add(repo: Repository) -> None:
        ids.append(repo.save(Entry(date="2026-11-17", body="Calm opening #Calm #breath")).id)
        ids.append(repo.save(Entry(date="2026-11-17", body="Stand-up #work",
                                   tags=["focus"])).id)

    edit(path, add)
    return ids[0], ids[1]


def test_inline_tags_are_tags_in_every_export_format(mj, journal: Path, tmp_path: Path) -> None:
    inline, mixed = _tagged_entries(journal)
    stored = {e["id"]: e["tags"] for e in entries_of(journal)}
    assert stored[inline] == [] and stored[mixed] == ["focus"]

    # json: the union, in the order the app shows them
    out = tmp_path / "export.json"
    assert mj("export", "-o", str(out), "--db", str(journal)).code == 0
    exported = {e["id"]: e for e in json.loads(out.read_text())["records"]["entries"]}
    assert exported[inline]["tags"] == ["calm", "breath"]
    assert exported[mixed]["tags"] == ["focus", "work"]
    assert exported[inline]["body"] == "Calm opening #Calm #breath"  # text exactly as typed

    # markdown: the Tags line of each entry
    md = tmp_path / "export.md"
    assert mj("export", "-f", "markdown", "-o", str(md), "--db", str(journal)).code == 0
    text = md.read_text(encoding="utf-8")
    assert "Tags: #calm, #breath" in text and "Tags: #focus, #work" in text

    # csv and ics hold no journal entries (check-ins; practice and deadlines): they export
    # as before, and no tag leaks into them as a stray field
    sheet = tmp_path / "export.csv"
    assert mj("export", "-f", "csv", "-o", str(sheet), "--db", str(journal)).code == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["date", "objective", "skill", "status", "minutes", "value", "note"]
    assert all(len(r) == 7 for r in rows)
    ics = tmp_path / "export.ics"
    assert mj("export", "-f", "ics", "-o", str(ics), "--db", str(journal)).code == 0
    assert "BEGIN:VCALENDAR" in ics.read_text(encoding="utf-8")

    # the stored documents were not rewritten by any of this
    assert {e["id"]: e["tags"] for e in entries_of(journal)} == stored


def test_inline_tags_round_trip_through_import(mj, journal: Path, tmp_path: Path) -> None:
    _tagged_entries(journal)
    first = tmp_path / "first.json"
    assert mj("export", "-o", str(first), "--db", str(journal)).code == 0
    before = journal.read_bytes()
    back = mj("import", str(first), "--db", str(journal))
    assert back.code == 0, back.err
    assert "added 0; updated 0;" in back.out and "kept as they are here" not in back.out
    assert journal.read_bytes() == before

    fresh = tmp_path / "fresh" / "journal.json"
    assert mj("import", str(first), "--db", str(fresh)).code == 0
    second = tmp_path / "second.json"
    assert mj("export", "-o", str(second), "--db", str(fresh)).code == 0
    assert second.read_bytes() == first.read_bytes()


def test_the_app_search_and_the_list_use_the_same_tags(mj, journal: Path) -> None:
    from micro_journal.services.journal import JournalService

    inline, mixed = _tagged_entries(journal)
    listed = json.loads(mj("entries", "--json", "--db", str(journal)).out)["entries"]
    tags = {e["id"]: e["tags"] for e in listed}
    assert tags[inline] == ["calm", "breath"] and tags[mixed] == ["focus", "work"]
    with open_journal(journal, on_locked="read-only") as opened:
        service = JournalService(Repository(opened))
        assert [h.entry.id for h in service.search("#breath")] == [inline]
        assert [h.entry.id for h in service.search("#work tag:focus")] == [mixed]


# ======================================================================= write


def test_write_from_arguments(mj, journal: Path) -> None:
    count = len(entries_of(journal))
    result = mj("write", "Paused before", "answering", "#Speaking #pause", "--db", str(journal))
    assert result.code == 0, result.err
    body = "Paused before answering #Speaking #pause"
    new = [e for e in entries_of(journal) if e["body"] == body]
    assert len(new) == 1 and len(entries_of(journal)) == count + 1
    entry = new[0]
    assert entry["date"] == TODAY and entry["skill_ids"] == []
    assert entry["tags"] == []  # the tags are in the text; the record is stored as typed
    assert result.out.strip() == (
        f"wrote entry {entry['id'][:8]} on {TODAY} to {journal.absolute()} "
        "(tags #speaking #pause)"
    )


def test_write_with_date_and_skills(mj, journal: Path) -> None:
    ids = skill_ids(journal)
    result = mj("write", "Held it for five seconds", "--date", "2026-11-02",
                "--skill", "eye contact", "--skill", ids[SMILE][:8], "--db", str(journal))
    assert result.code == 0, result.err
    (entry,) = [e for e in entries_of(journal) if e["body"] == "Held it for five seconds"]
    assert entry["date"] == "2026-11-02"
    assert entry["skill_ids"] == [ids[EYE], ids[SMILE]]
    assert f"on 2026-11-02 to {journal.absolute()}" in result.out
    assert EYE in result.out and SMILE in result.out


def test_write_from_standard_input(mj, journal: Path) -> None:
    text = "\n\nFirst line of a longer note\n  indented second line #stdin\n\n"
    result = mj("write", "--db", str(journal), stdin=text)
    assert result.code == 0, result.err
    body = "First line of a longer note\n  indented second line #stdin"
    assert [e["body"] for e in entries_of(journal)].count(body) == 1
    dash = mj("write", "-", "--date", "2026-11-01", "--db", str(journal), stdin="café ☕ #déjà")
    assert dash.code == 0, dash.err
    (entry,) = [e for e in entries_of(journal) if e["body"] == "café ☕ #déjà"]
    assert entry["date"] == "2026-11-01" and "#déjà" in dash.out


def test_write_from_a_pipe_in_a_real_process(sandbox: Sandbox, journal: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "micro_journal", "write", "--skill", "smile",
         "--db", str(journal)],
        input=b"Smiled at the start and the end\n#smile\n", capture_output=True,
        env=sandbox.env, cwd=sandbox.root, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (entry,) = [e for e in entries_of(journal)
                if e["body"] == "Smiled at the start and the end\n#smile"]
    assert entry["skill_ids"] == [skill_ids(journal)[SMILE]]
    assert entry["id"][:8] in result.stdout.decode()


@pytest.mark.parametrize("argv, stdin", [
    (["write", ""], None),
    (["write", "   ", "  "], None),
    (["write"], ""),
    (["write", "-"], "\n \n\t\n"),
])
def test_empty_text_is_refused_and_nothing_written(mj, journal: Path, argv, stdin) -> None:
    before = journal.read_bytes()
    error = one_line_error(mj(*argv, "--db", str(journal), stdin=stdin), 2)
    assert "empty" in error and "nothing was written" in error
    assert journal.read_bytes() == before


@pytest.mark.parametrize("extra, says", [
    (["--date", "2026-11-19"], "2026-11-19 is in the future"),
    (["--date", "18/11/2026"], "'18/11/2026' is not a date; use YYYY-MM-DD"),
    (["--date", "2026-02-30"], "is not a date"),
    (["--skill", "juggling"], "no skill matches 'juggling'"),
    (["--skill", "t"], "matches several skills"),
    (["--skill", " "], "--skill needs a skill"),
])
def test_write_with_bad_input_exits_2_and_writes_nothing(mj, journal: Path, extra, says):
    before = journal.read_bytes()
    error = one_line_error(mj("write", "Some text", *extra, "--db", str(journal)), 2)
    assert says in error
    assert journal.read_bytes() == before


def test_write_to_a_missing_journal_exits_1(mj, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    one_line_error(mj("write", "hello", "--db", str(missing)), 1)
    assert not missing.exists()


def test_write_stdin_that_is_not_utf8_is_refused(mj, journal: Path) -> None:
    before = journal.read_bytes()
    error = one_line_error(mj("write", "--db", str(journal), stdin=b"caf\xe9\n"), 2)
    assert "not UTF-8" in error
    assert journal.read_bytes() == before


# ======================================================================= entries


def test_entries_text_newest_first_with_tags(mj, journal: Path) -> None:
    mj("write", "Older one #alpha", "--date", "2026-11-03", "--db", str(journal))
    mj("write", "Newest one\nsecond line", "--db", str(journal))
    result = mj("entries", "--db", str(journal))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    dates = [line[:10] for line in lines]
    assert dates == sorted(dates, reverse=True)
    assert lines[0].startswith(f"{TODAY}  ") and lines[0].endswith("  Newest one")
    older = next(line for line in lines if "Older one" in line)
    assert older.startswith("2026-11-03  ") and older.endswith("#alpha")
    assert any("#speaking" in line for line in lines)  # the demo's entries and their tags


def test_entries_since_and_json(mj, journal: Path) -> None:
    mj("write", "Today's note #today", "--db", str(journal))
    demo_days = sorted({e["date"] for e in entries_of(journal)})
    since = demo_days[-2]
    data = json.loads(mj("entries", "--since", since, "--json", "--db", str(journal)).out)
    assert data["since"] == since
    assert all(e["date"] >= since for e in data["entries"])
    assert data["count"] == len(data["entries"]) == len(
        [e for e in entries_of(journal) if e["date"] >= since and not e["archived"]])
    first = data["entries"][0]
    assert first["date"] == TODAY and first["title"] == "Today's note #today"
    assert first["tags"] == ["today"] and first["body"] == "Today's note #today"
    assert set(first) >= {"id", "date", "title", "tags", "skills", "body"}

    nothing = mj("entries", "--since", "2030-01-01", "--db", str(journal))
    assert nothing.code == 0 and "No journal entries since 2030-01-01" in nothing.out
    one_line_error(mj("entries", "--since", "last week", "--db", str(journal)), 2)


def test_entries_show_control_characters_as_placeholders(mj, journal: Path) -> None:
    mj("write", "bell\x07 and escape\x1b[31m red", "--db", str(journal))
    line = mj("entries", "--since", TODAY, "--db", str(journal)).out.splitlines()[0]
    assert "\x1b" not in line and "\x07" not in line
    assert "␛[31m" in line and "␇" in line
    # kept exactly in the journal and in the JSON
    data = json.loads(mj("entries", "--since", TODAY, "--json", "--db", str(journal)).out)
    assert data["entries"][0]["body"] == "bell\x07 and escape\x1b[31m red"


# ======================================================================= --wait


def _write(sandbox: Sandbox, journal: Path, text: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "micro_journal", "write", text, "--db", str(journal), *extra],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=sandbox.env, cwd=sandbox.root,
    )


def test_a_write_waits_for_the_lock_to_be_released(sandbox: Sandbox, journal: Path) -> None:
    lock = FileLock(str(journal) + ".lock", timeout=0)
    lock.acquire()
    try:
        proc = _write(sandbox, journal, "Waited for the app #patience", "--wait", "60")
        started = time.monotonic()
        # about a second with the lock held: the writer is still waiting, not refused
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=1.0)
        assert not any("#patience" in e["body"] for e in entries_of(journal))
    finally:
        lock.release()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert time.monotonic() - started >= 1.0
    assert "wrote entry" in out
    assert [e["body"] for e in entries_of(journal)].count("Waited for the app #patience") == 1


def test_the_default_wait_lets_a_write_through_once_the_lock_frees(
    sandbox: Sandbox, journal: Path
) -> None:
    lock = FileLock(str(journal) + ".lock", timeout=0)
    lock.acquire()
    try:
        proc = _write(sandbox, journal, "Default wait")  # no --wait: a few seconds
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=0.5)
    finally:
        lock.release()
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert [e["body"] for e in entries_of(journal)].count("Default wait") == 1


@pytest.mark.parametrize("command", [
    ["write", "Never saved", "--wait", "0"],
    ["checkin", "--wait", "0"],
    ["goal", "add", "Never added", "--deadline", "fri", "--wait", "0"],
    ["--wait", "0", "goal", "done", "lightning"],
])
def test_wait_0_refuses_at_once_naming_the_lock(sandbox: Sandbox, journal: Path, command):
    with FileLock(str(journal) + ".lock", timeout=0):
        before = journal.read_bytes()
        result = sandbox.run(*command, db=journal)
        assert_one_line_error(result, 1)
        assert f"lock file {journal}.lock" in result.stderr
        assert "open in another micro-journal" in result.stderr
        assert "--wait SECONDS" in result.stderr and "gave up after" not in result.stderr
        assert journal.read_bytes() == before
        # reading is never held up
        assert sandbox.run("entries", db=journal).returncode == 0


def test_a_wait_that_runs_out_says_how_long_it_waited(sandbox: Sandbox, journal: Path) -> None:
    with FileLock(str(journal) + ".lock", timeout=0):
        before = journal.read_bytes()
        result = sandbox.run("write", "Too late", "--wait", "0.3", db=journal)
    assert_one_line_error(result, 1)
    assert "gave up after waiting 0.3 s" in result.stderr
    assert f"{journal}.lock" in result.stderr
    assert journal.read_bytes() == before
    assert not any(e["body"] == "Too late" for e in entries_of(journal))


def test_wait_applies_to_restore_and_import(sandbox: Sandbox, journal: Path) -> None:
    made = sandbox.run("backup", db=journal)
    assert made.returncode == 0, made.stderr
    export = sandbox.root / "export.json"
    assert sandbox.run("export", "-o", str(export), db=journal).returncode == 0
    with FileLock(str(journal) + ".lock", timeout=0):
        restore = sandbox.run("restore", made.stdout.strip(), "--wait", "0", db=journal)
        imported = sandbox.run("import", str(export), "--wait", "0", db=journal)
    for result in (restore, imported):
        assert_one_line_error(result, 1)
        assert f"{journal}.lock" in result.stderr and "--wait SECONDS" in result.stderr

