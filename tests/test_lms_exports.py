"""Exports that grade like the quiz: Moodle XML read back and graded by Moodle's own rules against the
grader's case table, GIFT's typed answers the same as Moodle XML's, and the Canvas QTI package
checked against the QTI 1.2 content model.

A real QTI 1.2 reader (pyslet) reads the Canvas package back in tests/test_canvas_qti.py; here it is
also checked structurally: every element the export writes, with its required attributes and its
children in the order the QTI 1.2 ASI DTD allows.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from moodle_rules import read_moodle_xml, wildcard_matches, xml_grade
from test_grading_table import CASES

from khasham_learn.exports import Loss, export
from khasham_learn.exports.common import right_answers
from khasham_learn.exports.typed import Numerical, ShortAnswer, typed_grading
from khasham_learn.generation import generate
from khasham_learn.grading import grade

# Words that name another unit than the fact's: the quiz converts and allows for rounding, Moodle only converts.
_OTHER_UNIT = re.compile(r"\b(km|kilomet\w+|miles?|yards?|meters?|metres?|minutes?|hours?)\b")


@pytest.fixture(scope="module")
def bundled_bank_and_questions():
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    bank = open_bank(bundled_bank())
    return bank, {q.id: q for q in generate(bank)}


def export_bundled(fmt: str, bank_and_questions, folder: Path) -> tuple[Path, list[Loss]]:
    """The whole bundled bank in `fmt`, and what the export said it could not carry."""
    bank, questions = bank_and_questions
    losses: list[Loss] = []
    suffix = __import__(f"khasham_learn.exports.{fmt}", fromlist=["SUFFIX"]).SUFFIX
    (path,) = export(fmt, bank, list(questions.values()), folder / f"bank{suffix}", losses=losses)
    return path, losses


@pytest.fixture(scope="module")
def moodle(bundled_bank_and_questions, tmp_path_factory):
    path, losses = export_bundled("moodlexml", bundled_bank_and_questions, tmp_path_factory.mktemp("moodle"))
    lost: dict[str, list[str]] = {}
    for loss in losses:
        lost.setdefault(loss.question, []).append(loss.what)
    return read_moodle_xml(path), lost


def flat(pairs) -> list[float]:
    return [x for pair in pairs for x in pair]


def _typed_cases(questions, moodle_questions):
    return [(qid, answer, ok) for qid, answer, ok in CASES if qid in moodle_questions
            and moodle_questions[qid][0] in ("shortanswer", "numerical")]


def test_moodle_accepts_what_the_quiz_accepts(bundled_bank_and_questions, moodle):
    """Every right answer of the case table that Moodle's question type can read is accepted; the
    rest are said in the export's report for that question."""
    _, questions = bundled_bank_and_questions
    moodle_questions, lost = moodle
    cases = _typed_cases(questions, moodle_questions)
    right = [(qid, answer) for qid, answer, ok in cases if ok]
    assert len(right) >= 300
    accepted, missed = [], []
    for qid, answer in right:
        assert grade(questions[qid], answer).correct  # the table's verdict is the quiz's
        (accepted if xml_grade(moodle_questions[qid], answer) == 100 else missed).append((qid, answer))
    for qid, answer in missed:
        kind = moodle_questions[qid][0]
        assert lost.get(qid), f"{answer!r} for {qid} is refused by Moodle and the report says nothing"
        if kind == "numerical" and answer[:1].isdigit() and "," not in answer:
            # a number Moodle can read is accepted, but for a figure in another unit (its rounding)
            assert _OTHER_UNIT.search(answer), f"Moodle refuses {answer!r} for {qid}"
        if qid in ("attack-start-time.direct", "qrf-arrival-time.direct") and re.search(r"\d[:.]\d\d|\d\s*[ap]\.?m", answer):
            pytest.fail(f"Moodle refuses the time {answer!r} for {qid}")
    assert len(accepted) >= 0.7 * len(right), f"Moodle accepts only {len(accepted)} of {len(right)} right answers"


def test_moodle_refuses_most_of_what_the_quiz_refuses(bundled_bank_and_questions, moodle):
    _, questions = bundled_bank_and_questions
    moodle_questions, _ = moodle
    wrong = [(qid, answer) for qid, answer, ok in _typed_cases(questions, moodle_questions) if not ok]
    let_through = [(qid, a) for qid, a in wrong if xml_grade(moodle_questions[qid], a) > 0]
    assert len(wrong) >= 250
    assert len(let_through) <= 0.12 * len(wrong), let_through


