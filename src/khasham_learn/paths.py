"""Where the bundled bank lives, in a wheel and in a source checkout."""

from __future__ import annotations

from pathlib import Path


def bundled_bank() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "bank"  # where the wheel puts questions/
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "questions"  # running from a checkout (editable install)
