"""What the reports support, and so which values make safe wrong answers."""

from __future__ import annotations

import random
from collections.abc import Iterable

from ..disagreement import Agreement, AssessedClaim, conflict
from ..model import Fact
from ..values import WEEKDAYS, Value, normalize, parse_value
from .context import _best, _Context, _template_key

MAX_CHOICES = 4

SIBLING_CANDIDATES = 40
# Another fact's value is a wrong answer of similar length only if neither is more than twice the
# other (plus a few characters, so "12" may stand beside "about 100"): a choice much longer or
# shorter than the rest singles itself out. Longer or shorter ones are used only when no other is left.
LENGTH_SLACK = 4
SIBLING_KINDS = frozenset({"number", "time", "duration", "date", "weekday", "name"})
SIZED_KINDS = frozenset({"duration"})
SIZE_FACTOR = 10


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
    answer = _answer_value(fact, ctx)
    display = answer.display if answer is not None else None
    sized = [v for v in siblings if v is not None and _similar_size(v, answer)]
    alike = [(v.display, v) for v in sized if _similar_length(v.display, display)]
    unlike = [(v.display, v) for v in sized if not _similar_length(v.display, display)]
    candidates = [(text, _parsed(fact, text)) for text in own] + alike + unlike
    out: list[str] = []
    for text, value in candidates:
        if len(out) >= want:
            break
        if value is not None and text not in out and fits(value):
            out.append(text)
            taken.add(normalize(text))
    return out


def _answer_value(fact: Fact, ctx: _Context) -> Value | None:
    right = ctx.verdicts[fact.id].right_claims
    return _best(right).value if right else None


def _similar_size(value: Value, answer: Value | None) -> bool:
    """Another fact's duration as a wrong answer only within a factor of SIZE_FACTOR of
    the answer: "1 week" or "15 minutes" beside "3 hours" of fighting is no answer at all."""
    if answer is None or value.kind not in SIZED_KINDS or value.low is None or answer.low is None:
        return True
    a, b = sorted((_middle(value), _middle(answer)))
    return a == b or (a > 0 and b / a <= SIZE_FACTOR)


def _middle(value: Value) -> float:
    assert value.low is not None
    return abs((value.low + (value.high if value.high is not None else value.low)) / 2)


def _similar_length(text: str, answer: str | None) -> bool:
    if answer is None:
        return True
    short, long = sorted((len(text), len(answer)))
    return long <= 2 * short + LENGTH_SLACK


def _date_precision(fact: Fact, ctx: _Context) -> int | None:
    """For a date fact, how many words its answer has (a year, a month, a day): wrong dates match it."""
    if fact.kind != "date":
        return None
    right = ctx.verdicts[fact.id].right_claims
    return len(_best(right).value.display.split()) if right else None


