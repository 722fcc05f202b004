"""The generated bank, cached by the bank files' content, so that a quiz starts without parsing,
checking and generating an unchanged bank again.

The key is a hash of every bank file's name and bytes, the bank's folder, this version of
khasham-learn and its modules' sizes and times; any change makes a new key. A cache file that cannot be read is ignored and
rewritten: the cache can only save time, never change an answer.

Trust: KHASHAM_LEARN_CACHE can point anywhere, including a shared folder, and unpickling runs
code. We keep pickle (a hit is one `pickle.loads`, well within the quiz's start-up budget;
a JSON form would need from/to dict for every model type and rebuild every dataclass on each
start) but only for a cache that provably came from this user: the folder and the file must be
the user's own and not group- or world-writable, and every file carries an HMAC-SHA256 of its
bytes under a per-user secret kept in an owner-only (0600) file in that folder. Anything else
is a miss, checked before a single byte is unpickled; whoever can forge the HMAC can already
read the user's files and run code as the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
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
KEY_FILE = "hmac.key"
KEY_BYTES = 32
DIGEST_BYTES = hashlib.sha256().digest_size


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
        # os.walk with followlinks: a facts/ that is a symlink is read by the loader, so it keys the cache too
        files = sorted(Path(folder, name) for folder, _, names in os.walk(root, followlinks=True)
                       for name in names if name.endswith(".yaml") and Path(folder, name).is_file())
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
        with contextlib.suppress(Exception):  # a missing, stale, damaged or untrusted cache is only a miss
            cached = _trusted_read(where)
            if cached is not None:
                bank, questions = pickle.loads(cached)
                if isinstance(bank, Bank) and isinstance(questions, list):
                    return bank, questions
    from .loading import open_bank  # only on a miss: a hit needs no YAML parser

    bank = open_bank(root)
    questions = generate(bank, include_disabled=True)
    if where is not None:
        _save(where, (bank, questions))
    return bank, questions


def _owned_safely(info: os.stat_result) -> bool:
    """Ours and writable by no one else (group or others)."""
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()  # Windows: the HMAC alone
    return owner_ok and not info.st_mode & 0o022


def _trusted_folder(folder: Path) -> bool:
    try:
        info = folder.stat()
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(info.st_mode) and _owned_safely(info)


def _read_owned(path: Path, *, private: bool) -> bytes | None:
    """The bytes of a regular file of ours (not a symlink), or None; private files must be 0600 or tighter."""
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or not _owned_safely(info):
            return None
        if private and hasattr(os, "getuid") and info.st_mode & 0o077:
            return None
        return f.read()


def _key(folder: Path, *, create: bool) -> bytes | None:
    path = folder / KEY_FILE
    try:
        key = _read_owned(path, private=True)
        return key if key is not None and len(key) == KEY_BYTES else None
    except FileNotFoundError:
        if not create:
            return None
    import secrets

    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:  # another quiz made it first: use that one
        return _key(folder, create=False)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def _trusted_read(where: Path) -> bytes | None:
    """The pickled bytes of a cache file only when the folder, the file and its HMAC check out."""
    if not _trusted_folder(where.parent):
        return None
    key = _key(where.parent, create=False)
    if key is None:
        return None
    data = _read_owned(where, private=False)
    if data is None or len(data) < DIGEST_BYTES:
        return None
    tag, payload = data[:DIGEST_BYTES], data[DIGEST_BYTES:]
    if not hmac.compare_digest(tag, hmac.digest(key, payload, "sha256")):
        return None
    return payload


def _save(where: Path, data: object) -> None:
    """Written to a temporary file and renamed, so two quizzes starting at once never read half a file.
    Only into a folder of ours that no one else can write to: a cache there could not be trusted."""
    with contextlib.suppress(OSError):
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_folder(where.parent):
            return
        key = _key(where.parent, create=True)
        if key is None:
            return
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hmac.digest(key, payload, "sha256"))
                f.write(payload)
            os.replace(tmp, where)
            for old in sorted(where.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
                old.unlink()
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
