"""Hostile bank files: whatever a file holds, `check` and the library end in positioned problems.

Every case starts from the bundled bank's own files (or a small bank of the conftest's) and breaks
one file: mutations of valid text, wrong types for every key, bytes that are not UTF-8, other
encodings, tabs, huge values, deep nesting, exponential aliases, duplicate keys and Python tags.
The library may only report problems or raise a KhashamError; each problem points into the file
it is about (line and column from 1, within the file). A sample goes through the real CLI too.

Hypothesis runs derandomized, so CI sees the same examples every run of one Hypothesis release
(a newer release draws others); `deadline` is a hang guard, not a benchmark.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import SOURCES_YAML, START_TIME_FACT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, SequenceNode

from khasham_learn.checking import check_bank
from khasham_learn.errors import KhashamError, Problem
from khasham_learn.loading import open_bank
from khasham_learn.paths import bundled_bank
from khasham_learn.yamlread import MAX_NESTING

BUNDLED = bundled_bank()
BANK_FILES = ("bank.yaml", "sources.yaml", "questions.yaml", *sorted(
    f"facts/{p.name}" for p in (BUNDLED / "facts").glob("*.yaml")))


def hostile(max_examples: int) -> settings:
    # The bank folder is shared by a test's examples and restored after each one, so the
    # function-scoped-fixture health check does not apply; big inputs are the point here.
    return settings(
        # The deadline only guards against a hang: under the pure-Python parser every example reads
        # the whole bank in pure Python, which takes seconds on a loaded two-core machine.
        max_examples=max_examples, deadline=30_000, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


# Every case runs under both of PyYAML's parsers (the `parser` fixture of conftest.py).
pytestmark = pytest.mark.usefixtures("parser")


# --- the bank under attack -------------------------------------------------------------------


class Bank:
    """A copy of the bundled bank in which one file at a time is replaced, then put back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.original = {name: (root / name).read_bytes() for name in BANK_FILES}

    def text(self, name: str) -> str:
        return self.original[name].decode("utf-8")


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    root = tmp_path_factory.mktemp("hostile") / "bank"
    shutil.copytree(BUNDLED, root)
    assert not [p for p in check_bank(root) if p.severity == "error"], "the bundled bank must start clean"
    return Bank(root)


def outcome(root: Path) -> list[Problem] | KhashamError:
    """What check gives: its problems, or the KhashamError it raised. Any other exception fails the test."""
    try:
        return check_bank(root, None)
    except KhashamError as exc:
        return exc


def file_lines(data: bytes) -> list[str]:
    """The file's lines as an editor shows them (a final line break starts an empty last line)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "replace")
    else:
        text = data.decode("utf-8-sig", "replace")
    return re.split("\r\n|[\r\n\x85\u2028\u2029]", text)


def assert_positioned(result: list[Problem] | KhashamError, root: Path) -> list[Problem]:
    """Every problem names a file of the bank and a line and column inside it."""
    if isinstance(result, KhashamError):
        assert result.position is not None, f"an error without a position: {result}"
        problems = [Problem(result.position, result.message)]
    else:
        problems = result
    for problem in problems:
        where = problem.position
        path = Path(where.file) if Path(where.file).is_absolute() else Path.cwd() / where.file
        assert path == root / "facts" or root in path.parents, f"{problem} is not about a file of the bank"
        assert where.line >= 1 and where.column >= 1, str(problem)
        if path.is_file():
            lines = file_lines(path.read_bytes())
            assert where.line <= len(lines), f"{problem}: the file has {len(lines)} lines"
            assert where.column <= len(lines[where.line - 1]) + 1, f"{problem}: line {where.line} is shorter"
    return problems


def errors_in(problems: list[Problem], root: Path, name: str) -> list[Problem]:
    return [p for p in problems if p.severity == "error" and Path(p.position.file).resolve() == (root / name).resolve()]


def check_hostile(bank: Bank, name: str, data: bytes, *, also_open: bool = True) -> list[Problem]:
    """Check's problems with `data` as file `name`, each asserted positioned; the file is put back."""
    path = bank.root / name
    path.write_bytes(data)
    try:
        problems = assert_positioned(outcome(bank.root), bank.root)
        if also_open:  # the commands other than check open the bank this way: one KhashamError, positioned
            try:
                open_bank(bank.root)
            except KhashamError as exc:
                assert exc.position is not None, str(exc)
        return problems
    finally:
        path.write_bytes(bank.original[name])


