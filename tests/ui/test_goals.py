"""The Goals screen, its form and prompts, the goal reviews, and completing goals from
Today — driven through the real app with keys, checked in the journal file."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets._footer import FooterKey

from micro_journal.domain.models import MicroGoal, Objective
from micro_journal.screens.goal_dialogs import (
    DropPrompt,
    DueGoalPicker,
    GoalForm,
    InsightPrompt,
    ReschedulePrompt,
)
from micro_journal.screens.goal_review import GoalReviewScreen, StaleRow
from micro_journal.screens.goals import GoalItem, GoalsScreen
from micro_journal.screens.today import TodayScreen
from micro_journal.store import Repository, open_journal

from .conftest import DEMO_DAY, table

SIGN_UP = "Sign up for the December lightning talk"
OUTLINE = "Outline tomorrow's three tasks"
FRIEND = "Give a 3-minute talk to a friend"
STALE = "Join the speaking club"


def text_of(widget) -> str:
    return str(widget.render())


def goal_in(path, action: str) -> dict:
    found = [g for g in table(path, "goals") if g["action"] == action]
    assert len(found) == 1, [g["action"] for g in table(path, "goals")]
    return found[0]


def footer_actions(screen) -> set[str]:
    return {k.action for k in screen.query(FooterKey)}


def notes(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def add_stale_goal(path) -> None:
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        speaking = next(o for o in repo.objectives() if o.title == "Public speaking")
        repo.save(MicroGoal(objective_id=speaking.id, action=STALE, deadline="2026-10-20",
                            success_metric="name on the list", estimate_minutes=15))


async def open_goals(pilot) -> GoalsScreen:
    await pilot.press("5")
    await pilot.pause()
    assert isinstance(pilot.app.screen, GoalsScreen)
    return pilot.app.screen


async def select(pilot, action: str) -> None:
    screen = pilot.app.screen
    for _ in range(20):
        if screen.selected and screen.selected.goal.action == action:
            return
        await pilot.press("j")
    raise AssertionError(f"{action!r} is not in the list")


# ------------------------------------------------------------------ the list


async def test_goals_are_grouped_by_objective_with_progress_and_lateness(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_goals(pilot)
        headers = [text_of(h) for h in screen.query(".goal-objective")]
        assert headers[0].startswith("Public speaking  2/4 done")
        assert headers[1].startswith("Productivity  0/1 done")
        items = {i.goal_id: i for i in screen.query(GoalItem)}
        rows = [text_of(i) for i in items.values()]
        sign_up = next(r for r in rows if SIGN_UP in r)
        assert "overdue 2 days · Mon 16 Nov" in sign_up and "name on the list" in sign_up
        assert "10 min" in sign_up
        outline = next(r for r in rows if OUTLINE in r)
        assert "due today" in outline and "skill: Start every task" in outline
        late = [i for i in items.values() if i.has_class("-late")]
        due = [i for i in items.values() if i.has_class("-due")]
        assert len(late) == 1 and len(due) == 1
        assert "2 due or late" in text_of(screen.query_one("#topbar"))
        # the tall terminal shows the selected goal in full
        assert "Success metric: name on the list" in text_of(screen.query_one("#goal-detail"))


async def test_filters_cycle_open_done_dropped_all(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_goals(pilot)
        assert len(screen.query(GoalItem)) == 3
        await pilot.press("f")
        assert screen.filter == "done"
        done = [text_of(i) for i in screen.query(GoalItem)]
        assert len(done) == 2 and "Pausing before speaking made it easy." in done[0]
        await pilot.press("f")
        assert screen.filter == "dropped"
        assert "Nothing dropped" in text_of(screen.query_one("#goals-empty"))
        await pilot.press("f")
        assert screen.filter == "all" and len(screen.query(GoalItem)) == 5
        await pilot.press("f")
        assert screen.filter == "open"


async def test_an_empty_journal_teaches_what_a_micro_goal_is(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_goals(pilot)
        text = text_of(screen.query_one("#goals-empty"))
        assert "No micro-goals yet" in text and "n" in text and "+3d" in text
        assert not screen.query(GoalItem)


# ------------------------------------------------------------------ adding and editing


async def test_add_a_goal_with_keys_only(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_goals(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, GoalForm)
        # the objective of the selected goal is filled in; enter moves field to field
        assert form.query_one("#objective", Input).value == "Public speaking"
        await pilot.press(*"Book a room to rehearse", "enter", "enter")
        await pilot.press(*"fri")
        await pilot.pause()
        assert "Fri 20 Nov (in 2 days)" in text_of(form.query_one("#deadline-note"))
        await pilot.press("enter", *"room in the calendar", "enter", *"20", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
        saved = goal_in(demo_path, "Book a room to rehearse")
        assert saved["deadline"] == "2026-11-20"
        assert saved["success_metric"] == "room in the calendar"
        assert saved["estimate_minutes"] == 20 and saved["status"] == "open"
        speaking = next(o for o in table(demo_path, "objectives")
                        if o["title"] == "Public speaking")
        assert saved["objective_id"] == speaking["id"]
        assert app.screen.selected.goal.action == "Book a room to rehearse"


async def test_a_bad_deadline_is_explained_beside_the_field_and_nothing_is_lost(demo_path, make):
    before = len(table(demo_path, "goals"))
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_goals(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"Rehearse", "enter", "enter", *"frday")
        await pilot.pause()
        note = text_of(form.query_one("#deadline-note"))
        assert "'frday' is not a deadline" in note and "+3d" in note
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not saved, still open, text kept
        assert form.query_one("#action", Input).value == "Rehearse"
        assert form.query_one("#deadline", Input).value == "frday"
        assert form.focused is form.query_one("#deadline", Input)
        await pilot.press(*["backspace"] * 5, *"2026-11-01", "ctrl+s")
        await pilot.pause()
        assert "in the past" in text_of(form.query_one("#deadline-note"))
        assert len(table(demo_path, "goals")) == before


async def test_a_long_estimate_warns_to_split_and_a_new_objective_is_created(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        objective = form.query_one("#objective", Input)
        objective.value = ""
        await pilot.press(*"Write the talk", "enter", *"Writing", "enter", *"+1w", "enter",
                          "enter", *"180")
        await pilot.pause()
        assert "new objective" in text_of(form.query_one("#objective-note"))
        assert "split it" in text_of(form.query_one("#estimate-note"))
        await pilot.press("enter")  # a warning never blocks
        await pilot.pause()
        saved = goal_in(demo_path, "Write the talk")
        assert saved["estimate_minutes"] == 180 and saved["deadline"] == "2026-11-25"
        writing = [o for o in table(demo_path, "objectives") if o["title"] == "Writing"]
        assert len(writing) == 1 and saved["objective_id"] == writing[0]["id"]
        assert any("split" in n for n in notes(app))


async def test_edit_changes_the_goal_and_keeps_its_id(demo_path, make):
    original = goal_in(demo_path, SIGN_UP)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#action", Input).value == SIGN_UP
        # the stored deadline is in the past, and is kept as it is
        form.query_one("#metric", Input).value = "name on the list, slot confirmed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
    saved = goal_in(demo_path, SIGN_UP)
    assert saved["id"] == original["id"] and saved["deadline"] == original["deadline"]
    assert saved["success_metric"] == "name on the list, slot confirmed"


# ------------------------------------------------------------------ completing


async def test_complete_celebrates_then_stores_the_insight(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await select(pilot, FRIEND)
        await pilot.press("space")
        await pilot.pause()
        # done is saved at once, the celebration is a toast, the insight is asked after
        assert goal_in(demo_path, FRIEND)["status"] == "done"
        assert any(n.startswith("★ Micro-goal done: ✔ " + FRIEND) and "3/4 done" in n
                   for n in notes(app))
        assert isinstance(app.screen, InsightPrompt)
        await pilot.press(*"Smiling first calmed me", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
        # it left the open list; the selection moved to the next goal
        assert FRIEND not in " ".join(text_of(i) for i in app.screen.query(GoalItem))
        assert app.screen.selected is not None
    saved = goal_in(demo_path, FRIEND)
    assert saved["insight"] == "Smiling first calmed me"
    assert saved["completed_at"].startswith("2026-11-18")


async def test_escape_skips_the_insight_and_i_writes_it_later(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)
        assert goal_in(demo_path, SIGN_UP)["insight"] == ""
        await pilot.press("f")  # done goals
        await select(pilot, SIGN_UP)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InsightPrompt)
        await pilot.press(*"Ask early", "enter")
        await pilot.pause()
    assert goal_in(demo_path, SIGN_UP)["insight"] == "Ask early"


async def test_drop_with_a_reason_and_restore(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_goals(pilot)
        await select(pilot, FRIEND)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DropPrompt)
        await pilot.press(*"friend moved away", "enter")
        await pilot.pause()
        saved = goal_in(demo_path, FRIEND)
        assert (saved["status"], saved["drop_reason"]) == ("dropped", "friend moved away")
        assert FRIEND not in " ".join(text_of(i) for i in screen.query(GoalItem))
        await pilot.press("f", "f")  # dropped
        rows = [text_of(i) for i in screen.query(GoalItem)]
        assert len(rows) == 1 and "dropped: friend moved away" in rows[0]
        await pilot.press("u")
        await pilot.pause()
        assert goal_in(demo_path, FRIEND)["status"] == "open"
        assert any("Restored" in n for n in notes(app))


async def test_escape_on_the_drop_prompt_keeps_the_goal(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("x", "escape")
        await pilot.pause()
    assert goal_in(demo_path, SIGN_UP)["status"] == "open"


async def test_reopen_a_done_goal(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("f")
        await select(pilot, "Ask a question in the Thursday all-hands")
        await pilot.press("u")
        await pilot.pause()
    saved = goal_in(demo_path, "Ask a question in the Thursday all-hands")
    assert saved["status"] == "open" and saved["completed_at"] is None
    assert saved["insight"] == "Pausing before speaking made it easy."  # never lost


async def test_reschedule_explains_and_saves_the_new_deadline(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("r")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ReschedulePrompt)
        await pilot.press(*"someday", "enter")
        await pilot.pause()
        assert app.screen is prompt  # refused, explained
        assert "not a deadline" in text_of(prompt.query_one("#answer-note"))
        prompt.query_one(Input).value = ""
        await pilot.press(*"+1w")
        await pilot.pause()
        assert "Wed 25 Nov (in 7 days)" in text_of(prompt.query_one("#answer-note"))
        await pilot.press("enter")
        await pilot.pause()
    assert goal_in(demo_path, SIGN_UP)["deadline"] == "2026-11-25"


# ------------------------------------------------------------------ reviews


async def test_monthly_review_lists_done_goals_with_insights(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("m")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, GoalReviewScreen)
        assert "November 2026" in text_of(review.query_one("#topbar"))
        done = text_of(review.query_one("#review-done"))
        assert "Ask a question in the Thursday all-hands" in done
        assert "Pausing before speaking made it easy." in done
        assert "Goals done (2)" in text_of(review.query_one("#done-title"))
        await pilot.press("left")
        assert "October 2026" in text_of(review.query_one("#topbar"))
        assert "Goals done (0)" in text_of(review.query_one("#done-title"))
        await pilot.press("right", "right", "right")
        assert "January 2027" in text_of(review.query_one("#topbar"))  # across the year end
        assert "not started yet" in text_of(review.query_one("#review-done"))
        await pilot.press("t")
        assert "Q1 2027 (Jan–Mar)" in text_of(review.query_one("#topbar"))
        await pilot.press("h")
        assert "Q4 2026" in text_of(review.query_one("#topbar"))
        assert "By month: Oct 0  ·  Nov 2  ·  Dec 0" in text_of(
            review.query_one("#review-summary"))
        await pilot.press("t")
        assert "November 2026" in text_of(review.query_one("#topbar"))  # back to today's
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen)


async def test_reschedule_and_drop_stale_goals_from_the_quarterly_review(demo_path, make):
    add_stale_goal(demo_path)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("M")
        await pilot.pause()
        review = app.screen
        assert "Q4 2026" in text_of(review.query_one("#topbar"))
        stale = [text_of(r) for r in review.query(StaleRow)]
        assert len(stale) == 1 and STALE in stale[0] and "29 days past" in stale[0]
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReschedulePrompt)
        await pilot.press(*"+3d", "enter")
        await pilot.pause()
        assert app.screen is review
        assert goal_in(demo_path, STALE)["deadline"] == "2026-11-21"
        assert not review.query(StaleRow)
        assert "None" in text_of(review.query_one("#stale-empty"))


async def test_drop_a_stale_goal_from_the_review(demo_path, make):
    add_stale_goal(demo_path)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("m", "x")
        await pilot.pause()
        await pilot.press(*"not my priority now", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GoalReviewScreen)
    saved = goal_in(demo_path, STALE)
    assert (saved["status"], saved["drop_reason"]) == ("dropped", "not my priority now")


async def test_the_review_note_is_stored_per_period(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_goals(pilot)
        await pilot.press("M", "n")
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.insert("Two wins; speaking feels lighter.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, GoalReviewScreen)
        assert "speaking feels lighter" in text_of(review.query_one("#review-note"))
        await pilot.press("n")  # editing replaces, never duplicates
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Three wins."
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("t")  # the month has no note of its own
        assert "No note for November 2026" in text_of(review.query_one("#review-note"))
    stored = table(demo_path, "period_reviews")
    assert [(r["period"], r["note"]) for r in stored] == [("2026-Q4", "Three wins.")]


# ------------------------------------------------------------------ Today


async def test_today_completes_a_due_goal_with_g(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("g")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, DueGoalPicker)  # two are due: which one?
        options = picker.query_one(OptionList)
        assert options.option_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert goal_in(demo_path, OUTLINE)["status"] == "done"
        assert any(n.startswith("★ Micro-goal done") for n in notes(app))
        assert isinstance(app.screen, InsightPrompt)
        await pilot.press(*"Three bullets are enough", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        goals = text_of(app.screen.query_one("#goals", Static))
        assert OUTLINE not in goals and SIGN_UP in goals
        await pilot.press("g")  # one left: completed at once
        await pilot.pause()
        assert goal_in(demo_path, SIGN_UP)["status"] == "done"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#goals").display
        await pilot.press("g")
        await pilot.pause()
        assert any("No micro-goal is due" in n for n in notes(app))
    assert goal_in(demo_path, OUTLINE)["insight"] == "Three bullets are enough"


async def test_goals_added_elsewhere_show_when_coming_back(demo_path, make):
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_goals(pilot)
        await pilot.press("1")
        await pilot.pause()
        repo = app.repo
        speaking = next(o for o in repo.objectives() if isinstance(o, Objective))
        repo.save(MicroGoal(objective_id=speaking.id, action="Fresh one",
                            deadline="2026-11-19"))
        await pilot.press("5")
        await pilot.pause()
        assert "Fresh one" in " ".join(text_of(i) for i in screen.query(GoalItem))


def add_old_goals(path, count: int) -> None:
    """``count`` goals of years ago, done (every fifth dropped), as years of use leave."""
    with open_journal(path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        speaking = next(o for o in repo.objectives() if o.title == "Public speaking")
        for n in range(count):
            deadline = f"{2020 + n // 12}-{n % 12 + 1:02d}-15"
            repo.save(MicroGoal(objective_id=speaking.id, action=f"Old goal {n}",
                                deadline=deadline, status="dropped" if n % 5 == 0 else "done",
                                completed_at=None if n % 5 == 0 else f"{deadline}T18:00:00Z"))


async def test_the_last_row_of_a_long_list_shows_how_to_list_more(demo_path, make,
                                                                  monkeypatch):
    monkeypatch.setattr(GoalsScreen, "PAGE", 10)
    add_old_goals(demo_path, 30)
    app = make(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_goals(pilot)
        await pilot.press("f")
        more = screen.query_one(".goal-more", Static)
        body = screen.query_one("#goals-body").region  # what the list shows of itself
        assert not body.contains_region(more.region)  # below what is shown
        for _ in range(9):
            await pilot.press("j")
        await pilot.pause()
        items = list(screen.query(GoalItem))
        assert items[-1].has_class("-selected") and body.contains_region(items[-1].region)
        assert body.contains_region(more.region)  # in view with the last row


async def test_goals_closed_long_ago_are_counted_and_listed_when_asked_for(
        demo_path, make, monkeypatch):
    """Years of goals done and dropped stay in the file while the open ones are listed
    (issue 17): the counts and the objective's progress still include them. The done
    filter lists them a page at a time, newest first (ten years are 700 goals), and +
    lists the next page."""
    monkeypatch.setattr(GoalsScreen, "PAGE", 10)
    add_old_goals(demo_path, 30)
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_goals(pilot)
        assert pilot.app.repo.storage.older_left("goals") is not None  # counted, not read
        top = text_of(screen.query_one("#topbar"))
        assert "3 open" in top and "26 done" in top and "6 dropped" in top
        headers = [text_of(h) for h in screen.query(".goal-objective")]
        assert headers[0].startswith("Public speaking  26/28 done")
        assert len(screen.query(GoalItem)) == 3
        assert not screen.query(".goal-more")
        await pilot.press("f")
        assert screen.filter == "done"
        done = [text_of(i) for i in screen.query(GoalItem)]
        assert len(done) == 10 and "Old goal 29" in done[2] and "Old goal 1" not in done
        more = screen.query_one(".goal-more", Static)
        assert "… and 16 older done goals: + lists 10 more" in text_of(more)
        assert "more" in footer_actions(screen)
        await pilot.press("plus")
        await pilot.press("plus")
        done = [text_of(i) for i in screen.query(GoalItem)]
        assert len(done) == 26 and "Old goal 1" in done[-1]
        assert not screen.query(".goal-more") and "more" not in footer_actions(screen)
        await pilot.press("f")  # dropped: a page again
        assert screen.filter == "dropped" and len(screen.query(GoalItem)) == 6


async def test_a_goal_with_control_characters_keeps_its_row_on_one_line(demo_path, make):
    """Control characters in an action are shown as one-cell placeholders, and the row is
    measured as shown: its deadline stays on the action's line instead of wrapping."""
    with open_journal(demo_path, today=lambda: DEMO_DAY) as journal:
        repo = Repository(journal)
        speaking = next(o for o in repo.objectives() if o.title == "Public speaking")
        repo.save(MicroGoal(objective_id=speaking.id, action="Ask \x1b[31mred\x1b[0m one\a ☕",
                            deadline="2026-11-25"))
    app = make(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_goals(pilot)
        item = next(i for i in screen.query(GoalItem) if "red" in text_of(i))
        first = text_of(item).splitlines()[0]
        assert "␛[31mred␛[0m one␇ ☕" in first and first.rstrip().endswith("Wed 25 Nov")
        assert item.size.height == 2  # the action's line and the details line
