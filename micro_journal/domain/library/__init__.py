"""The skill library: common objectives broken into candidate micro-skills.

Each objective is one TOML file. The built-in files sit beside this module (shipped in
the wheel); the user adds or extends objectives with files of the same shape in their own
library folder (``services.library.user_library_dir()``). A file looks like::

    objective = "Public speaking"              # required: the objective's name
    aliases = ["speaking", "presentations"]    # optional: words or phrases that match it

    [[skill]]                                  # one table per candidate micro-skill
    title = "No 'um' or 'uh' in a 5-minute talk"   # required: one element
    why = "Fillers make you sound unsure."     # optional: the cue / why it matters
    drill = "Record a 5-minute talk; count the fillers on playback."  # optional
    minutes = 5             # optional, whole minutes a day, 1–240 (default 5)
    metric = "fillers per 5-minute talk"       # optional: what you count
    unit = "fillers"        # optional
    direction = "lower"     # optional: "higher" or "lower" is better (default "higher")
    baseline = 12           # optional number: a typical starting point
    target = 2              # optional number: where to aim
    days = 7                # optional, days a week, 1–7 (default 7)

Unknown keys are ignored (and reported, since they are usually typos). The built-in
files fill every field, and their minutes are 5–10; the tests hold them to that.

Rules of :func:`load_library`:

* A user file naming an objective that already exists (the same name, case ignored)
  *adds* its skills in front of the existing ones and its aliases to theirs; a user skill
  with the title of an existing one (case ignored) replaces it, so a user can change a
  built-in suggestion's numbers. Several files are read in file-name order.
* A user file that cannot be used (unreadable, too large, not valid TOML, a wrong type,
  a missing objective or title) never raises: it is skipped as a whole and the reason is
  added, in plain words naming the file, to :attr:`Library.problems`.
* The built-in files are parsed once per process, on first use (nothing at import time).

This module is pure: standard library only (``tomllib``, ``importlib.resources``).
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

BUILT_IN = "built-in"
MAX_FILE_BYTES = 512 * 1024
MAX_USER_FILES = 200
MAX_TEXT = 1000
DIRECTIONS = ("higher", "lower")

_SKILL_KEYS = {
    "title", "why", "drill", "minutes", "metric", "unit", "direction", "baseline",
    "target", "days",
}
_FILE_KEYS = {"objective", "aliases", "skill"}


@dataclass(frozen=True)
class Suggestion:
    """One candidate micro-skill of an objective, with how to practise and measure it."""

    title: str
    why: str = ""
    drill: str = ""
    minutes: int = 5
    metric: str = ""
    unit: str = ""
    direction: str = "higher"
    baseline: float | None = None
    target: float | None = None
    days: int = 7
    objective: str = ""


@dataclass(frozen=True)
class Decomposition:
    """A common objective broken into candidate micro-skills.

    ``source`` is ``"built-in"``, the path of the user's file, or several of them joined
    with ``" + "`` when a user file extends another objective.
    """

    objective: str
    aliases: tuple[str, ...] = ()
    skills: tuple[Suggestion, ...] = ()
    source: str = BUILT_IN


class LibraryFileError(ValueError):
    """A library file that cannot be used; the message is for people."""


@dataclass
class Library:
    """Every objective of the library (built-in and the user's), merged by name."""

    decompositions: tuple[Decomposition, ...] = ()
    problems: list[str] = field(default_factory=list)

    def objectives(self) -> list[Decomposition]:
        """Every objective, by name (case ignored), for browsing."""
        return list(self.decompositions)

    def matching(self, title: str) -> list[Decomposition]:
        """The objectives that fit an objective title best (empty when none does)."""
        scored = [(_score(title, d), d) for d in self.decompositions]
        best = max((s for s, _ in scored), default=0)
        if best <= 0:
            return []
        return [d for s, d in scored if s == best]

    def for_objective(self, title: str) -> list[Suggestion]:
        """The suggestions for an objective title: its name or an alias (case ignored),
        or failing that the objective sharing most words with it. ``[]`` when none."""
        return [s for d in self.matching(title) for s in d.skills]


# ----------------------------------------------------------------- matching
# words that say nothing about which objective is meant
_STOP_TEXT = """
    a an the to of in on at for with and or by from into my our your me i we be being become
    becoming get getting got make making more less better best good great improve improving
    learn learning master mastering skill skills how way ways daily every day week new
    really very much some want start starting stop
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_SUFFIXES = ("ings", "ing", "ers", "er", "ies", "es", "s", "ed", "ly")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def _words(text: str) -> set[str]:
    """The meaningful word stems of ``text`` ("Public speakers" → {"public", "speak"})."""
    return {
        _stem(w) for w in re.findall(r"[^\W_]+", _fold(text))
        if w not in _STOP_WORDS and not w.isdigit()
    }


def _phrase(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", _fold(text)))


def _score(title: str, decomposition: Decomposition) -> int:
    wanted = _phrase(title)
    if not wanted:
        return 0
    names = [decomposition.objective, *decomposition.aliases]
    phrases = {_phrase(n) for n in names} - {""}
    if wanted in phrases:
        return 1000
    padded = f" {wanted} "
    score = 0
    for phrase in phrases:  # a whole name or alias inside the title: "my public speaking"
        if f" {phrase} " in padded:
            score = max(score, 100 + len(phrase.split()))
    known: set[str] = set()
    for name in names:
        known |= _words(name)
    return score + len(_words(title) & known)


# ----------------------------------------------------------------- parsing
def _where(index: int | None, title: str | None = None) -> str:
    if index is None:
        return ""
    named = f" ({title!r})" if title else ""
    return f"skill {index}{named}: "


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise LibraryFileError(f"{where}{key!r} is missing")
        return ""
    if not isinstance(value, str):
        raise LibraryFileError(f"{where}{key!r} must be text in quotes")
    # line breaks and tabs (a multi-line string) read as spaces; other control
    # characters have no business in a suggestion
    value = " ".join(value.split())
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise LibraryFileError(f"{where}{key!r} contains a control character")
    if len(value) > MAX_TEXT:
        raise LibraryFileError(f"{where}{key!r} is longer than {MAX_TEXT} characters")
    if required and not value:
        raise LibraryFileError(f"{where}{key!r} is empty")
    return value


def _whole(data: Mapping[str, Any], key: str, where: str, default: int, low: int,
           high: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LibraryFileError(f"{where}{key!r} must be a whole number from {low} to {high}")
    return value


def _number(data: Mapping[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
        value
    ):
        raise LibraryFileError(f"{where}{key!r} must be a number")
    return value


def _skill(data: Any, index: int, objective: str) -> Suggestion:
    if not isinstance(data, dict):
        raise LibraryFileError(f"skill {index} must be a [[skill]] table")
    where = _where(index)
    title = _text(data, "title", where, required=True)
    where = _where(index, title)
    direction = _text(data, "direction", where) or "higher"
    if direction not in DIRECTIONS:
        raise LibraryFileError(f'{where}\'direction\' must be "higher" or "lower"')
    return Suggestion(
        title=title,
        why=_text(data, "why", where),
        drill=_text(data, "drill", where),
        minutes=_whole(data, "minutes", where, 5, 1, 240),
        metric=_text(data, "metric", where),
        unit=_text(data, "unit", where),
        direction=direction,
        baseline=_number(data, "baseline", where),
        target=_number(data, "target", where),
        days=_whole(data, "days", where, 7, 1, 7),
        objective=objective,
    )


def parse_decomposition(data: Mapping[str, Any], source: str = BUILT_IN) -> tuple[
    Decomposition, list[str]
]:
    """Check a parsed file into a Decomposition; also returns notes on ignored keys.

    Raises LibraryFileError (a plain message) when the file cannot be used."""
    objective = _text(data, "objective", "", required=True)
    aliases = data.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise LibraryFileError("'aliases' must be a list of text, e.g. [\"speaking\"]")
    clean_aliases = tuple(_text({"alias": a}, "alias", "") for a in aliases)
    skills = data.get("skill", [])
    if not isinstance(skills, list):
        raise LibraryFileError("skills must be written as [[skill]] tables")
    if not skills:
        raise LibraryFileError("it has no [[skill]] table")
    suggestions = tuple(_skill(s, n, objective) for n, s in enumerate(skills, start=1))
    notes = [f"unknown key {k!r} (ignored)" for k in sorted(set(data) - _FILE_KEYS)]
    for n, s in enumerate(skills, start=1):
        notes += [
            f"skill {n}: unknown key {k!r} (ignored)" for k in sorted(set(s) - _SKILL_KEYS)
        ]
    return Decomposition(objective, clean_aliases, suggestions, source), notes


def _parse_text(text: str, source: str) -> tuple[Decomposition, list[str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LibraryFileError(f"not valid TOML ({err})") from None
    except RecursionError:
        raise LibraryFileError("nested too deeply to read") from None
    return parse_decomposition(data, source)


def _read_user_file(path: Path) -> tuple[Decomposition, list[str]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise LibraryFileError(f"larger than {MAX_FILE_BYTES // 1024} KiB")
        raw = path.read_bytes()
    except OSError as err:
        raise LibraryFileError(f"cannot be read ({err.strerror or err})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LibraryFileError("is not UTF-8 text") from None
    return _parse_text(text, str(path))


@functools.cache
def _built_ins() -> tuple[tuple[Decomposition, ...], tuple[str, ...]]:
    """The shipped files, parsed once (on first use, never at import)."""
    found: list[Decomposition] = []
    problems: list[str] = []
    folder = resources.files(__name__)
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if not item.name.endswith(".toml"):
            continue
        try:
            decomposition, _ = _parse_text(item.read_text(encoding="utf-8"), BUILT_IN)
        except (LibraryFileError, OSError, UnicodeDecodeError) as err:
            problems.append(f"built-in {item.name}: skipped: {err}")
            continue
        found.append(decomposition)
    return tuple(found), tuple(problems)


def built_in_objectives() -> tuple[Decomposition, ...]:
    return _built_ins()[0]


def _user_files(user_dir: Path, problems: list[str]) -> list[Path]:
    try:
        if not user_dir.is_dir():
            return []
        files = sorted(p for p in user_dir.iterdir() if p.suffix.lower() == ".toml")
    except OSError as err:
        problems.append(f"{user_dir}: cannot be read ({err.strerror or err})")
        return []
    if len(files) > MAX_USER_FILES:
        problems.append(
            f"{user_dir}: only the first {MAX_USER_FILES} of {len(files)} files were read"
        )
    return files[:MAX_USER_FILES]


def merge(decompositions: Iterable[Decomposition]) -> tuple[Decomposition, ...]:
    """One decomposition per objective name (case ignored), sorted by name. A later one
    with the same name puts its skills in front; a skill title already there (case
    ignored) takes the earlier skill's place."""
    merged: dict[str, Decomposition] = {}
    for d in decompositions:
        key = d.objective.casefold()
        old = merged.get(key)
        if old is None:
            merged[key] = d
            continue
        name = old.objective
        new_titles = {s.title.casefold() for s in d.skills}
        skills = tuple(replace(s, objective=name) for s in d.skills) + tuple(
            s for s in old.skills if s.title.casefold() not in new_titles
        )
        aliases = old.aliases + tuple(a for a in d.aliases if a not in old.aliases)
        merged[key] = Decomposition(name, aliases, skills, f"{old.source} + {d.source}")
    return tuple(sorted(merged.values(), key=lambda d: d.objective.casefold()))


def load_library(user_dir: Path | None = None) -> Library:
    """The built-in objectives plus every ``*.toml`` file in ``user_dir`` (see the
    module's docstring for the rules). Never raises for a bad user file."""
    built_ins, built_in_problems = _built_ins()
    problems = list(built_in_problems)
    found = list(built_ins)
    if user_dir is not None:
        for path in _user_files(user_dir, problems):
            try:
                decomposition, notes = _read_user_file(path)
            except LibraryFileError as err:
                problems.append(f"{path.name}: skipped: {err}")
                continue
            problems += [f"{path.name}: {note}" for note in notes]
            found.append(decomposition)
    return Library(merge(found), problems)
