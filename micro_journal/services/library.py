"""The skill library for the forms: the user's library folder, suggestions for an
objective, and a suggestion turned into the new-skill form's text.

The library module (and the built-in TOML files) are read only when a suggestion is
first asked for, never at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import config_dir
from .skills import SkillDraft

if TYPE_CHECKING:
    from ..domain.library import Library, Suggestion


def user_library_dir() -> Path:
    """Where the user's own library files (``*.toml``) live."""
    return config_dir() / "library"


def library() -> Library:
    """The built-in objectives plus the user's files (problems in ``.problems``)."""
    from ..domain.library import load_library

    return load_library(user_library_dir())


def number_text(value: float | None) -> str:
    """A baseline or target as the form shows it: 12, 0.9 (nothing for None)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def suggestion_draft(s: Suggestion, objective_title: str) -> SkillDraft:
    """The form's text for a suggestion; the drill goes into "why / cue"."""
    why = _sentence(s.why)
    if s.drill.strip():
        why = f"{why} Drill: {_sentence(s.drill)}".strip()
    return SkillDraft(
        objective=objective_title,
        title=s.title,
        why=why,
        minutes=str(s.minutes),
        metric=s.metric,
        unit=s.unit,
        direction=s.direction,
        baseline=number_text(s.baseline),
        target=number_text(s.target),
        days=str(s.days),
    )


def without_titles(
    suggestions: Iterable[Suggestion], exclude_titles: Iterable[str] = ()
) -> list[Suggestion]:
    """The suggestions whose title (case ignored) is not among ``exclude_titles``."""
    taken = {t.strip().casefold() for t in exclude_titles}
    return [s for s in suggestions if s.title.casefold() not in taken]


def suggestions_for(
    objective_title: str, exclude_titles: Iterable[str] = frozenset()
) -> list[Suggestion]:
    """The library's suggestions for an objective title, minus titles already taken."""
    return without_titles(library().for_objective(objective_title), exclude_titles)
