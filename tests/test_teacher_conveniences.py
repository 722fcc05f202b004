"""Small things that save a teacher time: one name in two spellings (`aliases`), the bank's own
texts/ checked without --sources, and editor schemas that travel with a copied bank."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from khasham_learn.checking import check_bank
from khasham_learn.cli import cli
from khasham_learn.disagreement import Agreement, assess
from khasham_learn.loading import open_bank
from khasham_learn.paths import bundled_bank
from khasham_learn.schema import MODELINE, kind_of, schema_text

REPORT_A = "Report A says the attack began at around 10:00 PM. About 500 fighters attacked. It was a Wednesday."

COMMANDER_FACT = """\
title: The battle
facts:
  - id: commander
    prompt: Who commanded the outpost?
    statement: The outpost was commanded by {answer}.
    kind: name
    claims:
      - source: report-a
        value: Captain Launay
        quote: Report A says
      - source: report-b
        value: Captain Launey
        quote: "Report B:"
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def status(root: Path) -> Agreement:
    bank = open_bank(root)
    return assess(bank.fact("commander"), bank).status  # type: ignore[arg-type]


def test_a_spelling_variant_is_a_dispute_until_declared_one_name(make_bank):
    assert status(make_bank({"battle": COMMANDER_FACT})) == Agreement.SPELLING


@pytest.mark.parametrize("declaration", [
    "    aliases: [Captain Launay, Captain Launey]\n",  # one group, as a teacher writes it
    "    aliases:\n      - [Launay, Launey]\n",  # groups, like `same`; titles aside
    "    same:\n      - [Launay, Launey]\n",
])
def test_aliases_make_two_spellings_one_name(make_bank, texts_dir, declaration):
    root = make_bank({"battle": COMMANDER_FACT + declaration})
    assert [str(p) for p in check_bank(root, texts_dir)] == []
    assert status(root) == Agreement.AGREE


def test_aliases_are_checked_like_same(make_bank):
    root = make_bank({"battle": COMMANDER_FACT + "    aliases: [Launay, Lanay]\n"})
    found = [str(p) for p in check_bank(root)]
    assert [p.split("battle.yaml:")[1] for p in found] == [
        "14:23: error: no claim of 'commander' gives the value 'Lanay'; declare only values its claims give"]
    root = make_bank({"battle": COMMANDER_FACT + "    aliases: [Launay, Launey]\n    same:\n      - [Launay, Launey]\n"})
    (problem,) = check_bank(root)
    assert str(problem).endswith("battle.yaml:14:14: error: 'aliases' and 'same' say the same thing; write the groups under one of them")
    root = make_bank({"battle": COMMANDER_FACT + "    aliases: [Launay]\n"})
    assert "an entry of aliases needs two or more values" in str(check_bank(root)[0])


def test_aliases_on_a_number_are_refused_and_a_mayor_is_a_title(make_bank, texts_dir):
    # Aliases on a number would quietly make two figures agree: only a deliberate `same` may.
    crowd = COMMANDER_FACT.replace("kind: name", "kind: number").replace("Captain Launay", "about 300") \
        .replace("Captain Launey", "more than 1,000")
    root = make_bank({"battle": crowd + "    aliases: [about 300, \"more than 1,000\"]\n"})
    (problem,) = check_bank(root)
    assert "battle.yaml:14:14: error: 'aliases' are other spellings of a name, and this fact is a number" in str(problem)
    mayor = COMMANDER_FACT.replace("Captain Launay", "Mayor Ana Lopez").replace("Captain Launey", "Ana Lopes")
    root = make_bank({"battle": mayor + "    aliases: [Mayor Ana Lopez, Ana Lopes]\n"})
    assert [str(p) for p in check_bank(root, texts_dir)] == []
    assert status(root) == Agreement.AGREE


