"""The progress store: real SQLite files, real processes, damaged and foreign files."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from khasham_learn.store import SCHEMA_VERSION, RecordedAnswer, StoreError, open_store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def answer(n: int, correct: bool = True, qid: str = "f.direct") -> RecordedAnswer:
    return RecordedAnswer(qid, T0 + timedelta(seconds=n), f"answer {n}", correct, 1.5, "quiz")


def fill(path: Path, count: int) -> None:
    with open_store(path) as store:
        for n in range(count):
            store.record(answer(n))


def count(path: Path) -> int:
    with open_store(path) as store:
        return len(store.answers())


def test_answers_persist_across_runs(tmp_path):
    path = tmp_path / "deep" / "folder" / "progress.sqlite3"  # a missing data folder is created
    fill(path, 3)
    with open_store(path) as store:
        store.record(RecordedAnswer("g.mc", T0, ["a", "b"], False, 12.25, "review", 1))
        answers = store.answers()
    assert [a.given for a in answers] == ["answer 0", "answer 1", "answer 2", ["a", "b"]]
    assert answers[3] == RecordedAnswer("g.mc", T0, ["a", "b"], False, 12.25, "review", 1)


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The platform data folder, moved into the test's own folder; the store is at its default path."""
    monkeypatch.delenv("KHASHAM_LEARN_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from khasham_learn.store import platform_store_path

    path = platform_store_path()
    if not str(path).startswith(str(tmp_path)):
        pytest.skip("this platform's data folder does not follow XDG_DATA_HOME")
    path.parent.mkdir(parents=True)
    return path.parent


def test_a_garbage_file_at_the_default_path_is_kept_aside_and_a_new_store_started(data_folder):
    path = data_folder / "progress.sqlite3"
    path.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    notices: list[str] = []
    with open_store(notice=notices.append) as store:
        store.record(answer(1))
    (aside,) = data_folder.glob("progress.sqlite3.damaged-*")
    assert aside.read_bytes().startswith(b"this is not a database")  # nothing of it lost
    assert len(notices) == 1 and f"kept it as {aside}" in notices[0] and "started a new one" in notices[0]
    assert count(path) == 1


def test_a_text_file_given_as_the_store_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes(b"# My notes\n\nthe Conoco plant, 7 February\n" * 50)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is not a khasham-learn progress store \\(not an SQLite file\\); it was left untouched"):
        open_store(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]  # nothing moved aside, nothing made beside it


def test_a_text_file_at_store_is_one_line_exit_2_and_untouched(make_bank, tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# My notes\n\nnothing to do with khasham-learn\n")
    before = path.read_bytes()
    for command in (["stats"], ["quiz", "--plain", "--count", "1"]):
        result = khasham(*command, store=path, bank=make_bank(), answers="1\n")
        assert result.returncode == 2, result.stderr
        assert f"{path} is not a khasham-learn progress store" in one_error_line(result)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("notes.md*-*")) and not list(tmp_path.glob("*.damaged-*"))


def damage(path: Path, fraction: float) -> bytes:
    """Cuts the file short, as a full disk or an interrupted copy would."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path.read_bytes()


@pytest.mark.parametrize("where", ["given", "default"])
def test_a_truncated_store_is_kept_aside_and_its_readable_answers_recovered(tmp_path, monkeypatch, where):
    if where == "default":
        monkeypatch.delenv("KHASHAM_LEARN_STORE")
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        path = tmp_path / "data" / "khasham-learn" / "progress.sqlite3"
    else:
        path = tmp_path / "mine.sqlite3"
    fill(path, 300)
    left = damage(path, 0.5)
    notices: list[str] = []
    with open_store(path, notice=notices.append) as store:
        recovered = store.answers()
    (aside,) = path.parent.glob(f"{path.name}.damaged-*")
    assert aside.read_bytes() == left  # the damaged file itself is kept as it was
    assert 0 < len(recovered) < 300
    assert recovered == [answer(n) for n in range(300) if answer(n) in recovered]  # intact, in order
    (line,) = notices
    assert "was damaged" in line and f"kept it as {aside}" in line
    assert f"with the {len(recovered)} answers that could be read (" in line
    assert "any answers given after 2026-03-01 09:0" in line  # the end of the file is gone: uncounted, said so
    with open_store(path) as store:  # the recovered store is a healthy one of ours
        store.record(answer(999))
        assert len(store.answers()) == len(recovered) + 1


def test_a_store_damaged_in_the_middle_keeps_the_answers_after_the_damage(tmp_path):
    path = tmp_path / "mine.sqlite3"
    fill(path, 600)
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        (leaf,) = db.execute("SELECT pageno FROM dbstat WHERE name = 'answers' AND pagetype = 'leaf' "
                             "ORDER BY pageno LIMIT 1 OFFSET 2").fetchone() if _has_dbstat(db) else (None,)
    if leaf is None:
        pytest.skip("this SQLite has no dbstat table")
    data = bytearray(path.read_bytes())
    data[(leaf - 1) * page_size:leaf * page_size] = b"\xff" * page_size  # one leaf of answers garbled
    path.write_bytes(bytes(data))
    notices: list[str] = []
    with open_store(path, notice=notices.append) as store:
        recovered = store.answers()
    assert 0 < len(recovered) < 600
    assert answer(599) in recovered and answer(0) in recovered  # both sides of the damaged page
    assert f"with the {len(recovered)} answers that could be read ({600 - len(recovered)} could not)" in notices[0]
    assert "could not be counted" not in notices[0]  # the table's end was readable: the count is exact


def _has_dbstat(db: sqlite3.Connection) -> bool:
    try:
        db.execute("SELECT 1 FROM dbstat LIMIT 1")
    except sqlite3.Error:
        return False
    return True


def test_a_damaged_sqlite_file_not_marked_ours_is_refused_and_untouched(tmp_path):
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.executemany("INSERT INTO people VALUES (?)", [(f"person {n}" * 20,) for n in range(500)])
    left = damage(path, 0.5)
    with pytest.raises(StoreError, match="not marked as a khasham-learn progress store; it was left untouched"):
        open_store(path)
    assert path.read_bytes() == left
    assert not list(tmp_path.glob("*.damaged-*"))


def test_a_database_marked_ours_without_our_tables_is_refused(tmp_path):
    from khasham_learn.store import APPLICATION_ID

    path = tmp_path / "odd.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE answers (x TEXT)")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 1")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="lacks its answers table; it was left untouched"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_newer_store_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "progress.sqlite3"
    fill(path, 2)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match=rf"written by a newer khasham-learn \(store version {SCHEMA_VERSION + 1}; this one reads up to {SCHEMA_VERSION}\)"):
        open_store(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.damaged-*"))


def test_someone_elses_database_is_refused(tmp_path):
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(StoreError, match="is not a khasham-learn progress store; it was left untouched"):
        open_store(path)


def test_a_data_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreError, match="cannot create the folder for the progress store .*--store PATH"):
        open_store(blocker / "progress.sqlite3")


def test_a_full_disk_keeps_every_earlier_answer(tmp_path):
    path = tmp_path / "progress.sqlite3"
    fill(path, 5)
    big = RecordedAnswer("f.direct", T0, "x" * 200_000, True, 1.0, "quiz")
    with open_store(path) as store:
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own limit on the file's size: the same SQLITE_FULL a full disk gives.
        store.connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError, match="could not save .*the disk is full; every earlier answer is saved"):
            store.record(big)
    assert count(path) == 5


def _writer(path: str, start: int, how_many: int) -> None:
    with open_store(Path(path)) as store:
        for n in range(start, start + how_many):
            store.record(answer(n, qid=f"q{n}.direct"))


def test_two_writers_at_once_keep_every_answer(tmp_path):
    path = tmp_path / "progress.sqlite3"
    fill(path, 0)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), i * 1000, 150)) for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    with open_store(path) as store:
        ids = [a.question_id for a in store.answers()]
    assert len(ids) == 300 and len(set(ids)) == 300



def _first_writer(path: str, start: int, ready: multiprocessing.synchronize.Barrier) -> None:
    ready.wait(30)
    _writer(path, start, 1)


def test_many_processes_creating_one_new_store_at_once_all_succeed(tmp_path):
    # Two quizzes started together on a new store once made one of them refuse the file as "not a
    # khasham-learn store", or fail switching it to WAL; both races ended within milliseconds.
    context = multiprocessing.get_context("fork")
    for round_ in range(10):
        path = tmp_path / f"new-{round_}.sqlite3"
        ready = context.Barrier(8)
        workers = [context.Process(target=_first_writer, args=(str(path), i, ready)) for i in range(8)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        assert [w.exitcode for w in workers] == [0] * 8, f"round {round_}"
        assert count(path) == 8

def test_sigkill_after_n_acknowledged_answers_keeps_n(make_bank, tmp_path):
    """Kill the quiz outright the moment its third feedback is on screen: three answers are saved."""
    path = tmp_path / "killed.sqlite3"
    env = {**os.environ, "KHASHAM_LEARN_BANK": str(make_bank()), "KHASHAM_LEARN_STORE": str(path)}
    # The small bank gives a session two questions (one per fact); answered wrong, --until-right
    # brings them back, so a third answer comes. After each: a blank line goes on past the miss.
    child = subprocess.Popen(
        [sys.executable, "-m", "khasham_learn", "quiz", "--plain", "--seed", "4", "--until-right"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    assert child.stdin and child.stdout
    acknowledged = 0
    child.stdin.write("nothing\n")
    child.stdin.flush()
    while acknowledged < 3:
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else ""
        if line.startswith(("✓", "✗")):
            acknowledged += 1
            if acknowledged < 3:
                child.stdin.write("\nnothing\n")
                child.stdin.flush()
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert count(path) == 3


def test_concurrent_quizzes_on_one_store_keep_all_answers(make_bank, tmp_path):
    path = tmp_path / "shared.sqlite3"
    env = {**os.environ, "KHASHAM_LEARN_BANK": str(make_bank()), "KHASHAM_LEARN_STORE": str(path)}
    runs = [
        subprocess.Popen([sys.executable, "-m", "khasham_learn", "quiz", "--plain", "--count", "8", "--seed", str(s)],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        for s in (1, 2)
    ]
    for run in runs:
        # "1" answers; a blank line goes on after a miss (and is asked again after a right answer)
        _, err = run.communicate("1\n\n" * 8, timeout=60)
        assert run.returncode == 0, err
    assert count(path) == 2 * 2  # the small bank has two facts: a quiz asks one form of each, each saved


# --- hostile store paths, through the real CLI ---------------------------------------------------


def khasham(*args: str, store: Path, bank: Path, answers: str = "",
            prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KHASHAM_LEARN_BANK": str(bank)}
    env.pop("KHASHAM_LEARN_STORE", None)  # --store is what is under test
    return subprocess.run([*(prefix or []), sys.executable, "-m", "khasham_learn", *args, "--store", str(store)],
                          input=answers, capture_output=True, text=True, env=env, timeout=60, check=False)


def bound_by_file_modes() -> list[str]:
    """A command prefix under which file modes bind as they bind a user: root writes through any
    mode, unless it runs without the capability to (the tests run as root on CI)."""
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux), so chmod cannot make a file read-only")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("khasham-learn: error: "), result.stderr
    return lines[0]


def test_store_path_is_a_folder_is_one_line_exit_2(make_bank, tmp_path):
    folder = tmp_path / "progress.sqlite3"
    (folder / "inside").mkdir(parents=True)
    for command in (["stats"], ["quiz", "--plain", "--count", "1"]):
        result = khasham(*command, store=folder, bank=make_bank(), answers="1\n")
        assert result.returncode == 2, result.stderr
        assert "is a folder; give a file path with --store PATH" in one_error_line(result)
    assert [p.name for p in folder.iterdir()] == ["inside"]  # nothing written into it


def test_store_in_a_missing_nested_folder_is_created(make_bank, tmp_path):
    path = tmp_path / "not" / "yet" / "there" / "progress.sqlite3"
    result = khasham("quiz", "--plain", "--count", "2", "--seed", "1", store=path, bank=make_bank(),
                     answers="1\n\n1\n\n")  # a blank line goes on after a miss
    assert result.returncode == 0, result.stderr
    assert f"Saved 2 answers to {path}" in " ".join(result.stdout.split())
    assert count(path) == 2


def test_a_read_only_store_keeps_its_answers_and_says_so_in_one_line(make_bank, tmp_path):
    prefix = bound_by_file_modes()
    path = tmp_path / "progress.sqlite3"
    fill(path, 2)
    with open_store(path) as store:  # an answer to a question the bank has since merged into another
        store.record(answer(2, qid="attackers.mc"))
    path.chmod(0o444)
    try:
        before = path.read_bytes()
        stats = khasham("stats", "--json", store=path, bank=make_bank(), prefix=prefix)
        if stats.returncode == 0:  # reading a read-only store may work; writing must not pretend to
            assert '"answered": 3' in stats.stdout
        else:
            assert stats.returncode == 2 and str(path) in one_error_line(stats)
        for command in (["quiz", "--plain", "--count", "1"], ["review", "--plain"]):
            result = khasham(*command, store=path, bank=make_bank(), answers="1\n", prefix=prefix)
            assert result.returncode == 2, result.stdout
            assert "[1/" not in result.stdout  # refused before the first question, not after its answer
            message = one_error_line(result)
            assert str(path) in message and "it is read-only; nothing was asked, so nothing is lost" in message
        assert path.read_bytes() == before
    finally:
        path.chmod(0o644)
    assert count(path) == 3


def test_merged_questions_bring_every_answer_and_one_schedule(tmp_path):
    from khasham_learn.scheduling import advance
    from khasham_learn.store import ScheduledCard

    path = tmp_path / "progress.sqlite3"
    with open_store(path) as store:
        store.record(answer(1, qid="f.mc"), advance(None, "f.mc", 3, T0, 2.0))
        store.record(answer(2, qid="f.direct"), advance(None, "f.direct", 1, T0 + timedelta(days=1), 2.0))
        store.record(answer(3, qid="g.cloze"), advance(None, "g.cloze", 3, T0 + timedelta(days=2), 2.0))
        store.record(answer(4, qid="h.cloze"))  # practised, never scheduled
        store.record(answer(5, qid="k.direct"), advance(None, "k.direct", 3, T0 + timedelta(days=3), 2.0))
        store.record(answer(6, qid="k.mc"), advance(None, "k.mc", 3, T0 + timedelta(days=4), 2.0))
        before = store.cards()
        moved = store.move_questions({"f.mc": "f.direct", "g.cloze": "g.tf", "h.cloze": "h.tf",
                                      "k.mc": "k.direct", "never.mc": "never.direct"})
        answers = store.answers()
        cards = store.cards()
    assert moved == 4 + 3  # four answer rows, three cards (one moved, two merged)
    assert [a.question_id for a in answers] == ["f.direct", "f.direct", "g.tf", "h.tf", "k.direct", "k.direct"]
    assert [a.given for a in answers] == [f"answer {n}" for n in range(1, 7)]  # every row kept, in order
    assert set(cards) == {"f.direct", "g.tf", "k.direct"}
    # Both had a schedule: the one reviewed last is kept, introduced when the first of them was.
    assert cards["f.direct"].card == before["f.direct"].card and cards["f.direct"].introduced_at == T0
    assert cards["k.direct"].card == before["k.mc"].card
    assert cards["k.direct"].introduced_at == T0 + timedelta(days=3)
    assert cards["g.tf"].card == before["g.cloze"].card and cards["g.tf"].due == before["g.cloze"].due
    assert isinstance(cards["g.tf"], ScheduledCard)
    with open_store(path) as store:
        assert store.move_questions({"f.mc": "f.direct"}) == 0  # done once; nothing to move again


def test_a_quiz_moves_progress_on_a_merged_question_to_the_kept_one(make_bank, tmp_path):
    from khasham_learn.generation import generate
    from khasham_learn.loading import open_bank

    root = make_bank()
    path = tmp_path / "progress.sqlite3"
    with open_store(path) as store:  # an answer given to the multiple-choice copy an older version asked
        store.record(answer(1, qid="attackers.mc"))
    assert "attackers.mc" not in {q.id for q in generate(open_bank(root))}
    env = {**os.environ, "KHASHAM_LEARN_BANK": str(root), "KHASHAM_LEARN_STORE": str(path)}
    run = subprocess.run([sys.executable, "-m", "khasham_learn", "stats", "--json"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    with open_store(path) as store:
        assert [a.question_id for a in store.answers()] == ["attackers.direct"]


# The store as khasham-learn wrote it before "I was right" (store version 1).
VERSION_1_SCHEMA = """
CREATE TABLE answers (id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, answered_at TEXT NOT NULL,
    given TEXT NOT NULL, correct INTEGER NOT NULL, seconds REAL NOT NULL, mode TEXT NOT NULL, rating INTEGER);
CREATE INDEX answers_question ON answers (question_id);
CREATE TABLE cards (question_id TEXT PRIMARY KEY, card TEXT NOT NULL, due TEXT NOT NULL, introduced_at TEXT NOT NULL);
PRAGMA application_id = 1263029326;
PRAGMA user_version = 1;
"""


def version_1_store(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as db:
        db.executescript(VERSION_1_SCHEMA)
        db.executemany("INSERT INTO answers (question_id, answered_at, given, correct, seconds, mode, rating) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(f"q{n}.direct", (T0 + timedelta(seconds=n)).isoformat(), f'"answer {n}"', n % 2, 1.5,
                         "review" if n % 3 else "quiz", 3 if n % 3 else None) for n in range(rows)])
    db.close()


def test_a_version_1_store_is_migrated_keeping_every_answer(tmp_path):
    path = tmp_path / "progress.sqlite3"
    version_1_store(path, 7)
    with open_store(path) as store:
        answers = store.answers()
        assert [(a.question_id, a.given, a.correct, a.mode, a.rating) for a in answers] == [
            (f"q{n}.direct", f"answer {n}", bool(n % 2), "review" if n % 3 else "quiz", 3 if n % 3 else None)
            for n in range(7)]
        assert not any(a.overridden for a in answers) and store.overrides() == []
        store.record(answer(8))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    assert count(path) == 8


def test_an_overruled_answer_counts_as_right_and_is_listed(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with open_store(path) as store:
        store.record(answer(1, correct=True))
        wrong = store.record(answer(2, correct=False, qid="g.direct"))
        store.overrule(wrong)
        (overruled,) = store.overrides()
        assert overruled.question_id == "g.direct" and overruled.given == "answer 2"
        assert overruled.correct and overruled.overridden
        assert [a.overridden for a in store.answers()] == [False, True]


def test_a_damaged_version_1_store_gives_back_its_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from khasham_learn.store import platform_store_path

    path = platform_store_path()
    path.parent.mkdir(parents=True)
    version_1_store(path, 300)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 4096 // 2])  # a torn last page
    with open_store(path) as store:
        recovered = store.answers()
    assert list(path.parent.glob("*.damaged-*"))  # it was taken for damaged, and recovered from
    assert 0 < len(recovered) <= 300 and not any(a.overridden for a in recovered)
    assert recovered[0].given == "answer 0"
