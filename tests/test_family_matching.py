"""The word-choice family: matching each description to the party that used it, from generation
through grading, the quiz (pipe and terminal), review, Anki, GIFT, worksheets and CSV."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import START_TIME_FACT

from khasham_learn.exports import ExportJob
from khasham_learn.generation import MATCH_MAX, Question, generate, generated_ids
from khasham_learn.grading import grade
from khasham_learn.loading import open_bank
from khasham_learn.store import open_store


def described(fact_id: str, party: str, value: str, *, tagged: bool = True, describes: str | None = "the attack") -> str:
    extra = ("    tags: [word-choice]\n" if tagged else "") + (f"    describes: {describes}\n" if describes and tagged else "")
    return (
        f"  - id: {fact_id}\n"
        f"    prompt: What did {party} call the attack?\n"
        f"    statement: {party} called the attack {{answer}}.\n"
        f"    kind: text\n{extra}"
        f"    claims:\n"
        f"      - source: report-a\n"
        f"        value: {value}\n"
        f"        quote: the attack\n"
        f"        attributed_to: {party}\n"
    )


WORDS = [("called-unprovoked", "the command", "unprovoked"), ("called-massacre", "the ministry", "a massacre"),
         ("called-perplexing", "the secretary", "perplexing"), ("called-aggression", "the senator", "an aggression")]


def reactions(*facts: str) -> str:
    return "title: Reactions\nfacts:\n" + "".join(facts)


@pytest.fixture
def words_bank(make_bank):
    return make_bank({"battle": START_TIME_FACT, "reactions": reactions(*(described(*w) for w in WORDS))})


def matching(bank_root: Path) -> list[Question]:
    return [q for q in generate(open_bank(bank_root)) if q.type == "matching"]


# ---------------------------------------------------------------- generation


def test_each_description_is_paired_with_its_party(words_bank):
    (q,) = matching(words_bank)
    assert q.id == "wordchoice.called-unprovoked"
    assert q.prompt == "Match each description of the attack to the party that used it."
    assert q.pairs == tuple((value, party) for _, party, value in WORDS)
    assert q.accepted == tuple(value for _, _, value in WORDS)
    assert sorted(q.choices) == sorted(party for _, party, _ in WORDS)
    assert list(q.choices) != [party for _, party, _ in WORDS]  # the parties come shuffled
    assert "word-choice" in q.tags and "matching" in q.tags
    assert q.to_dict()["pairs"] == [[value, party] for _, party, value in WORDS]


def test_a_description_another_party_used_too_is_left_out(make_bank):
    # The ministry called it unprovoked as well, in a fact that is no word-choice material: two right answers.
    also = described("ministry-also", "the ministry", "unprovoked", tagged=False)
    root = make_bank({"reactions": reactions(*(described(*w) for w in WORDS), also)})
    (q,) = matching(root)
    assert "unprovoked" not in q.accepted and len(q.pairs) == 3


def test_a_claim_in_the_report_own_voice_and_too_few_pairs_make_no_question(make_bank):
    own_voice = described("headline", "the command", "reckless").replace("        attributed_to: the command\n", "")
    root = make_bank({"reactions": reactions(described(*WORDS[0]), described(*WORDS[1]), own_voice)})
    assert matching(root) == []  # two pairs only: knowing one gives the other


def test_many_pairs_are_split_evenly_and_ids_are_recognised(make_bank):
    facts = [described(f"called-{n}", f"party {n}", f"word {n}") for n in range(8)]
    root = make_bank({"reactions": reactions(*facts)})
    questions = matching(root)
    assert [len(q.pairs) for q in questions] == [4, 4] and all(len(q.pairs) <= MATCH_MAX for q in questions)
    assert [q.prompt for q in questions] == [f"Match each description of the attack to the party that used it (part {n} of 2)."
                                             for n in (1, 2)]
    assert [q.id for q in questions] == ["wordchoice.called-0", "wordchoice.called-0.2"]
    near = generated_ids(open_bank(root), near=["wordchoice.called-0.2"])
    assert {"wordchoice.called-0", "wordchoice.called-0.2"} <= near


def test_without_describes_a_topic_word_choice_facts_are_matched_together(make_bank):
    root = make_bank({"reactions": reactions(*(described(*w, describes=None) for w in WORDS))})
    (q,) = matching(root)
    assert q.prompt == "Match each description to the party that used it." and len(q.pairs) == 4


def test_bundled_bank_covers_the_five_descriptions(bundled):
    pairs = {pair for q in generate(bundled) if q.type == "matching" for pair in q.pairs}
    for pair in [("unprovoked", "CENTCOM"), ("uncoordinated", "US officials"),
                 ("a brutal massacre and an aggression", "the Syrian Foreign Ministry"),
                 ("an unprecedented act of aggression", "Frants Klintsevich"), ("perplexing", "Jim Mattis")]:
        assert pair in pairs
    # Each question has exactly one right party per description among its choices.
    for q in generate(bundled):
        if q.type == "matching":
            assert 3 <= len(q.pairs) <= MATCH_MAX and {p for _, p in q.pairs} == set(q.choices)


def test_starter_bank_gets_a_matching_question_from_its_own_claims(tmp_path):
    from khasham_learn.scaffold import init_bank

    init_bank(tmp_path / "starter")
    questions = matching(tmp_path / "starter")
    assert len(questions) == 1 and len(questions[0].pairs) == 3


# ---------------------------------------------------------------- grading


def test_partial_credit_is_a_score_but_right_means_every_pair(words_bank):
    (q,) = matching(words_bank)
    parties = [party for _, party in q.pairs]
    full = grade(q, parties)
    assert full.correct and full.score == 1.0
    swapped = [parties[1], parties[0], *parties[2:]]
    partial = grade(q, swapped)
    assert not partial.correct and partial.score == 0.5 and partial.feedback == "Not quite: 2 of 4 right."
    assert grade(q, ["The Command", *parties[1:]]).correct  # the party's spelling as the grader reads names
    assert grade(q, parties[:2]).score == 0.5  # an answer cut short counts the rest as wrong


# ---------------------------------------------------------------- quiz and review


def cli(*args, stdin="", bank=None):
    env = {**os.environ, "KHASHAM_LEARN_BANK": str(bank), "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "khasham_learn", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env=env)


def numbers(q: Question, parties: list[str]) -> str:
    return "".join(f"{q.choices.index(p) + 1}\n" for p in parties)


def test_plain_quiz_through_a_pipe_then_review(words_bank, store_path):
    (q,) = matching(words_bank)
    parties = [party for _, party in q.pairs]
    wrong = [parties[0], parties[1], parties[3], parties[2]]
    first = cli("quiz", "--type", "matching", stdin=numbers(q, wrong), bank=words_bank)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "[1/1] Match each description of the attack to the party that used it." in out
    assert "For each, the number of its match:" in out and "  unprovoked: " in out
    assert "✗ Not quite: 2 of 4 right." in out and "unprovoked → the command" in out
    assert "Score: 0/1" in out
    with open_store(store_path) as store:
        (saved,) = store.answers()
    assert saved.given == wrong and not saved.correct

    review = cli("review", "--type", "matching", "--new", "1", stdin=numbers(q, parties), bank=words_bank)
    assert review.returncode == 0, review.stderr
    assert "✓ Right: all 4 matched." in review.stdout and "Score: 1/1" in review.stdout
    with open_store(store_path) as store:
        answers = store.answers()
    assert [a.correct for a in answers] == [False, True] and answers[1].rating is not None


def test_terminal_quiz_one_select_per_description(words_bank, store_path):
    pexpect = pytest.importorskip("pexpect")
    from test_cli import console_script

    (q,) = matching(words_bank)
    env = {**os.environ, "KHASHAM_LEARN_BANK": str(words_bank), "NO_COLOR": "1", "KHASHAM_LEARN_STORE": str(store_path)}
    child = pexpect.spawn(console_script(), ["quiz", "--type", "matching"], env=env, encoding="utf-8",
                          timeout=20, dimensions=(40, 120))
    try:
        child.expect(r"\[1/1\] Match each description of the attack to the party that used it\.")
        picks = [party for _, party in q.pairs]
        picks[3] = picks[2]  # one wrong: three of four right
        for n, (description, _) in enumerate(q.pairs, 1):
            child.expect(rf"\({n}/4\) {description}")
            child.expect("Use arrow keys")
            for _ in range(q.choices.index(picks[n - 1])):
                child.send("\x1b[B")
            child.send("\r")
        child.expect("✗ Not quite: 3 of 4 right.")
        child.expect("The pairs:")
        child.expect("r: I was right")
        child.send("\r")
        child.expect(r"Score: 0/1")
        child.expect(r"Go over the 1 missed question until right\?")
        child.send("n")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    with open_store(store_path) as store:
        (saved,) = store.answers()
    assert saved.given == picks and not saved.correct


def test_preview_answers_it_rightly(words_bank):
    from khasham_learn.preview import preview

    result = preview(open_bank(words_bank), "wordchoice.called-unprovoked")
    assert result.feedback[0] == "✓ Right: all 4 matched."
    assert "Description | Party" in (result.anki or "") and "unprovoked | the command" in (result.anki or "")


# ---------------------------------------------------------------- exports


def job(bank_root: Path, tmp_path: Path, name: str, warnings: list[str] | None = None, **options: object) -> ExportJob:
    bank = open_bank(bank_root)
    out = warnings if warnings is not None else []
    return ExportJob(bank, generate(bank), tmp_path / "out" / name, 0, options, warn=out.append)


def test_anki_deck_imports_and_the_back_is_a_table_of_pairs(words_bank, tmp_path):
    pytest.importorskip("anki")
    from anki.collection import Collection
    from test_export_anki import cards_by_question_id, import_deck, shown

    from khasham_learn.exports import anki as anki_export

    deck, _manifest = anki_export.export(job(words_bank, tmp_path, "out.apkg"))
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        import_deck(col, deck)
        card = cards_by_question_id(col)["wordchoice.called-unprovoked"]
        out = card.render_output()
        front, back = out.question_text, out.answer_text
        (q,) = matching(words_bank)
        for description, party in q.pairs:
            assert shown(description) in front and shown(party) in front
            assert f"<tr><td>{shown(description)}</td><td>{shown(party)}</td></tr>" in back
            assert f"<td>{shown(party)}</td>" not in front  # the table is on the back only
        assert "<th>Description</th><th>Party</th>" in back
        assert card.note().note_type()["name"] == anki_export.MODEL_NAME and card.note()["Fact"] == "wordchoice"
    finally:
        col.close()


def test_gift_is_a_moodle_matching_question(words_bank, tmp_path):
    from test_exports import parse_gift

    from khasham_learn.exports import gift

    (path,) = gift.export(job(words_bank, tmp_path, "q.gift"))
    parsed = {p["id"]: p for p in parse_gift(path.read_text(encoding="utf-8"))}
    (q,) = matching(words_bank)
    item = parsed[q.id]
    assert item["prompt"] == q.prompt and item["wrong"] == []
    assert item["right"] == [f"{d} -> {p}" for d, p in q.pairs]


def test_worksheet_has_two_columns_and_the_key_the_pairs(words_bank, tmp_path):
    from khasham_learn.exports import html, markdown

    (q,) = matching(words_bank)
    sheet, key = markdown.export(job(words_bank, tmp_path, "sheet.md"))
    text, answers = sheet.read_text(encoding="utf-8"), key.read_text(encoding="utf-8")
    assert "| Description | Letter | Party |" in text
    assert f"| 1. {q.accepted[0]} | \\_\\_ | A. {q.choices[0]} |" in text
    letter = "ABCD"[q.choices.index(q.pairs[0][1])]
    assert f"1-{letter} (unprovoked → the command)" in answers and "Also accepted" not in answers.split(q.prompt)[1]
    page, page_key = html.export(job(words_bank, tmp_path, "sheet.html"))
    assert '<table class="match"' in page.read_text(encoding="utf-8")
    assert f"1-{letter} (unprovoked → the command)" in page_key.read_text(encoding="utf-8")


def test_quizlet_has_a_row_per_pair_and_kahoot_says_why_it_is_left_out(words_bank, tmp_path):
    from khasham_learn.exports import csv as csv_export

    (path,) = csv_export.export(job(words_bank, tmp_path, "cards.csv"))
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    (q,) = matching(words_bank)
    for description, party in q.pairs:
        assert [description, party] in rows
    from khasham_learn.exports import kahoot

    warnings: list[str] = []
    left_out = job(words_bank, tmp_path, "kahoot.xlsx", warnings)
    kahoot.export(left_out)
    assert any(loss.question == q.id and loss.what.startswith("left out: Kahoot has no matching question")
               for loss in left_out.losses)


def test_a_teacher_rewording_of_a_matching_question_is_known_to_check(make_bank):
    questions = "questions:\n  - id: wordchoice.called-unprovoked\n    prompt: Who said what about the attack?\n"
    root = make_bank({"reactions": reactions(*(described(*w) for w in WORDS))}, questions=questions)
    result = cli("check", "--bank", str(root), bank=root)
    assert result.returncode == 0, result.stdout + result.stderr
    (q,) = matching(root)
    assert q.prompt == "Who said what about the attack?" and len(q.pairs) == 4
