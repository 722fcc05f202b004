"""Moodle's own matching rules, re-implemented for the tests from Moodle's source
(question/type/shortanswer/question.php: compare_string_with_wildcard; question/type/numerical/
questiontype.php: qtype_numerical_answer_processor::apply_units; question.php: is_complete_response,
get_matching_answer; qtype_numerical_answer::get_tolerance_interval), for a question as our exports
define it. Case is ignored, as the exports set usecase 0."""

from __future__ import annotations

import re
import unicodedata

from khasham_learn.exports.typed import Numerical, ShortAnswer

_EPSILON = 1e-14  # PHP's precision 14: pow(10, -precision)


def wildcard_matches(response: str, pattern: str) -> bool:
    """compare_string_with_wildcard: runs of unescaped '*' are any text; the rest literal; whole
    string, trimmed, NFC, case ignored."""
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response)
    bits = re.split(r"(?<!\\)\*+", pattern)
    regex = "^" + ".*".join(re.escape(bit.replace("\\*", "*")) for bit in bits) + "$"
    return re.match(regex, response.strip(), re.IGNORECASE | re.DOTALL) is not None


def short_answer_accepts(definition: ShortAnswer, response: str) -> bool:
    """The first answer that matches, in the order the export writes them (refusals at 0%, then the
    forms and patterns at 100%), decides."""
    for pattern in definition.refusals:
        if wildcard_matches(response, pattern):
            return False
    return any(wildcard_matches(response, f.replace("*", "\\*")) for f in definition.forms) or \
        any(wildcard_matches(response, p) for p in definition.patterns)


def apply_units(response: str, units: dict[str, float]) -> tuple[float | None, str, float | None]:
    response = response.replace(" ", "")
    response = re.sub(r"(?:e|E|(?:x|\*|×)10(?:\^|\*\*))([+-]?\d+)", r"e\1", response)
    if "." in response or response.count(",") > 1:
        response = response.replace(",", "")
    else:
        response = response.replace(",", ".")
    m = re.match(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?", response)
    if not m:
        return None, "", None
    unit = response[m.end():]
    multiplier = 1 / units[unit] if unit in units else None
    return float(m.group()), unit, multiplier


def numerical_accepts(definition: Numerical, response: str) -> bool:
    """Units typed in the answer box (showunits 0), not graded (unitgradingtype 0); an answer with a
    thousands separator is refused as incomplete (English: ',')."""
    units = {(definition.unit or "").replace(" ", ""): 1.0, **dict(definition.units)}
    value, _, multiplier = apply_units(response.strip(), units)
    if value is None or "," in response:
        return False
    for interval in definition.intervals:
        tolerance = interval.tolerance + _EPSILON * max(abs(interval.tolerance), abs(interval.middle), _EPSILON)
        low, high = interval.middle - tolerance, interval.middle + tolerance
        scaled = value * multiplier if multiplier is not None else value
        if low <= scaled <= high or low <= value <= high:
            return True
    return False


def moodle_accepts(definition: Numerical | ShortAnswer, response: str) -> bool:
    if isinstance(definition, Numerical):
        return numerical_accepts(definition, response)
    return short_answer_accepts(definition, response)


# ---------------------------------------------------------------- read back from a Moodle XML file


def read_moodle_xml(path) -> dict[str, tuple[str, dict]]:
    """Each question by its idnumber: its type and, for a short answer, its answers in order as
    (fraction, text); for a numerical one, its answers as (fraction, value, tolerance) and units."""
    from xml.etree import ElementTree as ET

    out: dict[str, tuple[str, dict]] = {}
    for question in ET.parse(path).getroot().iter("question"):
        kind = question.get("type")
        if kind == "category":
            continue
        idnumber = question.findtext("idnumber")
        answers = question.findall("answer")
        if kind == "shortanswer":
            out[idnumber] = (kind, {"usecase": question.findtext("usecase"),
                                    "answers": [(float(a.get("fraction")), a.findtext("text") or "") for a in answers]})
        elif kind == "numerical":
            units = {u.findtext("unit_name"): float(u.findtext("multiplier")) for u in question.iter("unit")}
            out[idnumber] = (kind, {"answers": [(float(a.get("fraction")), float(a.findtext("text")),
                                                 float(a.findtext("tolerance") or 0)) for a in answers],
                                    "units": units, "showunits": question.findtext("showunits"),
                                    "unitgradingtype": question.findtext("unitgradingtype")})
        else:
            out[idnumber] = (kind, {})
    return out


def xml_short_answer_grade(definition: dict, response: str) -> float:
    """qtype_shortanswer: the first answer that matches gives its fraction; none, 0."""
    for fraction, pattern in definition["answers"]:
        if pattern == "*" or wildcard_matches(response, pattern):
            return fraction
    return 0.0


def xml_numerical_grade(definition: dict, response: str) -> float:
    """qtype_numerical with units typed in the box (showunits 0) and not graded (unitgradingtype 0)."""
    assert definition["showunits"] == "0" and definition["unitgradingtype"] == "0"
    units = {name.replace(" ", ""): m for name, m in definition["units"].items()}
    value, unit, multiplier = apply_units(response.strip(), units)
    if value is None or "," in response:  # not a number, or a thousands separator: not complete
        return 0.0
    for fraction, answer, tolerance in definition["answers"]:
        margin = tolerance + _EPSILON * max(abs(tolerance), abs(answer), _EPSILON)
        scaled = value * multiplier if multiplier is not None else value
        if answer - margin <= scaled <= answer + margin or answer - margin <= value <= answer + margin:
            return fraction
    return 0.0


def xml_grade(kind_and_definition: tuple[str, dict], response: str) -> float:
    kind, definition = kind_and_definition
    return xml_numerical_grade(definition, response) if kind == "numerical" else xml_short_answer_grade(definition, response)
