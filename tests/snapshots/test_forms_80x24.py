"""Snapshots at 80×24 of the forms and headers that used to lose text there: the new-skill
form (empty and with an error), the plan form with a long week title, the Plan header
after the plan's last week, and the Journal search with its hint.

Update after an intended layout change with
``pytest tests/snapshots/test_forms_80x24.py --snapshot-update`` and look at every
changed SVG before committing it.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.screens.plan_dialogs import PlanForm, SkillDraftForm
from micro_journal.screens.skill_form import NewSkillForm
from tests.ui.test_library_ui import until

SIZE = (80, 24)
TITLE = "No filler words in a 5-minute talk to the whole team"  # seen whole in its input
LONG_TITLE = f"{TITLE} at the Monday stand-up"  # wraps in the plan form's week row


def on(app, screen_type):
    def check() -> bool:
        return type(app.screen) is screen_type

    check.__doc__ = f"the {screen_type.__name__} screen"
    return check


def test_new_skill_form(snap_compare, demo_path, make):
    async def run(pilot):
        await pilot.press("n")
        await until(pilot, on(pilot.app, NewSkillForm))
        await pilot.pause()

    assert snap_compare(make(demo_path), run_before=run, terminal_size=SIZE)


def test_new_skill_form_with_a_long_title_and_an_error(snap_compare, demo_path, make):
    """The title is seen whole; the error is on its own line under its field."""
    async def run(pilot):
        app = pilot.app
        await pilot.press("n")
        await until(pilot, on(app, NewSkillForm))
        app.screen.query_one("#title", Input).value = TITLE
        app.screen.query_one("#minutes", Input).value = "many"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.query_one("#minutes-error").display)
        app.screen.query_one("#title", Input).action_home()
        await pilot.pause()

    assert snap_compare(make(demo_path), run_before=run, terminal_size=SIZE)


def test_plan_form_with_a_long_week_title(snap_compare, demo_path, make):
    """A week's skill title longer than the row wraps under itself."""
    async def run(pilot):
        app = pilot.app
        await pilot.press("3", "o", "n")
        await until(pilot, on(app, PlanForm))
        await pilot.press("n")
        await until(pilot, on(app, SkillDraftForm))
        app.screen.query_one("#title", Input).value = LONG_TITLE
        app.screen.query_one("#metric", Input).value = "fillers per talk"
        await pilot.press("ctrl+s")
        await until(pilot, on(app, PlanForm))
        await pilot.pause()

    assert snap_compare(make(demo_path), run_before=run, terminal_size=SIZE)


def test_plan_header_after_the_last_week(snap_compare, demo_path):
    """Week 5 of a 4-week plan: the objective, its status and ``objective 1/2 (o)`` take
    two lines."""
    async def run(pilot):
        app = pilot.app
        await pilot.press("3")
        await until(pilot, lambda: type(app.screen).__name__ == "PlanScreen")
        await pilot.pause()
        app.clear_notifications()  # the review's announcement is not what this shows
        await pilot.pause()

    app = make_app(demo_path, FixedClock(dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)),
                   Config())
    assert snap_compare(app, run_before=run, terminal_size=SIZE)


def test_journal_search_hint(snap_compare, demo_path, make):
    assert snap_compare(make(demo_path), press=["2", "slash"], terminal_size=SIZE)
