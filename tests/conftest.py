"""Helpers shared by every part of the suite.

Tests wait for a condition, never for a fixed time (DESIGN.md §6): ``await until(pilot,
check)`` lets the app run until ``check()`` holds, so a test is as fast as the app and
never flaky on a slow machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable


async def until(pilot, check: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until ``check()`` is true; fail after ``timeout`` seconds.

    ``check`` may raise while the app is not there yet (a widget not mounted, a file not
    written): that counts as "not yet". At the deadline it is called once more, so the
    failure shows its own exception, or names the condition (its docstring) if it is
    merely false.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            if check():
                return
            raise AssertionError(
                f"timed out after {timeout} s waiting for {check.__doc__ or check}"
            )
        await pilot.pause(0.02)


def palette_highlights(app, words: str) -> Callable[[], bool]:
    """A check for ``until``: the command palette is open with a command containing
    ``words`` highlighted (enter would run it)."""
    from textual.command import CommandList, CommandPalette

    def check() -> bool:
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return False
        commands = screen.query_one(CommandList)
        index = commands.highlighted
        if index is None:
            return False
        title = str(commands.get_option_at_index(index).prompt).split("\n", 1)[0]
        return words.lower() in title.lower()

    check.__doc__ = f"the palette highlighting {words!r}"
    return check


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_device_left_over():
    """``cli.main`` names this process's device (change logs then carry its name);
    a test that ran it must not leave the name to the tests after it."""
    from micro_journal.store import changes

    yield
    changes.use_device(None)
