"""The interactive quiz in a real pseudo-terminal, driven key by key with pexpect, against the
installed console script and a real progress store."""

import io
import os
import re

import pytest

from khasham_learn.store import open_store
from test_cli import console_script

pexpect = pytest.importorskip("pexpect")

DOWN = "\x1b[B"


# Who says what in the feedback: a table of each value, its party and its report.
DISPUTE_TABLE = (r"Sources disagree:\s+Value\s+Who says it\s+In which report\s+[─ ]+\s+"
                 r"about 10:00 p\.m\.\s+only the report\s+(?:itself\s+)?report A\s+(?:itself\s+)?"
                 r"about 10:30 p\.m\.\s+only the Times\s+report B")


WIDTHS = [100, 60]
ROWS = 200  # tall enough that a whole session stays on the screen pyte renders
QUESTIONARY_WORDS = "Use arrow keys Yes No"


def phrase(text):
    """`text` as a pattern that matches it however the quiz wrapped it."""
    return r"\s+".join(map(re.escape, text.split()))

CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|[\x08]")


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}-columns")
def columns(request):
    return request.param


@pytest.fixture
def spawn(make_bank, store_path, columns):
    script = console_script()
    root = make_bank()
    children = []

    def start(*args, bank=root):
        env = {**os.environ, "KHASHAM_LEARN_BANK": str(bank), "NO_COLOR": "1", "KHASHAM_LEARN_STORE": str(store_path)}
        env.pop("COLUMNS", None)  # the terminal's own width, as a student's would be
        child = pexpect.spawn(script, list(args), env=env, encoding="utf-8", timeout=20, dimensions=(ROWS, columns))
        child.logfile_read = io.StringIO()
        child.bank = bank  # for assert_fits
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


def screen_lines(child):
    """What the quiz printed, as lines, with the terminal's control sequences taken out; the
    lines questionary draws itself (its prompts start with "?") left out."""
    text = CSI.sub("", child.logfile_read.getvalue())
    lines = [line.rsplit("\r", 1)[-1] for line in text.split("\r\n")]
    return [line for line in lines if not line.startswith("?")]


def assert_fits(child, columns, typed=""):
    """No line we print is wider than the terminal but a single word (the store's path), and on
    the screen as a terminal shows it (pyte renders every key and redraw questionary sent), no
    word is cut at the margin: each is a whole word the bank or the quiz has."""
    import pyte

    from khasham_learn.cache import generated_bank
    from test_quiz_plain import _words, known_words

    lines = [line for line in screen_lines(child) if len(line.split()) > 1]
    assert lines and max(len(line) for line in lines) <= columns, max(lines, key=len)
    screen = pyte.Screen(columns, ROWS)
    pyte.Stream(screen).feed(child.logfile_read.getvalue())
    # The store's path, where "Saved ... to" ends, is one word that may be wider than the screen.
    shown = "\n".join(screen.display).rsplit("Saved ", 1)[0]
    bank, questions = generated_bank(child.bank)
    unknown = _words(shown) - known_words(bank, questions, f"{QUESTIONARY_WORDS} {typed}")
    assert unknown == set(), f"{sorted(unknown)}\n{shown}"


