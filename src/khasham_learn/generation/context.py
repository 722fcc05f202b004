"""What generation needs about the whole bank, computed once, and the parts every question is made
of: its answer, the answers accepted, the ranges graded against, its sources and tags."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..disagreement import Agreement, AssessedClaim, Disagreement, assess, value_phrase
from ..model import Bank, Fact
from ..values import Value, normalize
from .model import SourceRef
from .wording import _list_phrase

# An open-ended claim ("more than 500") is graded as reaching this far above its bound.
OPEN_END_FACTOR = 1.5


_Make = Callable[..., None]  # questions_for_fact's `make`: variant, type, prompt, **fields


@dataclass
class _Context:
    """What generation needs about the whole bank, computed once."""

    bank: Bank
    verdicts: dict[str, Disagreement]
    pools: dict[tuple[str, str | None], list[Value]]  # the values reports give, by kind and unit
    # Facts by their statement's wording: a value that makes one of them true is no wrong answer for
    # the others ("Soldiers of the {answer} were stationed at the outpost" for two units).
    twins: dict[str, list[Fact]]
    parties: tuple[str, ...] = ()  # every party the bank's reports cite, each once, in the bank's order


def verdicts(bank: Bank) -> dict[str, Disagreement]:
    return {fact.id: assess(fact, bank) for fact in bank.facts}


def _context(bank: Bank) -> _Context:
    verdict_map = verdicts(bank)
    pools: dict[tuple[str, str | None], dict[str, Value]] = {}
    twins: dict[str, list[Fact]] = {}
    for fact in bank.facts:
        pool = pools.setdefault((fact.kind, fact.unit), {})
        for c in verdict_map[fact.id].right_claims:
            pool.setdefault(c.value.display, c.value)
        twins.setdefault(_template_key(fact.statement), []).append(fact)
    parties = tuple(dict.fromkeys(c.attributed_to for fact in bank.facts for c in fact.claims if c.attributed_to))
    return _Context(bank, verdict_map, {key: list(pool.values()) for key, pool in pools.items()}, twins, parties)


def _template_key(statement: str) -> str:
    return normalize(statement.replace("{answer}", " answer_slot "))


def answer_of(verdict: Disagreement) -> str:
    right = verdict.right_claims
    if verdict.status is Agreement.MEASURE and len({c.value.display for c in right}) > 1:
        return "; ".join(dict.fromkeys(value_phrase(c, True) for c in right))
    if verdict.status is Agreement.DISAGREE:
        values = list(dict.fromkeys(_list_phrase(c.value) for c in right))
        return f"{', '.join(values[:-1])} or {values[-1]}" if len(values) > 1 else values[0]
    return _list_phrase(_best(right).value)


def _best(claims: Iterable[AssessedClaim]) -> AssessedClaim:
    """The most precise value where values are intervals, else the one most sources give."""
    claims = list(claims)
    if claims[0].value.is_interval:
        return min(claims, key=lambda c: c.value.high - c.value.low)  # type: ignore[operator]
    counts: dict[str, int] = {}
    for c in claims:
        counts[c.value.key] = counts.get(c.value.key, 0) + 1
    return max(claims, key=lambda c: counts[c.value.key])


def _accepted(verdict: Disagreement, fact: Fact) -> tuple[str, ...]:
    out: list[str] = []
    for c in verdict.right_claims:
        if c.value.kind == "list":
            out.extend(c.value.items)
        else:
            out.append(c.value.display)
            if isinstance(c.claim.value, str):
                out.append(c.claim.value)
    out.extend(fact.accept)
    return tuple(dict.fromkeys(out))


def _ranges(claims: Iterable[AssessedClaim]) -> tuple[tuple[float, float], ...]:
    """The ranges an answer is graded against: a vague claim that holds a more precise one adds
    nothing ("2018" beside "2018-02-07" would otherwise accept any day of the year)."""
    spans = []
    for c in claims:
        if c.value.low is not None and c.value.high is not None:
            high = c.value.low * OPEN_END_FACTOR if c.value.high == float("inf") else c.value.high
            spans.append((c.value.low, high))
    spans = list(dict.fromkeys(spans))
    return tuple(
        span for span in spans
        if not any(other != span and span[0] <= other[0] and other[1] <= span[1] for other in spans)
    )


def _sources(claims: Iterable[AssessedClaim], bank: Bank) -> tuple[SourceRef, ...]:
    refs = []
    for c in claims:
        source = bank.sources.get(c.claim.source)
        refs.append(
            SourceRef(
                source=c.claim.source, label=source.label if source else c.claim.source,
                value=_list_phrase(c.value), quote=c.claim.quote, attributed_to=c.claim.attributed_to,
                qualifier=c.claim.qualifier, wrong=c.wrong,
            )
        )
    return tuple(refs)


def _shuffled(items: list[str], seed: str) -> tuple[str, ...]:
    items = list(items)
    random.Random(seed).shuffle(items)
    return tuple(items)


def _tags(fact: Fact, qtype: str, disputed: bool, claims: Iterable[AssessedClaim]) -> tuple[str, ...]:
    tags = [fact.topic, qtype.replace("_", "-")]
    if disputed:
        tags.append("disputed")
    tags += sorted({c.claim.source for c in claims})
    tags += list(fact.tags)
    return tuple(dict.fromkeys(tags))



def _at_odds(verdict: Disagreement) -> set[frozenset[int]]:
    """The pairs of claims (by index) the verdict finds contradicting each other."""
    rules = getattr(verdict, "rules", ())
    return {
        frozenset(pair) for k, pair in enumerate(verdict.conflicts)
        if k >= len(rules) or rules[k].verdict is Agreement.DISAGREE
    }

