"""Journal: browse, search and read past entries (the browser half of the Journal screen).

The list never holds everything: it holds a window of the listed entries, about a
screenful plus a margin, and adds the next page when the highlight gets near an edge of
the window or the list is scrolled to one; End and Home jump by moving the window. Ten
or a hundred years of daily entries then cost what is on the screen, at the first visit
and at every key of a search.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ..domain import dates
from ..domain import journal as journal_rules
from ..domain.models import Entry
from ..domain.text import markup_line, markup_lines, visible
from ..keymap import JOURNAL_KEYS, bindings
from ..services.journal import EntryRows, JournalService
from ..services.today import build_today
from ..widgets.calendar import MonthCalendar
from ..widgets.footer import KeyFooter
from ..widgets.pieces import TextLines
from ..widgets.text_fields import SafeInput
from .base import JournalScreen
from .journal_reader import Confirm, EntryReader

MARGIN = 10  # entries built beyond what the list can show, so a step down never waits
FAST_SCAN = 0.008  # a search scan quicker than this (half a frame) runs at every key
DEBOUNCE = 0.04  # slower scans wait for this pause in the typing (a key after a pause runs)


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
    line.append(visible(journal_rules.entry_title(entry, width)))
    tags = journal_rules.entry_tags(entry)
    if tags:
        line.append(visible("  " + " ".join(f"#{t}" for t in tags[: 3 if width >= 40 else 1])),
                    style="dim")
    linked = [skills[i].title for i in entry.skill_ids if i in skills]
    if linked and width >= 40:
        first = linked[0] if len(linked[0]) <= 24 else linked[0][:23] + "…"
        more = f" +{len(linked) - 1}" if len(linked) > 1 else ""
        line.append(visible(f"  · {first}{more}"), style="dim italic")
    return line


def _same_records(a: Sequence, b: Sequence) -> bool:
    if isinstance(a, EntryRows):  # told from the documents: no entry is made to compare
        return a is b or a.same_as(b)
    return a is b or (len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True)))


def _index_of(results: Sequence[Entry], entry_id: str, entry: Entry | None) -> int | None:
    """Where the entry ``entry_id`` is in ``results`` (newest first), or None.

    Bisected by date when the entry is known (a search's results keep the journal's
    order), so finding the highlighted entry again does not walk ten years of entries.
    """
    if entry is None:
        return None
    lo, hi = 0, len(results)
    while lo < hi:  # the first entry not newer than this one's day
        mid = (lo + hi) // 2
        if results[mid].date > entry.date:
            lo = mid + 1
        else:
            hi = mid
    for index in range(lo, len(results)):
        if results[index].date != entry.date:
            break
        if results[index].id == entry_id:
            return index
    return None


class EntryList(OptionList):
    """The listed entries (a window of them); End and Home reach the journal's ends."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def action_first(self) -> None:
        browser = self.screen
        if not (isinstance(browser, JournalBrowser) and browser.jump(-1)):
            super().action_first()

    def action_last(self) -> None:
        browser = self.screen
        if not (isinstance(browser, JournalBrowser) and browser.jump(1)):
            super().action_last()


class SearchBox(SafeInput):
    """The search box. The browser lists each change as it is made, so the results are
    painted in the frame that shows the letter typed (a message would come a frame late)."""

    def watch_value(self, value: str) -> None:
        browser = self.screen if self.is_mounted else None
        if isinstance(browser, JournalBrowser):
            browser.search_typed()


