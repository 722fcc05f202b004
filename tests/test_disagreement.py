"""Disagreement is computed from typed claims: agreeing and disagreeing pairs for each kind."""

from dataclasses import replace
from pathlib import Path

import pytest

from khasham_learn.disagreement import Agreement, Rule, Voice, assess, conflict, explain
from khasham_learn.loading import load_bank
from khasham_learn.values import parse_value
from khasham_learn.errors import Position
from khasham_learn.model import Bank, Claim, Contradiction, Declared, Fact, Source

HERE = Position("test.yaml")


def bank_with(kind: str, *claims: tuple, alternatives=(), extra_facts=(), date_fact=None) -> tuple[Bank, Fact]:
    sources = {s: Source(s, f"report {s.upper()}", s, f"{s}.txt", "news", HERE) for s in ("a", "b", "c")}
    fact = Fact(
        id="f", topic="t", prompt="?", statement="{answer}", kind=kind, position=HERE,
        alternatives=tuple(alternatives), date_fact=date_fact,
        claims=tuple(
            Claim(source=c[0], value=c[1], quote="q", position=HERE,
                  qualifier=c[2] if len(c) > 2 else None, attributed_to=c[3] if len(c) > 3 else None)
            for c in claims
        ),
    )
    bank = Bank(Path("."), "t", sources, (), (fact, *extra_facts), ())
    return bank, fact


def status(kind, *claims, **kw):
    bank, fact = bank_with(kind, *claims, **kw)
    return assess(fact, bank).status


@pytest.mark.parametrize(
    "kind, a, b",
    [
        ("number", "about 500", "more than 500"),
        ("number", "200-300", "more than 200"),
        ("number", "around a hundred", "more than 100"),
        ("number", "250", "200 to 300"),
        ("time", "22:00", "about 22:05"),
        ("duration", "3 hours", "about 3 hours"),
        ("date", "2018-02-07", "2018-02"),
        ("date", "2018-02-07", "2018"),
        ("weekday", "Wednesday", "wednesday"),
        ("name", "Col. Thomas Veale", "Thomas Veale"),
        ("choice", "coordinated", "Coordinated"),
        ("list", ("B-52 bombers", "drones"), ("B-52 bombers", "drones", "F-22 jets")),
        ("text", "self-defense", "defending its partners"),
    ],
)
def test_agreeing_pairs(kind, a, b):
    alternatives = ("coordinated", "uncoordinated") if kind == "choice" else ()
    assert status(kind, ("a", a), ("b", b), alternatives=alternatives) is Agreement.AGREE


@pytest.mark.parametrize(
    "kind, a, b, expected",
    [
        ("number", "30", "about 40", Agreement.DISAGREE),
        ("number", "around a hundred", "200-300", Agreement.DISAGREE),
        ("number", "dozens", "a couple hundred", Agreement.DISAGREE),
        ("time", "about 22:00", "about 22:30", Agreement.DISAGREE),
        ("duration", "4 hours", "about 3 hours", Agreement.DISAGREE),
        ("date", "2018-02-07", "2018-02-08", Agreement.DISAGREE),
        ("weekday", "Tuesday", "Wednesday", Agreement.DISAGREE),
        ("name", "Jeffrey L. Harrigian", "Jeffrey Harrigan", Agreement.SPELLING),
        ("name", "Khasham", "Khusham", Agreement.SPELLING),
        ("name", "Dmitry Peskov", "Vladimir Frolov", Agreement.DISAGREE),
        ("choice", "coordinated", "uncoordinated", Agreement.DISAGREE),
    ],
)
def test_disagreeing_pairs(kind, a, b, expected):
    alternatives = ("coordinated", "uncoordinated") if kind == "choice" else ()
    assert status(kind, ("a", a), ("b", b), alternatives=alternatives) is expected


def test_different_measures_are_not_a_disagreement():
    bank, fact = bank_with("number", ("a", "more than 100", "killed"), ("b", "more than 100", "killed or injured"))
    verdict = assess(fact, bank)
    assert verdict.status is Agreement.MEASURE
    assert not verdict.disputed
    assert verdict.note == (
        "Sources measure different things: killed: more than 100 (only report A); killed or injured: more than 100 (only report B)."
    )


def test_note_names_each_source_and_its_attribution():
    bank, fact = bank_with("time", ("a", "about 22:00"), ("b", "about 22:30", None, "The New York Times"), ("c", "22:00"))
    verdict = assess(fact, bank)
    assert verdict.disputed
    assert verdict.note == (
        "Sources disagree: about 10:00 p.m. (report A); about 10:30 p.m. (only The New York Times, cited by report B); "
        "10:00 p.m. (report C)."
    )
    assert verdict.conflicts == ((0, 1), (1, 2))
    assert [j.rule for j in verdict.rules] == [Rule.RANGES_APART, Rule.RANGES_APART]


def test_agreement_has_no_note():
    bank, fact = bank_with("number", ("a", "about 500"), ("b", "more than 500"))
    assert assess(fact, bank).note is None


