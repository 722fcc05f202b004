"""What the classroom exports share: questions grouped by topic, answers, and who says what as text.

Not a format itself (it is not in FORMATS); gift, markdown, html and csv build on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..controls import inert
from ..generation import MATCH_JOIN, Question
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
    """Every right choice of a multi question; each pair of a matching one; the one answer otherwise."""
    if q.type == "matching":
        return [f"{left}{MATCH_JOIN}{right}" for left, right in q.pairs]
    if q.type == "multi":
        folded = {a.strip().casefold() for a in q.accepted}
        return [c for c in q.choices if c.strip().casefold() in folded]
    return [q.answer]


def also_accepted(q: Question) -> list[str]:
    if q.type == "matching":  # its accepted are the descriptions, already in the pairs
        return []
    shown = {a.strip().casefold() for a in right_answers(q)}
    return [a for a in q.accepted if a.strip().casefold() not in shown]


def feedback_lines(q: Question) -> list[str]:
    """Who says what, as plain lines (GIFT feedback): the title, then a bullet per value. Every line
    holds text, so none ends a GIFT question early, and none starts with GIFT's comment mark."""
    from ..notetable import note_table, plain_rows

    table = note_table(q)
    if table is None:
        return [q.note] if q.note else []
    return [f"{table.title}:", *(f"\u2022 {row}" for row in plain_rows(table)), *([table.remark] if table.remark else [])]


def answers_path(output: Path) -> Path:
    """The answer key beside the worksheet: sheet.md -> sheet-answers.md."""
    return output.with_name(f"{output.stem}-answers{output.suffix}")


def one_line(text: str) -> str:
    """The text on one line, without escape sequences, control characters or bidi overrides: the way
    the bank's text enters the GIFT, Markdown, HTML and CSV files, before each format escapes it
    (stripped after, an escape sequence could take a format's own backslash with it)."""
    return " ".join(inert(text).split())


def match_columns(q: Question) -> list[tuple[str, str]]:
    """A matching question on paper: the descriptions numbered on the left, the parties lettered on
    the right (a worksheet's two columns), padded to the longer column."""
    left = [f"{n}. {d}" for n, d in enumerate(q.accepted, 1)]
    right = [f"{_letter(n)}. {c}" for n, c in enumerate(q.choices)]
    rows = max(len(left), len(right))
    return [(left[i] if i < len(left) else "", right[i] if i < len(right) else "") for i in range(rows)]


def match_key(q: Question) -> list[str]:
    """The key to a matching worksheet: each description's number with its party's letter."""
    letters = {c: _letter(n) for n, c in enumerate(q.choices)}
    return [f"{n}-{letters.get(right, '?')} ({left}{MATCH_JOIN}{right})" for n, (left, right) in enumerate(q.pairs, 1)]


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def lettered(q: Question) -> list[tuple[str, str]]:
    """A question's choices with the letters a worksheet prints before them."""
    return [(_letter(n), c) for n, c in enumerate(q.choices)]


def short_answer(q: Question) -> str:
    """The answer as a marker reads it off a key at a glance: the letters of the right choices, an
    ordering question's letters in order, a matching question's number-letter pairs, else the answer."""
    letters = {c.strip().casefold(): letter for letter, c in lettered(q)}
    if q.type == "matching":
        parties = {c: _letter(n) for n, c in enumerate(q.choices)}
        return ", ".join(f"{n}-{parties.get(right, '?')}" for n, (_, right) in enumerate(q.pairs, 1))
    if q.type == "sequence":
        return ", ".join(letters.get(e.strip().casefold(), "?") for e in q.accepted)
    if q.choices and q.type != "true_false":
        right = [a for a in right_answers(q)]
        return ", ".join(f"{letters.get(a.strip().casefold(), '?')} ({a})" for a in right)
    return q.answer


def choice_fractions(q: Question) -> list[tuple[str, float]]:
    """Each choice with the percentage of the mark it earns: 100 for the right one; in a multi-select
    question each right choice its share, each wrong one as much taken away (an LMS stops at 0)."""
    right = {a.strip().casefold() for a in right_answers(q)}
    if q.type == "multi":
        share = 100 / len(right)
        return [(c, share if c.strip().casefold() in right else -share) for c in q.choices]
    return [(c, 100.0 if c.strip().casefold() in right else 0.0) for c in q.choices]
