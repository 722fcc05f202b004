"""Deciding, from a fact's claims, whether the sources agree, and writing the note that says so.

Every pair of claims measuring the same thing is judged by one rule (see `Rule`), in this order: a
teacher's declaration (`contradicts`, `same`) first, then the default for the value's kind. Numbers,
times, durations and dates disagree when their ranges do not meet; names when they differ (alike
spellings in two reports are spelt differently, in one report a slip); choices when they pick
different alternatives. Texts and lists never disagree unless a teacher declares it: reports word
things their own way and list what they saw.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from .model import Bank, Claim, Fact, Source
from .values import Value, normalize, parse_value, weekday_of

# Two spellings this alike are the same name spelt differently, not two different people.
SPELLING_SIMILARITY = 0.8


class Agreement(str, Enum):
    AGREE = "agree"
    DISAGREE = "disagree"
    SPELLING = "spelling"
    MEASURE = "measure"


class Rule(str, Enum):
    """Why a pair of claims was judged as it was; the value is what `check --explain` prints."""

    DIFFERENT_MEASURES = "they measure different things (their qualifiers differ), so they are not compared"
    DECLARED_CONTRADICTION = "declared in the fact's 'contradicts'"
    DECLARED_SAME = "declared in the fact's 'same' to name one thing"
    SAME_VALUE = "they give the same value"
    RANGES_MEET = "their ranges meet"
    RANGES_APART = "their ranges do not meet"
    SLIP_IN_ONE_REPORT = "one report spells the name two ways: a slip, not a dispute"
    ALIKE_SPELLINGS = "two reports spell one name differently"
    DIFFERENT_NAMES = "they name different things"
    DIFFERENT_ALTERNATIVES = "they pick different alternatives of a choice, which are opposite characterisations"
    DIFFERENT_VALUES = "they give different values"
    WORDING_DIFFERS = "texts worded differently are not a contradiction unless declared in 'contradicts'"
    LISTS_DIFFER = "lists naming different things are not a contradiction unless declared in 'contradicts'"


@dataclass(frozen=True)
class Judgement:
    verdict: Agreement | None  # None: compatible
    rule: Rule
    detail: str = ""  # for a declared contradiction: which values


@dataclass(frozen=True)
class Declarations:
    """A fact's `contradicts` and `same`, as comparable keys: each key maps to its group's key
    (values declared the same share one), and contradictions hold pairs of group keys."""

    groups: dict[str, str] = field(default_factory=dict)
    contradictions: dict[frozenset[str], str] = field(default_factory=dict)  # pair -> where declared

    def group(self, key: str) -> str:
        return self.groups.get(key, key)

    def contradiction(self, a: str, b: str) -> str | None:
        return self.contradictions.get(frozenset((self.group(a), self.group(b))))

    def declared_same(self, a: str, b: str) -> bool:
        return a != b and self.group(a) == self.group(b)


NO_DECLARATIONS = Declarations()


def match_key(value: Value) -> str:
    """What a declared value and a claim's value are matched on: the comparable key of the value
    ('Lt. Gen. Jeffrey Harrigian' -> 'jeffrey harrigian'; '200-300' -> '200 to 300')."""
    return value.key or normalize(value.display)


def declared_value(kind: str, text: str) -> Value:
    """A declared value read as the fact's kind reads its claims (a list fact's as one item)."""
    return parse_value("text" if kind == "list" else kind, text)


def declarations_of(fact: Fact) -> Declarations:
    """The fact's declarations; values that do not parse are left out (the checker reports them)."""

    def key(text: str) -> str | None:
        try:
            return match_key(declared_value(fact.kind, text))
        except ValueError:
            return None

    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    for same in fact.same:
        keys = [k for k in (key(d.text) for d in same.values) if k is not None]
        for k in keys[1:]:
            parent[find(k)] = find(keys[0])
    groups = {k: find(k) for k in list(parent)}
    contradictions: dict[frozenset[str], str] = {}
    for entry in fact.contradicts:
        for one in entry.one:
            for other in entry.other:
                a, b = key(one.text), key(other.text)
                if a is None or b is None:
                    continue
                pair = frozenset((groups.get(a, a), groups.get(b, b)))
                if len(pair) == 2:
                    contradictions.setdefault(pair, f"'{one.text}' against '{other.text}' ({entry.position})")
    return Declarations(groups, contradictions)


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
class Voice:
    """Who says a thing and through which report: a party a report cites, or the report itself."""

    source: str  # the source id
    report: str  # its label ("the Newsweek report")
    party: str | None = None  # whom the report cites; None when it speaks for itself

    @property
    def speaker(self) -> str:
        return self.party or self.report

    def __str__(self) -> str:
        return f"{self.party}, cited by {self.report}" if self.party else self.report


