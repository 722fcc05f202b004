"""A printable worksheet as one self-contained HTML file, and its answer key in a second one; with
the `compare` option, a third page: the reports side by side and the timeline, to project or print.

No scripts, fonts or images from elsewhere: the files open offline and print cleanly (each topic
keeps its questions together, no page break inside a question). Every text from the bank is escaped.
"""

from __future__ import annotations

from html import escape as _escape
from pathlib import Path

from ..generation import Question
from ..model import Bank
from . import ExportJob, write_atomically
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

SUFFIX = ".html"
# Why `-o -` is refused: one stdout cannot hold two files.
NOT_TO_STDOUT = "it writes two files, the worksheet and its answer key"

STYLE = """\
body { font-family: Georgia, "Times New Roman", serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #111; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #999; margin-top: 2rem; }
ol { padding-left: 1.5rem; } li.q { margin-bottom: 1.1rem; break-inside: avoid; page-break-inside: avoid; }
li.q > p:first-of-type { margin-right: 5.5rem; } .pts { float: right; white-space: nowrap; color: #333; font-size: 0.9rem; }
ul.choices { list-style: none; padding-left: 0.5rem; } ul.choices li::before { content: "\\2610\\00a0\\00a0"; }
table.key { border-collapse: collapse; font-size: 0.95rem; } table.key th, table.key td { border-bottom: 1px solid #bbb; padding: 0.1rem 0.8rem 0.1rem 0; text-align: left; vertical-align: top; }
table.key tr { break-inside: avoid; page-break-inside: avoid; } section.key + section.key { break-before: page; page-break-before: always; }
h2.notes { break-before: page; page-break-before: always; }
@page { margin: 1.6cm 1.6cm 2cm; @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: Georgia, serif; font-size: 9pt; color: #444; } }
.line { display: block; border-bottom: 1px solid #444; height: 1.6rem; max-width: 30rem; }
.name { margin: 1rem 0 1.5rem; } .id { color: #666; font-size: 0.8rem; font-family: monospace; }
.note { background: #f3f3f3; padding: 0.3rem 0.5rem; } .who p, .quotes-title { margin: 0.3rem 0 0.2rem; }
.kl-who { border-collapse: collapse; font-size: 0.92rem; line-height: 1.3; } .kl-who th { text-align: left; font-weight: normal; font-style: italic; color: #555; padding: 0 1rem 0.1rem 0; }
.kl-who td { vertical-align: top; padding: 0.2rem 1rem 0.2rem 0; border-top: 1px solid #ccc; } .kl-who td:first-child { font-weight: bold; }
.kl-who tr.kl-more td, .kl-who tr.kl-why td { border-top: none; padding-top: 0; } .kl-who tr.kl-why td { font-weight: normal; } .kl-itself { font-style: italic; color: #555; } .kl-mark, .kl-why { color: #a00; }
.kl-measure { font-weight: normal; font-size: 0.85rem; color: #444; } .kl-remark { margin: 0.3rem 0 0; font-size: 0.92rem; }
.kl-quotes { margin: 0.2rem 0; padding-left: 1.2rem; font-size: 0.92rem; } .kl-quote { margin: 0 0 0.2rem 1rem; font-style: italic; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; page-break-after: avoid; } .note { background: none; border-left: 2px solid #666; } .kl-who td { border-top-color: #999; } }
"""


def escape(text: str) -> str:
    return _escape(one_line(text), quote=True)


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>", f"<style>\n{STYLE}</style>", "</head>", "<body>", *body, "</body>", "</html>", "",
    ])


def _ask(q: Question) -> list[str]:
    if q.type == "matching":
        # Styled inline: a sheet without matching questions keeps its style sheet as it was.
        cell = 'style="padding: 0.15rem 1.2rem 0.15rem 0; vertical-align: top"'
        rows = [f"<tr><td {cell}>{escape(left)}</td><td {cell}>{'____' if left else ''}</td><td {cell}>{escape(right)}</td></tr>"
                for left, right in match_columns(q)]
        return [f"<p>{escape(q.prompt)} <em>(write the letter of its match beside each number)</em></p>",
                '<table class="match" style="border-collapse: collapse; margin-left: 0.5rem">', *rows, "</table>"]
    if q.choices:
        hint = {"multi": " <em>(tick all that apply)</em>", "sequence": " <em>(number them in order)</em>"}.get(q.type, "")
        return [f"<p>{escape(q.prompt)}{hint}</p>", '<ul class="choices">',
                *[f"<li>{letter}. {escape(c)}</li>" for letter, c in lettered(q)], "</ul>"]
    return [f"<p>{escape(q.prompt)}</p>", '<span class="line"></span>']


