"""The grader's case table over the bundled bank: what a careful reader types is right, and no
plausible wrong answer is (tests/grading_table.tsv, one case a line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from khasham_learn.generation import Question, generate
from khasham_learn.grading import grade
from khasham_learn.loading import open_bank
from khasham_learn.paths import bundled_bank

TABLE = Path(__file__).with_name("grading_table.tsv")
VERDICTS = {"right": True, "wrong": False}


def read_table() -> list[tuple[str, str, bool]]:
    cases = []
    for number, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        question_id, answer, verdict = line.split("\t")
        assert verdict in VERDICTS, f"{TABLE.name}:{number}: verdict should be right or wrong, not {verdict!r}"
        cases.append((question_id, answer, VERDICTS[verdict]))
    return cases


CASES = read_table()


@pytest.fixture(scope="module")
def questions() -> dict[str, Question]:
    return {q.id: q for q in generate(open_bank(bundled_bank()))}


def test_the_table_is_large_and_balanced():
    assert len(CASES) >= 200
    assert sum(not ok for _, _, ok in CASES) >= 80
    assert len(set(CASES)) == len(CASES), "a case is listed twice"
    assert len({(q, a) for q, a, _ in CASES}) == len(CASES), "a case is listed with both verdicts"


@pytest.mark.parametrize(
    "question_id, answer, ok", CASES, ids=[f"{q} | {a} | {'right' if ok else 'wrong'}" for q, a, ok in CASES]
)
def test_case(questions: dict[str, Question], question_id: str, answer: str, ok: bool):
    assert question_id in questions, f"{question_id} is not a question of the bundled bank"
    result = grade(questions[question_id], answer)
    assert result.correct is ok, f"{answer!r} for {question_id} graded {result.feedback!r}"


def test_every_shown_answer_is_accepted(questions: dict[str, Question]):
    refused = [
        (q.id, q.answer) for q in questions.values()
        if q.type not in ("multi", "sequence", "matching") and not grade(q, q.answer).correct
    ]
    # A matching question is answered with a party for each description, never with its answer's text.
    refused += [(q.id, q.answer) for q in questions.values()
                if q.type == "matching" and not grade(q, [party for _, party in q.pairs]).correct]
    assert refused == []
