"""`check` reports every mistake in one run: none hides another, a YAML slip is named at its real
line with what to type, and a file that failed to load causes no false errors elsewhere."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from khasham_learn.checking import check_bank
from khasham_learn.cli import cli
from khasham_learn.yamlread import compose_text

from conftest import START_TIME_FACT

pytestmark = pytest.mark.usefixtures("parser")  # the same under libyaml and the pure-Python parser


@pytest.fixture(autouse=True)
def in_bank(tmp_path, monkeypatch):
    """Paths are shown relative to where check runs: here, the bank's folder."""
    (tmp_path / "bank").mkdir()
    monkeypatch.chdir(tmp_path / "bank")

# Ten mistakes a teacher makes, one or more per fact; the last fact has none.
TEN_MISTAKES = """\
title: The battle
facts:
  - id: start-time
    prompt: When did the attack begin?
    statement: The attack began at {answer}.
    kind: integer
    claims:
      - source: report-a
        value: about 22:00
        quote: "the attack began at around 10:00 PM"
      - source: report-c
        value: about 22:30
        quote: "the first shells flew around 10:30 p.m."
  - id: start-time
    prompt: How many fighters attacked?
    statement: "{answer} fighters attacked."
    kind: number
    claims:
      - source: report-a
        value: a great many
        quote: About 500 fighters attacked.
      - source: report-b
        value: more than 500
        quote: "More than 500 fighters came.
  - id: weekday
    prompt: On which day did it begin?
    statement: It began on a {answer}.
    kind: weekday
\tclaims:
      - source: report-a
        value: Wednesday
        quote: It was a Wednesday.
  - id: shells
    prompt: What flew first: shells or bullets?
    statement: The first {answer} flew.
    kind: text
    claims:
      - source: report-b
        value: shells
        quote: the first shells flew
  - id: times-said
    prompt: Who said when the shells flew?
    statement: It was {answer}.
    kind: name
    claims:
      - source: report-b
        value: the Times
         quote: the Times said
  - id: fighters-came
    prompt: Did fighters come?
    statement: Fighters {answer}.
    kind: text
    claims:
      - source: report-b
        value: came
        quote: More than 600 fighters came.
      - source: report-a
        value: attacked
  - id: launay
    prompt: Who wrote report A?
    statement: It was {answer}.
    kind: name
    claims:
      - source: report-a
        value: Launay
        quote: Report A says
      - source: report-b
        value: Launey
        quote: "Report B:"
    aliases: [Launay, Launey]
"""

# Edits of the facts above, the broken ones too: none may be reported as unknown.
EDITS = """\
questions:
  - id: shells.direct
    prompt: Which flew first?
  - id: weekday.direct
    prompt: Which day?
  - id: start-time.direct
    enabled: false
  - id: mine
    type: free
    fact: times-said
    prompt: Who said it?
    answer: the Times
"""

BATTLE = "facts/battle.yaml"

EXPECTED = {
    (BATTLE, 6, "unknown kind 'integer' (did you mean 'number'?)"),
    (BATTLE, 11, "unknown source 'report-c' (did you mean 'report-b'?)"),
    (BATTLE, 14, "the fact id 'start-time' is already used at"),
    (BATTLE, 20, "'a great many' is not a number value"),
    (BATTLE, 24, 'the text starting with " here has no closing ": add " at the end of the text'),
    (BATTLE, 29, "a tab character here; YAML indents with spaces, never tabs"),
    (BATTLE, 34, "the text after 'prompt:' has a colon and a space in it, which YAML reads as a new key: "
                 'put the text in quotes, prompt: "What flew first: shells or bullets?"'),
    (BATTLE, 48, "'quote' is indented 9 spaces, but the line above it 8: line it up under 'value' with 8 spaces"),
    (BATTLE, 56, "quote differs from b.txt after 'More than ': the report has '500 fighters', the quote has '600 fighters'"),
    (BATTLE, 57, "a claim is missing 'quote'"),
}


