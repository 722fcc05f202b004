"""One restatement of the fact, a true-or-false: a different skill from the question (telling the
reports' value from a plausible wrong one). The cloze it once had beside it asked the question again
in other words and is merged into it (`.cloze` -> `.tf`)."""

from __future__ import annotations

import re
import zlib

from ..disagreement import Agreement, Disagreement
from ..model import Fact
from .context import _best, _Context, _Make, _template_key, answer_of
from .distractors import _distractors, _parsed, _states
from .wording import _according_to, _parties, render


def statement_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    right = verdict.right_claims
    if not right or verdict.status not in (Agreement.AGREE, Agreement.SPELLING):
        return
    answer = answer_of(verdict)
    best = _best(right).value
    # Only the parties that give this very value: another agreeing claim in other words ("territory
    # the SDF had captured" beside "the oilfields") does not make its party say the stated one.
    parties = _parties(c for c in right if _states(c.value, best))
    true_statement = _according_to(parties, render(fact.statement, answer, best), fact.statement)
    statement, truth = true_statement, "True"
    # A statement several facts share is restated true only: a false one would read the same for each.
    shared = len(ctx.twins.get(_template_key(fact.statement), [])) > 1
    # Nor one that states a bound ("had captured Raqqa by {answer}"): by 2017 leaves by 2015 open
    # and makes by 2019 true, so no other value makes it false.
    bound = re.search(r"\b(?:by|before|after|since|until|within) \{answer\}", fact.statement, re.IGNORECASE)
    if zlib.crc32(fact.id.encode()) % 2 and not shared and not bound:
        wrong = _distractors(fact, verdict.claims, ctx, 1)
        if wrong:
            statement = _according_to(parties, render(fact.statement, wrong[0], _parsed(fact, wrong[0])), fact.statement)
            truth = "False"
    make("tf", "true_false", f"True or false: {statement}", choices=("True", "False"), answer=truth,
         accepted=(truth,), statement=true_statement)
