"""Fixtures for the CLI tests (see cli_helpers for the sealed environment)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.cli_helpers import Sandbox, sealed_env


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path, sealed_env(tmp_path))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo journal for 2026-11-18, written once by the real `demo` command."""
    root = tmp_path_factory.mktemp("demo-template")
    box = Sandbox(root, sealed_env(root))
    target = root / "demo.json"
    result = box.run("demo", str(target))
    assert result.returncode == 0, result.stderr
    return target.read_bytes()


@pytest.fixture
def journal(sandbox: Sandbox, demo_template: bytes) -> Path:
    """A fresh copy of the demo journal, private to the test."""
    path = sandbox.root / "journal" / "journal.json"
    path.parent.mkdir(mode=0o700)
    path.write_bytes(demo_template)
    path.chmod(0o600)
    return path


@pytest.fixture
def today_json(sandbox: Sandbox, journal: Path) -> Callable[[], dict]:
    def read() -> dict:
        result = sandbox.run("today", "--json", db=journal)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return read
