"""The stacking cycle as a user lives it: from an empty journal, one skill, a week of daily
check-ins with the date advanced day by day, the weekly review, and its decision acting —
stack (picked from the skill library), hold, tweak, maintenance — on to four stacked
skills. Everything through the real app's keys."""

from __future__ import annotations

import datetime as dt
import json

from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea

from micro_journal.cli import main
from micro_journal.config import Config
from micro_journal.domain.clock import FixedClock
from micro_journal.screens.plan_dialogs import SkillDraftForm
from micro_journal.screens.review import ReviewScreen
from micro_journal.screens.review_dialogs import NextSkillPicker
from micro_journal.screens.skill_form import NewSkillForm
from micro_journal.screens.today import TodayScreen

from .conftest import table
from .test_library_ui import on, text_of, until

MONDAY = dt.date(2026, 11, 2)


def value_at(skill: dict, fraction: float) -> float:
    """A measurement ``fraction`` of the way from the skill's baseline to its target."""
    metric = skill["metric"]
    return round(metric["baseline"] + fraction * (metric["target"] - metric["baseline"]), 1)


def skills_by_title(path) -> dict[str, dict]:
    return {s["title"]: s for s in table(path, "skills")}


async def live_day(app, pilot, clock: FixedClock, day: dt.date) -> list[str]:
    """Open Today on ``day`` and check in every skill it lists, one key each (space, then
    j to the next). Returns the titles Today listed."""
    clock.set(dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=dt.UTC))
    app.check_day()
    await pilot.press("1")
    await until(pilot, on(app, TodayScreen))
    today = app.screen
    await pilot.pause()
    titles = [s.skill.title for s in today.skills]
    for _ in titles:
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("j")
    await pilot.pause()
    assert all(s.state == "done" for s in today.skills), f"{day}: not all checked in"
    return titles


async def live_week(app, pilot, clock, monday: dt.date) -> list[str]:
    titles: list[str] = []
    for offset in range(7):
        titles = await live_day(app, pilot, clock, monday + dt.timedelta(days=offset))
    return titles


async def open_review(app, pilot, clock, day: dt.date) -> ReviewScreen:
    """The Monday after a week: Today offers the review, w opens it."""
    clock.set(dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=dt.UTC))
    app.check_day()
    await pilot.press("1")
    await until(pilot, on(app, TodayScreen))
    await pilot.pause()
    assert any("Press w" in n.message for n in app._notifications)
    await pilot.press("w")
    await until(pilot, on(app, ReviewScreen))
    return app.screen


async def measure(pilot, review: ReviewScreen, path, fractions: dict[str, float]) -> None:
    skills = skills_by_title(path)
    for i, line in enumerate(review.data.lines):
        part = next(k for k in fractions if k in line.skill.title)
        review.query_one(f"#value-{i}", Input).value = (
            f"{value_at(skills[line.skill.title], fractions[part]):g}"
        )
    await pilot.pause()


def decision(review: ReviewScreen) -> str:
    return str(review.query_one("#decision", Select).value)


def help_text(review: ReviewScreen) -> str:
    return text_of(review.query_one("#decision-help"))


async def stack_from_library(app, pilot, review: ReviewScreen) -> str:
    """Save with "stack": the picker asks for the next skill; the first library
    suggestion fills the new-skill form, which the user saves. Returns its title."""
    await pilot.press("ctrl+s")
    await until(pilot, on(app, NextSkillPicker))
    picker = app.screen
    options = picker.query_one(OptionList)
    assert "From the skill library" in str(options.get_option_at_index(0).prompt)
    await pilot.press("enter")  # the first suggestion is highlighted
    await until(pilot, on(app, SkillDraftForm))
    title = app.screen.query_one("#title", Input).value
    assert title
    await pilot.press("ctrl+s")
    await until(pilot, on(app, TodayScreen))
    await pilot.pause()
    return title


def plan(path) -> dict:
    [running] = [p for p in table(path, "plans") if p["status"] == "active"]
    return running


