"""The chronology family: ordering questions from the events' dates, clock times and `after`."""

from __future__ import annotations

import pytest

from khasham_learn.checking import check_bank
from khasham_learn.generation import NIGHT_ID, TIMELINE_ID, generate
from khasham_learn.generation.build import generated_ids
from khasham_learn.grading import grade
from khasham_learn.loading import open_bank

# Five events of a night, from report A's times and the order it tells: the calls and the warning
# shots have no time of their own, and two events follow the shelling with no word on which first.
NIGHT = """\
title: The night
facts:
  - id: shelling
    prompt: When did the shelling begin?
    statement: The shelling began at {answer}.
    kind: time
    event: The shelling begins
    claims:
      - source: report-a
        value: about 22:00
        quote: "the attack began at around 10:00 PM"
      - source: report-b
        value: about 22:30
        quote: "the first shells flew around 10:30 p.m."
  - id: calls
    prompt: How long did the calls last?
    statement: The calls lasted {answer}.
    kind: duration
    event: The calls
    after: shelling
    claims:
      - source: report-a
        value: 15 minutes
        quote: "the attack began"
  - id: warning
    prompt: What came next?
    statement: Next came {answer}.
    kind: text
    event: The warning shots
    after: calls
    claims:
      - source: report-a
        value: warning shots
        quote: "the attack began"
  - id: flare
    prompt: What lit the sky?
    statement: The sky was lit by {answer}.
    kind: text
    event: A flare
    after: shelling
    claims:
      - source: report-a
        value: a flare
        quote: "the attack began"
  - id: arrival
    prompt: When did help arrive?
    statement: Help arrived at {answer}.
    kind: time
    event: Help arrives
    claims:
      - source: report-a
        value: "01:00"
        quote: "the attack began"
"""


def _question(root, qid):
    return {q.id: q for q in generate(open_bank(root))}[qid]


def test_the_bundled_night_holds_six_events_in_the_reports_order(bundled) -> None:
    night = {q.id: q for q in generate(bundled)}[NIGHT_ID]
    assert night.type == "sequence" and night.kind == "time"
    assert list(night.accepted) == [
        "The attack on the outpost begins",
        "US officials call the Russians to stop the attack",
        "American troops fire warning shots",
        "US strikes pound the attackers",
        "The quick-reaction force arrives",
        "The battle ends",
    ]
    assert grade(night, list(night.accepted)).correct
    assert not grade(night, list(reversed(night.accepted))).correct
    assert "about 10:00 p.m. or about 10:30 p.m." in night.answer and "(1:00 a.m.)" in night.answer
    assert "of one night" in night.prompt
    assert {r.source for r in night.sources} >= {"history", "newsweek"}


def test_the_bundled_wider_timeline_keeps_its_id_and_gains_raqqa_and_the_later_strike(bundled) -> None:
    wider = {q.id: q for q in generate(bundled)}[TIMELINE_ID]
    labels = list(wider.accepted)
    assert labels.index("The Syrian Democratic Forces capture Raqqa") == 2
    strike, article = labels.index("A US drone bombs a T-72 tank"), labels.index(
        "The Washington Post's article on intercepted communications")
    assert labels.index("The pro-government attack near Khasham") < min(strike, article)
    swapped = list(labels)
    swapped[strike], swapped[article] = swapped[article], swapped[strike]
    # "days later" and 22 February: the reports leave the two in either order
    assert grade(wider, labels).correct and grade(wider, swapped).correct
    raqqa_first = [labels[2], *labels[:2], *labels[3:]]
    assert not grade(wider, raqqa_first).correct


def test_times_after_midnight_come_after_the_evening(make_bank) -> None:
    night = _question(make_bank({"night": NIGHT}), NIGHT_ID)
    assert night.accepted[0] == "The shelling begins"
    order = ["The shelling begins", "The calls", "The warning shots", "A flare", "Help arrives"]
    assert grade(night, order).correct
    assert not grade(night, ["Help arrives", *order[:-1]]).correct  # 1:00 is not before 22:00 of that night


