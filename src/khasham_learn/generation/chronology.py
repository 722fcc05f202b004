"""The ordering questions: the dated events of the wider timeline, and the clock-timed events of
one night (or day), each in the order the sources give.

An event is a fact with an `event` name. Its place comes from its claims' values where they give a
date or a time, and otherwise from the event the reports say it came after (`after: <fact id>`).
Where neither decides two events' order (overlapping dates, reports that disagree on a time, two
events after the same one), either order counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Fact
from ..values import MINUTES_PER_DAY
from .context import _Context, _shuffled, _sources, answer_of
from .model import Question

SEQUENCE_JOIN = " → "
TIMELINE_ID = "timeline.sequence"  # the dated events; learners' progress hangs on this id
NIGHT_ID = "timeline.night"  # the clock-timed events of one night or day
TIMELINE_PREFIX = "timeline"
TIMELINE_MAX = 6  # events in one ordering question; more are split into several


@dataclass(frozen=True)
class Event:
    """A fact's event, with the span its claims give it (None for one placed only by `after`)."""

    fact: Fact
    span: tuple[float, float] | None


@dataclass(frozen=True)
class OrderedEvent:
    """An event in its place: `rank` is the span of places the sources leave it (either order
    counts between two events whose ranks overlap)."""

    fact: Fact
    span: tuple[float, float] | None
    rank: tuple[float, float]


def timeline(ctx: _Context) -> list[Question]:
    """'Put these events in order': the dated events, and the night's clock-timed ones."""
    dated, clocked = timeline_events(ctx)
    return _questions(ctx, dated, TIMELINE_ID, "Put these events in order, earliest first.") + _questions(
        ctx, clocked, NIGHT_ID,
        f"Put these events of one {'night' if _crosses_midnight(clocked) else 'day'} in order, earliest first.",
    )


def timeline_events(ctx: _Context) -> tuple[list[OrderedEvent], list[OrderedEvent]]:
    """The bank's events in order: those on dates, and those on the clock (times past midnight
    after the evening's); each `after` event goes with the one it follows."""
    by_id: dict[str, Fact] = {}
    for f in ctx.bank.facts:  # the first of a duplicated id, as `check` reads it
        by_id.setdefault(f.id, f)
    groups: dict[str, list[Event]] = {"date": [], "time": []}
    for fact in ctx.bank.facts:
        if not fact.event:
            continue
        root = _root(fact, by_id)
        if root is None or root.kind not in groups:
            continue
        span = _span(fact, ctx) if fact.kind == root.kind else None
        if span is None and fact.after is None:
            continue
        groups[root.kind].append(Event(fact, span))
    return _ordered(groups["date"]), _ordered(_rolled_over(groups["time"]))


def _root(fact: Fact, by_id: dict[str, Fact]) -> Fact | None:
    """The event an `after` chain starts from (None for a broken or circular chain: `check` names it)."""
    seen = {fact.id}
    while fact.after is not None:
        nxt = by_id.get(fact.after.text)
        if nxt is None or nxt.id in seen or not nxt.event:
            return None
        seen.add(nxt.id)
        fact = nxt
    return fact


def _span(fact: Fact, ctx: _Context) -> tuple[float, float] | None:
    """Where its agreeing reports overlap (the most precise); where they disagree, the span of
    everything they say, so that either order counts where the sources leave it open."""
    right = ctx.verdicts[fact.id].right_claims
    lows = [c.value.low for c in right if c.value.low is not None]
    highs = [c.value.high for c in right if c.value.high is not None]
    if not lows or not highs:
        return None
    low, high = max(lows), min(highs)
    if low > high:  # the reports disagree
        low, high = min(lows), max(highs)
    return low, high


def _rolled_over(events: list[Event]) -> list[Event]:
    """Clock times run round midnight: cut the clock at the longest stretch with no event, so that
    1:00 comes after 22:00 of the same night, and 8:00 before 14:00 of the same day."""
    timed = sorted(e.span[0] for e in events if e.span is not None)
    if len(timed) < 2:
        return events
    gaps = [(timed[(i + 1) % len(timed)] - t) % MINUTES_PER_DAY for i, t in enumerate(timed)]
    start = timed[(gaps.index(max(gaps)) + 1) % len(timed)]
    return [
        Event(e.fact, (e.span[0] + MINUTES_PER_DAY, e.span[1] + MINUTES_PER_DAY))
        if e.span is not None and e.span[0] < start else e
        for e in events
    ]


def _crosses_midnight(events: list[OrderedEvent]) -> bool:
    return any(e.span is not None and e.span[1] >= MINUTES_PER_DAY for e in events)


