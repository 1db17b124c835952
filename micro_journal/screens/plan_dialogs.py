"""The Plan screen's dialogs: the plan form (objective, start week, one skill a week)
with its skill picker and draft-only new-skill form, and the end-the-plan question."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..domain import dates
from ..domain import plan as plan_rules
from ..domain.models import MicroSkill, Objective, ValidationError
from ..domain.text import markup_line
from ..keymap import PLAN_FORM_KEYS, bindings
from ..services import plan as svc
from ..services.skills import SkillDraft
from ..store import JournalError
from ..widgets.text_fields import SafeInput, suggestible
from .base import journal_app
from .form_dialog import FieldError, FormDialog
from .skill_form import SkillForm, require_objective

if TYPE_CHECKING:
    from ..domain.library import Suggestion
    from ..store import Repository


class ConfirmEnd(ModalScreen[bool]):
    CSS_PATH = "../styles/plan.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("y,enter", "answer(True)", "End"), ("n,escape", "answer(False)", "Keep")
    ]

    def __init__(self, view: svc.PlanView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        n = len(view.plan.weeks) if view.plan else 0
        text = (
            f"[b]End the plan for {markup_line(view.objective.title)} today?[/b]\n\n"
            f"Its {n} weeks, check-ins and reviews stay in your history (c on the Plan "
            "screen shows earlier cycles). Skills it reached stay active on Today; the ones "
            "it never reached go back to planned.\n\n"
            "Next you can plan the next cycle.\n\n"
            "  [b $accent]y[/]  end the plan        [b $accent]n[/]  keep it"
        )
        with Vertical(id="dialog", classes="gate"):
            yield Static(text)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SkillDraftForm(SkillForm[SkillDraft | None]):
    """The new micro-skill form (with its checklist) that returns a draft instead of saving:
    the plan form saves everything at once."""

    def __init__(
        self, objective: str, heading: str = "", suggestion: Suggestion | None = None
    ) -> None:
        super().__init__(suggestion=suggestion)
        self.objective = objective
        self.heading_text = heading

    def heading(self) -> str:
        if self.heading_text:
            return f"[b]{markup_line(self.heading_text)}[/b]"
        return super().heading()

    def on_mount(self) -> None:  # before SkillForm.on_mount (Textual calls both)
        if self.objective.strip():
            field = self.query_one("#objective", Input)
            field.value = self.objective
            field.disabled = True

    def check(self, draft: SkillDraft) -> None:
        require_objective(draft)
        super().check(draft)

    def action_save(self) -> None:
        draft = self.checked_draft()
        if draft is not None:
            self.dismiss(draft)


class SkillPicker(ModalScreen[svc.WeekChoice | None]):
    """Choose an existing skill of the objective, or create one (with the checklist)."""
    CSS_PATH = "../styles/plan.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(
        self, objective: str, objective_id: str | None, taken: set[str], heading: str
    ) -> None:
        super().__init__()
        self.objective = objective
        self.objective_id = objective_id
        self.taken = taken
        self.heading = heading

    def skills(self) -> list[MicroSkill]:
        repo = journal_app(self).repo
        if repo is None or self.objective_id is None:
            return []
        return [s for s in repo.skills(self.objective_id) if s.status != "archived"]

    def compose(self) -> ComposeResult:
        options = [Option("[b]+ New micro-skill…[/b]  [$text-muted](with the checklist)[/]",
                          id="new")]
        for skill in self.skills():
            taken = skill.id in self.taken
            status = "  [$text-muted]already in the plan[/]" if taken else (
                f"  [$text-muted]{skill.status}[/]" if skill.status != "active" else ""
            )
            options.append(Option(f"{markup_line(skill.title)}{status}", id=skill.id,
                                  disabled=taken))
        with Vertical(id="dialog", classes="picker"):
            yield Static(f"[b]{markup_line(self.heading)}[/b]   [$text-muted]enter picks · esc "
                         "cancels[/]", classes="form-title")
            yield OptionList(*options, id="skill-options")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id == "new":
            self.app.push_screen(
                SkillDraftForm(self.objective, self.heading), self._drafted
            )
        elif option_id:
            self.dismiss(svc.WeekChoice(skill_id=option_id))

    def _drafted(self, draft: SkillDraft | None) -> None:
        if draft is not None:
            self.dismiss(svc.WeekChoice(draft=draft))

    def action_cancel(self) -> None:
        self.dismiss(None)


class WeekPick(Static, can_focus=True):
    """One week of the plan form: enter picks or creates its skill."""

    def __init__(self, number: int) -> None:
        super().__init__(id=f"week-{number}", classes="week-pick")
        self.number = number
        self.choice = svc.WeekChoice()

    def show(self, title: str) -> None:
        if title:
            new = " [$text-muted](new)[/]" if self.choice.draft is not None else ""
            self.update(f"{markup_line(title)}{new}")
        elif self.number == 1:
            self.update("[$text-muted]enter: pick · n: new skill[/]")
        else:
            self.update("[$text-muted]optional: enter picks, or leave it to the review[/]")


class PlanForm(FormDialog[str | None]):
    """Create a plan: objective, start week, one skill per week. Returns the plan's id."""
    CSS_PATH = "../styles/plan.tcss"

    KEYS = PLAN_FORM_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(PLAN_FORM_KEYS)]  # a list[BindingType]
    DIALOG_CLASSES = "form wide plan-form"
    SAVE_LABEL = "Create"
    ENTER = "next"
    MAX_WEEKS = 12

    def __init__(self, objective: str = "", start: str = "this", weeks: int = 4) -> None:
        super().__init__(name="new plan")
        self.objective = objective
        self.start = start
        self.initial_weeks = weeks

    @property
    def repo(self) -> Repository | None:
        return self.journal_app.repo

    def heading(self) -> str:
        return "[b]New plan[/b]  [$text-muted]one micro-skill a week, stacked[/]"

    def compose_fields(self) -> ComposeResult:
        app = self.journal_app
        today = app.clock.today()
        choices = svc.start_choices(today, app.config.first_weekday)
        titles = [o.title for o in self.repo.objectives()] if self.repo else []
        six = dt.timedelta(days=6)
        start_options = [
            (f"{name} week · {dates.day_range(choices[name], choices[name] + six)}", name)
            for name in ("this", "next")
        ]
        with VerticalScroll(classes="form-scroll"), Grid(
            classes="form-grid fields plan-grid", id="plan-form-grid"
        ):
            yield Label("Objective")
            yield SafeInput(
                self.objective, placeholder="e.g. Public speaking", id="objective",
                suggester=SuggestFromList(suggestible(titles), case_sensitive=False),
            )
            yield FieldError("objective")
            yield Label("Start")
            yield Select(start_options, value=self.start, allow_blank=False, id="start")
            yield FieldError("start")
            for n in range(1, self.initial_weeks + 1):
                yield from self._week_row(n)
        yield Static(self._hint_text(titles), id="plan-form-hint")

    def _hint_text(self, titles: list[str]) -> str:
        known = ""
        if titles:
            shown = ", ".join(markup_line(t) for t in titles[:4])
            known = f"Your objectives: {shown} (→ completes). "
        return (
            f"[$text-muted]{known}Only week 1 needs a skill now: the next ones can be "
            "picked at each weekly review. On a week: enter picks or creates its skill, "
            "+ / - add or remove a week.[/]"
        )

    def _week_row(self, n: int):
        yield Label(self._week_label(n), id=f"week-{n}-label")
        yield WeekPick(n)
        yield FieldError(f"week-{n}")

    def _week_label(self, n: int) -> str:
        start = self._start_day() + (n - 1) * dt.timedelta(weeks=1)
        end = start + dt.timedelta(days=6)
        return f"Week {n} · {dates.day_range(start, end, compact=True)}"

    def _start_day(self) -> dt.date:
        app = self.journal_app
        choices = svc.start_choices(app.clock.today(), app.config.first_weekday)
        try:
            value = self.query_one("#start", Select).value
        except NoMatches:  # still composing
            value = self.start
        return choices.get(str(value), choices["this"])

    def on_mount(self) -> None:
        if self.objective:  # named already: its first week next
            self.query_one("#week-1").focus()
        for pick in self.query(WeekPick):
            pick.show("")

    @property
    def picks(self) -> list[WeekPick]:
        return list(self.query(WeekPick))

    def on_select_changed(self, event: Select.Changed) -> None:
        for n in range(1, len(self.picks) + 1):
            self.query_one(f"#week-{n}-label", Label).update(self._week_label(n))

    def _objective(self) -> Objective | None:
        title = self.query_one("#objective", Input).value
        return svc.find_objective(self.repo, title) if self.repo and title.strip() else None

    def _week_title(self, choice: svc.WeekChoice) -> str:
        repo = self.repo
        assert repo is not None  # the plan form opens only on an open journal
        return svc.week_choice_title(repo, choice)

    def _focused_pick(self) -> WeekPick | None:
        focused = self.focused
        return focused if isinstance(focused, WeekPick) else None

    def action_pick(self) -> None:
        pick = self._focused_pick()
        if pick is None:
            return
        repo, objective = self.repo, self._objective()  # (an objective only with a repo)
        taken = {p.choice.skill_id for p in self.picks if p is not pick and p.choice.skill_id}
        heading = f"Week {pick.number}: the skill it stacks"
        title = self.query_one("#objective", Input).value.strip()
        if repo is None or objective is None or not any(
            s.status != "archived" for s in repo.skills(objective.id)
        ):
            self._new_skill_for(pick)
            return
        self.app.push_screen(
            SkillPicker(title, objective.id, taken, heading),
            lambda choice: self._chosen(pick, choice),
        )

    def action_new_skill(self) -> None:
        pick = self._focused_pick()
        if pick is not None:
            self._new_skill_for(pick)

    def action_clear_week(self) -> None:
        pick = self._focused_pick()
        if pick is not None:
            pick.choice = svc.WeekChoice()
            pick.show("")

    def _new_skill_for(self, pick: WeekPick) -> None:
        title = self.query_one("#objective", Input).value.strip()
        self.app.push_screen(
            SkillDraftForm(title, f"Week {pick.number}: a new micro-skill"),
            lambda draft: self._chosen(pick, svc.WeekChoice(draft=draft) if draft else None),
        )

    def _chosen(self, pick: WeekPick, choice: svc.WeekChoice | None) -> None:
        if choice is None:
            return
        pick.choice = choice
        if choice.draft is not None:
            objective = self.query_one("#objective", Input)
            if not objective.value.strip():
                objective.value = choice.draft.objective
        pick.show(self._week_title(choice))
        self.query_one(f"#week-{pick.number}-error", Static).update("")
        pick.focus()

    def action_add_week(self) -> None:
        """Add a week after the highlighted one (at the end from the other fields)."""
        picks = self.picks
        n = len(picks) + 1
        if n > self.MAX_WEEKS:
            self.notify(f"Plan up to {self.MAX_WEEKS} weeks now; extend it later with a.",
                        timeout=4)
            return
        grid = self.query_one("#plan-form-grid", Grid)
        row = list(self._week_row(n))
        grid.mount_all(row)
        new: WeekPick = row[1]
        current = self._focused_pick()
        if current is not None and current.number < n - 1:
            # make room after the highlighted week: the weeks after it move down one
            for k in range(n - 1, current.number, -1):
                new_pick = new if k + 1 == n else picks[k]
                new_pick.choice = picks[k - 1].choice
            picks[current.number].choice = svc.WeekChoice()
            target = picks[current.number]
        else:
            target = new
        for pick in [*picks, new]:
            pick.show(self._week_title(pick.choice))
        target.focus()

    def action_remove_week(self) -> None:
        """Remove the highlighted week (the last one from the other fields)."""
        picks = self.picks
        if len(picks) <= 1:
            self.notify("A plan needs at least one week.", timeout=3)
            return
        current = self._focused_pick() or picks[-1]
        index = current.number - 1
        for k in range(index, len(picks) - 1):  # later weeks move up one
            picks[k].choice = picks[k + 1].choice
            picks[k].show(self._week_title(picks[k].choice))
        last = picks[-1]
        n = last.number
        for selector in (f"#week-{n}-label", f"#week-{n}", f"#week-{n}-error"):
            self.query_one(selector).remove()
        self.clear_errors()
        picks[min(index, len(picks) - 2)].focus()

    def draft(self) -> svc.PlanDraft:
        return svc.PlanDraft(
            objective=self.query_one("#objective", Input).value,
            start=str(self.query_one("#start", Select).value),
            weeks=[p.choice for p in self.picks],
        )

    def action_save(self) -> None:
        self.clear_errors()
        repo = self.repo
        if repo is None:
            return
        draft = self.draft()
        try:
            svc.validate_plan(repo, draft)
        except ValidationError as err:
            self.show_error(err.field if err.field != "weeks" else "objective", err.message)
            return
        try:
            plan = svc.create_plan(
                repo, draft, self.journal_app.clock.today(), self.journal_app.config.first_weekday
            )
        except (JournalError, plan_rules.PlanEditError) as err:
            self.not_saved(err)
            return
        weeks = len(plan.weeks)
        self.notify(
            f"Plan saved: {weeks} week{'s' if weeks != 1 else ''}, one new skill a week.",
            title="Plan", timeout=4,
        )
        self.dismiss(plan.id)
