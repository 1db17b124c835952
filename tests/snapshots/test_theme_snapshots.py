"""Snapshots of Today in every built-in theme, and of Settings and the theme picker.

Demo journal, fixed date. Update after an intended change with
``pytest tests/snapshots/test_theme_snapshots.py --snapshot-update`` and look at every
changed SVG before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.themes import builtin_theme_dir

THEMES = sorted(p.stem for p in builtin_theme_dir().glob("*.toml"))
# paths differ on every run; the snapshot shows these instead
SHOWN_DB = Path("/srv/journal/journal.json")
SHOWN_CONFIG = Path("/srv/config/micro-journal/config.toml")


@pytest.mark.parametrize("theme", THEMES)
def test_today_in_each_theme(snap_compare, demo_path, clock, theme):
    app = make_app(demo_path, clock, Config(theme=theme))
    # a check-in and a move show the done colour and the selection
    assert snap_compare(app, press=["space", "j"], terminal_size=(80, 24))


def _settings(pilot_app) -> None:
    pilot_app.db_path = SHOWN_DB
    pilot_app.config.path = SHOWN_CONFIG


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_settings(snap_compare, demo_path, make, size):
    async def run(pilot):
        _settings(pilot.app)
        await pilot.press("comma")
        await pilot.pause()

    assert snap_compare(make(demo_path), run_before=run, terminal_size=size)


def test_settings_with_a_bad_value(snap_compare, demo_path, make):
    async def run(pilot):
        _settings(pilot.app)
        await pilot.press("comma", "tab", "tab", "backspace", "2", "7", "ctrl+s")
        await pilot.pause()

    assert snap_compare(make(demo_path), run_before=run, terminal_size=(80, 24))


def test_theme_picker_previewing_the_light_theme(snap_compare, demo_path, make):
    async def run(pilot):
        pilot.app.action_change_theme()
        await pilot.pause()
        await pilot.press("down", "down", "down")  # from micro-dark to micro-light
        await pilot.pause()
        assert pilot.app.theme == "micro-light"

    assert snap_compare(make(demo_path), run_before=run, terminal_size=(80, 24))
