"""The bundled bank: the knowledge itself, its quotes, and the disagreements the reports contain."""

from khasham_learn.checking import check_bank
from khasham_learn.disagreement import Agreement, assess
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
        "Sources disagree: about 10:00 p.m. (the history article); "
        "about 10:30 p.m. (the Newsweek report, citing The New York Times)."
    )
    for fact_id in ("us-soldiers-at-outpost", "attack-coordination", "pro-government-killed", "russians-killed"):
        assert verdict(bundled, fact_id).status is Agreement.DISAGREE, fact_id
    for fact_id in ("harrigian-name-spelling", "place-name"):
        assert verdict(bundled, fact_id).status is Agreement.SPELLING, fact_id


def test_a_claim_shown_wrong_still_shows_with_why(bundled):
    weekday = verdict(bundled, "attack-weekday")
    assert weekday.disputed
    wrong = [c for c in weekday.claims if c.wrong]
    assert [c.value.display for c in wrong] == ["Tuesday"]
    assert "shown wrong" in weekday.note and "Wednesday" in weekday.note


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
