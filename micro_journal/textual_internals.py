"""Every private part of Textual that micro-journal still relies on, and nothing else.

The rest of the app uses Textual's public API (but for the one place named at the
end). What is here has no public equivalent in Textual 8.2; each use is small, and
each is pinned by a test in tests/unit/test_textual_internals.py that fails loudly
(a missing attribute, a changed signature, a changed behaviour) when a newer Textual
changes it. Moving to a newer Textual: run that test file first, and fix this module
(see README, "Moving to a newer Textual"). Where an internal has gone, the functions
here fall back to Textual's public (slower) way rather than fail.

- ``App._handle_exception`` / ``App._fatal_error`` (overridden by ``CrashHooks``): the
  only place to run code when the app crashes, before Textual tears it down (the open
  editors are saved), and the crash report, which must never print local variables
  (they may hold journal text); Textual's prints them.
- ``App._css_update_count`` / ``Screen._css_update_count`` (``mark_css_current``): a
  mode's first screen, styled as it mounts, needs no full CSS refresh (~20 ms each).
- the same counts (``css_current``): a screen coming back, styled by the stylesheet as
  it is now, is not restyled node by node again (``ScreenResume.refresh_styles``, a
  public field, is set by Textual to always restyle: ~20 ms a return to the Journal).
- ``App._refresh_truecolor_filter`` (``refresh_ansi_filter``): the one step of the
  theme watcher that has no public call, for setting the start theme without a second
  parse of every stylesheet.

One more place reaches into Textual: ``notices.withdraw_notices`` (the toast list,
``App._notifications``, ``_unnotify``, ``_refresh_notifications``: Textual can clear
every toast publicly, not one), pinned by tests/ui/test_messages_and_keys.py.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen


class CrashHooks:
    """Mixed in before ``App``: ``crashing()`` runs first when the app crashes, and
    the crash report is a traceback without local variables.

    ``App._handle_exception`` is called with every unhandled exception and always
    ends the app; for an exception without ``__rich__`` it calls ``_fatal_error``,
    which prints a traceback *with locals*. Ours hands the same traceback, minus the
    locals, to the public ``App.panic``."""

    def crashing(self) -> None:
        """Called once per unhandled exception, before the app is torn down."""

    def _handle_exception(self, error: Exception) -> None:
        try:
            self.crashing()
        finally:
            super()._handle_exception(error)  # type: ignore[misc]

    def _fatal_error(self) -> None:
        import rich
        from rich.traceback import Traceback

        app: Any = self
        app.bell()
        app.panic(Traceback(show_locals=False, width=None, suppress=[rich]))


def mark_css_current(app: App, screen: Screen) -> None:
    """Tell Textual that ``screen`` (a mode's first, styled as it mounts) needs no CSS
    refresh: ``App._init_mode`` refreshes the whole app's CSS whenever the counts
    differ. Without the attribute: nothing (Textual refreshes, as it always can)."""
    count = getattr(app, "_css_update_count", None)
    if isinstance(count, int) and hasattr(screen, "_css_update_count"):
        screen._css_update_count = count


def css_current(app: App, screen: Screen) -> bool:
    """Whether ``screen`` was styled by the app's stylesheet as it is now: no CSS
    refresh (a theme, a stylesheet loaded) since. Without the attributes: False (the
    screen is restyled, as Textual always can)."""
    count = getattr(app, "_css_update_count", None)
    return isinstance(count, int) and getattr(screen, "_css_update_count", None) == count


def can_refresh_ansi_filter(app: App) -> bool:
    return callable(getattr(app, "_refresh_truecolor_filter", None))


def refresh_ansi_filter(app: App) -> None:
    """Rebuild the ANSI-to-truecolor filter for the current theme, as the theme
    watcher (``App._watch_theme``) does. Check ``can_refresh_ansi_filter`` first."""
    app._refresh_truecolor_filter(app.ansi_theme)

