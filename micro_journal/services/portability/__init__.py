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

One module a job; each imports only those above it in this list (the import-linter
contract in pyproject.toml holds it):

``common``       the progress callback, ``PortabilityError``, ``DateRange``, small formats
``snapshot``     the journal in memory for the exporters (``Snapshot``)
``records``      records checked as the repository reads them, their references, kind names
``json_export``  the JSON export, streamed (``iter_export_json``, ``Chunk``)
``csv_export``   the CSV export of the check-ins
``ics_export``   the iCalendar export
``markdown``     the Markdown export and the Markdown pieces of a week
``summary``      the week's summary, the journal's stats
``export``       any format to a text or a file; where an export may be written
``verify``       verify a journal file
``importers``    import our JSON or jrnl's, in atomic batches
``backup``       manual backup, the list of backups, restore

This package re-exports the public names, so ``from ..services import portability as
pt`` serves every caller; a test that patches a setting (``JSON_CHUNK``) patches the
module that reads it.
"""

from __future__ import annotations

from .backup import RestoreResult, backup_now, describe_backups, find_backup, restore
from .common import (
    EXPORT_MARK,
    DateRange,
    PortabilityError,
    Progress,
    by_table,
    plural,
    record_day,
)
from .csv_export import CSV_COLUMNS, iter_export_csv
from .export import (
    EXPORT_FORMATS,
    FILE_SUFFIX,
    ExportOptions,
    check_export_format,
    check_output_path,
    encode_export,
    export_text,
    export_to_file,
    iter_export,
    journal_part,
    write_export,
)
from .ics_export import ICS_PRODID, ics_escape, ics_fold, iter_export_ics
from .importers import (
    IMPORT_BATCH,
    IMPORT_FORMATS,
    JRNL_KNOWN,
    JRNL_NAMESPACE,
    ImportInterrupted,
    ImportReport,
    Incoming,
    apply_import,
    detect_format,
    load_import,
    read_import_file,
)
from .json_export import (
    JSON_CHUNK,
    Chunk,
    decode_chunks,
    encode_chunk,
    export_doc,
    export_json,
    iter_export_json,
)
from .markdown import SkillWeek, iter_export_markdown, md_cell, md_quote
from .records import (
    KIND,
    PLURAL,
    REFERENCE_KEYS,
    decode,
    kind_of,
    kinds_of,
    read_documents,
    references,
)
from .snapshot import Snapshot
from .summary import journal_stats, render_stats, week_summary
from .verify import VerifyReport, verify_data, verify_parsed, verify_path

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "EXPORT_MARK",
    "FILE_SUFFIX",
    "ICS_PRODID",
    "IMPORT_BATCH",
    "IMPORT_FORMATS",
    "JRNL_KNOWN",
    "JRNL_NAMESPACE",
    "JSON_CHUNK",
    "KIND",
    "PLURAL",
    "REFERENCE_KEYS",
    "Chunk",
    "DateRange",
    "ExportOptions",
    "ImportInterrupted",
    "ImportReport",
    "Incoming",
    "PortabilityError",
    "Progress",
    "RestoreResult",
    "SkillWeek",
    "Snapshot",
    "VerifyReport",
    "apply_import",
    "backup_now",
    "by_table",
    "check_export_format",
    "check_output_path",
    "decode",
    "decode_chunks",
    "describe_backups",
    "detect_format",
    "encode_chunk",
    "encode_export",
    "export_doc",
    "export_json",
    "export_text",
    "export_to_file",
    "find_backup",
    "ics_escape",
    "ics_fold",
    "iter_export",
    "iter_export_csv",
    "iter_export_ics",
    "iter_export_json",
    "iter_export_markdown",
    "journal_part",
    "journal_stats",
    "kind_of",
    "kinds_of",
    "load_import",
    "md_cell",
    "md_quote",
    "plural",
    "read_documents",
    "read_import_file",
    "record_day",
    "references",
    "render_stats",
    "restore",
    "verify_data",
    "verify_parsed",
    "verify_path",
    "week_summary",
    "write_export",
]
