"""Flashcards as CSV: Quizlet's term and definition (Kahoot has its own .xlsx template: kahoot.py).

The file starts with a UTF-8 byte-order mark: without it Excel reads UTF-8 as the local code page
and garbles é, – and ’. Quizlet's importer and Python's csv (encoding utf-8-sig) take it.
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
from . import ExportJob, write_atomically
from .common import one_line, right_answers
from .typed import is_typed

SUFFIX = ".csv"


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


BOM = "\ufeff"


def export(job: ExportJob) -> list[Path]:
    for q in job.questions:
        if is_typed(q) and len({a.strip().casefold() for a in (q.answer, *q.accepted)}) > 1:
            job.lost(q, "Quizlet grades a typed answer against the definition alone: the other accepted forms "
                        "are not in its grading")
    return [write_atomically(job.output, BOM + render(quizlet_rows(job.questions)))]
