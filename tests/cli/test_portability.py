"""Data portability: export, import, backup, restore, verify, summary and stats.

The commands run as a user runs them (the real program in a subprocess, sealed
environment, today pinned to 2026-11-18 — see cli_helpers); the palette dialog is driven
through the real app with Pilot.

How ``fixtures/jrnl_export.json`` was made — with the real jrnl tool, not by hand:
jrnl 4.6 was installed from PyPI into a throw-away virtualenv
(``python3 -m venv /tmp/jrnlvenv && /tmp/jrnlvenv/bin/pip install jrnl``), then
``sh tests/cli/fixtures/make_jrnl_fixture.sh /tmp/jrnlvenv/bin/jrnl >
tests/cli/fixtures/jrnl_export.json``. The script points HOME and XDG_CONFIG_HOME at a
temporary folder and writes jrnl's config file itself (so jrnl does not prompt for a
journal path), adds five entries — one-line ones as command-line arguments, multi-line
ones through standard input, one starred with a leading ``*``, two on the same day,
accents, Japanese, an emoji, ``@`` and ``#`` tags — and runs ``jrnl --export json``. The
file is jrnl's standard output, unedited.

``snapshots/demo_export.md`` and ``snapshots/demo_summary.md`` are the Markdown of the
demo journal on 2026-11-18; after an intended change, regenerate them with
``MICRO_JOURNAL_UPDATE_SNAPSHOTS=1 pytest tests/cli/test_portability.py`` and review the
diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain.models import ALL_RECORD_TYPES, SCHEMA_VERSION
from micro_journal.services import portability as pt
from tests.cli.cli_helpers import (
    OUTLINE,
    SMILE,
    UM,
    Sandbox,
    assert_one_line_error,
    files_under,
    load,
    skill_ids,
)

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOTS = Path(__file__).parent / "snapshots"
JRNL_EXPORT = FIXTURES / "jrnl_export.json"

def drop_tokens(data: dict) -> dict:
    """The journal without the meta row's change-log bookkeeping (it changes at each
    rewrite)."""
    for row in data.get("meta", {}).values():
        for key in ("changes_token", "changes_folded", "entries_bytes"):
            row.pop(key, None)
    return data


NASTY = 'Comma, "quotes", semi;colon\nsecond line — café, naïve, 日本語 🎤 back\\slash'


def save(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def add_doc(data: dict, table: str, doc: dict) -> None:
    docs = data.setdefault(table, {})
    docs[str(max((int(k) for k in docs), default=0) + 1)] = doc


def matches_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("MICRO_JOURNAL_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run with MICRO_JOURNAL_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


def raw_stdout(sandbox: Sandbox, journal: Path, *args: str) -> bytes:
    """Standard output as bytes (text mode would turn CRLF into LF)."""
    result = subprocess.run(
        [sys.executable, "-m", "micro_journal", "--db", str(journal), *args],
        stdin=subprocess.DEVNULL, capture_output=True, env=sandbox.env, cwd=sandbox.root,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


# ======================================================================= JSON round trip


def test_json_round_trip_into_an_empty_journal_is_identical(
    sandbox: Sandbox, journal: Path
) -> None:
    first = sandbox.root / "first.json"
    second = sandbox.root / "second.json"
    fresh = sandbox.root / "fresh" / "journal.json"
    ok(sandbox.run("export", "--format", "json", "--output", str(first), db=journal))
    result = ok(sandbox.run("import", str(first), db=fresh))
    assert "added 56" in result.stdout
    ok(sandbox.run("export", "--format", "json", "--output", str(second), db=fresh))
    assert first.read_bytes() == second.read_bytes()

    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["format"] == pt.EXPORT_MARK
    assert exported["schema_version"] == SCHEMA_VERSION
    assert set(exported["records"]) == {cls.TABLE for cls in ALL_RECORD_TYPES}
    # the stdout export is the same document
    assert ok(sandbox.run("export", db=journal)).stdout == first.read_text(encoding="utf-8")


def test_reimporting_the_same_file_adds_nothing(sandbox: Sandbox, journal: Path) -> None:
    export = sandbox.root / "export.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))
    before = journal.read_bytes()
    result = ok(sandbox.run("import", str(export), db=journal))
    assert "added 0; updated 0; skipped 56" in result.stdout
    assert journal.read_bytes() == before


def test_json_export_is_lossless_for_fields_it_does_not_know(
    sandbox: Sandbox, journal: Path
) -> None:
    data = load(journal)
    doc = next(iter(data["checkins"].values()))
    doc["from_a_newer_app"] = {"nested": [1, "ü"]}
    next(iter(data["plans"].values()))["weeks"][0]["colour"] = "teal"
    save(journal, data)
    export = sandbox.root / "export.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))
    fresh = sandbox.root / "fresh" / "journal.json"
    ok(sandbox.run("import", str(export), db=fresh))
    copied = load(fresh)
    checkin = next(c for c in copied["checkins"].values() if c["id"] == doc["id"])
    assert checkin["from_a_newer_app"] == {"nested": [1, "ü"]}
    assert next(iter(copied["plans"].values()))["weeks"][0]["colour"] == "teal"


def test_import_updates_what_the_file_changed_later_and_keeps_newer_local_edits(
    sandbox: Sandbox, journal: Path
) -> None:
    export = sandbox.root / "export.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))
    data = json.loads(export.read_text(encoding="utf-8"))
    newer, older = data["records"]["checkins"][0], data["records"]["checkins"][1]
    newer.update(note="edited elsewhere", updated_at="2099-01-01T00:00:00+00:00")
    older.update(note="stale copy", updated_at="2000-01-01T00:00:00+00:00")
    export.write_text(json.dumps(data), encoding="utf-8")

    dry = ok(sandbox.run("import", str(export), "--dry-run", db=journal))
    assert "updated 1 (1 check-ins)" in dry.stdout and "nothing was written" in dry.stdout

    result = ok(sandbox.run("import", str(export), db=journal))
    assert "added 0; updated 1 (1 check-ins)" in result.stdout
    notes = {c["id"]: c["note"] for c in load(journal)["checkins"].values()}
    assert notes[newer["id"]] == "edited elsewhere"
    assert notes[older["id"]] != "stale copy"


def test_a_checkin_for_a_day_that_already_has_one_is_skipped(
    sandbox: Sandbox, journal: Path
) -> None:
    export = sandbox.root / "export.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))
    data = json.loads(export.read_text(encoding="utf-8"))
    clash = dict(data["records"]["checkins"][0], id="f" * 32, note="a different id")
    data["records"]["checkins"].append(clash)
    export.write_text(json.dumps(data), encoding="utf-8")
    result = ok(sandbox.run("import", str(export), db=journal))
    assert "added 0" in result.stdout and "already has a check-in on that day" in result.stdout
    ok(sandbox.run("verify", db=journal))


def test_export_range_limits_dated_records_but_keeps_what_they_refer_to(
    sandbox: Sandbox, journal: Path
) -> None:
    result = ok(sandbox.run("export", "--from", "2026-11-09", "--to", "2026-11-15",
                            db=journal))
    records = json.loads(result.stdout)["records"]
    assert {c["date"] for c in records["checkins"]} <= {
        f"2026-11-{d:02d}" for d in range(9, 16)
    }
    assert records["checkins"] and len(records["skills"]) == 5
    assert all("2026-11-09" <= e["date"] <= "2026-11-15" for e in records["entries"])
    # a range export still imports cleanly into an empty journal and verifies
    part = sandbox.root / "part.json"
    part.write_text(result.stdout, encoding="utf-8")
    fresh = sandbox.root / "fresh" / "journal.json"
    ok(sandbox.run("import", str(part), db=fresh))
    ok(sandbox.run("verify", db=fresh))


# ======================================================================= ICS


def _with_nasty_goal(journal: Path) -> dict:
    data = load(journal)
    goal = next(iter(data["goals"].values()))
    add_doc(data, "goals", dict(
        goal, id="a" * 32, action="Prepare; rehearse, and " + NASTY + " " + "x" * 80,
        deadline="2026-11-30", status="open", completed_at=None,
    ))
    add_doc(data, "goals", dict(goal, id="b" * 32, action="Dropped one", status="dropped"))
    save(journal, data)
    return data


def test_ics_parses_with_icalendar_and_holds_practice_and_deadlines(
    sandbox: Sandbox, journal: Path
) -> None:
    data = _with_nasty_goal(journal)
    out = sandbox.root / "plan.ics"
    ok(sandbox.run("export", "--format", "ics", "--output", str(out), db=journal))
    raw = out.read_bytes()

    # RFC 5545: CRLF line endings, lines of at most 75 octets, folded with a space
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\r\n " in raw  # the long summary was folded

    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    events = list(cal.walk("VEVENT"))
    plan = next(iter(data["plans"].values()))
    goals = [g for g in data["goals"].values() if g["status"] != "dropped"]
    practice = [e for e in events if str(e["UID"]).startswith("plan-")]
    deadlines = [e for e in events if str(e["UID"]).startswith("goal-")]
    assert len(practice) == len(plan["weeks"]) and len(deadlines) == len(goals)
    assert len({str(e["UID"]) for e in events}) == len(events)

    week3 = next(e for e in practice if str(e["UID"]).endswith("-week-3@micro-journal"))
    assert week3["DTSTART"].dt == dt.date(2026, 11, 16)  # all-day: a date, not a time
    assert week3["RRULE"]["FREQ"] == ["DAILY"] and week3["RRULE"]["COUNT"] == [7]
    assert SMILE in str(week3["SUMMARY"]) and "+2 stacked" in str(week3["SUMMARY"])
    assert UM in str(week3["DESCRIPTION"])

    nasty = next(e for e in deadlines if str(e["UID"]) == f"goal-{'a' * 32}@micro-journal")
    assert str(nasty["SUMMARY"]) == "Micro-goal: Prepare; rehearse, and " + NASTY + " " + "x" * 80
    assert nasty["DTSTART"].dt == dt.date(2026, 11, 30)
    assert nasty["DTEND"].dt == dt.date(2026, 12, 1)
    assert not any("Dropped one" in str(e["SUMMARY"]) for e in events)

    # the UIDs are stable: a second export is byte-identical
    assert raw_stdout(sandbox, journal, "export", "-f", "ics") == raw


@given(st.text(min_size=0, max_size=300))
def test_ics_folding_never_splits_a_character_and_unfolds_back(text: str) -> None:
    line = "SUMMARY:" + pt.ics_escape(text)
    folded = pt.ics_fold(line)
    for physical in folded.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == line
    assert "\n" not in pt.ics_escape(text) and "\r" not in pt.ics_escape(text)


# ======================================================================= CSV


def test_csv_reads_back_as_the_checkins(sandbox: Sandbox, journal: Path) -> None:
    ids = skill_ids(journal)
    data = load(journal)
    checkin = next(iter(data["checkins"].values()))
    add_doc(data, "checkins", dict(
        checkin, id="c" * 32, skill_id=ids[OUTLINE], date="2026-11-18", status="done",
        minutes=4, value=2.5, note=NASTY,
    ))
    save(journal, data)
    out = sandbox.root / "checkins.csv"
    ok(sandbox.run("export", "--format", "csv", "--output", str(out), db=journal))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a file for spreadsheets says it is UTF-8

    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = {v: k for k, v in ids.items()}
    objectives = {o["id"]: o["title"] for o in data["objectives"].values()}
    skills = {s["id"]: s for s in data["skills"].values()}
    expected = sorted(
        (
            c["date"], objectives[skills[c["skill_id"]]["objective_id"]],
            titles[c["skill_id"]], c["status"],
            None if c["minutes"] is None else c["minutes"], c["value"], c["note"],
        )
        for c in data["checkins"].values()
    )
    got = sorted(
        (
            r["date"], r["objective"], r["skill"], r["status"],
            int(r["minutes"]) if r["minutes"] else None,
            float(r["value"]) if r["value"] else None, r["note"],
        )
        for r in rows
    )
    assert list(rows[0]) == list(pt.CSV_COLUMNS)
    assert got == expected
    assert any(r["note"] == NASTY for r in rows)

    # standard output carries the same table, without the byte-order mark
    assert raw_stdout(sandbox, journal, "export", "-f", "csv") == raw[3:]


# ======================================================================= Markdown


def test_markdown_of_the_demo_journal(sandbox: Sandbox, journal: Path) -> None:
    result = ok(sandbox.run("export", "--format", "markdown", db=journal))
    assert result.stderr == ""
    matches_snapshot("demo_export.md", result.stdout)


def test_summary_of_the_demo_week(sandbox: Sandbox, journal: Path) -> None:
    result = ok(sandbox.run("summary", db=journal))
    matches_snapshot("demo_summary.md", result.stdout)


def test_summary_of_a_reviewed_week(sandbox: Sandbox, journal: Path) -> None:
    text = ok(sandbox.run("summary", "--week", "2026-11-12", db=journal)).stdout
    assert text.startswith("# My week: 9–15 November 2026")
    assert "Eye contact calmed me down more than I expected." in text
    assert "✓ Ask a question in the Thursday all-hands" in text
    assert "| Eliminate 'um' and 'uh' | 6 of 7 (+1 rest) | 40 | 5 fillers | ↓ 4 (better) |" in text
    bad = sandbox.run("summary", "--week", "soon", db=journal)
    assert_one_line_error(bad, 2)


def test_stats(sandbox: Sandbox, journal: Path) -> None:
    data = load(journal)
    stats = json.loads(ok(sandbox.run("stats", "--json", db=journal)).stdout)
    assert stats["counts"] == {
        cls.TABLE: len(data.get(cls.TABLE, {})) for cls in ALL_RECORD_TYPES
    }
    done = [c for c in data["checkins"].values() if c["status"] == "done"]
    assert stats["checkins"]["done"] == len(done)
    assert stats["minutes"]["total"] == sum(c["minutes"] or 0 for c in done)
    um = next(s for s in stats["skills"] if s["title"] == UM)
    assert um["streak"] == {"current": 12, "best": 12}
    assert stats["goals"] == {"open": 3, "done": 2, "dropped": 0}
    text = ok(sandbox.run("stats", db=journal)).stdout
    assert "36 check-ins" in text and UM in text


# ======================================================================= jrnl


def test_jrnl_import_from_real_jrnl_output(sandbox: Sandbox, journal: Path) -> None:
    source = json.loads(JRNL_EXPORT.read_text(encoding="utf-8"))
    before = len(load(journal)["entries"])
    result = ok(sandbox.run("import", str(JRNL_EXPORT), "--format", "jrnl", db=journal))
    assert "added 5 (5 journal entries)" in result.stdout
    entries = [e for e in load(journal)["entries"].values()
               if e.get("imported_from") == "jrnl"]
    assert len(load(journal)["entries"]) == before + 5
    by_time = {(e["date"], e["jrnl"]["time"]): e for e in entries}
    for item in source["entries"]:
        entry = by_time[(item["date"], item["time"])]
        assert entry["body"] == f"{item['title']}\n{item['body']}"
        assert entry["tags"] == [t.lstrip("@#").casefold() for t in item["tags"]]
        assert entry["jrnl"]["starred"] is item["starred"]
    cafe = by_time[("2026-11-04", "21:15")]
    assert cafe["body"].startswith("Café practice with Zoë — pausing works!\nI noticed")
    assert "\n\nA silent pause" in cafe["body"]  # multi-line bodies keep their lines
    assert cafe["tags"] == ["speaking", "insight"]
    assert by_time[("2026-11-10", "08:00")]["tags"] == ["übertag", "work"]
    assert by_time[("2026-11-12", "18:00")]["jrnl"]["starred"] is True
    ok(sandbox.run("verify", db=journal))

    # recognised without --format, and a second import adds nothing
    again = ok(sandbox.run("import", str(JRNL_EXPORT), db=journal))
    assert "added 0; updated 0; skipped 5" in again.stdout


def test_jrnl_entry_edited_in_jrnl_is_updated(sandbox: Sandbox, journal: Path) -> None:
    ok(sandbox.run("import", str(JRNL_EXPORT), db=journal))
    data = json.loads(JRNL_EXPORT.read_text(encoding="utf-8"))
    data["entries"][0]["body"] += "\nAdded later in jrnl."
    edited = sandbox.root / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = ok(sandbox.run("import", str(edited), db=journal))
    assert "added 0; updated 1 (1 journal entries); skipped 4" in result.stdout


def test_dry_run_writes_nothing(sandbox: Sandbox, journal: Path) -> None:
    before = journal.read_bytes()
    result = ok(sandbox.run("import", str(JRNL_EXPORT), "--dry-run", db=journal))
    assert "Would import" in result.stdout and "added 5" in result.stdout
    assert journal.read_bytes() == before


# ======================================================================= bad input


def _unchanged(sandbox: Sandbox, journal: Path, *args: str) -> subprocess.CompletedProcess:
    before, listing = journal.read_bytes(), files_under(journal.parent)
    result = sandbox.run(*args, db=journal)
    assert_one_line_error(result, 2)
    assert journal.read_bytes() == before
    assert files_under(journal.parent) == listing
    return result


def test_truncated_json_is_refused(sandbox: Sandbox, journal: Path) -> None:
    export = sandbox.root / "export.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))
    raw = export.read_bytes()
    export.write_bytes(raw[: len(raw) // 2])
    result = _unchanged(sandbox, journal, "import", str(export))
    assert "not valid JSON" in result.stderr and "nothing was written" in result.stderr


@pytest.mark.parametrize("content", [
    '{"tags": {}, "entries": {"title": "not a list"}}',
    '{"tags": {}, "entries": ["just a string"]}',
    '{"entries": [{"title": "no date", "body": ""}]}',
    '{"entries": [{"title": "t", "body": "b", "date": "2026-11-02", "tags": "@work"}]}',
    '[1, 2, 3]',
])
def test_jrnl_file_of_the_wrong_shape_is_refused(
    sandbox: Sandbox, journal: Path, content: str
) -> None:
    bad = sandbox.root / "bad.json"
    bad.write_text(content, encoding="utf-8")
    _unchanged(sandbox, journal, "import", str(bad), "--format", "jrnl")


def test_invalid_records_in_our_json_are_refused(sandbox: Sandbox, journal: Path) -> None:
    export = sandbox.root / "export.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))
    data = json.loads(export.read_text(encoding="utf-8"))
    data["records"]["checkins"][-1]["date"] = "2026-13-45"
    export.write_text(json.dumps(data), encoding="utf-8")
    result = _unchanged(sandbox, journal, "import", str(export))
    assert "is not a YYYY-MM-DD date" in result.stderr
    data["records"]["checkins"][-1] = {"id": "x"}
    export.write_text(json.dumps(data), encoding="utf-8")
    _unchanged(sandbox, journal, "import", str(export))
    data["schema_version"] = SCHEMA_VERSION + 1
    export.write_text(json.dumps(data), encoding="utf-8")
    assert "newer micro-journal" in _unchanged(sandbox, journal, "import", str(export)).stderr


@pytest.mark.parametrize("args", [
    ("export", "--format", "pdf"),
    ("export", "--format", "json", "--from", "yesterday"),
    ("export", "--from", "2026-11-10", "--to", "2026-11-01"),
    ("import", "missing-file.json"),
    ("import", "__JRNL__", "--format", "docx"),
    ("restore", "no-such-backup"),
])
def test_unknown_format_and_bad_arguments(
    sandbox: Sandbox, journal: Path, args: tuple[str, ...]
) -> None:
    args = tuple(str(JRNL_EXPORT) if a == "__JRNL__" else a for a in args)
    _unchanged(sandbox, journal, *args)


def test_output_that_cannot_be_written(sandbox: Sandbox, journal: Path) -> None:
    not_a_folder = sandbox.root / "plain-file"
    not_a_folder.write_text("x")
    result = _unchanged(sandbox, journal, "export", "-o", str(not_a_folder / "out.json"))
    assert "does not exist" in result.stderr
    _unchanged(sandbox, journal, "export", "-o", str(sandbox.root))  # a folder
    result = _unchanged(sandbox, journal, "export", "-o", str(journal))
    assert "the journal itself" in result.stderr
    if os.geteuid() != 0:  # root writes anywhere
        locked = sandbox.root / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            result = _unchanged(sandbox, journal, "export", "-f", "csv",
                                "-o", str(locked / "out.csv"))
            assert "permission denied" in result.stderr
        finally:
            locked.chmod(0o700)


# ======================================================================= verify


def test_verify_a_sound_journal(sandbox: Sandbox, journal: Path) -> None:
    result = ok(sandbox.run("verify", db=journal))
    assert "Sound" in result.stdout and "36 checkins" in result.stdout


def test_verify_knows_the_removals_kept_for_a_sync(sandbox: Sandbox, journal: Path) -> None:
    """An undone check-in leaves a tombstone (what a sync needs to remove it on another
    device): verify knows that table and does not call it unknown."""
    import datetime as dt

    from micro_journal.store import Repository, open_journal

    with open_journal(journal) as opened:
        repo = Repository(opened)
        undone = repo.checkins()[0]
        assert repo.remove_checkin(undone.skill_id, dt.date.fromisoformat(undone.date))
    assert load(journal).get("tombstones") or "tombstones" in journal.with_name(
        journal.name + ".changes").read_text()
    result = ok(sandbox.run("verify", db=journal))
    assert "Sound" in result.stdout and "35 checkins" in result.stdout
    assert "unknown" not in result.stdout


def test_verify_reports_every_broken_reference(sandbox: Sandbox, journal: Path) -> None:
    data = load(journal)
    first = {t: next(iter(data[t].values())) for t in
             ("checkins", "skills", "plans", "goals", "entries", "reviews")}
    first["checkins"]["skill_id"] = "gone-skill-1"
    first["skills"]["objective_id"] = "gone-objective-1"
    first["plans"]["weeks"][1]["skill_id"] = "gone-skill-2"
    first["goals"]["objective_id"] = "gone-objective-2"
    first["goals"]["skill_id"] = "gone-skill-3"
    first["entries"]["skill_ids"] = ["gone-skill-4"]
    first["reviews"]["measurements"][0]["skill_id"] = "gone-skill-5"
    save(journal, data)
    result = sandbox.run("verify", db=journal)
    assert result.returncode == 1
    for n in range(1, 6):
        assert f"gone-skill-{n}" in result.stdout
    for n in (1, 2):
        assert f"gone-objective-{n}" in result.stdout
    assert "weeks[1].skill_id" in result.stdout


def test_verify_reports_bad_values_unparseable_files_and_newer_schemas(
    sandbox: Sandbox, journal: Path
) -> None:
    data = load(journal)
    next(iter(data["checkins"].values()))["status"] = "maybe"
    next(iter(data["entries"].values())).pop("date")
    save(journal, data)
    result = sandbox.run("verify", db=journal)
    assert result.returncode == 1
    assert "'maybe' is not one of" in result.stdout and "lacks date" in result.stdout

    next(iter(data["meta"].values()))["schema_version"] = SCHEMA_VERSION + 1
    save(journal, data)
    assert "newer" in sandbox.run("verify", db=journal).stdout

    journal.write_bytes(b'{"checkins": {"1": ')
    result = sandbox.run("verify", db=journal)
    assert result.returncode == 1 and "does not parse" in result.stdout
    assert journal.read_bytes() == b'{"checkins": {"1": '  # verify never moves anything


# ======================================================================= backup and restore


def backup_bytes(path: Path) -> bytes:
    """A backup's journal, whether it is kept as it is or gzip-compressed."""
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def test_backup_and_restore(sandbox: Sandbox, journal: Path) -> None:
    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    assert made.parent == journal.parent / "backups" and made.is_file()
    original = journal.read_bytes()
    assert backup_bytes(made) == original

    ok(sandbox.run("checkin", OUTLINE, "--note", "after the backup", db=journal))
    changed = load(journal)  # the check-in waits in the change log, part of the journal
    assert changed != json.loads(original)

    listing = ok(sandbox.run("restore", db=journal)).stdout
    assert made.name in listing

    result = ok(sandbox.run("restore", made.name, db=journal))
    assert journal.read_bytes() == original
    kept = Path(result.stdout.strip().splitlines()[-1].split(" kept as ")[1].rstrip("."))
    # the journal as it was, its waiting check-in folded in, backed up first
    assert drop_tokens(json.loads(backup_bytes(kept))) == drop_tokens(changed)
    ok(sandbox.run("verify", db=journal))


