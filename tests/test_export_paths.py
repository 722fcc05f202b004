"""`export -o PATH` treats PATH as Unix tools do (issue 17, part 4).

`-` is stdout; a character device or FIFO is opened and written, never replaced; a symlink is
written through; only a regular file or a new path gets the atomic temp-and-rename; errors name
the user's path; nothing under /dev is created or replaced. The CLI runs in a real subprocess, so
stdout, /dev/stdout, /dev/full and /dev/null are the real ones.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="devices and FIFOs are POSIX")

EPOCH = "1700000000"  # a fixed build time: every export of the same bank gives the same bytes
ONE_FILE_TEXT = ("gift", "csv")


def run(bank: Path, fmt: str, out: str, cwd: Path, stdout: int | object = subprocess.PIPE,
        extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "khasham_learn", "export", fmt, "--bank", str(bank), "-o", out, *extra],
                          cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=120)


def file_name(stem: str, fmt: str) -> str:
    """A file name with the format's own suffix (an Anki deck must end in .apkg)."""
    return f"{stem}{__import__(f'khasham_learn.exports.{fmt}', fromlist=['SUFFIX']).SUFFIX}"


def as_file(bank: Path, fmt: str, folder: Path) -> bytes:
    """The bytes of an export to a plain new file, to compare the other destinations with."""
    folder.mkdir(exist_ok=True)
    out = folder / file_name("plain", fmt)
    done = run(bank, fmt, str(out), folder)
    assert done.returncode == 0, done.stderr.decode()
    return out.read_bytes()


def one_line_error(done: subprocess.CompletedProcess[bytes]) -> str:
    err = done.stderr.decode()
    assert done.returncode != 0
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def hidden_leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture
def bank(make_bank) -> Path:
    return make_bank()


