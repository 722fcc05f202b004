"""Control characters in the bank's text: finding them (for `check`) and stripping them (before
anything is printed or exported), so no bank can drive a terminal, a clipboard or a reader's eye.

A terminal acts on escape sequences (ESC [ 2 J clears it; OSC 52 writes the clipboard; OSC 8 hides
a link behind text), on the 8-bit C1 forms of the same, and the bidirectional overrides and
isolates make text display in an order other than the one it is read in.
"""

from __future__ import annotations

import re
import unicodedata

# Tab and newline are text; every other C0 control, DEL and the C1 controls are not.
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Overrides and embeddings (U+202A-U+202E) and isolates (U+2066-U+2069).
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_C0_C1}{_BIDI}]")

# Whole sequences go, not only their ESC: a bare "]52;c;ZXZpbA==" left behind is noise at best.
_SEQUENCE = re.compile(
    # OSC, DCS, SOS, PM and APC strings (7-bit and 8-bit introducers), to BEL or ST; unterminated,
    # to the next ESC or the end of the line (what is left, without its ESC, is only text).
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    # CSI: parameters, intermediates, a final byte.
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    # Any other escape sequence: intermediates and a final byte.
    r"|\x1b[ -/]*[0-~]?"
)

_NAMES = {"\x1b": "ESC", "\x07": "BEL", "\x0d": "carriage return", "\x00": "NUL", "\x7f": "DEL",
          "\x9b": "CSI", "\x9d": "OSC"}


def inert(text: str) -> str:
    """The text without escape sequences, control characters (tab and newline stay) or bidi overrides."""
    if not _CONTROL.search(text):  # the usual case, and this runs for every field an export writes
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def first_control(text: str) -> str | None:
    """The first character `inert` would remove, or None."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def describe_control(char: str) -> str:
    """'U+001B (ESC)', 'U+202E (RIGHT-TO-LEFT OVERRIDE)': which character, for a teacher's message."""
    name = _NAMES.get(char) or unicodedata.name(char, "") or ("a C1 control" if "\x80" <= char <= "\x9f" else "a control")
    return f"U+{ord(char):04X} ({name})"


def escape_for_json(encoded: str) -> str:
    """JSON text with every character `inert` removes written as a \\uXXXX escape: the same data,
    nothing a terminal acts on. (json.dumps escapes C0 already; with ensure_ascii=False, not C1 or bidi.)"""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)

