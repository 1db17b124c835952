"""No POSIX-only call sneaks back into the package (issue 19: every OS Textual runs on).

Windows has no os.pread, O_CLOEXEC, O_NONBLOCK or SIGHUP, and its strftime refuses
``%-d``. store/files.py chooses the calls at run time and app.shutdown_signals the
signals; everything else goes through them. The fallbacks themselves are exercised in
test_portable_paths.py and test_portable_signals.py."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from micro_journal.domain import dates

PACKAGE = Path(__file__).resolve().parents[2] / "micro_journal"
CHOOSERS = {PACKAGE / "store" / "files.py"}  # the one place that may name them

POSIX_ONLY = {
    "os.pread": re.compile(r"\bos\.pread\b"),
    "os.pwrite": re.compile(r"\bos\.pwrite\b"),
    "os.O_CLOEXEC": re.compile(r"\bos\.O_CLOEXEC\b"),
    "os.O_NONBLOCK": re.compile(r"\bos\.O_NONBLOCK\b"),
    "signal.SIGHUP": re.compile(r"\bsignal\.SIG(HUP|QUIT|USR1|USR2|WINCH)\b"),
    "fcntl": re.compile(r"^\s*(import fcntl|from fcntl)", re.M),
    "a strftime flag (%-d, %e…)": re.compile(r"%[-_^#]?[-_][a-zA-Z]|%e"),
}


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p not in CHOOSERS)


@pytest.mark.parametrize("what", sorted(POSIX_ONLY))
def test_no_posix_only_call_outside_the_chooser(what):
    pattern = POSIX_ONLY[what]
    found = [f"{p.relative_to(PACKAGE)}:{text[:m.start()].count(chr(10)) + 1}"
             for p in sources() for text in [p.read_text(encoding="utf-8")]
             for m in pattern.finditer(text)
             if not _in_comment_or_docstring(text, m.start())]
    assert found == [], f"{what} used directly (go through store/files.py or a guard)"


def _in_comment_or_docstring(text: str, at: int) -> bool:
    line = text[text.rfind("\n", 0, at) + 1:at]
    if "#" in line:
        return True
    return text[:at].count('"""') % 2 == 1  # inside a docstring


def test_day_numbers_are_written_without_a_platform_flag(monkeypatch):
    """The display never asks strftime for an unpadded day: a strftime that refuses
    every ``%-`` flag (as Windows' does) still writes every date."""
    real = dt.date.strftime

    def windows_strftime(self, pattern):
        if re.search(r"%[-#]", pattern):
            raise ValueError("Invalid format string")
        return real(self, pattern)

    class WindowsDate(dt.date):
        strftime = windows_strftime

    day = WindowsDate(2026, 11, 2)
    assert dates._fmt(day, "dddd D MMMM YYYY") == "Monday 2 November 2026"
    assert dates._fmt(day, "ddd D MMM") == "Mon 2 Nov"
