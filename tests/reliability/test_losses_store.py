"""Ways a journal lost data that fault injection found from outside the project's own
suite (issue 15), each through the real CLI or the real store, each failing on the
store as it was before JournalStorage:

1. a symlinked journal path was replaced by a regular file and locked beside the link;
4. a save appended after a torn last line of the change log was glued onto it and
   skipped as damaged, although the command said ``done:``;
6. integers of 2^64 or more and NaN changed on a rewrite;
7. a CLI write rewrote the whole journal at exit;
and the change log laid blindly over a journal.json changed by another program (a
TinyDB insert took a pending save's document id), or deleted when journal.json had
been replaced by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from micro_journal.store import JournalLocked, Repository, open_journal, read_state
from micro_journal.store.changes import changes_path_for

from .conftest import DEMO_DAY

pytestmark = pytest.mark.usefixtures("isolated")


def checkin(box, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = box.run("checkin", *args, db=db)
    assert result.returncode == 0, result.stderr
    return result


def checkin_days(path: Path) -> list[tuple[str, str]]:
    return sorted((c["date"], c["status"]) for c in read_state(path)["checkins"].values())


# 1 ------------------------------------------------------------------------------


def test_a_symlinked_journal_stays_a_link_and_one_lock_covers_both_names(box, demo):
    """`--db` pointing at a link (into a synced folder, say): the link must stay a link,
    the real file must get every save, and a writer through the link and one through
    the real path must not both get in."""
    link = box.root / "journal-link.json"
    link.symlink_to(demo)
    checkin(box, link, "--note", "through the link")
    assert link.is_symlink(), "the first rewrite replaced the link by a regular file"
    with open_journal(demo, on_locked="refuse", fold=False):
        # the real path is open for writing: the link names the same journal
        with pytest.raises(JournalLocked):
            open_journal(link, on_locked="refuse")
        result = box.run("checkin", "--note", "second writer", "--wait", "0", db=link)
        assert result.returncode != 0 and "lock" in result.stderr
    with open_journal(link) as journal:
        journal.backup_now()  # a rewrite through the link
    assert link.is_symlink()
    notes = [c["note"] for c in read_state(demo)["checkins"].values()]
    assert "through the link" in notes and "second writer" not in notes
    assert not (box.root / "journal-link.json.lock").exists()


# 4 ------------------------------------------------------------------------------


def test_a_save_after_a_torn_log_tail_is_kept(box, demo):
    """A power cut mid-append leaves half a line; the next save must start on a line of
    its own, not be glued onto the fragment and skipped as damage."""
    checkin(box, demo, "--note", "before the power cut")
    log = changes_path_for(demo)
    assert log.exists()
    with log.open("ab") as f:
        f.write(b'0badc0de {"g":"cut short by the power go')  # no newline: never acknowledged
    result = checkin(box, demo, "eye contact", "--note", "after the power cut")
    assert "done" in result.stdout.lower() or result.stdout
    notes = {c["note"] for c in read_state(demo)["checkins"].values()}
    assert {"before the power cut", "after the power cut"} <= notes
    with open_journal(demo) as journal:
        assert not any("damaged" in n for n in journal.notices), journal.notices
    assert not list(demo.parent.glob("*.damaged-*"))


# 6 ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [10**30, 2**64, -(2**64), float("nan"), float("inf")],
                         ids=["10**30", "2**64", "-2**64", "nan", "inf"])
def test_a_number_a_rewrite_would_change_is_refused_and_nothing_changes(tmp_path, value):
    path = tmp_path / "journal.json"
    from micro_journal.store import JournalStorage

    with TinyDB(path, storage=JournalStorage) as db:
        db.insert({"kept": 1})
        before = path.read_bytes()
        with pytest.raises(Exception, match=r"number|digits") as caught:
            db.insert({"big": value})
        assert "Traceback" not in str(caught.value)
        assert db.all() == [{"kept": 1}]
    assert json.loads(path.read_bytes()) == json.loads(before)


def test_the_largest_exact_integers_survive_a_rewrite(tmp_path):
    from micro_journal.store import JournalStorage

    path = tmp_path / "journal.json"
    edges = [2**64 - 1, -(2**63), 2**53 + 1]
    with TinyDB(path, storage=JournalStorage) as db:
        db.insert({"n": edges})
    with TinyDB(path, storage=JournalStorage) as db:
        db.insert({"another": True})  # a rewrite at close
    with TinyDB(path) as plain:
        assert plain.all()[0]["n"] == edges


def test_a_cli_value_that_cannot_be_kept_is_refused_in_one_line(box, demo):
    before = demo.read_bytes()
    result = box.run("checkin", "--value", "nan", db=demo)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert demo.read_bytes() == before


# 7 ------------------------------------------------------------------------------


def test_a_cli_write_appends_and_leaves_the_journal_file_alone(box, demo):
    checkin(box, demo, "--note", "first of the day")  # takes the day's backup: a rewrite
    before = demo.stat()
    for n, skill in enumerate(["eye contact", "smile", "um"]):
        checkin(box, demo, skill, "--note", f"quick {n}")
        after = demo.stat()
        assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
            before.st_ino, before.st_size, before.st_mtime_ns
        ), "a one-shot command rewrote the whole journal"
    notes = {c["note"] for c in read_state(demo)["checkins"].values()}
    assert {"quick 0", "quick 1", "quick 2"} <= notes
    # the next app start folds them in; then plain TinyDB sees them too
    with open_journal(demo):
        pass
    assert not changes_path_for(demo).exists()
    with TinyDB(demo) as plain:
        assert {"quick 0", "quick 1", "quick 2"} <= {
            c["note"] for c in plain.table("checkins").all()}


# changed under the log ----------------------------------------------------------


def test_a_tinydb_insert_while_saves_are_pending_keeps_both(box, demo):
    """A script inserts with plain TinyDB while a CLI check-in waits in the log: the
    script's insert takes the same next document id. Both must survive, and the user
    be told."""
    checkin(box, demo, "--note", "first of the day")
    checkin(box, demo, "eye contact", "--note", "waiting in the log")
    checkin(box, demo, "um", "--note", "also waiting")  # the next id: must not collide
    assert changes_path_for(demo).exists()
    with TinyDB(demo) as plain:  # no lock, no log: TinyDB's own JSONStorage
        plain.table("checkins").insert({
            "id": "from-a-script", "skill_id": "x", "date": DEMO_DAY, "status": "done",
            "note": "inserted by a script", "created_at": "2026-11-18T09:00:00+00:00",
            "updated_at": "2026-11-18T09:00:00+00:00"})
    with open_journal(demo) as journal:
        notes = {c.note for c in Repository(journal).checkins()}
        [notice] = [n for n in journal.notices if "changed by another program" in n]
    assert {"waiting in the log", "also waiting", "inserted by a script"} <= notes
    assert "both are kept" in notice and "1 record got a new document id" in notice
    assert list(demo.parent.glob("journal.json.merged/journal.json*.changes.merged-*"))
    with TinyDB(demo) as plain:
        found = plain.table("checkins").search(Query().note == "waiting in the log")
        mine = plain.table("checkins").search(Query().id == "from-a-script")
    assert len(found) == 1 and len(mine) == 1 and found[0].doc_id != mine[0].doc_id


def test_a_log_left_when_the_journal_was_replaced_by_hand_is_merged_not_dropped(box, demo):
    checkin(box, demo, "--note", "first of the day")
    older = demo.with_name("older-copy.json")
    older.write_bytes(demo.read_bytes())
    data = json.loads(older.read_bytes())
    for row in data["meta"].values():
        row["changes_token"] = "a-copy-from-elsewhere"  # another file, as a restored copy
    older.write_text(json.dumps(data))
    checkin(box, demo, "eye contact", "--note", "saved before the swap")
    os.replace(older, demo)  # put in place by hand while the save waited in the log
    with open_journal(demo) as journal:
        notes = {c.note for c in Repository(journal).checkins()}
        assert any("changed by another program" in n for n in journal.notices)
    assert "saved before the swap" in notes
    assert list(demo.parent.glob("journal.json.merged/journal.json*.changes.merged-*"))


def test_a_journal_written_by_the_app_reads_whole_with_plain_tinydb(tmp_path):
    from micro_journal.domain.models import Entry, Objective
    from micro_journal.services.demo import write_demo

    path = tmp_path / "journal.json"
    import datetime as dt

    day = dt.date.fromisoformat(DEMO_DAY)
    with open_journal(path, today=lambda: day) as journal:
        repo = Repository(journal)
        write_demo(repo, day)
        repo.save(Objective(title="one more"))
        repo.save(Entry(date=DEMO_DAY, body="last words"))
        held = {t: len(journal.db.table(t)) for t in journal.db.tables()}
    with TinyDB(path) as plain:
        assert {t: len(plain.table(t)) for t in plain.tables()} == held
        assert plain.table("entries").search(Query().body == "last words")


def test_a_second_writer_through_tinydb_is_refused_while_the_app_has_it(tmp_path):
    from micro_journal.store import JournalStorage

    path = tmp_path / "journal.json"
    with open_journal(path):
        code = (
            "import sys\nfrom tinydb import TinyDB\n"
            "from micro_journal.store import JournalStorage, JournalLocked\n"
            "try:\n    TinyDB(sys.argv[1], storage=JournalStorage)\n"
            "except JournalLocked as err:\n    print(err); sys.exit(3)\n")
        result = subprocess.run([sys.executable, "-c", code, str(path)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 3 and "lock" in result.stdout
    with TinyDB(path, storage=JournalStorage) as db:
        db.insert({"now": "free"})