def test_times_in_every_usual_spelling(bundled_bank_and_questions, moodle):
    """The issue's case: 'about 5:30 p.m.' was accepted, '17:30' and '5:30 pm' were not."""
    moodle_questions, _ = moodle
    start = moodle_questions["attack-start-time.direct"]  # about 10:00 p.m. or about 10:30 p.m.
    for typed in ("22:00", "about 22:00", "10:00 pm", "10pm", "10 p.m.", "about 10:30 p.m.", "22.30", "21:55", "at 10:05 PM"):
        assert xml_grade(start, typed) == 100, typed
    for typed in ("10:00 am", "23:00", "21:00", "10:45 pm", "9:30 pm"):
        assert xml_grade(start, typed) == 0, typed


def test_every_accepted_form_and_number_is_right_in_moodle(bundled_bank_and_questions, moodle):
    _, questions = bundled_bank_and_questions
    moodle_questions, _ = moodle
    for qid, definition in moodle_questions.items():
        q = questions[qid]
        if definition[0] == "shortanswer":
            assert definition[1]["usecase"] == "0"
            for form in {q.answer, *q.accepted}:
                if grade(q, form).correct:
                    assert xml_grade(definition, form) == 100, (qid, form)
        elif definition[0] == "numerical":
            for low, high in q.ranges:
                grading = typed_grading(q)
                assert isinstance(grading, Numerical)
                for interval in grading.intervals:
                    assert xml_grade(definition, f"{interval.middle:g}") == 100, qid


def test_numbers_and_durations_are_numerical_with_units(bundled_bank_and_questions, moodle):
    _, questions = bundled_bank_and_questions
    moodle_questions, _ = moodle
    assert moodle_questions["attackers-number.direct"][0] == "numerical"
    assert xml_grade(moodle_questions["attackers-number.direct"], "520") == 100
    assert xml_grade(moodle_questions["attackers-number.direct"], "400") == 0
    battle = moodle_questions["battle-duration.direct"]  # 4 hours; 3 hours
    assert [xml_grade(battle, t) for t in ("4", "3 hours", "240 minutes", "180 min", "5 hours")] == [100, 100, 100, 100, 0]
    distance = moodle_questions["backup-distance.direct"]  # 20 miles
    assert xml_grade(distance, "20 miles") == 100 and xml_grade(distance, "21") == 0
    # "hundreds" alone is a word Moodle's numerical question cannot take: a short answer
    assert moodle_questions["buildup-troop-count.direct"][0] == "shortanswer"


def test_gift_grades_typed_answers_as_moodle_xml_does(bundled_bank_and_questions, tmp_path):
    from test_exports import parse_gift

    bank, questions = bundled_bank_and_questions
    losses: list[Loss] = []
    (path,) = export("gift", bank, list(questions.values()), tmp_path / "bank.gift", losses=losses)
    for item in parse_gift(path.read_text(encoding="utf-8")):
        q = questions[item["id"]]
        grading = typed_grading(q)
        if isinstance(grading, Numerical):
            assert flat(item["ranges"]) == pytest.approx(flat((i.low, i.high) for i in grading.intervals))
        elif isinstance(grading, ShortAnswer):
            assert item["wrong"] == list(grading.refusals)
            assert item["right"] == [f.replace("*", "\\*") for f in grading.forms] + list(grading.patterns)
    durations = {loss.question for loss in losses if loss.what.startswith("units: GIFT cannot declare them")}
    assert "battle-duration.direct" in durations
    # where Moodle refuses a unit, words after the number are not also said to go unchecked
    unchecked = {loss.question for loss in losses if loss.what.startswith("the words after the number are not checked")}
    assert unchecked and not unchecked & durations
    assert "battle-duration.direct::How long" in path.read_text(encoding="utf-8")
    assert "(in hours)" in path.read_text(encoding="utf-8")


def test_wildcards_follow_moodle():
    assert wildcard_matches("about 10:05 PM", "* 10:0*p*m*")
    assert wildcard_matches("  Peskov ", "*Peskov")
    assert not wildcard_matches("Peskov said", "*Peskov")
    assert wildcard_matches("a*b", "a\\*b") and not wildcard_matches("axb", "a\\*b")


# ---------------------------------------------------------------- Canvas: QTI 1.2


Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"

