"""A learner's progress from the store: how much, how well, by topic, what is due, the weakest facts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .generation import Question
from .model import Bank
from .scheduling import due_counts, plan_review
from .store import RecordedAnswer, ScheduledCard

WEAKEST = 5


def progress(bank: Bank, questions: Sequence[Question], answers: Sequence[RecordedAnswer],
             cards: dict[str, ScheduledCard], now: datetime) -> dict[str, Any]:
    by_id = {q.id: q for q in questions}
    right = sum(a.correct for a in answers)
    topics: dict[str, list[bool]] = {}
    facts: dict[str, list[bool]] = {}
    for a in answers:
        q = by_id.get(a.question_id)
        if q is None:  # a question since removed from the bank still counts as answered
            continue
        topics.setdefault(q.topic, []).append(a.correct)
        facts.setdefault(q.fact, []).append(a.correct)
    due = due_counts(cards, set(by_id), now)
    missed = plan_review(questions, cards, answers, now, 0).missed
    weakest = sorted(
        (fid for fid, results in facts.items() if not all(results)),
        key=lambda fid: (sum(facts[fid]) / len(facts[fid]), -len(facts[fid]), fid),
    )[:WEAKEST]
    return {
        "answered": len(answers),
        "right": right,
        "overridden": sum(a.overridden for a in answers),  # counted in "right": the student overruled the grader
        "accuracy": _share(right, len(answers)),
        "topics": [
            {"topic": t.id, "title": t.title, "answered": len(topics[t.id]), "right": sum(topics[t.id]),
             "accuracy": _share(sum(topics[t.id]), len(topics[t.id]))}
            for t in bank.topics if t.id in topics
        ],
        "scheduled": sum(qid in by_id for qid in cards),
        "due": {"now": due["now"] + len(missed), "today": due["today"] + len(missed),
                "this_week": due["this_week"] + len(missed)},
        "missed_in_practice": len(missed),
        "weakest_facts": [
            {"fact": fid, "prompt": _prompt(bank, fid), "answered": len(facts[fid]), "right": sum(facts[fid])}
            for fid in weakest
        ],
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _prompt(bank: Bank, fact_id: str) -> str:
    fact = bank.fact(fact_id)
    return fact.prompt if fact else fact_id


def describe(report: dict[str, Any]) -> list[str]:
    """The report as lines for a person."""
    if not report["answered"]:
        return ["No answers yet. Start with: khasham-learn quiz (practice) or khasham-learn review."]
    lines = [f"Answered: {report['answered']}, right: {report['right']} ({_percent(report['accuracy'])})"]
    if report["overridden"]:
        lines.append(f"  of which overruled by you (\"I was right\"): {report['overridden']}")
    for t in report["topics"]:
        lines.append(f"  {t['title']}: {t['right']}/{t['answered']} ({_percent(t['accuracy'])})")
    due = report["due"]
    lines.append(f"Due now: {due['now']}, today: {due['today']}, this week: {due['this_week']} "
                 f"({report['scheduled']} questions scheduled)")
    if report["weakest_facts"]:
        lines.append("Weakest facts:")
        for f in report["weakest_facts"]:
            lines.append(f"  - {f['prompt']} ({f['right']}/{f['answered']} right)")
    return lines


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{round(100 * share)}%"
