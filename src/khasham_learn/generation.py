"""Generating the question bank from the facts, deterministically, with ids that survive rewording.

A question's id is `<fact id>.<variant>`; nothing in it comes from wording, so a teacher's rewording
keeps learners' progress and Anki notes attached.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace

from .bulk import cycle_collection_paused
from .disagreement import Agreement, AssessedClaim, Disagreement, assess, cite, conflict, value_phrase
from .model import Bank, Fact, QuestionEdit
from .values import WEEKDAYS, Value, normalize, parse_value

MAX_CHOICES = 4
LONGEST_TYPED_ANSWER = 6  # words
SIBLING_CANDIDATES = 40
SIBLING_KINDS = frozenset({"number", "time", "duration", "date", "weekday", "name"})
SEQUENCE_JOIN = " → "
TIMELINE_ID = "timeline.sequence"
TIMELINE_MAX = 5  # events in one ordering question; more are split into several
# An open-ended claim ("more than 500") is graded as reaching this far above its bound.
OPEN_END_FACTOR = 1.5


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


def verdicts(bank: Bank) -> dict[str, Disagreement]:
    return {fact.id: assess(fact, bank) for fact in bank.facts}


def _context(bank: Bank) -> _Context:
    verdict_map = verdicts(bank)
    pools: dict[tuple[str, str | None], dict[str, Value]] = {}
    for fact in bank.facts:
        pool = pools.setdefault((fact.kind, fact.unit), {})
        for c in verdict_map[fact.id].right_claims:
            pool.setdefault(c.value.display, c.value)
    return _Context(bank, verdict_map, {key: list(pool.values()) for key, pool in pools.items()})


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


def _distractors(fact: Fact, against: Iterable[AssessedClaim], ctx: _Context, want: int) -> list[str]:
    """Wrong answers: the fact's own, then values of sibling facts of the same kind, never a value a source gives."""
    against = list(against)
    taken = {normalize(a) for a in fact.accept}

    def parsed(text: str) -> Value | None:
        try:
            return parse_value(fact.kind if fact.kind != "list" else "text", text)
        except ValueError:
            return None

    def fits(value: Value) -> bool:
        if normalize(value.display) in taken:
            return False
        for c in against:
            if fact.kind == "list":
                if value.key in c.value.item_keys:
                    return False
            elif value.is_interval or fact.kind in ("name", "weekday"):
                # A value that fits a claim, or the same name spelt otherwise, is no wrong answer.
                if conflict(value, c.value) is not Agreement.DISAGREE:
                    return False
            elif value.key == c.value.key:
                return False
        return True

    rng = random.Random(fact.id)
    own = list(fact.distractors) + list(fact.alternatives)
    # Other facts' values make good wrong answers only where they are of one sort: numbers of the
    # same unit, times, dates, names. Another fact's text or choice would be off the subject.
    pool = ctx.pools.get((fact.kind, fact.unit), []) if fact.kind in SIBLING_KINDS else []
    # A sample, not a shuffle of the whole pool: in a bank of thousands of facts that would make
    # generation quadratic. A few dozen candidates always hold the three wrong answers needed.
    siblings: list[Value | None] = rng.sample(pool, min(len(pool), SIBLING_CANDIDATES))
    if fact.kind == "weekday":
        siblings += [parsed(day) for day in WEEKDAYS]
    candidates = [(text, parsed(text)) for text in own] + [(v.display, v) for v in siblings if v is not None]
    out: list[str] = []
    for text, value in candidates:
        if len(out) >= want:
            break
        if value is not None and text not in out and fits(value):
            out.append(text)
            taken.add(normalize(text))
    return out


def fill(statement: str, answer: str) -> str:
    """The statement with its answer in place, without a doubled full stop after 'p.m.'."""
    if answer.endswith("."):
        statement = statement.replace("{answer}.", answer)
    return statement.replace("{answer}", answer)


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
    out: list[Question] = []

    def make(variant: str, qtype: str, prompt: str, **kw: object) -> None:
        claims = kw.pop("claims", verdict.claims)
        qid = f"{fact.id}.{variant}"
        out.append(
            Question(
                id=qid, type=qtype, prompt=prompt, fact=fact.id, topic=fact.topic, kind=fact.kind,
                disputed=disputed, note=note, sources=kw.pop("sources", sources),  # type: ignore[arg-type]
                tags=_tags(fact, qtype, disputed, claims),  # type: ignore[arg-type]
                answer=kw.pop("answer", answer), accepted=kw.pop("accepted", accepted),  # type: ignore[arg-type]
                **kw,  # type: ignore[arg-type]
            )
        )

    if not right:  # every claim is shown wrong: ask only what each report says
        _according(fact, verdict, ctx, make)
        return out

    # Multiple choice, where one answer is right for everyone.
    has_mc = False
    if verdict.status in (Agreement.AGREE, Agreement.SPELLING) and fact.kind != "choice":
        wrong = _distractors(fact, verdict.claims, ctx, MAX_CHOICES - 1)
        if fact.kind == "list":
            items = list(dict.fromkeys(i for c in right for i in c.value.items))
            if wrong:
                make("mc", "multi", fact.prompt, choices=_shuffled(items + wrong, fact.id + ".mc"), accepted=tuple(items))
        elif len(wrong) >= 2:
            make("mc", "choice", fact.prompt, choices=_shuffled([answer] + wrong, fact.id + ".mc"))
            has_mc = True

    # Direct question; a long wording nobody would type back is asked as multiple choice only, and
    # opposite characterisations only as what each report says.
    if fact.kind == "choice":
        if verdict.status is not Agreement.DISAGREE:
            make("direct", "choice", fact.prompt, choices=_shuffled(list(fact.alternatives), fact.id))
    elif fact.kind in ("number", "duration", "time"):
        make("direct", "numeric", fact.prompt, ranges=_ranges(right))
    elif not (has_mc and fact.kind == "text" and len(answer.split()) > LONGEST_TYPED_ANSWER):
        make("direct", "free", fact.prompt, ranges=_ranges(right))
    out.sort(key=lambda q: q.id != f"{fact.id}.direct")  # the direct question first, as in the YAML's order

    # Where sources differ: what each one says, and which one says what.
    if verdict.status in (Agreement.DISAGREE, Agreement.MEASURE):
        _according(fact, verdict, ctx, make)
        _which_report(fact, verdict, ctx, make)

    # Statements: true or false, and the cloze the Anki export uses.
    if verdict.status in (Agreement.AGREE, Agreement.SPELLING):
        true_statement = fill(fact.statement, answer)
        wrong = _distractors(fact, verdict.claims, ctx, 1)
        if wrong and zlib.crc32(fact.id.encode()) % 2:
            statement, truth = fill(fact.statement, wrong[0]), "False"
        else:
            statement, truth = true_statement, "True"
        make("tf", "true_false", f"True or false: {statement}", choices=("True", "False"), answer=truth,
             accepted=(truth,), statement=true_statement)
        make("cloze", "cloze", fill(fact.statement, "[...]"), ranges=_ranges(right),
             cloze=fill(fact.statement, "{{c1::" + answer + "}}"))
    return out


