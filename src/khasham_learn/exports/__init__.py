"""Exports: one module per format, each with `SUFFIX` and `export(job) -> list[Path]`.

Adding a format is one new module here and one line in FORMATS; the CLI and filters are shared.
Every file is written atomically (a temporary file beside it, then a rename), so an interrupted
export never leaves a half-written deck or worksheet behind.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bulk import cycle_collection_paused
from ..errors import KhashamError
from ..generation import Question
from ..model import Bank

# name -> one line of help. The module khasham_learn.exports.<name> does the work.
FORMATS: dict[str, str] = {
    "anki": "Anki deck (.apkg) with a subdeck per topic",
    "gift": "Moodle GIFT (.gift): a category per topic, feedback with the sources",
    "markdown": "printable worksheet (.md) and its answer key (-answers.md)",
    "html": "printable worksheet (.html) and its answer key (-answers.html), self-contained",
    "csv": "Quizlet term/definition (.csv); with --kahoot, Kahoot's spreadsheet columns",
}


@dataclass(frozen=True)
class ExportJob:
    bank: Bank
    questions: list[Question]
    output: Path
    build_time: int  # seconds since the epoch; fixed so the same bank gives the same bytes
    options: Mapping[str, Any] = field(default_factory=dict)
    # What an export leaves out is said, never silently dropped: by default on stderr.
    warn: Callable[[str], None] = field(default=lambda message: print(f"khasham-learn: warning: {message}", file=sys.stderr))


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


def default_output(fmt: str, bank: Bank) -> Path:
    return Path("decks") / f"{slug(bank.title)}{_module(fmt).SUFFIX}"


@cycle_collection_paused()
def export(fmt: str, bank: Bank, questions: list[Question], output: Path | None = None, **options: Any) -> list[Path]:
    """Write `questions` in format `fmt`; returns the files written."""
    module = _module(fmt)
    if not questions:
        raise KhashamError("no questions match those filters; nothing exported")
    job = ExportJob(bank, questions, output or default_output(fmt, bank), build_time(bank), options)
    return list(module.export(job))


def _module(fmt: str) -> Any:
    if fmt not in FORMATS:
        from ..yamlread import did_you_mean

        raise KhashamError(f"no export format '{fmt}'{did_you_mean(fmt, list(FORMATS))}; formats: {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{fmt}")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yields a temporary path beside `path`; renamed over it only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))  # mkstemp makes files only the owner can read
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _mode_for(path: Path) -> int:
    """The mode a plain `open(path, "w")` would give: the old file's, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, data: bytes | str) -> Path:
    with atomic_path(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8", newline="\n")
        else:
            tmp.write_bytes(data)
    return path
