"""The quiz without a terminal: numbered prompts, one answer per line, through real pipes."""

import subprocess
import sys

import pytest

from khasham_learn.quiz import inert


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
    first = quiz("--seed", "7", "--count", "4", stdin="\n" * 4)
    second = quiz("--seed", "7", "--count", "4", stdin="\n" * 4)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert "[4/4]" in first.stdout and "Score: " in first.stdout


def test_answers_by_number_and_text(make_bank):
    root = make_bank()
    result = quiz("--seed", "1", "--type", "which_report", "--count", "2", stdin="1\nreport B\n", bank=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("] Which report ") == 2  # "says: ..." or "cites the Times as saying ..."
    assert "Score: " in result.stdout


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


def test_end_of_input_keeps_answers_and_summarises():
    result = quiz("--seed", "3", "--count", "5", stdin="1\n")
    assert result.returncode == 0
    assert "End of input." in result.stdout
    assert "Score: " in result.stdout and "/1 " in result.stdout
    assert "Traceback" not in result.stderr


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
    first = cli("quiz", "--seed", "14", "--count", "3", stdin="2\nfour hundred\n500\n", bank=root)
    assert first.returncode == 0, first.stderr
    assert "Score: 1/3" in first.stdout and f"Saved 3 answer(s) to {store_path}." in first.stdout

    review = cli("review", "--new", "1", stdin="22:30\n500\n", bank=root)
    assert review.returncode == 0, review.stderr
    # The two misses are forms of one fact: one is asked, the other waits for another day.
    assert "0 due, 1 missed in practice, 1 new. 1 more waits for a later day" in review.stdout
    assert "[1/2] According to report B, citing the Times, when did the attack begin?" in review.stdout
    assert "[2/2] How many fighters attacked?" in review.stdout
    assert "Score: 2/2" in review.stdout
    # each answer says when its question comes back: FSRS's 10-minute learning step
    assert review.stdout.count("Next: in 10 minutes, at ") == 2

    again = cli("review", "--new", "0", bank=root)
    assert again.returncode == 0 and again.stdout.startswith("Nothing is due now. The next is due ")
    assert "1 more waits for a later day" in again.stdout

    stats = json.loads(cli("stats", "--json", bank=root).stdout)
    assert stats["answered"] == 5 and stats["right"] == 3 and stats["scheduled"] == 2
    # (10 minutes from now may be tomorrow, just before midnight)
    assert stats["due"]["now"] == 0 and stats["due"]["waiting"] == 1
    assert stats["due"]["later_today"] + stats["due"]["next_7_days"] == 2
    assert sum(stats["forecast"][:2]) == 2 and len(stats["forecast"]) == 14
    assert stats["days_studied"] == 1 and stats["streak"] == 1
    assert stats["by_topic"][0]["answered"] == 5


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
    assert "Saved 1 answer(s)" in result.stdout


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
