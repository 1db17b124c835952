"""User text shown on one line of a screen or a terminal.

The journal keeps text exactly as typed; what is *shown* never sends a control code to
the terminal: line breaks and tabs become spaces, other control characters visible
placeholders (``␛`` for ESC, ``␡`` for DEL, ``�`` for the C1 codes).
"""

from __future__ import annotations

LINE_BREAKS = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with line breaks as spaces and other control characters as placeholders.

    ``lines``: for text shown on several lines (an entry's body, a command's output):
    newlines and tabs stay, ``\r\n`` becomes ``\n``, other line breaks become newlines."""
    if lines:
        text = text.replace("\r\n", "\n")
    out = []
    for ch in text:
        code = ord(ch)
        if lines and ch in "\t\n":
            out.append(ch)
        elif ch in LINE_BREAKS:
            out.append("\n" if lines and ch != "\t" else " ")
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code < 0xA0:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def markup_text(text: str) -> str:
    """Plain ``text`` written so that Textual's markup shows it as it is.

    ``textual.markup.escape`` only escapes a ``[`` that looks like a tag, but the parser
    also reads ``[A]`` and ``[$warning]`` as styles and lets an unclosed ``[31m`` swallow
    the rest of the line: here every ``[`` is escaped, and a trailing backslash (which
    would escape the markup after it) is kept apart by a zero-width space.
    """
    out = text.replace("[", "\\[")
    return out + "\u200b" if out.endswith("\\") else out


def markup_line(text: str) -> str:
    """User text for one line of markup: control characters visible, brackets escaped."""
    return markup_text(visible(text))


def markup_lines(text: str) -> str:
    """User text for markup on several lines: newlines and tabs kept, other control
    characters visible, brackets escaped."""
    return markup_text(visible(text, lines=True))


def terminal_text(text: str) -> str:
    """User text printed by a command: newlines and tabs kept, every other control
    character (ESC and its sequences included) shown as a visible placeholder."""
    return visible(text, lines=True)
