"""Classroom exports: golden files for each layout, and GIFT and CSV read back against the bank.

The golden files are in tests/golden/. After an intended change of layout, regenerate them with
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_exports.py
and review the diff before committing.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
from pathlib import Path

import pytest
from conftest import START_TIME_FACT

from khasham_learn.exports import ExportJob, export
from khasham_learn.exports.common import right_answers
from khasham_learn.exports.gift import escape
from khasham_learn.exports.typed import typed_grading
from khasham_learn.generation import Question, generate
from khasham_learn.loading import open_bank

GOLDEN = Path(__file__).parent / "golden"

PEOPLE = """\
title: "People & {places}"
facts:
  - id: spokesman
    prompt: 'Who said: "no comment" #1?'
    statement: "{answer} said it."
    kind: name
    distractors: [Lee = Smith, "O'Brien ~ Jr", "C:\\\\Users"]
    claims:
      - source: report-a
        value: "Smith & <Jones>"
        quote: Smith said it
      - source: report-b
        value: "Smith & <Jones>"
        quote: Jones said it
  - id: weapons
    prompt: What weapons were used?
    statement: "{answer} were used."
    kind: list
    distractors: [rifles]
    claims:
      - source: report-a
        value: [artillery, mortars]
        quote: artillery and mortars
  - id: attack-kind
    prompt: Was the attack coordinated?
    statement: The attack was {answer}.
    kind: choice
    alternatives: [coordinated, uncoordinated]
    claims:
      - source: report-a
        value: coordinated
        quote: a coordinated attack
"""

LONG_PROMPT = "Of all the ways the two reports describe the night, which word does report A use for the attack as a whole, before and after the first shells?"
QUESTIONS = f"""\
questions:
  - id: long-one
    fact: attack-kind
    type: choice
    prompt: "{LONG_PROMPT}"
    answer: coordinated
    choices: [coordinated, uncoordinated]
  - id: weapons-all
    fact: weapons
    type: multi
    prompt: Which weapons were used? Choose all that apply.
    answer: artillery
    accepted: [mortars]
    choices: [artillery, mortars, rifles, tanks]
"""


@pytest.fixture
def fixed_bank(make_bank):
    root = make_bank({"battle": START_TIME_FACT, "people": PEOPLE}, questions=QUESTIONS)
    (root / "bank.yaml").write_text("title: A small/fixed bank\ntopics: [battle, people]\n", encoding="utf-8")
    return open_bank(root)


def run_export(fmt, bank, tmp_path, **options) -> tuple[list[Path], list[str], list[Question]]:
    questions = generate(bank)
    warnings: list[str] = []
    job = ExportJob(bank, questions, tmp_path / "out" / f"sheet{_suffix(fmt)}", 0, options, warn=warnings.append)
    module = __import__(f"khasham_learn.exports.{fmt}", fromlist=["export"])
    return module.export(job), warnings, questions


def _suffix(fmt: str) -> str:
    return __import__(f"khasham_learn.exports.{fmt}", fromlist=["SUFFIX"]).SUFFIX


def compare_golden(path: Path, name: str) -> None:
    golden = GOLDEN / name
    actual = path.read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.is_file(), f"no golden file {golden}; run with UPDATE_GOLDEN=1 to create it"
    assert actual.decode("utf-8") == golden.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(("fmt", "options", "prefix"), [
    ("gift", {}, "gift"), ("markdown", {}, "markdown"), ("html", {}, "html"),
    ("markdown", {"seed": "2", "versions": 2}, "markdown-versions"),
    ("csv", {}, "quizlet"), ("moodlexml", {}, "moodlexml"),
])
def test_golden_layout(fmt, options, prefix, fixed_bank, tmp_path):
    written, _, _ = run_export(fmt, fixed_bank, tmp_path, **options)
    for path in written:
        compare_golden(path, f"{prefix}/{path.name}")


# --- GIFT read back -------------------------------------------------------------------------

def unescape(text: str) -> str:
    """GIFT's backslashes, then the HTML entities Moodle shows as characters."""
    return html.unescape(re.sub(r"\\(.)", r"\1", text))


