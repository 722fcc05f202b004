"""A learner's week, recorded through the library at chosen times into a real store: the stats
and the `stats` screen tests read it back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from khasham_learn.generation import Question
from khasham_learn.grading import Grade
from khasham_learn.quiz import Answer
from khasham_learn.scheduling import Recorder, plan_review, siblings_of
from khasham_learn.store import Store


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def answered(question: Question, correct: bool = True, seconds: float = 2.0) -> Answer:
    return Answer(question, "x", Grade(correct, ""), seconds)


def review_days(store: Store, questions: Sequence[Question], start: datetime, days: Sequence[int],
                new_per_day: int = 6, wrong_every: int = 4) -> int:
    """Runs `review` on each of the given day offsets from `start`, a minute per answer, missing
    every `wrong_every`th answer. Returns how many answers were given."""
    clock = Clock(start)
    save = Recorder(store, mode="review", schedule=True, clock=clock, siblings=siblings_of(questions))
    given = 0
    for day in days:
        clock.now = start + timedelta(days=day)
        plan = plan_review(questions, store.cards(), store.answers(), clock.now, new_per_day)
        for question in plan.questions:
            given += 1
            save(answered(question, correct=given % wrong_every != 0))
            clock.now += timedelta(minutes=1)
    return given
