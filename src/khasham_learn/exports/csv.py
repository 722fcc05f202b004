"""Flashcards as CSV: Quizlet's term and definition, or with kahoot=True Kahoot's spreadsheet.

Kahoot takes only questions with two to four choices and has hard limits (question 120
characters, answers 75, a few time limits). A question that does not fit is left out and named
through job.warn, with a count at the end; nothing is cut short, since a cut question or answer can
change what is right.
"""

from __future__ import annotations

import csv as _csv
import io
import re
from pathlib import Path

from ..controls import inert
from ..generation import Question
from ..notetable import note_table
from ..notetable import one_line as table_line
from . import ExportJob, default_output, write_atomically
from .common import CHOICE_TYPES, one_line, right_answers

SUFFIX = ".csv"

KAHOOT_HEADER = ("Question", "Answer 1", "Answer 2", "Answer 3", "Answer 4", "Time limit", "Correct answer(s)")
KAHOOT_QUESTION_MAX = 120
KAHOOT_ANSWER_MAX = 75
KAHOOT_TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
KAHOOT_MAX_ANSWERS = 4
# Questions a teacher may expect in Kahoot, so one left out is named with the reason.
_NAMED_WHEN_LEFT_OUT = CHOICE_TYPES | {"matching"}


def quizlet_rows(questions: list[Question]) -> list[list[str]]:
    """Term (the question, with its choices) and definition (the answer, and where reports differ: each
    value with who says it, on one line)."""
    rows = []
    for q in questions:
        if q.type == "matching":  # a card per pair: Quizlet's own Match game pairs them again
            rows += [[one_line(left), one_line(right)] for left, right in q.pairs]
            continue
        term = one_line(q.prompt)
        if q.choices and q.type != "true_false":
            term += " (" + " / ".join(one_line(c) for c in q.choices) + ")"
        definition = "; ".join(one_line(a) for a in right_answers(q))
        table = note_table(q) if q.note else None
        if table is not None:
            stop = "" if definition.endswith(".") else "."  # not 'p.m..'
            definition += f"{stop} {table_line(table)}"
        elif q.note:
            definition += f". {one_line(q.note)}"
        rows.append([term, definition])
    return rows


def time_limit(q: Question) -> int:
    """Longer questions and several-answer ones get more time; always one of Kahoot's limits."""
    reading = len(q.prompt) + sum(len(c) for c in q.choices)
    wanted = 20 if reading <= 120 else 30
    if q.type == "multi":
        wanted += 30
    return min(t for t in KAHOOT_TIME_LIMITS if t >= wanted)


def kahoot_problem(q: Question) -> str | None:
    """Why q cannot go to Kahoot as it is, or None."""
    if q.type == "sequence":
        return "an ordering question needs Kahoot's puzzle type, which its spreadsheet cannot hold"
    if q.type == "matching":
        return "Kahoot has no matching question; its spreadsheet holds only quiz questions with choices"
    if q.type not in CHOICE_TYPES or not q.choices:
        return f"a {q.type} question has no choices"
    if not 2 <= len(q.choices) <= KAHOOT_MAX_ANSWERS:
        return f"it has {len(q.choices)} choices (Kahoot takes 2 to {KAHOOT_MAX_ANSWERS})"
    prompt = one_line(q.prompt)
    if len(prompt) > KAHOOT_QUESTION_MAX:
        return f"the question is {len(prompt)} characters (Kahoot takes {KAHOOT_QUESTION_MAX})"
    for choice in q.choices:
        if len(one_line(choice)) > KAHOOT_ANSWER_MAX:
            return f"the answer '{one_line(choice)[:30]}...' is {len(one_line(choice))} characters (Kahoot takes {KAHOOT_ANSWER_MAX})"
    return None


def kahoot_rows(job: ExportJob) -> list[list[str]]:
    rows = [list(KAHOOT_HEADER)]
    left_out = 0
    for q in job.questions:
        problem = kahoot_problem(q)
        if problem is not None:
            left_out += 1
            if q.type in _NAMED_WHEN_LEFT_OUT:  # typed-answer questions are never for Kahoot; only these need a word
                job.warn(f"kahoot: left out {q.id}: {problem}")
            continue
        right = {a.strip().casefold() for a in right_answers(q)}
        answers = [one_line(c) for c in q.choices] + [""] * (KAHOOT_MAX_ANSWERS - len(q.choices))
        correct = ",".join(str(i) for i, c in enumerate(q.choices, 1) if c.strip().casefold() in right)
        rows.append([one_line(q.prompt), *answers, str(time_limit(q)), correct])
    if len(rows) == 1:
        raise_none_fit(len(job.questions))
    if left_out:
        typed = sum(q.type not in _NAMED_WHEN_LEFT_OUT for q in job.questions)
        matching = sum(q.type == "matching" for q in job.questions)  # named above, but no rewording fits them
        rewordable = left_out - typed - matching
        named = f"; {rewordable} named above: reword their prompts in questions.yaml to include them" if rewordable else ""
        matched = f", {matching} matching questions" if matching else ""
        job.warn(f"kahoot: {left_out} of {len(job.questions)} questions left out ({typed} typed-answer questions{matched}{named})")
    return rows


def raise_none_fit(total: int) -> None:
    from ..errors import KhashamError

    raise KhashamError(f"none of the {total} questions fits Kahoot (2 to 4 choices, question up to 120 characters, answers up to 75); try --type choice")


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...);
# tab and carriage return come first in some formula attacks, before the real sign.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def neutral(cell: str) -> str:
    """The cell as text a spreadsheet will not run: an apostrophe before a formula's first character
    (OWASP's advice), while a plain number such as -5 stays a number."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def render(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = _csv.writer(out, lineterminator="\r\n")  # RFC 4180, which spreadsheets expect
    # Made inert before neutral looks at the first character: ESC = ... would start a formula after.
    writer.writerows([neutral(inert(cell)) for cell in row] for row in rows)
    return out.getvalue()


def export(job: ExportJob) -> list[Path]:
    if job.options.get("kahoot"):
        output = job.output
        if output == default_output("csv", job.bank):  # keep the Quizlet file beside it
            output = output.with_name(f"{output.stem}-kahoot{output.suffix}")
        return [write_atomically(output, render(kahoot_rows(job)))]
    return [write_atomically(job.output, render(quizlet_rows(job.questions)))]
