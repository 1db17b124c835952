"""`micro-journal goal add | done | list`, run as the real command in a sealed sandbox."""

from __future__ import annotations

import json

import pytest

from tests.cli.cli_helpers import assert_one_line_error, load

SIGN_UP = "Sign up for the December lightning talk"
OUTLINE = "Outline tomorrow's three tasks"


def goals_of(path) -> dict[str, dict]:
    return {g["action"]: g for g in load(path)["goals"].values()}


def test_add_with_every_option(sandbox, journal):
    result = sandbox.run(
        "goal", "add", "Rehearse the opening twice", "--deadline", "fri",
        "--objective", "public speaking", "--metric", "two run-throughs",
        "--estimate", "25", "--skill", "smile", db=journal,
    )
    assert result.returncode == 0, result.stderr
    assert "Rehearse the opening twice — due Fri 20 Nov (in 2 days)" in result.stdout
    assert result.stderr == ""
    goal = goals_of(journal)["Rehearse the opening twice"]
    data = load(journal)
    speaking = next(o for o in data["objectives"].values() if o["title"] == "Public speaking")
    smile = next(s for s in data["skills"].values() if "smile" in s["title"])
    assert goal["deadline"] == "2026-11-20" and goal["status"] == "open"
    assert goal["objective_id"] == speaking["id"] and goal["skill_id"] == smile["id"]
    assert (goal["success_metric"], goal["estimate_minutes"]) == ("two run-throughs", 25)
    assert len(data["objectives"]) == 2  # matched, not duplicated


@pytest.mark.parametrize("when, day", [
    ("today", "2026-11-18"), ("tomorrow", "2026-11-19"), ("+3d", "2026-11-21"),
    ("+1w", "2026-11-25"), ("wednesday", "2026-11-25"), ("2026-12-31", "2026-12-31"),
])
def test_add_accepts_each_deadline_form(sandbox, journal, when, day):
    result = sandbox.run("goal", "add", "A step", "--deadline", when,
                         "--objective", "Productivity", db=journal)
    assert result.returncode == 0, result.stderr
    assert goals_of(journal)["A step"]["deadline"] == day


@pytest.mark.parametrize("when, says", [
    ("frday", "'frday' is not a deadline"),
    ("2027-02-29", "2027 is not a leap year"),
    ("2026-11-31", "November 2026 has 30 days"),
    ("2026-11-01", "is in the past"),
    ("", "needs a deadline"),
    ("+3x", "is not d (days)"),
])
def test_bad_deadlines_exit_2_and_write_nothing(sandbox, journal, when, says):
    before = journal.read_bytes()
    result = sandbox.run("goal", "add", "Something", "--deadline", when,
                         "--objective", "Productivity", db=journal)
    assert_one_line_error(result, 2)
    assert says in result.stderr and "+3d" in result.stderr
    assert journal.read_bytes() == before
    assert not list(journal.parent.glob("backups/*"))  # not even opened for writing


def test_bad_estimate_exits_2_and_a_long_one_warns_but_adds(sandbox, journal):
    before = journal.read_bytes()
    result = sandbox.run("goal", "add", "X", "--deadline", "today", "--objective", "P",
                         "--estimate", "an hour", db=journal)
    assert_one_line_error(result, 2)
    assert journal.read_bytes() == before
    result = sandbox.run("goal", "add", "Write the whole talk", "--deadline", "+1w",
                         "--objective", "Public speaking", "--estimate", "180",
                         "--metric", "a draft", db=journal)
    assert result.returncode == 0
    assert "split it into smaller micro-goals" in result.stderr
    assert goals_of(journal)["Write the whole talk"]["estimate_minutes"] == 180


def test_add_with_a_new_objective_name_creates_it_once(sandbox, journal):
    # (without --objective the focus skill's objective is used: test_cli_frictions.py)
    result = sandbox.run("goal", "add", "Run 5 km", "--deadline", "sat",
                         "--objective", "Running", db=journal)
    assert result.returncode == 0
    assert "new objective 'Running'" in result.stdout
    titles = [o["title"] for o in load(journal)["objectives"].values()]
    assert titles.count("Running") == 1