def stats_json(bank, *args):
    import json
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "khasham_learn", "stats", "--json", *args], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "KHASHAM_LEARN_BANK": str(bank)})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_miss_its_quotes_and_going_over_it_after_the_score_agree_with_stats(spawn, store_path, make_bank, columns):
    child = spawn("quiz", "--seed", "14")
    child.expect(phrase("[1/2] According to report B, citing the Times, when did the attack begin?"))
    child.expect(r"Your answer \(a time of day\)")
    child.send("22:00\r")  # report A's time
    child.expect("✗ Not quite.")
    child.expect("Answer: about 10:30 p.m.")
    child.expect(DISPUTE_TABLE)
    child.expect("Enter: next · q: the quotes · r: I was right")
    child.send("q")  # one key, no Enter
    child.expect('"the first shells flew around 10:30 p.m."')
    child.expect("Enter: next · r: I was right")
    child.send("\r")

    child.expect(r"\[2/2\] How many fighters attacked\?")
    child.expect(r"Your answer \(a number\)")
    child.send("over 500\r")
    child.expect("✓ Right.")
    child.expect(r"Score: 1/2 \(50%\) on the first try")  # the score, then the offer
    child.expect(r"Missed:\s+- According to report B")
    child.expect(r"Go over the 1 missed question until right\?")
    child.send("y")
    child.expect(r"\[1/1\] According to report B")
    child.send("10:30 pm\r")
    child.expect("✓ Right.")
    child.expect(phrase("Score: 1/2 (50%) on the first try Final: 2/2 right after 1 retry The battle: 1/2 "
                        "Saved 3 answers (2 first tries, 1 retry) to"))
    assert finish(child) == 0
    assert_fits(child, columns, typed="over")
    answers = saved(store_path)
    assert [(a.correct, a.given) for a in answers] == [(False, "22:00"), (True, "over 500"), (True, "10:30 pm")]
    stats = stats_json(make_bank())
    assert (stats["answered"], stats["right"]) == (3, 2)


def test_i_was_right_with_one_key_then_the_teacher_lists_it(spawn, store_path, make_bank, columns):
    child = spawn("quiz", "--seed", "14", "--schedule")
    child.expect(r"\[1/2\]")
    child.send("22:30\r")
    child.expect("✓ Right.")
    child.expect(r"\[2/2\] How many fighters attacked\?")
    child.send("half a thousand\r")
    child.expect("✗ Not quite.")
    child.expect("r: I was right")
    child.send("r")
    child.expect(phrase("Counted as right, by your word"))
    child.expect(r"Score: 2/2 \(100%\) on the first try")
    child.expect(r"Overruled by you: 1")
    child.expect(r"Saved 2 answers to")
    assert finish(child) == 0
    assert_fits(child, columns, typed="half a thousand")
    first, second = saved(store_path)
    assert (second.question_id, second.given, second.correct, second.overridden) == \
        ("attackers.direct", "half a thousand", True, True)
    assert second.rating in (2, 3)  # scheduled as a right answer, not as Again
    listing = stats_json(make_bank(), "--overrides")
    assert [(q["id"], [t["given"] for t in q["typed"]]) for q in listing["questions"]] == \
        [("attackers.direct", ["half a thousand"])]
    assert stats_json(make_bank())["overridden"] == 1


def test_select_with_arrow_keys_then_ctrl_c_keeps_the_answer(spawn, store_path):
    child = spawn("quiz", "--seed", "2")
    child.expect(phrase("[1/2] Which report says: The attack began at about 10:00 p.m."))
    child.expect("Use arrow keys")
    child.expect("» report B")
    child.send(DOWN)
    child.send("\r")  # report A
    child.expect("✓ Right.")
    child.expect(r"\[2/2\] True or false: About 500 fighters attacked\.")
    child.expect("Use arrow keys")
    child.sendintr()
    child.expect("Interrupted.")
    child.expect(r"Score: 1/1")
    child.expect("Saved 1 answer to")
    assert finish(child) == 130
    assert [a.correct for a in saved(store_path)] == [True]


def test_ctrl_c_at_the_key_after_a_miss_keeps_the_answer(spawn, store_path):
    child = spawn("quiz", "--seed", "14")
    child.expect(r"\[1/2\]")
    child.send("22:00\r")
    child.expect("r: I was right")
    child.sendintr()
    child.expect("Interrupted.")
    child.expect("Saved 1 answer to")
    assert finish(child) == 130
    assert [a.given for a in saved(store_path)] == ["22:00"]


def test_a_wrong_true_or_false_shows_the_answer(spawn):
    child = spawn("quiz", "--seed", "2", "--type", "true_false")
    child.expect(r"\[1/1\] True or false: About 500 fighters attacked\.")
    child.expect("» True")
    child.send(DOWN)
    child.send("\r")  # False
    child.expect("✗ Not quite.")
    child.expect(r"Answer: True\s+About 500 fighters attacked\.")


