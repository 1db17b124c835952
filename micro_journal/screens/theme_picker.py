"""The theme picker: moving through the list applies each theme at once (live preview);
``enter`` keeps it, ``esc`` puts the previous one back. Returns the chosen name."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain.text import markup_line
from ..themes import ThemeCatalog

# Textual's own themes that do not suit us (ANSI colours ignore our palette)
HIDDEN = {"textual-ansi"}


class ThemePicker(ModalScreen[str | None]):
    CSS_PATH = "../styles/settings.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "Cancel"),
        ("j", "move(1)", "Down"),
        ("k", "move(-1)", "Up"),
    ]

    def __init__(self, current: str, catalog: ThemeCatalog | None = None) -> None:
        super().__init__()
        self.original = current
        self.catalog = catalog or ThemeCatalog()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="theme-picker"):
            yield Static(
                "[b]Theme[/b]   [$text-muted]↑↓ preview · enter keeps · esc puts "
                f"{markup_line(self.original)} back[/]",
                classes="form-title",
            )
            yield OptionList(*self._options(), id="theme-list")
            yield Static(id="theme-about")

    def _options(self) -> list[Option | None]:
        ours = [f for f in self.catalog.files if f.builtin]
        yours = [f for f in self.catalog.files if not f.builtin]
        known = {f.name for f in self.catalog.files}
        textual = sorted(
            name for name, theme in self.app.available_themes.items()
            if name not in known | HIDDEN and not theme.ansi
        )
        options: list[Option | None] = []
        for heading, files in (("Built in", ours), ("Yours", yours)):
            if not files:
                continue
            if options:
                options.append(None)
            options.append(Option(f"[$text-muted]{heading}[/]", disabled=True))
            for f in files:
                # plain text: muted colours vanish on the highlight bar
                about = f" {markup_line(f.description)}" if f.description else ""
                options.append(Option(f"[b]{markup_line(f.name):<20}[/b]{about}", id=f.name))
        if textual:
            options.append(None)
            options.append(Option("[$text-muted]From Textual[/]", disabled=True))
            options.extend(Option(markup_line(name), id=name) for name in textual)
        return options

    def on_mount(self) -> None:
        options = self.query_one("#theme-list", OptionList)
        try:
            options.highlighted = options.get_option_index(self.original)
        except Exception:  # the current theme is not listed (e.g. textual-ansi)
            options.highlighted = None
        options.focus()
        self._describe(self.original)

    def _describe(self, name: str) -> None:
        found = self.catalog.get(name)
        if found is None:
            text = f"{markup_line(name)} · one of Textual's themes"
        elif found.builtin:
            text = f"{markup_line(name)} · built in"
        else:
            text = f"{markup_line(name)} · from {markup_line(str(found.path))}"
        self.query_one("#theme-about", Static).update(f"[$text-muted]{text}[/]")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id
        if name and name in self.app.available_themes:
            self.app.theme = name
            self._describe(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#theme-list", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_cancel(self) -> None:
        if self.app.theme != self.original and self.original in self.app.available_themes:
            self.app.theme = self.original
        self.dismiss(None)
