"""The common YAML slips a teacher makes, found from a parse failure and said in a teacher's words.

The parser's own words ("did not find expected key (while parsing a block mapping)") name where it
gave up, which for an unclosed quote is a line or more after the slip. Each slip here is a guess
about one line, and a guess is only said when mending that line as the message says lets the
parser get past it: then the message names the line that needs the change, and what to type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

# `key: value` or `- key: value` (the key plain, as bank files write keys)
_KEY_LINE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][\w-]*):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
# where a value opens with a quote: after `key: `, or after `- ` (a list item)
_QUOTED_START = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?(?:[A-Za-z_][\w-]*:[ ]+)?)(?P<q>[\"'])")


@dataclass(frozen=True)
class Slip:
    line: int  # from 0, as YAML marks count
    column: int
    message: str


def find_slip(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    """The slip that explains a failure the parser reported at failed_line (from 0), or None.
    parses_past(mended, line) says whether the mended lines parse, or fail only after `line`."""
    for finder in (_tab, _unclosed_quote, _quote_inside_quotes, _unclosed_bracket, _colon_in_text, _indentation):
        slip = finder(lines, failed_line, parses_past)
        if slip is not None:
            return slip
    return None


def _content_lines_before(lines: list[str], line: int) -> list[int]:
    return [i for i in range(min(line, len(lines) - 1), -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")]


def _tab(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    for i in _content_lines_before(lines, failed_line + 1)[:2]:
        if i >= len(lines):
            continue
        head = lines[i][: len(lines[i]) - len(lines[i].lstrip(" \t"))]
        if "\t" in head:
            return Slip(i, head.index("\t"), "this line is indented with a tab; YAML indents with spaces only: "
                                             "replace the tab with spaces")
    return None


def _closing(text: str, quote: str, start: int) -> int | None:
    """Where the quoted text opening at start closes on this line, or None."""
    i = start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":  # '' is a ' inside single quotes
                i += 2
                continue
            return i
        i += 1
    return None


def _inner_hint(quote: str) -> str:
    return r'a " inside the text is written \"' if quote == '"' else "a ' inside the text is written ''"


def _unclosed_quote(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    for i in range(min(failed_line, len(lines) - 1), -1, -1):
        match = _QUOTED_START.match(lines[i])
        if match is None:
            continue
        quote, start = match["q"], match.end() - 1
        if _closing(lines[i], quote, start) is not None:
            continue
        mended = [*lines]
        mended[i] = lines[i].rstrip() + quote
        if parses_past(mended, max(i, failed_line)):
            return Slip(i, start, f"the text starting with {quote} here has no closing {quote}: add {quote} at the end "
                                  f"of the text ({_inner_hint(quote)})")
        return None  # the nearest opening quote is the suspect; an older one is not
    return None


def _quote_inside_quotes(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    if failed_line >= len(lines):
        return None
    text = lines[failed_line]
    match = _QUOTED_START.match(text)
    if match is None:
        return None
    quote, start = match["q"], match.end() - 1
    end = _closing(text, quote, start)
    last = text.rstrip().rfind(quote)
    if end is None or last <= end:
        return None
    escaped = text[start + 1 : last].replace(quote, '\\"' if quote == '"' else "''")
    mended = [*lines]
    mended[failed_line] = text[: start + 1] + escaped + text[last:]
    if not parses_past(mended, failed_line):
        return None
    how = 'with a backslash before it (\\")' if quote == '"' else "twice ('')"
    return Slip(failed_line, end, f"this {quote} ends the quoted text early: the text has a {quote} of its own, "
                                  f"which must be written {how}")


_BRACKET_START = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?(?:[A-Za-z_][\w-]*:[ ]+)?)(?P<b>[\[{])")
_CLOSER = {"[": "]", "{": "}"}


def _unclosed_bracket(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    for i in range(min(failed_line, len(lines) - 1), -1, -1):
        match = _BRACKET_START.match(lines[i])
        if match is None:
            continue
        opener = match["b"]
        closer = _CLOSER[opener]
        if lines[i].count(opener) <= lines[i].count(closer):
            continue
        mended = [*lines]
        mended[i] = lines[i].rstrip() + closer
        if parses_past(mended, max(i, failed_line)):
            what = "list" if opener == "[" else "mapping"
            return Slip(i, match.end() - 1, f"the {what} opened with {opener} here is not closed: add {closer} at its end")
        return None
    return None


def _colon_in_text(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    if failed_line >= len(lines):
        return None
    match = _KEY_LINE.match(lines[failed_line])
    value = match["value"] if match else None
    if not value or value[0] in "\"'[{|>&*!#" or not (": " in value or value.endswith(":")):
        return None
    if " #" in value:  # a comment after the text stays outside the quotes
        value = value[: value.index(" #")].rstrip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    mended = [*lines]
    mended[failed_line] = lines[failed_line].replace(value, quoted, 1)
    if not parses_past(mended, failed_line):
        return None
    shown = quoted if len(quoted) <= 50 else quoted[:46] + '..."'
    return Slip(failed_line, match.start("value"), f"the text after '{match['key']}:' has a colon and a space in it, which "
                                                   f"YAML reads as a new key: put the text in quotes, {match['key']}: {shown}")


def _key_column(line: str) -> int:
    match = _KEY_LINE.match(line)
    return len(match["lead"]) if match else len(line) - len(line.lstrip(" "))


def _indentation(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    if failed_line >= len(lines) or not lines[failed_line].strip():
        return None
    before = _content_lines_before(lines, failed_line - 1)
    if not before:
        return None
    above = lines[before[0]]
    if above.rstrip().endswith(":"):  # it opens a block: its child may be indented as it likes, deeper
        return None
    text = lines[failed_line]
    has = len(text) - len(text.lstrip(" "))
    wanted = _key_column(above)
    if has == wanted:
        return None
    mended = [*lines]
    mended[failed_line] = " " * wanted + text.lstrip(" ")
    if not parses_past(mended, failed_line):
        return None
    this = _KEY_LINE.match(text)
    that = _KEY_LINE.match(above)
    what = f"'{this['key']}'" if this and not this["lead"].strip() else "this line"
    under = f" under '{that['key']}'" if that else ""
    return Slip(failed_line, has, f"{what} is indented {has} spaces, but the line above it {wanted}: line it up{under} "
                                  f"with {wanted} spaces (the keys of one entry start in the same column)")


def parses_past_with(loader: type[yaml.SafeLoader]) -> Callable[[list[str], int], bool]:
    def parses_past(lines: list[str], line: int) -> bool:
        try:
            yaml.compose("\n".join(lines) + "\n", Loader=loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            return mark is not None and mark.line > line
        except yaml.YAMLError:
            return False
        return True

    return parses_past
