"""Our own wording around the reports' values: statements with the answer in place, worded for its
kind; who a statement rests on ("According to ..."); prompts with the unit or measure they need."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..disagreement import AssessedClaim
from ..model import Fact
from ..values import Value, name_key, normalize

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


def _list_phrase(value: Value) -> str:
    if value.kind != "list" or len(value.items) < 2:
        return value.display
    return f"{', '.join(value.items[:-1])} and {value.items[-1]}"


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


def said_clause(statement: str) -> str:
    """A statement as the clause after 'as saying that': its opening lowercased where it may be, its
    full stop dropped (not the stop of 'p.m.')."""
    said = _lower_first(statement)
    if said.endswith(".") and not re.search(r"\b\w\.\w\.$", said):
        said = said[:-1]
    return said


def claim_statement(fact: Fact, assessed: AssessedClaim, measures: tuple[str, ...]) -> str:
    """The fact's statement with this claim's value in place, naming its measure where the fact's
    claims measure several things."""
    statement = render(fact.statement, _list_phrase(assessed.value), assessed.value)
    if len(measures) > 1:
        statement = _with_measure(statement, assessed.measure, measures)
    return statement


def claim_clause(fact: Fact, assessed: AssessedClaim, measures: tuple[str, ...]) -> str:
    """The claim as the clause after 'as saying that': an answer that opens it keeps its own case
    ('that about 300 people watched', not 'that About 300 people')."""
    said = said_clause(claim_statement(fact, assessed, measures))
    answer = _list_phrase(assessed.value)
    if fact.statement.startswith("{answer}") and answer[:1].islower():
        said = said[:1].lower() + said[1:]
    return said


def speaker_of(party: str) -> str:
    """Who speaks in a party written 'X, via Y': X, whose words reach the report through Y."""
    return re.split(r",\s+via\s+", party, maxsplit=1)[0]


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


def _according_prompt(prompt: str, who: str) -> str:
    first = prompt[:1].lower() + prompt[1:] if prompt[1:2].islower() else prompt
    return f"According to {who}, {first}"

