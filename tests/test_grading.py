"""What a student might type, and whether a lenient teacher would accept it."""

import datetime as dt

import pytest

from khasham_learn.generation import Question, SourceRef
from khasham_learn.grading import grade


def question(kind, qtype, accepted, ranges=(), choices=(), prompt="?", quotes=(), disputed=False):
    sources = tuple(SourceRef(source="a", label="report A", value=accepted[0], quote=q) for q in quotes)
    return Question(
        id="f.direct", type=qtype, prompt=prompt, answer=accepted[0], accepted=tuple(accepted), fact="f", topic="t",
        kind=kind, tags=(), disputed=disputed, note=None, sources=sources, choices=tuple(choices), ranges=tuple(ranges),
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


ATTACKERS = dict(kind="number", qtype="numeric", accepted=["more than 500", "about 500"], ranges=[(500, 750), (450, 550)],
                 prompt="How many fighters attacked?")


@pytest.mark.parametrize(
    "typed, ok",
    [
        ("over 500", True), ("500+", True), ("at least 500", True), ("more than 480", True),
        ("around 500", True), ("roughly five hundred", True), ("more than 1", False), ("over 100", False),
        ("under 500", False),  # no room for "more than 500"
        ("more than 5000", False), ("hundreds", False),
    ],
)
def test_open_and_approximate_forms_must_fit_and_be_no_vaguer(typed, ok):
    assert grade(question(**ATTACKERS), typed).correct is ok


def test_an_open_answer_restates_a_range_it_falls_in_but_not_an_exact_figure():
    ranged = question("number", "numeric", ["200 to 300"], [(200, 300)])
    assert grade(ranged, "over 200").correct and not grade(ranged, "over 400").correct
    exact = question("number", "numeric", ["27"], [(27, 27)])
    assert not grade(exact, "at least 27").correct and not grade(exact, "under 30").correct


@pytest.mark.parametrize(
    "typed, ok",
    [
        ("200-300", True), ("200–300", True), ("200 to 300", True), ("between 200 and 300", True),
        ("from 200 to 300", True), ("two hundred to three hundred", True), ("an estimated 200-300", True),
        ("between 100 and 1000", False), ("300 to 400", False),
    ],
)
def test_ranges_in_any_spelling(typed, ok):
    assert grade(question("number", "numeric", ["200 to 300"], [(200, 300)]), typed).correct is ok


@pytest.mark.parametrize(
    "typed, ok",
    [("27 vehicles", True), ("27 military vehicles", True), ("twenty-seven vehicles", True),
     ("27 tanks", False), ("27 killed", False), ("28 vehicles", False)],
)
def test_trailing_nouns_from_the_question(typed, ok):
    q = question("number", "numeric", ["27"], [(27, 27)], prompt="How many military vehicles approached?")
    assert grade(q, typed).correct is ok


@pytest.mark.parametrize(
    "typed, ok",
    [("none", True), ("no one", True), ("nobody", True), ("zero", True), ("0", True), ("not one", True),
     ("no US troops", True), ("none of them", True), ("no more than 3", False), ("one", False), ("a few", False)],
)
def test_zero_in_words(typed, ok):
    q = question("number", "numeric", ["none"], [(0, 0)], prompt="How many US troops were injured?")
    assert grade(q, typed).correct is ok


MILES = dict(kind="number", qtype="numeric", accepted=["20"], ranges=[(20, 20)], prompt="How far away were they?",
             quotes=["stationed 20 miles away"])


@pytest.mark.parametrize(
    "typed, ok",
    [("20 miles", True), ("20", True), ("twenty miles away", True), ("32 km", True), ("32.2 kilometres", True),
     ("20 km", False), ("20 yards", False), ("35 km", False), ("30 km", False)],
)
def test_units_the_fact_is_in_or_convert_to(typed, ok):
    assert grade(question(**MILES), typed).correct is ok


def test_a_unit_on_a_count_is_wrong_and_the_prompts_unit_is_found():
    assert not grade(question("number", "numeric", ["20"], [(20, 20)]), "20 miles").correct
    meters = question("number", "numeric", ["500"], [(500, 500)], prompt="Within how many meters did they land?")
    assert grade(meters, "within 500 m").correct and grade(meters, "0.5 km").correct
    assert grade(meters, "547 yards").correct and not grade(meters, "500 yards").correct


@pytest.mark.parametrize(
    "accepted, ranges, typed, ok",
    [
        (["15 minutes"], [(15, 15)], "15 min", True),
        (["15 minutes"], [(15, 15)], "a quarter of an hour", True),
        (["15 minutes"], [(15, 15)], "15", True),  # in the unit the answer is given in
        (["15 minutes"], [(15, 15)], "15 hours", False),
        (["3 hours"], [(180, 180)], "about three hours", True),
        (["3 hours"], [(180, 180)], "3-4 hours", False),
        (["4 hours", "3 hours"], [(240, 240), (180, 180)], "3-4 hours", True),  # names both reported values
        (["4 hours", "3 hours"], [(240, 240), (180, 180)], "3 or 4 hours", True),
        (["4 hours", "3 hours"], [(240, 240), (180, 180)], "2-4 hours", False),
        (["1 week"], [(10080, 10080)], "a week", True),
        (["1 week"], [(10080, 10080)], "7 days", True),
        (["1 week"], [(10080, 10080)], "a month", False),
    ],
)
def test_durations(accepted, ranges, typed, ok):
    assert grade(question("duration", "numeric", accepted, ranges), typed).correct is ok


@pytest.mark.parametrize(
    "typed, ok",
    [("1 am", True), ("1:00 AM", True), ("1 o'clock", True), ("01:00", True), ("1 in the morning", True),
     ("at 1 am", True), ("1 pm", False), ("13:00", False), ("2 am", False), ("midnight", False)],
)
def test_clock_times(typed, ok):
    assert grade(question("time", "numeric", ["1:00 a.m.", "01:00"], [(60, 60)]), typed).correct is ok


def test_an_evening_hour_on_the_clock_face():
    q = question("time", "numeric", ["about 10:30 p.m."], [(1340, 1360)])
    assert grade(q, "10:30").correct and grade(q, "10.30 pm").correct and not grade(q, "10:30 am").correct


def test_a_date_without_its_year_takes_the_questions_year():
    q = question("date", "free", ["7 February 2018"], [(736732, 736732)])
    assert grade(q, "February 7").correct and grade(q, "7th February 2018").correct
    assert not grade(q, "February 8").correct and not grade(q, "7 February 2017").correct


@pytest.mark.parametrize(
    "typed, ok",
    [("30 or 40", True), ("30, 40", True), ("thirty", True), ("about 40", True), ("30 or 60", False),
     ("20", False), ("1 to 100", False)],
)
def test_several_reported_values_each_right(typed, ok):
    q = question("number", "numeric", ["30", "about 40"], [(30, 30), (36, 44)], disputed=True)
    assert grade(q, typed).correct is ok


def test_a_figure_inside_a_vague_word_is_not_what_the_report_says():
    q = question("number", "numeric", ["hundreds"], [(200, 999)])
    assert grade(q, "several hundred").correct and grade(q, "hundreds of troops").correct
    assert not grade(q, "500").correct and not grade(q, "more than 500").correct and not grade(q, "dozens").correct


PESKOV = dict(kind="name", qtype="free", accepted=["Dmitry Peskov"], prompt="Which spokesman refused to comment?")


@pytest.mark.parametrize(
    "typed, ok, shown",
    [
        ("Peskov", True, "Right: Dmitry Peskov."),
        ("Mr Peskov", True, "Right: Dmitry Peskov."),
        ("Dmitri Peskov", True, "Right."),
        ("Dmitriy Peskov", True, "Right."),
        ("Peskow", True, "Right; it is spelt Dmitry Peskov."),
        ("Dmitry", False, "Not quite."),
        ("Putin", False, "Not quite."),
        ("Dmitry Medvedev", False, "Not quite."),
    ],
)
def test_surnames_titles_and_transliterations(typed, ok, shown):
    result = grade(question(**PESKOV), typed)
    assert (result.correct, result.feedback) == (ok, shown)


def test_titles_and_descriptions_before_a_name_and_particles_inside_it():
    putin = question("name", "free", ["Vladimir Putin", "Putin"])
    assert grade(putin, "President Putin").correct and grade(putin, "Russian president Vladimir Putin").correct
    assert not grade(putin, "President Assad").correct and not grade(putin, "Vladimir").correct
    assert grade(question("name", "free", ["Bashar al-Assad"]), "Bashar Assad").correct
    assert grade(question("name", "free", ["Yevgeny Prigozhin"]), "Evgeny Prigozhin").correct
    assert grade(question("name", "free", ["Sergej Kim"]), "Sergey Kim").correct


def test_an_institutions_last_word_is_no_surname():
    post = question("name", "free", ["The Washington Post"])
    assert grade(post, "Washington Post").correct and not grade(post, "Post").correct
    nyt = question("name", "free", ["The New York Times"])
    assert grade(nyt, "NYT").correct and not grade(nyt, "New York Post").correct


@pytest.mark.parametrize(
    "typed, ok",
    [("Reaper", True), ("MQ-9", True), ("MQ9 Reaper", True), ("a Reaper drone", True), ("MQ-9 Reapers", True),
     ("MQ-1", False), ("a drone", False), ("MQ-1 Predator", False)],
)
def test_designations(typed, ok):
    assert grade(question("name", "free", ["MQ-9 Reaper"]), typed).correct is ok


@pytest.mark.parametrize(
    "typed, ok",
    [("B-52s", True), ("B-52s and F-22s", True), ("Apaches", True), ("B-1 bombers", False),
     ("B-52s and F-16s", False), ("F-16s", False)],
)
def test_designations_and_plurals_in_a_list(typed, ok):
    q = question("list", "free", ["B-52 bombers", "F-22 stealth fighter jets", "AH-64 Apache helicopters"])
    assert grade(q, typed).correct is ok


POMPEO = dict(kind="text", qtype="free", accepted=["the Russians met their match"],
              prompt="What did Pompeo say the Russians had done?", quotes=['"the Russians met their match."'])


@pytest.mark.parametrize(
    "typed, ok",
    [("met their match", True), ("Russians met their match", True), ("that the Russians met their match", True),
     ("the Americans met their match", False), ("met their end", False), ("did not meet their match", False)],
)
def test_long_answers_by_their_core(typed, ok):
    assert grade(question(**POMPEO), typed).correct is ok


@pytest.mark.parametrize(
    "typed, ok",
    [("declined to comment", True), ("did not comment", True), ("no comment", True), ("he refused to comment", True),
     ("commented", False), ("refused to speculate", False), ("declined to confirm", False)],
)
def test_a_refusal_in_other_words(typed, ok):
    q = question("text", "free", ["refused to comment"], prompt="How did the spokesman respond to the reports?")
    assert grade(q, typed).correct is ok


def test_the_reports_words_may_stand_in_for_left_out_words_but_not_be_added():
    line = question(
        "text", "free", ["to avoid incidents between the US and Russia"], prompt="What was the line between the US and Russia for?",
        quotes=["a deconfliction line established to avoid incidents between the two powers"],
    )
    assert grade(line, "to avoid incidents between the two powers").correct
    assert not grade(line, "to cause incidents").correct
    office = question("text", "free", ["Russian president"], prompt="What office did Vladimir Putin hold?",
                      quotes=["the spokesman for Russian president Vladimir Putin"])
    assert grade(office, "President of Russia").correct
    assert not grade(office, "the spokesman for Russian president Vladimir Putin").correct


@pytest.mark.parametrize(
    "accepted, typed",
    [(["Russians"], "not Russian"), (["perplexing"], "not perplexing"), (["could not"], "could"),
     (["not authorised"], "authorised"), (["slow"], "not slow")],
)
def test_a_negation_contradicts(accepted, typed):
    assert not grade(question("text", "cloze", accepted), typed).correct


def test_typos_never_change_a_number():
    q = question("text", "free", ["2014 to 2017"])
    assert grade(q, "2014-2017").correct
    assert not grade(q, "2015 to 2017").correct and not grade(q, "2014 to 2018").correct


SDF_ROLE = dict(kind="text", qtype="free", accepted=["playing a significant role in the defeat of ISIS in Syria"],
                prompt="For what has the US credited the Syrian Democratic Forces?")


@pytest.mark.parametrize(
    "typed, ok",
    [("playing a significant role in the defeat of ISIS", True), ("a significant role in defeating ISIS in Syria", True),
     ("playing a very significant role in the defeat of ISIS in Syria", True),
     ("playing a minor role in the defeat of ISIS", False), ("playing an insignificant role in the defeat of ISIS", False),
     ("playing a significant role in the defeat of Russia", False),
     ("playing a significant role in the defeat of ISIS in Syria and Iraq", False)],
)
def test_a_long_core_may_lose_words_but_never_swap_or_add_one(typed, ok):
    assert grade(question(**SDF_ROLE), typed).correct is ok


def test_a_prompt_or_quote_word_never_stands_in_for_a_single_word():
    militias = question("text", "free", ["reconnaissance conducted by Syrian militias"],
                        prompt="What did the Russian Ministry of Defence say caused the clash?",
                        quotes=["reconnaissance and search operations conducted by Syrian militias"])
    assert grade(militias, "reconnaissance by Syrian militias").correct
    assert not grade(militias, "reconnaissance conducted by Russian militias").correct


def test_a_long_core_keeps_its_order_and_its_turning_words():
    contact = question("text", "free", ["was avoided after the US contacted Russian forces via the deconfliction line"],
                       prompt="What did the Defense Secretary tell Congress in March about a third incident?")
    assert grade(contact, "was avoided after the US contacted Russian forces").correct
    assert not grade(contact, "was avoided after Russia contacted US forces").correct
    stance = question("text", "free", ["a hard-line stance against Moscow"],
                      prompt="What have Trump and his administration used the incident as evidence of?")
    assert grade(stance, "a hard line against Moscow").correct
    assert not grade(stance, "a hard-line stance for Moscow").correct


def test_a_name_is_named_whole():
    caoc = question("name", "free", ["Combined Air Operations Center", "CAOC"],
                    prompt="At which US military centre did officials spot the growing Russian force?")
    assert grade(caoc, "the Combined Air Operations Centre").correct and grade(caoc, "caoc").correct
    for typed in ("Air Operations Center", "Joint Air Operations Center", "Combined Air Operations Centre of Russia", "CAOD"):
        assert not grade(caoc, typed).correct, typed


@pytest.mark.parametrize("typed, ok", [("ISIS", True), ("isis", True), ("ISIL", True), ("ISI", False), ("IS", True)])
def test_an_acronym_is_no_plural(typed, ok):
    assert grade(question("text", "free", ["ISIS", "ISIL", "IS"]), typed).correct is ok


@pytest.mark.parametrize("typed, ok", [("T-72", True), ("T72s", True), ("T-72 tanks", True), ("T-7", False)])
def test_initials_are_letters_never_a_numbers_first_digit(typed, ok):
    assert grade(question("name", "free", ["T-72"]), typed).correct is ok


@pytest.mark.parametrize(
    "typed, ok",
    [("anti-tank missile", True), ("Reapers", True), ("Reaper drones", True), ("anti-aircraft missiles", False),
     ("anti-tank mines", False)],
)
def test_the_kind_of_machine_is_dropped_only_after_its_name(typed, ok):
    assert grade(question("list", "free", ["anti-tank missiles", "Reaper drones"]), typed).correct is ok


def test_a_designation_without_its_number_must_say_more_than_the_prompt():
    rangers = question("name", "free", ["75th Rangers"], prompt="Which US Army Ranger unit was at the outpost?")
    assert grade(rangers, "75th").correct and grade(rangers, "the 75th Rangers").correct
    assert not grade(rangers, "Rangers").correct


def test_a_second_year_is_a_span_not_the_year():
    year = (dt.date(2014, 1, 1).toordinal(), dt.date(2014, 12, 31).toordinal())
    q = question("date", "free", ["2014"], [year])
    assert grade(q, "2014").correct and grade(q, "in 2014").correct
    assert not grade(q, "2014 to 2017").correct and not grade(q, "2014-2017").correct


@pytest.mark.parametrize("typed, ok", [("450-550", True), ("480 to 520", True), ("400-600", False), ("300 to 700", False)])
def test_a_range_lies_inside_what_the_report_says(typed, ok):
    assert grade(question("number", "numeric", ["about 500"], [(450, 550)]), typed).correct is ok


@pytest.mark.parametrize("typed", ["Peskova", "Dmitry Peskova"])
def test_a_one_letter_slip_in_a_surname_is_forgiven(typed):
    result = grade(question("name", "free", ["Dmitry Peskov"]), typed)
    assert result.correct and "Dmitry Peskov" in result.feedback
