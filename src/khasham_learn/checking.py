"""`check`: every problem in a bank, with its position: what loading finds, then what the loaded
bank's consistency checks find."""

from __future__ import annotations

from pathlib import Path

from .bulk import cycle_collection_paused
from .consistency import check_loaded, check_quotes
from .errors import Problem
from .loading import load_bank

__all__ = ["check_bank", "check_loaded", "check_quotes"]


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
