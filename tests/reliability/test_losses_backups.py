"""Issue 15, items 2, 3 and 5: three ways a journal (or its history) could still be lost
through backups, restore and export — each reproduced through the real command.

* two ``restore`` runs in the same second: the second one's ``before-restore`` safety
  copy must not replace the first one's (the journal as it was before it);
* manual ``backup`` runs must not take the daily rotation's slots (16 manual backups in
  a day used to cost 11 of the 14 dailies at the next day's first open; an hourly cron
  job, all of them);
* ``export --output`` onto any file that is part of the journal (its change log, lock,
  drafts, backups, set-aside copies — directly, through a symlink or a ``..`` path) is
  refused with exit status 2 and writes nothing;
* a ``backup`` killed half way leaves no temp file in ``backups/`` for ever.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from micro_journal.domain.models import Entry
from micro_journal.services import portability as pt
from micro_journal.store import Repository, open_journal, read_state
from micro_journal.store.backups import (
    backup_label,
    list_backups,
    pre_migration_backup,
    read_backup,
)
from micro_journal.store.files import TMP_MARK, parse_journal_bytes
from tests.cli.cli_helpers import OUTLINE, Sandbox, assert_one_line_error, sealed_env

FIXED_STAMP = "20261118T120000Z"
# the real command, with the clock of the file names stopped: every run "in the same second"
SAME_SECOND = f"""
import sys
import micro_journal.store.files as files
import micro_journal.store.backups as backups
files.stamp = backups.stamp = lambda: {FIXED_STAMP!r}
from micro_journal.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path, sealed_env(tmp_path))


@pytest.fixture
def journal(sandbox: Sandbox) -> Path:
    path = sandbox.root / "journal" / "journal.json"
    path.parent.mkdir(mode=0o700)
    ok(sandbox.run("demo", str(path)))
    return path


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def run_same_second(
    sandbox: Sandbox, journal: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SAME_SECOND, "--db", str(journal), *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=sandbox.env,
        cwd=sandbox.root, timeout=60,
    )


def contents(folder: Path) -> dict[Path, bytes | None]:
    """Every file and folder under ``folder`` with its bytes (None for a folder)."""
    return {
        p.relative_to(folder): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


# ============================================================ 2. restore's safety copies


def records(raw: bytes) -> dict:
    """The records of a journal file (each writer may lay its bytes out differently)."""
    return {t: docs for t, docs in parse_journal_bytes(raw).items() if t != "meta"}


def journal_records(path: Path) -> dict:
    """The journal's records as the app sees them: the file plus its change log."""
    return {t: dict(docs) for t, docs in read_state(path).items() if t != "meta"}


def test_two_restores_in_the_same_second_keep_both_safety_copies(sandbox, journal):
    made = Path(ok(sandbox.run("backup", db=journal)).stdout.strip())
    ok(sandbox.run("checkin", OUTLINE, "--note", "state B", db=journal))
    state_b = journal_records(journal)
    ok(run_same_second(sandbox, journal, "restore", made.name))
    ok(sandbox.run("checkin", OUTLINE, "--note", "state C", db=journal))
    state_c = journal_records(journal)
    second = ok(run_same_second(sandbox, journal, "restore", made.name))

    safety = [p for p in list_backups(journal) if "before-restore" in p.name]
    kept = [records(read_backup(p)) for p in safety]
    assert state_b in kept, "the first restore's safety copy was overwritten"
    assert state_c in kept
    # the command names the copy it really made
    named = Path(second.stdout.strip().splitlines()[-1].split(" kept as ")[1].rstrip("."))
    assert records(read_backup(named)) == state_c
    # both are offered by `restore` and each can be put back
    listing = ok(sandbox.run("restore", db=journal)).stdout
    assert all(p.name in listing for p in safety)
    first = next(p for p in safety if records(read_backup(p)) == state_b)
    ok(sandbox.run("restore", first.name, db=journal))
    assert journal_records(journal) == state_b


def test_a_pre_migration_copy_never_replaces_an_earlier_one(tmp_path, monkeypatch):
    import micro_journal.store.backups as backups

    monkeypatch.setattr(backups, "stamp", lambda: FIXED_STAMP)
    path = tmp_path / "journal.json"
    seen = []
    for n in range(3):
        path.write_bytes(b'{"meta": {"1": {"schema_version": 1}}, "entries": {"1": {"n": %d}}}'
                         % n)
        seen.append(pre_migration_backup(path, 1))
    assert len(set(seen)) == 3
    assert [parse_journal_bytes(read_backup(p))["entries"]["1"]["n"] for p in seen] == [0, 1, 2]
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in seen)


# ============================================================ 3. manual backups and rotation


