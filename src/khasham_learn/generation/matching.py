"""The bank-wide word-choice question: match each description to the party that used it.

A teacher marks a fact as word-choice material with the tag `word-choice`; its claims that a party
is credited with ("unprovoked", attributed to CENTCOM) become the pairs. Facts with the same
`describes` ("the clash") are matched together; without it, a topic's word-choice facts are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..disagreement import AssessedClaim
from ..model import Fact
from ..values import name_key, normalize
from .context import _Context, _shuffled, _sources
from .model import Question, SourceRef
from .wording import _list_phrase

WORD_CHOICE_TAG = "word-choice"
MATCHING_ID = "wordchoice"  # ids are `wordchoice.<first fact id>`, then `.2`, `.3` for the rest when split
MATCH_MAX = 6  # pairs in one matching question; more are split into several
MATCH_MIN = 3  # fewer pairs leave too little to match (two pairs: knowing one gives the other)
MATCH_JOIN = " → "
# Word-choice values are words; a number or date a party gave is no description.
_WORDED_KINDS = frozenset({"text", "list", "choice", "name"})


@dataclass(frozen=True)
class _Pair:
    description: str
    party: str
    fact: Fact
    claims: tuple[AssessedClaim, ...]  # every claim of the group giving this description


def _party_key(party: str) -> str:
    return name_key(party).removeprefix("the ")


def word_choice(ctx: _Context) -> list[Question]:
    """One matching question per group of word-choice facts (split when it has more than MATCH_MAX pairs)."""
    groups: dict[str, list[Fact]] = {}
    for fact in ctx.bank.facts:
        if WORD_CHOICE_TAG in fact.tags and fact.kind in _WORDED_KINDS:
            groups.setdefault(fact.describes or f"topic {fact.topic}", []).append(fact)
    # Who used each description anywhere in the bank: a party that used it too is a second right answer.
    users: dict[str, set[str]] = {}
    for fact in ctx.bank.facts:
        for c in ctx.verdicts[fact.id].claims:
            if c.claim.attributed_to and not c.wrong:
                users.setdefault(normalize(_list_phrase(c.value)), set()).add(_party_key(c.claim.attributed_to))
    out: list[Question] = []
    for facts in groups.values():
        out += _questions(facts, _pairs(facts, ctx, users), ctx)
    return out


def _pairs(facts: list[Fact], ctx: _Context, users: dict[str, set[str]]) -> list[_Pair]:
    """Each description with the first party credited with it; a description that another party of
    the group used too (anywhere in the bank) is left out, as it would have two right answers."""
    found: dict[str, _Pair] = {}
    for fact in facts:
        for c in ctx.verdicts[fact.id].claims:
            if not c.claim.attributed_to or c.wrong:
                continue  # a report's own words have no party to match; a claim shown wrong teaches nothing
            description = _list_phrase(c.value)
            key = normalize(description)
            pair = found.get(key)
            if pair is None:
                found[key] = _Pair(description, c.claim.attributed_to, fact, (c,))
            else:
                found[key] = replace(pair, claims=(*pair.claims, c))
    parties = {_party_key(p.party) for p in found.values()}
    return [
        p for key, p in found.items()
        if not (users.get(key, set()) - {_party_key(p.party)}) & parties
    ]


def _chunks(pairs: list[_Pair]) -> list[list[_Pair]]:
    """At most MATCH_MAX pairs each, as even as can be: 7 pairs make 4 and 3, not 6 and 1."""
    if len(pairs) < MATCH_MIN:
        return []
    count = -(-len(pairs) // MATCH_MAX)
    size, extra = divmod(len(pairs), count)
    out, start = [], 0
    for n in range(count):
        end = start + size + (n < extra)
        out.append(pairs[start:end])
        start = end
    return [c for c in out if len(c) >= MATCH_MIN]


def _questions(facts: list[Fact], pairs: list[_Pair], ctx: _Context) -> list[Question]:
    out = []
    describes = facts[0].describes
    prompt = (f"Match each description of {describes} to the party that used it" if describes
              else "Match each description to the party that used it")
    chunks = _chunks(pairs)
    for n, chunk in enumerate(chunks, 1):
        part = f" (part {n} of {len(chunks)})" if len(chunks) > 1 else ""  # no two questions share a prompt
        qid = f"{MATCHING_ID}.{facts[0].id}" + (f".{n}" if n > 1 else "")
        parties = list(dict.fromkeys(p.party for p in chunk))
        shuffled = _shuffled(parties, qid)
        if len(parties) > 1 and [p.party for p in chunk] == list(shuffled):  # never hand out the answer
            shuffled = shuffled[1:] + shuffled[:1]
        claims = [c for p in chunk for c in p.claims]
        sources: tuple[SourceRef, ...] = tuple(
            ref for p in chunk for ref in _sources(p.claims, ctx.bank)
        )
        out.append(Question(
            id=qid, type="matching", prompt=f"{prompt}{part}.",
            answer="; ".join(f"{p.description}{MATCH_JOIN}{p.party}" for p in chunk),
            accepted=tuple(p.description for p in chunk), fact=chunk[0].fact.id, topic=chunk[0].fact.topic,
            kind="text", tags=tuple(dict.fromkeys([WORD_CHOICE_TAG, "matching",
                                                   *sorted({c.claim.source for c in claims})])),
            disputed=False, note=None, sources=sources, choices=shuffled,
            pairs=tuple((p.description, p.party) for p in chunk),
        ))
    return out
