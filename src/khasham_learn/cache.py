"""The generated bank, cached by the bank files' content, so that a quiz starts without parsing,
checking and generating an unchanged bank again.

The key is a hash of every bank file's name and bytes, the bank's folder, this version of
khasham-learn and its modules' sizes and times; any change makes a new key. A cache file that cannot be read is ignored and
rewritten: the cache can only save time, never change an answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from . import __version__
from .bankfiles import read_bank_bytes
from .bulk import cycle_collection_paused
from .errors import UnusableInput
from .generation import Question, generate
from .model import Bank

CACHE_ENV = "KHASHAM_LEARN_CACHE"
KEEP = 8  # cached banks kept; older ones (edits long gone) are removed


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_path

    return user_cache_path("khasham-learn", appauthor=False)


def bank_key(root: Path) -> str | None:
    """A digest of everything generation depends on; None when a file cannot be read (then the
    loader, not the cache, reports it)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0{root.resolve()}".encode())
    try:
        digest.update(_code_stamp())
        # is_file stats, never opens: a FIFO or a link to /dev/zero is left to the loader to report
        files = sorted(p for p in root.rglob("*.yaml") if p.is_file())
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(read_bank_bytes(path, str(path)) + b"\0")  # capped, and never waits
    except (OSError, UnusableInput):
        return None
    return digest.hexdigest()


def _code_stamp() -> bytes:
    """Each of our modules' size and modification time: a changed generator or grader (an edit in a
    checkout, an upgrade that kept the version) makes a new key, at the cost of a stat per module."""
    package = Path(__file__).parent
    stamp = []
    for folder in (package, package / "commands", package / "exports", package / "generation"):
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    stamp.append(f"{folder.name}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stamp).encode()


@cycle_collection_paused()
def generated_bank(root: Path) -> tuple[Bank, list[Question]]:
    """The bank and its generated questions (teachers' switched-off ones included)."""
    key = bank_key(root)
    where = cache_dir() / f"{key}.pickle" if key else None
    if where is not None:
        with contextlib.suppress(Exception):  # a missing, stale or damaged cache is only a miss
            with open(where, "rb") as f:
                bank, questions = pickle.load(f)
            if isinstance(bank, Bank) and isinstance(questions, list):
                return bank, questions
    from .loading import open_bank  # only on a miss: a hit needs no YAML parser

    bank = open_bank(root)
    questions = generate(bank, include_disabled=True)
    if where is not None:
        _save(where, (bank, questions))
    return bank, questions


def _save(where: Path, data: object) -> None:
    """Written to a temporary file and renamed, so two quizzes starting at once never read half a file."""
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, where)
            for old in sorted(where.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
                old.unlink()
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
