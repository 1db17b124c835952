"""11: hostile text round-trips exactly, or is refused explicitly — never a crash, never
a corrupted journal.

Round-trips exactly (service → disk → reopen, and through the editor): 100 KB entries,
emoji with zero-width joiners, right-to-left text with bidi controls, NUL and the other
C0/C1 control characters (escape sequences included), CRLF and lone CR line ends.
Refused explicitly: lone surrogates (they are not Unicode text and cannot be written as
UTF-8); the save fails with a plain message naming the character, the journal file is
unchanged, and the editor keeps the text (and the draft keeps it, losslessly).
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import TextArea

from micro_journal.cli import make_app
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.domain.models import CheckIn, Entry
from micro_journal.screens.editor import EditorScreen
from micro_journal.services.journal import JournalService
from micro_journal.store import Repository, SaveError, open_journal

from .conftest import DEMO_DAY, draft_bodies, read_json

HOSTILE = {
    "100KB": ("Lorem ipsum dolor sit amet, ümlaut 日本語 🙂\n" * 2500)[:100_000],
    "emoji-zwj": "family 👩‍👩‍👧‍👦, flag 🏳️‍🌈, skin 👋🏽, keycap 1️⃣",
    "rtl-bidi": "\u202bשלום עולם\u202c and \u2067مرحبا\u2069 \u200f\u200e\u2066x\u2069",
    "nul-and-controls": "a\x00b\x01\x07\x08\x1b[31mred\x1b[0m\x7f\x9b\x1b]0;title\x07 c",
    "line-separators": "vt\x0bff\x0cnel\x85ls\u2028ps\u2029fs\x1c mixed\r\nends\n",
    "crlf": "line one\r\nline two\r\n\r\nline four",
    "lone-cr": "old mac\rline ends\rhere",
    "combining": "e\u0301 n\u0303 \u0915\u094d\u0937 Z\u0351\u0308\u036b",
    "bom-inside": "\ufeffstarts with a BOM\ufeff",
    "json-ish": '{"entries": {"1": null}} \\u0000 \\ud800 "quotes" \\\\',
}
LONE = {
    "high": "before \ud83d after",
    "low": "before \udc00 after",
    "escaped-byte": "from a bad argv \udcff",
}


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "journal.json"
    with open_journal(path) as journal:
        yield Repository(journal)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_round_trips_exactly(tmp_path, name):
    text = HOSTILE[name]
    path = tmp_path / "journal.json"
    with open_journal(path) as journal:
        repo = Repository(journal)
        entry = JournalService(repo).save(Entry(date=DEMO_DAY, body=text, tags=[name]))
        repo.set_checkin("skill", dt.date(2026, 11, 18), note=text)
    with open_journal(path) as journal:
        repo = Repository(journal)
        assert repo.get(Entry, entry.id).body == text
        assert repo.checkins()[0].note == text
    assert read_json(path)["entries"]  # still plain JSON


@pytest.mark.parametrize("name", list(LONE))
def test_lone_surrogates_are_refused_in_plain_words_and_change_nothing(tmp_path, name):
    path = tmp_path / "journal.json"
    with open_journal(path) as journal:
        repo = Repository(journal)
        first = repo.save(Entry(date=DEMO_DAY, body="kept"))
        before = path.read_bytes()
        with pytest.raises(SaveError) as err:
            JournalService(repo).save(first, body=LONE[name])
        message = str(err.value)
        assert str(path) in message
        assert "cannot be stored" in message and "U+D" in message  # names the character
        assert "before" not in message  # and not the text around it
        assert path.read_bytes() == before
        assert repo.get(Entry, first.id).body == "kept"  # memory matches the disk
        with pytest.raises(SaveError):
            repo.save(CheckIn(skill_id="s", date=DEMO_DAY, note=LONE[name]))
        repo.save(Entry(date=DEMO_DAY, body="the journal still works"))
    with open_journal(path) as journal:
        assert sorted(e.body for e in Repository(journal).entries()) == [
            "kept", "the journal still works"]


def the_app(path):
    return make_app(path, FixedClock(dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)),
                    Config())


async def edit_newest(pilot) -> EditorScreen:
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EditorScreen)
    return pilot.app.screen


# The editor's text area splits lines at every Unicode line boundary and joins them with
# one line end; for such text the editor warns first (explicit, never silent).
NORMALISED_BY_THE_EDITOR = {"line-separators"}


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_the_editor_keeps_hostile_text_exactly(demo, name):
    text = HOSTILE[name]
    with open_journal(demo) as journal:
        saved = Repository(journal).save(Entry(date=DEMO_DAY, body=text))
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await edit_newest(pilot)
        assert editor.entry.id == saved.id
        warned = any("line ends" in str(n.message) for n in app._notifications)
        assert warned == (name in NORMALISED_BY_THE_EDITOR)
        await pilot.press("escape")  # opened and left without typing: nothing changes
        await pilot.pause()
        assert [e["body"] for e in read_json(demo)["entries"].values()
                if e["id"] == saved.id] == [text]
        await pilot.press("e")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        shown = area.text
        area.move_cursor(area.document.end)
        await pilot.press("!")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    [entry] = [e for e in read_json(demo)["entries"].values() if e["id"] == saved.id]
    if name in NORMALISED_BY_THE_EDITOR:
        assert shown.splitlines() == text.splitlines()  # only the line ends differ
        assert entry["body"] == shown + "!"
    else:
        assert entry["body"] == text + "!"


async def test_an_unchanged_crlf_entry_comes_back_from_editor_unchanged(demo, tmp_path,
                                                                        monkeypatch):
    import sys

    script = tmp_path / "noop-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    text = HOSTILE["crlf"]
    with open_journal(demo) as journal:
        saved = Repository(journal).save(Entry(date=DEMO_DAY, body=text))
    before = demo.read_bytes()
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_newest(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert any("No changes" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
    assert demo.read_bytes() == before
    assert read_json(demo)["entries"][next(
        k for k, e in read_json(demo)["entries"].items() if e["id"] == saved.id)]["body"] == text


async def test_a_draft_with_a_lone_surrogate_is_refused_and_kept(demo):
    """Drafts are written losslessly (surrogatepass); putting one in the journal is refused
    with the character named, and the draft stays to be fixed — nothing crashes."""
    from micro_journal.screens.drafts import DraftOffer
    from micro_journal.store.drafts import Draft, DraftStore

    DraftStore(demo).save(Draft(entry_id="e1", date=DEMO_DAY, body="half \ud83d an emoji",
                                saved_at="2026-11-18T09:00:00+00:00", skill_ids=[], tags=[]))
    before = demo.read_bytes()
    app = the_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DraftOffer)
        await pilot.press("r")
        await pilot.pause()
        told = [str(n.message) for n in app._notifications]
        assert any("cannot be stored" in m and "U+D83D" in m for m in told)
        assert isinstance(app.screen, DraftOffer)  # still offered: nothing lost
    assert demo.read_bytes() == before
    assert draft_bodies(demo) == ["half \ud83d an emoji"]


def test_a_cli_note_with_undecodable_bytes_is_refused_in_one_line(box, demo):
    import os
    import subprocess
    import sys

    before = demo.read_bytes()
    result = subprocess.run(
        [os.fsencode(sys.executable), b"-m", b"micro_journal", b"--db", os.fsencode(demo),
         b"checkin", b"eye contact", b"--note", b"caf\xe9 latin-1"],
        capture_output=True, env=box.env, cwd=box.root, timeout=60,
    )
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err  # bad input, as the README's exit codes say
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "not valid UTF-8" in err and "0xe9" in err.lower()
    assert demo.read_bytes() == before


def test_hostile_text_figure(figures):
    figures.add(f"hostile text: {len(HOSTILE)} kinds round-trip exactly (store and editor); "
                f"{len(LONE)} kinds of lone surrogate refused in plain words, nothing changed")
