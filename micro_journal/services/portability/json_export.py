"""The JSON export: the whole journal, lossless (unknown fields kept), in a stable
order with its schema version, written a table at a time and byte for byte what
``json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)`` makes of it.

The tables that grow with the years are taken as they are stored when a document
certainly passes the repository's check, instead of being made records and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...domain.journal import entry_tags, normalise_tags, tags_of
from ...domain.models import (
    ALL_RECORD_TYPES,
    DECISIONS,
    GOAL_STATUSES,
    MINUTES_MAX,
    NUMBER_MAX,
    CheckIn,
    Entry,
    Measurement,
    MicroGoal,
    Record,
    RecordError,
    WeeklyReview,
)
from ...store import migrations
from ...store.repository import Repository, read_document
from ...store.table import doc_id as table_doc_id
from .common import ALL_DATES, EXPORT_MARK, DateRange, Progress, noop, record_day


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
    _orjson = None  # type: ignore[assignment]  # the optional module, absent
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


def _field_set(cls: type) -> frozenset[str]:
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
    # a classmethod read from its class is a bound method: it has __func__ (mypy says not)
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


def _ticker(progress: Progress, at: int, size: int, total: int) -> Callable[[int], None]:
    """``progress`` as one table of ``size`` documents is read, from ``at`` of ``total``."""
    return lambda n: progress(at + min(n, size), total)


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
                    if given not in normalised:
                        normalised[given] = normalise_tags(stored)
                    tags = normalised[given]
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
    from ... import __version__

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
    repo: Repository, *, span: DateRange = ALL_DATES, progress: Progress = noop,
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
        rows = _export_rows(repo, classes[name], span, _ticker(progress, base, size, total))
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
    repo: Repository, *, span: DateRange = ALL_DATES, progress: Progress = noop,
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
