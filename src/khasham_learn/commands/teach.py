"""The teacher's commands: check, export, and starting or extending a bank."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .common import (
    PATH,
    bank_option,
    count_option,
    echo,
    print_json,
    question_filters,
    resolve_bank,
    seed_option,
    selected,
)

WORKSHEETS = ("html", "markdown")

if TYPE_CHECKING:
    from pathlib import Path

    from ..exports import Loss


@click.command()
@bank_option
@click.option("--sources", "sources_dir", type=PATH, metavar="DIR",
              help="Folder with the reports' texts; every quote is checked against them "
                   "(default: the bank's texts/ folder, if it has one).")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--explain", "explain_id", metavar="FACT",
              help="Instead, show why FACT was judged to agree or disagree: each pair of claims and the rule.")
def check(bank_dir: Path | None, sources_dir: Path | None, as_json: bool, explain_id: str | None) -> None:
    """Validate the bank and report every problem as file:line:col.

    Exit status: 0 clean (warnings allowed), 1 problems found, 2 unusable input.

    \b
    Examples:
      khasham-learn check
      khasham-learn check --bank my-bank          quotes checked against my-bank/texts
      khasham-learn check --sources ../shared/seeds
      khasham-learn check --explain russians-killed
    """
    from ..checking import bank_texts, check_bank_read, quotes_summary
    from ..errors import has_errors
    from ..paths import shown_path

    if explain_id is not None:
        _explain(resolve_bank(bank_dir), explain_id)
        return

    root = resolve_bank(bank_dir)
    sources_dir = bank_texts(root, sources_dir)
    problems, bank = check_bank_read(root, sources_dir)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        print_json({"errors": errors, "warnings": warnings, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            echo(str(p), fg="red" if p.severity == "error" else "yellow")
        quotes = quotes_summary(bank, sources_dir, shown_path(sources_dir) if sources_dir else "")
        summary = f"{errors} error(s), {warnings} warning(s); {quotes}"
        echo(summary if problems else f"ok: no problems; {quotes}", bold=True)
    sys.exit(1 if has_errors(problems) else 0)


def _explain(root: Path, fact_id: str) -> None:
    from ..disagreement import explain_fact
    from ..errors import UnusableInput
    from ..loading import load_bank

    bank, _ = load_bank(root)  # a bank with errors can still be explained; `check` lists them
    if bank is None:
        raise UnusableInput(f"no bank could be read from {root}")
    for line in explain_fact(bank, fact_id).lines(bank.sources):
        echo(line)


@click.command(name="export")
@click.argument("fmt", metavar="FORMAT")
@click.option("-o", "--output", type=PATH, metavar="PATH",
              help="Where to write (default: decks/<bank title>.<suffix> in the current folder); "
                   "'-' for stdout (gift, csv).")
@bank_option
@question_filters
@count_option(None, "html, markdown: how many questions on the worksheet, one form of a fact each")
@seed_option
@click.option("--versions", type=click.IntRange(1, 26), default=1, show_default=True,
              help="html, markdown: versions A, B... of the worksheet, each in its own order, with a key each.")
@click.option("--compare", "side_by_side", is_flag=True,
              help="html only: also <name>-compare.html, the reports side by side and the timeline.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the files written and, per question, what the format could not carry, as JSON.")
# Removed when Kahoot got its own export; kept hidden so that old scripts get a hint, not "No such option".
@click.option("--kahoot", "old_kahoot", is_flag=True, hidden=True)
def export_command(fmt: str, output: Path | None, bank_dir: Path | None, topic: str | None, tag: str | None,
                   qtype: str | None, disputed: bool, count: int | None, seed: str | None, versions: int,
                   side_by_side: bool, as_json: bool, old_kahoot: bool) -> None:
    """Export the question bank: FORMAT is one of anki, gift, moodlexml, canvas, markdown, html, csv, kahoot.

    What a format cannot carry of the quiz's grading is reported per question after the export.

    The build time comes from SOURCE_DATE_EPOCH when set, else from the bank's last change,
    so the same bank gives the same file.

    \b
    Examples:
      khasham-learn export anki                      decks/<title>.apkg, ready to import, and
                                                     its .manifest.json (commit both)
      khasham-learn export anki --topic casualties -o casualties.apkg
      khasham-learn export gift                      Moodle: Question bank > Import > GIFT
      khasham-learn export moodlexml                 Moodle XML: numbers with units, refusals first
      khasham-learn export canvas                    Canvas: Import course content > QTI .zip file
      khasham-learn export html                      worksheet and answer key, to print
      khasham-learn export html --count 20 --seed 3 --versions 2   a lesson's sheets A and B, a key each
      khasham-learn export html --compare            and the reports side by side, to project
      khasham-learn export markdown --topic battle   the same in Markdown
      khasham-learn export csv                       Quizlet: term, definition
      khasham-learn export kahoot                    Kahoot's .xlsx template; what does not fit is listed
    """
    from ..exports import export, writes_to_stdout

    if old_kahoot:
        from ..errors import UsageMistake

        raise UsageMistake("--kahoot is gone: Kahoot has its own export, its .xlsx template; run "
                           "'khasham-learn export kahoot' (-o NAME.xlsx)")
    bank, everything, chosen = selected(bank_dir, topic, tag, qtype, disputed)
    if side_by_side and fmt != "html":
        raise click.UsageError("--compare is for the html export only")
    sheet = {"count": count, "seed": seed, "versions": versions if versions > 1 else None}
    given = [f"--{name}" for name, value in sheet.items() if value is not None]
    if given and fmt not in WORKSHEETS:
        raise click.UsageError(f"{', '.join(given)}: for the worksheets ({', '.join(WORKSHEETS)}) only")
    options: dict[str, object] = {name: value for name, value in sheet.items() if value is not None}
    if side_by_side:
        options["compare"] = True
    if as_json and output is not None and writes_to_stdout(output):
        raise click.UsageError("--json prints to stdout, where this export goes too; give -o a file")
    losses: list[Loss] = []
    written = export(fmt, bank, chosen, output, losses=losses,
                     bank_questions=[q for q in everything if q.enabled], **options)
    if as_json:
        print_json({"format": fmt, "written": [str(p) for p in written], "not_carried": [loss.to_dict() for loss in losses]})
        return
    for path in written:
        if not writes_to_stdout(path):  # the export itself is on stdout: a note would corrupt it
            echo(f"wrote {path}")
    for line in loss_report(fmt, losses):  # on stderr: stdout may hold the export itself
        click.echo(line, err=True)


# Ids shown per kind of loss on stderr; --json lists every one.
LOSS_EXAMPLES = 3


def loss_report(fmt: str, losses: list[Loss]) -> list[str]:
    """What the format could not carry: a line per kind of loss with how many questions it concerns
    and a few of them, short enough to read after every export."""
    if not losses:
        return []
    by_what: dict[str, list[str]] = {}
    for loss in losses:
        by_what.setdefault(loss.what, []).append(loss.question)
    questions = len({loss.question for loss in losses})
    lines = [f"{fmt} could not carry all of the quiz's grading for {questions} question(s):"]
    for what, ids in by_what.items():
        shown = ", ".join(ids[:LOSS_EXAMPLES])
        more = f" \u2026 and {len(ids) - LOSS_EXAMPLES} more; --json lists them all" if len(ids) > LOSS_EXAMPLES else ""
        lines.append(f"- {what} ({len(ids)}): {shown}{more}")
    return lines


@click.command()
@click.argument("kind", required=False, metavar="[KIND]")
def schema(kind: str | None) -> None:
    """Print the JSON Schema of a kind of bank file, or list the kinds.

    Editors with the YAML language server (VS Code's YAML extension, Neovim, Helix, Zed...) use it
    to complete keys and underline mistakes; see docs/teaching.md.

    \b
    Examples:
      khasham-learn schema                 the kinds and their files
      khasham-learn schema facts > facts.schema.json
    """
    from ..schema import FILE_KINDS, SCHEMA_DIR, schema_text

    if kind is not None:
        click.echo(schema_text(kind), nl=False)
        return
    for k in FILE_KINDS:
        echo(f"{k.name:<10} {k.pattern:<20} {k.what}")
    echo(f"\nThe files are in {SCHEMA_DIR}")


@click.command()
@click.argument("directory", type=PATH, metavar="DIR")
def init(directory: Path) -> None:
    """Start a new bank in DIR: an invented example topic to replace with your own.

    DIR must be new or empty. The bank passes `check`; its reports' texts are in DIR/texts and the
    editor schemas in DIR/.schemas. The guide: docs/teaching.md.

    \b
    Examples:
      khasham-learn init my-bank
      khasham-learn check --bank my-bank
      export KHASHAM_LEARN_BANK=my-bank; khasham-learn quiz
    """
    from ..paths import shown_path
    from ..scaffold import init_bank

    init_bank(directory)
    where = shown_path(directory)
    echo(f"created a bank in {where}; next:")
    echo(f"  khasham-learn check --bank {where}   (quotes are checked against {shown_path(directory / 'texts')})")
    echo(f"  khasham-learn quiz --bank {where}")


@click.command()
@click.argument("what", type=click.Choice(["fact", "question"]))
@click.option("--topic", required=True, help="The topic (facts/<topic>.yaml); a new one for a fact starts a new file.")
@click.option("--id", "item_id", metavar="ID", help="The new id (default: a fresh one to rename).")
@click.option("--fact", "fact_id", metavar="FACT", help="question only: the fact it asks about (default: the topic's first).")
@click.option("--append", is_flag=True, help="Add it to the end of facts/<topic>.yaml or questions.yaml.")
@bank_option
def new(what: str, topic: str, item_id: str | None, fact_id: str | None, append: bool, bank_dir: Path | None) -> None:
    """Print a template for a new fact or question, with a fresh id; --append adds it to its file.

    Every TODO in it is reported by `check` until you fill it in.

    \b
    Examples:
      khasham-learn new fact --topic opening --bank my-bank
      khasham-learn new fact --topic opening --id ribbon-colour --append --bank my-bank
      khasham-learn new question --topic opening --append --bank my-bank
    """
    from ..paths import shown_path
    from ..scaffold import append as append_template
    from ..scaffold import new_fact, new_question, printed

    root = resolve_bank(bank_dir)
    if what == "fact":
        template = new_fact(root, topic, item_id)
    else:
        template = new_question(root, topic, fact_id, item_id)
    if not append:
        click.echo(printed(template), nl=False)
        return
    path = append_template(template)
    echo(f"added to {shown_path(path)}; fill in each TODO, then run 'khasham-learn check'")
