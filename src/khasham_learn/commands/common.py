"""What the commands share: the common options, output that honours NO_COLOR, and opening the bank."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from ..model import ALL_QUESTION_TYPES, QUESTION_TYPE_HELP

if TYPE_CHECKING:
    from pathlib import Path

    from ..generation import Question
    from ..model import Bank
    from ..store import Store

BANK_HELP = (
    "Bank folder (default: the bank you are in, this folder or one above it with bank.yaml, sources.yaml and facts/, "
    "else the bundled bank; or set KHASHAM_LEARN_BANK)."
)


class _Path(click.ParamType):
    """A path, as pathlib.Path; pathlib is imported when a path is given, not for --help."""

    name = "path"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from pathlib import Path

        return value if isinstance(value, Path) else Path(value)


PATH = _Path()


def use_color() -> bool | None:
    return False if os.environ.get("NO_COLOR") else None


def echo(text: str = "", **style: Any) -> None:
    """A line for the terminal; bank text in it is made inert first (check should have refused it,
    but a bank may be run unchecked), and only then styled."""
    from ..controls import inert

    text = inert(text)
    click.echo(click.style(text, **style) if style and use_color() is not False else text, color=use_color())


def print_json(data: object) -> None:
    import json

    from ..controls import escape_for_json

    # json escapes C0 itself; C1 and bidi characters are written as \uXXXX too, the same data.
    click.echo(escape_for_json(json.dumps(data, ensure_ascii=False, indent=2)))


def bank_option(f: Any) -> Any:
    # Eager, so that `quiz --bank DIR --help` lists that bank's topics (WithTopics): --help is
    # eager too, and eager options are taken in the order typed.
    return click.option(
        "--bank", "bank_dir", envvar="KHASHAM_LEARN_BANK", type=PATH, is_eager=True,
        default=None, metavar="DIR", help=BANK_HELP,
    )(f)


class QuestionType(click.Choice):
    """A question type, as --type takes it; "ordering" (and "order") name the sequence type, as
    teachers call it."""

    ALIASES = {"ordering": "sequence", "order": "sequence"}

    def __init__(self) -> None:
        super().__init__(ALL_QUESTION_TYPES)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(self.ALIASES.get(str(value).lower(), value), param, ctx)


def type_option(f: Any) -> Any:
    return click.option("--type", "qtype", metavar="TYPE", type=QuestionType(),
                        help="Only questions of this type: " + "; ".join(
                            f"{name} ({what})" for name, what in QUESTION_TYPE_HELP.items()) + ".")(f)


def question_filters(f: Any) -> Any:
    """The filters quiz, review and every export share."""
    for option in reversed([
        click.option("--topic", help="Only questions of this topic."),
        click.option("--tag", help="Only questions with this tag."),
        type_option,
        click.option("--disputed", is_flag=True, help="Only facts the sources disagree on."),
    ]):
        f = option(f)
    return f


class WithTopics(click.Command):
    """A command whose help ends with the bank's topics, for --topic: the bank named by --bank
    (before --help) or KHASHAM_LEARN_BANK, else the one you are in or the bundled one, from the
    cache when unchanged."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        import os

        try:
            chosen = ctx.params.get("bank_dir")  # given before --help (see bank_option)
            if chosen is None and os.environ.get("KHASHAM_LEARN_BANK"):
                chosen = PATH.convert(os.environ["KHASHAM_LEARN_BANK"], None, None)
            bank, _ = generated(chosen)
        except Exception:  # a broken bank: its error belongs to the command, not to --help
            return
        with formatter.section("Topics (--topic)"):
            formatter.write_dl([(t.id, t.title) for t in bank.topics])


def count_option(default: int | None, what: str = "How many questions.") -> Any:
    """--count, as the quiz takes it; `default` None: all that the other options leave."""
    return click.option("--count", "-n", type=click.IntRange(min=1), default=default, show_default=default is not None,
                        help=what if default is not None else f"{what} (default: all)")


def seed_option(f: Any) -> Any:
    return click.option("--seed", help="Same seed, same questions in the same order.")(f)


def store_option(f: Any) -> Any:
    return click.option(
        "--store", "store_path", envvar="KHASHAM_LEARN_STORE", type=PATH, default=None,
        metavar="PATH", help="Progress file (default: in your data folder; or set KHASHAM_LEARN_STORE).",
    )(f)


def resolve_bank(bank_dir: Path | None) -> Path:
    from pathlib import Path

    from ..paths import bank_around, bundled_bank

    if bank_dir is not None:
        return bank_dir
    return bank_around(Path.cwd().absolute()) or bundled_bank()


def open_bank_at(bank_dir: Path | None) -> Bank:
    from ..loading import open_bank

    return open_bank(resolve_bank(bank_dir))


def generated(bank_dir: Path | None) -> tuple[Bank, list[Question]]:
    """The bank and every generated question, from the cache when the bank has not changed."""
    from ..cache import generated_bank

    return generated_bank(resolve_bank(bank_dir))


def selected(bank_dir: Path | None, topic: str | None, tag: str | None, qtype: str | None,
             disputed: bool) -> tuple[Bank, list[Question], list[Question]]:
    """The bank, every generated question (switched-off ones included) and the enabled ones the filters pick."""
    from ..views import select

    bank, everything = generated(bank_dir)
    known_topic(bank, topic)
    enabled = [q for q in everything if q.enabled]
    return bank, everything, select(enabled, topic=topic, qtype=qtype, tag=tag, disputed_only=disputed)


def known_topic(bank: Bank, topic: str | None) -> None:
    topics = [t.id for t in bank.topics]
    if topic and topic not in topics:
        from ..errors import KhashamError
        from ..yamlread import did_you_mean  # only now: it loads the YAML parser, which a cached bank skips

        raise KhashamError(f"no topic '{topic}'{did_you_mean(topic, topics)}; topics: {', '.join(topics)}")


def open_progress(store_path: Path | None) -> Store:
    from ..store import open_store

    return open_store(store_path, notice=lambda text: click.echo(text, err=True))
