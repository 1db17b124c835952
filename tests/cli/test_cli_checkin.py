"""`micro-journal checkin`: the daily check-in from a shell, cron job or script."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from micro_journal.store import open_journal
from tests.cli.cli_helpers import (
    EYE,
    OUTLINE,
    SMILE,
    TODAY,
    UM,
    Sandbox,
    assert_one_line_error,
    checkins_of,
    files_under,
    load,
    skill_ids,
)


def test_checkin_without_skill_marks_the_focus_done(sandbox: Sandbox, journal: Path, today_json):
    assert today_json()["focus"]["done"] is False
    result = sandbox.run("checkin", db=journal)
    assert result.returncode == 0, result.stderr
    assert SMILE in result.stdout
    data = today_json()
    assert data["focus"]["title"] == SMILE
    assert data["focus"]["done"] is True
    assert all(s["done"] is False for s in data["stacked"])
    smile = skill_ids(journal)[SMILE]
    [record] = checkins_of(journal, smile)
    assert record["status"] == "done"


def test_checkin_by_case_insensitive_title_part(sandbox: Sandbox, journal: Path, today_json):
    result = sandbox.run("checkin", "EYE CONTACT", db=journal)
    assert result.returncode == 0, result.stderr
    assert EYE in result.stdout
    data = today_json()
    assert data["focus"]["done"] is False
    assert {s["title"]: s["done"] for s in data["stacked"]}[EYE] is True


def test_checkin_by_id_prefix(sandbox: Sandbox, journal: Path, today_json):
    um_id = skill_ids(journal)[UM]
    result = sandbox.run("checkin", um_id[:8], db=journal)
    assert result.returncode == 0, result.stderr
    assert {s["id"]: s["done"] for s in today_json()["stacked"]}[um_id] is True
    assert len(checkins_of(journal, um_id)) == 1


def test_checkin_by_full_id(sandbox: Sandbox, journal: Path):
    outline = skill_ids(journal)[OUTLINE]
    result = sandbox.run("checkin", outline, db=journal)
    assert result.returncode == 0, result.stderr
    assert len(checkins_of(journal, outline)) == 1


def test_checking_in_twice_updates_and_never_duplicates(sandbox: Sandbox, journal: Path):
    smile = skill_ids(journal)[SMILE]
    first = sandbox.run("checkin", "--minutes", "5", db=journal)
    assert first.returncode == 0, first.stderr
    second = sandbox.run("checkin", "smile", "--minutes", "8", "--note", "better", db=journal)
    assert second.returncode == 0, second.stderr
    [record] = checkins_of(journal, smile)
    assert record["status"] == "done"
    assert record["minutes"] == 8
    assert record["note"] == "better"
    # a skip the same day replaces the done, still one record
    third = sandbox.run("checkin", "--skip", db=journal)
    assert third.returncode == 0, third.stderr
    [record] = checkins_of(journal, smile)
    assert record["status"] == "skipped"
    # and no other skill or day was touched
    total = sum(1 for _ in load(journal)["checkins"])
    fourth = sandbox.run("checkin", db=journal)
    assert fourth.returncode == 0
    assert sum(1 for _ in load(journal)["checkins"]) == total


def test_skip(sandbox: Sandbox, journal: Path, today_json):
    result = sandbox.run("checkin", "--skip", db=journal)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stdout
    focus = today_json()["focus"]
    assert focus["done"] is False
    assert focus["skipped"] is True
    assert focus["state"] == "skipped"


def test_minutes_value_and_note_are_stored(sandbox: Sandbox, journal: Path, today_json):
    result = sandbox.run(
        "checkin", "um", "--minutes", "7", "--value", "2.5", "--note", "Recorded a 5-min talk",
        db=journal,
    )
    assert result.returncode == 0, result.stderr
    um_id = skill_ids(journal)[UM]
    [record] = checkins_of(journal, um_id)
    assert record["minutes"] == 7
    assert record["value"] == 2.5
    assert record["note"] == "Recorded a 5-min talk"
    shown = {s["id"]: s for s in today_json()["stacked"]}[um_id]
    assert (shown["minutes"], shown["value"], shown["note"]) == (7, 2.5, "Recorded a 5-min talk")


def test_zero_minutes_and_negative_value_are_allowed(sandbox: Sandbox, journal: Path):
    # a metric can be a change (negative) and a check-in can be logged without timing it
    result = sandbox.run("checkin", "--minutes", "0", "--value", "-3", db=journal)
    assert result.returncode == 0, result.stderr
    [record] = checkins_of(journal, skill_ids(journal)[SMILE])
    assert (record["minutes"], record["value"]) == (0, -3.0)


def _free_day(journal: Path, skill_id: str) -> str:
    """The latest day before today without a check-in of this skill in the journal."""
    taken = {c["date"] for c in load(journal)["checkins"].values() if c["skill_id"] == skill_id}
    day = dt.date.fromisoformat(TODAY) - dt.timedelta(days=1)
    while day.isoformat() in taken:
        day -= dt.timedelta(days=1)
    return day.isoformat()


def test_backfill_with_date(sandbox: Sandbox, journal: Path, today_json):
    smile = skill_ids(journal)[SMILE]
    day = _free_day(journal, smile)
    result = sandbox.run("checkin", "smile", "--date", day, "--minutes", "4", db=journal)
    assert result.returncode == 0, result.stderr
    assert day in result.stdout
    [record] = checkins_of(journal, smile, day)
    assert record["status"] == "done"
    assert record["minutes"] == 4
    assert checkins_of(journal, smile) == []  # today untouched
    assert today_json()["focus"]["done"] is False


def test_backfill_without_skill_uses_that_days_focus(sandbox: Sandbox, journal: Path):
    # 2026-11-04 is in week 1 of the demo plan, whose skill is the 'um' one
    day = "2026-11-04"
    ids = skill_ids(journal)
    before = len(checkins_of(journal, ids[UM], day))
    result = sandbox.run("checkin", "--date", day, "--note", "late entry", db=journal)
    assert result.returncode == 0, result.stderr
    assert UM in result.stdout
    [record] = checkins_of(journal, ids[UM], day)
    assert record["note"] == "late entry"
    assert before in (0, 1)
    assert checkins_of(journal, ids[SMILE], day) == []


def test_checkin_today_explicitly(sandbox: Sandbox, journal: Path, today_json):
    result = sandbox.run("checkin", "--date", TODAY, db=journal)
    assert result.returncode == 0, result.stderr
    assert today_json()["focus"]["done"] is True


# --- bad input: one line on stderr, exit 2, nothing written ---------------------------

BAD_INPUT = {
    "unknown skill": ["checkin", "juggling"],
    "ambiguous skill": ["checkin", "every"],  # 'every talk' and 'every task'
    "malformed date": ["checkin", "--date", "18/11/2026"],
    "impossible date": ["checkin", "--date", "2026-02-30"],
    "future date": ["checkin", "--date", "2026-11-19"],
    "far future date": ["checkin", "smile", "--date", "2030-01-01"],
    "negative minutes": ["checkin", "--minutes", "-5"],
    "negative minutes with =": ["checkin", "--minutes=-1"],
    "fractional minutes": ["checkin", "--minutes", "2.5"],
    "minutes not a number": ["checkin", "--minutes", "five"],
    "value not a number": ["checkin", "--value", "abc"],
    "value not finite": ["checkin", "--value", "nan"],
    "empty skill": ["checkin", "  "],
}


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_and_nothing_is_written(
    sandbox: Sandbox, journal: Path, args: list[str]
):
    sandbox.run("today", db=journal)  # let the day's backup exist already
    before = journal.read_bytes()
    listing = files_under(sandbox.root)
    result = sandbox.run(*args, db=journal)
    assert_one_line_error(result, 2)
    assert journal.read_bytes() == before
    assert files_under(sandbox.root) == listing


def test_ambiguous_skill_names_the_candidates(sandbox: Sandbox, journal: Path):
    result = sandbox.run("checkin", "every", db=journal)
    assert_one_line_error(result, 2)
    assert SMILE in result.stderr and OUTLINE in result.stderr


def test_unknown_skill_is_named(sandbox: Sandbox, journal: Path):
    result = sandbox.run("checkin", "juggling", db=journal)
    assert_one_line_error(result, 2)
    assert "juggling" in result.stderr


def test_future_date_is_named(sandbox: Sandbox, journal: Path):
    result = sandbox.run("checkin", "--date", "2026-11-19", db=journal)
    assert_one_line_error(result, 2)
    assert "2026-11-19" in result.stderr and "future" in result.stderr


# --- a journal another process holds -------------------------------------------------


def test_locked_journal_refuses_checkin_but_today_still_reads(sandbox: Sandbox, journal: Path):
    with open_journal(journal) as holder:
        assert not holder.read_only
        before = journal.read_bytes()
        listing = files_under(sandbox.root)

        result = sandbox.run("checkin", "--wait", "0", db=journal)
        assert_one_line_error(result, 1)
        assert str(holder.lock_path) in result.stderr
        assert journal.read_bytes() == before
        assert files_under(sandbox.root) == listing

        text = sandbox.run("today", db=journal)
        assert text.returncode == 0, text.stderr
        assert SMILE in text.stdout

        as_json = sandbox.run("today", "--json", db=journal)
        assert as_json.returncode == 0, as_json.stderr
        assert '"done": false' in as_json.stdout
        assert journal.read_bytes() == before
        assert files_under(sandbox.root) == listing

    # once the other one has closed, the check-in goes through
    after = sandbox.run("checkin", db=journal)
    assert after.returncode == 0, after.stderr
    assert len(checkins_of(journal, skill_ids(journal)[SMILE])) == 1


def test_checkin_leaves_no_lock_behind(sandbox: Sandbox, journal: Path):
    assert sandbox.run("checkin", db=journal).returncode == 0
    with open_journal(journal, on_locked="refuse") as again:
        assert not again.read_only
