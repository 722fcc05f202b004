"""Where the reports differ, as a table that reads at a glance: each value, who says it, in which report.

A question's note used to be a sentence that named every source, followed by the same sources again
with their quotes. The table is built from the question's own sources instead: one row per value
and party, the reports that carry it grouped in one cell, a claim shown wrong marked with its
reason. From the note it takes only what the sources cannot tell: its opening ("Sources disagree",
...) as the title, which values rest on one party or one report alone (disagreement.py marks them
"(only ...)"), and its sentences on list items given by one voice alone ("Given by one party only:
..."), kept under the table. The quotes are listed apart, each under its report and party once.

One table, several renderings: aligned plain text for terminals, HTML for Anki and the worksheet
key, Markdown, and plain lines for GIFT and CSV. Every rendering is a pure function of the question,
so exports stay byte-identical for the same bank.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .disagreement import unstop
from .generation import Question, SourceRef

# The openings disagreement.py gives its notes, strongest first: a timeline question's note joins
# several facts' notes, and its table takes the strongest one as its title.
OPENINGS = ("Sources disagree", "Sources spell it differently", "Sources measure different things")
UNNOTED_TITLE = "Sources"
ONLY = "only"
# disagreement.write_note's sentence on what one voice alone gives, after the list of figures.
_ALONE_SENTENCE = "Given by one "
# ... and its sentences on claims shown wrong where the sources otherwise agree.
_WRONG_SENTENCE = "Shown wrong: "
QUOTES_TITLE = "In the reports' words"
HEADER = ("Value", "Who says it", "In which report")
ITSELF = "the report itself"
THEMSELVES = "the reports themselves"
WRONG_MARK = "\u2717"  # ✗
RULE = "\u2500"  # ─, under the header

_COLUMN_GAP = 2
_NARROWEST_COLUMN = 6
_NARROWEST_TERMINAL = 40


@dataclass(frozen=True)
class Row:
    """One value as one party gives it, and every report that carries it so."""

    value: str
    party: str | None  # None: the report says it in its own voice
    reports: tuple[str, ...]
    wrong: str | None = None
    measure: str | None = None  # what the value counts, where the question's claims count different things
    alone: Literal["party", "report"] | None = None  # on a value's first row: it rests on this party or report alone

    @property
    def shown(self) -> str:
        """The value with its measure: '4 hours (the whole firefight)'."""
        return f"{self.value} ({self.measure})" if self.measure else self.value

    @property
    def who(self) -> str:
        who = self.party or (ITSELF if len(self.reports) == 1 else THEMSELVES)
        return f"{ONLY} {who}" if self.alone == "party" else who

    @property
    def report_cells(self) -> tuple[str, ...]:
        """The reports, the first marked 'only' where the value rests on this one report."""
        if self.alone == "report":
            return (f"{ONLY} {self.reports[0]}", *self.reports[1:])
        return self.reports


@dataclass(frozen=True)
class Quotes:
    """A report's exact words for one party (or for itself), each quote once."""

    report: str
    party: str | None
    texts: tuple[str, ...]

    @property
    def heading(self) -> str:
        return f"{self.report}, citing {self.party}" if self.party else self.report


@dataclass(frozen=True)
class NoteTable:
    title: str
    noted: bool  # the question has a note: the sources differ, or measure different things
    disputed: bool
    rows: tuple[Row, ...]
    quotes: tuple[Quotes, ...]
    remark: str | None = None  # what the note says beyond the table (what one voice alone gives), or a note of unknown form

    def value_starts(self) -> list[bool]:
        """Whether each row opens its value's group (the value is shown once for several parties)."""
        return [i == 0 or row.shown != self.rows[i - 1].shown for i, row in enumerate(self.rows)]


def note_table(question: Question) -> NoteTable | None:
    """The question's sources as a table; None when it has no sources."""
    if not question.sources:
        return None
    title, remark = _title(question.note)
    rows = rows_of(question.sources)
    if question.note:
        rows = _mark_alone(rows, question.note)
    return NoteTable(title=title, noted=bool(question.note), disputed=question.disputed,
                     rows=rows, quotes=quotes_of(question.sources), remark=remark)


