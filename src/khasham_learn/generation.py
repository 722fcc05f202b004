"""Generating the question bank from the facts, deterministically, with ids that survive rewording.

A question's id is `<fact id>.<variant>`; nothing in it comes from wording, so a teacher's rewording
keeps learners' progress and Anki notes attached.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace

from .bulk import cycle_collection_paused
from .disagreement import Agreement, AssessedClaim, Disagreement, assess, cite, conflict, value_phrase
from .model import Bank, Fact, QuestionEdit
from .values import WEEKDAYS, Value, name_key, normalize, parse_value

MAX_CHOICES = 4
LONGEST_TYPED_ANSWER = 6  # words
SIBLING_CANDIDATES = 40
SIBLING_KINDS = frozenset({"number", "time", "duration", "date", "weekday", "name"})
SEQUENCE_JOIN = " → "
CLOZE_GAP = "[...]"  # where a cloze question's answer goes
TIMELINE_ID = "timeline.sequence"
TIMELINE_MAX = 5  # events in one ordering question; more are split into several
# An open-ended claim ("more than 500") is graded as reaching this far above its bound.
OPEN_END_FACTOR = 1.5
# Facts tagged so test detail (ranks, roles, spellings, who wrote what) rather than the event: the
# quiz and the Anki deck's new cards come to them after the contested core.
DETAIL_TAG = "detail"
# Units a bare number needs to be answered ("how far?" in miles or kilometres); a count of people or
# things ("how many fighters") names what it counts in the prompt already.
MEASURE_UNITS = frozenset({
    "miles", "mile", "kilometers", "kilometres", "kilometer", "kilometre", "km", "meters", "metres",
    "meter", "metre", "m", "yards", "feet", "foot", "inches", "kilograms", "kg", "tons", "tonnes",
    "pounds", "percent", "per cent", "%", "dollars", "degrees",
})
# Words that open a statement and are lowercased after "According to X, ..."; anything else (a
# name, an answer) keeps its capital.
_LOWERABLE = frozenset(
    "the a an in on at for over while before after when once days most both besides compared all "
    "there throughout since by during until soldiers".split()
)


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


@cycle_collection_paused()
def generate(bank: Bank, *, include_disabled: bool = False) -> list[Question]:
    """The whole bank: generated questions with teachers' edits applied, then teachers' own."""
    ctx = _context(bank)
    questions = apply_edits(_generated(ctx, bank.facts, with_timeline=True), bank, ctx)
    return questions if include_disabled else [q for q in questions if q.enabled]


def _generated(ctx: _Context, facts: Iterable[Fact], *, with_timeline: bool) -> list[Question]:
    """The generated questions of these facts (and the timeline), before teachers' edits."""
    questions = [q for fact in facts for q in questions_for_fact(fact, ctx)]
    return questions + timeline(ctx) if with_timeline else questions


@cycle_collection_paused()
def generated_ids(bank: Bank, near: Iterable[str] | None = None) -> set[str]:
    """Ids of generated questions: of every fact, or only of the facts (and timeline) that the ids in
    `near` could belong to. Checking a teacher's edits needs just those, not the whole bank."""
    ctx = _context(bank)
    if near is None:
        return {q.id for q in _generated(ctx, bank.facts, with_timeline=True)}
    prefixes = {qid.rsplit(".", k)[0] for qid in near for k in range(1, qid.count(".") + 1)}
    facts = [f for f in bank.facts if f.id in prefixes]
    return {q.id for q in _generated(ctx, facts, with_timeline=TIMELINE_ID.split(".")[0] in prefixes)}


# Each fact is asked once: its multiple-choice copy and its cloze were merged into the question and
# the true/false that ask the same; what a learner did on them moves with them.
_MERGED_INTO = {"mc": "direct", "cloze": "tf"}


def superseded_ids(bank: Bank, questions: Iterable[Question] | None = None) -> dict[str, str]:
    """Dropped question id -> the id of the question that now asks the same: `<fact>.mc` -> `<fact>.direct`,
    `<fact>.cloze` -> `<fact>.tf`, wherever the kept one exists and the dropped one is no longer made.
    `questions` are the generated ones (teachers' switched-off ones included), if already at hand."""
    if questions is None:
        questions = generate(bank, include_disabled=True)
    present = {q.id for q in questions}
    out: dict[str, str] = {}
    for fact in bank.facts:
        for old, kept in _MERGED_INTO.items():
            old_id, kept_id = f"{fact.id}.{old}", f"{fact.id}.{kept}"
            if old_id not in present and kept_id in present:
                out[old_id] = kept_id
    return out


