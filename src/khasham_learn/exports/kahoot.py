"""Kahoot's spreadsheet template (.xlsx): a title row, the template's header, a numbered row per question.

Kahoot takes only questions with two to four choices and has hard limits (question 120
characters, answers 75, a few time limits). A question that does not fit is left out and said per
question in the export's report, with the choice questions named through job.warn; nothing is cut
short, since a cut question or answer can change what is right. openpyxl is imported only here.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..controls import inert
from ..generation import Question
from . import ExportJob, write_atomically
from .common import CHOICE_TYPES, one_line, right_answers

SUFFIX = ".xlsx"
# Why `-o -` is refused: a workbook is a zip archive, no text for a terminal.
NOT_TO_STDOUT = "a workbook is a binary file"

# Kahoot's template: a title row, then this header from column B, then a numbered row per question.
KAHOOT_HEADER = ("Question - max 120 characters", "Answer 1 - max 75 characters", "Answer 2 - max 75 characters",
                 "Answer 3 - max 75 characters", "Answer 4 - max 75 characters",
                 "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs", "Correct answer(s) - choose at least one")
KAHOOT_QUESTION_MAX = 120
KAHOOT_ANSWER_MAX = 75
KAHOOT_TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
KAHOOT_MAX_ANSWERS = 4
# Questions a teacher may expect in Kahoot, so one left out is named with the reason.
_NAMED_WHEN_LEFT_OUT = CHOICE_TYPES | {"matching"}


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


def kahoot_rows(job: ExportJob) -> list[list[str | int]]:
    """A row per question that fits: the question, four answers (blank where fewer), the time limit
    and the numbers of the right answers ('1,3')."""
    rows: list[list[str | int]] = []
    left_out = 0
    for q in job.questions:
        problem = kahoot_problem(q)
        if problem is not None:
            left_out += 1
            job.lost(q, f"left out: {problem}")
            if q.type in _NAMED_WHEN_LEFT_OUT:  # typed-answer questions are never for Kahoot; only these need a word
                job.warn(f"kahoot: left out {q.id}: {problem}")
            continue
        right = {a.strip().casefold() for a in right_answers(q)}
        answers = [one_line(c) for c in q.choices] + [""] * (KAHOOT_MAX_ANSWERS - len(q.choices))
        correct = ",".join(str(i) for i, c in enumerate(q.choices, 1) if c.strip().casefold() in right)
        rows.append([one_line(q.prompt), *answers, time_limit(q), int(correct) if correct.isdigit() else correct])
    if not rows:
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


def render(job: ExportJob) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kahoot"
    sheet.append([one_line(job.bank.title)])
    sheet.append(["", *KAHOOT_HEADER])
    for number, row in enumerate(kahoot_rows(job), 1):
        sheet.append([number, *row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.value = inert(cell.value)
                # text stays text: a question starting with '=' is no formula for Excel to run
                cell.data_type = "s"
    for column, width in zip("ABCDEFGH", (4, 60, 30, 30, 30, 30, 14, 14)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(job: ExportJob) -> list[Path]:
    return [write_atomically(job.output, render(job))]