def _title(note: str | None) -> tuple[str, str | None]:
    """The table's title and what the note says beyond the table. A claim shown wrong where the
    sources otherwise agree ("Shown wrong: ...") needs no remark: its row carries the mark and reason."""
    if not note:
        return UNNOTED_TITLE, None
    opening = next((o for o in OPENINGS if o in note), None)
    alone = note.find(_ALONE_SENTENCE)
    wrong = note.find(_WRONG_SENTENCE)
    if opening is None and alone != 0 and wrong != 0:
        return "Note", note  # a note of a form this module does not know: shown whole, never lost
    remark = note[alone:wrong] if 0 <= alone < wrong else note[alone:] if alone >= 0 else None
    return opening or UNNOTED_TITLE, remark.strip() if remark else None


def _mark_alone(rows: tuple[Row, ...], note: str) -> tuple[Row, ...]:
    """Mark the values the note says rest on one voice: disagreement.write_note writes such a value
    as '<measure>: <value> (only <voices>)'. On one party: 'only' goes before the party; on one
    report whose several parties give it: before the report."""
    out = list(rows)
    for i, row in enumerate(rows):
        if i and rows[i - 1].shown == row.shown:
            continue
        phrase = f"{row.measure}: {row.value}" if row.measure else row.value
        if not _listed_alone(phrase, note):
            continue
        group = [r for r in rows[i:] if r.shown == row.shown]
        alone: Literal["party", "report"] = "party" if len(group) == 1 else "report"
        out[i] = replace(row, alone=alone)
    return tuple(out)


def _listed_alone(phrase: str, note: str) -> bool:
    """Whether the note lists `phrase` as '<phrase> (only ...': the whole value, after the note's
    opening or a '; ' ("30" is not "about 30"). String searches, not a pattern per value: a bank
    of thousands of disputed values would compile thousands of patterns."""
    listed = f"{phrase} ({ONLY} "
    at = note.find(listed)
    while at >= 0:
        if at == 0 or note.endswith((": ", "; "), 0, at):
            return True
        at = note.find(listed, at + 1)
    return False


def _measure_key(ref: SourceRef) -> str:
    return " ".join((ref.qualifier or "").casefold().split())


def rows_of(sources: Sequence[SourceRef]) -> tuple[Row, ...]:
    """Rows grouped by value, then by party, in the order the claims come; a party's reports in one row."""
    with_measure = len({_measure_key(s) for s in sources}) > 1
    groups: dict[tuple[str, str | None], dict[tuple[str | None, str | None], list[str]]] = {}
    for s in sources:
        value = (s.value, s.qualifier if with_measure and s.qualifier else None)
        reports = groups.setdefault(value, {}).setdefault((s.attributed_to or None, s.wrong or None), [])
        if s.label not in reports:
            reports.append(s.label)
    return tuple(
        Row(value, party, tuple(reports), wrong, measure)
        for (value, measure), parties in groups.items() for (party, wrong), reports in parties.items()
    )


def quotes_of(sources: Sequence[SourceRef]) -> tuple[Quotes, ...]:
    grouped: dict[tuple[str, str | None], list[str]] = {}
    for s in sources:
        texts = grouped.setdefault((s.label, s.attributed_to or None), [])
        if s.quote and s.quote not in texts:
            texts.append(s.quote)
    return tuple(Quotes(report, party, tuple(texts)) for (report, party), texts in grouped.items() if texts)


# --- plain lines: GIFT feedback, CSV definitions -------------------------------------------------

def plain_rows(table: NoteTable) -> list[str]:
    """One line per value: 'about 10:30 p.m. — The New York Times, cited by the Newsweek report'."""
    lines: list[str] = []
    for row, starts in zip(table.rows, table.value_starts()):
        if starts:
            lines.append(f"{row.shown} \u2014 {_plain_part(row)}")
        else:
            lines[-1] += f"; {_plain_part(row)}"
    return lines


def _plain_part(row: Row) -> str:
    """'only The New York Times, cited by the Newsweek report', as disagreement.py's notes put it."""
    reports = _and(row.report_cells)
    said = f"{row.party}, cited by {reports}" if row.party else reports
    said = f"{ONLY} {said}" if row.alone == "party" else said
    return f"{said} [shown wrong: {unstop(row.wrong)}]" if row.wrong else said