# --- mutations of valid files ------------------------------------------------------------------


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(BANK_FILES))
    data = bytes(BUNDLED.joinpath(name).read_bytes())
    lines = data.splitlines(keepends=True)
    op = draw(st.sampled_from(["drop", "duplicate", "reindent", "truncate", "swap", "splice-bytes", "tab"]))
    at = draw(st.integers(0, len(lines) - 1))
    if op == "drop":
        count = draw(st.integers(1, 5))
        lines[at:at + count] = []
    elif op == "duplicate":
        lines.insert(at, lines[at])
    elif op == "reindent":
        stripped = lines[at].lstrip(b" ")
        lines[at] = b" " * draw(st.integers(0, 12)) + stripped
    elif op == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif op == "tab":
        lines[at] = b"\t" + lines[at].lstrip(b" ")
    joined = b"".join(lines)
    if op == "truncate":
        return name, data[: draw(st.integers(0, len(data)))]
    if op == "splice-bytes":
        cut = draw(st.integers(0, len(data)))
        return name, data[:cut] + draw(st.binary(min_size=1, max_size=8)) + data[cut:]
    return name, joined


@hostile(max_examples=50)
@given(case=mutations())
def test_mutated_files_give_positioned_problems(bank: Bank, case: tuple[str, bytes]) -> None:
    name, data = case
    check_hostile(bank, name, data, also_open=False)


@hostile(max_examples=25)
@given(data=st.binary(max_size=3000), name=st.sampled_from(BANK_FILES))
def test_random_bytes(bank: Bank, data: bytes, name: str) -> None:
    check_hostile(bank, name, data)


@hostile(max_examples=25)
@given(text=st.text(max_size=500), name=st.sampled_from(BANK_FILES))
def test_random_text(bank: Bank, text: str, name: str) -> None:
    check_hostile(bank, name, text.encode("utf-8", "surrogatepass"), also_open=False)