@dataclass(frozen=True)
class Figure:
    """One distinct value of a fact and every voice that gives it: a row of the note's table."""

    value: str  # as shown, with its measure when the fact's claims measure several things
    measure: str
    wrong: str | None
    voices: tuple[Voice, ...]
    claims: tuple[int, ...]  # indices into Disagreement.claims
    single_voice: bool = False  # no other party or report gives it, or a value it fits


@dataclass(frozen=True)
class SingleVoice:
    """A value (or a list's item) that rests on one party or one report alone, where others speak."""

    value: str
    measure: str
    voices: tuple[Voice, ...]
    alone: Literal["party", "report"]
    claims: tuple[int, ...]
    item: bool = False  # one item of a list, rather than a claim's whole value


@dataclass(frozen=True)
class Disagreement:
    """The verdict on one fact: how its claims relate, and the note an answer shows."""

    fact: str
    status: Agreement
    claims: tuple[AssessedClaim, ...]
    conflicts: tuple[tuple[int, int], ...]
    note: str | None
    rules: tuple[Judgement, ...] = ()  # the judgement of each pair in `conflicts`, in order
    figures: tuple[Figure, ...] = ()
    single_voice: tuple[SingleVoice, ...] = ()

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

    def conflicting(self, index: int) -> tuple[AssessedClaim, ...]:
        """The claims that conflict with claims[index], by the fact's declarations as well as the
        default rules (`conflict` alone knows only the defaults)."""
        return tuple(self.claims[j if i == index else i] for i, j in self.conflicts if index in (i, j))


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


def judge_values(a: Value, b: Value, declared: Declarations = NO_DECLARATIONS, same_report: bool = False) -> Judgement:
    """How two values measuring the same thing relate, and by which rule."""
    if a.kind == "list":
        return _judge_lists(a, b, declared)
    ka, kb = match_key(a), match_key(b)
    if (where := declared.contradiction(ka, kb)) is not None:
        return Judgement(Agreement.DISAGREE, Rule.DECLARED_CONTRADICTION, where)
    if declared.declared_same(ka, kb):
        return Judgement(None, Rule.DECLARED_SAME)
    if a.is_interval and b.is_interval:
        return Judgement(None, Rule.RANGES_MEET) if a.meets(b) else Judgement(Agreement.DISAGREE, Rule.RANGES_APART)
    if a.key == b.key:
        return Judgement(None, Rule.SAME_VALUE)
    if a.kind == "text":
        return Judgement(None, Rule.WORDING_DIFFERS)
    if a.kind == "name":
        if not _alike(a.key, b.key):
            return Judgement(Agreement.DISAGREE, Rule.DIFFERENT_NAMES)
        if same_report:
            return Judgement(None, Rule.SLIP_IN_ONE_REPORT)
        return Judgement(Agreement.SPELLING, Rule.ALIKE_SPELLINGS)
    if a.kind == "choice":
        return Judgement(Agreement.DISAGREE, Rule.DIFFERENT_ALTERNATIVES)
    return Judgement(Agreement.DISAGREE, Rule.DIFFERENT_VALUES)


