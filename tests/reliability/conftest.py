"""Shared fixtures of the reliability suite, and the figures it reports.

Every test that injects faults records what it did with ``figures.add(...)``; the
lines are printed at the end of the pytest run (and by the README's claims).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"

_FIGURES: list[str] = []


class Figures:
    def add(self, line: str) -> None:
        _FIGURES.append(line)
        print(line)


@pytest.fixture
def figures() -> Figures:
    return Figures()


def pytest_terminal_summary(terminalreporter) -> None:
    if _FIGURES:
        terminalreporter.section("reliability figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Never read the user's config or journal; no pinned date unless a test pins one."""
    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MICRO_JOURNAL_DB", raising=False)
    monkeypatch.delenv("MICRO_JOURNAL_TODAY", raising=False)
    monkeypatch.delenv("MICRO_JOURNAL_TEST_CRASH", raising=False)


def env_count(name: str, default: int) -> int:
    """A loop count that CI keeps small and a person can raise by hand."""
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


PYTHON = sys.executable


DEMO_DAY = "2026-11-18"  # a Wednesday, week 3 of the demo plan (as in tests/cli)


@pytest.fixture(scope="session")
def demo_bytes(tmp_path_factory) -> bytes:
    import datetime as dt

    from micro_journal.services.demo import write_demo
    from micro_journal.store import Repository, open_journal

    day = dt.date.fromisoformat(DEMO_DAY)
    path = tmp_path_factory.mktemp("demo") / "journal.json"
    with open_journal(path, today=lambda: day) as journal:
        write_demo(Repository(journal), day)
    return path.read_bytes()


@pytest.fixture
def box(tmp_path):
    """A sealed environment (tests/cli/cli_helpers) with a terminal type for pty runs."""
    from tests.cli.cli_helpers import Sandbox, sealed_env

    env = sealed_env(tmp_path)
    env["TERM"] = "xterm-256color"
    env.pop("NO_COLOR", None)
    return Sandbox(tmp_path, env)


@pytest.fixture
def demo(tmp_path, demo_bytes) -> Path:
    """A private copy of the demo journal, 0600 in a 0700 folder."""
    path = tmp_path / "journal" / "journal.json"
    path.parent.mkdir(mode=0o700)
    path.write_bytes(demo_bytes)
    path.chmod(0o600)
    return path


def read_json(path: Path) -> dict:
    """What the journal holds on disk: journal.json with its change log applied, as the
    next open would see it (read without a lock, changing nothing)."""
    from micro_journal.store import read_state

    return read_state(path)


def bodies(path: Path, day: str = DEMO_DAY) -> list[str]:
    return sorted(
        e["body"] for e in read_json(path).get("entries", {}).values() if e["date"] == day
    )


def draft_bodies(path: Path) -> list[str]:
    import json

    folder = path.with_name(path.name + ".drafts")
    if not folder.exists():
        return []
    return sorted(
        json.loads(p.read_bytes().decode("utf-8", "surrogatepass"))["body"]
        for p in folder.glob("*.json")
    )


@pytest.fixture
def apps():
    """The real apps a test started in pseudo-terminals (ptyapp.py), closed after it."""
    from .ptyapp import PtyApp

    started: list[PtyApp] = []
    yield started
    for app in started:
        app.close()
