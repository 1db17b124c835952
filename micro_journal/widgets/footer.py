"""Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class KeyFooter(Footer):
    """Looks and behaves exactly like Textual's ``Footer``.

    Textual's footer throws its keys away and mounts new ones every time the screen's
    bindings are "updated" — on every screen switch, focus change and redraw, even
    when it would show the very same keys. On our screens that rebuild cost more than
    the redraw of the screen itself. This one compares what it would show (key, label,
    action, enabled, tooltip, group, in order) with what it shows and only rebuilds on
    a difference; several updates before the next refresh are looked at once.
    """

    _shown: tuple | None = None
    _check_pending = False

    def compose(self) -> ComposeResult:
        self._shown = self._what_to_show() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        if self._what_to_show() != self._shown:
            await self.recompose()

    def _what_to_show(self) -> tuple:
        """Everything ``Footer.compose`` reads, in the order it reads it."""
        app = self.app
        active = self.screen.active_bindings

        def shown(binding, enabled, tooltip) -> tuple:
            group = binding.group
            return (
                binding.key, app.get_key_display(binding), binding.description,
                binding.action, enabled, tooltip, binding.tooltip,
                None if group is None else (id(group), group.description, group.compact),
            )

        keys = tuple(
            shown(binding, enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values() if binding.show
        )
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            palette = found and shown(*found[1:])
        return keys, palette, self.combine_groups