def test_a_compressed_backup_imports_into_another_journal(sandbox: Sandbox, journal: Path,
                                                         tmp_path: Path) -> None:
    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    assert made.name.endswith(".json.gz")
    other = tmp_path / "other" / "journal.json"
    ok(sandbox.run("demo", str(other)))
    ok(sandbox.run("import", str(made), db=other))
    ids = {d["id"] for docs in load(other).values() for d in docs.values() if "id" in d}
    mine = {d["id"] for docs in load(journal).values() for d in docs.values() if "id" in d}
    assert mine <= ids  # every record of the backup arrived
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(made.read_bytes()[:-20])
    result = sandbox.run("import", str(cut), db=other)
    assert_one_line_error(result, 2)
    assert "cut.json.gz cannot be read" in result.stderr


def test_restore_refuses_while_the_journal_is_open(sandbox: Sandbox, journal: Path) -> None:
    from filelock import FileLock

    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    before = journal.read_bytes()
    lock = FileLock(str(journal.with_name(journal.name + ".lock")))
    with lock:
        result = sandbox.run("restore", str(made), "--wait", "0", db=journal)
    assert_one_line_error(result, 1)
    assert "open in another micro-journal" in result.stderr
    assert journal.read_bytes() == before


def test_restore_brings_back_a_missing_journal(sandbox: Sandbox, journal: Path) -> None:
    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    journal.unlink()
    ok(sandbox.run("restore", made.name, db=journal))
    assert journal.read_bytes() == backup_bytes(made)