def _points(q: Question) -> str:
    return f'<span class="pts">___ / {points(q)}</span>'


def worksheet(bank: Bank, version: Version) -> str:
    title = version_title(bank, version)
    body = [f"<h1>{escape(title)}</h1>",
            f'<p class="name">Name: ______________________ &nbsp; Date: ____________ &nbsp; Score: ______ / {total_points(version.questions)}</p>']
    for section in sections(bank, version.questions):
        body += [f"<h2>{escape(section.title)}</h2>", f'<ol start="{section.first}">']
        for q in section.questions:
            body += ['<li class="q">', _points(q), *_ask(q), "</li>"]
        body.append("</ol>")
    return _page(title, body)


def _who_says_what(q: Question) -> list[str]:
    """The table of who says what (shaded where the reports differ), then the quotes."""
    from ..notetable import QUOTES_TITLE, html_quotes, html_table, note_table

    table = note_table(q)
    if table is None:
        return [f'<p class="note"><strong>Note:</strong> {escape(q.note)}</p>'] if q.note else []
    shade = ' note' if table.noted else ""
    out = [f'<div class="who{shade}">']
    out += [f"<p><strong>{escape(table.title)}:</strong></p>", html_table(table, escape, sep="\n"), "</div>"]
    quotes = html_quotes(table, escape, sep="\n")
    if quotes:
        out += [f'<p class="quotes-title">{escape(QUOTES_TITLE)}:</p>', quotes]
    return out


def _compact_key(version: Version) -> list[str]:
    """Number, answer, points: a table to mark a sheet from at a glance."""
    rows = [f"<tr><td>{row.number}</td><td>{escape(row.answer)}</td><td>{row.points}</td></tr>" for row in key_rows(version)]
    return [f'<section class="key"><h2>{escape(key_title(version))}</h2>', '<table class="key">',
            "<thead><tr><th>No.</th><th>Answer</th><th>Pts</th></tr></thead>", "<tbody>", *rows, "</tbody>",
            f'<tfoot><tr><td></td><td>Total</td><td>{total_points(version.questions)}</td></tr></tfoot>', "</table></section>"]


def answer_key(bank: Bank, sheets: list[Version]) -> str:
    """The compact key of each version, then, once, each question's full answer with who says what."""
    title = f"{bank.title}: answer key"
    body = [f"<h1>{escape(title)}</h1>"]
    for version in sheets:
        body += _compact_key(version)
    body.append(f'<h2 class="notes">{escape(answers_title(sheets))}</h2>')
    for section in sections(bank, sheets[0].questions):
        body += [f"<h3>{escape(section.title)}</h3>", f'<ol start="{section.first}">']
        for q in section.questions:
            body += ['<li class="q">', f'<p>{escape(q.prompt)} <span class="id">{escape(q.id)}</span></p>',
                     f"<p><strong>Answer:</strong> {escape(full_answer(q))}</p>"]
            if also_accepted(q):
                body.append(f"<p>Also accepted: {escape('; '.join(also_accepted(q)))}</p>")
            body += [*_who_says_what(q), "</li>"]
        body.append("</ol>")
    return _page(title, body)


def export(job: ExportJob) -> list[Path]:
    written = write_sheets(job, worksheet, answer_key)
    if job.options.get("compare"):  # the whole bank side by side, whatever the questions' filters
        written.append(write_atomically(compare_path(job.output), compare_page(job.bank)))
    return written


