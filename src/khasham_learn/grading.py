"""Grading a student's answer the way a lenient teacher would.

Case, accents, punctuation, spacing and leading articles are ignored; number words equal digits;
ranges are understood; a small typo in a name is accepted, with the right spelling shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .generation import Question
from .values import Value, normalize, parse_value

TYPO_EVERY = 4  # one typo allowed for every this many letters
APPROXIMATE_SHARE = 0.25  # "about 30" answers a question whose answer is 30
_ARTICLES = ("the ", "a ", "an ")
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}


@dataclass(frozen=True)
class Grade:
    correct: bool
    feedback: str


def _key(text: str) -> str:
    key = normalize(text)
    for article in _ARTICLES:
        if key.startswith(article):
            key = key[len(article):]
    return key


def grade(question: Question, given: str | list[str]) -> Grade:
    if question.type == "sequence":
        return _grade_order(question, [given] if isinstance(given, str) else given)
    if isinstance(given, list):
        wanted = {_key(a) for a in question.accepted}
        got = {_key(g) for g in given}
        if got == wanted:
            return Grade(True, "Right.")
        return Grade(False, f"Not quite: {len(wanted - got)} missing, {len(got - wanted)} wrong.")
    if not given.strip():
        return Grade(False, "No answer given.")
    accepted = {_key(a): a for a in question.accepted}
    key = _key(given)
    if key in accepted:
        return Grade(True, "Right.")
    if question.ranges:
        value = _parse_lenient(question.kind, given)
        if value is not None and _within(value, question.ranges):
            return Grade(True, "Right.")
    if question.kind == "weekday":
        value = _parse_lenient("weekday", given)
        right = value is not None and value.display in question.accepted
        return Grade(right, "Right." if right else "Not quite.")
    if question.type not in ("free", "cloze") or question.kind not in ("name", "text", "list"):
        return Grade(False, "Not quite.")
    if question.kind == "list":
        return _grade_items(given, accepted)
    spelt = _near(key, accepted)
    if spelt:
        return Grade(True, f"Right; it is spelt {spelt}.")
    return Grade(False, "Not quite.")


def _grade_order(question: Question, given: list[str]) -> Grade:
    """Right when no event is put before one the sources date earlier; where the sources leave
    two events' order open (their dates overlap), either order counts."""
    places = {_key(label): i for i, label in enumerate(question.accepted)}
    order = [places.get(_key(g)) for g in given]
    if sorted(o for o in order if o is not None) != list(range(len(places))) or None in order:
        return Grade(False, f"Not quite: put all {len(places)} events in order, each once.")
    spans = [question.ranges[i] for i in order if i is not None]
    misplaced = sum(
        1 for a in range(len(spans)) for b in range(a + 1, len(spans)) if spans[b][1] < spans[a][0]
    )
    if not misplaced:
        return Grade(True, "Right.")
    return Grade(False, f"Not quite: {misplaced} pair(s) of events the wrong way round.")


def _grade_items(given: str, accepted: dict[str, str]) -> Grade:
    """Any of a list's items, or several, with no wrong one: 'Marines and Green Berets'."""
    parts = [_key(p) for p in re.split(r",|;|/|\band\b|&", given) if _key(p)]
    if parts and all(p in accepted or _near(p, accepted) for p in parts):
        return Grade(True, "Right.")
    return Grade(False, "Not quite.")


def _near(key: str, accepted: dict[str, str]) -> str | None:
    """The accepted answer this is a small typo of: same words, an edit or two in them."""
    if len(key) < 4:
        return None
    for candidate, shown in accepted.items():
        if len(candidate.split()) == len(key.split()) and candidate[:1] == key[:1]:
            if _edits(key, candidate) <= max(1, len(candidate) // TYPO_EVERY):
                return shown
    return None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _parse_lenient(kind: str, text: str) -> Value | None:
    text = text.strip()
    if kind == "date":
        text = _date_words(text) or text
    try:
        return parse_value(kind, text)
    except ValueError:
        pass
    if kind == "duration":  # a bare number of hours
        try:
            return parse_value(kind, f"{text} hours")
        except ValueError:
            return None
    return None


def _date_words(text: str) -> str | None:
    """'7 February 2018' or 'February 7, 2018' -> '2018-02-07'."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    month = next((number for w in words if len(w) >= 3 for name, number in _MONTHS.items() if name.startswith(w)), None)
    numbers = [int(w) for w in words if w.isdigit()]
    year = next((n for n in numbers if n > 31), None)
    day = next((n for n in numbers if n <= 31), None)
    if month and year and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if month and year:
        return f"{year:04d}-{month:02d}"
    return None


def _within(value: Value, ranges: tuple[tuple[float, float], ...]) -> bool:
    """The answer's middle lies in an accepted range and the answer is no vaguer than that range:
    '480' fits 'about 500'; 'more than 1' or '1 to 100000' fits nothing."""
    if value.low is None or value.high is None or value.high == float("inf"):
        return False
    middle = (value.low + value.high) / 2
    width = value.high - value.low
    slack = abs(middle) * APPROXIMATE_SHARE if value.kind == "number" else 0
    return any(low <= middle <= high and width <= (high - low) + slack for low, high in ranges)
