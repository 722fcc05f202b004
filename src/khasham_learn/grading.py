"""Grading a student's answer the way a careful teacher would: what a reader of the reports types is
right, however it is spelt; a vaguer, different or contradicting answer is not.

The rules, each tested in tests/test_grading.py and over the bundled bank in tests/test_grading_table.py:
- case, accents, punctuation, spacing, articles and plurals are ignored; a small typo is accepted and the
  right spelling shown;
- numbers: digits or words ("three", "a couple hundred"), ranges in any spelling ("200-300", "200 to 300",
  "between 200 and 300"), approximate and open forms ("about 500", "over 500", "500+", "under 100"),
  trailing nouns ("27 vehicles"), "none / no one / nobody / zero" for 0, and the fact's unit or an
  equivalent one ("20 miles", "32 km", "500 m", "15 min", "1 am", "1 o'clock");
- an open, approximate or ranged answer is right only when it is consistent with a reported value and no
  vaguer: "over 500" and "450-550" answer "about 500", "more than 1" and "400-600" do not; a date with a
  second year ("2014 to 2017") names a span, not the year;
- on a question with several reported values, any of them is right, and so is an answer naming several
  ("30 or 40"); a value no report gives is wrong;
- names: surnames and titles ("Peskov", "President Putin", a one-letter slip: "Peskova"), common
  transliterations ("Evgeny"), designations and plurals ("MQ-9", "Reaper", "B-52s"; "Rangers" does not
  answer "Which Ranger unit?"), initials of words ("NYT"); an institution's name whole ("Air Operations
  Center" is not the CAOC); an acronym is neither a plural nor open to typos ("ISI", "CAOD");
- longer text: an answer holding the core of an accepted answer (its words the prompt does not already
  give) and contradicting nothing: no negation it lacks (nor a negating prefix: "insignificant"), no word
  of its own, no word swapped for one of the answer's ("Russian militias" for "Syrian militias"); a long
  core may lose some words, in its order.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .values import INTERVAL_KINDS, Value, name_key, normalize, parse_value

if TYPE_CHECKING:  # generation imports the whole bank machinery; grading needs only the Question's fields
    from .generation import Question

TYPO_EVERY = 4  # one typo allowed for every this many letters
APPROXIMATE_SHARE = 0.25  # "about 30" answers a question whose answer is 30
SAME_BOUND_SHARE = 0.10  # "over 480" restates "more than 500"; "over 400" is vaguer
TIME_SLACK_MINUTES = 20  # "about 22:00" (21:50-22:10) answers "22:00"
WIDE_SHARE = 2 / 3  # "hundreds" (200-999) is wider than this share of its middle: a word, not a figure
VALUE_WORDS = 8  # no value is longer ("about two hundred to three hundred"): a long answer costs no more
LONG_CORE = 3  # a core longer than this many words may leave some out
LONG_CORE_SHARE = 2 / 3  # how much of a long core an answer must hold
_ARTICLES = ("the ", "a ", "an ")
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}

# Units of length an answer may carry, in metres. A table rather than pint: pint takes about 0.4 s to
# import and build its registry, a noticeable pause after the first answer, for five conversions.
LENGTHS = {
    "m": 1.0, "meter": 1.0, "meters": 1.0, "metre": 1.0, "metres": 1.0,
    "km": 1000.0, "kms": 1000.0, "kilometer": 1000.0, "kilometers": 1000.0, "kilometre": 1000.0,
    "kilometres": 1000.0,
    "mi": 1609.344, "mile": 1609.344, "miles": 1609.344,
    "yd": 0.9144, "yds": 0.9144, "yard": 0.9144, "yards": 0.9144,
    "ft": 0.3048, "foot": 0.3048, "feet": 0.3048,
}
_LENGTH_WORDS = frozenset(w for w in LENGTHS if len(w) > 2)  # how a unit is spelt out in a report

# Words that add nothing to an answer: "20 miles away", "none of them", "at 1 am".
_FILLER = frozenset(
    "the a an of them in total at on all altogether away about that were was had been there some".split()
)
_LEADING_PREPOSITIONS = ("at ", "on ", "in ", "for ", "since ", "by ", "during ")
_PEOPLE = frozenset("people person men troops soldier soldiers fighters fighter personnel members".split())
_ZERO = re.compile(r"^(?:none|no one|noone|nobody|not one|not a single one|not a single|zero|nil|no)\b")

STOP_WORDS = frozenset(
    "a an the of to in on at by for with and or as from into than this these those that which who whom "
    "whose what when where why how their its his her they them it he she was were is are be been being "
    "had has have did do does would will there until through till via act kind sort way thing".split()
)
# "Refused to comment" is "did not comment": a refusal negates like "not".
# A tuple, in this order: exports/typed.py refuses each, in order, in Moodle's short answers.
NEGATIONS = ("not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "refused")
# Spellings the reports and their readers use for the same word.
_SYNONYMS = {
    "declined": "refused", "declines": "refused", "decline": "refused", "refuse": "refused",
    "refuses": "refused", "airstrikes": "air strikes", "airstrike": "air strike",
    # a country and its adjective: "President of Russia" is the Russian president
    "russian": "russia", "syrian": "syria", "american": "us", "kurdish": "kurd", "ukrainian": "ukraine",
    "iranian": "iran", "israeli": "israel", "defence": "defense", "centre": "center",
}
# Particles inside Arabic and European names: "Bashar Assad" is "Bashar al-Assad".
_NAME_PARTICLES = frozenset("al el bin ibn van von".split())
# Words that may stand before a person's name: "Russian president Vladimir Putin".
_BEFORE_NAMES = frozenset(
    "russia syria us former late spokesman leader chief president senator secretary minister general "
    "lieutenant lt gen col colonel mr mrs ms dr".split()
)
_EMPHASIS = frozenset("very really indeed actually truly highly clearly".split())  # add no claim of their own
_TURNING_WORDS = frozenset({"against"})  # left out, the claim turns round: "a stance (against) Moscow"
_NEGATING_PREFIXES = ("in", "un", "non", "dis", "anti")  # "insignificant" contradicts "significant"
_NAME_RUN = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+)?[A-Z][\w'-]*)+")  # "Combined Air Operations Center"
_CONTRACTIONS = re.compile(r"\b(did|could|would|was|were|is|are|does|do|has|have|had|should)nt\b")
# What kind of thing a designated machine is; "Reaper" names the MQ-9 Reaper drone without it.
_TYPE_NOUNS = frozenset("drone bomber jet fighter plane aircraft helicopter gunship tank missile".split())
# Last words of institutions and places, which are never a surname: "Post" is not The Washington Post.
_NOT_SURNAMES = frozenset(
    "group forces force center centre post times nations state states river valley government regime "
    "regiment rangers operation resolve plant outpost command ministry council army detachment".split()
)


@dataclass(frozen=True)
class Grade:
    correct: bool
    feedback: str
    # The share of a matching question's pairs matched rightly, for partial credit in the quiz's
    # feedback; None for questions that are right or wrong as a whole.
    score: float | None = None


RIGHT = Grade(True, "Right.")
WRONG = Grade(False, "Not quite.")


def _key(text: str) -> str:
    key = normalize(text)
    for article in _ARTICLES:
        if key.startswith(article):
            key = key[len(article):]
    return key


def grade(question: Question, given: str | list[str]) -> Grade:
    """Whether `given` answers `question`, with a line of feedback for the student.

    `given` is the typed text, or for a multi-select or ordering question the items picked, or for a
    matching question the party picked for each description, in order. A typed
    answer is right when it says what a report says, in any of the spellings a careful reader would use
    (see the module's docstring for the rules); feedback then shows the bank's wording where the
    student's differed in spelling or length. Vaguer answers, other values, other names and negations
    are wrong.
    """
    if question.type == "sequence":
        return _grade_order(question, [given] if isinstance(given, str) else given)
    if question.type == "matching":
        return _grade_matching(question, [given] if isinstance(given, str) else given)
    if isinstance(given, list):
        wanted = {_key(a) for a in question.accepted}
        got = {_key(g) for g in given}
        if got == wanted:
            return RIGHT
        return Grade(False, f"Not quite: {len(wanted - got)} missing, {len(got - wanted)} wrong.")
    if not given.strip():
        return Grade(False, "No answer given.")
    accepted = {_key(a): a for a in question.accepted}
    if _key(given) in accepted:
        return RIGHT
    if question.kind in INTERVAL_KINDS and question.ranges:
        return RIGHT if _interval_right(question, given) else WRONG
    if question.kind == "weekday":
        day = _weekday(given)
        return RIGHT if day is not None and day in question.accepted else WRONG
    if question.type not in ("free", "cloze"):
        return WRONG
    if question.kind == "list":
        return _grade_items(question, given)
    if question.kind not in ("name", "text", "choice"):
        return WRONG
    return _grade_words(question, given)


# ---------------------------------------------------------------- order


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
        return RIGHT
    return Grade(False, f"Not quite: {misplaced} pair(s) of events the wrong way round.")


def _grade_matching(question: Question, given: list[str]) -> Grade:
    """`given` holds a party for each description, in the order of `question.pairs`. The grade is
    right only when every pair is: the store and FSRS see a matching question as one card, and a
    half-known card is one to see again soon. The score carries the partial credit."""
    total = len(question.pairs)
    right = sum(
        1 for (_, party), answer in zip(question.pairs, given) if _key(answer) == _key(party)
    )
    if right == total:
        return Grade(True, f"Right: all {total} matched.", 1.0)
    return Grade(False, f"Not quite: {right} of {total} right.", right / total if total else 0.0)


# ---------------------------------------------------------------- numbers, times, durations, dates


@dataclass(frozen=True)
class _Reading:
    """One value an answer names, as an interval in the fact's unit."""

    low: float
    high: float
    open_above: bool = False  # "over 500"
    open_below: bool = False  # "under 500"
    converted: bool = False  # from another unit: stands for the interval its rounding allows
    ranged: bool = False  # "200-300", "3-4 hours": may name two reported values


def _interval_right(question: Question, given: str) -> bool:
    """Each value the answer names is a reported one or fits one, and the answer names at least one."""
    parts = _parts(question, given)
    shown = {_key(a) for a in question.accepted}
    reported = _reported(question)
    for part in parts:
        if _key(part) in shown:  # "hundreds" among "200 to 300, hundreds or about 100"
            continue
        readings = _readings(question, part)
        if not any(_fits(r, question, reported) for r in readings):
            return False
    return bool(parts)


def _parts(question: Question, given: str) -> list[str]:
    """The values an answer names: '30 or 40', '200 to 300, hundreds', 'the US air strikes: 3 hours'."""
    text = _plain(given)
    if question.kind == "date":
        return [text] if text else []  # "February 7, 2018" holds a comma
    text = re.sub(r"^between (.+?) and (.+)$", r"\1 to \2", text)
    text = re.sub(r"^from (.+?) (?:to|until|till) (.+)$", r"\1 to \2", text)
    parts = [p for p in re.split(r"\s*(?:\bor\b|/|,|;)\s*", text, flags=re.IGNORECASE) if p]
    return [re.sub(r"^[a-z][a-z '-]*:\s*", "", p) for p in parts]  # a value after its measure, as notes list them


def _plain(given: str) -> str:
    text = " ".join(given.strip().lower().replace("–", "-").replace("—", "-").split()).rstrip(".!?")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 2,000
    for preposition in _LEADING_PREPOSITIONS:
        if text.startswith(preposition) and not text.startswith(("at least", "at most")):
            text = text[len(preposition):]
    return re.sub(r"^(?:an estimated|estimated|reportedly)\s+", "", text)


def _readings(question: Question, part: str) -> list[_Reading]:
    kind = question.kind
    if kind == "date":
        value = _date(part, question.ranges)
        return [_Reading(value.low, value.high)] if value and value.low is not None else []  # type: ignore[arg-type]
    if kind == "time":
        return _time_readings(part)
    if part.startswith("within ") and "within" in question.prompt.lower():
        part = part[len("within "):]  # "within 500 meters" answers "within how many meters"
    if kind == "duration":
        part = _duration_words(part)
    value, tail = _leading_value(kind, part)
    if value is None and kind == "duration":
        value, tail = _leading_value("number", part)  # a bare "15": in the unit the answer is given in
        unit = duration_unit(question)
        if value is None or not unit:
            return []
        value = parse_value("duration", f"{value.display} {unit}")
    if value is None and kind == "number" and _ZERO.match(part):
        value, tail = parse_value("number", "none"), part[_ZERO.match(part).end():].strip()  # type: ignore[union-attr]
    if value is None or value.low is None or value.high is None:
        return []
    reading = _Reading(
        value.low, value.high, open_above=value.high == math.inf,
        open_below=value.display.startswith("fewer than"), ranged=" to " in value.display,
    )
    if kind != "number":
        return [reading] if _tail_allowed(question, tail) else []
    return [r] if (r := _with_unit(question, reading, value, tail)) else []


def _leading_value(kind: str, text: str) -> tuple[Value | None, str]:
    """The longest start of the text that is a value of this kind, and the words after it."""
    words = text.split()
    for end in range(min(len(words), VALUE_WORDS), 0, -1):
        head = " ".join(words[:end])
        for candidate in (head, f"a {head}") if head.startswith("couple") else (head,):
            try:
                return parse_value(kind, candidate), " ".join(words[end:])
            except ValueError:
                continue
    return None, text


def _with_unit(question: Question, reading: _Reading, value: Value, tail: str) -> _Reading | None:
    """The reading in the fact's unit: '8 km' stays 8 for a fact in kilometres; '5 miles' becomes
    the 7.2-8.9 km its rounding allows; a unit where the fact has none is wrong."""
    words = tail.split()
    if not words or words[0] not in LENGTHS:
        return reading if _tail_allowed(question, tail) else None
    if not _tail_allowed(question, " ".join(words[1:])):
        return None
    fact_unit = _fact_length_unit(question)
    if fact_unit is None:
        return None
    factor = LENGTHS[words[0]] / LENGTHS[fact_unit]
    if factor == 1:
        return reading
    low, high = reading.low, reading.high
    if low == high:  # a converted exact value stands for what rounds to it: "32" is 31.5 to 32.5
        digits = re.search(r"\d+(?:\.(\d+))?", value.display)
        half = 0.5 * 10 ** -len(digits.group(1) or "") if digits else 0.5
        low, high = low - half, high + half
    return _Reading(low * factor, high * factor, reading.open_above, reading.open_below, True, reading.ranged)


def _fact_length_unit(question: Question) -> str | None:
    """The fact's unit of length: the Question's own unit where it has one, else the one its
    wording (prompt, statement) or the reports' quotes put after a number."""
    unit = getattr(question, "unit", None)
    if unit:
        return unit.lower() if unit.lower() in LENGTHS else None
    texts = [question.prompt, question.cloze or "", question.statement or ""]
    for text in texts:
        for word in re.findall(r"[a-z]+", text.lower()):
            if word in _LENGTH_WORDS:
                return word
    for ref in question.sources:
        for word in re.findall(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|a))\s+([a-z]+)", ref.quote.lower()):
            if word in LENGTHS:
                return word
    return None