def _judge_lists(a: Value, b: Value, declared: Declarations) -> Judgement:
    for x in sorted(a.item_keys):
        for y in sorted(b.item_keys):
            if (where := declared.contradiction(x, y)) is not None:
                return Judgement(Agreement.DISAGREE, Rule.DECLARED_CONTRADICTION, where)
    if {declared.group(k) for k in a.item_keys} == {declared.group(k) for k in b.item_keys}:
        return Judgement(None, Rule.SAME_VALUE if a.item_keys == b.item_keys else Rule.DECLARED_SAME)
    return Judgement(None, Rule.LISTS_DIFFER)


def conflict(a: Value, b: Value) -> Agreement | None:
    """How two values differ by the default rules, as if in two reports with nothing declared:
    None when they are compatible. `judge` also weighs a fact's declarations and its reports."""
    return judge_values(a, b).verdict


def judge(a: AssessedClaim, b: AssessedClaim, declared: Declarations = NO_DECLARATIONS) -> Judgement:
    """How two claims of one fact relate, and by which rule."""
    if a.measure_key != b.measure_key:
        return Judgement(None, Rule.DIFFERENT_MEASURES)
    return judge_values(a.value, b.value, declared, same_report=a.claim.source == b.claim.source)


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


def status_of(claims: tuple[AssessedClaim, ...], judgements: list[Judgement]) -> Agreement:
    kinds = {j.verdict for j in judgements}
    if Agreement.DISAGREE in kinds:
        return Agreement.DISAGREE
    if Agreement.SPELLING in kinds:
        return Agreement.SPELLING
    if len({c.measure_key for c in claims}) > 1:
        return Agreement.MEASURE
    return Agreement.AGREE


def assess(fact: Fact, bank: Bank) -> Disagreement:
    claims = assess_claims(fact, bank)
    declared = declarations_of(fact)
    conflicts: list[tuple[int, int]] = []
    rules: list[Judgement] = []
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.measure_key != b.measure_key:
                continue
            found = judge(a, b, declared)
            if found.verdict is not None:
                conflicts.append((i, j))
                rules.append(found)
    status = status_of(claims, rules)
    single = single_voices(claims, declared, bank.sources)
    figures = figures_of(claims, single, bank.sources)
    return Disagreement(
        fact.id, status, claims, tuple(conflicts), write_note(status, figures, single),
        tuple(rules), figures, single,
    )


def voice_of(claim: Claim, sources: dict[str, Source]) -> Voice:
    source = sources.get(claim.source)
    return Voice(claim.source, source.label if source else claim.source, claim.attributed_to)


def _alone(voices: list[Voice], everyone: set[str], reports: set[str]) -> Literal["party", "report"] | None:
    """Whether these voices are one party, or one report, among more."""
    if len({normalize(v.speaker) for v in voices}) == 1 and len(everyone) > 1:
        return "party"
    if len({v.source for v in voices}) == 1 and len(reports) > 1:
        return "report"
    return None


def single_voices(
    claims: tuple[AssessedClaim, ...], declared: Declarations, sources: dict[str, Source]
) -> tuple[SingleVoice, ...]:
    """Each value that one party or one report alone gives, where other parties and reports speak
    too: no claim from anyone else gives it or a value it fits. A list's items are counted one by
    one; a claim shown wrong neither counts nor is counted."""
    right = [(i, c) for i, c in enumerate(claims) if not c.wrong]
    everyone = {normalize(voice_of(c.claim, sources).speaker) for _, c in right}
    reports = {c.claim.source for _, c in right}
    if len(everyone) < 2:
        return ()
    with_measure = len({c.measure_key for _, c in right}) > 1
    out: list[SingleVoice] = []
    seen: set[tuple[str, str]] = set()
    for i, c in right:
        if c.value.kind == "list":
            for item in c.value.items:
                key = declared.group(normalize(item))
                if (c.measure_key, key) in seen:
                    continue
                seen.add((c.measure_key, key))
                backers = [
                    (j, d) for j, d in right
                    if d.measure_key == c.measure_key and key in {declared.group(k) for k in d.value.item_keys}
                ]
                _add_single(out, backers, everyone, reports, sources, item, c.measure, item=True)
            continue
        key = declared.group(match_key(c.value))
        if (c.measure_key, key) in seen:
            continue
        seen.add((c.measure_key, key))
        backers = [
            (j, d) for j, d in right
            if d.measure_key == c.measure_key and judge(c, d, declared).verdict in (None, Agreement.SPELLING)
        ]
        _add_single(out, backers, everyone, reports, sources, value_phrase(c, with_measure), c.measure)
    return tuple(out)


