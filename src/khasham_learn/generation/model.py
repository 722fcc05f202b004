"""What generation makes: a question, and the report claims it rests on."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Facts tagged so test detail (ranks, roles, spellings, who wrote what) rather than the event: the
# quiz and the Anki deck's new cards come to them after the contested core.
DETAIL_TAG = "detail"


@dataclass(frozen=True)
class SourceRef:
    source: str
    label: str
    value: str
    quote: str
    attributed_to: str | None = None
    qualifier: str | None = None
    wrong: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    answer: str
    accepted: tuple[str, ...]
    fact: str
    topic: str
    kind: str
    tags: tuple[str, ...]
    disputed: bool
    note: str | None
    sources: tuple[SourceRef, ...]
    choices: tuple[str, ...] = ()
    ranges: tuple[tuple[float, float], ...] = ()
    cloze: str | None = None
    origin: str = "generated"
    enabled: bool = True
    statement: str | None = None  # the fact's statement with the right answer in place
    unit: str | None = None  # the fact's unit ("miles"): the grader converts an answer given in another
    # A matching question's (description, party) pairs in the order asked; `accepted` holds the
    # descriptions in that order and `choices` the parties, shuffled.
    pairs: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "type": self.type,
            "prompt": self.prompt,
            "answer": self.answer,
            "accepted": list(self.accepted),
        }
        if self.choices:
            data["choices"] = list(self.choices)
        if self.ranges:
            data["ranges"] = [list(r) for r in self.ranges]
        if self.cloze:
            data["cloze"] = self.cloze
        if self.statement:
            data["statement"] = self.statement
        if self.pairs:
            data["pairs"] = [list(p) for p in self.pairs]
        data.update(
            fact=self.fact,
            topic=self.topic,
            kind=self.kind,
            tags=list(self.tags),
            disputed=self.disputed,
            note=self.note,
            origin=self.origin,
            sources=[s.to_dict() for s in self.sources],
        )
        return data


def is_detail(question: Question) -> bool:
    return DETAIL_TAG in question.tags

