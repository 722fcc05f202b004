"""What the classroom exports share: questions grouped by topic, and answers and sources as text.

Not a format itself (it is not in FORMATS); gift, markdown, html and csv build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..generation import Question, SourceRef
from ..model import Bank

CHOICE_TYPES = frozenset({"choice", "multi", "true_false", "which_report"})


@dataclass(frozen=True)
class TopicGroup:
    id: str
    title: str
    questions: list[Question]


def by_topic(bank: Bank, questions: list[Question]) -> list[TopicGroup]:
    """Topics in the bank's order, questions in the order given; empty topics left out."""
    order = [t.id for t in bank.topics]
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.topic, []).append(q)
    ids = sorted(groups, key=lambda t: order.index(t) if t in order else len(order))
    return [TopicGroup(t, bank.topic_title(t), groups[t]) for t in ids]


def right_answers(q: Question) -> list[str]:
    """Every right choice of a multi question; the one answer otherwise."""
    if q.type == "multi":
        folded = {a.strip().casefold() for a in q.accepted}
        return [c for c in q.choices if c.strip().casefold() in folded]
    return [q.answer]


def also_accepted(q: Question) -> list[str]:
    shown = {a.strip().casefold() for a in right_answers(q)}
    return [a for a in q.accepted if a.strip().casefold() not in shown]


def who(ref: SourceRef) -> str:
    return f"{ref.label}, citing {ref.attributed_to}" if ref.attributed_to else ref.label


def source_line(ref: SourceRef) -> str:
    """'the Newsweek report, citing The New York Times: about 10:30 p.m.' with the measure and a wrong mark."""
    measure = f" ({ref.qualifier})" if ref.qualifier else ""
    wrong = f" [shown wrong: {ref.wrong}]" if ref.wrong else ""
    return f"{who(ref)}: {ref.value}{measure}{wrong}"


def feedback_text(q: Question) -> str:
    """The note (where the reports differ) and every source, in one paragraph."""
    parts = [q.note] if q.note else []
    listed = "; ".join(source_line(s) for s in q.sources)
    parts.append(f"Sources: {listed}" + ("" if listed.endswith(".") else "."))  # not 'p.m..'
    return " ".join(parts)


def answers_path(output: Path) -> Path:
    """The answer key beside the worksheet: sheet.md -> sheet-answers.md."""
    return output.with_name(f"{output.stem}-answers{output.suffix}")


def one_line(text: str) -> str:
    return " ".join(text.split())
