"""Canvas: a QTI 1.2 content package (.zip) that Canvas imports as a quiz (Settings > Import course
content > QTI .zip file), the whole bank in one quiz, a question per item.

Canvas reads IMS QTI 1.2 with its own metadata (question_type, points_possible). Choices become
multiple choice, true/false or multiple answers questions; numbers and durations numerical
questions with the quiz's intervals; typed text short answer ("fill in the blank") questions with
every accepted form. Canvas compares a short answer with each form whole and has no wildcards, and
its numerical answers take no units: what it cannot carry is reported per question. Item idents are
the question ids, so a re-import is matched to the same questions; the archive's bytes depend only
on the bank (the build time stamps its entries).
"""

from __future__ import annotations

import html
from pathlib import Path
from xml.etree import ElementTree as ET

from ..generation import Question
from . import ExportJob, slug, write_atomically
from .archive import zip_bytes
from .common import CHOICE_TYPES, choice_fractions, feedback_lines, one_line
from .typed import Numerical, ShortAnswer, time_forms, typed_grading, unit_hint

SUFFIX = ".zip"
NOT_TO_STDOUT = "a QTI package is a zip archive"

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
# IMS Content Packaging 1.1, the namespace of the schema named beside it (text2qti's Canvas
# packages use it too; Canvas finds the quiz by the resource's type, whatever the namespace).
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_SCHEMA = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
RESPONSE = "response1"
# A choice is named by its label's ident, compared as written: QTI 2 has no case-blind identifiers.
CHOSEN = {"respident": RESPONSE, "case": "Yes"}


def _meta(parent: ET.Element, fields: dict[str, str]) -> None:
    meta = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, text: str, kind: str = "text/html") -> None:
    material = ET.SubElement(parent, "material")
    if kind == "text/html":  # in a block: HTML 4 (which QTI 1.2 readers parse it as) allows no bare text in a body
        text = f"<div>{text}</div>"
    ET.SubElement(material, "mattext", {"texttype": kind}).text = text


def shown(text: str) -> str:
    """Bank text that Canvas shows as HTML: one line, markup shown, never run."""
    return html.escape(one_line(text), quote=False)


def _item(section: ET.Element, q: Question, kind: str, points: int = 1) -> tuple[ET.Element, ET.Element]:
    """The item with its metadata and question text; returns it and its presentation."""
    item = ET.SubElement(section, "item", {"ident": one_line(q.id), "title": one_line(q.id)})
    metadata = ET.SubElement(item, "itemmetadata")
    _meta(metadata, {"question_type": kind, "points_possible": f"{points}.0"})
    presentation = ET.SubElement(item, "presentation")
    return item, presentation


