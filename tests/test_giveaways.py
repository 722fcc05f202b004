"""Picking and ordering questions so that none gives another's answer away, on the bundled bank."""

from __future__ import annotations

import itertools

import pytest

from khasham_learn import giveaways
from khasham_learn.generation import Question, generate


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    return generate(open_bank(bundled_bank()))


@pytest.fixture(scope="module")
def by_id(questions: list[Question]) -> dict[str, Question]:
    return {q.id: q for q in questions}


def test_a_prompt_naming_the_operation_states_the_answer_to_its_name(by_id: dict[str, Question]) -> None:
    naming = by_id["us-syria-intervention-start.direct"]  # "... as part of Operation Inherent Resolve?"
    asking = by_id["oir-name.direct"]
    assert giveaways.states_answer(naming, asking)
    assert not giveaways.states_answer(asking, naming)
    assert giveaways.order_without_giveaways([naming, asking]) == [asking, naming]


def test_a_true_statement_gives_away_its_own_facts_question(by_id: dict[str, Question]) -> None:
    statement = by_id["russia-air-campaign-start.tf"]  # "Russia has taken part in air operations in Syria since 2015."
    asking = by_id["russia-air-campaign-start.direct"]
    assert giveaways.states_answer(statement, asking)
    assert giveaways.gives_away(asking, statement)  # same fact, whatever the wording


def test_a_count_of_reports_is_not_given_away_by_any_two_in_a_prompt(by_id: dict[str, Question]) -> None:
    count = by_id["us-killed.reports"]  # answer "2", "two"
    assert giveaways.answer_forms(count) == frozenset()
    assert giveaways.answer_forms(by_id["oir-name.tf"]) == frozenset()


def test_bank_wide_questions_are_their_own_group(by_id: dict[str, Question]) -> None:
    assert giveaways.group_of(by_id["timeline.sequence"]) == "timeline"
    assert giveaways.group_of(by_id["timeline.night"]) == "timeline"
    assert giveaways.group_of(by_id["oir-start-year.tf"]) == "oir-start-year"
    assert not giveaways.gives_away(by_id["timeline.sequence"], by_id["oir-start-year.direct"])


def test_one_per_fact_keeps_the_first_form_of_each(questions: list[Question]) -> None:
    picked = giveaways.one_per_fact(questions)
    groups = [giveaways.group_of(q) for q in picked]
    assert len(groups) == len(set(groups)) == len({giveaways.group_of(q) for q in questions})
    assert picked[0] is questions[0]


def test_without_giveaways_leaves_no_pair_that_answers_the_other(questions: list[Question]) -> None:
    kept = giveaways.without_giveaways(questions)
    assert 100 < len(kept) < len(giveaways.one_per_fact(questions))
    found = giveaways.Giveaways(questions)
    assert [(a.id, b.id) for a, b in itertools.permutations(kept, 2) if found.gives_away(a, b)] == []


def test_ordering_puts_every_answer_before_the_prompts_that_state_it(questions: list[Question]) -> None:
    ordered = giveaways.order_without_giveaways(questions)
    assert sorted(q.id for q in ordered) == sorted(q.id for q in questions)
    place = {q.id: i for i, q in enumerate(ordered)}
    found = giveaways.Giveaways(questions)
    late = [
        (a.id, b.id)
        for a, b in itertools.permutations(questions, 2)
        if found.states_answer(a, b) and place[a.id] < place[b.id]
    ]
    # Only a ring of prompts that state each other's answers can leave one asked too late.
    assert [pair for pair in late if not _leads_back(found, questions, *pair)] == []
    assert len(late) < len(questions) // 20


def _leads_back(found: giveaways.Giveaways, questions: list[Question], start: str, goal: str) -> bool:
    """Whether a chain of stated answers leads from `goal`'s prompt back to `start`'s."""
    by_id = {q.id: q for q in questions}
    seen, frontier = {goal}, [goal]
    while frontier:
        current = by_id[frontier.pop()]
        for other in questions:
            if other.id not in seen and found.states_answer(current, other):
                if other.id == start:
                    return True
                seen.add(other.id)
                frontier.append(other.id)
    return False