# The QTI 1.2 ASI content model (ims_qtiasiv1p2 DTD) of every element the export writes: the
# children allowed, in order, each as (name, least, most); and the attributes each must have.
_ANY = 10**6
CONTENT: dict[str, list[tuple[str, int, int]]] = {
    "questestinterop": [("qticomment", 0, 1), ("assessment", 1, 1)],
    "assessment": [("qticomment", 0, 1), ("duration", 0, 1), ("qtimetadata", 0, _ANY), ("objectives", 0, _ANY),
                   ("assessmentcontrol", 0, _ANY), ("rubric", 0, _ANY), ("presentation_material", 0, 1),
                   ("outcomes_processing", 0, _ANY), ("assessproc_extension", 0, 1), ("assessfeedback", 0, _ANY),
                   ("selection_ordering", 0, 1), ("reference", 0, 1), ("section", 1, _ANY)],
    "qtimetadata": [("vocabulary", 0, 1), ("qtimetadatafield", 1, _ANY)],
    "qtimetadatafield": [("fieldlabel", 1, 1), ("fieldentry", 1, 1)],
    "section": [("qticomment", 0, 1), ("duration", 0, 1), ("qtimetadata", 0, _ANY), ("objectives", 0, _ANY),
                ("sectioncontrol", 0, _ANY), ("sectionprecondition", 0, _ANY), ("sectionpostcondition", 0, _ANY),
                ("rubric", 0, _ANY), ("presentation_material", 0, 1), ("outcomes_processing", 0, _ANY),
                ("sectionproc_extension", 0, 1), ("sectionfeedback", 0, _ANY), ("selection_ordering", 0, 1),
                ("reference", 0, 1), ("item", 0, _ANY)],
    "item": [("qticomment", 0, 1), ("duration", 0, 1), ("itemmetadata", 0, 1), ("objectives", 0, _ANY),
             ("itemcontrol", 0, _ANY), ("itemprecondition", 0, _ANY), ("itempostcondition", 0, _ANY),
             ("rubric", 0, _ANY), ("presentation", 0, 1), ("resprocessing", 0, _ANY), ("itemproc_extension", 0, 1),
             ("itemfeedback", 0, _ANY), ("reference", 0, 1)],
    "itemmetadata": [("qtimetadata", 0, _ANY)],
    "presentation": [("qticomment", 0, 1), ("material", 0, 1), ("response_lid", 0, _ANY), ("response_str", 0, 1)],
    "material": [("qticomment", 0, 1), ("mattext", 1, 1)],
    "response_lid": [("material", 0, 1), ("render_choice", 1, 1), ("response_na", 0, 1)],
    "response_str": [("material", 0, 1), ("render_fib", 1, 1), ("response_na", 0, 1)],
    "render_choice": [("material", 0, _ANY), ("response_label", 1, _ANY)],
    "render_fib": [("material", 0, _ANY), ("response_label", 1, _ANY)],
    "response_label": [("material", 0, _ANY)],
    "resprocessing": [("qticomment", 0, 1), ("outcomes", 1, 1), ("respcondition", 1, _ANY), ("itemproc_extension", 0, 1)],
    "outcomes": [("qticomment", 0, 1), ("decvar", 1, _ANY), ("interpretvar", 0, _ANY)],
    "respcondition": [("qticomment", 0, 1), ("conditionvar", 1, 1), ("setvar", 0, _ANY), ("displayfeedback", 0, _ANY),
                      ("respcond_extension", 0, 1)],
    "itemfeedback": [("flow_mat", 0, 1)],
    "flow_mat": [("material", 1, _ANY)],
}
# Condition expressions: any number of these, in any order.
CONDITIONS = {"varequal", "vargte", "varlte", "not", "and", "or", "other"}
REQUIRED = {
    "assessment": {"ident"}, "section": {"ident"}, "item": {"ident"}, "response_lid": {"ident"},
    "response_str": {"ident"}, "response_label": {"ident"}, "varequal": {"respident"}, "vargte": {"respident"},
    "varlte": {"respident"}, "setvar": {"varname", "action"}, "itemfeedback": {"ident"},
    "displayfeedback": {"linkrefid"}, "decvar": {"varname", "vartype"},
}
TEXT_ONLY = {"fieldlabel", "fieldentry", "mattext", "varequal", "vargte", "varlte", "setvar"}
EMPTY = {"decvar", "other", "displayfeedback"}


def check_qti(element: ET.Element) -> None:
    assert element.tag.startswith(Q), f"{element.tag} is not in the QTI 1.2 namespace"
    name = element.tag[len(Q):]
    missing = REQUIRED.get(name, set()) - set(element.attrib)
    assert not missing, f"<{name}> lacks {missing}"
    children = [c.tag[len(Q):] for c in element]
    if name in TEXT_ONLY or name in EMPTY:
        assert not children, f"<{name}> holds elements"
        assert name in EMPTY or (element.text or "").strip() or name == "mattext", f"<{name}> is empty"
        return
    if name in ("conditionvar", "and", "or", "not"):
        assert children and set(children) <= CONDITIONS, f"<{name}> holds {children}"
        assert name != "not" or len(children) == 1
    else:
        assert name in CONTENT, f"<{name}> is not an element the export should write"
        position = 0
        for allowed, least, most in CONTENT[name]:
            count = 0
            while position < len(children) and children[position] == allowed:
                position += 1
                count += 1
            assert least <= count <= most, f"<{name}> holds {count} <{allowed}>"
        assert position == len(children), f"<{name}>: <{children[position]}> out of place in {children}"
    for child in element:
        check_qti(child)