async def test_four_weeks_from_an_empty_journal_to_four_stacked_skills(
    tmp_path, capsys, monkeypatch
):
    path = tmp_path / "journal" / "journal.json"
    clock = FixedClock(dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC))
    from micro_journal.cli import make_app

    app = make_app(path, clock, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        # ---- start: an objective and its first micro-skill, from the library
        await pilot.press("n")
        await until(pilot, on(app, NewSkillForm))
        await pilot.press(*"Public speaking", "ctrl+l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        first = app.screen.query_one("#title", Input).value
        await pilot.press("ctrl+s")
        await until(pilot, on(app, TodayScreen))
        [started] = table(path, "plans")
        assert started["start_week"] == "2026-11-02" and len(started["weeks"]) == 1
        assert "week 1 of 1" in text_of(app.screen.query_one("#topbar"))

        # ---- week 1: one skill, every day
        assert await live_week(app, pilot, clock, MONDAY) == [first]

        # ---- review 1: better than the baseline on every day: ready to stack
        review = await open_review(app, pilot, clock, MONDAY + dt.timedelta(weeks=1))
        assert "week 1 of 1 · 2–8 Nov" in text_of(review.query_one("#topbar"))
        await measure(pilot, review, path, {first: 0.3})
        assert decision(review) == "stack"
        assert "Suggested: stack" in help_text(review) and "better than the baseline" in (
            help_text(review))
        second = await stack_from_library(app, pilot, review)
        today = app.screen
        assert today.view.focus.skill.title == second
        assert today.selected.skill.title == second  # space now checks in the new focus
        assert "week 2 of 2" in text_of(today.query_one("#topbar"))

        # ---- week 2: two skills stacked
        assert await live_week(app, pilot, clock, MONDAY + dt.timedelta(weeks=1)) == [
            second, first]

        # ---- review 2: both better: stack a third
        review = await open_review(app, pilot, clock, MONDAY + dt.timedelta(weeks=2))
        await measure(pilot, review, path, {first: 0.6, second: 0.3})
        assert decision(review) == "stack"
        third = await stack_from_library(app, pilot, review)
        assert app.screen.view.focus.skill.title == third

        # ---- week 3: three skills
        await live_week(app, pilot, clock, MONDAY + dt.timedelta(weeks=2))

        # ---- review 3: the new skill is no better than its baseline: hold
        review = await open_review(app, pilot, clock, MONDAY + dt.timedelta(weeks=3))
        await measure(pilot, review, path, {first: 1.0, second: 0.3, third: 0.0})
        assert decision(review) == "hold"
        assert "not yet better than the baseline" in help_text(review)
        # the stacked second skill is flat against last week: slowing, shown on its line
        slowing = next(i for i, x in enumerate(review.data.lines) if x.skill.title == second)
        assert "Slowing" in text_of(review.query_one(f"#signal-{slowing}", Static))
        review.query_one("#adjust", TextArea).text = "Practise the new one first thing"
        await pilot.press("ctrl+s")
        await until(pilot, on(app, TodayScreen))
        weeks = plan(path)["weeks"]
        assert [w["hold"] for w in weeks] == [False, False, False, True]
        assert weeks[2]["decision"] == "hold"

        # ---- week 4 (held): the same three skills
        assert len(await live_week(app, pilot, clock, MONDAY + dt.timedelta(weeks=3))) == 3

        # ---- review 4: the first skill at target two weeks running: mastered, and the
        # second flat two weeks running: a plateau, so the one suggestion is a tweak of it
        review = await open_review(app, pilot, clock, MONDAY + dt.timedelta(weeks=4))
        await measure(pilot, review, path, {first: 1.0, second: 0.3, third: 0.3})
        assert decision(review) == "tweak"
        assert f"tweak “{second}”" in help_text(review)
        assert "two weeks running" in help_text(review)
        mastered = next(i for i, x in enumerate(review.data.lines) if x.skill.title == first)
        assert "Mastered" in text_of(review.query_one(f"#signal-{mastered}", Static))
        row = review.query_one(f"#maint-row-{mastered}")
        assert row.display
        await pilot.press("ctrl+s")  # a tweak needs what changes: nothing lost, it asks
        await pilot.pause()
        assert app.screen is review
        assert "say what the tweak changes" in text_of(review.query_one("#adjust-error"))
        review.query_one("#adjust", TextArea).text = "Practise right after lunch"
        review.query_one(f"#maint-{mastered}", Checkbox).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, on(app, TodayScreen))
        [tweak] = [r for r in table(path, "reviews") if r["decision"] == "tweak"]
        skills = skills_by_title(path)
        assert tweak["tweak_skill_id"] == skills[second]["id"]
        assert tweak["adjust"] == "Practise right after lunch"
        assert skills[first]["maintenance_days"] == 2
        assert skills[first]["status"] == "mastered"

        # ---- week 5: the mastered skill asks 2 days; once done, Today folds it
        monday5 = MONDAY + dt.timedelta(weeks=4)
        assert len(await live_day(app, pilot, clock, monday5)) == 3
        assert len(await live_day(app, pilot, clock, monday5 + dt.timedelta(days=1))) == 3
        shown = await live_day(app, pilot, clock, monday5 + dt.timedelta(days=2))
        assert first not in shown and len(shown) == 2  # Today is shorter
        assert first in text_of(app.screen.query_one("#maintained"))
        for offset in range(3, 7):
            await live_day(app, pilot, clock, monday5 + dt.timedelta(days=offset))

        # ---- the tweak is marked on Progress
        await pilot.press("4")
        await pilot.pause()
        progress = app.screen
        for _ in range(4):
            if second in text_of(progress.query_one("#topbar")):
                break
            await pilot.press("right")
            await pilot.pause()
        assert "Tweak · week of 23 Nov: Practise right after lunch" in text_of(
            progress.query_one("#pg-tweak"))

        # ---- review 5: the tweak helped; stack the fourth skill
        review = await open_review(app, pilot, clock, MONDAY + dt.timedelta(weeks=5))
        await measure(pilot, review, path, {first: 1.0, second: 0.6, third: 0.6})
        line = next(i for i, x in enumerate(review.data.lines) if x.skill.title == second)
        assert "Tweaked: before the tweak" in text_of(review.query_one(f"#signal-{line}"))
        assert decision(review) == "stack"
        fourth = await stack_from_library(app, pilot, review)
        assert app.screen.view.focus.skill.title == fourth
        assert app.screen.selected.skill.title == fourth
        stack = [s.skill.title for s in app.screen.view.groups[0].stacked]
        assert stack == [third, second, first]

    # every check-in is in the journal, in today --json and in the JSON export
    checkins = table(path, "checkins")
    assert len(checkins) == 7 + 14 + 21 + 21 + 3 + 3 + 2 * 5  # ... + week 5
    capsys.readouterr()
    monkeypatch.setenv("MICRO_JOURNAL_TODAY", "2026-12-07")
    assert main(["--db", str(path), "today", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["focus"]["title"] == fourth
    shown = {data["focus"]["title"], *[s["title"] for s in data["stacked"]],
             *[s["title"] for s in data.get("maintenance_done", [])]}
    assert {first, second, third, fourth} <= shown
