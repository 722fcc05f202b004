"""The command line: a thin layer over the library, turning every error into one line and an exit code.

Commands live in khasham_learn.commands, a module per audience; each module is imported only when
one of its commands runs, so `khasham-learn --help` costs little more than importing click.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__


class Entry:
    """A command as the top-level help lists it; `function` in `module` is the click command.
    A plain class: a dataclass would cost --help a millisecond or two to build."""

    __slots__ = ("module", "function", "summary")

    def __init__(self, module: str, function: str, summary: str) -> None:
        self.module = module
        self.function = function
        self.summary = summary  # at most 60 characters, so click never cuts it short with "..."


# In the order the help lists them, under these headings.
SECTIONS: dict[str, dict[str, Entry]] = {
    "Learn": {
        "quiz": Entry("study", "quiz", "Practice, with the sources after each answer."),
        "review": Entry("study", "review", "Spaced repetition: what is due, missed, and new."),
        "stats": Entry("study", "stats", "Your progress, your weakest facts, what is due."),
    },
    "Look through the bank": {
        "facts": Entry("browse", "facts", "Each fact, what every report says, where they disagree."),
        "questions": Entry("browse", "questions", "The generated questions (--json for scripts)."),
        "preview": Entry("browse", "preview_command", "One question as the quiz and Anki show it."),
        "compare": Entry("browse", "compare", "The reports side by side: a row per fact, a column each."),
        "timeline": Entry("browse", "timeline", "The night and the wider events in order, with sources."),
    },
    "Teach": {
        "check": Entry("teach", "check", "Validate the bank; every problem as file:line:col."),
        "export": Entry("teach", "export_command", "Export to Anki, Moodle (GIFT), Markdown, HTML or CSV."),
        "init": Entry("teach", "init", "Start a bank of your own for another topic."),
        "new": Entry("teach", "new", "A template for a new fact or question."),
        "schema": Entry("teach", "schema", "The JSON Schema of a bank file, for editors."),
    },
}
COMMANDS: dict[str, Entry] = {name: e for section in SECTIONS.values() for name, e in section.items()}


def _terminal_columns() -> int:
    """What shutil.get_terminal_size() says, without importing shutil (and bz2 and lzma with it),
    which would make up a fifth of what --help costs. Click (8.3 and later) skips its own import
    of shutil when given a width."""
    try:
        return int(os.environ["COLUMNS"]) or 80
    except (KeyError, ValueError):
        pass
    stdout = sys.__stdout__
    if stdout is None:  # pythonw, or a service with no console
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        max_width = self.max_content_width or 80
        width = self.terminal_width or max(min(_terminal_columns(), max_width) - 2, 50)  # click's own rule
        return self.formatter_class(width=width, max_width=max_width)


class Cli(click.Group):
    """Loads commands on demand, and reports our errors and Ctrl-C as one line; a traceback only
    with KHASHAM_LEARN_DEBUG=1."""

    context_class = _Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        from importlib import import_module

        command = getattr(import_module(f"{__package__}.commands.{entry.module}"), entry.function)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if name not in COMMANDS and not name.startswith("-") and not ctx.resilient_parsing:  # quiet while completing
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise click.UsageError(f"No such command '{name}'.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = max(map(len, COMMANDS))  # one column of names across the sections
        for heading, entries in SECTIONS.items():  # from the table: listing them imports nothing
            with formatter.section(heading):
                formatter.write_dl([(name.ljust(width), e.summary) for name, e in entries.items()])

    def invoke(self, ctx: click.Context) -> Any:
        from .controls import inert  # messages quote the bank's text and paths: nothing in them drives the terminal
        from .errors import KhashamError  # here, not at the top: `--help` never needs it

        try:
            return super().invoke(ctx)
        except KhashamError as exc:
            click.echo(inert(f"khasham-learn: {exc}"), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("khasham-learn: interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise
        except OSError as exc:  # a path the system refuses (too long, no permission...)
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(inert(f"khasham-learn: error: cannot use{where}: {exc.strerror or exc}"), err=True)
            ctx.exit(2)
        except Exception as exc:  # the last line of defence against a traceback
            if os.environ.get("KHASHAM_LEARN_DEBUG"):
                raise
            click.echo(inert(f"khasham-learn: internal error: {type(exc).__name__}: {exc} (set KHASHAM_LEARN_DEBUG=1 for details)"), err=True)
            ctx.exit(3)


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
      khasham-learn compare --topic casualties        the reports side by side
      khasham-learn questions --json                  the generated bank, for scripts
    """


def main() -> None:
    # Text a terminal cannot encode or a pipe cannot decode is replaced, never a crash.
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    cli(prog_name="khasham-learn")  # click ends a broken pipe (`... | head`) quietly


if __name__ == "__main__":
    main()