def _add_single(
    out: list[SingleVoice], backers: list[tuple[int, AssessedClaim]], everyone: set[str], reports: set[str],
    sources: dict[str, Source], value: str, measure: str, item: bool = False,
) -> None:
    voices = list(dict.fromkeys(voice_of(d.claim, sources) for _, d in backers))
    alone = _alone(voices, everyone, reports)
    if alone is not None:
        out.append(SingleVoice(value, measure, tuple(voices), alone, tuple(j for j, _ in backers), item))


def figures_of(
    claims: tuple[AssessedClaim, ...], single: tuple[SingleVoice, ...], sources: dict[str, Source]
) -> tuple[Figure, ...]:
    """Every distinct value (with its measure where several are measured), in the claims' order,
    with every voice that gives it."""
    with_measure = len({c.measure_key for c in claims}) > 1
    lone = {(s.measure, s.value) for s in single if not s.item}
    rows: dict[tuple[str, str | None], list[int]] = {}
    for i, c in enumerate(claims):
        rows.setdefault((value_phrase(c, with_measure), c.wrong), []).append(i)
    out = []
    for (phrase, wrong), indices in rows.items():
        first = claims[indices[0]]
        voices = tuple(dict.fromkeys(voice_of(claims[i].claim, sources) for i in indices))
        out.append(Figure(phrase, first.measure, wrong, voices, tuple(indices), (first.measure, phrase) in lone and not wrong))
    return tuple(out)


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


def write_note(status: Agreement, figures: tuple[Figure, ...], single: tuple[SingleVoice, ...]) -> str | None:
    """Every figure with each party and report that gives it, where sources differ; and what rests
    on one party or one report alone. None when the sources agree and nothing rests on one alone."""
    sentences = []
    listed: set[tuple[str, str]] = set()
    if status is not Agreement.AGREE:
        parts = []
        for figure in figures:
            who = "; ".join(str(v) for v in figure.voices)
            if figure.single_voice:
                who = f"only {who}"
                listed.add((figure.measure, figure.value))
            part = f"{figure.value} ({who})"
            parts.append(f"{part}, shown wrong: {unstop(figure.wrong)}" if figure.wrong else part)
        sentences.append(f"{_OPENINGS[status]}: {'; '.join(parts)}.")
    rest = [s for s in single if (s.measure, s.value) not in listed]
    for alone in ("party", "report"):
        said = [f"{s.value} ({'; '.join(str(v) for v in s.voices)})" for s in rest if s.alone == alone]
        if said:
            sentences.append(f"Given by one {alone} only: {'; '.join(said)}.")
    if status is Agreement.AGREE:  # a claim shown wrong is always told, even with nothing beside it
        for figure in figures:
            if figure.wrong:
                who = "; ".join(str(v) for v in figure.voices)
                sentences.append(f"Shown wrong: {figure.value} ({who}): {unstop(figure.wrong)}.")
    return " ".join(sentences) or None


def unstop(text: str) -> str:
    """The sentence without its full stop, to go inside another: "shown wrong: <reason>"."""
    return text.rstrip().rstrip(".")