def _ordered(events: list[Event]) -> list[OrderedEvent]:
    """The events sorted, each with the places the sources leave it."""
    n = len(events)
    index: dict[str, int] = {}
    for i, e in enumerate(events):
        index.setdefault(e.fact.id, i)
    before = [[False] * n for _ in range(n)]  # before[a][b]: a came before b, by the sources
    for a, ea in enumerate(events):
        for b, eb in enumerate(events):
            if ea.span is not None and eb.span is not None and ea.span[1] < eb.span[0]:
                before[a][b] = True
        if ea.fact.after is not None and ea.fact.after.text in index:
            before[index[ea.fact.after.text]][a] = True
    for k in range(n):  # what came before what came before comes before too
        for a in range(n):
            if before[a][k]:
                for b in range(n):
                    before[a][b] = before[a][b] or before[k][b]
    if any(before[a][a] for a in range(n)):  # the declared order runs against the values: no order to ask
        return []
    # An event's first place is after everything that must come before it; its last, before the
    # first place of everything that must come after it.
    first = [0] * n
    for a in sorted(range(n), key=lambda a: sum(before[p][a] for p in range(n))):
        first[a] = max((first[p] + 1 for p in range(n) if before[p][a]), default=0)
    last = [min((first[s] - 1 for s in range(n) if before[a][s]), default=n) for a in range(n)]
    # Two events the sources leave in either order must overlap; where places cannot show that
    # (two separate chains), widen them: a lenient grade rather than a right order marked wrong.
    changed = True
    while changed:
        changed = False
        for a in range(n):
            for b in range(n):
                if a != b and not before[a][b] and not before[b][a] and last[a] < first[b]:
                    last[a], changed = first[b], True
    out = [OrderedEvent(e.fact, e.span, (float(first[i]), float(last[i]))) for i, e in enumerate(events)]
    return sorted(out, key=lambda e: (e.rank, e.span or (float("inf"), float("inf"))))


def _questions(ctx: _Context, events: list[OrderedEvent], base_id: str, prompt: str) -> list[Question]:
    chunks = [events[i:i + TIMELINE_MAX] for i in range(0, len(events), TIMELINE_MAX)]
    if len(chunks) > 1 and len(chunks[-1]) < 3:  # no one-event ordering question: borrow from the one before
        chunks[-2], chunks[-1] = chunks[-2][:-2], chunks[-2][-2:] + chunks[-1]
    by_id = {f.id: f for f in ctx.bank.facts}
    out = []
    for n, chunk in enumerate(c for c in chunks if len(c) >= 3):
        facts = [e.fact for e in chunk]
        verdicts = [ctx.verdicts[f.id] for f in facts]
        claims = [c for v in verdicts for c in v.claims]
        labels = [f.event or f.id for f in facts]
        # Each claim with what it says: the order an `after` declares is shown in the answer, not
        # stamped on claims that never state it.
        sources = tuple(
            replace(ref, value=f"{e.fact.event}: {ref.value}")
            for e, v in zip(chunk, verdicts) for ref in _sources(v.claims, ctx.bank)
        )
        shuffled = _shuffled(labels, qid := base_id if len(chunks) == 1 else f"{base_id}.{n + 1}")
        if list(shuffled) == labels:  # never hand out the answer
            shuffled = shuffled[1:] + shuffled[:1]
        disputed = any(v.disputed for e, v in zip(chunk, verdicts) if e.span is not None)
        notes = [f"{f.event}: {v.note}" for e, f, v in zip(chunk, facts, verdicts) if v.note and e.span is not None]
        out.append(Question(
            id=qid, type="sequence", prompt=prompt,
            answer=SEQUENCE_JOIN.join(
                f"{label} ({_when(e, by_id, answer_of(v))})" for label, e, v in zip(labels, chunk, verdicts)
            ),
            accepted=tuple(labels), fact=facts[0].id, topic=facts[0].topic, kind=facts[0].kind,
            tags=tuple(dict.fromkeys(["timeline", "sequence", *(["disputed"] if disputed else []),
                                      *sorted({c.claim.source for c in claims})])),
            disputed=disputed, note=" ".join(notes) or None, sources=sources, choices=shuffled,
            ranges=tuple(e.rank for e in chunk),
        ))
    return out


def _when(event: OrderedEvent, by_id: dict[str, Fact], value: str) -> str:
    """When the event was: its date or time, or for an event placed by `after`, what it followed."""
    if event.span is not None or event.fact.after is None:
        return value
    label = by_id[event.fact.after.text].event or event.fact.after.text
    first, _, rest = label.partition(" ")
    return f"after {first.lower() if first in ('The', 'A', 'An') else first} {rest}".rstrip()
