"""A learner's progress from the store: how much, how well, by topic, what is due, the weakest facts,
the days studied and FSRS's estimate of what would be recalled today. (progressview draws it.)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from .generation import Question
from .model import Bank
from .scheduling import due_counts, forecast, plan_review, recall_today
from .store import RecordedAnswer, ScheduledCard

WEAKEST = 5
FORECAST_DAYS = 14
RECENT_DAYS = 28  # the calendar strip: four weeks fit a 60-column terminal


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
    plan = plan_review(questions, cards, answers, now, 0)
    days = study_days(answers, now)
    weakest = sorted(
        (fid for fid, results in facts.items() if not all(results)),
        key=lambda fid: (sum(facts[fid]) / len(facts[fid]), -len(facts[fid]), fid),
    )[:WEAKEST]
    by_topic = [
        {"topic": t.id, "title": t.title, "answered": len(topics[t.id]), "right": sum(topics[t.id]),
         "accuracy": _share(sum(topics[t.id]), len(topics[t.id]))}
        for t in bank.topics if t.id in topics
    ]
    return {
        "answered": len(answers),
        "right": right,
        "overridden": sum(a.overridden for a in answers),  # counted in "right": the student overruled the grader
        "accuracy": _share(right, len(answers)),
        "by_topic": by_topic,
        "topics": by_topic,  # the name the JSON had first: scripts reading it keep working
        "scheduled": sum(qid in by_id for qid in cards),
        "due": due_summary(len(plan.due) + len(plan.missed), plan.waiting, due["today"] - due["now"],
                           due["this_week"] - due["today"]),
        "missed_in_practice": len(plan.missed),
        "weakest_facts": [
            {"fact": fid, "prompt": _prompt(bank, fid), "answered": len(facts[fid]), "right": sum(facts[fid])}
            for fid in weakest
        ],
        "forecast": forecast(cards, set(by_id), now, FORECAST_DAYS),
        "streak": streak(days, now),
        "days_studied": len(days),
        "recent_days": recent_days(days, now, RECENT_DAYS),
        "recall_today": recall_today(cards, set(by_id), now),
    }


def due_summary(now: int, waiting: int, later_today: int, next_7_days: int) -> dict[str, int]:
    """What `review` asks now, what waits for a later day (another form of its fact goes first),
    and what falls due later: parts that add up, never one counted twice. `today` and `this_week`
    are running totals of them: everything due, or missed in practice, by the end of today (local
    time), asked now or waiting; and the same within the next 7 days."""
    today = now + waiting + later_today
    return {"now": now, "waiting": waiting, "later_today": later_today, "next_7_days": next_7_days,
            "today": today, "this_week": today + next_7_days}


def study_days(answers: Sequence[RecordedAnswer], now: datetime) -> dict[date, int]:
    """Answers given on each local day (the day in the time zone `now` is read in)."""
    zone = now.astimezone().tzinfo
    counts: dict[date, int] = {}
    for a in answers:
        day = a.answered_at.astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def streak(days: dict[date, int], now: datetime) -> int:
    """Days in a row with answers, up to today; a streak not yet extended today still counts
    until the day is over (as in Anki and Duolingo)."""
    day = now.astimezone().date()
    if day not in days:
        day -= timedelta(days=1)
    run = 0
    while day in days:
        run += 1
        day -= timedelta(days=1)
    return run


def recent_days(days: dict[date, int], now: datetime, count: int) -> list[dict[str, Any]]:
    """The last `count` days, oldest first, today last, with how many answers each had."""
    today = now.astimezone().date()
    span = [today - timedelta(days=back) for back in range(count - 1, -1, -1)]
    return [{"date": d.isoformat(), "answers": days.get(d, 0)} for d in span]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _prompt(bank: Bank, fact_id: str) -> str:
    fact = bank.fact(fact_id)
    return fact.prompt if fact else fact_id


def describe(report: dict[str, Any]) -> list[str]:
    """The report as lines for a person."""
    if not report["answered"]:
        return ["No answers yet. Start with: khasham-learn quiz (practice) or khasham-learn review."]
    # The answers overruled ("I was right") are counted right; the head line says how many.
    overruled = f", {report['overridden']} overruled by you" if report["overridden"] else ""
    lines = [f"Answered: {report['answered']}, right: {report['right']} ({percent(report['accuracy'])}{overruled})"]
    lines += due_lines(report)
    if report["weakest_facts"]:
        lines.append("Weakest facts:")
        for f in report["weakest_facts"]:
            lines.append(f"  - {f['prompt']} ({f['right']}/{f['answered']} right)")
    return lines


def due_lines(report: dict[str, Any]) -> list[str]:
    """What review has waiting, in counts that add up: questions missed in practice are not yet on
    the schedule, so they are named apart from the scheduled ones."""
    due, missed, scheduled = report["due"], report["missed_in_practice"], report["scheduled"]
    parts = f"{due['now'] - missed} scheduled, {missed} missed in practice" if missed else "all scheduled"
    lines = [f"To review now: {due['now']} ({parts}). Run: khasham-learn review" if due["now"]
             else "To review now: nothing."]
    if due["waiting"]:
        lines.append(f"Waiting for a later day: {due['waiting']} (another form of the same fact is reviewed first).")
    lines.append(f"On the schedule: {scheduled} question{'s' * (scheduled != 1)}; due later today: "
                 f"{due['later_today']}, after today within 7 days: {due['next_7_days']}.")
    return lines


def percent(share: float | None) -> str:
    """A share as a person reads it: '76%', or '-' when there is nothing to share out."""
    return "-" if share is None else f"{round(100 * share)}%"
