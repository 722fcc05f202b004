"""Generation is deterministic and its ids survive rewording; teachers' edits apply by id."""

from khasham_learn.generation import generate
from khasham_learn.loading import open_bank

from conftest import START_TIME_FACT


def ids(bank_dir):
    return [q.id for q in generate(open_bank(bank_dir))]


def test_same_bank_same_questions(make_bank):
    root = make_bank()
    first = [q.to_dict() for q in generate(open_bank(root))]
    second = [q.to_dict() for q in generate(open_bank(root))]
    assert first == second


def test_variants_of_a_disputed_fact(make_bank):
    questions = {q.id: q for q in generate(open_bank(make_bank()))}
    assert {i for i in questions if i.startswith("start-time.")} == {
        "start-time.direct", "start-time.according.report-a", "start-time.according.report-b",
        "start-time.which.report-a", "start-time.which.report-b",
        "start-time.agree",  # corroboration: do they agree (with two reports, "how many give a time" is not asked)
    }
    direct = questions["start-time.direct"]
    assert direct.disputed and direct.type == "numeric"
    assert set(direct.accepted) >= {"about 10:00 p.m.", "about 10:30 p.m."}
    assert direct.note == "Sources disagree: about 10:00 p.m. (only report A); about 10:30 p.m. (only the Times, cited by report B)."
    according = questions["start-time.according.report-b"]
    assert according.prompt == "According to report B, citing the Times, when did the attack begin?"
    assert according.answer == "about 10:30 p.m."
    which = questions["start-time.which.report-a"]
    assert which.answer == "report A" and "report B" in which.choices
    assert [s.quote for s in direct.sources] == ["the attack began at around 10:00 PM", "the first shells flew around 10:30 p.m."]


def test_variants_of_an_agreed_fact(make_bank):
    questions = {q.id: q for q in generate(open_bank(make_bank()))}
    # Asked once typed, restated once as a true/false; the cloze and the multiple-choice copy are merged away.
    # Corroboration asks whether the two reports agree ("about 500", "more than 500": they do).
    assert {i for i in questions if i.startswith("attackers.")} == {"attackers.direct", "attackers.tf", "attackers.agree"}
    attackers = questions["attackers.direct"]
    assert not attackers.disputed and attackers.note is None
    assert attackers.answer == "about 500"  # the more precise of the two agreeing values
    assert questions["attackers.tf"].statement == "About 500 fighters attacked."


def test_rewording_keeps_every_id(make_bank):
    before = ids(make_bank())
    reworded = START_TIME_FACT.replace("When did the attack begin?", "At what time did the first shells fall?").replace(
        "The attack began at {answer}.", "The shelling started at {answer}."
    )
    after = ids(make_bank({"battle": reworded}))
    assert before == after


def test_teacher_edits_reword_retag_and_switch_off(make_bank):
    root = make_bank(questions="""\
        questions:
          - id: start-time.direct
            prompt: When did the first shells fall?
            tags: [timeline]
          - id: attackers.tf
            enabled: false
          - id: my-question
            fact: attackers
            type: choice
            prompt: Roughly how many attacked?
            answer: "500"
            choices: ["50", "500", "5,000"]
    """)
    questions = {q.id: q for q in generate(open_bank(root))}
    assert questions["start-time.direct"].prompt == "When did the first shells fall?"
    assert "timeline" in questions["start-time.direct"].tags and "battle" in questions["start-time.direct"].tags
    assert "attackers.tf" not in questions
    mine = questions["my-question"]
    assert mine.origin == "teacher" and mine.answer == "500" and mine.sources[0].source == "report-a"
    everything = {q.id for q in generate(open_bank(root), include_disabled=True)}
    assert "attackers.tf" in everything


