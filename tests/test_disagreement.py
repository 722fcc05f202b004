"""Disagreement is computed from typed claims: agreeing and disagreeing pairs for each kind."""

from pathlib import Path

import pytest

from khasham_learn.disagreement import Agreement, assess
from khasham_learn.errors import Position
from khasham_learn.model import Bank, Claim, Fact, Source

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
    assert verdict.note == "Sources measure different things: killed: more than 100 (report A); killed or injured: more than 100 (report B)."


def test_note_names_each_source_and_its_attribution():
    bank, fact = bank_with("time", ("a", "about 22:00"), ("b", "about 22:30", None, "The New York Times"), ("c", "22:00"))
    verdict = assess(fact, bank)
    assert verdict.disputed
    assert verdict.note == (
        "Sources disagree: about 10:00 p.m. (report A); about 10:30 p.m. (report B, citing The New York Times); "
        "10:00 p.m. (report C)."
    )
    assert verdict.conflicts == ((0, 1), (1, 2))


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
