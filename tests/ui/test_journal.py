"""The Journal: editor autosave and drafts, $EDITOR, browser, search, archive."""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from pathlib import Path

from textual.widgets import Input, OptionList, Static, TextArea

from micro_journal.domain.models import Entry
from micro_journal.screens.drafts import DraftOffer
from micro_journal.screens.editor import EditorScreen
from micro_journal.screens.journal import Confirm, EntryReader, JournalBrowser
from micro_journal.store import Repository, open_journal

from ..conftest import until
from .conftest import DEMO_DAY, table


def text_of(widget) -> str:
    return str(widget.render())


def entries_on(path, day: dt.date) -> list[dict]:
    return [e for e in table(path, "entries") if e["date"] == day.isoformat()]


def draft_files(path) -> list:
    folder = path.with_name(path.name + ".drafts")
    return sorted(folder.glob("*.json")) if folder.exists() else []


async def open_editor(pilot) -> EditorScreen:
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    return screen


async def test_typing_then_waiting_saves_into_the_journal(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        assert editor.query_one(TextArea).has_focus
        await pilot.press(*"Smiled at the start of stand-up.")
        assert entries_on(demo_path, DEMO_DAY) == []  # not yet: a second after typing
        await until(pilot, lambda: entries_on(demo_path, DEMO_DAY))
        [saved] = entries_on(demo_path, DEMO_DAY)
        assert saved["body"] == "Smiled at the start of stand-up."
        # today's active skills are pre-linked
        smile = next(s for s in table(demo_path, "skills") if "smile" in s["title"])
        assert smile["id"] in saved["skill_ids"]
        assert "saved" in text_of(editor.query_one("#topbar"))
        assert draft_files(demo_path) == []


async def test_a_very_large_entry_is_read_and_edited_plainly_and_what_is_typed_is_saved(
        demo_path, make):
    """Textual lays out, highlights and wraps text in Python: a 10 MB entry froze the
    reader and the editor for minutes. The reader shows a large entry's beginning and
    says how much more there is; the editor opens it whole as plain, unwrapped text, says
    why, and saves what is typed as for any entry."""
    from textual.widgets import Markdown

    big = "word " * 50_000  # 250,000 characters on one line
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        Repository(journal).save(Entry(date=DEMO_DAY.isoformat(), body=big))
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, EntryReader)
        shown = reader.query_one(Markdown).source
        assert shown.startswith("word word") and len(shown) < 101_000
        assert "… and 150,000 more characters" in shown and "press e" in shown
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        area = editor.query_one(TextArea)
        assert area.text == big
        assert area.language is None and not area.soft_wrap
        assert any((n.title or "") == "Large entry" and "250,000 characters" in n.message
                   for n in app._notifications)
        await pilot.press(*"end.", "escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalBrowser)
    [saved] = entries_on(demo_path, DEMO_DAY)
    assert saved["body"] == big + "end."


async def test_escape_leaves_and_saves_at_once(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"quick note", "escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalBrowser)
        [saved] = entries_on(demo_path, DEMO_DAY)
        assert saved["body"] == "quick note"
        # e opens the newest entry of today again, not a new one
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "quick note"
        await pilot.press(*" more", "escape")
        await pilot.pause()
    [saved] = entries_on(demo_path, DEMO_DAY)
    assert saved["body"] == "quick note more"


async def test_the_entry_just_written_is_the_one_highlighted_and_previewed(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        journal = app.screen
        before = journal.highlighted_entry()
        assert before is not None and before.date != DEMO_DAY.isoformat()
        # e and nothing typed: back on the Journal, the highlight has not moved
        await pilot.press("e", "escape")
        await pilot.pause()
        assert journal.highlighted_entry().id == before.id
        # today's first entry, written: it is listed, highlighted and in the preview
        await pilot.press("e", *"first words today", "escape")
        await pilot.pause()
        assert app.screen is journal
        [saved] = entries_on(demo_path, DEMO_DAY)
        assert journal.highlighted_entry().id == saved["id"]
        assert "first words today" in text_of(journal.query_one("#preview"))
        # moving away and back again leaves the highlight where the reader put it
        await pilot.press("down")
        await pilot.pause()
        moved = journal.highlighted_entry().id
        assert moved != saved["id"]
        await pilot.press("1", "2")
        await pilot.pause()
        assert journal.highlighted_entry().id == moved


async def test_n_starts_a_second_entry_the_same_day(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"morning", "escape")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"evening", "escape")
        await pilot.pause()
    assert sorted(e["body"] for e in entries_on(demo_path, DEMO_DAY)) == ["evening", "morning"]


async def test_an_empty_new_entry_is_not_saved(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert entries_on(demo_path, DEMO_DAY) == []


async def test_quitting_from_the_palette_saves_the_editor(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"typed just before quitting")
        await app.action_quit()
    [saved] = entries_on(demo_path, DEMO_DAY)
    assert saved["body"] == "typed just before quitting"


async def test_switching_screens_saves_the_editor(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"before switching")
        await app.run_action("goto('today')")
        await pilot.pause()
        assert app.current_mode == "today"
        assert [e["body"] for e in entries_on(demo_path, DEMO_DAY)] == ["before switching"]
        await app.run_action("goto('journal')")  # the editor is still there
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)


async def test_sigterm_saves_the_editor(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"closing the terminal")
        app._on_signal(15)
        await pilot.pause()
    [saved] = entries_on(demo_path, DEMO_DAY)
    assert saved["body"] == "closing the terminal"


async def test_template_key_inserts_the_reflection_prompts(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("ctrl+t")
        text = editor.query_one(TextArea).text
        assert "What did I practise?" in text and "What will I adjust?" in text
        await pilot.press("escape")
    [saved] = entries_on(demo_path, DEMO_DAY)
    assert "What worked?" in saved["body"]


async def test_entry_begun_before_midnight_keeps_its_date(demo_path, make, clock):
    clock.set(dt.datetime(2026, 11, 18, 23, 58, tzinfo=dt.UTC))
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"late")
        clock.set(dt.datetime(2026, 11, 19, 0, 1, tzinfo=dt.UTC))
        app.check_day()
        await pilot.press(*" thoughts")
        await until(pilot, lambda: [e["body"] for e in entries_on(demo_path, DEMO_DAY)] == [
            "late thoughts"
        ])
    assert [e["body"] for e in entries_on(demo_path, DEMO_DAY)] == ["late thoughts"]
    assert entries_on(demo_path, DEMO_DAY + dt.timedelta(days=1)) == []


def journal_files(path: Path) -> set[str]:
    """The journal's own files (not its drafts): the file, its temp files, its change log."""
    return {str(path), str(path.with_name(path.name + ".changes"))}


def writes_to(fd: int, path: Path) -> bool:
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return False
    return target in journal_files(path) or f".{path.name}.tmp-" in target


def on_disk(path: Path) -> tuple[bytes, bytes]:
    log = path.with_name(path.name + ".changes")
    return path.read_bytes(), log.read_bytes() if log.exists() else b""


async def test_failed_save_keeps_text_and_draft_then_retry_succeeds(demo_path, make, monkeypatch):
    import micro_journal.store.storage as storage

    before = on_disk(demo_path)
    real_write = os.write

    def full_disk(fd, data):  # the journal's files cannot grow; a small draft still fits
        if writes_to(fd, demo_path):
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(storage.os, "write", full_disk)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press(*"do not lose me")
        await until(pilot, lambda: "NOT SAVED" in text_of(editor.query_one("#topbar")))
        assert on_disk(demo_path) == before  # byte-identical
        assert "NOT SAVED" in text_of(editor.query_one("#topbar"))
        assert editor.query_one(TextArea).text == "do not lose me"
        [draft] = draft_files(demo_path)
        assert "do not lose me" in draft.read_text()
        assert stat.S_IMODE(draft.stat().st_mode) == 0o600
        await pilot.press("escape")  # refused once: the text is not in the journal
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        monkeypatch.setattr(storage.os, "write", real_write)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e["body"] for e in entries_on(demo_path, DEMO_DAY)] == ["do not lose me"]
        assert draft_files(demo_path) == []


async def test_a_draft_that_never_reached_the_journal_is_offered_back(demo_path, make, monkeypatch):
    import micro_journal.store.storage as storage

    real_write = os.write

    def dead(fd, data):  # the journal save never happens (as if killed)
        if writes_to(fd, demo_path):
            raise OSError(5, "Input/output error")
        return real_write(fd, data)

    monkeypatch.setattr(storage.os, "write", dead)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"written while the disk failed")
        await until(pilot, lambda: len(draft_files(demo_path)) == 1)  # the 0.3 s draft
    monkeypatch.setattr(storage.os, "write", real_write)
    assert entries_on(demo_path, DEMO_DAY) == []
    assert len(draft_files(demo_path)) == 1

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DraftOffer)
        assert "written while the disk failed" in text_of(app.screen.query_one("#draft-body"))
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, DraftOffer)
    assert [e["body"] for e in entries_on(demo_path, DEMO_DAY)] == [
        "written while the disk failed"
    ]
    assert draft_files(demo_path) == []


