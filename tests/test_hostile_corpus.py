"""A standing hostile-input corpus: the YAML error cases of the yaml-test-suite (tests/corpus/).

Each error case is placed as a bank file of a small bank (a topic's facts file, and questions.yaml);
`check` then gives at least one error inside that file, positioned, and raises nothing but a
KhashamError; through the CLI it exits 1 with `file:line:col:` lines, no traceback, no internal error.
Every case runs under both of PyYAML's parsers (the `parser` fixture of conftest.py).

PyYAML is lenient: some of the suite's errors it reads as valid YAML. Those are listed in LENIENT;
for them the bank's schema still refuses what they hold (nothing of them is a bank file), so the same
assertions hold, and the list only records which errors are found by the parser and which by the schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_hostile_input import LINE, SUMMARY, assert_positioned, errors_in, outcome

from khasham_learn import yamlread
from khasham_learn.cli import cli

CORPUS = json.loads((Path(__file__).parent / "corpus" / "yaml-test-suite-errors.json").read_text(encoding="utf-8"))
CASES = {case["id"]: case for case in CORPUS["cases"]}
PLACES = ("facts/battle.yaml", "questions.yaml")

pytestmark = pytest.mark.usefixtures("parser")

# The error cases each parser reads as one YAML document (PyYAML 6.0). libyaml is the more lenient:
# it takes "%YAML 1.1#..." (MUS6/00), an anchor before a comment line (X4QW) and a tab before a flow
# item (Y79Y/03). A release that refuses more of them is fine (the schema refused them anyway); one
# that reads more fails here, so that what it now lets through is looked at.
LENIENT_EVERYWHERE = {"9C9N", "9JBA", "CVW2", "DK95/01", "G5U8", "QB6E", "S98Z", "SU5Z", "YJV2"}
LENIENT = {"libyaml": LENIENT_EVERYWHERE | {"MUS6/00", "X4QW", "Y79Y/03"}, "pure-python": LENIENT_EVERYWHERE}


def test_the_corpus_is_whole() -> None:
    assert len(CASES) == len(CORPUS["cases"]) == 94, "ids are unique and every error case is there"
    assert all(case["yaml"] for case in CASES.values())


def test_which_error_cases_the_parser_reads(parser: str) -> None:
    read = set()
    for case_id, case in CASES.items():
        problems: list = []
        if yamlread.compose_text(case["yaml"], "case.yaml", problems) is not None and not problems:
            read.add(case_id)
    assert read <= LENIENT[parser]


def place(make_bank: Callable[..., Path], name: str, text: str) -> Path:
    root = make_bank()
    (root / name).write_bytes(text.encode("utf-8"))
    return root


@pytest.mark.parametrize("name", PLACES)
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_each_yaml_error_case_is_a_positioned_error(make_bank: Callable[..., Path], case_id: str, name: str) -> None:
    root = place(make_bank, name, CASES[case_id]["yaml"])
    problems = assert_positioned(outcome(root), root)
    assert errors_in(problems, root, name), f"{case_id}: no error in {name}: {[str(p) for p in problems]}"


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_check_exits_1_with_one_positioned_line_each(make_bank: Callable[..., Path], case_id: str) -> None:
    root = place(make_bank, "facts/battle.yaml", CASES[case_id]["yaml"])
    result = CliRunner().invoke(cli, ["check", "--bank", str(root)], prog_name="khasham-learn")
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 1, (result.exit_code, output, result.exception)
    assert "Traceback" not in output and "internal error" not in output, output
    lines = [line for line in output.splitlines() if line and not SUMMARY.match(line)]
    assert lines
    for line in lines:
        match = LINE.match(line)
        assert match, f"not file:line:col: {line!r}"
        assert Path(match["file"]).resolve() == (root / "facts" / "battle.yaml").resolve() or Path(match["file"]).is_file(), line
