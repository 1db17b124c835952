"""Nothing is cut off at 80×24: every screen and dialog, opened through the real app.

For every widget that shows text (Label, Static, Button, an empty Input's placeholder)
the text is laid out in the room the widget actually has — wrapped at its content width
unless the widget does not wrap — and must fit in its content height. A widget that its
container clips is cut too, unless a container around it scrolls (the user can reach
it). The footer's keys must all be on screen.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from textual.content import Content
from textual.errors import NoWidget
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Static

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.screens.skill_form import NewSkillForm

SIZE = (80, 24)
AFTER_WEEK_FOUR = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)  # the demo plan's week 5


# ----------------------------------------------------------------- the measure
def shown_text(widget: Widget) -> Content | None:
    """The text a widget shows, or None when it shows no text of its own."""
    if isinstance(widget, Input):
        return None if widget.value else Content(widget.placeholder)
    if isinstance(widget, Button):
        return widget.label if isinstance(widget.label, Content) else Content(str(widget.label))
    if isinstance(widget, Static):
        visual = widget.visual
        return visual if isinstance(visual, Content) else None
    return None


def laid_out(text: Content, width: int, wraps: bool) -> list[Content]:
    """The lines ``text`` takes at ``width`` (trailing blank lines dropped)."""
    lines: list[Content] = []
    for line in text.split("\n", allow_blank=True):
        if wraps and width > 0:
            lines.extend(line.wrap(width) or [line])
        else:
            lines.append(line)
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1].plain:
        lines.pop()
    return lines


def _shown(widget: Widget) -> bool:
    return all(node.display and node.visible for node in (widget, *widget.ancestors)
               if isinstance(node, Widget) and not isinstance(node, Screen))


def _scrolls(widget: Widget, vertical: bool) -> bool:
    """Whether a container around ``widget`` scrolls in that direction (it can be reached)."""
    return any(
        (node.max_scroll_y if vertical else node.max_scroll_x) > 0
        for node in widget.ancestors
        if isinstance(node, Widget) and not isinstance(node, Screen)
    )


def _footer_key(widget: Widget) -> bool:
    """A key shown in the footer (a leaf inside a Footer): it must be wholly on screen."""
    return not widget.children and any(isinstance(a, Footer) for a in widget.ancestors)


def cut_texts(screen: Screen) -> list[str]:
    """Every widget of ``screen`` whose text does not fit the room it has."""
    cut: list[str] = []
    for widget in screen.query("*"):
        if not _shown(widget):
            continue
        footer_key = _footer_key(widget)
        text = shown_text(widget)
        if not footer_key and (text is None or not text.plain.strip()):
            continue
        try:
            geometry = screen.find_widget(widget)
        except NoWidget:  # not on screen at all
            if footer_key or not (_scrolls(widget, True) or _scrolls(widget, False)):
                cut.append(f"{widget!r} is not on screen")
            continue
        region, visible = geometry.region, geometry.visible_region
        if visible.height < region.height and (footer_key or not _scrolls(widget, True)):
            cut.append(f"{widget!r} is clipped: {visible.height} of {region.height} rows shown")
        if visible.width < region.width and (footer_key or not _scrolls(widget, False)):
            cut.append(f"{widget!r} is clipped: {visible.width} of {region.width} columns shown")
        if text is None:
            continue
        room = widget.content_region
        wraps = not isinstance(widget, (Input, Button)) and widget.styles.text_wrap != "nowrap"
        lines = laid_out(text, room.width, wraps)
        wide = [line.plain for line in lines if line.cell_length > room.width]
        if wide:
            cut.append(f"{widget!r} is {room.width} wide: {wide[0]!r} is cut")
        elif len(lines) > room.height:
            cut.append(
                f"{widget!r} has {room.height} line(s) for {len(lines)}: "
                f"{lines[room.height].plain!r} is cut"
            )
    return cut


# ----------------------------------------------------------------- driving the app
async def until(pilot, check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def settle(pilot) -> None:
    """Let the screen lay itself out (refreshes scheduled after mount and resize)."""
    app = pilot.app
    await until(pilot, lambda: app.screen.is_mounted, "the screen")
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    """Press each key, waiting for the app to react before the next."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def assert_nothing_cut(pilot, where: str) -> None:
    await settle(pilot)
    problems = cut_texts(pilot.app.screen)
    assert not problems, f"cut at 80×24 on {where}:\n  " + "\n  ".join(problems)


