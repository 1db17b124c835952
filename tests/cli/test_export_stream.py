"""Long commands stream (issue 17): export writes as it reads, import saves in batches,
verify parses once, and the progress bar runs over the writing too.

``fixtures/export_edge/edge-journal.json`` is a journal of awkward documents, made by hand
for this file: floats orjson writes in forms of its own (``1e-05``, ``2.5e-07``),
control characters, non-ASCII text, unknown fields, 0/1 flags, fields left to their
defaults, a second document with one id, days that do not exist, keys that are no
document id, ties in the creation time, entries whose ``#tags`` differ from their tags
field. ``export.json`` and ``export-2026-03-01-2026-06-30.json`` beside it are what the
export made of it *before* it streamed (the code of commit d271217, whole document
through ``json.dumps``), with the app's version written ``@APP_VERSION@``: the streaming
export must write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import errno
import itertools
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micro_journal import __version__
from micro_journal.domain.models import ALL_RECORD_TYPES, CheckIn, Entry
from micro_journal.services import portability as pt
from micro_journal.services.portability import json_export, records
from micro_journal.store import Repository, migrations, open_journal
from micro_journal.store.changes import changes_path_for
from micro_journal.store.files import leftover_temps
from tests.cli.cli_helpers import Sandbox, assert_one_line_error, files_under, load

EDGE = Path(__file__).parent / "fixtures" / "export_edge"


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def expected(name: str) -> bytes:
    text = (EDGE / name).read_text(encoding="utf-8")
    return text.replace("@APP_VERSION@", __version__).encode("utf-8")


def edge_journal(sandbox: Sandbox) -> Path:
    path = sandbox.root / "journal" / "journal.json"
    path.parent.mkdir(mode=0o700)
    shutil.copy(EDGE / "edge-journal.json", path)
    path.chmod(0o600)
    return path


def on_disk(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def the_journal(folder: Path) -> dict[str, bytes | None]:
    """The journal's own files, byte for byte: journal.json and its change log (not
    the lock, nor the day's backup that opening the journal makes, as it always has)."""
    return {name: data for name, data in on_disk(folder).items()
            if not name.endswith(".lock") and not name.startswith("backups")}


def reference_json(repo: Repository, span: pt.DateRange | None = None) -> str:
    """The JSON export as it was made before it streamed: every record made, sorted by
    ``Snapshot``, written by ``export_doc``, the whole document by ``json.dumps``."""
    span = span if span is not None else pt.DateRange()
    snap = pt.Snapshot(repo)
    tables = {}
    for cls in ALL_RECORD_TYPES:
        rows = []
        for record in snap.records[cls]:
            if not span.open:
                day = pt.record_day(record)
                if day is not None and not span.contains(day):
                    continue
            rows.append(pt.export_doc(record))
        tables[cls.TABLE] = rows
    document = {
        "format": pt.EXPORT_MARK,
        "schema_version": migrations.target_version(),
        "app_version": __version__,
        "range": {"from": span.start.isoformat() if span.start else None,
                  "to": span.end.isoformat() if span.end else None},
        "records": tables,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def stamp(n: int) -> str:
    return (dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=n)).isoformat()