def test_a_day_does_not_roll_over(make_bank) -> None:
    day = NIGHT.replace("about 22:00", "about 08:00").replace("about 22:30", "about 08:30").replace('"01:00"', '"14:00"')
    question = _question(make_bank({"night": day}), NIGHT_ID)
    assert "of one day" in question.prompt
    assert question.accepted[0] == "The shelling begins"
    order = ["The shelling begins", "The calls", "The warning shots", "A flare", "Help arrives"]
    assert grade(question, order).correct and not grade(question, ["Help arrives", *order[:-1]]).correct


def test_an_order_the_reports_leave_open_accepts_either(make_bank) -> None:
    night = _question(make_bank({"night": NIGHT}), NIGHT_ID)
    flare_first = ["The shelling begins", "A flare", "The calls", "The warning shots", "Help arrives"]
    flare_later = ["The shelling begins", "The calls", "The warning shots", "A flare", "Help arrives"]
    assert grade(night, flare_first).correct and grade(night, flare_later).correct
    # but the declared order holds: the warning shots came after the calls
    assert not grade(night, ["The shelling begins", "The warning shots", "The calls", "A flare", "Help arrives"]).correct


def test_the_night_question_id_is_recognised_for_a_teachers_edit(make_bank) -> None:
    root = make_bank({"night": NIGHT}, questions=f"questions:\n  - id: {NIGHT_ID}\n    prompt: Order the night.\n")
    assert NIGHT_ID in generated_ids(open_bank(root), [NIGHT_ID])
    assert _question(root, NIGHT_ID).prompt == "Order the night."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("after: calls", "after: cals"), "after: 'cals' is not a fact in this bank (did you mean 'calls'?)"),
        (("after: shelling\n", "after: warning\n"), "after: the events come round in a circle (calls after warning after calls)"),
        (("    event: The shelling begins\n", ""), "after: 'shelling' has no event on the timeline"),
    ],
)
def test_check_names_a_bad_after_where_it_is_written(make_bank, texts_dir, change, message) -> None:
    root = make_bank({"night": NIGHT.replace(*change, 1)})
    problems = [str(p) for p in check_bank(root)]
    hits = [p for p in problems if message in p]
    assert hits, problems
    assert hits[0].startswith("facts/night.yaml:") or "night.yaml:" in hits[0].split(": ")[0]


def test_an_event_of_another_kind_needs_after(make_bank) -> None:
    root = make_bank({"night": NIGHT.replace("    after: calls\n", "")})
    problems = [str(p) for p in check_bank(root)]
    assert any("night.yaml:" in p and "say which event it came after" in p for p in problems), problems


def test_the_starter_bank_orders_its_own_day(tmp_path) -> None:
    from khasham_learn.scaffold import init_bank

    init_bank(root := tmp_path / "starter")
    assert check_bank(root, root / "texts") == []
    day = _question(root, NIGHT_ID)
    assert "of one day" in day.prompt
    assert list(day.accepted) == ["The mayor cuts the ribbon", "The brass band stops playing", "Cyclists are let across"]
    assert not grade(day, list(reversed(day.accepted))).correct


def test_check_names_an_after_that_runs_against_the_dates(make_bank) -> None:
    dates = """\
    title: Dates
    facts:
      - id: first
        prompt: When?
        statement: It was on {answer}.
        kind: date
        event: The first
        claims:
          - source: report-a
            value: "2018-02-07"
            quote: "the attack began"
      - id: second
        prompt: When?
        statement: It was on {answer}.
        kind: date
        event: The second
        after: first
        claims:
          - source: report-a
            value: "2018-02-01"
            quote: "the attack began"
    """
    problems = [str(p) for p in check_bank(make_bank({"dates": dates}))]
    assert any("dates.yaml:17:" in p and "every report dates 'second' before 'first'" in p for p in problems), problems