def test_bundled_bank_generation_is_stable(bundled):
    first = [q.to_dict() for q in generate(bundled)]
    assert first == [q.to_dict() for q in generate(bundled)]
    ids_ = [q["id"] for q in first]
    assert len(ids_) == len(set(ids_)), "question ids must be unique"
    for q in first:
        if q["type"] in ("choice", "which_report", "true_false"):
            assert set(q["accepted"]) & set(q["choices"]), q["id"]
            if not q["disputed"]:
                assert q["answer"] in q["choices"], q["id"]
        if q["type"] == "multi":
            assert set(q["accepted"]) <= set(q["choices"]), q["id"]
        assert q["sources"], q["id"]


def test_a_report_speaking_twice_gets_distinct_ids(make_bank):
    twice = START_TIME_FACT.replace(
        "        attributed_to: the Times\n",
        "        attributed_to: the Times\n      - source: report-b\n        value: about 22:40\n"
        "        quote: the first shells flew around 10:30 p.m.\n",
    )
    ids_ = [q.id for q in generate(open_bank(make_bank({"battle": twice})))]
    assert "start-time.according.report-b" in ids_ and "start-time.according.report-b.2" in ids_
    assert len(ids_) == len(set(ids_))


def test_a_claim_shown_wrong_is_never_taught_as_the_answer(make_bank):
    facts = {"battle": """\
        title: The battle
        facts:
          - id: day
            prompt: On what date?
            statement: It was {answer}.
            kind: date
            claims:
              - {source: report-a, value: 2018-02-07, quote: Report A says}
          - id: weekday
            prompt: On what weekday?
            statement: It was a {answer}.
            kind: weekday
            date_fact: day
            claims:
              - {source: report-b, value: Tuesday, quote: Report B}
    """}
    questions = {q.id: q for q in generate(open_bank(make_bank(facts)))}
    assert [i for i in questions if i.startswith("weekday.")] == ["weekday.according.report-b"]
    assert questions["weekday.according.report-b"].answer == "Tuesday"


RELAYED = """\
title: The battle
facts:
  - id: unit-a
    prompt: Which unit was at the outpost (A)?
    statement: Soldiers of the {answer} were at the outpost.
    kind: name
    distractors: [Rangers, Marines]
    claims:
      - {source: report-a, value: Delta, quote: Report A says}
  - id: unit-b
    prompt: Which unit was at the outpost (B)?
    statement: Soldiers of the {answer} were at the outpost.
    kind: name
    distractors: [Delta, Marines]
    claims:
      - {source: report-a, value: Rangers, quote: Report A says}
  - id: injured
    prompt: How many fighters were injured?
    statement: The fighters injured numbered {answer}.
    kind: number
    unit: fighters
    claims:
      - {source: report-b, value: about 200, quote: Report B, attributed_to: a US official}
  - id: killed
    prompt: How many Russians were killed?
    statement: The Russians killed numbered {answer}.
    kind: number
    unit: Russians
    claims:
      - {source: report-a, value: dozens, quote: Report A says, attributed_to: Russian officials}
      - {source: report-b, value: a couple hundred, quote: Report B, attributed_to: Mike Pompeo}
  - id: distance
    prompt: How far away were the Marines?
    statement: The Marines were {answer} miles away.
    kind: number
    unit: miles
    claims:
      - {source: report-a, value: "20", quote: Report A says}
"""


def test_a_false_statement_never_uses_a_value_another_fact_with_the_same_statement_gives(make_bank):
    questions = {q.id: q for q in generate(open_bank(make_bank({"battle": RELAYED})))}
    for fact in ("unit-a", "unit-b"):
        # "Soldiers of the Rangers were at the outpost" is true by unit-b: never a False for unit-a;
        # and a false one would read the same for both, so a shared statement is restated true.
        assert questions[f"{fact}.tf"].answer == "True"
    assert "Delta" in questions["unit-a.tf"].prompt and "Rangers" in questions["unit-b.tf"].prompt
    from khasham_learn.generation import _context, _distractors

    bank = open_bank(make_bank({"battle": RELAYED}))
    ctx = _context(bank)
    unit_a = bank.fact("unit-a")
    assert "Rangers" not in _distractors(unit_a, ctx.verdicts["unit-a"].claims, ctx, 3)


