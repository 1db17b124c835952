"""The project's own files: licence, changelog, pins, extras and supported systems, as
pyproject.toml and the README promise them."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement(name: str) -> str:
    [found] = [r for r in PROJECT["project"]["dependencies"] if r.startswith(f"{name}>")]
    return found


def test_the_licence_is_mit_and_goes_into_the_wheel():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "the micro-journal authors" in text
    assert PROJECT["project"]["license"] == "MIT"
    assert PROJECT["project"]["license-files"] == ["LICENSE"]
    assert "LICENSE" in PROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_the_changelog_has_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text and "keepachangelog.com" in text


def test_textual_is_pinned_to_the_installed_minor_series():
    spec = SpecifierSet(requirement("textual").removeprefix("textual"))
    installed = version("textual")
    assert installed in spec
    major, minor = (int(n) for n in installed.split(".")[:2])
    assert f"{major}.{minor + 1}.0" not in spec  # the next minor is a deliberate move


def test_the_test_extra_brings_the_linters_ci_runs():
    extras = PROJECT["project"]["optional-dependencies"]
    assert {"ruff", "import-linter"} <= {r.split(">")[0] for r in extras["dev"]}
    assert "micro-journal[dev]" in extras["test"]  # pip install -e ".[test]" (CI, README)


def test_every_supported_system_is_declared_and_named_in_the_readme():
    classifiers = PROJECT["project"]["classifiers"]
    for system in ("POSIX :: Linux", "MacOS", "Microsoft :: Windows"):
        assert f"Operating System :: {system}" in classifiers
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "**Supported systems:** Linux, macOS and Windows" in readme
    assert "### Moving to a newer Textual" in readme


def test_every_module_of_the_package_is_in_the_layers_contract():
    """A new top-level module must be given its place (pyproject.toml, the "layers:"
    contract), or import-linter would never check what it imports."""
    [layers] = [c for c in PROJECT["tool"]["importlinter"]["contracts"]
                if c["name"].startswith("layers:")]
    placed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    package = ROOT / "micro_journal"
    modules = {f"micro_journal.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {f"micro_journal.{p.parent.name}" for p in package.glob("*/__init__.py")}
    assert modules - placed == set()
    assert placed - modules == set()  # nothing named that is not there
