"""Who says what, at a glance: the table of each value, its party and its reports, in every format."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from html.parser import HTMLParser

import pytest
from conftest import START_TIME_FACT

from khasham_learn.exports import ExportJob
from khasham_learn.exports.sheets import Version
from khasham_learn.generation import generate
from khasham_learn.grading import grade
from khasham_learn.loading import open_bank
from khasham_learn.notetable import ITSELF, Row, note_table, text_lines
from khasham_learn.quiz import feedback

# A measure fact whose one party (a US official) is carried by two reports, with a value that a
# report also gives in its own voice; a fact with a claim shown wrong; a choice one report alone
# gives (through two voices); a list with an item one party alone gives. START_TIME_FACT gives a plain dispute with a party (report B citing the Times).
DIFFERING = """\
title: Casualties
facts:
  - id: killed
    prompt: How many fighters were killed?
    statement: "{answer} fighters were killed."
    kind: number
    claims:
      - source: report-a
        value: about 100
        quote: about a hundred died, a US official said
        qualifier: killed
        attributed_to: a US official
      - source: report-b
        value: about 100
        quote: a US official put the dead at about 100
        qualifier: killed
        attributed_to: a US official
      - source: report-a
        value: about 100
        quote: About 100 were killed.
        qualifier: killed
      - source: report-b
        value: more than 500
        quote: More than 500 were killed or hurt.
        qualifier: killed or injured
  - id: weekday
    prompt: On what day did the attack come?
    statement: The attack came on a {answer}.
    kind: weekday
    claims:
      - source: report-a
        value: Wednesday
        quote: It was a Wednesday.
      - source: report-b
        value: Tuesday
        quote: on Tuesday
        wrong: The attack came on a Wednesday.
  - id: contact
    prompt: Were the two commands in useful contact?
    statement: The two commands were {answer}.
    kind: choice
    alternatives: [in useful contact, not in useful contact]
    claims:
      - source: report-a
        value: in useful contact
        quote: officials said the line worked
        attributed_to: US officials
      - source: report-a
        value: in useful contact
        quote: The line worked.
      - source: report-b
        value: not in useful contact
        quote: the calls were fruitless, the Times said
        attributed_to: the Times
  - id: weapons
    prompt: What weapons did the attackers use?
    statement: The attackers used {answer}.
    kind: list
    claims:
      - source: report-a
        value: [artillery, tanks]
        quote: artillery and tanks
      - source: report-b
        value: [artillery]
        quote: artillery, the Times said
        attributed_to: the Times