def test_spread_topics_takes_one_from_each_topic_in_turn(questions: list[Question]) -> None:
    spread = giveaways.spread_topics(giveaways.one_per_fact(questions))
    topics = list(dict.fromkeys(q.topic for q in spread))
    assert [q.topic for q in spread[: len(topics)]] == topics
    first_of_background = [q for q in spread if q.topic == topics[0]]
    assert first_of_background == [q for q in giveaways.one_per_fact(questions) if q.topic == topics[0]]


def test_a_vague_answer_counts_only_within_its_fact(by_id: dict[str, Question]) -> None:
    asking = by_id["us-casualties.direct"]  # "How many US troops were injured in the clash?": none
    stating = by_id["us-casualties.tf"]  # "True or false: The clash left none of the US troops injured."
    assert not giveaways.Giveaways([stating, asking]).states_answer(stating, asking)
    assert giveaways.Giveaways([stating, asking], within_fact=True).states_answer(stating, asking)


def test_within_a_fact_the_substring_test_agrees_with_the_index(questions: list[Question]) -> None:
    """WithinFact is Giveaways for one fact group without building its index: every ordered pair of
    every group gets the same answer (and the groups hold pairs that do state each other's answer)."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(giveaways.group_of(q), []).append(q)
    stated = 0
    for siblings in groups.values():
        index, within = giveaways.Giveaways(siblings, within_fact=True), giveaways.WithinFact(siblings)
        for a, b in itertools.product(siblings, repeat=2):
            assert within.states_answer(a, b) == index.states_answer(a, b), (a.id, b.id)
            stated += index.states_answer(a, b)
    assert stated > 100


def test_two_prompts_that_answer_each_other_are_not_asked_together(by_id: dict[str, Question]) -> None:
    name = by_id["harrigian-name-spelling.direct"]  # "... the US air force lieutenant general ...?"
    rank = by_id["harrigian-rank.direct"]  # "What military rank did Jeffrey Harrigian hold?"
    assert giveaways.states_answer(name, rank) and giveaways.states_answer(rank, name)
    other = by_id["oir-name.direct"]
    assert giveaways.without_rings([name, other, rank]) == [name, other]


def test_a_session_asks_a_question_spanning_the_bank_after_the_facts_it_spans(questions: list[Question]) -> None:
    """The timeline's feedback gives each event's date ("Operation Inherent Resolve begins (2014)")."""
    from khasham_learn.quiz import plan_quiz

    spanning_seen = 0
    for seed in range(60):
        plan = plan_quiz(questions, 30, seed)
        spans = [i for i, q in enumerate(plan) if giveaways.group_of(q) != q.fact]
        spanning_seen += bool(spans)
        assert all(i >= len(plan) - len(spans) for i in spans), seed
    assert spanning_seen > 5


def test_a_question_whose_prompt_states_its_own_answer_is_not_asked() -> None:
    """Its attribution names the answer: "According to ... a US official and three Russians ...,
    besides Syrians, which nationality ...?" (Russians); a report's label names whom it cites."""
    from khasham_learn.generation.build import _context, apply_edits, generated
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    bank = open_bank(bundled_bank())
    ctx = _context(bank)
    made = {q.id: q for q in apply_edits(generated(ctx, bank.facts, bank_wide=True), bank, ctx)}
    asked = {q.id for q in generate(bank)}
    own = {qid for qid, q in made.items() if giveaways.states_own_answer(q)}
    assert own == {"russians-among-dead.direct", "attackers-number.source.centcom", "delta-force-unit.direct"}
    assert not own & asked and len(asked) == len(made) - len(own)
    # what does not count: a choice fact's alternatives, a count of reports, a possessive
    assert not giveaways.states_own_answer(made["attack-coordination.according.history"])  # "coordinated or uncoordinated?"
    assert not giveaways.states_own_answer(made["russians-killed.reports"])
    assert not giveaways.states_own_answer(made["russia-says-russians-volunteers.source.newsweek"])  # "Russia's armed forces"
