"""New micro-skill form, with the micro-skill checklist (warns, never blocks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from ..domain.models import ValidationError
from ..domain.text import markup_line
from ..services.skills import SkillDraft, create_skill, skill_from_draft
from ..store import JournalError
from ..widgets.text_fields import SafeInput
from .form_dialog import FieldError, FormDialog, ResultT

if TYPE_CHECKING:  # the library is loaded only when the picker opens
    from ..domain.library import Suggestion

FIELDS = [
    ("objective", "Objective", "e.g. Public speaking"),
    ("title", "Micro-skill", "one tiny element, e.g. no 'um' in a talk"),
    ("why", "Why / cue", "optional: when, and why"),
    ("minutes", "Minutes a day", "5–10"),
    ("metric", "Metric", "what you count, e.g. fillers per talk"),
    ("unit", "Unit", "optional, e.g. fillers"),
    ("direction", "Better is", ""),
    ("baseline", "Baseline", "optional: where you are now"),
    ("target", "Target", "optional: where you aim"),
    ("days", "Days per week", "1–7 (7 = every day)"),
]


class SkillForm(FormDialog[ResultT]):
    """The micro-skill form and its checklist; what saving gives is the subclass's:
    ``NewSkillForm`` creates the skill, the plan's ``SkillDraftForm`` returns the draft."""

    BINDINGS: ClassVar[list[BindingType]] = [("ctrl+l", "suggestions", "Suggestions")]
    DIALOG_CLASSES = "form wide"
    SAVE_LABEL = "Create"
    EXTRA_BUTTONS = (("Suggestions  ctrl+l", "suggestions"),)

    def __init__(
        self,
        suggestion: Suggestion | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``suggestion`` (from the skill library) fills the form when it opens."""
        super().__init__(name=name, id=id, classes=classes)
        self._suggestion = suggestion

    def heading(self) -> str:
        return "[b]New micro-skill[/b]"

    def compose_fields(self) -> ComposeResult:
        app = self.journal_app
        objectives = app.repo.objectives() if app.repo else []
        default_minutes = str(app.config.default_practice_minutes)
        with VerticalScroll(classes="form-scroll"), Grid(classes="form-grid fields"):
            for name, label, hint in FIELDS:
                yield Label(label)
                if name == "direction":
                    yield Select(
                        [("higher is better", "higher"), ("lower is better", "lower")],
                        value="higher", allow_blank=False, id="direction",
                    )
                else:
                    value = ""
                    if name == "minutes":
                        value = default_minutes
                    elif name == "days":
                        value = "7"
                    elif name == "objective" and len(objectives) == 1:
                        value = objectives[0].title
                    yield SafeInput(value, placeholder=hint, id=name)
                yield FieldError(name)
        yield Static("", id="checklist")

    def on_mount(self) -> None:
        if self.query_one("#objective", Input).value:  # named already: the skill next
            self.query_one("#title", Input).focus()
        self._update_checklist()
        suggestion, self._suggestion = self._suggestion, None  # once, even if called twice
        if suggestion is not None:
            # nothing is typed yet: the suggestion's objective beats the guessed default
            self.fill_from(suggestion, replace_objective=True)

    def fill_from(self, suggestion: Suggestion, *, replace_objective: bool = False) -> None:
        """Fill every field from a library suggestion; the title gets the focus, for
        editing. The objective is filled only when empty (what the user named is kept)
        or, with ``replace_objective``, unless the field is locked (disabled)."""
        from ..services.library import suggestion_draft

        objective = self.query_one("#objective", Input)
        if not objective.disabled and (replace_objective or not objective.value.strip()):
            objective.value = suggestion.objective
        draft = suggestion_draft(suggestion, objective.value)
        for name, _label, _hint in FIELDS:
            if name not in ("objective", "direction"):
                field = self.query_one(f"#{name}", Input)
                field.value = getattr(draft, name)
                field.cursor_position = 0  # show the start of long text
        self.query_one("#direction", Select).value = draft.direction
        self.clear_errors()
        title = self.query_one("#title", Input)
        title.focus()
        self._update_checklist()
        # once laid out, show each field from its start (focusing scrolled to the end)
        def show_starts() -> None:
            for field in self.query(Input):
                if field.value:
                    field.action_home()

        self.call_after_refresh(show_starts)

    def action_suggestions(self) -> None:
        """Open the skill library for the objective typed (every objective when none)."""
        from .library_picker import LibraryPicker

        objective = self.query_one("#objective", Input).value.strip()
        self.app.push_screen(
            LibraryPicker(objective, self._taken_titles(objective)), self._picked
        )

    def _picked(self, suggestion: Suggestion | None) -> None:
        if suggestion is not None:
            self.fill_from(suggestion)

    def _taken_titles(self, objective: str) -> set[str]:
        """Titles of the objective's skills already in the journal (not suggested again)."""
        repo = self.journal_app.repo
        if repo is None or not objective:
            return set()
        found = next(
            (o for o in repo.objectives() if o.title.casefold() == objective.casefold()), None
        )
        if found is None:
            return set()
        return {s.title for s in repo.skills(found.id) if s.status != "archived"}

    def draft(self) -> SkillDraft:
        values = {i.id: i.value for i in self.query(Input) if i.id is not None}
        direction = self.query_one("#direction", Select).value
        return SkillDraft(direction=str(direction), **values)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._update_checklist()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._update_checklist()

    def _update_checklist(self) -> None:
        try:
            skill = skill_from_draft(self.draft(), "x")
        except ValidationError:
            self.query_one("#checklist", Static).update(
                "[$text-muted]Checklist: measurable metric · 5–10 minutes a day · one element[/]"
            )
            return
        warnings = skill.checklist_warnings()
        text = "\n".join(f"[$warning]⚠ {markup_line(w)}[/]" for w in warnings) or (
            "[$success]✔ Measurable, quick to practise, one element.[/]"
        )
        self.query_one("#checklist", Static).update(text)

    def check(self, draft: SkillDraft) -> None:
        """Raise ValidationError naming the first field that is wrong."""
        skill_from_draft(draft, "x")
        require_objective(draft)

    def checked_draft(self) -> SkillDraft | None:
        """The draft, or None with the error shown at its field."""
        self.clear_errors()
        draft = self.draft()
        try:
            self.check(draft)
        except ValidationError as err:
            self.show_error(err.field, err.message)
            return None
        return draft


class NewSkillForm(SkillForm[str | None]):
    """Creates an objective (if new) and a micro-skill; returns the new skill's id."""

    def action_save(self) -> None:
        draft = self.checked_draft()
        if draft is None:
            return
        app = self.journal_app
        assert app.repo is not None  # the form opens only on an open journal
        try:
            skill = create_skill(app.repo, draft, app.clock.today(), app.config.first_weekday)
        except JournalError as err:
            self.not_saved(err)
            return
        self.notify(f"Created: {skill.title}. Press space to check in today.", timeout=5)
        self.dismiss(skill.id)


def require_objective(draft: SkillDraft) -> None:
    if not draft.objective.strip():
        raise ValidationError("objective", "name the objective this skill serves")
