"""Export and import from the command palette: a small dialog asking for a path and a
format, running the same service code as `micro-journal export` / `import`.

Dismisses with a message to notify (or None when cancelled); the work runs in a thread
with a progress bar, the dialog staying open on a bad path or a malformed file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from ..domain.text import markup_line, markup_lines
from ..services import portability as pt
from ..widgets.text_fields import SafeInput
from .base import journal_app

if TYPE_CHECKING:
    from ..store import Repository

EXPORT_CHOICES = [
    ("JSON — everything, lossless", "json"),
    ("Markdown — week by week", "markdown"),
    ("CSV — the check-ins", "csv"),
    ("iCalendar — practice and deadlines", "ics"),
]
IMPORT_CHOICES = [
    ("Recognise from the file", "auto"),
    ("micro-journal JSON", "json"),
    ("jrnl (jrnl --export json)", "jrnl"),
]


def default_export_path(fmt: str, today: str) -> str:
    return str(Path("~") / f"micro-journal-{today}{pt.FILE_SUFFIX[fmt]}")


class PortabilityDialog(ModalScreen[str | None]):
    """``mode`` is "export" or "import"; returns what to tell the user."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "Cancel"),
        ("ctrl+s", "run", "Run"),
    ]

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.busy = False
        self._suggested = ""

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        exporting = self.mode == "export"
        title = "Export the journal" if exporting else "Import into the journal"
        with Vertical(id="dialog", classes="form portability"):
            yield Static(f"[b]{title}[/b]", classes="form-title")
            with Grid(classes="form-grid"):
                yield Label("Format")
                yield Select(
                    EXPORT_CHOICES if exporting else IMPORT_CHOICES,
                    value="json" if exporting else "auto", allow_blank=False, id="format",
                )
                yield Label("File")
                yield SafeInput(placeholder="a path, e.g. ~/journal.json", id="path")
            yield Static("", id="path-error", classes="field-error")
            yield Static("", id="about")
            yield ProgressBar(total=None, show_eta=False, id="progress")
            with Horizontal(classes="form-buttons"):
                if not exporting:
                    yield Button("Preview", id="preview")
                yield Button(
                    ("Export" if exporting else "Import") + "  ctrl+s", variant="primary",
                    id="run",
                )
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        # the fields take the width the grid keeps for errors; errors go below, wrapped
        for field in ("#format", "#path"):
            self.query_one(field).styles.column_span = 2
        self.query_one("#path-error").styles.height = "auto"
        self.query_one("#path-error").display = False
        self.query_one("#progress", ProgressBar).display = False
        path = self.query_one("#path", Input)
        if self.mode == "export":
            self._suggested = default_export_path("json", journal_app(self).today.isoformat())
            path.value = self._suggested
            self._about("json")
        else:
            self.query_one("#about", Static).update(
                "Records already in the journal are matched by id: importing twice adds "
                "nothing. Preview shows what would change without writing."
            )
        path.focus()

    def _about(self, fmt: str) -> None:
        text = {
            "json": "The whole journal, lossless; import it back with Import.",
            "markdown": "One readable document, week by week, to keep or send to a coach.",
            "csv": "The check-ins as a table for a spreadsheet (UTF-8).",
            "ics": "The plan's daily practice and micro-goal deadlines for your calendar.",
        }[fmt]
        self.query_one("#about", Static).update(f"[$text-muted]{markup_line(text)}[/]")

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.mode != "export" or event.value not in pt.EXPORT_FORMATS:
            return
        path = self.query_one("#path", Input)
        if path.value == self._suggested:  # only replace what we suggested
            self._suggested = default_export_path(
                str(event.value), journal_app(self).today.isoformat()
            )
            path.value = self._suggested
        self._about(str(event.value))

    # ------------------------------------------------------------------ actions
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_run()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.action_cancel()
        elif event.button.id == "preview":
            self.start(dry_run=True)
        else:
            self.action_run()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_run(self) -> None:
        self.start(dry_run=False)

    def _error(self, message: str) -> None:
        error = self.query_one("#path-error", Static)
        error.update(markup_lines(message))
        error.display = bool(message)
        self.query_one("#path", Input).focus()

    def start(self, *, dry_run: bool) -> None:
        if self.busy:
            return
        self._error("")
        app = journal_app(self)
        repo = app.repo
        if repo is None:
            self._error("No journal is open.")
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._error("Give a file name.")
            return
        path = Path(text).expanduser()
        fmt = str(self.query_one("#format", Select).value)
        try:
            if self.mode == "export":
                target = pt.check_output_path(path, app.db_path.expanduser().absolute())
            else:
                if repo.read_only and not dry_run:
                    self._error(f"The journal is read-only ({app.read_only_reason}).")
                    return
                raw = pt.read_import_file(path)
                incoming = pt.load_import(raw, None if fmt == "auto" else fmt)
        except pt.PortabilityError as err:
            self._error(str(err))
            return
        self.busy = True
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        for button in self.query(Button):
            button.disabled = button.id != "cancel"
        if self.mode == "export":
            self.run_export(repo, target, fmt)
        else:
            self.run_import(repo, incoming, path, dry_run)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(
            self.query_one("#progress", ProgressBar).update, total=total, progress=done
        )

    @work(thread=True, exclusive=True)
    def run_export(self, repo: Repository, target: Path, fmt: str) -> None:
        app = journal_app(self)
        try:
            # written as it is made: the bar covers the write too, and a ten-year
            # export is never held whole in memory
            pt.export_to_file(
                repo, fmt, target, today=app.clock.today(),
                first_weekday=app.config.first_weekday,
                day_start_hour=app.config.day_start_hour, progress=self._progress,
            )
        except (pt.PortabilityError, OSError) as err:
            app.call_from_thread(self.failed, str(err))
            return
        app.call_from_thread(self.dismiss, f"Wrote the {fmt} export to {target}")

    @work(thread=True, exclusive=True)
    def run_import(
        self, repo: Repository, incoming: pt.Incoming, path: Path, dry_run: bool
    ) -> None:
        from ..store import JournalError

        app = journal_app(self)
        try:
            report = pt.apply_import(repo, incoming, source=str(path), dry_run=dry_run,
                                     progress=self._progress)
        except JournalError as err:
            app.call_from_thread(self.failed, str(err))
            return
        if dry_run:
            app.call_from_thread(self.previewed, report.render())
        else:
            app.call_from_thread(self.dismiss, report.render())

    def failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#progress", ProgressBar).display = False
        for button in self.query(Button):
            button.disabled = False
        self._error(message)

    def previewed(self, text: str) -> None:
        self.failed("")
        self.query_one("#about", Static).update(markup_lines(text))
