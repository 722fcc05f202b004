"""The Canvas package read back by a real QTI 1.2 reader: pyslet's QTI v1.2.1 parser (pyslet.qtiv1)
reads every item, its question type, its responses and its right answers, and its migration to
QTI 2.1 (the route Canvas's own importer takes, through the IMS QTI migration tool that pyslet
grew from) runs without complaint; the manifest is read by pyslet's IMS Content Packaging module.

pyslet 0.7.20170805, its last release, still has two Python 2 leftovers on paths the migration
takes; the `pyslet_on_py3` fixture puts them right for the test (see there).

Numerical questions stay as Canvas writes them, a string response compared with <vargte> and
<varlte>: Canvas's importer reads exactly that (a customOperator in its QTI 2 version), while a
QTI 2 migration without Canvas's extension cannot compare a string with a number and says so.
"""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import START_TIME_FACT
from pyslet import imscpv1p2
from pyslet.qtiv1 import common as qti_common
from pyslet.qtiv1 import core as qti_core
from pyslet.qtiv1 import item as qti_item
from pyslet.qtiv1.xml import QTIDocument
from pyslet.qtiv2 import interactions as qti2_interactions
from pyslet.qtiv2 import variables as qti2_variables
from pyslet.xml import structures
from test_exports import PEOPLE, QUESTIONS

from khasham_learn.cli import cli
from khasham_learn.exports.canvas import canvas_forms
from khasham_learn.exports.common import choice_fractions, one_line
from khasham_learn.exports.typed import Numerical, ShortAnswer, typed_grading, unit_hint
from khasham_learn.generation import Question, generate
from khasham_learn.grading import grade
from khasham_learn.loading import open_bank
from khasham_learn.paths import bundled_bank

# The one thing the migration says of our items: the feedback (who says what) is shown whatever
# the answer, which QTI 1.2 writes <other/> and QTI 2 a condition that is always true.
# pyslet renamed its methods to PEP 8 names and kept the old ones, which warn when its own code calls them.
pytestmark = pytest.mark.filterwarnings("ignore:.* is deprecated, use:DeprecationWarning")

FEEDBACK_ALWAYS = "Warning: replacing <other/> with the base value true - what did you want me to do??"


