"""Deciding, from a fact's claims, whether the sources agree, and writing the note that says so."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum

from .model import Bank, Claim, Fact, Source
from .values import Value, parse_value, weekday_of

# Two spellings this alike are the same name spelt differently, not two different people.
SPELLING_SIMILARITY = 0.8


class Agreement(str, Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    SPELLING = "spelling"
    MEASURE = "measure"


@dataclass(frozen=True)
class AssessedClaim:
    claim: Claim
    value: Value
    wrong: str | None

    @property
    def measure(self) -> str:
        return self.claim.qualifier or ""

    @property
    def measure_key(self) -> str:
        return " ".join(self.measure.casefold().split())


@dataclass(frozen=True)
class Disagreement:
    """The verdict on one fact: how its claims relate, and the note an answer shows."""

    fact: str
    status: Agreement
    claims: tuple[AssessedClaim, ...]
    conflicts: tuple[tuple[int, int], ...]
    note: str | None

    @property
    def disputed(self) -> bool:
        return self.status in (Agreement.DISAGREE, Agreement.SPELLING)

    @property
    def right_claims(self) -> tuple[AssessedClaim, ...]:
        """The claims a student may answer with: all but those shown wrong (possibly none)."""
        return tuple(c for c in self.claims if not c.wrong)

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple({c.measure_key: c.measure for c in self.claims}.values())


def assess_claims(fact: Fact, bank: Bank) -> tuple[AssessedClaim, ...]:
    """Typed claims, with the weekday of a date checked against that date."""
    date_value = _single_date(bank.fact(fact.date_fact), bank) if fact.date_fact else None
    out = []
    for claim in fact.claims:
        try:
            value = parse_value(fact.kind, claim.value)
        except ValueError:
            continue  # the checker reports it; an unparsable claim takes no part in the verdict
        wrong = claim.wrong
        if value.kind == "weekday" and date_value is not None:
            actual = weekday_of(date_value)
            if actual and actual != value.display and not wrong:
                wrong = f"{date_value.display} was a {actual}"
        out.append(AssessedClaim(claim, value, wrong))
    return tuple(out)


def _single_date(fact: Fact | None, bank: Bank) -> Value | None:
    """The one day the date fact's sound claims agree on, if they name one day."""
    if fact is None or fact.kind != "date":
        return None
    values = set()
    for claim in fact.claims:
        if claim.wrong:
            continue
        try:
            values.add(parse_value("date", claim.value))
        except ValueError:
            continue
    days = {v for v in values if v.low == v.high}
    if len(days) != 1:
        return None
    day = days.pop()
    return day if all(v.low <= day.low <= v.high for v in values) else None  # type: ignore[operator]


def conflict(a: Value, b: Value) -> Agreement | None:
    """How two values measuring the same thing differ: None when they are compatible."""
    if a.is_interval and b.is_interval:
        return None if a.meets(b) else Agreement.DISAGREE
    if a.kind in ("list", "text"):
        # Reports list what they saw and word things their own way: a shorter or different list is
        # not a contradiction. Opposite views are declared as a choice fact's alternatives.
        return None
    if a.key == b.key:
        return None
    if a.kind == "name" and _alike(a.key, b.key):
        return Agreement.SPELLING
    return Agreement.DISAGREE


def _alike(a: str, b: str) -> bool:
    """Two spellings of one name: 'jeffrey l harrigian' and 'jeffrey harrigan', 'prigozhin' and 'prigozhim'."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) > 1 and len(words_b) > 1 and not _same_first_name(words_a[0], words_b[0]):
        return False  # Jim Mattis and Mary Mattis are two people
    if difflib.SequenceMatcher(None, a, b).ratio() >= SPELLING_SIMILARITY:
        return True
    return difflib.SequenceMatcher(None, words_a[-1], words_b[-1]).ratio() >= SPELLING_SIMILARITY and min(len(words_a[-1]), len(words_b[-1])) >= 5


def _same_first_name(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)) or (
        difflib.SequenceMatcher(None, a, b).ratio() >= SPELLING_SIMILARITY
    )


def assess(fact: Fact, bank: Bank) -> Disagreement:
    claims = assess_claims(fact, bank)
    conflicts: list[tuple[int, int]] = []
    kinds: set[Agreement] = set()
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.measure_key != b.measure_key:
                continue
            found = conflict(a.value, b.value)
            if found is not None:
                conflicts.append((i, j))
                kinds.add(found)
    if Agreement.DISAGREE in kinds:
        status = Agreement.DISAGREE
    elif Agreement.SPELLING in kinds:
        status = Agreement.SPELLING
    elif len({c.measure_key for c in claims}) > 1:
        status = Agreement.MEASURE
    else:
        status = Agreement.AGREE
    return Disagreement(fact.id, status, claims, tuple(conflicts), write_note(status, claims, bank.sources))


_OPENINGS = {
    Agreement.DISAGREE: "Sources disagree",
    Agreement.SPELLING: "Sources spell it differently",
    Agreement.MEASURE: "Sources measure different things",
}


def cite(claim: Claim, sources: dict[str, Source]) -> str:
    """'the history article, citing The New York Times'."""
    source = sources.get(claim.source)
    label = source.label if source else claim.source
    return f"{label}, citing {claim.attributed_to}" if claim.attributed_to else label


def value_phrase(assessed: AssessedClaim, with_measure: bool) -> str:
    if with_measure and assessed.measure:
        return f"{assessed.measure}: {assessed.value.display}"
    return assessed.value.display


def write_note(status: Agreement, claims: tuple[AssessedClaim, ...], sources: dict[str, Source]) -> str | None:
    """One sentence naming every value with each source and whom it cites; None when they agree."""
    if status is Agreement.AGREE:
        return None
    with_measure = len({c.measure_key for c in claims}) > 1
    groups: dict[tuple[str, str | None], list[str]] = {}
    for c in claims:
        key = (value_phrase(c, with_measure), c.wrong)
        cited = cite(c.claim, sources)
        if cited not in groups.setdefault(key, []):
            groups[key].append(cited)
    parts = []
    for (phrase, wrong), cites in groups.items():
        part = f"{phrase} ({'; '.join(cites)})"
        parts.append(f"{part}, shown wrong: {_unstop(wrong)}" if wrong else part)
    return f"{_OPENINGS[status]}: {'; '.join(parts)}."


def _unstop(text: str) -> str:
    return text.rstrip().rstrip(".")
