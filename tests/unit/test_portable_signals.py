"""Signals where the system lacks some (Windows: no SIGHUP, an event loop that takes
no signal handlers). The app must start there and still save on what it does get."""

from __future__ import annotations

import asyncio
import signal
from types import SimpleNamespace

from micro_journal.app import MicroJournalApp, shutdown_signals


def install(loop_policy_refuses: bool = False) -> list[int]:
    """The app's handler installation run on a stand-in app; the signals it took."""
    app = SimpleNamespace(_on_signal=lambda sig: None)

    async def run() -> list[int]:
        loop = asyncio.get_running_loop()
        if loop_policy_refuses:
            def refuse(*_args, **_kw):
                raise NotImplementedError  # what Windows' event loops do

            loop.add_signal_handler = refuse
        MicroJournalApp._install_signal_handlers(app)
        taken = list(app._signals)
        for sig in taken:
            loop.remove_signal_handler(sig)
        return taken

    return asyncio.run(run())


def test_both_signals_are_handled_where_they_exist():
    assert shutdown_signals() == [signal.SIGTERM, signal.SIGHUP]
    assert install() == [signal.SIGTERM, signal.SIGHUP]


def test_without_sighup_the_app_still_handles_sigterm(monkeypatch):
    monkeypatch.delattr(signal, "SIGHUP")
    assert shutdown_signals() == [signal.SIGTERM]
    assert install() == [signal.SIGTERM]


def test_an_event_loop_without_signal_handlers_is_no_error(monkeypatch):
    monkeypatch.delattr(signal, "SIGHUP")
    assert install(loop_policy_refuses=True) == []