"""


@pytest.fixture
def bank(make_bank):
    root = make_bank({"battle": START_TIME_FACT, "casualties": DIFFERING})
    (root / "bank.yaml").write_text("title: Who says what\ntopics: [battle, casualties]\n", encoding="utf-8")
    return open_bank(root)


@pytest.fixture
def questions(bank):
    return {q.id: q for q in generate(bank)}


# disagreement.py says which values rest on one party or one report alone; the table marks them "only".
START_ROWS = (Row("about 10:00 p.m.", None, ("report A",), alone="party"),
              Row("about 10:30 p.m.", "the Times", ("report B",), alone="party"))
KILLED_ROWS = (
    Row("about 100", "a US official", ("report A", "report B"), measure="killed"),
    Row("about 100", None, ("report A",), measure="killed"),
    Row("more than 500", None, ("report B",), measure="killed or injured", alone="party"),
)
WEEKDAY_ROWS = (Row("Wednesday", None, ("report A",)), Row("Tuesday", None, ("report B",), wrong="The attack came on a Wednesday."))


# --- the rows ------------------------------------------------------------------------------------

def test_a_dispute_has_a_row_per_value_with_its_party(questions):
    table = note_table(questions["start-time.direct"])
    assert (table.title, table.noted, table.disputed) == ("Sources disagree", True, True)
    assert table.rows == START_ROWS
    assert [r.who for r in table.rows] == [f"only {ITSELF}", "only the Times"]


def test_a_measure_fact_groups_a_partys_reports_and_keeps_the_measure(questions):
    table = note_table(questions["killed.direct"])
    assert (table.title, table.disputed) == ("Sources measure different things", False)
    assert table.rows == KILLED_ROWS
    assert [r.shown for r in table.rows] == ["about 100 (killed)", "about 100 (killed)", "more than 500 (killed or injured)"]
    assert table.value_starts() == [True, False, True]  # a value is written once for its parties


def test_a_claim_shown_wrong_keeps_its_reason(questions):
    table = note_table(questions["weekday.direct"])
    assert table.title == "Sources disagree" and table.rows == WEEKDAY_ROWS


def test_a_value_one_report_alone_gives_through_two_voices_marks_the_report(questions):
    table = note_table(questions["contact.which.report-a"])
    assert table.rows == (
        Row("in useful contact", "US officials", ("report A",), alone="report"),
        Row("in useful contact", None, ("report A",)),
        Row("not in useful contact", "the Times", ("report B",), alone="party"),
    )
    assert [(r.who, r.report_cells) for r in table.rows] == [
        ("US officials", ("only report A",)), (ITSELF, ("report A",)), ("only the Times", ("report B",))]


def test_what_one_voice_alone_gives_of_a_list_is_kept_under_the_table(questions):
    question = questions["weapons.direct"]
    assert question.note == "Given by one party only: tanks (report A)."
    table = note_table(question)
    assert (table.title, table.noted, table.remark) == ("Sources", True, question.note)
    lines = text_lines(table, 80)
    assert lines[-1] == "    Given by one party only: tanks (report A)."


def test_a_note_of_unknown_form_is_shown_whole(questions):
    from dataclasses import replace

    table = note_table(replace(questions["attackers.direct"], note="The reports were written a day apart."))
    assert (table.title, table.remark) == ("Note", "The reports were written a day apart.")


def test_quotes_name_each_report_and_party_once(questions):
    quotes = note_table(questions["killed.direct"]).quotes
    assert [(q.heading, q.texts) for q in quotes] == [
        ("report A, citing a US official", ("about a hundred died, a US official said",)),
        ("report B, citing a US official", ("a US official put the dead at about 100",)),
        ("report A", ("About 100 were killed.",)),
        ("report B", ("More than 500 were killed or hurt.",)),
    ]


def test_agreeing_sources_get_a_plain_table_and_every_question_of_a_fact_the_same(questions):
    table = note_table(questions["attackers.direct"])
    assert (table.title, table.noted) == ("Sources", False)
    assert [r.value for r in table.rows] == ["about 500", "more than 500"]
    assert all(note_table(q) == note_table(questions["start-time.direct"]) for i, q in questions.items() if i.startswith("start-time."))


# --- the terminal --------------------------------------------------------------------------------

def right_feedback(question, width, with_quotes=True):
    return feedback(question, grade(question, question.accepted[0]), with_quotes, width=width)


def test_quiz_feedback_is_an_aligned_table_then_the_quotes(questions):
    lines = right_feedback(questions["start-time.direct"], 80)
    assert lines == [
        "✓ Right.",
        "  Answer: about 10:00 p.m. or about 10:30 p.m.",
        "  Sources disagree:",
        "    Value             Who says it             In which report",
        "    ────────────────  ──────────────────────  ───────────────",
        "    about 10:00 p.m.  only the report itself  report A",
        "    about 10:30 p.m.  only the Times          report B",
        "  In the reports' words:",
        "    report A:",
        '      "the attack began at around 10:00 PM"',
        "    report B, citing the Times:",
        '      "the first shells flew around 10:30 p.m."',
    ]
    without = right_feedback(questions["start-time.direct"], 80, with_quotes=False)
    assert without == lines[:7]


def test_terminal_table_of_a_measure_and_of_a_wrong_claim(questions):
    killed = text_lines(note_table(questions["killed.direct"]), 80)
    assert killed[0] == "  Sources measure different things:"
    assert killed[3:] == [
        "    about 100 (killed)                 a US official           report A",
        "                                                               report B",
        "                                       the report itself       report A",
        "    more than 500 (killed or injured)  only the report itself  report B",
    ]
    weekday = text_lines(note_table(questions["weekday.direct"]), 80)
    assert weekday[3:] == [
        "    Wednesday  the report itself  report A",
        "    Tuesday ✗  the report itself  report B",
        "      ✗ shown wrong: The attack came on a Wednesday.",
    ]


@pytest.mark.parametrize("width", [40, 50, 64])
def test_terminal_table_wraps_within_the_width(questions, width):
    for qid in ("start-time.direct", "killed.direct", "weekday.direct"):
        lines = right_feedback(questions[qid], width)[2:]  # the table and quotes (the answer line is the quiz's)
        assert all(len(line) <= width for line in lines), (qid, [line for line in lines if len(line) > width])
        cells = " ".join(" ".join(lines).split())
        for row in note_table(questions[qid]).rows:
            assert all(word in cells for word in row.value.split() + (row.party or "").split())


def test_terminal_table_prints_bank_text_inert(make_bank):
    # check refuses a bank with an escape in it; a question built around it, as a bank run
    # unchecked would give, is still printed inert.
    question = next(q for q in generate(open_bank(make_bank({"battle": START_TIME_FACT}))) if q.id == "start-time.direct")
    sources = list(question.sources)
    sources[1] = dataclasses.replace(sources[1], attributed_to="the \x1b[31mTimes")
    question = dataclasses.replace(question, sources=tuple(sources))
    lines = right_feedback(question, 80)
    assert not any("\x1b" in line for line in lines)
    assert any("the Times" in line for line in lines)


# --- the exports ---------------------------------------------------------------------------------

DIFFERING_IDS = ("start-time.direct", "killed.direct", "weekday.direct")


def export_text(module_name, bank, questions, tmp_path, render):
    module = __import__(f"khasham_learn.exports.{module_name}", fromlist=["export"])
    job = ExportJob(bank, [questions[i] for i in DIFFERING_IDS], tmp_path / f"sheet{module.SUFFIX}", 0)
    return render(module, job)


class _Tables(HTMLParser):
    """Every <table class="kl-who"> as rows of cell texts; measures, marks and breaks kept visible."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "kl-who") in attrs:
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" / ")
        elif tag == "div" and ("class", "kl-measure") in attrs and self._cell is not None:
            self._cell.append(" (")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "div" and self._cell is not None and " (" in self._cell:
            self._cell.append(")")

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(markup: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(markup)
    return parser.tables


HEADER_ROW = ["Value", "Who says it", "In which report"]
EXPECTED_HTML = [
    [HEADER_ROW, ["about 10:00 p.m.", "only the report itself", "report A"], ["about 10:30 p.m.", "only the Times", "report B"]],
    [HEADER_ROW, ["about 100 (killed)", "a US official", "report A / report B"], ["", "the report itself", "report A"],
     ["more than 500 (killed or injured)", "only the report itself", "report B"]],
    [HEADER_ROW, ["Wednesday", "the report itself", "report A"], ["Tuesday ✗", "the report itself", "report B"],
     ["✗ shown wrong: The attack came on a Wednesday."]],
]


def test_worksheet_key_html_tables(bank, questions, tmp_path):
    key = export_text("html", bank, questions, tmp_path, lambda m, job: m.answer_key(job.bank, [Version("", job.questions)]))
    assert html_tables(key) == EXPECTED_HTML
    titles = [line for line in key.splitlines() if line.startswith("<p><strong>Sources")]
    assert titles == ["<p><strong>Sources disagree:</strong></p>", "<p><strong>Sources measure different things:</strong></p>",
                      "<p><strong>Sources disagree:</strong></p>"]
    # Each quote once, under its report and party; no value listed a second time outside the table.
    assert key.count("about a hundred died, a US official said") == 1
    assert "<strong>report B, citing a US official</strong>" in key
    # The compact key gives the answer; below it, under each question, the value is in its table only.
    compact, notes = key.split('<h2 class="notes">', 1)
    assert "about 10:30 p.m." in compact
    assert notes.count("about 10:30 p.m.") == notes.split("<table", 1)[0].count("about 10:30 p.m.") + 1


def test_anki_back_html_table_and_text(questions):
    from khasham_learn.exports.anki import FactNote, card_text, note_fields

    for qid, expected in zip(DIFFERING_IDS, EXPECTED_HTML):
        q = questions[qid]
        fields = note_fields(FactNote(q.fact, q.topic, (q,)), {q.id: 0}, "T")
        assert html_tables("".join(fields)) == [expected]
    back = card_text(questions["killed.direct"], "Casualties")[1]
    assert "\nSources measure different things\nValue | Who says it | In which report\n" \
           "about 100 (killed) | a US official | report A; report B\n" in back
    assert back.count("a US official put the dead at about 100") == 1
    weekday = card_text(questions["weekday.direct"], "Casualties")[1]
    assert "Tuesday ✗ | the report itself | report B\n✗ shown wrong: The attack came on a Wednesday.\n" in weekday


def test_worksheet_key_markdown_tables(bank, questions, tmp_path):
    key = export_text("markdown", bank, questions, tmp_path, lambda m, job: m.answer_key(job.bank, [Version("", job.questions)]))
    assert "   - **Sources disagree:**\n\n     | Value | Who says it | In which report |\n     | --- | --- | --- |\n" \
           "     | about 10:00 p.m. | *only the report itself* | report A |\n     | about 10:30 p.m. | only the Times | report B |\n\n" in key
    assert "     | about 100 (killed) | a US official | report A; report B |\n" \
           "     |  | *the report itself* | report A |\n" \
           "     | more than 500 (killed or injured) | *only the report itself* | report B |\n" in key
    assert "     | Tuesday ✗ | *the report itself* | report B |\n\n" \
           "     ✗ Tuesday (report B), shown wrong: The attack came on a Wednesday.\n" in key
    assert "     - report B, citing the Times: “the first shells flew around 10:30 p.m.”\n" in key


def test_gift_feedback_lines(bank, questions, tmp_path):
    text = export_text("gift", bank, questions, tmp_path, lambda m, job: m.render(job))
    assert "####Sources disagree\\:\n• about 10\\:00 p.m. — only report A\n• about 10\\:30 p.m. — only the Times, cited by report B\n}" in text
    assert "####Sources measure different things\\:\n" \
           "• about 100 (killed) — a US official, cited by report A and report B; report A\n" \
           "• more than 500 (killed or injured) — only report B\n}" in text
    assert "• Tuesday — report B [shown wrong\\: The attack came on a Wednesday]\n}" in text
    # A blank line would end a GIFT question early, and a line opening with // would be a comment.
    blocks = re.findall(r"^::.*?^}$", text, re.S | re.M)
    assert len(blocks) == len(DIFFERING_IDS)
    assert not any(line.strip() in ("",) or line.lstrip().startswith("//") for b in blocks for line in b.splitlines())


def test_quizlet_definition_is_the_table_on_one_line(bank, questions, tmp_path):
    text = export_text("csv", bank, questions, tmp_path, lambda m, job: m.render(m.quizlet_rows(job.questions)))
    definitions = [row[1] for row in csv.reader(io.StringIO(text, newline=""))]
    assert definitions == [
        "about 10:00 p.m. or about 10:30 p.m. Sources disagree: about 10:00 p.m. — only report A | "
        "about 10:30 p.m. — only the Times, cited by report B",
        "killed: about 100; killed or injured: more than 500. Sources measure different things: "
        "about 100 (killed) — a US official, cited by report A and report B; report A | more than 500 (killed or injured) — only report B",
        "Wednesday. Sources disagree: Wednesday — report A | Tuesday — report B [shown wrong: The attack came on a Wednesday]",
    ]


@pytest.mark.parametrize("fmt", ["gift", "markdown", "html", "csv", "anki"])
def test_exports_with_tables_are_byte_identical_run_to_run(fmt, bank, tmp_path):
    from khasham_learn.exports import export

    suffix = __import__(f"khasham_learn.exports.{fmt}", fromlist=["SUFFIX"]).SUFFIX  # a deck must end in .apkg
    first = export(fmt, bank, generate(bank), tmp_path / "one" / f"sheet{suffix}")
    second = export(fmt, bank, generate(bank), tmp_path / "two" / f"sheet{suffix}")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_every_note_of_the_bundled_bank_is_read_as_a_table(bundled):
    # The table takes its title and marks from the note's wording (disagreement.write_note): a
    # change of that wording must show here, not as a table titled "Note" with the text repeated.
    for q in generate(bundled):
        table = note_table(q)
        if q.note and table is not None:
            assert table.title != "Note", (q.id, q.note)
            assert not (table.remark or "").startswith("Shown wrong"), (q.id, table.remark)


def test_only_the_whole_value_is_marked_as_resting_on_one_voice(make_bank):
    # "30" ends "130 (only ...)" but is a value of its own, which two voices give.
    facts = """\
title: Casualties
facts:
  - id: dead
    prompt: How many died?
    statement: "{answer} died."
    kind: number
    claims:
      - source: report-a
        value: "30"
        quote: 30 died
      - source: report-b
        value: "30"
        quote: thirty died
      - source: report-a
        value: "130"
        quote: 130 died
        attributed_to: a monitor
"""
    bank = open_bank(make_bank({"casualties": facts}))
    question = next(q for q in generate(bank) if q.id == "dead.direct")
    marks = {row.value: row.alone for row in note_table(question).rows}
    assert marks["30"] is None and marks["130"] == "party"
