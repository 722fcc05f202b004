"""Sourcing: who a figure or statement comes from. For a claim a report relays, "Whom does the
Newsweek report cite as saying that 200 to 300 pro-government fighters were killed in the clash?"
(the Pentagon), the wrong choices other parties the bank's reports cite."""

from __future__ import annotations

import re
import zlib

from ..disagreement import Disagreement, voice_of
from ..model import Fact
from ..values import normalize
from .context import _at_odds, _Context, _Make, _shuffled, _template_key
from .distractors import MAX_CHOICES, _states, _supports
from .wording import claim_clause, party_named, speaker_of

# Kinds whose agreeing values may differ only in words ("an outpost", "a gas plant").
WORDED_KINDS = frozenset({"text", "list", "name"})
# Words that say nothing of who a party is: two parties sharing only these are not one.
_FILLER = frozenset("the a an of and for via in on to report article statement".split())
# A party named by its country's capital or its people is the country: "Moscow" is no wrong answer
# where "Russia" is right, nor "Russian officials". Words standing for the same speaker share a key.
_SAME_AS: dict[str, tuple[str, ...]] = {
    "moscow": ("russia",), "kremlin": ("russia",), "russian": ("russia",), "russians": ("russia",),
    "damascus": ("syria",), "syrian": ("syria",), "syrians": ("syria",),
    "washington": ("us",), "american": ("us",), "americans": ("us",), "america": ("us",),
    "united": ("us",), "states": ("us",),
    # The US military speaks as the Pentagon, the Defense Secretary, CENTCOM, Operation Inherent
    # Resolve and the coalition, and through officers the reports name as speaking for them (Veale,
    # the coalition's spokesman; Harrigian, commander of US Air Forces Central Command): none of
    # them is a safe wrong answer where another is right.
    "pentagon": ("us", "military"), "defense": ("us", "military"), "secretary": ("us", "military"),
    "mattis": ("us", "military"),
    # and a description ("US officials") may cover any US official the reports name
    "trump": ("us",), "pompeo": ("us",),
    "centcom": ("us", "military"), "inherent": ("us", "military"), "resolve": ("us", "military"),
    "coalition": ("us", "military"), "veale": ("us", "military"), "harrigian": ("us", "military"),
}
_COUNTED = re.compile(r"^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\b", re.IGNORECASE)


