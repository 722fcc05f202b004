"""The data model: sources, the claims they make, facts, and teachers' question edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import Position

KINDS = ("number", "time", "date", "weekday", "duration", "name", "list", "choice", "text")

# Every question type and what it asks: the one list the CLI's --type help and checking read. A
# teacher can write the first seven in questions.yaml; the last ones only bank-wide families make.
QUESTION_TYPE_HELP = {
    "free": "a typed answer",
    "numeric": "a typed number, time or date",
    "choice": "one answer from a list",
    "multi": "every answer that applies",
    "true_false": "true or false",
    "which_report": "which report says it",
    "cloze": "the word missing from a sentence",
    "sequence": "events put in order; --type ordering says the same",
    "matching": "each description matched to its party",
}
QUESTION_TYPES = ("free", "numeric", "choice", "multi", "true_false", "which_report", "cloze")
ALL_QUESTION_TYPES = tuple(QUESTION_TYPE_HELP)


@dataclass(frozen=True)
class Source:
    id: str
    label: str
    headline: str
    file: str
    kind: str
    position: Position
    captions: tuple[str, ...] = ()
    author: str | None = None
    outlet: str | None = None
    file_position: Position | None = None  # of the `file:` line, where a missing report text is reported


@dataclass(frozen=True)
class Claim:
    source: str
    value: str | tuple[str, ...]
    quote: str
    position: Position
    attributed_to: str | None = None
    qualifier: str | None = None
    wrong: str | None = None
    value_position: Position | None = None
    quote_position: Position | None = None


@dataclass(frozen=True)
class Declared:
    """A value a teacher names in a fact's `contradicts` or `same`, where it was written."""

    text: str
    position: Position


@dataclass(frozen=True)
class Contradiction:
    """A teacher's word that the values on one side contradict those on the other, where the
    wording alone cannot tell ("Russian troops" against "mercenaries")."""

    one: tuple[Declared, ...]
    other: tuple[Declared, ...]
    position: Position


@dataclass(frozen=True)
class Sameness:
    """A teacher's word that these values name one and the same thing (Launay, Launey)."""

    values: tuple[Declared, ...]
    position: Position


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    prompt: str
    statement: str
    kind: str
    claims: tuple[Claim, ...]
    position: Position
    unit: str | None = None
    alternatives: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    date_fact: str | None = None
    tags: tuple[str, ...] = ()
    event: str | None = None  # a short name for the event, to put it on the timeline
    # The event this one came after, by the reports, for an event no claim gives a date or time
    # (the calls "for the first 15 minutes", the warning shots "when that failed").
    after: Declared | None = None
    # What a word-choice fact's values describe ("the clash"): facts tagged `word-choice` with the
    # same `describes` are matched together, description to party.
    describes: str | None = None
    # What the fact is about as a noun phrase ("the number of US soldiers at the outpost"), for the
    # questions that compare the reports on it ("Do the reports agree on ...?").
    subject: str | None = None
    contradicts: tuple[Contradiction, ...] = ()
    same: tuple[Sameness, ...] = ()
    # Keys the fact has misspelt (each reported as an unknown key): not said to be missing as well.
    misspelt: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    file: str


@dataclass(frozen=True)
class QuestionEdit:
    """A teacher's entry in questions.yaml: a change to a generated question, or a new one.

    A new question has a `type`; an edit has none and may only reword, retag or switch off.
    """

    id: str
    position: Position
    type: str | None = None
    fact: str | None = None
    prompt: str | None = None
    answer: str | None = None
    accepted: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    tags: tuple[str, ...] | None = None
    enabled: bool = True
    positions: dict[str, Position] = field(default_factory=dict, compare=False)

    @property
    def is_new(self) -> bool:
        return self.type is not None


@dataclass(frozen=True)
class Gaps:
    """What loading could not read whole, so that `check` says what it could not check instead of
    reporting what follows from it (an 'unknown source' at every claim when sources.yaml is broken).
    Every bank with gaps has errors, so only `check` sees one."""

    sources_file: str | None = None  # sources.yaml as shown, when it is missing or failed to load
    facts_files: tuple[str, ...] = ()  # facts files (or the folder) that failed to load, wholly or in part
    sources: frozenset[str] = frozenset()  # ids of sources read with an error, kept out of Bank.sources
    # Facts read with an error (an unknown kind, a bad id, a claim short of a field), kept out of
    # Bank.facts so nothing is generated from them; check still checks the rest of each. A field
    # that could not be read is empty ("").
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Bank:
    root: Path
    title: str
    sources: dict[str, Source]
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    edits: tuple[QuestionEdit, ...]
    description: str = ""
    gaps: Gaps = Gaps()

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    def fact(self, fact_id: str) -> Fact | None:
        return self.facts_by_id.get(fact_id)

    def topic_title(self, topic_id: str) -> str:
        return next((t.title for t in self.topics if t.id == topic_id), topic_id)
