"""Journal: browse, search and read past entries (the browser half of the Journal screen).

The list never holds everything: it shows entries a page at a time and adds the next
page when the highlight gets near the end, so ten years of daily entries stay quick.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..domain import dates
from ..domain import journal as jr
from ..domain.models import Entry
from ..domain.text import markup_line, markup_lines, visible
from ..keymap import JOURNAL_KEYS, READER_KEYS, bindings
from ..services.journal import JournalService
from ..services.today import build_today
from ..widgets.calendar import MonthCalendar
from ..widgets.footer import KeyFooter
from ..widgets.text_fields import SafeInput
from .base import JournalScreen

PAGE = 150


def entries(n: int) -> str:
    """``1 entry``, ``2 entries``, ``0 entries``."""
    return f"{n} {'entry' if n == 1 else 'entries'}"


def entry_line(entry: Entry, skills: dict, width: int = 48) -> Text:
    """``Wed 18  First line of the entry  #tag · skill`` as one line of text.

    ``width`` is the room for the title; narrow lists drop the linked skill first.
    """
    day = dt.date.fromisoformat(entry.date)
    line = Text()
    line.append(f"{dates.list_day(day)} ", style="bold")
    line.append(visible(jr.entry_title(entry, width)))
    tags = jr.entry_tags(entry)
    if tags:
        line.append(visible("  " + " ".join(f"#{t}" for t in tags[: 3 if width >= 40 else 1])),
                    style="dim")
    linked = [skills[i].title for i in entry.skill_ids if i in skills]
    if linked and width >= 40:
        first = linked[0] if len(linked[0]) <= 24 else linked[0][:23] + "…"
        more = f" +{len(linked) - 1}" if len(linked) > 1 else ""
        line.append(visible(f"  · {first}{more}"), style="dim italic")
    return line


def _same_records(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class EntryList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class JournalBrowser(JournalScreen):
    """Past entries newest first, grouped by month; search; a calendar; a preview."""
    CSS_PATH = "../styles/journal.tcss"

    KEYS = JOURNAL_KEYS
    BINDINGS = bindings(JOURNAL_KEYS)

    def __init__(self) -> None:
        super().__init__(name="journal")
        self.service: JournalService | None = None
        self.show_archived = False
        self.results: list[Entry] = []
        self.shown = 0
        self.query_text = ""
        self._search_timer: Timer | None = None
        self._built_width: int | None = None  # the width the listed lines are cut to
        self._listing: tuple = ()  # what else the listed lines were made from

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="banner")
        with Horizontal(id="journal-body"):
            with Vertical(id="journal-left"):
                yield SafeInput(placeholder="search: words #tag skill: from: to: on:", id="search")
                yield Static(id="search-status")
                yield EntryList(id="entries")
            with Vertical(id="journal-right"):
                yield MonthCalendar(id="calendar")
                with VerticalScroll(id="preview-scroll", can_focus=False):
                    yield Static(id="preview")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one(EntryList).focus()
        self.call_after_refresh(self._fit_lines)  # lines fitted to the real width

    def on_resize(self) -> None:
        self._fit_lines()

    def _lines_width(self) -> int:
        """The width entry lines are cut to: the list's, once it has one."""
        width = self.query_one(EntryList).size.width
        return max(20, width - 2) if width else 200

    def _fit_lines(self) -> None:
        """Rebuild the list when its width is not the one its lines were cut to."""
        if self.service is not None and self._lines_width() != self._built_width:
            self.run_search(keep_highlight=True)

    # ------------------------------------------------------------------ data
    def _service(self) -> JournalService | None:
        repo = self.mj.repo
        if repo is None:
            return None
        if self.service is None or self.service.repo is not repo:
            self.service = JournalService(repo)
        return self.service

    def draw_view(self) -> None:
        service = self._service()
        self.draw_read_only_banner()
        today = self.mj.clock.today()
        calendar = self.query_one(MonthCalendar)
        if service is None:
            return
        calendar.setup(today, self.mj.config.first_weekday, service.days_with_entries)
        if not self.query_one(EntryList).size.width:
            return  # not laid out yet: _fit_lines fills the list once it has its width
        self.run_search(keep_highlight=True)

    def run_search(self, keep_highlight: bool = False) -> None:
        service = self._service()
        if service is None:
            return
        option_list = self.query_one(EntryList)
        keep = None
        if keep_highlight and option_list.highlighted is not None:
            keep = option_list.get_option_at_index(option_list.highlighted).id
        text = self.query_text
        query = jr.parse_query(text)
        results = [h.entry for h in service.search(text, archived=self.show_archived)]
        listing = (
            self._lines_width(), tuple(query.terms), self.show_archived,
            tuple((s.id, s.title) for s in service.skills().values()),
        )
        if listing != self._listing or not _same_records(results, self.results):
            # the lines would not be the same ones: list them again (entries and skills
            # are replaced, never changed in place, when saved)
            self.results = results
            self._listing = listing
            self.shown = 0
            self._built_width = listing[0]
            option_list.clear_options()
            self._month = None
            self._add_page()
        self._status(query)
        self._topbar()
        if keep and keep in {e.id for e in self.results[: self.shown]}:
            option_list.highlighted = option_list.get_option_index(keep)
        elif self.results:
            option_list.highlighted = self._first_entry_index()
        self._preview()

    def _first_entry_index(self) -> int:
        option_list = self.query_one(EntryList)
        for index in range(option_list.option_count):
            if not option_list.get_option_at_index(index).disabled:
                return index
        return 0

    def _add_page(self) -> None:
        service = self.service
        if service is None:
            return
        option_list = self.query_one(EntryList)
        skills = service.skills()
        terms = list(jr.parse_query(self.query_text).terms)
        options: list[Option] = []
        width = self._built_width or self._lines_width()
        page = self.results[self.shown : self.shown + PAGE]
        for entry in page:
            month = entry.date[:7]
            if month != self._month:
                self._month = month
                label = dates.month_label(dt.date.fromisoformat(entry.date))
                options.append(Option(Text(label, style="bold underline"), disabled=True))
            prompt = entry_line(entry, skills, max(24, width - 40))
            prompt.truncate(width, overflow="ellipsis")
            if terms:
                spans = jr.find_spans(entry.body, terms)
                excerpt, shifted = jr.snippet(entry.body, spans, 60)
                line = Text("   " + visible(excerpt), style="dim", no_wrap=True,
                            overflow="ellipsis")
                for start, end in shifted:
                    line.stylize("bold reverse", start + 3, end + 3)
                line.truncate(width, overflow="ellipsis")
                prompt = Text.assemble(prompt, "\n", line)
            options.append(Option(prompt, id=entry.id))
        self.shown += len(page)
        option_list.add_options(options)

    def _status(self, query: jr.Query) -> None:
        status = self.query_one("#search-status", Static)
        if query.problems:
            status.update("[$error]" + markup_line("; ".join(query.problems)) + "[/]")
        elif not query.empty:
            n = len(self.results)
            status.update(
                f"{entries(n)} {'matches' if n == 1 else 'match'} · esc clears"
                if n else "[$warning]No entry matches.[/] esc clears the search"
            )
        elif not self.results:
            status.update(
                "No archived entries." if self.show_archived
                else "No entries yet. Press [b]e[/b] to write today's."
            )
        else:
            status.update(
                "[$text-muted]Archived entries · u restores · A goes back[/]"
                if self.show_archived else ""
            )
        status.display = bool(query.problems or not query.empty or not self.results
                              or self.show_archived)

    def _topbar(self) -> None:
        total = len(self.service.entries()) if self.service else 0
        self.query_one("#topbar", Static).update(
            f"[b]Journal[/b]  {entries(total)}"
            + ("  ·  [$warning]showing archived[/]" if self.show_archived else "")
        )

    def highlighted_entry(self) -> Entry | None:
        option_list = self.query_one(EntryList)
        if option_list.highlighted is None or self.service is None:
            return None
        option = option_list.get_option_at_index(option_list.highlighted)
        if option.id is None:
            return None
        return self.service.repo.get(Entry, option.id)

    def _preview(self) -> None:
        entry = self.highlighted_entry()
        preview = self.query_one("#preview", Static)
        if entry is None:
            preview.update("")
            return
        skills = self.service.skills() if self.service else {}
        day = dt.date.fromisoformat(entry.date)
        head = [f"[b]{dates.day_long(day)}[/b]"]
        linked = [skills[i].title for i in entry.skill_ids if i in skills]
        if linked:
            head.append("[$text-muted]" + markup_line(", ".join(linked)) + "[/]")
        mood = [f"mood {entry.mood}/5" if entry.mood else "",
                f"energy {entry.energy}/5" if entry.energy else ""]
        if any(mood):
            head.append("[$text-muted]" + " · ".join(m for m in mood if m) + "[/]")
        body = entry.body if len(entry.body) < 1500 else entry.body[:1500] + "…"
        preview.update("\n".join(head) + "\n\n" + markup_lines(body))
        self.query_one(MonthCalendar).show_day(day)

    # ------------------------------------------------------------------ events
    @on(OptionList.OptionHighlighted, "#entries")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_list = self.query_one(EntryList)
        if (
            event.option_index >= option_list.option_count - 10
            and self.shown < len(self.results)
        ):
            self._add_page()
        self._preview()

    @on(OptionList.OptionSelected, "#entries")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open_entry()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(0.05, self.run_search)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_one(EntryList).focus()

    @on(MonthCalendar.DayChosen)
    def _day_chosen(self, event: MonthCalendar.DayChosen) -> None:
        search = self.query_one("#search", Input)
        search.value = f"on:{event.day.isoformat()}"
        self.query_text = search.value
        self.run_search()
        self.query_one(EntryList).focus()

    def on_key(self, event) -> None:
        if event.key == "escape":
            search = self.query_one("#search", Input)
            if search.value or search.has_focus or self.query_one(MonthCalendar).has_focus:
                search.value = ""
                self.query_text = ""
                self.run_search()
                self.query_one(EntryList).focus()
                event.stop()

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return self.show_archived
        if action == "archive":
            return not self.show_archived
        return True

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_calendar(self) -> None:
        self.query_one(MonthCalendar).focus()

    def action_month(self, step: int) -> None:
        self.query_one(MonthCalendar).shift_month(step)

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_bindings()
        self.run_search()

    def _active_skill_ids(self) -> list[str]:
        repo = self.mj.repo
        if repo is None:
            return []
        view = build_today(repo, self.mj.clock.today(), self.mj.config.first_weekday)
        return [s.skill.id for s in view.skills]

    def action_edit_today(self) -> None:
        service = self._service()
        if service is None:
            return
        today = self.mj.clock.today()
        existing = service.today_entries(today)
        entry = existing[0] if existing else service.new_entry(today, self._active_skill_ids())
        self.open_editor(entry)

    def action_new_entry(self) -> None:
        service = self._service()
        if service is None:
            return
        self.open_editor(service.new_entry(self.mj.clock.today(), self._active_skill_ids()))

    def open_editor(self, entry: Entry) -> None:
        from .editor import EditorScreen

        self.app.push_screen(EditorScreen(entry, self._service()))

    def action_open_entry(self) -> None:
        entry = self.highlighted_entry()
        if entry is not None:
            self.app.push_screen(EntryReader(entry, self), self._after_reader)

    def _after_reader(self, result: str | None) -> None:
        if result == "edit":
            entry = self.highlighted_entry()
            if entry is not None:
                self.open_editor(entry)

    def action_archive(self) -> None:
        entry = self.highlighted_entry()
        if entry is None or entry.archived:
            return
        title = jr.entry_title(entry, 40)

        def answered(yes: bool | None) -> None:
            if yes:
                self.archive(entry)

        self.app.push_screen(
            Confirm(f"Archive “{markup_line(title)}” of {entry.date}?\n"
                    "It leaves the list and search, and can be restored (A, then u)."),
            answered,
        )

    def archive(self, entry: Entry) -> None:
        service = self._service()
        if service is not None and self.write(lambda: service.archive(entry), what="archive"):
            self.notify(f"Archived the entry of {entry.date}. A shows archived entries.")
            self.run_search()

    def action_restore(self) -> None:
        entry = self.highlighted_entry()
        service = self._service()
        if entry is None or not entry.archived or service is None:
            return
        if self.write(lambda: service.restore(entry), what="restore"):
            self.notify(f"Restored the entry of {entry.date}.")
            self.run_search()


