"""Progress you can see: stats' figures over a real store filled through the library at chosen
times (accuracy by topic, the 14-day forecast, the streak and days studied, FSRS's recall today),
and the `stats` screen drawn in a real terminal at 100 and 60 columns and as plain text."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone

import pytest

from khasham_learn.generation import generate
from khasham_learn.progressview import plain_lines
from khasham_learn.scheduling import Recorder, now_utc
from khasham_learn.stats import progress
from khasham_learn.store import ScheduledCard, open_store
from study_history import Clock, answered, review_days
from test_cli import console_script

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
pytestmark = pytest.mark.usefixtures("utc")  # days counted alike on every machine
COLOUR = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-8]|9[0-7])(?:;[0-9]+)*m")  # a foreground colour


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "progress.sqlite3") as s:
        yield s


@pytest.fixture(scope="module")
def bundled_questions():
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    bank = open_bank(bundled_bank())
    return bank, [q for q in generate(bank) if q.enabled]


def test_accuracy_by_topic_counts_each_topic_s_answers(bundled_questions, store):
    bank, questions = bundled_questions
    battle = [q for q in questions if q.topic == "battle"][:4]
    casualties = [q for q in questions if q.topic == "casualties"][:2]
    save = Recorder(store, mode="quiz", schedule=False, clock=Clock(T0))
    for q, right in zip(battle, (True, True, True, False)):
        save(answered(q, correct=right))
    for q in casualties:
        save(answered(q, correct=False))
    report = progress(bank, questions, store.answers(), store.cards(), T0)
    assert report["by_topic"] == [  # in the bank's topic order, topics without answers left out
        {"topic": "battle", "title": "The battle", "answered": 4, "right": 3, "accuracy": 0.75},
        {"topic": "casualties", "title": "Casualties", "answered": 2, "right": 0, "accuracy": 0.0},
    ]


def test_forecast_counts_each_day_s_due_questions_overdue_today(bundled_questions, store):
    bank, questions = bundled_questions
    save = Recorder(store, mode="review", schedule=True, clock=Clock(T0))
    for q in questions[:6]:
        save(answered(q))
    due_at = [T0 - timedelta(days=3), T0 + timedelta(hours=2), T0 + timedelta(days=1), T0 + timedelta(days=1, hours=5),
              T0 + timedelta(days=13, hours=1), T0 + timedelta(days=14)]  # the last falls after the 14 days
    moves = dict(zip((q.id for q in questions[:6]), due_at))
    store.update_cards(moves, lambda c: ScheduledCard(c.question_id, c.card, moves[c.question_id], c.introduced_at))
    report = progress(bank, questions, store.answers(), store.cards(), T0)
    assert report["forecast"] == [2, 2] + [0] * 11 + [1]
    assert report["due"] == {"now": 1, "waiting": 0, "later_today": 1, "next_7_days": 2, "today": 2, "this_week": 4}


def test_due_today_and_this_week_count_what_is_due_by_then_missed_in_practice_included(bundled_questions, store):
    # The JSON's first names stay beside the new ones: `topics` as `by_topic`, and due today / this
    # week as running totals: scheduled questions due by the end of today (within 7 days), the
    # overdue among them, and what was missed in practice and is not scheduled yet.
    from khasham_learn.giveaways import group_of

    bank, questions = bundled_questions
    scheduled = questions[:4]
    save = Recorder(store, mode="review", schedule=True, clock=Clock(T0))
    for q in scheduled:
        save(answered(q))
    due_at = [T0 - timedelta(days=3), T0 + timedelta(hours=2), T0 + timedelta(days=2), T0 + timedelta(days=9)]
    moves = dict(zip((q.id for q in scheduled), due_at))
    store.update_cards(moves, lambda c: ScheduledCard(c.question_id, c.card, moves[c.question_id], c.introduced_at))
    taken = {group_of(q) for q in scheduled}
    missed = next(q for q in questions if group_of(q) not in taken)
    Recorder(store, mode="quiz", schedule=False, clock=Clock(T0))(answered(missed, correct=False))
    report = progress(bank, questions, store.answers(), store.cards(), T0)
    assert report["due"] == {"now": 2, "waiting": 0, "later_today": 1, "next_7_days": 1, "today": 3, "this_week": 4}
    assert report["topics"] == report["by_topic"] != []
    assert json.loads(json.dumps(report))["topics"] == report["by_topic"]


def test_streak_and_days_studied_count_local_days(bundled_questions, store):
    bank, questions = bundled_questions
    clock = Clock(T0)
    save = Recorder(store, mode="quiz", schedule=False, clock=clock)
    for day in (-9, -6, -3, -2, -1, 0):  # a gap on day -4, -5: the streak is the last four days
        for hour in (0, 14):  # two answers a day, at either end of it: still one day
            clock.now = T0.replace(hour=hour) + timedelta(days=day)
            save(answered(questions[0]))

    def at(moment):
        return progress(bank, questions, store.answers(), store.cards(), moment)

    report = at(T0)
    assert (report["streak"], report["days_studied"]) == (4, 6)
    assert len(report["recent_days"]) == 28 and report["recent_days"][-1] == {"date": "2026-03-02", "answers": 2}
    assert [d["answers"] for d in report["recent_days"][-10:]] == [2, 0, 0, 2, 0, 0, 2, 2, 2, 2]
    assert at(T0 + timedelta(days=1))["streak"] == 4  # not studied yet today: the streak holds till midnight
    assert at(T0 + timedelta(days=2))["streak"] == 0


def test_recall_today_is_fsrs_average_and_fades_with_time(bundled_questions, store):
    bank, questions = bundled_questions
    assert progress(bank, questions, [], {}, T0)["recall_today"] is None
    given = review_days(store, questions, T0, days=[0, 1, 2, 3])
    assert given > 10
    soon = progress(bank, questions, store.answers(), store.cards(), T0 + timedelta(days=4))["recall_today"]
    later = progress(bank, questions, store.answers(), store.cards(), T0 + timedelta(days=60))["recall_today"]
    assert 0.5 < soon <= 1 and later < soon


def joined(text: str) -> str:
    return " ".join(text.split())


def assert_fits_and_words_whole(screen: str, width: int, texts: list[str]) -> None:
    """No line is wider than the terminal, and every sentence shown reads whole once the lines are
    joined: a word split across two lines ("the his|tory") would read "his tory"."""
    lines = screen.splitlines()
    assert lines and max(len(line) for line in lines) <= width, [line for line in lines if len(line) > width]
    flat = joined(screen)
    for text in texts:
        assert joined(text) in flat, text


def week_of_study(store_path, questions) -> None:
    """A week of review before today, at noon UTC: every day but three days ago (so a streak of 2,
    still alive today), never near midnight, whatever the time the test runs."""
    noon = now_utc().replace(hour=12, minute=0, second=0, microsecond=0)
    with open_store(store_path) as store:
        review_days(store, questions, noon - timedelta(days=7), days=[0, 1, 2, 3, 5, 6])


@pytest.mark.parametrize("width", [100, 60, 40])
def test_plain_stats_fit_the_width_and_keep_words_whole(bundled_questions, store, width):
    bank, questions = bundled_questions
    review_days(store, questions, T0 - timedelta(days=6), days=[0, 1, 2, 4, 5, 6])
    report = progress(bank, questions, store.answers(), store.cards(), T0)
    screen = "\n".join(plain_lines(report, width))
    assert_fits_and_words_whole(screen, width, [t["title"] for t in report["by_topic"]]
                                + [f["prompt"] for f in report["weakest_facts"]])
    assert "Reviews due, next 14 days" in screen and "streak: 3 days" in screen
    assert "\x1b" not in screen and not set(screen) & set("█░■·")  # plain: no escapes, ASCII drawing


pexpect = pytest.importorskip("pexpect")


@pytest.mark.parametrize(("width", "colour"), [(100, True), (60, True), (60, False), (40, True)])
def test_stats_screen_in_a_terminal(bundled_questions, store_path, width, colour):
    """Drawn with rich in colour; plain text under NO_COLOR and in a terminal under 60 columns."""
    _, questions = bundled_questions
    week_of_study(store_path, questions)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"KHASHAM_LEARN_STORE": str(store_path), "TERM": "xterm-256color", "TZ": "UTC",
                **({} if colour else {"NO_COLOR": "1"})})
    child = pexpect.spawn(console_script(), ["stats"], env=env, encoding="utf-8", timeout=30,
                          dimensions=(80, width))
    child.expect(pexpect.EOF)
    raw = child.before.replace("\r\n", "\n")
    drawn = colour and width >= 60
    assert bool(COLOUR.search(raw)) is drawn  # rich colours the drawing
    screen = ANSI.sub("", raw)
    assert ("█" in screen) is drawn and ("#" in screen) is not drawn  # else the plain rendering
    report = json.loads(stats_json(store_path))
    assert_fits_and_words_whole(screen, width, [t["title"] for t in report["by_topic"]]
                                + [f["prompt"] for f in report["weakest_facts"]])
    assert "Accuracy by topic" in screen
    assert f"Reviews due, next 14 days: {sum(report['forecast'])}" in screen
    assert "Days studied: 6 in all; streak: 2 days" in screen
    assert "Recall today: about " in screen


def stats_json(store_path) -> str:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "khasham_learn", "stats", "--json", "--store", str(store_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_stats_json_has_the_drawn_figures(bundled_questions, store_path):
    _, questions = bundled_questions
    week_of_study(store_path, questions)
    report = json.loads(stats_json(store_path))
    assert len(report["forecast"]) == 14 and all(isinstance(n, int) for n in report["forecast"])
    assert report["streak"] == 2 and report["days_studied"] == 6
    assert 0 < report["recall_today"] <= 1
    assert sum(t["answered"] for t in report["by_topic"]) == report["answered"] > 0


def test_answers_only_to_questions_no_longer_in_the_bank_still_draw(bundled_questions, store):
    bank, questions = bundled_questions
    Recorder(store, mode="quiz", schedule=False, clock=Clock(T0))(answered(questions[0]))
    report = progress(bank, questions[1:], store.answers(), store.cards(), T0)
    assert report["answered"] == 1 and report["by_topic"] == []
    assert "  No answers to this bank's questions." in plain_lines(report, 60)