COMPARE_STYLE = """\
body { max-width: none; margin: 1.5rem; }
table.kl-matrix { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 0.85rem; line-height: 1.3; }
.kl-matrix th, .kl-matrix td { border: 1px solid #999; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
.kl-matrix thead th { background: #eee; } .kl-matrix tbody th { font-weight: normal; width: 22%; }
.kl-matrix tr { break-inside: avoid; page-break-inside: avoid; } .kl-matrix thead { display: table-header-group; }
.kl-matrix tr.kl-disputed th, .kl-matrix tr.kl-disputed td { background: #fff4e0; }
.kl-fact { font-family: monospace; font-size: 0.8rem; color: #555; display: block; } .kl-flag { color: #a00; font-weight: bold; }
.kl-matrix ul { margin: 0; padding-left: 1rem; } .kl-party { color: #555; } .kl-wrong { color: #a00; }
ol.kl-timeline > li { margin-bottom: 0.6rem; break-inside: avoid; page-break-inside: avoid; }
.kl-when { font-weight: bold; } ol.kl-timeline ul { margin: 0.15rem 0; font-size: 0.9rem; }
@media print { body { margin: 0; font-size: 10pt; } .kl-matrix tr.kl-disputed th, .kl-matrix tr.kl-disputed td { background: none; }
  .kl-matrix tr.kl-disputed th { border-left: 3px solid #000; } h2 { break-before: page; page-break-before: always; } h2:first-of-type { break-before: auto; page-break-before: auto; } }
"""


def compare_page(bank: Bank) -> str:
    """The reports side by side and the timeline, as one page to project or print."""
    from ..compare import matrix
    from ..timeline import NIGHT_TITLE, WIDER_TITLE, timeline

    found = matrix(bank)
    title = f"{bank.title}: the reports side by side"
    body = [f"<h1>{escape(title)}</h1>",
            "<p>A row per fact, a column per report: what each report says, whom it credits in brackets; "
            'an empty cell: the report is silent; <span class="kl-flag">disputed</span>: the reports disagree.</p>']
    topics = list(dict.fromkeys(r.topic for r in found.rows))
    head = "".join(f"<th>{escape(rep.label)}</th>" for rep in found.reports)
    for topic in topics:
        body += [f"<h2>{escape(bank.topic_title(topic))}</h2>", '<table class="kl-matrix">',
                 f"<thead><tr><th>Fact</th>{head}</tr></thead>", "<tbody>"]
        for row in (r for r in found.rows if r.topic == topic):
            flag = ' <span class="kl-flag">disputed</span>' if row.disputed else ""
            cells = []
            for rep in found.reports:
                claims = row.cells.get(rep.id, ())
                tag = "li" if len(claims) > 1 else None  # several claims: a list; one: just its text
                items = "".join(_cell_item(c.value, c.party, c.wrong, tag=tag) for c in claims)
                cells.append(f"<td><ul>{items}</ul></td>" if tag else f"<td>{items}</td>")
            css = ' class="kl-disputed"' if row.disputed else ""
            body.append(f'<tr{css}><th>{escape(row.prompt)}<span class="kl-fact">{escape(row.fact)}</span>{flag}</th>{"".join(cells)}</tr>')
        body += ["</tbody>", "</table>"]
    found_timeline = timeline(bank)
    body.append(f"<h2>{escape('Timeline')}</h2>")
    for heading, entries in ((NIGHT_TITLE, found_timeline.night), (WIDER_TITLE, found_timeline.wider)):
        if not entries:
            continue
        body += [f"<h3>{escape(heading)}</h3>", '<ol class="kl-timeline">']
        for e in entries:
            flag = ' <span class="kl-flag">reports disagree</span>' if e.disputed else ""
            sources = "".join(f"<li>{_cell_item(m.value, m.who, m.wrong, tag=None)}</li>" for m in e.mentions)
            body.append(f'<li><span class="kl-when">{escape(e.when)}</span>: {escape(e.event)}{flag}<ul>{sources}</ul></li>')
        body.append("</ol>")
    return _page(title, body).replace("</style>", f"{COMPARE_STYLE}</style>", 1)


def _cell_item(value: str, party: str | None, wrong: str | None, tag: str | None = "li") -> str:
    credited = f' <span class="kl-party">({escape(party)})</span>' if party else ""
    shown_wrong = f' <span class="kl-wrong">[shown wrong: {escape(wrong)}]</span>' if wrong else ""
    text = f"{escape(value)}{credited}{shown_wrong}"
    return f"<{tag}>{text}</{tag}>" if tag else text


def compare_path(output: Path) -> Path:
    """The side-by-side page beside the worksheet: sheet.html -> sheet-compare.html."""
    return output.with_name(f"{output.stem}-compare{output.suffix}")
