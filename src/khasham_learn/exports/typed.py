"""The quiz's grading of typed answers, as far as a learning platform can hold it.

Not a format itself (it is not in FORMATS); gift, moodlexml and canvas build on it. A number or a
duration becomes intervals for a numerical question, in the unit the quiz reads a bare number in,
with the other units it converts; a time, a date or a text becomes a short answer: every accepted
form, and patterns with Moodle's wildcard `*` (any text) for what the quiz reads more loosely
(about 10 p.m., 22:00, 10pm; a surname; the core words of a longer answer), after refusals for
negations the right answers lack (Moodle takes the first answer that matches, in order). What the
platform cannot hold is said per question in `lost`: the exports report it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..generation import Question
# The quiz's own rules, so that what goes out cannot drift from what the quiz accepts.
from ..grading import LENGTHS, NEGATIONS, STOP_WORDS, duration_unit, is_wide, negations_in, prompt_negations, stem

NUMERICAL_KINDS = frozenset({"number", "duration"})
_DURATION_MINUTES = {"minutes": 1, "min": 1, "mins": 1, "hours": 60, "hour": 60, "hrs": 60, "hr": 60, "h": 60,
                     "days": 1440, "day": 1440, "weeks": 10080, "week": 10080}
_ARTICLES = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_NAME_TITLES = frozenset("mr mrs ms dr president general lt gen col colonel spokesman".split())
THOUSANDS = 1000


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2

    @property
    def tolerance(self) -> float:
        return (self.high - self.low) / 2


@dataclass(frozen=True)
class Numerical:
    """Right when the number typed lies in one of the intervals, in `unit`; `units` are the other
    units a student may write after it, each with how many of it make one `unit`."""

    intervals: tuple[Interval, ...]
    unit: str | None
    units: tuple[tuple[str, float], ...]
    lost: tuple[str, ...]


@dataclass(frozen=True)
class ShortAnswer:
    """Right when the text typed is one of `forms` (case ignored) or matches one of `patterns`
    (`*`: any text), unless it first matches one of `refusals`."""

    forms: tuple[str, ...]
    patterns: tuple[str, ...]
    refusals: tuple[str, ...]
    lost: tuple[str, ...]


def is_typed(q: Question) -> bool:
    return not q.choices and q.type not in ("matching", "sequence")


def typed_grading(q: Question) -> Numerical | ShortAnswer | None:
    """How a typed question is graded outside the quiz; None for a question with choices."""
    if not is_typed(q):
        return None
    if q.kind in NUMERICAL_KINDS and q.ranges:
        numerical = _numerical(q)
        if numerical is not None:
            return numerical
    return _short_answer(q)


# ---------------------------------------------------------------- numbers and durations


def _numerical(q: Question) -> Numerical | None:
    wide = [r for r in q.ranges if is_wide(*r)]
    # Narrowest first: Moodle shows its first right answer as "the" answer (500 for about 500, not
    # 625 for more than 500).
    narrow = sorted((r for r in q.ranges if not is_wide(*r)), key=lambda r: r[1] - r[0])
    if not narrow:
        return None  # "hundreds", "dozens": words, which only a short answer can take
    lost = []
    if q.kind == "duration":
        unit = duration_unit(q) or "minutes"
        per = _DURATION_MINUTES[unit]
        intervals = tuple(Interval(low / per, high / per) for low, high in narrow)
        units = tuple((name, per / minutes) for name, minutes in _DURATION_MINUTES.items() if name != unit)
        lost.append("durations in words ('a quarter of an hour', 'half an hour'); a figure with a wrong unit is "
                    "not refused ('15 hours' for 15 minutes)")
    else:
        unit = q.unit
        intervals = tuple(Interval(low, high) for low, high in narrow)
        units = _length_units(q.unit)
        if units:
            lost.append("a figure in another unit counts only inside the range (the quiz allows for its rounding: "
                        "'32 km' for '20 miles'); a figure with a wrong unit is not refused ('20 km' for '20 miles')")
    if wide:
        shown = [a for a in q.accepted if _is_vague(a)]
        lost.append(f"the words {_listed(shown)}: Moodle's numerical question takes only numbers")
    lost.append("numbers in words ('five hundred', 'none') and answers starting with a word ('about 40', "
                "'more than 500'): Moodle reads only a number at the start")
    if any(i.high >= THOUSANDS for i in intervals):
        lost.append("a thousands separator ('2,000'): Moodle asks for the number without it")
    lost.append(WORDS_AFTER_UNCHECKED)
    return Numerical(intervals, unit, units, tuple(lost))


# Where units are declared (Moodle XML); GIFT, which cannot declare them, refuses such words instead.
WORDS_AFTER_UNCHECKED = "the words after the number are not checked ('500 Americans' counts as 500)"


def _length_units(unit: str | None) -> tuple[tuple[str, float], ...]:
    if not unit or unit.lower() not in LENGTHS:
        return ()
    base = LENGTHS[unit.lower()]
    return tuple((name, base / metres) for name, metres in LENGTHS.items() if name != unit.lower())


def _is_vague(text: str) -> bool:
    from ..values import parse_value

    try:
        value = parse_value("number", text)
    except ValueError:
        return False
    return value.low is not None and value.high is not None and is_wide(value.low, value.high)


def _listed(items: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in items) or "for vague numbers"


# ---------------------------------------------------------------- short answers


def _short_answer(q: Question) -> ShortAnswer:
    forms = tuple(dict.fromkeys([q.answer, *q.accepted]))
    if q.kind == "time" and q.ranges:
        patterns, refusals = _time_patterns(q.ranges)
        return ShortAnswer(forms, patterns, refusals, (
            "times in words ('ten at night', 'midnight'); the minutes must be typed as digits",))
    if q.kind == "date" and q.ranges:
        return ShortAnswer(forms, _date_patterns(q.ranges), (), (
            "dates in other spellings ('2/7/2018', 'Feb. 7th'); a wrong year after the right day and month is not refused",))
    if q.kind in NUMERICAL_KINDS:  # only vague words: "hundreds", "dozens", "scores"
        return ShortAnswer(forms, (), (), ("other words for the same span ('several hundred' for 'hundreds')",))
    if q.kind == "weekday":
        return ShortAnswer(forms, tuple(_around(day[:3]) for day in forms), _refusals(forms, q.prompt), (
            "two days at once ('Tuesday or Wednesday') is not refused",))
    patterns = _word_patterns(q)
    if q.kind == "name":
        forms = tuple(dict.fromkeys([*forms, *(i for a in q.accepted if (i := initials(a)))]))
    lost = ["spelling slips, other transliterations and synonyms the quiz forgives ('Peskova', 'Evgeny', 'declined')"]
    if q.kind == "list" and len(q.accepted) > 2:
        lost.append("three or more items together in another order than the report's")
    if any(len(_core(a, q)) > 3 for a in q.accepted):
        lost.append("a long answer with some of its words left out")
    lost.append("a word of the student's own between or around the key words is not refused")
    return ShortAnswer(forms, patterns, _refusals(forms, q.prompt), tuple(lost))


def _around(text: str) -> str:
    return f"*{escape_wildcards(text)}*"


def escape_wildcards(text: str) -> str:
    """A literal asterisk in a Moodle short answer is written \\*."""
    return text.replace("*", "\\*")


def _refusals(forms: tuple[str, ...], prompt: str) -> tuple[str, ...]:
    """The quiz's negations, each refused where no right answer holds it: "not the Wagner Group" is
    no answer. One the prompt holds is not ("What did US forces not do?": "did not attack ..."), as
    the quiz reads it as the prompt's, restated."""
    echoed = prompt_negations(prompt)
    said = set().union(*map(negations_in, forms)) | echoed
    out = []
    for word in NEGATIONS:
        if word not in said:
            out += [f"{word} *", f"* {word} *", f"* {word}"]
    if "not" not in echoed and not any("n't" in f.lower() or "nt " in f.lower() for f in forms):
        out.append("*n't *")
    return tuple(out)