def find_unescaped(text: str, token: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def split_unescaped(text: str, marks: str) -> list[str]:
    """Pieces of text each starting with one of marks (= or ~), escapes respected."""
    pieces, i, current = [], 0, ""
    while i < len(text):
        if text[i] == "\\":
            current += text[i:i + 2]
            i += 2
            continue
        if text[i] in marks and current.strip():
            pieces.append(current.strip())
            current = ""
        current += text[i]
        i += 1
    if current.strip():
        pieces.append(current.strip())
    return pieces


def parse_gift(text: str) -> list[dict]:
    """A small GIFT reader for what the export writes: categories, names, prompts, answers, feedback."""
    out, category = [], None
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in chunk.strip().splitlines() if not line.startswith("//")]
        chunk = "\n".join(lines).strip()
        if not chunk:
            continue
        if chunk.startswith("$CATEGORY:"):
            category = html.unescape(chunk[len("$CATEGORY:"):].strip())
            continue
        assert chunk.startswith("::")
        end_name = find_unescaped(chunk, "::", 2)
        name = unescape(chunk[2:end_name])
        open_brace = find_unescaped(chunk, "{", end_name + 2)
        prompt = unescape(chunk[end_name + 2:open_brace])
        assert chunk.endswith("}")
        body = chunk[open_brace + 1:-1]
        cut = find_unescaped(body, "####")
        answers, feedback = body[:cut].strip(), unescape(body[cut + 4:].strip())
        item = {"category": category, "id": name, "prompt": prompt, "feedback": feedback}
        if answers.startswith("#"):
            item["ranges"] = [tuple(float(x) for x in r.lstrip("=").split("..")) for r in answers[1:].split()]
        else:
            item["right"], item["wrong"] = [], []
            for piece in split_unescaped(answers, "=~"):
                weight = re.match(r"[=~]%(-?[\d.]+)%", piece)
                if weight:
                    value = unescape(piece[weight.end():])
                    item["right" if float(weight.group(1)) > 0 else "wrong"].append(value)
                else:
                    item["right" if piece[0] == "=" else "wrong"].append(unescape(piece[1:]))
        out.append(item)
    return out


def test_gift_round_trip(fixed_bank, tmp_path):
    (path,), _, questions = run_export("gift", fixed_bank, tmp_path)
    parsed = parse_gift(path.read_text(encoding="utf-8"))
    assert [p["id"] for p in parsed] == [q.id for q in questions]
    for p, q in zip(parsed, questions):
        assert p["prompt"] == q.prompt
        assert p["category"] == f"A small//fixed bank/{fixed_bank.topic_title(q.topic)}"
        grading = typed_grading(q)
        if "ranges" in p:
            assert p["ranges"] == [(i.low, i.high) for i in grading.intervals]
        elif q.choices:
            assert p["right"] == right_answers(q)
            assert sorted(p["right"] + p["wrong"]) == sorted(q.choices)
        else:  # every accepted form, the wildcard patterns, and the refusals tried before them at 0%
            assert {q.answer, *q.accepted} <= set(p["right"]) == {*grading.forms, *grading.patterns}
            assert p["wrong"] == list(grading.refusals)
        # Who says what, one line per value: the note's opening as the title, each value with its reports.
        lines = p["feedback"].splitlines()
        assert lines[0] == (q.note.split(":")[0] + ":" if q.note else "Sources:")
        assert len([line for line in lines if line.startswith("• ")]) == len({s.value for s in q.sources})
        for s in q.sources:
            line = next(line for line in lines if line.startswith(f"• {s.value} — "))
            assert s.label in line and (s.attributed_to or "") in line
    assert any(q.type == "multi" for q in questions) and any("ranges" in p for p in parsed)


def test_gift_escapes_every_special_character():
    assert escape("a:b{c}~d=e#f\\g\nh") == "a\\:b\\{c\\}\\~d\\=e\\#f\\\\g h"
    assert unescape(escape("a:b{c}~d=e#f\\g")) == "a:b{c}~d=e#f\\g"
    assert escape("a <b> & c") == "a &lt;b&gt; &amp; c"
    assert unescape(escape("<script>x=1</script> & :")) == "<script>x=1</script> & :"


# --- CSV read back --------------------------------------------------------------------------

