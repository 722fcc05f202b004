"""Which questions give each other away, and how to pick and order questions so none does.

A fact's forms answer each other ("True or false: Operation Inherent Resolve began in 2014." states
the answer to "In which year did Operation Inherent Resolve begin?"), and one fact's prompt can state
another's answer ("... as part of Operation Inherent Resolve" answers "What is the operation
called?"). The quiz, review, the Anki deck and worksheets all pick and order questions with these
functions, so a student never reads an answer before being asked for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .values import SMALL_NUMBERS

if TYPE_CHECKING:  # the quiz reaches this from the cache without loading generation at all
    from .generation.model import Question

# Answers too common to give anything away when a prompt happens to contain them: a prompt with
# "two" in it does not answer "How many reports give a figure?".
_UNINFORMATIVE = frozenset(
    {"true", "false", "yes", "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
)
# Answers that another fact's prompt can contain by chance ("none of the reports"), but that a form
# of the same fact states outright ("The clash left none of the US troops injured.").
_VAGUE = frozenset({"none", "no one", "nobody", "hundreds", "dozens", "scores"})
# Words in front of an answer that a prompt would phrase otherwise ("about 2,000" is stated by
# "2,000 US troops").
_HEDGES = re.compile(r"^(?:the|a|an|about|around|roughly|some|more than|over|at least|nearly|almost)\s+")
# Types whose answer is an arrangement of what the prompt shows, not a value a prompt could state.
_UNSTATABLE_TYPES = frozenset({"sequence", "matching", "which_report", "true_false"})
_MIN_WORD_FORM = 4  # shorter words ("IS", "US") occur in prompts as ordinary words
# but a three-letter acronym ("the SDF", "QRF") is no ordinary word
_ACRONYM = re.compile(r"(?:[Tt]he\s+)?[A-Z]{3}")
_MIN_DIGITS = 2  # a lone digit ("7 February") says nothing about an answer of 7
# Within a fact, small numbers do give answers away ("eight kilometers" answers "How far?": 8), in
# words or digits, so there both sides read them as digits.
_NUMBER_WORDS = {word: str(n) for word, n in SMALL_NUMBERS.items()}
COMMON_GROUPS = 4  # prompts of this many fact groups naming an answer make it common ground


_NOT_WORD = re.compile(r"[^\w]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_NOT_WORD.sub(" ", text.casefold()).split())


def _as_digits(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_NUMBER_WORDS.get(w, w) for w in words)


def _informative(form: str, within_fact: bool) -> bool:
    """Whether a form (its words joined by single spaces) says enough to give an answer away.
    Within a fact, a vague answer ("none") or any number does; elsewhere neither does."""
    if form in _VAGUE or form[:1].isdigit() and within_fact:
        return within_fact
    if form in _UNINFORMATIVE:
        return False
    digits = sum(map(str.isdigit, form))
    return digits >= _MIN_DIGITS if digits else len(form) >= _MIN_WORD_FORM


def answer_forms(question: Question, *, within_fact: bool = False) -> frozenset[tuple[str, ...]]:
    """The answer's forms as a prompt would state them, as words; empty when no prompt can.
    `within_fact`: as the fact's other forms would state them, vague answers ("none") included."""
    if question.type in _UNSTATABLE_TYPES:
        return frozenset()
    forms = set()
    # The answer is most often among the accepted forms too: each text is read once.
    for text in dict.fromkeys((question.answer, *question.accepted)):
        form = " ".join(_as_digits(_words(text)) if within_fact else _words(text))
        while hedge := _HEDGES.match(form):
            form = form[hedge.end():]
        if form and (_informative(form, within_fact) or _ACRONYM.fullmatch(text.strip())):
            words = tuple(form.split())
            forms.add(words)
            if within_fact and words[0] == "1" and len(words) > 1:  # "1 week" is stated as "a week"
                forms.update((("a", *words[1:]), ("an", *words[1:])))
    return frozenset(forms)


def _prompt_words(question: Question, within_fact: bool) -> tuple[str, ...]:
    words = _words(question.prompt)
    return _as_digits(words) if within_fact else words


def _phrases(question: Question, longest: int, firsts: frozenset[str] | None = None,
             within_fact: bool = False) -> set[tuple[str, ...]]:
    """Every run of up to `longest` words in what the student reads before answering (a true/false
    prompt is the statement itself); with `firsts`, only the runs starting with one of those words
    (the answers' first words: no other run can be an answer, and a bank of thousands of prompts
    would otherwise make millions of them)."""
    words = _prompt_words(question, within_fact)
    starts = range(len(words)) if firsts is None else [i for i, w in enumerate(words) if w in firsts]
    return {words[i:j] for i in starts for j in range(i + 1, min(len(words), i + longest) + 1)}