def _tail_allowed(question: Question, tail: str) -> bool:
    """Words after a number may name what is counted ('27 vehicles', 'none of the US troops'),
    in the question's own words; any other word may change the claim ('125 killed' for injured)."""
    words = [w for w in normalize(tail).split() if w not in _FILLER]
    if not words:
        return True
    vocabulary = {stem(w) for w in normalize(" ".join([question.prompt, getattr(question, "unit", None) or ""])).split()}
    vocabulary |= {stem(w) for w in _PEOPLE}
    return all(stem(w) in vocabulary for w in words)


def _duration_words(text: str) -> str:
    text = re.sub(r"\ba quarter of an hour\b|\bquarter of an hour\b", "15 minutes", text)
    text = re.sub(r"\bhalf an hour\b|\ba half hour\b", "30 minutes", text)
    return re.sub(r"\ban? (hour|week|day|minute)\b", r"1 \1", text)


def duration_unit(question: Question) -> str | None:
    for shown in question.accepted:
        if m := re.search(r"(minute|hour|day|week)", shown):
            return m.group(1) + "s"
    return None


def _time_readings(text: str) -> list[_Reading]:
    text = text.replace("o'clock", ":00").replace("o’clock", ":00").replace("oclock", ":00")
    text = re.sub(r"(\d)\s+:00", r"\1:00", text)
    text = re.sub(r"(\d)\.(\d\d)\b", r"\1:\2", text)  # 22.30
    text = {"midnight": "00:00", "noon": "12:00", "about midnight": "about 00:00"}.get(text, text)
    suffix = None
    for words, meridiem in (("in the morning", "am"), ("at night", None), ("in the evening", "pm"),
                            ("in the afternoon", "pm"), ("local time", ""), ("that night", None),
                            ("that evening", "pm")):
        if text.endswith(" " + words):
            text, suffix = text[: -len(words) - 1].strip(), meridiem if meridiem is not None else "night"
    text = text.replace("approximately ", "about ").replace("roughly ", "about ").replace("around ", "about ")
    text = re.sub(r"^about\s+", "about ", text)
    bare = re.fullmatch(r"(about )?(\d{1,2})(:\d\d)?", text)
    if suffix in ("am", "pm") and bare:
        candidates = [f"{text} {suffix}"]
    elif bare and int(bare.group(2)) <= 12:
        # "1 o'clock", "10 at night": the clock face gives the hour, the reports the half of the day
        hour, minutes = int(bare.group(2)), bare.group(3) or ":00"
        prefix = bare.group(1) or ""
        candidates = [f"{prefix}{hour % 12}{minutes}", f"{prefix}{hour % 12 + 12}{minutes}"]
        if suffix == "night":
            candidates = [f"{prefix}{hour}{minutes} {'am' if hour < 6 or hour == 12 else 'pm'}"]
    else:
        candidates = [text]
    out = []
    for candidate in candidates:
        try:
            value = parse_value("time", candidate)
        except ValueError:
            continue
        out.append(_Reading(value.low, value.high))  # type: ignore[arg-type]
    return out


