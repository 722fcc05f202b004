"""Bank files are read only from regular files within a size cap: a folder, FIFO, device, symlink
loop, unreadable or oversized file in a bank file's place each gets its own message at the file,
through check_bank and the CLI, and never a silent default (issue 17, part 1).

Every check runs in a child process with a timeout and a memory limit: before the fix a FIFO made
check wait forever and /dev/zero grew it by gigabytes, and a test must fail, not hang or swap.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from khasham_learn.bankfiles import MAX_BANK_FILE_BYTES
from khasham_learn.yamlread import MAX_PROBLEMS_PER_FILE, MAX_VALUES

# The files a bank is read from, and where each sits in the bank folder.
BANK_FILES = ("bank.yaml", "sources.yaml", "questions.yaml", "facts/battle.yaml")

BANK_YAML = "title: The battle\ntopics: [battle]\n"
QUESTIONS_YAML = "questions:\n  - id: start-time.direct\n    prompt: At what time did the attack begin?\n"

# What each kind of non-file is said to be.
SAID = {
    "folder": "this is a folder, not a plain file",
    "fifo": "this is a FIFO (named pipe), not a plain file",
    "device": "this is a device, not a plain file",
    "loop": "this is a symlink loop",
    "oversized": f"bank files and report texts are at most {MAX_BANK_FILE_BYTES // 2**20} MB",
    "unreadable": "permission denied",
}

CHECK_BANK = """\
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))  # /dev/zero read whole must fail, not swap
from khasham_learn.checking import check_bank
sources = Path(sys.argv[2]) if len(sys.argv) > 2 else None
print(json.dumps([p.to_dict() for p in check_bank(Path(sys.argv[1]), sources)]))
"""


def bound_by_file_modes() -> list[str]:
    """As in test_store.py: root reads through any mode unless it runs without the capability to."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux), so chmod cannot make a file unreadable")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def replace_with(path: Path, kind: str) -> list[str]:
    """Put a `kind` where the file at path was; the command prefix the case needs to bind."""
    if path.exists():
        path.unlink()
    if kind == "folder":
        (path / "inside.yaml").mkdir(parents=True)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero")
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path.name)  # a link to itself: ELOOP
    elif kind == "oversized":
        with open(path, "wb") as f:  # sparse: costs no disk
            f.write(b"title: x\n")
            f.truncate(MAX_BANK_FILE_BYTES + 1)
    elif kind == "unreadable":
        path.write_text("title: x\n", encoding="utf-8")
        path.chmod(0)
        return bound_by_file_modes()
    return []


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("KHASHAM_LEARN_BANK", None)
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=60, check=False)


