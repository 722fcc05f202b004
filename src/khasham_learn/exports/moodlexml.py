"""Moodle XML: what GIFT cannot say of the quiz's grading.

A number or duration is a numerical question with the quiz's tolerance and with units (optional
for the student, converted when given: '240 minutes' for 4 hours); a typed text is a short answer
whose refusals (0%) come before its forms and wildcard patterns, since Moodle takes the first that
matches. Question names and idnumbers are the ids, so a re-import updates the same questions. What
Moodle cannot carry is reported per question (typed.py).
"""

from __future__ import annotations

import html
from pathlib import Path
from xml.etree import ElementTree as ET

from ..generation import Question
from . import ExportJob, write_atomically
from .common import CHOICE_TYPES, by_topic, choice_fractions, feedback_lines, one_line
from .typed import Numerical, ShortAnswer, escape_wildcards, typed_grading

SUFFIX = ".xml"
PENALTY = "0.3333333"  # Moodle's default for each wrong try in interactive mode


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def shown(text: str) -> str:
    """Bank text that Moodle shows as HTML: one line, < > & as entities, so markup is shown, not run."""
    return html.escape(one_line(text), quote=False)


def _number(value: float) -> str:
    return f"{value:.10g}"


def _fraction(share: float) -> str:
    return f"{share:.7f}".rstrip("0").rstrip(".")


def _answer(parent: ET.Element, fraction: float, text: str, fmt: str = "moodle_auto_format",
            feedback: str = "") -> ET.Element:
    answer = _text(parent, "answer", text, fmt)
    answer.set("fraction", _fraction(fraction))
    _text(answer, "feedback", feedback, "html")
    return answer


def _category(root: ET.Element, path: list[str]) -> None:
    question = ET.SubElement(root, "question", {"type": "category"})
    # Moodle splits a category path on '/'; a slash inside a name is written twice.
    _text(question, "category", "/".join(["$course$", "top", *(one_line(p).replace("/", "//") for p in path)]))


def _question(root: ET.Element, q: Question, kind: str) -> ET.Element:
    question = ET.SubElement(root, "question", {"type": kind})
    _text(question, "name", one_line(q.id))
    _text(question, "questiontext", shown(q.prompt), "html")
    _text(question, "generalfeedback", "<br>".join(shown(line) for line in feedback_lines(q)), "html")
    ET.SubElement(question, "defaultgrade").text = "1"
    ET.SubElement(question, "penalty").text = PENALTY
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = one_line(q.id)
    return question


def _choices(root: ET.Element, q: Question) -> None:
    question = _question(root, q, "multichoice")
    ET.SubElement(question, "single").text = "false" if q.type == "multi" else "true"
    ET.SubElement(question, "shuffleanswers").text = "false" if q.type == "true_false" else "true"
    ET.SubElement(question, "answernumbering").text = "abc"
    for choice, share in choice_fractions(q):
        _answer(question, share, shown(choice), "html")


def _matching(root: ET.Element, q: Question, pairs: list[tuple[str, str]]) -> None:
    question = _question(root, q, "matching")
    ET.SubElement(question, "shuffleanswers").text = "true"
    for left, right in pairs:
        sub = _text(question, "subquestion", shown(left), "html")
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = one_line(right)


def _numerical(root: ET.Element, q: Question, grading: Numerical) -> None:
    question = _question(root, q, "numerical")
    for interval in grading.intervals:
        answer = _answer(question, 100, _number(interval.middle))
        ET.SubElement(answer, "tolerance").text = _number(interval.tolerance)
    units = ET.SubElement(question, "units")
    for name, multiplier in [(grading.unit or "", 1.0), *grading.units]:
        if not name:
            continue
        unit = ET.SubElement(units, "unit")
        ET.SubElement(unit, "multiplier").text = _number(multiplier)
        ET.SubElement(unit, "unit_name").text = name
    # Units optional and not graded: the number decides; a unit given converts it (unitrole "optional").
    ET.SubElement(question, "unitgradingtype").text = "0"
    ET.SubElement(question, "unitpenalty").text = "0"
    ET.SubElement(question, "showunits").text = "0"
    ET.SubElement(question, "unitsleft").text = "0"


def _short_answer(root: ET.Element, q: Question, grading: ShortAnswer) -> None:
    question = _question(root, q, "shortanswer")
    ET.SubElement(question, "usecase").text = "0"
    for pattern in grading.refusals:  # tried first: Moodle takes the first answer that matches
        _answer(question, 0, pattern)
    for form in grading.forms:
        _answer(question, 100, escape_wildcards(one_line(form)))
    for pattern in grading.patterns:
        _answer(question, 100, pattern)


def add_question(root: ET.Element, q: Question, job: ExportJob) -> None:
    if q.type in CHOICE_TYPES and q.choices:
        _choices(root, q)
    elif q.type == "matching":
        _matching(root, q, list(q.pairs))
    elif q.type == "sequence":  # Moodle has no ordering question: match each event to its place
        _matching(root, q, [(event, str(n)) for n, event in enumerate(q.accepted, 1)])
        job.lost(q, "an ordering question: each event is matched to its place, so events the reports "
                    "leave in either order must still be put in the key's order")
    else:
        grading = typed_grading(q)
        if isinstance(grading, Numerical):
            _numerical(root, q, grading)
        elif isinstance(grading, ShortAnswer):
            _short_answer(root, q, grading)
        for what in grading.lost if grading else ():
            job.lost(q, what)


def render(job: ExportJob) -> bytes:
    root = ET.Element("quiz")
    root.append(ET.Comment(f" {one_line(job.bank.title)}: exported by khasham-learn from the bank's facts and their sources. "
                           .replace("--", "- -")))
    for group in by_topic(job.bank, job.questions):
        _category(root, [job.bank.title, group.title])
        for q in group.questions:
            add_question(root, q, job)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def export(job: ExportJob) -> list[Path]:
    return [write_atomically(job.output, render(job))]
