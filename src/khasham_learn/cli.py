"""The command line: a thin layer over the library, turning every error into one line and an exit code."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from . import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from .generation import Question
    from .model import Bank
    from .store import Store

BANK_HELP = "Bank folder (default: the bundled bank; or set KHASHAM_LEARN_BANK)."


class _Path(click.ParamType):
    """A path, as pathlib.Path; pathlib is imported when a path is given, not for --help."""

    name = "path"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return value if isinstance(value, Path) else Path(value)


PATH = _Path()


class Cli(click.Group):
    """Reports our errors and Ctrl-C as one line; a traceback only with KHASHAM_LEARN_DEBUG=1."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import KhashamError  # here, not at the top: `--help` never needs it

        try:
            return super().invoke(ctx)
        except KhashamError as exc:
            click.echo(f"khasham-learn: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("khasham-learn: interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise
        except OSError as exc:  # a path the system refuses (too long, no permission...)
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"khasham-learn: error: cannot use{where}: {exc.strerror or exc}", err=True)
            ctx.exit(2)
        except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("KHASHAM_LEARN_DEBUG"):
                raise
            click.echo(f"khasham-learn: internal error: {type(exc).__name__}: {exc} (set KHASHAM_LEARN_DEBUG=1 for details)", err=True)
            ctx.exit(3)


def use_color() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


def echo(text: str = "", **style: Any) -> None:
    click.echo(click.style(text, **style) if style and use_color() is not False else text, color=use_color())


def bank_option(f: Any) -> Any:
    return click.option(
        "--bank", "bank_dir", envvar="KHASHAM_LEARN_BANK", type=PATH,
        default=None, metavar="DIR", help=BANK_HELP,
    )(f)


def question_filters(f: Any) -> Any:
    """The filters quiz, review and every export share."""
    for option in reversed([
        click.option("--topic", help="Only questions of this topic."),
        click.option("--tag", help="Only questions with this tag."),
        click.option("--type", "qtype", metavar="TYPE",
                     help="Only questions of this type (free, numeric, choice, multi, true_false, which_report, cloze)."),
        click.option("--disputed", is_flag=True, help="Only facts the sources disagree on."),
    ]):
        f = option(f)
    return f


def store_option(f: Any) -> Any:
    return click.option(
        "--store", "store_path", envvar="KHASHAM_LEARN_STORE", type=PATH, default=None,
        metavar="PATH", help="Progress file (default: in your data folder; or set KHASHAM_LEARN_STORE).",
    )(f)


def resolve_bank(bank_dir: Path | None) -> Path:
    from .paths import bundled_bank

    return bank_dir if bank_dir is not None else bundled_bank()


def print_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="khasham-learn")
def cli() -> None:
    """Learn the clash near Khasham, Syria (7-8 February 2018) from the reports that covered it.

    \b
    Examples:
      khasham-learn quiz                              a 10-question quiz
      khasham-learn review                            what is due, spaced repetition
      khasham-learn stats                             your progress
      khasham-learn check --sources ../shared/seeds   validate the bank and every quote
      khasham-learn facts --topic casualties          what each report says
      khasham-learn questions --json                  the generated bank, for scripts
    """


