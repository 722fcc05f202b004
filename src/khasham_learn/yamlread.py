"""Reading YAML with positions, so every problem can be reported as file:line:col.

Files are composed into nodes with the safe loader (never constructed into Python objects by
PyYAML), so no tag can run code, and aliases are refused before anything walks them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .bankfiles import read_bank_bytes
from .controls import describe_control, first_control
from .errors import Position, Problem, Severity, UnusableInput
from .yamlrecovery import KEY_START, UNREAD_TAG, recover as recover_readable
from .yamlslips import find_slip, misaligned_entry, parses_past_with

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


def _bank_loader(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """The safe loader, less the implicit tags no bank file uses: merge keys (<<), the value key (=)
    and the yaml tag of a lone !, & or *; such a scalar is plain text. Then a node's tag is plain
    unless the file writes a tag (with '!') or an alias (with '*')."""
    resolvers = {
        first: [(tag, pattern) for tag, pattern in found if tag in _PLAIN_TAGS]
        for first, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return type(f"Bank{base.__name__}", (base,), {"yaml_implicit_resolvers": resolvers})


# libyaml's loader is the fast one, and reads every valid file as the pure-Python one does. Where
# they differ is on files that fail: their messages, their marks and libyaml's own nesting limit
# (1000 levels in PyYAML 6.0.4's wheels, none before). Failures are therefore always described by
# the pure-Python parser, so a teacher sees the same message whatever build pip installed.
_PythonLoader = _bank_loader(yaml.SafeLoader)
_Loader = _bank_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_NULL = "tag:yaml.org,2002:null"
# Templates from `khasham-learn new` mark what the teacher must write with this; check reports it.
PLACEHOLDER = "TODO"
_BOOL = "tag:yaml.org,2002:bool"
# PyYAML composes nodes recursively (in C with libyaml): a file nesting tens of thousands of
# levels overflows the stack and kills the process without a word. A bank file nests about 5.
MAX_NESTING = 100
# A file whose cheap bound on depth (see _too_deep) is at most this cannot break the limit, so its
# depth is not counted; at the limit itself, a file deeper than it is refused by every parser.
_SAFE_DEPTH_BOUND = MAX_NESTING
# Flow depth is estimated from brackets alone; quoted closing brackets could hide at most half a
# file's brackets of depth, so past this many brackets the parser counts instead.
_BRACKET_SCAN_LIMIT = 20_000
_BRACKETS = re.compile(r"[\[\]{}]")
# YAML ends a line at any of these, and so do editors; marks count lines the same way.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LEADING_INDICATORS = re.compile(r"^[ \t?-]*", re.MULTILINE)
# Composed, each value (a key, an item, a text) costs about 300 bytes of nodes and marks: this many
# is about 100 MB. The synthetic bank of 20,000 questions has 24,000 a file, and 2 MB of junk ('- a'
# lines) 500,000. Every value takes at least two characters, so a file under twice this is not counted.
MAX_VALUES = 250_000
# The pure-Python parser re-reads a file libyaml failed on, for its message (see _Loader), but only
# so much of it: at about 200 KB a second, 2 MB of junk would take ten. The bundled bank's largest
# file is 35 KB, so every real bank file is re-read whole; past this, only a window of lines.
_PYTHON_REREAD_LIMIT = 256 * 1024
# A file past _PYTHON_REREAD_LIMIT is re-read by the pure-Python parser only around libyaml's mark,
# from the entry this many lines before it (a bank's fact is about 12 lines) to this many after it,
# so its slip is named in a teacher's words however big the file (see _failure_in_window).
_WINDOW_LINES = 200
# How far back an entry to start the window at is looked for: past it, no window is tried.
_WINDOW_SEARCH = 2000
# libyaml reads up to 1024 characters past the events it gives (see _too_deep), so its mark can lie
# that far past where the pure-Python parser fails: the window reaches a little past the mark.
_REREAD_MARGIN = 4096


def did_you_mean(word: str, options: Collection[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# A file with more problems than this is junk or the wrong file (2 MB of '- id: a' lines has 800,000):
# the first ones say what is wrong, and listing every one costs seconds and hundreds of MB.
MAX_PROBLEMS_PER_FILE = 500


class TooManyProblems(Exception):
    """Raised by Reader.error past MAX_PROBLEMS_PER_FILE, the problem saying so recorded: reading
    the file stops there."""


class Keys(dict[str, Node]):
    """A mapping's known keys and their values, and the known keys it misspelt (each reported as
    an unknown key): a check made after reading that a key is there (a weekday fact's date_fact)
    leaves those alone."""

    misspelt: frozenset[str] = frozenset()


class Reader:
    """Reads one file's nodes into plain values, recording every problem instead of stopping
    (up to MAX_PROBLEMS_PER_FILE of them)."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.errors = 0

    def pos(self, node: Node) -> Position:
        mark = node.start_mark
        return Position(self.file, mark.line + 1, mark.column + 1)

    def error(self, node: Node | Position, message: str, severity: Severity = "error") -> None:
        if self.errors == MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(Position(self.file), f"more than {MAX_PROBLEMS_PER_FILE} problems in this file, "
                                         "so the rest of it was not read: is it a bank file? Fix these and check again"))
            raise TooManyProblems
        self.errors += 1
        where = node if isinstance(node, Position) else self.pos(node)
        self.problems.append(Problem(where, message, severity))

    def mapping(
        self, node: Node, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Keys | None:
        if is_unread(node):
            return None
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} should be a mapping of keys to values, not {describe(node)}")
            return None
        known = set(required) | set(optional)
        out = Keys()
        misspelt: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"a key in {what} should be a plain word, not {describe(key_node)}")
                continue
            key = key_node.value
            if key in out and _joinable(out[key], value_node):
                self.error(key_node, f"'{key}:' appears twice in {what}: delete this line, so the entries under it "
                                     f"join the list above")
                out[key] = _joined(out[key], value_node)  # read as the fix leaves it: no entry is lost
                continue
            if key in out:
                self.error(key_node, f"'{key}' appears twice in {what}; keep one")
                continue
            if key not in known:
                hint = did_you_mean(key, known)
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
                misspelt.update(k for k in known if f"'{k}'" in hint)
                continue
            out[key] = value_node
        out.misspelt = frozenset(misspelt - set(out))
        if any(is_unread(value) for value in out.values()):
            return out  # a line that could not be read may hold what seems to be missing
        # a misspelt key is reported once, as such; the missing ones in one line, as a stub is one slip
        missing = [f"'{key}'" for key in required if key not in out and key not in misspelt]
        if missing:
            listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
            self.error(node, f"{what} is missing {listed}")
        return out

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if isinstance(node, SequenceNode):
            return [item for item in node.value if not is_unread(item)]
        if is_unread(node):
            return None
        if is_null(node):
            return []
        self.error(node, f"{what} should be a list (lines starting with '- '), not {describe(node)}")
        return None

    def text(self, node: Node, what: str, *, required: bool = True) -> str | None:
        """Any scalar is accepted as text, from its source characters: `22:00` stays 22:00."""
        if is_unread(node):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, f"{what} should be text, not {describe(node)}{_colon_advice(node)}")
            return None
        if is_null(node) or not node.value.strip():
            if required:
                self.error(node, f"{what} is empty")
            return None
        if node.value.lstrip().startswith(PLACEHOLDER):
            self.error(node, f"fill this in: {what} is still a placeholder from 'khasham-learn new'")
        control = first_control(node.value)
        if control is not None:  # a "\e[2J" or "\x9b" escape in a quoted string, or a bidi override
            self.error(node, f"{what} contains the control character {describe_control(control)}, "
                             "which could drive a terminal or hide text; remove it")
        return node.value

    def texts(self, node: Node, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        out = []
        for item in items:
            value = self.text(item, f"each item of {what}")
            if value is not None:
                out.append(value)
        return tuple(out)

    def boolean(self, node: Node, what: str) -> bool | None:
        if is_unread(node):
            return None
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, f"{what} should be true or false, not {describe(node)}")
        return None