def _date(text: str, ranges: tuple[tuple[float, float], ...]) -> Value | None:
    """'7 February 2018', 'February 7, 2018', 'Feb 7th' (the year the question's dates share),
    'the fall of 2014', '2018-02-07'."""
    try:
        return parse_value("date", text)
    except ValueError:
        pass
    words = re.findall(r"[a-z]+|\d+", text)
    month = next((number for w in words if len(w) >= 3 for name, number in _MONTHS.items() if name.startswith(w)), None)
    numbers = [int(w) for w in words if w.isdigit()]
    if len(numbers) > 2 or sum(n > 31 for n in numbers) > 1:
        return None  # "2014 to 2017" names a span, not the year
    year = next((n for n in numbers if n > 31), None)
    day = next((n for n in numbers if n <= 31), None)
    # "Feb 7th" takes the year of a question that asks for a day; one asking for a year must be
    # answered with the year ("March 1" is no answer to "In which year?").
    if year is None and month and day and ranges and all(high - low < 32 for low, high in ranges):
        years = {dt.date.fromordinal(int(v)).year for r in ranges for v in r}
        year = years.pop() if len(years) == 1 else None
    try:
        if month and year and day:
            return parse_value("date", f"{year:04d}-{month:02d}-{day:02d}")
        if month and year and not day:
            return parse_value("date", f"{year:04d}-{month:02d}")
        if year and not month and not day:
            return parse_value("date", f"{year:04d}")
    except ValueError:
        return None
    return None