def _processing(item: ET.Element, q: Question) -> ET.Element:
    processing = ET.SubElement(item, "resprocessing")
    outcomes = ET.SubElement(processing, "outcomes")
    ET.SubElement(outcomes, "decvar", {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
    if feedback_lines(q):  # shown whatever the answer: who says what
        always = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
        ET.SubElement(ET.SubElement(always, "conditionvar"), "other")
        ET.SubElement(always, "displayfeedback", {"feedbacktype": "Response", "linkrefid": "general_fb"})
    return processing


def _condition(processing: ET.Element, score: str, action: str = "Set") -> ET.Element:
    """A respcondition whose conditionvar the caller fills; its score set (or added) when it holds."""
    condition = ET.SubElement(processing, "respcondition", {"continue": "No" if action == "Set" else "Yes"})
    conditionvar = ET.SubElement(condition, "conditionvar")
    ET.SubElement(condition, "setvar", {"action": action, "varname": "SCORE"}).text = score
    return conditionvar


def _feedback(item: ET.Element, q: Question) -> None:
    lines = feedback_lines(q)
    if not lines:
        return
    feedback = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
    flow = ET.SubElement(feedback, "flow_mat")
    _material(flow, "<br>".join(shown(line) for line in lines))


def _choices(section: ET.Element, q: Question) -> None:
    kind = {"multi": "multiple_answers_question", "true_false": "true_false_question"}.get(q.type, "multiple_choice_question")
    item, presentation = _item(section, q, kind)
    _material(presentation, shown(q.prompt))
    cardinality = "Multiple" if q.type == "multi" else "Single"
    response = ET.SubElement(presentation, "response_lid", {"ident": RESPONSE, "rcardinality": cardinality})
    fractions = choice_fractions(q)
    # Without maxnumber a QTI 2 reader allows one tick (maxChoices defaults to 1), so say how many.
    render = ET.SubElement(response, "render_choice", {"maxnumber": str(len(fractions))} if q.type == "multi" else {})
    for n, (choice, _) in enumerate(fractions, 1):
        label = ET.SubElement(render, "response_label", {"ident": str(n)})
        _material(label, one_line(choice), "text/plain")
    processing = _processing(item, q)
    condition = _condition(processing, "100")
    if q.type == "multi":  # every right choice ticked and no wrong one
        both = ET.SubElement(condition, "and")
        for n, (_, share) in enumerate(fractions, 1):
            if share > 0:
                ET.SubElement(both, "varequal", CHOSEN).text = str(n)
            else:
                ET.SubElement(ET.SubElement(both, "not"), "varequal", CHOSEN).text = str(n)
    else:
        right = next(n for n, (_, share) in enumerate(fractions, 1) if share > 0)
        ET.SubElement(condition, "varequal", CHOSEN).text = str(right)
    _feedback(item, q)


def _matching(section: ET.Element, q: Question, pairs: list[tuple[str, str]]) -> None:
    item, presentation = _item(section, q, "matching_question", len(pairs))
    _material(presentation, shown(q.prompt))
    options = list(dict.fromkeys(right for _, right in pairs))
    option_ids = {right: f"m{n}" for n, right in enumerate(options, 1)}
    for n, (left, _) in enumerate(pairs, 1):
        response = ET.SubElement(presentation, "response_lid", {"ident": f"response_{n}", "rcardinality": "Single"})
        _material(response, one_line(left), "text/plain")
        render = ET.SubElement(response, "render_choice")
        for right in options:
            label = ET.SubElement(render, "response_label", {"ident": option_ids[right]})
            _material(label, one_line(right), "text/plain")
    processing = _processing(item, q)
    share = f"{100 / len(pairs):.2f}"
    for n, (_, right) in enumerate(pairs, 1):
        condition = _condition(processing, share, action="Add")
        ET.SubElement(condition, "varequal", {"respident": f"response_{n}", "case": "Yes"}).text = option_ids[right]
    _feedback(item, q)


def _typed(section: ET.Element, q: Question, kind: str, hint: str = "") -> tuple[ET.Element, ET.Element]:
    item, presentation = _item(section, q, kind)
    _material(presentation, shown(q.prompt + hint))
    # A number too is a string response, as Canvas itself exports one: the form its importer reads
    # each numerical answer from (given a <response_num>, it keeps at most the first range).
    response = ET.SubElement(presentation, "response_str", {"ident": RESPONSE, "rcardinality": "Single"})
    render = ET.SubElement(response, "render_fib", {"fibtype": "Decimal"} if kind == "numerical_question" else {})
    ET.SubElement(render, "response_label", {"ident": "answer1", "rshuffle": "No"})
    return item, _processing(item, q)


def _numerical(section: ET.Element, q: Question, grading: Numerical) -> None:
    item, processing = _typed(section, q, "numerical_question", unit_hint(q, grading))
    for interval in grading.intervals:
        condition = _condition(processing, "100")
        either = ET.SubElement(condition, "or")
        ET.SubElement(either, "varequal", {"respident": RESPONSE}).text = f"{interval.middle:g}"
        both = ET.SubElement(either, "and")
        ET.SubElement(both, "vargte", {"respident": RESPONSE}).text = f"{interval.low:g}"
        ET.SubElement(both, "varlte", {"respident": RESPONSE}).text = f"{interval.high:g}"
    _feedback(item, q)


def canvas_forms(q: Question, grading: ShortAnswer) -> list[str]:
    """The answers Canvas compares with what is typed, whole: every accepted form, and for a time
    the usual ways to write every fifth minute of its ranges."""
    extra = time_forms(q.ranges) if q.kind == "time" else []
    return list(dict.fromkeys(one_line(f) for f in (*grading.forms, *extra)))


def _short_answer(section: ET.Element, q: Question, grading: ShortAnswer) -> None:
    item, processing = _typed(section, q, "short_answer_question")
    condition = _condition(processing, "100")
    for form in canvas_forms(q, grading):
        ET.SubElement(condition, "varequal", {"respident": RESPONSE}).text = form
    _feedback(item, q)


def add_question(section: ET.Element, q: Question, job: ExportJob) -> None:
    if q.type in CHOICE_TYPES and q.choices:
        _choices(section, q)
        return
    if q.type == "matching":
        _matching(section, q, list(q.pairs))
        return
    if q.type == "sequence":  # Canvas has no ordering question: match each event to its place
        _matching(section, q, [(event, str(n)) for n, event in enumerate(q.accepted, 1)])
        job.lost(q, "an ordering question: each event is matched to its place, so events the reports "
                    "leave in either order must still be put in the key's order")
        return
    grading = typed_grading(q)
    if isinstance(grading, Numerical):
        _numerical(section, q, grading)
        job.lost(q, "units after the number ('4 hours', '20 miles'): Canvas takes the number alone")
        for what in grading.lost:
            if "Moodle" not in what and "unit" not in what:
                job.lost(q, what)
        job.lost(q, "numbers in words and answers starting with a word ('about 40', 'more than 500')")
    elif isinstance(grading, ShortAnswer):
        _short_answer(section, q, grading)
        job.lost(q, "the quiz's looser reading (other words around the answer, a surname alone, the core words "
                    "of a longer answer): Canvas accepts only the forms listed, whole, case ignored")
        for what in grading.lost:
            if "not refused" not in what:
                job.lost(q, what)


def quiz_xml(job: ExportJob, quiz_id: str) -> bytes:
    ET.register_namespace("", QTI_NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{QTI_NS}}}questestinterop", {f"{{{XSI}}}schemaLocation": f"{QTI_NS} {QTI_SCHEMA}"})
    assessment = ET.SubElement(root, "assessment", {"ident": quiz_id, "title": one_line(job.bank.title)})
    _meta(assessment, {"cc_maxattempts": "1"})
    section = ET.SubElement(assessment, "section", {"ident": "root_section"})
    for q in job.questions:
        add_question(section, q, job)
    _qualify(root, QTI_NS)
    ET.indent(root)
    return _document(root)


def manifest_xml(quiz_id: str, quiz_file: str) -> bytes:
    ET.register_namespace("", CP_NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{CP_NS}}}manifest", {"identifier": f"{quiz_id}-manifest",
                                              f"{{{XSI}}}schemaLocation": f"{CP_NS} {CP_SCHEMA}"})
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    resource = ET.SubElement(resources, "resource", {"identifier": quiz_id, "type": "imsqti_xmlv1p2", "href": quiz_file})
    ET.SubElement(resource, "file", {"href": quiz_file})
    _qualify(root, CP_NS)
    ET.indent(root)
    return _document(root)


def _qualify(root: ET.Element, namespace: str) -> None:
    """Every element in the document's namespace (ElementTree writes them unqualified otherwise)."""
    for element in root.iter():
        if not element.tag.startswith("{"):
            element.tag = f"{{{namespace}}}{element.tag}"


def _document(root: ET.Element) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def package(job: ExportJob) -> bytes:
    quiz_id = f"kl-{slug(job.bank.title)}"
    quiz_file = f"{quiz_id}/{quiz_id}.xml"
    return zip_bytes((("imsmanifest.xml", manifest_xml(quiz_id, quiz_file)), (quiz_file, quiz_xml(job, quiz_id))),
                     job.build_time)


def export(job: ExportJob) -> list[Path]:
    return [write_atomically(job.output, package(job))]
