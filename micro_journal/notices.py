"""Toasts that keep out of the way (DESIGN.md §5): over a dialog, and once their action
is taken.

This is the one module that reaches into Textual's private notification list
(``App._notifications``, ``App._unnotify``, ``App._refresh_notifications``): Textual 8.2
can only clear every toast at once. tests/ui/test_messages_and_keys.py fails loudly if
those names change.
"""

from __future__ import annotations

from textual.app import App
from textual.screen import ModalScreen


def keep_toasts_clear(app: App, tries: int = 3) -> None:
    """Over a dialog, only the newest toasts that fit in the rows under it show
    (DESIGN.md §5: a toast never covers the dialog it talks about); older ones are
    hidden on this dialog, whole, not cut, and show again on the screen after it.
    When not even the newest fits (a tall dialog at 80×24), nothing is hidden.

    Toasts are Textual's ``Toast`` widgets, each in a holder in the screen's
    ``ToastRack`` (found by their CSS type names, as Textual's docs style them).
    """
    try:
        screen = app.screen
    except Exception:  # no screen yet (start-up) or any more (quitting)
        return
    if not isinstance(screen, ModalScreen) or not screen.is_mounted:
        return
    # the screens under the dialog show through it, with their own copies of the
    # toasts: those stay hidden until their screen is back on top (Textual then
    # shows its toasts again, on ScreenResume)
    for below in app.screen_stack[:-1]:
        for rack in below.query("ToastRack"):
            rack.display = False
    box = next(iter(screen.query("#dialog")), None)
    shown = [t for t in screen.query("Toast") if t.parent is not None and t.parent.display]
    if box is None or not shown:
        return
    if not box.region or not all(t.region for t in shown):
        if tries:  # not laid out yet
            app.call_after_refresh(keep_toasts_clear, app, tries - 1)
        return
    room = screen.size.height - box.region.bottom - 1  # the rack keeps a bottom margin
    for at, toast in enumerate(reversed(shown)):
        room -= toast.region.height + toast.styles.margin.top
        if room < 0:
            if at == 0:
                return  # the newest covers the dialog whatever is hidden
            for older in shown[: len(shown) - at]:
                if older.parent is not None:  # its holder (kept in ``shown`` only with one)
                    older.parent.display = False
            return

def withdraw_notices(app: App, *phrases: str) -> None:
    """Take back the toasts containing any of ``phrases``: the ones asking for what the
    user has just done ("Press space to check in", "press ,") go when it is done.

    Textual (8.2) can only clear every toast at once; this reaches into its list of
    notifications (``_notifications``, ``_unnotify``, ``_refresh_notifications``;
    tests/ui/test_messages_and_keys.py fails loudly if they change).
    """
    stale = [n for n in app._notifications if any(p in n.message for p in phrases)]
    for notification in stale:
        app._unnotify(notification, refresh=False)
    if stale:
        app._refresh_notifications()
