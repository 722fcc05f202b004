"""The quiz without a terminal: numbered prompts, one answer per line, through real pipes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import START_TIME_FACT

from khasham_learn.quiz import inert
from khasham_learn.store import open_store


def flat(text):
    """The text with its wrapping undone: every run of spaces and line breaks one space."""
    return " ".join(text.split())


def saved(store_path):
    with open_store(store_path) as store:
        return store.answers()


def quiz(*args, stdin="", bank=None, timeout=60):
    env = None
    if bank is not None:
        import os

        env = {**os.environ, "KHASHAM_LEARN_BANK": str(bank), "COLUMNS": "80"}  # the feedback's table fits the width
    return subprocess.run(
        [sys.executable, "-m", "khasham_learn", "quiz", *args], input=stdin, capture_output=True,
        text=True, timeout=timeout, env=env,
    )


def test_same_seed_same_questions():
    # "1" answers each question; a blank line after it goes on after a miss, and is asked again
    # (it is no answer) where the next question came straight away.
    first = quiz("--seed", "7", "--count", "4", stdin="1\n\n" * 4)
    second = quiz("--seed", "7", "--count", "4", stdin="1\n\n" * 4)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert "[4/4]" in first.stdout and "Score: " in first.stdout


def test_answers_by_number_and_text(make_bank):
    root = make_bank()
    for reply in ("2", "report A"):  # seed 1 asks which report says 10:00: report A, listed second
        result = quiz("--seed", "1", "--type", "which_report", stdin=f"{reply}\n", bank=root)
        assert result.returncode == 0, result.stderr
        assert "[1/1] Which report says: The attack began at about 10:00 p.m.\n  1. report B\n  2. report A\n" in result.stdout
        assert "Score: 1/1 (100%) on the first try" in result.stdout


def test_disputed_feedback_names_each_source(make_bank):
    root = make_bank()
    result = quiz("--topic", "battle", "--type", "numeric", "--disputed", "--count", "1", "--seed", "1", "--quotes", stdin="22:30\n", bank=root)
    assert (
        "  Sources disagree:\n"
        "    Value             Who says it             In which report\n"
        "    ────────────────  ──────────────────────  ───────────────\n"
        "    about 10:00 p.m.  only the report itself  report A\n"
        "    about 10:30 p.m.  only the Times          report B\n"
        "  In the reports' words:\n"
        "    report A:\n"
        '      "the attack began at around 10:00 PM"\n'
        "    report B, citing the Times:\n"
        '      "the first shells flew around 10:30 p.m."\n'
    ) in result.stdout


def test_end_of_input_keeps_answers_summarises_and_says_so_in_one_line(make_bank, store_path):
    result = quiz("--seed", "14", stdin="22:30\n", bank=make_bank())
    assert result.returncode == 1
    assert "Score: 1/1 (100%) on the first try" in result.stdout
    assert f"Saved 1 answer to {store_path}." in flat(result.stdout)
    assert result.stderr == ("khasham-learn: error: input ended at question 2 of 2; give one answer per line "
                             "(every answer given is saved)\n")
    assert len(saved(store_path)) == 1


def test_no_match_is_an_error():
    result = quiz("--tag", "no-such-tag")
    assert result.returncode == 1
    assert result.stderr.strip() == "khasham-learn: error: no questions match those filters"


@pytest.mark.parametrize("text, shown", [("a\x1b[31mred\x1b[0m", "ared"), ("copy\x1b]52;c;ZXZpbA==\x07", "copy"), ("bell\x07", "bell"), ("line\nnext", "line\nnext")])
def test_bank_text_is_printed_inert(text, shown):
    assert inert(text) == shown


def cli(*args, stdin="", bank=None):
    import os

    env = {**os.environ, **({"KHASHAM_LEARN_BANK": str(bank)} if bank else {})}
    return subprocess.run([sys.executable, "-m", "khasham_learn", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env=env)


def test_quiz_then_review_then_stats_through_pipes(make_bank, store_path):
    import json

    root = make_bank()
    # A wrong answer, a blank line to go on after it, a right one; no retry (input ends at the offer).
    first = cli("quiz", "--seed", "14", stdin="22:00\n\n500\n", bank=root)
    assert first.returncode == 0, first.stderr
    assert "Score: 1/2 (50%) on the first try" in first.stdout and f"Saved 2 answers to {store_path}." in flat(first.stdout)

    review = cli("review", "--new", "1", stdin="22:30\n500\n", bank=root)
    assert review.returncode == 0, review.stderr
    assert "0 due, 1 missed in practice, 1 new." in review.stdout
    assert "[1/2] According to report B, citing the Times, when did the attack begin?" in review.stdout
    assert "[2/2] How many fighters attacked?" in review.stdout
    assert "Score: 2/2" in review.stdout
    # each answer says when its question comes back: FSRS's 10-minute learning step
    assert review.stdout.count("Next: in 10 minutes, at ") == 2

    again = cli("review", "--new", "0", bank=root)
    assert again.returncode == 0 and again.stdout.startswith("Nothing is due now. The next is due ")

    stats = json.loads(cli("stats", "--json", bank=root).stdout)
    assert stats["answered"] == 4 and stats["right"] == 3 and stats["scheduled"] == 2
    # (10 minutes from now may be tomorrow, just before midnight)
    assert stats["due"]["now"] == 0
    assert stats["due"]["later_today"] + stats["due"]["next_7_days"] == 2
    assert sum(stats["forecast"][:2]) == 2 and len(stats["forecast"]) == 14
    assert stats["days_studied"] == 1 and stats["streak"] == 1
    assert stats["by_topic"][0]["answered"] == 4


def test_a_damaged_store_is_set_aside_with_a_notice(make_bank, tmp_path, monkeypatch):
    # Only at the default path in the data folder is a file that is not SQLite taken for a damaged
    # store of ours (khasham-learn alone puts one there); one given with --store is refused instead.
    monkeypatch.delenv("KHASHAM_LEARN_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store_path = tmp_path / "data" / "khasham-learn" / "progress.sqlite3"
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"\x00garbage" * 512)
    result = cli("quiz", "--count", "1", stdin="1\n", bank=make_bank())
    assert result.returncode == 0
    (aside,) = store_path.parent.glob("*.damaged-*")
    assert result.stderr.strip() == (
        f"khasham-learn: the progress store {store_path} was damaged (file is not a database); "
        f"kept it as {aside} and started a new one"
    )
    assert "Saved 1 answer to" in result.stdout


def test_a_store_from_a_newer_version_is_one_line_and_exit_2(make_bank, store_path):
    import sqlite3

    from khasham_learn.store import open_store

    open_store(store_path).close()
    with sqlite3.connect(store_path) as db:
        db.execute("PRAGMA user_version = 7")
    result = cli("stats", bank=make_bank())
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "written by a newer khasham-learn (store version 7" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_reply_names_an_option_or_is_asked_again():
    from khasham_learn.quiz import _one

    assert _one("²", ["a", "b", "c"]) is None  # str.isdigit() says yes; int() refuses it: no crash
    assert _one("2", ["a", "b", "c"]) == _one("2.", ["a", "b", "c"]) == "b"
    assert _one("0", ["a", "b"]) is None
    true_false = ["True", "False"]
    for reply, meant in [("t", "True"), ("TRUE", "True"), ("False.", "False"), ("yes", "True"), ("n", "False")]:
        assert _one(reply, true_false) == meant, reply
    for slip in ("maybe", "", "tf", "1,2"):
        assert _one(slip, true_false) is None, slip
    parties = ["the Pentagon", "Russia", "Russian officials"]
    assert _one("Pentagon", parties) == _one("the pentagon", parties) == "the Pentagon"
    assert _one("Russia", parties) == "Russia"  # exactly one, though two start with it
    assert _one("Russ", parties) is None  # the start of two


def stats_json(bank, *args):
    import json

    result = cli("stats", "--json", *args, bank=bank)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_miss_gone_over_after_the_score_agrees_with_the_saved_count_and_stats(make_bank, store_path):
    root = make_bank()
    # [1/2] wrong, Enter to go on; [2/2] right; the score; yes to going over the miss; right this time.
    result = cli("quiz", "--seed", "14", stdin="22:00\n\n500\ny\n22:30\n", bank=root)
    assert result.returncode == 0, result.stderr
    out = flat(result.stdout)
    offer = out.index("Go over the 1 missed question until right? [y/N]: y")
    assert out.index("Score: 1/2 (50%) on the first try") < offer  # the score comes before the offer
    assert "[1/1] According to report B, citing the Times, when did the attack begin?" in out[offer:]
    assert out.endswith(f"Score: 1/2 (50%) on the first try Final: 2/2 right after 1 retry The battle: 1/2 "
                        f"Saved 3 answers (2 first tries, 1 retry) to {store_path}.")
    assert "Missed" not in out[offer:]
    assert [(a.correct, a.mode) for a in saved(store_path)] == [(False, "quiz"), (True, "quiz"), (True, "quiz")]
    stats = stats_json(root)
    assert (stats["answered"], stats["right"], stats["overridden"]) == (3, 2, 0)


def test_until_right_brings_a_miss_back_within_the_quiz(make_bank, store_path):
    root = make_bank()
    result = cli("quiz", "--seed", "14", "--until-right", stdin="22:00\n\n500\n22:30\n", bank=root)
    assert result.returncode == 0, result.stderr
    out = flat(result.stdout)
    assert out.index("[2/2] How many fighters attacked?") < out.index("[again] According to report B")
    assert "Go over" not in out
    assert out.endswith(f"Final: 2/2 right after 1 retry The battle: 1/2 "
                        f"Saved 3 answers (2 first tries, 1 retry) to {store_path}.")
    assert stats_json(root)["answered"] == 3


def test_i_was_right_overrules_the_grader_and_the_teacher_sees_it(make_bank, store_path):
    root = make_bank()
    result = cli("quiz", "--seed", "14", stdin="22:00\n\n500-ish\nq\nr\n", bank=root)
    assert result.returncode == 0, result.stderr
    out = flat(result.stdout)
    assert '"More than 500 fighters came."' in out  # q: the quotes, on request
    assert "Counted as right, by your word" in out
    assert "Score: 2/2 (100%) on the first try" not in out and "Score: 1/2" in out  # 22:00 stays wrong
    assert "Overruled by you: 1" in out
    (overruled,) = [a for a in saved(store_path) if a.overridden]
    assert overruled.question_id == "attackers.direct" and overruled.correct and overruled.given == "500-ish"
    stats = stats_json(root)
    assert (stats["answered"], stats["right"], stats["overridden"]) == (2, 1, 1)
    assert "Answered: 2, right: 1 (50%, 1 overruled by you)" in cli("stats", bank=root).stdout

    listing = stats_json(root, "--overrides")
    assert listing["overruled"] == 1
    (row,) = listing["questions"]
    assert (row["id"], row["answer"], [t["given"] for t in row["typed"]]) == ("attackers.direct", "about 500", ["500-ish"])
    text = cli("stats", "--overrides", bank=root).stdout
    assert "attackers.direct (1x): How many fighters attacked?" in text and 'typed: "500-ish"' in text


def test_what_is_not_an_option_is_asked_again_and_never_saved(make_bank, store_path):
    root = make_bank()
    result = cli("quiz", "--seed", "1", "--type", "which_report", stdin="7\n\n0\n2\n", bank=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("  Please answer with a number from 1 to 2, or the text of one of them.\n") == 3
    assert [a.given for a in saved(store_path)] == ["report A"]


@pytest.mark.parametrize("kind, slip", [("true_false", "maybe"), ("multi", "foo")])
def test_text_that_names_no_option_is_asked_again_never_graded(bundled, store_path, kind, slip):
    """'maybe' to a true/false question was once graded wrong and saved, moving the schedule."""
    result = subprocess.run([sys.executable, "-m", "khasham_learn", "quiz", "--type", kind, "--count", "1",
                             "--seed", "1", "--plain"], input=f"{slip}\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Please answer with" in result.stdout
    assert result.stderr.count("\n") == 1 and "input ended at question 1 of 1" in result.stderr
    assert saved(store_path) == []


def test_the_follow_up_asks_again_for_a_key_it_does_not_know(make_bank, store_path):
    result = cli("quiz", "--seed", "14", stdin="22:00\nyes\n\n500\n", bank=make_bank())
    assert "  Please answer with Enter (a blank line), q or r.\n" in result.stdout
    assert len(saved(store_path)) == 2


def test_a_blank_typed_answer_is_asked_again(make_bank, store_path):
    result = cli("quiz", "--seed", "14", stdin="\n  \n22:30\n500\n", bank=make_bank())
    assert result.stdout.count("Please answer with some text; a blank line is not an answer.") == 2
    assert [a.given for a in saved(store_path)] == ["22:30", "500"]


def test_a_number_prompt_says_its_unit(bundled):
    from khasham_learn.generation import generate
    from khasham_learn.quiz import answer_hint

    questions = {q.id: q for q in generate(bundled)}
    assert answer_hint(questions["attackers-number.direct"]) == "a number of fighters"
    troops = next(q for q in questions.values() if q.unit == "kilometers" and q.type == "numeric")
    assert answer_hint(troops) == "a number of kilometers"


def test_a_year_prompt_asks_for_a_year_and_a_full_date_for_a_date(bundled):
    from khasham_learn.generation import generate
    from khasham_learn.quiz import answer_hint

    questions = {q.id: q for q in generate(bundled)}
    assert questions["oir-start-year.direct"].prompt == "In which year did Operation Inherent Resolve begin?"
    assert answer_hint(questions["oir-start-year.direct"]) == "a year"
    assert answer_hint(questions["attack-date.direct"]) == "a date"


def _words(text):
    import re

    return set(re.findall(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]", text))


def known_words(bank, questions, extra=""):
    """Every word the quiz can print whole: the questions' text, the topics' titles, the quiz's own
    text (and `extra`). A printed word not among them is the piece of one cut at the margin."""
    import dataclasses
    import json

    import khasham_learn.quiz

    src = Path(khasham_learn.quiz.__file__).parent
    known = _words(extra + "".join(Path(src, name).read_text()
                                   for name in ("quiz.py", "notetable.py", "grading.py", "commands/study.py")))
    for q in questions:
        known |= _words(json.dumps(dataclasses.asdict(q), ensure_ascii=False))
    for topic in bank.topics:
        known |= _words(topic.title)
    return known


@pytest.mark.parametrize("columns", [60, 100])
def test_everything_printed_fits_the_width_and_no_word_is_split(columns, store_path):
    import os

    from khasham_learn.cache import generated_bank
    from khasham_learn.paths import bundled_bank

    env = {**os.environ, "COLUMNS": str(columns)}
    # An order of six; where that names no option it is asked again and "1" answers; a blank line
    # goes on after a miss (and a reply that fits nothing is asked again)
    replies = "1,2,3,4,5,6\n1\n\n" * 60
    result = subprocess.run([sys.executable, "-m", "khasham_learn", "quiz", "--disputed", "--quotes", "--seed", "5",
                             "--count", "10"], input=replies, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert "[10/10]" in result.stdout and "In the reports' words:" in result.stdout
    shown, saved_to = result.stdout.split("\nSaved ")
    assert saved_to.split() == ["10", "answers", "to", f"{store_path}."]  # a path is one word, however long
    lines = shown.splitlines()
    assert max(map(len, lines)) <= columns
    # Every word printed is a whole word of the bank or of the quiz's own text: none is the piece
    # of a longer word cut at the margin.
    bank, questions = generated_bank(bundled_bank())
    known = known_words(bank, questions)
    printed = _words(shown)
    assert printed - known == set()


def test_quiz_help_lists_every_question_type_and_the_topics(bundled):
    from khasham_learn.generation import generate
    from khasham_learn.model import ALL_QUESTION_TYPES

    made = {q.type for q in generate(bundled)}
    assert made <= set(ALL_QUESTION_TYPES)  # a new type must join the registry that --type's help reads
    text = flat(cli("quiz", "--help").stdout)
    for qtype in ALL_QUESTION_TYPES:
        assert f"{qtype} (" in text
    assert "sequence (events put in order; --type ordering says the same)" in text and "matching (each description" in text
    for topic in bundled.topics:
        assert f"{topic.id} {topic.title}" in text
    wrong = cli("quiz", "--type", "sequnce")
    assert wrong.returncode == 2 and "'sequence'" in wrong.stderr
    # `questions` takes the same types, says which, and refuses another; "ordering" is the sequence
    assert "sequence (events put in order" in flat(cli("questions", "--help").stdout)
    bogus = cli("questions", "--type", "bogus")
    assert bogus.returncode == 2 and "'bogus' is not one of" in bogus.stderr
    ordering = cli("questions", "--type", "ordering", "--json")
    assert ordering.returncode == 0 and {q["type"] for q in json.loads(ordering.stdout)} == {"sequence"}


def test_quiz_help_lists_the_topics_of_the_bank_given(make_bank):
    root = make_bank({"battle": START_TIME_FACT})  # its one topic: battle ("The battle")
    text = flat(cli("quiz", "--bank", str(root), "--help").stdout)
    assert "Topics (--topic): battle The battle" in text


def test_a_session_asks_one_form_of_each_fact_and_takes_topics_in_turn(bundled):
    from khasham_learn.generation import generate
    from khasham_learn.giveaways import Giveaways, group_of
    from khasham_learn.quiz import plan_quiz

    enabled = [q for q in generate(bundled) if q.enabled]
    for seed in range(4):
        asked = plan_quiz(enabled, 10, seed)
        assert len(asked) == 10
        assert len({group_of(q) for q in asked}) == 10  # no fact twice, in any form
        assert len({q.topic for q in asked[:3]}) >= 2  # not one topic's questions in a row
        index = Giveaways(asked)
        for i, later in enumerate(asked):
            assert not any(index.states_answer(earlier, later) for earlier in asked[:i]), later.id


def test_input_that_ends_while_going_over_the_misses_says_so(make_bank, store_path):
    result = cli("quiz", "--seed", "14", stdin="22:00\n\n500\ny\n", bank=make_bank())
    assert result.returncode == 1
    assert result.stderr == ("khasham-learn: error: input ended while going over the misses; give one answer "
                             "per line (every answer given is saved)\n")
    assert f"Saved 2 answers to {store_path}." in flat(result.stdout)


def test_until_right_reaches_every_new_question_with_at_most_one_retry_between_two(store_path):
    # Every answer wrong, each followed by Enter to go on: five new questions, and the misses
    # coming back among them, never two retries between two new questions.
    result = cli("quiz", "--plain", "--until-right", "--type", "free", "-n", "5", "--seed", "7",
                 stdin="wrong\n\n" * 12)
    labels = [line.split("]")[0] + "]" for line in result.stdout.splitlines() if line.startswith("[")]
    assert labels == ["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[again]", "[5/5]"] + ["[again]"] * 7
    prompts = [line for line in result.stdout.splitlines() if line.startswith("[")]
    def asks(prompt):  # the question's first words, whatever its label makes the wrapping
        return prompt.split("] ", 1)[1][:30]

    assert asks(prompts[4]) == asks(prompts[0])  # the first miss comes back after three new questions
    # The 13th prompt is the third question's second retry (order 1 2 3 4 1 5 2 3 4 1 5 2 3): the input ends there.
    assert asks(prompts[12]) == asks(prompts[2])
    assert result.returncode == 1
    assert result.stderr == ("khasham-learn: error: input ended at a retry of question 3; give one answer per line "
                             "(every answer given is saved)\n")
    assert len(saved(store_path)) == 12


def test_a_script_runs_a_whole_session_through_the_library(make_bank, store_path):
    # The loop the CLI runs (first pass, score, going over the misses) is the library's: a script
    # gets it with in-memory streams and its own hook.
    import io

    from khasham_learn.generation import generate
    from khasham_learn.loading import open_bank
    from khasham_learn.quiz import Session, PlainPrompter, plan_quiz, study

    bank = open_bank(make_bank())
    questions = plan_quiz(generate(bank), None, "14")
    seen: list[tuple[str, bool, int]] = []
    screen = io.StringIO()
    prompter = PlainPrompter(io.StringIO("22:00\n\n500\ny\n22:30\n"), screen, width=100)
    session = Session(questions)
    ending = study(session, prompter, bank.topic_title, "my notes",
                   on_answer=lambda a: seen.append((a.question.id, a.right, a.attempt)))
    assert (ending.exit_code, ending.error) == (0, None)
    assert [(right, attempt) for _, right, attempt in seen] == [(False, 1), (True, 1), (True, 2)]
    assert (session.score, session.final_score, session.retries) == (1, 2, 1)
    out = flat(screen.getvalue())
    assert out.index("Go over the 1 missed question until right? [y/N]: y") < out.index("[1/1]")
    assert out.endswith("Saved 3 answers (2 first tries, 1 retry) to my notes.")

    ended = study(Session(questions), PlainPrompter(io.StringIO("22:00\n\n"), io.StringIO()), bank.topic_title, "x")
    assert ended.error == "input ended at question 2 of 2; give one answer per line (every answer given is saved)"


def test_a_matching_line_with_several_numbers_is_asked_again_not_graded(store_path):
    # The whole answer on one line ("1,2") is no match for one item: asked again, saying what is expected.
    result = cli("quiz", "--plain", "--type", "matching", "-n", "1", "--seed", "1", stdin="1,2\n1\n1\n1\n1\n\n")
    assert result.returncode == 0, result.stderr
    assert flat(result.stdout).count("Please answer with one number from 1 to 4, this line's match alone, or "
                                     "the text of one.") == 1
    (answer,) = saved(store_path)
    assert answer.given == ["CENTCOM"] * 4  # the four lines after the slip, each the first choice