def found(root: Path, texts: Path | None) -> list[tuple[str, int, str, str]]:
    return [
        (Path(p.position.file).as_posix(), p.position.line, p.severity, p.message)
        for p in check_bank(root, texts)
    ]


def matches(problems: list[tuple[str, int, str, str]], expected: set[tuple[str, int, str]]) -> None:
    """Each problem is one expected (file, line, start of message), and each expected is found."""
    unmatched = [p for p in problems if not any((f, line) == p[:2] and p[3].startswith(key) for f, line, key in expected)]
    missing = [e for e in expected if not any((e[0], e[1]) == p[:2] and p[3].startswith(e[2]) for p in problems)]
    assert (unmatched, missing) == ([], []), "\n".join(map(str, problems))
    assert len(problems) == len(expected), "\n".join(map(str, problems))


def test_ten_mistakes_are_ten_errors_and_nothing_else(make_bank, texts_dir):
    root = make_bank({"battle": TEN_MISTAKES}, questions=EDITS)
    problems = found(root, texts_dir)
    assert {p[2] for p in problems} == {"error"}
    matches(problems, EXPECTED)
    # the parts a slip made unreadable are named, so the teacher knows what was not checked
    messages = {line: message for _, line, _, message in problems}
    assert messages[24].endswith("; line 24 is not checked until this is fixed")
    assert messages[48].endswith("; lines 47-48 are not checked until this is fixed")


def test_through_the_cli_each_mistake_is_one_positioned_line(make_bank, texts_dir):
    root = make_bank({"battle": TEN_MISTAKES}, questions=EDITS)
    result = CliRunner().invoke(cli, ["check", "--bank", str(root), "--sources", str(texts_dir)])
    assert result.exit_code == 1
    *lines, summary = result.output.splitlines()
    assert summary.startswith("10 error(s), 0 warning(s); quotes checked")
    assert len(lines) == 10
    assert all(re.match(r"^\S+battle\.yaml:\d+:\d+: error: [^\n]+$", line) for line in lines), lines


def test_fixing_each_mistake_leaves_a_clean_bank(make_bank, texts_dir):
    """The fixes the messages ask for, made as they say, and nothing else: the check is clean, so
    nothing above was a false error standing in for a real one."""
    fixed = (
        TEN_MISTAKES.replace("kind: integer", "kind: time", 1)
        .replace("source: report-c", "source: report-b", 1)
        .replace("  - id: start-time\n    prompt: How many", "  - id: attackers\n    prompt: How many", 1)
        .replace("value: a great many", "value: about 500", 1)
        .replace('"More than 500 fighters came.\n', '"More than 500 fighters came."\n', 1)
        .replace("\tclaims:", "    claims:", 1)
        .replace("prompt: What flew first: shells or bullets?", 'prompt: "What flew first: shells or bullets?"', 1)
        .replace("         quote: the Times said", "        quote: the Times said", 1)
        .replace("More than 600 fighters came.", "More than 500 fighters came.", 1)
        .replace("        value: attacked\n", "        value: attacked\n        quote: About 500 fighters attacked.\n", 1)
    )
    root = make_bank({"battle": fixed}, questions=EDITS.replace("start-time.direct", "attackers.direct"))
    assert found(root, texts_dir) == [
        ("facts/battle.yaml", 25, "warning", "weekday fact 'weekday' has no 'date_fact' to check the weekday against"),
    ]


# ---------------------------------------------------------------- what a file that failed to load hides


def test_a_broken_sources_file_gives_one_line_not_a_flood(make_bank):
    from conftest import SOURCES_YAML

    broken = SOURCES_YAML.replace("id: report-a", 'id: "report-a')
    root = make_bank(sources=broken)
    problems = found(root, None)
    matches(problems, {
        ("sources.yaml", 2, 'the text starting with " here has no closing "'),
        # report-b was read, so its claims are checked; report-a's line was not, so its are not
        ("facts/battle.yaml", 8, "the sources of 2 claim(s) in this file are not checked because sources.yaml failed to load"),
    })
    assert [p[2] for p in problems] == ["warning", "error"]  # sorted by file: facts/ before sources.yaml


