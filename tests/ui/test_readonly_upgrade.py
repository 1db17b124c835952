"""A second app that opened read-only becomes writable once the first one quits.

The first app is played by the test: it holds the journal's lock (``open_journal``, as
a running micro-journal does) and lets go of it while the app under test runs.
"""

from __future__ import annotations

from textual.widgets import Static, TextArea

from micro_journal.domain.models import Entry
from micro_journal.screens.editor import EditorScreen
from micro_journal.store import Repository, open_journal
from micro_journal.widgets.skill import SkillCard

from ..conftest import until
from .conftest import DEMO_DAY, checkins_on, skill_id, table

SMILE = "smile"


def text_of(widget) -> str:
    if isinstance(widget, SkillCard):  # drawn a line at a time
        return "\n".join(widget.lines)
    return str(widget.render())


def today_bodies(path) -> list[str]:
    return sorted(e["body"] for e in table(path, "entries") if e["date"] == DEMO_DAY.isoformat())


def notifications(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def editor_ready(app):
    def check() -> bool:
        return isinstance(app.screen, EditorScreen) and app.screen.query_one(TextArea).has_focus

    check.__doc__ = "the editor, its text area focused"
    return check


def banner_shown(app):
    def check() -> bool:
        return bool(app.screen.query_one("#banner", Static).display)

    check.__doc__ = "the read-only banner"
    return check


def writable(app):
    def check() -> bool:
        banners = app.screen.query("#banner")  # an editor has none
        return (app.journal is not None and not app.journal.read_only
                and not any(b.display for b in banners)
                and any("you can write now" in n for n in notifications(app)))

    check.__doc__ = "the journal writable, the banner gone and the user told"
    return check


async def test_the_app_becomes_writable_when_the_other_one_quits(demo_path, make):
    first = open_journal(demo_path, today=lambda: DEMO_DAY)  # the other micro-journal
    try:
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, banner_shown(app))
            banner = text_of(app.screen.query_one("#banner", Static))
            assert "READ-ONLY" in banner and "journal.json.lock" in banner
            assert "writable by itself" in banner
            await pilot.press("space")  # refused while the other one runs
            await pilot.pause()
            assert "not yet" in text_of(app.screen.query_one("#focus-card"))
            # the other app writes, then quits (folding its change log in, freeing the lock)
            Repository(first).save(Entry(date=DEMO_DAY.isoformat(), body="from the first"))
            first.close()
            await until(pilot, writable(app))
            told = [n for n in notifications(app) if "you can write now" in n]
            assert told == ["The other micro-journal closed: you can write now."]
            # what the other app wrote is shown: the journal was read again
            assert "from the first" in [e.body for e in app.repo.entries()]
            await pilot.press("space")  # the focus skill, done: saved this time
            await until(pilot, lambda: checkins_on(demo_path, DEMO_DAY,
                                                   skill_id(demo_path, SMILE)))
            assert "not yet" not in text_of(app.screen.query_one("#focus-card"))
            # told once: nothing is left to wait for, so the poll stops trying
            assert not app.locked_out
            app._poll_lock()
            await pilot.pause()
            assert len([n for n in notifications(app) if "you can write now" in n]) == 1
    finally:
        first.close()
    [checkin] = checkins_on(demo_path, DEMO_DAY, skill_id(demo_path, SMILE))
    assert checkin["status"] == "done"
    assert today_bodies(demo_path) == ["from the first"]


async def test_text_typed_while_read_only_is_saved_once_writable(demo_path, make):
    first = open_journal(demo_path, today=lambda: DEMO_DAY)
    try:
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("e")
            await until(pilot, editor_ready(app))
            editor = app.screen
            await pilot.press(*"typed in the second window")
            await until(pilot, lambda: "NOT SAVED" in text_of(editor.query_one("#topbar")))
            first.close()
            app.try_writable(quiet=False)  # the palette's "Try to write again"
            await until(pilot, writable(app))
            assert isinstance(app.screen, EditorScreen)
            assert editor.query_one(TextArea).text == "typed in the second window"
            assert "saved" in text_of(editor.query_one("#topbar"))
            assert "NOT SAVED" not in text_of(editor.query_one("#topbar"))
            assert today_bodies(demo_path) == ["typed in the second window"]
            # and typing goes on being saved
            await pilot.press(*", then more")
            await until(pilot, lambda: today_bodies(demo_path) == [
                "typed in the second window, then more"
            ])
    finally:
        first.close()
    drafts = demo_path.with_name(demo_path.name + ".drafts")
    assert not list(drafts.glob("*.json"))


async def test_an_entry_changed_by_the_other_app_keeps_both_texts(demo_path, make):
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        Repository(journal).save(Entry(date=DEMO_DAY.isoformat(), body="morning"))
    first = open_journal(demo_path, today=lambda: DEMO_DAY)
    try:
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("2")
            await pilot.pause()
            await pilot.press("e")  # today's entry, "morning"
            await until(pilot, editor_ready(app))
            editor = app.screen
            await pilot.press(*" (second window)")
            await until(pilot, lambda: "NOT SAVED" in text_of(editor.query_one("#topbar")))
            repo = Repository(first)
            [entry] = [e for e in repo.entries() if e.body == "morning"]
            repo.save(entry.touched(body="morning (first window)"))
            first.close()
            await until(pilot, writable(app))
            assert any("both are kept" in n for n in notifications(app))
    finally:
        first.close()
    assert today_bodies(demo_path) == ["morning (first window)", "morning (second window)"]


async def test_read_only_for_another_reason_is_not_retried(demo_path, make, monkeypatch):
    import micro_journal.app as app_module

    app = make(demo_path)
    tries: list[str] = []
    real = app_module.open_journal

    def counting(*args, **kwargs):
        tries.append("open")
        return real(*args, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.locked_out  # writable: nothing to wait for
        monkeypatch.setattr(app_module, "open_journal", counting)
        app.action_try_writable()
        await pilot.pause()
        assert tries == []
        assert any("not read-only" in n for n in notifications(app))
        app.journal.read_only_reason = "it was written by a newer micro-journal"
        assert not app.locked_out
        app._poll_lock()
        assert tries == []