def _joinable(first: Node, second: Node) -> bool:
    """Two lists under one key twice (a second `facts:` pasted with a template), written line by
    line at one indentation: deleting the second key makes them one list."""
    return (isinstance(first, SequenceNode) and isinstance(second, SequenceNode) and not first.flow_style
            and not second.flow_style and bool(first.value) and bool(second.value)
            and first.start_mark.column == second.start_mark.column)


def _joined(first: SequenceNode, second: SequenceNode) -> SequenceNode:
    return SequenceNode(first.tag, [*first.value, *second.value], first.start_mark, second.end_mark, flow_style=False)


def _colon_advice(node: Node) -> str:
    """How to mend a text that YAML read as a mapping of one key: `- At 22:00: the attack` or
    `[At 22:00: the attack]`, whose colon and space make a key of what comes before them."""
    if not isinstance(node, MappingNode) or len(node.value) != 1:
        return ""
    key, value = node.value[0]
    if not isinstance(key, ScalarNode) or not isinstance(value, ScalarNode) or key.style or value.style:
        return ""
    text = f"{key.value}: {value.value}" if value.value else f"{key.value}:"
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    shown = quoted if len(quoted) <= 50 else quoted[:46] + '..."'
    return f": its colon and space make YAML read a key; put the text in quotes, {shown}"


