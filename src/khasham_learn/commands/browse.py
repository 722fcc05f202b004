"""Looking through the bank: facts, questions, and one question as the quiz shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import bank_option, echo, generated, known_topic, open_bank_at, print_json, type_option

if TYPE_CHECKING:
    from pathlib import Path


@click.command()
@bank_option
@click.option("--topic", help="Only facts of this topic.")
@click.option("--disputed", is_flag=True, help="Only facts the sources disagree on.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of facts.")
def facts(bank_dir: Path | None, topic: str | None, disputed: bool, as_json: bool) -> None:
    """List the facts, their claims and where the sources disagree.

    \b
    Examples:
      khasham-learn facts --topic battle
      khasham-learn facts --disputed
      khasham-learn facts --json | jq length
    """
    from ..views import fact_views

    bank = open_bank_at(bank_dir)
    known_topic(bank, topic)
    views = fact_views(bank, topic=topic, disputed_only=disputed)
    if as_json:
        print_json(views)
        return
    current = None
    for v in views:
        if v["topic"] != current:
            current = v["topic"]
            echo(f"\n== {v['topic_title']} ==", bold=True)
        flag = " [disputed]" if v["disputed"] else ""
        echo(f"\n{v['id']}{flag}", fg="cyan")
        echo(f"  {v['prompt']}")
        for c in v["claims"]:
            cited = f", citing {c['attributed_to']}" if c["attributed_to"] else ""
            qualifier = f" ({c['qualifier']})" if c.get("qualifier") else ""
            wrong = f"  [shown wrong: {c['wrong']}]" if c.get("wrong") else ""
            echo(f"  - {c['value']}{qualifier}: {c['source']}{cited}{wrong}")
        if v["note"]:
            echo(f"  {v['note']}", fg="yellow")


@click.command()
@bank_option
@click.option("--topic", help="Only questions of this topic.")
@type_option
@click.option("--disputed", is_flag=True, help="Only questions on facts the sources disagree on.")
@click.option("--all", "include_disabled", is_flag=True, help="Include questions a teacher switched off.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of questions.")
def questions(bank_dir: Path | None, topic: str | None, qtype: str | None, disputed: bool,
              include_disabled: bool, as_json: bool) -> None:
    """List the generated question bank.

    \b
    Examples:
      khasham-learn questions --topic casualties
      khasham-learn questions --type choice --json
    """
    from ..views import select

    bank, everything = generated(bank_dir)
    known_topic(bank, topic)
    pool = everything if include_disabled else [q for q in everything if q.enabled]
    selected = select(pool, topic=topic, qtype=qtype, disputed_only=disputed)
    if as_json:
        print_json([q.to_dict() for q in selected])
        return
    from ..notetable import note_table, terminal_width, text_lines
    from ..quiz import inert

    width = terminal_width()
    for q in selected:
        flag = " [disputed]" if q.disputed else ""
        off = " [off]" if not q.enabled else ""
        echo(f"{inert(q.id)} ({q.type}){flag}{off}", fg="cyan")
        echo(f"  Q: {inert(q.prompt)}")
        if q.choices:
            echo(f"     choices: {inert(' | '.join(q.choices))}")
        echo(f"  A: {inert(q.answer)}")
        table = note_table(q) if q.note else None
        if table is not None:  # where the reports differ: who says what, the title in colour
            title, *rows = text_lines(table, width, clean=inert)
            echo(title, fg="yellow")
            for row in rows:
                echo(row)
        elif q.note:
            echo(f"  {inert(q.note)}", fg="yellow")


@click.command(name="preview")
@click.argument("question_id", metavar="ID")
@bank_option
@click.option("--quotes", is_flag=True, help="Show the reports' quotes in the feedback, as quiz --quotes does.")
def preview_command(question_id: str, bank_dir: Path | None, quotes: bool) -> None:
    """Show one question as the quiz asks it, then its feedback on a right answer.

    \b
    Examples:
      khasham-learn preview attack-start-time.direct
      khasham-learn preview crowd-size.which.gazette --bank my-bank --quotes
    """
    from ..preview import preview, render

    for line in render(preview(open_bank_at(bank_dir), question_id, with_quotes=quotes)):
        echo(line)


@click.command()
@click.argument("fact_id", required=False, metavar="[FACT]")
@bank_option
@click.option("--topic", help="Only facts of this topic.")
@click.option("--disputed", is_flag=True, help="Only facts the reports disagree on.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array: a row per fact, its cells by report.")
@click.option("--plain", is_flag=True, help="No box drawing: columns of plain text.")
def compare(fact_id: str | None, bank_dir: Path | None, topic: str | None, disputed: bool, as_json: bool, plain: bool) -> None:
    """The reports side by side: a row per fact, a column per report.

    Each cell is what that report says, with whom it credits in brackets; an empty cell means the
    report is silent; [disputed] marks the facts the reports disagree on. The matrix fits the
    terminal's width (or COLUMNS); too narrow for columns, it shows one block per fact.

    \b
    Examples:
      khasham-learn compare --topic casualties
      khasham-learn compare pro-government-killed
      khasham-learn compare --disputed --plain
      COLUMNS=60 khasham-learn compare --topic battle
      khasham-learn compare --json | jq '.[] | select(.disputed) | .fact'
    """
    from ..compare import matrix, text_lines, to_json

    bank = open_bank_at(bank_dir)
    known_topic(bank, topic)
    found = matrix(bank, fact_id=fact_id, topic=topic, disputed_only=disputed)
    if as_json:
        print_json(to_json(found))
        return
    from ..notetable import terminal_width
    from ..quiz import inert

    for line in text_lines(found, terminal_width(), boxes=not plain, clean=inert):
        echo(line)


@click.command()
@bank_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the night's events and the wider events.")
def timeline(bank_dir: Path | None, as_json: bool) -> None:
    """The night's events and the wider events in order, with each report's time or date.

    The night comes from the facts with a clock time and the events the reports place after them;
    the wider events from the date facts that name an event. Where the reports disagree on a time,
    each value is listed with the report (and the party it cites) that gives it.

    \b
    Examples:
      khasham-learn timeline
      khasham-learn timeline --json | jq '.night[].event'
    """
    from ..timeline import text_lines, timeline as build, to_json

    bank = open_bank_at(bank_dir)
    found = build(bank)
    if as_json:
        print_json(to_json(found))
        return
    from ..notetable import terminal_width
    from ..quiz import inert

    for line in text_lines(found, terminal_width(), clean=inert):
        if line.endswith(":") and not line.startswith(" "):  # a section's title
            echo(line, bold=True)
        else:
            echo(line)