async def test_read_only_instance_keeps_typed_text_as_a_draft(demo_path, make):
    with open_journal(demo_path, today=lambda: DEMO_DAY):
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            editor = await open_editor(pilot)
            await pilot.press(*"second window")
            await until(pilot, lambda: "read-only" in text_of(editor.query_one("#topbar")))
            assert "read-only" in text_of(editor.query_one("#topbar"))
    assert entries_on(demo_path, DEMO_DAY) == []
    [draft] = draft_files(demo_path)
    assert "second window" in draft.read_text()


def fake_editor(tmp_path, script: str):
    path = tmp_path / "fake-editor"
    path.write_text(f"#!{sys.executable}\nimport sys\n{script}\n")
    path.chmod(0o755)
    return str(path)


async def test_external_editor_text_is_saved(demo_path, make, tmp_path, monkeypatch):
    editor_cmd = fake_editor(
        tmp_path,
        "p = sys.argv[1]\n"
        "t = open(p, encoding='utf-8').read()\n"
        "open(p, 'w', encoding='utf-8').write(t + ' and more from vim\\n')",
    )
    monkeypatch.setenv("EDITOR", editor_cmd)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press(*"typed here")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert editor.query_one(TextArea).text == "typed here and more from vim"
    assert [e["body"] for e in entries_on(demo_path, DEMO_DAY)] == [
        "typed here and more from vim"
    ]


