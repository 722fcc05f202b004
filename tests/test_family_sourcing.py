"""The sourcing and corroboration families: whom a report credits for a claim, and whether the
reports bear each other out (issue 13, part 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import THREE_SOURCES

from khasham_learn.disagreement import assess
from khasham_learn.generation import generate
from khasham_learn.grading import grade
from khasham_learn.values import parse_value


# Three reports, four voices on the dead: about 100 (the Pentagon in A, C in its own voice),
# 200 to 300 (a colonel in B), more than 1,000 (a witness through a newspaper in C).
DEAD = """\
title: Casualties
facts:
  - id: killed
    prompt: How many fighters were killed?
    statement: "{answer} fighters were killed."
    subject: the number of fighters killed
    kind: number
    claims:
      - source: report-a
        value: about 100
        quote: About 500 fighters attacked.
        attributed_to: the Pentagon
      - source: report-b
        value: 200 to 300
        quote: More than 500 fighters came.
        attributed_to: Col. Ann Smith
      - source: report-c
        value: more than 1,000
        quote: About 500 fighters attacked.
        attributed_to: Jane Roe, via The Daily Post
      - source: report-c
        value: about 100
        quote: About 500 fighters attacked.
  - id: place
    prompt: Near which town was the clash?
    statement: The clash was near {answer}.
    kind: name
    claims:
      - source: report-a
        value: Khasham
        quote: About 500 fighters attacked.
      - source: report-b
        value: Khusham
        quote: More than 500 fighters came.
  - id: target
    prompt: What did the fighters attack?
    statement: The fighters attacked {answer}.
    kind: text
    claims:
      - source: report-a
        value: an outpost
        quote: About 500 fighters attacked.
        attributed_to: the Pentagon
      - source: report-b
        value: a gas plant
        quote: More than 500 fighters came.
        attributed_to: Col. Ann Smith
  - id: weekday-only-a
    prompt: On what day of the week was the attack?
    statement: The attack was on a {answer}.
    kind: weekday
    claims:
      - source: report-a
        value: Wednesday
        quote: It was a Wednesday.
        attributed_to: the Pentagon
"""


@pytest.fixture
def dead_bank(make_bank):
    from khasham_learn.loading import open_bank

    return open_bank(make_bank({"casualties": DEAD}, sources=THREE_SOURCES))


@pytest.fixture
def dead(dead_bank):
    return {q.id: q for q in generate(dead_bank)}


def test_a_relayed_figure_asks_whom_the_report_credits(dead):
    q = dead["killed.source.report-a"]
    assert q.type == "choice"
    assert q.prompt == "Whom does report A cite as saying that about 100 fighters were killed?"
    assert q.answer == "the Pentagon"
    # the other parties of the bank, both at odds with about 100
    assert sorted(q.choices) == ["Col. Ann Smith", "Jane Roe", "the Pentagon"]
    assert grade(q, "the Pentagon").correct and not grade(q, "Col. Ann Smith").correct


def test_a_party_speaking_through_an_outlet_is_the_answer_and_the_outlet_never_a_choice(dead):
    q = dead["killed.source.report-c"]
    assert "via The Daily Post" in q.prompt
    assert q.answer == "Jane Roe"
    assert grade(q, "Jane Roe").correct and grade(q, "Jane Roe, via The Daily Post").correct
    assert not any("Daily Post" in c for c in q.choices)


def test_sourcing_asks_only_relayed_claims_where_voices_differ_on_a_figure(dead):
    sourcing = sorted(qid for qid in dead if ".source." in qid)
    # report C's own voice is no party; two wordings of a target are not a dispute (the reports
    # agree on it, differently worded); one voice alone on a weekday is asked as its account already
    assert sourcing == ["killed.source.report-a", "killed.source.report-b", "killed.source.report-c"]


def test_a_wrong_choice_never_gives_the_value_asked(make_bank):
    from khasham_learn.loading import open_bank

    # the colonel gives about 100 too, in report B: he is no wrong answer for report A's figure
    bank_text = DEAD.replace("value: 200 to 300", "value: about 100")
    questions = {q.id: q for q in generate(open_bank(make_bank({"casualties": bank_text}, sources=THREE_SOURCES)))}
    q = questions["killed.source.report-a"]
    assert "Col. Ann Smith" not in q.choices
    assert q.choices and "the Pentagon" in q.choices


def test_the_reports_disagreeing_on_a_figure(dead):
    q = dead["killed.agree"]
    assert q.prompt == "Do the reports and those they cite agree on the number of fighters killed?"
    assert q.answer == "They disagree"
    assert set(q.choices) == {"They agree", "They disagree", "They agree, but spell it differently",
                              "They measure different things"}


def test_two_spellings_are_agreement_on_the_substance_and_a_choice_of_their_own(dead):
    q = dead["place.agree"]
    # no subject: the fact's own prompt is quoted
    assert q.prompt == "Near which town was the clash? Do the reports agree on the answer?"
    assert q.answer == "They agree, but spell it differently"


def test_no_agreement_question_where_the_answer_is_plain_or_the_wordings_merely_differ(dead):
    assert "target.agree" not in dead  # an outpost and a gas plant: no declared contradiction
    assert "weekday-only-a.agree" not in dead  # one report


def test_how_many_reports_give_a_figure(dead):
    q = dead["killed.reports"]
    assert q.prompt == "How many of the three reports give a figure for the number of fighters killed?"
    assert q.type == "numeric" and q.kind == "number" and q.answer == "3"
    assert grade(q, "3").correct and grade(q, "three").correct and not grade(q, "4").correct


def test_the_figure_most_reports_give(dead):
    q = dead["killed.most"]
    assert q.prompt == "Which figure for the number of fighters killed do most reports give?"
    # about 100 by A and C, the others by one report each
    assert q.answer == "about 100"
    assert {"200 to 300", "more than 1,000"} <= set(q.choices)


def test_no_figure_most_reports_give_on_a_tie(make_bank):
    from khasham_learn.loading import open_bank

    bank_text = DEAD.replace("""      - source: report-c
        value: about 100
        quote: About 500 fighters attacked.
