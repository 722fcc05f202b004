"""The reports side by side: one row per fact, one column per report, each cell what that report
says and whom it credits; the rows where the reports disagree are marked, a silent report is a gap.

The matrix is data (`matrix`); `text_lines` draws it for a terminal of a given width, as a grid
where the columns fit without splitting a word, else as one block per fact.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .disagreement import Agreement, assess, value_phrase
from .model import Bank

# A grid column narrower than this reads as a column of single words: one block per fact instead.
NARROWEST_GRID_COLUMN = 9
BOX = {"v": "│", "h": "─", "top": "┌┬┐", "mid": "├┼┤", "bottom": "└┴┘"}
DISPUTED_MARK = "[disputed]"
SILENT = "(silent)"


@dataclass(frozen=True)
class Cell:
    """One claim as a report gives it: the value (with its measure where the fact's claims measure
    several things), whom the report credits, and why it is shown wrong, if it is."""

    value: str
    party: str | None
    wrong: str | None

    @property
    def text(self) -> str:
        credited = f" ({self.party})" if self.party else ""
        return f"{self.value}{credited}{' [shown wrong]' if self.wrong else ''}"


@dataclass(frozen=True)
class Row:
    fact: str
    prompt: str
    topic: str
    status: Agreement
    cells: dict[str, tuple[Cell, ...]]  # report id -> its claims; a silent report is absent

    @property
    def disputed(self) -> bool:
        return self.status in (Agreement.DISAGREE, Agreement.SPELLING)


@dataclass(frozen=True)
class Report:
    id: str
    label: str


@dataclass(frozen=True)
class Matrix:
    reports: tuple[Report, ...]  # in sources.yaml's order
    rows: tuple[Row, ...]  # in the bank's order


def matrix(bank: Bank, *, fact_id: str | None = None, topic: str | None = None, disputed_only: bool = False) -> Matrix:
    """The rows the filters pick. An unknown fact id is a KhashamError naming the closest one."""
    if fact_id is not None and bank.fact(fact_id) is None:
        from .errors import KhashamError
        from .yamlread import did_you_mean

        raise KhashamError(f"no fact '{fact_id}' in this bank{did_you_mean(fact_id, bank.facts_by_id)}")
    rows = []
    for fact in bank.facts:
        if (fact_id and fact.id != fact_id) or (topic and fact.topic != topic):
            continue
        verdict = assess(fact, bank)
        if disputed_only and not verdict.disputed:
            continue
        with_measure = len(verdict.measures) > 1
        cells: dict[str, list[Cell]] = {}
        for c in verdict.claims:
            cell = Cell(value_phrase(c, with_measure), c.claim.attributed_to, c.wrong)
            if cell not in cells.setdefault(c.claim.source, []):  # one report giving one thing twice
                cells[c.claim.source].append(cell)
        rows.append(Row(fact.id, fact.prompt, fact.topic, verdict.status, {k: tuple(v) for k, v in cells.items()}))
    return Matrix(tuple(Report(s.id, s.label) for s in bank.sources.values()), tuple(rows))


def to_json(m: Matrix) -> list[dict[str, Any]]:
    return [
        {
            "fact": r.fact, "prompt": r.prompt, "topic": r.topic, "disputed": r.disputed, "status": r.status.value,
            "cells": {
                rep.id: [{"value": c.value, "party": c.party, "wrong": c.wrong} for c in r.cells.get(rep.id, ())]
                for rep in m.reports
            },
        }
        for r in m.rows
    ]


# --- text -------------------------------------------------------------------------------------------

def text_lines(m: Matrix, width: int, *, boxes: bool = True, clean: Callable[[str], str] = str) -> list[str]:
    """The matrix within `width` columns: a grid when every column can hold its longest word, else a
    block per fact. Words are never split (one longer than a whole line is the only exception).
    `clean` makes the bank's text safe to print (quiz.inert)."""
    if not m.rows:
        return ["No facts match."]
    header = ["fact", *(r.id for r in m.reports)]
    body = [[[clean(r.fact), *([DISPUTED_MARK] if r.disputed else [])],
             *[_paragraphs([clean(c.text) for c in r.cells.get(rep.id, ())], boxes) for rep in m.reports]] for r in m.rows]
    widths = _fit(header, body, width, boxes)
    lines = _grid(header, body, widths, boxes) if widths else _blocks(m, width, clean)
    return lines + [""] + _legend(m, width, clean)


