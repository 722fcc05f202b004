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
from .distractors import MAX_CHOICES, _distractors, _states
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
# Kinds whose agreeing values may still read differently ("an outpost", "a gas plant"): asked
# whether they agree only where every report gives the same value, so "agree" is plainly right.
_WORDED_KINDS = frozenset({"text", "list", "name"})


def corroboration_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    reports = list(dict.fromkeys(c.claim.source for c in verdict.claims if c.claim.source in ctx.bank.sources))
    if len(reports) < 2:
        return
    _agree(fact, verdict, ctx, reports, make)
    if fact.kind in FIGURE_KINDS:
        _reports(fact, ctx, reports, make)
        _most(fact, verdict, ctx, make)


def _agree(fact: Fact, verdict: Disagreement, ctx: _Context, reports: list[str], make: _Make) -> None:
    if verdict.status is Agreement.AGREE and fact.kind in _WORDED_KINDS:
        right = verdict.right_claims
        if len(right) != len(verdict.claims) or any(not _states(c.value, right[0].value)
                                                      or not _states(right[0].value, c.value) for c in right):
            return
    who = _reports_phrase(reports, ctx)
    prompt = f"Do {who} agree on {fact.subject}?" if fact.subject else f"{fact.prompt} Do {who} agree on the answer?"
    answer = AGREEMENT_CHOICES[verdict.status]
    make("agree", "choice", prompt, answer=answer, accepted=(answer,),
         choices=_shuffled(list(AGREEMENT_CHOICES.values()), f"{fact.id}.agree"))


def _reports(fact: Fact, ctx: _Context, reports: list[str], make: _Make) -> None:
    total = len(ctx.bank.sources)
    of = f"the {_SMALL_NUMBERS.get(str(total), str(total))} reports"
    figure = FIGURE_KINDS[fact.kind]
    prompt = (f"How many of {of} give {figure} for {fact.subject}?" if fact.subject
              else f"{fact.prompt} How many of {of} give {figure}?")
    count = str(len(reports))
    make("reports", "numeric", prompt, answer=count, accepted=(count, _SMALL_NUMBERS.get(count, count)),
         ranges=((float(len(reports)), float(len(reports))),))


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
    answer = _list_phrase(counted[0][0].value)
    wrong = [_list_phrase(g[0].value) for g in counted[1:MAX_CHOICES]]
    if len(wrong) < 2:
        wrong += _distractors(fact, verdict.claims, ctx, 2 - len(wrong))
    prompt = (f"Which figure for {fact.subject} do most reports give?" if fact.subject
              else f"{fact.prompt} Which answer do most reports give?")
    accepted = tuple(dict.fromkeys(
        [answer, *(c.value.display for c in counted[0]), *(c.claim.value for c in counted[0] if isinstance(c.claim.value, str))]))
    make("most", "choice", prompt, answer=answer, accepted=accepted,
         choices=_shuffled([answer, *wrong], f"{fact.id}.most"), claims=tuple(counted[0]))


def _reports_phrase(reports: list[str], ctx: _Context) -> str:
    """'the history article and the Newsweek report'; 'all five reports' where every one speaks."""
    total = len(ctx.bank.sources)
    if len(reports) == total:
        return f"all {_SMALL_NUMBERS.get(str(total), str(total))} reports"
    labels = [ctx.bank.sources[s].label for s in reports]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
