"""Snapshots of Goals, its form and the quarterly goal review: demo journal, fixed date,
80×24 and 120×40.

Update after an intended layout change with
``pytest tests/snapshots/test_goal_snapshots.py --snapshot-update`` and look at every
changed SVG before committing it.
"""

from __future__ import annotations

import pytest

from micro_journal.domain.models import MicroGoal
from micro_journal.store import Repository, open_journal

from .conftest import DEMO_DAY

SIZES = [(80, 24), (120, 40)]
size_id = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def with_stale_goal(path):
    """The demo journal plus a goal left open a month past its deadline."""
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        speaking = next(o for o in repo.objectives() if o.title == "Public speaking")
        goal = MicroGoal(objective_id=speaking.id, action="Join the speaking club",
                         deadline="2026-10-20", success_metric="name on the list",
                         estimate_minutes=15)
        goal.created_at = goal.updated_at = "2026-10-15T08:00:00+00:00"
        repo.save(goal)
    return path


@size_id
def test_goals_screen(snap_compare, demo_path, make, size):
    assert snap_compare(make(with_stale_goal(demo_path)), press=["5"], terminal_size=size)


@size_id
def test_quarterly_goal_review(snap_compare, demo_path, make, size):
    assert snap_compare(make(with_stale_goal(demo_path)), press=["5", "M"], terminal_size=size)


def test_goal_form(snap_compare, demo_path, make):
    assert snap_compare(make(demo_path), press=["5", "n", *"Book a room", "enter", "enter",
                                                *"frday"], terminal_size=(80, 24))


def test_goals_empty_state(snap_compare, empty_path, make):
    assert snap_compare(make(empty_path), press=["5"], terminal_size=(80, 24))


def test_goal_celebration_and_insight_prompt_at_80x24(snap_compare, demo_path, make):
    """Completing a goal: the celebration under the insight prompt, header and footer
    intact, nothing cut."""
    assert snap_compare(make(demo_path), press=["5", "space"], terminal_size=(80, 24))
