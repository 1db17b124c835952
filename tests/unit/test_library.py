"""The skill library: the shipped decompositions, matching, and the user's own files."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from micro_journal.domain.library import (
    BUILT_IN,
    Decomposition,
    Suggestion,
    built_in_objectives,
    load_library,
    merge,
)
from micro_journal.services import library as lib
from micro_journal.services.skills import skill_from_draft

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_OBJECTIVES = {
    "Public speaking", "Productivity", "Personal branding", "Decision-making", "Writing",
    "Learning a language", "Fitness", "Deep work",
}


def shipped_files() -> list[str]:
    folder = resources.files("micro_journal.domain.library")
    return sorted(i.name for i in folder.iterdir() if i.name.endswith(".toml"))


def all_shipped() -> list[Suggestion]:
    return [s for d in built_in_objectives() for s in d.skills]


# ----------------------------------------------------------------- shipped data
def test_every_shipped_file_loads_without_a_problem():
    library = load_library()
    assert library.problems == []
    assert len(built_in_objectives()) == len(shipped_files()) >= 8
    names = {d.objective for d in library.objectives()}
    assert names >= REQUIRED_OBJECTIVES
    assert all(d.source == BUILT_IN for d in library.objectives())


@pytest.mark.parametrize("name", shipped_files())
def test_each_shipped_file_has_four_to_eight_complete_skills(name):
    data = tomllib.loads(resources.files("micro_journal.domain.library").joinpath(name)
                        .read_text(encoding="utf-8"))
    skills = data["skill"]
    assert 4 <= len(skills) <= 8
    assert set(data) <= {"objective", "aliases", "skill"}
    for skill in skills:
        # every field written out, so the form is filled completely
        missing = {"title", "why", "drill", "minutes", "metric", "unit", "direction",
                   "baseline", "target"} - set(skill)
        assert not missing, (skill["title"], missing)


@pytest.mark.parametrize("s", all_shipped(), ids=lambda s: s.title)
def test_each_shipped_skill_is_measurable_quick_and_points_the_right_way(s):
    assert s.metric.strip() and s.unit.strip()
    assert s.direction in ("higher", "lower")
    assert s.baseline is not None and s.target is not None
    if s.direction == "lower":
        assert s.target < s.baseline
    else:
        assert s.target > s.baseline
    assert 5 <= s.minutes <= 10
    assert 1 <= s.days <= 7
    assert len(s.drill) > 20 and len(s.why) > 20
    assert s.objective


@pytest.mark.parametrize("s", all_shipped(), ids=lambda s: s.title)
def test_no_shipped_skill_trips_the_checklist(s):
    skill = skill_from_draft(lib.suggestion_draft(s, s.objective), "x")
    assert skill.checklist_warnings() == []
    assert skill.title == s.title
    assert skill.metric.name == s.metric
    assert skill.metric.baseline == s.baseline and skill.metric.target == s.target


def test_shipped_titles_are_unique():
    titles = [s.title.casefold() for s in all_shipped()]
    assert len(titles) == len(set(titles))


# ----------------------------------------------------------------- matching
@pytest.mark.parametrize(("title", "objective"), [
    ("Public speaking", "Public speaking"),
    ("  PUBLIC   speaking ", "Public speaking"),
    ("presentations", "Public speaking"),  # an alias
    ("Become a better public speaker", "Public speaking"),  # word overlap
    ("Learn Spanish", "Learning a language"),
    ("Learning a language", "Learning a language"),
    ("Get fit", "Fitness"),
    ("Make better decisions", "Decision-making"),
    ("decision making", "Decision-making"),
    ("Be more productive", "Productivity"),
    ("Build my personal brand", "Personal branding"),
    ("Write a novel", "Writing"),
    ("Improve my focus", "Deep work"),
    ("Español", "Learning a language"),
])
def test_objective_titles_match_by_name_alias_or_words(title, objective):
    library = load_library()
    assert [d.objective for d in library.matching(title)] == [objective]
    found = library.for_objective(title)
    assert found and {s.objective for s in found} == {objective}


@pytest.mark.parametrize("title", ["Juggling", "", "   ", "Learn to code", "the a of"])
def test_nothing_matches_an_unknown_objective(title):
    assert load_library().for_objective(title) == []


# ----------------------------------------------------------------- the user's files
def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


JUGGLING = """
objective = "Juggling"
aliases = ["juggle"]
[[skill]]
title = "Three-ball cascade for 30 catches"
metric = "catches in a row"
unit = "catches"
baseline = 5
target = 30
"""


def test_a_user_file_adds_a_new_objective(tmp_path):
    path = write(tmp_path, "juggling.toml", JUGGLING)
    library = load_library(tmp_path)
    assert library.problems == []
    found = library.for_objective("I want to juggle")
    assert [s.title for s in found] == ["Three-ball cascade for 30 catches"]
    s = found[0]
    assert (s.minutes, s.days, s.direction, s.why, s.drill) == (5, 7, "higher", "", "")
    juggling = next(d for d in library.objectives() if d.objective == "Juggling")
    assert juggling.source == str(path)
    # sorted with the built-ins, by name
    names = [d.objective.casefold() for d in library.objectives()]
    assert names == sorted(names)


def test_a_user_file_for_a_built_in_objective_adds_its_skills_in_front(tmp_path):
    write(tmp_path, "mine.toml", """
