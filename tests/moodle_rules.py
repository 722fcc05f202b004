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
