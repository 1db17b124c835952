"""``micro-journal merge`` as git's merge driver, in a real git repository: two clones
commit conflicting check-ins and entries, ``git merge`` runs the driver, and the result
holds both sides. And ``merge OTHER.json`` by hand."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from micro_journal.domain.models import Entry, MicroSkill, Objective
from micro_journal.store import Repository, open_journal, read_state
from micro_journal.store.journal import merge_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
DAY = dt.date(2026, 11, 18)


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def change(path: Path, skill_title: str, day: dt.date, text: str) -> None:
    with open_journal(path, today=lambda: DAY) as journal:
        repo = Repository(journal)
        skill = next(s for s in repo.all(MicroSkill) if s.title == skill_title)
        repo.set_checkin(skill.id, day)
        entry = next(e for e in repo.all(Entry) if e.date == "2026-11-01")
        repo.save(entry.touched(body=text))
        repo.save(Entry(date=day.isoformat(), body=f"new on {skill_title}"))


@pytest.fixture
def repo_dir(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    path = repo / "journal.json"
    with open_journal(path, today=lambda: DAY) as journal:
        r = Repository(journal)
        objective = r.save(Objective(title="Speaking"))
        for title in ("Pause", "Breathe"):
            r.save(MicroSkill(objective_id=objective.id, title=title))
        r.save(Entry(date="2026-11-01", body="The first entry."))
    shutil.rmtree(repo / "backups", ignore_errors=True)
    # the two lines the README gives, with this interpreter standing for the command
    (repo / ".gitattributes").write_text("journal.json merge=micro-journal\n")
    (repo / ".gitignore").write_text("backups/\n*.lock\n*.changes\n")
    git(repo, "config", "merge.micro-journal.driver",
        f"{sys.executable} -m micro_journal merge %O %A %B")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def test_git_merge_runs_the_driver_and_keeps_both_sides(repo_dir):
    path = repo_dir / "journal.json"
    git(repo_dir, "checkout", "-q", "-b", "desktop")
    change(path, "Breathe", DAY, "Desktop's words.")
    git(repo_dir, "commit", "-q", "-am", "desktop")
    git(repo_dir, "checkout", "-q", "main")
    change(path, "Pause", DAY - dt.timedelta(days=1), "Laptop's words.")
    git(repo_dir, "commit", "-q", "-am", "laptop")

    git(repo_dir, "merge", "-q", "--no-edit", "desktop")

    data = read_state(path)
    days = sorted(d["date"] for d in data["checkins"].values())
    assert days == ["2026-11-17", "2026-11-18"]
    first = next(d for d in data["entries"].values() if d["date"] == "2026-11-01")
    assert {first["body"], *first.get("conflicts", [])} == {"Laptop's words.",
                                                           "Desktop's words."}
    bodies = {d["body"] for d in data["entries"].values()}
    assert {"new on Pause", "new on Breathe"} <= bodies
    assert "<<<<<<<" not in path.read_text()
    # the app opens the merged file and shows both check-ins
    with open_journal(path, today=lambda: DAY) as journal:
        assert len(Repository(journal).all(Entry)) == 3


def test_a_merge_that_adds_nothing_leaves_the_file_byte_for_byte(repo_dir, tmp_path):
    path = repo_dir / "journal.json"
    before = path.read_bytes()
    base = tmp_path / "base.json"
    shutil.copy(path, base)
    theirs = tmp_path / "theirs.json"
    shutil.copy(path, theirs)
    outcome = merge_files(base, path, theirs)
    assert not outcome.changed and path.read_bytes() == before
    # the same by the command, as git calls it
    done = subprocess.run([sys.executable, "-m", "micro_journal", "merge", str(base),
                           str(path), str(theirs)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == before


def test_merge_by_hand_adds_the_other_copy_and_leaves_it(repo_dir, tmp_path):
    path = repo_dir / "journal.json"
    other = tmp_path / "laptop.json"
    shutil.copy(path, other)
    change(other, "Pause", DAY, "From the laptop.")
    kept = other.read_bytes()
    env = {**os.environ, "MICRO_JOURNAL_CONFIG_DIR": str(tmp_path / "config"),
           "MICRO_JOURNAL_TODAY": DAY.isoformat()}
    done = subprocess.run([sys.executable, "-m", "micro_journal", "--db", str(path), "merge",
                           str(other)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "1 check-in" in done.stdout and "conflicting version" not in done.stdout
    assert other.read_bytes() == kept
    data = read_state(path)
    assert [d["date"] for d in data["checkins"].values()] == ["2026-11-18"]
    again = subprocess.run([sys.executable, "-m", "micro_journal", "--db", str(path),
                            "merge", str(other)], capture_output=True, text=True, env=env)
    assert again.returncode == 0 and "nothing new" in again.stdout


def test_merge_refuses_what_is_not_a_journal(repo_dir, tmp_path):
    path = repo_dir / "journal.json"
    before = path.read_bytes()
    bad = tmp_path / "notes.json"
    bad.write_text('{"_default": {"1": {"x": 1}}}')
    env = {**os.environ, "MICRO_JOURNAL_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-m", "micro_journal", "--db", str(path), "merge",
                           str(bad)], capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert "not a micro-journal file" in done.stderr and "Traceback" not in done.stderr
    assert path.read_bytes() == before