def test_a_misspelt_kind_says_its_values_wait_for_it(make_bank):
    """`kind: integer` once hid a bad value without a word: the values mean something only in the
    right kind ("about 22:00" is a time), so the message says they are checked once it is fixed."""
    fact = COMMANDER_FACT.replace("kind: name", "kind: integer").replace("Captain Launay", "lots of people")
    (problem,) = check_bank(make_bank({"battle": fact}))
    assert str(problem).split("battle.yaml:")[1] == (
        "6:11: error: unknown kind 'integer' (did you mean 'number'?); use one of: number, time, date, weekday, "
        "duration, name, list, choice, text; the claims' values are checked once the kind is fixed")


def test_check_reads_the_banks_own_texts_without_being_told(make_bank):
    root = make_bank({"battle": COMMANDER_FACT.replace("quote: Report A says", "quote: Report A said")})
    result = run("check", "--bank", str(root))
    assert result.exit_code == 0 and "quotes not checked" in result.output, result.output  # no texts/ yet
    (root / "texts").mkdir()
    (root / "texts" / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (root / "texts" / "b.txt").write_text("Report B: more.", encoding="utf-8")
    result = run("check", "--bank", str(root))
    assert result.exit_code == 1
    assert "battle.yaml:10:16: error: quote differs from a.txt after 'Report A sa'" in result.output
    assert "quotes checked against" in result.output and "texts" in result.output.splitlines()[-1]
    # --sources still wins over the bank's own folder
    elsewhere = root.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("Report A said so.", encoding="utf-8")
    (elsewhere / "b.txt").write_text("Report B: more.", encoding="utf-8")
    assert run("check", "--bank", str(root), "--sources", str(elsewhere)).exit_code == 0


def test_init_bank_checks_its_quotes_by_default(tmp_path):
    root = tmp_path / "my-bank"
    assert run("init", str(root)).exit_code == 0
    assert (root / "texts").is_dir() and any((root / "texts").iterdir())
    result = run("check", "--bank", str(root))
    assert result.exit_code == 0, result.output
    assert "ok: no problems; quotes checked against" in result.output


def modeline_targets(root: Path) -> list[tuple[Path, Path]]:
    out = []
    for path in sorted([*root.glob("*.yaml"), *root.glob("facts/*.yaml")]):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE), path
        out.append((path, path.parent / first[len(MODELINE):]))
    return out


@pytest.mark.parametrize("which", ["bundled", "init"])
def test_a_copied_bank_keeps_its_editor_schemas(tmp_path, which):
    if which == "bundled":
        source = bundled_bank()
    else:
        source = tmp_path / "made"
        assert run("init", str(source)).exit_code == 0
    copy = tmp_path / "elsewhere" / "copied-bank"
    shutil.copytree(source, copy)
    targets = modeline_targets(copy)
    assert len(targets) >= 4
    for path, target in targets:
        assert target.resolve().is_relative_to(copy.resolve()), f"{path} points outside the bank: {target}"
        kind = kind_of(path.relative_to(copy))
        assert target.read_text(encoding="utf-8") == schema_text(kind), path  # type: ignore[arg-type]


def test_check_inside_a_bank_checks_that_bank_not_the_bundled_one(tmp_path, monkeypatch):
    assert run("init", str(tmp_path / "mine")).exit_code == 0
    facts = tmp_path / "mine" / "facts"
    opening = next(facts.glob("*.yaml"))
    opening.write_text(opening.read_text(encoding="utf-8").replace("kind: weekday", "kind: integer"), encoding="utf-8")
    monkeypatch.delenv("KHASHAM_LEARN_BANK", raising=False)
    monkeypatch.chdir(facts)  # anywhere in the bank, as git finds its repository
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "unknown kind 'integer'" in result.output
    monkeypatch.chdir(tmp_path)  # outside any bank: the bundled one
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0


def test_a_bank_yaml_of_something_else_is_not_taken_for_a_bank(tmp_path, monkeypatch):
    (tmp_path / "bank.yaml").write_text("accounts: [savings]\n", encoding="utf-8")  # another program's file
    (tmp_path / "sub").mkdir()
    monkeypatch.delenv("KHASHAM_LEARN_BANK", raising=False)
    monkeypatch.chdir(tmp_path / "sub")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output  # the bundled bank, as anywhere outside a bank
