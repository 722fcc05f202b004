"""An export killed at any moment leaves the old file or the complete new one, never half a deck.

A real `khasham-learn export` runs in a subprocess on a synthetic bank big enough to take a while,
and is SIGKILLed at points spread over its run, including while its temporary file is being
written. Kill points are fractions of a measured export, so the test asserts no time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import SOURCES_YAML

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

TOPICS, FACTS_PER_TOPIC = 3, 80  # 240 facts, about 1,400 questions
OUTPUTS = {"anki": ["deck.apkg", "deck.manifest.json"], "gift": ["deck.gift"], "html": ["deck.html", "deck-answers.html"]}
FRACTIONS = (0.2, 0.7, 0.9, 1.0)


def big_bank(root: Path, topics: int = TOPICS) -> Path:
    """A valid bank (per docs/bank-format.md) of numeric facts, each with two agreeing claims."""
    (root / "facts").mkdir(parents=True)
    (root / "sources.yaml").write_text(SOURCES_YAML, encoding="utf-8")
    for t in range(topics):
        lines = [f"title: Topic {t}", "facts:"]
        for i in range(t * FACTS_PER_TOPIC, (t + 1) * FACTS_PER_TOPIC):
            lines.append(f"""\
  - id: group-{i}
    prompt: How many fighters were in group {i}?
    statement: "Group {i} had {{answer}} fighters."
    kind: number
    claims:
      - source: report-a
        value: about {100 + i}
        quote: About 500 fighters attacked.
      - source: report-b
        value: more than {100 + i}
        quote: More than 500 fighters came.""")
        (root / "facts" / f"topic-{t}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def start_export(fmt: str, bank: Path, out: Path, epoch: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    return subprocess.Popen([sys.executable, "-m", "khasham_learn", "export", fmt, "-o", str(out), "--bank", str(bank)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def export(fmt: str, bank: Path, out: Path, epoch: int) -> float:
    began = time.monotonic()
    child = start_export(fmt, bank, out, epoch)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()
    return time.monotonic() - began


def contents(folder: Path, fmt: str) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS[fmt]}


def leftovers(folder: Path, fmt: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in OUTPUTS[fmt])


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_a_killed_export_leaves_the_old_file_or_the_whole_new_one(fmt: str, tmp_path: Path) -> None:
    bank = big_bank(tmp_path / "bank")
    decks, fresh = tmp_path / "decks", tmp_path / "fresh"
    # The deck already there comes from a smaller bank, so each format's old and new files differ.
    export(fmt, big_bank(tmp_path / "old-bank", topics=TOPICS - 1), decks / OUTPUTS[fmt][0], epoch=1_000_000_000)
    old = contents(decks, fmt)
    fresh.mkdir()
    for name, data in old.items():  # the new file as written over the old (an Anki deck keeps unchanged notes' times)
        (fresh / name).write_bytes(data)
    took = export(fmt, bank, fresh / OUTPUTS[fmt][0], epoch=2_000_000_000)
    new = contents(fresh, fmt)
    assert old != new
    seen_tmp: list[str] = []
    outcomes = set()
    for when in [took * f for f in FRACTIONS] + ["while-writing"]:
        for name, data in old.items():
            (decks / name).write_bytes(data)
        child = start_export(fmt, bank, decks / OUTPUTS[fmt][0], epoch=2_000_000_000)
        if when == "while-writing":  # the moment the temporary file appears, the deck is being written
            deadline = time.monotonic() + 60
            while not [p for p in decks.iterdir() if p.name.endswith(".tmp")] and child.poll() is None:
                assert time.monotonic() < deadline, "the export never wrote a temporary file"
                time.sleep(0.0005)
        else:
            time.sleep(when)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stderr.close()  # type: ignore[union-attr]
        for name in OUTPUTS[fmt]:
            data = (decks / name).read_bytes()
            assert data in (old[name], new[name]), f"{name} killed at {when}: neither the old file nor the new one"
            outcomes.add(data == new[name])
            if name.endswith(".apkg"):
                with zipfile.ZipFile(decks / name) as deck:
                    assert deck.testzip() is None
        # A SIGKILL skips the clean-up, so a temporary file may stay: it must be hidden, and not
        # a deck by its name (.deck.apkg.<random>.tmp), so Anki's file picker never offers it.
        for name in leftovers(decks, fmt):
            assert name.startswith(".") and name.endswith(".tmp"), f"a visible leftover: {name}"
            seen_tmp.append(name)
            (decks / name).unlink()
    assert outcomes, "nothing was checked"
    print(f"{fmt}: one export took {took:.2f} s; new file after a kill: {sorted(outcomes)}; hidden leftovers: {seen_tmp}")
