"""Synthetic banks for the bench: made from a seed, shaped like the bundled bank (the same kinds,
claims per fact, share of disagreements and teacher edits), at any size."""

from __future__ import annotations

import random
from pathlib import Path

SOURCES = ("alpha", "bravo", "charlie", "delta", "echo")
TOPICS = ("background", "build-up", "battle", "casualties", "aftermath", "people")
NAMES = ("Karimov", "Lindqvist", "Okafor", "Petrov", "Quiroga", "Sato", "Tanaka", "Umarov", "Varga", "Weller")
WORDS = ("convoy", "ridge", "bridge", "outpost", "river", "airfield", "depot", "village", "checkpoint", "pipeline")


def _quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def _fact(rng: random.Random, n: int) -> list[str]:
    kind = rng.choice(("number", "number", "time", "date", "name", "text", "duration", "choice", "list"))
    claims = rng.choice((1, 1, 2, 2, 3))
    disagree = rng.random() < 0.08
    base = rng.randint(5, 900)
    lines = [f"  - id: fact-{n}", f"    prompt: What is the value of synthetic fact {n}?",
             f"    statement: Synthetic fact {n} has the value {{answer}}.", f"    kind: {kind}"]
    if kind == "number":
        lines.append("    unit: troops")
    if kind == "choice":
        lines.append("    alternatives: [coordinated, uncoordinated]")
    if kind in ("name", "text"):
        lines.append(f"    distractors: [{', '.join(rng.sample(WORDS, 3))}]")
    lines.append("    claims:")
    for c, source in enumerate(rng.sample(SOURCES, claims)):
        shift = c if disagree else 0
        value = {
            "number": f"about {base + 50 * shift}",
            "time": f"{(base + shift) % 24:02d}:{30 if shift else 0:02d}",
            "date": f"2018-02-{(base % 27) + 1 + shift:02d}",
            "name": NAMES[(base + shift) % len(NAMES)],
            "text": f"the {WORDS[(base + shift) % len(WORDS)]}",
            "duration": f"{(base % 9) + 1 + shift} hours",
            "choice": ("coordinated", "uncoordinated")[(base + shift) % 2],
            "list": f"[{WORDS[base % 10]}, {WORDS[(base + 1) % 10]}]",
        }[kind]
        lines += [f"      - source: {source}",
                  f"        value: {value}" if kind == "list" else f"        value: {_quote(value)}",
                  f"        quote: {_quote(f'The report says fact {n} is {value} in its own words.')}"]
        if rng.random() < 0.3:
            lines.append(f"        attributed_to: {rng.choice(('a spokesman', 'the Pentagon', 'a monitor'))}")
    return lines


def write_bank(root: Path, facts: int, seed: int = 2018) -> Path:
    rng = random.Random(seed)
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "bank.yaml").write_text(f"title: Synthetic bank of {facts} facts\ntopics: [{', '.join(TOPICS)}]\n")
    (root / "sources.yaml").write_text("sources:\n" + "".join(
        f"  - id: {s}\n    label: the {s} report\n    headline: Report {s}\n    file: {s}.txt\n    kind: news report\n"
        for s in SOURCES))
    per_topic = -(-facts // len(TOPICS))
    n = 0
    for topic in TOPICS:
        lines = [f"title: {topic.title()}", "facts:"]
        for _ in range(min(per_topic, facts - n)):
            lines += _fact(rng, n)
            n += 1
        (root / "facts" / f"{topic}.yaml").write_text("\n".join(lines) + "\n")
    # A few teacher edits, as in the bundled bank, so loading validates them against the generated ids.
    (root / "questions.yaml").write_text(
        "questions:\n  - id: fact-0.direct\n    prompt: A teacher's rewording of the first question?\n")
    return root


QUESTIONS_PER_FACT = 3.75  # measured on synthetic banks; the bench prints the real count


def facts_for(questions: int) -> int:
    return max(6, round(questions / QUESTIONS_PER_FACT))
