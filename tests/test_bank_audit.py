"""The bundled bank audits itself: every generated question is checked against the claims it rests on.

Each test states one promise of the bank and fails with the questions that break it. The checks are
written from the claims, not from how generation builds questions, so a change to generation that
breaks a promise is caught here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pytest

from khasham_learn.generation import Question, generate, render, which_report_prompt
from khasham_learn.model import Bank, Fact
from khasham_learn.values import WEEKDAYS, Value, name_key, normalize, parse_value


@pytest.fixture(scope="module")
def bank() -> Bank:
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    return open_bank(bundled_bank())


@pytest.fixture(scope="module")
def questions(bank: Bank) -> list[Question]:
    return generate(bank)


def _value(fact: Fact, raw: str | tuple[str, ...]) -> Value | None:
    try:
        return parse_value(fact.kind, raw)
    except ValueError:
        return None


def _template(fact: Fact) -> str:
    return normalize(fact.statement.replace("{answer}", " slot "))


def _same_statement(bank: Bank, fact: Fact) -> list[Fact]:
    """The fact and every fact whose statement reads the same: a value true of one is true of all."""
    return [f for f in bank.facts if _template(f) == _template(fact)]


def _bears_out(claimed: Value, value: Value) -> bool:
    """A claim's value bears `value` out: ranges that meet, the same name or wording, an item of a list."""
    if claimed.low is not None and value.low is not None:
        return claimed.low <= value.high and value.low <= claimed.high  # type: ignore[operator]
    wording = normalize(value.display)
    if claimed.kind == "list":
        return wording in claimed.item_keys
    if claimed.kind == "name":
        return name_key(claimed.display) == name_key(value.display)
    return normalize(claimed.display) == wording


def _names(text: str, party: str) -> bool:
    """The text names the party: its whole name, or a person's surname."""
    text = " " + normalize(re.sub(r"['’]s\b", "", text)) + " "
    words = [w for w in name_key(party).split() if w not in ("the", "a", "an")]
    return f" {' '.join(words)} " in text or (
        len(words) > 1 and party[:1].isupper() and not party.startswith("The ") and f" {words[-1]} " in text)


def _without_values(text: str, fact: Fact) -> str:
    """The text with every value the fact's claims give cut out: a party named inside an answer
    ("Russia's armed forces") does not say who said it."""
    for claim in fact.claims:
        value = _value(fact, claim.value)
        for shown in {value.display if value else "", *([claim.value] if isinstance(claim.value, str) else claim.value)}:
            if shown:
                text = text.replace(shown, " ")
    return text


def _fmt(found: Iterable[str]) -> str:
    return "\n".join(found)


def test_no_two_questions_share_a_prompt(questions):
    counts = Counter(q.prompt for q in questions)
    assert not [p for p, n in counts.items() if n > 1], _fmt(p for p, n in counts.items() if n > 1)


def test_each_fact_is_restated_at_most_once(questions):
    restated = Counter(q.fact for q in questions if q.type in ("true_false", "cloze") and q.origin == "generated")
    assert [f for f, n in restated.items() if n > 1] == []


def test_a_multi_select_answer_names_every_choice_it_requires(questions):
    found = [
        f"{q.id}: shows {q.answer!r}, requires {list(q.accepted)}" for q in questions
        if q.type == "multi" and not all(normalize(a) in normalize(q.answer) for a in q.accepted)
    ]
    assert found == [], _fmt(found)


def _asked_claim(bank: Bank, q: Question):
    """The claim a which-report question asks about: the one whose prompt it is."""
    from khasham_learn.disagreement import assess

    verdict = assess(bank.fact(q.fact), bank)  # type: ignore[arg-type]
    for c in verdict.claims:
        if which_report_prompt(bank.fact(q.fact), c, verdict.measures) == q.prompt:  # type: ignore[arg-type]
            return c
    raise AssertionError(f"{q.id}: no claim of {q.fact} reads as its prompt")


def test_a_which_report_question_has_exactly_one_fitting_choice(bank, questions):
    labels = {s.label: sid for sid, s in bank.sources.items()}
    found = []
    for q in (q for q in questions if q.type == "which_report"):
        asked = _asked_claim(bank, q)
        fitting = set()
        for fact in _same_statement(bank, bank.fact(q.fact)):  # type: ignore[arg-type]
            for claim in fact.claims:
                value = _value(fact, claim.value)
                if value is None or (claim.qualifier or "") != (asked.claim.qualifier or ""):
                    continue
                if _bears_out(value, asked.value) or _bears_out(asked.value, value):
                    fitting.add(claim.source)
        chosen = {labels[c] for c in q.choices} & fitting
        if chosen != {labels[q.answer]}:
            found.append(f"{q.id}: choices that fit: {sorted(chosen)}")
    assert found == [], _fmt(found)


