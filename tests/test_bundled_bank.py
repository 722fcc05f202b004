"""The bundled bank: the knowledge itself, its quotes, and the disagreements the reports contain."""

from dataclasses import replace

from khasham_learn.checking import check_bank
from khasham_learn.disagreement import Agreement, Rule, assess
from khasham_learn.model import Declared, Sameness
from khasham_learn.paths import bundled_bank


def test_bank_is_clean_without_sources():
    assert [str(p) for p in check_bank(bundled_bank())] == []


def test_every_quote_is_verbatim_in_its_report(seeds):
    assert [str(p) for p in check_bank(bundled_bank(), seeds)] == []


def test_size_and_coverage(bundled):
    claims = [c for f in bundled.facts for c in f.claims]
    assert len(bundled.facts) >= 100
    assert len(claims) >= 300
    assert {c.source for c in claims} == set(bundled.sources) == {"history", "newsweek", "contractors", "centcom", "retaliates"}


def verdict(bank, fact_id):
    fact = bank.fact(fact_id)
    assert fact is not None, fact_id
    return assess(fact, bank)


def test_the_reports_disagreements_are_flagged(bundled):
    start = verdict(bundled, "attack-start-time")
    assert start.status is Agreement.DISAGREE
    assert start.note == (
        "Sources disagree: about 10:00 p.m. (only the history article); "
        "about 10:30 p.m. (only The New York Times, cited by the Newsweek report)."
    )
    for fact_id in ("attack-coordination", "pro-government-killed", "russians-killed"):
        assert verdict(bundled, fact_id).status is Agreement.DISAGREE, fact_id
    # 30 stationed at the outpost and "roughly 40 U.S. Special Forces involved" are two counts
    soldiers = verdict(bundled, "us-soldiers-at-outpost")
    assert soldiers.status is not Agreement.DISAGREE and soldiers.note.startswith("Sources measure different things")
    for fact_id in ("harrigian-name-spelling", "place-name"):
        assert verdict(bundled, fact_id).status is Agreement.SPELLING, fact_id


def test_who_the_russians_were_is_flagged(bundled):
    russians = verdict(bundled, "russia-says-russians-volunteers")
    assert russians.status is Agreement.DISAGREE
    by_value = {bundled.fact(russians.fact).claims[i].value: j.rule for (i, _), j in zip(russians.conflicts, russians.rules)}
    assert set(by_value) == {"private military contractors", "volunteer fighters outside Russia's armed forces", "mercenaries", "contract soldiers"}
    assert set(by_value.values()) == {Rule.DECLARED_CONTRADICTION}
    assert all(russians.claims[j].value.display == "Russian troops" for _, j in russians.conflicts)
    assert "Russian troops (only Donald Trump, cited by the Newsweek report)" in russians.note
    assert "volunteer fighters outside Russia's armed forces (Russia, cited by the Newsweek report)" in russians.note


def test_whether_us_russian_contact_was_of_use_is_flagged(bundled):
    contact = verdict(bundled, "us-russia-contact-useful")
    assert contact.status is Agreement.DISAGREE
    def side(phrase: str) -> set[str]:
        return {c.value.display for c in contact.claims if phrase in c.claim.quote}

    assert side("constant contact") == side("no regular Russian troops") == {"US officials were in constant contact with the Russians"}
    assert side("proved fruitless") == {"US attempts at reaching Russia proved fruitless"}
    # The Times's calls that failed to stop the attack, which the history article relays beside its
    # own "constant contact", are no side of it: both can be true.
    assert not side("When that failed")
    assert len(contact.conflicts) == 2


def test_a_slip_within_one_report_is_not_flagged(bundled):
    prigozhin = verdict(bundled, "prigozhin-name-spelling")
    assert len({c.claim.source for c in prigozhin.claims}) == 1 and any(c.wrong for c in prigozhin.claims)
    assert prigozhin.status is Agreement.AGREE and not prigozhin.disputed
    assert [c.value.display for c in prigozhin.right_claims] == ["Yevgeny Prigozhin"]


def test_the_declaration_decides_the_russians_verdict(bundled):
    fact = bundled.fact("russia-says-russians-volunteers")
    assert fact.contradicts
    assert assess(replace(fact, contradicts=()), bundled).status is Agreement.AGREE


