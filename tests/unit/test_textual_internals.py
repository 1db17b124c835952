"""Each private part of Textual that micro_journal/textual_internals.py relies on: it
exists, it has the signature we call or override, and it still does what we count on.

A failure here after moving to a newer Textual means: that internal changed. Fix
textual_internals.py (or drop the internal, if Textual now has a public way) before
anything else; README, "Moving to a newer Textual"."""

from __future__ import annotations

import inspect

import pytest
from rich.color import Color as RichColor
from rich.style import Style
from textual.app import App
from textual.filter import ANSIToTruecolor
from textual.screen import Screen
from textual.widgets import Static

from micro_journal.textual_internals import (
    CrashHooks,
    can_refresh_ansi_filter,
    css_current,
    mark_css_current,
    refresh_ansi_filter,
)

SECRET = "private journal text 7f3a"


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# ---------------------------------------------------------------- the crash hooks


def test_the_crash_hooks_exist_with_the_signatures_overridden():
    assert parameters(App._handle_exception) == ["self", "error"]
    assert parameters(App._fatal_error) == ["self"]
    # the public calls our _fatal_error makes instead of Textual's private ones
    assert parameters(App.panic) == ["self", "renderables"]
    assert callable(App.bell)


class Crashy(CrashHooks, App[None]):
    BINDINGS = [("x", "crash", "crash")]

    def __init__(self) -> None:
        super().__init__()
        self.crashes = 0
        self.fatal_errors = 0

    def compose(self):
        yield Static("hello")

    def crashing(self) -> None:
        self.crashes += 1

    def _fatal_error(self) -> None:
        self.fatal_errors += 1
        super()._fatal_error()

    def action_crash(self) -> None:
        text = SECRET  # a local the crash report must not show
        raise RuntimeError(f"crash with {len(text)} characters")


async def test_a_crash_runs_our_hook_then_reports_without_locals(capsys):
    app = Crashy()
    with pytest.raises(RuntimeError, match="crash with"):
        async with app.run_test() as pilot:
            await pilot.press("x")
            await pilot.pause()
    assert app.crashes == 1  # before Textual ended the app
    assert app.fatal_errors == 1  # Textual called _fatal_error for a plain exception
    assert app.return_code == 1
    printed = capsys.readouterr()
    report = printed.out + printed.err
    assert "RuntimeError" in report and "crash with" in report  # the report was printed
    assert SECRET not in report  # and it held no local variable


async def test_textual_s_own_report_would_show_the_locals(capsys):
    """Why CrashHooks overrides _fatal_error at all: if Textual stops showing locals,
    the override can go."""

    class Plain(App[None]):
        BINDINGS = [("x", "crash", "crash")]

        def action_crash(self) -> None:
            text = SECRET
            raise RuntimeError(f"crash with {len(text)} characters")

    app = Plain()
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.press("x")
            await pilot.pause()
    printed = capsys.readouterr()
    assert SECRET in printed.out + printed.err


# ---------------------------------------------------------------- the CSS update count


class One(Screen):
    def compose(self):
        yield Static("one")


def second_screen() -> Screen:
    """A mode's first screen, built as app.py builds one (``_new_mode_screen``)."""
    screen = One()
    app = screen.app  # the running app
    if app.mark:
        app.stylesheet.apply(app)
        mark_css_current(app, screen)
    return screen


class Modes(App[None]):
    MODES = {"one": One, "two": second_screen}

    def __init__(self, mark: bool) -> None:
        super().__init__()
        self.mark = mark
        self.refreshes = 0

    def refresh_css(self, animate: bool = True) -> None:
        self.refreshes += 1
        super().refresh_css(animate)


def test_the_css_update_count_exists_on_app_and_screen():
    app = App()
    assert isinstance(app._css_update_count, int)
    assert isinstance(Screen()._css_update_count, int)


@pytest.mark.parametrize("mark", [True, False], ids=["marked", "unmarked"])
async def test_a_screen_marked_current_skips_the_css_refresh(mark):
    app = Modes(mark)
    async with app.run_test() as pilot:
        await app.switch_mode("one")
        await pilot.pause()
        before = app.refreshes
        await app.switch_mode("two")
        await pilot.pause()
        refreshed = app.refreshes - before
    assert (refreshed == 0) if mark else (refreshed > 0)


async def test_a_screen_is_css_current_until_the_stylesheet_changes_and_restyled_then():
    # what JournalScreen relies on to resume a screen without restyling it: the counts
    # say whether the screen was styled by the stylesheet as it is, and Textual restyles
    # a mode's screen (``refresh_css``) when it comes back after a change
    from textual import events

    assert "refresh_styles" in events.ScreenResume.__dataclass_fields__
    app = Modes(True)  # "two" is a mode's first screen marked as app.py marks them
    async with app.run_test() as pilot:
        await app.switch_mode("two")
        await pilot.pause()
        two = app.screen
        assert css_current(app, two)
        await app.switch_mode("one")
        await pilot.pause()
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert css_current(app, app.screen)  # the screen shown is restyled at once
        assert not css_current(app, two)  # the one away is not yet
        await app.switch_mode("two")
        await pilot.pause()
        assert css_current(app, two)  # ... and is as it comes back
    assert not css_current(App(), object())  # type: ignore[arg-type]  # no count: restyle


# ---------------------------------------------------------------- the ANSI filter


def test_the_ansi_filter_refresh_exists_with_its_signature():
    assert parameters(App._refresh_truecolor_filter) == ["self", "theme"]
    assert can_refresh_ansi_filter(App())


def red_as_drawn(app: App) -> Style:
    [ansi] = [f for f in app.get_line_filters() if isinstance(f, ANSIToTruecolor)]
    return ansi.truecolor_style(Style(color="red"), RichColor.parse("black"))


async def test_refreshing_the_filter_before_the_start_is_what_the_theme_watcher_does():
    watched = App()
    async with watched.run_test() as pilot:
        dark_red = red_as_drawn(watched)
        watched.theme = "textual-light"  # Textual's own way
        await pilot.pause()
        light_red = red_as_drawn(watched)
    assert light_red != dark_red  # (the light ANSI palette is another one)

    started = App()
    started.set_reactive(App.theme, "textual-light")  # the start theme, as app.py sets it
    assert red_as_drawn(started) == dark_red  # not refreshed by itself
    refresh_ansi_filter(started)
    assert red_as_drawn(started) == light_red


# ---------------------------------------------------------------- what replaced internals


async def test_the_editor_s_language_is_one_the_text_area_takes():
    from textual.widgets import TextArea

    from micro_journal.screens.editor import markdown_language

    assert markdown_language() == "markdown"  # the grammar is a dependency
    area = TextArea("# title\n\n*text*", language=markdown_language())

    class Editor(App[None]):
        def compose(self):
            yield area

    async with Editor().run_test() as pilot:
        await pilot.pause()
        assert area.language == "markdown" and area.text.startswith("# title")