def test_a_relayed_claim_keeps_its_party_in_every_statement(make_bank):
    questions = {q.id: q for q in generate(open_bank(make_bank({"battle": RELAYED})))}
    tf = questions["injured.tf"]
    assert tf.statement == "According to a US official, the fighters injured numbered about 200."
    assert tf.prompt.startswith("True or false: According to a US official, the fighters injured numbered ")
    which = questions["killed.which.report-b"]
    assert which.prompt == "Which report cites Mike Pompeo as saying that the Russians killed numbered a couple hundred?"
    assert which.answer == "report B" and which.choices and set(which.choices) == {"report A", "report B"}
    according = questions["killed.according.report-a"]
    assert according.prompt == "According to report A, citing Russian officials, how many Russians were killed?"


def test_each_fact_is_asked_once_and_merged_ids_are_superseded(make_bank):
    from khasham_learn.generation import superseded_ids

    bank = open_bank(make_bank({"battle": RELAYED}))
    questions = generate(bank)
    assert len({q.prompt for q in questions}) == len(questions)
    ids_ = {q.id for q in questions}
    assert not any(i.endswith((".mc", ".cloze")) for i in ids_)
    superseded = superseded_ids(bank)
    assert superseded["distance.mc"] == "distance.direct" and superseded["distance.cloze"] == "distance.tf"
    assert not set(superseded) & ids_ and set(superseded.values()) <= ids_
    assert "killed.cloze" not in superseded  # a disputed fact has no true/false to keep it


def test_a_measured_number_is_asked_with_its_unit_and_a_count_without():
    from khasham_learn.generation import question_prompt
    from khasham_learn.model import Fact
    from khasham_learn.errors import Position

    def fact(prompt: str, unit: str) -> Fact:
        return Fact("f", "t", prompt, "{answer}", "number", (), Position("x", 1, 1), unit=unit)

    assert question_prompt(fact("How far away were the Marines?", "miles")) == "How far away were the Marines (in miles)?"
    assert question_prompt(fact("Within how many meters did they land?", "meters")) == "Within how many meters did they land?"
    assert question_prompt(fact("How many fighters were injured?", "fighters")) == "How many fighters were injured?"
    assert question_prompt(fact("How many SDF members were hurt?", "SDF members injured")) == "How many SDF members were hurt?"


def test_statements_are_worded_for_the_kind_of_value():
    from khasham_learn.generation import render
    from khasham_learn.values import parse_value

    def said(statement: str, kind: str, raw: str) -> str:
        value = parse_value(kind, raw)
        return render(statement, value.display, value)

    assert said("It began in {answer}.", "date", "2018-02-22") == "It began on 22 February 2018."
    assert said("It began on {answer}.", "date", "2018-02") == "It began in February 2018."
    assert said("It began in {answer}.", "date", "2014") == "It began in 2014."
    assert said("For the first {answer}, they called.", "duration", "1 week") == "For the first week, they called."
    assert said("Trump spoke {answer} later.", "duration", "1 week") == "Trump spoke a week later."
    assert said("For the first {answer}, they called.", "duration", "15 minutes") == "For the first 15 minutes, they called."
    assert said("{answer} sources alleged it.", "number", "2") == "Two sources alleged it."
    assert said("{answer} fighters attacked.", "number", "about 500") == "About 500 fighters attacked."


def test_a_question_on_another_measure_asks_for_that_measure():
    from khasham_learn.generation import _with_measure

    measures = ("killed", "killed or injured")
    assert _with_measure("How many were killed in the clash?", "killed or injured", measures) == (
        "How many were killed or injured in the clash?")
    assert _with_measure("How many were killed in the clash?", "killed", measures) == "How many were killed in the clash?"
    assert _with_measure("How long did it last?", "the air strikes", ("the air strikes", "the firefight")) == (
        "How long did it last (the air strikes)?")


def test_a_teachers_multi_select_shows_every_answer_it_requires(make_bank):
    root = make_bank(questions="""\
        questions:
          - id: spellings
            fact: attackers
            type: multi
            prompt: Which figures do the reports give?
            answer: about 500
            accepted: [more than 500]
            choices: [about 500, more than 500, "30"]
    """)
    mine = {q.id: q for q in generate(open_bank(root))}["spellings"]
    assert mine.answer == "about 500 and more than 500"