def test_a_declared_sameness_changes_a_verdict(bundled):
    fact = bundled.fact("place-name")
    same = Sameness((Declared("Khasham", fact.position), Declared("Khusham", fact.position)), fact.position)
    assert assess(replace(fact, same=(same,)), bundled).status is Agreement.AGREE


def test_one_party_alone_is_noted_where_sources_agree(bundled):
    weapons = verdict(bundled, "us-response-weapons")
    assert weapons.status is Agreement.AGREE
    assert [(s.value, [v.speaker for v in s.voices]) for s in weapons.single_voice] == [("tanks", ["reports from the region"])]
    assert weapons.note == "Given by one party only: tanks (reports from the region, cited by the report on the CENTCOM statement)."


def test_every_figure_is_listed_with_its_party(bundled):
    killed = verdict(bundled, "pro-government-killed")
    rows = {f.value: [str(v) for v in f.voices] for f in killed.figures}
    assert rows["killed: 200 to 300"] == ["the history article", "the Pentagon, cited by the Newsweek report"]
    assert rows["killed: about 100"] == ["a US official, cited by the report on Russian contractors"]
    for figure in killed.figures:
        assert f"{figure.value} (" in killed.note


def test_the_disputed_facts(bundled):
    disputed = sorted(f.id for f in bundled.facts if assess(f, bundled).disputed)
    assert disputed == sorted([
        "place-name", "attack-start-time", "us-russia-contact-useful", "attack-end",
        "attack-coordination", "pro-government-killed", "russians-killed", "us-says-instigators",
        "russia-says-russians-volunteers", "harrigian-name-spelling",
    ])


def test_a_claim_shown_wrong_still_shows_with_why(bundled):
    # The CENTCOM report's Tuesday for the US response contradicts the date, 7 February 2018 (a
    # Wednesday): alone on its fact, it is not a dispute between reports, but the note still says why.
    weekday = verdict(bundled, "us-response-weekday")
    assert not weekday.disputed
    wrong = [c for c in weekday.claims if c.wrong]
    assert [c.value.display for c in wrong] == ["Tuesday"]
    assert weekday.note.startswith("Shown wrong: Tuesday (the report on the CENTCOM statement): ")
    assert "Wednesday" in weekday.note


def test_the_reports_agreements_are_not_flagged(bundled):
    for fact_id in ("attackers-number", "attack-date", "rounds-near-sdf-hq", "backup-distance"):
        v = verdict(bundled, fact_id)
        assert len({c.claim.source for c in v.claims}) >= 2, fact_id
        assert not v.disputed and v.note is None, fact_id


def test_measures_are_told_apart(bundled):
    assert verdict(bundled, "battle-duration").status is Agreement.MEASURE


def test_the_generated_bank_cache_is_keyed_by_content(make_bank, tmp_path, monkeypatch):
    from khasham_learn.cache import cache_dir, generated_bank

    root = make_bank()
    bank, first = generated_bank(root)
    (cached,) = cache_dir().glob("*.pickle")
    assert generated_bank(root)[1] == first  # a hit gives the same questions
    cached.write_bytes(b"not a pickle")  # a damaged cache is only a miss
    assert generated_bank(root)[1] == first
    facts = root / "facts" / "battle.yaml"
    facts.write_text(facts.read_text().replace("How many fighters attacked?", "How many fighters came?"))
    assert any(q.prompt == "How many fighters came?" for q in generated_bank(root)[1])  # an edit is seen at once


def test_the_cache_key_changes_with_the_code(make_bank):
    # An upgraded or edited generator must not serve questions generated by the old one.
    import os
    from pathlib import Path

    import khasham_learn.generation
    from khasham_learn.cache import bank_key

    root = make_bank()
    module = Path(khasham_learn.generation.__file__)
    before = module.stat()
    key = bank_key(root)
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        assert bank_key(root) != key
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert bank_key(root) == key


def test_a_symlinked_facts_folder_keys_the_cache(make_bank, tmp_path):
    # rglob does not enter a symlinked folder: an edit there would have been served stale.
    import shutil

    from khasham_learn.cache import bank_key

    root = make_bank()
    real = tmp_path / "real-facts"
    shutil.move(root / "facts", real)
    (root / "facts").symlink_to(real, target_is_directory=True)
    key = bank_key(root)
    facts = real / "battle.yaml"
    facts.write_text(facts.read_text().replace("How many fighters attacked?", "How many came?"))
    assert bank_key(root) != key