def generated(path: Path, days: int, *, extra_checkins: int = 0) -> dict:
    """A journal as the app writes it: one skill, a check-in and an entry a day, a
    review a week, a goal every five days."""
    objective, skill = "0" * 31 + "1", "0" * 31 + "2"
    tables: dict[str, dict] = {
        "meta": {"1": {"schema_version": migrations.target_version()}},
        "objectives": {"1": {"id": objective, "created_at": stamp(0), "updated_at": stamp(0),
                             "title": "Speaking", "description": "", "archived": False}},
        "skills": {"1": {"id": skill, "created_at": stamp(0), "updated_at": stamp(0),
                         "objective_id": objective, "title": "Smile", "why": "",
                         "practice_minutes": 5,
                         "metric": {"name": "fillers", "unit": "", "direction": "lower",
                                    "baseline": 12, "target": 3},
                         "frequency_target": 7, "status": "active", "mastered_on": None,
                         "maintenance_days": None}},
        "checkins": {}, "entries": {}, "reviews": {}, "goals": {},
    }
    start = dt.date(2020, 1, 6)
    for n in range(days + extra_checkins):
        day = (start + dt.timedelta(days=n)).isoformat()
        key = str(n + 1)
        tables["checkins"][key] = {
            "id": f"c{n:031x}", "created_at": stamp(n), "updated_at": stamp(n),
            "skill_id": skill if n < days else f"{n:032x}", "date": day,
            "status": "done", "minutes": 5, "value": float(n % 12), "note": "steady"}
        if n >= days:
            continue
        tables["entries"][key] = {
            "id": f"e{n:031x}", "created_at": stamp(n), "updated_at": stamp(n), "date": day,
            "body": f"Day {n}: practised the pause. " * 8 + ("#calm" if n % 9 == 0 else ""),
            "skill_ids": [skill], "tags": ["voice"], "mood": 1 + n % 5, "energy": None,
            "archived": False}
        if n % 7 == 6:
            tables["reviews"][key] = {
                "id": f"r{n:031x}", "created_at": stamp(n), "updated_at": stamp(n),
                "week": (start + dt.timedelta(days=n - 6)).isoformat(),
                "objective_id": objective,
                "measurements": [{"skill_id": skill, "value": 5.0, "note": ""}],
                "worked": "steady", "adjust": "slower", "decision": "stack",
                "tweak_skill_id": None}
        if n % 5 == 0:
            tables["goals"][key] = {
                "id": f"g{n:031x}", "created_at": stamp(n), "updated_at": stamp(n),
                "objective_id": objective, "action": f"Goal {n}", "deadline": day,
                "skill_id": None, "success_metric": "", "estimate_minutes": None,
                "status": "open", "completed_at": None, "insight": "", "drop_reason": ""}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tables), encoding="utf-8")
    path.chmod(0o600)
    return tables


# ================================================================ the bytes do not change


def test_json_export_is_byte_identical_to_the_export_before_it_streamed(
    sandbox: Sandbox,
) -> None:
    journal = edge_journal(sandbox)
    before = the_journal(journal.parent)
    out = sandbox.root / "out" / "export.json"
    out.parent.mkdir()
    ok(sandbox.run("export", "-o", str(out), db=journal))
    assert out.read_bytes() == expected("export.json")
    assert (out.stat().st_mode & 0o777) == 0o600
    piped = subprocess.run([sys.executable, "-m", "micro_journal", "--db", str(journal),
                            "export"], capture_output=True, env=sandbox.env,
                           cwd=sandbox.root, timeout=60, stdin=subprocess.DEVNULL)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == expected("export.json")
    ranged = sandbox.root / "out" / "range.json"
    ok(sandbox.run("export", "--from", "2026-03-01", "--to", "2026-06-30", "-o", str(ranged),
                   db=journal))
    assert ranged.read_bytes() == expected("export-2026-03-01-2026-06-30.json")
    # the journal is read, never written
    assert the_journal(journal.parent) == before


def test_streamed_text_exports_are_the_whole_documents(tmp_path: Path) -> None:
    """Markdown, CSV and iCalendar written piece by piece are the texts made whole."""
    edge = tmp_path / "edge" / "journal.json"
    edge.parent.mkdir()
    shutil.copy(EDGE / "edge-journal.json", edge)
    big = tmp_path / "big" / "journal.json"
    generated(big, 1200)
    today = dt.date(2026, 11, 18)
    for path in (edge, big):
        with open_journal(path, read_only=True) as journal:
            repo = Repository(journal)
            for fmt in ("markdown", "csv", "ics", "json"):
                pieces = list(pt.iter_export(repo, fmt, today=today))
                assert path == edge or len(pieces) >= 2
                text = pt.export_text(repo, fmt, today=today)
                assert "".join(pt.decode_chunks(pieces)) == text
                target = path.parent / f"out.{fmt}"
                pt.export_to_file(repo, fmt, target, today=today)
                assert target.read_bytes() == pt.encode_export(text, fmt, to_file=True)


def test_a_generated_journal_exports_as_its_records_do(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch,
) -> None:
    journal = sandbox.root / "journal" / "journal.json"
    generated(journal, 800)
    out = sandbox.root / "out.json"
    ok(sandbox.run("export", "-o", str(out), db=journal))
    with open_journal(journal, read_only=True) as opened:
        repo = Repository(opened)
        want = reference_json(repo)
        assert out.read_bytes() == want.encode("utf-8")
        monkeypatch.setattr(json_export, "JSON_CHUNK", 7)  # many pieces, each table split
        span = pt.DateRange(dt.date(2020, 6, 1), dt.date(2021, 2, 1))
        assert pt.export_json(repo, span=span) == reference_json(repo, span)