def plain_quote_rows(table: NoteTable) -> list[str]:
    """'the Newsweek report, citing The New York Times: “...”', one line per report and party."""
    return [f"{q.heading}: " + " ".join(f"\u201c{t}\u201d" for t in q.texts) for q in table.quotes]


def one_line(table: NoteTable) -> str:
    """The table on one line (a CSV cell): 'Sources disagree: a — report A | b — the Times, cited by report B'."""
    remark = f". {table.remark}" if table.remark else ""
    return " ".join(f"{table.title}: {' | '.join(plain_rows(table))}{remark}".split())


def _and(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


# --- terminal: aligned columns within the terminal's width -----------------------------------------

def terminal_width() -> int:
    """COLUMNS, else the width of the terminal on stdout, else 80; never narrower than 40."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.stdout.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(columns or 80, _NARROWEST_TERMINAL)


def text_lines(table: NoteTable, width: int, indent: str = "  ", clean: Callable[[str], str] = str) -> list[str]:
    """The title, then the table in aligned columns wrapped to fit `width`; a wrong claim's reason
    on its own line under its row. `clean` makes the bank's text safe to print (quiz.inert)."""
    inner = indent + "  "
    lines = [f"{indent}{clean(table.title)}:"]
    cells: list[tuple[list[str], list[str], list[str]]] = [([HEADER[0]], [HEADER[1]], [HEADER[2]])]
    starts = table.value_starts()
    for i, row in enumerate(table.rows):
        value = clean(row.shown) if starts[i] else ""
        if row.wrong:
            value = f"{value} {WRONG_MARK}".lstrip()
        cells.append(([value], [clean(row.who)], [clean(r) for r in row.report_cells]))
    widths = _fit([max(_longest(c[k]) for c in cells) for k in range(3)], width - len(inner) - 2 * _COLUMN_GAP)
    reasons = {i + 1: row.wrong for i, row in enumerate(table.rows) if row.wrong}
    for n, row_cells in enumerate(cells):
        wrapped = [_wrap(row_cells[k], widths[k]) for k in range(3)]
        for line in range(max(map(len, wrapped))):
            parts = [(wrapped[k][line] if line < len(wrapped[k]) else "") for k in range(3)]
            text = (" " * _COLUMN_GAP).join(_pad(p, widths[k]) for k, p in enumerate(parts))
            lines.append((inner + text).rstrip())
        if n == 0:
            lines.append(inner + (" " * _COLUMN_GAP).join(RULE * w for w in widths))
        if n in reasons:
            reason = f"{WRONG_MARK} shown wrong: {clean(reasons[n] or '')}"
            lines += textwrap.wrap(reason, max(width - len(inner) - 2, 20), initial_indent=inner + "  ",
                                   subsequent_indent=inner + "    ", break_long_words=True)
    if table.remark:
        lines += textwrap.wrap(clean(table.remark), max(width - len(inner), 20), initial_indent=inner,
                               subsequent_indent=inner + "  ", break_long_words=True)
    return lines


def quote_text_lines(table: NoteTable, width: int, indent: str = "  ", clean: Callable[[str], str] = str) -> list[str]:
    """Each report (and the party it cites) once, its quotes beneath it."""
    if not table.quotes:
        return []
    lines = [f"{indent}{QUOTES_TITLE}:"]
    for q in table.quotes:
        lines.append(f"{indent}  {clean(q.heading)}:")
        for text in q.texts:
            lines += textwrap.wrap(f'"{clean(text)}"', max(width - len(indent) - 6, 20), initial_indent=indent + "    ",
                                   subsequent_indent=indent + "     ", break_long_words=True)
    return lines


def display_width(text: str) -> int:
    try:
        from wcwidth import wcswidth  # prompt_toolkit's, installed with questionary
    except ImportError:  # pragma: no cover - questionary always brings it
        return len(text)
    found = wcswidth(text)
    return found if found >= 0 else len(text)


def _longest(lines: Iterable[str]) -> int:
    return max((display_width(line) for line in lines), default=0)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def _fit(natural: list[int], room: int) -> list[int]:
    """Column widths: each as wide as its longest cell, the widest narrowed first until they fit."""
    widths = [max(w, 1) for w in natural]
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda k: widths[k])
        if widths[widest] <= _NARROWEST_COLUMN:
            break
        widths[widest] -= 1
    return widths


