"""The whole bank's questions, generated with teachers' edits applied, and the ids they go by.

A question's id is `<fact id>.<variant>`; nothing in it comes from wording, so a teacher's rewording
keeps learners' progress and Anki notes attached.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..bulk import cycle_collection_paused
from ..giveaways import states_own_answer
from ..model import Bank
from .chronology import TIMELINE_PREFIX
from .context import _context
from .edits import apply_edits
from .families import generated
from .matching import MATCHING_ID
from .model import Question


@cycle_collection_paused()
def generate(bank: Bank, *, include_disabled: bool = False) -> list[Question]:
    """The whole bank: generated questions with teachers' edits applied, then teachers' own. A
    generated question whose prompt states its own answer (its attribution names it: "citing ...
    three Russians, which nationality ...?") is not asked; a teacher's rewording of it is."""
    ctx = _context(bank)
    questions = apply_edits(generated(ctx, bank.facts, bank_wide=True), bank, ctx)
    questions = [q for q in questions if q.origin != "generated" or not states_own_answer(q)]
    return questions if include_disabled else [q for q in questions if q.enabled]


@cycle_collection_paused()
def generated_ids(bank: Bank, near: Iterable[str] | None = None) -> set[str]:
    """Ids of generated questions: of every fact, or only of the facts (and bank-wide questions) that the ids in
    `near` could belong to. Checking a teacher's edits needs just those, not the whole bank."""
    ctx = _context(bank)
    if near is None:
        return {q.id for q in generated(ctx, bank.facts, bank_wide=True)}
    prefixes = {qid.rsplit(".", k)[0] for qid in near for k in range(1, qid.count(".") + 1)}
    facts = [f for f in bank.facts if f.id in prefixes]
    bank_wide = bool({TIMELINE_PREFIX, MATCHING_ID} & prefixes)
    return {q.id for q in generated(ctx, facts, bank_wide=bank_wide)}


# Each fact is asked once: its multiple-choice copy and its cloze were merged into the question and
# the true/false that ask the same; what a learner did on them moves with them.
_MERGED_INTO = {"mc": "direct", "cloze": "tf"}


def superseded_ids(bank: Bank, questions: Iterable[Question] | None = None) -> dict[str, str]:
    """Dropped question id -> the id of the question that now asks the same: `<fact>.mc` -> `<fact>.direct`,
    `<fact>.cloze` -> `<fact>.tf`, wherever the kept one exists and the dropped one is no longer made.
    `questions` are the generated ones (teachers' switched-off ones included), if already at hand."""
    if questions is None:
        questions = generate(bank, include_disabled=True)
    present = {q.id for q in questions}
    out: dict[str, str] = {}
    for fact in bank.facts:
        for old, kept in _MERGED_INTO.items():
            old_id, kept_id = f"{fact.id}.{old}", f"{fact.id}.{kept}"
            if old_id not in present and kept_id in present:
                out[old_id] = kept_id
    return out