def sourcing_family(fact: Fact, verdict: Disagreement, ctx: _Context, make: _Make) -> None:
    """One question per party a report cites on this fact, where more than one voice speaks on it
    (a fact only one voice speaks on asks for that voice's account already)."""
    sources = ctx.bank.sources
    speakers = {normalize(voice_of(c.claim, sources).speaker) for c in verdict.claims}
    values = {(c.measure_key, c.value.display) for c in verdict.claims}
    # Only where voices differ on it: who gives a value matters where another value is given too;
    # and where they agree, only for figures, not for wordings of one thing ("the SDF headquarters",
    # "a US-backed military base"): that is close reading, not sourcing.
    if len(speakers) < 2 or len(values) < 2 or _our_wording_rules_out(fact, verdict):
        return
    if not verdict.disputed and fact.kind in WORDED_KINDS:
        return
    odds = _at_odds(verdict)
    twins = ctx.twins.get(_template_key(fact.statement), [fact])
    every = [c for twin in twins if twin.id != fact.id for c in ctx.verdicts[twin.id].claims]
    pool = _bank_parties(ctx)
    asked_parties: set[str] = set()
    asked_reports: dict[str, int] = {}
    # A party that dates the same day another way ("Wednesday" for 7 February 2018, a weekday fact
    # checked against this date) gives this value too: never a wrong choice.
    linked = [f for f in ctx.bank.facts if f.date_fact == fact.id or (fact.date_fact and f.id == fact.date_fact)]
    same_day = {speaker_of(c.attributed_to) for f in linked for c in f.claims if c.attributed_to and not c.wrong}
    for index, assessed in enumerate(verdict.claims):
        party = assessed.claim.attributed_to
        source = assessed.claim.source
        if not party or source not in sources:
            continue
        speaker = speaker_of(party)
        if normalize(speaker) in asked_parties:
            continue  # one question per party and fact
        if any(j != index and c.claim.source == source and c.claim.attributed_to != party and c.measure_key == assessed.measure_key
               and _states(c.value, assessed.value) and _states(assessed.value, c.value)
               for j, c in enumerate(verdict.claims)):
            continue  # the report gives it in another voice too: the prompt would have two answers
        # Who could be said to give it too: anyone whose claim on this fact is not at odds with it,
        # or whose claim on a fact worded the same bears it out.
        near = same_day | {speaker_of(c.claim.attributed_to) for j, c in enumerate(verdict.claims)
                           if c.claim.attributed_to and frozenset((index, j)) not in odds}
        near |= {speaker_of(c.claim.attributed_to) for c in every if c.claim.attributed_to
                 and (_supports(c.value, assessed.value) or _supports(assessed.value, c.value))}
        at_odds = [speaker_of(c.claim.attributed_to) for j, c in enumerate(verdict.claims)
                   if c.claim.attributed_to and frozenset((index, j)) in odds]
        outlet = party[len(speaker):].lstrip(", ").removeprefix("via ").strip() or None
        # Nor anyone the report's label names ('the report on the CENTCOM statement'), nor the
        # outlet the party speaks through.
        taken = [speaker, *near, *([outlet] if outlet else []), sources[source].label]
        # Named parties first, those at odds with this claim before the rest; a party described
        # rather than named ("the county council") only as a last resort, and only if it gives a
        # value at odds with this one: a description may cover the party that is right.
        at_odds = list(dict.fromkeys(at_odds))
        others = [p for p in at_odds if _named(p)] + sorted(
            pool, key=lambda p: zlib.crc32(f"{fact.id}.{source}.{p}".encode())) + [p for p in at_odds if not _named(p)]
        wrong: list[str] = []
        for other in others:
            if len(wrong) == MAX_CHOICES - 1:
                break
            if not any(_one_party(other, t) for t in [*taken, *wrong]):
                wrong.append(other)
        if not wrong:
            continue
        asked_parties.add(normalize(speaker))
        asked_reports[source] = asked_reports.get(source, 0) + 1
        # Ids hold only ids: the fact, the variant, the report, and a number when it relays two parties.
        variant = f"source.{source}" + (f".{asked_reports[source]}" if asked_reports[source] > 1 else "")
        said = claim_clause(fact, assessed, verdict.measures)
        through = f", via {outlet}," if outlet else ""
        prompt = f"Whom does {sources[source].label} cite{through} as saying that {said}?"
        make(variant, "choice", prompt, answer=speaker, accepted=tuple(dict.fromkeys([speaker, party])),
             choices=_shuffled([speaker, *wrong], f"{fact.id}.{variant}"), claims=(assessed,))


def _our_wording_rules_out(fact: Fact, verdict: Disagreement) -> bool:
    """Whether our own wording of the fact names one of its parties (the answer would be in the prompt)
    or speaks of the reports rather than the event."""
    ours = f"{fact.prompt} {fact.statement.replace('{answer}', '')}"
    if re.search(r"\breports?\b", ours, re.IGNORECASE):
        return True  # our wording speaks of the reports ("the reports call it ..."): no party's words
    return any(c.claim.attributed_to and party_named(ours, c.claim.attributed_to) for c in verdict.claims)


def _bank_parties(ctx: _Context) -> list[str]:
    """Every named party the bank's reports cite, each once, by whom it is (X of 'X, via Y')."""
    out = (speaker_of(party) for party in ctx.parties)
    return [p for p in dict.fromkeys(out) if _named(p)]


def _named(party: str) -> bool:
    """A party named by a proper name ('the Pentagon', 'Col. Thomas Veale', 'CENTCOM'), not a
    description ('US officials', 'a US official', 'two Russians', 'the media'): a description may well
    cover the party that is right, so it is no safe wrong answer."""
    words = party.split()
    return bool(words) and not _COUNTED.match(party) and words[-1][:1].isupper()


def _one_party(a: str, b: str) -> bool:
    """Whether two names may name one party: they share a word that says who it is ('Russia' and
    'Russian officials', 'Moscow' and 'Russia', 'Lt. Gen. Jeffrey L. Harrigian' and 'Harrigian')."""
    return bool(_who_words(a) & _who_words(b))


def _who_words(party: str) -> set[str]:
    words = normalize(re.sub(r"['’]s\b", "", party)).split()
    return {key for w in words if w not in _FILLER and len(w) > 1 for key in _SAME_AS.get(w, (w,))}