def _reported(question: Question) -> list[Value]:
    """The reported values behind the accepted answers, open ones included."""
    out = []
    for shown in question.accepted:
        try:
            value = parse_value(question.kind, shown)
        except ValueError:
            continue
        if value.low is not None:
            out.append(value)
    return out


def _fits(reading: _Reading, question: Question, reported: list[Value]) -> bool:
    if reading.open_above or reading.open_below:
        # where the reports agree, an open answer must also not contradict any of them
        agreed = question.disputed or all(_open_meets(reading, value) for value in reported)
        return agreed and _open_fits(reading, reported)
    # The question's ranges leave out a vague word beside a figure it holds ("hundreds" beside "200
    # to 300"); an answer as vague as that word still says what a report says.
    spans = question.ranges + tuple((v.low, v.high) for v in reported if v.high != math.inf and is_wide(v.low, v.high))  # type: ignore[arg-type]
    if _within(reading, spans, question.kind):
        return True
    if reading.ranged and not reading.converted and (len(question.ranges) > 1 or question.disputed):
        # "3-4 hours" where reports give 3 and 4: it names two reported values
        ends = (_Reading(reading.low, reading.low), _Reading(reading.high, reading.high))
        return all(_within(end, question.ranges, question.kind) for end in ends)
    return False


