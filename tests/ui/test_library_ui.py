"""The skill library in the new-skill form: ctrl+l opens the picker, a pick fills the form."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Select, Static

from micro_journal.domain.library import Suggestion, load_library
from micro_journal.screens.library_picker import LibraryPicker
from micro_journal.screens.plan_dialogs import SkillDraftForm
from micro_journal.screens.skill_form import NewSkillForm
from micro_journal.screens.today import TodayScreen
from micro_journal.services.library import user_library_dir
from micro_journal.services.skills import SkillDraft, create_skill
from micro_journal.store import Repository, open_journal

from ..conftest import until
from .conftest import DEMO_DAY, table

FORM_FIELDS = ("objective", "title", "why", "minutes", "metric", "unit", "baseline", "target",
               "days")


def on(app, screen_type):
    def check() -> bool:
        return isinstance(app.screen, screen_type)

    check.__doc__ = f"the {screen_type.__name__} screen"
    return check


def text_of(widget) -> str:
    return str(widget.render())


def fields(form) -> dict[str, str]:
    values = {name: form.query_one(f"#{name}", Input).value for name in FORM_FIELDS}
    values["direction"] = str(form.query_one("#direction", Select).value)
    return values


def option_texts(picker: LibraryPicker) -> list[str]:
    options = picker.query_one("#library-options", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def speaking() -> list[Suggestion]:
    return load_library().for_objective("Public speaking")


async def open_form(app, pilot, objective: str = "") -> NewSkillForm:
    await pilot.press("n")
    await until(pilot, on(app, NewSkillForm))
    if objective:
        await pilot.press(*objective)
    return app.screen


async def test_a_suggestion_fills_the_form_and_is_saved(empty_path, make):
    first = speaking()[0]
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "Public speaking")
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        picker = app.screen
        assert picker.highlighted() == first
        assert first.title in option_texts(picker)[0]
        await pilot.press("enter")
        await until(pilot, on(app, NewSkillForm))
        values = fields(form)
        assert values["objective"] == "Public speaking"
        assert values["title"] == first.title
        assert first.drill in values["why"] and first.why in values["why"]
        assert values["metric"] == first.metric and values["unit"] == first.unit
        assert values["direction"] == first.direction
        assert values["minutes"] == str(first.minutes)
        assert (values["baseline"], values["target"]) == (
            str(int(first.baseline)), str(int(first.target)))
        assert app.focused is form.query_one("#title", Input)
        assert "Measurable" in text_of(form.query_one("#checklist"))
        await pilot.press("ctrl+s")
        await until(pilot, on(app, TodayScreen))
    [skill] = table(empty_path, "skills")
    [objective] = table(empty_path, "objectives")
    assert objective["title"] == "Public speaking"
    assert skill["title"] == first.title
    assert skill["metric"]["name"] == first.metric
    assert skill["metric"]["direction"] == first.direction
    assert skill["metric"]["baseline"] == first.baseline
    assert skill["practice_minutes"] == first.minutes


async def test_a_skill_already_made_is_not_suggested_again(empty_path, make):
    first, second = speaking()[:2]
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(app, pilot, "Public speaking")
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        await pilot.press("enter")
        await until(pilot, on(app, NewSkillForm))
        await pilot.press("ctrl+s")
        await until(pilot, on(app, TodayScreen))
        form = await open_form(app, pilot)  # the one objective is filled in
        assert form.query_one("#objective", Input).value == "Public speaking"
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        picker = app.screen
        assert picker.highlighted() == second
        assert not any(first.title in t for t in option_texts(picker))


async def test_cancelling_the_picker_keeps_what_was_typed(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "Public speaking")
        await pilot.press("tab", *"My own idea", "tab", *"because")
        await pilot.pause()
        before = fields(form)
        assert before["title"] == "My own idea"
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        await pilot.press("j", "j", "escape")
        await until(pilot, on(app, NewSkillForm))
        assert fields(form) == before
    assert table(empty_path, "skills") == []


async def test_the_button_opens_the_picker_too(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, "Get fit")
        assert "ctrl+l" in str(app.screen.query_one("#suggestions").label)
        await pilot.click("#suggestions")
        await until(pilot, on(app, LibraryPicker))
        assert "for 'Get fit'" in fields_picker_heading(app.screen)
        assert app.screen.highlighted().objective == "Fitness"


def fields_picker_heading(picker: LibraryPicker) -> str:
    return text_of(picker.query_one("#library-heading", Static))


async def test_an_empty_objective_browses_everything_and_fills_the_objective(
    empty_path, make
):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        picker = app.screen
        assert "every objective" in fields_picker_heading(picker)
        texts = option_texts(picker)
        objectives = [d.objective for d in load_library().objectives()]
        for name in objectives:  # grouped by objective, with a header each
            assert any(t.startswith(name) for t in texts), name
        await pilot.press("j", "enter")
        await until(pilot, on(app, NewSkillForm))
        second = load_library().objectives()[0].skills[1]
        assert fields(form)["objective"] == second.objective
        assert fields(form)["title"] == second.title


async def test_an_unknown_objective_teaches_then_browses_with_a(empty_path, make):
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "Juggling")
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        picker = app.screen
        empty = text_of(picker.query_one("#library-empty", Static))
        assert "No suggestions for 'Juggling'" in empty
        assert "Press a to browse every objective" in empty
        assert str(user_library_dir()) in empty
        assert not picker.query_one("#library-options").display
        assert "esc cancel" in text_of(picker.query_one("#library-keys"))
        await pilot.press("enter")  # nothing to pick: nothing happens
        await pilot.pause()
        assert app.screen is picker
        await pilot.press("a")
        await until(pilot, lambda: picker.highlighted() is not None)
        assert "a only 'Juggling'" in text_of(picker.query_one("#library-keys"))
        pick = picker.highlighted()
        await pilot.press("enter")
        await until(pilot, on(app, NewSkillForm))
        assert fields(form)["objective"] == "Juggling"  # what the user named is kept
        assert fields(form)["title"] == pick.title


async def test_user_files_add_suggestions_and_their_problems_show(empty_path, make):
    folder = user_library_dir()
    folder.mkdir(parents=True)
    (folder / "juggling.toml").write_text(
        'objective = "Juggling [b]odd[/b]"\naliases = ["juggling"]\n[[skill]]\n'
        'title = "Cascade [$accent] [[x]]"\nmetric = "catches"\nbaseline = 5\ntarget = 30\n',
        encoding="utf-8",
    )
    (folder / "broken.toml").write_text("objective = [", encoding="utf-8")
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot, "Juggling")
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        picker = app.screen
        [text] = option_texts(picker)
        assert text.startswith("Cascade [$accent] [[x]]\ncatches: 5 → 30")  # shown as written
        problems = picker.query_one("#library-problems", Static)
        assert problems.display
        assert "broken.toml: skipped: not valid TOML" in text_of(problems)
        await pilot.press("enter")
        await until(pilot, on(app, NewSkillForm))
        assert fields(form)["title"] == "Cascade [$accent] [[x]]"
        assert fields(form)["objective"] == "Juggling"


async def test_the_constructor_fills_the_form_from_a_suggestion(empty_path, make):
    with open_journal(empty_path, today=lambda: DEMO_DAY) as journal:
        create_skill(Repository(journal), SkillDraft(objective="Writing", title="Daily page"))
    s = load_library().for_objective("Deep work")[1]
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        form = NewSkillForm(suggestion=s)  # its objective beats the one-objective default
        app.push_screen(form)
        await until(pilot, on(app, NewSkillForm))
        await until(pilot, lambda: form.query("#title") and fields(form)["title"] == s.title)
        assert fields(form)["objective"] == "Deep work"
        assert fields(form)["direction"] == s.direction
        assert app.focused is form.query_one("#title", Input)


async def test_the_plan_form_variant_keeps_its_objective(empty_path, make):
    results: list = []
    app = make(empty_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        form = SkillDraftForm("Become a better public speaker", "Week 1")
        app.push_screen(form, results.append)
        await until(pilot, on(app, SkillDraftForm))
        await pilot.pause()
        await pilot.press("ctrl+l")
        await until(pilot, on(app, LibraryPicker))
        await pilot.press("a", "enter")  # a pick from another objective
        await until(pilot, on(app, SkillDraftForm))
        objective = form.query_one("#objective", Input)
        assert objective.value == "Become a better public speaker" and objective.disabled
        title = fields(form)["title"]
        assert title == load_library().objectives()[0].skills[0].title
        await pilot.press("ctrl+s")
        await until(pilot, lambda: bool(results))
    [draft] = results
    assert draft.title == title and draft.objective == "Become a better public speaker"