def is_detail(question: Question) -> bool:
    return DETAIL_TAG in question.tags


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
    return _Context(bank, verdict_map, {key: list(pool.values()) for key, pool in pools.items()}, twins)


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


def _list_phrase(value: Value) -> str:
    if value.kind != "list" or len(value.items) < 2:
        return value.display
    return f"{', '.join(value.items[:-1])} and {value.items[-1]}"


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


# ---------------------------------------------------------------- what the reports support

def _parsed(fact: Fact, text: str) -> Value | None:
    try:
        return parse_value(fact.kind if fact.kind != "list" else "text", text)
    except ValueError:
        return None


def _supports(claim: Value, value: Value) -> bool:
    """Whether a claim's value bears out `value` (or comes close enough that a reader could take
    it so): ranges that meet, the same name however spelt, a list holding it, the same or a
    contained wording."""
    if claim.is_interval and value.is_interval:
        return claim.meets(value)
    if claim.kind == "list":
        key = normalize(value.display)
        return any(key == item or _contains(item, key) for item in claim.item_keys) or bool(
            value.items and claim.item_keys & value.item_keys)
    if claim.kind == "name":
        return conflict(value, claim) is not Agreement.DISAGREE
    if claim.kind in ("text", "choice"):
        return claim.key == value.key or (claim.kind == "text" and _contains(claim.key, value.key))
    return claim.key == value.key


def _states(claim: Value, value: Value) -> bool:
    """Whether a claim gives this value itself, not just one that agrees with it: the same wording,
    name or span, or a list holding every item of it."""
    if claim.kind == "list" and value.kind == "list":
        return value.item_keys <= claim.item_keys
    if claim.is_interval and value.is_interval:
        return (claim.low, claim.high) == (value.low, value.high)
    if claim.kind == "name":
        return conflict(value, claim) is not Agreement.DISAGREE
    return claim.key == value.key


def _contains(a: str, b: str) -> bool:
    """One wording inside the other, word for word ('civil war' in 'an ongoing civil war')."""
    a, b = f" {a} ", f" {b} "
    return bool(a.strip() and b.strip()) and (a in b or b in a)


def _reported(fact: Fact, value: Value, ctx: _Context) -> bool:
    """Whether any report bears `value` out for this fact: its own claims, the answers the teacher
    accepts, the words its quotes use, and the claims of every fact whose statement reads the same."""
    key = normalize(value.display)
    if any(key == normalize(a) or (fact.kind == "text" and _contains(normalize(a), key)) for a in fact.accept):
        return True
    for twin in ctx.twins.get(_template_key(fact.statement), [fact]):
        for c in ctx.verdicts[twin.id].right_claims:
            if _supports(c.value, value):
                return True
            if fact.kind in ("text", "name", "list") and f" {key} " in f" {normalize(c.claim.quote)} ":
                return True  # the report's own words around the answer: no safe wrong value
    return False