def test_add_to_a_missing_journal_exits_1(sandbox):
    result = sandbox.run("goal", "add", "X", "--deadline", "today",
                         db=sandbox.root / "nope.json")
    assert_one_line_error(result, 1)


def test_done_by_text_then_again_and_with_an_insight(sandbox, journal):
    result = sandbox.run("goal", "done", "lightning", "--insight", "Asked early", db=journal)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"done: {SIGN_UP} — Public speaking: 3/4 done"
    goal = goals_of(journal)[SIGN_UP]
    assert goal["status"] == "done" and goal["insight"] == "Asked early"
    assert goal["completed_at"].startswith("2026-11-18")  # the pinned day
    again = sandbox.run("goal", "done", "lightning", db=journal)
    assert again.returncode == 0
    assert again.stdout.strip() == f"already done on 2026-11-18: {SIGN_UP}"


def test_done_by_id_prefix(sandbox, journal):
    goal_id = goals_of(journal)[OUTLINE]["id"]
    result = sandbox.run("goal", "done", goal_id[:8], db=journal)
    assert result.returncode == 0, result.stderr
    assert goals_of(journal)[OUTLINE]["status"] == "done"


@pytest.mark.parametrize("query, says", [
    ("dentist", "no micro-goal matches"),
    ("t", "matches several goals"),
    ("  ", "no goal given"),
])
def test_done_with_no_or_several_matches_exits_2(sandbox, journal, query, says):
    before = journal.read_bytes()
    result = sandbox.run("goal", "done", query, db=journal)
    assert_one_line_error(result, 2)
    assert says in result.stderr
    assert journal.read_bytes() == before


def test_list_text_and_json(sandbox, journal):
    result = sandbox.run("goal", "list", db=journal)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Public speaking  (2/4 done)"
    assert any(SIGN_UP in line and "(overdue 2 days, 2026-11-16)" in line for line in lines)
    assert any(OUTLINE in line and "due today" in line for line in lines)
    assert not any("Ask a question" in line for line in lines)  # done: not open

    data = json.loads(sandbox.run("goal", "list", "--json", db=journal).stdout)
    assert data["date"] == "2026-11-18" and data["status"] == "open"
    assert {g["action"]: g["state"] for g in data["goals"]} == {
        SIGN_UP: "overdue", "Give a 3-minute talk to a friend": "upcoming", OUTLINE: "due"}
    sign_up = next(g for g in data["goals"] if g["action"] == SIGN_UP)
    assert sign_up["days_late"] == 2 and sign_up["objective"] == "Public speaking"
    assert {o["title"]: (o["done"], o["total"]) for o in data["objectives"]} == {
        "Public speaking": (2, 4), "Productivity": (0, 1)}

    every = json.loads(sandbox.run("goal", "list", "--all", "--json", db=journal).stdout)
    assert len(every["goals"]) == 5
    done = json.loads(sandbox.run("goal", "list", "--status", "done", "--json",
                                  db=journal).stdout)
    assert {g["insight"] for g in done["goals"]} == {
        "Hearing myself was the wake-up call.", "Pausing before speaking made it easy."}


def test_list_reads_a_locked_journal_read_only(sandbox, journal):
    from filelock import FileLock

    with FileLock(str(journal) + ".lock", timeout=0):
        result = sandbox.run("goal", "list", db=journal)
        assert result.returncode == 0
        assert SIGN_UP in result.stdout
        refused = sandbox.run("goal", "done", "lightning", "--wait", "0", db=journal)
        assert refused.returncode == 1
    assert goals_of(journal)[SIGN_UP]["status"] == "open"


def test_goal_without_an_action_says_what_to_do(sandbox, journal):
    result = sandbox.run("goal", db=journal)
    assert_one_line_error(result, 2)
    assert "goal add" in result.stderr
