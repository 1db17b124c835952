"""Fixtures for driving the real app: a fixed clock, a temp journal, no user config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.services.demo import write_demo
from micro_journal.store import Repository, open_journal, read_state

DEMO_DAY = dt.date(2026, 11, 18)  # a Wednesday; the demo puts it in week 3 of 4


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """Never read the user's config, themes or journal."""
    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MICRO_JOURNAL_DB", raising=False)
    monkeypatch.delenv("MICRO_JOURNAL_TODAY", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC))


@pytest.fixture
def demo_path(tmp_path) -> Path:
    path = tmp_path / "journal" / "journal.json"
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        write_demo(Repository(journal), DEMO_DAY)
    return path


@pytest.fixture
def empty_path(tmp_path) -> Path:
    return tmp_path / "fresh" / "journal.json"


@pytest.fixture
def make(clock):
    def _make(path: Path, **kwargs):
        return make_app(path, clock, Config(), **kwargs)

    return _make


def read_journal(path: Path) -> dict:
    """What the journal holds on disk: journal.json with its change log applied, as the
    next open would see it (read without a lock, changing nothing)."""
    return read_state(path)


def table(path: Path, name: str) -> list[dict]:
    return list(read_journal(path).get(name, {}).values())


def skill_id(path: Path, title_part: str) -> str:
    for skill in table(path, "skills"):
        if title_part.lower() in skill["title"].lower():
            return skill["id"]
    raise AssertionError(f"no skill like {title_part!r}")


def checkins_on(path: Path, day: dt.date, skill: str) -> list[dict]:
    return [
        c for c in table(path, "checkins")
        if c["skill_id"] == skill and c["date"] == day.isoformat()
    ]
