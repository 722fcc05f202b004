"""The quiz without a terminal: numbered prompts, one answer per line, through real pipes."""

import subprocess
import sys

import pytest

from khasham_learn.quiz import inert


def quiz(*args, stdin="", bank=None, timeout=60):
    env = None
    if bank is not None:
        import os

        env = {**os.environ, "KHASHAM_LEARN_BANK": str(bank)}
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
    assert result.stdout.count("] Which report says:") == 2
    assert "Score: " in result.stdout


def test_disputed_feedback_names_each_source(make_bank):
    root = make_bank()
    result = quiz("--topic", "battle", "--type", "numeric", "--disputed", "--count", "1", "--seed", "1", "--quotes", stdin="22:30\n", bank=root)
    assert "Sources disagree: about 10:00 p.m. (report A); about 10:30 p.m. (report B, citing the Times)." in result.stdout
    assert '"the first shells flew around 10:30 p.m."' in result.stdout


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


@pytest.mark.parametrize("text, shown", [("a\x1b[31mred\x1b[0m", "a[31mred[0m"), ("bell\x07", "bell"), ("line\nnext", "line\nnext")])
def test_bank_text_is_printed_inert(text, shown):
    assert inert(text) == shown
