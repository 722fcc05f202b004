"""Each problem `check` finds comes with its position and a message a teacher can act on."""

import pytest

from khasham_learn.checking import check_bank
from khasham_learn.errors import UnusableInput

from conftest import START_TIME_FACT


def problems(root, sources=None):
    return [str(p) for p in check_bank(root, sources)]


def only(root, sources=None):
    found = [p for p in problems(root, sources) if ": error: " in p]
    assert len(found) == 1, found
    return found[0]


def test_clean_bank_has_no_problems(make_bank, texts_dir):
    assert problems(make_bank(), texts_dir) == []


def test_yaml_syntax_error_has_position(make_bank):
    # Worded by the pure-Python parser whichever PyYAML build is installed (libyaml words it otherwise).
    root = make_bank({"battle": "title: x\nfacts:\n  - id: a\n    prompt: [unclosed\n"})
    assert only(root).endswith(
        "battle.yaml:4:13: error: the list opened with [ here is not closed: add ] at its end; line 4 is not checked until this is fixed"
    )
    root = make_bank({"battle": "title: x\nfacts:\n  - id: a\n    prompt: [a, b}\n"})
    assert only(root).endswith(
        "battle.yaml:4:18: error: YAML syntax: expected ',' or ']', but got '}' (while parsing a flow sequence); line 4 is not checked until this is fixed"
    )


def test_unknown_key_suggests_the_right_one(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("    prompt: When", "    promt: When")})
    message = only(root)
    assert message.endswith("battle.yaml:4:5: error: unknown key 'promt' in a fact (did you mean 'prompt'?)")


def test_missing_key(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("    kind: time\n", "", 1)})
    assert "a fact is missing 'kind'" in only(root)
    assert ":3:5:" in only(root)


def test_wrong_type(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("    prompt: When did the attack begin?", "    prompt: [a, b]")})
    assert "the fact's prompt should be text, not a list" in only(root)
    assert ":4:13:" in only(root)


def test_bad_value_for_its_kind(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("value: about 22:30", "value: late evening")})
    message = only(root)
    assert "'late evening' is not a time" in message and ":12:16:" in message


def test_duplicate_fact_ids(make_bank):
    root = make_bank({"battle": START_TIME_FACT, "other": START_TIME_FACT.replace("id: attackers", "id: attackers-2")})
    message = only(root)
    assert "the fact id 'start-time' is already used at" in message


def test_unknown_source_suggests(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("source: report-b", "source: report-c", 1)})
    message = only(root)
    assert "unknown source 'report-c' (did you mean 'report-b'?)" in message and ":11:9:" in message


def test_multiple_choice_answer_missing_from_choices(make_bank):
    root = make_bank(questions="""\
        questions:
          - id: mine
            fact: attackers
            type: choice
            prompt: How many?
            answer: "600"
            choices: ["50", "500"]
    """)
    message = only(root)
    assert "questions.yaml:6:13: error: the answer '600' is not one of the choices" in message


def test_unknown_fact_and_generated_id(make_bank):
    root = make_bank(questions="""\
        questions:
          - id: start-time.drect
            prompt: Reworded
          - id: mine
            fact: atackers
            type: free
            prompt: How many?
            answer: "500"
    """)
    found = problems(root)
    assert any("no generated question 'start-time.drect' to change (did you mean 'start-time.direct'?)" in p for p in found)
    assert any("unknown fact 'atackers' (did you mean 'attackers'?)" in p for p in found)


def test_empty_prompt(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("    prompt: When did the attack begin?", "    prompt: ''")})
    assert "the fact's prompt is empty" in only(root)


def test_all_problems_reported_at_once(make_bank):
    broken = (
        START_TIME_FACT.replace("prompt: When", "promt: When")
        .replace("source: report-b", "source: nowhere", 1)
        .replace("value: about 500", "value: lots")
        .replace("The attack began at {answer}.", "The attack began.")
    )
    assert len([p for p in problems(make_bank({"battle": broken})) if ": error: " in p]) == 4


def test_quote_not_verbatim_says_where_it_differs(make_bank, texts_dir):
    root = make_bank({"battle": START_TIME_FACT.replace("the first shells flew around 10:30", "the first shells fell around 10:30")})
    message = only(root, texts_dir)
    assert "quote differs from b.txt after 'the first shells f'" in message
    assert "the report has 'lew around 1'" in message


def test_quote_whitespace_is_normalised(make_bank, texts_dir):
    root = make_bank({"battle": START_TIME_FACT.replace("the attack began at around", "the  attack\\nbegan at   around")})
    assert problems(root, texts_dir) == []


def test_quote_from_a_caption_is_refused(make_bank, texts_dir):
    from conftest import SOURCES_YAML

    sources = SOURCES_YAML.replace("    file: a.txt\n", "    file: a.txt\n    captions: ['About 500 fighters attacked.']\n")
    message = only(make_bank(sources=sources), texts_dir)
    assert "this quote comes from a photo caption" in message


def test_anchors_tags_and_bad_encoding_are_refused(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("prompt: When did the attack begin?", "prompt: !!python/object/apply:os.system ['true']")})
    assert "the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in only(root)
    root = make_bank({"battle": "title: &t x\nfacts: *t\n"})
    assert "anchors and aliases" in " ".join(problems(root))
    (root / "facts" / "battle.yaml").write_bytes(b"title: caf\xe9\n")
    assert "battle.yaml:1:11: error: the file is not UTF-8 text" in only(root)


