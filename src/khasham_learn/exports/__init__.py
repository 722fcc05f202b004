"""Exports: one module per format, each with `SUFFIX` and `export(job) -> list[Path]`.

Adding a format is one new module here and one line in FORMATS; the CLI and filters are shared.
Every file is written atomically (a temporary file beside it, then a rename), so an interrupted
export never leaves a half-written deck or worksheet behind; `-`, devices, FIFOs and symlinks are
written as Unix tools write them (destination.py).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bulk import cycle_collection_paused
from ..errors import KhashamError
from ..generation import Question
from ..model import Bank
# Re-exported: the formats and the CLI take their writing from here.
from .destination import atomic_path as atomic_path
from .destination import destination
from .destination import is_stdout_name, write_output
from .destination import output_file as output_file
from .destination import writes_to_stdout as writes_to_stdout

# name -> one line of help. The module khasham_learn.exports.<name> does the work.
FORMATS: dict[str, str] = {
    "anki": "Anki deck (.apkg), a note per fact and a subdeck per topic, and its .manifest.json",
    "gift": "Moodle GIFT (.gift): a category per topic, feedback with the sources",
    "moodlexml": "Moodle XML (.xml): as GIFT, and numbers with their units, refusals before wildcard answers",
    "canvas": "Canvas quiz (.zip, QTI 1.2): Settings > Import course content > QTI .zip file",
    "markdown": "printable worksheet (.md) and its answer key (-answers.md)",
    "html": "printable worksheet (.html) and its answer key (-answers.html), self-contained",
    "csv": "Quizlet term/definition (.csv)",
    "kahoot": "Kahoot's spreadsheet template (.xlsx): the questions with two to four choices",
}

# Binary formats that the program reading them knows only by their suffix: a deck named .csv would
# be written, then refused or misread by whoever opens it. format -> why, for the message.
BY_SUFFIX_ONLY: dict[str, str] = {
    "anki": "Anki imports a deck only from a .apkg file",
    "canvas": "Canvas imports a QTI package only as a .zip file",
    "kahoot": "it is an Excel workbook, which Kahoot and Excel open only as a .xlsx file",
}


@dataclass(frozen=True)
class Loss:
    """What a format could not carry of one question: said in a report after the export."""

    question: str
    what: str

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "not_carried": self.what}


@dataclass(frozen=True)
class ExportJob:
    bank: Bank
    questions: list[Question]
    output: Path
    build_time: int  # seconds since the epoch; fixed so the same bank gives the same bytes
    options: Mapping[str, Any] = field(default_factory=dict)
    # What an export leaves out is said, never silently dropped: by default on stderr.
    warn: Callable[[str], None] = field(default=lambda message: print(f"khasham-learn: warning: {message}", file=sys.stderr))
    losses: list[Loss] = field(default_factory=list)  # filled by the format, per question
    # Every enabled question of the bank, the filters aside: a format that keeps a fact's forms
    # together (an Anki note) takes the whole fact of each question chosen from here.
    bank_questions: list[Question] = field(default_factory=list)
    # When a format stamps what changed since its last build (the Anki export's notes): None for
    # the build time. See change_time.
    change_time: int | None = None

    def lost(self, question: Question, what: str) -> None:
        self.losses.append(Loss(question.id, what))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "bank"


def build_time(bank: Bank) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the bank's last change."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env is not None:
        try:
            return int(env)
        except ValueError:
            raise KhashamError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not '{env}'") from None
    root = Path(bank.root)
    times = [p.stat().st_mtime for p in root.rglob("*.yaml") if not p.name.startswith(".")]
    return int(max(times)) if times else 0


def change_time(build: int) -> int:
    """The time to stamp what changed: SOURCE_DATE_EPOCH when set (a reproducible build), else now.
    Not the bank files' times: a learner who tagged a note after the files were last saved holds a
    newer copy, and Anki keeps the newer one without a word."""
    return build if "SOURCE_DATE_EPOCH" in os.environ else max(build, int(time.time()))


def default_output(fmt: str, bank: Bank) -> Path:
    return Path("decks") / f"{slug(bank.title)}{_module(fmt).SUFFIX}"


@cycle_collection_paused()
def export(fmt: str, bank: Bank, questions: list[Question], output: Path | None = None,
           losses: list[Loss] | None = None, bank_questions: list[Question] | None = None,
           **options: Any) -> list[Path]:
    """Write `questions` in format `fmt`; returns the files written. What the format could not
    carry of each question is added to `losses` when given. `bank_questions`: every enabled
    question, for a format that exports whole facts (see ExportJob)."""
    module = _module(fmt)
    if not questions:
        raise KhashamError("no questions match those filters; nothing exported")
    refusal = getattr(module, "NOT_TO_STDOUT", None)
    if output is not None and refusal and writes_to_stdout(output):
        raise KhashamError(f"cannot write the {fmt} export to {'stdout' if is_stdout_name(output) else output}: "
                           f"{refusal}; give a file path, e.g. -o {default_output(fmt, bank).name}")
    if output is not None:
        _check_suffix(fmt, module.SUFFIX, output)
    built = build_time(bank)
    job = ExportJob(bank, questions, output or default_output(fmt, bank), built, options,
                    losses=losses if losses is not None else [], bank_questions=bank_questions or [],
                    change_time=change_time(built))
    return list(module.export(job))


def _check_suffix(fmt: str, suffix: str, output: Path) -> None:
    """A file of a binary format must bear its suffix; a device or FIFO (a pipe, /dev/null) takes any name."""
    why = BY_SUFFIX_ONLY.get(fmt)
    if why is None or output.suffix.lower() == suffix or destination(output).kind != "file":
        return
    raise KhashamError(f"cannot write the {fmt} export to {output}: {why}; give a path ending in {suffix}, "
                       f"e.g. -o {output.with_suffix(suffix)}")


def _module(fmt: str) -> Any:
    if fmt not in FORMATS:
        from ..yamlread import did_you_mean

        raise KhashamError(f"no export format '{fmt}'{did_you_mean(fmt, list(FORMATS))}; formats: {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{fmt}")


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Writes `data` to `path` as Unix tools would (see destination.py): atomically for a file."""
    write_output(path, data)
    return path
