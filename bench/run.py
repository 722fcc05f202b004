"""The bench: one command, a table of our times beside baselines measured in the same run.

    python bench/run.py           banks of 100, 2,000 and 20,000 questions, median of 5 runs (21 for start-up)
    python bench/run.py --quick   100 and 2,000 questions, one run (11 for start-up); CI runs this so the
                                  bench cannot rot

Every measurement runs in a fresh process, so each has its own peak memory (max RSS) and no run
warms the next one's caches. Ours and the baseline run in turns, so a machine that slows midway
slows both. Times are medians; ratios are ours over the baseline. Targets are in
docs/performance.md; nothing here asserts, it reports.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import facts_for, write_bank  # noqa: E402

EPOCH = "1700000000"


# ---------------------------------------------------------------- what a child process measures

def child(task: str, args: list[str]) -> float:
    """Runs one task in this (fresh) process and returns the seconds its timed part took."""
    root = Path(args[0]) if args else None
    if task in ("parse", "parse-paused"):
        import gc

        import yaml

        if task == "parse-paused":  # as check runs: see khasham_learn/bulk.py
            gc.disable()
        files = sorted(root.rglob("*.yaml"))  # type: ignore[union-attr]
        start = time.perf_counter()
        for f in files:
            with open(f, encoding="utf-8") as stream:
                yaml.load(stream, Loader=yaml.CSafeLoader)
        return time.perf_counter() - start
    if task in ("junk-check", "junk-compose"):
        return _junk(task, root)  # type: ignore[arg-type]
    if task == "check":
        from khasham_learn.checking import check_bank

        start = time.perf_counter()
        problems = check_bank(root, None)  # type: ignore[arg-type]
        took = time.perf_counter() - start
        assert not problems, problems[:3]
        return took
    from khasham_learn.generation import generate
    from khasham_learn.loading import open_bank

    bank = open_bank(root)  # type: ignore[arg-type]
    if task == "generate":
        start = time.perf_counter()
        generate(bank)
        return time.perf_counter() - start
    questions = generate(bank)
    if task == "export":
        import genanki  # noqa: F401  the baseline imports it before its timer too: both time the writing

        from khasham_learn.exports import export

        os.environ["SOURCE_DATE_EPOCH"] = EPOCH
        start = time.perf_counter()
        export("anki", bank, questions, Path(args[1]))
        return time.perf_counter() - start
    if task in ("genanki", "genanki-bare"):
        return _genanki_alone(bank, questions, Path(args[1]), bare=task == "genanki-bare")
    if task in ("answer", "answer-nostore"):
        return _answer_to_next(questions, int(args[1]), Path(args[2]) if task == "answer" else None)
    raise SystemExit(f"unknown task {task}")


# Pathological input, about 2 MB a file: each bank file gets a problem, and the cost of checking it
# must stay linear (issue 17). Each is a facts file; the baseline composes the same text with libyaml.
JUNK = {
    "repeated": "title: x\nfacts:\n" + "  - id: a\n" * 200_000,  # 600,000 values, 800,000 problems
    "broken at its end": ("title: " + "x" * 93 + "\n") * 20_000 + "title",  # libyaml fails after 2 MB
}


def write_junk(root: Path, name: str) -> Path:
    (root / "facts").mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text("sources:\n  - {id: a, label: a, headline: a, file: a.txt, kind: report}\n")
    (root / "facts" / "junk.yaml").write_text(JUNK[name], encoding="utf-8")
    return root


def _junk(task: str, root: Path) -> float:
    if task == "junk-compose":
        import yaml

        text = (root / "facts" / "junk.yaml").read_text(encoding="utf-8")
        start = time.perf_counter()
        try:
            yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
        return time.perf_counter() - start
    from khasham_learn.checking import check_bank

    start = time.perf_counter()
    problems = check_bank(root)
    took = time.perf_counter() - start
    assert problems, "the junk passed the check"
    return took


def _genanki_alone(bank, questions, out: Path, bare: bool = False) -> float:  # type: ignore[no-untyped-def]
    """genanki writing the same notes (fields rendered beforehand, outside the timer): the floor.
    `bare`: without what genanki does by default and our export skips (its search of every field
    for unescaped markup, and SQLite's syncs to disk), so the row beside it shows our own work."""
    import genanki

    from khasham_learn.exports import anki

    kept, _ = anki.without_sibling_giveaways(questions)
    rendered = []
    for note in anki.fact_notes(kept):
        slots = {q.id: n for n, q in enumerate(note.questions[:anki.SLOTS])}
        rendered.append((note, anki.note_fields(note, slots, anki._text(bank.topic_title(note.topic))), anki.note_tags(note)))
    start = time.perf_counter()
    templates = [{"name": f"F{n}", "qfmt": anki.front_template(n), "afmt": anki.back_template(n)}
                 for n in range(1, anki.SLOTS + 1)]
    model = genanki.Model(anki.MODEL_ID, anki.MODEL_NAME, fields=[{"name": n} for n in anki.FIELDS],
                          templates=templates, css=anki.CSS)
    note_class = _unchecked_note_class(genanki) if bare else genanki.Note
    decks: dict[str, genanki.Deck] = {}
    for note, fields, tags in rendered:
        deck = decks.get(note.topic) or decks.setdefault(note.topic, genanki.Deck(anki.deck_id(note.topic), note.topic))
        deck.add_note(note_class(model=model, fields=fields, tags=tags, guid=genanki.guid_for(note.key, model.name)))
    package = genanki.Package(list(decks.values()))
    if bare:
        _write_unsynced(package, out)
    else:
        package.write_to_file(str(out), timestamp=int(EPOCH))
    return time.perf_counter() - start


def _unchecked_note_class(genanki):  # type: ignore[no-untyped-def]
    class Note(genanki.Note):  # type: ignore[misc]
        def _check_invalid_html_tags_in_fields(self) -> None:
            pass

    return Note


def _write_unsynced(package, out: Path) -> None:  # type: ignore[no-untyped-def]
    """genanki's Package.write_to_file with the scratch collection unsynced, as our export writes it."""
    import itertools
    import sqlite3
    import zipfile

    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "collection.anki2")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA journal_mode = MEMORY")
        package.write_to_db(conn.cursor(), int(EPOCH), itertools.count(int(EPOCH) * 1000))
        conn.commit()
        conn.close()
        with zipfile.ZipFile(out, "w") as outzip:
            outzip.write(Path(tmp) / "collection.anki2", "collection.anki2")
            outzip.writestr("media", "{}")


