"""The core (domain + store) is reachable without the TUI (DESIGN §3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_are_kept():
    """The contracts in pyproject.toml: domain/store never import textual; layers point down."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    if not lint_imports.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _modules_loaded_by(*imports: str) -> set[str]:
    code = (
        "import json, sys\n"
        + "".join(f"import {name}\n" for name in imports)
        + "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return set(json.loads(result.stdout))


def _top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_domain_and_store_load_without_the_ui_toolkit():
    loaded = _modules_loaded_by(
        "micro_journal.domain.models", "micro_journal.domain.rules",
        "micro_journal.domain.clock", "micro_journal.store",
    )
    assert "micro_journal.store.repository" in loaded  # the import really happened
    assert not _top_level(loaded) & {"textual", "rich"}
    assert not {m for m in loaded if m.startswith(("micro_journal.app", "micro_journal.screens",
                                                   "micro_journal.widgets"))}


def test_the_domain_needs_neither_storage_nor_ui():
    loaded = _modules_loaded_by(
        "micro_journal.domain.models", "micro_journal.domain.rules",
        "micro_journal.domain.clock",
    )
    assert "micro_journal.domain.rules" in loaded
    assert not _top_level(loaded) & {"textual", "rich", "tinydb", "filelock"}
    assert not {m for m in loaded if m.startswith("micro_journal.store")}