def use_for_days(path: Path, first: dt.date, days: int) -> dt.date:
    """Open the journal once a day, as the app does (each first open takes the daily)."""
    for n in range(days):
        day = first + dt.timedelta(days=n)
        with open_journal(path, today=lambda day=day: day) as journal:
            Repository(journal).save(Entry(date=day.isoformat(), body=f"day {day}"))
    return first + dt.timedelta(days=days - 1)


def dailies(path: Path) -> set[dt.date]:
    days = set()
    for p in list_backups(path):
        label = backup_label(path, p)
        try:
            days.add(dt.date.fromisoformat(label))
        except ValueError:
            continue
    return days


def test_sixteen_manual_backups_in_a_day_cost_no_daily(sandbox, tmp_path):
    path = sandbox.root / "journal" / "journal.json"
    first = dt.date(2026, 1, 1)
    last = use_for_days(path, first, 15)  # the first day's open made it: nothing to copy
    assert dailies(path) == {first + dt.timedelta(days=n) for n in range(1, 15)}
    env = dict(sandbox.env, MICRO_JOURNAL_TODAY=last.isoformat())
    made = [Path(ok(sandbox.run("backup", db=path, env=env)).stdout.strip())
            for _ in range(16)]
    assert len(set(made)) == 16
    next_day = last + dt.timedelta(days=1)
    ok(sandbox.run("today", "--json", db=path,
                   env=dict(sandbox.env, MICRO_JOURNAL_TODAY=next_day.isoformat())))
    ok(sandbox.run("write", "the next day", db=path,
                   env=dict(sandbox.env, MICRO_JOURNAL_TODAY=next_day.isoformat())))

    kept = dailies(path)
    newest_14 = {next_day - dt.timedelta(days=n) for n in range(14)}
    assert newest_14 <= kept, f"dailies lost: {sorted(newest_14 - kept)}"
    # the manual ones are still listed and can be restored; the newest is always kept
    assert made[-1].exists()
    listing = ok(sandbox.run("restore", db=path)).stdout
    for p in made:
        if p.exists():
            assert p.name in listing
    before = journal_records(path)
    ok(sandbox.run("restore", made[-1].name, db=path))
    assert journal_records(path) == records(read_backup(made[-1])) != before
    for p in list_backups(path):
        parse_journal_bytes(read_backup(p))


def test_an_hourly_backup_cron_job_keeps_every_daily(tmp_path, figures):
    """`micro-journal backup` from cron every hour for 3 days, after 14 days of use: what
    the command does (open for writing, which takes the day's backup, then back up)."""
    path = tmp_path / "journal.json"
    first = dt.date(2026, 3, 1)
    last = use_for_days(path, first, 15)
    made = []
    for n in range(1, 4):
        day = last + dt.timedelta(days=n)
        for hour in range(24):
            now = dt.datetime.combine(day, dt.time(hour, 0, 5))
            with open_journal(path, today=lambda day=day: day) as journal:
                made.append(pt.backup_now(journal, now))
    end = last + dt.timedelta(days=3)
    kept = dailies(path)
    wanted = {end - dt.timedelta(days=n) for n in range(14)}
    assert wanted <= kept, f"dailies lost: {sorted(wanted - kept)}"
    manual = [p for p in list_backups(path) if "manual" in p.name]
    assert made[-1] in manual  # the newest backup of any kind is never removed
    assert 1 <= len(manual) <= 14
    assert all(p.exists() for p in made[-len(manual):])
    figures.add(f"backups: 14 days of use then 72 hourly `backup` runs: {len(kept)} dailies "
                f"and weeklies kept (the newest 14 days all there), {len(manual)} manual")


# ============================================================ 5. export onto the journal


def _journal_files(journal: Path) -> None:
    """Put every kind of file a journal has beside it."""
    folder = journal.parent
    (folder / "backups").mkdir(exist_ok=True, mode=0o700)
    (folder / "backups" / "journal-2026-11-17.json").write_bytes(journal.read_bytes())
    drafts = folder / "journal.json.drafts"
    drafts.mkdir(exist_ok=True, mode=0o700)
    (drafts / "abc123.json").write_text('{"entry_id": "abc123", "body": "typed"}')
    (folder / "journal.json.corrupt-20261101T000000Z").write_bytes(b"{torn")
    (folder / "journal.json.changes.damaged-20261101T000000Z").write_bytes(b"x\n")


