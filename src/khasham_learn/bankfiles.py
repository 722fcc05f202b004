"""Reading a bank file's bytes only from a regular file of a size a teacher could write.

A bank path can name anything: a folder, a FIFO (reading it waits forever), a device (/dev/zero
never ends), a symlink loop. Each is refused with its own message before it is opened, so no
command hangs, fills memory, or mistakes it for an absent file. No YAML here: the cache reads
files through this too, and a cache hit needs no parser.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import Position, UnusableInput

# The bundled bank's largest file is 35 KB; a teacher's bank would need thousands of facts in one
# topic to come near this, and a file past it is a mistake (a log, a dump), not a bank file.
MAX_BANK_FILE_BYTES = 20 * 1024 * 1024


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refusal(shown: str, exc: OSError) -> UnusableInput:
    where = Position(shown)
    if exc.errno == errno.ELOOP:
        return UnusableInput("this is a symlink loop (a link that leads back to itself); point it at a file", where)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UnusableInput(f"cannot read {shown}: permission denied", where)
    if exc.errno == errno.ENOENT:
        return UnusableInput("this file does not exist (a link to a missing file?)", where)
    return UnusableInput(f"cannot read {shown}: {exc.strerror or exc}", where)


def read_bank_bytes(path: Path, shown: str) -> bytes:
    """The bytes of a regular file (a symlink to one is fine) of at most MAX_BANK_FILE_BYTES;
    anything else is UnusableInput positioned at the file."""
    try:
        info = os.stat(path)  # follows symlinks, and opens nothing: a FIFO is never opened
    except OSError as exc:
        raise _refusal(shown, exc) from None
    _check(info, shown)
    try:
        # O_NONBLOCK: were the file swapped for a FIFO since the stat, opening it must not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _refusal(shown, exc) from None
    with open(fd, "rb", closefd=True) as f:
        _check(os.fstat(fd), shown)  # what was opened is what was checked
        try:
            data = f.read(MAX_BANK_FILE_BYTES + 1)
        except OSError as exc:
            raise _refusal(shown, exc) from None
    if len(data) > MAX_BANK_FILE_BYTES:  # grew since the stat
        raise _too_big(shown)
    return data


def _check(info: os.stat_result, shown: str) -> None:
    kind = _kind(info.st_mode)
    if kind is not None:
        raise UnusableInput(f"this is {kind}, not a plain file; put the file itself here", Position(shown))
    if info.st_size > MAX_BANK_FILE_BYTES:
        raise _too_big(shown, info.st_size)


def _too_big(shown: str, size: int | None = None) -> UnusableInput:
    what = f"{size / 1024 / 1024:.1f} MB" if size is not None else "larger than that"
    limit = MAX_BANK_FILE_BYTES // (1024 * 1024)
    return UnusableInput(f"this file is {what}; bank files and report texts are at most {limit} MB", Position(shown))


def present(path: Path) -> bool:
    """Whether anything is at path, even a broken link or a loop: an optional file is optional
    only when it is absent, and whatever else is there is read and reported."""
    return os.path.lexists(path)