@hostile(max_examples=20)
@given(name=st.sampled_from(BANK_FILES), where=st.floats(0, 1), junk=st.sampled_from(
    [b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80"]))
def test_invalid_utf8_is_reported_where_it_is(bank: Bank, name: str, where: float, junk: bytes) -> None:
    data = bank.original[name]
    # Cut between lines so the bad bytes cannot join a character of the file into something valid.
    starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    cut = starts[int(where * (len(starts) - 1))]
    problems = check_hostile(bank, name, data[:cut] + junk + data[cut:], also_open=False)
    line = data[:cut].count(b"\n") + 1
    assert [str(p) for p in errors_in(problems, bank.root, name)] == [
        f"{bank.root / name}:{line}:1: error: the file is not UTF-8 text (save it as UTF-8)"
    ] or any(p.position.line == line and "UTF-8" in p.message for p in problems)


@pytest.mark.parametrize("data, line, column", [
    (b"\r\x80", 2, 1),  # found by Hypothesis 6.170: a lone carriage return ends a line too
    (b"title: x\r\ntopics: \xff", 2, 9),
    (b"title: x\rtopics: [a]\n\xc3", 3, 1),
])
def test_invalid_utf8_after_any_line_break_is_placed_on_its_line(bank: Bank, data: bytes, line: int, column: int) -> None:
    problems = errors_in(check_hostile(bank, "bank.yaml", data, also_open=False), bank.root, "bank.yaml")
    assert [(p.position.line, p.position.column, p.message) for p in problems] == [
        (line, column, "the file is not UTF-8 text (save it as UTF-8)")]


# --- every key given a wrong type ---------------------------------------------------------------

WRONG = {"list": "[1, [2, 3]]", "mapping": "{wrong: 1}", "number": "42", "float": "-3.5e9",
         "null": "null", "bool": "true", "date": "2018-02-07"}


def mapping_spans(text: str, *, with_key: bool) -> list[tuple[str, int, int]]:
    """(key, start, end) of every mapping key's value, as character offsets; `with_key` starts each
    span at its key, which is what deleting the key from the file removes."""
    spans = []
    stack: list[Node] = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                spans.append((key.value, (key if with_key else value).start_mark.index, value.end_mark.index))
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return spans


def replaced(text: str, start: int, end: int, value: str) -> bytes:
    return (text[:start] + value + text[end:]).encode("utf-8")


KEYED = [(name, span) for name in BANK_FILES for span in mapping_spans(BUNDLED.joinpath(name).read_text("utf-8"), with_key=False)]


@hostile(max_examples=60)
@given(target=st.sampled_from(KEYED), wrong=st.sampled_from(sorted(WRONG)))
def test_a_wrong_type_for_any_key_of_the_bundled_bank(bank: Bank, target: tuple[str, tuple[str, int, int]], wrong: str) -> None:
    name, (key, start, end) = target
    problems = check_hostile(bank, name, replaced(bank.text(name), start, end, WRONG[wrong]), also_open=False)
    if wrong == "mapping":  # no key of a bank file takes a mapping
        assert errors_in(problems, bank.root, name), f"{key}: a mapping went unreported"


KEYS = [(name, span) for name in BANK_FILES for span in mapping_spans(BUNDLED.joinpath(name).read_text("utf-8"), with_key=True)]
# Keys every fact and claim must have: a facts file without one is an error, not a default.
REQUIRED_IN_FACTS = {"id", "prompt", "kind", "claims", "source", "quote", "value"}


@hostile(max_examples=40)
@given(target=st.sampled_from(KEYED), where=st.floats(0, 1), text=st.text(min_size=1, max_size=40))
def test_random_unicode_inside_any_value(bank: Bank, target: tuple[str, tuple[str, int, int]], where: float, text: str) -> None:
    name, (_, start, end) = target
    at = start + round(where * (end - start))
    check_hostile(bank, name, replaced(bank.text(name), at, at, text), also_open=False)


@hostile(max_examples=40)
@given(target=st.sampled_from(KEYS))
def test_a_deleted_key(bank: Bank, target: tuple[str, tuple[str, int, int]]) -> None:
    name, (key, start, end) = target
    problems = check_hostile(bank, name, replaced(bank.text(name), start, end, ""), also_open=False)
    if name.startswith("facts/") and key in REQUIRED_IN_FACTS:
        assert errors_in(problems, bank.root, name), f"{name}: deleting {key!r} went unreported"


SMALL_QUESTIONS = """\
questions:
  - id: start-time.direct
    prompt: When did it start?
    tags: [timeline]
    enabled: true
  - id: own-question
    fact: attackers
    type: choice
    prompt: How many attacked?
    answer: about 500
    accepted: [500]
    choices: [about 500, 40]
"""
SMALL_BANK = """\
title: A small bank
description: for hostile tests
topics: [battle]
"""


def test_every_key_of_a_small_bank_given_every_wrong_type(make_bank: Callable[..., Path]) -> None:
    """Exhaustive where the bank is small: each key of each file, each wrong type."""
    root = make_bank(questions=SMALL_QUESTIONS)
    (root / "bank.yaml").write_text(SMALL_BANK, encoding="utf-8")
    files = {"sources.yaml": SOURCES_YAML, "facts/battle.yaml": START_TIME_FACT,
             "questions.yaml": SMALL_QUESTIONS, "bank.yaml": SMALL_BANK}
    assert not [p for p in check_bank(root) if p.severity == "error"]
    tried = 0
    for name, text in files.items():
        for key, start, end in mapping_spans(text, with_key=False):
            for wrong, value in WRONG.items():
                (root / name).write_bytes(replaced(text, start, end, value))
                problems = assert_positioned(outcome(root), root)
                if wrong == "mapping":
                    assert errors_in(problems, root, name), f"{name} {key}: a mapping went unreported"
                tried += 1
        (root / name).write_text(text, encoding="utf-8")
    assert tried > 200


# --- encodings, sizes, depth, aliases, tags ----------------------------------------------------


def test_byte_order_marks_and_utf16_read_like_utf8(bank: Bank) -> None:
    for name in ("facts/battle.yaml", "sources.yaml", "questions.yaml", "bank.yaml"):
        text = bank.text(name)
        for data in (codecs.BOM_UTF8 + text.encode("utf-8"),
                     codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
                     codecs.BOM_UTF16_BE + text.encode("utf-16-be")):
            assert not [str(p) for p in check_hostile(bank, name, data, also_open=False) if p.severity == "error"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "cp1252"])
def test_other_encodings_are_a_positioned_problem(bank: Bank, encoding: str) -> None:
    name = "facts/battle.yaml"
    data = bank.text(name).encode(encoding)  # the file has curly quotes, which cp1252 writes as one byte
    assert errors_in(check_hostile(bank, name, data), bank.root, name), encoding


def test_an_odd_utf16_file_is_a_problem(bank: Bank) -> None:
    problems = check_hostile(bank, "facts/battle.yaml", codecs.BOM_UTF16_LE + b"t\x00i\x00t")
    assert errors_in(problems, bank.root, "facts/battle.yaml")


def test_tabs(bank: Bank) -> None:
    name = "facts/battle.yaml"
    text = bank.text(name)
    for data in (text.replace("    ", "\t"), text.replace(": ", ":\t"), text.replace("  - ", "\t- ", 1)):
        check_hostile(bank, name, data.encode("utf-8"))
    problems = check_hostile(bank, name, text.replace("    ", "\t").encode("utf-8"))
    assert any("tab" in p.message for p in errors_in(problems, bank.root, name))


def test_huge_strings(bank: Bank) -> None:
    name = "facts/battle.yaml"
    text = bank.text(name)
    huge = "x" * 5_000_000
    check_hostile(bank, name, text.replace("title: ", f"title: {huge} ", 1).encode())  # a valid, huge title
    check_hostile(bank, name, text.replace("quote: ", f'quote: "{huge}', 1).encode())  # an unclosed quote
    check_hostile(bank, name, f"{huge}: 1\n".encode())  # a huge key
    check_hostile(bank, name, huge.encode())  # one huge line and no newline


DEEP = {
    "flow-lists": "[" * 10_000,
    "closed-flow-lists": "[" * 10_000 + "]" * 10_000,
    "flow-mappings": "{" * 10_000,
    "nested-mappings": "{a: " * 10_000 + "}" * 10_000,
    "dashes": "- " * 10_000 + "x\n",
    "block-mappings": "".join(" " * i + "a:\n" for i in range(1_000)),
    "as-a-value": "title: x\nfacts:\n  - id: " + "[" * 100_000,
}


@pytest.mark.parametrize("case", sorted(DEEP))
def test_deep_nesting_is_refused_without_crashing(bank: Bank, case: str) -> None:
    # Before the fix, 100,000 levels overflowed the C stack in PyYAML's composer: a segfault.
    name = "facts/battle.yaml"
    problems = check_hostile(bank, name, DEEP[case].encode())
    assert errors_in(problems, bank.root, name)


@pytest.mark.parametrize("text, line, column", [
    ("[" * 200_000, 1, MAX_NESTING + 1),  # libyaml 0.2.5+ stops at its own limit of 1000 first
    ("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), 1, MAX_NESTING + 1),  # just over ours
    ("".join(" " * i + "a:\n" for i in range(MAX_NESTING + 1)), MAX_NESTING + 1, MAX_NESTING + 1),
])
def test_deep_nesting_message(bank: Bank, text: str, line: int, column: int) -> None:
    # The same position and words under either parser, and whatever depth limit libyaml has.
    problems = check_hostile(bank, "facts/battle.yaml", text.encode())
    (problem,) = errors_in(problems, bank.root, "facts/battle.yaml")
    assert (problem.position.line, problem.position.column) == (line, column)
    assert f"more than {MAX_NESTING} deep" in problem.message


def test_nesting_up_to_the_limit_is_read(bank: Bank) -> None:
    text = "title: x\nfacts: " + "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1) + "\n"
    problems = check_hostile(bank, "facts/battle.yaml", text.encode())
    assert not [p for p in errors_in(problems, bank.root, "facts/battle.yaml") if "deep" in p.message]


def test_an_error_at_the_end_of_a_file_without_a_final_newline_is_on_its_last_line(bank: Bank) -> None:
    # libyaml puts the end of such a file on the line after the last, which no editor can go to.
    problems = check_hostile(bank, "facts/battle.yaml", b"title: x\nfacts: [a, b")
    (problem,) = errors_in(problems, bank.root, "facts/battle.yaml")
    assert (problem.position.line, problem.position.column) == (2, 8)  # the [ left open (see yamlslips)


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for n in range(1, levels + 1):
        lines.append(f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", BANK_FILES[:4])
@pytest.mark.parametrize("placement", ["whole-file", "appended", "as-a-value"])
def test_exponential_aliases_are_refused(bank: Bank, name: str, placement: str) -> None:
    laughs = billion_laughs()
    text = bank.text(name)
    data = {"whole-file": laughs, "appended": text + laughs,
            "as-a-value": text.replace(": ", ": &top\n  " + laughs.replace("\n", "\n  ") + "\nignored: ", 1)}[placement]
    problems = check_hostile(bank, name, data.encode())
    assert errors_in(problems, bank.root, name)


def test_duplicate_keys(bank: Bank) -> None:
    name = "facts/battle.yaml"
    text = bank.text(name)
    problems = check_hostile(bank, name, text.replace("title: ", "title: one\ntitle: ", 1).encode())
    assert any("appears twice" in p.message and p.position.line == text.split("\n").index(
        next(line for line in text.split("\n") if line.startswith("title:"))) + 2 for p in problems)
    value = next(line for line in text.split("\n") if line.lstrip().startswith("value:"))
    problems = check_hostile(bank, name, text.replace(value, f"{value}\n{value}", 1).encode())
    assert any("'value' appears twice in a claim" in p.message for p in problems)


TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
    '!!python/name:os.system',
    '!!python/module:os',
    '!!binary dG91Y2g=',
    '!include /etc/passwd',
]


@pytest.fixture
def marker(tmp_path: Path) -> Iterator[Path]:
    path = Path("/tmp") / f"pwned-{uuid.uuid4().hex}" if os.name != "nt" else tmp_path / "pwned"
    yield path
    assert not path.exists(), "a tag in a bank file ran code"


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("name", BANK_FILES[:4])
def test_python_tags_run_no_code(bank: Bank, tag: str, name: str, marker: Path) -> None:
    node = tag.format(marker=marker)
    text = bank.text(name)
    for data in (node + "\n", text.replace(": ", f": {node}\nignored: ", 1), text + f"extra: {node}\n"):
        problems = check_hostile(bank, name, data.encode(), also_open=False)
        assert errors_in(problems, bank.root, name)
        assert not marker.exists()


def test_a_merge_key_is_an_unknown_key_not_a_merge(bank: Bank) -> None:
    # PyYAML would merge `<<` into the mapping; a bank file takes it as the key it looks like.
    name = "facts/battle.yaml"
    text = bank.text(name)
    problems = check_hostile(bank, name, text.replace("title: ", "<<: {prompt: merged}\ntitle: ", 1).encode())
    assert any("unknown key '<<'" in p.message and p.position.line == 1 + text.split("\n").index(
        next(line for line in text.split("\n") if line.startswith("title:"))) for p in problems)


def test_exclamation_and_asterisk_in_text_are_just_text(make_bank: Callable[..., Path]) -> None:
    # Files with neither character skip the walk for tags and aliases; these must still pass it.
    root = make_bank({"battle": START_TIME_FACT.replace("When did the attack begin?", "When did *it* begin? Guess!")})
    assert not check_bank(root)
    assert open_bank(root).facts[0].prompt == "When did *it* begin? Guess!"


# --- through the real CLI ------------------------------------------------------------------------

CLI_CASES = {
    "garbage": bytes(range(256)) * 4,
    "deep": b"[" * 100_000,
    "laughs": billion_laughs().encode(),
    "python-tag": b'!!python/object/apply:os.system ["touch {marker}"]\n',
    "utf-16-without-bom": None,  # filled from the bank
    "truncated": None,
}
LINE = re.compile(r"^(khasham-learn: )?(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (error|warning): \S")
SUMMARY = re.compile(r"^\d+ error\(s\), \d+ warning\(s\); quotes not checked")


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_reports_hostile_files_in_one_line_each(bank: Bank, case: str, marker: Path, tmp_path: Path) -> None:
    name = "facts/battle.yaml"
    data = CLI_CASES[case]
    if case == "utf-16-without-bom":
        data = bank.text(name).encode("utf-16-le")
    elif case == "truncated":
        data = bank.original[name][: len(bank.original[name]) // 3]
    assert data is not None
    data = data.replace(b"{marker}", str(marker).encode())
    root = tmp_path / "bank"
    shutil.copytree(bank.root, root)
    (root / name).write_bytes(data)
    for command in (["check"], ["questions", "--json"]):
        # The timeout only guards against a hang; Python's start-up alone can take a second on CI.
        result = subprocess.run([sys.executable, "-m", "khasham_learn", *command, "--bank", str(root)],
                                check=False, capture_output=True, text=True, timeout=10, cwd=tmp_path)
        assert result.returncode in (1, 2), (command, result.returncode, result.stderr)
        assert "Traceback" not in result.stderr
        lines = [line for line in (result.stdout + result.stderr).splitlines() if line]
        assert lines, command
        for line in lines:
            if command == ["check"] and SUMMARY.match(line):
                continue
            match = LINE.match(line)
            assert match, f"{command}: not file:line:col: {line!r}"
            assert (tmp_path / match["file"]).is_file() or Path(match["file"]).is_file(), line
            assert int(match["line"]) >= 1 and int(match["col"]) >= 1, line
    assert not marker.exists()
