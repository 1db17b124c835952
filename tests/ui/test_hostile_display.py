"""User text is data: markup in it is shown as typed, and no control code reaches the
terminal (issue 16).

A journal with hostile text in every user field (markup, an unclosed ``[``, a trailing
backslash, terminal escape sequences, C0 and C1 controls, RTL marks, emoji) is walked
through every screen and dialog. On each: no exception, the text is on screen as typed,
and what would be painted holds no ESC, BEL or other control character.

What is on screen is read from ``App.export_screenshot()`` (public API): the SVG holds
every painted character; its ``<text>`` elements are put back on their lines. The apps
run with ``notifications=True`` so that toasts (which name skills, goals and paths) are
painted too (``run_test`` leaves them out by default).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import stat
from pathlib import Path

import pytest
from rich.cells import cell_len

from micro_journal.domain.models import (
    CheckIn,
    Entry,
    MicroGoal,
    MicroSkill,
    Objective,
    PeriodReview,
    Record,
    WeeklyReview,
)
from micro_journal.services.demo import build_demo
from micro_journal.services.progress import PICTURES_ENV
from micro_journal.store import Repository, open_journal
from micro_journal.store.drafts import Draft, DraftStore

from .conftest import DEMO_DAY, read_journal

# Each marker must be shown as typed; the rest must only never reach the terminal raw.
OPEN = "[5pm"
MARKUP = "[bold]x[/]"
VARIABLE = "[$warning]"
LINK = "[link=x]"
REST = (
    f" {MARKUP} {VARIABLE} {LINK}y \x1b]0;pwned\x07 \x1b[31mred \x9b2J nul\x00 del\x7f"
    " cr\rend \u202eRTL\u202c \U0001f600 back\\"
)
# what may never be painted: C0 controls (lines are joined with "\n"), DEL, C1
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def hostile(text: str) -> str:
    """``text`` with the markers first (so a clipped line still shows one) and the rest after."""
    return f"{OPEN} {text}{REST}"


def hostile_many(text: str) -> str:
    """For fields shown on several lines: the same, with a line break and a tab inside."""
    return f"{OPEN} {text}\n\t{MARKUP} second line{REST}"


MULTILINE = {"body", "insight", "worked", "adjust", "note"}
FIELDS = {
    Objective: ("title", "description"),
    MicroSkill: ("title", "why"),
    CheckIn: ("note",),
    Entry: ("body",),
    MicroGoal: ("action", "success_metric", "insight", "drop_reason"),
    WeeklyReview: ("worked", "adjust"),
    PeriodReview: ("note",),
}
GOAL_TODAY = "Call mom [5pm"
TITLE_ESCAPE = "Title \x1b]0;x\x07 here"


def poison(record: Record) -> None:
    for name in FIELDS.get(type(record), ()):
        value = getattr(record, name)
        if value or name in ("title", "action", "body"):
            setattr(record, name, (hostile_many if name in MULTILINE else hostile)(value))
    if isinstance(record, MicroSkill) and record.metric is not None:
        record.metric = dataclasses.replace(
            record.metric, name=hostile(record.metric.name), unit=f"{OPEN}\x1b[1m\\"
        )
    if isinstance(record, Entry):
        record.tags = [*record.tags, "x[5pm", "t\x1b]0;x\x07"]
    if isinstance(record, WeeklyReview):
        for m in record.measurements:
            m.note = hostile(m.note)


def build_hostile(path: Path, today: dt.date = DEMO_DAY) -> None:
    records = build_demo(today)
    for record in records:
        poison(record)
    speaking = next(r for r in records if isinstance(r, Objective))
    records += [
        MicroGoal(objective_id=speaking.id, action=GOAL_TODAY, deadline=today.isoformat()),
        MicroGoal(objective_id=speaking.id, action=hostile("Dropped"), deadline=today.isoformat(),
                  status="dropped", drop_reason=hostile("No time")),
        Entry(date=today.isoformat(), body=hostile_many("Today's entry") + "\n" + TITLE_ESCAPE,
              tags=["x[5pm"]),
        PeriodReview(period=f"{today.year}-{today.month:02d}", note=hostile_many("Month note")),
        PeriodReview(period=f"{today.year}-Q{(today.month - 1) // 3 + 1}",
                     note=hostile_many("Quarter note")),
    ]
    with open_journal(path, today=lambda: today) as journal:
        repo = Repository(journal)
        with repo.batch():
            repo.ensure_meta()
            for record in records:
                repo.save(record)


@pytest.fixture
def hostile_path(tmp_path) -> Path:
    path = tmp_path / "journal" / "journal.json"
    build_hostile(path)
    return path


@pytest.fixture(autouse=True)
def pictures(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "pictures" / "sub"
    monkeypatch.setenv(PICTURES_ENV, str(folder))
    return folder


# ------------------------------------------------------------------ what is painted

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>',
    re.S,
)


def painted(app) -> str:
    """The screen's characters, line by line, from the exported SVG screenshot."""
    svg = app.export_screenshot()
    rows: dict[int, list[tuple[float, str]]] = {}
    width = None
    for x, length, line, content in _TEXT.findall(svg):
        text = html.unescape(content).replace("\xa0", " ")
        if text and width is None:
            width = float(length) / len(text)
        rows.setdefault(int(line), []).append((float(x), text))
    assert rows, "the screenshot has no text: has Rich's SVG format changed?"
    out = []
    for n in range(max(rows) + 1):
        line = ""
        for x, text in sorted(rows.get(n, [])):
            column = round(x / width)
            line += " " * max(0, column - cell_len(line)) + text
        out.append(line)
    return "\n".join(out)


