"""The weekly review's dialog: pick the skill to stack next week.

Offered in order: the skill the plan already has for next week, suggestions from the
skill library for this objective, the objective's own skills not yet in the stack, and
a new micro-skill. A suggestion opens the new-skill form filled in, so the user still
edits everything before it is saved (with the review).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain.models import MicroSkill
from ..domain.text import markup_line, markup_lines
from ..services.plan import ReviewData, WeekChoice
from ..services.skills import SkillDraft
from .base import journal_app

if TYPE_CHECKING:
    from ..domain.library import Suggestion


class NextSkillPicker(ModalScreen[WeekChoice | None]):
    """Choose next week's skill; returns a WeekChoice (an existing skill or a draft)."""

    CSS_PATH = "../styles/plan.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, data: ReviewData, current: WeekChoice | None = None) -> None:
        super().__init__(name="next skill")
        self.data = data
        self.current = current
        self.suggestions: list[Suggestion] = []
        self.problems: list[str] = []

    def _own_skills(self) -> list[MicroSkill]:
        repo = journal_app(self).repo
        assert repo is not None  # the review (and so this picker) needs an open journal
        taken = self.data.stack_ids
        return [
            s for s in repo.skills(self.data.objective.id)
            if s.status != "archived" and s.id not in taken
        ]

    def _library(self, own: list[MicroSkill]) -> None:
        try:
            from ..services import library
        except ImportError:  # pragma: no cover - the library ships with the package
            return
        titles = {s.title.casefold() for s in own}
        titles |= {line.skill.title.casefold() for line in self.data.lines}
        self.suggestions = library.suggestions_for(self.data.objective.title, titles)
        self.problems = list(library.library().problems)

    def compose(self) -> ComposeResult:
        own = self._own_skills()
        self._library(own)
        planned = self.data.planned_next
        options: list[Option | None] = []
        by_id = {s.id: s for s in own}
        if planned and planned in by_id:
            skill = by_id.pop(planned)
            options.append(Option(
                f"[b]{markup_line(skill.title)}[/b]  [$text-muted]planned for next week[/]",
                id=f"skill:{skill.id}",
            ))
        if self.suggestions:
            options.append(Option("[b $accent]From the skill library[/]", disabled=True))
            for n, s in enumerate(self.suggestions):
                unit = f" {s.unit}" if s.unit else ""
                detail = (f"{s.metric}: {s.baseline:g} → {s.target:g}{unit} · "
                          f"{s.minutes} min")
                options.append(Option(
                    f"  {markup_line(s.title)}\n  [$text-muted]{markup_line(detail)}[/]",
                    id=f"lib:{n}",
                ))
        if by_id:
            options.append(Option("[b $accent]Your skills for this objective[/]",
                                  disabled=True))
            for skill in by_id.values():
                status = f"  [$text-muted]{skill.status}[/]" if skill.status != "active" else ""
                options.append(Option(f"  {markup_line(skill.title)}{status}",
                                      id=f"skill:{skill.id}"))
        options.append(Option("[b]+ New micro-skill…[/b]  [$text-muted](with the checklist)[/]",
                              id="new"))
        title = markup_line(self.data.objective.title)
        with Vertical(id="dialog", classes="picker next-picker"):
            yield Static(
                f"[b]Stack next: {title}[/b]   [$text-muted]enter picks · esc cancels[/]",
                classes="form-title",
            )
            if not self.suggestions and not by_id and not planned:
                yield Static(
                    "[$text-muted]No suggestion matches this objective and it has no other "
                    "skill yet: create the next micro-skill (one precise, measurable "
                    "element, 5–10 minutes a day).[/]",
                    classes="picker-note",
                )
            for problem in self.problems[:2]:
                yield Static(f"[$text-muted]{markup_lines(problem)}[/]", classes="picker-note")
            yield OptionList(*options, id="next-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        first = next(
            (i for i in range(options.option_count) if not options.get_option_at_index(i)
             .disabled),
            None,
        )
        if first is not None:
            options.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("skill:"):
            self.dismiss(WeekChoice(skill_id=option_id.split(":", 1)[1]))
        elif option_id.startswith("lib:"):
            self._draft(self.suggestions[int(option_id.split(":", 1)[1])])
        elif option_id == "new":
            self._draft(None)

    def _draft(self, suggestion: Suggestion | None) -> None:
        from .plan_dialogs import SkillDraftForm

        heading = "The next micro-skill to stack"
        form = (
            SkillDraftForm(self.data.objective.title, heading, suggestion=suggestion)
            if suggestion is not None else SkillDraftForm(self.data.objective.title, heading)
        )
        self.app.push_screen(form, self._drafted)

    def _drafted(self, draft: SkillDraft | None) -> None:
        if draft is not None:
            self.dismiss(WeekChoice(draft=draft))

    def action_cancel(self) -> None:
        self.dismiss(None)
