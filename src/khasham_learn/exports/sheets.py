"""A worksheet for a lesson: which questions, in how many versions, in which order, for how many points.

Not a format itself (it is not in FORMATS); the html and markdown worksheets build on it. A sheet
holds at most one form of a fact and no question whose prompt states another's answer (giveaways.py),
picked the way the quiz picks (the same seed, the same questions). Versions A, B... ask the same
questions, each in its own order and with its own order of choices, so neighbours cannot copy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..generation import Question
from ..giveaways import one_per_fact, spread_topics, without_giveaways
from ..quiz import pick
from .common import right_answers

if TYPE_CHECKING:
    from . import ExportJob

MAX_VERSIONS = 26  # lettered A to Z


@dataclass(frozen=True)
class Version:
    label: str  # "A", "B"...; "" for a single version
    questions: list[Question]


def sheet_questions(questions: list[Question], count: int | None, seed: str | None) -> list[Question]:
    """At most one form of each fact, none giving another away, at most `count` of them spread over
    the topics. Without a seed, the bank's own order (the same bank, the same sheet); with one, a
    shuffle as the quiz's, so each seed picks other forms and facts.

    What gives away depends on the whole sheet (an answer that many prompts mention is common ground,
    one that a single prompt mentions is not), so the sheet is checked as a whole until none does."""
    ordered = pick(questions, None, seed, core_first=False) if seed is not None else list(questions)
    candidates = spread_topics(one_per_fact(ordered))
    if count is None:
        return _settled(candidates)
    chosen: list[Question] = []
    for question in candidates:
        if len(chosen) == count:
            break
        trial = [*chosen, question]
        if len(without_giveaways(trial)) == len(trial):  # more questions only make more common ground
            chosen = trial
    return chosen


def _settled(questions: list[Question]) -> list[Question]:
    """Leaving questions out can turn common ground into a giveaway: repeat until nothing changes."""
    while len(kept := without_giveaways(questions)) != len(questions):
        questions = kept
    return questions


def versions(questions: list[Question], number: int, seed: str | None) -> list[Version]:
    """`number` versions of the same questions. The first keeps the order given; each other one
    shuffles the questions and every question's choices, seeded by the seed and its letter."""
    if number <= 1:
        return [Version("", list(questions))]
    out = [Version("A", list(questions))]
    for index in range(1, number):
        label = chr(ord("A") + index)
        rng = random.Random(f"{seed or ''}/{label}")
        shuffled = [_shuffled_choices(q, rng) for q in questions]
        rng.shuffle(shuffled)
        out.append(Version(label, shuffled))
    return out


def _shuffled_choices(q: Question, rng: random.Random) -> Question:
    """The choices in another order; a true/false stays True, False, and an ordering question's
    events are shuffled like any choices (the key gives their order, not their letters)."""
    if not q.choices or q.type == "true_false":
        return q
    choices = list(q.choices)
    rng.shuffle(choices)
    return replace(q, choices=tuple(choices))


def points(q: Question) -> int:
    """A mark for each thing to get right: each pair of a matching question, each right choice of a
    multi-select one, else one."""
    if q.type == "matching":
        return len(q.pairs)
    if q.type == "multi":
        return max(1, len(right_answers(q)))
    return 1


def plan(job: ExportJob) -> list[Version]:
    """The sheets a worksheet export writes, from its options count, seed and versions."""
    seed = job.options.get("seed")
    chosen = sheet_questions(job.questions, job.options.get("count"), seed)
    return versions(chosen, int(job.options.get("versions") or 1), seed)


def version_path(output: Path, label: str) -> Path:
    """sheet.html for a single version; sheet-A.html, sheet-B.html... for several."""
    return output.with_name(f"{output.stem}-{label}{output.suffix}") if label else output