def value_forms(questions: Iterable[Question]) -> dict[str, frozenset[tuple[str, ...]]]:
    """Each fact's value as a prompt would state it, from the forms that answer with it (the
    question, "according to" a report), not who says it, whether the reports agree, or how many
    give it: for Giveaways' statement_forms."""
    of_fact: dict[str, set[tuple[str, ...]]] = {}
    for q in questions:
        if q.id == f"{q.fact}.direct" or q.id.startswith(f"{q.fact}.according."):
            of_fact.setdefault(q.fact, set()).update(answer_forms(q))
    return {fact: frozenset(forms) for fact, forms in of_fact.items()}


def states_own_answer(question: Question) -> bool:
    """Whether a question's prompt holds its own answer, as its fact's forms would state it
    ("According to ... three Russians ..., which nationality ...?": Russians). A choice fact's
    prompt names its alternatives by design ("coordinated or uncoordinated?"), and a small number
    in a prompt is no answer ("How many of the three reports ...?": 3): neither counts. Nor does
    a possessive: "outside Russia's armed forces" names an army, not who says so (Russia)."""
    if question.kind == "choice":
        return False
    prompt = f" {' '.join(_words(question.prompt))} ".replace(" s ", "'s ")
    return any(f" {' '.join(form)} " in prompt for form in answer_forms(question))


def group_of(question: Question) -> str:
    """The fact group a question belongs to. Bank-wide generated questions (the timeline, word
    choice) name a fact only as an anchor, so their id's first part is their group."""
    prefix = question.id.split(".", 1)[0]
    return question.fact if prefix == question.fact or question.origin != "generated" else prefix


class Giveaways:
    """Which of a set of questions states which one's answer, found once for the set.

    An answer that the prompts of many fact groups mention ("Russia", "The New York Times") is
    common ground a student meets everywhere in the bank; a prompt naming it gives nothing away.
    """

    def __init__(self, questions: Sequence[Question], *, within_fact: bool = False, common_ground: bool = True,
                 statement_forms: Mapping[str, frozenset[tuple[str, ...]]] | None = None) -> None:
        """`within_fact`: the questions are one fact's forms, whose vague answers ("none") count.
        `common_ground=False`: what many prompts mention still counts (a sheet a student sees
        whole). `statement_forms` (value_forms): each fact's value, which a generated true/false
        statement of the fact takes as its answer, so that a prompt naming it ("Defense Secretary
        Jim Mattis") counts as stating it ("True or false: Jim Mattis was Defense Secretary.")."""
        forms = {q.id: answer_forms(q, within_fact=within_fact) for q in questions}
        if statement_forms is not None:
            for q in questions:
                if q.type == "true_false" and q.origin == "generated":
                    forms[q.id] = statement_forms.get(q.fact, frozenset())
        longest = max((len(f) for fs in forms.values() for f in fs), default=0)
        firsts = frozenset(f[0] for fs in forms.values() for f in fs)
        phrases = {q.id: _phrases(q, longest, firsts, within_fact) for q in questions}
        answered_by: dict[tuple[str, ...], set[str]] = {}
        for q in questions:
            for form in forms[q.id]:
                answered_by.setdefault(form, set()).add(q.id)
        mentioned_in: dict[tuple[str, ...], set[str]] = {}
        for q in questions:
            for form in phrases[q.id] & answered_by.keys():
                mentioned_in.setdefault(form, set()).add(group_of(q))
        self._stated: dict[str, set[str]] = {}
        for q in questions:
            stated = self._stated.setdefault(q.id, set())
            for form in phrases[q.id] & answered_by.keys():
                if not common_ground or len(mentioned_in[form]) < COMMON_GROUPS:
                    stated |= answered_by[form] - {q.id}
        self._group = {q.id: group_of(q) for q in questions}

    def states_answer(self, a: Question, b: Question) -> bool:
        return b.id in self._stated.get(a.id, ())

    def gives_away(self, a: Question, b: Question) -> bool:
        return a.id != b.id and (self._group[a.id] == self._group[b.id] or self.states_answer(a, b))


