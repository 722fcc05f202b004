"""Grading a student's answer the way a lenient teacher would.

Case, accents, punctuation, spacing and leading articles are ignored; number words equal digits;
ranges are understood; a small typo in a name is accepted, with the right spelling shown.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .generation import Question
from .values import Value, normalize, parse_value

TYPO_SIMILARITY = 0.8
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
    if isinstance(given, list):
        wanted = {_key(a) for a in question.accepted}
        got = {_key(g) for g in given}
        if got == wanted:
            return Grade(True, "Right.")
        missing = len(wanted - got)
        extra = len(got - wanted)
        return Grade(False, f"Not quite: {missing} missing, {extra} wrong.")
    if not given.strip():
        return Grade(False, "No answer given.")
    key = _key(given)
    accepted = {_key(a): a for a in question.accepted}
    if key in accepted:
        return Grade(True, "Right.")
    if question.type == "numeric" or (question.type == "free" and question.kind in ("date", "weekday")):
        value = _parse_lenient(question.kind, given)
        if value is not None and _within(value, question):
            return Grade(True, "Right.")
    if question.type in ("free", "cloze") and question.kind in ("name", "text", "list") and len(key) >= 4:
        close = difflib.get_close_matches(key, list(accepted), n=1, cutoff=TYPO_SIMILARITY)
        if close:
            return Grade(True, f"Right; it is spelt {accepted[close[0]]}.")
    return Grade(False, "Not quite.")


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


def _within(value: Value, question: Question) -> bool:
    if value.kind == "weekday":
        return value.display in question.accepted
    if value.low is None or value.high is None:
        return False
    if question.ranges:
        return any(value.low <= high and low <= value.high for low, high in question.ranges)
    for accepted in question.accepted:
        try:
            other = parse_value(question.kind, accepted)
        except ValueError:
            continue
        if other.low is not None and value.meets(other):
            return True
    return False
