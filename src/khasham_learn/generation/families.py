"""The question families and the order they run in: a new family is a module and a line here.

A fact's family is called as `family(fact, verdict, ctx, make)` and adds its questions through
`make(variant, type, prompt, **fields)`; a bank-wide family is called with the context and returns
its questions. The order here is the order of the generated bank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..disagreement import Disagreement
from ..model import Fact
from .according import according_family, which_report_family
from .chronology import timeline
from .corroboration import corroboration_family
from .context import _accepted, _Context, _Make, _sources, _tags, answer_of
from .direct import direct_family
from .matching import word_choice
from .model import Question
from .sourcing import sourcing_family
from .statements import statement_family

FactFamily = Callable[[Fact, Disagreement, _Context, _Make], None]
BankFamily = Callable[[_Context], list[Question]]

FACT_FAMILIES: tuple[FactFamily, ...] = (
    direct_family,  # the fact's question
    according_family,  # what each report says, where they differ
    which_report_family,  # which report says a value only it gives
    statement_family,  # the true-or-false restatement
    sourcing_family,  # whom a report cites for a claim it relays
    corroboration_family,  # whether the reports agree, how many give a figure, which figure most give
)
BANK_FAMILIES: tuple[BankFamily, ...] = (
    timeline,  # the ordering of the dated events, and of the night's
    word_choice,  # each description matched to the party that used it
)


def questions_for_fact(fact: Fact, ctx: _Context) -> list[Question]:
    verdict = ctx.verdicts[fact.id]
    if not verdict.claims:
        return []
    answer = answer_of(verdict) if verdict.right_claims else ""
    accepted = _accepted(verdict, fact)
    sources = _sources(verdict.claims, ctx.bank)
    disputed = verdict.disputed
    note = verdict.note
    out: list[Question] = []

    def make(variant: str, qtype: str, prompt: str, **kw: object) -> None:
        claims = kw.pop("claims", verdict.claims)
        qid = f"{fact.id}.{variant}"
        out.append(
            Question(
                id=qid, type=qtype, prompt=prompt, fact=fact.id, topic=fact.topic,
                # a question about the reports rather than the fact ("how many reports ...?") is of its own kind
                kind=kw.pop("kind", fact.kind), unit=kw.pop("unit", fact.unit),  # type: ignore[arg-type]
                disputed=disputed, note=note, sources=kw.pop("sources", sources),  # type: ignore[arg-type]
                tags=_tags(fact, qtype, disputed, claims),  # type: ignore[arg-type]
                answer=kw.pop("answer", answer), accepted=kw.pop("accepted", accepted),  # type: ignore[arg-type]
                **kw,  # type: ignore[arg-type]
            )
        )

    for family in FACT_FAMILIES:
        family(fact, verdict, ctx, make)
    return out


def generated(ctx: _Context, facts: Iterable[Fact], *, bank_wide: bool) -> list[Question]:
    """The generated questions of these facts (and the bank-wide ones), before teachers' edits."""
    questions = [q for fact in facts for q in questions_for_fact(fact, ctx)]
    if bank_wide:
        questions += [q for family in BANK_FAMILIES for q in family(ctx)]
    return questions
