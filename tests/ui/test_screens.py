"""What every top-level screen shares: reachable by its key, and the read-only banner."""

from __future__ import annotations

from textual.widgets import Static

from micro_journal.keymap import SCREENS
from micro_journal.store import open_journal

from .conftest import DEMO_DAY


async def test_every_screen_opens_with_its_key_and_shows_the_read_only_banner(demo_path, make):
    before = demo_path.read_bytes()
    with open_journal(demo_path, today=lambda: DEMO_DAY):  # another instance holds the lock
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for info in SCREENS:
                await pilot.press(info.key)
                await pilot.pause()
                assert app.current_mode == info.name, info.name
                if info.name == "settings":
                    continue  # settings edit config.toml, not the journal
                banner = app.screen.query_one("#banner", Static)
                assert banner.display, info.name
                assert "READ-ONLY" in str(banner.render()), info.name
    assert demo_path.read_bytes() == before
