"""Issue 17, parts 2 and 3: no control character reaches a terminal or a file, and every export is
safe in its target (no spreadsheet formula, no HTML that Moodle, a browser or Anki would run)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import START_TIME_FACT

from khasham_learn.checking import check_bank
from khasham_learn.cli import cli
from khasham_learn.commands.common import echo, print_json
from khasham_learn.controls import first_control, inert
from khasham_learn.exports import export
from khasham_learn.exports.csv import neutral
from khasham_learn.generation import Question, generate
from khasham_learn.loading import open_bank

ESC_CLEAR = "\x1b[2J"
OSC_52 = "\x1b]52;c;ZXZpbA==\x07"
OSC_8 = "\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\"
BIDI = "\u202egnp.exe"
C1_CSI = "\x9b31m"

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1)"]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
CONTROLS = [ESC_CLEAR, OSC_52, OSC_8, BIDI]
PAYLOADS = FORMULAS + MARKUP + CONTROLS

# Where a character that drives a terminal could hide: ESC, BEL, C1 and bidi overrides.
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_RAW_TAG = re.compile(r"<(script|img)\b", re.IGNORECASE)

CHOICE_FACT = """\
title: People & places
facts:
  - id: weapon
    prompt: Which weapon was used first?
    statement: "{answer} was used first."
    kind: text
    distractors: [rifles, tanks, drones]
    claims:
      - source: report-a
        value: artillery
        quote: the attack began at around 10:00 PM
"""


def poisoned(question: Question, payload: str) -> Question:
    """The question with the payload at the start of every text a format writes, consistently, so the
    right answers still match the choices. A bank cannot hold the control characters (check refuses
    them), so they are put here, as a bank run unchecked would hand them on."""
    def p(text: str) -> str:
        return payload + text

    return dataclasses.replace(
        question, prompt=p(question.prompt), answer=p(question.answer), accepted=tuple(map(p, question.accepted)),
        choices=tuple(map(p, question.choices)), pairs=tuple((p(a), p(b)) for a, b in question.pairs),
        note=p(question.note) if question.note else payload, statement=p(question.statement or ""),
        sources=tuple(dataclasses.replace(s, label=p(s.label), value=p(s.value), quote=p(s.quote)) for s in question.sources),
    )


@pytest.fixture
def bank(make_bank):
    return open_bank(make_bank({"battle": START_TIME_FACT, "people": CHOICE_FACT}))


def exported(fmt: str, bank, payload: str, tmp_path: Path, **options) -> list[Path]:
    hostile = dataclasses.replace(bank, title=payload + bank.title,
                                  topics=tuple(dataclasses.replace(t, title=payload + t.title) for t in bank.topics))
    questions = [poisoned(q, payload) for q in generate(bank)]
    suffix = {"markdown": ".md", "anki": ".apkg", "kahoot": ".xlsx", "moodlexml": ".xml"}.get(fmt, f".{fmt}")
    return export(fmt, hostile, questions, tmp_path / f"out{suffix}", **options)


def no_controls(text: str, *, leftovers: bool = True) -> None:
    found = _ANY_CONTROL.search(text)
    assert found is None, f"control character U+{ord(found.group()):04X} at {found.start()}: {text[max(0, found.start() - 40):found.start() + 40]!r}"
    if leftovers:  # nor the sequences' leftovers (JSON keeps them, escaped: they are its data)
        assert "]52;" not in text and "]8;;" not in text and "[2J" not in text


# --- exports: every payload through every format ------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_quizlet_csv(payload, bank, tmp_path):
    (path,) = exported("csv", bank, payload, tmp_path)
    text = path.read_text(encoding="utf-8-sig")
    no_controls(text)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    if payload in FORMULAS:
        assert sum(cell.startswith("'" + payload) for cell in cells) >= len(cells) // 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_kahoot_xlsx(payload, bank, tmp_path):
    from openpyxl import load_workbook

    (path,) = exported("kahoot", bank, payload, tmp_path)
    with zipfile.ZipFile(path) as archive:  # no formula anywhere in the workbook's sheets
        for name in archive.namelist():
            data = archive.read(name).decode("utf-8")
            assert "<f>" not in data and "<f " not in data, name
            no_controls(data)
    from khasham_learn.exports.kahoot import KAHOOT_HEADER_ROW

    rows = list(load_workbook(path).active.iter_rows(values_only=True))[KAHOOT_HEADER_ROW:]
    assert rows
    for row in rows:
        assert isinstance(row[-2], int)  # the time limit, and the correct answers, are numbers still
        if payload in FORMULAS:
            assert row[1].startswith(payload) and row[2].startswith(payload)  # kept as text, shown as written


@pytest.mark.parametrize("payload", PAYLOADS)
def test_gift(payload, bank, tmp_path):
    (path,) = exported("gift", bank, payload, tmp_path)
    text = path.read_text(encoding="utf-8")
    no_controls(text)
    for line in text.splitlines():
        if line.startswith("::"):
            # The name and the question text, and the choices of a choice question, are HTML in Moodle.
            shown = line if re.search(r"\{[=~]%?[^{]*~", line) else line.split("{")[0]
            assert not _RAW_TAG.search(shown), line
        elif line.startswith(("•", "####", "$CATEGORY")):  # the feedback and the categories
            assert not _RAW_TAG.search(line), line
    if payload in MARKUP:
        assert "&lt;" in text and "&gt;" in text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown(payload, bank, tmp_path):
    for path in exported("markdown", bank, payload, tmp_path):
        text = path.read_text(encoding="utf-8")
        no_controls(text)
        assert not re.search(r"(?<!\\)<(script|img)", text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html(payload, bank, tmp_path):
    for path in exported("html", bank, payload, tmp_path, compare=True):
        text = path.read_text(encoding="utf-8")
        no_controls(text)
        assert not _RAW_TAG.search(text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_anki_fields(payload, bank, tmp_path):
    path, manifest = exported("anki", bank, payload, tmp_path)
    no_controls(manifest.read_text(encoding="utf-8"))
    with zipfile.ZipFile(path) as deck:
        name = next(n for n in deck.namelist() if n.startswith("collection.anki2"))
        (tmp_path / "col").write_bytes(deck.read(name))
    db = sqlite3.connect(tmp_path / "col")
    try:
        fields = [f for (flds,) in db.execute("select flds from notes") for f in flds.split("\x1f")]
        decks = db.execute("select decks from col").fetchone()[0]
    finally:
        db.close()
    assert fields
    for field in fields:
        no_controls(field)
        assert not _RAW_TAG.search(field)
    no_controls(decks)  # deck names are plain text to Anki, not HTML


def test_gift_short_answers_stay_plain_for_moodle_to_compare(bank, tmp_path):
    """Moodle compares a short answer's answers with what is typed, as plain text: an entity there
    would have to be typed as one."""
    (path,) = exported("gift", bank, "<b>&", tmp_path)
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("::start-time.direct::"))
    assert line.startswith("::start-time.direct::&lt;b&gt;&amp;When did the attack begin?{")
    assert " =<b>&" in line and "=&lt;b" not in line.split("{", 1)[1]  # after the refusals (=%0%...)


def test_csv_cells_keep_numbers_and_neutralise_formulas():
    assert [neutral(c) for c in ("-5", "500", "+3.5", "-1e3", "20", "")] == ["-5", "500", "+3.5", "-1e3", "20", ""]
    assert [neutral(c) for c in ("-x", "=1+1", "+", "@A1", "\t=1", "\r=1", "-5 or -6")] == \
        ["'-x", "'=1+1", "'+", "'@A1", "'\t=1", "'\r=1", "'-5 or -6"]
    assert neutral("a=1") == "a=1"


# --- the terminal ---------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", [*CONTROLS, C1_CSI, "\x07\x08\r\x7f"])
def test_inert_removes_whole_sequences(payload):
    assert inert(f"a{payload}b\tc\nd") in ("ab\tc\nd", "agnp.exeb\tc\nd", "aclick meb\tc\nd")
    assert first_control(payload) is not None


@pytest.mark.parametrize("payload", [*CONTROLS, C1_CSI])
def test_echo_and_json_output_are_inert(payload, capsys):
    echo(f"fact {payload} here", fg="red")
    print_json({"prompt": f"fact {payload} here"})
    out = capsys.readouterr().out
    line, encoded = out[:out.index("{")], out[out.index("{"):]
    no_controls(line)
    assert line.strip() == inert(f"fact {payload} here")
    no_controls(encoded, leftovers=False)
    assert json.loads(encoded)["prompt"] == f"fact {payload} here"  # JSON keeps the data, escaped


HOSTILE_FACT = r"""title: The battle
facts:
  - id: start-time
    prompt: "When did the attack begin?\e[2J"
    statement: The attack began at {answer}.
    kind: time
    distractors: ["\u202eabout 23:00"]
    claims:
      - source: report-a
        value: "about 22:00\x9b31m"
        quote: "the attack began at around 10:00 PM"
      - source: "report-b\e]52;c;ZXZpbA==\a"
        value: about 22:30
        quote: "the first shells flew around 10:30 p.m."
