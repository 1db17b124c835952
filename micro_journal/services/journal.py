"""Journal use-cases: today's entry, saving with drafts, archive/restore, search; and
quick capture from the shell (``write_entry``, ``list_entries``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import journal as journal_rules
from ..domain.models import Entry, MicroSkill, utc_now_iso
from ..store.drafts import Draft, DraftStore
from ..store.repository import Repository
from ..store.sync import CONFLICTS
from ..store.views import EntryRows

CONFLICT_START = "\n\n──── another device's version {n}: keep what you want, delete the rest ────"
CONFLICT_END = "──── end of conflicting version ────"


def write_entry(
    repo: Repository, day: dt.date, body: str, skill_ids: list[str] | None = None
) -> Entry:
    """A new entry dated ``day`` with ``body``, saved; raises SaveError/ReadOnlyJournal.

    ``#tags`` in the body are the entry's tags (``domain.journal.entry_tags``); they are
    not copied into the tags field, so editing them out of the text removes them.
    """
    if not body.strip():
        raise ValueError("an entry needs some text")
    return repo.save(Entry(date=day.isoformat(), body=body, skill_ids=list(skill_ids or [])))


def list_entries(repo: Repository, since: dt.date | None = None) -> list[Entry]:
    """Entries that are not archived, newest first; only from ``since`` on when given."""
    entries = repo.entries()
    if since is None:
        return entries
    first = since.isoformat()
    return [e for e in entries if e.date >= first]


@dataclass(frozen=True)
class Hit:
    entry: Entry
    spans: list[tuple[int, int]]


class JournalService:
    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.drafts = DraftStore(repo.journal.path)
        self._folded: dict[str, tuple[str, str]] = {}  # id -> (updated_at, folded body)
        self._folded_tags: dict[str, tuple[str, list[str]]] = {}  # id -> (updated_at, tags)
        # newest first, per (journal version, archived); never changed: handed out as it is
        self._sorted: tuple[tuple[int, bool], EntryRows] | None = None
        self._days: tuple[int, dict[str, set[int]]] | None = None  # version, month -> days
        # (index in the entries, folded body) newest first, per journal version: what
        # search scans (no entry is made into a record to be searched)
        self._scan: tuple[tuple[int, bool], list[tuple[int, str]]] | None = None
        self._tags: tuple[tuple[int, bool], list[str]] | None = None  # aligned with _scan

    # ---------------------------------------------------------------- entries
    def entries(self, *, archived: bool = False) -> list[Entry]:
        """Newest first. ``archived=True`` lists only archived entries.

        Sorted once per change of the journal, not at every keystroke of a search.
        """
        return list(self._entries(archived))

    def _entries(self, archived: bool) -> EntryRows:
        """The entries newest first, each made into a record only when read: the
        Journal shows a screenful of ten years (store/views.py)."""
        key = (self.repo.version, archived)
        if self._sorted is None or self._sorted[0] != key:
            self._sorted = (key, self.repo.entry_rows(archived=archived))
        return self._sorted[1]

    def entry_count(self, *, archived: bool = False) -> int:
        """How many entries ``entries()`` lists, without a copy of the list."""
        return len(self._entries(archived))

    def today_entries(self, today: dt.date) -> list[Entry]:
        items = self._entries(False)
        key = today.isoformat()
        start = _first_before(items, key + "\uffff")  # the first dated ``key`` or before
        return [items[i] for i in range(start, _first_before(items, key))]

    def new_entry(self, today: dt.date, skill_ids: list[str]) -> Entry:
        """A new entry dated ``today`` (not saved until it has text)."""
        return Entry(date=today.isoformat(), skill_ids=list(skill_ids))

    @staticmethod
    def conflicting_versions(entry: Entry) -> list[str]:
        """Other devices' versions of this entry's text that a sync kept (store/sync.py)."""
        texts = entry.extra.get(CONFLICTS)
        return [t for t in texts if isinstance(t, str)] if isinstance(texts, list) else []

    def editable_text(self, entry: Entry) -> str:
        """The text the editor starts with: the entry's, then each conflicting version
        between marker lines, for the user to keep what they want of each."""
        text = entry.body
        for n, other in enumerate(self.conflicting_versions(entry), start=1):
            text += (f"{CONFLICT_START.format(n=n)}\n{other}\n{CONFLICT_END}\n")
        return text

    def save(self, entry: Entry, **changes) -> Entry:
        """Save ``entry`` with ``changes``; raises SaveError/ReadOnlyJournal. A new
        text resolves the entry's conflicting versions (the editor showed them in it)."""
        updated = entry.touched(**changes) if changes else entry.touched()
        if "body" in changes:
            updated.extra.pop(CONFLICTS, None)
        saved = self.repo.save(updated)
        self.drafts.delete(entry.id)
        return saved

    def is_saved(self, entry: Entry) -> bool:
        return self.repo.get(Entry, entry.id) is not None

    def archive(self, entry: Entry) -> Entry:
        return self.repo.save(entry.touched(archived=True))

    def restore(self, entry: Entry) -> Entry:
        return self.repo.save(entry.touched(archived=False))

    def skills(self) -> dict[str, MicroSkill]:
        return {s.id: s for s in self.repo.skills()}

    def days_with_entries(self, year: int, month: int) -> set[int]:
        """Day numbers of ``year``-``month`` that have an entry (not archived).

        The calendar asks at every move of the list's highlight: the month is found by
        bisecting the sorted entries (newest first) and kept until the journal changes,
        so a month costs its own entries, not the whole history.
        """
        version = self.repo.version
        if self._days is None or self._days[0] != version:
            self._days = (version, {})
        key = f"{year:04d}-{month:02d}"
        days = self._days[1].get(key)
        if days is None:
            items = self._entries(False)
            start = _first_before(items, f"{key}-99")  # past the month's last day
            end = _first_before(items, f"{key}-00")
            days = self._days[1][key] = {int(e.date[8:10]) for e in items[start:end]}
        return set(days)

    # ---------------------------------------------------------------- drafts
    def write_draft(self, entry: Entry, body: str) -> None:
        """Keep typed text safe outside the journal until the journal has it."""
        self.drafts.save(Draft(
            entry_id=entry.id, date=entry.date, body=body, saved_at=utc_now_iso(),
            skill_ids=list(entry.skill_ids), tags=list(entry.tags), mood=entry.mood,
            energy=entry.energy, created_at=entry.created_at,
        ))

    def pending_drafts(self) -> list[Draft]:
        """Drafts whose text the journal does not hold (those already saved are cleared)."""
        pending = []
        for draft in self.drafts.all():
            saved = self.repo.get(Entry, draft.entry_id)
            if saved is not None and saved.body == draft.body:
                if not self.repo.read_only:
                    self.drafts.delete(draft.entry_id)
                continue
            pending.append(draft)
        return pending

    def restore_draft(self, draft: Draft) -> Entry:
        saved = self.repo.get(Entry, draft.entry_id)
        if saved is None:
            entry = Entry(
                id=draft.entry_id, date=draft.date, body=draft.body,
                skill_ids=list(draft.skill_ids), tags=list(draft.tags),
                mood=draft.mood, energy=draft.energy,
            )
            if draft.created_at:
                entry.created_at = draft.created_at
            result = self.repo.save(entry)
        else:
            result = self.repo.save(saved.touched(body=draft.body))
        self.drafts.delete(draft.entry_id)
        return result

    # ---------------------------------------------------------------- search
    def _fold(self, entry: Entry) -> str:
        return self._folded_text(entry.id, entry.updated_at, entry.body)

    def _folded_text(self, ident: str, updated_at: str, body: str) -> str:
        cached = self._folded.get(ident)
        if cached and cached[0] == updated_at:
            return cached[1]
        folded = journal_rules.fold(body)
        self._folded[ident] = (updated_at, folded)
        return folded

    def _scan_list(self, archived: bool) -> list[tuple[int, str]]:
        key = (self.repo.version, archived)
        if self._scan is None or self._scan[0] != key:
            rows = self._entries(archived)
            fold = self._folded_text
            self._scan = (key, [(i, fold(*rows.stamp(i), rows.text(i)))
                                for i in range(len(rows))])
        return self._scan[1]

    def _tag_strings(self, archived: bool) -> list[str]:
        key = (self.repo.version, archived)
        if self._tags is None or self._tags[0] != key:
            rows = self._entries(archived)
            self._tags = (key, ["".join("\0" + t for t in self._tags_of(rows, i))
                                for i in range(len(rows))])
        return self._tags[1]

    def _fold_tags(self, entry: Entry) -> list[str]:
        return self._folded_tags_of(entry.id, entry.updated_at, entry.tags, entry.body)

    def _tags_of(self, rows: EntryRows, index: int) -> list[str]:
        return self._folded_tags_of(*rows.stamp(index), rows.tags(index), rows.text(index))

    def _folded_tags_of(self, ident: str, updated_at: str, tags: list[str], body: str
                        ) -> list[str]:
        cached = self._folded_tags.get(ident)
        if cached and cached[0] == updated_at:
            return cached[1]
        folded = [journal_rules.fold(t) for t in journal_rules.tags_of(tags, body)]
        self._folded_tags[ident] = (updated_at, folded)
        return folded

    def matches(self, text: str, *, archived: bool = False) -> Sequence[Entry]:
        """Entries matching the search box, newest first (the whole journal when it is
        empty). Made of the repository's own records: nothing is copied but the list."""
        query = journal_rules.parse_query(text)
        if query.empty:  # the whole journal (the list as it opens)
            return self._entries(archived)
        if not (query.skills or query.start or query.end):
            # words and #tags (search as you type): one tight scan of what is folded
            terms, wanted = query.terms, query.tags
            scan = self._scan_list(archived)
            if wanted:
                # each entry's folded tags as one string, "\0tag\0tag": a wanted tag is
                # one of them or the start of one exactly when "\0" + it is in there
                marks = ["\0" + want for want in wanted]
                scan = [pair for pair, tags in zip(scan, self._tag_strings(archived),
                                                   strict=True)
                        if all(mark in tags for mark in marks)]
            for term in terms:  # each word narrows the list, at the speed of a plain scan
                scan = [pair for pair in scan if term in pair[1]]
            return self._entries(archived).pick(i for i, _ in scan)
        skills = self.skills()
        hits: list[Entry] = []
        for entry in self._entries(archived):
            tags = self._fold_tags(entry) if query.tags else None
            if journal_rules.entry_matches(entry, query, self._fold(entry), skills, tags):
                hits.append(entry)
        return hits

    def search(self, text: str, *, archived: bool = False, limit: int | None = None) -> list[Hit]:
        """Entries matching the search box, newest first, with match spans in the body."""
        return [Hit(e, []) for e in self.matches(text, archived=archived)[:limit]]

    def spans(self, entry: Entry, text: str) -> list[tuple[int, int]]:
        return journal_rules.find_spans(entry.body, list(journal_rules.parse_query(text).terms))


def _first_before(items: EntryRows, date: str) -> int:
    """The index of the first of ``items`` (newest first) dated before ``date``."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items.date(mid) >= date:
            lo = mid + 1
        else:
            hi = mid
    return lo
