"""Snapshots of the skill library picker and of the form it fills: empty journal, fixed
date, 80×24 and 120×40.

Update after an intended layout change with
``pytest tests/snapshots/test_library_snapshots.py --snapshot-update`` and look at every
changed SVG before committing it.
"""

from __future__ import annotations

import pytest

from micro_journal.screens.library_picker import LibraryPicker
from micro_journal.screens.skill_form import NewSkillForm
from tests.ui.test_library_ui import until

SIZES = [(80, 24), (120, 40)]
# shown in the empty state: a fixed folder (never created) keeps the picture stable
CONFIG_DIR = "/nonexistent/config/micro-journal"


def open_picker(objective: str, *then: str):
    async def run(pilot):
        app = pilot.app
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NewSkillForm))
        if objective:
            await pilot.press(*objective)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryPicker))
        if then:
            await pilot.press(*then)
        await pilot.pause()

    return run


@pytest.fixture(autouse=True)
def fixed_config_dir(monkeypatch):
    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", CONFIG_DIR)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_picker(snap_compare, empty_path, make, size):
    assert snap_compare(make(empty_path), run_before=open_picker("Public speaking"),
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_picker_every_objective(snap_compare, empty_path, make, size):
    assert snap_compare(make(empty_path), run_before=open_picker(""), terminal_size=size)


def test_library_picker_no_match(snap_compare, empty_path, make):
    assert snap_compare(make(empty_path), run_before=open_picker("Juggling"),
                        terminal_size=(80, 24))


def test_new_skill_form_filled_from_the_library(snap_compare, empty_path, make):
    async def run(pilot):
        await open_picker("Become a better public speaker", "j")(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, NewSkillForm))
        await pilot.pause()

    assert snap_compare(make(empty_path), run_before=run, terminal_size=(80, 24))