def check(app, where: str, *shown: str) -> str:
    screen = painted(app)
    bad = FORBIDDEN.search(screen)
    if bad is not None:
        around = screen[max(0, bad.start() - 60) : bad.end() + 20]
        raise AssertionError(f"{where}: {bad.group()!r} painted: {around!r}")
    for text in shown:
        assert text in screen, f"{where}: {text!r} not on screen:\n{screen}"
    return screen


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def visit(pilot, app, key: str, where: str, *shown: str) -> None:
    """Open what ``key`` opens, check what it paints, and close it again."""
    await pilot.press(key)
    await settle(pilot)
    check(app, where, *shown)
    await pilot.press("escape")
    await settle(pilot)


# ------------------------------------------------------------------ the walks

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
async def test_today_starts_and_shows_hostile_text_as_typed(hostile_path, make, size):
    before = read_journal(hostile_path)
    app = make(hostile_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        # at 80×24 the overdue goal fills the room for goals; at 120×40 both show
        check(app, "today", OPEN, *([GOAL_TODAY] if size[1] >= 40 else []))
        # the practice timer names the skill
        await visit(pilot, app, "p", "timer", OPEN)
        # check-in details
        await visit(pilot, app, "enter", "check-in form", OPEN)
        # goal done (a goal is due today)
        await visit(pilot, app, "g", "complete goal", OPEN)
        # new skill form
        await visit(pilot, app, "n", "skill form")
        await visit(pilot, app, "question_mark", "help")
        await visit(pilot, app, "ctrl+p", "command palette")
    assert read_journal(hostile_path) == before


async def test_today_shows_every_marker_of_a_skill_title(hostile_path, make):
    app = make(hostile_path)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(pilot)
        check(app, "today, wide", OPEN, MARKUP, VARIABLE, LINK, "back\\")


async def test_today_check_in_keeps_the_text_and_shows_it(hostile_path, make):
    app = make(hostile_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        # the toast names the skill: as typed, with placeholders for its control codes
        check(app, "after check-in", OPEN, "Checked in", "Done: [5pm", "␛]0;pwned␇")
        await pilot.press("w")  # weekly review
        await settle(pilot)
        check(app, "weekly review from today", OPEN)
        # decide
        await visit(pilot, app, "ctrl+o", "decide")
        # next skill
        await visit(pilot, app, "ctrl+n", "next skill picker")


@pytest.mark.parametrize("size", SIZES)
async def test_journal_browser_reader_and_editor(hostile_path, make, size):
    before = read_journal(hostile_path)
    app = make(hostile_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        check(app, "journal browser", OPEN)
        await visit(pilot, app, "enter", "reader", OPEN)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        check(app, "reader, older entry", OPEN)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press("5", "p", "m")
        await settle(pilot)
        check(app, "search")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")  # today's entry, with ESC ] 0 ; … BEL in its body
        await settle(pilot)
        check(app, "editor", OPEN)
        await visit(pilot, app, "ctrl+l", "skills & tags")
        await pilot.press("ctrl+r")  # Markdown preview
        await settle(pilot)
        check(app, "editor preview", OPEN)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        check(app, "back from the editor")
        # archive: the confirmation names the entry
        await visit(pilot, app, "a", "archive confirmation")
    # leaving the editor without typing changes no byte of any entry
    assert read_journal(hostile_path)["entries"] == before["entries"]


async def test_editor_saves_the_body_exactly(hostile_path, make):
    app = make(hostile_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("2", "e")
        await settle(pilot)
        await pilot.press("end", "ctrl+end", "!")
        await settle(pilot)
        check(app, "editor after typing", OPEN)
        await pilot.press("escape")
        await settle(pilot)
    bodies = [e["body"] for e in read_journal(hostile_path)["entries"].values()]
    # every control character is kept; only the lone CR, which the text area reads as a
    # line end, is saved as a plain one once the entry is edited (the editor says so)
    want = (hostile_many("Today's entry") + "\n" + TITLE_ESCAPE + "!").replace("\r", "\n")
    assert want in bodies


async def test_a_draft_with_hostile_text_is_offered_back_as_text(hostile_path, make):
    DraftStore(hostile_path).save(Draft(
        entry_id="feedfacefeedfacefeedfacefeedface", date=DEMO_DAY.isoformat(),
        body=hostile_many("Draft body"), saved_at="2026-11-18T08:00:00+00:00",
        skill_ids=[], tags=["x[5pm", "t\x1b]0;x\x07"],
    ))
    app = make(hostile_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        check(app, "drafts", OPEN)


@pytest.mark.parametrize("size", SIZES)
async def test_plan_week_detail_and_dialogs(hostile_path, make, size):
    app = make(hostile_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        check(app, "plan", OPEN)
        for key in ("up", "up", "down", "down", "down"):
            await pilot.press(key)
            await settle(pilot)
            check(app, f"plan after {key}")
        await pilot.press("up", "up", "up")
        await settle(pilot)
        await visit(pilot, app, "w", "review of week 1", OPEN)
        await pilot.press("down", "down", "down")  # the last week: it can still change
        await settle(pilot)
        for key in ("e", "a", "n", "E", "x", "c", "d"):
            await pilot.press(key)
            await settle(pilot)
            check(app, f"plan dialog {key}")
            await pilot.press("escape")
            await settle(pilot)
            if app.screen.id != "plan" and key != "d":
                await pilot.press("escape")
                await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_progress_views_and_picture(hostile_path, make, size, pictures):
    app = make(hostile_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        check(app, "progress", OPEN)
        for key in ("l", "l", "o", "l", "a", "t", "t", "t", "a", "j", "k"):
            await pilot.press(key)
            await settle(pilot)
            check(app, f"progress after {key}")
        await pilot.press("s")
        await settle(pilot)
        check(app, "picture saved")
    saved = list(pictures.glob("*.svg"))
    assert len(saved) == 1
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(pictures.stat().st_mode) == 0o700
    assert stat.S_IMODE(pictures.parent.stat().st_mode) == 0o700
    assert "\x1b" not in saved[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("size", SIZES)
async def test_goals_dialogs_and_period_reviews(hostile_path, make, size):
    app = make(hostile_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        check(app, "goals", OPEN)
        for key in ("j", "j", "k"):
            await pilot.press(key)
            await settle(pilot)
            check(app, f"goals after {key}")
        for key in ("e", "r", "x", "n"):
            await pilot.press(key)
            await settle(pilot)
            check(app, f"goal dialog {key}")
            await pilot.press("escape")
            await settle(pilot)
        for _ in range(4):  # open → done → dropped → all
            await pilot.press("f")
            await settle(pilot)
            check(app, "goals filtered")
            await pilot.press("j")
            await settle(pilot)
            await visit(pilot, app, "i", "insight dialog")
        for review in ("m", "M"):
            await pilot.press(review)
            await settle(pilot)
            check(app, f"review {review}", OPEN)
            for key in ("t", "t", "h", "l", "j"):
                await pilot.press(key)
                await settle(pilot)
                check(app, f"review {review} after {key}")
            await visit(pilot, app, "n", f"review {review} note", OPEN)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("space")  # complete: the celebration names the goal
        await settle(pilot)
        check(app, "goal completed")


async def test_goal_completed_from_today_celebrates_with_the_text(hostile_path, make):
    app = make(hostile_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("5", "space")
        await settle(pilot)
        check(app, "celebration", OPEN)


async def test_settings_and_theme_picker(hostile_path, make):
    app = make(hostile_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        check(app, "settings")
        await visit(pilot, app, "ctrl+t", "theme picker")


async def test_a_hostile_journal_path_is_shown_as_text(tmp_path, make):
    path = tmp_path / "j[5pm \x1b]0;x\x07 [b]x[/]" / "journal.json"
    build_hostile(path)
    app = make(path)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        check(app, "settings with a hostile path", "j[5pm")


async def test_the_read_only_banner_and_notices_show_text(hostile_path, make):
    with open_journal(hostile_path, today=lambda: DEMO_DAY):  # another instance holds the lock
        app = make(hostile_path)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            check(app, "read-only today", OPEN, "READ-ONLY")
            await pilot.press("space")
            await settle(pilot)
            check(app, "read-only check-in")
            await pilot.press("2", "e")
            await settle(pilot)
            check(app, "read-only editor")


async def test_the_recovery_screen_shows_a_hostile_path_as_text(tmp_path, make):
    path = tmp_path / "j[5pm \x1b]0;x\x07 [b]x[/]" / "journal.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{not json")
    app = make(path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "RecoveryScreen"
        check(app, "recovery", "j[5pm")