def _core(answer: str, q: Question) -> list[str]:
    """The answer's words that the prompt does not already give, without articles and small words,
    cut to their stems as the quiz compares them ('retreated' -> 'retreat')."""
    words = re.findall(r"[\w']+", _ARTICLES.sub("", answer))  # "Deir ez-Zor" is typed "Deir ez Zor" too
    content = [w for w in words if w.lower() not in STOP_WORDS and w.lower() not in NEGATIONS]
    prompt = {stem(w.lower()) for w in re.findall(r"[\w']+", q.prompt)}
    core = [w for w in content if stem(w.lower()) not in prompt] or content
    return [stem(w.lower()) for w in core]


def _word_patterns(q: Question) -> tuple[str, ...]:
    patterns: list[str] = []
    for answer in q.accepted:
        core = _core(answer, q)
        if core:
            patterns.append("*" + "*".join(escape_wildcards(w) for w in core) + "*")
        surname = _surname(answer) if q.kind == "name" else None
        if surname:
            patterns.append(f"*{escape_wildcards(surname)}")
        for mark in _designations(answer):  # "B-52s", "MQ-9", "Reapers" for "MQ-9 Reaper drones"
            patterns.append(f"*{escape_wildcards(mark)}*")
    if q.kind == "list":
        items = [c for c in (_core(a, q) for a in q.accepted) if c]
        for a in items:
            for b in items:
                if a != b:
                    patterns.append("*" + "*".join(escape_wildcards(w) for w in a + b) + "*")
    return tuple(dict.fromkeys(p for p in patterns if p.strip("*")))