def test_a_sources_file_that_does_not_load_at_all(make_bank):
    root = make_bank(sources="- just a list\n")
    matches(found(root, None), {
        ("sources.yaml", 1, "sources.yaml should be a mapping"),
        ("facts/battle.yaml", 8, "the sources of 4 claim(s) in this file are not checked because sources.yaml failed to load"),
    })


def test_a_broken_facts_file_does_not_make_its_facts_unknown_elsewhere(make_bank):
    other = START_TIME_FACT.replace("start-time", "other-time").replace("attackers", "other-attackers")
    broken = other.replace("title: The battle", "title: [The battle")
    root = make_bank({"battle": START_TIME_FACT, "other": "title: x\nfacts: [\n"}, questions="""\
        questions:
          - id: other-time.direct
            prompt: Reworded
          - id: start-tme.direct
            prompt: Misspelt
          - id: mine
            type: free
            fact: other-attackers
            prompt: How many?
            answer: "500"
    """)
    # The file that failed to load holds none of these ids, so it cannot define them: each is unknown.
    matches(found(root, None), {
        ("facts/other.yaml", 2, "the list opened with [ here is not closed: add ] at its end"),
        ("questions.yaml", 2, "no generated question 'other-time.direct' to change"),
        ("questions.yaml", 4, "no generated question 'start-tme.direct' to change (did you mean 'start-time.direct'?)"),
        ("questions.yaml", 8, "unknown fact 'other-attackers' (did you mean 'attackers'?)"),
    })
    # Ids its text holds might be facts of it: those references are not checked, in one line.
    (root / "facts" / "other.yaml").write_text("title: x\nfacts: [\n# other-time, other-attackers: to come\n")
    matches(found(root, None), {
        ("facts/other.yaml", 2, "the list opened with [ here is not closed: add ] at its end"),
        ("questions.yaml", 2, "the facts of 2 question(s) in this file are not checked because facts/other.yaml failed to load"),
        ("questions.yaml", 4, "no generated question 'start-tme.direct' to change (did you mean 'start-time.direct'?)"),
    })
    # a file read in part: its readable facts are known, and a misspelt id is reported, not hidden
    (root / "facts" / "other.yaml").write_text(broken.replace("title: [The battle", "title: The battle")
                                               .replace("prompt: How many fighters attacked?", "prompt: How many: fighters?"))
    matches(found(root, None), {
        ("facts/other.yaml", 16, "the text after 'prompt:' has a colon and a space in it"),
        ("questions.yaml", 4, "no generated question 'start-tme.direct' to change (did you mean 'start-time.direct'?)"),
    })


# ---------------------------------------------------------------- the slips, each on its own

