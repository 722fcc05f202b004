"""`init` starts a working bank; `new` adds templates whose only problems are the TODOs to fill in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from khasham_learn.checking import check_bank
from khasham_learn.cli import cli
from khasham_learn.loading import load_bank
from khasham_learn.schema import MODELINE


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, env=None, stdin=None):
        return runner.invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)

    return invoke


@pytest.fixture
def bank(tmp_path, run) -> Path:
    root = tmp_path / "my-bank"
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    return root


def test_init_bank_passes_check_with_quotes(bank, run):
    result = run("check", "--bank", str(bank), "--sources", str(bank / "texts"))
    assert result.exit_code == 0, result.output
    assert "ok: no problems; quotes checked" in result.output


def test_init_bank_shows_a_disagreement(bank, run):
    facts = json.loads(run("facts", "--bank", str(bank), "--json").output)
    assert [f["id"] for f in facts if f["disputed"]] == ["crowd-size"]
    assert len({c["source"] for f in facts for c in f["claims"]}) == 2


def test_every_command_works_on_the_new_bank(bank, run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"KHASHAM_LEARN_BANK": str(bank)}
    assert run("questions", env=env).exit_code == 0
    assert run("facts", "--bank", str(bank)).exit_code == 0
    quiz = run("quiz", "--plain", "--count", "3", "--seed", "1", env=env, stdin="1\n\n" * 3)  # a blank goes on after a miss
    assert quiz.exit_code == 0 and "Score:" in quiz.output
    for fmt in ("gift", "moodlexml", "canvas", "markdown", "html", "csv", "kahoot"):
        result = run("export", fmt, env=env)
        assert result.exit_code == 0, result.output


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, run):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = run("init", str(tmp_path / "mine"))
    assert result.exit_code == 2
    assert "is not empty" in result.output and (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_init_schemas_are_beside_the_files_that_name_them(bank):
    for path in [*bank.glob("*.yaml"), *bank.glob("facts/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE)
        assert (path.parent / first[len(MODELINE):]).is_file(), path


def test_new_fact_has_a_fresh_id_and_only_todo_problems(bank, run):
    assert "- id: opening-fact-1" in run("new", "fact", "--topic", "opening", "--bank", str(bank)).output
    assert run("new", "fact", "--topic", "opening", "--append", "--bank", str(bank)).exit_code == 0
    second = run("new", "fact", "--topic", "opening", "--bank", str(bank)).output
    assert "- id: opening-fact-2" in second  # the first is taken now
    loaded, _ = load_bank(bank)
    assert [f.id for f in loaded.facts][-1] == "opening-fact-1"
    problems = check_bank(bank)
    assert problems and all("fill this in" in p.message for p in problems)
    lines = (bank / "facts" / "opening.yaml").read_text(encoding="utf-8").splitlines()
    for p in problems:  # each problem points at a TODO line
        assert "TODO" in lines[p.position.line - 1][p.position.column - 1:]


def test_new_fact_filled_in_passes_check(bank, run):
    run("new", "fact", "--topic", "opening", "--id", "band-played", "--append", "--bank", str(bank))
    path = bank / "facts" / "opening.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in [
        ('"TODO: the question this fact answers?"', "What played until noon?"),
        ('"TODO: the answer as a sentence, with {answer} where the value goes."', '"{answer} played until noon."'),
        ('"TODO: what this report says, in the form of the kind"', "the brass band"),
        ('"TODO: the report\'s exact words"', '"the brass band played until noon"'),
    ]:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    assert check_bank(bank, bank / "texts") == []


def test_new_fact_for_a_new_topic_starts_its_file(bank, run):
    assert run("new", "fact", "--topic", "weather", "--append", "--bank", str(bank)).exit_code == 0
    text = (bank / "facts" / "weather.yaml").read_text(encoding="utf-8")
    assert text.startswith(f"{MODELINE}../.schemas/facts.json\n")
    messages = [p.message for p in check_bank(bank)]
    assert any("topic's title" in m for m in messages) and all("fill this in" in m for m in messages)


def test_new_question_appends_a_question_on_an_existing_fact(bank, run):
    result = run("new", "question", "--topic", "opening", "--fact", "crowd-size", "--append", "--bank", str(bank))
    assert result.exit_code == 0, result.output
    loaded, _ = load_bank(bank)
    assert loaded.edits[-1].id == "crowd-size-own-1" and loaded.edits[-1].fact == "crowd-size"
    assert {p.message.split(":")[0] for p in check_bank(bank)} == {"fill this in"}


def test_new_refuses_unknown_topic_and_taken_id(bank, run):
    result = run("new", "question", "--topic", "openin", "--bank", str(bank))
    assert result.exit_code == 1 and "did you mean 'opening'" in result.output
    result = run("new", "fact", "--topic", "opening", "--id", "crowd-size", "--bank", str(bank))
    assert result.exit_code == 1 and "already used" in result.output


def test_append_refuses_a_list_written_inline(bank, run):
    (bank / "questions.yaml").write_text("questions: [{id: crowd-size.direct, prompt: How many?}]\n", encoding="utf-8")
    before = (bank / "questions.yaml").read_text(encoding="utf-8")
    result = run("new", "question", "--topic", "opening", "--append", "--bank", str(bank))
    assert result.exit_code == 1 and "paste the template by hand" in result.output
    assert (bank / "questions.yaml").read_text(encoding="utf-8") == before


def test_append_follows_the_file_indentation(bank, run):
    (bank / "questions.yaml").write_text("questions:\n- id: crowd-size.direct\n  prompt: How many?\n", encoding="utf-8")
    run("new", "question", "--topic", "opening", "--append", "--bank", str(bank))
    text = (bank / "questions.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: opening-date-own-1$", text, re.MULTILINE)
    loaded, _ = load_bank(bank)
    assert [e.id for e in loaded.edits] == ["crowd-size.direct", "opening-date-own-1"]
