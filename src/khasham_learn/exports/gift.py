"""Moodle GIFT: one category per topic, question names from ids, feedback with who says what and the quotes.

Moodle's importer reads `::name::` as the question's name; using the id keeps re-imports matched to
the same questions. Numbers and durations become numeric questions with the quiz's tolerance; other
typed answers are short answers with every accepted form and wildcard patterns, after refusals at 0%
(typed.py). GIFT cannot declare units: moodlexml can.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..generation import Question
from . import ExportJob, write_atomically
from .common import CHOICE_TYPES, by_topic, choice_fractions, feedback_lines, one_line
from .typed import WORDS_AFTER_UNCHECKED, Numerical, ShortAnswer, escape_wildcards, typed_grading, unit_hint

SUFFIX = ".gift"

_SPECIAL = "~=#{}:"


def html_text(text: str) -> str:
    """Moodle reads GIFT text as HTML: < > & become entities, so <script> is shown, not run. No
    entity (&lt; &gt; &amp;) holds a GIFT special character, so the escapes after never split one."""
    return html.escape(text, quote=False)


def escape(text: str) -> str:
    """Text Moodle shows as HTML (question text, choices, feedback, names): < > & as entities, and
    GIFT's special characters escaped."""
    return escape_plain(html_text(one_line(text)))


def escape_plain(text: str) -> str:
    """Text Moodle keeps as plain text and escapes itself (a short answer's answers, the right side
    of a matching pair, compared with what the student types): GIFT's special characters (and the
    backslash itself) preceded by a backslash, on one line."""
    out = one_line(text).replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return out


def category(path: str) -> str:
    # Moodle splits category paths on '/'; a slash inside a name is written twice.
    return html_text(one_line(path)).replace("/", "//")


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _weight(share: float) -> str:
    return f"{share:.5f}".rstrip("0").rstrip(".")


def answers(q: Question) -> str:
    """The part between the braces."""
    if q.type in CHOICE_TYPES and q.choices:
        if q.type == "multi":
            return " ".join(f"~%{_weight(share)}%{escape(c)}" for c, share in choice_fractions(q))
        return " ".join(("=" if share > 0 else "~") + escape(c) for c, share in choice_fractions(q))
    if q.type == "matching":  # Moodle's matching question: each description -> its party
        return " ".join(f"={escape(left)} -> {escape_plain(right)}" for left, right in q.pairs)
    if q.type == "sequence":  # GIFT has no ordering question: match each event to its place
        return " ".join(f"={escape(event)} -> {n}" for n, event in enumerate(q.accepted, 1))
    grading = typed_grading(q)
    if isinstance(grading, Numerical):
        return "#" + " ".join(f"={_number(i.low)}..{_number(i.high)}" for i in grading.intervals)
    if isinstance(grading, ShortAnswer):  # refusals first: Moodle takes the first answer that matches
        return " ".join([*(f"=%0%{escape_plain(r)}" for r in grading.refusals),
                         *(f"={escape_plain(escape_wildcards(f))}" for f in grading.forms),
                         *(f"={escape_plain(p)}" for p in grading.patterns)])
    return " ".join(f"={escape_plain(a)}" for a in dict.fromkeys([q.answer, *q.accepted]))


def losses(q: Question) -> list[str]:
    """What GIFT cannot carry of q's grading."""
    if q.type == "sequence":
        return ["an ordering question: each event is matched to its place, so events the reports leave in "
                "either order must still be put in the key's order"]
    grading = typed_grading(q)
    if grading is None:
        return []
    lost = list(grading.lost)
    if isinstance(grading, Numerical) and (grading.unit or grading.units):
        # The same words for every such question, so the export's report counts them as one kind of
        # loss. Words after the number are then refused, not left unchecked: one loss, not two that
        # contradict each other.
        lost = [what for what in lost if what != WORDS_AFTER_UNCHECKED]
        lost.insert(0, "units: GIFT cannot declare them, so Moodle refuses a number typed with its unit "
                       "and asks for the number alone (moodlexml carries them)")
    return lost


def question(q: Question) -> str:
    # Moodle joins a question's lines with line breaks, so the feedback keeps one line per value.
    feedback = "\n".join(escape(line) for line in feedback_lines(q))
    grading = typed_grading(q)
    hint = unit_hint(q, grading) if isinstance(grading, Numerical) else ""
    return f"::{escape(q.id)}::{escape(q.prompt + hint)}{{{answers(q)}\n####{feedback}\n}}\n"


def render(job: ExportJob) -> str:
    for q in job.questions:
        for what in losses(q):
            job.lost(q, what)
    title = job.bank.title
    lines = [f"// {one_line(title)}: exported by khasham-learn from the bank's facts and their sources.", ""]
    for group in by_topic(job.bank, job.questions):
        lines.append(f"$CATEGORY: {category(title)}/{category(group.title)}")
        lines.append("")
        for q in group.questions:
            lines.append(question(q))
    return "\n".join(lines)


def export(job: ExportJob) -> list[Path]:
    return [write_atomically(job.output, render(job))]
