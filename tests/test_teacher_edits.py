"""A teacher copies a fact in the bundled bank, changes it, and makes the usual mistakes: check leads to each."""

import shutil

from khasham_learn.checking import check_bank
from khasham_learn.paths import bundled_bank

COPIED_FACT = """
  - id: attack-start-time
    prompt: When did the shelling start?
    statment: The shelling started at {answer}.
    kind: time
    claims:
      - source: newsweek
        value: around half past ten
        quote: "The first shells reportedly flew around 10:30 pm."
        attributed_to: The New York Times
      - source: newsweak
        value: about 22:30
        quote: "The first shells reportedly flew around 10:30 p.m."
"""


def test_each_mistake_is_reported_where_it_is(tmp_path, seeds):
    bank = tmp_path / "bank"
    shutil.copytree(bundled_bank(), bank)
    battle = bank / "facts" / "battle.yaml"
    original = battle.read_text(encoding="utf-8").splitlines()
    first_new_line = len(original) + 2
    with battle.open("a", encoding="utf-8") as f:
        f.write(COPIED_FACT)
    found = [str(p).split("battle.yaml:", 1)[1] for p in check_bank(bank, seeds) if "battle.yaml" in str(p)]
    line = first_new_line
    assert found == [
        f"{line}:5: error: the fact id 'attack-start-time' is already used at {found[0].split(' used at ')[1]}",
        f"{line + 2}:5: error: unknown key 'statment' in a fact (did you mean 'statement'?)",
        f"{line + 6}:16: error: 'around half past ten' is not a time; write it on the 24-hour clock like 22:30 or about 22:30",
        f"{line + 7}:16: error: quote differs from 001_31dce8bb50dc5260.txt after '...shells reportedly flew around 10:30 p': "
        "the report has '.m. U.S. com', the quote has 'm.'",
        f"{line + 9}:9: error: unknown source 'newsweak' (did you mean 'newsweek'?)",
    ]
    assert found[0].endswith(f"battle.yaml:{original.index('  - id: attack-start-time') + 1}:5")
