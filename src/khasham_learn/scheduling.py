"""Spaced repetition with FSRS (the scheduler modern Anki uses): rating answers, moving cards, what is due.

`quiz` is practice: it records answers and leaves the schedule alone (unless --schedule). `review`
asks what FSRS says is due, the questions missed in practice that have no schedule yet, and new
questions up to a daily limit.

A fact's forms answer each other, so review keeps them apart by days, as Anki buries siblings:
a session asks one form of a fact; answering it pushes the fact's other scheduled forms due within
SIBLING_SPACING back to then; and a fact gets at most one new question a day, none while one of its
forms is being reviewed. New questions come in an order where no prompt states the answer of one
still to come.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .generation import Question
from .giveaways import group_of, one_per_fact, order_without_giveaways, spread_topics, without_rings
from .quiz import Answer
from .store import RecordedAnswer, ScheduledCard, Store

AGAIN, HARD, GOOD = 1, 2, 3  # fsrs.Rating values; Easy is never given, a guess can be quick too
READING_SECONDS = 6.0
SECONDS_PER_WORD = 0.3
TYPING_SECONDS = 10.0
# Two days: far enough that the answer just seen is no longer in short-term memory, near enough
# that a fact's forms do not crowd into one later day (Anki buries siblings to the next day only).
SIBLING_SPACING = timedelta(days=2)


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
    the lines to show after the feedback returned (when a scheduled question comes back).
    `overrule` turns a saved wrong answer into a right one by the student's word, moving the
    schedule as a right answer would have from where the card stood before it.
    `siblings`: question id -> ids of the other forms of its fact (`siblings_of`), pushed back
    by SIBLING_SPACING when it is answered."""

    def __init__(self, store: Store, *, mode: str, schedule: bool, clock: Callable[[], datetime] = now_utc,
                 siblings: Mapping[str, Sequence[str]] | None = None) -> None:
        self.store = store
        self.mode = mode
        self.schedule = schedule
        self.clock = clock
        self.siblings = siblings
        # answer -> (its row id, when it was given, the card before it, whether it moved the
        # schedule): what `overrule` needs
        self._saved: dict[int, tuple[int, datetime, ScheduledCard | None, bool]] = {}

    def __call__(self, answer: Answer) -> list[str]:
        q = answer.question
        when = self.clock()
        # A retry in the same session is practice: only a question's first answer moves its schedule.
        moves = self.schedule and answer.attempt == 1
        grade = rating(q, answer.grade.correct, answer.seconds)
        record = RecordedAnswer(q.id, when, answer.given, answer.grade.correct, round(answer.seconds, 3),
                                self.mode if answer.attempt == 1 else "quiz", grade if moves else None)
        if not moves:
            self._saved[id(answer)] = (self.store.record(record), when, None, False)
            return []
        before: list[ScheduledCard | None] = []
        after: list[ScheduledCard] = []

        def decide(card: ScheduledCard | None) -> tuple[RecordedAnswer, ScheduledCard]:
            before.append(card)
            after.append(advance(card, q.id, grade, when, answer.seconds))
            return record, after[-1]

        self._saved[id(answer)] = (self.store.schedule(q.id, decide), when, before[-1], True)
        if self.siblings and self.siblings.get(q.id):
            space_siblings(self.store, self.siblings[q.id], when)
        return [f"Next: {comes_back(after[-1].due, when)}"]

    def overrule(self, answer: Answer) -> list[str]:
        answer_id, when, before, moved = self._saved[id(answer)]
        if not moved:
            self.store.overrule(answer_id)
            return []
        q = answer.question
        grade = rating(q, True, answer.seconds)
        card = advance(before, q.id, grade, when, answer.seconds)
        self.store.overrule(answer_id, grade, card)
        return [f"Next: {comes_back(card.due, when)}"]


def siblings_of(questions: Sequence[Question]) -> dict[str, list[str]]:
    """Each question's id -> the ids of the other forms of its fact (giveaways.group_of)."""
    groups: dict[str, list[str]] = {}
    for q in questions:
        groups.setdefault(group_of(q), []).append(q.id)
    return {q.id: [o for o in groups[group_of(q)] if o != q.id] for q in questions}


def space_siblings(store: Store, sibling_ids: Sequence[str], when: datetime) -> list[str]:
    """Pushes the siblings' cards due before `when` + SIBLING_SPACING back to then (the card's own
    FSRS due date too). Cards due later stay; questions never scheduled have no card to move.
    Returns the ids moved."""
    until = when + SIBLING_SPACING

    def postponed(card: ScheduledCard) -> ScheduledCard | None:
        if card.due >= until:
            return None
        state = json.loads(card.card)
        state["due"] = until.isoformat()
        return ScheduledCard(card.question_id, json.dumps(state), until, card.introduced_at)

    return store.update_cards(sibling_ids, postponed)