def _paragraphs(texts: list[str], boxes: bool) -> list[str]:
    """A cell's claims; where a report gives several, each starts with a bullet."""
    if len(texts) < 2:
        return texts
    bullet = "• " if boxes else "- "
    return [bullet + t for t in texts]


def _words(paragraphs: list[str]) -> int:
    """The longest word, with the hanging indent of a bulleted claim's later lines."""
    return max((len(w) + (2 if p[:2] in ("• ", "- ") else 0) for p in paragraphs for w in p.split()), default=0)


def _fit(header: list[str], body: list[list[list[str]]], width: int, boxes: bool) -> list[int] | None:
    """Column widths that fit `width`: each as wide as its longest paragraph, the widest narrowed
    first, none below its longest word. None when they cannot fit."""
    columns = range(len(header))
    longest = [max([len(header[k]), *(len(p) for row in body for p in row[k])]) for k in columns]
    floor = [max(len(header[k]), _words([p for row in body for p in row[k]]), NARROWEST_GRID_COLUMN) for k in columns]
    frame = 3 * len(header) + 1 if boxes else 2 * (len(header) - 1)
    room = width - frame
    if sum(floor) > room:
        return None
    widths = [max(a, b) for a, b in zip(longest, floor)]
    while sum(widths) > room:
        widest = max((k for k in columns if widths[k] > floor[k]), key=lambda k: widths[k])
        widths[widest] -= 1
    return widths


def _wrap(paragraphs: list[str], width: int) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        hang = "  " if p[:2] in ("• ", "- ") else ""  # a bulleted claim's lines under its text
        out += textwrap.wrap(p, width, subsequent_indent=hang, break_long_words=False, break_on_hyphens=False) or [""]
    return out


def _grid(header: list[str], body: list[list[list[str]]], widths: list[int], boxes: bool) -> list[str]:
    def rule(ends: str) -> str:
        return ends[0] + ends[1].join(BOX["h"] * (w + 2) for w in widths) + ends[2]

    def line(parts: list[str]) -> str:
        padded = [p.ljust(w) for p, w in zip(parts, widths)]
        if boxes:
            return f"{BOX['v']} " + f" {BOX['v']} ".join(padded) + f" {BOX['v']}"
        return "  ".join(padded).rstrip()

    out = [rule(BOX["top"])] if boxes else []
    out.append(line(header))
    out.append(rule(BOX["mid"]) if boxes else "  ".join("-" * w for w in widths))
    for n, row in enumerate(body):
        if n:
            out.append(rule(BOX["mid"]) if boxes else "")
        cells = [_wrap(paragraphs, w) for paragraphs, w in zip(row, widths)]
        for i in range(max(map(len, cells))):
            out.append(line([c[i] if i < len(c) else "" for c in cells]))
    if boxes:
        out.append(rule(BOX["bottom"]))
    return out


def _blocks(m: Matrix, width: int, clean: Callable[[str], str]) -> list[str]:
    """One block per fact: its id and prompt, then a line per report, its claims beside it."""
    name_width = max(len(r.id) for r in m.reports)
    indent = " " * (name_width + 4)
    out: list[str] = []
    for row in m.rows:
        if out:
            out.append("")
        mark = f" {DISPUTED_MARK}" if row.disputed else ""
        out += _fill(f"{clean(row.fact)}{mark}", width, "", "  ")
        out += _fill(clean(row.prompt), width, "  ", "  ")
        for rep in m.reports:
            cells = row.cells.get(rep.id, ())
            texts = [clean(c.text) for c in cells] or [SILENT]
            for n, text in enumerate(texts):
                first = f"  {rep.id.ljust(name_width)}  " if n == 0 else indent
                out += _fill(text, width, first, indent + " ")
    return out


def _fill(text: str, width: int, first: str, rest: str) -> list[str]:
    lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False)
    # A word longer than the whole line is the one thing split, so that no line overflows.
    if any(len(line) > width for line in lines):
        lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                              break_long_words=True, break_on_hyphens=False)
    return lines or [first.rstrip()]


def _legend(m: Matrix, width: int, clean: Callable[[str], str]) -> list[str]:
    disputed = sum(r.disputed for r in m.rows)
    out = _fill(f"{len(m.rows)} fact(s), {disputed} {DISPUTED_MARK}: the reports disagree on it. "
                "In brackets: whom the report credits; an empty cell: the report is silent.", width, "", "")
    for rep in m.reports:
        out += _fill(f"{rep.id}: {clean(rep.label)}", width, "  ", "    ")
    return out
