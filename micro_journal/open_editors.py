"""The text of open entry editors and of drafts, across a change of journal: open editors
carried onto a journal reopened for writing (``MicroJournalApp.try_writable``), and the
drafts left by an editor that never saved offered back."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import MicroJournalApp


def carry_editors(app: MicroJournalApp) -> list[str]:
    """Move ``app``'s open editors onto the journal just reopened; what to tell the user.

    Text typed while read-only is saved now. If the other app changed the same entry
    meanwhile, its version stays and the typed text is saved as a new entry of the
    same day; an editor with nothing typed shows the entry as it is now.
    """
    from textual.widgets import TextArea

    from .domain.models import Entry, new_id, utc_now_iso
    from .services.journal import JournalService

    told: list[str] = []
    if app.repo is None:
        return told
    for editor in list(app.editors):
        service = JournalService(app.repo)
        mine = editor.entry
        stored = app.repo.get(Entry, mine.id)
        changed = stored is not None and (
            (stored.updated_at, stored.body) != (mine.updated_at, mine.body)
        )
        editor.service = service
        if stored is not None and changed and not editor.dirty:
            editor.entry = stored
            with contextlib.suppress(Exception):
                area = editor.query_one(TextArea)
                with area.prevent(TextArea.Changed):
                    area.load_text(stored.body)
        elif changed:
            now = utc_now_iso()
            editor.entry = dataclasses.replace(
                mine, id=new_id(), created_at=now, updated_at=now, extra=dict(mine.extra)
            )
            if editor.write_draft():  # the draft now goes by the new entry's id
                service.drafts.delete(mine.id)
            told.append(
                " The other micro-journal had changed the entry you were editing: "
                "both are kept, your text as a new entry of the same day."
            )
        if editor.dirty:
            editor.save_pending(quiet=True)  # on failure it keeps the text and a draft
        with contextlib.suppress(Exception):
            editor.refresh_view()
    return told


def offer_drafts(app: MicroJournalApp) -> None:
    """Offer back the text that never reached the journal (the app died, the disk was
    full…)."""
    if app.repo is None:
        return
    from .store.drafts import DraftStore

    if not DraftStore(app.repo.journal.path).all():
        return  # the usual case: no need to load the journal service at start-up
    from .services.journal import JournalService

    drafts = JournalService(app.repo).pending_drafts()
    if drafts:
        from .screens.drafts import DraftOffer

        app.push_screen(DraftOffer(drafts))