def on(app, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name


# (where, keys pressed in turn, the screen they end on)
DEMO_STATES = [
    ("today", [], "TodayScreen"),
    ("new skill form", ["n"], "NewSkillForm"),
    ("library picker", ["n", "ctrl+l"], "LibraryPicker"),
    ("check-in form", ["enter"], "CheckInForm"),
    ("help", ["question_mark"], "HelpScreen"),
    ("weekly review (Today)", ["w"], "ReviewScreen"),
    ("journal", ["2"], "JournalBrowser"),
    ("journal search", ["2", "slash"], "JournalBrowser"),
    ("entry view", ["2", "enter"], "EntryReader"),
    ("editor", ["2", "e"], "EditorScreen"),
    ("entry details", ["2", "e", "ctrl+l"], "EntryDetails"),
    ("plan", ["3"], "PlanScreen"),
    ("plan form", ["3", "n"], "PlanForm"),
    ("plan form, next objective", ["3", "o", "n"], "PlanForm"),
    ("plan form: skill picker", ["3", "o", "n", "enter"], "SkillPicker"),
    ("plan form: new skill for a week", ["3", "o", "n", "n"], "SkillDraftForm"),
    ("skill to stack in a new week", ["3", "a"], "SkillPicker"),
    ("end the plan", ["3", "E"], "ConfirmEnd"),
    ("weekly review (Plan)", ["3", "w"], "ReviewScreen"),
    ("progress", ["4"], "ProgressScreen"),
    ("achievements", ["4", "a"], "ProgressScreen"),
    ("goals", ["5"], "GoalsScreen"),
    ("goal form", ["5", "n"], "GoalForm"),
    ("monthly review", ["5", "m"], "GoalReviewScreen"),
    ("quarterly review", ["5", "M"], "GoalReviewScreen"),
    ("settings", ["comma"], "SettingsScreen"),
    ("theme picker", ["comma", "ctrl+t"], "ThemePicker"),
    ("command palette", ["ctrl+p"], "CommandPalette"),
    ("export dialog", ["ctrl+p", *"export journal", "enter"], "PortabilityDialog"),
    ("import dialog", ["ctrl+p", *"import into", "enter"], "PortabilityDialog"),
]
AFTER_PLAN_STATES = [
    ("plan header after the last week", ["3"], "PlanScreen"),
    ("plan header after the last week, next objective", ["3", "o"], "PlanScreen"),
    ("weekly review after week 4", ["w"], "ReviewScreen"),
    ("next-skill picker", ["w", "ctrl+n"], "NextSkillPicker"),
]
EMPTY_STATES = [
    ("first run", [], "TodayScreen"),
    ("first run: new skill form", ["n"], "NewSkillForm"),
    ("first run: plan", ["3"], "PlanScreen"),
    ("first run: journal", ["2"], "JournalBrowser"),
    ("first run: goals", ["5"], "GoalsScreen"),
    ("first run: progress", ["4"], "ProgressScreen"),
]


def _ids(states):
    return [name for name, _keys, _screen in states]


async def _check(app, keys: list[str], screen: str, where: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, *keys)
        await until(pilot, on(app, screen), f"{screen} after {keys}")
        await assert_nothing_cut(pilot, where)


@pytest.mark.parametrize(("where", "keys", "screen"), DEMO_STATES, ids=_ids(DEMO_STATES))
async def test_nothing_cut_in_the_demo_journal(make, demo_path, where, keys, screen):
    await _check(make(demo_path), keys, screen, where)


@pytest.mark.parametrize(("where", "keys", "screen"), AFTER_PLAN_STATES,
                         ids=_ids(AFTER_PLAN_STATES))
async def test_nothing_cut_after_the_plan_s_last_week(demo_path, where, keys, screen):
    app = make_app(demo_path, FixedClock(AFTER_WEEK_FOUR), Config())
    await _check(app, keys, screen, where)


@pytest.mark.parametrize(("where", "keys", "screen"), EMPTY_STATES, ids=_ids(EMPTY_STATES))
async def test_nothing_cut_on_first_run(make, empty_path, where, keys, screen):
    await _check(make(empty_path), keys, screen, where)


LONG_TITLE = "No filler words in a 5-minute talk to the whole team at the Monday stand-up"


async def test_a_long_week_title_in_the_plan_form_is_shown_whole(make, demo_path):
    """A skill created for a week of the plan form keeps its whole title in the week row."""
    app = make(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3", "o", "n")
        await until(pilot, on(app, "PlanForm"), "the plan form")
        await press(pilot, "n")
        await until(pilot, on(app, "SkillDraftForm"), "the new-skill form")
        form = app.screen
        form.query_one("#title", Input).value = LONG_TITLE
        form.query_one("#metric", Input).value = "fillers per talk"
        await press(pilot, "ctrl+s")
        await until(pilot, on(app, "PlanForm"), "back on the plan form")
        week = app.screen.query_one("#week-1", Static)
        await until(pilot, lambda: LONG_TITLE in str(week.visual), "the week's title")
        await assert_nothing_cut(pilot, "the plan form with a long week title")


async def open_new_skill_form(app, pilot):
    """Today's ``n``: the new-skill form, once it is up."""
    await settle(pilot)
    await press(pilot, "n")
    await until(pilot, on(app, "NewSkillForm"), "the new-skill form")
    return app.screen


async def test_filled_new_skill_form_shows_its_long_values(make, demo_path):
    """The form's inputs are wide: a long title typed in is seen whole, not scrolled."""
    app = make(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_skill_form(app, pilot)
        assert isinstance(form, NewSkillForm)
        title = form.query_one("#title", Input)
        title.value = LONG_TITLE[:50]
        await settle(pilot)
        assert title.content_region.width > len(LONG_TITLE[:50]), "the title input is narrow"
        await assert_nothing_cut(pilot, "the new-skill form with a long title")


async def test_new_skill_form_with_an_error_keeps_everything_in_view(make, demo_path):
    """A validation message takes its own line under the field; the buttons stay on screen."""
    app = make(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_skill_form(app, pilot)
        form.query_one("#title", Input).value = LONG_TITLE
        form.query_one("#minutes", Input).value = "many"
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: any(str(e.visual).strip() for e in form.query(".field-error")),
                    "an error message")
        errors = [e for e in form.query(".field-error") if str(e.visual).strip()]
        assert len(errors) == 1
        field = form.query_one(f"#{errors[0].id.removesuffix('-error')}")
        assert errors[0].region.y > field.region.y, "the message is under its field"
        assert errors[0].region.width > 40, "the message has the form's width"
        await assert_nothing_cut(pilot, "the new-skill form with an error")


async def test_plan_header_after_the_last_week_keeps_every_part(demo_path):
    """Week 5 of a 4-week plan: the status, the objective and its key all stay in the
    header (on a second line when one is not enough)."""
    app = make_app(demo_path, FixedClock(AFTER_WEEK_FOUR), Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        await until(pilot, on(app, "PlanScreen"), "the Plan screen")
        topbar = app.screen.query_one("#topbar", Static)
        text = str(topbar.visual)
        for part in ("Public speaking", "week 5 · next skill: at the review (w)",
                     "objective 1/2 (o)"):
            assert part in text
        await assert_nothing_cut(pilot, "the Plan header after the last week")
