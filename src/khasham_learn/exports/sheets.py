"""A worksheet for a lesson: which questions, in how many versions, in which order, for how many points.

Not a format itself (it is not in FORMATS); the html and markdown worksheets build on it. A sheet
holds at most one form of a fact and no question whose prompt states another's answer (giveaways.py),
picked the way the quiz picks (the same seed, the same questions). Versions A, B... ask the same
questions topic by topic, each with its topics, questions and choices in its own order, so
neighbours cannot copy; the html and markdown sheets print a version's questions in its order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..generation import Question
from ..giveaways import one_per_fact, spread_topics, value_forms, without_giveaways
from ..quiz import pick
from . import write_atomically
from .common import answers_path, by_topic, match_key, right_answers, short_answer

if TYPE_CHECKING:
    from ..model import Bank
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

    A sheet is read whole, so nothing is common ground on it: an answer any other prompt names
    ("Lt. Gen." for the rank) gives it away, and a true/false statement is given away by a prompt
    naming its fact's value."""
    ordered = pick(questions, None, seed, core_first=False) if seed is not None else list(questions)
    candidates = spread_topics(one_per_fact(ordered))
    values = value_forms(questions)
    if count is None:
        return without_giveaways(candidates, statement_forms=values)
    chosen: list[Question] = []
    for question in candidates:
        if len(chosen) == count:
            break
        trial = [*chosen, question]
        if len(without_giveaways(trial, statement_forms=values)) == len(trial):
            chosen = trial
    return chosen


def versions(bank: Bank, questions: list[Question], number: int, seed: str | None) -> list[Version]:
    """`number` versions of the same questions, each asked topic by topic. The first takes the topics
    in the bank's order and each topic's questions in the order given; each other one shuffles the
    topics, the questions within each topic and every question's choices, seeded by the seed and its
    letter, and asks in another order than the versions before it whenever the sheet allows one."""
    first = [q for group in by_topic(bank, questions) for q in group.questions]
    if number <= 1:
        return [Version("", first)]
    out = [Version("A", first)]
    for index in range(1, number):
        label = chr(ord("A") + index)
        rng = random.Random(f"{seed or ''}/{label}")
        asked = _another_order(first, [[q.id for q in v.questions] for v in out], rng)
        out.append(Version(label, [_shuffled_choices(q, rng) for q in asked]))
    return out


# Tries at an order that no version before has. With two questions or more, each try differs from
# A's order with a chance of one half at least: 64 tries never all miss in practice.
_ORDER_TRIES = 64


def _another_order(first: list[Question], taken: list[list[str]], rng: random.Random) -> list[Question]:
    """The topics in a shuffled order, each with its questions shuffled: an order none of `taken`
    has, else (a small sheet has few orders) one that differs at least from the first version's."""
    differs: list[Question] | None = None
    candidate = first
    for _ in range(_ORDER_TRIES):
        sections = _runs(first)
        rng.shuffle(sections)
        for section in sections:
            rng.shuffle(section)
        candidate = [q for section in sections for q in section]
        order = [q.id for q in candidate]
        if order not in taken:
            return candidate
        if differs is None and order != taken[0]:
            differs = candidate
    return differs or candidate


def _runs(questions: list[Question]) -> list[list[Question]]:
    """The questions cut where the topic changes: a sheet's topic sections."""
    runs: list[list[Question]] = []
    for q in questions:
        if runs and runs[-1][0].topic == q.topic:
            runs[-1].append(q)
        else:
            runs.append([q])
    return runs


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
    return versions(job.bank, chosen, int(job.options.get("versions") or 1), seed)


@dataclass(frozen=True)
class Section:
    """A topic's questions as a sheet prints them: under the topic's title, numbered on from `first`."""

    title: str
    first: int
    questions: list[Question]

    def numbered(self) -> list[tuple[int, Question]]:
        return list(enumerate(self.questions, self.first))


def sections(bank: Bank, questions: list[Question]) -> list[Section]:
    """The questions topic by topic in the order given (a version's own), numbered from 1 across the sheet."""
    out: list[Section] = []
    number = 1
    for run in _runs(questions):
        out.append(Section(bank.topic_title(run[0].topic), number, run))
        number += len(run)
    return out


def version_title(bank: Bank, version: Version) -> str:
    return f"{bank.title}: version {version.label}" if version.label else bank.title


def total_points(questions: list[Question]) -> int:
    return sum(points(q) for q in questions)


@dataclass(frozen=True)
class KeyRow:
    """A line of the compact key: the question's number on its sheet, the answer to mark by, its points."""

    number: int
    answer: str
    points: int


def key_title(version: Version) -> str:
    return f"Key to version {version.label}" if version.label else "Key"


def key_rows(version: Version) -> list[KeyRow]:
    return [KeyRow(n, short_answer(q), points(q)) for n, q in enumerate(version.questions, 1)]


def answers_title(sheets: list[Version]) -> str:
    """The heading of the full answers, given once for all versions in the first one's numbering."""
    return "Answers and sources" + (f" (numbered as version {sheets[0].label})" if sheets[0].label else "")


def full_answer(q: Question) -> str:
    """The answer as the full key gives it: each right answer, or each pair with its number and letter."""
    return "; ".join(match_key(q) if q.type == "matching" else right_answers(q))


def write_sheets(job: ExportJob, worksheet: Callable[[Bank, Version], str],
                 answer_key: Callable[[Bank, list[Version]], str]) -> list[Path]:
    """Each version's sheet, then the one answer key: the files a worksheet export writes."""
    sheets = plan(job)
    written = [write_atomically(version_path(job.output, v.label), worksheet(job.bank, v)) for v in sheets]
    return [*written, write_atomically(answers_path(job.output), answer_key(job.bank, sheets))]


def version_path(output: Path, label: str) -> Path:
    """sheet.html for a single version; sheet-A.html, sheet-B.html... for several."""
    return output.with_name(f"{output.stem}-{label}{output.suffix}") if label else output