def is_unread(node: Node) -> bool:
    """A part of a file with a syntax error that could not be read (see yamlrecovery); its error is
    reported, and nothing it might have held is."""
    return node.tag == UNREAD_TAG


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing"
    value = node.value if len(node.value) <= 30 else node.value[:27] + "..."
    return f"'{value}'"


def read_text(path: Path, shown: str) -> str:
    """The file's text; a path that is not a readable regular file within the size cap (see
    bankfiles.py), or undecodable bytes, become a positioned problem via UnusableInput."""
    data = read_bank_bytes(path, shown)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace")
        # lines counted as YAML and editors count them: a lone '\r' ends one too
        raise UnusableInput(
            "the file is not UTF-8 text (save it as UTF-8)", _position_at(before, shown, len(before))
        ) from None


def compose(path: Path, shown: str, problems: list[Problem]) -> Node | None:
    """The file's root node, or None with the reason recorded in problems."""
    return compose_recovering(path, shown, problems, recover=False)[0]


def compose_recovering(path: Path, shown: str, problems: list[Problem], *, recover: bool = True) -> tuple[Node | None, bool]:
    """The file's root node and whether all of it was read. With a YAML syntax error, what can be
    read of it (see yamlrecovery) and False; every error is recorded in problems."""
    try:
        text = read_text(path, shown)
    except UnusableInput as exc:
        if exc.position is None:
            raise
        problems.append(Problem(exc.position, exc.message))
        return None, False
    return _compose(text, shown, problems, recover)


def compose_text(text: str, shown: str, problems: list[Problem]) -> Node | None:
    """compose() for text already in memory (a file about to be written, checked first)."""
    return _compose(text, shown, problems, recover=False)[0]


def _compose(text: str, shown: str, problems: list[Problem], recover: bool) -> tuple[Node | None, bool]:
    try:
        too_many = _too_many_values(text)
        if too_many is not None:
            problems.append(Problem(_clamped(text, shown, too_many), f"the file has more than {MAX_VALUES:,} values (keys, items and "
                                    "texts); a topic of a thousand facts has about 25,000: is it a bank file? Split it into topics"))
            return None, False
        too_deep = _too_deep(text)
        if too_deep is not None:
            problems.append(Problem(_clamped(text, shown, too_deep), f"the file nests lists and mappings more than {MAX_NESTING} deep; a bank file needs a handful of levels"))
            return None, False
        root = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # only without libyaml: the pure-Python composer gives up sooner
        problems.append(Problem(Position(shown), "the file nests lists and mappings too deeply to read"))
        return None, False
    except yaml.YAMLError as exc:
        if not recover:
            problems.append(_failure(text, shown, exc))
            return None, False
        before = len(problems)
        rereads = _Rereads()
        lines = _LINE_BREAK.split(text)
        root = recover_readable(lines, _parse_piece,
                                lambda piece, error, line: _failure(piece, shown, error, line, rereads, lines), problems, exc)
        if len(problems) == before:  # not expected: every failure is reported somewhere
            problems.append(_failure(text, shown, exc))
        return (_safe(root, text, shown, problems) if root is not None else None), False
    if root is None:
        problems.append(Problem(Position(shown), "the file is empty"))
        return None, False
    return _safe(root, text, shown, problems), True


