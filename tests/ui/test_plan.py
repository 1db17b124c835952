"""The Plan screen, the decision of a week and the weekly review, driven through the real app."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select, Static, TextArea

from micro_journal.domain.clock import FixedClock
from micro_journal.screens.help import HelpScreen
from micro_journal.screens.plan import PlanScreen
from micro_journal.screens.plan_dialogs import (
    ConfirmEnd,
    PlanForm,
    SkillDraftForm,
    SkillPicker,
)
from micro_journal.screens.review import ReviewScreen
from micro_journal.screens.today import TodayScreen
from micro_journal.store import Repository, open_journal
from micro_journal.widgets.plan_grid import WeekBlock
from micro_journal.widgets.skill import SkillCard

from .conftest import DEMO_DAY, read_journal, skill_id, table

SMILE = "confident smile"
EYES = "eye contact"
UM = "'um'"
VOICE = "voice variation"
NEXT_WEEK = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)  # Wednesday of week 4


def text_of(widget) -> str:
    if isinstance(widget, SkillCard):  # drawn a line at a time
        return "\n".join(widget.lines)
    return str(widget.render())


def blocks(app) -> list[str]:
    return [text_of(b) for b in app.screen.query(WeekBlock)]


def plan_weeks(path) -> list[tuple[str | None, bool, str | None]]:
    [plan] = [p for p in table(path, "plans") if p["status"] == "active"]
    return [(w["skill_id"], w["hold"], w["decision"]) for w in plan["weeks"]]


async def test_demo_plan_shows_weeks_one_to_four_with_week_three_current(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        top = text_of(app.screen.query_one("#topbar"))
        assert "Public speaking" in top and "week 3 of 4" in top
        weeks = list(app.screen.query(WeekBlock))
        assert len(weeks) == 4
        assert [w.has_class("-current") for w in weeks] == [False, False, True, False]
        assert weeks[2].has_class("-selected")
        third = text_of(weeks[2]).splitlines()
        assert third[0].startswith("▶ Week 3") and "this week" in third[0]
        # the smile skill is new in week 3, the first two are stacked under it
        assert "+ Start and end every talk" in third[1]
        assert "↳ Hold eye contact" in third[2]
        assert "↳ Eliminate 'um'" in third[3]
        assert "✔✔○····" in third[1]  # Mon, Tue done, today open, the rest to come
        assert "2/7" in third[1] and "20→100" in third[1]
        assert "Week 4" in text_of(weeks[3]) and "Use voice variation" in text_of(weeks[3])
        # week 2: eye contact met 6 of its 5 days; its review measured 3.5
        second = text_of(weeks[1]).splitlines()
        assert "decided: stack" in second[0] and "reviewed" in second[0]
        assert "6/5" in second[1] and "3.5" in second[1]


async def test_the_grid_follows_sunday_weeks(demo_path, clock):
    from micro_journal.cli import make_app
    from micro_journal.config import Config

    app = make_app(demo_path, clock, Config(week_start="sunday"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        head = text_of(app.screen.query_one("#plan-days"))
        assert "S M T W T F S" in head
        assert "15–21 Nov" in text_of(app.screen.query(WeekBlock)[2])


async def test_create_a_four_week_plan_from_scratch_with_keys_only(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "No plan yet" in text_of(app.screen.query_one("#plan-empty"))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanForm)
        await pilot.press(*"Writing", "tab", "tab")  # objective; start: this week
        titles = [
            ("Write 200 words before breakfast", "words written"),
            ("Outline the piece in three bullets", "outlines"),
            ("Cut one sentence from every paragraph", "sentences cut"),
            ("Read the draft aloud once", "drafts read aloud"),
        ]
        for n, (title, metric) in enumerate(titles, 1):
            assert app.focused.id == f"week-{n}"
            await pilot.press("enter")  # no skills yet: straight to the new-skill form
            await pilot.pause()
            assert isinstance(app.screen, SkillDraftForm)
            assert app.screen.query_one("#objective", Input).value == "Writing"
            await pilot.press(*title, "enter", "enter", "enter", *metric)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, PlanForm)
            assert title in text_of(app.screen.query_one(f"#week-{n}"))
            await pilot.press("tab")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        weeks = list(app.screen.query(WeekBlock))
        assert len(weeks) == 4 and weeks[0].has_class("-current")
        assert "Write 200 words" in text_of(weeks[0])
        assert "Read the draft aloud" in text_of(weeks[3])
        await pilot.press("1")
        await pilot.pause()
        assert "Write 200 words" in text_of(app.screen.query_one("#focus-card"))
    data = read_journal(empty_path)
    [objective] = data["objectives"].values()
    assert objective["title"] == "Writing"
    [plan] = data["plans"].values()
    assert plan["objective_id"] == objective["id"]
    assert plan["start_week"] == "2026-11-16"
    skills = {s["id"]: s for s in data["skills"].values()}
    in_order = [skills[w["skill_id"]] for w in plan["weeks"]]
    assert [s["title"] for s in in_order] == [t for t, _ in titles]
    assert [s["metric"]["name"] for s in in_order] == [m for _, m in titles]
    assert [s["status"] for s in in_order] == ["active", "planned", "planned", "planned"]


async def test_plan_form_validates_beside_the_field_and_loses_nothing(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "o", "n")  # Productivity has no plan yet
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanForm)
        assert form.query_one("#objective", Input).value == "Productivity"
        assert app.focused.id == "week-1"
        await pilot.press("ctrl+s")  # week 1 is the one week a new plan needs
        await pilot.pause()
        assert app.screen is form
        assert "week 1 needs its micro-skill" in text_of(form.query_one("#week-1-error"))
        await pilot.press("enter")  # Productivity has a skill: the picker
        await pilot.pause()
        assert isinstance(app.screen, SkillPicker)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert "3-minute outline" in text_of(form.query_one("#week-1"))
        # weeks 2-4 stay empty: they are chosen at the weekly reviews
        form.query_one("#objective", Input).value = "Public speaking"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "has a running plan" in text_of(form.query_one("#objective-error"))
        form.query_one("#objective", Input).value = "Productivity"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "Productivity" in text_of(app.screen.query_one("#topbar"))
        # Today: the focus and stack of both objectives with running plans
        await pilot.press("1")
        await pilot.pause()
        view = app.screen.view
        assert [g.objective.title for g in view.groups] == ["Public speaking", "Productivity"]
        assert all(g.position is not None for g in view.groups)
        rows = "\n".join(text_of(r) for r in app.screen.query("SkillRow"))
        assert "3-minute outline" in rows
    assert len([p for p in table(demo_path, "plans") if p["status"] == "active"]) == 2


async def test_hold_a_week_and_see_the_later_weeks_move(demo_path, make):
    voice = skill_id(demo_path, VOICE)
    smile = skill_id(demo_path, SMILE)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "h")
        await pilot.pause()
        texts = blocks(app)
        assert len(texts) == 5
        assert "hold: repeats week 3" in texts[3].splitlines()[0]
        assert "↻ Start and end every talk" in texts[3]
        assert "Week 5" in texts[4] and "Use voice variation" in texts[4]
        assert "30 Nov – 6 Dec" in texts[4]
        assert "week 3 of 5" in text_of(app.screen.query_one("#topbar"))
        # undo: select the hold week and remove it
        await pilot.press("j", "x")
        await pilot.pause()
        assert len(blocks(app)) == 4
        await pilot.press("k", "h")
        await pilot.pause()
    weeks = plan_weeks(demo_path)
    assert [w[0] for w in weeks][2:] == [smile, smile, voice]
    assert [w[1] for w in weeks] == [False, False, False, True, False]
    assert weeks[2][2] == "hold"


async def test_weeks_that_are_over_stay_put_and_weeks_to_come_reorder(demo_path, make):
    before = plan_weeks(demo_path)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "k", "J")  # week 2 is over: refused
        await pilot.pause()
        assert plan_weeks(demo_path) == before
        await pilot.press("j", "j", "K")  # week 4 one week earlier: it becomes this week
        await pilot.pause()
        assert app.screen.selected == 2
        assert "Use voice variation" in blocks(app)[2].splitlines()[1]
        await pilot.press("1")
        await pilot.pause()
        assert "Use voice variation" in text_of(app.screen.query_one("#focus-card"))
    after = plan_weeks(demo_path)
    assert [w[0] for w in after] == [before[i][0] for i in (0, 1, 3, 2)]


async def test_extend_the_plan_with_a_new_skill(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "a")
        await pilot.pause()
        assert isinstance(app.screen, SkillPicker)
        await pilot.press("enter")  # + New micro-skill…
        await pilot.pause()
        assert isinstance(app.screen, SkillDraftForm)
        await pilot.press(*"Pause three seconds after each key point", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        texts = blocks(app)
        assert len(texts) == 5 and "Pause three seconds" in texts[4]
        assert app.screen.selected == 4
    new = skill_id(demo_path, "Pause three seconds")
    assert plan_weeks(demo_path)[4] == (new, False, None)
    assert [s["status"] for s in table(demo_path, "skills") if s["id"] == new] == ["planned"]


async def test_complete_a_weekly_review_and_find_it_in_the_journal(demo_path, make):
    smile, eyes, um = (skill_id(demo_path, x) for x in (SMILE, EYES, UM))
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "w")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        # pre-filled from the week's check-ins
        assert [review.query_one(f"#value-{i}", Input).value for i in range(3)] == [
            "62.5", "5", "4",
        ]
        assert "+1.5 s better" in text_of(review.query_one("#change-1"))
        assert "−1 fillers better" in text_of(review.query_one("#change-2"))
        await pilot.press("backspace", "backspace", "backspace", "backspace", "7", "0")
        await pilot.press("tab", "tab", "tab")
        await pilot.press(*"Smiling before the first word")
        await pilot.press("tab", *"Smile at the end too")
        await pilot.press("tab", "enter")  # the decision menu
        await pilot.pause()
        await pilot.press("down", "enter")  # the first choice: stack
        await pilot.pause()
        assert review.query_one("#decision", Select).value == "stack"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "reviewed" in blocks(app)[2].splitlines()[0]
    reviews = [r for r in table(demo_path, "reviews") if r["week"] == "2026-11-16"]
    assert len(reviews) == 1
    [saved] = reviews
    assert saved["worked"] == "Smiling before the first word"
    assert saved["adjust"] == "Smile at the end too"
    assert saved["decision"] == "stack"
    values = {m["skill_id"]: m["value"] for m in saved["measurements"]}
    assert values == {smile: 70.0, eyes: 5.0, um: 4.0}
    assert plan_weeks(demo_path)[2][2] == "stack"


async def test_reopening_a_review_edits_it_instead_of_duplicating(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "k", "w")  # week 2, reviewed in the demo
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "Reviewed" in text_of(review.query_one("#review-intro"))
        assert review.query_one("#value-0", Input).value == "3.5"  # the review's, not the mean
        assert "Eye contact calmed me" in review.query_one("#worked", TextArea).text
        review.query_one("#value-0", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one("#value-0", Input).value == "4"
        await pilot.press("escape")
    reviews = [r for r in table(demo_path, "reviews") if r["week"] == "2026-11-09"]
    assert len(reviews) == 1
    assert {m["value"] for m in reviews[0]["measurements"]} == {4.0, 5.0}
    assert reviews[0]["worked"].startswith("Eye contact calmed me")


async def test_review_validates_beside_the_field_and_keeps_the_text(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "w")
        await pilot.pause()
        review = app.screen
        review.query_one("#value-1", Input).value = "five"
        review.query_one("#worked", TextArea).text = "keep me"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is review
        assert "not a number" in text_of(review.query_one("#value-1-error"))
        assert app.focused is review.query_one("#value-1", Input)
        # leaving keeps what was typed for the next time (in this session)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("w")
        await pilot.pause()
        again = app.screen
        assert again.query_one("#value-1", Input).value == "five"
        assert again.query_one("#worked", TextArea).text == "keep me"
        assert "Restored" in text_of(again.query_one("#review-intro"))
    assert not [r for r in table(demo_path, "reviews") if r["week"] == "2026-11-16"]


async def test_review_says_slowing_then_on_track_as_the_measurement_is_typed(demo_path):
    from micro_journal.cli import make_app
    from micro_journal.config import Config

    um = skill_id(demo_path, UM)
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        for offset in range(7):  # every day of week 3 practised
            repo.set_checkin(um, dt.date(2026, 11, 16) + dt.timedelta(days=offset), "done")
    app = make_app(demo_path, FixedClock(NEXT_WEEK), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")  # last week's review is due
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        n = next(i for i, line in enumerate(review.data.lines) if line.skill.id == um)
        signal = review.query_one(f"#signal-{n}", Static)
        review.query_one(f"#value-{n}", Input).value = "5"  # fillers: 9, 5, then 5 again
        await pilot.pause()
        assert "Slowing" in text_of(signal) and "5 → 5" in text_of(signal)
        review.query_one(f"#value-{n}", Input).value = "8"
        await pilot.pause()
        assert "Slowing" in text_of(signal)  # worse is not better
        assert "+3 fillers worse" in text_of(review.query_one(f"#change-{n}"))
        review.query_one(f"#value-{n}", Input).value = "4"
        await pilot.pause()
        assert "On track" in text_of(signal) and "5 → 4" in text_of(signal)  # stacked


async def test_a_week_just_ended_is_offered_for_review_and_d_decides_in_it(demo_path):
    from micro_journal.cli import make_app
    from micro_journal.config import Config

    voice = skill_id(demo_path, VOICE)
    smile = skill_id(demo_path, SMILE)
    app = make_app(demo_path, FixedClock(NEXT_WEEK), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        # Today announced the review at start; the Plan does not say it twice
        messages = [n.message for n in app._notifications]
        assert sum("review" in m for m in messages) == 1
        assert "to review and decide (d)" in blocks(app)[2].splitlines()[0]
        await pilot.press("k", "d")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.focused is review.query_one("#decision", Select)
        # the smile skill was practised 2 days of 7: hold, and why, in one suggestion
        assert review.query_one("#decision", Select).value == "hold"
        help_text = text_of(review.query_one("#decision-help"))
        assert "Suggested: hold" in help_text and "practised 2 of 7 days" in help_text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "week 4 of 5 (held)" in text_of(app.screen.query_one("#topbar"))
        await pilot.press("1", "3")  # answered: not offered again
        await pilot.pause()
        assert sum("Week 3 is over" in n.message for n in app._notifications) <= 1
    weeks = plan_weeks(demo_path)
    assert weeks[2] == (smile, False, "hold")
    assert weeks[3] == (smile, True, None)
    assert weeks[4][0] == voice


async def test_stacking_anyway_records_the_decision_and_keeps_the_planned_skill(demo_path):
    from micro_journal.cli import make_app
    from micro_journal.config import Config

    app = make_app(demo_path, FixedClock(NEXT_WEEK), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("k", "d")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.query_one("#decision", Select).value = "stack"
        await pilot.pause()
        assert "next week adds Use voice variation" in text_of(review.query_one("#next-skill"))
        await pilot.press("ctrl+s")
        await pilot.pause()
    weeks = plan_weeks(demo_path)
    assert len(weeks) == 4 and weeks[2][2] == "stack"


async def test_no_offer_mid_week_or_once_decided(demo_path, make):
    app = make(demo_path)  # Wednesday of week 3: week 2 was decided in its review
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert not any("is over" in n.message for n in app._notifications)


async def test_a_skill_at_target_all_week_is_suggested_to_stack(demo_path):
    from micro_journal.cli import make_app
    from micro_journal.config import Config

    smile = skill_id(demo_path, SMILE)
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        for offset in range(7):
            repo.set_checkin(smile, dt.date(2026, 11, 16) + dt.timedelta(days=offset), "done",
                             value=100.0)
    app = make_app(demo_path, FixedClock(NEXT_WEEK), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("k", "d")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.query_one("#decision", Select).value == "stack"
        assert "Ready to stack" in text_of(review.query_one("#signal-0"))
        await pilot.press("escape")
    assert len(plan_weeks(demo_path)) == 4


async def test_today_offers_last_weeks_review_and_w_opens_it(demo_path):
    from micro_journal.cli import make_app
    from micro_journal.config import Config

    app = make_app(demo_path, FixedClock(NEXT_WEEK), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        messages = [n.message for n in app._notifications]
        assert any("weekly review of Public speaking" in m for m in messages)
        await pilot.press("w")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.data.start == dt.date(2026, 11, 16)
        assert "week 3 of 4 · 16–22 Nov" in text_of(review.query_one("#topbar"))
        # the week is over and its new skill missed mastery: hold is proposed
        assert review.query_one("#decision", Select).value == "hold"
        assert "practised 2 of 7 days" in text_of(review.query_one("#decision-help"))


async def test_no_review_prompt_when_last_week_was_reviewed(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not any("weekly review" in n.message for n in app._notifications)
        await pilot.press("w")  # still there on demand: this week's review
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.data.start == dt.date(2026, 11, 16)


async def test_end_the_plan_and_start_the_next_cycle_keeping_history(demo_path, make):
    um = skill_id(demo_path, UM)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "E")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmEnd)
        await pilot.press("y")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanForm)
        assert form.query_one("#objective", Input).value == "Public speaking"
        assert form.query_one("#start", Select).value == "next"
        await pilot.press("minus", "minus", "minus", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SkillPicker)
        await pilot.press("down", "enter")  # the first skill: 'um'
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        top = text_of(app.screen.query_one("#topbar"))
        assert "starts Mon 23 Nov 2026" in top and "cycle 2 of 2" in top
        assert "not started yet" in text_of(app.screen.query_one("#plan-note"))
        await pilot.press("c")
        await pilot.pause()
        assert "ended Wed 18 Nov 2026" in text_of(app.screen.query_one("#topbar"))
        assert "This cycle has ended" in text_of(app.screen.query_one("#plan-note"))
        assert len(blocks(app)) == 4
    plans = table(demo_path, "plans")
    assert sorted(p["status"] for p in plans) == ["active", "ended"]
    [ended] = [p for p in plans if p["status"] == "ended"]
    assert ended["ended_on"] == "2026-11-18" and len(ended["weeks"]) == 4
    [new] = [p for p in plans if p["status"] == "active"]
    assert new["start_week"] == "2026-11-23" and new["weeks"][0]["skill_id"] == um
    statuses = {s["title"][:10]: s["status"] for s in table(demo_path, "skills")}
    assert statuses["Use voice "] == "planned"  # never reached
    assert statuses["Start and "] == "active"


async def test_help_and_palette_list_every_plan_key(demo_path, make):
    from micro_journal.keymap import GLOBAL_KEYS, PLAN_KEYS

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for key in PLAN_KEYS:
            assert key.help in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(text_of(s) for s in app.screen.query(".key-table"))
        for key in PLAN_KEYS + GLOBAL_KEYS:
            assert key.help in shown


async def test_review_keys_are_in_help_and_palette(demo_path, make):
    from micro_journal.keymap import REVIEW_KEYS

    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "w")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for key in REVIEW_KEYS:
            assert key.help in titles


async def test_objective_without_plan_teaches_and_o_switches(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "o")
        await pilot.pause()
        empty = app.screen.query_one("#plan-empty", Static)
        assert empty.display
        assert "Productivity has no plan yet" in text_of(empty)
        assert not list(app.screen.query(WeekBlock))
        await pilot.press("o")
        await pilot.pause()
        assert len(list(app.screen.query(WeekBlock))) == 4


async def test_change_the_skill_of_a_week_to_come_but_not_of_a_week_that_is_over(demo_path, make):
    before = plan_weeks(demo_path)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3", "k", "e")  # week 2 is over
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        await pilot.press("j", "j", "e")  # week 4
        await pilot.pause()
        assert isinstance(app.screen, SkillPicker)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Name the one point of the talk first", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert "Name the one point" in blocks(app)[3].splitlines()[1]
    after = plan_weeks(demo_path)
    assert after[:3] == before[:3]
    assert after[3][0] == skill_id(demo_path, "Name the one point")


async def test_user_text_in_the_review_and_its_picker_is_shown_as_typed(demo_path):
    """Brackets that look like styles and escape codes in a skill's title are shown as
    text: nothing styled away, no control code sent to the terminal."""
    from micro_journal.cli import make_app
    from micro_journal.config import Config
    from micro_journal.domain.models import MicroSkill, Objective
    from micro_journal.screens.review_dialogs import NextSkillPicker

    evil = "[$accent]Loud [b]x[/b] \x1b]0;pwned\x07 end\\"
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        [speaking] = [o for o in repo.all(Objective) if o.title == "Public speaking"]
        repo.save(MicroSkill(objective_id=speaking.id, title=evil, status="planned"))
    app = make_app(demo_path, FixedClock(NEXT_WEEK), Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "ctrl+n")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, NextSkillPicker)
        options = picker.query_one("#next-options")
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        shown = next(p for p in prompts if "Loud" in p)
        from textual.content import Content

        plain = Content.from_markup(shown).plain
        assert "[$accent]Loud [b]x[/b]" in plain and "␛]0;pwned␇ end\\" in plain
        assert "\x1b" not in plain
