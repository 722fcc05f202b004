"""Property-based fuzzing of the grader over every question of the bundled bank.

Whatever a student types or picks, `grade` returns a Grade with a bool `correct` and never raises;
the right answer stays right however it is spaced or cased. Hypothesis runs derandomized, so CI sees
the same examples every run of one Hypothesis release; `deadline` is a hang guard, not a benchmark.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khasham_learn.generation import Question, generate
from khasham_learn.grading import Grade, grade
from khasham_learn.loading import open_bank
from khasham_learn.paths import bundled_bank

QUESTIONS = generate(open_bank(bundled_bank()))
# One question of each (type, kind) the bank has, first in the bank's order, so every grading path is fuzzed.
KINDS = {(q.type, q.kind): q for q in reversed(QUESTIONS)}
PICKED = sorted(KINDS.values(), key=lambda q: q.id)
PICKS = ("multi", "sequence", "matching")  # answered with a list of items, not typed text

fuzz = settings(max_examples=300, deadline=10_000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# What a student may type: any text, numbers in words' places, and pieces of the bank's own answers.
WORDS = sorted({word for q in QUESTIONS for text in (q.answer, *q.accepted, *q.choices) for word in text.split()})
typed = st.one_of(
    st.text(max_size=80),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.integers(-10**6, 10**6).map(str), st.text(max_size=5)),
             max_size=8).map(lambda parts: " ".join(parts)),
)


def right_answer(question: Question) -> str | list[str]:
    if question.type == "matching":
        return [party for _, party in question.pairs]
    if question.type in PICKS:
        return list(question.accepted)
    return question.answer


def test_every_type_and_kind_is_fuzzed() -> None:
    assert len(PICKED) == len({(q.type, q.kind) for q in QUESTIONS}) >= 30
    assert {q.type for q in PICKED} >= {"free", "true_false", "numeric", "choice", "which_report", "multi",
                                         "sequence", "matching"}


def assert_grade(result: object) -> Grade:
    assert isinstance(result, Grade)
    assert isinstance(result.correct, bool)
    assert isinstance(result.feedback, str) and result.feedback
    return result


@fuzz
@given(question=st.sampled_from(QUESTIONS), given_text=typed)
def test_any_typed_text_is_graded(question: Question, given_text: str) -> None:
    assert_grade(grade(question, given_text))


@fuzz
@given(question=st.sampled_from(PICKED), items=st.lists(typed, max_size=12))
def test_any_list_of_items_is_graded(question: Question, items: list[str]) -> None:
    assert_grade(grade(question, items))


@fuzz
@given(question=st.sampled_from(QUESTIONS), data=st.data())
def test_items_drawn_from_the_question_itself_are_graded(question: Question, data: st.DataObject) -> None:
    """Near misses: the question's own choices and answers, repeated, dropped or shuffled."""
    pool = sorted({*question.accepted, *question.choices, question.answer, *(p for _, p in question.pairs)})
    items = data.draw(st.lists(st.sampled_from(pool), max_size=len(pool) + 2))
    assert_grade(grade(question, items))
    assert_grade(grade(question, " ".join(items)))


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_the_right_answer_is_right(question: Question) -> None:
    assert assert_grade(grade(question, right_answer(question))).correct


@fuzz
@given(question=st.sampled_from(QUESTIONS),
       before=st.text(" \t\n\u00a0", max_size=4), after=st.text(" \t\n\u00a0", max_size=4),
       case=st.sampled_from(["upper", "lower", "title", "swapcase"]))
def test_the_right_answer_stays_right_spaced_or_cased(question: Question, before: str, after: str, case: str) -> None:
    def changed(text: str) -> str:
        return before + getattr(text, case)() + after

    answer = right_answer(question)
    wrapped = [changed(item) for item in answer] if isinstance(answer, list) else changed(answer)
    assert assert_grade(grade(question, wrapped)).correct, (question.id, wrapped)


@pytest.mark.parametrize("given_text", ["VERY SEVERE AND VERY SAD", "Very Severe And Very Sad", "very severe OR very sad"])
def test_items_joined_in_capitals(given_text: str) -> None:
    """Found by the fuzzing above: "AND" did not join a list's items as "and" does."""
    question = next(q for q in QUESTIONS if q.id == "trump-remark-adjectives.direct")
    assert grade(question, given_text).correct