def _parse_piece(text: str) -> Node | None | yaml.YAMLError:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return exc


def _safe(root: Node, text: str, shown: str, problems: list[Problem]) -> Node | None:
    """The root, or None if it holds a tag or alias (reported; see _unsafe_nodes)."""
    if "!" not in text and "*" not in text:  # no tag and no alias: nothing to walk for (see _Loader)
        return root
    reader = Reader(shown, problems)
    clean = True
    for node, reason in _unsafe_nodes(root):
        reader.error(node, reason)
        clean = False
    return root if clean else None


@dataclass
class _Rereads:
    """How much the pure-Python parser may still re-read of one file for its messages (see
    _Loader): what a file up to _PYTHON_REREAD_LIMIT needs. Past it, as in junk of many big
    failing pieces, the failures are in libyaml's words, so checking junk stays quick."""

    left: int = _PYTHON_REREAD_LIMIT

    def take(self, size: int) -> bool:
        if size > self.left:
            return False
        self.left -= size
        return True


def _failure(text: str, shown: str, exc: yaml.YAMLError, line: int = 0, rereads: _Rereads | None = None,
             file_lines: list[str] | None = None) -> Problem:
    """The problem to report for text that does not parse: the slip it is, in a teacher's words
    (see yamlslips), or the parser's own words; the text is the file's from line `line` (from 0),
    and file_lines, when given, all of the file's lines."""
    problem = _failure_in(text, shown, exc, rereads or _Rereads())
    if line == 0:
        return problem
    where = problem.position
    problem = Problem(Position(where.file, where.line + line, where.column), problem.message, problem.severity)
    if file_lines is not None and problem.message.startswith(_RAW):
        return _misaligned_in_file(file_lines, problem) or problem
    return problem


# How a failure no slip explains starts: said in the parser's own words.
_RAW = "YAML syntax: "


def _misaligned_in_file(lines: list[str], problem: Problem) -> Problem | None:
    """A list entry pasted at another column than the ones above it: the piece of the file that
    failed holds the entry but not the ones above it, so it is looked for in the whole file."""
    if sum(map(len, lines)) > _PYTHON_REREAD_LIMIT:
        return None
    slip = misaligned_entry(lines, problem.position.line - 1, parses_past_with(_PythonLoader))
    if slip is None:
        return None
    return Problem(Position(problem.position.file, slip.line + 1, slip.column + 1), slip.message)


def _failure_in(text: str, shown: str, exc: yaml.YAMLError, rereads: _Rereads) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses; it carries an offset, not a line
        where = _position_at(text, shown, exc.position)
        return Problem(where, f"YAML does not allow the control character #x{exc.character:04x} here; delete it")
    whole = len(text) <= _PYTHON_REREAD_LIMIT
    if not whole:
        windowed = _failure_in_window(text, shown, exc, rereads)
        if windowed is not None:
            return windowed
    affordable = rereads.take(min(len(text), _PYTHON_REREAD_LIMIT))
    if affordable and _Loader is not _PythonLoader:
        exc = _described(text, exc)  # the failure in the pure-Python parser's words
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(Position(shown), f"YAML syntax: {exc}")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Problem(Position(shown), f"YAML syntax: {exc}")
    where = _clamped(text, shown, mark)
    if text[mark.index : mark.index + 1] == "\t":
        return Problem(where, "a tab character here; YAML indents with spaces, never tabs: replace it with spaces")
    if affordable and whole:
        slip = find_slip(_LINE_BREAK.split(text), where.line - 1, parses_past_with(_PythonLoader))
        if slip is not None:
            return Problem(Position(shown, slip.line + 1, slip.column + 1), slip.message)
    reason = " ".join(filter(None, [exc.problem, exc.context and f"({exc.context})"]))
    return Problem(where, f"{_RAW}{reason or exc}")


