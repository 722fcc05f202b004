"""`check`: every problem in a bank, with its position: what loading finds, then what the loaded
bank's consistency checks find."""

from __future__ import annotations

from pathlib import Path

from .bulk import cycle_collection_paused
from .consistency import check_loaded, check_quotes
from .errors import Problem
from .loading import load_bank
from .model import Bank

__all__ = ["bank_texts", "check_bank", "check_bank_read", "check_loaded", "check_quotes", "quotes_summary"]

# Where `init` puts the reports' texts, and where a teacher keeps them: checked unless told otherwise.
TEXTS_FOLDER = "texts"


def bank_texts(root: Path, given: Path | None) -> Path | None:
    """The folder of the reports' texts: the one given, else the bank's own texts/ if it has one."""
    if given is not None:
        return given
    own = root / TEXTS_FOLDER
    return own if own.is_dir() else None


def check_bank(root: Path, sources_dir: Path | None = None) -> list[Problem]:
    """All problems in the bank at root, sorted by position; quotes checked when sources_dir is given."""
    return check_bank_read(root, sources_dir)[0]


@cycle_collection_paused()
def check_bank_read(root: Path, sources_dir: Path | None = None) -> tuple[list[Problem], Bank | None]:
    """check_bank's problems, and the bank as loaded (None when it could not be): what of it was
    read, so `check` says whose quotes it checked."""
    bank, problems = load_bank(root)
    if bank is not None:
        problems += check_loaded(bank)
        if sources_dir is not None:
            problems += check_quotes(bank, sources_dir)
    # keyed on plain values: comparing the dataclasses' generated methods is ten times slower
    return sorted(set(problems), key=lambda p: (p.position.file, p.position.line, p.position.column, p.message)), bank


def quotes_summary(bank: Bank | None, sources_dir: Path | None, shown_dir: str) -> str:
    """What `check` says of the quotes: checked against the texts, or why they (some or all) were not."""
    if sources_dir is None:
        return "quotes not checked (add --sources DIR, or keep the texts in the bank's texts/)"
    if bank is None:
        return "quotes not checked: the bank could not be read"
    failed = bank.gaps.sources_file
    if failed is None:
        return f"quotes checked against {shown_dir}"
    if not bank.sources:
        return f"quotes not checked: {failed} failed to load"
    # a source read from the broken file has its claims' quotes checked (see check_quotes)
    return f"quotes checked against {shown_dir} only for the {len(bank.sources)} source(s) read: {failed} failed to load"
