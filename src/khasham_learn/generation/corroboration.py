"""Corroboration: whether the reports bear each other out. "Do the history article and the Newsweek
report agree on the number of US soldiers at the outpost?" (`.agree`), "How many of the five reports
give a figure for ...?" (`.reports`), "Which figure for ... do most reports give?" (`.most`).

A value only one report gives is asked by the which-report family ("Which report says: ...?"); it
is not asked again here.
"""

from __future__ import annotations

from ..disagreement import Agreement, AssessedClaim, Disagreement
from ..model import Fact
from .context import _Context, _Make, _shuffled
from .distractors import MAX_CHOICES, _distractors, _states, _supports
from .sourcing import WORDED_KINDS
from .wording import _list_phrase, _SMALL_NUMBERS

# The answers to "Do the reports agree?", one per verdict. Two spellings of one name are agreement
# on the substance, and a choice of its own: a student who sees "Khasham" and "Khusham" should say so.
AGREEMENT_CHOICES: dict[Agreement, str] = {
    Agreement.AGREE: "They agree",
    Agreement.DISAGREE: "They disagree",
    Agreement.SPELLING: "They agree, but spell it differently",
    Agreement.MEASURE: "They measure different things",
}
# Kinds whose values the reports give as figures: counted (`.reports`) and compared (`.most`).
FIGURE_KINDS = {"number": "a figure", "time": "a time", "date": "a date"}
MIN_REPORTS_TO_COUNT = 3


def corroboration_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    reports = list(dict.fromkeys(c.claim.source for c in verdict.claims if c.claim.source in ctx.bank.sources))
    if len(reports) < 2:
        return
    _agree(fact, verdict, ctx, make)
    # "How many of the two reports ...?" is no question: with two, "do they agree" asks it already.
    # Nor where the figures measure different things: a count would mix "killed" with "killed or injured".
    if fact.kind in FIGURE_KINDS and len(ctx.bank.sources) >= MIN_REPORTS_TO_COUNT and len(verdict.measures) <= 1:
        _reports(fact, ctx, reports, make)
        _most(fact, verdict, ctx, make)


def _agree(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """Asked where the answer takes reading: the reports differ, or they agree in different words
    on a figure or a choice ("more than 500", "about 500"). Where every report gives the same
    value the answer is plain; where wordings of a text differ, whether they agree is no clear
    question (differing words are not a contradiction unless the bank declares one)."""
    if verdict.status is Agreement.AGREE and (
            fact.kind in WORDED_KINDS or len({c.value.display for c in verdict.claims}) < 2):
        return
    # A report relaying a party does not make the claim itself: where some do, the parties are asked about too.
    who = "the reports" if all(c.claim.attributed_to is None for c in verdict.claims) else "the reports and those they cite"
    prompt = (f"Do {who} agree on {fact.subject}?" if fact.subject
              else f"{fact.prompt} Do {who} agree on the answer?")
    answer = AGREEMENT_CHOICES[verdict.status]
    make("agree", "choice", prompt, answer=answer, accepted=(answer,),
         choices=_shuffled(list(AGREEMENT_CHOICES.values()), f"{fact.id}.agree"))


def _reports(fact: Fact, ctx: _Context, reports: list[str], make: _Make) -> None:
    total = len(ctx.bank.sources)
    of = f"the {_SMALL_NUMBERS.get(str(total), str(total))} reports"
    figure = FIGURE_KINDS[fact.kind]
    if not fact.subject:
        prompt = f"{fact.prompt} How many of {of} give {figure}?"
    elif fact.kind == "number":
        prompt = f"How many of {of} give a figure for {fact.subject}?"
    else:  # "give the date of the attack", not "a date for the date of the attack"
        prompt = f"How many of {of} give {fact.subject}?"
    count = str(len(reports))
    make("reports", "numeric", prompt, answer=count, accepted=(count, _SMALL_NUMBERS.get(count, count)),
         ranges=((float(len(reports)), float(len(reports))),), kind="number", unit=None)


def _most(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """Only where one value is given by more reports than any other, each report counted once
    however often it gives the value; values are the same where they state the same (not where
    they merely meet: 'hundreds' is not '200 to 300')."""
    right = verdict.right_claims
    if len(verdict.measures) > 1 or not right:
        return
    groups: list[list[AssessedClaim]] = []
    for c in right:
        for group in groups:
            if _states(group[0].value, c.value) and _states(c.value, group[0].value):
                group.append(c)
                break
        else:
            groups.append([c])
    if len(groups) < 2:
        return
    counted = sorted(groups, key=lambda g: -len({c.claim.source for c in g}))
    top, runner_up = (len({c.claim.source for c in g}) for g in counted[:2])
    if top <= runner_up:
        return
    best = counted[0][0].value
    answer = _list_phrase(best)
    # A value that meets the answer ('2018' beside '7 February 2018') is no clear wrong choice.
    wrong = [_list_phrase(g[0].value) for g in counted[1:]
             if not _supports(g[0].value, best) and not _supports(best, g[0].value)][: MAX_CHOICES - 1]
    wrong += _distractors(fact, verdict.claims, ctx, MAX_CHOICES - 1 - len(wrong))
    if len(wrong) < 2:
        return
    prompt = (f"Which figure for {fact.subject} do most reports give?" if fact.subject
              else f"{fact.prompt} Which answer do most reports give?")
    accepted = tuple(dict.fromkeys(
        [answer, *(c.value.display for c in counted[0]), *(c.claim.value for c in counted[0] if isinstance(c.claim.value, str))]))
    make("most", "choice", prompt, answer=answer, accepted=accepted,
         choices=_shuffled([answer, *wrong], f"{fact.id}.most"), claims=tuple(counted[0]))