def test_the_quiz_leads_with_the_event_unless_asked_for_a_tag(make_bank):
    from dataclasses import replace

    from khasham_learn.quiz import pick

    questions = generate(open_bank(make_bank()))
    marked = [replace(q, tags=(*q.tags, "detail")) if q.fact == "attackers" else q for q in questions]
    core = [q for q in marked if q.fact != "attackers"]
    first = pick(marked, len(core), seed=3)
    assert {q.id for q in first} == {q.id for q in core}
    assert pick(marked, None, seed=3)[-1].fact == "attackers"
    assert pick(marked, 3, seed=3) == pick(marked, 3, seed=3)
    assert {q.id for q in pick(marked, None, seed=3, core_first=False)} == {q.id for q in marked}


TWO_PARTIES = """\
title: The build-up
facts:
  - id: objective
    prompt: What were the attackers trying to seize?
    statement: The attackers were trying to seize {answer}.
    kind: text
    claims:
      - {source: report-a, value: the oilfields, quote: Report A says, attributed_to: a US official}
      - {source: report-b, value: territory the SDF had taken, quote: Report B, attributed_to: reports from the region}
"""


def test_a_true_false_names_only_the_parties_that_give_its_value(make_bank):
    # The two claims agree (texts in other words do not contradict), but the regional reports never
    # said "the oilfields": the statement rests on the official alone.
    questions = {q.id: q for q in generate(open_bank(make_bank({"build-up": TWO_PARTIES})))}
    statement = questions["objective.tf"].statement
    assert statement.startswith("According to a US official, the attackers were trying to seize ")
    assert "reports from the region" not in statement


def test_a_plural_answer_takes_a_plural_verb():
    from khasham_learn.generation import render
    from khasham_learn.values import parse_value

    template = "While the air strikes went on, {answer} was fired from the ground."
    for answer, verb in [("anti-tank missiles", "were"), ("machine guns", "were"), ("rocket artillery", "was"),
                         ("a howitzer", "was"), ("the Conflict Intelligence Team", "was")]:
        assert render(template, answer, parse_value("text", answer)) == (
            f"While the air strikes went on, {answer} {verb} fired from the ground.")
    listed = parse_value("list", ("drones", "B-52 bombers"))
    assert render("{answer} has led the strikes.", "drones and B-52 bombers", listed) == "Drones and B-52 bombers have led the strikes."


def test_a_party_speaking_through_an_outlet_is_named_by_its_own_name():
    from khasham_learn.generation import party_named

    party = "Lt. Gen. Jeffrey L. Harrigian, via The Guardian"
    assert party_named("The Guardian reports Harrigian as saying he would not speculate on .", party)
    assert not party_named("The Guardian reports that the general would not speculate on .", party)


def test_a_which_report_prompt_closes_the_outlet_aside(bundled):
    from khasham_learn.disagreement import assess
    from khasham_learn.generation import which_report_prompt

    fact = bundled.fact("russians-killed")
    verdict = assess(fact, bundled)
    relayed = next(c for c in verdict.claims if c.value.display == "dozens")
    assert which_report_prompt(fact, relayed, verdict.measures) == (
        "Which report cites Russian and Syrian officials, via The New York Times, as saying that the Russians "
        "killed in the clash numbered dozens?")


BOUNDS = """\
title: The battle
facts:
  - id: captured-by
    prompt: By which year had the town been captured?
    statement: The town had been captured by {answer}.
    kind: date
    distractors: ["2015", "2019"]
    claims:
      - source: report-a
        value: "2017"
        quote: the attack began
  - id: capture-year
    prompt: In which year was the town captured?
    statement: The town was captured in {answer}.
    kind: date
    distractors: ["2015", "2019"]
    claims:
      - source: report-a
        value: "2017"
        quote: the attack began
"""