objective = "public SPEAKING"
aliases = ["keynotes"]
[[skill]]
title = "Smile before the first word"
[[skill]]
title = "no 'UM' or 'uh' in a 5-minute talk"
metric = "fillers"
direction = "lower"
baseline = 30
target = 10
""")
    library = load_library(tmp_path)
    assert library.problems == []
    speaking = [d for d in library.objectives() if d.objective.casefold() == "public speaking"]
    assert len(speaking) == 1
    d = speaking[0]
    assert d.objective == "Public speaking"  # the built-in's spelling stays
    assert d.source.startswith(BUILT_IN + " + ")
    titles = [s.title for s in d.skills]
    assert titles[:2] == ["Smile before the first word", "no 'UM' or 'uh' in a 5-minute talk"]
    # the user's version replaced the built-in one of the same title
    assert sum(t.casefold() == "no 'um' or 'uh' in a 5-minute talk" for t in titles) == 1
    assert d.skills[1].baseline == 30
    assert all(s.objective == "Public speaking" for s in d.skills)
    assert library.for_objective("keynotes")[0].title == "Smile before the first word"
    # the built-ins themselves are untouched for the next load
    assert load_library().for_objective("Public speaking")[0].title != titles[0]


@pytest.mark.parametrize(("text", "words"), [
    ("objective = ", "not valid TOML"),
    ('objective = "X"\n[[skill]]\nwhy = "no title"\n', "'title' is missing"),
    ('objective = "X"\n[[skill]]\ntitle = ""\n', "'title' is empty"),
    ('[[skill]]\ntitle = "No objective"\n', "'objective' is missing"),
    ('objective = 3\n[[skill]]\ntitle = "t"\n', "'objective' must be text"),
    ('objective = "X"\n', "no [[skill]]"),
    ('objective = "X"\n[skill]\ntitle = "t"\n', "[[skill]] tables"),
    ('objective = "X"\nskill = [1, 2]\n', "skill 1 must be a [[skill]] table"),
    ('objective = "X"\naliases = "x"\n[[skill]]\ntitle = "t"\n', "'aliases' must be a list"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\nminutes = "five"\n', "'minutes' must be a whole"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\nminutes = 0\n', "from 1 to 240"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\ndays = 8\n', "'days' must be a whole"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\ndays = true\n', "'days' must be a whole"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\nbaseline = "low"\n', "'baseline' must be a num"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\ntarget = nan\n', "'target' must be a number"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\ndirection = "up"\n', '"higher" or "lower"'),
    ('objective = "X"\n[[skill]]\ntitle = "a\\u0007b"\n', "control character"),
    ('objective = "X"\n[[skill]]\ntitle = "t"\nmetric = ["a"]\n', "'metric' must be text"),
    ("objective = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
])
def test_a_broken_user_file_is_skipped_and_reported(tmp_path, text, words):
    write(tmp_path, "broken.toml", text)
    write(tmp_path, "juggling.toml", JUGGLING)
    library = load_library(tmp_path)
    assert len(library.problems) == 1, library.problems
    problem = library.problems[0]
    assert problem.startswith("broken.toml: skipped: ")
    assert words in problem
    assert "Traceback" not in problem
    # the good file and the built-ins are still there
    assert library.for_objective("Juggling")
    assert library.for_objective("Public speaking")
    assert "X" not in {d.objective for d in library.objectives()}


def test_unreadable_odd_or_huge_user_files_never_raise(tmp_path):
    write(tmp_path, "latin1.toml", "")
    (tmp_path / "latin1.toml").write_bytes(b'objective = "caf\xe9"\n')
    write(tmp_path, "big.toml", "# " + "x" * (600 * 1024) + "\n")
    (tmp_path / "folder.toml").mkdir()
    write(tmp_path, "notes.txt", "not a library file")
    library = load_library(tmp_path)
    text = "\n".join(library.problems)
    assert "latin1.toml: skipped: is not UTF-8 text" in text
    assert "big.toml: skipped: larger than" in text
    assert "folder.toml: skipped: cannot be read" in text
    assert "notes.txt" not in text
    assert library.for_objective("Fitness")


def test_a_missing_or_unlistable_user_folder_is_fine(tmp_path):
    assert load_library(tmp_path / "nope").problems == []
    not_a_folder = write(tmp_path, "file", "x")
    assert load_library(not_a_folder).problems == []


def test_unknown_keys_are_reported_but_the_file_is_used(tmp_path):
    write(tmp_path, "typo.toml", JUGGLING + 'minuts = 5\n[[skill]]\ntitle = "Two balls"\n'
          'colour = "red"\n')
    library = load_library(tmp_path)
    assert library.problems == [
        "typo.toml: skill 1: unknown key 'minuts' (ignored)",
        "typo.toml: skill 2: unknown key 'colour' (ignored)",
    ]
    assert len(library.for_objective("Juggling")) == 2


def test_multi_line_text_reads_as_one_line(tmp_path):
    write(tmp_path, "j.toml", 'objective = "J"\n[[skill]]\ntitle = "t"\n'
          'drill = """\nFirst line\n\tsecond line\n"""\n')
    assert load_library(tmp_path).for_objective("J")[0].drill == "First line second line"


def test_merge_keeps_one_decomposition_per_name():
    a = Decomposition("A", ("x",), (Suggestion("one", objective="A"),))
    b = Decomposition("a", ("y",), (Suggestion("two", objective="a"),), "/f.toml")
    (merged,) = merge([a, b])
    assert merged.objective == "A" and merged.aliases == ("x", "y")
    assert [s.title for s in merged.skills] == ["two", "one"]
    assert merged.source == "built-in + /f.toml"


def test_the_library_is_not_read_when_the_module_is_imported():
    code = (
        "import sys, micro_journal.domain.library as l\n"
        "assert l._built_ins.cache_info().currsize == 0\n"
        "assert 'textual' not in sys.modules and 'tinydb' not in sys.modules\n"
        "l.load_library(); l.load_library()\n"
        "assert l._built_ins.cache_info().misses == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_app_does_not_load_the_library_at_start_up():
    code = (
        "import sys\nimport micro_journal.cli, micro_journal.app\n"
        "import micro_journal.screens.today, micro_journal.screens.skill_form\n"
        "assert 'micro_journal.domain.library' not in sys.modules, 'loaded at start'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# ----------------------------------------------------------------- services
def test_user_library_dir_is_in_the_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", str(tmp_path / "cfg"))
    assert lib.user_library_dir() == tmp_path / "cfg" / "library"
    write(tmp_path / "cfg" / "library", "juggling.toml", JUGGLING)
    assert lib.library().for_objective("juggling")


def test_suggestion_draft_fills_every_field_as_text():
    s = Suggestion(
        title="Walk briskly", why="It builds stamina", drill="Walk ten minutes.", minutes=10,
        metric="distance", unit="km", direction="higher", baseline=0.9, target=1.0, days=5,
        objective="Fitness",
    )
    draft = lib.suggestion_draft(s, "Get fit")
    assert draft.objective == "Get fit"
    assert draft.title == "Walk briskly"
    assert draft.why == "It builds stamina. Drill: Walk ten minutes."
    assert (draft.minutes, draft.metric, draft.unit, draft.direction) == (
        "10", "distance", "km", "higher")
    assert (draft.baseline, draft.target, draft.days) == ("0.9", "1", "5")


def test_suggestion_draft_without_why_or_drill_or_numbers():
    only_drill = lib.suggestion_draft(Suggestion("t", drill="Do it"), "o")
    assert only_drill.why == "Drill: Do it."
    bare = lib.suggestion_draft(Suggestion("t"), "o")
    assert (bare.why, bare.baseline, bare.target, bare.minutes, bare.days) == (
        "", "", "", "5", "7")


def test_suggestions_for_skips_titles_already_taken(tmp_path, monkeypatch):
    monkeypatch.setenv("MICRO_JOURNAL_CONFIG_DIR", str(tmp_path))
    every = lib.suggestions_for("Public speaking")
    assert len(every) == 7
    first = every[0].title
    rest = lib.suggestions_for("Public speaking", {f"  {first.upper()} "})
    assert [s.title for s in rest] == [s.title for s in every[1:]]
    assert lib.suggestions_for("Juggling") == []
