"""Typed values: what a claim's value means, so claims can be compared rather than string-matched.

Interval kinds (number, time, duration, date) become a closed interval; approximate values widen
it, open-ended ones ("more than 500") run to infinity. Two values agree when their intervals meet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass

INTERVAL_KINDS = frozenset({"number", "time", "duration", "date"})
WEEKDAYS = tuple(calendar.day_name)  # Monday .. Sunday

# "about 500" spans 450-550; "about 22:30" spans 22:20-22:40.
APPROX_SHARE = 0.10
APPROX_MINUTES = 10
MINUTES_PER_DAY = 1440

# Prefixes: words need a space after them, symbols do not ("~500", ">500").
_APPROX = r"(?:(?:about|around|roughly|some|approximately|nearly|almost|circa|approx\.?)\s+|~\s*)"
_MORE = r"(?:(?:more than|over|at least|upwards of|in excess of)\s+|>\s*)"
_FEWER = r"(?:(?:fewer than|less than|under|at most|up to|no more than)\s+|<\s*)"
# Larger numbers are not counts of anything in a report; refusing them keeps arithmetic finite.
_LARGEST = 1e12
_NUM = r"\d+(?:\.\d+)?"
_DASH = r"\s*(?:-|–|—|to)\s*"

_VAGUE_NUMBERS: dict[str, tuple[float, float]] = {
    "dozens": (24, 99),
    "scores": (40, 199),
    "hundreds": (200, 999),
    "a few hundred": (200, 500),
    "several hundred": (200, 900),
    "a couple hundred": (180, 220),
    "a couple of hundred": (180, 220),
    "thousands": (2000, 9999),
    "none": (0, 0),
}

# Number words to their values: what words_to_number reads, and what giveaways and the Anki export
# read as digits ("eight kilometers" states 8).
SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_TITLES = {
    "lt", "gen", "col", "colonel", "general", "lieutenant", "maj", "major", "capt", "captain", "sgt",
    "dr", "mr", "mrs", "ms", "president", "senator", "secretary", "minister", "sen", "rep", "adm",
    "mayor", "governor", "gov", "prof", "professor", "judge",
}


@dataclass(frozen=True)
class Value:
    kind: str
    display: str
    low: float | None = None
    high: float | None = None
    key: str = ""
    items: tuple[str, ...] = ()

    @property
    def is_interval(self) -> bool:
        return self.low is not None

    def meets(self, other: Value) -> bool:
        assert self.low is not None and self.high is not None and other.low is not None and other.high is not None
        # A clock wraps at midnight: about 23:55 and 00:05 are ten minutes apart.
        shifts = (0, -MINUTES_PER_DAY, MINUTES_PER_DAY) if self.kind == "time" else (0,)
        return any(self.low + s <= other.high and other.low <= self.high + s for s in shifts)

    @property
    def item_keys(self) -> frozenset[str]:
        return frozenset(normalize(i) for i in self.items)


def normalize(text: str) -> str:
    """The comparable form of a text: accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w\s]", " ", text.replace("'", "").replace("’", ""))
    return " ".join(text.split())


