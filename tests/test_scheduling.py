"""FSRS scheduling with an injected clock, over a real store: due dates, ratings, the daily limit."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from conftest import START_TIME_FACT
from khasham_learn.generation import generate
from khasham_learn.grading import Grade
from khasham_learn.loading import open_bank
from khasham_learn.quiz import Answer
from khasham_learn.scheduling import (
    AGAIN,
    GOOD,
    HARD,
    SIBLING_SPACING,
    Recorder,
    comes_back,
    plan_review,
    rating,
    siblings_of,
    time_allowed,
)
from khasham_learn.stats import describe, progress
from khasham_learn.store import ScheduledCard, open_store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday
# The start-time prompt states the attackers' answer ("about 500"): review must ask that one first.
START_TIME_FACT_WITH_A_TELLING_PROMPT = START_TIME_FACT.replace(
    "prompt: When did the attack begin?", "prompt: On the night about 500 fighters attacked, when did the attack begin?")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def bank(make_bank):
    return open_bank(make_bank())


@pytest.fixture
def questions(bank):
    return generate(bank)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "progress.sqlite3") as s:
        yield s


def answered(question, correct=True, seconds=2.0):
    return Answer(question, "x", Grade(correct, ""), seconds)


def test_rating_from_right_wrong_and_speed(questions):
    q = questions[0]
    assert rating(q, False, 1.0) == AGAIN
    assert rating(q, True, 1.0) == GOOD
    assert rating(q, True, time_allowed(q) + 1) == HARD


def test_due_dates_move_as_fsrs_says(questions, store):
    q = questions[0]
    clock = Clock(T0)
    save = Recorder(store, mode="review", schedule=True, clock=clock)
    save(answered(q))  # new card, Good: the second learning step
    first = store.cards()[q.id].due
    assert first == T0 + timedelta(minutes=10)

    clock.now = first
    save(answered(q))  # graduates to review: days away
    second = store.cards()[q.id].due
    assert second - first >= timedelta(days=1)

    clock.now = second
    save(answered(q))  # right again: a longer interval
    third = store.cards()[q.id].due
    assert third - second > second - first

    clock.now = third
    save(answered(q, correct=False))  # a lapse: back within minutes
    assert store.cards()[q.id].due - third <= timedelta(minutes=10)
    assert [a.rating for a in store.answers()] == [GOOD, GOOD, GOOD, AGAIN]


def test_a_slow_right_answer_comes_back_sooner_than_a_quick_one(questions, store):
    quick, slow = questions[0], questions[1]
    clock = Clock(T0)
    save = Recorder(store, mode="review", schedule=True, clock=clock)
    for _ in range(3):
        save(answered(quick, seconds=1))
        save(answered(slow, seconds=time_allowed(slow) + 30))
        cards = store.cards()
        clock.now = max(cards[quick.id].due, cards[slow.id].due)
    cards = store.cards()
    assert cards[slow.id].due - cards[slow.id].introduced_at < cards[quick.id].due - cards[quick.id].introduced_at


def test_practice_leaves_the_schedule_alone(questions, store):
    save = Recorder(store, mode="quiz", schedule=False, clock=Clock(T0))
    save(answered(questions[0]))
    assert store.cards() == {}
    assert [(a.mode, a.rating) for a in store.answers()] == [("quiz", None)]


def test_next_day_review_brings_back_what_was_missed_in_practice(questions, store):
    missed, right = questions[2], questions[6]  # start-time.according.report-b, attackers.direct
    practice = Recorder(store, mode="quiz", schedule=False, clock=Clock(T0))
    practice(answered(missed, correct=False))
    practice(answered(right))
    plan = plan_review(questions, store.cards(), store.answers(), T0 + timedelta(days=1), new_per_day=2)
    assert plan.missed == [missed]
    # the other fact gets its one new question; start-time's other forms wait for another day
    assert [q.fact for q in plan.new] == ["attackers"] and right not in plan.missed


def test_new_questions_respect_the_daily_limit_one_per_fact_a_day(questions, store):
    clock = Clock(T0)
    plan = plan_review(questions, store.cards(), store.answers(), clock.now, new_per_day=1)
    assert len(plan.new) == 1  # the limit
    plan = plan_review(questions, store.cards(), store.answers(), clock.now, new_per_day=5)
    assert sorted(q.fact for q in plan.new) == ["attackers", "start-time"]  # one form per fact
    save = Recorder(store, mode="review", schedule=True, clock=clock)
    for q in plan.new:
        save(answered(q))
    later_today = plan_review(questions, store.cards(), store.answers(), T0 + timedelta(hours=1), new_per_day=5)
    assert later_today.new == []  # both facts had their new question today
    assert {q.id for q in later_today.due} == {q.id for q in plan.new}  # their 10-minute step is over
    tomorrow = plan_review(questions, store.cards(), store.answers(), T0 + timedelta(days=1), new_per_day=5)
    assert tomorrow.new == []  # each fact has a form on the schedule, due now: no sibling joins it
    assert {q.fact for q in tomorrow.due} == {"attackers", "start-time"}


def test_answering_a_fact_in_review_pushes_its_other_forms_back_by_days(questions, store):
    """Anki's sibling burying, over SIBLING_SPACING: a fact's scheduled forms due soon wait."""
    clock = Clock(T0)
    save = Recorder(store, mode="review", schedule=True, clock=clock)  # no siblings: both forms scheduled
    first, second, other = questions[0], questions[1], questions[6]
    for q in (first, second, other):
        save(answered(q))
    assert all(store.cards()[q.id].due == T0 + timedelta(minutes=10) for q in (first, second, other))

    clock.now = T0 + timedelta(hours=1)
    plan = plan_review(questions, store.cards(), store.answers(), clock.now, new_per_day=0)
    assert [q.fact for q in plan.questions].count("start-time") == 1  # one form of a fact a session
    spaced = Recorder(store, mode="review", schedule=True, clock=clock, siblings=siblings_of(questions))
    spaced(answered(first))
    cards = store.cards()
    assert cards[second.id].due == clock.now + SIBLING_SPACING  # pushed back
    assert json.loads(cards[second.id].card)["due"] == (clock.now + SIBLING_SPACING).isoformat()
    assert cards[other.id].due == T0 + timedelta(minutes=10)  # another fact: untouched
    after = plan_review(questions, store.cards(), store.answers(), clock.now + timedelta(minutes=1), new_per_day=0)
    assert second not in after.questions and other in after.questions

    # due later than the spacing: left where FSRS put it
    clock.now = cards[first.id].due
    far = cards[second.id].due
    store.update_cards([second.id], lambda c: ScheduledCard(c.question_id, c.card, clock.now + timedelta(days=9),
                                                            c.introduced_at))
    spaced(answered(first))
    assert store.cards()[second.id].due == clock.now + timedelta(days=9) != far


def test_review_order_asks_a_question_before_a_prompt_that_states_its_answer(make_bank):
    facts = {"battle": START_TIME_FACT_WITH_A_TELLING_PROMPT}
    questions = generate(open_bank(make_bank(facts)))
    plan = plan_review(questions, {}, [], T0, new_per_day=10)
    ids = [q.id for q in plan.questions]
    assert ids.index("attackers.direct") < ids.index("start-time.direct")


def test_a_review_answer_says_when_the_question_comes_back(questions, store):
    clock = Clock(T0)
    save = Recorder(store, mode="review", schedule=True, clock=clock)
    assert save(answered(questions[0])) == ["Next: in 10 minutes, at " + f"{(T0 + timedelta(minutes=10)).astimezone():%H:%M}"]
    assert Recorder(store, mode="quiz", schedule=False, clock=clock)(answered(questions[0])) == []


@pytest.mark.parametrize(("after", "said"), [
    (timedelta(minutes=1), "in 1 minute, at 09:01"),
    (timedelta(hours=3), "in 3 hours, at 12:00"),
    (timedelta(days=1), "tomorrow, Tue 3 Mar"),
    (timedelta(days=4, hours=2), "in 4 days, Fri 6 Mar"),
])
def test_comes_back_in_words(after, said, utc):
    assert comes_back(T0 + after, T0) == said


def test_stats_count_answers_accuracy_and_due(bank, questions, store):
    save = Recorder(store, mode="review", schedule=True, clock=Clock(T0))
    save(answered(questions[0]))
    save(answered(questions[1], correct=False))
    report = progress(bank, questions, store.answers(), store.cards(), T0)
    assert report["answered"] == 2 and report["right"] == 1 and report["accuracy"] == 0.5
    assert report["by_topic"] == [{"topic": "battle", "title": "The battle", "answered": 2, "right": 1, "accuracy": 0.5}]
    assert report["due"] == {"now": 0, "waiting": 0, "later_today": 2, "next_7_days": 0, "today": 2, "this_week": 2}
    assert report["weakest_facts"][0]["fact"] == questions[1].fact
    assert describe(report)[0] == "Answered: 2, right: 1 (50%)"


def test_an_overruled_miss_is_scheduled_as_a_right_answer(questions, store, tmp_path):
    q = questions[0]
    save = Recorder(store, mode="review", schedule=True, clock=Clock(T0))
    miss = answered(q, correct=False)
    save(miss)
    assert store.answers()[0].rating == AGAIN
    save.overrule(miss)
    (row,) = store.answers()
    assert row.correct and row.overridden and row.rating == GOOD
    with open_store(tmp_path / "right.sqlite3") as other:  # the same answer, right from the start
        Recorder(other, mode="review", schedule=True, clock=Clock(T0))(answered(q))
        assert store.cards()[q.id].due == other.cards()[q.id].due


def test_a_retry_in_the_session_is_saved_as_practice_and_leaves_the_schedule(questions, store):
    q = questions[0]
    save = Recorder(store, mode="review", schedule=True, clock=Clock(T0))
    save(answered(q, correct=False))
    due = store.cards()[q.id].due
    retry = answered(q)
    retry.attempt = 2
    save(retry)
    assert [(a.mode, a.rating) for a in store.answers()] == [("review", AGAIN), ("quiz", None)]
    assert store.cards()[q.id].due == due