def check_bank_in_child(root: Path, prefix: list[str], sources: Path | None = None) -> list[dict[str, object]]:
    result = run([*prefix, sys.executable, "-c", CHECK_BANK, str(root), *([str(sources)] if sources else [])],
                 cwd=root.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def cli(prefix: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([*prefix, sys.executable, "-m", "khasham_learn", *args], cwd=cwd)


@pytest.fixture
def full_bank(make_bank) -> Path:
    root = make_bank(questions=QUESTIONS_YAML)
    (root / "bank.yaml").write_text(BANK_YAML, encoding="utf-8")
    return root


@pytest.mark.parametrize("kind", list(SAID))
@pytest.mark.parametrize("name", BANK_FILES)
def test_a_bank_file_that_is_not_a_readable_regular_file_is_an_error_at_it(full_bank, name, kind):
    path = full_bank / name
    prefix = replace_with(path, kind)
    shown = f"bank/{name}"
    problems = check_bank_in_child(full_bank, prefix)
    at_file = [p for p in problems if p["file"] == shown]
    assert [(p["line"], p["column"], p["severity"]) for p in at_file] == [(1, 1, "error")], problems
    message = str(at_file[0]["message"])
    assert SAID[kind] in message
    assert "missing" not in message and "no edits" not in message
    if kind == "unreadable":
        assert shown in message  # it names the file it cannot read

    check = cli(prefix, "check", "--bank", "bank", cwd=full_bank.parent)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Traceback" not in check.stderr
    lines = [line for line in check.stdout.splitlines() if line.startswith(f"{shown}:")]
    assert lines == [f"{shown}:1:1: error: {message}"]

    # a command that uses the bank (through the cache's key) stops there, in one line
    questions = cli(prefix, "questions", "--bank", "bank", cwd=full_bank.parent)
    assert questions.returncode == 1, questions.stdout
    assert len(questions.stderr.splitlines()) == 1 and "Traceback" not in questions.stderr, questions.stderr
    if name != "sources.yaml":  # without sources, each claim's unknown source comes first (facts/ < sources.yaml)
        assert questions.stderr.startswith(f"khasham-learn: {shown}:1:1: error: {message}")


def test_a_symlink_to_a_regular_file_is_read(full_bank):
    real = full_bank.parent / "elsewhere.yaml"
    (full_bank / "bank.yaml").rename(real)
    (full_bank / "bank.yaml").symlink_to(real)
    assert check_bank_in_child(full_bank, []) == []


@pytest.mark.parametrize("kind", ["folder", "fifo", "loop", "oversized"])
def test_a_report_text_that_is_not_a_regular_file_is_an_error(full_bank, texts_dir, kind):
    replace_with(texts_dir / "a.txt", kind)
    problems = check_bank_in_child(full_bank, [], texts_dir)
    said = [p for p in problems if SAID[kind] in str(p["message"])]
    assert [(p["file"], p["line"]) for p in said] == [("texts/a.txt", 1)], problems
    result = cli([], "check", "--bank", "bank", "--sources", str(texts_dir), cwd=full_bank.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert sum(SAID[kind] in line for line in result.stdout.splitlines()) == 1


def test_an_unreadable_facts_folder_says_permission_denied_not_that_topics_lack_files(full_bank):
    prefix = bound_by_file_modes()
    facts = full_bank / "facts"
    facts.chmod(0)
    try:
        problems = check_bank_in_child(full_bank, prefix)
        result = cli(prefix, "check", "--bank", "bank", cwd=full_bank.parent)
    finally:
        facts.chmod(0o755)
    messages = [str(p["message"]) for p in problems]
    assert "cannot read the folder bank/facts: permission denied" in messages
    assert not any("has no file" in m or "no fact files" in m for m in messages), messages
    assert result.returncode == 1
    assert "bank/facts:1:1: error: cannot read the folder bank/facts: permission denied" in result.stdout.splitlines()


def test_a_facts_path_that_is_a_file_says_so(full_bank):
    shutil.rmtree(full_bank / "facts")
    (full_bank / "facts").write_text("title: x\n", encoding="utf-8")
    messages = [str(p["message"]) for p in check_bank_in_child(full_bank, [])]
    assert any("bank/facts is not a folder" in m for m in messages), messages


def test_a_fifo_among_the_bank_files_does_not_stop_the_cache_key(full_bank):
    from khasham_learn.cache import bank_key

    os.mkfifo(full_bank / "facts" / "stray.yaml")
    result = run([sys.executable, "-c", "import sys; from pathlib import Path; from khasham_learn.cache import bank_key;"
                  " print(bank_key(Path(sys.argv[1])))", str(full_bank)], cwd=full_bank.parent)
    assert result.returncode == 0 and len(result.stdout.strip()) == 64, result.stderr
    assert bank_key(full_bank) == result.stdout.strip()


def test_two_megabytes_of_one_line_repeated_is_refused_before_it_is_composed(full_bank):
    # Before, 2 MB of '  - id: a' made 800,001 problems (18 s, 500 MB); now one, at the value past the limit.
    (full_bank / "facts" / "battle.yaml").write_text("title: x\nfacts:\n" + "  - id: a\n" * 200_000, encoding="utf-8")
    problems = [p for p in check_bank_in_child(full_bank, []) if p["file"] == "bank/facts/battle.yaml"]
    # 5 values before the list, 3 a line: value 250,001 is the 'a' of item 83,332, on line 83,334
    assert MAX_VALUES == 250_000
    assert [(p["line"], p["column"]) for p in problems] == [(83_334, 9)], problems
    assert f"the file has more than {MAX_VALUES:,} values" in str(problems[0]["message"])


def test_a_file_with_hundreds_of_thousands_of_problems_lists_a_bounded_number(full_bank):
    (full_bank / "facts" / "battle.yaml").write_text("title: x\nfacts:\n" + "  - id: a\n" * 40_000, encoding="utf-8")
    problems = [p for p in check_bank_in_child(full_bank, []) if p["file"] == "bank/facts/battle.yaml"]
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1  # 160,000 before
    assert "more than 500 problems in this file" in str(problems[0]["message"])


def test_a_long_file_failing_at_its_end_is_described_at_its_end(full_bank):
    # past what the pure-Python parser re-reads whole (256 KB): the failure at its line, and what
    # could be read of the rest checked too, up to the limit of problems a file gets
    junk = ("title: " + "x" * 93 + "\n") * 5_000 + "title"
    (full_bank / "facts" / "battle.yaml").write_text(junk, encoding="utf-8")
    problems = [p for p in check_bank_in_child(full_bank, []) if p["file"] == "bank/facts/battle.yaml"]
    syntax = [(p["line"], p["column"]) for p in problems if str(p["message"]).startswith("YAML syntax:")]
    assert syntax == [(5_001, 6)], problems
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 2
    assert {str(p["message"]) for p in problems[1:-1]} == {"'title' appears twice in a facts file; keep one"}