def test_a_partys_claim_is_never_stated_without_the_party(bank, questions):
    """A true/false statement or the fact's question resting only on relayed claims names whom they
    are relayed from; a which-report question about a relayed claim names the party."""
    found = []
    for q in questions:
        fact = bank.fact(q.fact)
        if fact is None or q.origin != "generated":
            continue
        if q.type == "which_report":
            party = _asked_claim(bank, q).claim.attributed_to
            if party and not _names(_without_values(q.prompt, fact), party):
                found.append(f"{q.id}: {q.prompt} (a claim of {party})")
        elif q.type in ("true_false", "cloze") or (q.id.endswith(".direct") and not q.disputed):
            sound = [c for c in fact.claims if not c.wrong]
            parties = {c.attributed_to for c in sound}
            if None in parties or not parties:
                continue  # a report says it in its own voice
            for text in (q.prompt, q.statement or q.prompt):
                if not any(_names(_without_values(text, fact), p) for p in parties if p):
                    found.append(f"{q.id}: {text} (rests on {sorted(p for p in parties if p)})")
    assert found == [], _fmt(found)


def _candidates(bank: Bank, fact: Fact) -> list[str]:
    """Every value a false statement could have put in: the fact's own wrong answers and every value
    the bank gives for a fact of its kind."""
    out = list(fact.distractors) + list(fact.alternatives)
    if fact.kind == "weekday":
        out += list(WEEKDAYS)  # generation offers any other day
    for other in bank.facts:
        if other.kind == fact.kind:
            for c in other.claims:
                out += list(c.value) if isinstance(c.value, tuple) else [c.value]
                value = _value(other, c.value)
                if value is not None:
                    out.append(value.display)
    return list(dict.fromkeys(out))


def test_a_false_statement_is_false_by_every_claim(bank, questions):
    """The value put into a 'False' statement is borne out by no claim of the fact, nor of any fact
    whose statement reads the same."""
    found = []
    checked = 0
    for q in (q for q in questions if q.type == "true_false" and q.answer == "False" and q.origin == "generated"):
        fact = bank.fact(q.fact)
        said = q.prompt.removeprefix("True or false: ")
        used = None
        for text in _candidates(bank, fact):  # type: ignore[arg-type]
            value = _value(fact, text) if fact.kind != "list" else parse_value("text", text)  # type: ignore[union-attr]
            if value is None:
                continue
            rendered = render(fact.statement, text, value)  # type: ignore[union-attr]
            if said == rendered or said.endswith(", " + rendered[:1].lower() + rendered[1:]) or said.endswith(", " + rendered):
                used = value
                break
        assert used is not None, f"{q.id}: cannot tell which value '{said}' puts in"
        checked += 1
        for twin in _same_statement(bank, fact):  # type: ignore[arg-type]
            for claim in twin.claims:
                claimed = _value(twin, claim.value)
                if claimed is not None and not claim.wrong and _bears_out(claimed, used):
                    found.append(f"{q.id}: '{said}' but {claim.source} says {claimed.display} ({twin.id})")
    assert checked >= 20  # the bank has many false statements; none of them went unchecked
    assert found == [], _fmt(found)


def test_a_prompt_never_contradicts_its_qualifier(bank, questions):
    """Where a fact's claims measure different things, each report's question asks for exactly one of
    them ('killed or injured'), never for one ('killed') with another in brackets."""
    found = []
    for q in questions:
        fact = bank.fact(q.fact)
        measures = {c.qualifier for c in fact.claims if c.qualifier} if fact else set()
        if len(measures) < 2 or ".according." not in q.id:
            continue
        named = {m for m in measures if re.search(rf"\b{re.escape(m)}\b", q.prompt)}
        named = {m for m in named if not any(m != other and m in other for other in named)}
        if len(named) != 1:
            found.append(f"{q.id}: {q.prompt} names {sorted(named)}")
    assert found == [], _fmt(found)


def test_a_number_that_needs_a_unit_is_asked_with_it(bank, questions):
    """'How far ...' is asked in miles or kilometres; 'how many fighters' needs no unit."""
    found = []
    for q in questions:
        fact = bank.fact(q.fact)
        if fact is None or q.id != f"{fact.id}.direct" or fact.kind != "number" or not fact.unit:
            continue
        if fact.unit in ("miles", "kilometers", "meters") and fact.unit not in q.prompt:
            found.append(q.prompt)
        if fact.unit not in ("miles", "kilometers", "meters") and "(in " in q.prompt:
            found.append(q.prompt)
    assert found == [], _fmt(found)


def test_facts_on_detail_are_marked_and_come_last(bank, questions):
    from khasham_learn.generation import is_detail
    from khasham_learn.quiz import pick

    detail = {f.id for f in bank.facts if "detail" in f.tags}
    assert {"harrigian-rank", "history-article-author", "prigozhin-name-spelling"} <= detail
    assert "russians-killed" not in detail and "pro-government-killed" not in detail
    for seed in range(5):
        order = [is_detail(q) for q in pick(questions, None, seed=seed)]
        assert order == sorted(order) and order[0] is False and order[-1] is True  # every core question first
        mixed = [is_detail(q) for q in pick(questions, None, seed=seed, core_first=False)]
        assert mixed != sorted(mixed)  # asked for a tag or topic, detail is shuffled in with the rest