PART_OF_THE_JOURNAL = [
    "journal/journal.json",
    "journal/journal.json.changes",  # not there now: the next save would read it
    "journal/journal.json.lock",
    "journal/journal.json.drafts",
    "journal/journal.json.drafts/abc123.json",
    "journal/journal.json.drafts/new.json",
    "journal/backups/journal-2026-11-17.json",
    "journal/backups/journal-2026-11-19.json",
    "journal/backups/journal-2026-11-19.json.gz",  # the name a new backup has
    "journal/backups/journal-2026-11-19.json.bz2",
    "journal/backups",
    "journal/journal.json.corrupt-20261101T000000Z",
    "journal/journal.json.changes.damaged-20261101T000000Z",
    "journal/x/../journal.json",
    "journal/x/../journal.json.changes",
    "./journal/./journal.json.lock",
    "link/journal.json.changes",  # link → journal/
    "link/backups/journal-2026-11-17.json",
    "journal/alias.json",  # a symlink to the journal file
]


@pytest.mark.parametrize("target", PART_OF_THE_JOURNAL)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_refuses_any_file_that_is_part_of_the_journal(sandbox, journal, target, fmt):
    _journal_files(journal)
    (journal.parent / "x").mkdir()
    (sandbox.root / "link").symlink_to(journal.parent, target_is_directory=True)
    (journal.parent / "alias.json").symlink_to(journal)
    before = contents(sandbox.root)
    result = sandbox.run("export", "-f", fmt, "-o", target, db=journal)
    assert_one_line_error(result, 2)
    assert ("part of the journal" in result.stderr or "the journal itself" in result.stderr
            or "backups folder" in result.stderr), result.stderr
    assert contents(sandbox.root) == before


def test_export_refuses_the_journal_s_files_through_a_symlinked_db(sandbox, journal):
    _journal_files(journal)
    alias = sandbox.root / "elsewhere" / "my-journal.json"
    alias.parent.mkdir()
    alias.symlink_to(journal)
    before = contents(sandbox.root)
    for target in (journal.with_name("journal.json.changes"), alias,
                   alias.with_name("my-journal.json.changes"),
                   journal.parent / "backups" / "journal-2026-11-17.json"):
        result = sandbox.run("export", "-o", str(target), db=alias)
        assert_one_line_error(result, 2)
    assert contents(sandbox.root) == before
    # an ordinary file beside it is still fine
    ok(sandbox.run("export", "-o", str(journal.parent / "export.json"), db=alias))


# ============================================================ a kill during backup


def test_a_backup_killed_half_way_leaves_no_temp_file_behind(sandbox, journal):
    ok(sandbox.run("backup", db=journal))  # today's daily exists: the next copy is manual
    # a change since: the next backup is a copy (of an unchanged journal: a hard link)
    ok(sandbox.run("checkin", OUTLINE, "--note", "after the first backup", db=journal))
    stall = """
import os, sys, time
real = os.fsync
def fsync(fd):
    if "backups" in os.readlink(f"/proc/self/fd/{fd}"):
        sys.stderr.write("stalled\\n"); sys.stderr.flush()
        time.sleep(600)
    real(fd)
os.fsync = fsync
from micro_journal.cli import main
raise SystemExit(main(sys.argv[1:]))
"""
    proc = subprocess.Popen(
        [sys.executable, "-c", stall, "--db", str(journal), "backup"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=sandbox.env, cwd=sandbox.root,
    )
    folder = journal.parent / "backups"
    try:
        deadline = time.monotonic() + 30
        while not [p for p in folder.iterdir() if TMP_MARK in p.name]:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert [p for p in folder.iterdir() if TMP_MARK in p.name]  # what the kill left
    ok(sandbox.run("backup", db=journal))
    assert not [p for p in folder.iterdir() if TMP_MARK in p.name]
    for p in list_backups(journal):
        parse_journal_bytes(read_backup(p))


# ============================================================ restore through a symlink


def test_restore_through_a_symlinked_db_writes_the_real_journal(sandbox, journal):
    """`--db` names a symlink (a journal kept in a synced folder): restore must lock,
    keep and replace the file it names, not turn the link into a copy of its own."""
    alias = sandbox.root / "elsewhere" / "journal.json"
    alias.parent.mkdir()
    alias.symlink_to(journal)
    made = Path(ok(sandbox.run("backup", db=alias)).stdout.strip())
    assert made.parent == journal.parent / "backups"
    ok(sandbox.run("checkin", OUTLINE, "--note", "after the backup", db=alias))
    changed = journal_records(journal)
    listing = ok(sandbox.run("restore", db=alias)).stdout
    assert made.name in listing
    ok(sandbox.run("restore", made.name, db=alias))
    assert alias.is_symlink() and alias.resolve() == journal
    assert journal_records(journal) == records(read_backup(made))
    kept = [p for p in list_backups(journal) if "before-restore" in p.name]
    assert [records(read_backup(p)) for p in kept] == [changed]
    assert not (alias.parent / "backups").exists()
