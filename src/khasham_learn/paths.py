"""Where the bundled bank lives, in a wheel and in a source checkout; paths as the user will recognise them."""

from __future__ import annotations

from pathlib import Path


def bundled_bank() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "bank"  # where the wheel puts questions/
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "questions"  # running from a checkout (editable install)


def bank_around(folder: Path) -> Path | None:
    """The bank a teacher is working in: `folder` or the nearest folder above it that looks like a
    bank, as git finds its repository from wherever in it you are. A bank.yaml alone could be any
    program's ("banking" data): a bank also has its sources.yaml and facts/."""
    for candidate in (folder, *folder.parents):
        if all((candidate / name).exists() for name in ("bank.yaml", "sources.yaml", "facts")):
            return candidate
    return None


def shown_path(path: Path) -> str:
    """A path as the user will recognise it: relative to where they are, when it is below it."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)
