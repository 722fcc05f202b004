"""Zip archives whose bytes depend only on what they hold and the build time.

The Anki deck, the Canvas package and the Kahoot workbook are zip files, and the same bank must give
the same file: every entry gets the build time (never the clock), the same system and mode.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

# Before 1980 a zip entry cannot hold its time; such builds are stamped 1980-01-01 (UTC).
EARLIEST_ZIP_TIME = 315_532_800


def write_zip(target: Path | IO[bytes], entries: Iterable[tuple[str, bytes]], build_time: int,
              compresslevel: int | None = None) -> None:
    """The entries, in the order given, deflated and stamped with the build time."""
    stamp = time.gmtime(max(build_time, EARLIEST_ZIP_TIME))[:6]
    with zipfile.ZipFile(target, "w") as out:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system builds it, for the same bytes everywhere
            info.external_attr = 0o644 << 16
            out.writestr(info, data, compresslevel=compresslevel)


def zip_bytes(entries: Iterable[tuple[str, bytes]], build_time: int) -> bytes:
    out = io.BytesIO()
    write_zip(out, entries, build_time)
    return out.getvalue()


def restamped(archive: bytes, build_time: int) -> bytes:
    """Another library's zip (openpyxl's workbook) written again the same way: its entries in their
    order, each stamped with the build time instead of the moment it was written."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        return zip_bytes([(info.filename, source.read(info)) for info in source.infolist()], build_time)