def _open_fits(reading: _Reading, reported: list[Value]) -> bool:
    """'Over N' restates 'more than M' when N is M give or take a tenth, and is no vaguer than an
    approximate or ranged value that N lies in ('over 500' for 'about 500', 'over 200' for '200 to
    300'); it is vaguer than an exact value, and 'more than 1' is vaguer than anything."""
    bound = reading.low if reading.open_above else reading.high
    for value in reported:
        low, high = value.low, value.high
        assert low is not None and high is not None
        reported_open_above = high == math.inf
        reported_open_below = value.display.startswith("fewer than")
        if reported_open_above or reported_open_below:
            same_side = reported_open_above == reading.open_above
            mark = low if reported_open_above else high
            if same_side and abs(bound - mark) <= SAME_BOUND_SHARE * abs(mark):
                return True
        elif low < high and low <= bound <= high and not is_wide(low, high):
            return True
    return False


def is_wide(low: float, high: float) -> bool:
    """A vague word's span ('dozens', 'hundreds'): no figure inside it is what the report says."""
    return high - low > WIDE_SHARE * abs(low + high) / 2


def _open_meets(reading: _Reading, value: Value) -> bool:
    """'Under 500' leaves room for 'about 500' but none for 'more than 500'."""
    assert value.low is not None and value.high is not None
    if reading.open_above:
        return value.high > reading.low
    return value.low < reading.high


def _within(reading: _Reading, ranges: tuple[tuple[float, float], ...], kind: str) -> bool:
    """The answer lies in an accepted range and is no vaguer than it: '480' fits 'about 500';
    '1 to 100000' fits nothing, and a range must lie wholly inside one ('450-550' fits 'about 500',
    '400-600' does not). A converted value need only meet the range, as its rounding allows."""
    middle = (reading.low + reading.high) / 2
    width = reading.high - reading.low
    if kind in ("number", "duration"):
        slack = abs(middle) * APPROXIMATE_SHARE
    elif kind == "time":
        slack = TIME_SLACK_MINUTES
    else:
        slack = 0
    if reading.ranged and not reading.converted:
        slack = 0  # a range says how vague it is: "400-600" is vaguer than "about 500"
    for low, high in ranges:
        if reading.converted:
            inside = reading.low <= high and low <= reading.high
        elif reading.ranged:
            inside = low <= reading.low and reading.high <= high
        else:
            inside = low <= middle <= high
        if is_wide(low, high) and not is_wide(reading.low, reading.high):
            continue  # "500" is not what "hundreds" says; "several hundred" is
        if inside and width <= (high - low) + slack:
            return True
    return False


