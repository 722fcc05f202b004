"""Where an export's bytes go, decided the way Unix tools decide it.

`-` is stdout. A character device or FIFO (a terminal, /dev/null, a named pipe) is opened and
written to, never replaced. A symlink is written through: its target gets the new bytes and the
link stays a link. Only a regular file, or a path that does not exist yet, gets the atomic
temporary-file-and-rename, so an interrupted export never leaves half a file. Nothing under /dev
is ever created or replaced. Every error names the path the user gave, never a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import KhashamError

STDOUT_NAME = "-"
# Replacing a file here would swap a device for a regular file (`-o /dev/full` once did).
_NEVER_REPLACED = (Path("/dev"), Path("/proc"))

Kind = Literal["stdout", "stream", "file"]


@dataclass(frozen=True)
class Destination:
    """`given` is the user's path, for messages; `target` is what is written: for a file, the end of
    any symlinks; for a stream (device or FIFO), the path as given."""

    given: str
    kind: Kind
    target: Path


def is_stdout_name(path: Path | str) -> bool:
    return str(path) == STDOUT_NAME


def destination(path: Path | str) -> Destination:
    """What `path` is, or a KhashamError saying why nothing can be written there."""
    given = str(path)
    if given == STDOUT_NAME:
        return Destination(given, "stdout", Path(STDOUT_NAME))
    try:
        st: os.stat_result | None = os.stat(given)
    except FileNotFoundError:
        st = None  # a new path, or a symlink to one: the link's target will be created
    except OSError as exc:
        raise _cannot(given, exc) from None
    if st is not None and _is_our_stdout(st, given):
        return Destination(given, "stdout", Path(given))
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise KhashamError(f"cannot write to {given}: it is a folder; give a file path")
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        return Destination(given, "stream", Path(given))
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = "a block device" if stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a file"
        raise KhashamError(f"cannot write to {given}: it is {what}; give a file path")
    target = Path(os.path.realpath(given))
    for place in (Path(os.path.abspath(given)), target):
        if any(place == root or root in place.parents for root in _NEVER_REPLACED):
            where = "" if st is None else " in place"
            raise KhashamError(f"cannot write to {given}: khasham-learn never creates or replaces files{where} under "
                               f"{_root_of(place)}; give a file path elsewhere")
    return Destination(given, "file", target)


def writes_to_stdout(path: Path | str) -> bool:
    """Whether an export to `path` went to stdout (`-`, /dev/stdout...), so nothing else may be printed there."""
    try:
        return destination(path).kind == "stdout"
    except KhashamError:
        return False


@contextlib.contextmanager
def output_file(path: Path | str) -> Iterator[Path]:
    """Yields a temporary file to fill; when the block succeeds its bytes go to `path` by the rules
    above. A KhashamError naming `path` replaces any OSError, so no temporary name reaches a message."""
    where = destination(path)
    try:
        if where.kind == "file":
            with atomic_path(where.target) as tmp:
                yield tmp
            return
        with tempfile.TemporaryDirectory(prefix="khasham-learn-") as folder:
            tmp = Path(folder) / "export"
            tmp.touch()
            yield tmp
            _send(where, tmp.read_bytes())
    except OSError as exc:
        raise _cannot(where.given, exc) from None


def write_output(path: Path | str, data: bytes | str) -> None:
    """Writes `data` to `path` by the rules above; text as UTF-8 with Unix line ends."""
    where = destination(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if where.kind != "file":
        _send(where, raw)
        return
    try:
        with atomic_path(where.target) as tmp:
            tmp.write_bytes(raw)
    except OSError as exc:
        raise _cannot(where.given, exc) from None


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


def _send(where: Destination, data: bytes) -> None:
    """Writes to stdout or opens a device or FIFO and writes to it: never a rename, so the device stays."""
    try:
        if where.kind == "stdout":
            sys.stdout.flush()
            out = sys.stdout.buffer
            out.write(data)
            out.flush()
            return
        fd = os.open(where.target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:  # os.write may take only part; a full device fails here with ENOSPC
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _cannot("stdout" if where.given == STDOUT_NAME else where.given, exc) from None


def _is_our_stdout(st: os.stat_result, given: str) -> bool:
    """/dev/stdout, /dev/fd/1 and the like: the same open file as our stdout. A regular file met by
    its own name stays a file (it is replaced atomically), even when stdout is redirected to it."""
    try:
        out = os.fstat(sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):  # no real stdout (a test runner's buffer)
        return False
    if (st.st_dev, st.st_ino) != (out.st_dev, out.st_ino):
        return False
    return not stat.S_ISREG(st.st_mode) or _root_of(Path(os.path.abspath(given))) is not None


def _root_of(place: Path) -> Path | None:
    return next((root for root in _NEVER_REPLACED if place == root or root in place.parents), None)


def _cannot(given: str, exc: OSError) -> KhashamError:
    reason = exc.strerror or str(exc)
    return KhashamError(f"cannot write to {given}: {reason[:1].lower()}{reason[1:]}")


def _mode_for(path: Path) -> int:
    """The mode a plain `open(path, "w")` would give: the old file's, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