def test_a_statement_of_a_bound_is_never_made_false(make_bank):
    # "by 2017" leaves "by 2015" open and makes "by 2019" true: no other value makes it false.
    # The two facts are alike but for the bound, and both ids would get a false statement.
    questions = {q.id: q for q in generate(open_bank(make_bank({"battle": BOUNDS})))}
    assert questions["captured-by.tf"].answer == "True"
    assert questions["capture-year.tf"].answer == "False"


def _person(fact_id: str, name: str) -> str:
    return f"""\
  - id: {fact_id}
    prompt: Who spoke ({fact_id})?
    statement: "{{answer}} spoke ({fact_id})."
    kind: name
    unit: person
    claims:
      - {{source: report-a, value: {name}, quote: Report A says}}
"""


def test_other_facts_values_offered_as_wrong_answers_are_of_similar_length(make_bank):
    """A wrong answer much longer than the right one singles itself out ('Vladimir Vladimirovich
    Putin' beside 'Mattis'); such a value is offered only when no value of similar length is left."""
    from khasham_learn.generation import _context, _distractors

    people = {"mattis": "Mattis", "peskov": "Peskov", "lavrov": "Lavrov", "shoigu": "Shoigu",
              "putin": "Vladimir Vladimirovich Putin", "gerasimov": "General Valery Vasilyevich Gerasimov"}
    facts = "title: People\nfacts:\n" + "".join(_person(k, v) for k, v in people.items())
    bank = open_bank(make_bank({"people": facts}))
    ctx = _context(bank)
    wrong = _distractors(bank.fact("mattis"), ctx.verdicts["mattis"].claims, ctx, 3)
    assert sorted(wrong) == ["Lavrov", "Peskov", "Shoigu"]
    # Asked for more than the alike can give, the unlike come last rather than not at all.
    more = _distractors(bank.fact("mattis"), ctx.verdicts["mattis"].claims, ctx, 5)
    assert sorted(more[:3]) == ["Lavrov", "Peskov", "Shoigu"] and len(more) == 5
    # For a long answer, the short names are the odd ones out.
    long_wrong = _distractors(bank.fact("putin"), ctx.verdicts["putin"].claims, ctx, 1)
    assert long_wrong == ["General Valery Vasilyevich Gerasimov"]


def _model_fact(fact_id: str, unit: str, value: str) -> str:
    return f"""\
  - id: {fact_id}
    prompt: Which model ({fact_id})?
    statement: "A {{answer}} was seen ({fact_id})."
    kind: name
    unit: {unit}
    claims:
      - {{source: report-a, value: {value}, quote: Report A says}}
"""


def test_wrong_answers_are_of_the_same_category_and_granularity(make_bank):
    """No helicopter offered as a tank model (values pool by kind and unit), and no full date among
    years (a wrong date has as many words as the right one)."""
    from khasham_learn.generation import _context, _distractors

    facts = "title: Arms\nfacts:\n" + "".join([
        _model_fact("tank-a", "tank", "T-72"), _model_fact("tank-b", "tank", "T-55"), _model_fact("tank-c", "tank", "T-90"),
        _model_fact("heli-a", "helicopter", "Apache"), _model_fact("heli-b", "helicopter", "Mi-24"),
    ]) + """\
  - id: start-year
    prompt: In which year did it start?
    statement: It started in {answer}.
    kind: date
    claims:
      - {source: report-a, value: "2014", quote: Report A says}
  - id: other-year
    prompt: In which year did the other start?
    statement: The other started in {answer}.
    kind: date
    claims:
      - {source: report-a, value: "2017", quote: Report A says}
  - id: strike-day
    prompt: On which day was the strike?
    statement: The strike was on {answer}.
    kind: date
    claims:
      - {source: report-a, value: 2018-02-07, quote: Report A says}
"""
    bank = open_bank(make_bank({"arms": facts}))
    ctx = _context(bank)
    assert sorted(_distractors(bank.fact("tank-a"), ctx.verdicts["tank-a"].claims, ctx, 3)) == ["T-55", "T-90"]
    assert _distractors(bank.fact("start-year"), ctx.verdicts["start-year"].claims, ctx, 3) == ["2017"]
