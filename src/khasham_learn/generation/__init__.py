"""Generating the question bank from the facts, deterministically, with ids that survive rewording.

One module per question family (direct, statements, according, chronology, matching), registered in
`families`; `build` assembles the bank and applies teachers' `edits`. This package's public names
are re-exported here: import them from `khasham_learn.generation`.
"""

from __future__ import annotations

from .according import which_report_prompt
from .build import generate, generated_ids, superseded_ids
from .chronology import NIGHT_ID, SEQUENCE_JOIN, TIMELINE_ID, TIMELINE_MAX, timeline
from .context import OPEN_END_FACTOR, _context, _Context, answer_of, verdicts
from .distractors import MAX_CHOICES, _distractors
from .edits import CLOZE_GAP, apply_edits, custom_question
from .families import BANK_FAMILIES, FACT_FAMILIES, questions_for_fact
from .matching import MATCH_JOIN, MATCH_MAX, MATCHING_ID, WORD_CHOICE_TAG, word_choice
from .model import DETAIL_TAG, Question, SourceRef, is_detail
from .wording import MEASURE_UNITS, _with_measure, fill, party_named, question_prompt, render

__all__ = [
    "BANK_FAMILIES", "CLOZE_GAP", "DETAIL_TAG", "FACT_FAMILIES", "MATCHING_ID", "MATCH_JOIN", "MATCH_MAX", "MAX_CHOICES",
    "MEASURE_UNITS", "NIGHT_ID", "OPEN_END_FACTOR",
    "SEQUENCE_JOIN", "TIMELINE_ID", "TIMELINE_MAX", "Question", "SourceRef", "_Context", "_context",
    "_distractors", "_with_measure", "answer_of", "apply_edits", "custom_question", "fill", "generate",
    "generated_ids", "is_detail", "party_named", "question_prompt", "questions_for_fact", "render",
    "superseded_ids", "timeline", "verdicts", "which_report_prompt", "WORD_CHOICE_TAG", "word_choice",
]
