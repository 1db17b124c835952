"""Verify a journal file: it parses, its schema is known, each record passes the
repository's check and every reference resolves (its change log laid on first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ...domain.models import ALL_RECORD_TYPES, CheckIn, Record
from ...store import changes, migrations
from ...store.backups import DamagedBackup, read_backup
from ...store.files import check_shape, describe_os_error, parse_journal_bytes
from ...store.sync import TOMBSTONES
from .common import by_table
from .records import kind_of, read_documents, references


def _label(record: Record) -> str:
    """A record in a message: its kind and id, never its text (it may be private)."""
    for name in ("date", "week"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return f"{kind_of(type(record))} of {value} ({record.id[:8]})"
    return f"{kind_of(type(record))} {record.id[:8]}"


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
    data = _parse(report, raw)
    if data is None:
        return report
    return verify_parsed(report, data, empty=not raw.strip())


def _parse(report: VerifyReport, raw: bytes) -> dict[str, Any] | None:
    """The journal ``raw`` holds, or None when it does not parse (the report says so)."""
    try:
        return parse_journal_bytes(raw)
    except ValueError as err:
        report.problems.append(f"the file does not parse: {err}")
        return None


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
        # the tombstones: what was removed, kept for a sync (store/sync.py)
        if name not in ("meta", TOMBSTONES) and name not in tables:
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
    # ``ids`` maps each class to its own records: a mapping mypy cannot type
    for checkin in cast("dict[str, CheckIn]", ids[CheckIn]).values():
        key = (checkin.skill_id, checkin.date)
        if key in seen_days:
            report.problems.append(
                f"{_label(checkin)}: a second check-in of the same skill on {key[1]} "
                f"(the other is {seen_days[key][:8]})"
            )
        seen_days[key] = checkin.id
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
    report = VerifyReport(path)
    try:
        raw = read_backup(path)  # a backup's journal, uncompressed (.gz, .bz2)
    except FileNotFoundError:
        report.problems.append("there is no journal file there")
        return report
    except OSError as err:
        report.problems.append(f"it cannot be read ({describe_os_error(err)})")
        return report
    except DamagedBackup as err:
        report.problems.append(str(err))
        return report
    # parsed once: the change log's saves are laid on what was parsed, and the records
    # are checked there (not written out and parsed again)
    data = _parse(report, raw)
    if data is None:
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
