"""Pure rules of the journal: tags, titles, and accent-/case-insensitive search.

Search folds text for comparison (Unicode NFKD without combining marks, then
casefold), so "cafe" finds "Café" and "STRASSE" finds "straße". Emoji and other
symbols are left alone. ``fold_with_map`` keeps, for every folded character, the
index of the original character it came from, so a match found in folded text can be
highlighted in the original.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Entry, MicroSkill, ValidationError, parse_local_date

TAG_RE = re.compile(r"(?<![\w#&])#([^\W\d_][\w-]*)", re.UNICODE)

# an entry longer than this is shown and edited plainly: Textual lays out, highlights and
# wraps text in Python (a 10 MB entry froze the reader and the editor for minutes)
LARGE_TEXT = 100_000

DEFAULT_TEMPLATE = "What did I practise?\n\nWhat worked?\n\nWhat will I adjust?\n"


def text_tags(body: str) -> list[str]:
    """``#tag`` words in ``body`` (lower-cased, in order of first use, no duplicates)."""
    seen: dict[str, None] = {}
    for match in TAG_RE.finditer(body):
        seen.setdefault(match.group(1).casefold(), None)
    return list(seen)


def normalise_tags(raw: str | Iterable[str]) -> list[str]:
    """Tags typed in the tags field: separated by spaces or commas, '#' optional."""
    parts = re.split(r"[\s,]+", raw) if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}
    for part in parts:
        tag = part.strip().lstrip("#").casefold()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def tags_of(stored: Iterable[str], body: str) -> list[str]:
    """Every tag of an entry whose tags field is ``stored`` and whose text is ``body``:
    the field's tags first, then the ``#tags`` of the text (lower-cased, no duplicates).
    For text still being typed (the editor); an entry's are ``entry_tags(entry)``."""
    return normalise_tags([*stored, *text_tags(body)])


def entry_tags(entry: Entry) -> list[str]:
    """Every tag of an entry: the tags field plus ``#tags`` in the text.

    The one notion of an entry's tags: the app's list, preview and search, the
    ``entries`` command and every export use it. The stored record is never rewritten
    to hold the text's tags, so taking a ``#tag`` out of the text takes the tag away.
    """
    return tags_of(entry.tags, entry.body)


def entry_title(entry: Entry, width: int = 60) -> str:
    """The first non-empty line of the body, without Markdown heading marks."""
    for line in entry.body.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= width else line[: width - 1] + "…"
    return "(empty entry)"


# ------------------------------------------------------------------ folding


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (kept or ch).casefold()


def fold(text: str) -> str:
    """Text folded for comparison (see module docstring)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of its source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.lower() if ch.isascii() else _fold_char(ch)
        out.append(folded)
        index.extend([i] * len(folded))
    return "".join(out), index


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the (already folded) ``terms`` occur in ``text``, as original index spans."""
    if not terms:
        return []
    folded, index = fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((index[start], index[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# ------------------------------------------------------------------ queries


@dataclass(frozen=True)
class Query:
    """A parsed search: words (all must match) and filters."""

    terms: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # folded title parts
    start: dt.date | None = None
    end: dt.date | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.terms or self.tags or self.skills or self.start or self.end)


def parse_query(text: str) -> Query:
    """Parse the search box. Bad filters are reported in ``problems``, never raised."""
    terms: list[str] = []
    tags: list[str] = []
    skills: list[str] = []
    start = end = None
    problems: list[str] = []
    for token in re.findall(r'"[^"]*"?|\S+', text):
        if token.startswith('"'):
            phrase = fold(token.strip('"')).strip()
            if phrase:
                terms.append(phrase)
            continue
        key, sep, value = token.partition(":")
        key = key.casefold()
        if sep and key in ("from", "to", "on") and value:
            try:
                day = parse_local_date(value, key)
            except ValidationError as err:
                problems.append(f"{key}: {err.message}")
                continue
            if key in ("from", "on"):
                start = day
            if key in ("to", "on"):
                end = day
        elif sep and key in ("skill", "tag") and value:
            (skills if key == "skill" else tags).append(fold(value.lstrip("#")))
        elif token.startswith("#") and len(token) > 1:
            tags.append(fold(token[1:]))
        else:
            terms.append(fold(token))
    if start and end and start > end:
        problems.append("from: is after to:; nothing can match")
    return Query(tuple(terms), tuple(tags), tuple(skills), start, end, tuple(problems))


def tags_match(folded_tags: list[str], wanted: tuple[str, ...]) -> bool:
    """Every wanted tag is one of the entry's tags, or the start of one."""
    return all(any(t == want or t.startswith(want) for t in folded_tags) for want in wanted)


def entry_matches(
    entry: Entry,
    query: Query,
    folded_body: str,
    skills_by_id: dict[str, MicroSkill],
    folded_tags: list[str] | None = None,
) -> bool:
    """Whether ``entry`` matches ``query``; ``folded_tags``: its tags, folded, if known."""
    if query.start or query.end:
        day = dt.date.fromisoformat(entry.date)
        if query.start and day < query.start:
            return False
        if query.end and day > query.end:
            return False
    if query.tags:
        tags = folded_tags if folded_tags is not None else [fold(t) for t in entry_tags(entry)]
        if not tags_match(tags, query.tags):
            return False
    if query.skills:
        titles = [fold(skills_by_id[i].title) for i in entry.skill_ids if i in skills_by_id]
        if not all(any(want in t for t in titles) for want in query.skills):
            return False
    return all(term in folded_body for term in query.terms)


def snippet(text: str, spans: list[tuple[int, int]], width: int = 70) -> tuple[str, list]:
    """A one-line excerpt around the first match, with spans shifted into it."""
    flat = text.replace("\r\n", "\n")
    if not spans:
        line = flat.strip().split("\n", 1)[0]
        return line[:width], []
    first = spans[0][0]
    start = max(0, first - width // 3)
    excerpt = flat[start : start + width]
    shifted = [
        (max(0, s - start), min(len(excerpt), e - start))
        for s, e in spans
        if e > start and s < start + width
    ]
    clean = excerpt.replace("\n", " ")
    prefix = "…" if start > 0 else ""
    if prefix:
        shifted = [(s + 1, e + 1) for s, e in shifted]
    return prefix + clean, shifted