def words_to_number(text: str) -> float | None:
    """'forty' -> 40, 'two hundred' -> 200, '2,000' -> 2000, 'a hundred' -> 100."""
    text = text.strip().lower().replace(",", "")
    if re.fullmatch(_NUM, text):
        return float(text)
    words = re.sub(r"[-\s]+(and\s+)?", " ", text).split()
    if words[:1] == ["a"] or words[:1] == ["an"]:
        words = ["one"] + words[1:]
    if not words:
        return None
    total = current = 0.0
    for position, word in enumerate(words):
        if re.fullmatch(_NUM, word):
            if position:  # "200 300" is two numbers, not 500
                return None
            current += float(word)
        elif word in SMALL_NUMBERS:
            current += SMALL_NUMBERS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES:
            current = (current or 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0.0
        else:
            return None
    return total + current


def _num(text: str) -> float:
    value = words_to_number(text)
    if value is None:
        raise ValueError(f"'{text}' is not a number")
    if not value <= _LARGEST:
        raise ValueError(f"'{text}' is too large a number")
    return value


def _fmt(n: float) -> str:
    return f"{int(n):,}" if n == int(n) else f"{n:g}"


def _approx(low: float, high: float) -> tuple[float, float]:
    return low * (1 - APPROX_SHARE), high * (1 + APPROX_SHARE)


def parse_number(raw: str) -> Value:
    text = " ".join(raw.strip().lower().split())
    if text in _VAGUE_NUMBERS:
        low, high = _VAGUE_NUMBERS[text]
        return Value("number", text, low, high)
    if len(text) > 200:
        raise ValueError("a number value should be short, like 500 or about 500")
    if re.fullmatch(r"[a-z0-9,.\s-]+", text) and words_to_number(text) is not None:  # "twenty-five"
        n = _num(text)
        return Value("number", _fmt(n), n, n)
    if m := re.match(_APPROX, text):
        inner = parse_number(text[m.end():])
        return Value("number", f"about {inner.display}", *_approx(inner.low, inner.high))  # type: ignore[arg-type]
    if m := re.match(_MORE, text):
        n = _num(text[m.end():])
        return Value("number", f"more than {_fmt(n)}", n, math.inf)
    if m := re.match(_FEWER, text):
        n = _num(text[m.end():])
        return Value("number", f"fewer than {_fmt(n)}", 0, n)
    if m := re.fullmatch(r"(.+?)\+", text):
        n = _num(m.group(1))
        return Value("number", f"more than {_fmt(n)}", n, math.inf)
    if m := re.fullmatch(rf"([\w,.]+(?:\s[\w,.]+)*?){_DASH}([\w,.]+(?:\s[\w,.]+)*)", text):
        try:
            low, high = sorted((_num(m.group(1)), _num(m.group(2))))
        except ValueError:
            pass
        else:
            return Value("number", f"{_fmt(low)} to {_fmt(high)}", low, high)
    raise ValueError(
        f"'{raw}' is not a number value; write it like 500, about 500, more than 500, 200-300 or dozens"
    )


def _clock(hours: int, minutes: int) -> str:
    suffix = "a.m." if hours < 12 else "p.m."
    return f"{(hours % 12) or 12}:{minutes:02d} {suffix}"


def parse_time(raw: str) -> Value:
    text = " ".join(raw.strip().lower().split())
    m = re.fullmatch(rf"({_APPROX})?(\d{{1,2}})(?::(\d{{2}}))?\s*(a\.?m\.?|p\.?m\.?)?", text)
    if not m or (m.group(3) is None and m.group(4) is None):
        raise ValueError(f"'{raw}' is not a time; write it on the 24-hour clock like 22:30 or about 22:30")
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if m.group(4):
        if not 1 <= hours <= 12:
            raise ValueError(f"'{raw}' is not a time: with a.m. or p.m. the hour runs from 1 to 12")
        hours = hours % 12 + (12 if m.group(4).startswith("p") else 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"'{raw}' is not a time of day")
    at = hours * 60 + minutes
    if m.group(1):
        return Value("time", f"about {_clock(hours, minutes)}", at - APPROX_MINUTES, at + APPROX_MINUTES)
    return Value("time", _clock(hours, minutes), at, at)


_DURATION_UNITS = {"minute": 1, "min": 1, "hour": 60, "hr": 60, "day": 1440, "week": 10080}


def parse_duration(raw: str) -> Value:
    text = " ".join(raw.strip().lower().split())
    m = re.fullmatch(r"(.+?)[\s-]*(minute|min|hour|hr|day|week)s?", text)
    try:
        amount = parse_number(m.group(1)) if m else None
    except ValueError:
        amount = None
    if m is None or amount is None:
        raise ValueError(f"'{raw}' is not a duration; write it like 4 hours, about 3 hours or 15 minutes")
    unit = m.group(2)
    plural = "" if amount.high == 1 else "s"
    scale = _DURATION_UNITS[unit]
    return Value("duration", f"{amount.display} {unit}{plural}", amount.low * scale, amount.high * scale)  # type: ignore[operator]


def parse_date(raw: str) -> Value:
    text = raw.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return Value("date", f"{day.day} {day:%B %Y}", day.toordinal(), day.toordinal())
        if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(m.group(1)), int(m.group(2))
            first = dt.date(year, month, 1)
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
            return Value("date", f"{first:%B %Y}", first.toordinal(), last.toordinal())
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return Value("date", text, dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal())
    except ValueError:
        pass
    raise ValueError(f"'{raw}' is not a date; write it like 2018-02-07, 2018-02 or 2018")


def parse_weekday(raw: str) -> Value:
    key = normalize(raw)
    for day in WEEKDAYS:
        if key in (day.lower(), day.lower()[:3]):
            return Value("weekday", day, key=day.lower())
    raise ValueError(f"'{raw}' is not a day of the week; write it like Wednesday")


def name_key(text: str) -> str:
    """A name without titles: 'Lt. Gen. Jeffrey L. Harrigian' -> 'jeffrey l harrigian'."""
    words = normalize(text).split()
    while words and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words) or normalize(text)


# Remembered: checking parses every claim, then judging the facts' disagreements parses each again.
# Pure, of immutable arguments, giving immutable Values; the bound keeps a long-lived process small.
@functools.lru_cache(maxsize=65_536)
def parse_value(kind: str, raw: str | tuple[str, ...]) -> Value:
    """The typed value of a claim; ValueError carries a message for the teacher."""
    if kind == "list":
        items = (raw,) if isinstance(raw, str) else raw
        return Value("list", ", ".join(items), items=tuple(items), key="|".join(sorted(normalize(i) for i in items)))
    if not isinstance(raw, str):
        raise ValueError(f"a {kind} value should be a single value, not a list")
    parsers = {
        "number": parse_number,
        "time": parse_time,
        "duration": parse_duration,
        "date": parse_date,
        "weekday": parse_weekday,
    }
    if kind in parsers:
        return parsers[kind](raw)
    if kind == "name":
        return Value("name", raw.strip(), key=name_key(raw))
    return Value(kind, raw.strip(), key=normalize(raw))


def weekday_of(value: Value) -> str | None:
    """The weekday of a date value that names one day."""
    if value.kind != "date" or value.low != value.high or value.low is None:
        return None
    return WEEKDAYS[dt.date.fromordinal(int(value.low)).weekday()]
