"""The interactive quiz in a real pseudo-terminal, driven key by key with pexpect."""

import os

import pytest

from test_cli import console_script

pexpect = pytest.importorskip("pexpect")

DOWN = "\x1b[B"


@pytest.fixture
def spawn(make_bank):
    script = console_script()
    root = make_bank()
    children = []

    def start(*args):
        env = {**os.environ, "KHASHAM_LEARN_BANK": str(root), "NO_COLOR": "1"}
        child = pexpect.spawn(script, ["quiz", *args], env=env, encoding="utf-8", timeout=20, dimensions=(40, 120))
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def test_select_with_arrow_keys_then_ctrl_c(spawn):
    child = spawn("--type", "which_report", "--seed", "1", "--count", "2")
    child.expect(r"\[1/2\] Which report says: The attack began at about (10:\d\d) p\.m\.")
    time_said = child.match.group(1)
    child.expect("Use arrow keys")
    child.expect("» (report [AB])")
    first = child.match.group(1)
    child.send(DOWN)
    child.send("\r")
    right = (first != "report A") == (time_said == "10:00")
    child.expect("✓ Right." if right else "✗ Not quite.")
    child.expect(r"\[2/2\]")
    child.expect("Use arrow keys")
    child.sendintr()
    child.expect("Interrupted.")
    child.expect(r"Score: \d/1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_typed_answer_and_summary(spawn):
    child = spawn("--type", "numeric", "--disputed", "--count", "1", "--seed", "2")
    child.expect(r"\[1/1\] When did the attack begin\?")
    child.send("10:30 pm\r")
    child.expect("✓ Right.")
    child.expect("Sources disagree: about 10:00 p.m. \\(report A\\); about 10:30 p.m. \\(report B, citing the Times\\).")
    child.expect(r"Score: 1/1 \(100%\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
