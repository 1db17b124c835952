"""Schema migrations: how a journal written by an older micro-journal is upgraded.

The file's ``meta`` table holds ``schema_version``; the app understands
``domain.models.SCHEMA_VERSION``. ``STEPS`` maps a version ``n`` to the function that
turns a parsed version-``n`` journal (``{table: {doc_id: doc}}``) into a version
``n + 1`` one. ``open_journal`` runs the steps when the file is older than the app,
and only after it has written a pre-migration backup and read it back byte for byte
(see ``store.journal``). A step must be pure: it gets a deep copy and returns the new
data; if it raises, nothing is written and the journal opens read-only.

To add a version: bump ``SCHEMA_VERSION`` and register the step from the old one::

    @step(1)
    def _entries_get_a_word_count(data):
        for doc in data.get("entries", {}).values():
            doc.setdefault("words", len(doc.get("body", "").split()))
        return data
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..domain import models
from .files import meta_row

Data = dict[str, dict[str, Any]]
Step = Callable[[Data], Data]

# version n -> the step that upgrades a version-n journal to n + 1
STEPS: dict[int, Step] = {}


class MigrationError(Exception):
    """A journal cannot be upgraded; the message says why in plain words."""


def step(from_version: int) -> Callable[[Step], Step]:
    """Register ``fn`` as the upgrade from ``from_version`` to ``from_version + 1``."""

    def register(fn: Step) -> Step:
        if from_version in STEPS:
            raise ValueError(f"a migration from schema {from_version} is already registered")
        STEPS[from_version] = fn
        return fn

    return register


def target_version() -> int:
    """The schema this micro-journal writes (read at call time, so tests can move it)."""
    return models.SCHEMA_VERSION


_NONE = object()


def _declared(data: Data | None) -> Any:
    """The ``schema_version`` value of the meta row as written (``_NONE``: no row)."""
    row = meta_row(data)
    return row["schema_version"] if row is not None else _NONE


def file_version(data: Data | None) -> int | None:
    """The ``schema_version`` a journal file declares, or None when it declares none or
    one that is no whole number (``version_problem`` says so; the repository then opens
    the journal read-only)."""
    version = _declared(data)
    if type(version) is int:
        return version
    if type(version) is float and version.is_integer():
        return int(version)  # 1.0: a whole number written by another tool
    return None


def version_problem(data: Data | None) -> str | None:
    """Why the file's ``schema_version`` cannot be read, or None (it is a whole number,
    or there is none). Never raises: 1e999, 1.5, "one", null, [1]…"""
    version = _declared(data)
    if version is _NONE or file_version(data) is not None:
        return None
    if isinstance(version, str):
        shown = "text"
    elif version is None:
        shown = "null"
    elif isinstance(version, int | float) and len(repr(version)) <= 24:
        shown = repr(version)
    else:
        shown = f"a {type(version).__name__}"
    return f"its schema_version ({shown}) is not a whole number"


def set_version(data: Data, version: int) -> None:
    meta = data.setdefault("meta", {})
    rows = [doc for doc in meta.values() if "schema_version" in doc]
    if not rows:
        next_id = max((int(k) for k in meta if str(k).isdigit()), default=0) + 1
        meta[str(next_id)] = rows_doc = {"schema_version": version}
        rows = [rows_doc]
    for doc in rows:
        doc["schema_version"] = version


def migrate(data: Data, from_version: int, to_version: int | None = None) -> Data:
    """A migrated deep copy of ``data``; raises MigrationError, never half-migrates."""
    to_version = target_version() if to_version is None else to_version
    missing = [v for v in range(from_version, to_version) if v not in STEPS]
    if from_version < 1 or missing:
        raise MigrationError(
            f"no upgrade is known from schema {missing[0] if missing else from_version} "
            f"to {to_version}"
        )
    out = copy.deepcopy(data)
    for version in range(from_version, to_version):
        try:
            out = STEPS[version](out)
        except Exception as err:
            raise MigrationError(
                f"the upgrade from schema {version} to {version + 1} failed "
                f"({type(err).__name__})"
            ) from err
        if not isinstance(out, dict) or not all(isinstance(t, dict) for t in out.values()):
            raise MigrationError(
                f"the upgrade from schema {version} to {version + 1} produced no journal"
            )
    set_version(out, to_version)
    return out