def _distractors(fact: Fact, against: Iterable[AssessedClaim], ctx: _Context, want: int) -> list[str]:
    """Wrong answers: the fact's own, then values of sibling facts of the same kind, never a value any
    report gives for this fact (or for one whose statement reads the same), nor one a claim in
    `against` comes near."""
    against = list(against)
    taken: set[str] = set()
    precision = _date_precision(fact, ctx)

    def fits(value: Value) -> bool:
        if normalize(value.display) in taken:
            return False
        if any(_supports(c.value, value) for c in against):
            return False
        if precision is not None and len(value.display.split()) != precision:
            return False  # "began in 22 February 2018" for a year: no wrong answer, a wrong sentence
        return not _reported(fact, value, ctx)

    rng = random.Random(fact.id)
    own = list(fact.distractors) + list(fact.alternatives)
    # Other facts' values make good wrong answers only where they are of one sort: numbers of the
    # same unit, times, dates, names. Another fact's text or choice would be off the subject.
    # Names are of one sort only when the fact says which (its unit, e.g. "person"): an operation
    # offered a person's name as its own gives the answer away ("called Sergej Kim").
    of_one_sort = fact.kind in SIBLING_KINDS and (fact.kind != "name" or fact.unit is not None)
    pool = ctx.pools.get((fact.kind, fact.unit), []) if of_one_sort else []
    # A sample, not a shuffle of the whole pool: in a bank of thousands of facts that would make
    # generation quadratic. A few dozen candidates always hold the three wrong answers needed.
    siblings: list[Value | None] = rng.sample(pool, min(len(pool), SIBLING_CANDIDATES))
    if fact.kind == "weekday":
        siblings += [_parsed(fact, day) for day in WEEKDAYS]
    candidates = [(text, _parsed(fact, text)) for text in own] + [(v.display, v) for v in siblings if v is not None]
    out: list[str] = []
    for text, value in candidates:
        if len(out) >= want:
            break
        if value is not None and text not in out and fits(value):
            out.append(text)
            taken.add(normalize(text))
    return out


def _date_precision(fact: Fact, ctx: _Context) -> int | None:
    """For a date fact, how many words its answer has (a year, a month, a day): wrong dates match it."""
    if fact.kind != "date":
        return None
    right = ctx.verdicts[fact.id].right_claims
    return len(_best(right).value.display.split()) if right else None


# ---------------------------------------------------------------- writing statements

def fill(statement: str, answer: str) -> str:
    """The statement with its answer in place, without a doubled full stop after 'p.m.'."""
    if answer.endswith("."):
        statement = statement.replace("{answer}.", answer)
    return statement.replace("{answer}", answer)


_SMALL_NUMBERS = {str(n): w for n, w in enumerate("zero one two three four five six seven eight nine".split()) if n}


def render(statement: str, answer: str, value: Value | None, *, slot: bool = False) -> str:
    """The statement with the answer in place, worded for the value's kind: 'on 7 February 2018' but
    'in February 2018'; 'for the first week', 'a week later'; a capital where the answer opens the
    sentence. With `slot`, `answer` is a gap or cloze marker standing for `value` and is not reworded."""
    if value is not None and value.kind == "date":
        preposition = "on" if value.low == value.high else "in"
        statement = re.sub(r"\b(?:in|on) \{answer\}", preposition + " {answer}", statement)
    if not slot and value is not None and value.kind == "duration" and (m := re.fullmatch(r"1 (\w+)", answer)):
        unit = m.group(1)
        if re.search(r"\b(?:first|next|last|past) \{answer\}", statement):
            answer = unit
        else:
            answer = ("an " if unit[:1] in "aeiou" or unit == "hour" else "a ") + unit
    if not slot and value is not None and value.kind == "number" and answer in _SMALL_NUMBERS:
        answer = _SMALL_NUMBERS[answer]  # "two sources alleged", not "2 sources"
    if not slot and _plural(answer, value):
        # "Javelin anti-tank missiles were fired": the verb after the answer agrees with it
        statement = re.sub(r"\{answer\} (was|is|has)\b", lambda m: "{answer} " + _PLURAL_VERBS[m.group(1)], statement)
    text = fill(statement, answer)
    if not slot and statement.startswith("{answer}") and text[:1].islower():
        text = text[:1].upper() + text[1:]
    return text


_PLURAL_VERBS = {"was": "were", "is": "are", "has": "have"}
_PLURAL_NOUNS = frozenset({"people", "men", "women", "children", "troops", "personnel"})
_SINGULAR_IN_S = ("ss", "us", "is", "ics", "news")


def _plural(answer: str, value: Value | None) -> bool:
    """Whether a noun phrase takes a plural verb: a list of several, or a head (its last word) that
    is a plural noun. A number or a date is not a noun phrase here."""
    if value is not None and value.kind == "list" and len(value.items) > 1:
        return True
    if value is not None and value.kind not in ("text", "name", "list", "choice"):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", answer)
    if not words:
        return False
    head = words[-1].lower()
    if head in _PLURAL_NOUNS:
        return True
    return len(head) > 3 and head.endswith("s") and not head.endswith(_SINGULAR_IN_S) and not words[-1].isupper()