# documents of every table, each field sometimes replaced by an awkward value, dropped,
# or joined by an unknown one: the export must make of them what the records make
AWKWARD = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 8), st.integers(-2**63, 2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-05, 2.5e-07, 1e-4, 9.99e-5, -3e-9, 0.0, -0.0, 1e15, 1e16, 5.0]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=6),
    st.sampled_from(["", "#tag", "#Tag #café x#no", "2026-02-30", "2026-03-01", "done",
                     "open", "stack", "2026-03-01T10:00:00+00:00", "0" * 32]),
    st.lists(st.sampled_from(["a", "#B", " c ", "", "0" * 32, "É"]), max_size=3),
)


def _base_docs() -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as folder:
        tables = generated(Path(folder) / "journal.json", 14)
    tables["plans"] = {"1": {"id": "p" * 32, "created_at": stamp(1), "updated_at": stamp(1),
                             "objective_id": "0" * 31 + "1", "start_week": "2020-01-06",
                             "weeks": [{"skill_id": "0" * 31 + "2"}], "status": "active",
                             "ended_on": None}}
    tables["period_reviews"] = {"1": {"id": "q" * 32, "created_at": stamp(1),
                                      "updated_at": stamp(2), "period": "2020-Q1",
                                      "note": ""}}
    return tables


BASE = _base_docs()


@st.composite
def awkward_journal(draw) -> dict:
    tables = json.loads(json.dumps(BASE))
    for name, docs in tables.items():
        if name == "meta":
            continue
        for key in list(docs):
            doc = docs[key]
            for field in draw(st.lists(st.sampled_from(sorted(doc)), max_size=2)):
                if draw(st.booleans()):
                    doc[field] = draw(AWKWARD)
                else:
                    doc.pop(field, None)
            if draw(st.integers(0, 9)) == 0:
                doc[draw(st.sampled_from(["x", "skill_id2", "objective_id"]))] = draw(AWKWARD)
            if draw(st.integers(0, 19)) == 0:
                docs[draw(st.sampled_from(["007", "abc", key + "0"]))] = dict(doc)
    return tables


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=awkward_journal(), chunk=st.integers(1, 5),
       first=st.sampled_from([None, "2020-01-09"]), last=st.sampled_from([None, "2020-01-15"]))
def test_the_export_of_any_journal_is_what_its_records_make(
    tables: dict, chunk: int, first: str | None, last: str | None,
) -> None:
    span = pt.DateRange(first and dt.date.fromisoformat(first),
                        last and dt.date.fromisoformat(last))
    old_chunk = json_export.JSON_CHUNK
    json_export.JSON_CHUNK = chunk
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "journal.json"
            path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
            with open_journal(path, read_only=True) as journal:
                repo = Repository(journal)
                assert pt.export_json(repo, span=span) == reference_json(repo, span)
                # references, read from the fields, are what a walk of to_dict() finds
                for cls in ALL_RECORD_TYPES:
                    for record in repo.all(cls):
                        data = record.to_dict()
                        data.pop("id", None)
                        walked = list(records._walk_references(data, ""))
                        assert list(pt.references(record)) == walked
    finally:
        json_export.JSON_CHUNK = old_chunk


# ================================================================ progress covers the write


def test_the_progress_runs_over_the_writing_up_to_the_file_in_place(tmp_path: Path) -> None:
    path = tmp_path / "j" / "journal.json"
    generated(path, 3000)
    target = tmp_path / "out.json"
    seen: list[tuple[float, int, bool]] = []

    def progress(done: int, total: int) -> None:
        temps = leftover_temps(target)
        size = temps[0].stat().st_size if temps else -1
        seen.append((done / total, size, target.exists()))

    with open_journal(path, read_only=True) as journal:
        pt.export_to_file(Repository(journal), "json", target, today=dt.date(2026, 11, 18),
                          progress=progress)
    shares = [share for share, _size, _there in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert all(not there for _share, _size, there in seen[:-1]) and seen[-1][2]
    # the file grows as the bar runs: a report after every piece of JSON_CHUNK records
    # written (never the whole file at once), and no step of the bar is long
    sizes = [max(0, size) for _share, size, _there in seen[:-1]]
    grew = [b - a for a, b in itertools.pairwise(sizes) if b > a]
    assert len(grew) >= 6000 // pt.JSON_CHUNK
    assert max(grew) < 400_000 < target.stat().st_size // 5
    assert max(b - a for a, b in itertools.pairwise(shares)) < 0.1
    with open_journal(path, read_only=True) as journal:
        assert target.read_bytes() == reference_json(Repository(journal)).encode()


def test_the_bar_reaches_100_percent_when_exporting_to_a_file(
    sandbox: Sandbox, journal: Path,
) -> None:
    target = sandbox.root / "export.json"
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "micro_journal", "--db", str(journal), "export", "-o",
             str(target)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
            env=sandbox.env, cwd=sandbox.root,
        )
        os.close(slave)
        slave = -1
        out, _ = proc.communicate(timeout=60)
        seen = b""
        while select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)
    assert proc.returncode == 0
    assert b"Exporting json" in seen and b"100%" in seen
    assert seen.endswith(b"\r\x1b[2K")  # and cleared away
    assert out.decode().startswith("Wrote the json export to")
    json.loads(target.read_bytes())