def _designations(answer: str) -> list[str]:
    """A model number ('B-52', 'AH-64', also typed 'B52') and a name that follows one ('Reaper', 'Apache')."""
    marks: list[str] = []
    words = answer.split()
    for i, word in enumerate(words):
        if re.fullmatch(r"[A-Z]{1,3}-\d+[A-Z]?", word):
            marks += [word, word.replace("-", "")]
            if i + 1 < len(words) and words[i + 1][:1].isupper():
                marks.append(stem(words[i + 1].lower()))
    return marks


def initials(name: str) -> str | None:
    """'NYT' for 'The New York Times', which the quiz takes for the name."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in STOP_WORDS]
    return "".join(w[0] for w in words).upper() if len(words) >= 2 and all(w[:1].isupper() for w in words) else None


def _surname(name: str) -> str | None:
    """A person's surname, which the quiz takes alone ('Peskov'); institutions have none."""
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words) or words[0].lower() in ("the", "a"):
        return None
    if any(w.lower() in ("group", "forces", "center", "centre", "command", "state", "regiment", "resolve") for w in words):
        return None
    return words[-1] if len(words[-1]) >= 3 else None


def _time_patterns(ranges: tuple[tuple[float, float], ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every minute in the ranges, on the 24-hour and the 12-hour clock, with ':' or '.', a whole
    ten minutes at a time where the range holds them ('21:5*' for 21:50 to 21:59); an hour on its
    own ('10 pm', "10 o'clock") where the range holds it; each alone or after other words."""
    patterns: list[str] = []
    refusals: list[str] = []
    for low, high in ranges:
        minutes = list(range(int(low), int(high) + 1))
        for hour in sorted({m // 60 for m in minutes}):
            in_hour = [m % 60 for m in minutes if m // 60 == hour]
            h24, h12 = hour % 24, (hour % 12) or 12
            half, other = ("p", "a") if h24 >= 12 else ("a", "p")
            minute_starts = []
            for tens in sorted({m // 10 for m in in_hour}):
                block = [m for m in in_hour if m // 10 == tens]
                minute_starts += [f"{tens}"] if len(block) == 10 else [f"{m:02d}" for m in block]
            for minutes_text in minute_starts:
                for sep in (":", "."):
                    clock24 = [f"{h24:02d}{sep}{minutes_text}"] + ([f"{h24}{sep}{minutes_text}"] if h24 < 10 else [])
                    for text in clock24:
                        patterns += [f"{text}*", f"* {text}*"]
                    twelve = f"{h12}{sep}{minutes_text}"
                    patterns += [f"{twelve}*", f"* {twelve}*"]
                    # the other half of the day, as the answer ends: "10:05 am" for 22:05
                    refusals += [f"{start}{twelve}*{other}{end}" for start in ("", "* ") for end in ("m", ".m.", ".m")]
            if 0 in in_hour:
                said = ("at night", "in the evening") if h24 >= 18 else ("at night", "in the morning") if h24 < 6 else ()
                for text in (f"{h12} {half}*m*", f"{h12}{half}*m*", f"{h12} o*clock*", *(f"{h12} {w}" for w in said)):
                    patterns += [text, f"* {text}"]
                refusals += [f"{start}{h12}{space}{other}{end}" for start in ("", "* ") for space in ("", " ")
                             for end in ("m", ".m.", ".m")]
    return tuple(dict.fromkeys(patterns)), tuple(dict.fromkeys(refusals))


def _date_patterns(ranges: tuple[tuple[float, float], ...]) -> tuple[str, ...]:
    patterns: list[str] = []
    for low, high in ranges:
        first, last = dt.date.fromordinal(int(low)), dt.date.fromordinal(int(high))
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
            patterns += [f"{first.year}", f"* {first.year}", f"* {first.year}."]
        elif first == last:
            day, month = first.day, first.strftime("%B")[:3]
            suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day, "th")
            for d in (f"{day}", f"{day}{suffix}"):
                patterns += [f"{d} {month}*", f"* {d} {month}*", f"{d} of {month}*", f"* {d} of {month}*",
                             f"{month}* {d}", f"* {month}* {d}", f"{month}* {d},*", f"* {month}* {d},*",
                             f"{month}* {d} *", f"* {month}* {d} *"]
            patterns.append(first.isoformat())
        elif first.day == 1 and first.month == last.month and first.year == last.year:
            month = first.strftime("%B")[:3]
            patterns += [f"{month}* {first.year}", f"* {month}* {first.year}", f"{first.year}-{first.month:02d}"]
    return tuple(dict.fromkeys(patterns))


def time_forms(ranges: tuple[tuple[float, float], ...]) -> list[str]:
    """Plain forms of every fifth minute in the ranges, for a platform without wildcards: 22:05,
    10:05 pm, 10:05 p.m., 10:05pm, and on the hour 10 pm and 10pm."""
    forms: list[str] = []
    for low, high in ranges:
        for minute in range(int(low), int(high) + 1):
            if minute % 5:
                continue
            h24, mm = (minute // 60) % 24, minute % 60
            h12, half = (h24 % 12) or 12, "pm" if h24 >= 12 else "am"
            dotted = f"{half[0]}.m."
            forms += [f"{h24:02d}:{mm:02d}", f"{h12}:{mm:02d} {half}", f"{h12}:{mm:02d} {dotted}", f"{h12}:{mm:02d}{half}"]
            if mm == 0:
                forms += [f"{h12} {half}", f"{h12}{half}", f"{h12} {dotted}"]
    return list(dict.fromkeys(forms))


def unit_hint(q: Question, grading: Numerical) -> str:
    """' (in hours)' after a duration's prompt where the platform reads a bare number: the prompt
    ('How long did the fighting last?') does not say in which unit."""
    return f" (in {grading.unit})" if q.kind == "duration" and grading.unit else ""