def test_quizlet_round_trip(fixed_bank, tmp_path):
    (path,), _, questions = run_export("csv", fixed_bank, tmp_path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == len(questions)
    for (term, definition), q in zip(rows, questions):
        assert term.startswith(q.prompt)
        assert definition.startswith("; ".join(right_answers(q)))
        if q.note:  # where the reports differ, each value with its party and report, on the one line
            assert q.note.split(":")[0] + ":" in definition
            assert all(f"{s.value} — " in definition and s.label in definition for s in q.sources)
        else:
            assert definition == "; ".join(right_answers(q))


def read_kahoot(path: Path) -> tuple[list, list[dict]]:
    """The title row and the question rows, read where Kahoot's importer reads them."""
    from openpyxl import load_workbook

    from khasham_learn.exports.kahoot import KAHOOT_HEADER_ROW

    table = [list(r) for r in load_workbook(path).active.iter_rows(values_only=True)]
    title, header, rows = table[1][1:], table[KAHOOT_HEADER_ROW - 1], table[KAHOOT_HEADER_ROW:]
    assert all(cell is None for row in table[3:KAHOOT_HEADER_ROW - 1] for cell in row)
    assert header[0] in (None, "")  # column A numbers the questions, as in Kahoot's template
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    return title, [dict(zip(header[1:], r[1:])) for r in rows]


def test_kahoot_is_its_template_and_says_what_is_left_out(fixed_bank, tmp_path):
    from khasham_learn.exports.kahoot import KAHOOT_HEADER, kahoot_problem, kahoot_prompt

    (path,), warnings, questions = run_export("kahoot", fixed_bank, tmp_path)
    title, rows = read_kahoot(path)
    assert title[0] == "A small/fixed bank"
    assert rows and list(rows[0]) == list(KAHOOT_HEADER)
    assert KAHOOT_HEADER[0] == "Question - max 120 characters" and KAHOOT_HEADER[-1] == "Correct answer(s) - choose at least one"
    # a direct question shares its prompt with the mc; a statement goes without "True or false: "
    by_prompt = {kahoot_prompt(q): q for q in questions if q.choices}
    assert any(q.type == "true_false" and kahoot_prompt(q) == q.prompt.removeprefix("True or false: ") != q.prompt
               for q in by_prompt.values())
    question, first, *_, limit, correct_column = KAHOOT_HEADER
    for row in rows:
        q = by_prompt[row[question]]
        answers = [row[f"Answer {i} - max 75 characters"] for i in range(1, 5) if row[f"Answer {i} - max 75 characters"]]
        assert answers == list(q.choices)
        correct = [answers[int(i) - 1] for i in str(row[correct_column]).split(",")]
        assert correct == right_answers(q)
        assert row[limit] in (5, 10, 20, 30, 60, 90, 120, 240)
        assert len(row[question]) <= 120 and all(len(a) <= 75 for a in answers)
    assert LONG_PROMPT in by_prompt and LONG_PROMPT not in [r[question] for r in rows]
    assert "left out long-one" not in " ".join(warnings)  # one summary line; the report names each by kind
    sent = {r[question] for r in rows}
    assert warnings[-1].startswith(f"kahoot: {len(questions) - len(rows)} of {len(questions)} questions left out")
    assert sent == {kahoot_prompt(q) for q in questions if kahoot_problem(q) is None}


def test_kahoot_reports_each_question_left_out(fixed_bank, tmp_path):
    from khasham_learn.exports import Loss

    losses: list[Loss] = []
    questions = generate(fixed_bank)
    export("kahoot", fixed_bank, questions, tmp_path / "k.xlsx", losses=losses)
    assert {loss.question for loss in losses} == {q.id for q in questions if q.type == "free" or q.id == "long-one"
                                                   or not q.choices}
    assert all(loss.what.startswith("left out: ") for loss in losses)


def test_kahoot_with_nothing_that_fits_is_an_error(fixed_bank, tmp_path):
    from khasham_learn.errors import KhashamError

    only_typed = [q for q in generate(fixed_bank) if q.type == "free"]
    with pytest.raises(KhashamError, match="none of the"):
        export("kahoot", fixed_bank, only_typed, tmp_path / "k.xlsx")


def test_csv_starts_with_a_byte_order_mark_for_excel(fixed_bank, tmp_path):
    (path,), _, _ = run_export("csv", fixed_bank, tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.read_bytes().count(b"\xef\xbb\xbf") == 1


def test_html_is_self_contained_and_escaped(fixed_bank, tmp_path):
    written, _, _ = run_export("html", fixed_bank, tmp_path)
    for path in written:
        page = path.read_text(encoding="utf-8")
        assert "@media print" in page and "<script" not in page
        assert not re.search(r"(src|href)=", page) and "http" not in page.split("</style>")[1]
        assert "<Jones>" not in page and "People &amp; {places}" in page
    assert "&lt;Jones&gt;" in written[1].read_text(encoding="utf-8")  # the answer, in the key


def test_markdown_writes_sheet_and_key(fixed_bank, tmp_path):
    from khasham_learn.exports.sheets import sheet_questions

    written, _, questions = run_export("markdown", fixed_bank, tmp_path)
    assert [p.name for p in written] == ["sheet.md", "sheet-answers.md"]
    key = written[1].read_text(encoding="utf-8")
    on_sheet = sheet_questions(questions, None, None)
    assert all(f"`{q.id}`" in key for q in on_sheet)
    assert not any(f"`{q.id}`" in key for q in questions if q not in on_sheet)
    assert "Smith & \\<Jones\\>" in key
