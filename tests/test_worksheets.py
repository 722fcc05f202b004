"""Worksheets for a lesson: one form of a fact, nothing that answers another, A/B versions with a
key each, and a print that Chromium lays out with page numbers and no question split across pages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from khasham_learn.exports import export
from khasham_learn.exports.common import lettered, right_answers, short_answer
from khasham_learn.exports.sheets import points, sheet_questions, versions
from khasham_learn.generation import Question, generate
from khasham_learn.giveaways import Giveaways, group_of, value_forms, without_giveaways


@pytest.fixture(scope="module")
def bundled_questions():
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    bank = open_bank(bundled_bank())
    return bank, [q for q in generate(bank) if q.enabled]


def assert_no_giveaways(questions: list[Question], bank_questions: list[Question]) -> None:
    """Checked without giveaways.py: no prompt on the sheet holds, word for word, a value any form
    of another item's fact answers with (a true/false item's too: its fact's answers)."""
    groups = [group_of(q) for q in questions]
    assert len(groups) == len(set(groups)), "two forms of one fact on a sheet"
    for b in questions:
        values = {f" {words(t)} " for o in bank_questions
                  if o is b or (b.type == "true_false" and o.id.startswith((f"{b.fact}.direct", f"{b.fact}.according")))
                  if o.type in ("free", "numeric", "choice", "cloze", "multi")
                  for t in (o.answer, *o.accepted)}
        values = {f" {v.strip().removeprefix('the ')} " for v in values}
        # A vague answer ("none", "hundreds") is no giveaway on another fact's prompt.
        values = {v for v in values if (len(v.strip()) >= 4 or v.strip() in ("sdf", "qrf", "cit", "oir"))
                  and v.strip() not in ("none", "no one", "nobody", "hundreds", "dozens", "scores")}
        for a in questions:
            if a is not b:
                prompt = f" {words(a.prompt)} "
                assert not [v for v in values if v in prompt], f"{a.id} states the answer of {b.id}"


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def test_a_prompt_naming_a_statements_value_gives_the_statement_away_on_a_sheet(bundled_questions):
    _, questions = bundled_questions
    by_id = {q.id: q for q in questions}
    values = value_forms(questions)
    index = Giveaways(questions, common_ground=False, statement_forms=values)
    for stating, statement in [("mattis-perplexing.direct", "mattis-role.tf"),  # "Defense Secretary Jim Mattis"
                               ("prigozhin-role.tf", "prigozhin-name-spelling.tf"),
                               ("reminder-channel.direct", "harrigian-rank.tf")]:  # "Lt. Gen." for the rank
        assert index.states_answer(by_id[stating], by_id[statement]), (stating, statement)
        pair = [by_id[stating], by_id[statement]]
        assert without_giveaways(pair, statement_forms=values) == pair[:1]
        assert without_giveaways(pair) == pair  # where common ground counts (the quiz), both are asked


def test_a_sheet_has_one_form_per_fact_and_no_giveaways(bundled_questions):
    _, questions = bundled_questions
    sheet = sheet_questions(questions, None, None)
    assert_no_giveaways(sheet, questions)
    assert len(sheet) < len({group_of(q) for q in questions}) + 1 < len(questions)
    for seed in map(str, range(30)):
        picked = sheet_questions(questions, 20 if int(seed) > 1 else 25, seed)
        assert len(picked) == (20 if int(seed) > 1 else 25)
        assert_no_giveaways(picked, questions)
    assert sheet_questions(questions, 25, "1") == sheet_questions(questions, 25, "1")
    assert sheet_questions(questions, 25, "1") != sheet_questions(questions, 25, "2")
    # with no seed the bank's own order: the same bank gives the same sheet
    first_ten = sheet_questions(questions, 10, None)
    assert first_ten == sheet_questions(questions, 10, None) and len(first_ten) == 10
    assert_no_giveaways(first_ten, questions)


def test_versions_ask_the_same_questions_in_other_orders(bundled_questions):
    bank, questions = bundled_questions
    a, b = versions(bank, sheet_questions(questions, 30, "7"), 2, "7")
    assert (a.label, b.label) == ("A", "B")
    assert sorted(q.id for q in a.questions) == sorted(q.id for q in b.questions)
    assert [q.id for q in a.questions] != [q.id for q in b.questions]
    by_id = {q.id: q for q in a.questions}
    moved_choices = 0
    for q in b.questions:
        original = by_id[q.id]
        assert sorted(q.choices) == sorted(original.choices) and right_answers(q) == right_answers(original) or q.type == "multi"
        moved_choices += q.choices != original.choices
    assert moved_choices, "no question's choices were shuffled"


def test_the_key_gives_number_answer_and_points_for_each_version(bundled_questions, tmp_path):
    bank, questions = bundled_questions
    written = export("markdown", bank, questions, tmp_path / "lesson.md", count=12, seed="3", versions=2)
    assert [p.name for p in written] == ["lesson-A.md", "lesson-B.md", "lesson-answers.md"]
    key = written[2].read_text(encoding="utf-8")
    sheets = versions(bank, sheet_questions(questions, 12, "3"), 2, "3")
    for version, path in zip(sheets, written):
        sheet = path.read_text(encoding="utf-8")
        ordered = version.questions
        section = key.split(f"## Key to version {version.label}")[1].split("## ")[0]
        rows = re.findall(r"^\| (\d+) \| (.*) \| (\d+) \|$", section, re.M)
        assert [int(n) for n, _, _ in rows] == list(range(1, len(ordered) + 1))
        assert [int(p) for _, _, p in rows] == [points(q) for q in ordered]
        for q, (number, _, pts) in zip(ordered, rows):
            assert f"{number}. " in sheet and f"/ {pts}" in sheet
        assert f"Score: ______ / {sum(points(q) for q in ordered)}" in sheet


