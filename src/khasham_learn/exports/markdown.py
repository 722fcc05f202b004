"""A printable worksheet in Markdown, and its answer key in a second file beside it."""

from __future__ import annotations

import re
from pathlib import Path

from ..generation import Question
from ..model import Bank
from . import ExportJob
from .common import also_accepted, lettered, match_columns, one_line
from .sheets import (
    Version,
    answers_title,
    full_answer,
    key_rows,
    key_title,
    points,
    sections,
    total_points,
    write_sheets,
    version_title,
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
        return ["   *Tick all that apply.*", "", *[f"   - [ ] {letter}. {escape(c)}" for letter, c in lettered(q)]]
    if q.type == "matching":
        rows = [f"   | {escape(left)} | \\_\\_ | {escape(right)} |" for left, right in match_columns(q)]
        return ["   *Write the letter of its match beside each number.*", "",
                "   | Description | Letter | Party |", "   | --- | --- | --- |", *rows]
    if q.type == "sequence":
        return ["   *Number them in order.*", "", *[f"   - \\_\\_ {letter}. {escape(c)}" for letter, c in lettered(q)]]
    if q.choices:
        return ["", *[f"   - [ ] {letter}. {escape(c)}" for letter, c in lettered(q)]]
    return ["", "   Answer: ______________________________"]


def _under(number: int, lines: list[str]) -> list[str]:
    """Lines written under item 1-9 (three spaces in), moved under item `number`: Markdown nests
    a line in "10. ..." only from its fifth column."""
    extra = " " * (len(str(number)) - 1)
    return [extra + line if line.startswith("   ") else line for line in lines]


def worksheet(bank: Bank, version: Version) -> str:
    total = total_points(version.questions)
    lines = [f"# {escape(version_title(bank, version))}", "", f"Name: ______________________  Date: ____________  Score: ______ / {total}"]
    for section in sections(bank, version.questions):
        lines += ["", f"## {escape(section.title)}", ""]
        for number, q in section.numbered():
            lines += [f"{number}. {escape(q.prompt)} — \\_\\_\\_ / {points(q)}", *_under(number, _ask(q)), ""]
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


def _compact_key(version: Version) -> list[str]:
    """Number, answer, points: a table to mark a sheet from at a glance."""
    lines = ["", f"## {key_title(version)}", "", "| No. | Answer | Pts |", "| ---: | --- | ---: |"]
    lines += [f"| {row.number} | {escape(row.answer)} | {row.points} |" for row in key_rows(version)]
    lines.append(f"| | Total | {total_points(version.questions)} |")
    return lines


def answer_key(bank: Bank, sheets: list[Version]) -> str:
    """The compact key of each version, then, once, each question's full answer with who says what."""
    lines = [f"# {escape(bank.title)}: answer key"]
    for version in sheets:
        lines += _compact_key(version)
    lines += ["", f"## {answers_title(sheets)}"]
    for section in sections(bank, sheets[0].questions):
        lines += ["", f"### {escape(section.title)}", ""]
        for number, q in section.numbered():
            lines.append(f"{number}. {escape(q.prompt)} `{q.id}`")
            below = [f"   - **Answer:** {escape(full_answer(q))}"]
            if also_accepted(q):
                below.append(f"   - Also accepted: {escape('; '.join(also_accepted(q)))}")
            lines += _under(number, below + _who_says_what(q))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export(job: ExportJob) -> list[Path]:
    return write_sheets(job, worksheet, answer_key)
