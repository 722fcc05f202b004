"""The JSON Schemas: every bundled file validates, and on bad files the schema and `check` agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import START_TIME_FACT

from khasham_learn.checking import check_bank
from khasham_learn.errors import Problem
from khasham_learn.paths import bundled_bank
from khasham_learn.scaffold import STARTER
from khasham_learn.schema import FILE_KINDS, MODELINE, kind_of, plain, schema_path
from khasham_learn.yamlread import compose

jsonschema = pytest.importorskip("jsonschema")


def validator(kind: str):
    schema = json.loads(schema_path(kind).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def data_of(path: Path) -> object:
    problems: list[Problem] = []
    node = compose(path, str(path), problems)
    assert node is not None, problems
    return plain(node)


def schema_errors(root: Path) -> list[str]:
    """Every schema error in the bank folder's files, as 'file: path: message'."""
    found = []
    for path in sorted(root.rglob("*.yaml")):
        kind = kind_of(path.relative_to(root))
        if kind is None:
            continue
        for error in validator(kind).iter_errors(data_of(path)):
            found.append(f"{path.relative_to(root)}: {list(error.absolute_path)}: {error.message}")
    return found


def bundled_files() -> list[Path]:
    """The bundled bank's files and the starter bank `init` copies."""
    return sorted(p for root in (bundled_bank(), STARTER) for p in root.rglob("*.yaml") if kind_of(p.relative_to(root)))


@pytest.mark.parametrize("kind", [k.name for k in FILE_KINDS])
def test_schemas_are_valid_draft_2020_12(kind):
    validator(kind)


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.name)
def test_bundled_file_validates_and_names_its_schema(path):
    root = STARTER if path.is_relative_to(STARTER) else bundled_bank()
    kind = kind_of(path.relative_to(root))
    errors = [e.message for e in validator(kind).iter_errors(data_of(path))]
    assert errors == []
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE) and first.endswith(f"schemas/{kind}.json")
    if root == STARTER:
        return  # its schemas are copied beside it by init (tested in test_scaffold)
    # The relative reference resolves to the shipped schema in a checkout.
    target = (path.parent / first[len(MODELINE):]).resolve()
    if "site-packages" not in str(path):
        assert target == schema_path(kind).resolve()


def test_every_schema_property_has_a_description():
    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if "description" not in sub and sub.get("not") is None:
                    missing.append(f"{where}.{key}")
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    for kind in FILE_KINDS:
        missing: list[str] = []
        schema = json.loads(schema_path(kind.name).read_text(encoding="utf-8"))
        walk({k: v for k, v in schema.items() if k != "allOf"}, kind.name)
        # Properties restated inside if/then only narrow a value; the hover comes from the first.
        assert [m for m in missing if not any(f".{w}" in m for w in ("if", "then", "else"))] == []


CLAIMS = """\
    claims:
      - source: report-a
        value: about 22:00
        quote: "the attack began at around 10:00 PM"
"""
ONE_FACT = START_TIME_FACT[:START_TIME_FACT.index("    claims:")] + CLAIMS  # the first fact, one claim

# Each bad bank: (facts files replaced, questions.yaml or None).
BAD = {
    "missing required key": ({"battle": START_TIME_FACT.replace("    statement: The attack began at {answer}.\n", "")}, None),
    "unknown key": ({"battle": START_TIME_FACT.replace("    prompt: When", "    promt: When")}, None),
    "bad kind": ({"battle": START_TIME_FACT.replace("kind: time", "kind: clock")}, None),
    "statement without answer": ({"battle": START_TIME_FACT.replace("at {answer}.", "at ten.")}, None),
    "claims not a list": ({"battle": ONE_FACT.replace(CLAIMS, "    claims: none\n")}, None),
    "empty claims": ({"battle": ONE_FACT.replace(CLAIMS, "    claims: []\n")}, None),
    "bad fact id": ({"battle": START_TIME_FACT.replace("id: start-time", "id: Start_Time")}, None),
    "title a mapping": ({"battle": START_TIME_FACT.replace("title: The battle", "title: {a: b}")}, None),
    "bad time": ({"battle": START_TIME_FACT.replace("value: about 22:00", "value: late evening")}, None),
    "bad date": ({"battle": START_TIME_FACT.replace("kind: time", "kind: date").replace("about 22:00", "February").replace("about 22:30", "2018-02-07")}, None),
    "bad weekday": ({"battle": START_TIME_FACT.replace("kind: time", "kind: weekday").replace("about 22:00", "Funday").replace("about 22:30", "Wednesday")}, None),
    "list value for a time": ({"battle": START_TIME_FACT.replace("value: about 22:00", "value: [about 22:00]")}, None),
    "choice without alternatives": ({"battle": START_TIME_FACT.replace("kind: time", "kind: choice").replace("about 22:00", "early").replace("about 22:30", "late")}, None),
    "unknown question type": ({}, "questions:\n  - id: mine\n    fact: start-time\n    type: essay\n    prompt: Why?\n    answer: Because\n"),
    "own question missing answer": ({}, "questions:\n  - id: mine\n    fact: start-time\n    type: free\n    prompt: Why?\n"),
    "choice question without choices": ({}, "questions:\n  - id: mine\n    fact: start-time\n    type: choice\n    prompt: Why?\n    answer: a\n"),
    "enabled not a boolean": ({}, "questions:\n  - id: start-time.direct\n    enabled: maybe\n"),
    "answer on a generated question": ({}, "questions:\n  - id: start-time.direct\n    answer: '22:00'\n"),
    "true_false answer": ({}, "questions:\n  - id: mine\n    fact: start-time\n    type: true_false\n    prompt: The attack began at 22:00.\n    answer: maybe\n"),
    "questions a mapping": ({}, "questions:\n  id: mine\n"),
    "todo left in a template": ({"battle": ONE_FACT.replace("When did the attack begin?", "'TODO: the question'")}, None),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_schema_and_check_agree_on_bad_files(case, make_bank):
    facts, questions = BAD[case]
    root = make_bank({"battle": START_TIME_FACT, **facts}, questions=questions)
    from_check = [p for p in check_bank(root) if p.severity == "error"]
    from_schema = schema_errors(root)
    assert from_check, "check accepted the bad file"
    assert from_schema, f"the schema accepted what check rejects: {from_check}"


def test_schema_and_check_agree_on_a_good_bank(make_bank):
    questions = (
        "questions:\n  - id: start-time.direct\n    prompt: When?\n    tags: [timeline]\n"
        "  - id: start-time.mc\n    enabled: false\n"
        "  - id: mine\n    fact: start-time\n    type: true_false\n    prompt: It began at ten.\n    answer: True\n"
    )
    root = make_bank(questions=questions)
    (root / "bank.yaml").write_text("title: Test\ntopics: [battle]\n", encoding="utf-8")
    assert [p for p in check_bank(root) if p.severity == "error" and "start-time.mc" not in p.message] == []
    assert schema_errors(root) == []


def test_help_does_not_import_the_schema_validator():
    import subprocess
    import sys

    code = "import sys; from khasham_learn.cli import main; sys.argv = ['khasham-learn', '--help']\ntry:\n    main()\nexcept SystemExit:\n    pass\nassert 'jsonschema' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