def test_weekday_is_checked_against_the_date():
    date = Fact(id="d", topic="t", prompt="?", statement="{answer}", kind="date", position=HERE,
                claims=(Claim("a", "2018-02-07", "q", HERE),))
    bank, fact = bank_with("weekday", ("a", "Wednesday"), ("b", "Tuesday"), extra_facts=(date,), date_fact="d")
    verdict = assess(fact, bank)
    assert verdict.status is Agreement.DISAGREE
    assert [c.wrong for c in verdict.claims] == [None, "7 February 2018 was a Wednesday"]
    assert "Tuesday (report B), shown wrong: 7 February 2018 was a Wednesday" in verdict.note
    assert [c.value.display for c in verdict.right_claims] == ["Wednesday"]


# ---------------------------------------------------------------- spelling needs two reports


def test_a_slip_within_one_report_is_no_dispute():
    bank, fact = bank_with("name", ("a", "Yevgeny Prigozhin"), ("a", "Prigozhim"))
    verdict = assess(fact, bank)
    assert verdict.status is Agreement.AGREE and not verdict.disputed and verdict.note is None
    assert explain(fact, bank).pairs[0].judgement.rule is Rule.SLIP_IN_ONE_REPORT


def test_alike_spellings_in_two_reports_are_spelt_differently():
    assert status("name", ("a", "Yevgeny Prigozhin"), ("b", "Prigozhim")) is Agreement.SPELLING


def test_two_names_in_one_report_still_disagree():
    assert status("name", ("a", "Dmitry Peskov"), ("a", "Vladimir Frolov")) is Agreement.DISAGREE


def test_default_rules_leave_texts_and_lists_compatible():
    # Generation's distractor check relies on this: without a fact's declarations, wording never conflicts.
    assert conflict(parse_value("text", "Russian troops"), parse_value("text", "mercenaries")) is None
    assert conflict(parse_value("list", ("tanks",)), parse_value("list", ("drones",))) is None
    assert conflict(parse_value("choice", "involved"), parse_value("choice", "not involved")) is Agreement.DISAGREE


# ---------------------------------------------------------------- declarations, from YAML

def fact_yaml(kind: str, values: list, declarations: str = "", sources=("report-a", "report-b")) -> str:
    claims = "".join(
        f"      - source: {source}\n        value: {value}\n        quote: q\n"
        for source, value in zip(sources * len(values), values)
    )
    alternatives = "    alternatives: [in useful contact, not in useful contact]\n" if kind == "choice" else ""
    return (
        "title: t\nfacts:\n  - id: f\n    prompt: p?\n    statement: s {answer}.\n"
        f"    kind: {kind}\n{alternatives}    claims:\n{claims}{declarations}"
    )


def judged(make_bank, kind, values, declarations="", sources=("report-a", "report-b")):
    bank, problems = load_bank(make_bank({"t": fact_yaml(kind, values, declarations, sources)}))
    assert bank is not None and not problems, problems
    return assess(bank.facts[0], bank)


def test_declared_contradiction_makes_texts_disagree(make_bank):
    values = ["Russian troops", "mercenaries", "contract soldiers"]
    assert judged(make_bank, "text", values).status is Agreement.AGREE
    declared = "    contradicts:\n      - [Russian troops, [mercenaries, contract soldiers]]\n"
    verdict = judged(make_bank, "text", values, declared)
    assert verdict.status is Agreement.DISAGREE
    assert verdict.conflicts == ((0, 1), (0, 2))  # mercenaries and contract soldiers still agree
    assert [c.value.display for c in verdict.conflicting(0)] == ["mercenaries", "contract soldiers"]
    assert [c.value.display for c in verdict.conflicting(1)] == ["Russian troops"]
    assert {j.rule for j in verdict.rules} == {Rule.DECLARED_CONTRADICTION}
    assert "'Russian troops' against 'mercenaries'" in verdict.rules[0].detail


def test_declared_contradiction_matches_values_without_case_or_punctuation(make_bank):
    declared = "    contradicts:\n      - [russian troops., MERCENARIES]\n"
    assert judged(make_bank, "text", ["Russian troops", "mercenaries"], declared).status is Agreement.DISAGREE


def test_declared_contradiction_between_list_items(make_bank):
    values = ["[artillery, tanks]", "[drones]", "[artillery]"]
    assert judged(make_bank, "list", values).status is Agreement.AGREE
    verdict = judged(make_bank, "list", values, "    contradicts:\n      - [tanks, drones]\n")
    assert verdict.status is Agreement.DISAGREE and verdict.conflicts == ((0, 1),)


def test_declared_contradiction_between_numbers_whose_ranges_meet(make_bank):
    values = ["about 100", "more than 100"]
    assert judged(make_bank, "number", values).status is Agreement.AGREE
    declared = "    contradicts:\n      - [around a hundred, over 100]\n"  # matched as the kind reads them
    assert judged(make_bank, "number", values, declared).status is Agreement.DISAGREE


def test_declared_sameness_makes_spellings_agree(make_bank):
    assert judged(make_bank, "name", ["Launay", "Launey"]).status is Agreement.SPELLING
    verdict = judged(make_bank, "name", ["Launay", "Launey"], "    same:\n      - [Launay, Launey]\n")
    assert verdict.status is Agreement.AGREE and verdict.note is None


