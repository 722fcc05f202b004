"""`check`: every problem in a bank, with its position: what loading finds, then what the loaded
bank's consistency checks find."""

from __future__ import annotations

from pathlib import Path

from .bulk import cycle_collection_paused
from .consistency import check_loaded, check_quotes
from .errors import Problem
from .loading import load_bank

__all__ = ["bank_texts", "check_bank", "check_loaded", "check_quotes"]

# Where `init` puts the reports' texts, and where a teacher keeps them: checked unless told otherwise.
TEXTS_FOLDER = "texts"


def bank_texts(root: Path, given: Path | None) -> Path | None:
    """The folder of the reports' texts: the one given, else the bank's own texts/ if it has one."""
    if given is not None:
        return given
    own = root / TEXTS_FOLDER
    return own if own.is_dir() else None


@cycle_collection_paused()
def check_bank(root: Path, sources_dir: Path | None = None) -> list[Problem]:
    """All problems in the bank at root, sorted by position; quotes checked when sources_dir is given."""
    bank, problems = load_bank(root)
    if bank is not None:
        problems += check_loaded(bank)
        if sources_dir is not None:
            problems += check_quotes(bank, sources_dir)
    # keyed on plain values: comparing the dataclasses' generated methods is ten times slower
    return sorted(set(problems), key=lambda p: (p.position.file, p.position.line, p.position.column, p.message))