def test_missing_folder_is_unusable(tmp_path):
    with pytest.raises(UnusableInput, match="does not exist"):
        check_bank(tmp_path / "nowhere")
    with pytest.raises(UnusableInput, match="sources folder"):
        (tmp_path / "b" / "facts").mkdir(parents=True)
        check_bank(tmp_path / "b", tmp_path / "no-texts")


def test_bank_level_mistakes(make_bank):
    from conftest import SOURCES_YAML

    root = make_bank(sources=SOURCES_YAML + SOURCES_YAML.split("sources:\n", 1)[1].split("  - id: report-b")[0])
    (root / "bank.yaml").write_text("title: t\ntopics: [battle, battle]\n")
    (root / "facts" / ".#battle.yaml").write_text("not: [yaml")  # an editor's lock file is not read
    found = problems(root)
    assert any("sources.yaml:12:9: error: the source id 'report-a' is already used at" in p for p in found)
    assert any("topic 'battle' is listed twice" in p for p in found)
    assert len([p for p in found if ": error: " in p]) == 2


def test_date_fact_pointing_at_itself_does_not_loop(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("    kind: time\n", "    kind: time\n    date_fact: start-time\n", 1)})
    found = problems(root)
    assert any("date_fact 'start-time' is a time fact, not a date" in p for p in found)


def test_control_character_is_placed_and_one_line(make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("When did", "When\x07 did")})
    message = only(root)
    assert message.endswith("battle.yaml:4:17: error: YAML does not allow the control character #x0007 here; delete it; line 4 is not checked until this is fixed")


# ---------------------------------------------------------------- contradicts and same

LABEL_FACT = """\
title: The battle
facts:
  - id: russians-label
    prompt: How were the Russians described?
    statement: They were described as {answer}.
    kind: text
    claims:
      - source: report-a
        value: Russian troops
        quote: Report A says
      - source: report-b
        value: mercenaries
        quote: "Report B:"
"""


def declared(text: str) -> str:
    return LABEL_FACT + text


def test_declarations_that_fit_are_clean(make_bank, texts_dir):
    root = make_bank({"battle": declared("    contradicts:\n      - [Russian troops, [mercenaries]]\n")})
    assert problems(root, texts_dir) == []


def test_a_value_twice_in_one_sameness_is_a_warning(make_bank):
    root = make_bank({"battle": declared("    same:\n      - [Russian troops, mercenaries, Mercenaries.]\n")})
    (warning,) = problems(root)
    assert warning.endswith("battle.yaml:15:39: warning: 'Mercenaries.' is already in this entry of same")


def test_a_declared_value_no_claim_gives(make_bank):
    root = make_bank({"battle": declared("    contradicts:\n      - [Russian troops, mercenary]\n")})
    assert only(root).endswith(
        "battle.yaml:15:26: error: no claim of 'russians-label' gives the value 'mercenary' (did you mean 'mercenaries'?); "
        "declare only values its claims give"
    )


def test_a_declared_value_that_does_not_parse(make_bank):
    root = make_bank({"battle": START_TIME_FACT + "    same:\n      - [about 500, lots]\n"})
    assert "battle.yaml:27:21: error: 'lots' is not a number value" in only(root)


def test_a_value_on_both_sides(make_bank):
    root = make_bank({"battle": declared("    contradicts:\n      - [[Russian troops, mercenaries], mercenaries]\n")})
    assert only(root).endswith("battle.yaml:15:41: error: 'mercenaries' is on both sides of this contradiction: a value cannot contradict itself")


def test_declared_both_same_and_contradicting(make_bank):
    root = make_bank({"battle": declared("    same:\n      - [Russian troops, mercenaries]\n    contradicts:\n      - [mercenaries, Russian troops]\n")})
    assert ":17:23: error: 'mercenaries' and 'Russian troops' are declared both the same and contradicting; keep one" in only(root)


def test_malformed_declarations(make_bank):
    root = make_bank({"battle": declared("    contradicts:\n      - [Russian troops, mercenaries, contractors]\n    same:\n      - mercenaries\n      - [mercenaries]\n")})
    found = [p for p in problems(root) if ": error: " in p]
    assert [p.split("battle.yaml:")[1].split(":")[0:2] for p in found] == [["15", "9"], ["17", "9"], ["18", "9"]]
    assert "each entry of contradicts is a pair" in found[0]
    assert "each entry of same is a list of two or more values" in found[1]
    assert "an entry of same needs two or more values" in found[2]


def test_declaring_alternatives_to_contradict_is_a_warning(make_bank):
    fact = LABEL_FACT.replace("kind: text", "kind: choice\n    alternatives: [Russian troops, mercenaries]")
    root = make_bank({"battle": fact + "    contradicts:\n      - [Russian troops, mercenaries]\n"})
    (warning,) = problems(root)
    assert ": warning: 'Russian troops' and 'mercenaries' are different alternatives, which contradict without being declared" in warning


def test_check_explains_a_fact(make_bank):
    from click.testing import CliRunner

    from khasham_learn.cli import cli

    root = make_bank({"battle": declared("    contradicts:\n      - [Russian troops, mercenaries]\n")})
    result = CliRunner().invoke(cli, ["check", "--bank", str(root), "--explain", "russians-label"])
    assert result.exit_code == 0, result.output
    assert "russians-label (text, " in result.output and ": disagree: at least one pair of claims disagrees" in result.output
    assert "1 and 2: disagree: declared in the fact's 'contradicts': 'Russian troops' against 'mercenaries'" in result.output
    missing = CliRunner().invoke(cli, ["check", "--bank", str(root), "--explain", "russian-label"])
    assert missing.exit_code == 1 and "no fact 'russian-label' in this bank (did you mean 'russians-label'?)" in missing.output