@pytest.fixture(scope="module")
def canvas(bundled_bank_and_questions, tmp_path_factory):
    return export_bundled("canvas", bundled_bank_and_questions, tmp_path_factory.mktemp("canvas"))


def test_canvas_package_is_qti_1_2(canvas, bundled_bank_and_questions):
    _, questions = bundled_bank_and_questions
    path, _ = canvas
    with zipfile.ZipFile(path) as archive:
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        assert manifest.tag == f"{CP}manifest"
        (resource,) = manifest.iter(f"{CP}resource")
        assert resource.get("type") == "imsqti_xmlv1p2"
        quiz_file = resource.find(f"{CP}file").get("href")
        assert sorted(archive.namelist()) == sorted(["imsmanifest.xml", quiz_file])
        root = ET.fromstring(archive.read(quiz_file))
    check_qti(root)
    items = list(root.iter(f"{Q}item"))
    assert [i.get("ident") for i in items] == list(questions)  # the ids: a re-import finds the same questions


def _meta(item: ET.Element) -> dict[str, str]:
    return {f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry") for f in item.iter(f"{Q}qtimetadatafield")}


def test_canvas_items_grade_like_the_quiz(canvas, bundled_bank_and_questions):
    _, questions = bundled_bank_and_questions
    path, losses = canvas
    with zipfile.ZipFile(path) as archive:
        quiz_file = next(n for n in archive.namelist() if n != "imsmanifest.xml")
        root = ET.fromstring(archive.read(quiz_file))
    kinds = {}
    for item in root.iter(f"{Q}item"):
        q = questions[item.get("ident")]
        kind = kinds[q.id] = _meta(item)["question_type"]
        scoring = [c for c in item.iter(f"{Q}respcondition") if c.find(f"{Q}setvar") is not None]
        if kind in ("multiple_choice_question", "true_false_question"):
            labels = {l.get("ident"): l.findtext(f".//{Q}mattext") for l in item.iter(f"{Q}response_label")}
            (condition,) = scoring
            assert [labels[condition.findtext(f".//{Q}varequal")]] == right_answers(q)
        elif kind == "numerical_question":
            grading = typed_grading(q)
            bounds = [(float(c.findtext(f".//{Q}vargte")), float(c.findtext(f".//{Q}varlte"))) for c in scoring]
            assert flat(bounds) == pytest.approx(flat((i.low, i.high) for i in grading.intervals))
        elif kind == "short_answer_question":
            forms = {v.text for v in item.iter(f"{Q}varequal")}
            assert {f for f in (q.answer, *q.accepted) if grade(q, f).correct} <= forms
    assert set(kinds.values()) >= {"multiple_choice_question", "true_false_question", "multiple_answers_question",
                                   "numerical_question", "short_answer_question", "matching_question"}
    start = next(i for i in root.iter(f"{Q}item") if i.get("ident") == "attack-start-time.direct")
    assert {"22:00", "10:00 pm", "10pm", "22:30"} <= {v.text for v in start.iter(f"{Q}varequal")}
    said = {(loss.question, loss.what) for loss in losses}
    assert any(qid == "battle-duration.direct" and "units" in what for qid, what in said)
    assert any(qid == "peskov-no-comment-who.direct" and "Canvas accepts only the forms listed" in what for qid, what in said)


@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_zipped_exports_are_the_same_bytes_at_another_time(bundled_bank_and_questions, tmp_path, monkeypatch, epoch):
    """Kahoot's workbook once carried the clock in its properties and zip entries, and Canvas's
    entries were marked with the building system; with or without SOURCE_DATE_EPOCH the same bank
    gives the same bytes, dated by the build time."""
    import time
    from datetime import datetime, timezone

    from khasham_learn.exports import build_time

    if epoch is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    bank, questions = bundled_bank_and_questions
    everything = list(questions.values())
    kinds = {"kahoot": ".xlsx", "canvas": ".zip"}
    first = {fmt: export(fmt, bank, everything, tmp_path / f"first{suffix}")[0].read_bytes() for fmt, suffix in kinds.items()}
    time.sleep(2.1)  # a zip entry's time counts in steps of 2 seconds: the clock is in another step now
    for fmt, suffix in kinds.items():
        again = export(fmt, bank, everything, tmp_path / f"again{suffix}")[0]
        assert again.read_bytes() == first[fmt], f"{fmt} differs from one export to the next"
        with zipfile.ZipFile(again) as archive:
            year, month, day, hour, minute, second = time.gmtime(build_time(bank))[:6]
            built = (year, month, day, hour, minute, second - second % 2)  # as a zip holds it
            assert all(info.date_time == built and info.create_system == 3 for info in archive.infolist())
    import openpyxl

    created = openpyxl.load_workbook(tmp_path / "again.xlsx").properties.created
    assert created == datetime.fromtimestamp(build_time(bank), tz=timezone.utc).replace(tzinfo=None)


def test_export_json_reports_what_each_question_lost(tmp_path):
    import json

    from click.testing import CliRunner

    from khasham_learn.cli import cli

    result = CliRunner().invoke(cli, ["export", "canvas", "-o", str(tmp_path / "q.zip"), "--topic", "battle", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["format"] == "canvas" and report["written"] == [str(tmp_path / "q.zip")]
    assert report["not_carried"] and all(set(r) == {"question", "not_carried"} for r in report["not_carried"])
    plain = CliRunner().invoke(cli, ["export", "moodlexml", "-o", str(tmp_path / "q.xml"), "--topic", "battle"])
    assert plain.exit_code == 0 and "moodlexml could not carry" in plain.output


@pytest.mark.parametrize(("fmt", "suffix"), [("canvas", ".zip"), ("gift", ".gift"), ("csv", ".csv")])
def test_the_report_of_what_was_not_carried_is_short(tmp_path, fmt, suffix):
    """It once listed every question of every kind of loss: some 20 KB on stderr for Canvas. Now a
    line per kind, with its count and a few examples; --json still lists every question."""
    import json

    from click.testing import CliRunner

    from khasham_learn.cli import cli
    from khasham_learn.commands.teach import LOSS_EXAMPLES

    out = tmp_path / f"bank{suffix}"
    plain = CliRunner().invoke(cli, ["export", fmt, "-o", str(out)])
    assert plain.exit_code == 0, plain.output
    full = CliRunner().invoke(cli, ["export", fmt, "-o", str(out), "--json"])
    lost: dict[str, list[str]] = {}
    for loss in json.loads(full.output)["not_carried"]:
        lost.setdefault(loss["not_carried"], []).append(loss["question"])
    assert any(len(ids) > LOSS_EXAMPLES for ids in lost.values())
    kinds = [line for line in plain.output.splitlines() if line.startswith("- ")]
    assert len(kinds) == len(lost) <= 20
    for line, (what, ids) in zip(kinds, lost.items()):
        shown = f"- {what} ({len(ids)}): {', '.join(ids[:LOSS_EXAMPLES])}"
        more = f" \u2026 and {len(ids) - LOSS_EXAMPLES} more; --json lists them all" if len(ids) > LOSS_EXAMPLES else ""
        assert line == shown + more
    assert len(plain.output) < 4000


def test_moodle_refuses_every_negation_the_quiz_reads(bundled_bank_and_questions, moodle):
    # The refused words are the grader's own negations ("nor", "cannot", "refused" included), so
    # the two cannot drift: a right answer after any of them is wrong in the quiz and in Moodle.
    from khasham_learn.grading import NEGATIONS, negations_in, prompt_negations

    _, questions = bundled_bank_and_questions
    moodle_questions, _ = moodle
    checked = echoed = 0
    for qid, definition in moodle_questions.items():
        q = questions[qid]
        refusals = typed_grading(q)
        if definition[0] != "shortanswer" or not isinstance(refusals, ShortAnswer):
            continue
        if not any(r.split()[0] in NEGATIONS for r in refusals.refusals):  # a time's refusals are other times
            continue
        held = set().union(*map(negations_in, (q.answer, *q.accepted)))
        for word in NEGATIONS:
            typed = f"{word} {q.answer}"
            if word in prompt_negations(q.prompt) and word not in held:
                # the prompt's own "not" restated ("What did US forces not do?"): right in both
                assert grade(q, typed).correct and xml_grade(definition, typed) == 100, (qid, typed)
                echoed += 1
            elif word not in held:
                assert not grade(q, typed).correct, typed
                assert xml_grade(definition, typed) == 0, (qid, typed)
                checked += 1
    assert checked >= 11 * 20 and echoed >= 1
