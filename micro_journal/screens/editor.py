"""The entry editor: Markdown text that is never lost.

Saving, from the user's point of view, is automatic:

* ~0.3 s after typing pauses, the text is written to a draft file beside the journal;
* ~1 s after typing pauses, it is saved into the journal (and the draft removed);
* leaving the editor, switching screens, quitting, SIGTERM/SIGHUP and a crash all
  save at once (see ``MicroJournalApp.emergency_save``).

A failed save (disk full, read-only journal…) keeps the text in the editor and in the
draft, and says so; the next start offers the draft back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import (
    Button,
    Input,
    Label,
    Markdown,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from ..domain import dates
from ..domain import journal as journal_rules
from ..domain.models import Entry
from ..domain.text import markup_line, visible
from ..keymap import EDITOR_KEYS, bindings
from ..services.journal import JournalService
from ..store import JournalError, ReadOnlyJournal
from ..store.files import describe_os_error
from ..widgets.footer import KeyFooter
from ..widgets.text_area import SafeTextArea
from ..widgets.text_fields import SafeInput
from .base import JournalScreen

DRAFT_DELAY = 0.3
SAVE_DELAY = 1.0


class EditorScreen(JournalScreen):
    CSS_PATH = "../styles/journal.tcss"
    KEYS = EDITOR_KEYS
    BINDINGS = bindings(EDITOR_KEYS)

    def __init__(self, entry: Entry, service: JournalService) -> None:
        super().__init__(name="editor")
        self.entry = entry
        self.service = service
        self.dirty = False
        self.failed = False  # the last save did not reach the journal
        self.status = "new entry" if not service.is_saved(entry) else "saved"
        self._draft_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._leave_anyway = False
        self._text = self._start_text = service.editable_text(entry)

    @property
    def large(self) -> bool:
        """Edited plain and unwrapped: Textual's text area highlights and wraps the whole
        text in Python (a 10 MB entry froze the app for minutes before its first frame)."""
        return len(self._start_text) > journal_rules.LARGE_TEXT

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="editor-meta")
        yield SafeTextArea(
            self._start_text, language=None if self.large else markdown_language(),
            soft_wrap=not self.large,
            show_line_numbers=False, tab_behavior="indent", id="editor-text",
        )
        with VerticalScroll(id="editor-preview"):
            yield Markdown(id="editor-markdown")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.journal_app.editors.add(self)
        self.query_one("#editor-preview").display = False
        area = self.query_one(TextArea)
        if self.app.is_headless:
            area.cursor_blink = False  # steady pictures in tests
        area.focus()
        area.move_cursor(area.document.end)
        self._draw()
        if self.large:
            self.notify(
                f"This entry is {len(self._start_text):,} characters long: it is edited as "
                "plain text, without Markdown colours, and long lines are not wrapped "
                "(scroll sideways). Everything you type is saved as usual.",
                title="Large entry", timeout=12,
            )
        others = len(self.service.conflicting_versions(self.entry))
        if others:
            self.notify(
                f"A sync kept {others} other version{'s' if others > 1 else ''} of this "
                "entry, written on another device: shown below your text between marker "
                "lines. Keep what you want and delete the rest; saving resolves them. "
                "Leaving without typing keeps them for later.",
                title="Conflicting versions", severity="warning", timeout=20,
            )
        if area.text != self._start_text:
            # the text area splits lines at every Unicode line boundary and joins them with
            # one kind of line end: say so before an edit turns them into plain ones
            self.notify(
                "This entry has line ends of several kinds (or characters such as U+0085, "
                "U+2028, form feed) that the editor shows as plain line breaks. If you change "
                "it here, they are saved as plain line breaks; everything else is kept.",
                title="Line ends", severity="warning", timeout=15,
            )

    def on_unmount(self) -> None:
        self.save_pending(quiet=True)
        self.journal_app.editors.discard(self)

    def refresh_view(self) -> None:
        self._draw()

    # ------------------------------------------------------------------ drawing
    @property
    def text(self) -> str:
        """The editor's text (what was last typed, even while the screen is going away)."""
        # once the widgets are removed, the last text seen is the text
        with contextlib.suppress(NoMatches):
            self._text = self.query_one(TextArea).text
        return self._text

    def _draw(self) -> None:
        day = dt.date.fromisoformat(self.entry.date)
        status = markup_line(self.status)
        if self.failed:
            status = f"[b $error]{status}[/]"
        elif self.dirty:
            status = f"[$warning]{status}[/]"
        else:
            status = f"[$success]{status}[/]"
        self.query_one("#topbar", Static).update(
            f"[b]Journal[/b]  {dates.day_long(day)}  ·  {status}"
        )
        skills = self.service.skills()
        linked = [skills[i].title for i in self.entry.skill_ids if i in skills]
        tags = journal_rules.normalise_tags([*self.entry.tags, *journal_rules.text_tags(self.text)])
        if not linked:
            skills_text = "no skill linked"
        elif len(linked) == 1:
            skills_text = shorten(linked[0], 40)
        else:
            skills_text = f"{shorten(linked[0], 28)} +{len(linked) - 1} more"
        bits = [
            "Skills: " + markup_line(skills_text),
            "Tags: " + (markup_line(" ".join(f"#{t}" for t in tags[:6])) if tags else "none"),
        ]
        if self.entry.mood:
            bits.append(f"Mood {self.entry.mood}/5")
        if self.entry.energy:
            bits.append(f"Energy {self.entry.energy}/5")
        self.query_one("#editor-meta", Static).update(
            "[$text-muted]" + "  ·  ".join(bits) + "   · ctrl+l[/]"
        )

    def _set_status(self, status: str) -> None:
        self.status = status
        with contextlib.suppress(NoMatches):  # closing: the status has nowhere to show
            self._draw()

    # ------------------------------------------------------------------ saving
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._text = event.text_area.text
        self.dirty = True
        self._leave_anyway = False
        if not self.failed:
            self._set_status("editing…")
        for timer in (self._draft_timer, self._save_timer):
            if timer is not None:
                timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.write_draft)
        self._save_timer = self.set_timer(SAVE_DELAY, self._autosave)

    def write_draft(self) -> bool:
        if not self.dirty:
            return True
        try:
            self.service.write_draft(self.entry, self.text)
        except (OSError, ValueError) as err:
            self._set_status(f"could not write a draft: {describe_os_error(err)}")
            return False
        return True

    def _autosave(self) -> None:
        self.save_pending()

    def save_pending(self, *, quiet: bool = False) -> bool:
        """Save the text into the journal now; True when the journal holds it."""
        for timer in (self._draft_timer, self._save_timer):
            if timer is not None:
                timer.stop()
        text = self.text
        if not self.dirty:
            return True
        if not text.strip() and not self.service.is_saved(self.entry):
            self.dirty = False  # nothing written yet: nothing to keep
            return True
        try:
            self.entry = self.service.save(self.entry, body=text)
        except JournalError as err:
            drafted = self.write_draft()
            self.failed = True
            why = "read-only" if isinstance(err, ReadOnlyJournal) else err_reason(err)
            if drafted:
                self._set_status(f"NOT SAVED ({why}) — kept here and as a draft")
            else:  # not even the draft could be written: only this window has the text
                self._set_status(f"NOT SAVED ({why}) — only on this screen, no draft either")
            if not quiet:
                extra = "" if drafted else (
                    " No draft could be written either: keep this window open (or copy "
                    "the text elsewhere) until a save succeeds."
                )
                self.notify(str(err) + extra, title="Not saved", severity="error", timeout=12)
            return False
        self.dirty = False
        if self.failed:
            self.failed = False
            if not quiet:
                self.notify("Saved. The journal has your text again.", timeout=4)
        self._set_status(f"saved {dates.time_hms(self.journal_app.clock.now())}")
        return True

    # ------------------------------------------------------------------ actions
    def action_leave(self) -> None:
        if self.save_pending() or self._leave_anyway:
            self.dismiss_editor()
            return
        self._leave_anyway = True
        self.notify(
            "Your text is not in the journal yet (it is kept as a draft and will be offered "
            "back). Press esc again to leave anyway.",
            severity="warning", timeout=10,
        )

    def dismiss_editor(self) -> None:
        self.app.pop_screen()

    def action_save_now(self) -> None:
        if self.save_pending():
            self.notify("Saved.", timeout=2)

    def action_template(self) -> None:
        template = (getattr(self.journal_app.config, "journal_template", None)
                    or journal_rules.DEFAULT_TEMPLATE)
        area = self.query_one(TextArea)
        if area.text and not area.text.endswith("\n"):
            template = "\n\n" + template
        area.insert(template)
        area.focus()

    def action_preview(self) -> None:
        area = self.query_one(TextArea)
        preview = self.query_one("#editor-preview")
        if preview.display:
            preview.display = False
            area.display = True
            area.focus()
        else:
            shown = visible(area.text, lines=True)  # no control character reaches the screen
            self.query_one(Markdown).update(shown or "*(nothing written yet)*")
            area.display = False
            preview.display = True

    def action_details(self) -> None:
        def done(result: dict | None) -> None:
            if result is None:
                return
            self.entry = self.entry.touched(**result)
            self.dirty = True
            self.save_pending()
            self._draw()

        self.app.push_screen(EntryDetails(self.entry, self.service), done)

    def action_external(self) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(
                "No editor is set. Set $EDITOR (for example: export EDITOR=nano) and try again.",
                title="$EDITOR", severity="warning", timeout=8,
            )
            return
        self.save_pending(quiet=True)
        before = self.text
        folder = Path(tempfile.mkdtemp(prefix="micro-journal-edit-"))
        path = folder / f"entry-{self.entry.date}.md"
        try:
            path.write_bytes(before.encode("utf-8", "surrogatepass"))  # line ends as they are
            path.chmod(0o600)
            command = [*shlex.split(editor), str(path)]
            try:
                with self.app.suspend():
                    result = subprocess.run(command, check=False)
            except SuspendNotSupported:
                result = subprocess.run(
                    command, check=False, stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            # bytes, not read_text: universal newlines would turn CRLF into LF
            after = path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            self.notify(
                f"The editor {editor!r} (from $EDITOR) was not found. Your entry is unchanged.",
                title="$EDITOR", severity="error", timeout=10,
            )
            return
        except (OSError, ValueError) as err:
            self.notify(f"Could not run {editor!r}: {err}. Your entry is unchanged.",
                        title="$EDITOR", severity="error", timeout=10)
            return
        finally:
            for leftover in folder.glob("*"):
                leftover.unlink(missing_ok=True)
            folder.rmdir()
        if result.returncode != 0:
            self.notify(
                f"{editor} exited with status {result.returncode}; its changes were not "
                "applied. Your entry is unchanged.",
                title="$EDITOR", severity="warning", timeout=10,
            )
            return
        if after.endswith("\n") and not before.endswith("\n"):
            after = after[:-1]
        if after == before:
            self.notify("No changes from your editor.", timeout=3)
            return
        area = self.query_one(TextArea)
        area.load_text(after)
        self.dirty = True
        if self.save_pending():
            self.notify("Saved the text from your editor.", timeout=3)


def markdown_language() -> str | None:
    """"markdown" when tree-sitter and its Markdown grammar are installed and load;
    plain text (still editable) otherwise. Textual's TextArea refuses a language whose
    grammar does not load, so it is loaded here first, the way Textual loads it (by
    the packages' public API, not Textual's private ``_tree_sitter``); once a run."""
    global _MARKDOWN_LOADS
    if _MARKDOWN_LOADS is None:
        try:
            import tree_sitter_markdown
            from tree_sitter import Language

            Language(tree_sitter_markdown.language())
            _MARKDOWN_LOADS = True
        except Exception:
            _MARKDOWN_LOADS = False
    return "markdown" if _MARKDOWN_LOADS else None


_MARKDOWN_LOADS: bool | None = None


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def err_reason(err: JournalError) -> str:
    return getattr(err, "reason", None) or "see the message"


class EntryDetails(ModalScreen[dict | None]):
    """Linked skills, tags, mood and energy of one entry."""
    CSS_PATH = "../styles/journal.tcss"

    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "save", "Save")]

    def __init__(self, entry: Entry, service: JournalService) -> None:
        super().__init__()
        self.entry = entry
        self.service = service

    def compose(self) -> ComposeResult:
        skills = [s for s in self.service.skills().values() if s.status != "archived"]
        levels = [(f"{n}/5", n) for n in range(1, 6)]
        with Vertical(id="dialog", classes="form details"):
            yield Static("[b]Skills, tags, mood and energy[/b]", classes="form-title")
            yield Label("Linked skills (space toggles)")
            yield SelectionList(
                *[(markup_line(s.title), s.id, s.id in self.entry.skill_ids) for s in skills],
                id="skills",
            )
            with Horizontal(classes="details-row"):
                yield Label("Tags", classes="details-label")
                yield SafeInput(" ".join(f"#{t}" for t in self.entry.tags),
                            placeholder="#focus #work (#tags in the text count too)",
                            id="tags")
            with Horizontal(classes="details-row"):
                yield Label("Mood", classes="details-label")
                yield Select(levels, value=self.entry.mood or Select.NULL, prompt="–",
                             id="mood")
                yield Label("Energy", classes="details-label")
                yield Select(levels, value=self.entry.energy or Select.NULL, prompt="–",
                             id="energy")
            with Horizontal(classes="form-buttons"):
                yield Button("Save  ctrl+s", variant="primary", id="save")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        def level(widget_id: str) -> int | None:
            value = self.query_one(f"#{widget_id}", Select).value
            return value if isinstance(value, int) else None

        self.dismiss({
            "skill_ids": list(self.query_one(SelectionList).selected),
            "tags": journal_rules.normalise_tags(self.query_one("#tags", Input).value),
            "mood": level("mood"),
            "energy": level("energy"),
        })