def test_typed_answer_and_disputed_feedback(spawn):
    child = spawn("quiz", "--type", "numeric", "--disputed", "--count", "1", "--seed", "2", "--quotes")
    child.expect(r"\[1/1\] When did the attack begin\?")
    child.send("10:30 pm\r")
    child.expect("✓ Right.")
    child.expect(DISPUTE_TABLE)
    child.expect('"the first shells flew around 10:30 p.m."')  # --quotes shows them without asking
    child.expect(r"Score: 1/1 \(100%\)")
    assert finish(child) == 0


def test_ordering_prompt_puts_events_in_order(spawn, store_path, columns):
    from khasham_learn.paths import bundled_bank

    child = spawn("quiz", "--type", "sequence", "--topic", "background", "--count", "1", bank=bundled_bank())
    child.expect(phrase("[1/1] Put these events in order, earliest first."))
    child.expect(r"Which comes first\?")
    # The choices come shuffled; pick by position in what the list shows.
    order = ["Operation Inherent Resolve begins", "Russia joins air operations in Syria",
             "The Syrian Democratic Forces capture Raqqa", "The pro-government attack near Khasham",
             "The Washington Post's article on intercepted communications"]
    shown = ["A US drone bombs a T-72 tank", "Russia joins air operations in Syria",
             "The pro-government attack near Khasham", "The Washington Post's article on intercepted communications",
             "The Syrian Democratic Forces capture Raqqa", "Operation Inherent Resolve begins"]
    for event in order:
        child.expect(r"Use arrow keys|Next\?")
        for _ in range(shown.index(event)):
            child.send(DOWN)
        child.send("\r")
        shown.remove(event)
    child.expect("✓ Right.")
    child.expect(r"1\. Operation Inherent Resolve begins \(2014\)")
    child.expect(phrase("5. The Washington Post's article on intercepted communications (22 February 2018)"))
    assert finish(child) == 0
    assert_fits(child, columns)  # a long event wraps under itself in the list
    (answer,) = saved(store_path)
    assert answer.given == order + ["A US drone bombs a T-72 tank"]


def test_review_in_a_terminal_brings_back_what_was_missed(spawn, store_path):
    child = spawn("quiz", "--seed", "14")
    child.expect(phrase("[1/2] According to report B, citing the Times, when did the attack begin?"))
    child.send("22:00\r")  # report A's time: wrong here
    child.expect("✗ Not quite.")
    child.expect("r: I was right")
    child.send("\r")
    child.expect(r"\[2/2\]")
    child.sendintr()
    assert finish(child) == 130

    child = spawn("review", "--new", "0")
    child.expect("0 due, 1 missed in practice, 0 new.")
    child.expect(phrase("[1/1] According to report B, citing the Times, when did the attack begin?"))
    child.send("about 10:30 pm\r")
    child.expect("✓ Right.")
    assert finish(child) == 0
    answers = saved(store_path)
    assert [(a.mode, a.correct) for a in answers] == [("quiz", False), ("review", True)]
    assert answers[1].rating in (2, 3)


def test_ctrl_d_at_a_prompt_ends_the_quiz_keeping_the_answers(spawn, store_path):
    # Ctrl-D is a student's way to stop, as Ctrl-C is: no word of a script's input running out.
    child = spawn("quiz", "--seed", "14")
    child.expect(r"\[1/2\] According to report B")
    child.send("22:30\r")
    child.expect("✓ Right.")
    child.expect(r"\[2/2\] How many fighters attacked\?")
    child.expect("Your answer")
    child.sendcontrol("d")
    child.expect(r"Ended \(Ctrl-D\)\.")
    child.expect(r"Score: 1/1")
    child.expect("Saved 1 answer to")
    assert finish(child) == 0
    assert "one answer per line" not in child.logfile_read.getvalue()
    assert [a.given for a in saved(store_path)] == ["22:30"]
