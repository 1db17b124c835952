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


def test_mastery_gate(snap_compare, demo_path):
    app = make_app(demo_path, FixedClock(dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)),
                   Config())
    assert snap_compare(app, press=["3"], terminal_size=(80, 24))