def _printed(sheet: str) -> list[tuple[int, str, list[str]]]:
    """A Markdown sheet read back: each question's number, prompt and lettered choices, in print order."""
    found = []
    for block in re.split(r"\n(?=\d+\. )", sheet)[1:]:
        number, prompt = re.match(r"(\d+)\. (.*) — ", block).groups()
        # nested under the item: as many spaces as "10. " is wide
        indent = " " * (len(number) + 2)
        choices = re.findall(rf"^{indent}- (?:\[ \]|\\_\\_) ([A-Z])\. (.*)$", block, re.M)
        found.append((int(number), prompt, [f"{letter}. {text}" for letter, text in choices]))
    return found


@pytest.mark.parametrize("count", [2, 3, 6, 12])
def test_version_b_asks_in_another_order_and_its_key_fits_its_sheet(bundled_questions, tmp_path, count):
    """Versions after A once shuffled only within a topic, and the sheets printed topic by topic in
    the bank's order, so A and B asked in the same order for most seeds."""
    from khasham_learn.exports.markdown import escape

    bank, questions = bundled_questions
    for seed in ("1", "2", "3", "4", "5", "6"):
        out = tmp_path / f"{count}-{seed}" / "lesson.md"
        written = export("markdown", bank, questions, out, count=count, seed=seed, versions=3)
        sheets = versions(bank, sheet_questions(questions, count, seed), 3, seed)
        printed = [_printed(path.read_text(encoding="utf-8")) for path in written[:3]]
        prompts = [[prompt for _, prompt, _ in sheet] for sheet in printed]
        assert len(prompts[0]) == count and sorted(prompts[0]) == sorted(prompts[1]) == sorted(prompts[2])
        assert prompts[1] != prompts[0] and prompts[2] != prompts[0], f"seed {seed}: B or C asks in A's order"
        key = written[3].read_text(encoding="utf-8")
        for version, sheet in zip(sheets, printed):
            # the sheet prints the version's questions in its order, its choices as lettered there
            assert [(n, p, c) for n, p, c in sheet] == [
                (n, escape(q.prompt), [f"{letter}. {escape(text)}" for letter, text in lettered(q)])
                for n, q in enumerate(version.questions, 1)]
            section = key.split(f"## Key to version {version.label}")[1].split("## ")[0]
            rows = re.findall(r"^\| (\d+) \| (.*) \| (\d+) \|$", section, re.M)
            assert [(int(n), a) for n, a, _ in rows] == [(n, escape(short_answer(q))) for n, q in enumerate(version.questions, 1)]
            for q, (_, _, choices) in zip(version.questions, sheet):  # each lettered answer is a right one
                for letter, right in re.findall(r"([A-Z]) \(([^)]*)\)", short_answer(q)) if q.type in ("choice", "multi", "which_report") else []:
                    assert f"{letter}. {escape(right)}" in choices


def test_html_versions_ask_in_another_order(bundled_questions, tmp_path):
    bank, questions = bundled_questions
    a, b, _ = export("html", bank, questions, tmp_path / "sheet.html", count=5, seed="1", versions=2)
    asked = [re.findall(r'<li class="q">.*?<p>(.*?)(?: <em>|</p>)', p.read_text(encoding="utf-8"), re.S) for p in (a, b)]
    assert len(asked[0]) == 5 and sorted(asked[0]) == sorted(asked[1]) and asked[0] != asked[1]


def test_a_sheet_of_one_question_has_one_order(bundled_questions):
    bank, questions = bundled_questions
    a, b = versions(bank, sheet_questions(questions, 1, "1"), 2, "1")
    assert [q.id for q in a.questions] == [q.id for q in b.questions]


def _pdf(chromium: str, html: Path) -> Path:
    pdf = html.with_suffix(".pdf")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html.as_uri()], check=True, capture_output=True, timeout=180)
    return pdf


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [_squeezed(page.extract_text()) for page in PdfReader(pdf).pages]


def _where(pages: list[str], text: str) -> set[int]:
    needle = _squeezed(text)
    return {i for i, page in enumerate(pages) if needle in page}


@pytest.mark.parametrize(("options", "most_pages"), [({}, 20), ({"count": 20, "seed": "5", "versions": 2}, 4)])
def test_printed_sheets_are_short_numbered_and_never_split_a_question(bundled_questions, chromium, tmp_path,
                                                                       options, most_pages):
    bank, questions = bundled_questions
    written = export("html", bank, questions, tmp_path / "sheet.html", **options)
    sheets = versions(bank, sheet_questions(questions, options.get("count"), options.get("seed")),
                      options.get("versions", 1), options.get("seed"))
    for version, html in zip(sheets, written):
        pages = _pages(_pdf(chromium, html))
        assert 1 <= len(pages) <= most_pages, f"{html.name}: {len(pages)} pages"
        for n, page in enumerate(pages, 1):
            assert f"Page{n}of{len(pages)}" in page, f"{html.name}: no page number on page {n}"
        for q in version.questions:
            first = _where(pages, q.prompt[:60])
            # its last line: the last choice, with the letter the sheet prints before it
            last = _where(pages, f"{chr(ord('A') + len(q.choices) - 1)}. {q.choices[-1]}") if q.choices else first
            assert len(first) == 1, f"{q.id}: its prompt is on pages {sorted(first)}"
            assert first <= last, f"{q.id} breaks across pages: prompt on {sorted(first)}, last choice on {sorted(last)}"
    key_pages = _pages(_pdf(chromium, written[-1]))
    assert all(f"Page{n}of{len(key_pages)}" in page for n, page in enumerate(key_pages, 1))