SLIPS = {
    "unclosed quote, then another key": (
        '  - id: a\n    prompt: "When did it\n    kind: time\n', 4, 13, 'the text starting with " here has no closing ": add " at the end'),
    "unclosed single quote": (
        "  - id: a\n    prompt: 'When did it\n    kind: time\n", 4, 13, "the text starting with ' here has no closing ': add ' at the end"),
    "a quote inside quotes": (
        '  - id: a\n    prompt: "He said "no" today"\n    kind: time\n', 4, 22, 'this " ends the quoted text early'),
    "tab": ("  - id: a\n\tprompt: x\n", 4, 1, "a tab character here"),
    "colon in a text": ("  - id: a\n    prompt: At 22:00: the attack\n", 4, 13, "the text after 'prompt:' has a colon and a space"),
    "indented too far": ("  - id: a\n    prompt: x\n     kind: time\n", 5, 6, "'kind' is indented 5 spaces, but the line above it 4"),
    "indented too little": ("  - id: a\n    prompt: x\n   kind: time\n", 5, 4, "'kind' is indented 3 spaces, but the line above it 4"),
    "unclosed list": ("  - id: a\n    tags: [one, two\n    kind: time\n", 4, 11, "the list opened with [ here is not closed: add ] at its end"),
    "no space after a colon": (
        "  - id: a\n    unit:people\n    kind: time\n", 4, 10, "put a space after the colon of 'unit:', or YAML reads 'unit:people' "
                                                          "as one word: unit: people"),
    "unclosed quote in a list": (
        '  - id: a\n    accept: ["the mayor]\n    kind: time\n', 4, 14, 'the text starting with " here has no closing ": add " at the end'),
    "text after the closing quote": (
        '  - id: a\n    prompt: "Until what time" did the band play?\n    kind: time\n', 4, 29,
        "this \" ends the quoted text early, but the text goes on after it: put the whole text in quotes, "
        "prompt: '\"Until what time\" did the band play?'"),
    "a [ above a list of lines": (
        "  - id: a\n    tags: [\n      - one\n    kind: time\n", 4, 11,
        "the list opened with [ here is not closed: its items are the lines below starting with '- ', so delete the ["),
    "an entry pasted at column 1": (
        "  - id: a\n    kind: time\n- id: b\n  kind: time\n", 5, 1,
        "this '- id:' entry starts in column 1, but the ones above it (line 3) in column 3: indent it and the lines under it "
        "by 2 more spaces"),
    "an entry pasted too deep": (
        "  - id: a\n    kind: time\n    - id: b\n      kind: time\n", 5, 5,
        "this '- id:' entry starts in column 5, but the ones above it (line 3) in column 3: indent it and the lines under it "
        "by 2 fewer spaces"),
}


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_a_slip_is_named_at_its_line(name):
    body, line, column, start = SLIPS[name]
    problems: list = []
    assert compose_text("title: t\nfacts:\n" + body, "f.yaml", problems) is None
    (problem,) = problems
    assert (problem.position.line, problem.position.column) == (line, column), str(problem)
    assert problem.message.startswith(start), str(problem)


def test_a_slip_in_a_whole_bank_is_named_at_its_line(make_bank):
    """As check reads a file with a slip, piece by piece: the same words at the same place."""
    cases = [
        ("kind: number", "kind: number\n    unit:people", 19, 10, "put a space after the colon of 'unit:'"),
        ("    kind: number\n", '    kind: number\n    accept: ["five hundred]\n', 19, 14, 'the text starting with " here has no closing "'),
        ("prompt: How many fighters attacked?", 'prompt: "How many" fighters attacked?', 16, 22,
         "this \" ends the quoted text early, but the text goes on after it: put the whole text in quotes, "
         "prompt: '\"How many\" fighters attacked?'"),
    ]
    for old, new, line, column, start in cases:
        root = make_bank({"battle": START_TIME_FACT.replace(old, new, 1)})
        problems = check_bank(root, None)
        assert [(p.position.line, p.position.column) for p in problems] == [(line, column)], problems
        assert problems[0].message.startswith(start), problems


def test_a_sources_list_opened_with_a_bracket_is_named(make_bank):
    from conftest import SOURCES_YAML

    root = make_bank(sources=SOURCES_YAML.replace("sources:\n", "sources: [\n", 1))
    problems = [p for p in found(root, None) if p[0] == "sources.yaml"]
    matches(problems, {("sources.yaml", 1, "the list opened with [ here is not closed: its items are the lines below "
                                           "starting with '- ', so delete the [")})