""", "")
    questions = {q.id for q in generate(open_bank(make_bank({"casualties": bank_text}, sources=THREE_SOURCES)))}
    assert "killed.reports" in questions and "killed.most" not in questions


def test_a_teachers_edit_of_a_sourcing_or_corroboration_question_is_known(make_bank):
    from khasham_learn.loading import open_bank

    edits = """\
    questions:
      - id: killed.source.report-b
        prompt: Who gave report B its figure of 200 to 300 dead?
      - id: killed.agree
        enabled: false
    """
    bank = open_bank(make_bank({"casualties": DEAD}, questions=edits, sources=THREE_SOURCES))  # raises on "no generated question"
    questions = {q.id: q for q in generate(bank, include_disabled=True)}
    assert questions["killed.source.report-b"].prompt == "Who gave report B its figure of 200 to 300 dead?"
    assert not questions["killed.agree"].enabled


# ---------------------------------------------------------------- the bundled bank


@pytest.fixture(scope="module")
def bundled_bank():
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    return open_bank(bundled_bank())


@pytest.fixture(scope="module")
def bundled_questions(bundled_bank):
    return generate(bundled_bank)


def test_every_disputed_fact_yields_a_sourcing_or_corroboration_question(bundled_bank, bundled_questions):
    asked = {q.fact for q in bundled_questions if re.search(r"\.(source|agree|reports|most)(\.|$)", q.id)}
    disputed = [f.id for f in bundled_bank.facts if assess(f, bundled_bank).disputed]
    assert len(disputed) >= 10
    assert [f for f in disputed if f not in asked] == []


def test_the_issues_examples(bundled_questions):
    questions = {q.id: q for q in bundled_questions}
    pentagon = questions["pro-government-killed.source.newsweek"]
    assert "200 to 300" in pentagon.prompt and pentagon.answer == "the Pentagon"
    russia = questions["russia-says-russians-volunteers.source.newsweek"]
    assert "volunteer fighters" in russia.prompt and russia.answer == "Russia"
    # 30 stationed there, and "roughly 40 U.S. Special Forces involved": two counts, not one disputed
    assert questions["us-soldiers-at-outpost.agree"].answer == "They measure different things"
    assert questions["russians-killed.reports"].answer == "2"


def _bears_out(a, b) -> bool:
    if a.low is not None and b.low is not None:
        return a.low <= b.high and b.low <= a.high
    return a.key == b.key or (a.kind == "list" and bool(a.item_keys & b.item_keys))


def test_every_sourcing_question_rests_on_the_claims(bundled_bank, bundled_questions):
    """Written from the claims: the answer is whom the named report credits with the value in the
    prompt, and no wrong choice is a party that gives a value bearing it out for that fact."""
    found = []
    labels = {s.label: sid for sid, s in bundled_bank.sources.items()}
    for q in (q for q in bundled_questions if ".source." in q.id):
        fact = bundled_bank.fact(q.fact)
        label = re.match(r"Whom does (.+?) cite\b", q.prompt).group(1)
        source = labels[label]
        credited = [c for c in fact.claims if c.source == source and c.attributed_to
                    and re.split(r",\s+via\s+", c.attributed_to)[0] == q.answer]
        if not credited:
            found.append(f"{q.id}: {label} credits no claim to {q.answer}")
            continue
        asked = [parse_value(fact.kind, c.value) for c in credited]
        for choice in (c for c in q.choices if c != q.answer):
            for claim in fact.claims:
                party = re.split(r",\s+via\s+", claim.attributed_to or "")[0]
                if party == choice and any(_bears_out(parse_value(fact.kind, claim.value), v) for v in asked):
                    found.append(f"{q.id}: wrong choice {choice} gives {claim.value}")
        if len(set(q.choices)) != len(q.choices) or q.answer not in q.choices:
            found.append(f"{q.id}: choices {q.choices}")
    assert found == [], "\n".join(found)


def test_counts_on_the_bundled_bank(bundled_questions):
    counts = {v: sum(1 for q in bundled_questions if f".{v}" in q.id) for v in ("source", "agree", "reports")}
    # enough to teach the skill, not so many that they crowd out the facts
    assert all(counts.values()), counts
    assert sum(counts.values()) < len(bundled_questions) // 5, counts


def test_the_starter_bank_from_its_own_claims(tmp_path: Path):
    from click.testing import CliRunner

    from khasham_learn.cli import cli
    from khasham_learn.loading import open_bank

    target = tmp_path / "starter"
    assert CliRunner().invoke(cli, ["init", str(target)]).exit_code == 0
    questions = {q.id: q for q in generate(open_bank(target))}
    q = questions["crowd-size.source.newsletter"]
    assert q.prompt == "Whom does the town newsletter cite as saying that about 300 people watched the bridge open?"
    assert q.answer == "the organisers" and "the county council" in q.choices
    assert questions["crowd-size.agree"].answer == "They disagree"


def test_a_party_that_dates_the_day_another_way_is_never_a_wrong_choice(bundled_questions):
    # The BBC has the attack on a Wednesday (a weekday fact checked against this date): on 7 February 2018.
    questions = {q.id: q for q in bundled_questions}
    for qid in ("attack-date.source.newsweek", "attack-date.source.centcom"):
        assert "the BBC" not in questions[qid].choices


def test_no_count_of_reports_mixes_what_different_figures_measure(bundled_questions):
    # One report gives the pro-government dead only as "killed or injured": counting it would mislead.
    questions = {q.id: q for q in bundled_questions}
    assert "pro-government-killed.reports" not in questions
    assert questions["russians-killed.reports"].answer == "2"


def test_a_report_giving_one_value_twice_is_asked_it_once(bundled_questions):
    """The 'US retaliates' report gives "more than 100" killed in its own words and citing the BBC:
    one "according to" question, not two that differ only in whom they cite."""
    questions = {q.id: q for q in bundled_questions}
    assert questions["pro-government-killed.according.retaliates"].answer == "more than 100"
    assert "pro-government-killed.according.retaliates.2" not in questions
    seen: dict[tuple[str, str, str, str], str] = {}
    for q in bundled_questions:
        if ".according." in q.id:
            source = q.id.split(".according.")[1].split(".")[0]
            measure = re.search(r"\(([^()]*)\)\?$", q.prompt)
            key = (q.fact, source, q.answer, measure.group(1) if measure else "")
            assert key not in seen, (q.id, seen.get(key))
            seen[key] = q.id