def _according(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """One question per voice (report and whom it cites) and measure: what does it say?"""
    voices: dict[tuple[str, str | None, str], list[AssessedClaim]] = {}
    for assessed in verdict.claims:
        key = (assessed.claim.source, assessed.claim.attributed_to, assessed.measure_key)
        voices.setdefault(key, []).append(assessed)
    asked: dict[str, int] = {}
    for (source, _, _), claims in voices.items():
        asked[source] = asked.get(source, 0) + 1
        # Ids hold only ids: a fact id, a variant, a source id, and a number when a report speaks twice.
        variant = f"according.{source}" + (f".{asked[source]}" if asked[source] > 1 else "")
        said = list(dict.fromkeys(_list_phrase(c.value) for c in claims))
        others = [
            c.value.display for c in verdict.claims
            if c.measure_key == claims[0].measure_key
            and all(conflict(c.value, mine.value) is not None for mine in claims)
        ]
        others = list(dict.fromkeys(others))
        others += _distractors(fact, verdict.claims, ctx, MAX_CHOICES - 1 - len(others))
        prompt = _according_prompt(fact.prompt, cite(claims[0].claim, ctx.bank.sources))
        if claims[0].measure and len(verdict.measures) > 1:
            prompt = f"{prompt} ({claims[0].measure})"
        items = [i for c in claims for i in c.value.items]
        common = dict(
            answer=" or ".join(said), accepted=tuple(dict.fromkeys([*said, *items])),
            claims=tuple(claims), ranges=_ranges(claims),
        )
        if len(others) >= 2 and fact.kind != "list" and len(said) == 1:
            make(variant, "choice", prompt, choices=_shuffled(said + others[: MAX_CHOICES - 1], fact.id + variant), **common)
        else:
            make(variant, "numeric" if claims[0].value.is_interval else "free", prompt, **common)


def _which_report(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    by_value: dict[str, set[str]] = {}
    for c in verdict.claims:
        by_value.setdefault(c.value.display, set()).add(c.claim.source)
    if len({c.claim.source for c in verdict.claims}) < 2:
        return
    labels = {sid: s.label for sid, s in ctx.bank.sources.items()}
    asked: dict[str, int] = {}
    for assessed in verdict.claims:
        owners = by_value[assessed.value.display]
        source = assessed.claim.source
        if owners != {source} or source not in labels:
            continue
        asked[source] = asked.get(source, 0) + 1
        variant = f"which.{source}" + (f".{asked[source]}" if asked[source] > 1 else "")
        statement = fill(fact.statement, _list_phrase(assessed.value))
        others = sorted(set(labels) - {source}, key=lambda s: zlib.crc32((fact.id + s).encode()))
        choices = [labels[source]] + [labels[s] for s in others[: MAX_CHOICES - 1]]
        make(variant, "which_report", f"Which report says: {statement}", answer=labels[source],
             accepted=(labels[source], source), choices=_shuffled(choices, fact.id + variant), claims=(assessed,))
        by_value[assessed.value.display] = set()  # one question per value


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
    tags = _tags(fact, edit.type, verdict.disputed, verdict.claims) + tuple(edit.tags or ())
    return Question(
        id=edit.id, type=edit.type, prompt=edit.prompt, answer=edit.answer, accepted=accepted,
        fact=fact.id, topic=fact.topic, kind=fact.kind, tags=tuple(dict.fromkeys(tags)),
        disputed=verdict.disputed, note=verdict.note, sources=_sources(verdict.claims, bank),
        choices=("True", "False") if edit.type == "true_false" else edit.choices, origin="teacher", enabled=edit.enabled,
        ranges=_ranges(verdict.right_claims) if edit.type == "numeric" else (),
    )