"""
HOSTILE_SOURCES = "sources:\n  - id: report-a\n    label: \"report A\\e]8;;http://x\\e\\\\\"\n    headline: Report A\n    file: a.txt\n    kind: news report\n"
HOSTILE_QUESTIONS = 'questions:\n  - id: start-time.direct\n    prompt: "Reworded \\u2067here"\n'


@pytest.fixture
def hostile_bank(make_bank):
    return make_bank({"battle": HOSTILE_FACT}, HOSTILE_QUESTIONS, sources=HOSTILE_SOURCES)


def test_check_reports_each_control_character_at_its_value(hostile_bank):
    problems = [p for p in check_bank(hostile_bank, None) if "control character" in p.message]
    where = {(Path(p.position.file).name, p.position.line, p.position.column): p.message for p in problems}
    assert set(where) == {
        ("battle.yaml", 4, 13),   # the prompt's ESC [2J
        ("battle.yaml", 7, 19),   # the distractor's right-to-left override
        ("battle.yaml", 10, 16),  # the claim value's 8-bit CSI
        ("battle.yaml", 12, 17),  # the source id's OSC 52
        ("sources.yaml", 3, 12),  # the label's OSC 8
        ("questions.yaml", 3, 13),  # the reworded prompt's isolate
    }
    assert all(p.severity == "error" for p in problems)
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in where[("battle.yaml", 7, 19)]
    assert "U+009B (CSI)" in where[("battle.yaml", 10, 16)]


@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["facts"], ["questions"], ["preview", "start-time.direct"],
                                     ["compare"], ["timeline"], ["stats"]])
def test_no_command_passes_the_bank_s_controls_to_the_terminal(command, hostile_bank):
    result = CliRunner().invoke(cli, [*command, "--bank", str(hostile_bank)])
    assert result.exit_code == 1, result.output
    no_controls(result.output, leftovers="--json" not in command)
    assert "control character" in result.output
