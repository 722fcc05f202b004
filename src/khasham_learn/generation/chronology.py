"""The bank-wide ordering question: the dated events, in the order the sources give."""

from __future__ import annotations

from dataclasses import replace

from ..model import Fact
from .context import _Context, _shuffled, _sources, answer_of
from .model import Question

SEQUENCE_JOIN = " → "
TIMELINE_ID = "timeline.sequence"
TIMELINE_MAX = 5  # events in one ordering question; more are split into several


def timeline(ctx: _Context) -> list[Question]:
    """'Put these events in order': the date facts that name an event, ordered by what the sources say.

    Each event's date is where its agreeing reports overlap (the most precise); where reports
    disagree, the span of everything they say, so that either order counts where the sources
    leave it open.
    """
    dated: list[tuple[float, float, Fact]] = []
    for fact in ctx.bank.facts:
        right = ctx.verdicts[fact.id].right_claims
        if not fact.event or fact.kind != "date" or not right:
            continue
        lows = [c.value.low for c in right if c.value.low is not None]
        highs = [c.value.high for c in right if c.value.high is not None]
        if not lows or not highs:
            continue
        low, high = max(lows), min(highs)
        if low > high:  # the reports disagree
            low, high = min(lows), max(highs)
        dated.append((low, high, fact))
    dated.sort(key=lambda d: (d[0], d[1]))
    chunks = [dated[i:i + TIMELINE_MAX] for i in range(0, len(dated), TIMELINE_MAX)]
    if len(chunks) > 1 and len(chunks[-1]) < 3:  # no one-event ordering question: borrow from the one before
        chunks[-2], chunks[-1] = chunks[-2][:-2], chunks[-2][-2:] + chunks[-1]
    out = []
    for n, chunk in enumerate(c for c in chunks if len(c) >= 3):
        facts = [f for _, _, f in chunk]
        verdicts = [ctx.verdicts[f.id] for f in facts]
        claims = [c for v in verdicts for c in v.claims]
        labels = [f.event or f.id for f in facts]
        sources = tuple(
            replace(ref, value=f"{f.event}: {ref.value}")
            for f, v in zip(facts, verdicts) for ref in _sources(v.claims, ctx.bank)
        )
        shuffled = _shuffled(labels, qid := TIMELINE_ID if len(chunks) == 1 else f"{TIMELINE_ID}.{n + 1}")
        if list(shuffled) == labels:  # never hand out the answer
            shuffled = shuffled[1:] + shuffled[:1]
        disputed = any(v.disputed for v in verdicts)
        notes = [f"{f.event}: {v.note}" for f, v in zip(facts, verdicts) if v.note]
        out.append(Question(
            id=qid, type="sequence", prompt="Put these events in order, earliest first.",
            answer=SEQUENCE_JOIN.join(f"{label} ({answer_of(v)})" for label, v in zip(labels, verdicts)),
            accepted=tuple(labels), fact=facts[0].id, topic=facts[0].topic, kind="date",
            tags=tuple(dict.fromkeys(["timeline", "sequence", *(["disputed"] if disputed else []),
                                      *sorted({c.claim.source for c in claims})])),
            disputed=disputed, note=" ".join(notes) or None, sources=sources, choices=shuffled, ranges=tuple((low, high) for low, high, _ in chunk),
        ))
    return out

