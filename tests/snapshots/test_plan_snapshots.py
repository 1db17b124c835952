"""Snapshots of Plan, its dialogs and the weekly review: demo journal, fixed date, 80×24
and 120×40.

Update after an intended layout change with
``pytest tests/snapshots/test_plan_snapshots.py --snapshot-update`` and look at every
changed SVG before committing it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock

SIZES = [(80, 24), (120, 40)]
size_id = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


@size_id
def test_plan_grid_demo_week_three_of_four(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["3"], terminal_size=size)


@size_id
def test_weekly_review_form(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["3", "w"], terminal_size=size)


@size_id
def test_plan_empty_state(snap_compare, empty_path, make, size):
    assert snap_compare(make(empty_path), press=["3"], terminal_size=size)


@size_id
def test_new_plan_form(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["3", "o", "n"], terminal_size=size)


def _after_week_four(demo_path):
    """Tuesday after the demo plan's fourth week: its review lists four stacked skills."""
    return make_app(demo_path, FixedClock(dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)),
                    Config())


@size_id
def test_weekly_review_with_four_stacked_skills(snap_compare, demo_path, size):
    assert snap_compare(_after_week_four(demo_path), press=["w"], terminal_size=size)


@size_id
def test_next_skill_picker_with_library_suggestions(snap_compare, demo_path, size):
    assert snap_compare(_after_week_four(demo_path), press=["w", "ctrl+n"], terminal_size=size)