class Confirm(ModalScreen[bool]):
    CSS_PATH = "../styles/journal.tcss"
    BINDINGS = [("y", "yes", "Yes"), ("n,escape", "no", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Static(self.question)
            yield Static("[b]y[/b] yes    [b]n[/b] / esc no", classes="confirm-keys")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class EntryReader(ModalScreen[str | None]):
    """Read one entry rendered as Markdown."""
    CSS_PATH = "../styles/journal.tcss"

    KEYS = READER_KEYS
    BINDINGS = bindings(READER_KEYS)

    def __init__(self, entry: Entry, browser: JournalBrowser) -> None:
        super().__init__()
        self.entry = entry
        self.browser = browser

    def compose(self) -> ComposeResult:
        # imported here: Markdown (markdown-it, pygments) costs the Journal's first visit
        # ~30 ms otherwise, and only the reader needs it
        from textual.widgets import Markdown

        day = dt.date.fromisoformat(self.entry.date)
        tags = " ".join(f"#{t}" for t in jr.entry_tags(self.entry))
        archived = "  ·  [$warning]archived[/]" if self.entry.archived else ""
        with Vertical(id="dialog", classes="reader"):
            yield Static(
                f"[b]{dates.day_long(day)}[/b]  [$text-muted]{markup_line(tags)}[/]{archived}"
            )
            with VerticalScroll(id="reader-scroll"):
                yield Markdown(visible(self.entry.body, lines=True) or "*(empty entry)*")
        yield KeyFooter(compact=True, show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "archive":
            return not self.entry.archived
        if action == "restore":
            return self.entry.archived
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        self.dismiss("edit")

    def action_archive(self) -> None:
        self.dismiss(None)
        self.browser.action_archive()

    def action_restore(self) -> None:
        self.dismiss(None)
        self.browser.action_restore()