def test_declared_sameness_makes_different_names_agree(make_bank):
    values = ["the Islamic State", "Daesh"]
    assert judged(make_bank, "name", values).status is Agreement.DISAGREE
    assert judged(make_bank, "name", values, "    same:\n      - [Daesh, the Islamic State]\n").status is Agreement.AGREE


def test_declared_sameness_of_choices(make_bank):
    values = ["in useful contact", "not in useful contact"]
    assert judged(make_bank, "choice", values).status is Agreement.DISAGREE
    declared = "    same:\n      - [in useful contact, not in useful contact]\n"
    assert judged(make_bank, "choice", values, declared).status is Agreement.AGREE


def test_sameness_carries_a_contradiction_over(make_bank):
    declared = "    same:\n      - [contractors, mercenaries]\n    contradicts:\n      - [Russian troops, contractors]\n"
    verdict = judged(make_bank, "text", ["Russian troops", "mercenaries", "contractors"], declared)
    assert verdict.conflicts == ((0, 1), (0, 2))


# ---------------------------------------------------------------- one voice alone, and the note's figures


def test_a_list_item_only_one_party_gives_is_noted_though_sources_agree(make_bank):
    verdict = judged(make_bank, "list", ["[artillery, rockets]", "[artillery, tanks]", "[artillery, rockets]"],
                     sources=("report-a", "report-b", "report-b"))
    assert verdict.status is Agreement.AGREE and not verdict.disputed
    (single,) = verdict.single_voice
    assert (single.value, single.item, single.alone, single.claims) == ("tanks", True, "party", (1,))
    assert single.voices == (Voice("report-b", "report B"),)
    assert verdict.note == "Given by one party only: tanks (report B)."


def test_no_single_voice_where_only_one_party_speaks():
    bank, fact = bank_with("list", ("a", ("artillery",)), ("a", ("tanks",)))
    assert assess(fact, bank).single_voice == () and assess(fact, bank).note is None


def test_one_report_relaying_two_parties_is_one_report_alone():
    bank, fact = bank_with(
        "number", ("a", "dozens", None, "Russian officials"), ("a", "about 30", None, "Syrian officials"),
        ("b", "a couple hundred", None, "Mike Pompeo"), ("c", "200"),
    )
    verdict = assess(fact, bank)
    alone = {s.value: s.alone for s in verdict.single_voice}
    assert alone == {"dozens": "report", "about 30": "report"}  # 200 and a couple hundred meet: two voices
    assert "dozens (only Russian officials, cited by report A)" in verdict.note


def test_a_value_that_fits_another_partys_is_not_alone():
    bank, fact = bank_with("number", ("a", "about 100"), ("b", "more than 100"), ("c", "200-300"))
    assert assess(fact, bank).single_voice == ()


def test_a_claim_shown_wrong_is_not_counted():
    bank, fact = bank_with("text", ("a", "self-defense"), ("b", "revenge"), ("c", "self-defense"))
    declared = (Contradiction((Declared("self-defense", HERE),), (Declared("revenge", HERE),), HERE),)
    fact = replace(fact, contradicts=declared)
    assert [s.value for s in assess(fact, bank).single_voice] == ["revenge"]
    fact = replace(fact, claims=(fact.claims[0], replace(fact.claims[1], wrong="no report says so"), fact.claims[2]))
    assert assess(fact, bank).single_voice == ()


def test_figures_list_every_distinct_value_with_each_party_and_report():
    bank, fact = bank_with(
        "number", ("a", "200-300"), ("b", "200 to 300", None, "the Pentagon"), ("b", "hundreds", None, "The New York Times"),
        ("c", "about 100", None, "a US official"),
    )
    verdict = assess(fact, bank)
    rows = [(f.value, [str(v) for v in f.voices], f.single_voice) for f in verdict.figures]
    assert rows == [
        ("200 to 300", ["report A", "the Pentagon, cited by report B"], False),
        ("hundreds", ["The New York Times, cited by report B"], False),
        ("about 100", ["a US official, cited by report C"], True),
    ]
    assert verdict.note == (
        "Sources disagree: 200 to 300 (report A; the Pentagon, cited by report B); hundreds (The New York Times, "
        "cited by report B); about 100 (only a US official, cited by report C)."
    )


def test_explain_names_the_rule_of_every_pair(make_bank):
    declared = "    contradicts:\n      - [Russian troops, mercenaries]\n"
    bank, _ = load_bank(make_bank({"t": fact_yaml("text", ["Russian troops", "mercenaries", "contractors"], declared)}))
    lines = explain(bank.facts[0], bank).lines(bank.sources)
    assert lines[0].startswith("f (text, ") and lines[0].endswith("disagree: at least one pair of claims disagrees")
    assert "  1 and 2: disagree: declared in the fact's 'contradicts': 'Russian troops' against 'mercenaries'" in "\n".join(lines)
    assert any(line.startswith("  1 and 3: compatible: texts worded differently") for line in lines)
