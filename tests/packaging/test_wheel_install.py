"""A non-editable install finds the built-in themes and starts with each of them.

Builds the wheel (``pip wheel``), installs it without ``-e`` into a fresh virtual
environment, and runs the installed app headless once per built-in theme. The fresh
venv borrows the *dependencies* (textual, tinydb…) from the test environment through a
``.pth`` line instead of downloading them; ``micro_journal`` itself comes only from the
wheel (asserted), so an editable checkout can never stand in for it.

Needs build tools: hatchling from the environment when it is installed, otherwise pip's
isolated build fetches it from PyPI (as CI can).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
THEMES = sorted(p.name for p in (ROOT / "themes").glob("*.toml"))


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=240, check=False,
        **kwargs,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, ROOT]
    try:
        import hatchling  # noqa: F401  (build offline with the installed backend)

        build.insert(4, "--no-build-isolation")
    except ImportError:
        pass
    run(*build)
    (built,) = out.glob("micro_journal-*.whl")
    return built


def test_the_wheel_ships_every_builtin_theme(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("micro_journal/_themes/"))
    assert shipped == THEMES
    assert "micro_journal/styles/settings.tcss" in names
    assert not any(n.startswith(("tests/", "themes/")) for n in names)


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", env)
    python = env / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())
    # the dependencies, from the environment running the tests (after the venv's own)
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--quiet", wheel)
    return env


APP_CHECK = textwrap.dedent("""
    import asyncio, datetime as dt, json, sys, tempfile
    from pathlib import Path

    import micro_journal
    from micro_journal.cli import make_app
    from micro_journal.config import Config
    from micro_journal.domain.clock import FixedClock
    from micro_journal.themes import builtin_theme_dir

    folder = builtin_theme_dir()
    report = {"package": micro_journal.__file__, "themes": str(folder), "started": {}}

    async def start(name):
        db = Path(tempfile.mkdtemp()) / "journal.json"
        app = make_app(db, FixedClock(dt.date(2026, 11, 18)), Config(theme=name))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            problems = [n.message for n in app._notifications if n.severity != "information"]
            report["started"][name] = {
                "theme": app.theme, "screen": type(app.screen).__name__,
                "done": app.get_css_variables().get("done"), "problems": problems,
            }
            await pilot.press("q")

    for path in sorted(folder.glob("*.toml")):
        asyncio.run(start(path.stem))
    print(json.dumps(report))
""")


def test_installed_app_starts_headless_with_each_builtin_theme(venv, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MICRO_JOURNAL"))}
    env["MICRO_JOURNAL_CONFIG_DIR"] = str(tmp_path / "config")
    result = run(venv / "bin" / "python", "-c", APP_CHECK, cwd=tmp_path, env=env)
    report = json.loads(result.stdout.strip().splitlines()[-1])

    package = Path(report["package"])
    assert venv in package.parents, f"imported {package}, not the installed wheel"
    assert ROOT not in package.parents
    assert Path(report["themes"]) == package.parent / "_themes"
    assert sorted(report["started"]) == sorted(Path(t).stem for t in THEMES)
    for name, seen in report["started"].items():
        assert seen["theme"] == name
        assert seen["screen"] == "TodayScreen"
        assert seen["done"]  # our variables are there
        assert seen["problems"] == [], seen["problems"]


def test_installed_command_runs(venv):
    result = run(venv / "bin" / "micro-journal", "--version")
    assert result.stdout.startswith("micro-journal ")