class JournalBrowser(JournalScreen):
    """Past entries newest first, grouped by month; search; a calendar; a preview."""
    CSS_PATH = "../styles/journal.tcss"

    KEYS = JOURNAL_KEYS
    BINDINGS = bindings(JOURNAL_KEYS)

    def __init__(self) -> None:
        super().__init__(name="journal")
        self.service: JournalService | None = None
        self.show_archived = False
        # what the list lists, newest first: the service's records (never copied)
        self.results: Sequence[Entry] = ()
        self.query_text = ""
        self._search_timer: Timer | None = None
        self._built_width: int | None = None  # the width the listed lines are cut to
        self._listing: tuple = ()  # what else the listed lines were made from
        # the window of ``results`` in the list: results[_lo:_hi], and for each option
        # the index in ``results`` of its entry (None for a month's heading)
        self._lo = self._hi = 0
        self._rows: list[int | None] = []
        self._searched: tuple | None = None  # (text, archived, journal version) listed
        self._scan_seconds = 0.0  # how long the last search scan took
        self._searched_at = 0.0  # when the last search finished (perf_counter)
        self._edge_check_due = False
        self._previewed: tuple | None = None  # (entry, journal version) in the preview
        self._status_text: str | None = None
        self._topbar_text: str | None = None
        # the entry last opened in the editor: highlighted when the Journal comes back
        # (a new entry written there is listed, and is what the preview should show)
        self._edited_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="banner")
        with Horizontal(id="journal-body"):
            with Vertical(id="journal-left"):
                yield SearchBox(placeholder="search: words #tag skill: from: to: on:", id="search")
                yield Static(id="search-status")
                yield EntryList(id="entries")
            with Vertical(id="journal-right"):
                yield MonthCalendar(id="calendar")
                with VerticalScroll(id="preview-scroll", can_focus=False):
                    yield Static(id="preview")
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_view()
        option_list = self.query_one(EntryList)
        option_list.focus()
        self.watch(option_list, "scroll_y", self._scrolled, init=False)
        self.call_after_refresh(self._fit_lines)  # the width the layout gave the list

    def on_resize(self) -> None:
        self._fit_lines()

    def _lines_width(self) -> int:
        """The width entry lines are cut to: the list's (less its scrollbar)."""
        width = self.query_one(EntryList).size.width or self._width_before_layout()
        return max(20, width - 2) if width else 200

    def _width_before_layout(self) -> int:
        """The list's width as the stylesheet will lay it out, before it has been: the
        first frame then shows the entries (not an empty list, then a second frame).
        ``_fit_lines`` lists them again if the layout gives another width."""
        size = self.app.size
        right = self.query_one("#journal-right").styles
        left = self.query_one("#journal-left").styles
        if right.width is None or right.display == "none" or not size.width:
            return 0
        return max(0, size.width - int(right.width.resolve(size, size)) - left.padding.width)

    def _fit_lines(self) -> None:
        """Rebuild the list when its width is not the one its lines were cut to; add
        entries when it grew taller than what is built."""
        if self.service is None:
            return
        if self._lines_width() != self._built_width:
            self.run_search(keep_highlight=True)
        else:
            self._fill_view()

    # ------------------------------------------------------------------ data
    def _service(self) -> JournalService | None:
        repo = self.journal_app.repo
        if repo is None:
            return None
        if self.service is None or self.service.repo is not repo:
            self.service = JournalService(repo)
        return self.service

    def draw_view(self) -> None:
        service = self._service()
        self.draw_read_only_banner()
        today = self.journal_app.clock.today()
        calendar = self.query_one(MonthCalendar)
        if service is None:
            return
        calendar.setup(today, self.journal_app.config.first_weekday, service.days_with_entries)
        follow, self._edited_id = self._edited_id, None
        self.run_search(keep_highlight=True, follow=follow)

    def resumed_unchanged(self) -> None:
        self._edited_id = None  # the editor wrote nothing: the highlight stays

    def _search_key(self) -> tuple:
        repo = self.journal_app.repo
        return (self.query_text, self.show_archived, None if repo is None else repo.version)

    def run_search(self, keep_highlight: bool = False, follow: str | None = None) -> None:
        """List what the search box asks for. ``keep_highlight``: the highlighted entry
        stays highlighted when still listed; ``follow``: that entry is highlighted
        instead, when it is listed (the one just written in the editor)."""
        service = self._service()
        if service is None:
            return
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        option_list = self.query_one(EntryList)
        keep = None
        if keep_highlight and option_list.highlighted is not None:
            keep = option_list.get_option_at_index(option_list.highlighted).id
        text = self.query_text
        query = journal_rules.parse_query(text)
        started = time.perf_counter()
        results = service.matches(text, archived=self.show_archived)
        if follow is not None and _index_of(
                results, follow, service.repo.get(Entry, follow)) is not None:
            keep = follow
        self._searched_at = time.perf_counter()
        self._scan_seconds = self._searched_at - started
        self._searched = self._search_key()
        listing = (
            self._lines_width(), tuple(query.terms), self.show_archived,
            tuple((s.id, s.title) for s in service.skills().values()),
        )
        if listing != self._listing or not _same_records(results, self.results):
            # the lines would not be the same ones: list them again (entries and skills
            # are replaced, never changed in place, when saved), from the highlighted
            # entry when it is still listed, else from the newest
            self.results = results
            self._listing = listing
            self._built_width = listing[0]
            at = None
            if keep is not None:
                at = _index_of(results, keep, service.repo.get(Entry, keep))
            visible_count = self._visible_entries()
            lo = 0 if at is None or at < visible_count else at - visible_count
            self._fill(lo, min(len(results), max(lo, at or 0) + self._page()))
        self._status(query)
        self._topbar()
        index = self._option_index(keep) if keep else None
        if index is not None:
            option_list.highlighted = index
        elif self.results:
            if self._lo > 0:  # the newest entry, as a new listing starts
                self._fill(0, min(len(self.results), self._page()))
            option_list.highlighted = self._first_entry_index()
        self._preview()
        self.call_after_refresh(self._fill_view)

    # ------------------------------------------------------------------ the window
    def _visible_entries(self) -> int:
        """How many entries the list can show at once (at one or two lines each)."""
        # before the first layout: the terminal's height (a few rows more than the list's)
        height = self.query_one(EntryList).size.height or self.app.size.height or 40
        per_entry = 2 if self._listing and self._listing[1] else 1  # a search's snippets
        return max(5, math.ceil(height / per_entry))

    def _page(self) -> int:
        """Entries built at a time: a screenful and a margin."""
        return self._visible_entries() + MARGIN

    def _option_index(self, entry_id: str) -> int | None:
        try:
            return self.query_one(EntryList).get_option_index(entry_id)
        except OptionDoesNotExist:  # not in the window
            return None

    def _options(self, lo: int, hi: int, reuse: dict[str, Option] | None = None
                 ) -> tuple[list[Option], list[int | None]]:
        """The options of results[lo:hi]: each month's heading, then its entries."""
        service = self.service
        if service is None or lo >= hi:
            return [], []
        skills = service.skills()
        terms = list(journal_rules.parse_query(self.query_text).terms)
        width = self._built_width or self._lines_width()
        month = self.results[lo - 1].date[:7] if lo > 0 else None
        console = self.app.console
        options: list[Option] = []
        rows: list[int | None] = []
        for index in range(lo, hi):
            entry = self.results[index]
            if entry.date[:7] != month:
                month = entry.date[:7]
                label = dates.month_label(dt.date.fromisoformat(entry.date))
                options.append(Option(TextLines(Text(label, style="bold underline"), console),
                                      disabled=True))
                rows.append(None)
            option = reuse.get(entry.id) if reuse else None
            options.append(option or Option(
                TextLines(self._prompt(entry, skills, terms, width), console), id=entry.id))
            rows.append(index)
        return options, rows

    def _prompt(self, entry: Entry, skills: dict, terms: list[str], width: int) -> Text:
        prompt = entry_line(entry, skills, max(24, width - 40))
        prompt.truncate(width, overflow="ellipsis")
        if terms:
            spans = journal_rules.find_spans(entry.body, terms)
            excerpt, shifted = journal_rules.snippet(entry.body, spans, 60)
            line = Text("   " + visible(excerpt), style="dim", no_wrap=True,
                        overflow="ellipsis")
            for start, end in shifted:
                line.stylize("bold reverse", start + 3, end + 3)
            line.truncate(width, overflow="ellipsis")
            prompt = Text.assemble(prompt, "\n", line)
        return prompt

    def _fill(self, lo: int, hi: int, reuse: dict[str, Option] | None = None) -> None:
        """List results[lo:hi] (the highlight is cleared)."""
        option_list = self.query_one(EntryList)
        options, rows = self._options(lo, hi, reuse)
        # one change of the list's height, not a clear to nothing first (the scrollbar
        # would go and come back: two layouts of the screen at every key of a search)
        if options:
            option_list.set_options(options)
        else:
            option_list.clear_options()
        self._lo, self._hi, self._rows = lo, max(lo, hi), rows

    def _append(self) -> None:
        """The next page below the window."""
        if self._hi >= len(self.results):
            return
        hi = min(len(self.results), self._hi + self._page())
        options, rows = self._options(self._hi, hi)
        self.query_one(EntryList).add_options(options)
        self._rows.extend(rows)
        self._hi = hi

    def _prepend(self) -> None:
        """The page above the window, the view and the highlight staying where they are."""
        if self._lo <= 0:
            return
        option_list = self.query_one(EntryList)
        highlighted = option_list.highlighted
        keep = (option_list.get_option_at_index(highlighted).id
                if highlighted is not None else None)
        lines, scrolled = option_list.virtual_size.height, option_list.scroll_y
        reuse = {o.id: o for o in option_list.options if o.id is not None}
        with self.prevent(OptionList.OptionHighlighted):  # the same entry: no new preview
            self._fill(max(0, self._lo - self._page()), self._hi, reuse)
            index = self._option_index(keep) if keep else None
            if index is not None:
                option_list.highlighted = index
        # the lines added are all above what was shown: scroll down by as many
        option_list.scroll_to(y=scrolled + option_list.virtual_size.height - lines,
                              animate=False, immediate=True)

    def jump(self, direction: int) -> bool:
        """End (1) or Home (-1) beyond the window: list that end of the results and
        highlight its last or first entry. False when the window already holds it."""
        total = len(self.results)
        if (self._hi >= total) if direction > 0 else (self._lo <= 0):
            return False
        page = self._page()
        if direction > 0:
            self._fill(max(0, total - page), total)
            last = len(self._rows) - 1
            self.query_one(EntryList).highlighted = last
        else:
            self._fill(0, min(total, page))
            self.query_one(EntryList).highlighted = self._first_entry_index()
        return True

    def _near_edge(self, option_index: int | None) -> None:
        """Grow the window when the highlight is within a screenful of one of its edges."""
        if option_index is None or not 0 <= option_index < len(self._rows):
            return
        row = self._rows[option_index]
        if row is None:
            return
        visible_count = self._visible_entries()
        if self._hi - 1 - row < visible_count and self._hi < len(self.results):
            self._append()
        elif row - self._lo < visible_count and self._lo > 0:
            self._prepend()

    def _scrolled(self, old: float, new: float) -> None:
        if not self._edge_check_due:
            self._edge_check_due = True
            self.call_later(self._fill_view)

    def _fill_view(self) -> None:
        """Scrolled to an edge of the window (or the list is taller than it): add the
        page beyond that edge."""
        self._edge_check_due = False
        option_list = self.query_one(EntryList)
        if not option_list.size.height:
            return
        if self._hi < len(self.results) and self._at_end(option_list):
            while self._hi < len(self.results) and self._at_end(option_list):
                self._append()  # more than one page when the list is taller than a page
        elif self._lo > 0 and option_list.scroll_y == 0:
            self._prepend()

    def _at_end(self, option_list: EntryList) -> bool:
        """The list shows the end of the window (or has fewer options than rows)."""
        if len(self._rows) < option_list.size.height:
            return True
        # the lines are counted when the list is first drawn: until then, not the end
        return option_list.virtual_size.height > 0 and option_list.is_vertical_scroll_end

    def _first_entry_index(self) -> int:
        for index, row in enumerate(self._rows):
            if row is not None:
                return index
        return 0

    def _status(self, query: journal_rules.Query) -> None:
        status = self.query_one("#search-status", Static)
        if query.problems:
            text = "[$error]" + markup_line("; ".join(query.problems)) + "[/]"
        elif not query.empty:
            n = len(self.results)
            text = (
                f"{entries(n)} {'matches' if n == 1 else 'match'} · esc clears"
                if n else "[$warning]No entry matches.[/] esc clears the search"
            )
        elif not self.results:
            text = ("No archived entries." if self.show_archived
                    else "No entries yet. Press [b]e[/b] to write today's.")
        else:
            text = ("[$text-muted]Archived entries · u restores · A goes back[/]"
                    if self.show_archived else "")
        display = bool(query.problems or not query.empty or not self.results
                       or self.show_archived)
        if text != self._status_text:
            # one line before and after (a count that changed): no layout of the screen
            one_line = (status.display and display and self._status_text is not None
                        and max(Content.from_markup(t).cell_length
                                for t in (text, self._status_text)) <= status.content_size.width)
            self._status_text = text
            status.update(text, layout=not one_line)
        status.display = display

    def _topbar(self) -> None:
        total = self.service.entry_count() if self.service else 0
        text = (f"[b]Journal[/b]  {entries(total)}"
                + ("  ·  [$warning]showing archived[/]" if self.show_archived else ""))
        if text != self._topbar_text:
            self._topbar_text = text
            self.query_one("#topbar", Static).update(text, layout=False)  # one line high

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
        repo = self.journal_app.repo
        shown = (entry, None if repo is None else repo.version)
        if self._previewed is not None and self._previewed[0] is shown[0] \
                and self._previewed[1] == shown[1]:
            return  # drawn already (the highlight message after a search that drew it)
        self._previewed = shown
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
        calendar = self.query_one(MonthCalendar)
        if calendar.cursor != day:
            calendar.show_day(day)

    # ------------------------------------------------------------------ events
    @on(OptionList.OptionHighlighted, "#entries")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._near_edge(event.option_index)
        self._preview()

    @on(OptionList.OptionSelected, "#entries")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open_entry()

    def search_typed(self) -> None:
        """The search box changed: list what it says now, at once when scans are cheap
        (or typing had paused), else once typing pauses. Never an older text than the
        box's: a later change always lists again or restarts the wait."""
        self.query_text = self.query_one("#search", Input).value
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if self._search_key() == self._searched:
            return  # listed already
        if (
            self._scan_seconds < FAST_SCAN
            or time.perf_counter() - self._searched_at > DEBOUNCE
        ):
            self.run_search()
        else:  # slow scans while keys come quickly: wait for the typing to pause
            self._search_timer = self.set_timer(DEBOUNCE, self._search_now)

    def _search_now(self) -> None:
        self._search_timer = None
        self.query_text = self.query_one("#search", Input).value
        self.run_search()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.query_one(EntryList).focus()

    @on(MonthCalendar.DayChosen)
    def _day_chosen(self, event: MonthCalendar.DayChosen) -> None:
        search = self.query_one("#search", Input)
        search.value = f"on:{event.day.isoformat()}"  # listed by the box, or now:
        self.query_text = search.value
        if self._search_key() != self._searched or self._search_timer is not None:
            self.run_search()
        self.query_one(EntryList).focus()

    def on_key(self, event) -> None:
        if event.key == "escape":
            search = self.query_one("#search", Input)
            if search.value or search.has_focus or self.query_one(MonthCalendar).has_focus:
                cleared = bool(search.value)
                search.value = ""  # listed by the box (the whole journal again), or now:
                self.query_text = ""
                if not cleared or self._search_key() != self._searched \
                        or self._search_timer is not None:
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
        repo = self.journal_app.repo
        if repo is None:
            return []
        app = self.journal_app
        view = build_today(repo, app.clock.today(), app.config.first_weekday)
        return [s.skill.id for s in view.skills]

    def action_edit_today(self) -> None:
        service = self._service()
        if service is None:
            return
        today = self.journal_app.clock.today()
        existing = service.today_entries(today)
        entry = existing[0] if existing else service.new_entry(today, self._active_skill_ids())
        self.open_editor(entry)

    def action_new_entry(self) -> None:
        service = self._service()
        if service is None:
            return
        today = self.journal_app.clock.today()
        self.open_editor(service.new_entry(today, self._active_skill_ids()))

    def open_editor(self, entry: Entry) -> None:
        from .editor import EditorScreen

        service = self._service()
        if service is not None:
            self._edited_id = entry.id
            self.app.push_screen(EditorScreen(entry, service))

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
        title = journal_rules.entry_title(entry, 40)

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
        if service is None:
            return
        if self.write(lambda: service.archive(entry), what="archive") is not None:
            self.notify(f"Archived the entry of {entry.date}. A shows archived entries.")
            self.run_search()

    def action_restore(self) -> None:
        entry = self.highlighted_entry()
        service = self._service()
        if entry is None or not entry.archived or service is None:
            return
        if self.write(lambda: service.restore(entry), what="restore") is not None:
            self.notify(f"Restored the entry of {entry.date}.")
            self.run_search()
