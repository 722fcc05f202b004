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
    for finder in (_tab, _unclosed_quote, _quote_inside_quotes, _text_after_quote, _unclosed_bracket, _no_space_after_colon,
                   _colon_in_text, misaligned_entry, _indentation):
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


def _flow_quote(line: str, start: int) -> int | None:
    """Where a quoted item of the flow list or mapping opening at start opens without closing on
    this line, or None: `accept: ["the mayor]`."""
    expect = True  # at a place an item (or a flow mapping's value) starts
    i = start + 1
    while i < len(line):
        c = line[i]
        if c == "#" and line[i - 1] in " \t":
            return None
        if c in " \t":
            i += 1
            continue
        if expect and c in "\"'":
            end = _closing(line, c, i)
            if end is None:
                return i
            i, expect = end + 1, False
            continue
        expect = c in "[{," or (c == ":" and line[i + 1 : i + 2] in (" ", ""))
        i += 1
    return None


def _open_quote(line: str) -> int | None:
    """Where a quoted value on this line opens without closing on it, or None."""
    match = _QUOTED_START.match(line)
    if match is not None:
        start = match.end() - 1
        return start if _closing(line, match["q"], start) is None else None
    bracket = _BRACKET_START.match(line)
    return _flow_quote(line, bracket.end() - 1) if bracket else None


def _quote_mends(line: str, quote: str) -> list[str]:
    """The line with its quote closed: at the end of the line, or in a flow list before the
    brackets that end it (`["the mayor"]`)."""
    text = line.rstrip()
    mends = [text + quote]
    closers = re.search(r"[ \t]*[\]}][\]}, \t]*$", text)
    if closers is not None:
        mends.insert(0, text[: closers.start()] + quote + text[closers.start() :])
    return mends


def _unclosed_quote(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    for i in range(min(failed_line, len(lines) - 1), -1, -1):
        start = _open_quote(lines[i])
        if start is None:
            continue
        quote = lines[i][start]
        for mend in _quote_mends(lines[i], quote):
            mended = [*lines]
            mended[i] = mend
            if parses_past(mended, max(i, failed_line)):
                return Slip(i, start, f"the text starting with {quote} here has no closing {quote}: add {quote} at the end "
                                      f"of the text ({_inner_hint(quote)})")
        return None  # the nearest opening quote is the suspect; an older one is not
    return None


def _quoted_value(lines: list[str], failed_line: int) -> tuple[str, str, int, int | None] | None:
    """The failed line's text, and the quote its value starts with, where, and where it closes."""
    if failed_line >= len(lines):
        return None
    text = lines[failed_line]
    match = _QUOTED_START.match(text)
    if match is None:
        return None
    quote, start = match["q"], match.end() - 1
    return text, quote, start, _closing(text, quote, start)


def _quote_inside_quotes(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    found = _quoted_value(lines, failed_line)
    if found is None:
        return None
    text, quote, start, end = found
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


def _quoted_whole(value: str) -> str:
    """The value in quotes, as one text: in single quotes unless it has one of its own."""
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text_after_quote(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    """`prompt: "Until what time" did the band play?`: the quotes close before the text ends."""
    found = _quoted_value(lines, failed_line)
    if found is None:
        return None
    text, quote, start, end = found
    rest = text[end + 1 :].strip() if end is not None else ""
    if not rest or rest[0] in "#:,]}":  # nothing after it, a comment, or a quoted key
        return None
    value = text[start:]
    if " #" in value[end - start :]:  # a comment after the text stays outside the quotes
        value = value[: end - start + value[end - start :].index(" #")]
    quoted = _quoted_whole(value.rstrip())
    mended = [*lines]
    mended[failed_line] = text[:start] + quoted
    if not parses_past(mended, failed_line):
        return None
    key = _KEY_LINE.match(text)
    shown = quoted if len(quoted) <= 50 else quoted[:46] + "..." + quoted[0]
    example = f"{key['key']}: {shown}" if key else shown
    return Slip(failed_line, end, f"this {quote} ends the quoted text early, but the text goes on after it: "
                                  f"put the whole text in quotes, {example}")


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
        what = "list" if opener == "[" else "mapping"
        mended = [*lines]
        mended[i] = lines[i].rstrip() + closer
        if parses_past(mended, max(i, failed_line)):
            return Slip(i, match.end() - 1, f"the {what} opened with {opener} here is not closed: add {closer} at its end")
        # `sources: [` above items written line by line: the bracket is the slip, not a missing closer
        mended[i] = lines[i][: match.end() - 1].rstrip()
        if lines[i].rstrip().endswith(opener) and opener == "[" and parses_past(mended, max(i, failed_line)):
            return Slip(i, match.end() - 1, f"the list opened with [ here is not closed: its items are the lines below "
                                            f"starting with '- ', so delete the [")
        return None
    return None


# `unit:people`: a key and its value with no space between, which YAML reads as one word
_TIGHT_KEY = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*?)[ \t]*$")


def _no_space_after_colon(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    # the parser fails on the line after the slip, where it looks for the colon it missed
    for i in _content_lines_before(lines, failed_line)[:2]:
        match = _TIGHT_KEY.match(lines[i])
        if match is None:
            continue
        colon = match.end("key")
        mended = [*lines]
        mended[i] = lines[i][: colon + 1] + " " + lines[i][colon + 1 :]
        if parses_past(mended, max(i, failed_line)):
            value = match["value"] if len(match["value"]) <= 30 else match["value"][:27] + "..."
            return Slip(i, colon + 1, f"put a space after the colon of '{match['key']}:', or YAML reads "
                                      f"'{match['key']}:{value}' as one word: {match['key']}: {value}")
    return None


# `- id: x`: a list entry, its first key named so that entries of one list (`- id:`) are told
# from those of a list inside them (`- source:`)
_ENTRY = re.compile(r"^(?P<indent>[ ]*)-[ ]+(?P<key>[A-Za-z_][\w-]*):(?:[ \t]|$)")


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def misaligned_entry(lines: list[str], failed_line: int, parses_past: Callable[[list[str], int], bool]) -> Slip | None:
    """A list entry pasted at another column than the entries above it, as a template printed
    at column 1 pasted under `facts:` whose entries start at column 3."""
    if failed_line >= len(lines):
        return None
    entry = _ENTRY.match(lines[failed_line])
    if entry is None:
        return None
    has = len(entry["indent"])
    above = next((i for i in _content_lines_before(lines, failed_line - 1)
                  if (m := _ENTRY.match(lines[i])) and m["key"] == entry["key"]), None)
    if above is None or _indent_of(lines[above]) == has:
        return None
    wanted = _indent_of(lines[above])
    end = next((i for i in range(failed_line + 1, len(lines)) if lines[i].strip() and not lines[i].lstrip().startswith("#")
                and (_indent_of(lines[i]) <= has or _ENTRY.match(lines[i]))), len(lines))
    shift = wanted - has
    block = lines[failed_line:end]
    if shift < 0 and any(line.strip() and _indent_of(line) < -shift for line in block):
        return None
    moved = [(" " * shift + line if shift > 0 else line[-shift:]) if line.strip() else line for line in block]
    if not parses_past([*lines[:failed_line], *moved, *lines[end:]], end - 1):
        return None
    how = f"{shift} more" if shift > 0 else f"{-shift} fewer"
    return Slip(failed_line, has, f"this '- {entry['key']}:' entry starts in column {has + 1}, but the ones above it "
                                  f"(line {above + 1}) in column {wanted + 1}: indent it and the lines under it by {how} "
                                  f"spaces, so its '-' lines up with theirs")


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