@dataclass(frozen=True)
class PairExplanation:
    first: int
    second: int
    judgement: Judgement


@dataclass(frozen=True)
class Explanation:
    """Why a fact was judged as it was: every pair of its claims and the rule that decided."""

    fact: Fact
    verdict: Disagreement
    pairs: tuple[PairExplanation, ...]

    @property
    def reason(self) -> str:
        status = self.verdict.status
        if status is Agreement.DISAGREE:
            return "at least one pair of claims disagrees"
        if status is Agreement.SPELLING:
            return "no pair disagrees, but two reports spell a name differently"
        if status is Agreement.MEASURE:
            return "no pair disagrees, and the claims measure different things"
        return "no pair of claims disagrees"

    def lines(self, sources: dict[str, Source]) -> list[str]:
        fact, verdict = self.fact, self.verdict
        out = [f"{fact.id} ({fact.kind}, {fact.position}): {verdict.status.value}: {self.reason}", "claims:"]
        for n, c in enumerate(verdict.claims, 1):
            measure = f" [{c.measure}]" if c.measure else ""
            wrong = f" (shown wrong: {unstop(c.wrong)})" if c.wrong else ""
            out.append(f"  {n}. {_shown(c.value)}{measure}: {voice_of(c.claim, sources)}{wrong} ({c.claim.position})")
        if fact.contradicts or fact.same:
            out.append("declared:")
            for entry in fact.contradicts:
                one, other = (", ".join(d.text for d in side) for side in (entry.one, entry.other))
                out.append(f"  contradicts: {one} against {other} ({entry.position})")
            for same in fact.same:
                out.append(f"  same: {', '.join(d.text for d in same.values)} ({same.position})")
        out.append("pairs:" if self.pairs else "pairs: none (one claim)")
        for pair in sorted(self.pairs, key=lambda p: p.judgement.verdict is None):
            j = pair.judgement
            verdict_word = "compatible" if j.verdict is None else j.verdict.value
            detail = f": {j.detail}" if j.detail else ""
            out.append(f"  {pair.first + 1} and {pair.second + 1}: {verdict_word}: {j.rule.value}{detail}")
        if verdict.single_voice:
            out.append("resting on one party or report alone:")
            for s in verdict.single_voice:
                kind = "item" if s.item else "value"
                out.append(f"  {kind} {s.value}: one {s.alone} only: {'; '.join(str(v) for v in s.voices)}")
        out.append(f"note: {verdict.note}" if verdict.note else "note: none")
        return out


def _shown(value: Value) -> str:
    if value.kind == "list":
        return "[" + ", ".join(value.items) + "]"
    if value.kind in ("number", "duration") and value.low is not None and value.high is not None and value.low != value.high:
        unit = " minutes" if value.kind == "duration" else ""
        upper = "upwards" if value.high == float("inf") else f"to {value.high:g}{unit}"
        span = f"{value.low:g} {upper}"
        return f"{value.display} (read as {span})" if span != value.display else value.display
    return value.display


def explain(fact: Fact, bank: Bank) -> Explanation:
    """Every pair of the fact's claims with the rule that judged it, and the verdict they make."""
    verdict = assess(fact, bank)
    declared = declarations_of(fact)
    claims = verdict.claims
    pairs = tuple(
        PairExplanation(i, j, judge(claims[i], claims[j], declared))
        for i in range(len(claims)) for j in range(i + 1, len(claims))
    )
    return Explanation(fact, verdict, pairs)


def explain_fact(bank: Bank, fact_id: str) -> Explanation:
    """`explain` of the fact with this id; KhashamError, with the closest id, when there is none."""
    fact = bank.fact(fact_id)
    if fact is None:
        from .errors import KhashamError
        from .yamlread import did_you_mean

        raise KhashamError(f"no fact '{fact_id}' in this bank{did_you_mean(fact_id, bank.facts_by_id)}")
    return explain(fact, bank)