def party_named(text: str, party: str) -> bool:
    """Whether `text` names the party: 'According to the Russian Ministry of Defence, ...',
    'Harrigian described ...' for Lt. Gen. Jeffrey L. Harrigian."""
    bare = re.sub(r"['’]s\b", "", text)  # "the Syrian Foreign Ministry's letter" names the ministry
    # "Lt. Gen. Jeffrey L. Harrigian, via The Guardian" is Harrigian speaking: naming him names the party.
    party = re.split(r",\s+via\s+", party, maxsplit=1)[0]
    haystack = f" {normalize(bare)} "
    words = [w for w in name_key(party).split() if w not in ("the", "a", "an")]
    if words and f" {' '.join(words)} " in haystack:
        return True
    # A person (every word capitalised, no article) is named by the surname alone.
    person = len(words) >= 2 and not party.lower().startswith("the ") and all(w[:1].isupper() for w in party.split())
    return person and f" {words[-1]} " in haystack


def _according_to(parties: list[str], text: str, template: str) -> str:
    """The statement with whom it rests on, unless its wording (not the answer: "Russia's armed
    forces" in an answer does not say who said it) names one of them already."""
    if not parties or any(party_named(template.replace("{answer}", ""), p) for p in parties):
        return text
    return f"According to {_who(parties)}, {_lower_first(text)}"


def _who(parties: list[str]) -> str:
    """Every party, none left out: 'A', 'A and B', 'A, B and C'; parties that hold a comma or an
    'and' of their own ('a US official and three Russians') are kept apart by semicolons."""
    if len(parties) == 1:
        return parties[0]
    if any("," in p or " and " in p for p in parties):
        return "; ".join(parties[:-1]) + f"; and {parties[-1]}"
    return f"{', '.join(parties[:-1])} and {parties[-1]}"


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first in {w.capitalize() for w in _LOWERABLE} else text


def _parties(claims: Iterable[AssessedClaim]) -> list[str]:
    """Who a statement rests on: nobody when a report says it in its own voice, else every party cited."""
    claims = list(claims)
    if not claims or any(not c.claim.attributed_to for c in claims):
        return []
    return list(dict.fromkeys(c.claim.attributed_to for c in claims if c.claim.attributed_to))


def _with_measure(text: str, measure: str, measures: Iterable[str]) -> str:
    """The text asking about this claim's measure: the fact's wording for another measure replaced
    ('killed' -> 'killed or injured'), else the measure in brackets; never a prompt that asks for
    one thing and means another."""
    if not measure or re.search(rf"\b{re.escape(measure)}\b", text, re.IGNORECASE):
        return text
    for other in sorted(measures, key=len, reverse=True):
        if other and other != measure and (m := re.search(rf"\b{re.escape(other)}\b", text, re.IGNORECASE)):
            return text[:m.start()] + measure + text[m.end():]
    end = len(text.rstrip("?.").rstrip())
    return f"{text[:end]} ({measure}){text[end:]}"


def question_prompt(fact: Fact) -> str:
    """The fact's prompt, with the unit a bare number needs ('How far ... (in miles)?')."""
    unit = (fact.unit or "").strip()
    if fact.kind != "number" or normalize(unit) not in MEASURE_UNITS:
        return fact.prompt
    if re.search(rf"\b{re.escape(unit)}\b", fact.prompt, re.IGNORECASE):
        return fact.prompt
    end = len(fact.prompt.rstrip("?").rstrip())
    return f"{fact.prompt[:end]} (in {unit}){fact.prompt[end:]}"


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


def _according_prompt(prompt: str, who: str) -> str:
    first = prompt[:1].lower() + prompt[1:] if prompt[1:2].islower() else prompt
    return f"According to {who}, {first}"


