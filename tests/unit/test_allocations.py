"""What a journal's parts are parsed into lives until quit: it is made with the cycle
collector off and then frozen, and the collector is left as it was found."""

from __future__ import annotations

import gc

import pytest

from micro_journal.store.allocations import long_lived


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    was_on = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if was_on else gc.disable)()


def test_what_is_made_inside_is_never_walked_again_and_the_collector_comes_back():
    gc.enable()
    before = gc.get_freeze_count()
    with long_lived():
        assert not gc.isenabled()
        kept = [{"id": str(n), "body": "x" * 10} for n in range(5_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)
    assert not any(gc.is_tracked(d) and d in gc.get_objects(0) for d in kept[:10])


def test_an_error_inside_still_turns_the_collector_back_on():
    gc.enable()
    with pytest.raises(ValueError), long_lived():
        raise ValueError("unreadable")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with long_lived():
        pass
    assert not gc.isenabled()
