"""The fact's own question, asked once, always as `<fact>.direct`."""

from __future__ import annotations

from ..disagreement import Agreement, Disagreement
from ..model import Fact
from .context import _Context, _Make, _ranges, _shuffled, answer_of
from .distractors import MAX_CHOICES, _distractors
from .wording import _according_prompt, _parties, _who, party_named, question_prompt

LONGEST_TYPED_ANSWER = 6  # words


def direct_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """Its multiple-choice copy `.mc` is merged into it (see superseded_ids). Typed wherever a reader
    could type the answer back: recall is the stronger test, the grader accepts a careful reader's
    wording, and the learner's typed history and Anki note stay where they were. A choice between
    alternatives is asked as one, and an answer too long to type as multiple choice."""
    right = verdict.right_claims
    if not right:
        return
    answer = answer_of(verdict)
    prompt = question_prompt(fact)
    # A question every answer of which is a party's claim asks for that party's account, not for a
    # fact: "According to a US military official, for which group ...?"
    # Where the reports disagree, the question is what was claimed at all, and the table says who.
    parties = _parties(right) if not verdict.disputed else []
    if parties and not any(party_named(fact.prompt, p) for p in parties):
        prompt = _according_prompt(prompt, _who(parties))
    if fact.kind == "choice":
        if verdict.status is not Agreement.DISAGREE:
            make("direct", "choice", prompt, choices=_shuffled(list(fact.alternatives), fact.id))
    elif fact.kind in ("number", "duration", "time"):
        make("direct", "numeric", prompt, ranges=_ranges(right))
    else:
        wrong = []
        if fact.kind == "text" and len(answer.split()) > LONGEST_TYPED_ANSWER and verdict.status in (
                Agreement.AGREE, Agreement.SPELLING):
            wrong = _distractors(fact, verdict.claims, ctx, MAX_CHOICES - 1)
        if len(wrong) >= 2:
            make("direct", "choice", prompt, choices=_shuffled([answer] + wrong, fact.id + ".mc"))
        else:
            make("direct", "free", prompt, ranges=_ranges(right))
