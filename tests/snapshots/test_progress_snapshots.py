"""Snapshots of Progress (4): the demo journal on a fixed date at 80×24 and 120×40, the
objective view, achievements, and the empty journal.

Update after an intended layout change with
``pytest tests/snapshots/test_progress_snapshots.py --snapshot-update`` and look at every
changed SVG before committing it.
"""

from __future__ import annotations

import pytest

SIZES = [(80, 24), (120, 40)]
size_id = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


@size_id
def test_progress_demo_skill(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["4"], terminal_size=size)


@size_id
def test_progress_demo_objective(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["4", "o"], terminal_size=size)


@size_id
def test_progress_demo_achievements(snap_compare, demo_path, make, size):
    assert snap_compare(make(demo_path), press=["4", "a"], terminal_size=size)


def test_progress_demo_scrolled_to_the_year_at_80x24(snap_compare, demo_path, make):
    assert snap_compare(make(demo_path), press=["4", *"jjjjjjjjj"], terminal_size=(80, 24))


@size_id
def test_progress_empty_journal(snap_compare, empty_path, make, size):
    assert snap_compare(make(empty_path), press=["4"], terminal_size=size)
