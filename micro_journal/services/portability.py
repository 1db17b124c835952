"""Data portability, shared by the plain commands and the app.

* exporters: the whole journal as lossless JSON (with its schema version), a Markdown
  document week by week, the check-ins as CSV, and an iCalendar (RFC 5545) file of the
  plan's daily practice and the micro-goal deadlines; each written as it is made
  (``iter_export``, ``export_to_file``), never held whole in memory;
* importers: our own JSON export (or a journal/backup file), matched by record id, and
  jrnl's ``jrnl --export json``; everything is parsed and checked before anything is
  written, then saved in atomic batches of a thousand records;
* verify (parse, schema, fields, every reference resolves), the week's summary in
  Markdown, stats, and backup/restore under the journal's lock.

Nothing here prints: long work reports through a ``progress(done, total)`` callback and
bad input raises :class:`PortabilityError` with a one-line message.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import operator
import re
import sys
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import dates, rules
from ..domain.journal import entry_tags, normalise_tags, tags_of
from ..domain.models import (
    ALL_RECORD_TYPES,
    DECISIONS,
    GOAL_STATUSES,
    MINUTES_MAX,
    NUMBER_MAX,
    CheckIn,
    Entry,
    Measurement,
    MicroGoal,
    MicroSkill,
    Objective,
    Plan,
    Record,
    RecordError,
    WeeklyReview,
    check_date,
)
from ..store import migrations
from ..store.backups import (
    MANUAL_PREFIX,
    backup_dir_for,
    list_backups,
    read_backup,
    restore_backup,
)
from ..store.errors import JournalError
from ..store.files import (
    TMP_MARK,
    atomic_write,
    check_shape,
    describe_os_error,
    json_text,
    parse_journal_bytes,
)
from ..store.journal import Journal
from ..store.repository import Repository, read_document
from ..store.storage import lock_path_for, real_path
from ..store.table import doc_id as table_doc_id

Progress = Callable[[int, int], None]

EXPORT_FORMATS = ("json", "markdown", "csv", "ics")
IMPORT_FORMATS = ("json", "jrnl")
EXPORT_MARK = "micro-journal-export"
FILE_SUFFIX = {"json": ".json", "markdown": ".md", "csv": ".csv", "ics": ".ics"}
CSV_COLUMNS = ("date", "objective", "skill", "status", "minutes", "value", "note")
ICS_PRODID = "-//micro-journal//micro-journal export//EN"
# a fixed namespace, so the same jrnl entry always gets the same id
JRNL_NAMESPACE = uuid.UUID("6f1d3c1e-8a51-4f0e-9a57-2d8b7f3e2a10")


class PortabilityError(ValueError):
    """Bad input (a malformed file, an unknown format…); the message is one line."""


def _noop(done: int, total: int) -> None:
    pass


def by_table() -> dict[str, type[Record]]:
    return {cls.TABLE: cls for cls in ALL_RECORD_TYPES}


# ===================================================================== dates and ranges


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of local dates; either end may be open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise PortabilityError(
                f"--from {self.start.isoformat()} is after --to {self.end.isoformat()}"
            )

    @property
    def open(self) -> bool:
        return self.start is None and self.end is None

    def contains(self, day: dt.date | str | None) -> bool:
        if self.open:
            return True
        day = _as_date(day)
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return (self.start is None or last >= self.start) and (
            self.end is None or first <= self.end
        )


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def completed_day(goal: MicroGoal, day_start_hour: int = 0) -> dt.date | None:
    """The local day a goal was done: the wall time of ``completed_at`` (kept with the
    user's offset), shifted by the day-start hour as "today" is."""
    if not goal.completed_at:
        return None
    try:
        moment = dt.datetime.fromisoformat(goal.completed_at)
    except ValueError:
        return _as_date(goal.completed_at)
    return (moment - dt.timedelta(hours=day_start_hour)).date()


def record_day(record: Record) -> dt.date | None:
    """The local date a dated record belongs to (None for undated ones)."""
    for name in ("date", "week", "deadline"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return _as_date(value)
    return None


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _short_date(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(round(float(value), 6))


# ===================================================================== the journal in memory


def _phases(progress: Progress) -> tuple[Progress, Progress]:
    """``progress`` split in two halves: reading the records, then making and writing
    the export; it never goes back (a kind of record read late counts for nothing)."""
    scale, last = 1000, [0]

    def report(done: int, total: int, start: int) -> None:
        at = start + min(scale, done * scale // max(1, total))
        if at >= last[0]:
            last[0] = at
            progress(at, 2 * scale)

    return (lambda done, total: report(done, total, 0),
            lambda done, total: report(done, total, scale))


class _RecordsByType(dict):
    """record class -> its records sorted by (created, id), read when first asked for:
    a CSV of the check-ins never reads a hundred years of entries."""

    def __init__(self, repo: Repository, loaded: Callable[[type[Record]], None]) -> None:
        super().__init__()
        self._repo, self._loaded = repo, loaded

    def __missing__(self, cls: type[Record]) -> list[Record]:
        records = self[cls] = sorted(self._repo.all(cls), key=lambda r: (r.created_at, r.id))
        self._loaded(cls)
        return records


class Snapshot:
    """Every record of a repository, with the look-ups the exporters need; each kind is
    read the first time it is used (nothing is read to count them first). ``progress``
    moves on as each kind is read: 1 of 2, 2 of 3, 3 of 4…"""

    def __init__(self, repo: Repository, progress: Progress = _noop) -> None:
        read: list[int] = [0]

        def loaded(cls: type[Record]) -> None:
            read[0] += 1
            progress(read[0], read[0] + 1)

        self.records: dict[type[Record], list[Record]] = _RecordsByType(repo, loaded)
        self._weeks: dict[dt.date, list[CheckIn]] = {}
        self._weeks_start: int | None = None

    @functools.cached_property
    def objectives(self) -> dict[str, Objective]:
        return {o.id: o for o in self.records[Objective]}  # type: ignore[misc]

    @functools.cached_property
    def skills(self) -> dict[str, MicroSkill]:
        return {s.id: s for s in self.records[MicroSkill]}  # type: ignore[misc]

    @functools.cached_property
    def plans(self) -> list[Plan]:
        return list(self.records[Plan])  # type: ignore[arg-type]

    @functools.cached_property
    def checkins(self) -> list[CheckIn]:
        return sorted(
            self.records[CheckIn], key=lambda c: (c.date, c.created_at, c.id)  # type: ignore[attr-defined]
        )

    @functools.cached_property
    def entries(self) -> list[Entry]:
        return sorted(
            self.records[Entry], key=lambda e: (e.date, e.created_at, e.id)  # type: ignore[attr-defined]
        )

    @functools.cached_property
    def reviews(self) -> list[WeeklyReview]:
        return sorted(
            self.records[WeeklyReview], key=lambda r: (r.week, r.created_at)  # type: ignore[attr-defined]
        )

    @functools.cached_property
    def goals(self) -> list[MicroGoal]:
        return sorted(
            self.records[MicroGoal], key=lambda g: (g.deadline, g.created_at, g.id)  # type: ignore[attr-defined]
        )

    @functools.cached_property
    def by_skill(self) -> dict[str, list[CheckIn]]:
        found: dict[str, list[CheckIn]] = defaultdict(list)
        for c in self.checkins:
            found[c.skill_id].append(c)
        return found

    @functools.cached_property
    def reviews_by_week(self) -> dict[str, list[WeeklyReview]]:
        found: dict[str, list[WeeklyReview]] = defaultdict(list)
        for r in self.reviews:
            found[r.week].append(r)
        return found

    def week_checkins(self, first: dt.date) -> list[CheckIn]:
        """The check-ins of the week that starts on ``first``."""
        if self._weeks_start != first.weekday():  # (re)index for this week start
            self._weeks_start, self._weeks = first.weekday(), defaultdict(list)
            for c in self.checkins:
                day = _as_date(c.date)
                if day is not None:
                    self._weeks[dates.week_start(day, first.weekday())].append(c)
        return self._weeks.get(first, [])

    def total(self) -> int:
        return sum(len(self.records[cls]) for cls in ALL_RECORD_TYPES)

    def skill_title(self, skill_id: str | None) -> str:
        skill = self.skills.get(skill_id or "")
        return skill.title if skill else "(missing skill)"

    def objective_of(self, skill_id: str | None) -> Objective | None:
        skill = self.skills.get(skill_id or "")
        return self.objectives.get(skill.objective_id) if skill else None

    def objective_title(self, objective_id: str | None) -> str:
        objective = self.objectives.get(objective_id or "")
        return objective.title if objective else ""


# ===================================================================== JSON export


def export_doc(record: Record) -> dict[str, Any]:
    """A record as the JSON export writes it: its document, except that an entry's
    ``tags`` are all its tags — the tags field and the ``#tags`` in its text, as the app
    shows them (``domain.journal.entry_tags``). The journal itself is not changed."""
    doc = record.to_dict()
    if isinstance(record, Entry):
        doc["tags"] = entry_tags(record)
    return doc


# A piece of an export as it is produced: bytes (orjson's) or text (the stdlib's and
# the text formats'); ``encode_chunk`` makes either the bytes that are written.
Chunk = str | bytes

# records per orjson call: enough that the calls cost nothing, few enough that a piece
# of the file (and its re-indented copy) stays small
JSON_CHUNK = 256
try:
    import orjson as _orjson

    _ORJSON_OPTS = _orjson.OPT_INDENT_2 | _orjson.OPT_SORT_KEYS
except ImportError:  # pragma: no cover - the stdlib writes the same bytes, slower
    _orjson = None  # type: ignore[assignment]
    _ORJSON_OPTS = 0

# orjson writes a float under 1e-4 in forms of its own (``0.00001``, ``1e-7``) where the
# stdlib writes ``1e-05``; every other number, string and the layout come out the same
# (tests/cli/test_export_stream.py holds the two to it). A piece that may hold one of
# those forms — or text that only looks like one — is written by the stdlib instead.
_ORJSON_EXPONENT = re.compile(rb"e-\d")  # (a literal first: searched at memchr speed)


def _json_piece(docs: list[dict[str, Any]], checked: bool) -> Chunk:
    """Records as they sit in a table's list in the export (6 spaces in, one per
    comma), exactly as ``json.dumps(document, ensure_ascii=False, indent=2,
    sort_keys=True)`` writes them. ``checked``: every number in ``docs`` is one orjson
    writes as the stdlib does (``_plain_number``)."""
    if _orjson is not None:
        try:
            dumped = _orjson.dumps(docs, option=_ORJSON_OPTS)
        except (TypeError, ValueError):  # a lone surrogate, a 65-bit integer…
            dumped = None
        if dumped is not None and (checked or not (
                b"0.0000" in dumped or _ORJSON_EXPONENT.search(dumped))):
            # "[\n  {…},\n  {…}\n]" -> "      {…},\n      {…}" (raw newlines are only
            # between tokens: the ones in strings are written \n)
            return b"    " + dumped[2:-2].replace(b"\n", b"\n    ")
    text = json.dumps(docs, ensure_ascii=False, indent=2, sort_keys=True)
    return "    " + text[2:-2].replace("\n", "\n    ")


def _plain_number(value: Any) -> bool:
    """None, or a number orjson writes as the stdlib does: an int, a float that is 0
    or at least 1e-4 in size."""
    return value is None or type(value) is int or (
        type(value) is float and (value == 0.0 or abs(value) >= 1e-4))


# What each check of domain.models takes, as plain tests for the documents exported as
# they are stored (below): each is True only when the check certainly passes.

def _is_text(value: Any) -> bool:  # check_text: valid Unicode (no lone surrogate)
    if type(value) is not str:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_id(value: Any) -> bool:  # check_id
    return type(value) is str and value != "" and _is_text(value)


def _is_stamp(value: Any) -> bool:  # check_stamp (ValueError: not a date and time)
    return (type(value) is str and "1000" <= value < "9000"
            and dt.datetime.fromisoformat(value) is not None)


def _is_date(value: Any) -> bool:  # check_date (ValueError: no such day)
    return (type(value) is str and len(value) == 10 and value[4] == "-" == value[7]
            and "1000" <= value < "9000" and dt.date.fromisoformat(value) is not None)


def _is_number(value: Any) -> bool:  # check_number, written as the stdlib writes it
    return (type(value) is int or type(value) is float) and (
        -NUMBER_MAX <= value <= NUMBER_MAX) and _plain_number(value)


def _is_whole(value: Any, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _plain_checkin(doc: dict[str, Any]) -> bool:
    # the domain's own fast check (the one every start reads check-ins with)
    return CheckIn._plain(doc) and _plain_number(doc["value"])


def _plain_entry(doc: dict[str, Any]) -> bool:
    """``Entry.SCHEMA``'s checks for a document that holds exactly its fields, with
    nothing to decode (``archived`` already true or false)."""
    mood, energy = doc["mood"], doc["energy"]
    return (
        _is_id(doc["id"]) and _is_stamp(doc["created_at"]) and _is_stamp(doc["updated_at"])
        and _is_date(doc["date"]) and _is_text(doc["body"])
        and type(skill_ids := doc["skill_ids"]) is list and all(map(_is_id, skill_ids))
        and type(tags := doc["tags"]) is list and all(map(_is_text, tags))
        and (mood is None or _is_whole(mood, 1, 5))
        and (energy is None or _is_whole(energy, 1, 5))
        and type(doc["archived"]) is bool
    )


def _plain_goal(doc: dict[str, Any]) -> bool:
    """``MicroGoal.SCHEMA``'s checks for a document that holds exactly its fields."""
    minutes, skill_id, completed = (doc["estimate_minutes"], doc["skill_id"],
                                    doc["completed_at"])
    return (
        _is_id(doc["id"]) and _is_stamp(doc["created_at"]) and _is_stamp(doc["updated_at"])
        and _is_id(doc["objective_id"]) and _is_text(doc["action"])
        and _is_date(doc["deadline"]) and (skill_id is None or _is_id(skill_id))
        and _is_text(doc["success_metric"])
        and (minutes is None or _is_whole(minutes, 0, MINUTES_MAX))
        and type(status := doc["status"]) is str and status in GOAL_STATUSES
        and (completed is None or _is_stamp(completed))
        and _is_text(doc["insight"]) and _is_text(doc["drop_reason"])
    )


_MEASUREMENT_FIELDS = frozenset({"skill_id", "value", "note"})


def _plain_measurement(item: Any) -> bool:
    # a measurement holding exactly its fields: its to_dict() is the item itself
    return (type(item) is dict and item.keys() == _MEASUREMENT_FIELDS
            and _is_id(item["skill_id"]) and (item["value"] is None or _is_number(item["value"]))
            and _is_text(item["note"]))


def _plain_review(doc: dict[str, Any]) -> bool:
    """``WeeklyReview.SCHEMA``'s checks for a document that holds exactly its fields,
    each measurement exactly its own."""
    objective_id, decision, tweak = (doc["objective_id"], doc["decision"],
                                     doc["tweak_skill_id"])
    return (
        _is_id(doc["id"]) and _is_stamp(doc["created_at"]) and _is_stamp(doc["updated_at"])
        and _is_date(doc["week"]) and (objective_id is None or _is_id(objective_id))
        and type(measurements := doc["measurements"]) is list
        and all(map(_plain_measurement, measurements))
        and _is_text(doc["worked"]) and _is_text(doc["adjust"])
        and (decision is None or (type(decision) is str and decision in DECISIONS))
        and (tweak is None or _is_id(tweak))
    )


def _field_set(cls: type[Record]) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls)) - {"extra"}


# Documents exported as they are stored — never made records and back — when they hold
# exactly the record's fields and pass these checks: the tables that grow with the
# years. Each check stands only while its record has the fields it was written for.
_PLAIN_DOCS: dict[type[Record], Callable[[dict[str, Any]], bool]] = {CheckIn: _plain_checkin}
for _cls, _check, _fields in (
    (Entry, _plain_entry, {"date", "body", "skill_ids", "tags", "mood", "energy",
                           "archived"}),
    (MicroGoal, _plain_goal, {"objective_id", "action", "deadline", "skill_id",
                              "success_metric", "estimate_minutes", "status",
                              "completed_at", "insight", "drop_reason"}),
    (WeeklyReview, _plain_review, {"week", "objective_id", "measurements", "worked",
                                   "adjust", "decision", "tweak_skill_id"}),
):
    if _field_set(_cls) == {"id", "created_at", "updated_at", *_fields} and (
            _cls is not WeeklyReview or _field_set(Measurement) == _MEASUREMENT_FIELDS):
        _PLAIN_DOCS[_cls] = _check


def _stored_as_is(cls: type[Record]) -> bool:
    """Whether ``cls.from_stored`` keeps every field of a document as it is (no field
    decoded, nothing rewritten): then a document holding exactly its fields is, once
    the check has taken it, what the record's ``to_dict()`` gives back."""
    return (cls._decode.__func__ is Record._decode.__func__  # type: ignore[attr-defined]
            and not any(getattr(check, "decodes", False) for _name, check in cls.SCHEMA))


Row = tuple[str, str, dict[str, Any], bool]  # created_at, id, exported document, checked
_ROW_ORDER = operator.itemgetter(0, 1)  # Snapshot's order: created, then id


def _stored_table(repo: Repository, name: str) -> dict[str, Any]:
    """A table's documents as stored, by key: what ``repo.db.table(name).documents()``
    walks (TinyDB's ``Table._read_table``), without a call per document."""
    tables = repo.storage.read()
    try:
        return tables[name] if tables is not None else {}
    except KeyError:
        return {}


def _export_rows(
    repo: Repository, cls: type[Record], span: DateRange, tick: Callable[[int], None],
) -> list[Row]:
    """The exported documents of ``cls``, in the export's order (created, then id),
    limited to ``span``: the records ``Snapshot(repo).records[cls]`` holds (the
    repository's check; the first of two with one id) as ``export_doc`` writes them.
    A stored document that certainly passes the check and comes out unchanged is
    taken as it is instead of being made a record and back."""
    plain = _PLAIN_DOCS.get(cls)
    as_is = _stored_as_is(cls)
    names = _field_set(cls)
    is_entry = cls is Entry
    span_open = span.open
    # the field record_day() dates a record by (its checks make it a date)
    day_field = next((n for n in ("date", "week", "deadline") if n in names), "")
    normalised: dict[tuple[str, ...], list[str]] = {}
    rows: list[Row] = []
    append = rows.append
    seen: set[str] = set()
    for n, (key, doc) in enumerate(_stored_table(repo, cls.TABLE).items(), 1):
        if not n % 1000:
            tick(n)
        # exactly the record's fields, under a key that spells a document id (one
        # store.table.doc_id makes an int of)
        whole = (type(doc) is dict and doc.keys() == names and type(key) is str
                 and key.isdigit() and key.isascii() and (key[0] != "0" or key == "0"))
        try:
            taken = whole and plain is not None and plain(doc)
        except ValueError:  # no such day or time: the long way says what is wrong
            taken = False
        if taken:
            ident = doc["id"]
            if ident in seen:
                continue  # the repository keeps the first of two with one id
            seen.add(ident)
            if not (span_open or not day_field or span.contains(doc[day_field])):
                continue
            if is_entry:
                stored, body = doc["tags"], doc["body"]
                if "#" in body:
                    tags = tags_of(stored, body)
                else:  # no #tag in the text: the field's tags, normalised
                    given = tuple(stored)
                    tags = normalised.get(given)
                    if tags is None:
                        tags = normalised[given] = normalise_tags(stored)
                if tags != stored:
                    doc = {**doc, "tags": tags}
            append((doc["created_at"], ident, doc, True))
            continue
        try:
            record = read_document(cls, table_doc_id(key), doc)
        except RecordError:
            continue  # left out, as the repository leaves it out
        if record.id in seen:
            continue
        seen.add(record.id)
        if not span.open:
            day = record_day(record)
            if day is not None and not span.contains(day):
                continue
        if whole and as_is:
            rows.append((record.created_at, record.id, doc, False))
        else:
            rows.append((record.created_at, record.id, export_doc(record), False))
    rows.sort(key=_ROW_ORDER)
    return rows


def _json_frame(span: DateRange) -> tuple[list[str], list[str]]:
    """The export document around its record lists, as the stdlib writes it: the
    record tables in order, and the texts before the first list, between two lists and
    after the last."""
    from .. import __version__

    marks = {cls.TABLE: f"\x00{cls.TABLE}" for cls in ALL_RECORD_TYPES}
    document = {
        "format": EXPORT_MARK,
        "schema_version": migrations.target_version(),
        "app_version": __version__,
        "range": {
            "from": span.start.isoformat() if span.start else None,
            "to": span.end.isoformat() if span.end else None,
        },
        "records": marks,
    }
    rest = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    order = sorted(marks)
    texts = []
    for table in order:
        before, rest = rest.split(json.dumps(marks[table]), 1)
        texts.append(before)
    texts.append(rest)
    return order, texts


def iter_export_json(
    repo: Repository, *, span: DateRange = DateRange(), progress: Progress = _noop,
) -> Iterator[Chunk]:
    """The JSON export, a piece at a time, each table written as soon as it is read:
    lossless (unknown fields kept), stable order, schema version; byte for byte what
    ``json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\\n"``
    makes of the whole document.

    With a date range, dated records (check-ins, entries, reviews, goals) are limited to
    it; objectives, skills and plans are always included so every reference resolves.
    ``progress`` counts each record twice: read, then written (a piece counts as written
    when the consumer asks for the next one).
    """
    classes = {cls.TABLE: cls for cls in ALL_RECORD_TYPES}
    order, texts = _json_frame(span)
    sizes = {name: len(repo.db.table(name)) for name in order}
    total = max(1, 2 * sum(sizes.values()))
    base = 0
    yield texts[0]
    for name, after in zip(order, texts[1:], strict=True):
        size = sizes[name]
        rows = _export_rows(repo, classes[name], span,
                            lambda n, at=base, size=size: progress(at + min(n, size), total))
        base += size
        progress(base, total)
        if not rows:
            yield "[]"
        else:
            yield "[\n"
            for start in range(0, len(rows), JSON_CHUNK):
                part = rows[start:start + JSON_CHUNK]
                if start:
                    yield ",\n"
                yield _json_piece([row[2] for row in part], all(row[3] for row in part))
                progress(base + size * (start + len(part)) // len(rows), total)
            yield "\n    ]"
        base += size
        del rows
        yield after
    progress(total, total)


def export_json(
    repo: Repository, *, span: DateRange = DateRange(), progress: Progress = _noop,
) -> str:
    """The JSON export as one text (``iter_export_json``'s pieces joined)."""
    return "".join(decode_chunks(iter_export_json(repo, span=span, progress=progress)))


def decode_chunks(chunks: Iterable[Chunk]) -> Iterator[str]:
    for chunk in chunks:
        yield chunk if isinstance(chunk, str) else chunk.decode("utf-8")


def encode_chunk(chunk: Chunk, errors: str = "strict") -> bytes:
    """A piece as the bytes written (UTF-8); UnicodeEncodeError for a lone surrogate
    unless ``errors`` says otherwise."""
    return chunk if isinstance(chunk, bytes) else chunk.encode("utf-8", errors)


# ===================================================================== CSV export


def iter_export_csv(
    repo: Repository, *, span: DateRange = DateRange(), progress: Progress = _noop,
) -> Iterator[str]:
    """The check-ins, one row each: date, objective, skill, status, minutes, value,
    note; 500 rows at a time."""
    reading, writing = _phases(progress)
    snap = Snapshot(repo, reading)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    rows = [c for c in snap.checkins if span.contains(c.date)]
    rows.sort(key=lambda c: (
        c.date, snap.objective_title(getattr(snap.objective_of(c.skill_id), "id", None)),
        snap.skill_title(c.skill_id), c.id,
    ))
    for n, c in enumerate(rows, 1):
        objective = snap.objective_of(c.skill_id)
        writer.writerow([
            c.date,
            objective.title if objective else "",
            snap.skill_title(c.skill_id),
            c.status,
            "" if c.minutes is None else str(c.minutes),
            _num(c.value),
            c.note,
        ])
        if n % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            writing(n, len(rows))
    yield out.getvalue()
    writing(len(rows), len(rows))


# ===================================================================== iCalendar export


def ics_escape(text: str) -> str:
    """Escape TEXT values (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def ics_fold(line: str, limit: int = 75) -> str:
    """Fold a content line to at most ``limit`` octets per physical line (RFC 5545 §3.1),
    never splitting a UTF-8 character; continuation lines start with one space."""
    parts: list[str] = []
    current, size, room = [], 0, limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            parts.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _ics_stamp(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _ics_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _stack_at(plan: Plan, index: int) -> list[str]:
    active: list[str] = []
    for week in plan.weeks[: index + 1]:
        if not week.hold and week.skill_id and week.skill_id not in active:
            active.append(week.skill_id)
    return active


def _ics_lines(lines: list[str]) -> str:
    text = "".join(ics_fold(line) + "\r\n" for line in lines)
    lines.clear()
    return text


def iter_export_ics(
    repo: Repository,
    *,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
    calendar_name: str = "micro-journal",
) -> Iterator[str]:
    """The plan's daily practice (one all-day event repeating over each plan week) and
    the micro-goal deadlines (all-day events), with stable UIDs; CRLF, folded, escaped;
    a plan or 200 goals at a time."""
    reading, writing = _phases(progress)
    snap = Snapshot(repo, reading)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(calendar_name)}",
    ]
    work = len(snap.plans) + len(snap.goals)
    done = 0
    for plan in snap.plans:
        done += 1
        objective = snap.objective_title(plan.objective_id) or "(missing objective)"
        start = _as_date(plan.start_week)
        if start is None:
            continue
        ended = _as_date(plan.ended_on) if plan.status == "ended" else None
        for index in range(len(plan.weeks)):
            first = start + dt.timedelta(weeks=index)
            days = 7
            if ended is not None:
                days = min(days, (ended - first).days)
            if days <= 0:
                continue
            last = first + dt.timedelta(days=days - 1)
            if not span.overlaps(first, last):
                continue
            stack = _stack_at(plan, index)
            if not stack:
                continue
            if span.start and first < span.start:
                days -= (span.start - first).days
                first = span.start
            if span.end and last > span.end:
                days -= (last - span.end).days
            focus, stacked = stack[-1], list(reversed(stack[:-1]))
            minutes = sum(
                snap.skills[s].practice_minutes for s in stack if s in snap.skills
            )
            summary = f"Practise: {snap.skill_title(focus)}"
            if stacked:
                summary += f" (+{len(stacked)} stacked)"
            held = " (held)" if plan.weeks[index].hold else ""
            description = [
                f"{objective}: week {index + 1} of {len(plan.weeks)}{held}.",
                f"Focus: {snap.skill_title(focus)}",
            ]
            if stacked:
                description.append("Stacked: " + "; ".join(snap.skill_title(s) for s in stacked))
            description.append(f"About {minutes} minutes a day.")
            lines += [
                "BEGIN:VEVENT",
                f"UID:plan-{plan.id}-week-{index + 1}@micro-journal",
                f"DTSTAMP:{_ics_stamp(plan.updated_at)}",
                f"DTSTART;VALUE=DATE:{_ics_date(first)}",
                f"DTEND;VALUE=DATE:{_ics_date(first + rules.DAY)}",
                f"RRULE:FREQ=DAILY;COUNT={days}",
                f"SUMMARY:{ics_escape(summary)}",
                f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
                "CATEGORIES:micro-journal,practice",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        yield _ics_lines(lines)
        writing(done, work)
    for goal in snap.goals:
        done += 1
        deadline = _as_date(goal.deadline)
        if deadline is None or goal.status == "dropped" or not span.contains(deadline):
            continue
        objective = snap.objective_title(goal.objective_id)
        mark = "✓ " if goal.status == "done" else ""
        description = [f"Objective: {objective}" if objective else "Micro-goal"]
        if goal.skill_id:
            description.append(f"Skill: {snap.skill_title(goal.skill_id)}")
        if goal.success_metric:
            description.append(f"Success: {goal.success_metric}")
        if goal.estimate_minutes:
            description.append(f"Estimate: {goal.estimate_minutes} minutes")
        description.append(f"Status: {goal.status}")
        if goal.insight:
            description.append(f"Insight: {goal.insight}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:goal-{goal.id}@micro-journal",
            f"DTSTAMP:{_ics_stamp(goal.updated_at)}",
            f"DTSTART;VALUE=DATE:{_ics_date(deadline)}",
            f"DTEND;VALUE=DATE:{_ics_date(deadline + rules.DAY)}",
            f"SUMMARY:{ics_escape(f'{mark}Micro-goal: {goal.action}')}",
            f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
            "CATEGORIES:micro-journal,micro-goal",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
        if done % 200 == 0:
            yield _ics_lines(lines)
            writing(done, work)
    lines.append("END:VCALENDAR")
    yield _ics_lines(lines)
    writing(work, work)


# ===================================================================== Markdown


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(part.strip() for part in text.strip().splitlines()) if text else ""


def md_quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in text.strip("\n").splitlines()] or [">"]


def _metric_line(skill: MicroSkill) -> str:
    m = skill.metric
    if not m.name:
        return "no metric"
    bits = [f"{m.unit}, " if m.unit else "", f"{m.direction} is better"]
    parts = [f"{m.name} ({''.join(bits)})"]
    if m.baseline is not None:
        parts.append(f"baseline {_num(m.baseline)}")
    if m.target is not None:
        parts.append(f"target {_num(m.target)}")
    return ", ".join(parts)


def _with_unit(value: float | None, skill: MicroSkill | None) -> str:
    if value is None:
        return "—"
    unit = skill.metric.unit if skill else ""
    return f"{_num(value)} {unit}".strip()


@dataclass
class SkillWeek:
    skill_id: str
    done: int = 0
    skipped: int = 0
    minutes: int = 0
    values: list[float] = field(default_factory=list)


def _measurement(
    snap: Snapshot, skill_id: str, first: dt.date
) -> float | None:
    """The week's measurement of a skill: the review's if one was recorded, else the
    mean of the week's check-in values."""
    for review in snap.reviews_by_week.get(first.isoformat(), []):
        for m in review.measurements:
            if m.skill_id == skill_id and m.value is not None:
                return float(m.value)
    mine = [c for c in snap.week_checkins(first) if c.skill_id == skill_id]
    return rules.weekly_measurement(mine, first)


def _change(skill: MicroSkill | None, before: float | None, after: float | None) -> str:
    if before is None or after is None or skill is None:
        return "—"
    delta = round(after - before, 2)
    if delta == 0:
        return "no change"
    arrow = "↑" if delta > 0 else "↓"
    better = skill.metric.better(after, before)
    return f"{arrow} {_num(abs(delta))} ({'better' if better else 'worse'})"


def _plan_lines(snap: Snapshot, first: dt.date, first_weekday: int) -> list[str]:
    lines = []
    last = first + dt.timedelta(days=6)
    for plan in snap.plans:
        pos = rules.plan_position(plan, first, first_weekday) or rules.plan_position(
            plan, last, first_weekday
        )
        if pos is None or pos.finished:
            continue
        objective = snap.objective_title(plan.objective_id) or "(missing objective)"
        line = f"- **{objective}** — plan {pos.label()}"
        if pos.focus_id:
            new = ""
            week = plan.weeks[pos.index]
            if not week.hold and week.skill_id == pos.focus_id:
                new = " (new this week)"
            line += f": focus *{snap.skill_title(pos.focus_id)}*{new}"
        stacked = [snap.skill_title(s) for s in reversed(pos.active_ids[:-1])]
        if stacked:
            line += "; stacked: " + ", ".join(f"*{t}*" for t in stacked)
        lines.append(line)
    return lines


def _week_skills(snap: Snapshot, first: dt.date) -> dict[str, SkillWeek]:
    result: dict[str, SkillWeek] = {}
    for c in snap.week_checkins(first):
        row = result.setdefault(c.skill_id, SkillWeek(c.skill_id))
        if c.status == "done":
            row.done += 1
            row.minutes += c.minutes or 0
        else:
            row.skipped += 1
        if c.value is not None:
            row.values.append(c.value)
    return result


def _ordered_skill_ids(snap: Snapshot, ids: Iterable[str]) -> list[str]:
    order = {sid: n for n, sid in enumerate(snap.skills)}
    return sorted(ids, key=lambda s: (order.get(s, len(order)), s))


class _LineJoin:
    """``"\n".join(lines).rstrip("\n") + "\n"`` of lines that come a batch at a time,
    as text written as it comes: ``take(lines)`` gives the text of the lines so far
    (and empties the list), holding back newlines that may turn out to be the last;
    ``end(lines)`` the rest."""

    def __init__(self) -> None:
        self.started = False
        self.held = ""

    def take(self, lines: list[str]) -> str:
        if not lines:
            return ""
        text = ("\n" if self.started else "") + "\n".join(lines)
        lines.clear()
        self.started = True
        text = self.held + text
        body = text.rstrip("\n")
        self.held = text[len(body):]
        return body

    def end(self, lines: list[str]) -> str:
        return self.take(lines) + "\n"


def iter_export_markdown(
    repo: Repository,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
) -> Iterator[str]:
    """One readable document, week by week (newest last), fit for a note app or a
    coach; a week at a time."""
    reading, writing = _phases(progress)
    snap = Snapshot(repo, reading)
    joined = _LineJoin()
    out: list[str] = ["# micro-journal", ""]
    counts = [
        plural(len(snap.objectives), "objective"),
        plural(len(snap.skills), "micro-skill"),
        plural(sum(span.contains(c.date) for c in snap.checkins), "check-in"),
        plural(sum(span.contains(e.date) for e in snap.entries if not e.archived),
               "journal entry", "journal entries"),
        plural(len(snap.goals), "micro-goal"),
    ]
    out.append(f"Exported on {_long_date(today)} · " + " · ".join(counts) + ".")
    if not span.open:
        out.append("")
        out.append(
            f"From {span.start.isoformat() if span.start else 'the beginning'} "
            f"to {span.end.isoformat() if span.end else 'today'}."
        )
    out += ["", "## Objectives and micro-skills", ""]
    for objective in snap.objectives.values():
        flag = " (archived)" if objective.archived else ""
        out.append(f"### {objective.title}{flag}")
        out.append("")
        if objective.description:
            out += [objective.description, ""]
        skills = [s for s in snap.skills.values() if s.objective_id == objective.id]
        for s in skills:
            out.append(
                f"- **{s.title}** — {s.status}; {s.practice_minutes} min a day, "
                f"{s.frequency_target} of 7 days; {_metric_line(s)}"
            )
        if not skills:
            out.append("- no micro-skills yet")
        out.append("")

    # the weeks that have anything in them
    def wk(day: dt.date | None) -> dt.date | None:
        return dates.week_start(day, first_weekday) if day else None

    weeks: set[dt.date] = set()
    for c in snap.checkins:
        if span.contains(c.date):
            weeks.add(wk(_as_date(c.date)))  # type: ignore[arg-type]
    week_entries: dict[dt.date, list[Entry]] = defaultdict(list)
    for e in snap.entries:
        day = _as_date(e.date)
        if day is not None and span.contains(day) and not e.archived:
            weeks.add(wk(day))  # type: ignore[arg-type]
            week_entries[wk(day)].append(e)  # type: ignore[index]
    for r in snap.reviews:
        first = _as_date(r.week)
        if first and span.overlaps(first, first + dt.timedelta(days=6)):
            weeks.add(wk(first))  # type: ignore[arg-type]
    done_goals: dict[dt.date, list[tuple[dt.date, MicroGoal]]] = defaultdict(list)
    for g in snap.goals:
        day = completed_day(g, day_start_hour) if g.status == "done" else None
        if day and span.contains(day):
            weeks.add(wk(day))  # type: ignore[arg-type]
            done_goals[wk(day)].append((day, g))  # type: ignore[index]
    weeks.discard(None)  # type: ignore[arg-type]

    ordered = sorted(weeks)
    for n, first in enumerate(ordered, 1):
        out += [f"## Week of {_long_date(first)}", ""]
        plan_lines = _plan_lines(snap, first, first_weekday)
        if plan_lines:
            out += [*plan_lines, ""]
        week_checkins = [c for c in snap.week_checkins(first) if span.contains(c.date)]
        if week_checkins:
            out += ["### Check-ins", "",
                    "| Date | Skill | Status | Minutes | Value | Note |",
                    "|---|---|---|---:|---:|---|"]
            for c in week_checkins:
                day = _as_date(c.date)
                out.append(
                    f"| {_short_date(day)} | {md_cell(snap.skill_title(c.skill_id))} | "  # type: ignore[arg-type]
                    f"{c.status} | {'' if c.minutes is None else c.minutes} | "
                    f"{_num(c.value)} | {md_cell(c.note)} |"
                )
            out.append("")
            stats = _week_skills(snap, first)
            measured = []
            for sid in _ordered_skill_ids(snap, stats):
                value = _measurement(snap, sid, first)
                if value is None:
                    continue
                skill = snap.skills.get(sid)
                before = _measurement(snap, sid, first - rules.WEEK)
                change = _change(skill, before, value)
                tail = "" if change == "—" else f"; on the week before: {change}"
                measured.append(
                    f"- {snap.skill_title(sid)}: {_with_unit(value, skill)}{tail}"
                )
            if measured:
                out += ["### Measurements", "", *measured, ""]
        for review in snap.reviews_by_week.get(first.isoformat(), []):
            title = "### Weekly review"
            if review.objective_id:
                title += f" — {snap.objective_title(review.objective_id)}"
            out += [title, ""]
            if review.decision:
                out.append(f"- Decision: {review.decision}")
            for m in review.measurements:
                skill = snap.skills.get(m.skill_id)
                note = f" — {m.note}" if m.note else ""
                out.append(
                    f"- Measured {snap.skill_title(m.skill_id)}: "
                    f"{_with_unit(m.value, skill)}{note}"
                )
            if review.worked:
                out.append(f"- What worked: {review.worked.strip()}")
            if review.adjust:
                out.append(f"- To adjust: {review.adjust.strip()}")
            out.append("")
        entries = [e for e in week_entries.get(first, []) if span.contains(e.date)]
        if entries:
            out += ["### Journal", ""]
            for e in entries:
                day = _as_date(e.date)
                bits = [_long_date(day)]  # type: ignore[arg-type]
                if e.mood:
                    bits.append(f"mood {e.mood}/5")
                if e.energy:
                    bits.append(f"energy {e.energy}/5")
                out += [f"#### {' · '.join(bits)}", ""]
                if e.skill_ids:
                    out.append(
                        "Skills: " + ", ".join(snap.skill_title(s) for s in e.skill_ids)
                    )
                tags = entry_tags(e)
                if tags:
                    out.append("Tags: " + ", ".join(f"#{t}" for t in tags))
                if e.skill_ids or tags:
                    out.append("")
                out += [*md_quote(e.body), ""]
        goals = sorted(done_goals.get(first, []), key=lambda p: (p[0], p[1].action))
        if goals:
            out += ["### Micro-goals done", ""]
            for day, g in goals:
                out.append(f"- ✓ {g.action} — done {_short_date(day)}"
                           + (f": *{g.insight.strip()}*" if g.insight else ""))
            out.append("")
        yield joined.take(out)
        writing(n, len(ordered))
    open_goals = [
        g for g in snap.goals if g.status == "open" and span.contains(g.deadline)
    ]
    if open_goals:
        out += ["## Open micro-goals", ""]
        for g in open_goals:
            objective = snap.objective_title(g.objective_id)
            where = f" · {objective}" if objective else ""
            out.append(f"- [ ] {g.action} — due {g.deadline}{where}")
        out.append("")
    yield joined.end(out)
    writing(len(ordered), len(ordered))


# ===================================================================== the week's summary


def week_summary(
    repo: Repository,
    day: dt.date,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
) -> str:
    """The week of ``day`` in Markdown for sharing: plan week, skills, days practised,
    minutes, measurements and change, goals done, the review's notes."""
    snap = Snapshot(repo)
    first = dates.week_start(day, first_weekday)
    last = first + dt.timedelta(days=6)
    if first.month == last.month:
        span_text = f"{first.day}–{last.day} {last:%B %Y}"
    elif first.year == last.year:
        span_text = f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    else:
        span_text = f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"
    out = [f"# My week: {span_text}", ""]
    if first <= today <= last:
        out += [f"(so far, up to {_long_date(today)})", ""]

    stats = _week_skills(snap, first)
    shown: list[str] = []
    for focus in rules.active_skills(min(last, max(first, today)), snap.skills.values(),
                                     snap.plans, first_weekday):
        for sid in (focus.focus_id, *focus.stacked_ids):
            if sid and sid not in shown:
                shown.append(sid)
    for sid in _ordered_skill_ids(snap, stats):
        if sid not in shown:
            shown.append(sid)

    plan_lines = _plan_lines(snap, first, first_weekday)
    if plan_lines:
        out += ["## Plan", "", *plan_lines, ""]

    days_practised = len({c.date for c in snap.week_checkins(first) if c.status == "done"})
    minutes = sum(s.minutes for s in stats.values())
    if shown:
        out += ["## Micro-skills", "",
                "| Skill | Days practised | Minutes | Measurement | Change |",
                "|---|---|---:|---|---|"]
        for sid in shown:
            skill = snap.skills.get(sid)
            row = stats.get(sid, SkillWeek(sid))
            target = skill.frequency_target if skill else 7
            practised = f"{row.done} of {target}"
            if row.skipped:
                practised += f" (+{row.skipped} rest)"
            value = _measurement(snap, sid, first)
            before = _measurement(snap, sid, first - rules.WEEK)
            out.append(
                f"| {md_cell(snap.skill_title(sid))} | {practised} | {row.minutes} | "
                f"{_with_unit(value, skill)} | {_change(skill, before, value)} |"
            )
        out.append("")
    out += [f"**{plural(days_practised, 'day')} practised, "
            f"{plural(minutes, 'minute')} in all.**", ""]

    goals = []
    for g in snap.goals:
        done_on = completed_day(g, day_start_hour) if g.status == "done" else None
        if done_on and first <= done_on <= last:
            goals.append((done_on, g))
    out += ["## Micro-goals done", ""]
    if goals:
        for done_on, g in sorted(goals, key=lambda p: (p[0], p[1].action)):
            out.append(f"- ✓ {g.action} ({_short_date(done_on)})"
                       + (f" — *{g.insight.strip()}*" if g.insight else ""))
    else:
        out.append("- none this week")
    out.append("")

    reviews = snap.reviews_by_week.get(first.isoformat(), [])
    out += ["## Review", ""]
    if not reviews:
        out += ["No weekly review yet.", ""]
    for review in reviews:
        if review.objective_id and len(reviews) > 1:
            out += [f"**{snap.objective_title(review.objective_id)}**", ""]
        if review.worked:
            out.append(f"- What worked: {review.worked.strip()}")
        if review.adjust:
            out.append(f"- To adjust: {review.adjust.strip()}")
        if review.decision:
            out.append(f"- Decision: {review.decision}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ===================================================================== stats


def journal_stats(
    repo: Repository, *, today: dt.date, first_weekday: int = rules.MONDAY
) -> dict[str, Any]:
    """Counts, streaks and minutes, as plain data (the CLI prints it or dumps it)."""
    snap = Snapshot(repo)
    this_week = dates.week_start(today, first_weekday)
    done = [c for c in snap.checkins if c.status == "done"]
    skills = []
    for skill in snap.skills.values():
        mine = snap.by_skill.get(skill.id, [])
        streak = rules.streaks(rules.day_states(mine), today, skill.frequency_target,
                               first_weekday)
        skills.append({
            "id": skill.id,
            "title": skill.title,
            "objective": snap.objective_title(skill.objective_id),
            "status": skill.status,
            "days_done": sum(c.status == "done" for c in mine),
            "rest_days": sum(c.status == "skipped" for c in mine),
            "minutes": sum(c.minutes or 0 for c in mine if c.status == "done"),
            "streak": {"current": streak.current, "best": streak.best},
        })
    goal_status = Counter(g.status for g in snap.goals)
    return {
        "today": today.isoformat(),
        "counts": {cls.TABLE: len(snap.records[cls]) for cls in ALL_RECORD_TYPES},
        "checkins": {"done": len(done), "skipped": len(snap.checkins) - len(done)},
        "days_practised": len({c.date for c in done}),
        "minutes": {
            "total": sum(c.minutes or 0 for c in done),
            "this_week": sum(
                c.minutes or 0 for c in done
                if this_week <= (_as_date(c.date) or dt.date.min) <= today
            ),
        },
        "goals": {status: goal_status.get(status, 0) for status in GOAL_STATUSES},
        "skills": skills,
    }


def render_stats(stats: dict[str, Any]) -> str:
    counts = ", ".join(
        f"{n} {KIND.get(t, t.replace('_', ' ')) if n == 1 else kinds_of(t)}"
        for t, n in stats["counts"].items()
    )
    g = stats["goals"]
    lines = [
        f"Journal on {stats['today']}: {counts}.",
        f"Check-ins: {stats['checkins']['done']} done, "
        f"{plural(stats['checkins']['skipped'], 'rest day')}; "
        f"{plural(stats['days_practised'], 'day')} practised.",
        f"Minutes practised: {stats['minutes']['total']} in all, "
        f"{stats['minutes']['this_week']} this week.",
        f"Micro-goals: {g.get('open', 0)} open, {g.get('done', 0)} done, "
        f"{g.get('dropped', 0)} dropped.",
    ]
    if stats["skills"]:
        width = min(52, max(len(s["title"]) for s in stats["skills"]))
        lines += ["", f"{'Micro-skill':<{width}}  streak  best  days  minutes"]
        for s in stats["skills"]:
            title = s["title"] if len(s["title"]) <= width else s["title"][: width - 1] + "…"
            lines.append(
                f"{title:<{width}}  {s['streak']['current']:>6}  {s['streak']['best']:>4}  "
                f"{s['days_done']:>4}  {s['minutes']:>7}"
            )
    return "\n".join(lines)


# ===================================================================== record checks


# reference fields, by name, wherever they appear (nested plan weeks and measurements too)
REFERENCE_KEYS: dict[str, type[Record]] = {
    "objective_id": Objective,
    "skill_id": MicroSkill,
    "skill_ids": MicroSkill,
    "plan_id": Plan,
    "goal_id": MicroGoal,
    "goal_ids": MicroGoal,
    "entry_id": Entry,
    "review_id": WeeklyReview,
}


def decode(cls: type[Record], doc: Any, doc_id: Any = 1) -> Record:
    """A record from a stored/exported dict, through the same check the repository
    reads the journal with (``store.repository.read_document``); PortabilityError says
    which field is wrong, never quoting its text."""
    try:
        return read_document(cls, doc_id, doc)
    except RecordError as err:
        raise PortabilityError(err.message) from None


def read_documents(data: dict[str, Any]
                   ) -> tuple[dict[type[Record], dict[str, Record]], list[str]]:
    """The records of ``data`` (a parsed journal) by type and id, and every document the
    repository would leave out, as ``table #doc-id: field …`` (the same check as the
    repository's, so the same list; never a field's text)."""
    records: dict[type[Record], dict[str, Record]] = {cls: {} for cls in ALL_RECORD_TYPES}
    problems = []
    for cls in ALL_RECORD_TYPES:
        docs = data.get(cls.TABLE) or {}
        seen: dict[str, str] = {}
        for key, doc in docs.items():
            try:
                record = decode(cls, doc, table_doc_id(key))
            except PortabilityError as err:
                problems.append(f"{cls.TABLE} #{key}: {err}")
                continue
            if record.id in seen:
                problems.append(f"{cls.TABLE} #{key}: id is used by two records "
                                f"(#{seen[record.id]} too)")
                continue
            seen[record.id] = key
            records[cls][record.id] = record
    return records, problems


def _strict_date(text: str) -> dt.date | None:
    try:
        check_date(text, "date")
    except RecordError:
        return None
    return dt.date.fromisoformat(text)


def _walk_references(value: Any, where: str) -> Iterator[tuple[str, type[Record], str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}" if where else key
            target = REFERENCE_KEYS.get(key)
            if target is not None:
                if isinstance(item, str):
                    yield here, target, item
                elif isinstance(item, list):
                    for n, ref in enumerate(item):
                        if isinstance(ref, str):
                            yield f"{here}[{n}]", target, ref
                continue
            yield from _walk_references(item, here)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _walk_references(item, f"{where}[{n}]")


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_FIELD_ORDER: dict[type[Record], tuple[str, ...]] = {}


def _inert(value: Any) -> bool:
    """A field value that holds no reference wherever it sits: a scalar, or a list of
    scalars (so the walk of its ``to_dict`` form yields nothing)."""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return True
    return (kind is list or kind is tuple) and all(type(v) in _SCALAR_TYPES for v in value)


def references(record: Record) -> Iterator[tuple[str, type[Record], str]]:
    """(where, target type, id) of every reference a record holds: what a walk of its
    ``to_dict()`` (less its id) finds under the ``REFERENCE_KEYS``, in that order."""
    cls = type(record)
    order = _FIELD_ORDER.get(cls)
    if order is None:
        order = _FIELD_ORDER[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if f.name not in ("id", "extra"))
    if record.extra or cls.to_dict is not Record.to_dict:
        data = record.to_dict()
        data.pop("id", None)
        yield from _walk_references(data, "")
        return
    # no unknown fields: to_dict() is the fields in order; read them where they are
    # (a hundred years of check-ins and entries are not written out to be walked)
    found = []
    for name in order:
        value = getattr(record, name)
        target = REFERENCE_KEYS.get(name)
        if target is not None:
            if isinstance(value, str):
                found.append((name, target, value))
            elif isinstance(value, list | tuple):
                found += [(f"{name}[{n}]", target, ref) for n, ref in enumerate(value)
                          if isinstance(ref, str)]
        elif not _inert(value):  # nested (a metric, plan weeks, measurements): walk it
            data = record.to_dict()
            data.pop("id", None)
            yield from _walk_references(data, "")
            return
    yield from found


KIND = {
    "objectives": "objective", "skills": "micro-skill", "plans": "plan",
    "checkins": "check-in", "entries": "journal entry", "reviews": "weekly review",
    "goals": "micro-goal",
}


PLURAL = {
    "objectives": "objectives", "skills": "micro-skills", "plans": "plans",
    "checkins": "check-ins", "entries": "journal entries", "reviews": "weekly reviews",
    "goals": "micro-goals",
}


def kind_of(cls: type[Record]) -> str:
    return KIND.get(cls.TABLE, cls.TABLE.replace("_", " ").removesuffix("s"))


def kinds_of(table: str) -> str:
    return PLURAL.get(table, table.replace("_", " "))


def _label(record: Record) -> str:
    """A record in a message: its kind and id, never its text (it may be private)."""
    for name in ("date", "week"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return f"{kind_of(type(record))} of {value} ({record.id[:8]})"
    return f"{kind_of(type(record))} {record.id[:8]}"


# ===================================================================== verify


@dataclass
class VerifyReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    schema_version: int | None = None

    @property
    def sound(self) -> bool:
        return not self.problems

    def render(self) -> str:
        lines = [f"Journal {self.path}"]
        if self.schema_version is not None:
            lines.append(f"  schema version {self.schema_version}")
        for table, n in self.counts.items():
            lines.append(f"  {n:>6} {table}")
        lines += [f"  note: {n}" for n in self.notes]
        if self.sound:
            lines.append("Sound: the file parses, the schema is known and every reference "
                         "resolves.")
        else:
            lines.append(f"NOT sound — {len(self.problems)} problem(s):")
            shown = self.problems[:50]
            lines += [f"  - {p}" for p in shown]
            if len(self.problems) > len(shown):
                lines.append(f"  … and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)


def verify_data(raw: bytes, path: Path) -> VerifyReport:
    """Check a journal file's bytes: parse, schema, each record, every reference."""
    report = VerifyReport(path)
    try:
        data = parse_journal_bytes(raw)
    except ValueError as err:
        report.problems.append(f"the file does not parse: {err}")
        return report
    return verify_parsed(report, data, empty=not raw.strip())


def verify_parsed(report: VerifyReport, data: dict[str, Any], *, empty: bool = False
                  ) -> VerifyReport:
    """Check a parsed journal (``parse_journal_bytes``): schema, each record, every
    reference. ``empty``: the file held nothing at all."""
    if empty:
        report.notes.append("the file is empty (a journal nothing was saved to yet)")
    tables = by_table()
    meta = data.get("meta") or {}
    versions = [d["schema_version"] for d in meta.values() if "schema_version" in d]
    if data and not versions and any(data.get(t) for t in tables):
        report.problems.append("the meta table has no schema_version")
    for version in versions[:1]:
        if isinstance(version, bool) or not isinstance(version, int):
            report.problems.append(f"schema_version {version!r} is not a whole number")
            continue
        report.schema_version = version
        if version > migrations.target_version():
            report.problems.append(
                f"schema version {version} is newer than this micro-journal understands "
                f"({migrations.target_version()}); verify it with a newer micro-journal"
            )
        elif version < migrations.target_version():
            report.notes.append(
                f"schema version {version} is older than this micro-journal's "
                f"({migrations.target_version()}); opening it for writing upgrades it"
            )
        elif version < 1:
            report.problems.append(f"schema version {version} is not a valid version")
    if len(versions) > 1:
        report.problems.append(f"the meta table holds {len(versions)} schema versions")
    for name in data:
        if name != "meta" and name not in tables:
            report.notes.append(
                f"table {name!r} ({len(data[name])} records) is unknown to this version; "
                "it is kept but not checked"
            )

    for cls in ALL_RECORD_TYPES:
        report.counts[cls.TABLE] = len(data.get(cls.TABLE) or {})
    # the documents the repository would leave out: the same check, so the same list
    ids, problems = read_documents(data)
    report.problems += problems
    seen_days: dict[tuple[str, str], str] = {}
    for record in ids[CheckIn].values():
        key = (record.skill_id, record.date)  # type: ignore[attr-defined]
        if key in seen_days:
            report.problems.append(
                f"{_label(record)}: a second check-in of the same skill on {key[1]} "
                f"(the other is {seen_days[key][:8]})"
            )
        seen_days[key] = record.id
    for cls in ALL_RECORD_TYPES:
        for record in ids[cls].values():
            for where, target, ref in references(record):
                if ref not in ids[target]:
                    report.problems.append(
                        f"{_label(record)}: {where} points at {kind_of(target)} {ref}, "
                        "which is not in the journal"
                    )
    return report


def verify_path(path: Path) -> VerifyReport:
    from ..store.backups import DamagedBackup, read_backup

    try:
        raw = read_backup(path)  # a backup's journal, uncompressed (.gz, .bz2)
    except FileNotFoundError:
        report = VerifyReport(path)
        report.problems.append("there is no journal file there")
        return report
    except OSError as err:
        report = VerifyReport(path)
        report.problems.append(f"it cannot be read ({describe_os_error(err)})")
        return report
    except DamagedBackup as err:
        report = VerifyReport(path)
        report.problems.append(str(err))
        return report
    from ..store import changes

    # parsed once: the change log's saves are laid on what was parsed, and the records
    # are checked there (not written out and parsed again)
    report = VerifyReport(path)
    try:
        data = parse_journal_bytes(raw)
    except ValueError as err:
        report.problems.append(f"the file does not parse: {err}")
        return report
    empty = not raw.strip()
    del raw
    log = None
    if changes.changes_path_for(path).exists():
        log = changes.read(path, changes.snapshot_token(data))
        if log.batches:  # check the journal as the app would open it
            changes.apply(data, log.batches)
            empty = False
            try:
                check_shape(data)
            except ValueError as err:
                report.problems.append(f"the file does not parse: {err}")
                return report
    verify_parsed(report, data, empty=empty)
    if log is not None:
        log_path = changes.changes_path_for(path)
        if log.batches:
            report.notes.append(
                f"{len(log.batches)} save(s) are in {log_path}, not yet folded into the file "
                "(an app has the journal open, or the last one was killed); checked with it"
            )
        if log.damaged:
            report.problems.append(
                f"{log.damaged} saved change(s) in {log_path} are damaged and cannot be read"
            )
    return report


# ===================================================================== import


@dataclass
class ImportReport:
    source: str
    format: str
    dry_run: bool = False
    added: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        def part(counter: Counter) -> str:
            total = sum(counter.values())
            if not total:
                return "0"
            detail = ", ".join(
                f"{counter[cls.TABLE]} {kinds_of(cls.TABLE)}"
                for cls in ALL_RECORD_TYPES if counter[cls.TABLE]
            )
            return f"{total} ({detail})"

        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{verb} {self.source} ({self.format}): added {part(self.added)}; "
            f"updated {part(self.updated)}; skipped {part(self.skipped)}."
        ]
        lines += [f"  {note}" for note in self.notes]
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        return "\n".join(lines)


@dataclass
class Incoming:
    """Records parsed from an import file, all checked, nothing written yet."""

    format: str
    records: list[Record]
    notes: list[str] = field(default_factory=list)
    # jrnl entries replace body/tags/date only, keeping what the user linked here
    merge_fields: tuple[str, ...] | None = None


def detect_format(data: Any) -> str:
    if isinstance(data, dict) and (data.get("format") == EXPORT_MARK or "meta" in data):
        return "json"
    if isinstance(data, dict) and "entries" in data and isinstance(data.get("entries"), list):
        return "jrnl"
    raise PortabilityError(
        "it is neither a micro-journal export nor a jrnl export (`jrnl --export json`)"
    )


def load_import(raw: bytes, fmt: str | None = None) -> Incoming:
    """Parse and check an import file completely; PortabilityError on anything wrong."""
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise PortabilityError(
            f"unknown import format {fmt!r}; use one of: {', '.join(IMPORT_FORMATS)}"
        )
    if not raw.strip():
        raise PortabilityError("the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise PortabilityError(f"it is not UTF-8 text (byte {err.start})") from None
    try:
        data = json_text(text)  # bad JSON or deep nesting: one line, never a traceback
    except ValueError as err:
        raise PortabilityError(str(err)) from None
    fmt = fmt or detect_format(data)
    if fmt == "jrnl":
        return _load_jrnl(data)
    return _load_ours(data)


def _load_ours(data: Any) -> Incoming:
    if not isinstance(data, dict):
        raise PortabilityError("it is JSON but not a micro-journal export (not an object)")
    notes: list[str] = []
    if data.get("format") == EXPORT_MARK:
        version = data.get("schema_version")
        tables = data.get("records")
        if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
            raise PortabilityError("it is a micro-journal export without a valid 'records' "
                                   "object")
        rows = {name: list(enumerate(docs, 1)) for name, docs in tables.items()}
    elif "meta" in data:
        # a journal file or one of its backups: shaped like one (what parsing it as a
        # journal checks, without writing it out and parsing it again)
        try:
            check_shape(data)
        except ValueError as err:
            raise PortabilityError(str(err)) from None
        metas = [d for d in data["meta"].values() if "schema_version" in d]
        version = metas[0]["schema_version"] if metas else None
        rows = {
            name: list(docs.items()) for name, docs in data.items() if name != "meta"
        }
    else:
        raise PortabilityError("it is JSON but not a micro-journal export (no 'format' key)")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PortabilityError(f"its schema_version {version!r} is missing or not a number")
    current = migrations.target_version()
    if version > current:
        raise PortabilityError(
            f"it was written by a newer micro-journal (schema {version}; this one "
            f"understands {current}) — upgrade to import it"
        )
    if version < current:
        rows = _upgrade(rows, version)
        notes.append(f"upgraded the file's records from schema {version} to {current}")
    tables_known = by_table()
    records: list[Record] = []
    seen: set[str] = set()
    for name, docs in rows.items():
        cls = tables_known.get(name)
        if cls is None:
            if docs:
                notes.append(f"left out {len(docs)} record(s) of a kind this version does "
                             f"not know ({name!r})")
            continue
        for where, doc in docs:
            try:  # the check the repository reads the journal with: what it would skip
                record = decode(cls, doc)
            except PortabilityError as err:
                raise PortabilityError(f"{name} record {where} is not a {kind_of(cls)}: "
                                       f"{err}") from None
            if record.id in seen:
                raise PortabilityError(f"{name} record {where}: id {record.id} appears twice")
            seen.add(record.id)
            records.append(record)
    return Incoming("json", records, notes)


def _upgrade(rows: dict[str, list[tuple[Any, Any]]], version: int
             ) -> dict[str, list[tuple[Any, Any]]]:
    """Run the store's schema migrations over an older file's records."""
    shaped: dict[str, dict[str, Any]] = {}
    for name, docs in rows.items():
        for where, doc in docs:
            if not isinstance(doc, dict):
                raise PortabilityError(f"{name} record {where} is not an object")
        shaped[name] = {str(where): doc for where, doc in docs}
    shaped["meta"] = {"1": {"schema_version": version}}
    try:
        upgraded = migrations.migrate(shaped, version)
    except migrations.MigrationError as err:
        raise PortabilityError(f"it cannot be upgraded from schema {version}: {err}") from None
    upgraded.pop("meta", None)
    return {name: list(docs.items()) for name, docs in upgraded.items()}


JRNL_KNOWN = ("title", "body", "date", "time", "tags", "starred")


def _load_jrnl(data: Any) -> Incoming:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise PortabilityError("it is not a jrnl export: expected an object with an "
                               "'entries' list (made by `jrnl --export json`)")
    records: list[Record] = []
    used: Counter = Counter()
    for n, item in enumerate(data["entries"], 1):
        where = f"jrnl entry {n}"
        if not isinstance(item, dict):
            raise PortabilityError(f"{where} is a {type(item).__name__}, not an object")
        date = item.get("date")
        if not isinstance(date, str) or _strict_date(date) is None:
            raise PortabilityError(f"{where} has no valid date (got {date!r})")
        time = item.get("time", "")
        if not isinstance(time, str):
            raise PortabilityError(f"{where}: time {time!r} is not text")
        title, body = item.get("title", ""), item.get("body", "")
        if not isinstance(title, str) or not isinstance(body, str):
            raise PortabilityError(f"{where}: title and body must be text")
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise PortabilityError(f"{where}: tags must be a list of text")
        starred = item.get("starred", False)
        if not isinstance(starred, bool):
            raise PortabilityError(f"{where}: starred must be true or false")
        key = f"jrnl\x00{date}\x00{time}\x00{title}"
        used[key] += 1
        if used[key] > 1:
            key += f"\x00{used[key]}"
        text = title.strip()
        if body.strip():
            text = f"{text}\n{body}" if text else body
        clean: dict[str, None] = {}
        for tag in tags:
            tag = tag.strip().lstrip("@#").strip().casefold()
            if tag:
                clean.setdefault(tag, None)
        created = _jrnl_created(date, time)
        jrnl_extra = {"time": time, "starred": starred}
        jrnl_extra.update({k: v for k, v in item.items() if k not in JRNL_KNOWN})
        entry = Entry(
            id=uuid.uuid5(JRNL_NAMESPACE, key).hex,
            date=date,
            body=text,
            tags=list(clean),
            created_at=created,
            updated_at=created,
        )
        entry.extra = {"imported_from": "jrnl", "jrnl": jrnl_extra}
        records.append(entry)
    notes = []
    if not records:
        notes.append("the jrnl export holds no entries")
    return Incoming("jrnl", records, notes, merge_fields=("date", "body", "tags", "extra"))


def _jrnl_created(date: str, time: str) -> str:
    """jrnl's local date and time as a UTC timestamp (the computer's zone)."""
    try:
        clock = dt.time.fromisoformat(time) if time else dt.time(0, 0)
    except ValueError:
        clock = dt.time(0, 0)
    local = dt.datetime.combine(dt.date.fromisoformat(date), clock)
    try:
        moment = local.astimezone(dt.UTC)
    except (OverflowError, OSError, ValueError):
        moment = local.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def _same(a: Record, b: Record, fields: tuple[str, ...] | None) -> bool:
    if fields is None:
        # as exported: our own export brought back is the same record, although its
        # entries' tags also hold the #tags of their text
        return export_doc(a) == export_doc(b)
    return all(
        (a.extra == b.extra) if f == "extra" else getattr(a, f) == getattr(b, f)
        for f in fields
    )


# records per atomic save of an import: about half a megabyte of change log each (the
# store folds its log into journal.json every few megabytes, however they come)
IMPORT_BATCH = 1000


def apply_import(
    repo: Repository,
    incoming: Incoming,
    *,
    source: str,
    dry_run: bool = False,
    progress: Progress = _noop,
) -> ImportReport:
    """Add, update or skip each incoming record (matched by id), saved in batches of
    ``IMPORT_BATCH`` records, each one atomic save: memory and each save stay small
    however big the file, and the progress runs over the saving. A save that fails
    part-way leaves whole batches saved (``ImportInterrupted`` says how many); the
    same file imported again adds the rest, as records are matched by id.

    Our JSON: a record not in the journal is added; one that is, is updated only when
    the file's copy was changed later (``updated_at``), otherwise skipped. jrnl: an entry
    seen before is updated when its text, tags or date changed in jrnl, keeping the skills
    and mood given to it here. A check-in for a skill and day that already has another
    check-in is skipped (a day has one check-in per skill).
    """
    report = ImportReport(source, incoming.format, dry_run, notes=list(incoming.notes))
    plan: list[Record] = []
    days = {(c.skill_id, c.date): c.id for c in repo.all(CheckIn)}
    clashes = 0
    newer_here = 0
    total = len(incoming.records)
    for n, record in enumerate(incoming.records, 1):
        cls = type(record)
        kind = cls.TABLE
        existing = repo.get(cls, record.id)
        if isinstance(record, CheckIn):
            other = days.get((record.skill_id, record.date))
            if other is not None and other != record.id:
                report.skipped[kind] += 1
                clashes += 1
                continue
        if existing is None:
            report.added[kind] += 1
            plan.append(record)
        elif _same(existing, record, incoming.merge_fields):
            report.skipped[kind] += 1
        elif incoming.merge_fields is not None:
            merged = dataclasses.replace(
                existing, **{f: getattr(record, f) for f in incoming.merge_fields
                             if f != "extra"},
            )
            merged.extra = {**existing.extra, **record.extra}
            merged = merged.touched()
            report.updated[kind] += 1
            plan.append(merged)
        elif record.updated_at > existing.updated_at:
            report.updated[kind] += 1
            plan.append(record)
        else:
            report.skipped[kind] += 1
            newer_here += 1
        if isinstance(record, CheckIn):
            days[(record.skill_id, record.date)] = record.id
        if n % 200 == 0:
            progress(n, total * 2)
    if clashes:
        report.notes.append(f"{clashes} check-in(s) skipped: that skill already has a "
                            "check-in on that day")
    if newer_here:
        report.notes.append(f"{newer_here} record(s) kept as they are here: the journal's "
                            "copy is as new or newer than the file's")
    dangling = _dangling_after(repo, plan)
    if dangling:
        report.notes.append(
            f"{dangling} reference(s) point at records in neither the file nor the journal; "
            "run `micro-journal verify` for the list"
        )
    if not dry_run and plan:
        saved = 0
        try:
            for start in range(0, len(plan), IMPORT_BATCH):
                part = plan[start : start + IMPORT_BATCH]
                with repo.batch():  # one atomic save: the whole batch or none of it
                    repo.ensure_meta()
                    repo.save_many(part)
                saved += len(part)
                progress(total + saved * total // len(plan), total * 2)
        except JournalError as err:
            if not saved:
                raise
            raise ImportInterrupted(err, saved, len(plan)) from err
    progress(total * 2, total * 2)
    return report


class ImportInterrupted(JournalError):
    """A save failed after some batches of an import were saved (each batch is saved
    whole or not at all); importing the same file again adds the rest."""

    def __init__(self, err: JournalError, saved: int, planned: int) -> None:
        self.saved, self.planned = saved, planned
        super().__init__(
            f"{err} (The import stopped part-way: {saved} of {planned} records were "
            "already saved, in whole batches; import the file again to add the rest — "
            "what is there already is skipped.)"
        )


def _dangling_after(repo: Repository, plan: list[Record]) -> int:
    present: dict[type[Record], set[str]] = {
        cls: {r.id for r in repo.all(cls)} for cls in ALL_RECORD_TYPES
    }
    for record in plan:
        present[type(record)].add(record.id)
    count = 0
    for record in plan:
        for _where, target, ref in references(record):
            if ref not in present.get(target, set()):
                count += 1
    return count


# ===================================================================== files


def read_import_file(path: Path) -> bytes:
    if path.is_dir():
        raise PortabilityError(f"{path} is a folder, not a file")
    try:
        return read_backup(path)  # a backup may be compressed (.gz, .bz2); else as it is
    except FileNotFoundError:
        raise PortabilityError(f"{path} does not exist") from None
    except OSError as err:
        raise PortabilityError(f"{path} cannot be read ({describe_os_error(err)})") from None
    except ValueError as err:  # DamagedBackup: a compressed file cut short or corrupt
        raise PortabilityError(f"{path} cannot be read: {err}") from None


def journal_part(target: Path, journal_path: Path) -> str | None:
    """What of the journal ``target`` is (its file, change log, lock, drafts, backups, a
    copy set aside…), or None when it is none of it. ``target`` is compared as given
    (made absolute) and with every symlink and ``..`` resolved, against the journal's
    path as given and as the file it names, so neither a symlink nor a relative path
    reaches the journal's files by another name."""
    import os

    journal_path = Path(os.path.abspath(journal_path.expanduser()))
    journals = {journal_path, real_path(journal_path)}
    targets = {Path(os.path.abspath(target)), Path(os.path.realpath(target))}
    fold = (lambda s: s.casefold()) if sys.platform in ("darwin", "win32") else str

    def same(a: Path, b: Path) -> bool:
        return fold(os.path.normcase(str(a))) == fold(os.path.normcase(str(b)))

    def within(inner: Path, outer: Path) -> bool:
        return same(inner, outer) or any(same(parent, outer) for parent in inner.parents)

    for journal in journals:
        name = fold(journal.name)
        for t in targets:
            if same(t, journal):
                return "the journal itself"
            if within(t, backup_dir_for(journal)):
                return "in the journal's backups folder"
            for suffix, what in ((".drafts", "its drafts"), (".changes", "its change log"),
                                 (".lock", "its lock file")):
                if within(t, journal.with_name(journal.name + suffix)):
                    return f"part of the journal ({what})"
            if same(t.parent, journal.parent):
                tname = fold(t.name)
                if tname.startswith(f"{name}.") or tname.startswith(f".{name}{TMP_MARK}"):
                    return "part of the journal (a name kept for its files)"
    # the same file under another name (a hard link, a case-insensitive disk)
    for journal in journals:
        for p in (journal, journal.with_name(journal.name + ".changes"),
                  journal.with_name(journal.name + ".lock")):
            with contextlib.suppress(OSError):
                if os.path.samefile(target, p):
                    return "the journal itself" if p == journal else "part of the journal"
    return None


def check_output_path(target: Path, journal_path: Path | None = None) -> Path:
    """Refuse an output path that cannot be written, or that is part of the journal:
    the journal file, its change log, lock, drafts, backups or a copy set aside beside
    it — by any name (a symlink, ``..``). Nothing is written when it is refused."""
    import os

    target = target.expanduser()
    if journal_path is not None:
        part = journal_part(target, journal_path)
        if part == "the journal itself":
            raise PortabilityError(f"{target} is the journal itself; export to another file")
        if part is not None:
            raise PortabilityError(f"{target} is {part}; export to another file")
    if target.is_dir():
        raise PortabilityError(f"{target} is a folder; give a file name")
    from ..store.storage import not_a_regular_file

    try:
        kind = not_a_regular_file(os.stat(target).st_mode)
    except OSError:
        kind = None  # not there yet (or unreadable: the write says so)
    if kind:
        # writing is a rename over the target: a device or a pipe would be replaced
        raise PortabilityError(f"{target} is {kind}, not a file; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise PortabilityError(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise PortabilityError(f"cannot write {target}: permission denied")
    return target


def encode_export(text: str, fmt: str, *, to_file: bool) -> bytes:
    """The bytes to write: UTF-8; a CSV written to a file starts with a byte-order mark so
    spreadsheets (Excel) read its accents correctly."""
    data = text.encode("utf-8")
    if fmt == "csv" and to_file:
        data = "\ufeff".encode() + data
    return data


def write_export(target: Path, text: str | Iterable[Chunk], fmt: str) -> None:
    """Write an export atomically (a crash leaves the old file or the new, never half).

    ``text`` is the whole export, or its pieces (``iter_export``): each is written as it
    comes, so the export is never held whole in memory. Whatever stops it part-way —
    a full disk, an error making the next piece — removes the temporary file: the old
    file (or none) stays, never half of the new one."""
    def pieces() -> Iterator[bytes]:
        if fmt == "csv":
            yield "\ufeff".encode()
        for chunk in [text] if isinstance(text, str) else text:
            yield encode_chunk(chunk)

    try:
        atomic_write(target, pieces())
    except (OSError, UnicodeEncodeError) as err:
        raise PortabilityError(f"cannot write {target}: {describe_os_error(err)}") from None


def iter_export(
    repo: Repository,
    fmt: str,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
) -> Iterator[Chunk]:
    """An export in ``fmt``, a piece at a time (see ``write_export``); the pieces joined
    are ``export_text``."""
    if fmt == "json":
        return iter_export_json(repo, span=span, progress=progress)
    if fmt == "markdown":
        return iter_export_markdown(repo, today=today, first_weekday=first_weekday,
                                    day_start_hour=day_start_hour, span=span,
                                    progress=progress)
    if fmt == "csv":
        return iter_export_csv(repo, span=span, progress=progress)
    if fmt == "ics":
        return iter_export_ics(repo, span=span, progress=progress)
    raise PortabilityError(f"unknown export format {fmt!r}; use one of: "
                           f"{', '.join(EXPORT_FORMATS)}")


def export_text(
    repo: Repository,
    fmt: str,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
) -> str:
    return "".join(decode_chunks(iter_export(
        repo, fmt, today=today, first_weekday=first_weekday,
        day_start_hour=day_start_hour, span=span, progress=progress)))


def export_to_file(
    repo: Repository,
    fmt: str,
    target: Path,
    *,
    today: dt.date,
    first_weekday: int = rules.MONDAY,
    day_start_hour: int = 0,
    span: DateRange = DateRange(),
    progress: Progress = _noop,
) -> None:
    """Export straight into ``target`` (atomically, 0600), writing each piece as it is
    made. ``progress`` runs over making and writing the pieces and reaches its total
    once the file is in place (the last 2 % are the flush to disk and the rename)."""
    whole = [1]

    def making(done: int, total: int) -> None:
        whole[0] = total + max(1, total // 50)
        progress(min(done, total), whole[0])

    write_export(target, iter_export(repo, fmt, today=today, first_weekday=first_weekday,
                                     day_start_hour=day_start_hour, span=span,
                                     progress=making), fmt)
    progress(whole[0], whole[0])


def check_export_format(fmt: str) -> str:
    aliases = {"md": "markdown", "ical": "ics", "icalendar": "ics"}
    fmt = aliases.get(fmt.strip().lower(), fmt.strip().lower())
    if fmt not in EXPORT_FORMATS:
        raise PortabilityError(f"unknown export format {fmt!r}; use one of: "
                               f"{', '.join(EXPORT_FORMATS)}")
    return fmt


# ===================================================================== backup and restore


def backup_now(journal: Journal, now: dt.datetime) -> Path:
    """A manual backup of the journal as it is on disk; returns its path.

    It is labelled ``manual-<date>-<time>``: rotated apart from the daily backups (the
    newest ``backups.MANUAL_KEEP`` manual ones are kept), so backing up by hand — or
    from cron every hour — never pushes a daily or weekly copy out. Its name is one no
    file has (``-1``, ``-2``… when two are made in the same second)."""
    made = journal.backup_now(f"{MANUAL_PREFIX}{now:%Y-%m-%d-%H%M%S}")
    if made is None:
        raise PortabilityError(f"there is no journal at {journal.path} to back up")
    journal.rotate_backups()
    return made


def find_backup(journal_path: Path, name: str) -> Path:
    """The backup called ``name``: a path, a file name in backups/, or its label."""
    from ..store.backups import SUFFIXES

    given = Path(name).expanduser()
    journal_path = real_path(journal_path)
    folder = backup_dir_for(journal_path)
    # a label names one backup, in whichever format it was written (.json.gz, .json.bz2,
    # or .json by earlier versions)
    candidates = [given, folder / name, *(folder / f"{name}{s}" for s in SUFFIXES),
                  *(folder / f"{journal_path.stem}-{name}{s}" for s in SUFFIXES)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise PortabilityError(
        f"no backup called {name!r} (see `micro-journal restore` for the list)"
    )


@dataclass
class RestoreResult:
    restored: Path
    kept_as: Path | None
    # records of the backup this micro-journal leaves out (kept in the file as they are)
    unreadable: tuple[str, ...] = ()


def restore(journal_path: Path, backup: Path) -> RestoreResult:
    """Put ``backup`` in place of the journal, under the journal's lock; the current file
    is kept first (as a backup, or set aside when it does not parse)."""
    from filelock import FileLock, Timeout

    from ..store.backups import DamagedBackup, read_backup
    from ..store.errors import JournalLocked

    journal_path = real_path(journal_path)  # the file the app locks and writes
    try:
        raw = read_backup(backup)  # uncompressed: journal.json gets the plain bytes
    except OSError as err:
        raise PortabilityError(f"{backup} cannot be read ({describe_os_error(err)})") from None
    except DamagedBackup as err:
        raise PortabilityError(f"{backup} is a damaged backup: {err}") from None
    try:
        data = parse_journal_bytes(raw)
    except ValueError as err:
        raise PortabilityError(f"{backup} is not a journal backup: {err}") from None
    if not raw.strip():
        raise PortabilityError(f"{backup} is empty; it is no backup of anything")
    # the same check the journal is read with: a record the app would leave out is
    # restored as it is (a backup is the user's own journal; refusing it would leave
    # them without it) and named, as opening such a journal names it
    problem = migrations.version_problem(data)
    unreadable = (problem,) if problem else tuple(str(p) for p in read_documents(data)[1])
    if journal_path.exists() and backup.resolve() == journal_path.resolve():
        raise PortabilityError(f"{backup} is the journal itself")
    lock = FileLock(str(lock_path_for(journal_path)), timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise JournalLocked(journal_path, lock_path_for(journal_path)) from None
    try:
        before = set(list_backups(journal_path))
        aside_before = set(journal_path.parent.glob(f"{journal_path.name}.corrupt-*"))
        restore_backup(journal_path, backup, raw)
        kept = sorted(set(list_backups(journal_path)) - before)
        aside = sorted(set(journal_path.parent.glob(f"{journal_path.name}.corrupt-*"))
                       - aside_before)
    finally:
        lock.release()
    return RestoreResult(backup, (kept or aside or [None])[-1], unreadable)


def describe_backups(journal_path: Path) -> list[tuple[Path, int, float]]:
    """(path, size on disk, modified time) of each backup, oldest first (plain or
    compressed alike)."""
    result = []
    for p in list_backups(real_path(journal_path)):
        try:
            st = p.stat()
        except OSError:
            continue
        result.append((p, st.st_size, st.st_mtime))
    return result
