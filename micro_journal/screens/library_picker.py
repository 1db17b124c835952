"""The skill library picker: candidate micro-skills for an objective, or every objective
of the library grouped by name. ``enter`` returns the highlighted Suggestion, ``esc`` None.

Library and user text never goes through markup here: it is assembled into ``Content``
with styles beside it, so a title such as ``[b]`` or ``[$accent]`` shows as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain.library import BUILT_IN, Decomposition, Library, Suggestion
from ..domain.text import visible
from ..services import library as lib

MAX_PROBLEMS_SHOWN = 2
MUTED = "$text-muted"
EXAMPLE = """One file per objective, e.g. juggling.toml:
    objective = "Juggling"
    aliases = ["juggle", "circus"]
    [[skill]]
    title = "Three-ball cascade for 30 catches"
    drill = "Five minutes of cascade over a bed"
    metric = "catches in a row"
    direction = "higher"
    baseline = 5
    target = 30"""


def measure_line(s: Suggestion) -> str:
    """"metric: baseline → target unit" (plain text), as much as the suggestion has."""
    unit = s.unit if s.unit == "%" or not s.unit else f" {s.unit}"
    numbers = " → ".join(
        n for n in (lib.number_text(s.baseline), lib.number_text(s.target)) if n
    )
    text = s.metric
    if numbers:
        text = f"{text}: {numbers}{unit}" if text else f"{numbers}{unit}"
    elif s.unit and text:
        text = f"{text} ({s.unit})"
    return text


def detail_line(s: Suggestion) -> str:
    """The second line of an option (plain text): measure, minutes, drill."""
    minutes = f"{s.minutes} min a day"
    if s.days != 7:
        minutes += f", {s.days} days a week"
    parts = [measure_line(s), minutes]
    if s.drill:
        parts.append(f"Drill: {s.drill}")
    return visible(" · ".join(p for p in parts if p))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class LibraryPicker(ModalScreen[Suggestion | None]):
    """Pick a suggestion for ``objective_title`` (or browse every objective with ``a``)."""

    CSS_PATH = "../styles/library.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("a", "toggle_all", "All objectives"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(
        self,
        objective_title: str,
        exclude_titles: Iterable[str] = frozenset(),
        heading: str = "Suggestions",
        library: Library | None = None,
    ) -> None:
        super().__init__()
        self.objective_title = " ".join(objective_title.split())
        self.exclude_titles = {t.strip().casefold() for t in exclude_titles}
        self.heading = heading
        self.library = library if library is not None else lib.library()
        self.show_all = not self.objective_title
        self._suggestions: dict[str, Suggestion] = {}

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="library"):
            yield Static(id="library-heading", classes="form-title")
            yield OptionList(id="library-options")
            yield Static(id="library-empty")
            yield Static(id="library-problems")
            yield Static(id="library-keys")

    def on_mount(self) -> None:
        problems = self.library.problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown = [*shown, f"and {len(problems) - MAX_PROBLEMS_SHOWN} more"]
        box = self.query_one("#library-problems", Static)
        box.update(Content.styled(visible("Your library: " + " · ".join(shown)), MUTED))
        box.display = bool(problems)
        self._show()

    # ----------------------------------------------------------------- content
    def _show(self) -> None:
        if self.show_all:
            groups = self.library.objectives()
        else:
            groups = self.library.matching(self.objective_title)
        # headers only when there is more than one group to tell apart
        with_headers = self.show_all or len(groups) > 1
        options: list[Option | None] = []
        self._suggestions = {}
        for d in groups:
            available = lib.without_titles(d.skills, self.exclude_titles)
            if not available:
                continue
            if with_headers:
                if options:
                    options.append(None)
                options.append(Option(self._header(d, len(available)), disabled=True))
            for s in available:
                option_id = f"s{len(self._suggestions)}"
                self._suggestions[option_id] = s
                prompt = Content.assemble((visible(s.title), "bold"), "\n", (detail_line(s), "dim"))
                options.append(Option(prompt, id=option_id))
        option_list = self.query_one("#library-options", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        empty = not self._suggestions
        option_list.display = not empty
        self.query_one("#dialog").set_class(empty, "-empty")
        message = self.query_one("#library-empty", Static)
        message.display = empty
        if empty:
            message.update(self._empty_text(groups))
        else:
            option_list.highlighted = next(
                i for i in range(option_list.option_count)
                if not option_list.get_option_at_index(i).disabled
            )
            option_list.focus()
        self._show_heading()
        self._show_keys(empty)

    @staticmethod
    def _header(d: Decomposition, count: int) -> Content:
        if d.source == BUILT_IN:
            yours = ""
        elif d.source.startswith(BUILT_IN):
            yours = " · with your file"
        else:
            yours = " · your file"
        return Content.assemble(
            (visible(d.objective), "bold $accent"), "  ",
            (_plural(count, "suggestion") + yours, MUTED),
        )

    def _empty_text(self, groups: list[Decomposition]) -> Content:
        folder = visible(str(lib.user_library_dir()))
        name = visible(self.objective_title)
        if self.show_all:
            return Content.assemble(
                "Every suggestion in the library is already one of your skills.\n\n",
                (f"Add your own objectives as TOML files in\n{folder}", MUTED),
            )
        if groups:
            return Content.assemble(
                f"Every suggestion for '{name}' is already one of your skills.\n\n",
                "Press ", ("a", "bold"), " to browse every objective.",
            )
        return Content.assemble(
            f"No suggestions for '{name}'.\n\n",
            "Press ", ("a", "bold"), " to browse every objective, or add your own file ",
            "for it in\n", (folder, "bold"), "\n\n", (EXAMPLE, MUTED),
        )

    def _show_heading(self) -> None:
        where = " · every objective" if self.show_all else f" for '{visible(self.objective_title)}'"
        count = len(self._suggestions)
        parts: list[str | tuple[str, str]] = [(self.heading, "bold"), where]
        if count:
            parts += ["  ", (_plural(count, "micro-skill"), MUTED)]
        self.query_one("#library-heading", Static).update(Content.assemble(*parts))

    def _show_keys(self, empty: bool) -> None:
        keys: list[tuple[str, str]] = []
        if not empty:
            keys += [("enter", "fill the form"), ("↑↓ j k", "move")]
        if self.objective_title:
            if self.show_all:
                keys.append(("a", f"only '{self.objective_title}'"))
            else:
                keys.append(("a", "every objective"))
        keys.append(("esc", "cancel"))
        parts: list[str | tuple[str, str]] = []
        for key, what in keys:
            if parts:
                parts.append(" · ")
            parts += [(key, "bold"), f" {what}"]
        self.query_one("#library-keys", Static).update(Content.assemble(*parts))

    # ----------------------------------------------------------------- actions
    def highlighted(self) -> Suggestion | None:
        """The suggestion under the cursor (None in an empty state)."""
        option_list = self.query_one("#library-options", OptionList)
        if not option_list.display or option_list.highlighted is None:
            return None
        option = option_list.get_option_at_index(option_list.highlighted)
        return self._suggestions.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        suggestion = self._suggestions.get(event.option.id or "")
        if suggestion is not None:
            self.dismiss(suggestion)

    def action_toggle_all(self) -> None:
        if not self.objective_title:
            return
        self.show_all = not self.show_all
        self._show()

    def action_move(self, step: int) -> None:
        option_list = self.query_one("#library-options", OptionList)
        if step > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
