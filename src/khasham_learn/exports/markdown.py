"""A printable worksheet in Markdown, and its answer key in a second file beside it."""

from __future__ import annotations

import re
from pathlib import Path

from ..generation import Question
from . import ExportJob, write_atomically
from .common import (
    also_accepted,
    answers_path,
    match_columns,
    match_key,
    by_topic,
    one_line,
    right_answers,
)

SUFFIX = ".md"
# Why `-o -` is refused: one stdout cannot hold two files.
NOT_TO_STDOUT = "it writes two files, the worksheet and its answer key"

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape(text: str) -> str:
    """Text shown as written: Markdown's markup characters escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", one_line(text))


def _ask(q: Question) -> list[str]:
    if q.type == "multi":
        return ["   *Tick all that apply.*", "", *[f"   - [ ] {escape(c)}" for c in q.choices]]
    if q.type == "matching":
        rows = [f"   | {escape(left)} | \\_\\_ | {escape(right)} |" for left, right in match_columns(q)]
        return ["   *Write the letter of its match beside each number.*", "",
                "   | Description | Letter | Party |", "   | --- | --- | --- |", *rows]
    if q.type == "sequence":
        return ["   *Number them in order.*", "", *[f"   - \\_\\_ {escape(c)}" for c in q.choices]]
    if q.choices:
        return ["", *[f"   - [ ] {escape(c)}" for c in q.choices]]
    return ["", "   Answer: ______________________________"]


def worksheet(job: ExportJob) -> str:
    lines = [f"# {escape(job.bank.title)}", "", "Name: ______________________  Date: ____________"]
    number = 0
    for group in by_topic(job.bank, job.questions):
        lines += ["", f"## {escape(group.title)}", ""]
        for q in group.questions:
            number += 1
            lines += [f"{number}. {escape(q.prompt)}", *_ask(q), ""]
    return "\n".join(lines).rstrip() + "\n"


def _who_says_what(q: Question) -> list[str]:
    """The table of who says what, then the quotes, as items of the question's list."""
    from ..notetable import QUOTES_TITLE, markdown_lines, markdown_quote_lines, note_table

    table = note_table(q)
    if table is None:
        return [f"   - **Note:** {escape(q.note)}"] if q.note else []
    first, *rest = markdown_lines(table, escape)
    lines = [f"   - {first}", *[f"     {line}" if line else "" for line in rest]]
    quotes = markdown_quote_lines(table, escape)
    if quotes:
        lines += ["", f"   - {escape(QUOTES_TITLE)}:", *[f"     {line}" for line in quotes]]  # the blank line ends the table
    return lines


def answer_key(job: ExportJob) -> str:
    lines = [f"# {escape(job.bank.title)}: answer key"]
    number = 0
    for group in by_topic(job.bank, job.questions):
        lines += ["", f"## {escape(group.title)}", ""]
        for q in group.questions:
            number += 1
            lines.append(f"{number}. {escape(q.prompt)} `{q.id}`")
            answer = match_key(q) if q.type == "matching" else right_answers(q)
            lines.append(f"   - **Answer:** {escape('; '.join(answer))}")
            if also_accepted(q):
                lines.append(f"   - Also accepted: {escape('; '.join(also_accepted(q)))}")
            lines += _who_says_what(q)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export(job: ExportJob) -> list[Path]:
    return [write_atomically(job.output, worksheet(job)), write_atomically(answers_path(job.output), answer_key(job))]