@pytest.fixture
def pyslet_on_py3(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyslet's two Python 2 leftovers on the migration's path, put right: Element.get_or_add_child
    calls the generator method .next(), and the message of its 'unimplemented operator' error calls
    the enumerations' old Encode (now to_str). Behaviour is otherwise pyslet's own."""

    def get_or_add_child(self, child_class):
        found = next(self.find_children_depth_first(child_class, max_depth=1), None)
        return found if found is not None else self.add_child(child_class)

    monkeypatch.setattr(structures.Element, "get_or_add_child", get_or_add_child)
    for enumeration in (qti2_variables.BaseType, qti2_variables.Cardinality):
        monkeypatch.setattr(enumeration, "Encode", enumeration.to_str, raising=False)


def export_canvas(tmp_path: Path, bank_dir: Path | None = None) -> Path:
    """The bank exported as the teacher would, through the command line."""
    out = tmp_path / "quiz.zip"
    args = ["export", "canvas", "-o", str(out), "--json"] + (["--bank", str(bank_dir)] if bank_dir else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["written"] == [str(out)]
    return out


def read_package(path: Path, caplog: pytest.LogCaptureFixture) -> tuple[imscpv1p2.ContentPackage, list[QTIDocument]]:
    """The manifest read as an IMS content package, and each QTI file it names parsed by pyslet,
    which logs at WARNING what it has to repair (markup it cannot place, values it rejects)."""
    with caplog.at_level(logging.WARNING):
        package = imscpv1p2.ContentPackage(str(path))
        try:
            resources = list(package.manifest.root.Resources.Resource)
            assert [r.type for r in resources] == ["imsqti_xmlv1p2"]
            hrefs = [str(f.href) for r in resources for f in r.File]
            with zipfile.ZipFile(path) as archive:
                assert sorted(archive.namelist()) == sorted(["imsmanifest.xml", *hrefs])
                documents = []
                for href in hrefs:
                    doc = QTIDocument()
                    doc.read(src=archive.read(href))
                    documents.append(doc)
        finally:
            package.close()
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    return package, documents


def items_of(doc: QTIDocument) -> list[qti_item.Item]:
    (section,) = doc.root.Assessment.SectionMixin
    return list(section.SectionItemMixin)


def metadata(item: qti_item.Item) -> dict[str, str]:
    return {f.FieldLabel.get_value(): f.FieldEntry.get_value()
            for md in item.ItemMetadata.QTIMetadata for f in md.QTIMetadataField}


def text_of(element) -> str:
    """What a reader shows of an element's own material: a text/html mattext as parsed HTML."""
    texts = []
    for material in element.get_children():
        if isinstance(material, qti_common.Material):
            for mattext in material.find_children_depth_first(qti_common.MatText):
                texts.append(mattext.extract_text()[0])
    return "".join(texts)


def conditions(expression) -> list:
    """The leaves of a condition (varequal, vargte...), each with whether a <not> turns it round."""
    found = []

    def walk(e, negated: bool) -> None:
        if isinstance(e, (qti_common.And, qti_common.Or, qti_common.Not)):
            for child in e.get_children():
                walk(child, negated ^ isinstance(e, qti_common.Not))
        else:
            found.append((e, negated))

    for e in expression.ExtendableExpressionMixin:
        walk(e, False)
    return found


def scoring(item: qti_item.Item) -> list[qti_item.RespCondition]:
    (processing,) = item.ResProcessing
    return [c for c in processing.ConditionMixin if c.SetVar]


def responses(item: qti_item.Item) -> list:
    return [c for c in item.Presentation.get_children() if isinstance(c, qti_item.ResponseThing)]


def labels(response) -> dict[str, str]:
    return {label.ident: text_of(label) for label in response.render.get_children()
            if isinstance(label, qti_item.ResponseLabel)}


def check_item(item: qti_item.Item, q: Question) -> str:
    """That pyslet reads in the item the question's type, prompt and right answers; returns the
    Canvas question type."""
    kind = metadata(item)["question_type"]
    grading = typed_grading(q) if kind in ("numerical_question", "short_answer_question") else None
    hint = unit_hint(q, grading) if isinstance(grading, Numerical) else ""
    assert text_of(item.Presentation) == one_line(q.prompt + hint)  # as text, whatever its markup
    found = responses(item)
    if kind in ("multiple_choice_question", "true_false_question", "multiple_answers_question"):
        (response,) = found
        assert isinstance(response, qti_item.ResponseLId) and isinstance(response.render, qti_item.RenderChoice)
        multiple = kind == "multiple_answers_question"
        assert response.rCardinality == (qti_core.RCardinality.Multiple if multiple else qti_core.RCardinality.Single)
        shown = labels(response)
        assert list(shown.values()) == [one_line(c) for c, _ in choice_fractions(q)]
        (condition,) = scoring(item)
        ticked = {shown[e.get_value()]: not negated for e, negated in conditions(condition.ConditionVar)}
        right = {one_line(c) for c, share in choice_fractions(q) if share > 0}
        if multiple:  # every right choice ticked, every wrong one not
            assert ticked == {one_line(c): share > 0 for c, share in choice_fractions(q)}
        else:
            assert set(ticked) == right and all(ticked.values())
    elif kind == "matching_question":
        pairs = list(q.pairs) if q.type == "matching" else [(e, str(n)) for n, e in enumerate(q.accepted, 1)]
        assert all(isinstance(r, qti_item.ResponseLId) for r in found) and len(found) == len(pairs)
        keyed = {}
        for condition in scoring(item):
            ((e, negated),) = conditions(condition.ConditionVar)
            assert not negated
            keyed[e.responseIdentifier] = e.get_value()
        assert [(text_of(r), labels(r)[keyed[r.ident]]) for r in found] == [(one_line(a), one_line(b)) for a, b in pairs]
    else:
        (response,) = found
        assert isinstance(response, qti_item.ResponseStr) and isinstance(response.render, qti_item.RenderFIB)
        leaves = [(e, negated) for c in scoring(item) for e, negated in conditions(c.ConditionVar)]
        assert not any(negated for _, negated in leaves)
        if kind == "numerical_question":
            assert isinstance(grading, Numerical)
            assert response.render.fibType == qti_core.FIBType.Decimal
            low = [float(e.get_value()) for e, _ in leaves if isinstance(e, qti_common.VarGTE)]
            high = [float(e.get_value()) for e, _ in leaves if isinstance(e, qti_common.VarLTE)]
            assert [x for pair in zip(low, high) for x in pair] == pytest.approx(
                [x for i in grading.intervals for x in (i.low, i.high)])
        else:
            assert kind == "short_answer_question" and isinstance(grading, ShortAnswer)
            forms = [e.get_value() for e, _ in leaves]
            assert all(isinstance(e, qti_common.VarEqual) and not e.case for e, _ in leaves)  # case ignored
            assert forms == canvas_forms(q, grading)
            assert {one_line(f) for f in (q.answer, *q.accepted) if grade(q, f).correct} <= set(forms)
    return kind


def check_migration(item: qti_item.Item, q: Question, kind: str) -> None:
    """pyslet's QTI 2.1 version of the item: no complaint but the always-shown feedback, the same
    identifier, and as many ticks allowed as the question has right answers to tick."""
    if kind == "numerical_question":
        with pytest.raises(qti_common.QTIUnimplementedOperator, match=r"vargte\(string\)"):
            item.migrate_to_v2([])
        return
    output: list = []
    item.migrate_to_v2(output)
    ((v2, _, log),) = output
    assert set(log) <= {FEEDBACK_ALWAYS}, log
    assert v2.root.identifier == q.id
    for interaction in v2.root.find_children_depth_first(qti2_interactions.ChoiceInteraction):
        expected = len(q.choices) if kind == "multiple_answers_question" else 1
        assert interaction.maxChoices == expected


def check_package(path: Path, questions: list[Question], caplog: pytest.LogCaptureFixture) -> dict[str, int]:
    _, (doc,) = read_package(path, caplog)
    items = items_of(doc)
    assert [i.ident for i in items] == [q.id for q in questions]  # a re-import finds the same questions
    kinds: dict[str, int] = {}
    for item, q in zip(items, questions):
        kind = check_item(item, q)
        check_migration(item, q, kind)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


@pytest.mark.usefixtures("pyslet_on_py3")
def test_a_small_bank_reads_back_in_a_qti_reader(make_bank, tmp_path, caplog):
    root = make_bank({"battle": START_TIME_FACT, "people": PEOPLE}, questions=QUESTIONS)
    questions = generate(open_bank(root))
    kinds = check_package(export_canvas(tmp_path, root), questions, caplog)
    assert sum(kinds.values()) == len(questions)
    assert {"multiple_choice_question", "true_false_question", "multiple_answers_question",
            "numerical_question", "short_answer_question"} <= set(kinds)


@pytest.mark.usefixtures("pyslet_on_py3")
def test_the_bundled_bank_reads_back_in_a_qti_reader(tmp_path, caplog):
    questions = generate(open_bank(bundled_bank()))
    kinds = check_package(export_canvas(tmp_path), questions, caplog)
    assert sum(kinds.values()) == len(questions)
    assert set(kinds) == {"multiple_choice_question", "true_false_question", "multiple_answers_question",
                          "numerical_question", "short_answer_question", "matching_question"}