# ================================================================ an export cut short


# the disk fills up once FULL_AFTER bytes went into the folder FULL_IN (the export's;
# the day's backup beside the journal is written as usual)
DISK_FULL = r'''
import errno, os, sys
from micro_journal.store import files
real, written = files.write_all, [0]
def full(fd, data):
    if os.readlink(f"/proc/self/fd/{fd}").startswith(os.environ["FULL_IN"]):
        written[0] += len(data)
        if written[0] > int(os.environ["FULL_AFTER"]):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    real(fd, data)
files.write_all = full
from micro_journal.cli import main
raise SystemExit(main(sys.argv[1:]))
'''


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an fd's file: Linux")
@pytest.mark.parametrize("fmt", ["json", "markdown", "csv", "ics"])
@pytest.mark.parametrize("existing", [False, True])
def test_a_full_disk_part_way_leaves_no_partial_file_and_the_journal_untouched(
    sandbox: Sandbox, fmt: str, existing: bool,
) -> None:
    journal = sandbox.root / "journal" / "journal.json"
    generated(journal, 400)
    folder = sandbox.root / "out"
    folder.mkdir()
    target = folder / f"export.{fmt}"
    if existing:
        target.write_bytes(b"the export of last week")
    before, listing = the_journal(journal.parent), files_under(folder)
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL, "--db", str(journal), "export", "-f", fmt, "-o",
         str(target)],
        capture_output=True, text=True,
        env={**sandbox.env, "FULL_AFTER": "3000", "FULL_IN": str(folder) + os.sep},
        cwd=sandbox.root, timeout=60, stdin=subprocess.DEVNULL)
    assert_one_line_error(result, 2)
    assert "the disk is full" in result.stderr and str(target) in result.stderr
    assert files_under(folder) == listing  # no temporary file left, nothing new
    if existing:
        assert target.read_bytes() == b"the export of last week"
    assert the_journal(journal.parent) == before


def test_an_export_that_cannot_be_encoded_leaves_no_partial_file(sandbox: Sandbox) -> None:
    """A lone surrogate in a field this version does not know (another program wrote
    it): standard output gets its escape, a file is refused in one line — after
    thousands of records were written — and nothing is left behind."""
    journal = sandbox.root / "journal" / "journal.json"
    tables = generated(journal, 2000)
    tables["goals"]["1"]["comment"] = "\udcff"
    journal.write_text(json.dumps(tables), encoding="utf-8")  # (written as its escape)
    folder = sandbox.root / "out"
    folder.mkdir()
    result = sandbox.run("export", "-o", str(folder / "export.json"), db=journal)
    assert_one_line_error(result, 2)
    assert "U+DCFF" in result.stderr
    assert list(folder.iterdir()) == []
    piped = subprocess.run([sys.executable, "-m", "micro_journal", "--db", str(journal),
                            "export"], capture_output=True, env=sandbox.env,
                           cwd=sandbox.root, timeout=60, stdin=subprocess.DEVNULL)
    assert piped.returncode == 0 and b'"comment": "\\udcff"' in piped.stdout


