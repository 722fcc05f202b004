"""The reports side by side (`compare`), the timeline (`timeline`) and the HTML page of both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khasham_learn.cli import cli
from conftest import START_TIME_FACT, THREE_SOURCES


# conftest's two facts, the first put on the timeline, and more after them.
NIGHT = START_TIME_FACT.replace("title: The battle", "title: The night").replace(
    "    kind: time\n", "    kind: time\n    event: The attack begins\n", 1) + """\
  - id: end-time
    prompt: When did it end?
    statement: It ended at {answer}.
    kind: time
    event: The attack ends
    claims:
      - source: report-a
        value: "01:00"
        quote: "It ended at 1:00 AM"
  - id: calls
    prompt: What did the officers do first?
    statement: First, the officers {answer}.
    kind: text
    event: The officers telephone
    after: start-time
    claims:
      - source: report-a
        value: "called <b>the</b> other side"
        quote: "called the other side"
"""


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, columns: int = 100, code: int = 0):
        result = runner.invoke(cli, list(args), env={"COLUMNS": str(columns), "NO_COLOR": "1"}, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    return invoke


@pytest.fixture
def night(make_bank) -> str:
    return str(make_bank({"battle": NIGHT}, sources=THREE_SOURCES))


def test_matrix_json_has_a_row_per_fact_and_a_cell_per_report(run, night):
    rows = json.loads(run("compare", "--bank", night, "--json"))
    assert [r["fact"] for r in rows] == ["start-time", "attackers", "end-time", "calls"]
    start = rows[0]
    assert set(start) == {"fact", "prompt", "topic", "disputed", "status", "cells"}
    assert list(start["cells"]) == ["report-a", "report-b", "report-c"]  # sources.yaml's order
    assert start["disputed"] is True and start["status"] == "disagree"
    assert start["cells"]["report-a"] == [{"value": "about 10:00 p.m.", "party": None, "wrong": None}]
    assert start["cells"]["report-b"] == [{"value": "about 10:30 p.m.", "party": "the Times", "wrong": None}]
    assert start["cells"]["report-c"] == []  # silent
    assert rows[1]["disputed"] is False  # about 500 and more than 500 meet


def test_matrix_grid_marks_the_disputed_row_credits_the_party_and_leaves_a_gap(run, night):
    out = run("compare", "--bank", night, "--plain")
    lines = out.splitlines()
    header = lines[0].split()
    assert header == ["fact", "report-a", "report-b", "report-c"]
    start = next(i for i, line in enumerate(lines) if line.startswith("start-time"))
    assert "(the Times)" in "\n".join(lines[start:start + 3])
    assert lines[start + 1].startswith("[disputed]")
    attackers = next(line for line in lines if line.startswith("attackers"))
    assert "[disputed]" not in attackers
    report_c_column = lines[0].index("report-c")
    assert all(len(line) <= report_c_column or not line[report_c_column:].strip() for line in lines[2:start + 3])
    assert not set("│┌─") & set(out)
    assert "│" in run("compare", "--bank", night)


def test_narrow_matrix_is_a_block_per_fact_with_the_silent_report_named(run, night):
    out = run("compare", "start-time", "--bank", night, columns=40)
    assert "start-time [disputed]" in out
    assert "report-c  (silent)" in out
    assert "attackers" not in out
    assert max(map(len, out.splitlines())) <= 40


def test_filters_and_an_unknown_fact(run, night):
    assert [r["fact"] for r in json.loads(run("compare", "--bank", night, "--disputed", "--json"))] == ["start-time"]
    assert json.loads(run("compare", "--bank", night, "--topic", "battle", "--json"))
    out = run("compare", "start-tme", "--bank", night, code=1)
    assert "no fact 'start-tme'" in out and "start-time" in out


def test_bank_text_is_shown_as_written_and_an_escape_refused(run, night, make_bank):
    out = run("compare", "calls", "--bank", night)
    assert "called <b>the</b> other side" in out
    escaped = make_bank({"battle": NIGHT.replace("other side", "other side \\e[31m")}, sources=THREE_SOURCES)
    out = run("compare", "calls", "--bank", str(escaped), code=1)
    assert "\x1b" not in out and "[31m" not in out and "control character U+001B (ESC)" in out


@pytest.mark.parametrize("columns", [60, 100])
def test_bundled_casualties_fit_the_width(run, columns, bundled):
    out = run("compare", "--topic", "casualties", columns=columns)
    lines = out.splitlines()
    assert max(map(len, lines)) <= columns
    for fact in (f for f in bundled.facts if f.topic == "casualties"):
        assert fact.id in out
    assert ("┌" in out) == (columns == 100)  # a grid where the columns fit, blocks where they do not
    assert "pro-government-killed [disputed]" in out if columns == 60 else "[disputed]" in out


def test_night_timeline_of_the_bundled_bank_is_in_order(run):
    found = json.loads(run("timeline", "--json"))
    night = [e["fact"] for e in found["night"]]
    assert len(night) >= 6
    assert night[0] == "attack-start-time" and "qrf-arrival-time" in night
    for earlier, later in [("attack-start-time", "calls-to-russians-duration"),
                           ("calls-to-russians-duration", "warning-shots-targets"),
                           ("battle-duration", "qrf-arrival-time"), ("qrf-arrival-time", "attack-end")]:
        assert night.index(earlier) < night.index(later)
    start = found["night"][0]
    assert start["disputed"] is True
    assert {(s["value"], s["party"]) for s in start["sources"]} == {
        ("about 10:00 p.m.", None), ("about 10:30 p.m.", "The New York Times")}
    wider = [e["fact"] for e in found["wider"]]
    assert wider.index("oir-start-year") < wider.index("attack-date") < wider.index("wapo-article-date")


def test_timeline_text_shows_each_time_with_its_source(run, night):
    out = run("timeline", "--bank", night)
    lines = [line.strip() for line in out.splitlines()]
    assert lines[1] == "1. about 10:00 p.m. or about 10:30 p.m.: The attack begins [reports disagree]"
    assert "about 10:30 p.m.: report B, citing the Times" in lines
    assert lines.index("2. then: The officers telephone") < lines.index("3. 1:00 a.m.: The attack ends")


def test_after_must_name_an_event(make_bank):
    from khasham_learn.checking import check_bank

    bad = NIGHT.replace("after: start-time", "after: attackers")
    problems = check_bank(make_bank({"battle": bad}, sources=THREE_SOURCES))
    assert any("after: 'attackers' has no event on the timeline" in p.message for p in problems)


def test_compare_page_escapes_bank_text_and_is_deterministic(run, night, tmp_path: Path):
    out = tmp_path / "sheet.html"
    run("export", "html", "--bank", night, "--compare", "-o", str(out))
    page = tmp_path / "sheet-compare.html"
    first = page.read_bytes()
    run("export", "html", "--bank", night, "--compare", "-o", str(out))
    assert page.read_bytes() == first
    text = first.decode()
    assert "called &lt;b&gt;the&lt;/b&gt; other side" in text and "<b>the</b>" not in text
    assert "about 10:30 p.m." in text and "the Times" in text and "@media print" in text
    assert "The attack begins" in text and "kl-disputed" in text


def test_timeline_fits_60_columns_and_honours_no_color(run):
    assert max(map(len, run("timeline", columns=60).splitlines())) <= 60
    coloured = CliRunner().invoke(cli, ["timeline"], env={"COLUMNS": "80"}, color=True).output
    plain = CliRunner().invoke(cli, ["timeline"], env={"COLUMNS": "80", "NO_COLOR": "1"}, color=True).output
    assert "\x1b[" in coloured and "\x1b[" not in plain


def test_after_in_a_circle_is_reported(make_bank):
    from khasham_learn.checking import check_bank

    circle = NIGHT.replace("    event: The attack begins\n", "    event: The attack begins\n    after: calls\n")
    problems = check_bank(make_bank({"battle": circle}, sources=THREE_SOURCES))
    assert any("come round in a circle" in p.message for p in problems)