async def test_missing_or_failing_editor_is_a_clear_message(demo_path, make, tmp_path,
                                                            monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press(*"keep")
        monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
        await pilot.press("ctrl+e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("was not found" in m for m in messages)
        monkeypatch.setenv("EDITOR", fake_editor(tmp_path, "sys.exit(3)"))
        await pilot.press("ctrl+e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("exited with status 3" in m for m in messages)
        monkeypatch.delenv("EDITOR")
        await pilot.press("ctrl+e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Set $EDITOR" in m for m in messages)
        assert editor.query_one(TextArea).text == "keep"


async def test_details_link_skills_tags_mood(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press(*"note #Speaking")
        await pilot.press("ctrl+l")
        await pilot.pause()
        details = app.screen
        details.query_one("#tags", Input).value = "focus, #work"
        details.query_one("#mood").value = 4
        await pilot.press("space")  # untoggle the first (pre-linked) skill
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        meta = text_of(app.screen.query_one("#editor-meta"))
        assert "#focus" in meta and "#speaking" in meta and "Mood 4/5" in meta
    [saved] = entries_on(demo_path, DEMO_DAY)
    assert saved["tags"] == ["focus", "work"]
    assert saved["mood"] == 4
    assert len(saved["skill_ids"]) == 3  # four active skills pre-linked, one untoggled


async def test_browser_lists_newest_first_grouped_by_month(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in
                   range(options.option_count)]
        assert prompts[0] == "November 2026"
        dates = [e["date"] for e in table(demo_path, "entries")]
        assert len(prompts) == len(dates) + 1
        assert "Week 3: the smile" in prompts[1]  # the newest entry first (16 November)


def add_old_entries(path, years: int = 6):
    """Daily entries going back years, with one distinctive word long ago."""
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        with repo.batch():
            start = DEMO_DAY - dt.timedelta(days=365 * years)
            for n in range(0, 365 * years, 3):
                day = start + dt.timedelta(days=n)
                body = f"Practice log {n}. Calm breathing before talks."
                if n == 30:
                    body = "Tried the Pomodoro trick at the Café Zürich, felt 😀 great"
                repo.save(Entry(date=day.isoformat(), body=body, tags=["log"]))


async def test_search_finds_a_word_from_years_ago_accent_insensitive(demo_path, make):
    add_old_entries(demo_path)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash")
        await pilot.press(*"cafe zurich")
        browser = app.screen
        options = browser.query_one(OptionList)

        def matching() -> list:
            return [o for i in range(options.option_count)
                    if (o := options.get_option_at_index(i)).id]

        def marked() -> set[str]:
            """the highlighted words of the one match"""
            [match] = matching()
            spans = [s for s in match.prompt.spans if "reverse" in str(s.style)]
            return {str(match.prompt)[s.start:s.end] for s in spans}

        await until(pilot, lambda: len(matching()) == 1)
        entries = [options.get_option_at_index(i) for i in range(options.option_count)]
        found = [o for o in entries if o.id]
        assert len(found) == 1
        assert "Café Zürich" in str(found[0].prompt)
        assert "1 entry match" in text_of(browser.query_one("#search-status"))
        # the match is highlighted in the snippet
        spans = [s for s in found[0].prompt.spans if "reverse" in str(s.style)]
        highlighted = {str(found[0].prompt)[s.start:s.end] for s in spans}
        assert highlighted == {"Café", "Zürich"}
        # emoji are searchable too
        browser.query_one("#search", Input).value = "😀"
        await until(pilot, lambda: marked() == {"😀"})  # the list shows this search
        assert sum(1 for i in range(options.option_count)
                   if options.get_option_at_index(i).id) == 1
        # clearing returns to the whole list (newest first, a screenful of it built)
        await pilot.press("escape")
        listed = [e for e in table(demo_path, "entries") if not e["archived"]]
        newest = max(listed, key=lambda e: (e["date"], e["created_at"]))
        await until(pilot, lambda: not browser.query_one("#search-status").display)
        assert browser.query_one("#search", Input).value == ""
        assert browser.highlighted_entry().id == newest["id"]
        assert f"{len(listed)} entries" in text_of(browser.query_one("#topbar"))


async def test_search_filters_by_tag_skill_and_dates(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "slash")
        browser = app.screen
        search = browser.query_one("#search", Input)

        def found() -> list[str]:
            options = browser.query_one(OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            by_id = {e["id"]: e for e in table(demo_path, "entries")}
            return sorted(by_id[i]["date"] for i in ids if i)

        search.value = "#insight"
        await until(pilot, lambda: len(found()) == 1)
        assert len(found()) == 1
        search.value = "skill:eye"
        await until(pilot, lambda: len(found()) == 3)
        assert len(found()) == 3
        search.value = "skill:eye from:2026-11-10"
        await until(pilot, lambda: len(found()) == 2)
        assert all(d >= "2026-11-10" for d in found()) and len(found()) == 2
        search.value = "from:yesterday"
        await until(pilot, lambda: "not a date" in text_of(browser.query_one("#search-status")))
        assert "not a date" in text_of(browser.query_one("#search-status"))


async def test_archive_with_confirmation_and_restore(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        browser = app.screen
        first = browser.highlighted_entry()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # no: nothing happens
        await pilot.pause()
        assert not next(e for e in table(demo_path, "entries") if e["id"] == first.id)[
            "archived"]
        await pilot.press("a", "y")
        await pilot.pause()
        stored = next(e for e in table(demo_path, "entries") if e["id"] == first.id)
        assert stored["archived"] is True and stored["body"] == first.body  # nothing deleted
        assert browser.highlighted_entry().id != first.id
        await pilot.press("A")
        await pilot.pause()
        assert browser.highlighted_entry().id == first.id
        await pilot.press("u")
        await pilot.pause()
    stored = next(e for e in table(demo_path, "entries") if e["id"] == first.id)
    assert stored["archived"] is False


async def test_open_reads_rendered_and_e_edits(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        first = app.screen.highlighted_entry()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryReader)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.entry.id == first.id
        await pilot.press("end", *" (edited)", "escape")
        await pilot.pause()
    stored = next(e for e in table(demo_path, "entries") if e["id"] == first.id)
    assert stored["body"].endswith("(edited)")
    assert stored["date"] == first.date


async def test_a_click_on_a_listed_entry_opens_that_entry(demo_path, make):
    # the list's rows are drawn as lines of their own (widgets/pieces.TextLines): each
    # still says which entry it is, so the mouse reaches the entry under it
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        third = options.get_option_at_index(3)  # the month's heading is row 0
        assert third.id is not None
        assert await pilot.click(options, offset=(4, 3))
        await until(pilot, lambda: isinstance(app.screen, EntryReader))
        assert app.screen.entry.id == third.id


async def test_calendar_jumps_to_a_day(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "c")
        await pilot.pause()
        calendar = app.screen.query_one("#calendar")
        calendar.show_day(dt.date(2026, 11, 12))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "on:2026-11-12"
        assert app.screen.highlighted_entry().date == "2026-11-12"


async def test_empty_journal_teaches(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        status = text_of(app.screen.query_one("#search-status", Static))
        assert "Press e to write today's" in status
