"""Where the reports differ: what each voice says ("According to X, ...?"), and which report says
a value only it gives ("Which report says: ...?")."""

from __future__ import annotations

import re
import zlib

from ..disagreement import Agreement, AssessedClaim, Disagreement, cite
from ..model import Fact
from ..values import normalize
from .context import _at_odds, _Context, _Make, _ranges, _shuffled, _template_key
from .distractors import MAX_CHOICES, _distractors, _supports
from .wording import _according_prompt, _list_phrase, _with_measure, party_named, question_prompt, claim_clause, claim_statement

def _according(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """One question per voice (report and whom it cites) and measure: what does it say?"""
    voices: dict[tuple[str, str | None, str], list[int]] = {}
    for index, assessed in enumerate(verdict.claims):
        key = (assessed.claim.source, assessed.claim.attributed_to, assessed.measure_key)
        voices.setdefault(key, []).append(index)
    odds = _at_odds(verdict)
    asked: dict[str, int] = {}
    answered: set[tuple[str, str, tuple[str, ...]]] = set()
    for (source, _, measure), indices in voices.items():
        claims = [verdict.claims[i] for i in indices]
        asked[source] = asked.get(source, 0) + 1
        # Ids hold only ids: a fact id, a variant, a source id, and a number when a report speaks twice.
        variant = f"according.{source}" + (f".{asked[source]}" if asked[source] > 1 else "")
        said = list(dict.fromkeys(_list_phrase(c.value) for c in claims))
        # A report that gives the same value twice, once in its own words and once citing someone
        # ("more than 100 Assad forces dead"; "... the BBC reported"), is asked it once; the number
        # is still counted, so the ids of its other voices do not move.
        if (said_once := (source, measure, tuple(sorted(normalize(s) for s in said)))) in answered:
            continue
        answered.add(said_once)
        # Wrong choices: only what contradicts everything this voice says ("mercenaries" is no wrong
        # answer where a report says "private military contractors": the two do not conflict).
        others = [
            c.value.display for j, c in enumerate(verdict.claims)
            if all(frozenset((i, j)) in odds for i in indices)
        ]
        # a wrong claim's value may also be a distractor ("Tuesday"): each choice is offered once
        taken = {normalize(text) for text in [*said, *others]}
        others = list(dict.fromkeys(others)) + [
            text for text in _distractors(fact, claims, ctx, MAX_CHOICES - 1) if normalize(text) not in taken
        ]
        prompt = _according_prompt(question_prompt(fact), cite(claims[0].claim, ctx.bank.sources))
        if len(verdict.measures) > 1:
            prompt = _with_measure(prompt, claims[0].measure, verdict.measures)
        items = [i for c in claims for i in c.value.items]
        common = dict(
            answer=" or ".join(said), accepted=tuple(dict.fromkeys([*said, *items])),
            claims=tuple(claims), ranges=_ranges(claims),
        )
        if len(others) >= 2 and fact.kind != "list" and len(said) == 1:
            make(variant, "choice", prompt, choices=_shuffled(said + others[: MAX_CHOICES - 1], fact.id + variant), **common)
        else:
            make(variant, "numeric" if claims[0].value.is_interval else "free", prompt, **common)


def which_report_prompt(fact: Fact, assessed: AssessedClaim, measures: tuple[str, ...]) -> str:
    """'Which report says: ...?' for a report's own claim; 'Which report cites X as saying that ...?'
    for a claim it relays, so no outlet is credited with a party's words."""
    statement = claim_statement(fact, assessed, measures)
    party = assessed.claim.attributed_to
    if not party or party_named(fact.statement.replace("{answer}", ""), party):
        return f"Which report says: {statement}"
    said = claim_clause(fact, assessed, measures)
    # "Russian and Syrian officials, via The New York Times, as saying": the aside closes with a comma
    aside = "," if re.search(r",\s+via\s+", party) else ""
    return f"Which report cites {party}{aside} as saying that {said}?"


def _which_report(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """'Which report says ...' for a value only one report gives, with exactly one report among the
    choices that fits: every other choice is a report with no claim near that value, for this fact
    or any fact whose statement reads the same."""
    if len({c.claim.source for c in verdict.claims}) < 2:
        return
    labels = {sid: s.label for sid, s in ctx.bank.sources.items()}
    twins = ctx.twins.get(_template_key(fact.statement), [fact])
    every = [c for twin in twins for c in ctx.verdicts[twin.id].claims]
    variants = _which_variants(verdict)
    odds = _at_odds(verdict)
    done: set[tuple[str, str]] = set()
    # A report's own voice first: the plainest statement of a value it gives.
    for index in sorted(range(len(verdict.claims)), key=lambda i: verdict.claims[i].claim.attributed_to is not None):
        assessed = verdict.claims[index]
        source = assessed.claim.source
        key = (assessed.measure_key, assessed.value.display)
        if key in done or source not in labels:
            continue
        # The reports that could be said to give it: any claim of this fact not at odds with it (by
        # the fact's declarations too), and any claim of a fact whose statement reads the same that
        # bears it out.
        near = {c.claim.source for j, c in enumerate(verdict.claims)
                if c.measure_key == assessed.measure_key and frozenset((index, j)) not in odds}
        near |= {c.claim.source for c in every if c.measure_key == assessed.measure_key
                 and (_supports(c.value, assessed.value) or _supports(assessed.value, c.value))}
        if near != {source}:
            continue  # another report gives it too: two right choices
        done.add(key)
        others = sorted(set(labels) - near, key=lambda s: zlib.crc32((fact.id + s).encode()))
        if not others:
            continue
        variant = variants.get(assessed.value.display)
        if variant is None:
            continue
        choices = [labels[source]] + [labels[s] for s in others[: MAX_CHOICES - 1]]
        make(variant, "which_report", which_report_prompt(fact, assessed, verdict.measures), answer=labels[source],
             accepted=(labels[source], source), choices=_shuffled(choices, fact.id + variant), claims=(assessed,))



def _which_variants(verdict: Disagreement) -> dict[str, str]:
    """The variant of each value's which-report question, numbered as ids always were: by the order
    of the values only one report gives (by wording), so a question dropped as ambiguous never
    hands its id, and a learner's progress, to another."""
    owners: dict[str, set[str]] = {}
    for c in verdict.claims:
        owners.setdefault(c.value.display, set()).add(c.claim.source)
    asked: dict[str, int] = {}
    out: dict[str, str] = {}
    for c in verdict.claims:
        source = c.claim.source
        if owners[c.value.display] != {source} or c.value.display in out:
            continue
        asked[source] = asked.get(source, 0) + 1
        out[c.value.display] = f"which.{source}" + (f".{asked[source]}" if asked[source] > 1 else "")
    return out



def according_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """What each report says, where they differ, or where every claim is shown wrong (then it is all
    that is asked)."""
    if not verdict.right_claims or verdict.status in (Agreement.DISAGREE, Agreement.MEASURE):
        _according(fact, verdict, ctx, make)


def which_report_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """Which report says a value only it gives, where the reports differ."""
    if verdict.right_claims and verdict.status in (Agreement.DISAGREE, Agreement.MEASURE):
        _which_report(fact, verdict, ctx, make)