def test_a_printed_template_pasted_at_the_end_of_its_file_reads(make_bank):
    """`new fact` prints the template indented like the file's facts, as the guide says to paste it."""
    root = make_bank()
    printed = CliRunner().invoke(cli, ["new", "fact", "--topic", "battle", "--bank", str(root)])
    assert printed.exit_code == 0, printed.output
    assert "\n  - id: battle-fact-1\n" in printed.output
    facts = root / "facts" / "battle.yaml"
    facts.write_text(facts.read_text() + printed.output)
    assert all("placeholder" in p[3] or "TODO" in p[3] for p in found(root, None))
    # pasted at column 1, as it was once printed: the entry is named, with how far to move it
    facts.write_text(START_TIME_FACT + textwrap.dedent(printed.output))
    matches(found(root, None), {(BATTLE, 28, "this '- id:' entry starts in column 1, but the ones above it (line 15) in "
                                             "column 3: indent it and the lines under it by 2 more spaces")})


def test_a_colon_in_a_list_item_says_to_quote_it(make_bank):
    block = START_TIME_FACT.replace("    kind: number\n", "    kind: number\n    accept:\n      - At 22:00: the attack\n", 1)
    flow = START_TIME_FACT.replace("    kind: number\n", "    kind: number\n    accept: [At 22:00: the attack]\n", 1)
    for text, column in [(block, 9), (flow, 14)]:
        root = make_bank({"battle": text})
        problems = check_bank(root, None)
        assert [(p.position.line, p.position.column) for p in problems] == [(19 if column == 14 else 20, column)], problems
        assert problems[0].message == ("each item of accept should be text, not a mapping: its colon and space make YAML "
                                       'read a key; put the text in quotes, "At 22:00: the attack"')


def test_a_file_of_slips_lists_a_bounded_number(make_bank):
    from khasham_learn.yamlrecovery import MAX_SLIPS

    items = "".join(f'  - id: a{i}\n    prompt: "unclosed\n    kind: text\n' for i in range(300))
    root = make_bank({"battle": "title: t\nfacts:\n" + items})
    problems = [p for p in found(root, None) if p[0] == BATTLE]
    assert len(problems) == MAX_SLIPS + 1
    assert [p[1] for p in problems[:2]] == [4, 7]  # each slip at its own line
    assert problems[-1][3].startswith(f"more than {MAX_SLIPS} YAML syntax errors: the rest of the file is not checked")


# ---------------------------------------------------------------- a report text that is not there


def test_a_misspelt_report_file_is_one_error_at_its_file_line(make_bank, texts_dir):
    """Its quotes cannot be checked, so a wrong one among them would stay hidden: the file name
    is the error, once, with how many quotes wait on it and the name it was probably meant to be."""
    from conftest import SOURCES_YAML

    wrong_quote = START_TIME_FACT.replace("About 500 fighters attacked.", "About 600 fighters attacked.")
    root = make_bank({"battle": wrong_quote}, sources=SOURCES_YAML.replace("file: a.txt", "file: aa.txt"))
    problems = found(root, texts_dir)
    matches(problems, {
        ("sources.yaml", 5, f"report text aa.txt not found in {texts_dir}: the 2 quote(s) of 'report-a' are not checked "
                            "(did you mean 'a.txt'?)"),
    })
    assert problems[0][2] == "error"
    result = CliRunner().invoke(cli, ["check", "--bank", str(root), "--sources", str(texts_dir)])
    assert result.exit_code == 1, result.output
    # fixed, the quote it hid is reported
    (root / "sources.yaml").write_text(SOURCES_YAML)
    matches(found(root, texts_dir), {(BATTLE, 22, "quote not found in a.txt: 'About 600 fighters attacked.'")})


def test_a_missing_report_text_is_an_error_when_the_banks_own_texts_are_checked(make_bank, texts_dir):
    from conftest import SOURCES_YAML

    root = make_bank(sources=SOURCES_YAML.replace("file: b.txt", "file: newsleter.txt"))
    texts_dir.rename(root / "texts")
    result = CliRunner().invoke(cli, ["check", "--bank", str(root)])
    assert result.exit_code == 1, result.output
    assert "sources.yaml:10:11: error: report text newsleter.txt not found in" in result.output
    assert "the 2 quote(s) of 'report-b' are not checked" in result.output


