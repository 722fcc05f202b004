"""Spaced repetition with FSRS (the scheduler modern Anki uses): rating answers, moving cards, what is due.

`quiz` is practice: it records answers and leaves the schedule alone (unless --schedule). `review`
asks what FSRS says is due, the questions missed in practice that have no schedule yet, and new
questions up to a daily limit.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .generation import Question
from .quiz import Answer
from .store import RecordedAnswer, ScheduledCard, Store

AGAIN, HARD, GOOD = 1, 2, 3  # fsrs.Rating values; Easy is never given, a guess can be quick too
READING_SECONDS = 6.0
SECONDS_PER_WORD = 0.3
TYPING_SECONDS = 10.0


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def rating(question: Question, correct: bool, seconds: float) -> int:
    """Wrong is Again; right and quick is Good; right but slower than reading and answering allow is Hard."""
    if not correct:
        return AGAIN
    return GOOD if seconds <= time_allowed(question) else HARD


def time_allowed(question: Question) -> float:
    words = len(question.prompt.split()) + sum(len(c.split()) for c in question.choices)
    typing = 0.0 if question.choices else TYPING_SECONDS
    return READING_SECONDS + SECONDS_PER_WORD * words + typing


def advance(card: ScheduledCard | None, question_id: str, grade: int, when: datetime, seconds: float) -> ScheduledCard:
    """The card after one review at `when`. Fuzzing is off so the same history gives the same dates."""
    import fsrs

    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    if card is None:
        # A fixed card id (fsrs otherwise takes the clock and sleeps a millisecond per card).
        before = fsrs.Card(card_id=zlib.crc32(question_id.encode()), due=when)
        introduced = when
    else:
        # to_dict/from_dict with json, not Card.to_json/from_json: those came only in fsrs 6.3, and
        # give the same text.
        before = fsrs.Card.from_dict(json.loads(card.card))
        introduced = card.introduced_at
    after, _ = scheduler.review_card(before, fsrs.Rating(grade), when, int(seconds * 1000))
    return ScheduledCard(question_id, json.dumps(after.to_dict()), after.due, introduced)


class Recorder:
    """The session's on_answer hook: every answer is committed before its feedback is shown, and
    `overrule` turns a saved wrong answer into a right one by the student's word, moving the
    schedule as a right answer would have from where the card stood before it."""

    def __init__(self, store: Store, *, mode: str, schedule: bool, clock: Callable[[], datetime] = now_utc) -> None:
        self.store = store
        self.mode = mode
        self.schedule = schedule
        self.clock = clock
        # answer -> (its row id, when it was given, the card before it, whether it moved the
        # schedule): what `overrule` needs
        self._saved: dict[int, tuple[int, datetime, ScheduledCard | None, bool]] = {}

    def __call__(self, answer: Answer) -> None:
        q = answer.question
        when = self.clock()
        # A retry in the same session is practice: only a question's first answer moves its schedule.
        moves = self.schedule and answer.attempt == 1
        grade = rating(q, answer.grade.correct, answer.seconds)
        record = RecordedAnswer(q.id, when, answer.given, answer.grade.correct, round(answer.seconds, 3),
                                self.mode if answer.attempt == 1 else "quiz", grade if moves else None)
        if not moves:
            self._saved[id(answer)] = (self.store.record(record), when, None, False)
            return
        before: list[ScheduledCard | None] = []

        def decide(card: ScheduledCard | None) -> tuple[RecordedAnswer, ScheduledCard]:
            before.append(card)
            return record, advance(card, q.id, grade, when, answer.seconds)

        self._saved[id(answer)] = (self.store.schedule(q.id, decide), when, before[0], True)

    def overrule(self, answer: Answer) -> None:
        answer_id, when, before, moved = self._saved[id(answer)]
        if not moved:
            self.store.overrule(answer_id)
            return
        q = answer.question
        grade = rating(q, True, answer.seconds)
        self.store.overrule(answer_id, grade, advance(before, q.id, grade, when, answer.seconds))


def recorder(store: Store, *, mode: str, schedule: bool, clock: Callable[[], datetime] = now_utc) -> Recorder:
    return Recorder(store, mode=mode, schedule=schedule, clock=clock)


@dataclass(frozen=True)
class ReviewPlan:
    due: list[Question]  # scheduled and due, most overdue first
    missed: list[Question]  # got wrong in practice, not yet scheduled
    new: list[Question]  # never scheduled, up to what is left of today's limit
    next_due: datetime | None  # when the next scheduled question falls due, if none is due now

    @property
    def questions(self) -> list[Question]:
        return self.due + self.missed + self.new


def plan_review(questions: Sequence[Question], cards: dict[str, ScheduledCard], answers: Sequence[RecordedAnswer],
                now: datetime, new_per_day: int) -> ReviewPlan:
    in_bank = {q.id: q for q in questions}
    scheduled = {qid: c for qid, c in cards.items() if qid in in_bank}
    due_cards = sorted((c for c in scheduled.values() if c.due <= now), key=lambda c: c.due)
    later = [c.due for c in scheduled.values() if c.due > now]

    last_practice: dict[str, bool] = {}
    for a in answers:
        if a.question_id in in_bank and a.question_id not in scheduled:
            last_practice[a.question_id] = a.correct
    missed = [q for q in questions if last_practice.get(q.id) is False]

    start_of_day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    introduced_today = sum(c.introduced_at >= start_of_day for c in cards.values())
    room = max(0, new_per_day - introduced_today)
    fresh = [q for q in questions if q.id not in scheduled and last_practice.get(q.id) is not False]
    return ReviewPlan(
        due=[in_bank[c.question_id] for c in due_cards],
        missed=missed,
        new=_spread(fresh)[:room],
        next_due=min(later) if later and not due_cards else None,
    )


def _spread(questions: Sequence[Question]) -> list[Question]:
    """New questions one fact at a time: each fact's first question, then each fact's second...
    so a new learner does not meet four questions on one fact in a row."""
    by_fact: dict[str, list[Question]] = {}
    for q in questions:
        by_fact.setdefault(q.fact, []).append(q)
    out: list[Question] = []
    rank = 0
    while len(out) < len(questions):
        out.extend(group[rank] for group in by_fact.values() if rank < len(group))
        rank += 1
    return out


def due_counts(cards: dict[str, ScheduledCard], in_bank: set[str], now: datetime) -> dict[str, int]:
    end_of_day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    dues = [c.due for qid, c in cards.items() if qid in in_bank]
    return {
        "now": sum(d <= now for d in dues),
        "today": sum(d < end_of_day for d in dues),
        "this_week": sum(d < now + timedelta(days=7) for d in dues),
    }