# ---------------------------------------------------------------- weekdays


def _weekday(given: str) -> str | None:
    words = normalize(given).split()
    if any(w in NEGATIONS for w in words):
        return None
    days = set()
    for word in words:
        try:
            days.add(parse_value("weekday", word).display)
        except ValueError:
            continue
    return days.pop() if len(days) == 1 else None


# ---------------------------------------------------------------- names, lists and text


def _grade_items(question: Question, given: str) -> Grade:
    """Any of a list's items, or several, with no wrong one: 'Marines and Green Berets', 'B-52s'."""
    # "AND" joins items as "and" does: case is ignored everywhere else, and caps lock is common
    parts = [p for p in re.split(r",|;|/|\band\b|&|\bor\b", given, flags=re.IGNORECASE) if _key(p)]
    if parts and all(_match(question, p) for p in parts):
        return RIGHT
    return WRONG


def _grade_words(question: Question, given: str) -> Grade:
    found = _match(question, given)
    if found is None and question.disputed:
        # several reported values at once ("mercenaries or Russian troops"), as the shown answer lists them
        parts = [p for p in re.split(r"\s*(?:,|;|\bor\b)\s*", given, flags=re.IGNORECASE) if p.strip()]
        if len(parts) > 1 and all(_match(question, p) is not None for p in parts):
            return RIGHT
    if found is None:
        return WRONG
    shown, how = found
    if how == "typo":
        return Grade(True, f"Right; it is spelt {shown}.")
    if how == "part":
        return Grade(True, f"Right: {shown}.")
    return RIGHT


def _match(question: Question, given: str) -> tuple[str, str] | None:
    """The accepted answer the text gives, and how: 'same' words, a 'part' that names it (a
    surname, a designation, the core of a longer wording) or a 'typo' of it."""
    kind = question.kind
    # An acronym is a word, not a plural: "ISIS" is not "ISI" with an "s", and "CAOD" is no slip of "CAOC".
    acronyms = _acronyms(" ".join(question.accepted))
    keep = acronyms | _acronyms(given)
    answer = _words(given, kind, keep)
    if not answer:
        return None
    # "What did US forces not do?": "did not attack ..." restates the prompt's own "not", and
    # turns nothing round where no accepted answer is negated ("not Peskov", asked who refused, does)
    echoed = prompt_negations(question.prompt)
    if echoed & set(answer) and not any(_negated(_words(shown, kind, keep)) for shown in question.accepted):
        answer = [w for w in answer if w not in echoed]
    # a negation the accepted answer lacks, or the lack of one it has, contradicts it: "could" is not "could not"
    wanted = {
        shown: words for shown in question.accepted
        if _negated(words := _words(shown, kind, keep)) == _negated(answer)
    }
    for shown, words in wanted.items():
        if _meaning(answer) == _meaning(words):
            return shown, "same"
    # the prompt only: a question's cloze and statement hold the answer itself
    prompt = set(_content(_words(question.prompt, "text", keep)))
    for shown, words in wanted.items():
        if _designation(answer, words, prompt) or _initials(given, shown):
            return shown, "part"
        if (how := _person(answer, shown, kind, keep)) is not None:
            return shown, how
    quoted = set(_content(_words(" ".join(ref.quote for ref in question.sources), "text", keep)))
    gives = _given_by(question.prompt, prompt, keep)
    # a name may come with the kind of thing the prompt asks for ("Bloomberg News"), not with its names
    common = set(_content(_words(" ".join(w for w in question.prompt.split() if not w[:1].isupper()), "text", keep)))
    for shown, words in wanted.items():
        if kind == "name" and _core(answer, words, gives, common, quoted, whole=True):
            return shown, "part"
        if kind != "name" and _core(answer, words, gives, prompt, quoted):
            return shown, "part"
    for shown, words in wanted.items():
        if _typo(answer, words, acronyms):
            return shown, "typo"
    return None


