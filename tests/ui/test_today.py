"""The Today screen, driven through the real app with keys."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Static

from micro_journal.screens.checkin_form import CheckInForm
from micro_journal.screens.help import HelpScreen
from micro_journal.screens.recovery import RecoveryScreen
from micro_journal.screens.skill_form import NewSkillForm
from micro_journal.screens.today import TodayScreen
from micro_journal.store import open_journal
from micro_journal.widgets.skill import SkillCard, SkillRow
from micro_journal.widgets.week import WeekGrid

from ..conftest import until
from .conftest import DEMO_DAY, checkins_on, read_journal, skill_id, table

SMILE = "confident smile"
EYES = "eye contact"


def text_of(widget) -> str:
    if isinstance(widget, WeekGrid | SkillCard):  # drawn a line at a time
        return "\n".join(widget.lines)
    return str(widget.render())


async def test_today_shows_week_three_with_smile_in_focus(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        top = text_of(app.screen.query_one("#topbar", Static))
        assert "week 3 of 4" in top
        assert "Wednesday 18 November 2026" in top
        card = app.screen.query_one("#focus-card", SkillCard)
        assert "Start and end every talk with a confident smile" in text_of(card)
        rows = [text_of(r) for r in app.screen.query(SkillRow)]
        assert any("Hold eye contact" in r for r in rows)
        assert any("Eliminate 'um' and 'uh'" in r for r in rows)
        goals = text_of(app.screen.query_one("#goals", Static))
        assert "Sign up for the December lightning talk" in goals
        assert "overdue 2 days" in goals


async def test_space_marks_focus_done_in_the_file(demo_path, make):
    smile = skill_id(demo_path, SMILE)
    assert checkins_on(demo_path, DEMO_DAY, smile) == []
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        # saved before the key returns: the file already has it while the app is open
        saved = checkins_on(demo_path, DEMO_DAY, smile)
        assert [c["status"] for c in saved] == ["done"]
        assert "✔ done" in text_of(app.screen.query_one("#focus-card"))
        await pilot.press("space")  # a second press never duplicates
        await pilot.pause()
    assert len(checkins_on(demo_path, DEMO_DAY, smile)) == 1


async def test_skip_marks_a_rest_day(demo_path, make):
    smile = skill_id(demo_path, SMILE)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "rest day" in text_of(app.screen.query_one("#focus-card"))
    assert [c["status"] for c in checkins_on(demo_path, DEMO_DAY, smile)] == ["skipped"]


async def test_j_moves_selection_to_the_stacked_skill(demo_path, make):
    eyes = skill_id(demo_path, EYES)
    smile = skill_id(demo_path, SMILE)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "space")
        await pilot.pause()
        selected = [r for r in app.screen.query(SkillRow) if r.has_class("-selected")]
        assert len(selected) == 1 and "Hold eye contact" in text_of(selected[0])
        await pilot.press("k", "down", "up", "up")  # clamps at the top
        await pilot.pause()
        assert app.screen.query_one("#focus-card").has_class("-selected")
    assert [c["status"] for c in checkins_on(demo_path, DEMO_DAY, eyes)] == ["done"]
    assert checkins_on(demo_path, DEMO_DAY, smile) == []


async def test_undo_removes_todays_checkin(demo_path, make):
    smile = skill_id(demo_path, SMILE)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert len(checkins_on(demo_path, DEMO_DAY, smile)) == 1
        await pilot.press("x")
        await pilot.pause()
        assert "not yet" in text_of(app.screen.query_one("#focus-card"))
    assert checkins_on(demo_path, DEMO_DAY, smile) == []


async def test_details_form_saves_minutes_value_and_note(demo_path, make):
    smile = skill_id(demo_path, SMILE)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckInForm)
        await pilot.press("7", "tab", "8", "5", "tab", *"calm start")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        card = text_of(app.screen.query_one("#focus-card"))
        assert "7 min" in card and "value 85" in card
    [saved] = checkins_on(demo_path, DEMO_DAY, smile)
    assert saved["status"] == "done"
    assert saved["minutes"] == 7
    assert saved["value"] == 85
    assert saved["note"] == "calm start"


async def test_details_form_rejects_bad_minutes_and_keeps_the_text(demo_path, make):
    smile = skill_id(demo_path, SMILE)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("minus", "3", "tab", "tab", *"keep me", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CheckInForm)
        assert "negative" in text_of(form.query_one("#minutes-error"))
        assert form.query_one("#note", Input).value == "keep me"
        assert form.query_one("#minutes", Input).value == "-3"
        # fix it and save: nothing typed was lost
        form.query_one("#minutes", Input).value = "6"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = checkins_on(demo_path, DEMO_DAY, smile)
    assert saved["minutes"] == 6 and saved["note"] == "keep me"


async def test_practice_timer_prefills_minutes(demo_path, make, clock):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        timer = app.screen.query_one("#timer")
        assert timer.display and timer.running
        clock.advance(minutes=2)
        await pilot.press("p")  # pause: paused time does not count
        await pilot.pause()
        assert not timer.running
        clock.advance(minutes=30)
        await pilot.press("p")  # resume
        clock.advance(minutes=3, seconds=1)
        # the timer's tick opens the check-in form
        await until(pilot, lambda: isinstance(app.screen, CheckInForm)
                    and bool(app.screen.query("#minutes")))
        assert isinstance(app.screen, CheckInForm)
        assert app.screen.query_one("#minutes", Input).value == "5"
        await pilot.press("enter")
        await pilot.pause()
    [saved] = checkins_on(demo_path, DEMO_DAY, skill_id(demo_path, SMILE))
    assert saved["minutes"] == 5


async def test_timer_can_be_stopped(demo_path, make, clock):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        clock.advance(minutes=1)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#timer").active
        assert isinstance(app.screen, TodayScreen)


async def test_first_run_creates_objective_and_skill(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        welcome = app.screen.query_one("#welcome", Static)
        assert welcome.display
        assert "Welcome to micro-journal" in text_of(welcome)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewSkillForm)
        await pilot.press(*"Writing", "enter")
        await pilot.press(*"Write 200 words before breakfast", "enter")
        await pilot.press(*"Cue: kettle on", "enter")
        await pilot.press("enter")  # minutes: default 5
        await pilot.press(*"words written", "enter")
        await pilot.pause()
        checklist = text_of(app.screen.query_one("#checklist"))
        assert "Measurable" in checklist
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Write 200 words" in text_of(app.screen.query_one("#focus-card"))
        await pilot.press("space")
        await pilot.pause()
    data = read_journal(empty_path)
    [objective] = data["objectives"].values()
    [skill] = data["skills"].values()
    assert objective["title"] == "Writing"
    assert skill["objective_id"] == objective["id"]
    assert skill["practice_minutes"] == 5
    assert skill["metric"]["name"] == "words written"
    assert data["meta"]["1"]["schema_version"] == 1
    assert [c["status"] for c in data["checkins"].values()] == ["done"]


async def test_new_skill_form_warns_but_does_not_block(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#objective", Input).value = "Fitness"
        form.query_one("#title", Input).value = "Run and stretch"
        form.query_one("#minutes", Input).value = "45"
        await pilot.pause()
        checklist = text_of(form.query_one("#checklist"))
        assert "45 minutes" in checklist
        assert "No metric" in checklist
        assert "more than one element" in checklist
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    assert [s["title"] for s in table(empty_path, "skills")] == ["Run and stretch"]


async def test_new_skill_form_explains_an_empty_title(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#objective", Input).value = "Fitness"
        form.query_one("#days", Input).value = "9"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewSkillForm)
        assert "needs a title" in text_of(form.query_one("#title-error"))
        form.query_one("#title", Input).value = "Ten push-ups"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1 to 7" in text_of(form.query_one("#days-error"))
        assert form.query_one("#objective", Input).value == "Fitness"
    assert not empty_path.exists() or "skills" not in read_journal(empty_path)


async def test_first_run_can_open_the_demo_without_touching_the_journal(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert app.demo
        assert app.db_path != empty_path
        assert "week 3 of 4" in text_of(app.screen.query_one("#topbar"))
        await pilot.press("space")
        await pilot.pause()
    assert not empty_path.exists() or "skills" not in read_journal(empty_path)


async def test_second_instance_is_read_only_with_a_banner(demo_path, make):
    before = demo_path.read_bytes()
    with open_journal(demo_path, today=lambda: DEMO_DAY):  # the first instance
        app = make(demo_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            banner = app.screen.query_one("#banner", Static)
            assert banner.display
            assert "READ-ONLY" in text_of(banner)
            assert "journal.json.lock" in text_of(banner)
            await pilot.press("space")
            await pilot.pause()
            assert "not yet" in text_of(app.screen.query_one("#focus-card"))
    assert demo_path.read_bytes() == before


async def test_day_rolls_over_while_open(demo_path, make, clock):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert "✔ done" in text_of(app.screen.query_one("#focus-card"))
        clock.set(dt.datetime(2026, 11, 19, 0, 0, 5, tzinfo=dt.UTC))
        app.check_day()
        await pilot.pause()
        assert "Thursday 19 November 2026" in text_of(app.screen.query_one("#topbar"))
        assert "not yet" in text_of(app.screen.query_one("#focus-card"))
        await pilot.press("space")
        await pilot.pause()
    smile = skill_id(demo_path, SMILE)
    assert len(checkins_on(demo_path, DEMO_DAY + dt.timedelta(days=1), smile)) == 1


async def test_corrupt_journal_is_set_aside_and_backup_offered(demo_path, make, clock):
    # yesterday's backup exists; today the file is truncated by some other program
    with open_journal(demo_path, today=lambda: DEMO_DAY - dt.timedelta(days=1)):
        pass
    damaged = demo_path.read_bytes()[:-40]
    demo_path.write_bytes(damaged)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        message = text_of(app.screen.query_one("Static"))
        assert str(demo_path) in message
        assert ".corrupt-" in message
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "confident smile" in text_of(app.screen.query_one("#focus-card"))
    kept = list(demo_path.parent.glob("journal.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


async def test_help_lists_every_key_of_today(demo_path, make):
    from micro_journal.keymap import GLOBAL_KEYS, TODAY_KEYS

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(text_of(s) for s in app.screen.query(".key-table"))
        for key in TODAY_KEYS + GLOBAL_KEYS:
            assert key.help in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_every_today_action_is_in_the_command_palette(demo_path, make):
    from micro_journal.keymap import GLOBAL_KEYS, TODAY_KEYS

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for key in TODAY_KEYS + GLOBAL_KEYS:
            if key.action != "command_palette":
                assert key.help in titles


async def test_q_quits_and_releases_the_lock(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "q")
        await pilot.pause()
    with open_journal(demo_path, today=lambda: DEMO_DAY, on_locked="refuse") as journal:
        assert not journal.read_only


async def test_corrupt_journal_without_backup_can_start_empty(empty_path, make):
    empty_path.parent.mkdir(parents=True)
    empty_path.write_bytes(b"\x00\x01 not json")
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert "No backup was found" in text_of(app.screen.query_one("Static"))
        await pilot.press("r")  # not offered: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert "Welcome" in text_of(app.screen.query_one("#welcome"))
    kept = list(empty_path.parent.glob("journal.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00\x01 not json"


async def test_the_date_rolls_over_by_itself_at_midnight(demo_path, make, clock):
    clock.set(dt.datetime(2026, 11, 18, 23, 59, 59, tzinfo=dt.UTC))
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Wednesday 18 November 2026" in text_of(app.screen.query_one("#topbar"))
        clock.set(dt.datetime(2026, 11, 19, 0, 0, 1, tzinfo=dt.UTC))  # the timer is due in 1.5 s
        await until(pilot, lambda: "Thursday" in text_of(app.screen.query_one("#topbar")))
        assert "Thursday 19 November 2026" in text_of(app.screen.query_one("#topbar"))


# ------------------------------------------------------------- a check-in repaints what changed


class Repaints:
    """While the app runs: every widget given its text again (``Static.update``, or some
    of the card's lines), every line of the week grid drawn again (as ``("week", line)``),
    and every widget that asked for the screen to be laid out again
    (``refresh(layout=True)``, which a change of text, ``display`` or a layout style
    asks for)."""

    def __init__(self, monkeypatch) -> None:
        from textual.widget import Widget

        self.updated: list = []
        self.laid_out: list = []
        real_update, real_refresh = Static.update, Widget.refresh

        def update(widget, *args, **kwargs):
            self.updated.append(widget)
            return real_update(widget, *args, **kwargs)

        def refresh(widget, *regions, **kwargs):
            if kwargs.get("layout"):
                self.laid_out.append(widget)
            if isinstance(widget, WeekGrid):
                self.updated += [("week", r.y) for r in regions if r.height == 1]
            elif isinstance(widget, SkillCard) and regions:  # some of its lines
                self.updated.append(widget)
            return real_refresh(widget, *regions, **kwargs)

        monkeypatch.setattr(Static, "update", update)
        monkeypatch.setattr(Widget, "refresh", refresh)

    async def press(self, pilot, *keys: str) -> None:
        """Press ``keys``; what they repainted is kept (and only that)."""
        await pilot.pause()
        self.updated.clear()
        self.laid_out.clear()
        await pilot.press(*keys)
        await pilot.pause()


def line_of(widget, part: str) -> str:
    [line] = [x for x in text_of(widget).splitlines() if part in x]
    return line


def row_of(week: WeekGrid, part: str) -> tuple[str, int]:
    """The week grid's line showing ``part``, as ``Repaints`` names it."""
    [y] = [y for y, line in enumerate(week.lines) if part in line]
    return ("week", y)


def shown(app) -> dict[str, str]:
    """The text of every widget of Today, by id (a row by its place)."""
    screen = app.screen
    out = {w.id: text_of(w) for w in screen.query(Static) if w.id}
    out["week"] = text_of(screen.query_one("#week", WeekGrid))
    out["focus-card"] = text_of(screen.query_one("#focus-card", SkillCard))
    out.update({f"row {n}": text_of(r) for n, r in enumerate(screen.query(SkillRow))})
    return out


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_checkin_and_its_undo_repaint_only_what_changed(demo_path, make, monkeypatch):
    """Space on the focus: its card and its week mark change, nothing else is given its
    text again, nothing is laid out again (the card keeps its height), the rows and the
    footer's keys stay the very same widgets; undo puts back exactly what was shown.
    Then the same for a stacked skill's row."""
    repaints = Repaints(monkeypatch)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        card = screen.query_one("#focus-card", SkillCard)
        week = screen.query_one("#week", WeekGrid)
        rows = list(screen.query(SkillRow))
        keys = list(screen.query("FooterKey"))
        before = shown(app)
        assert "Streak 2 (best 2)" in text_of(card) and "○ not yet" in text_of(card)
        assert line_of(week, SMILE).split()[-8:] == ["✔", "✔", "○", "·", "·", "·", "·", "2/7"]

        await repaints.press(pilot, "space")
        now = shown(app)
        assert "✔ done" in text_of(card)
        assert "Streak 3 (best 3)" in text_of(card)
        assert "●●●○○○○ 3/7" in text_of(card)
        assert card.has_class("-done", "-selected")
        assert line_of(week, SMILE).split()[-8:] == ["✔", "✔", "✔", "·", "·", "·", "·", "3/7"]
        assert toasts(app)[-1] == f"Done: Start and end every talk with a {SMILE} · streak 3"
        assert {k for k in now if now[k] != before[k]} == {"focus-card", "week"}
        assert set(repaints.updated) == {card, row_of(week, SMILE)}  # its row of the grid
        assert repaints.laid_out == []  # same height: no layout of the screen
        assert list(screen.query(SkillRow)) == rows  # not mounted again
        assert list(screen.query("FooterKey")) == keys  # the same keys, not rebuilt

        await repaints.press(pilot, "x")
        assert shown(app) == before  # exactly what was shown before the check-in
        assert not card.has_class("-done") and card.has_class("-selected")
        assert toasts(app)[-1] == (
            f"Undone: today's check-in of Start and end every talk with a {SMILE}.")
        assert set(repaints.updated) == {card, row_of(week, SMILE)}
        assert repaints.laid_out == []
        assert list(screen.query("FooterKey")) == keys

        # a stacked skill: its row and its week mark, not the card
        await repaints.press(pilot, "j")
        assert rows[0].has_class("-selected") and not card.has_class("-selected")
        before = shown(app)
        await repaints.press(pilot, "space")
        now = shown(app)
        assert text_of(rows[0]).startswith("▶ ✔ Hold eye contact")
        assert "2/5 · streak 8" in text_of(rows[0])
        assert line_of(week, "Hold eye contact").split()[-8:] == [
            "–", "✔", "✔", "·", "·", "·", "·", "2/5"]
        assert toasts(app)[-1].endswith("· streak 8")
        assert {k for k in now if now[k] != before[k]} == {"row 0", "week"}
        assert set(repaints.updated) == {rows[0], row_of(week, "Hold eye contact")}
        assert repaints.laid_out == []
        await repaints.press(pilot, "x")
        assert shown(app) == before
        assert set(repaints.updated) == {rows[0], row_of(week, "Hold eye contact")}
        assert rows[0].has_class("-selected")
        assert list(screen.query(SkillRow)) == rows


async def test_a_details_note_that_wraps_grows_the_card_and_undo_shrinks_it(demo_path, make):
    """A note too long for one line makes the card taller: what is under it moves down
    (the screen is laid out again), and back up once undone."""
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        card = app.screen.query_one("#focus-card", SkillCard)
        title = app.screen.query_one("#stacked-title", Static)
        height, below = card.region.height, title.region.y
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckInForm)
        await pilot.press("5", "tab", "tab", *("a long note " * 14), "enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.pause()
        assert "a long note" in text_of(card)
        assert card.region.height == height + 1
        assert title.region.y == below + 1
        await pilot.press("x")
        await pilot.pause()
        assert "not yet" in text_of(card)
        assert (card.region.height, title.region.y) == (height, below)


async def test_undo_of_a_maintained_skill_folds_its_row_into_the_maintenance_line(
        demo_path, make, monkeypatch):
    """A skill in maintenance whose week is met stays a row while checked in today; its
    undo takes the row away (only that one) and names it on the maintenance line."""
    from micro_journal.domain.models import MicroSkill
    from micro_journal.store import Repository

    um = skill_id(demo_path, "Eliminate")
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        skill = repo.get(MicroSkill, um)
        repo.save(skill.touched(status="mastered", maintenance_days=1))  # done on Monday
        repo.set_checkin(um, DEMO_DAY, "done")
    repaints = Repaints(monkeypatch)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        maintained = screen.query_one("#maintained", Static)
        rows = list(screen.query(SkillRow))
        assert [text_of(r)[2:].split("  ")[0] for r in rows] == [
            "○ Hold eye contact for five seconds before responding",
            "✔ Eliminate 'um' and 'uh'",
            "○ Start every task with a 3-minute outline · Productivity"]
        assert not maintained.display
        await repaints.press(pilot, "j", "j")
        assert rows[1].has_class("-selected")
        await repaints.press(pilot, "x")
        await pilot.pause()
        assert checkins_on(demo_path, DEMO_DAY, um) == []
        kept = list(screen.query(SkillRow))
        assert kept == rows[:2]  # the first rows stay, the surplus one goes
        assert "Eliminate" not in " ".join(text_of(r) for r in kept)
        assert "Start every task" in text_of(kept[1])
        assert maintained.display
        assert "In maintenance, done for this week: Eliminate 'um' and 'uh' 1/1" in text_of(
            maintained)
        # the selection went back to the focus
        assert screen.query_one("#focus-card").has_class("-selected")
        assert not any(r.has_class("-selected") for r in kept)
        week = text_of(screen.query_one("#week"))
        assert "Eliminate" not in week and "3-minute outline" in week  # its grid line too


def picture(app) -> list[tuple]:
    """Everything Today's drawing sets, widget by widget: text, classes, shown or not,
    the card's title, the week grid's lines as drawn (toasts left out: they are not
    drawn from the journal)."""
    from textual.widgets._toast import Toast

    grid = app.screen.query_one("#week", WeekGrid)
    card = app.screen.query_one("#focus-card", SkillCard)
    return [
        (type(w).__name__, w.id, str(w.content), sorted(w.classes), w.display,
         w.border_title and str(w.border_title))
        for w in app.screen.query(Static) if not isinstance(w, Toast)
    ] + [("week", grid.display, grid.lines,
          [grid.render_line(y).text for y in range(len(grid.lines))]),
         ("card", card.display, sorted(card.classes), str(card.border_title), card.lines,
          [card.render_line(y).text for y in range(card.size.height)])]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keys=st.lists(st.sampled_from(["space", "s", "x", "j", "k"]), min_size=1, max_size=10),
    maintained=st.booleans(),
    size=st.sampled_from([(120, 40), (80, 24)]),
)
@example(keys=["j", "j", "x", "space"], maintained=True, size=(120, 40))  # the fold
@example(keys=["space", "s", "x", "j", "s"], maintained=False, size=(80, 24))
def test_a_checkin_drawn_alone_matches_the_whole_screen_drawn_again(
        tmp_path_factory, make, keys, maintained, size):
    """A check-in, skip or undo draws only its skill again (its card or row, its week
    row): after any keys, Today shows exactly what drawing the whole screen from the
    journal shows — with a skill in maintenance that folds away on its undo, or not."""
    import asyncio

    from micro_journal.services.demo import write_demo
    from micro_journal.store import Repository

    path = tmp_path_factory.mktemp("j") / "journal.json"
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        write_demo(repo, DEMO_DAY)
        if maintained:  # done on Monday, and today: a row until today's is undone
            um = next(s for s in repo.skills() if "Eliminate" in s.title)
            repo.save(um.touched(status="mastered", maintenance_days=1))
            repo.set_checkin(um.id, DEMO_DAY, "done")

    async def run() -> None:
        app = make(path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                drawn = picture(app)
                app.screen.refresh_view()  # the whole screen, from the journal
                await pilot.pause()
                assert picture(app) == drawn, f"after {keys}"

    asyncio.run(run())