class WithinFact:
    """Which of one fact group's questions (a fact's forms) states which one's answer: Giveaways
    for a single group, where there is no common ground (what the whole bank mentions is, within
    its fact, the answer) and vague answers ("none") count. A few questions need no index: an
    answer form is one of a prompt's runs of words exactly when its words, with a space either
    side, are inside the prompt's words with a space either side. The prompt's words are found
    only for a question whose sibling has an answer a prompt can state."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self._answers = {q.id: [f" {' '.join(form)} " for form in answer_forms(q, within_fact=True)]
                         for q in questions}
        self._prompts: dict[str, str] = {}

    def states_answer(self, a: Question, b: Question) -> bool:
        answers = self._answers[b.id]
        if not answers or a.id == b.id:
            return False
        prompt = self._prompts.get(a.id)
        if prompt is None:
            prompt = self._prompts[a.id] = f" {' '.join(_prompt_words(a, True))} "
        return any(answer in prompt for answer in answers)


def states_answer(a: Question, b: Question) -> bool:
    """Whether `a`'s prompt states `b`'s answer, word for word."""
    return Giveaways([a, b]).states_answer(a, b)


def gives_away(a: Question, b: Question) -> bool:
    """Whether seeing `a` helps answer `b`: a form of the same fact, or a prompt stating its answer."""
    return Giveaways([a, b]).gives_away(a, b)


def one_per_fact(questions: Iterable[Question]) -> list[Question]:
    """The first form of each fact group, in the order given."""
    seen: set[str] = set()
    picked = []
    for question in questions:
        group = group_of(question)
        if group not in seen:
            seen.add(group)
            picked.append(question)
    return picked


def without_giveaways(questions: Sequence[Question], *,
                      statement_forms: Mapping[str, frozenset[tuple[str, ...]]] | None = None) -> list[Question]:
    """The questions in order, leaving out any that gives away, or is given away by, one kept
    before it. With `statement_forms` (value_forms), strict, for a sheet a student reads whole: no
    common ground, and a true/false statement is given away by a prompt naming its fact's value."""
    strict = statement_forms is not None
    index = Giveaways(questions, common_ground=not strict, statement_forms=statement_forms)
    return _kept_unless(questions, lambda q, k: index.gives_away(q, k) or index.gives_away(k, q))


def _kept_unless(questions: Sequence[Question], clash: Callable[[Question, Question], bool]) -> list[Question]:
    """The questions in order, leaving out any that clashes with one kept before it."""
    kept: list[Question] = []
    for question in questions:
        if not any(clash(question, k) for k in kept):
            kept.append(question)
    return kept


def order_without_giveaways(questions: Sequence[Question]) -> list[Question]:
    """The questions reordered as little as possible so that a question comes before any prompt
    that states its answer. Where prompts state each other's answers in a ring, the ring's earliest
    question goes first, and nothing outside the ring is put out of order for it. A question
    spanning the bank (the timeline, word choice) goes last: its feedback gives the facts it spans
    ("Operation Inherent Resolve begins (2014)"), and its answer is no value a prompt states."""
    index = Giveaways(questions)
    remaining = list(questions)
    # must_follow[q]: the questions whose answers q's prompt states; they are asked first
    must_follow = {q.id: {o.id for o in remaining if index.states_answer(q, o)} for q in remaining}
    ordered: list[Question] = []
    while remaining:
        ready = next((q for q in remaining if not must_follow[q.id]), None)
        if ready is None:
            ready = next(q for q in remaining if _waits_only_on_its_ring(q.id, must_follow))
        remaining.remove(ready)
        ordered.append(ready)
        for waiting in must_follow.values():
            waiting.discard(ready.id)
    return _bank_wide_last(ordered)


def _waits_only_on_its_ring(start: str, must_follow: dict[str, set[str]]) -> bool:
    """Whether everything `start` waits for, directly or not, waits for `start` in turn."""
    reached, frontier = set(), [start]
    while frontier:
        for other in must_follow[frontier.pop()] - reached:
            reached.add(other)
            frontier.append(other)
    return all(_reaches(other, start, must_follow) for other in reached)


def _reaches(start: str, goal: str, must_follow: dict[str, set[str]]) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        current = frontier.pop()
        if goal in must_follow[current]:
            return True
        for other in must_follow[current] - seen:
            seen.add(other)
            frontier.append(other)
    return False


def without_rings(questions: Sequence[Question]) -> list[Question]:
    """The questions in order, leaving out any whose prompt and an earlier one's state each other's
    answer: no order asks both before the other's prompt shows it, so the later one waits for
    another session ("What rank did Harrigian hold?" and "... the lieutenant general's name?")."""
    index = Giveaways(questions)
    return _kept_unless(questions, lambda q, k: index.states_answer(q, k) and index.states_answer(k, q))


def _bank_wide_last(questions: Sequence[Question]) -> list[Question]:
    return ([q for q in questions if group_of(q) == q.fact or q.origin != "generated"]
            + [q for q in questions if group_of(q) != q.fact and q.origin == "generated"])


def spread_topics(questions: Sequence[Question]) -> list[Question]:
    """The questions interleaved by topic, one from each in turn, each topic's own order kept."""
    queues: dict[str, list[Question]] = {}
    for question in questions:
        queues.setdefault(question.topic, []).append(question)
    spread: list[Question] = []
    while queues:
        for topic in list(queues):
            spread.append(queues[topic].pop(0))
            if not queues[topic]:
                del queues[topic]
    return spread