# ---------------------------------------------------------------- an id defined twice


TWICE = """\
title: The battle
facts:
  - id: opening-date
    prompt: On which day did it open?
    statement: It opened on a {answer}.
    kind: weekday
    date_fact: opening-day
    claims:
      - source: report-a
        value: Wednesday
        quote: the attack began at around 10:00 PM
  - id: opening-date
    prompt: On which date did it open?
    statement: It opened on {answer}.
    kind: date
    event: It opened
    claims:
      - source: report-b
        value: 2018-02-07
        quote: the first shells flew around 10:30 p.m.
  - id: opening-day
    prompt: On which day did the attack open?
    statement: The attack opened on a {answer}.
    kind: weekday
    date_fact: opening-date
    event: The attack opened
    after: opening-date
    claims:
      - source: report-a
        value: Wednesday
        quote: About 500 fighters attacked.
      - source: report-b
        value: Wednesday
        quote: More than 500 fighters came.
"""

TWICE_EDITS = """\
questions:
  - id: opening-date.direct
    prompt: Which date?
  - id: opening-date.tf
    enabled: false
  - id: mine
    type: free
    fact: opening-date
    prompt: When did it open?
    answer: 2018-02-07
"""


def test_a_duplicate_id_is_reported_and_nothing_that_refers_to_it(make_bank, texts_dir):
    """Which of the two a reference means is not known: neither is taken to be the one."""
    root = make_bank({"battle": TWICE}, questions=TWICE_EDITS)
    problems = found(root, texts_dir)
    matches(problems, {
        (BATTLE, 12, "the fact id 'opening-date' is already used at"),
        (BATTLE, 3, "date_fact 'opening-day' is a weekday fact, not a date"),  # a real one: not a reference to a duplicate
    })


# ---------------------------------------------------------------- a slip in a big file


def big_facts(facts: int = 3300) -> list[str]:
    """A facts file of about 1 MB (3,300 facts of 11 lines), as lines: past what the pure-Python
    parser re-reads whole."""
    fact = """\
  - id: fact-{i}
    prompt: How many fighters attacked in wave {i}?
    statement: "{{answer}} fighters attacked in wave {i}."
    kind: number
    claims:
      - source: report-a
        value: about 500
        quote: "About 500 fighters attacked."
      - source: report-b
        value: more than 500
        quote: More than 500 fighters came.
"""
    return ["title: The battle", "facts:", *"".join(fact.format(i=i) for i in range(facts)).splitlines()]


def slipped(lines: list[str], line: int, old: str, new: str) -> str:
    """The lines with `old` replaced by `new` on line `line` (from 1), as a file's text."""
    assert old in lines[line - 1], lines[line - 1]
    return "\n".join([*lines[: line - 1], lines[line - 1].replace(old, new, 1), *lines[line:]]) + "\n"


def test_a_slip_near_the_end_of_a_big_file_is_named_and_the_rest_is_checked(make_bank):
    from khasham_learn.yamlread import _PYTHON_REREAD_LIMIT

    lines = big_facts()
    last_quote = len(lines) - 3  # the last fact's 'quote: "About 500 fighters attacked."'
    text = slipped(lines, last_quote, 'attacked."', "attacked.")
    assert len(text) > 4 * _PYTHON_REREAD_LIMIT
    # the first fact has a mistake of its own, which the slip must not hide
    text = text.replace("        value: more than 500\n        quote: More than 500 fighters came.\n",
                        "        value: more than 500\n", 1)
    root = make_bank({"battle": text})
    matches(found(root, None), {
        (BATTLE, last_quote - 1, 'the text starting with " here has no closing ": add " at the end of the text'),
        (BATTLE, 11, "a claim is missing 'quote'"),
    })