def questions_for_fact(fact: Fact, ctx: _Context) -> list[Question]:
    verdict = ctx.verdicts[fact.id]
    if not verdict.claims:
        return []
    bank = ctx.bank
    right = verdict.right_claims
    answer = answer_of(verdict) if right else ""
    accepted = _accepted(verdict, fact)
    sources = _sources(verdict.claims, bank)
    disputed = verdict.disputed
    note = verdict.note
    prompt = question_prompt(fact)
    out: list[Question] = []

    def make(variant: str, qtype: str, prompt: str, **kw: object) -> None:
        claims = kw.pop("claims", verdict.claims)
        qid = f"{fact.id}.{variant}"
        out.append(
            Question(
                id=qid, type=qtype, prompt=prompt, fact=fact.id, topic=fact.topic, kind=fact.kind, unit=fact.unit,
                disputed=disputed, note=note, sources=kw.pop("sources", sources),  # type: ignore[arg-type]
                tags=_tags(fact, qtype, disputed, claims),  # type: ignore[arg-type]
                answer=kw.pop("answer", answer), accepted=kw.pop("accepted", accepted),  # type: ignore[arg-type]
                **kw,  # type: ignore[arg-type]
            )
        )

    if not right:  # every claim is shown wrong: ask only what each report says
        _according(fact, verdict, ctx, make)
        return out

    # A question every answer of which is a party's claim asks for that party's account, not for a
    # fact: "According to a US military official, for which group ...?"
    # Where the reports disagree, the question is what was claimed at all, and the table says who.
    parties = _parties(right) if not verdict.disputed else []
    if parties and not any(party_named(fact.prompt, p) for p in parties):
        prompt = _according_prompt(prompt, _who(parties))

    # The fact's question, asked once, always as `<fact>.direct` (its multiple-choice copy `.mc` is
    # merged into it; see superseded_ids). Typed wherever a reader could type the answer back: recall
    # is the stronger test, the grader accepts a careful reader's wording, and the learner's typed
    # history and Anki note stay where they were. A choice between alternatives is asked as one, and
    # an answer too long to type as multiple choice.
    if fact.kind == "choice":
        if verdict.status is not Agreement.DISAGREE:
            make("direct", "choice", prompt, choices=_shuffled(list(fact.alternatives), fact.id))
    elif fact.kind in ("number", "duration", "time"):
        make("direct", "numeric", prompt, ranges=_ranges(right))
    else:
        wrong = []
        if fact.kind == "text" and len(answer.split()) > LONGEST_TYPED_ANSWER and verdict.status in (
                Agreement.AGREE, Agreement.SPELLING):
            wrong = _distractors(fact, verdict.claims, ctx, MAX_CHOICES - 1)
        if len(wrong) >= 2:
            make("direct", "choice", prompt, choices=_shuffled([answer] + wrong, fact.id + ".mc"))
        else:
            make("direct", "free", prompt, ranges=_ranges(right))

    # Where sources differ: what each one says, and which one says what.
    if verdict.status in (Agreement.DISAGREE, Agreement.MEASURE):
        _according(fact, verdict, ctx, make)
        _which_report(fact, verdict, ctx, make)

    # One restatement of the fact, a true-or-false: a different skill from the question (telling the
    # reports' value from a plausible wrong one). The cloze it once had beside it asked the question
    # again in other words and is merged into it (`.cloze` -> `.tf`).
    if verdict.status in (Agreement.AGREE, Agreement.SPELLING):
        best = _best(right).value
        # Only the parties that give this very value: another agreeing claim in other words ("territory
        # the SDF had captured" beside "the oilfields") does not make its party say the stated one.
        parties = _parties(c for c in right if _states(c.value, best))
        true_statement = _according_to(parties, render(fact.statement, answer, best), fact.statement)
        statement, truth = true_statement, "True"
        # A statement several facts share is restated true only: a false one would read the same for each.
        shared = len(ctx.twins.get(_template_key(fact.statement), [])) > 1
        # Nor one that states a bound ("had captured Raqqa by {answer}"): by 2017 leaves by 2015 open
        # and makes by 2019 true, so no other value makes it false.
        bound = re.search(r"\b(?:by|before|after|since|until|within) \{answer\}", fact.statement, re.IGNORECASE)
        if zlib.crc32(fact.id.encode()) % 2 and not shared and not bound:
            wrong = _distractors(fact, verdict.claims, ctx, 1)
            if wrong:
                statement = _according_to(parties, render(fact.statement, wrong[0], _parsed(fact, wrong[0])), fact.statement)
                truth = "False"
        make("tf", "true_false", f"True or false: {statement}", choices=("True", "False"), answer=truth,
             accepted=(truth,), statement=true_statement)
    return out


