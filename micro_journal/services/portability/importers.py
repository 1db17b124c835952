"""Import: our own JSON export (or a journal or backup file), matched by record id,
and jrnl's ``jrnl --export json``. Everything is parsed and checked before anything is
written, then saved in atomic batches of ``IMPORT_BATCH`` records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...domain.models import ALL_RECORD_TYPES, CheckIn, Entry, Record, RecordError, check_date
from ...store import migrations
from ...store.backups import read_backup
from ...store.errors import JournalError
from ...store.files import check_shape, describe_os_error, json_text
from ...store.repository import Repository
from .common import EXPORT_MARK, PortabilityError, Progress, by_table, noop
from .json_export import export_doc
from .records import decode, kind_of, kinds_of, references

IMPORT_FORMATS = ("json", "jrnl")
# a fixed namespace, so the same jrnl entry always gets the same id
JRNL_NAMESPACE = uuid.UUID("6f1d3c1e-8a51-4f0e-9a57-2d8b7f3e2a10")


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


def _strict_date(text: str) -> dt.date | None:
    try:
        check_date(text, "date")
    except RecordError:
        return None
    return dt.date.fromisoformat(text)


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
    progress: Progress = noop,
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