@pytest.mark.parametrize("line, old, new, column, start", [
    (-8, "    kind: number", "\tkind: number", 1, "a tab character here"),
    (-10, "prompt: How many", "prompt: Wave: how many", 13, "the text after 'prompt:' has a colon and a space"),
    (-4, "quote:", " quote:", 10, "'quote' is indented 9 spaces, but the line above it 8"),
    (-4, 'attacked."', "attacked.", 16, 'the text starting with " here has no closing "'),
])
def test_a_slip_in_a_big_file_is_said_in_a_teachers_words(line, old, new, column, start):
    """Read without recovery too (as `new` checks a file before writing it): the window of lines
    around libyaml's mark is re-read by the pure-Python parser, and its positions are the file's."""
    lines = big_facts()
    at = len(lines) + 1 + line  # counted from the end: -1 is the last line
    problems: list = []
    assert compose_text(slipped(lines, at, old, new), "f.yaml", problems) is None
    (problem,) = problems
    assert (problem.position.line, problem.position.column) == (at, column), str(problem)
    assert problem.message.startswith(start), str(problem)


# ---------------------------------------------------------------- follow-ons of one mistake


WEEKDAY = """\
  - id: weekday
    prompt: On which day did it begin?
    statement: It began on a {answer}.
    kind: weekday
    date_fakt: start-date
    claims:
      - source: report-a
        value: Wednesday
        quote: the attack began at around 10:00 PM
"""


def test_a_misspelt_date_fact_is_not_also_said_to_be_missing(make_bank):
    root = make_bank({"battle": START_TIME_FACT + WEEKDAY})
    matches(found(root, None), {(BATTLE, 30, "unknown key 'date_fakt' in a fact (did you mean 'date_fact'?)")})


def test_a_second_facts_key_loses_no_fact(make_bank):
    """A stub and a second `facts:` pasted above the facts: one line for each, and the facts under
    the second key are read, so nothing that refers to them is said to be unknown."""
    text = START_TIME_FACT.replace("facts:\n", "facts:\n  - id: stub\nfacts:\n", 1)
    root = make_bank({"battle": text}, questions="questions:\n  - id: attackers.direct\n    prompt: How many?\n")
    matches(found(root, None), {
        (BATTLE, 3, "a fact is missing 'prompt', 'statement', 'kind' and 'claims'"),
        (BATTLE, 4, "'facts:' appears twice in a facts file: delete this line, so the entries under it join the list above"),
    })


def test_a_misspelt_topic_is_reported_at_its_line(tmp_path, make_bank):
    root = make_bank()
    (root / "bank.yaml").write_text("title: The bank\ntopics:\n  - battle\n  - batle\n  - battle\n")
    matches(found(root, None), {
        ("bank.yaml", 4, "topic 'batle' has no file facts/batle.yaml"),
        ("bank.yaml", 5, "topic 'battle' is listed twice in topics"),
    })
    (root / "bank.yaml").write_text("title: The bank\ntopics: [batle]\n")
    matches(found(root, None), {("bank.yaml", 2, "topic 'batle' has no file facts/batle.yaml (did you mean 'battle'?)")})


def test_quotes_are_not_said_to_be_checked_when_sources_did_not_load(make_bank, texts_dir):
    from conftest import SOURCES_YAML

    root = make_bank(sources=SOURCES_YAML.replace("sources:\n", "sourcez:\n", 1))
    result = CliRunner().invoke(cli, ["check", "--bank", str(root), "--sources", str(texts_dir)])
    assert result.output.splitlines()[-1].endswith("; quotes not checked: sources.yaml failed to load"), result.output
    (root / "sources.yaml").write_text(SOURCES_YAML.replace("id: report-a", 'id: "report-a'))
    result = CliRunner().invoke(cli, ["check", "--bank", str(root), "--sources", str(texts_dir)])
    assert result.output.splitlines()[-1].endswith(
        f"; quotes checked against {texts_dir} only for the 1 source(s) read: sources.yaml failed to load"), result.output
