"""17: a hypothesis state machine against a simple in-memory model.

Random adds, edits, archives and restores of entries, check-ins set and removed, saves
that fail on an injected I/O error, batches abandoned half way, and crash-and-reopen
(the journal closed without its pending batch, then opened again from disk). After
every step the repository must equal the model; after every reopen the disk must too.
``RELIABILITY_EXAMPLES`` sets the number of runs (default 40).
"""

from __future__ import annotations

import datetime as dt
import errno
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from micro_journal.domain.models import Entry
from micro_journal.services.journal import JournalService
from micro_journal.store import Repository, SaveError, open_journal
from micro_journal.store import storage as storage_mod

from .conftest import env_count

EXAMPLES = env_count("RELIABILITY_EXAMPLES", 40)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=40  # lone surrogates: see test 11
)
DAYS = st.dates(dt.date(2026, 12, 25), dt.date(2027, 1, 6))
SKILLS = st.sampled_from(["s1", "s2", "s3"])


class Crash(Exception):
    pass


class JournalMachine(RuleBasedStateMachine):
    entry_ids = Bundle("entry_ids")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="mj-stateful-"))
        self.path = self.folder / "journal.json"
        self.entries: dict[str, tuple[str, str, bool]] = {}  # id -> (date, body, archived)
        self.checkins: dict[tuple[str, str], str] = {}  # (skill, date) -> status
        self.reopens = 0
        self._open()

    def _open(self) -> None:
        self.journal = open_journal(self.path, today=lambda: dt.date(2027, 1, 1))
        self.repo = Repository(self.journal)
        self.service = JournalService(self.repo)

    def teardown(self) -> None:
        self.journal.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ rules
    @rule(target=entry_ids, day=DAYS, body=TEXT)
    def add(self, day, body):
        entry = self.service.save(Entry(date=day.isoformat(), body=body))
        self.entries[entry.id] = (entry.date, body, False)
        return entry.id

    @rule(entry_id=entry_ids, body=TEXT)
    def edit(self, entry_id, body):
        entry = self.repo.get(Entry, entry_id)
        self.service.save(entry, body=body)
        date, _, archived = self.entries[entry_id]
        self.entries[entry_id] = (date, body, archived)

    @rule(entry_id=entry_ids)
    def archive_or_restore(self, entry_id):
        entry = self.repo.get(Entry, entry_id)
        if entry.archived:
            self.service.restore(entry)
        else:
            self.service.archive(entry)
        date, body, archived = self.entries[entry_id]
        self.entries[entry_id] = (date, body, not archived)

    @rule(skill=SKILLS, day=DAYS, status=st.sampled_from(["done", "skipped"]))
    def check_in(self, skill, day, status):
        self.repo.set_checkin(skill, day, status)
        self.checkins[(skill, day.isoformat())] = status

    @rule(skill=SKILLS, day=DAYS)
    def undo_check_in(self, skill, day):
        self.repo.remove_checkin(skill, day)
        self.checkins.pop((skill, day.isoformat()), None)

    @rule(entry_id=entry_ids, body=TEXT, skill=SKILLS, day=DAYS,
          how=st.sampled_from(["append", "rewrite"]))
    def failing_save(self, entry_id, body, skill, day, how):
        """The disk fails (appending to the change log, or rewriting journal.json):
        nothing changes, in memory or on disk."""
        call = "fsync" if how == "append" else "replace"
        real = getattr(storage_mod.os, call)
        limit = self.journal.storage.compact_bytes
        if how == "rewrite":
            self.journal.storage.compact_bytes = 0  # the save must rewrite the file

        def broken(*a, **kw):
            raise OSError(errno.EIO, "Input/output error")

        setattr(storage_mod.os, call, broken)
        try:
            try:
                self.service.save(self.repo.get(Entry, entry_id), body=body + "!")
            except SaveError:
                pass
            else:
                raise AssertionError("a failed save was reported saved")
            try:
                self.repo.set_checkin(skill, day, "done", note="never")
            except SaveError:
                pass
            else:
                raise AssertionError("a failed check-in was reported saved")
        finally:
            setattr(storage_mod.os, call, real)
            self.journal.storage.compact_bytes = limit

    @rule(day=DAYS, body=TEXT, skill=SKILLS)
    def crash_mid_batch_and_reopen(self, day, body, skill):
        """Changes inside a batch that never finishes (the process dies), then reopen."""
        try:
            with self.repo.batch():
                self.repo.save(Entry(date=day.isoformat(), body=body))
                self.repo.set_checkin(skill, day, "done", note="pending")
                raise Crash
        except Crash:
            pass
        self.reopen()

    @rule()
    def reopen(self):
        """Stop as a killed process would (nothing more is written: the change log is
        left as it is) and open again from disk."""
        self.journal.close(fold=False)
        self.check_disk()
        self._open()
        self.reopens += 1
        self.check_disk()

    @rule()
    def close_and_reopen(self):
        """Quit normally (the change log is folded into journal.json) and open again."""
        self.journal.close()
        self.check_disk()
        self._open()
        self.check_disk()

    # ------------------------------------------------------------------ checks
    @invariant()
    def memory_matches_model(self):
        got = {e.id: (e.date, e.body, e.archived)
               for e in self.repo.entries(include_archived=True)}
        assert got == self.entries
        assert {(c.skill_id, c.date): c.status for c in self.repo.checkins()} == self.checkins

    def check_disk(self):
        from micro_journal.store import read_state

        if not self.path.exists():
            assert not self.entries and not self.checkins
            return
        data = read_state(self.path)
        got = {d["id"]: (d["date"], d["body"], d["archived"])
               for d in data.get("entries", {}).values()}
        assert got == self.entries
        assert {(d["skill_id"], d["date"]): d["status"]
                for d in data.get("checkins", {}).values()} == self.checkins


JournalMachine.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestJournalMachine = JournalMachine.TestCase


def test_stateful_figure(figures):
    figures.add(f"stateful: {EXAMPLES} hypothesis runs × up to 25 steps (adds, edits, archives, "
                "check-ins, failing appends and rewrites, crash mid-batch + reopen, kill and "
                "quit), model == memory after every step, == disk after every reopen")
