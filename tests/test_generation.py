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
    }
    direct = questions["start-time.direct"]
    assert direct.disputed and direct.type == "numeric"
    assert set(direct.accepted) >= {"about 10:00 p.m.", "about 10:30 p.m."}
    assert direct.note == "Sources disagree: about 10:00 p.m. (report A); about 10:30 p.m. (report B, citing the Times)."
    according = questions["start-time.according.report-b"]
    assert according.prompt == "According to report B, citing the Times, when did the attack begin?"
    assert according.answer == "about 10:30 p.m."
    which = questions["start-time.which.report-a"]
    assert which.answer == "report A" and "report B" in which.choices
    assert [s.quote for s in direct.sources] == ["the attack began at around 10:00 PM", "the first shells flew around 10:30 p.m."]


def test_variants_of_an_agreed_fact(make_bank):
    questions = {q.id: q for q in generate(open_bank(make_bank()))}
    # Asked once typed, restated once as a true/false; the cloze and the multiple-choice copy are merged away.
    assert {i for i in questions if i.startswith("attackers.")} == {"attackers.direct", "attackers.tf"}
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
        "        attributed_to: the Times\n      - source: report-b\n        value: about 22:30\n"
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