def comes_back(due: datetime, now: datetime) -> str:
    """When a question is due again, as a learner reads it: "in 10 minutes, at 09:40",
    "tomorrow, Thu 3 Dec", "in 4 days, Sat 6 Dec" (local time; days counted by the calendar)."""
    local_due, local_now = due.astimezone(), now.astimezone()
    days = (local_due.date() - local_now.date()).days
    if days <= 0:
        minutes = max(1, round((due - now).total_seconds() / 60))
        span = f"{minutes} minute{'s' * (minutes != 1)}" if minutes < 60 else _hours(minutes)
        return f"in {span}, at {local_due:%H:%M}"
    day = f"{local_due:%a} {local_due.day} {local_due:%b}"
    return f"tomorrow, {day}" if days == 1 else f"in {days} days, {day}"


def _hours(minutes: int) -> str:
    hours = round(minutes / 60)
    return f"{hours} hour{'s' * (hours != 1)}"


@dataclass(frozen=True)
class ReviewPlan:
    due: list[Question]  # scheduled and due, most overdue first
    missed: list[Question]  # got wrong in practice, not yet scheduled
    new: list[Question]  # never scheduled, up to what is left of today's limit
    next_due: datetime | None  # when the next scheduled question falls due, if none is due now
    waiting: int = 0  # due or missed, but held back while another form of their fact is asked

    @property
    def questions(self) -> list[Question]:
        """The session's order: due, missed, new, moved only where a prompt would state the answer
        of a question still to come."""
        return order_without_giveaways(self.due + self.missed + self.new)


def plan_review(questions: Sequence[Question], cards: dict[str, ScheduledCard], answers: Sequence[RecordedAnswer],
                now: datetime, new_per_day: int) -> ReviewPlan:
    """What to review now: one form per fact (its other forms wait, see the module's note)."""
    in_bank = {q.id: q for q in questions}
    scheduled = {qid: c for qid, c in cards.items() if qid in in_bank}
    due_cards = sorted((c for c in scheduled.values() if c.due <= now), key=lambda c: c.due)
    later = [c.due for c in scheduled.values() if c.due > now]

    due = one_per_fact(in_bank[c.question_id] for c in due_cards)
    # A fact reviewed today rests: no other form of it is asked again today, missed or new.
    start_of_day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    taken = {group_of(q) for q in due} | {
        group_of(in_bank[a.question_id]) for a in answers
        if a.rating is not None and a.answered_at >= start_of_day and a.question_id in in_bank
    }
    wrong = missed_in_practice(questions, cards, answers)
    missed = [q for q in one_per_fact(wrong) if group_of(q) not in taken]
    taken |= {group_of(q) for q in missed}

    room = max(0, new_per_day - sum(c.introduced_at >= start_of_day for c in cards.values()))
    wrong_ids = {q.id for q in wrong}
    fresh = [q for q in questions if q.id not in scheduled and q.id not in wrong_ids and group_of(q) not in taken]
    return ReviewPlan(
        due=due,
        missed=missed,
        # twice the room before rings are left out, so that leaving one out still fills the day
        new=order_without_giveaways(without_rings(one_per_fact(spread_topics(fresh))[:2 * room])[:room]),
        next_due=min(later) if later and not due_cards else None,
        waiting=len(due_cards) - len(due) + len(wrong) - len(missed),
    )


def missed_in_practice(questions: Sequence[Question], cards: dict[str, ScheduledCard],
                       answers: Sequence[RecordedAnswer]) -> list[Question]:
    """Questions whose last practice answer was wrong and that have no schedule yet, in bank order."""
    in_bank = {q.id for q in questions}
    last_practice: dict[str, bool] = {}
    for a in answers:
        if a.question_id in in_bank and a.question_id not in cards:
            last_practice[a.question_id] = a.correct
    return [q for q in questions if last_practice.get(q.id) is False]


def due_counts(cards: dict[str, ScheduledCard], in_bank: set[str], now: datetime) -> dict[str, int]:
    end_of_day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    dues = [c.due for qid, c in cards.items() if qid in in_bank]
    return {
        "now": sum(d <= now for d in dues),
        "today": sum(d < end_of_day for d in dues),
        "this_week": sum(d < now + timedelta(days=7) for d in dues),
    }


def forecast(cards: dict[str, ScheduledCard], in_bank: set[str], now: datetime, days: int = 14) -> list[int]:
    """Scheduled questions falling due on each of the next `days` local days, today first
    (today's count includes what is overdue)."""
    today = now.astimezone().date()
    counts = [0] * days
    for qid, card in cards.items():
        if qid in in_bank:
            offset = max(0, (card.due.astimezone().date() - today).days)
            if offset < days:
                counts[offset] += 1
    return counts


def recall_today(cards: dict[str, ScheduledCard], in_bank: set[str], now: datetime) -> float | None:
    """FSRS's estimate of the share of studied questions you would get right now: the average
    retrievability of the bank's reviewed cards, or None before the first review."""
    import fsrs

    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    studied = [fsrs.Card.from_dict(json.loads(c.card)) for qid, c in cards.items() if qid in in_bank]
    chances = [scheduler.get_card_retrievability(c, now) for c in studied if c.last_review is not None]
    return round(sum(chances) / len(chances), 3) if chances else None