def test_an_unwritable_folder_is_refused_before_anything_is_read(
    sandbox: Sandbox, journal: Path,
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = sandbox.root / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    before = on_disk(journal.parent)
    try:
        result = sandbox.run("export", "-o", str(locked / "out.json"), db=journal)
    finally:
        locked.chmod(0o700)
    assert_one_line_error(result, 2)
    assert "permission denied" in result.stderr
    assert list(locked.iterdir()) == [] and on_disk(journal.parent) == before


def test_a_rename_that_fails_leaves_the_old_export(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "j" / "journal.json"
    generated(path, 300)
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def refuse(*_args: object) -> None:
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(os, "replace", refuse)
    with open_journal(path, read_only=True) as journal, pytest.raises(
            pt.PortabilityError, match="permission denied"):
        pt.export_to_file(Repository(journal), "json", target, today=dt.date(2026, 11, 18))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j", "out.json"]


# ================================================================ import in batches


def export_of(tables: dict) -> dict:
    return {"format": pt.EXPORT_MARK, "schema_version": migrations.target_version(),
            "app_version": __version__, "range": {"from": None, "to": None},
            "records": {name: list(docs.values()) for name, docs in tables.items()
                        if name != "meta"}}


def test_a_large_import_is_saved_in_batches_and_every_record_arrives(
    sandbox: Sandbox, journal: Path,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables = generated(Path(folder) / "journal.json", 1500)
    export = sandbox.root / "big.json"
    export.write_text(json.dumps(export_of(tables)), encoding="utf-8")
    wanted = sum(len(docs) for name, docs in tables.items() if name != "meta")
    def saves() -> int:  # lines of the change log that save something (not its header)
        changes = changes_path_for(journal)  # the log the command writes (its device's)
        if not changes.exists():
            return 0
        return sum(1 for line in changes.read_bytes().splitlines()
                   if b'"ops":[]' not in line)

    saves_before = saves()
    result = ok(sandbox.run("import", str(export), db=journal))
    assert f"added {wanted} " in result.stdout
    saved = load(journal)
    for name, docs in tables.items():
        if name != "meta":
            ids = {d["id"] for d in saved[name].values()}
            assert {d["id"] for d in docs.values()} <= ids
    # one line of the change log per atomic save: a batch of IMPORT_BATCH records each
    batches = -(-wanted // pt.IMPORT_BATCH)
    assert wanted > 2 * pt.IMPORT_BATCH
    assert saves() - saves_before == batches
    again = ok(sandbox.run("import", str(export), db=journal))
    assert f"added 0; updated 0; skipped {wanted}" in again.stdout


def test_import_progress_and_a_save_failing_part_way(tmp_path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tables = generated(Path(folder) / "journal.json", 1500)
    incoming = pt.load_import(json.dumps(export_of(tables)).encode())
    total = len(incoming.records)
    path = tmp_path / "journal.json"
    with open_journal(path, on_locked="refuse") as journal:
        repo = Repository(journal)
        storage = journal.storage
        writes: list[int] = []

        def third_fails(real):
            def write(*args):
                writes.append(1)
                if len(writes) == 3:  # the disk fills up at the third save
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real(*args)
            return write

        real = storage._append, storage._write_snapshot
        storage._append, storage._write_snapshot = map(third_fails, real)
        with pytest.raises(pt.ImportInterrupted) as caught:
            pt.apply_import(repo, incoming, source="big.json")
        assert caught.value.saved == 2 * pt.IMPORT_BATCH
        assert "the disk is full" in str(caught.value)
        assert "import the file again" in str(caught.value)
        storage._append, storage._write_snapshot = real
        assert len(repo.all(CheckIn)) + len(repo.all(Entry)) <= 2 * pt.IMPORT_BATCH
        seen: list[tuple[int, int]] = []
        report = pt.apply_import(repo, incoming, source="big.json",
                                 progress=lambda d, t: seen.append((d, t)))
    assert sum(report.added.values()) == total - 2 * pt.IMPORT_BATCH
    assert sum(report.skipped.values()) == 2 * pt.IMPORT_BATCH
    shares = [d / t for d, t in seen]
    assert shares == sorted(shares) and shares[-1] == 1.0
    saved = load(path)
    assert sum(len(saved.get(n, {})) for n in tables if n != "meta") == total


# ================================================================ verify parses once


def test_verify_parses_the_journal_once(sandbox: Sandbox, journal: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ok(sandbox.run("write", "a note #tag", db=journal))  # a save waits in the change log
    assert changes_path_for(journal).exists()
    from micro_journal.store import files

    calls = []
    real = files.fast_loads

    def counting(raw):
        calls.append(len(raw))
        return real(raw)

    monkeypatch.setattr(files, "fast_loads", counting)
    report = pt.verify_path(journal)
    assert report.sound, report.render()
    assert any("not yet folded" in note for note in report.notes)
    big = [n for n in calls if n >= journal.stat().st_size // 2]
    assert len(big) == 1, calls  # journal.json once (the change log's lines are small)
    assert report.counts["entries"] == len(load(journal)["entries"])
