"""What a student might type, and whether a lenient teacher would accept it."""

import pytest

from khasham_learn.generation import Question
from khasham_learn.grading import grade


def question(kind, qtype, accepted, ranges=(), choices=()):
    return Question(
        id="f.direct", type=qtype, prompt="?", answer=accepted[0], accepted=tuple(accepted), fact="f", topic="t",
        kind=kind, tags=(), disputed=False, note=None, sources=(), choices=tuple(choices), ranges=tuple(ranges),
    )


@pytest.mark.parametrize(
    "kind, qtype, accepted, ranges, typed, ok",
    [
        ("number", "numeric", ["30"], [(30, 30)], "30", True),
        ("number", "numeric", ["30"], [(30, 30)], "thirty", True),
        ("number", "numeric", ["30"], [(30, 30)], "31", False),
        ("number", "numeric", ["about 500"], [(450, 550)], "500", True),
        ("number", "numeric", ["about 500"], [(450, 550)], "roughly 480", True),
        ("number", "numeric", ["about 500"], [(450, 550)], "five hundred", True),
        ("number", "numeric", ["200 to 300"], [(200, 300)], "200-300", True),
        ("number", "numeric", ["200 to 300"], [(200, 300)], "200 to 300", True),
        ("number", "numeric", ["200 to 300"], [(200, 300)], "100", False),
        ("number", "numeric", ["2,000"], [(2000, 2000)], "2000", True),
        ("time", "numeric", ["about 10:30 p.m."], [(1340, 1360)], "10:30 pm", True),
        ("time", "numeric", ["about 10:30 p.m."], [(1340, 1360)], "22:30", True),
        ("time", "numeric", ["about 10:30 p.m."], [(1340, 1360)], "10 pm", False),
        ("duration", "numeric", ["4 hours"], [(240, 240)], "four hours", True),
        ("duration", "numeric", ["4 hours"], [(240, 240)], "4", True),
        ("duration", "numeric", ["4 hours"], [(240, 240)], "3 hours", False),
        ("date", "free", ["7 February 2018", "2018-02-07"], [(736732, 736732)], "February 7, 2018", True),
        ("date", "free", ["7 February 2018", "2018-02-07"], [(736732, 736732)], "7 feb 2018", True),
        ("date", "free", ["7 February 2018", "2018-02-07"], [(736732, 736732)], "8 February 2018", False),
        ("date", "free", ["7 February 2018", "2018-02-07"], [(736732, 736732)], "February 2018", False),
        ("number", "numeric", ["500"], [(500, 500)], "more than 1", False),
        ("number", "numeric", ["500"], [(500, 500)], "1 to 100000", False),
        ("number", "numeric", ["500"], [(500, 500)], "hundreds", False),
        ("number", "numeric", ["30"], [(30, 30)], "about 30", True),
        ("name", "free", ["US president"], [], "Russian president", False),
        ("text", "free", ["the United States", "Washington"], [], "The Washington Post", False),
        ("list", "free", ["Marines", "Green Berets"], [], "Marines and Green Berets", True),
        ("list", "free", ["Marines", "Green Berets"], [], "green berets", True),
        ("list", "free", ["Marines", "Green Berets"], [], "Marines, tanks", False),
        ("weekday", "free", ["Wednesday"], [], "wednesday", True),
        ("weekday", "free", ["Wednesday"], [], "Wed", True),
        ("weekday", "free", ["Wednesday"], [], "Tuesday", False),
        ("name", "free", ["Khasham", "Khusham"], [], "khusham", True),
        ("name", "free", ["Jeffrey L. Harrigian"], [], "Jeffrey L Harigian", True),
        ("name", "free", ["Yevgeny Prigozhin"], [], "Yevgeny Prigozhin!", True),
        ("name", "free", ["Yevgeny Prigozhin"], [], "Sergej Kim", False),
        ("text", "free", ["the Syrian Democratic Forces", "SDF"], [], "Syrian Democratic Forces", True),
        ("text", "free", ["the Syrian Democratic Forces", "SDF"], [], "sdf", True),
        ("text", "free", ["Euphrates"], [], "Eufrates", True),
        ("text", "free", ["Euphrates"], [], "", False),
        ("number", "cloze", ["about 500"], [(450, 550)], "500", True),
        ("number", "cloze", ["about 500"], [(450, 550)], "four hundred", False),
    ],
)
def test_typed_answers(kind, qtype, accepted, ranges, typed, ok):
    assert grade(question(kind, qtype, accepted, ranges), typed).correct is ok


def test_typo_tells_the_right_spelling():
    result = grade(question("name", "free", ["Jeffrey L. Harrigian"]), "Jeffrey L Harigian")
    assert result.feedback == "Right; it is spelt Jeffrey L. Harrigian."


def test_choices_and_several_answers():
    q = question("text", "choice", ["coordinated"], choices=["coordinated", "uncoordinated"])
    assert grade(q, "coordinated").correct and not grade(q, "uncoordinated").correct
    multi = question("list", "multi", ["B-52 bombers", "drones"], choices=["B-52 bombers", "drones", "tanks"])
    assert grade(multi, ["drones", "B-52 bombers"]).correct
    assert not grade(multi, ["drones"]).correct
    assert not grade(multi, ["drones", "B-52 bombers", "tanks"]).correct


def test_a_wrong_weekday_is_not_called_right():
    result = grade(question("weekday", "free", ["Wednesday"]), "Tuesday")
    assert (result.correct, result.feedback) == (False, "Not quite.")


EVENTS = ["war begins", "treaty signed", "battle fought", "report published"]


def sequence(ranges):
    return Question(
        id="timeline.sequence", type="sequence", prompt="Put these events in order, earliest first.",
        answer=" → ".join(EVENTS), accepted=tuple(EVENTS), fact="f", topic="t", kind="date", tags=(),
        disputed=False, note=None, sources=(), choices=tuple(reversed(EVENTS)), ranges=tuple(ranges),
    )


@pytest.mark.parametrize(
    "given, ok",
    [
        (EVENTS, True),
        (["War begins", "Treaty signed.", "battle fought", "REPORT PUBLISHED"], True),
        (["treaty signed", "war begins", "battle fought", "report published"], False),
        (list(reversed(EVENTS)), False),
        (EVENTS[:3], False),
        (EVENTS + ["war begins"], False),
        (["war begins", "treaty signed", "battle fought", "something else"], False),
    ],
)
def test_ordering(given, ok):
    assert grade(sequence([(1, 1), (2, 2), (3, 3), (4, 4)]), given).correct is ok


def test_ordering_counts_either_way_where_the_sources_leave_it_open():
    # The battle's date is disputed: its span overlaps the treaty's, so their order is open.
    q = sequence([(1, 1), (2, 3), (2, 5), (6, 6)])
    assert grade(q, ["war begins", "battle fought", "treaty signed", "report published"]).correct
    assert grade(q, EVENTS).correct
    result = grade(q, ["report published", "war begins", "treaty signed", "battle fought"])
    assert not result.correct and result.feedback == "Not quite: 3 pair(s) of events the wrong way round."