def _acronyms(text: str) -> frozenset[str]:
    """The words typed in capitals ('ISIS', 'CAOC'), in the lower case the comparison uses."""
    return frozenset(w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", text))


def _given_by(prompt: str, words: set[str], keep: frozenset[str]) -> set[str]:
    """The prompt's words that say part of the answer, less those only inside a name it mentions:
    'Air' in 'the Combined Air Operations Center' does not say that the answer is air support."""
    first, _, rest = prompt.partition(" ")  # "Which", "What": capitalised as the sentence opens
    names = _NAME_RUN.findall(rest)
    inside = set(_content(_words(" ".join(names), "text", keep)))
    outside = set(_content(_words(first + " " + _NAME_RUN.sub(" ", rest), "text", keep)))
    return {w for w in words if w not in inside or w in outside}


def _words(text: str, kind: str, keep: frozenset[str] = frozenset()) -> list[str]:
    """Comparable words: designations joined ('B-52s' -> 'b52'), contractions opened, synonyms
    merged, plurals and transliterations folded (not in the acronyms `keep`), titles and particles
    dropped from names."""
    text = re.sub(r"\b([A-Za-z]{1,3})-(\d+[A-Za-z]?)(s?)\b", r"\1\2", text)  # MQ-9, B-52s, F-15E
    text = name_key(text) if kind == "name" else normalize(text)
    text = re.sub(r"\bu s\b", "us", text)  # U.S.
    text = _CONTRACTIONS.sub(r"\1 not", text)
    text = re.sub(r"\bcant\b", "can not", re.sub(r"\bwont\b", "will not", text))
    words = []
    for word in text.split():
        if kind == "name" and word in _NAME_PARTICLES:
            continue
        for part in _SYNONYMS.get(word, word).split():
            words.append(part if part in keep else _fold(part))
    return words


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


def prompt_negations(prompt: str) -> set[str]:
    """The negations a prompt asks with ("What did US forces not do?"), which an answer may restate
    ("did not attack ..."); not those it quotes ('Who said "no comment"?')."""
    return negations_in(_QUOTED.sub(" ", prompt))


def negations_in(text: str) -> set[str]:
    """The NEGATIONS `text` holds as the grader reads it: contractions opened ("didn't" holds
    "not"), synonyms merged ("declined" is "refused")."""
    return {w for w in _words(text, "text") if w in NEGATIONS}


def _fold(word: str) -> str:
    if word in NEGATIONS or word in STOP_WORDS:
        return word
    return _translit(stem(word))


def stem(word: str) -> str:
    """A crude stem, the same for both sides: 'vehicles' and 'vehicle', 'burning' and 'burn'."""
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    return word


def _translit(word: str) -> str:
    """Russian names romanised several ways: Yevgeny/Evgeny/Evgeniy, Sergej/Sergei/Sergey, Dmitry/Dmitri."""
    if len(word) < 4 or not word.isalpha():
        return word
    word = re.sub(r"^ye", "e", word)
    return re.sub(r"(?:iy|yy|ij|ii|ej|ei|ey|y|i)$", "i", word)


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w not in STOP_WORDS and w not in NEGATIONS]


def _meaning(words: list[str]) -> set[str]:
    return {w for w in words if w not in STOP_WORDS}


def _negated(words: list[str]) -> bool:
    return sum(w in NEGATIONS for w in words) % 2 == 1


def _designation(answer: list[str], wanted: list[str], prompt: set[str]) -> bool:
    """'MQ-9' or 'Reaper' for 'MQ-9 Reaper drone'; 'B-52s' for 'B-52 bombers'. The kind of machine
    may be left out only beside a model number ('anti-aircraft missiles' are not 'anti-tank
    missiles'), and a name without the number must say more than the prompt ('Rangers' does not
    answer 'Which Ranger unit?')."""
    marks = {w for w in _content(wanted) if re.search(r"\d", w) and re.search(r"[a-z]", w)}
    if not marks:  # only the kind after a name: 'Reapers' for 'Reaper drones'
        said_name, wanted_name = _content(_untyped(answer)), _content(_untyped(wanted))
        return bool(said_name) and said_name != _content(answer) and set(said_name) == set(wanted_name) \
            or bool(wanted_name) and wanted_name != _content(wanted) and set(said_name) == set(wanted_name)
    said = {w for w in _content(answer) if w not in _TYPE_NOUNS}
    full = {w for w in _content(wanted) if w not in _TYPE_NOUNS}
    if not said:
        return False
    return said in (full, marks) or (said == full - marks and bool(said - prompt))


def _untyped(words: list[str]) -> list[str]:
    """The words before the kind of machine that ends them: 'anti tank' of 'anti-tank missiles'."""
    return words[:-1] if len(words) > 1 and words[-1] in _TYPE_NOUNS else words


def _person(answer: list[str], shown: str, kind: str, keep: frozenset[str]) -> str | None:
    """'Peskov', 'President Putin' or 'Russian president Vladimir Putin' for a person's name: the
    surname (or the whole name) after titles and descriptions, never the last word of an institution
    ('Post') or a place. 'part' if right as typed, 'typo' if the surname is slightly misspelt."""
    if kind != "name":
        return None
    words = shown.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words) or words[0].lower() in ("the", "a"):
        return None
    full = _words(shown, "name", keep)
    last = full[-1]
    if len(last) < 3 or last in _NOT_SURNAMES or normalize(words[-1]) in _NOT_SURNAMES:
        return None
    name = list(answer)
    while name and name[0] in _BEFORE_NAMES:
        name = name[1:]
    if name == full or name == [last]:
        return "part"
    if len(name) == 1 and _typo(name, [last], keep):
        return "typo"
    return None