def _wrap(cell: list[str], width: int) -> list[str]:
    out: list[str] = []
    for line in cell:
        out += textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False) or [""]
    return out


# --- HTML: the Anki back and the worksheet key ----------------------------------------------------

def html_table(table: NoteTable, escape: Callable[[str], str], sep: str = "") -> str:
    """A compact <table class="kl-who">. A value is written once for all its parties (the rows that
    follow it leave the cell empty); a wrong claim's reason takes a full-width row under it; what
    the note says beyond the table follows it.
    `escape` is the caller's: Anki's also neutralises braces and brackets. `sep` goes between rows."""
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADER)
    body: list[str] = []
    for row, starts in zip(table.rows, table.value_starts()):
        value = escape(row.value) if starts else ""
        if row.wrong:
            value += f' <span class="kl-mark">{WRONG_MARK}</span>'
        if starts and row.measure:
            value += f'<div class="kl-measure">{escape(row.measure)}</div>'
        who = escape(row.who) if row.party else f'<span class="kl-itself">{escape(row.who)}</span>'
        reports = "<br>".join(escape(r) for r in row.report_cells)
        classes = " ".join(c for c, on in (("kl-more", not starts), ("kl-wrong", bool(row.wrong))) if on)
        attr = f' class="{classes}"' if classes else ""
        body.append(f'<tr{attr}><td>{value}</td><td>{who}</td><td>{reports}</td></tr>')
        if row.wrong:
            body.append(f'<tr class="kl-why"><td colspan="3">{WRONG_MARK} shown wrong: {escape(row.wrong)}</td></tr>')
    remark = [f'<p class="kl-remark">{escape(table.remark)}</p>'] if table.remark else []
    return sep.join(['<table class="kl-who">', f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody>", "</table>", *remark])


def html_quotes(table: NoteTable, escape: Callable[[str], str], sep: str = "") -> str:
    """<ul class="kl-quotes">: each report and party once, in bold, its quotes beneath."""
    items = []
    for q in table.quotes:
        quotes = "".join(f'<div class="kl-quote">\u201c{escape(t)}\u201d</div>' for t in q.texts)
        items.append(f"<li><strong>{escape(q.heading)}</strong>{quotes}</li>")
    return sep.join(['<ul class="kl-quotes">', *items, "</ul>"]) if items else ""


# --- Markdown: the worksheet key -----------------------------------------------------------------

def markdown_lines(table: NoteTable, escape: Callable[[str], str]) -> list[str]:
    """The title, a pipe table (blank lines around it, so it renders inside a list item) and wrong
    claims' reasons after it; the caller indents them."""
    lines = [f"**{escape(table.title)}:**", "", f"| {' | '.join(HEADER)} |", "| --- | --- | --- |"]
    for row, starts in zip(table.rows, table.value_starts()):
        value = escape(row.shown) if starts else ""
        if row.wrong:
            value = f"{value} {WRONG_MARK}".strip()
        who = escape(row.who) if row.party else f"*{escape(row.who)}*"
        lines.append(f"| {value} | {who} | {'; '.join(escape(r) for r in row.report_cells)} |")
    reasons = [f"{WRONG_MARK} {escape(r.shown)} ({escape(_and(r.reports))}), shown wrong: {escape(r.wrong)}"
               for r in table.rows if r.wrong]
    if table.remark:
        reasons.append(escape(table.remark))
    # Two trailing spaces end a Markdown line without starting a paragraph.
    return lines + (["", *[line + "  " for line in reasons[:-1]], reasons[-1]] if reasons else [])


def markdown_quote_lines(table: NoteTable, escape: Callable[[str], str]) -> list[str]:
    return [f"- {escape(q.heading)}: " + " ".join(f"\u201c{escape(t)}\u201d" for t in q.texts) for q in table.quotes]
