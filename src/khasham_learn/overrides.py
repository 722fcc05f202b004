"""The answers students overruled ("I was right"): the grader's misses, per question, for a teacher.

Each overruled answer is a case the grader got wrong, or a student being generous to themselves; a
teacher reads them and moves the real misses into tests/grading_table.tsv (docs/teaching.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .generation import Question
from .store import RecordedAnswer


def typed_text(given: str | list[str]) -> str:
    """An answer as one line: a list (several choices, an order) joined with commas."""
    return ", ".join(given) if isinstance(given, list) else given


def overrides_report(overridden: Sequence[RecordedAnswer], questions: Sequence[Question]) -> dict[str, Any]:
    """Per question (most overruled first), its prompt and answer and what was typed, each text
    once with how often and when last; a question since removed from the bank keeps its id."""
    by_id = {q.id: q for q in questions}
    grouped: dict[str, dict[str, list[RecordedAnswer]]] = {}
    for a in overridden:
        grouped.setdefault(a.question_id, {}).setdefault(typed_text(a.given), []).append(a)
    rows = []
    for qid, typed in grouped.items():
        q = by_id.get(qid)
        rows.append({
            "id": qid,
            "type": q.type if q else None,
            "prompt": q.prompt if q else None,
            "answer": q.answer if q else None,
            "overruled": sum(len(times) for times in typed.values()),
            "typed": [{"given": text, "times": len(times), "last": max(a.answered_at for a in times).isoformat()}
                      for text, times in typed.items()],
        })
    rows.sort(key=lambda r: (-r["overruled"], r["id"]))
    return {"overruled": len(overridden), "questions": rows}


def describe_overrides(report: dict[str, Any]) -> list[str]:
    if not report["overruled"]:
        return ["No answer has been overruled: the grader's verdicts all stood."]
    lines = [f"Answers overruled by students (the grader said wrong): {report['overruled']}, "
             f"on {len(report['questions'])} question(s)"]
    for row in report["questions"]:
        lines.append("")
        lines.append(f"{row['id']} ({row['overruled']}x)" + (f": {row['prompt']}" if row["prompt"] else " (no longer in the bank)"))
        if row["answer"] is not None:
            lines.append(f"  answer: {row['answer']}")
        for t in row["typed"]:
            times = f" ({t['times']}x)" if t["times"] > 1 else ""
            lines.append(f'  typed: "{t["given"]}"{times}')
    return lines
