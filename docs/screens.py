"""Captures the screens docs/studying.md shows, from real quiz sessions in a pseudo-terminal.

Each session is typed key by key with pexpect into the installed `khasham-learn`, on the bundled
bank with a fresh progress store, and the terminal is rendered with pyte (a terminal emulator), so
what lands in the docs is what a student's terminal shows. Run it after changing what the quiz
prints; it rewrites the blocks between `<!-- screen: NAME -->` and `<!-- /screen -->`:

    pip install pexpect pyte && python docs/screens.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

DOC = Path(__file__).with_name("studying.md")
ROWS = 200  # tall enough that nothing scrolls away


def khasham_learn() -> str:
    found = shutil.which("khasham-learn", path=str(Path(sys.executable).parent)) or shutil.which("khasham-learn")
    if not found:
        sys.exit("khasham-learn is not installed in this environment")
    return found


class Recorder:
    """pexpect's log, fed to the emulator as it comes."""

    def __init__(self, stream: pyte.Stream) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.feed(text)

    def flush(self) -> None:
        pass


def run(args: list[str], columns: int, keys: Callable[[pexpect.spawn], None], store: Path) -> str:
    env = {**os.environ, "NO_COLOR": "1", "KHASHAM_LEARN_STORE": str(store), "TERM": "xterm"}
    env.pop("COLUMNS", None)
    env.pop("KHASHAM_LEARN_BANK", None)
    screen = pyte.Screen(columns, ROWS)
    child = pexpect.spawn(khasham_learn(), args, env=env, encoding="utf-8", timeout=30, dimensions=(ROWS, columns))
    child.logfile_read = Recorder(pyte.Stream(screen))
    keys(child)
    child.expect(pexpect.EOF)
    child.close()
    return _rendered(screen)


def _rendered(screen: pyte.Screen) -> str:
    lines = [line.rstrip() for line in screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def plain(args: list[str], store: Path, columns: int) -> str:
    env = {**os.environ, "NO_COLOR": "1", "KHASHAM_LEARN_STORE": str(store), "COLUMNS": str(columns)}
    env.pop("KHASHAM_LEARN_BANK", None)
    result = subprocess.run([khasham_learn(), *args], capture_output=True, text=True, env=env, check=True)
    return result.stdout.rstrip()


def miss_and_retry(child: pexpect.spawn) -> None:
    child.expect(r"Your answer \(a number of fighters\)")
    child.send("about 50\r")  # wrong: the report says more than 100
    child.expect("r: I was right")
    child.send("q")  # the quotes, one key
    child.expect("r: I was right")
    child.send("\r")
    child.expect(r"Your answer \(a number of Russians\)")
    child.send("dozens\r")
    child.expect(r"Your answer \(a number\)")
    child.send("2\r")
    child.expect(r"until right\?")
    child.send("y")
    child.expect(r"Your answer \(a number of fighters\)")
    child.send("more than 100\r")


def override(child: pexpect.spawn) -> None:
    child.expect(r"Your answer \(a number of fighters\)")
    child.send("more than 100\r")
    child.expect(r"Your answer \(a number of fighters\)")
    child.send("two to three hundred\r")  # the report's "200 to 300", which the grader misses
    child.expect("r: I was right")
    child.send("r")
    child.expect(r"Your answer \(a number of Russian sources\)")
    child.send("three\r")


SESSIONS = {
    "miss-and-retry": (["quiz", "--topic", "casualties", "--type", "numeric", "--count", "3", "--seed", "1"], 72,
                       miss_and_retry),
    "override": (["quiz", "--topic", "casualties", "--type", "numeric", "--count", "3", "--seed", "2"], 60,
                 override),
}


def screens() -> dict[str, str]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # the sessions run here, so the screens show a short relative store path
        for name, (args, columns, keys) in SESSIONS.items():
            store = Path(name, "progress.sqlite3")  # relative to `tmp`, where the sessions run
            Path(tmp, name).mkdir()
            out[name] = f"$ khasham-learn {' '.join(args)}\n" + run(args, columns, keys, store)
            out[f"{name}-stats"] = "$ khasham-learn stats\n" + plain(["stats"], store, columns)
        out["overrides"] = "$ khasham-learn stats --overrides\n" + plain(
            ["stats", "--overrides"], Path("override", "progress.sqlite3"), 60)
    return out


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    here = os.getcwd()
    shown = screens()
    os.chdir(here)
    for name, screen in shown.items():
        block = re.compile(rf"(<!-- screen: {re.escape(name)} -->\n).*?(<!-- /screen -->)", re.S)
        if not block.search(text):
            sys.exit(f"{DOC.name} has no block <!-- screen: {name} -->")
        text = block.sub(lambda m: f"{m.group(1)}```text\n{screen}\n```\n{m.group(2)}", text)
    DOC.write_text(text, encoding="utf-8")
    print(f"rewrote {len(SESSIONS)} sessions in {DOC}")


if __name__ == "__main__":
    main()