def _according(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """One question per voice (report and whom it cites) and measure: what does it say?"""
    voices: dict[tuple[str, str | None, str], list[int]] = {}
    for index, assessed in enumerate(verdict.claims):
        key = (assessed.claim.source, assessed.claim.attributed_to, assessed.measure_key)
        voices.setdefault(key, []).append(index)
    odds = _at_odds(verdict)
    asked: dict[str, int] = {}
    for (source, _, _), indices in voices.items():
        claims = [verdict.claims[i] for i in indices]
        asked[source] = asked.get(source, 0) + 1
        # Ids hold only ids: a fact id, a variant, a source id, and a number when a report speaks twice.
        variant = f"according.{source}" + (f".{asked[source]}" if asked[source] > 1 else "")
        said = list(dict.fromkeys(_list_phrase(c.value) for c in claims))
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
    statement = render(fact.statement, _list_phrase(assessed.value), assessed.value)
    if len(measures) > 1:
        statement = _with_measure(statement, assessed.measure, measures)
    party = assessed.claim.attributed_to
    if not party or party_named(fact.statement.replace("{answer}", ""), party):
        return f"Which report says: {statement}"
    said = _lower_first(statement)
    if said.endswith(".") and not re.search(r"\b\w\.\w\.$", said):  # keep the stop of 'p.m.'
        said = said[:-1]
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


def _at_odds(verdict: Disagreement) -> set[frozenset[int]]:
    """The pairs of claims (by index) the verdict finds contradicting each other."""
    rules = getattr(verdict, "rules", ())
    return {
        frozenset(pair) for k, pair in enumerate(verdict.conflicts)
        if k >= len(rules) or rules[k].verdict is Agreement.DISAGREE
    }


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


def apply_edits(questions: list[Question], bank: Bank, ctx: _Context | None = None) -> list[Question]:
    """Teachers' rewording, retagging and switching off by id, then their own questions."""
    by_id = {q.id: i for i, q in enumerate(questions)}
    out = list(questions)
    ctx = ctx or _context(bank)
    for edit in bank.edits:
        if edit.is_new:
            question = custom_question(edit, bank, ctx)
            if question is not None:
                out.append(question)
            continue
        index = by_id.get(edit.id)
        if index is None:
            continue  # the checker reports unknown ids
        q = out[index]
        changes: dict[str, object] = {"enabled": edit.enabled}
        if edit.prompt:
            changes["prompt"] = edit.prompt
        if edit.tags is not None:  # the teacher's tags replace the fact's; topic, type and sources stay
            fact = bank.fact(q.fact)
            structural = [t for t in q.tags if fact is None or t not in fact.tags]
            changes["tags"] = tuple(dict.fromkeys(structural + list(edit.tags)))
        out[index] = replace(q, **changes)  # type: ignore[arg-type]
    return out


def custom_question(edit: QuestionEdit, bank: Bank, ctx: _Context) -> Question | None:
    fact = bank.fact(edit.fact or "")
    if fact is None or edit.type is None or not edit.prompt or not edit.answer:
        return None
    verdict = ctx.verdicts[fact.id]
    accepted = tuple(dict.fromkeys([edit.answer, *edit.accepted]))
    # A multi-select question needs every accepted choice ticked: its shown answer names them all.
    answer = _list_phrase(Value("list", "", items=accepted)) if edit.type == "multi" else edit.answer
    tags = _tags(fact, edit.type, verdict.disputed, verdict.claims) + tuple(edit.tags or ())
    return Question(
        id=edit.id, type=edit.type, prompt=edit.prompt, answer=answer, accepted=accepted,
        fact=fact.id, topic=fact.topic, kind=fact.kind, unit=fact.unit, tags=tuple(dict.fromkeys(tags)),
        disputed=verdict.disputed, note=verdict.note, sources=_sources(verdict.claims, bank),
        choices=("True", "False") if edit.type == "true_false" else edit.choices, origin="teacher", enabled=edit.enabled,
        ranges=_ranges(verdict.right_claims) if edit.type == "numeric" else (),
        # A teacher's cloze marks its gap as the generated ones did: "About [...] fighters attacked."
        cloze=edit.prompt.replace(CLOZE_GAP, "{{c1::" + edit.answer + "}}", 1)
        if edit.type == "cloze" and CLOZE_GAP in edit.prompt else None,
    )