def _answer_to_next(questions, count: int, store_path: Path | None) -> float:  # type: ignore[no-untyped-def]
    """Seconds from an answer typed to the next question shown: grading, the store's durable
    write, the feedback, and asking the next one. The mean over `count` answers."""
    from khasham_learn.preview import right_reply
    from khasham_learn.quiz import PlainPrompter, Session, pick, run

    chosen = pick(questions, count, "bench")
    replies = io.StringIO("".join(right_reply(q) + "\n" for q in chosen))
    prompter = PlainPrompter(stdin=replies, stdout=io.StringIO())
    on_answer = None
    store = None
    before = 0
    if store_path is not None:
        from khasham_learn.scheduling import Recorder
        from khasham_learn.store import open_store

        store = open_store(store_path)
        before = len(store.answers())
        on_answer = Recorder(store, mode="quiz", schedule=False)
    start = time.perf_counter()
    run(Session(chosen), prompter, on_answer=on_answer)
    took = time.perf_counter() - start
    if store is not None:
        assert len(store.answers()) == before + count
        store.close()
    return took / count


# ---------------------------------------------------------------- the parent: processes and the table

@dataclass
class Measure:
    seconds: float
    peak_mb: float


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, float]:
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024  # kilobytes on Linux


def run_child(task: str, *args: str) -> Measure:
    proc = subprocess.Popen([sys.executable, __file__, "--child", task, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    code, peak = _wait(proc)
    if code != 0:
        raise SystemExit(f"bench task {task} failed:\n{err.decode()}")
    return Measure(json.loads(out)["seconds"], peak)


def run_command(argv: list[str], env: dict[str, str]) -> Measure:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read()  # type: ignore[union-attr]
    code, peak = _wait(proc)
    took = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{err.decode()}")
    return Measure(took, peak)


def quiz_to_first_question(script: str, env: dict[str, str]) -> Measure:
    """`khasham-learn quiz` in a pseudo-terminal (so questionary is loaded), until its first question shows."""
    import pty

    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen([script, "quiz", "--count", "1", "--seed", "1"], stdin=slave, stdout=slave, stderr=slave,
                            env={**env, "TERM": "xterm"}, close_fds=True)
    os.close(slave)
    seen = b""
    try:
        while b"[1/1]" not in seen:
            chunk = os.read(master, 4096)
            if not chunk:
                raise SystemExit(f"quiz ended before its first question:\n{seen.decode(errors='replace')}")
            seen += chunk
        took = time.perf_counter() - start
    finally:
        proc.kill()
        _, peak = _wait(proc)
        os.close(master)
    return Measure(took, peak)


def median(measures: list[Measure]) -> Measure:
    return Measure(statistics.median(m.seconds for m in measures), max(m.peak_mb for m in measures))


def paired(repeats: int, ours: Callable[[], Measure], base: Callable[[], Measure]) -> tuple[Measure, Measure]:
    """Ours and the baseline taken in turns, so a machine that slows down midway slows both alike."""
    runs = [(ours(), base()) for _ in range(repeats)]
    return median([o for o, _ in runs]), median([b for _, b in runs])


@dataclass
class Row:
    what: str
    size: str
    ours: Measure
    base: Measure
    base_name: str
    target: str
    met: bool | None
    scale: float = 1.0  # shown times are multiplied by this (per 1,000 facts)


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(rows: list[Row]) -> str:
    head = ("measure", "bank", "ours", "baseline", "ratio", "target", "met", "peak MB ours / base")
    lines = [head]
    for r in rows:
        ratio = r.ours.seconds / r.base.seconds if r.base.seconds else float("inf")
        lines.append((
            r.what, r.size, fmt_time(r.ours.seconds * r.scale), f"{fmt_time(r.base.seconds * r.scale)} ({r.base_name})",
            f"{ratio:.2f}x", r.target, {True: "yes", False: "NO", None: "-"}[r.met],
            f"{r.ours.peak_mb:.0f} / {r.base.peak_mb:.0f}",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small banks, one run each (for CI)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps({"seconds": child(options.child[0], options.child[1:])}))
        return

    repeats = 1 if options.quick else 5
    startup_repeats = 11 if options.quick else 21  # start-up is short and noisy, and cheap to repeat
    sizes = (100, 2000) if options.quick else (100, 2000, 20000)
    script = shutil.which("khasham-learn", path=str(Path(sys.executable).parent)) or shutil.which("khasham-learn")
    if not script:
        raise SystemExit("install the package first (the README's command): khasham-learn is not on PATH")
    # pip compiles an installed package's bytecode; an editable checkout under PYTHONDONTWRITEBYTECODE
    # would otherwise compile every changed module on every start-up measured.
    import compileall

    import khasham_learn

    compileall.compile_dir(str(Path(khasham_learn.__file__).parent), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="khasham-bench-"))
    env = {**os.environ, "KHASHAM_LEARN_STORE": str(work / "store.sqlite3"), "NO_COLOR": "1",
           "KHASHAM_LEARN_CACHE": str(work / "cache")}  # the first quiz fills it; the median run is a hit
    rows: list[Row] = []

    def ratio_row(what: str, size: str, measures: tuple[Measure, Measure], base_name: str, limit: float,
                  extra: str = "", extra_ok: bool = True) -> None:
        ours, base = measures
        ok = ours.seconds <= limit * base.seconds and extra_ok
        rows.append(Row(what, size, ours, base, base_name, f"<= {limit}x{extra}", ok))

    try:
        ratio_row("start-up: --help", "-", paired(startup_repeats, partial(run_command, [script, "--help"], env),
                                                  partial(run_command, [sys.executable, "-c", "import click"], env)),
                  "import click", 1.2)
        questionary = partial(run_command, [sys.executable, "-c", "import questionary"], env)
        first = quiz_to_first_question(script, env)  # an empty cache: what the first quiz after an edit costs
        rows.append(Row("start-up: quiz, bank just edited", "bundled", first, questionary(), "import questionary",
                        "-", None))
        ratio_row("start-up: quiz to 1st question", "bundled",
                  paired(startup_repeats, partial(quiz_to_first_question, script, env), questionary),
                  "import questionary", 1.5)
        for name in JUNK:  # the targets hold for any junk: under 2 s and 200 MB
            root = str(write_junk(work / f"junk-{len(rows)}", name))
            ours, base = paired(repeats, partial(run_child, "junk-check", root), partial(run_child, "junk-compose", root))
            rows.append(Row(f"check, 2 MB of junk: {name}", "1 file", ours, base, "yaml C compose", "< 2 s, < 200 MB",
                            ours.seconds < 2 and ours.peak_mb < 200))
        from khasham_learn.paths import bundled_bank

        bundled = str(bundled_bank())
        answer, bare = paired(repeats, partial(run_child, "answer", bundled, "30", str(work / "answers.sqlite3")),
                              partial(run_child, "answer-nostore", bundled, "30"))
        rows.append(Row("answer to next question (store write)", "bundled", answer, bare, "same, no store",
                        "< 30 ms", answer.seconds < 0.030))
        for questions in sizes:
            root = write_bank(work / f"bank-{questions}", facts_for(questions))
            label = f"{questions:,} q"
            big = questions >= 20000
            check, parse = paired(repeats, partial(run_child, "check", str(root)), partial(run_child, "parse", str(root)))
            if big:  # the targets are set at 20,000 questions; smaller banks are for the trend
                ratio_row("check", label, (check, parse), "yaml C-loader", 1.5, " and < 2 s, < 300 MB",
                          check.seconds < 2 and check.peak_mb < 300)
                paused = median([run_child("parse-paused", str(root)) for _ in range(repeats)])
                rows.append(Row("check, baseline also without the cycle collector", label, check, paused,
                                "yaml C-loader, gc off", "-", None))
            else:
                rows.append(Row("check", label, check, parse, "yaml C-loader", "-", None))
            generation = median([run_child("generate", str(root)) for _ in range(repeats)])
            per_thousand = 1000 / facts_for(questions)
            rows.append(Row("generation per 1,000 facts", label, generation, parse, "yaml C-loader", "-", None,
                            scale=per_thousand))
            deck = str(work / f"ours-{questions}.apkg")
            run_child("export", str(root), deck)  # every timed export rebuilds over the last, as decks/ is rebuilt
            export = paired(repeats, partial(run_child, "export", str(root), deck),
                            partial(run_child, "genanki", str(root), str(work / f"genanki-{questions}.apkg")))
            if big:
                ratio_row("Anki export, over the last deck", label, export, "genanki alone", 1.3)
                bare = median([run_child("genanki-bare", str(root), str(work / f"bare-{questions}.apkg"))
                               for _ in range(repeats)])
                rows.append(Row("Anki export, baseline also unchecked, unsynced", label, export[0], bare,
                                "genanki, no markup check or sync", "-", None))
            else:
                rows.append(Row("Anki export, over the last deck", label, *export, "genanki alone", "-", None))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"khasham-learn bench ({'quick' if options.quick else f'median of {repeats}'}), "
          f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores")
    print(table(rows))
    missed = [r for r in rows if r.met is False]
    print(f"\n{len(rows) - len(missed)} of {len(rows)} rows meet their target" if not missed else
          f"\ntargets missed: {', '.join(f'{r.what} ({r.size})' for r in missed)}")


if __name__ == "__main__":
    main()