@pytest.mark.parametrize("fmt", ONE_FILE_TEXT)
def test_dash_writes_the_export_to_stdout_and_no_file_named_dash(fmt: str, bank: Path, tmp_path: Path) -> None:
    expected = as_file(bank, fmt, tmp_path / "plain")
    done = run(bank, fmt, "-", tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == expected  # and nothing else: no "wrote -" line mixed into the export
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(("fmt", "why"), [("anki", "zip"), ("markdown", "two files"), ("html", "two files")])
def test_dash_is_refused_with_the_reason_where_stdout_cannot_hold_the_export(fmt: str, why: str, bank: Path,
                                                                              tmp_path: Path) -> None:
    done = run(bank, fmt, "-", tmp_path)
    message = one_line_error(done)
    assert f"cannot write the {fmt} export to stdout" in message and why in message
    assert done.stdout == b""
    assert not (tmp_path / "-").exists() and not list(tmp_path.glob("*-answers*"))


def test_dev_full_fails_with_no_space_and_stays_a_device(bank: Path, tmp_path: Path) -> None:
    done = run(bank, "gift", "/dev/full", tmp_path)
    message = one_line_error(done)
    assert message == "khasham-learn: error: cannot write to /dev/full: no space left on device"
    assert b"wrote" not in done.stdout
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


@pytest.mark.parametrize("fmt", ["gift", "anki"])
def test_dev_null_is_written_and_stays_a_device(fmt: str, bank: Path, tmp_path: Path) -> None:
    done = run(bank, fmt, "/dev/null", tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert not [name for name in os.listdir("/dev") if name.startswith(".null.")]


@pytest.mark.parametrize("fmt", ONE_FILE_TEXT)
def test_dev_stdout_writes_to_stdout_and_leaves_the_link(fmt: str, bank: Path, tmp_path: Path) -> None:
    expected = as_file(bank, fmt, tmp_path / "plain")
    link_before = os.readlink("/dev/stdout")
    piped = run(bank, fmt, "/dev/stdout", tmp_path)
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout == expected
    # stdout redirected to a file, as `> sheet.gift` does: the export lands in that file, by stdout
    redirected = tmp_path / "redirected"
    with open(redirected, "wb") as out:
        done = run(bank, fmt, "/dev/stdout", tmp_path, stdout=out)
    assert done.returncode == 0, done.stderr.decode()
    assert redirected.read_bytes() == expected
    assert os.path.islink("/dev/stdout") and os.readlink("/dev/stdout") == link_before


def read_fifo(fifo: Path, into: list[bytes]) -> threading.Thread:
    def drain() -> None:
        with open(fifo, "rb") as f:
            into.append(f.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    return reader


@pytest.mark.parametrize("fmt", ONE_FILE_TEXT)
def test_a_fifo_is_written_to_not_replaced(fmt: str, bank: Path, tmp_path: Path) -> None:
    expected = as_file(bank, fmt, tmp_path / "plain")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = read_fifo(fifo, received)
    done = run(bank, fmt, str(fifo), tmp_path)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert received == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not hidden_leftovers(tmp_path)


def test_an_anki_deck_goes_through_a_fifo_whole(bank: Path, tmp_path: Path) -> None:
    """An Anki export reads the last deck to keep its review times: a FIFO must not be read (it would wait)."""
    expected = as_file(bank, "anki", tmp_path / "plain")
    fifo = tmp_path / "deck.apkg"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = read_fifo(fifo, received)
    done = run(bank, "anki", str(fifo), tmp_path)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert received == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("fmt", ["gift", "anki"])
def test_a_symlink_is_written_through_and_stays_a_link(fmt: str, bank: Path, tmp_path: Path) -> None:
    expected = as_file(bank, fmt, tmp_path / "plain")
    decks, links = tmp_path / "decks", tmp_path / "links"
    decks.mkdir()
    links.mkdir()
    target = decks / file_name("real", fmt)
    target.write_bytes(b"the old file")
    link = links / file_name("deck", fmt)
    link.symlink_to(target)
    done = run(bank, fmt, str(link), tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    manifest = [f"wrote {link.with_suffix('.manifest.json')}\n"] if fmt == "anki" else []  # beside the name given
    assert done.stdout.decode() == "".join([f"wrote {link}\n", *manifest])
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == expected
    assert not hidden_leftovers(decks) and not hidden_leftovers(links)


def test_a_symlink_to_a_new_file_creates_the_target(bank: Path, tmp_path: Path) -> None:
    target, link = tmp_path / "new.gift", tmp_path / "link.gift"
    link.symlink_to(target)
    done = run(bank, "gift", str(link), tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert link.is_symlink() and target.is_file() and target.read_bytes().startswith(b"// ")


def test_an_anki_rebuild_through_a_symlink_keeps_the_last_decks_collection(bank: Path, tmp_path: Path) -> None:
    """The rebuild over the last deck (test_export_anki.py) reads the deck through the link too."""
    target, link = tmp_path / "real.apkg", tmp_path / "link.apkg"
    link.symlink_to(target)
    for _ in range(2):
        done = run(bank, "anki", str(link), tmp_path)
        assert done.returncode == 0, done.stderr.decode()
    assert link.is_symlink()
    with zipfile.ZipFile(target) as deck:
        assert deck.testzip() is None


def test_a_regular_file_is_replaced_atomically(bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "deck.gift"
    out.write_bytes(b"the old file")
    before = os.stat(out).st_ino
    done = run(bank, "gift", str(out), tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert os.stat(out).st_ino != before  # a new file renamed into place, not the old one rewritten
    assert not hidden_leftovers(tmp_path)


def test_a_folder_is_refused_by_the_users_path(bank: Path, tmp_path: Path) -> None:
    folder = tmp_path / "worksheets"
    folder.mkdir()
    done = run(bank, "gift", "worksheets", tmp_path)
    assert one_line_error(done) == "khasham-learn: error: cannot write to worksheets: it is a folder; give a file path"
    assert folder.is_dir() and not list(folder.iterdir()) and not hidden_leftovers(tmp_path)


def test_a_path_through_a_file_is_refused_by_the_users_path(bank: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run(bank, "gift", "notes.txt/deck.gift", tmp_path)
    message = one_line_error(done)
    assert message.startswith("khasham-learn: error: cannot write to notes.txt/deck.gift: "), message
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_unwritable_folder_is_named_not_the_temporary_file(bank: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        try:  # root (with its override of file permissions) writes into any folder
            (locked / "probe").touch()
        except PermissionError:
            pass
        else:
            pytest.skip("this user can write into a read-only folder")
        done = run(bank, "gift", "locked/deck.gift", tmp_path)
    finally:
        locked.chmod(0o700)
    message = one_line_error(done)
    assert message == "khasham-learn: error: cannot write to locked/deck.gift: permission denied"


def test_nothing_is_created_under_dev(bank: Path, tmp_path: Path) -> None:
    new = Path(f"/dev/khasham-learn-test-{os.getpid()}.gift")
    link = tmp_path / "to-dev.gift"
    link.symlink_to(new)
    try:
        for out in (str(new), str(link)):
            done = run(bank, "gift", out, tmp_path)
            message = one_line_error(done)
            assert message.startswith(f"khasham-learn: error: cannot write to {out}: ") and "/dev" in message
            assert not new.exists()
        assert not [name for name in os.listdir("/dev") if name.startswith(f".{new.name}.")]
    finally:  # without the rule, the export would have made a file in /dev: never leave it there
        for name in os.listdir("/dev"):
            if name.startswith((new.name, f".{new.name}.")):
                os.unlink(Path("/dev") / name)


@pytest.mark.parametrize(("fmt", "wrong", "suffix"), [("kahoot", "k.csv", ".xlsx"), ("anki", "deck.zip", ".apkg"),
                                                     ("canvas", "quiz", ".zip")])
def test_a_binary_export_to_a_file_of_another_suffix_is_refused(fmt: str, wrong: str, suffix: str, bank: Path,
                                                                 tmp_path: Path) -> None:
    """`export kahoot -o k.csv` once wrote a workbook into a .csv file, which no program would open."""
    work = tmp_path / "work"
    work.mkdir()
    done = run(bank, fmt, wrong, work)
    message = one_line_error(done)
    assert done.returncode == 1 and f"cannot write the {fmt} export to {wrong}" in message
    assert f"give a path ending in {suffix}, e.g. -o {Path(wrong).with_suffix(suffix)}" in message
    assert not list(work.iterdir())
    upper = file_name("OUT", fmt).upper().replace("OUT", "out")  # the suffix in capitals is the same suffix
    assert run(bank, fmt, upper, work).returncode == 0 and (work / upper).is_file()


def test_the_removed_kahoot_option_says_where_kahoot_went(bank: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    done = run(bank, "csv", "sheet.csv", work, extra=("--kahoot",))
    assert one_line_error(done) == ("khasham-learn: error: --kahoot is gone: Kahoot has its own export, its .xlsx "
                                    "template; run 'khasham-learn export kahoot' (-o NAME.xlsx)")
    assert done.returncode == 2 and not list(work.iterdir())