def _failure_in_window(text: str, shown: str, failed: yaml.YAMLError, rereads: _Rereads) -> Problem | None:
    """The failure of a file too big to re-read whole, as the lines around its mark show it read
    on their own: from an entry before the mark (a line at the shallowest indentation there that
    starts a list item or a key) to the mark and a little past, stopping before a line less
    indented than the entry. None when no such window is found, or it fails only at its end."""
    mark = getattr(failed, "problem_mark", None) or getattr(failed, "context_mark", None)
    if mark is None:
        return None
    lines = _LINE_BREAK.split(text)
    at = min(mark.line, len(lines) - 1)
    start = _entry_before(lines, at)
    if start is None:
        return None
    column = _indentation(lines[start])
    end = min(len(lines), at + _WINDOW_LINES)
    end = next((i for i in range(at + 1, end) if _is_content(lines[i]) and _indentation(lines[i]) < column), end)
    piece = "\n".join(lines[start:end]) + ("\n" if end < len(lines) else "")
    if len(piece) > _PYTHON_REREAD_LIMIT:
        return None
    inner = _parse_piece(piece)
    if not isinstance(inner, yaml.YAMLError):
        return None  # the window reads: the failure needs more of the file than it holds
    inner_mark = getattr(inner, "problem_mark", None) or getattr(inner, "context_mark", None)
    if end < len(lines) and (inner_mark is None or inner_mark.line >= end - start - 1):
        return None  # it fails where it was cut short: that failure is the window's, not the file's
    return _failure(piece, shown, inner, start, rereads)


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _entry_before(lines: list[str], at: int) -> int | None:
    """The line _failure_in_window starts at: the nearest before `at` (_WINDOW_LINES back) that
    starts a list item or a key at the shallowest indentation from it to `at`."""
    begin = max(0, at - _WINDOW_LINES)
    column = min((_indentation(line) for line in lines[begin : at + 1] if _is_content(line)), default=0)
    for i in range(begin, max(-1, begin - _WINDOW_SEARCH), -1):
        if not _is_content(lines[i]):
            continue
        indent = _indentation(lines[i])
        rest = lines[i][indent:]
        if indent <= column and (rest == "-" or rest.startswith("- ") or KEY_START.match(rest)):
            return i
        column = min(column, indent)
    return None


def _python_window(text: str, failed: yaml.YAMLError) -> str | None:
    """The part of a file libyaml failed on that the pure-Python parser re-reads for its message:
    all of a file up to _PYTHON_REREAD_LIMIT characters, or else the text up to a little past
    libyaml's mark, if that is inside the limit; None past it, where only libyaml's words are
    affordable (the pure-Python parser reads about 200 KB a second)."""
    if len(text) <= _PYTHON_REREAD_LIMIT:
        return text
    mark = getattr(failed, "problem_mark", None) or getattr(failed, "context_mark", None)
    if mark is None or mark.index + _REREAD_MARGIN > _PYTHON_REREAD_LIMIT:
        return None
    return text[: mark.index + _REREAD_MARGIN]