@cli.command()
@bank_option
@click.option("--sources", "sources_dir", type=PATH, metavar="DIR",
              help="Folder with the reports' texts; every quote is checked against them.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def check(bank_dir: Path | None, sources_dir: Path | None, as_json: bool) -> None:
    """Validate the bank and report every problem as file:line:col.

    Exit status: 0 clean (warnings allowed), 1 problems found, 2 unusable input.

    \b
    Examples:
      khasham-learn check
      khasham-learn check --bank my-bank --sources my-bank/texts
    """
    from .checking import check_bank
    from .errors import has_errors

    problems = check_bank(resolve_bank(bank_dir), sources_dir)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if as_json:
        print_json({"errors": errors, "warnings": warnings, "problems": [p.to_dict() for p in problems]})
    else:
        for p in problems:
            echo(str(p), fg="red" if p.severity == "error" else "yellow")
        quotes = "quotes checked" if sources_dir else "quotes not checked (add --sources DIR)"
        summary = f"{errors} error(s), {warnings} warning(s); {quotes}"
        echo(summary if problems else f"ok: no problems; {quotes}", bold=True)
    sys.exit(1 if has_errors(problems) else 0)


@cli.command()
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
    from .views import fact_views

    bank = _open(bank_dir)
    _known_topic(bank, topic)
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


@cli.command()
@bank_option
@click.option("--topic", help="Only questions of this topic.")
@click.option("--type", "qtype", help="Only questions of this type (free, numeric, choice, ...).")
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
    from .views import select

    bank, everything = _generated(bank_dir)
    _known_topic(bank, topic)
    pool = everything if include_disabled else [q for q in everything if q.enabled]
    selected = select(pool, topic=topic, qtype=qtype, disputed_only=disputed)
    if as_json:
        print_json([q.to_dict() for q in selected])
        return
    for q in selected:
        flag = " [disputed]" if q.disputed else ""
        off = " [off]" if not q.enabled else ""
        echo(f"{q.id} ({q.type}){flag}{off}", fg="cyan")
        echo(f"  Q: {q.prompt}")
        if q.choices:
            echo(f"     choices: {' | '.join(q.choices)}")
        echo(f"  A: {q.answer}")
        if q.note:
            echo(f"  {q.note}", fg="yellow")


@cli.command()
@bank_option
@question_filters
@click.option("--count", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="How many questions.")
@click.option("--seed", help="Same seed, same questions in the same order.")
@store_option
@click.option("--schedule", is_flag=True, help="Let these answers move the spaced-repetition schedule too.")
@click.option("--plain", is_flag=True, help="Numbered prompts read line by line (automatic when not in a terminal).")
@click.option("--quotes", is_flag=True, help="Always show the reports' quotes (in a terminal they are offered after each answer).")
def quiz(bank_dir: Path | None, topic: str | None, tag: str | None, qtype: str | None, disputed: bool,
         count: int, seed: str | None, store_path: Path | None, schedule: bool, plain: bool, quotes: bool) -> None:
    """Practice: a quiz with the sources and where they disagree after each answer.

    Every answer is saved to your progress; the review schedule moves only with --schedule.

    \b
    Examples:
      khasham-learn quiz
      khasham-learn quiz --topic casualties --count 5
      khasham-learn quiz --disputed --seed 1 --plain < answers.txt
    """
    from .quiz import pick

    bank, pool = _selected(bank_dir, topic, tag, qtype, disputed)
    if not pool:
        from .errors import KhashamError

        raise KhashamError("no questions match those filters")
    with _store(store_path) as store:
        _take(bank, pick(pool, count, seed), store, mode="quiz", schedule=schedule, plain=plain, quotes=quotes)


@cli.command()
@bank_option
@question_filters
@click.option("--new", "new_per_day", type=click.IntRange(min=0), default=10, show_default=True,
              help="New questions to introduce per day.")
@store_option
@click.option("--plain", is_flag=True, help="Numbered prompts read line by line (automatic when not in a terminal).")
@click.option("--quotes", is_flag=True, help="Always show the reports' quotes.")
def review(bank_dir: Path | None, topic: str | None, tag: str | None, qtype: str | None, disputed: bool,
           new_per_day: int, store_path: Path | None, plain: bool, quotes: bool) -> None:
    """Spaced repetition: the questions that are due, what you missed, and a few new ones.

    Scheduled with FSRS; a right but slow answer counts for less than a quick one.

    \b
    Examples:
      khasham-learn review
      khasham-learn review --new 20 --topic battle
    """
    from .scheduling import now_utc, plan_review

    bank, pool = _selected(bank_dir, topic, tag, qtype, disputed)
    with _store(store_path) as store:
        plan = plan_review(pool, store.cards(), store.answers(), now_utc(), new_per_day)
        if not plan.questions:
            when = f" The next is due {plan.next_due.astimezone():%a %d %b %H:%M}." if plan.next_due else ""
            echo(f"Nothing is due now.{when}")
            return
        echo(f"{len(plan.due)} due, {len(plan.missed)} missed in practice, {len(plan.new)} new.")
        _take(bank, plan.questions, store, mode="review", schedule=True, plain=plain, quotes=quotes)


@cli.command()
@bank_option
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (its key 'answered' counts the answers).")
def stats(bank_dir: Path | None, store_path: Path | None, as_json: bool) -> None:
    """Your progress: answers, accuracy by topic, what is due, the weakest facts.

    \b
    Examples:
      khasham-learn stats
      khasham-learn stats --json | jq .accuracy
    """
    from .scheduling import now_utc
    from .stats import describe, progress

    bank, everything = _generated(bank_dir)
    with _store(store_path) as store:
        report = progress(bank, [q for q in everything if q.enabled], store.answers(), store.cards(), now_utc())
    if as_json:
        print_json(report)
        return
    for line in describe(report):
        echo(line)


def _store(store_path: Path | None) -> Store:
    from .store import open_store

    return open_store(store_path, notice=lambda text: click.echo(text, err=True))


def _take(bank: Bank, questions: list[Question], store: Store, *, mode: str, schedule: bool,
          plain: bool, quotes: bool) -> None:
    """Runs a session, saving each answer before its feedback; Ctrl-C or end of input keeps them all."""
    from .errors import KhashamError
    from .quiz import PlainPrompter, Session, TerminalPrompter, run, summary
    from .scheduling import recorder

    interactive = not plain and sys.stdin.isatty() and sys.stdout.isatty()
    prompter = TerminalPrompter() if interactive else PlainPrompter()
    session = Session(questions)
    code = 0
    on_answer = recorder(store, mode=mode, schedule=schedule)
    try:
        run(session, prompter, with_quotes=quotes, offer_quotes=interactive, on_answer=on_answer)
        if session.missed and interactive and prompter.confirm("Go over the missed questions again?"):
            again = Session([a.question for a in session.missed])
            run(again, prompter, with_quotes=quotes, offer_quotes=interactive,
                on_answer=recorder(store, mode="quiz", schedule=False))
    except KeyboardInterrupt:
        prompter.show("\nInterrupted.")
        code = 130
    except EOFError:
        prompter.show("\nEnd of input.")
    except KhashamError:  # the store failed mid-session: the summary first, then the one-line error
        for line in summary(session, bank.topic_title):
            prompter.show(line)
        raise
    for line in summary(session, bank.topic_title):
        prompter.show(line)
    if session.answers:
        prompter.show(f"Saved {len(session.answers)} answer(s) to {store.path}.")
    sys.exit(code)


@cli.command(name="export")
@click.argument("fmt", metavar="FORMAT")
@click.option("-o", "--output", type=PATH, metavar="PATH",
              help="Where to write (default: decks/<bank title>.<suffix> in the current folder).")
@bank_option
@question_filters
@click.option("--kahoot", is_flag=True, help="csv only: Kahoot's spreadsheet columns and limits.")
def export_command(fmt: str, output: Path | None, bank_dir: Path | None, topic: str | None, tag: str | None,
                   qtype: str | None, disputed: bool, kahoot: bool) -> None:
    """Export the question bank: FORMAT is one of anki, gift, markdown, html, csv.

    The build time comes from SOURCE_DATE_EPOCH when set, else from the bank's last change,
    so the same bank gives the same file.

    \b
    Examples:
      khasham-learn export anki                      decks/<title>.apkg, ready to import
      khasham-learn export anki --topic casualties -o casualties.apkg
      khasham-learn export gift                      Moodle: Question bank > Import > GIFT
      khasham-learn export html                      worksheet and answer key, to print
      khasham-learn export markdown --topic battle   the same in Markdown
      khasham-learn export csv                       Quizlet: term, definition
      khasham-learn export csv --kahoot              Kahoot's columns; what does not fit is listed
    """
    from .exports import export

    bank, selected = _selected(bank_dir, topic, tag, qtype, disputed)
    options = {"kahoot": True} if kahoot else {}
    for path in export(fmt, bank, selected, output, **options):
        echo(f"wrote {path}")


@cli.command()
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
    from .schema import FILE_KINDS, SCHEMA_DIR, schema_text

    if kind is not None:
        click.echo(schema_text(kind), nl=False)
        return
    for k in FILE_KINDS:
        echo(f"{k.name:<10} {k.pattern:<20} {k.what}")
    echo(f"\nThe files are in {SCHEMA_DIR}")


@cli.command()
@click.argument("directory", type=PATH, metavar="DIR")
def init(directory: Path) -> None:
    """Start a new bank in DIR: an invented example topic to replace with your own.

    DIR must be new or empty. The bank passes `check`; its reports' texts are in DIR/texts and the
    editor schemas in DIR/.schemas. The guide: docs/teaching.md.

    \b
    Examples:
      khasham-learn init my-bank
      khasham-learn check --bank my-bank --sources my-bank/texts
      export KHASHAM_LEARN_BANK=my-bank; khasham-learn quiz
    """
    from .loading import shown_path
    from .scaffold import init_bank

    init_bank(directory)
    where = shown_path(directory)
    echo(f"created a bank in {where}; next:")
    echo(f"  khasham-learn check --bank {where} --sources {shown_path(directory / 'texts')}")
    echo(f"  khasham-learn quiz --bank {where}")


@cli.command()
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
    from .loading import shown_path
    from .scaffold import append as append_template
    from .scaffold import new_fact, new_question

    root = resolve_bank(bank_dir)
    if what == "fact":
        template = new_fact(root, topic, item_id)
    else:
        template = new_question(root, topic, fact_id, item_id)
    if not append:
        click.echo(template.text, nl=False)
        return
    path = append_template(template)
    echo(f"added to {shown_path(path)}; fill in each TODO, then run 'khasham-learn check'")


@cli.command(name="preview")
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
    from .preview import preview, render

    for line in render(preview(_open(bank_dir), question_id, with_quotes=quotes)):
        echo(line)


def _selected(bank_dir: Path | None, topic: str | None, tag: str | None, qtype: str | None,
              disputed: bool) -> tuple[Bank, list[Question]]:
    from .views import select

    bank, everything = _generated(bank_dir)
    _known_topic(bank, topic)
    enabled = [q for q in everything if q.enabled]
    return bank, select(enabled, topic=topic, qtype=qtype, tag=tag, disputed_only=disputed)


def _generated(bank_dir: Path | None) -> tuple[Bank, list[Question]]:
    """The bank and every generated question, from the cache when the bank has not changed."""
    from .cache import generated_bank

    return generated_bank(resolve_bank(bank_dir))


def _known_topic(bank: Bank, topic: str | None) -> None:
    from .yamlread import did_you_mean

    topics = [t.id for t in bank.topics]
    if topic and topic not in topics:
        from .errors import KhashamError

        raise KhashamError(f"no topic '{topic}'{did_you_mean(topic, topics)}; topics: {', '.join(topics)}")


def _open(bank_dir: Path | None) -> Bank:
    from .loading import open_bank

    return open_bank(resolve_bank(bank_dir))


def main() -> None:
    # Text a terminal cannot encode or a pipe cannot decode is replaced, never a crash.
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    cli(prog_name="khasham-learn")  # click ends a broken pipe (`... | head`) quietly


if __name__ == "__main__":
    main()