# ======================================================================= progress


def test_progress_bar_on_a_terminal_only(sandbox: Sandbox, journal: Path) -> None:
    piped = ok(sandbox.run("export", "-f", "markdown", db=journal))
    assert piped.stderr == ""

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "micro_journal", "--db", str(journal), "export"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
            env=sandbox.env, cwd=sandbox.root,
        )
        os.close(slave)
        slave = -1
        out, _ = proc.communicate(timeout=60)
        seen = b""
        while select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)
    assert proc.returncode == 0
    assert "Exporting json" in seen.decode("utf-8", "replace") and b"100%" in seen
    json.loads(out)  # standard output stays clean JSON


# ======================================================================= the app's palette


async def test_export_and_import_from_the_command_palette(tmp_path: Path, monkeypatch) -> None:
    from textual.widgets import Input, Select

    from micro_journal.cli import make_app
    from micro_journal.config import Config
    from micro_journal.domain.clock import FixedClock
    from micro_journal.domain.models import Entry
    from micro_journal.screens.portability import PortabilityDialog
    from micro_journal.services.demo import write_demo
    from micro_journal.store import Repository, open_journal

    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MICRO_JOURNAL_TODAY", raising=False)
    day = dt.date(2026, 11, 18)
    path = tmp_path / "journal" / "journal.json"
    with open_journal(path, today=lambda: day) as journal:
        write_demo(Repository(journal), day)
    app = make_app(path, FixedClock(day), Config())
    target = tmp_path / "out" / "week.md"
    target.parent.mkdir()
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Export journal…" in titles and "Import into journal…" in titles

        app.open_portability("export")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PortabilityDialog)
        dialog.query_one("#format", Select).value = "markdown"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value.endswith(".md")
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, PortabilityDialog)
        assert target.read_text(encoding="utf-8").startswith("# micro-journal")

        app.open_portability("import")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#path", Input).value = str(tmp_path / "nope.json")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PortabilityDialog)  # stays open, says why
        assert "does not exist" in str(dialog.query_one("#path-error").render())

        dialog.query_one("#path", Input).value = str(JRNL_EXPORT)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, PortabilityDialog)
        imported = [e for e in app.repo.all(Entry) if e.extra.get("imported_from") == "jrnl"]
        assert len(imported) == 5
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert sum(e.get("imported_from") == "jrnl" for e in saved["entries"].values()) == 5