def _initials(given: str, shown: str) -> bool:
    """'NYT' for 'The New York Times', 'US' for 'the United States': letters for words, never a
    number's first digit ('T-7' is not 'T-72')."""
    typed = "".join(w for w in normalize(given).split() if w not in STOP_WORDS)
    words = [w for w in normalize(shown).split() if w not in STOP_WORDS]
    if not typed.isalpha() or not all(w.isalpha() for w in words):
        return False
    return len(words) >= 2 and len(typed) == len(words) and typed == "".join(w[0] for w in words)


def _core(
    answer: list[str], wanted: list[str], gives: set[str], prompt: set[str], quoted: set[str], whole: bool = False
) -> bool:
    """The answer holds the core of an accepted wording (its words the prompt does not already give,
    `gives`) and says nothing of its own: 'met their match' for 'the Russians met their match' asked
    of the Russians. Words of the prompt may be added before or after it (restating the question:
    'the SDF played ...'), not inside it ('a build-up of US troops');
    words of the prompt or the reports' quotes may stand in for two or more accepted words left out
    ('to avoid incidents between the two powers' for '... between the US and Russia'), never for a
    single one ('Russian militias' for 'Syrian militias' is a swap); any other word is a word of its
    own, however long the core. A core longer than LONG_CORE words may leave words out, keeping
    LONG_CORE_SHARE of it in its order, but never a word that turns it round ('against'); a `whole`
    name may not ('Air Operations Center' names another centre than the CAOC). A word
    that is an accepted word with a negating prefix ('insignificant') contradicts it."""
    if _negated(answer) != _negated(wanted):
        return False
    emphasis = {_fold(w) for w in _EMPHASIS}
    answer = [w for w in _content(answer) if w not in emphasis]
    wanted = _content(wanted)
    said, full = set(answer), set(wanted)
    core = full if whole else (full - gives) or full
    if not said & core or _antonym(said, full):
        return False
    if (said - full) - prompt - quoted or (full - said) & _TURNING_WORDS:
        return False
    kept = said & full
    left_out = _slots(wanted, kept)
    for slot, added in _slots(answer, kept).items():
        replaced = left_out.get(slot, [])
        if replaced and (len(replaced) < 2 or len(added) > len(replaced)):
            return False  # a word swapped for one of the accepted wording's
        if not replaced and set(added) - (prompt if "" in slot else set()):
            # the reports' words added to a whole wording ("the spokesman for ... Putin"), or the
            # prompt's inside it ("a build-up of US troops"), not restating the question around it
            return False
    missing = core - said
    if not missing:
        return True
    if whole or len(core) <= LONG_CORE or len(said & core) < LONG_CORE_SHARE * len(core):
        return False
    return [w for w in answer if w in kept] == [w for w in wanted if w in kept]


def _slots(words: list[str], kept: set[str]) -> dict[tuple[str, str], list[str]]:
    """The words outside `kept`, by the kept words either side of them: where a swap would show."""
    slots: dict[tuple[str, str], list[str]] = {}
    before = ""
    for i, word in enumerate(words):
        if word in kept:
            before = word
            continue
        after = next((w for w in words[i + 1:] if w in kept), "")
        slots.setdefault((before, after), []).append(word)
    return slots


def _antonym(said: set[str], full: set[str]) -> bool:
    """'insignificant' for 'significant', 'unconfirmed' for 'confirmed'."""
    return any(w.startswith(prefix) and w[len(prefix):] in full for w in said for prefix in _NEGATING_PREFIXES)


def _typo(answer: list[str], wanted: list[str], acronyms: frozenset[str] = frozenset()) -> bool:
    """Word for word, a small slip in each long word and none in a number or an acronym: 'Harigian',
    'Eufrates'; never '2015' for '2014', 'B-1' for 'B-52' or 'CAOD' for 'CAOC'."""
    if len(answer) != len(wanted) or answer == wanted or answer[0][:1] != wanted[0][:1]:
        return False
    for typed, right in zip(answer, wanted):
        if typed == right:
            continue
        if len(right) < 4 or right in acronyms or re.search(r"\d", typed + right):
            return False
        if _edits(typed, right) > max(1, len(right) // TYPO_EVERY):
            return False
    return True


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (answers are short: a plain table is quicker than importing a library)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
