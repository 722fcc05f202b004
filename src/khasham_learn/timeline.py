"""The events in order: the night, from the facts with a clock time and those the reports place after
them, and the wider events, from the date facts that name an event; each with every report's value.

The order comes from the claims: a time or date event sits where its sound claims put it earliest
(the narrowest claim's start: '7 February 2018' before '2018'); an event with `after` follows the
one it names, by the reports' own account, before the next event with a time of its own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .disagreement import AssessedClaim, assess, value_phrase, voice_of
from .model import Bank, Fact

MINUTES_PER_DAY = 24 * 60
# The night runs from one evening into the next morning: a time before noon comes after the evening's.
NIGHT_TURNS_AT = 12 * 60


@dataclass(frozen=True)
class Mention:
    """One report's value for an event, and whom it credits."""

    value: str
    source: str
    report: str
    party: str | None
    wrong: str | None

    @property
    def who(self) -> str:
        return f"{self.report}, citing {self.party}" if self.party else self.report


@dataclass(frozen=True)
class Entry:
    fact: str
    event: str
    when: str  # the time or date as the reports give it ("about 10:00 p.m. or about 10:30 p.m."), or "then"
    disputed: bool
    mentions: tuple[Mention, ...]
    after: str | None = None


@dataclass(frozen=True)
class Timeline:
    night: tuple[Entry, ...]
    wider: tuple[Entry, ...]


def timeline(bank: Bank) -> Timeline:
    timed = [f for f in bank.facts if f.event and f.kind == "time" and not f.after]
    dated = [f for f in bank.facts if f.event and f.kind == "date" and not f.after]
    following: dict[str, list[Fact]] = {}
    for f in bank.facts:
        if f.event and f.after:
            following.setdefault(f.after.text, []).append(f)
    seen: set[str] = set()

    def place(fact: Fact, into: list[Entry]) -> None:
        if fact.id in seen:  # `check` reports a circle; here it only must not loop
            return
        seen.add(fact.id)
        into.append(_entry(fact, bank))
        for later in following.get(fact.id, []):
            place(later, into)

    night: list[Entry] = []
    wider: list[Entry] = []
    for fact in sorted(timed, key=lambda f: _start(f, bank, night_clock=True)):
        place(fact, night)
    for fact in sorted(dated, key=lambda f: _start(f, bank)):
        place(fact, wider)
    return Timeline(tuple(night), tuple(wider))


def _sound(fact: Fact, bank: Bank) -> tuple[AssessedClaim, ...]:
    verdict = assess(fact, bank)
    return verdict.right_claims or verdict.claims


def _start(fact: Fact, bank: Bank, night_clock: bool = False) -> float:
    """Where the narrowest sound claim begins; a fact with no parsable claim goes last."""
    spans = [c.value for c in _sound(fact, bank) if c.value.low is not None and c.value.high is not None]
    if not spans:
        return float("inf")
    narrowest = min(spans, key=lambda v: (v.high - v.low, v.low))  # type: ignore[operator]
    low = float(narrowest.low)  # type: ignore[arg-type]
    if night_clock and low % MINUTES_PER_DAY < NIGHT_TURNS_AT:
        low = low % MINUTES_PER_DAY + MINUTES_PER_DAY
    return low


def _entry(fact: Fact, bank: Bank) -> Entry:
    verdict = assess(fact, bank)
    with_measure = len(verdict.measures) > 1
    mentions = tuple(dict.fromkeys(
        Mention(value_phrase(c, with_measure), (v := voice_of(c.claim, bank.sources)).source, v.report, v.party, c.wrong)
        for c in verdict.claims
    ))
    if fact.kind in ("time", "date"):
        if verdict.disputed:  # each value the reports give; the mentions say who gives which
            when = " or ".join(dict.fromkeys(m.value for m in mentions if not m.wrong))
        else:  # reports that agree: the most precise of what they say ('7 February 2018', not '2018')
            sound = _sound(fact, bank)
            when = min(sound, key=lambda c: (c.value.high or 0) - (c.value.low or 0)).value.display if sound else ""
    elif fact.kind == "duration" and not with_measure:  # durations of different things are listed below
        values = list(dict.fromkeys(m.value for m in mentions if not m.wrong))
        when = f"then, for {' or '.join(values)}" if values else "then"
    else:
        when = "then"
    return Entry(fact.id, fact.event or fact.id, when, verdict.disputed, mentions, fact.after.text if fact.after else None)


def to_json(t: Timeline) -> dict[str, list[dict[str, Any]]]:
    def entry(e: Entry) -> dict[str, Any]:
        return {
            "fact": e.fact, "event": e.event, "when": e.when, "disputed": e.disputed, "after": e.after,
            "sources": [{"value": m.value, "source": m.source, "report": m.report, "party": m.party, "wrong": m.wrong}
                        for m in e.mentions],
        }

    return {"night": [entry(e) for e in t.night], "wider": [entry(e) for e in t.wider]}


NIGHT_TITLE = "The night, in order"
WIDER_TITLE = "The wider events, in order"


def text_lines(t: Timeline, width: int, clean: Callable[[str], str] = str) -> list[str]:
    """Each event: when, what, and a line per report giving it (its value, whom it credits)."""
    out: list[str] = []
    for title, entries in ((NIGHT_TITLE, t.night), (WIDER_TITLE, t.wider)):
        if not entries:
            continue
        if out:
            out.append("")
        out.append(f"{title}:")
        for n, e in enumerate(entries, 1):
            mark = " [reports disagree]" if e.disputed else ""
            out += _fill(f"{n}. {clean(e.when)}: {clean(e.event)}{mark}", width, "  ", "     ")
            for m in e.mentions:
                wrong = f" [shown wrong: {clean(m.wrong)}]" if m.wrong else ""
                out += _fill(f"{clean(m.value)}: {clean(m.who)}{wrong}", width, "       ", "         ")
    return out or ["No events on the timeline: give date or time facts an 'event'."]


def _fill(text: str, width: int, first: str, rest: str) -> list[str]:
    lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                          break_long_words=False, break_on_hyphens=False)
    if any(len(line) > width for line in lines):  # only a word longer than a whole line is split
        lines = textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                              break_long_words=True, break_on_hyphens=False)
    return lines
