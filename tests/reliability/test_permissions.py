"""16: under umask 022 every file we create is 0600 and every folder 0700; a journal
readable by others is tightened to 0600 with a notice the user sees.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.domain.models import Entry
from micro_journal.services.journal import JournalService
from micro_journal.store import Repository, open_journal
from micro_journal.store import storage as storage_mod

from .conftest import DEMO_DAY


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_everything_created_is_private_under_umask_022(tmp_path, box, umask_022, monkeypatch,
                                                       figures):
    root = tmp_path / "new" / "deeper"  # folders that do not exist yet
    path = root / "journal.json"
    made = subprocess.run(
        [sys.executable, "-m", "micro_journal", "demo", str(path)], env=box.env,
        cwd=box.root, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022),
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    temps: list[int] = []
    real_replace = os.replace

    def spy(src, dst, *a, **kw):
        temps.append(mode(type(path)(src)))
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(storage_mod.os, "replace", spy)
    day = dt.date(2026, 11, 19)  # a new day: a new daily backup
    with open_journal(path, today=lambda: day) as journal:
        repo = Repository(journal)
        service = JournalService(repo)
        entry = Entry(date=DEMO_DAY, body="private")
        service.write_draft(entry, "a draft")
        service.save(entry, body="private")
        service.write_draft(entry, "another draft")  # keep one draft on disk
        lock = journal.lock_path
        assert lock.exists()
        files = [p for p in tmp_path.joinpath("new").rglob("*") if p.is_file()]
        folders = [tmp_path / "new", *[p for p in tmp_path.joinpath("new").rglob("*")
                                       if p.is_dir()]]
        # looked at while open: the change log only lives until the journal is closed
        wrong = {str(p): oct(mode(p)) for p in files if mode(p) != 0o600}
        wrong |= {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700}
    assert temps and set(temps) == {0o600}
    names = {p.name for p in files}
    assert {"journal.json", "journal.json.lock", "journal.json.changes"} <= names
    assert any(p.parent.name == "backups" for p in files)
    assert any(p.parent.name == "journal.json.drafts" for p in files)
    assert wrong == {}
    figures.add(f"permissions: umask 022: {len(files)} files (journal, change log, lock, backup, "
                f"draft) "
                f"+ {len(temps)} temp files all 0600, {len(folders)} folders 0700")


async def test_a_journal_readable_by_others_is_tightened_with_a_notice(demo):
    demo.chmod(0o644)
    app = make_app(demo, FixedClock(dt.date.fromisoformat(DEMO_DAY)), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        told = [str(n.message) for n in app._notifications]
        assert any("Tightened the permissions" in m and "0644" in m and str(demo) in m
                   for m in told)
    assert mode(demo) == 0o600


def test_the_cli_tightens_too_and_says_so(box, demo):
    demo.chmod(0o640)
    result = box.run("today", db=demo)
    assert result.returncode == 0
    assert "Tightened the permissions" in result.stderr
    assert mode(demo) == 0o600


def test_exports_and_manual_backups_are_private_under_umask_022(box, demo):
    out = box.root / "exports"
    out.mkdir()
    made = []
    for fmt in ("json", "md", "csv", "ics"):
        target = out / f"journal.{fmt}"
        result = subprocess.run(
            [sys.executable, "-m", "micro_journal", "--db", str(demo), "export", "--format",
             fmt, "--output", str(target)], env=box.env, cwd=box.root, capture_output=True,
            text=True, preexec_fn=lambda: os.umask(0o022), timeout=60)
        assert result.returncode == 0, result.stderr
        made.append(target)
    backup = subprocess.run(
        [sys.executable, "-m", "micro_journal", "--db", str(demo), "backup"], env=box.env,
        cwd=box.root, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022),
        timeout=60)
    assert backup.returncode == 0, backup.stderr
    made.append(Path(backup.stdout.strip().splitlines()[-1]))
    assert {str(p): oct(mode(p)) for p in made if mode(p) != 0o600} == {}
    assert mode(made[-1].parent) == 0o700
