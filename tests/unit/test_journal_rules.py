"""Pure journal rules: tags, titles, folding for search, query parsing, highlights."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from micro_journal.domain import journal as jr
from micro_journal.domain.models import Entry, MicroSkill


def test_text_tags_are_found_lowercased_once_and_in_order():
    body = "Went well #Speaking. #focus then #speaking again; C# and a#b are not tags #2x"
    assert jr.text_tags(body) == ["speaking", "focus"]


def test_tags_field_accepts_commas_spaces_and_hashes():
    assert jr.normalise_tags("#Work, focus  #work deep-work") == ["work", "focus", "deep-work"]
    assert jr.normalise_tags("") == []


def test_entry_tags_merge_field_and_text():
    entry = Entry(date="2026-11-18", body="a #Calm day", tags=["work", "calm"])
    assert jr.entry_tags(entry) == ["work", "calm"]


def test_entry_title_skips_blank_lines_and_heading_marks():
    entry = Entry(date="2026-11-18", body="\n\n## What did I practise?\nmore")
    assert jr.entry_title(entry) == "What did I practise?"
    assert jr.entry_title(Entry(date="2026-11-18", body="   ")) == "(empty entry)"
    long = Entry(date="2026-11-18", body="x" * 100)
    assert jr.entry_title(long, 10) == "x" * 9 + "…"


def test_fold_ignores_case_and_accents_but_keeps_emoji():
    assert jr.fold("Café ZÜRICH") == "cafe zurich"
    assert jr.fold("Straße") == "strasse"
    assert jr.fold("👩‍💻 coding") == "👩‍💻 coding"
    assert jr.fold("ﬁne") == "fine"  # compatibility ligature


def test_find_spans_map_back_to_the_original_text():
    text = "Met at Café Zürich — the STRASSE café"
    spans = jr.find_spans(text, [jr.fold("cafe")])
    assert [text[s:e] for s, e in spans] == ["Café", "café"]
    spans = jr.find_spans("Große Straße", [jr.fold("strasse")])
    assert [("Große Straße")[s:e] for s, e in spans] == ["Straße"]


def test_find_spans_with_emoji_and_overlaps():
    text = "ok 👍🏽 ok ok"
    assert [text[s:e] for s, e in jr.find_spans(text, ["👍🏽"])] == ["👍🏽"]
    assert jr.find_spans("aaaa", ["aa", "aaa"]) == [(0, 4)]
    assert jr.find_spans("abc", []) == []


@given(st.text(max_size=60), st.text(min_size=1, max_size=4))
def test_spans_are_found_exactly_when_the_folded_text_has_the_term(text, raw_term):
    term = jr.fold(raw_term)
    spans = jr.find_spans(text, [term])
    for start, end in spans:
        assert 0 <= start < end <= len(text)
    assert bool(spans) == bool(term and term in jr.fold_with_map(text)[0])


def test_parse_query_words_phrases_tags_skills_and_dates():
    q = jr.parse_query('Café "eye contact" #Work skill:smile from:2026-01-01 to:2026-02-01')
    assert q.terms == ("cafe", "eye contact")
    assert q.tags == ("work",)
    assert q.skills == ("smile",)
    assert q.start == dt.date(2026, 1, 1) and q.end == dt.date(2026, 2, 1)
    assert not q.problems and not q.empty
    on = jr.parse_query("on:2026-11-18")
    assert on.start == on.end == dt.date(2026, 11, 18)
    assert jr.parse_query("   ").empty


def test_parse_query_reports_bad_dates_instead_of_raising():
    q = jr.parse_query("from:yesterday to:2026-02-30")
    assert len(q.problems) == 2
    assert "not a date" in q.problems[0]
    backwards = jr.parse_query("from:2026-02-01 to:2026-01-01")
    assert "after" in backwards.problems[0]


def test_entry_matches_filters():
    smile = MicroSkill(objective_id="o", title="Start with a smile")
    entry = Entry(date="2026-11-18", body="Talk went well #speaking", skill_ids=[smile.id],
                  tags=["work"])
    skills = {smile.id: smile}

    def matches(text: str) -> bool:
        return jr.entry_matches(entry, jr.parse_query(text), jr.fold(entry.body), skills)

    assert matches("talk WENT")
    assert not matches("talk walked")
    assert matches("#speak")  # tag prefix
    assert matches("tag:work")
    assert not matches("#cooking")
    assert matches("skill:SMILE")
    assert not matches("skill:eye")
    assert matches("from:2026-11-18 to:2026-11-18")
    assert not matches("from:2026-11-19")
    assert not matches("to:2026-11-17")


def test_snippet_centres_on_the_first_match_and_shifts_spans():
    text = "x" * 100 + " needle " + "y" * 100
    spans = jr.find_spans(text, ["needle"])
    excerpt, shifted = jr.snippet(text, spans, 40)
    assert excerpt.startswith("…")
    assert [excerpt[s:e] for s, e in shifted] == ["needle"]
    plain, none = jr.snippet("first line\nsecond", [], 40)
    assert plain == "first line" and none == []
