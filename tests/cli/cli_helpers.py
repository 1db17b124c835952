"""Helpers for the CLI tests: the real command run in a subprocess, in a sealed environment.

Every run gets:
- ``MICRO_JOURNAL_TODAY=2026-11-18`` (the demo journal's week 3),
- ``MICRO_JOURNAL_CONFIG_DIR``, ``HOME``, ``XDG_*`` and ``TMPDIR`` inside the test's temp
  folder, so the user's config and journal are never read or written,
- no ``MICRO_JOURNAL_DB`` (or any other ``MICRO_JOURNAL_*``) leaking in from outside.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TODAY = "2026-11-18"
SMILE = "Start and end every talk with a confident smile"
EYE = "Hold eye contact for five seconds before responding"
UM = "Eliminate 'um' and 'uh'"
OUTLINE = "Start every task with a 3-minute outline"


@dataclass
class Sandbox:
    root: Path
    env: dict[str, str]

    @property
    def default_journal(self) -> Path:
        """Where the app would put the journal if nothing said otherwise (Linux layout)."""
        return self.root / "data" / "micro-journal" / "journal.json"

    def run(
        self,
        *args: str,
        db: Path | None = None,
        stdin: int | None = subprocess.DEVNULL,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "micro_journal"]
        if db is not None:
            cmd += ["--db", str(db)]
        cmd += list(args)
        return subprocess.run(
            cmd,
            stdin=stdin,
            capture_output=True,
            text=True,
            env=env or self.env,
            cwd=self.root,
            timeout=timeout,
        )


def sealed_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICRO_JOURNAL_")}
    for name in ("home", "data", "config", "cache", "state", "tmp", "cfg"):
        (root / name).mkdir(exist_ok=True)
    env.update(
        MICRO_JOURNAL_TODAY=TODAY,
        MICRO_JOURNAL_CONFIG_DIR=str(root / "cfg"),
        HOME=str(root / "home"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
        XDG_STATE_HOME=str(root / "state"),
        TMPDIR=str(root / "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def load(path: Path) -> dict:
    """What the journal holds: journal.json with the saves waiting in its change log
    (plain commands append there and leave the fold to the app's next start)."""
    from micro_journal.store import read_state

    return read_state(path)


def checkins_of(path: Path, skill_id: str, day: str = TODAY) -> list[dict]:
    """The check-in records of one skill on one day, as the journal holds them."""
    data = load(path)
    return [
        c for c in data.get("checkins", {}).values()
        if c["skill_id"] == skill_id and c["date"] == day
    ]


def skill_ids(path: Path) -> dict[str, str]:
    """Title → id of every skill in the journal file."""
    return {s["title"]: s["id"] for s in load(path)["skills"].values()}


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("micro-journal: ")
    assert result.stdout == ""


def files_under(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}


def console_script() -> Path | None:
    """The installed `micro-journal` script beside this interpreter, if there is one."""
    name = "micro-journal.exe" if sys.platform == "win32" else "micro-journal"
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return candidate
    found = shutil.which(name)
    return Path(found) if found else None
