"""The quiz without a terminal: numbered prompts, one answer per line, through real pipes."""

import subprocess
import sys

import pytest

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

    review = cli("review", "--new", "1", stdin="22:30\n1\n", bank=root)
    assert review.returncode == 0, review.stderr
    assert "0 due, 1 missed in practice, 1 new." in review.stdout
    assert "[1/2] According to report B, citing the Times, when did the attack begin?" in review.stdout
    assert "[2/2] When did the attack begin?\nYour answer (a time of day): 1\n" in review.stdout
    assert "Score: 1/2" in review.stdout

    stats = json.loads(cli("stats", "--json", bank=root).stdout)
    assert stats["answered"] == 4 and stats["right"] == 2 and stats["scheduled"] == 2
    assert stats["topics"][0]["answered"] == 4


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


def test_a_superscript_digit_is_an_answer_as_typed_not_a_crash():
    from khasham_learn.quiz import _by_number

    assert _by_number("²", ["a", "b", "c"]) == "²"  # str.isdigit() says yes; int() refuses it
    assert _by_number("2", ["a", "b", "c"]) == "b"
    assert _by_number("0", ["a", "b"]) == "0"
