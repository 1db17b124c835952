"""Entries are recognised in one expression when they look as the app writes them
(issue 17: the Journal reads every entry); whatever that expression accepts, the
field-by-field check accepts too, and reads the same record."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from micro_journal.domain.checks import check_fields
from micro_journal.domain.models import Entry, RecordError

GOOD = Entry(date="2026-11-18", body="Paused twice ünïcødé 🙂", skill_ids=["abc"],
             tags=["calm"], mood=3).to_dict()

values = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 8), st.floats(allow_nan=True),
    st.text(max_size=12), st.sampled_from(["2026-02-30", "0999-12-31", "9000-01-01",
                                           "2026-11-18", "2026-11-18T08:00:00+00:00",
                                           "\\ud800", "\ud800", ""]),
    st.lists(st.one_of(st.text(max_size=4), st.integers(), st.just("\udcff")), max_size=3),
)


@settings(max_examples=600, deadline=None)
@given(field=st.sampled_from(sorted(GOOD)), value=values)
def test_the_fast_read_never_accepts_what_the_full_check_refuses(field, value):
    doc = dict(GOOD)
    doc[field] = value
    if Entry._plain(doc):
        checked = check_fields(Entry, doc)  # must not raise
        assert Entry(**checked).to_dict() == Entry(**doc).to_dict()


def test_the_usual_entry_takes_the_fast_read_and_a_bad_one_is_still_named():
    assert Entry._plain(dict(GOOD))
    bad = dict(GOOD, body="half a character \ud800")
    assert not Entry._plain(bad)
    try:
        Entry.from_stored(bad)
    except RecordError as err:
        assert err.field == "body"
    else:
        raise AssertionError("a lone surrogate was read")