def _described(text: str, fast: yaml.YAMLError) -> yaml.YAMLError:
    """The error to report for a file libyaml failed on: the pure-Python parser's (see _Loader)
    when it fails inside the window it re-reads, else libyaml's own."""
    window = _python_window(text, fast)
    if window is None:
        return fast
    try:
        yaml.compose(window, Loader=_PythonLoader)
    except yaml.MarkedYAMLError as slow:
        mark = slow.problem_mark or slow.context_mark
        # a window cut short fails at its cut: that failure is the window's, not the file's
        if window is text or (mark is not None and mark.index < len(window) - _REREAD_MARGIN // 2):
            return slow
        return fast
    except yaml.YAMLError as slow:
        return slow if window is text else fast
    return fast


def _clamped(text: str, shown: str, mark: yaml.Mark) -> Position:
    """The mark as a position inside the file: at the end of a file without a final newline,
    libyaml reports the line after the last one, which no editor can go to."""
    lines = _LINE_BREAK.split(text)
    if mark.line < len(lines):
        return Position(shown, mark.line + 1, mark.column + 1)
    return Position(shown, len(lines), len(lines[-1]) + 1)


def _position_at(text: str, shown: str, offset: int) -> Position:
    """A character offset as a position, counting line breaks as YAML and editors do."""
    lines = _LINE_BREAK.split(text[:offset])
    return Position(shown, len(lines), len(lines[-1]) + 1)


def _flow_depth_bound(text: str) -> int:
    """How deep '[' and '{' nest, from the brackets alone: a bank's many flat lists ([a, b]) stay
    at 1, so large banks skip the parser's extra pass. Closing brackets inside quotes could hide
    depth, but under _BRACKET_SCAN_LIMIT brackets never the tens of thousands of levels that
    overflow the stack; past it, the count of brackets is the bound."""
    brackets = _BRACKETS.findall(text)
    if len(brackets) >= _BRACKET_SCAN_LIMIT:
        return len(brackets)
    depth = peak = 0
    for b in brackets:
        if b in "[{":
            depth += 1
            peak = max(peak, depth)
        elif depth:
            depth -= 1
    return peak


def _too_deep(text: str) -> yaml.Mark | None:
    """Where the file first nests deeper than MAX_NESTING, or None; counted from the parser's
    events, which need no recursion. Skipped when a cheap bound shows the file cannot be deep:
    every flow level needs a '[' or '{', and every block level more indentation or a '- ' or
    '? ' at the start of a line."""
    block = max((len(m) for m in _LEADING_INDICATORS.findall(text)), default=0)
    if _flow_depth_bound(text) + 2 * block + 2 <= _SAFE_DEPTH_BOUND:
        return None
    try:
        return _first_too_deep(text, _Loader)
    except yaml.YAMLError:
        # libyaml scans up to 1024 characters ahead of the events it gives, so its own depth limit
        # (or a syntax error) can stop it before the count gets to MAX_NESTING. The pure-Python
        # parser has no depth limit: counted with it, the limit's position is the same on every build.
        if _Loader is _PythonLoader:
            return None
        try:
            return _first_too_deep(text[:_PYTHON_REREAD_LIMIT], _PythonLoader)
        except yaml.YAMLError:
            # a syntax error before the limit, or a file deep only past the window the pure-Python
            # parser can afford to read: compose reports libyaml's failure
            return None


def _too_many_values(text: str) -> yaml.Mark | None:
    """Where the file's values pass MAX_VALUES, or None; counted from libyaml's events, which build
    no tree, so junk is refused before composing it costs hundreds of MB."""
    if len(text) < 2 * MAX_VALUES:
        return None
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)):
                count += 1
                if count > MAX_VALUES:
                    return event.start_mark
    except yaml.YAMLError:
        return None  # a syntax error before the limit: compose reports it
    return None


def _first_too_deep(text: str, loader: type[yaml.SafeLoader]) -> yaml.Mark | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_NESTING:
                return event.start_mark
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _unsafe_nodes(root: Node) -> Iterator[tuple[Node, str]]:
    """Aliases (which can expand exponentially) and tags other than YAML's plain ones."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if is_unread(node):
            continue
        if id(node) in seen:
            yield node, "anchors and aliases (&name, *name) are not supported in bank files; write the value out"
            continue
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            yield node, f"the tag '{node.tag}' is not allowed in bank files"
            continue
        if isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