# ======================================================================= service details


def test_markdown_table_cells_and_quotes_are_safe() -> None:
    assert pt.md_cell("a | b\nc") == "a \\| b<br>c"
    assert pt.md_quote("# not a heading\n\nsecond") == ["> # not a heading", ">", "> second"]



def test_an_older_export_is_upgraded_by_the_store_migrations(
    sandbox: Sandbox, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from micro_journal.domain import models
    from micro_journal.store import migrations

    export = sandbox.root / "v1.json"
    ok(sandbox.run("export", "-o", str(export), db=journal))

    def words(data: dict) -> dict:
        for doc in data.get("entries", {}).values():
            doc["words"] = len(doc["body"].split())
        return data

    monkeypatch.setattr(models, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 1, words)
    incoming = pt.load_import(export.read_bytes())
    entries = [r for r in incoming.records if isinstance(r, models.Entry)]
    assert entries and all(e.extra["words"] == len(e.body.split()) for e in entries)
    assert any("upgraded" in note for note in incoming.notes)


def test_an_export_never_replaces_a_device_or_a_pipe(tmp_path: Path) -> None:
    """The check the app's Export dialog and the command share: a write is a rename over
    the target, so a device or a FIFO given as the output would be replaced."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, kind in ((Path("/dev/null"), "a device"), (fifo, "a named pipe")):
        with pytest.raises(pt.PortabilityError, match=kind):
            pt.check_output_path(target)
    assert fifo.exists() and Path("/dev/null").is_char_device()
