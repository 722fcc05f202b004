"""The interactive quiz in a real pseudo-terminal, driven key by key with pexpect, against the
installed console script and a real progress store."""

import os

import pytest

from khasham_learn.store import open_store
from test_cli import console_script

pexpect = pytest.importorskip("pexpect")

DOWN = "\x1b[B"


# Who says what in the feedback: a table of each value, its party and its report.
DISPUTE_TABLE = (r"Sources disagree:\s+Value\s+Who says it\s+In which report\s+[─ ]+\s+"
                 r"about 10:00 p\.m\.\s+only the report itself\s+report A\s+about 10:30 p\.m\.\s+only the Times\s+report B")


@pytest.fixture
def spawn(make_bank, store_path):
    script = console_script()
    root = make_bank()
    children = []

    def start(*args, bank=root):
        env = {**os.environ, "KHASHAM_LEARN_BANK": str(bank), "NO_COLOR": "1", "KHASHAM_LEARN_STORE": str(store_path)}
        child = pexpect.spawn(script, list(args), env=env, encoding="utf-8", timeout=20, dimensions=(40, 120))
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def saved(store_path):
    with open_store(store_path) as store:
        return store.answers()


def finish(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_whole_session_select_typed_quotes_summary_and_missed_again(spawn, store_path):
    child = spawn("quiz", "--seed", "14", "--count", "3")
    child.expect(r"\[1/3\] According to report B, citing the Times, when did the attack begin\?")
    child.send("22:30\r")
    child.expect("✓ Right.")
    child.expect(r"Show the reports' quotes\?")
    child.send("y")
    child.expect('"the first shells flew around 10:30 p.m."')

    child.expect(r"\[2/3\] Which report says: The attack began at about 10:00 p\.m\.")
    child.expect("Use arrow keys")
    child.expect("» report B")
    child.send(DOWN)
    child.send("\r")  # report A
    child.expect("✓ Right.")
    child.expect(DISPUTE_TABLE)
    child.expect(r"Show the reports' quotes\?")
    child.send("n")

    child.expect(r"\[3/3\] How many fighters attacked\?")
    child.send("four hundred\r")
    child.expect("✗ Not quite.")
    child.expect("Answer: about 500")
    child.expect(r"Show the reports' quotes\?")
    child.send("n")

    child.expect(r"Go over the missed questions again\?")
    child.send("y")
    child.expect(r"\[1/1\] How many fighters attacked\?")
    child.send("over 500\r")
    child.expect("✓ Right.")
    child.expect(r"Show the reports' quotes\?")
    child.send("n")
    child.expect(r"Score: 2/3 \(66%\)")
    child.expect("The battle: 2/3")
    child.expect(r"Missed:\s+- How many fighters attacked\? -> about 500")
    assert finish(child) == 0
    answers = saved(store_path)
    assert [a.correct for a in answers] == [True, True, False, True]
    assert answers[2].given == "four hundred" and answers[2].mode == "quiz"


def test_select_with_arrow_keys_then_ctrl_c_keeps_the_answer(spawn, store_path):
    child = spawn("quiz", "--type", "which_report", "--seed", "1", "--count", "2")
    child.expect(r"\[1/2\] Which report says: The attack began at about (10:\d\d) p\.m\.")
    time_said = child.match.group(1)
    child.expect("Use arrow keys")
    child.expect("» (report [AB])")
    first = child.match.group(1)
    child.send(DOWN)
    child.send("\r")
    right = (first != "report A") == (time_said == "10:00")
    child.expect("✓ Right." if right else "✗ Not quite.")
    child.expect(r"Show the reports' quotes\?")
    child.send("n")
    child.expect(r"\[2/2\]")
    child.expect("Use arrow keys")
    child.sendintr()
    child.expect("Interrupted.")
    child.expect(r"Score: \d/1")
    child.expect("Saved 1 answer")
    assert finish(child) == 130
    assert [a.correct for a in saved(store_path)] == [right]


def test_typed_answer_and_disputed_feedback(spawn):
    child = spawn("quiz", "--type", "numeric", "--disputed", "--count", "1", "--seed", "2", "--quotes")
    child.expect(r"\[1/1\] When did the attack begin\?")
    child.send("10:30 pm\r")
    child.expect("✓ Right.")
    child.expect(DISPUTE_TABLE)
    child.expect('"the first shells flew around 10:30 p.m."')  # --quotes shows them without asking
    child.expect(r"Score: 1/1 \(100%\)")
    assert finish(child) == 0


def test_ordering_prompt_puts_events_in_order(spawn, store_path):
    from khasham_learn.paths import bundled_bank

    child = spawn("quiz", "--type", "sequence", "--topic", "background", "--count", "1", bank=bundled_bank())
    child.expect(r"\[1/1\] Put these events in order, earliest first\. \(which comes first\?\)")
    # The choices come shuffled; pick by position in what the list shows.
    order = ["Operation Inherent Resolve begins", "Russia joins air operations in Syria",
             "The Syrian Democratic Forces capture Raqqa", "The pro-government attack near Khasham",
             "The Washington Post's article on intercepted communications"]
    shown = ["A US drone bombs a T-72 tank", "Russia joins air operations in Syria",
             "The pro-government attack near Khasham", "The Washington Post's article on intercepted communications",
             "The Syrian Democratic Forces capture Raqqa", "Operation Inherent Resolve begins"]
    for event in order:
        child.expect(r"Use arrow keys|which comes next")
        for _ in range(shown.index(event)):
            child.send(DOWN)
        child.send("\r")
        shown.remove(event)
    child.expect("✓ Right.")
    child.expect(r"1\. Operation Inherent Resolve begins \(2014\)")
    child.expect(r"5\. The Washington Post's article on intercepted communications \(22 February 2018\)")
    child.expect(r"Show the reports' quotes\?")
    child.send("n")
    assert finish(child) == 0
    (answer,) = saved(store_path)
    assert answer.given == order + ["A US drone bombs a T-72 tank"]


def test_review_in_a_terminal_brings_back_what_was_missed(spawn, store_path):
    child = spawn("quiz", "--seed", "14", "--count", "2")
    child.expect(r"\[1/2\] According to report B, citing the Times, when did the attack begin\?")
    child.send("22:00\r")  # report A's time: wrong here
    child.expect("✗ Not quite.")
    child.expect(r"Show the reports' quotes\?")
    child.send("n")
    child.expect(r"\[2/2\]")
    child.sendintr()
    assert finish(child) == 130

    child = spawn("review", "--new", "0")
    child.expect("0 due, 1 missed in practice, 0 new.")
    child.expect(r"\[1/1\] According to report B, citing the Times, when did the attack begin\?")
    child.send("about 10:30 pm\r")
    child.expect("✓ Right.")
    child.expect(r"Show the reports' quotes\?")
    child.send("n")
    assert finish(child) == 0
    answers = saved(store_path)
    assert [(a.mode, a.correct) for a in answers] == [("quiz", False), ("review", True)]
    assert answers[1].rating in (2, 3)
