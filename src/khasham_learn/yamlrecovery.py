"""Reading what can be read of a bank file with a YAML syntax error, so `check` reports every other
mistake in it too.

A bank file is a block mapping of lists of mappings, indented line by line. A file that does not
parse is cut along that shape: its top-level keys, the items of a list, the keys of an item, each
piece parsed on its own (after as many blank lines as come before it, so every mark keeps its line
and column). A piece that still fails is cut again where it has a shape to cut along, and where it
has none its error is reported and it stands in the tree as an unread node (yamlread.UNREAD_TAG):
readers skip it without reporting what it might have held, so a half-read fact is not said to be
missing the key whose line could not be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Position, Problem

# A line that opens a mapping entry with a plain key: the only lines a piece is cut at.
KEY_START = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t]|$)")
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_STR = "tag:yaml.org,2002:str"
UNREAD_TAG = "!unread"

# parse(text) -> the node (None for an empty text) or the parser's error
Parse = Callable[[str], "Node | None | yaml.YAMLError"]
# failure(text, error, line) -> the problem to report for a piece that does not parse, the piece
# being the file's text from line `line` (from 0)
Failure = Callable[[str, yaml.YAMLError, int], Problem]
# A file with more slips than this is not being typed by hand: the first ones say what is wrong,
# and reading the rest piece by piece would cost seconds.
MAX_SLIPS = 50
# Entries parsed together before one at a time (see _Recovery.in_runs): a run that parses costs one
# call, and one that fails this many more.
_RUN = 64


class _Recovery:
    def __init__(self, lines: list[str], parse: Parse, failure: Failure, problems: list[Problem]) -> None:
        self.lines = lines
        self.parse = parse
        self.failure = failure
        self.problems = problems
        self.failed = 0

    def text(self, start: int, end: int, first: str | None = None) -> str:
        body = [first if first is not None else self.lines[start], *self.lines[start + 1 : end]]
        # as in the file, to the character: a mark past the piece's end is where the file ends
        return "\n".join(body) + ("\n" if end < len(self.lines) else "")

    def parsed(self, start: int, end: int, first: str | None = None) -> Node | None | yaml.YAMLError:
        """The piece parsed on its own, its marks moved to where the piece is in the file."""
        if self.failed > MAX_SLIPS:
            return yaml.YAMLError("not read")  # reported once, at the slip past the limit
        parsed = self.parse(self.text(start, end, first))
        if isinstance(parsed, Node):
            _move_marks(parsed, start)
        return parsed

    def content(self, start: int, end: int) -> list[int]:
        return [i for i in range(start, end) if self.lines[i].strip() and not self.lines[i].lstrip(" ").startswith("#")]

    def region(self, start: int, end: int, first: str | None = None, failed: yaml.YAMLError | None = None) -> Node | None:
        """The node of lines [start, end), what of it can be read; None when none of it can.
        failed: the error of parsing it, or a text around it (a block with its key), when known
        already: a big file is not parsed whole again only to be cut."""
        parsed = failed or self.parsed(start, end, first)
        if not isinstance(parsed, yaml.YAMLError):
            return parsed
        lines = self.content(start, end)
        line = first if first is not None else self.lines[start]
        head = line if lines and lines[0] == start else self.lines[lines[0]] if lines else ""
        column = len(head) - len(head.lstrip(" "))
        rest = head[column:]
        before = self.failed
        node: Node | None = None
        if rest == "-" or rest.startswith("- "):
            node = self.sequence(lines, end, column, first if lines[0] == start else None)
        elif KEY_START.match(rest):
            node = self.mapping(lines, end, column, first if lines[0] == start else None)
        if self.failed == before:  # no piece of it failed on its own: the failure is in how they fit
            if failed is not None:  # the error of a text around this one: its own error, for its marks
                parsed = self.parsed(start, end, first)
                if not isinstance(parsed, yaml.YAMLError):
                    return parsed
            return self.leaf(start, end, parsed)
        return node

    def leaf(self, start: int, end: int, error: yaml.YAMLError) -> Node:
        lines = self.content(start, end) or [start]
        self.failed += 1
        if self.failed <= MAX_SLIPS:
            problem = self.failure(self.text(start, end), error, start)
            first, last = lines[0] + 1, lines[-1] + 1
            span = f"line {first} is" if first == last else f"lines {first}-{last} are"
            self.problems.append(Problem(problem.position, f"{problem.message}; {span} not checked until this is fixed"))
        elif self.failed == MAX_SLIPS + 1:
            file = self.problems[-1].position.file  # the last slip reported, in this file
            self.problems.append(Problem(Position(file, lines[0] + 1), f"more than {MAX_SLIPS} YAML syntax errors: "
                                         "the rest of the file is not checked; fix these and check again"))
        mark = yaml.Mark("", 0, lines[0], 0, None, None)
        return ScalarNode(UNREAD_TAG, "", mark, mark)

    def pieces(self, lines: list[int], end: int, column: int, starts: Callable[[str], bool]) -> list[tuple[int, int]]:
        cuts = [i for i in lines if len(self.lines[i]) - len(self.lines[i].lstrip(" ")) == column and starts(self.lines[i][column:])]
        if not cuts or cuts[0] != lines[0]:
            cuts.insert(0, lines[0])
        return [(a, b) for a, b in zip(cuts, [*cuts[1:], end])]

    def in_runs(self, pieces: list[tuple[int, int]], lines: list[int], first: str | None, kind: type[Node],
                out: list) -> list[tuple[int, int]]:
        """The pieces that did not parse in a run of _RUN of them: a run that does gives its
        entries to out at once, so a big file with one slip is not parsed one entry at a time."""
        left: list[tuple[int, int]] = []
        for i in range(0, len(pieces), _RUN):
            run = pieces[i : i + _RUN]
            if 1 < len(run) < len(pieces):  # all of them is the region, which failed already
                a, b = run[0][0], run[-1][1]
                parsed = self.parsed(a, b, first if first is not None and a == lines[0] else None)
                if isinstance(parsed, kind) and len(parsed.value) == len(run):
                    out.extend(parsed.value)
                    continue
            left.extend(run)
        return left

    def sequence(self, lines: list[int], end: int, column: int, first: str | None) -> Node | None:
        items: list[Node] = []
        pieces = self.pieces(lines, end, column, lambda rest: rest == "-" or rest.startswith("- "))
        for a, b in self.in_runs(pieces, lines, first, SequenceNode, items):
            head = first if first is not None and a == lines[0] else self.lines[a]
            parsed = self.parsed(a, b, head)
            if isinstance(parsed, SequenceNode) and len(parsed.value) == 1:
                items.append(parsed.value[0])
                continue
            # the item alone: its dash blanked, its keys are a mapping at the column after it
            blanked = head[:column] + " " + head[column + 1 :]
            item = self.region(a, b, blanked) if isinstance(parsed, yaml.YAMLError) else None
            if item is not None:
                items.append(item)
        return _collection(SequenceNode, _SEQ, items)

    def mapping(self, lines: list[int], end: int, column: int, first: str | None) -> Node | None:
        pairs: list[tuple[Node, Node]] = []
        pieces = self.pieces(lines, end, column, lambda rest: bool(KEY_START.match(rest)))
        for a, b in self.in_runs(pieces, lines, first, MappingNode, pairs):
            head = first if first is not None and a == lines[0] else self.lines[a]
            parsed = self.parsed(a, b, head)
            if isinstance(parsed, MappingNode):
                pairs.extend(parsed.value)
                continue
            if not isinstance(parsed, yaml.YAMLError):
                continue
            key_text, _, value = head[column:].partition(":")
            mark = yaml.Mark("", 0, a, column, None, None)
            key = ScalarNode(_STR, key_text, mark, mark) if KEY_START.match(head[column:]) else None
            nested = self.content(a + 1, b)
            if key is not None and not value.split("#", 1)[0].strip() and nested:
                # `key:` opening a block: the block is cut in turn (it failed with its key, so is not parsed whole)
                node = self.region(nested[0], b, failed=parsed)
                pairs.append((key, node if node is not None else self.leaf(nested[0], b, parsed)))
            else:
                unread = self.leaf(a, b, parsed)
                if key is not None:
                    pairs.append((key, unread))
        return _collection(MappingNode, _MAP, pairs)


def _move_marks(root: Node, lines: int) -> None:
    if lines == 0:
        return
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: one node in two places (refused later, moved once)
            continue
        seen.add(id(node))
        node.start_mark = _moved(node.start_mark, lines)
        node.end_mark = _moved(node.end_mark, lines)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)


def _moved(mark: yaml.Mark, lines: int) -> yaml.Mark:
    return yaml.Mark(mark.name, mark.index, mark.line + lines, mark.column, None, None)


def _collection(kind: type[SequenceNode] | type[MappingNode], tag: str, value: list) -> Node | None:
    if not value:
        return None
    first = value[0][0] if isinstance(value[0], tuple) else value[0]
    last = value[-1][1] if isinstance(value[-1], tuple) else value[-1]
    return kind(tag, value, first.start_mark, last.end_mark, flow_style=False)


def recover(lines: list[str], parse: Parse, failure: Failure, problems: list[Problem], failed: yaml.YAMLError) -> Node | None:
    """What can be read of a file that does not parse (with the error `failed`), its errors recorded
    in problems (at least one); None when nothing of it could be read."""
    recovery = _Recovery(lines, parse, failure, problems)
    node = recovery.region(0, len(lines), failed=failed)
    if node is not None and node.tag == UNREAD_TAG:
        return None
    return node


def is_unread(node: Node) -> bool:
    return node.tag == UNREAD_TAG
