"""The Anki export, checked with Anki's own backend: import, render, study, re-import, migrate."""

from __future__ import annotations

import html
import json
import os
import sqlite3
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# anki.collection first: importing anki.cards on its own is a circular import in anki.
from anki.collection import Card, Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest, ImportResponse
from click.testing import CliRunner
from conftest import REPO, START_TIME_FACT

from khasham_learn import exports
from khasham_learn.cli import cli
from khasham_learn.exports import ExportJob, slug
from khasham_learn.exports.common import right_answers
from khasham_learn.exports import anki as anki_export
from khasham_learn.generation import Question, generate
from khasham_learn.giveaways import Giveaways, group_of
from khasham_learn.loading import open_bank
from khasham_learn.paths import bundled_bank

EPOCH = 1_735_689_600  # 2025-01-01, any fixed time
REBUILD = "SOURCE_DATE_EPOCH=$(date +%s) khasham-learn export anki"

CASUALTIES_FACTS = """\
title: Casualties
facts:
  - id: us-wounded
    prompt: How many US soldiers were wounded?
    statement: "{answer} US soldiers were wounded."
    kind: number
    claims:
      - source: report-a
        value: none
        quote: Report A says the attack began
"""

# A teacher's question and a rewording full of markup: Anki must show it as text.
HOSTILE_QUESTIONS = """\
questions:
  - id: start-time.direct
    prompt: "When did <b>it</b> begin? <script>alert('x')</script> AT&T [sound:boom.mp3]"
  - id: markup-question
    fact: attackers
    type: free
    prompt: "Who wrote <i>this</i> & why?"
    answer: "<img src=x onerror=alert(1)> {{c2::not a cloze}}"
  - id: my-cloze
    fact: attackers
    type: cloze
    prompt: "About [...] fighters attacked, <b>said</b> {{c1::a report}}."
    answer: "500"
"""


def write_bank(root: Path, title: str = "The battle :: test") -> Path:
    (root / "bank.yaml").write_text(f"title: '{title}'\ntopics: [battle, casualties]\n", encoding="utf-8")
    return root


@pytest.fixture
def small_bank(make_bank: Callable[..., Path]) -> Path:
    return write_bank(make_bank({"battle": START_TIME_FACT, "casualties": CASUALTIES_FACTS}, HOSTILE_QUESTIONS))


def build(bank_root: Path, output: Path, epoch: int = EPOCH, **filters: str) -> tuple[list[Question], Path]:
    """The deck of the bank's questions at `output`, and the questions it makes cards of."""
    bank = open_bank(bank_root)
    questions = [q for q in generate(bank) if all(getattr(q, k) == v for k, v in filters.items())]
    anki_export.export(ExportJob(bank, questions, output, epoch, warn=lambda message: None))
    return anki_export.without_sibling_giveaways(questions)[0], output


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    folder = tmp_path / "anki-profile"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


def import_deck(col: Collection, path: Path) -> ImportResponse.Log:
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path))).log


def cards_by_question_id(col: Collection) -> dict[str, Card]:
    """Each card under the id of the question it asks (the Id field of its form)."""
    out = {}
    for cid in col.find_cards(f'note:"{anki_export.MODEL_NAME}"'):
        card = col.get_card(cid)
        out[card.note()[f"Id{card.ord + 1}"]] = card
    return out


def shown(text: str | None) -> str:
    """How a field's text appears in the rendered card."""
    return anki_export._text(text)


def learner_state(col: Collection) -> dict[str, tuple[object, ...]]:
    """What a learner makes of a card: its note's tags and fields, the card's scheduling, flag and queue."""
    state = {}
    for qid, card in cards_by_question_id(col).items():
        note = card.note()
        state[qid] = (tuple(sorted(note.tags)), tuple(note.fields), note.mod, card.id, card.type, card.queue,
                      card.due, card.ivl, card.flags, card.reps)
    return state


def study(col: Collection, card: Card, ease: int = 3) -> None:
    card = col.get_card(card.id)
    card.start_timer()
    col.sched.answerCard(card, ease)



def test_one_note_per_fact_and_one_card_per_form(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    log = import_deck(col, deck)
    keys = {group_of(q) for q in questions}
    assert len(log.new) == len(keys) == col.note_count() and not log.updated and not log.duplicate
    assert col.card_count() == len(questions) and not col.get_empty_cards().notes
    cards = cards_by_question_id(col)
    assert set(cards) == {q.id for q in questions}
    for q in questions:  # a fact's forms are siblings: one note, so Anki's burying spaces them
        assert cards[q.id].note()["Fact"] == shown(anki_export.note_key(q))
    start = [q for q in questions if q.fact == "start-time" and q.id.startswith("start-time.")]
    assert len(start) > 1 and len({cards[q.id].nid for q in start}) == 1
    # a teacher's own questions on a fact are cards of its note
    assert cards["markup-question"].nid == cards["my-cloze"].nid == cards["attackers.direct"].nid


def test_no_card_states_the_answer_of_another_card_of_its_fact(col, small_bank, tmp_path):
    bank = open_bank(small_bank)
    everything = generate(bank)
    warnings: list[str] = []
    anki_export.export(ExportJob(bank, everything, tmp_path / "out.apkg", EPOCH, warn=warnings.append))
    import_deck(col, tmp_path / "out.apkg")
    cards = cards_by_question_id(col)
    left_out = [q for q in everything if q.id not in cards]
    # "True or false: 500 fighters attacked." restates the answer to "How many fighters attacked?"
    assert "attackers.tf" in {q.id for q in left_out}
    assert warnings == [f"Anki: {len(left_out)} question(s) left out, each stating the answer of another card of "
                        f"its fact (e.g. {left_out[0].id}); the quiz still asks them"]
    by_note: dict[int, list[Question]] = {}
    for q in everything:
        if q.id in cards:
            by_note.setdefault(cards[q.id].nid, []).append(q)
    for siblings in by_note.values():
        index = Giveaways(siblings, within_fact=True)
        assert not [(a.id, b.id) for a in siblings for b in siblings if a is not b and index.states_answer(a, b)]
    note_of = {group_of(q): cards[q.id].nid for q in everything if q.id in cards}
    for q in left_out:  # each left out for a reason: it and a card of its fact state each other's answer
        siblings = by_note[note_of[group_of(q)]]
        index = Giveaways([q, *siblings], within_fact=True)
        assert any(index.states_answer(q, s) or index.states_answer(s, q) for s in siblings)


def test_within_a_fact_even_common_ground_gives_the_answer_away(make_bank, tmp_path):
    """Across the bank, a name every fact mentions gives nothing away; within its own fact, a true
    statement naming it answers the question: 'called Operation Inherent Resolve'."""
    name = textwrap.dedent("""\
        title: The battle
        facts:
          - id: operation-name
            prompt: What was the coalition operation called?
            statement: The coalition operation was called {answer}.
            kind: text
            claims:
              - {source: report-a, value: Operation Inherent Resolve, quote: Report A says the attack began}
        """) + "".join(textwrap.indent(textwrap.dedent(f"""\
          - id: other-{n}
            prompt: How many strikes did Operation Inherent Resolve make on day {n}?
            statement: Operation Inherent Resolve made {{answer}} strikes on day {n}.
            kind: number
            claims:
              - {{source: report-a, value: "{10 + n}", quote: Report A says the attack began}}
        """), "  ") for n in range(5))
    bank = open_bank(make_bank({"battle": name}))
    questions = generate(bank)
    tf = next(q for q in questions if q.id == "operation-name.tf")
    direct = next(q for q in questions if q.id == "operation-name.direct")
    assert "Operation Inherent Resolve" in tf.prompt and tf.answer == "True"
    assert not Giveaways(questions).states_answer(tf, direct)  # common ground across the bank
    kept, left_out = anki_export.without_sibling_giveaways(questions)
    assert tf in left_out and direct in kept


def test_every_card_renders_its_question_and_a_complete_back(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    cards = cards_by_question_id(col)
    for q in questions:
        out = cards[q.id].render_output()
        front, back = out.question_text, out.answer_text
        if q.type == "cloze":
            assert shown(q.cloze.split("{{c1::")[0]) in front and "[...]" in front and shown(q.answer) not in front
        else:
            assert shown(q.prompt) in front
        for choice in q.choices:
            assert shown(choice) in front
        for right in right_answers(q):
            assert shown(right) in back
        assert f'<div class="kl-id">{q.id}</div>' in back and q.id not in front  # the id: a footer on the back only
        for source in q.sources:
            assert shown(source.label) in back and shown(source.quote) in back
            if source.attributed_to:
                assert f"citing {shown(source.attributed_to)}" in back
        # the reports' words are folded away under a toggle, the table of who says what is not
        assert '<details class="kl-words"><summary>' in back
        assert back.index("<details") > back.index('<table class="kl-who">')


def test_the_right_choice_is_marked_on_the_back(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    cards = cards_by_question_id(col)
    choice = [q for q in questions if q.type in ("choice", "true_false", "which_report")]
    assert choice
    for q in choice:
        out = cards[q.id].render_output()
        assert f'<li class="kl-right">{shown(q.answer)} {anki_export.RIGHT_MARK}</li>' in out.answer_text
        assert "kl-right" not in out.question_text
        wrong = [c for c in q.choices if c != q.answer]
        assert all(f'<li class="kl-wrong-choice">{shown(c)}</li>' in out.answer_text for c in wrong)


MULTI_QUESTIONS = """\
questions:
  - id: sides
    fact: attackers
    type: multi
    prompt: Which of these took part?
    answer: pro-government fighters
    accepted: [pro-government fighters, US forces, Kurdish-led forces]
    choices: [pro-government fighters, US forces, Kurdish-led forces, Turkish troops]
"""


def test_a_multi_select_card_asks_for_all_and_its_back_gives_all(col, make_bank, tmp_path):
    bank = write_bank(make_bank({"battle": START_TIME_FACT, "casualties": CASUALTIES_FACTS}, MULTI_QUESTIONS))
    questions, deck = build(bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    (q,) = [q for q in questions if q.type == "multi"]
    out = cards_by_question_id(col)[q.id].render_output()
    assert anki_export.CHOOSE_ALL in out.question_text
    rights = right_answers(q)
    assert len(rights) == 3
    for right in rights:
        assert f'<li class="kl-right">{shown(right)} {anki_export.RIGHT_MARK}</li>' in out.answer_text
    assert f'<div class="kl-answer">{", ".join(shown(r) for r in rights)}</div>' in out.answer_text
    assert '<li class="kl-wrong-choice">Turkish troops</li>' in out.answer_text


def test_a_single_short_answer_is_typed_in(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    cards = cards_by_question_id(col)
    typed = [q for q in questions if anki_export._type_in(q)]
    assert {q.type for q in typed} >= {"numeric", "cloze"}
    for q in questions:  # Anki's reviewer puts its answer box where the backend leaves [[type:...]]
        card = cards[q.id]
        out = card.render_output()
        box = f"[[type:Type{card.ord + 1}]]"
        assert (box in out.question_text) == (box in out.answer_text) == (q in typed)
    assert not [q for q in typed if q.choices]  # a question with choices is answered by choosing


def test_the_disputed_box_is_on_the_back_only(col, small_bank, tmp_path):
    import_deck(col, build(small_bank, tmp_path / "out.apkg")[1])
    cards = cards_by_question_id(col)
    out = cards["start-time.according.report-a"].render_output()
    assert '<div class="kl-box kl-disputed"><div class="kl-box-title">Sources disagree</div><table class="kl-who">' \
        in out.answer_text
    assert "Sources disagree" not in out.question_text
    unanimous = cards["us-wounded.direct"].render_output().answer_text
    assert "kl-box" not in unanimous and '<div class="kl-sources-title">Sources</div>' in unanimous


def test_tags_sit_under_one_root_and_subdecks_keep_the_bank_order(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    names = {d.name for d in col.decks.all_names_and_ids()}
    # The ':: ' in the title must not add a deck level; topics are numbered in the bank's order.
    assert {"The battle : test", "The battle : test::01 The battle", "The battle : test::02 Casualties"} <= names
    cards = cards_by_question_id(col)
    for q in questions:
        card = cards[q.id]
        tags = set(card.note().tags)
        assert all(t.startswith("khasham::") and " " not in t for t in tags)
        assert {f"khasham::topic::{q.topic}", f"khasham::type::{q.type.replace('_', '-')}"} <= tags
        assert {f"khasham::source::{s.source}" for s in q.sources} <= tags
        assert ("khasham::disputed" in tags) >= q.disputed
        number = "02 Casualties" if q.topic == "casualties" else "01 The battle"
        assert col.decks.name(card.did) == f"The battle : test::{number}"
    assert col.find_cards("tag:khasham::disputed") and col.find_cards("tag:khasham::type::cloze")
    assert {m["name"]: m["id"] for m in col.models.all()}[anki_export.MODEL_NAME] == anki_export.MODEL_ID


def test_new_cards_come_in_the_bank_order(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    cards = cards_by_question_id(col)
    notes = anki_export.fact_notes(questions)
    dues = [cards[n.questions[0].id].due for n in notes]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    # A fact's forms take card templates in the fact's order: Anki shows siblings in that order.
    for n in notes:
        assert [cards[q.id].ord for q in n.questions] == list(range(len(n.questions)))


def test_html_and_script_arrive_inert(col, small_bank, tmp_path):
    import_deck(col, build(small_bank, tmp_path / "out.apkg")[1])
    cards = cards_by_question_id(col)
    front = cards["start-time.direct"].render_output().question_text
    assert "&lt;b&gt;it&lt;/b&gt;" in front and "&lt;script&gt;" in front and "AT&amp;T" in front
    assert "<script" not in front and "<b>" not in front
    assert not cards["start-time.direct"].question_av_tags()  # [sound:...] stays text
    custom = cards["markup-question"].render_output()
    assert "&lt;i&gt;this&lt;/i&gt; &amp; why?" in custom.question_text
    assert "&lt;img src=x onerror=alert(1)&gt;" in custom.answer_text and "<img" not in custom.answer_text
    assert "not a cloze" in custom.answer_text


def test_fields_are_escaped_as_html_escape_does_and_more():
    text = "<b>AT&T</b> \"quoted\" it's"
    assert anki_export._text(text) == html.escape(text)
    assert anki_export._text("{{c1::x}} [sound:a.mp3]") == "&#123;&#123;c1::x&#125;&#125; &#91;sound:a.mp3&#93;"


def reword_attackers(bank_root: Path) -> None:
    edits = bank_root / "questions.yaml"
    edits.write_text(edits.read_text(encoding="utf-8") + textwrap.indent(textwrap.dedent("""\
        - id: attackers.direct
          prompt: Roughly how many fighters took part in the attack?
        """), "  "), encoding="utf-8")


def make_it_mine(col: Collection) -> dict[str, Card]:
    """A learner's own work on every note: a tag, a flag, a suspension, reviews."""
    cards = cards_by_question_id(col)
    for note_id in {c.nid for c in cards.values()}:
        note = col.get_note(note_id)
        note.tags.append("my-own-tag")
        col.update_note(note)
    col.set_user_flag_for_cards(3, [cards["us-wounded.direct"].id])
    col.sched.suspend_cards([cards["start-time.agree"].id])
    for qid in ("attackers.direct", "us-wounded.direct", "start-time.direct"):
        study(col, cards[qid], 3)
    return cards


def test_a_rebuild_to_a_new_path_leaves_the_learners_work_on_unchanged_notes(col, small_bank, tmp_path, monkeypatch):
    # Published as decks/ holds it; rebuilt from that folder to a new path, as `-o new.apkg` does.
    monkeypatch.chdir(tmp_path)
    published = tmp_path / "decks" / "the-battle-test.apkg"
    build(small_bank, published, EPOCH)
    import_deck(col, published)
    make_it_mine(col)
    before = learner_state(col)
    assert col.db.scalar("select count() from revlog") == 3

    # Nothing changed; a later build time, a new path, the bank files touched to an older time.
    for path in small_bank.rglob("*.yaml"):
        os.utime(path, (EPOCH - 86_400, EPOCH - 86_400))
    build(small_bank, tmp_path / "elsewhere" / "new.apkg", EPOCH + 3600)
    log = import_deck(col, tmp_path / "elsewhere" / "new.apkg")
    assert not log.new and not log.updated and len(log.duplicate) == col.note_count()
    assert learner_state(col) == before

    # One note changed, rebuilt as the README says (stamped now: later than the learner's own edits).
    reword_attackers(small_bank)
    build(small_bank, tmp_path / "elsewhere" / "newer.apkg", int(time.time()) + 60)
    log = import_deck(col, tmp_path / "elsewhere" / "newer.apkg")
    assert [n.fields[0] for n in log.updated] == ["attackers"] and not log.new
    after = learner_state(col)
    others = [k for k, c in cards_by_question_id(col).items() if c.note()["Fact"] != "attackers"]
    assert len(others) == len(after) - 4  # attackers: direct, agree, a teacher's free question and cloze
    assert [after[k] for k in others] == [before[k] for k in others]
    # The changed note: its new wording; its cards keep their reviews (Anki gives it the deck's tags).
    assert cards_by_question_id(col)["attackers.direct"].note()["Prompt1"] == \
        "Roughly how many fighters took part in the attack?"
    assert before["attackers.direct"][3:] == after["attackers.direct"][3:]
    assert col.db.scalar("select count() from revlog") == 3


def test_a_change_reaches_a_learner_who_tagged_after_the_files_were_saved(col, small_bank, tmp_path, monkeypatch):
    """Without SOURCE_DATE_EPOCH a changed note is stamped with the time of the build, not the bank
    files': files older than the learner's last edit (a tag) once made Anki keep the old wording."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    deck = tmp_path / "battle.apkg"

    def export() -> None:
        bank = open_bank(small_bank)
        exports.export("anki", bank, generate(bank), deck)

    export()
    import_deck(col, deck)
    make_it_mine(col)  # the learner's tags: notes newer than the files
    reword_attackers(small_bank)
    for path in small_bank.rglob("*.yaml"):
        os.utime(path, (EPOCH, EPOCH))
    time.sleep(1.1)  # Anki keeps whole seconds: a rebuild in the second of the tagging would tie
    export()
    log = import_deck(col, deck)
    assert [n.fields[0] for n in log.updated] == ["attackers"] and not log.new
    assert cards_by_question_id(col)["attackers.direct"].note()["Prompt1"] == \
        "Roughly how many fighters took part in the attack?"


def test_a_deck_rebuilt_in_place_updates_only_the_notes_that_changed(col, small_bank, tmp_path):
    deck = tmp_path / "decks" / "battle.apkg"  # rebuilt where it lies, as decks/ is
    questions, _ = build(small_bank, deck, EPOCH)
    import_deck(col, deck)
    build(small_bank, deck, EPOCH + 60)  # rebuilt with nothing changed: nothing to update
    assert not import_deck(col, deck).updated
    reword_attackers(small_bank)
    build(small_bank, deck, EPOCH - 3600)  # a clock behind the published deck's: the change still arrives
    log = import_deck(col, deck)
    assert [n.fields[0] for n in log.updated] == ["attackers"]
    assert len(log.duplicate) == col.note_count() - 1 and not log.new
    manifest = json.loads(anki_export.manifest_path(deck).read_text(encoding="utf-8"))
    assert manifest["attackers"]["mod"] == EPOCH + 1 and manifest["start-time"]["mod"] == EPOCH
    assert manifest["attackers"]["guid"] == anki_export.note_guid("attackers")


def test_a_form_keeps_its_card_when_the_fact_gains_or_loses_forms(col, small_bank, tmp_path):
    deck = tmp_path / "battle.apkg"
    build(small_bank, deck, EPOCH)
    import_deck(col, deck)
    cards = cards_by_question_id(col)
    study(col, cards["us-wounded.tf"], 3)
    manifest = json.loads(anki_export.manifest_path(deck).read_text(encoding="utf-8"))
    assert manifest["us-wounded"]["cards"] == {"us-wounded.direct": 0, "us-wounded.tf": 1}
    # A teacher switches the direct form off: the true/false form stays on its card, with its review.
    edits = small_bank / "questions.yaml"
    edits.write_text(edits.read_text(encoding="utf-8") + "  - id: us-wounded.direct\n    enabled: false\n", encoding="utf-8")
    questions, _ = build(small_bank, deck, EPOCH + 60)
    assert "us-wounded.direct" not in {q.id for q in questions}
    import_deck(col, deck)
    after = col.get_card(cards["us-wounded.tf"].id)
    assert after.ord == 1 and after.reps == 1 and after.note()["Id2"] == "us-wounded.tf" and not after.note()["Id1"]
    assert col.get_empty_cards().notes  # the retired form's card: Anki's Empty Cards removes it


@pytest.mark.parametrize("garbled", [
    "{not json",
    '["a", "list"]',
    '{"start-time": {"guid": 1, "hash": null, "mod": "soon", "cards": []}, "attackers": "x"}',
    '{"start-time": {"guid": "g", "hash": "h", "mod": 1, "cards": {"start-time.direct": "zero", "start-time.agree": 99}}}',
])
def test_a_garbled_manifest_counts_its_notes_as_new(col, small_bank, tmp_path, garbled):
    deck = tmp_path / "battle.apkg"
    anki_export.manifest_path(deck).write_text(garbled, encoding="utf-8")
    questions, _ = build(small_bank, deck)
    assert len(import_deck(col, deck).new) == len(anki_export.fact_notes(questions))
    manifest = json.loads(anki_export.manifest_path(deck).read_text(encoding="utf-8"))
    assert manifest["start-time"]["cards"]["start-time.direct"] == 0  # rewritten whole


def test_reimporting_the_same_file_changes_nothing(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    log = import_deck(col, deck)
    assert not log.new and not log.updated
    assert len(log.duplicate) == col.note_count() == len(anki_export.fact_notes(questions))


def test_an_older_build_does_not_overwrite_a_newer_one(col, small_bank, tmp_path):
    import_deck(col, build(small_bank, tmp_path / "new.apkg", EPOCH + 60)[1])
    log = import_deck(col, build(small_bank, tmp_path / "old.apkg", EPOCH)[1])
    assert not log.new and not log.updated


def test_same_bank_and_time_give_the_same_bytes(small_bank, tmp_path):
    first = build(small_bank, tmp_path / "a.apkg")[1].read_bytes()
    assert build(small_bank, tmp_path / "b.apkg")[1].read_bytes() == first
    assert build(small_bank, tmp_path / "a.apkg")[1].read_bytes() == first  # over its own manifest too
    assert build(small_bank, tmp_path / "c.apkg", EPOCH + 1)[1].read_bytes() != first
    with zipfile.ZipFile(tmp_path / "a.apkg") as z:
        assert [i.filename for i in z.infolist()] == ["collection.anki2", "media"]
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_guid_comes_from_the_fact_id_only(small_bank, tmp_path):
    import genanki

    questions, deck = build(small_bank, tmp_path / "out.apkg")
    notes = deck_notes(deck)
    assert notes[genanki.guid_for("start-time", anki_export.MODEL_NAME)][1][0] == "start-time"
    reword_attackers(small_bank)
    build(small_bank, tmp_path / "again.apkg")
    assert set(deck_notes(tmp_path / "again.apkg")) == set(notes)


def test_a_learner_moves_from_the_v1_deck_as_the_readme_says(col, tmp_path):
    """v1 held a note per question. Its notes stay after the v2 deck is imported (Anki never deletes
    on import), beside the new ones; the README's one Browser search and Delete removes them, and
    the reviews made on them stay in the statistics."""
    v1 = Path(__file__).parent / "fixtures" / "anki-v1-deck.apkg"
    old = import_deck(col, v1)
    assert len(old.new) == col.note_count() > 400
    for cid in col.find_cards("")[:5]:
        study(col, col.get_card(cid), 3)
    _, deck = build(bundled_bank(), tmp_path / "v2.apkg")
    log = import_deck(col, deck)
    notes = anki_export.fact_notes(generate(open_bank(bundled_bank())))
    assert len(log.new) == len(notes) and not log.updated and not log.conflicting
    assert col.note_count() == len(old.new) + len(notes)
    search = anki_export.V1_SEARCH
    assert f"`{search}`" in (REPO / "README.md").read_text(encoding="utf-8")
    stale = col.find_notes(search)
    assert len(stale) == len(old.new)
    col.remove_notes(stale)
    assert col.note_count() == len(notes) and col.db.scalar("select count() from revlog") == 5
    assert not col.find_notes(search)


def test_cli_export_with_filters(small_bank, tmp_path):
    out = tmp_path / "casualties.apkg"
    result = CliRunner().invoke(cli, ["export", "anki", "--bank", str(small_bank), "--topic", "casualties", "-o", str(out)],
                                env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"wrote {out}\nwrote {tmp_path / 'casualties.manifest.json'}\n")
    facts = {fields[0] for _, fields, _, _ in deck_notes(out).values()}
    assert facts == {"us-wounded"}
    again = CliRunner().invoke(cli, ["export", "anki", "--bank", str(small_bank), "--disputed", "-o", str(out)],
                               env={"SOURCE_DATE_EPOCH": "soon"})
    assert again.exit_code == 1 and "SOURCE_DATE_EPOCH must be whole seconds" in again.output


def test_cli_default_output_is_the_decks_folder(small_bank, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "anki", "--bank", str(small_bank)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "decks" / "the-battle-test.apkg").is_file()
    assert not [p for p in (tmp_path / "decks").iterdir() if p.name.startswith(".")]  # no temporary left


def test_genanki_is_not_imported_for_help():
    import subprocess
    import sys

    code = "import sys; from khasham_learn.cli import main; sys.argv=['k','--help']\ntry: main()\nexcept SystemExit: pass\nprint('genanki' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")


def package_rows(path: Path, *queries: str) -> list[list[tuple[object, ...]]]:
    """The rows each query gives over the package's collection, read from a scratch copy."""
    import tempfile

    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.anki2"
        db.write_bytes(z.read("collection.anki2"))
        conn = sqlite3.connect(db)
        try:
            return [conn.execute(q).fetchall() for q in queries]
        finally:
            conn.close()


def deck_notes(path: Path) -> dict[str, tuple[str, list[str], str, str]]:
    """guid -> (note type name, fields, tags, deck name), read from the package's collection."""
    (col_row,), rows = package_rows(
        path, "select models, decks from col",
        "select n.guid, n.mid, n.flds, n.tags, c.did from notes n join cards c on c.nid = n.id order by c.due")
    models, decks = (json.loads(v) for v in col_row)
    return {guid: (models[str(mid)]["name"], flds.split("\x1f"), tags.strip(), decks[str(did)]["name"])
            for guid, mid, flds, tags, did in rows}


def note_mods(path: Path) -> dict[str, int]:
    (rows,) = package_rows(path, "select guid, mod from notes")
    return dict(rows)


def test_committed_deck_matches_the_bank(tmp_path):
    bank = open_bank(bundled_bank())
    committed = REPO / "decks" / f"{slug(bank.title)}.apkg"
    assert committed.is_file(), f"no ready-to-import deck at {committed}; build it from the repository's folder with:\n  {REBUILD}"
    questions = generate(bank)
    fresh = tmp_path / "fresh.apkg"
    manifest = anki_export.manifest_path(committed)
    assert manifest.is_file(), f"no manifest beside the deck at {manifest}; rebuild with:\n  {REBUILD}"
    anki_export.manifest_path(fresh).write_bytes(manifest.read_bytes())
    anki_export.export(ExportJob(bank, questions, fresh, EPOCH, warn=lambda message: None))
    # Built over the committed manifest, an up-to-date bank changes nothing in it: same hashes, same times.
    assert anki_export.manifest_path(fresh).read_bytes() == manifest.read_bytes(), \
        f"decks/{manifest.name} is out of date with the bank; rebuild with:\n  {REBUILD}"
    assert note_mods(committed) == {v["guid"]: v["mod"] for v in json.loads(manifest.read_text(encoding="utf-8")).values()
                                    if v["guid"] in note_mods(committed)}
    old, new = deck_notes(committed), deck_notes(fresh)
    changed = sorted({v[1][0] for k, v in new.items() if old.get(k) != v} | {v[1][0] for k, v in old.items() if k not in new})
    assert list(old.items()) == list(new.items()), (
        f"decks/{committed.name} is out of date with the bank ({len(changed)} notes differ, "
        f"e.g. {', '.join(changed[:3])}); rebuild it from the repository's folder with:\n  {REBUILD}"
    )


def test_bundled_bank_imports_cleanly(col, tmp_path):
    bank = open_bank(bundled_bank())
    questions, deck = build(bundled_bank(), tmp_path / "full.apkg")
    log = import_deck(col, deck)
    assert len(log.new) == len(anki_export.fact_notes(questions)) == col.note_count()
    assert len(questions) == col.card_count() and not col.get_empty_cards().notes
    topics = {f"{n:02d} {t.title}" for n, t in enumerate(bank.topics, 1)}
    assert {n.split("::", 1)[1] for n in (d.name for d in col.decks.all_names_and_ids()) if "::" in n} == topics
    backs = [col.get_card(cid).render_output().answer_text for cid in col.find_cards("tag:khasham::disputed")]
    assert backs and all("kl-disputed" in b for b in backs)


def test_the_decks_preset_buries_siblings_so_a_day_asks_one_form_of_a_fact(col, tmp_path):
    """Anki's default buries nothing; the deck's preset, taken with "Import any deck presets", does."""
    _, deck = build(bundled_bank(), tmp_path / "full.apkg")
    options = ImportAnkiPackageOptions(with_deck_configs=True, with_scheduling=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck), options=options))
    top = next(d for d in col.decks.all_names_and_ids() if "::" not in d.name and d.name != "Default")
    for d in col.decks.all_names_and_ids():
        preset = col.decks.config_dict_for_deck_id(d.id)
        expected = d.id != 1
        assert (preset["name"] == anki_export.DECK_CONFIG_NAME) == expected, d.name
        assert preset["new"]["bury"] == preset["rev"]["bury"] == expected, d.name
    assert first_days_notes(col, top.name) == 20  # Anki's 20 new cards a day, each of another note

    # Without the preset (the import dialog's default), Anki's Default brings siblings the same day.
    plain = Collection(str(tmp_path / "plain.anki2"))
    try:
        import_deck(plain, deck)
        assert first_days_notes(plain, top.name) < 20
    finally:
        plain.close()


def first_days_notes(col: Collection, deck: str) -> int:
    """How many notes the first day's new cards in `deck` come from."""
    col.decks.select(col.decks.id_for_name(deck))
    queued = col.sched.get_queued_cards(fetch_limit=100).cards
    assert len(queued) == 20
    return len({col.get_card(c.card.id).nid for c in queued})


@pytest.mark.slow
def test_every_disputed_back_fits_two_phone_screens(tmp_path, monkeypatch, chromium):
    """Measured as a learner sees it: Anki's rendering of each disputed card's back, laid out by
    Chromium at 390 px (docs/anki/render.py does the same for the screens in docs/anki.md)."""
    import importlib.util

    monkeypatch.setenv("CHROMIUM", chromium)
    spec = importlib.util.spec_from_file_location("render", REPO / "docs" / "anki" / "render.py")
    render = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "render", render)  # its dataclass looks its module up
    spec.loader.exec_module(render)
    cards = render.render_cards(tmp_path)
    disputed = {c.question_id: render.page(c.back, night=False) for c in cards.values() if c.disputed}
    heights = render.measure(disputed, 390, tmp_path)
    assert len(heights) == len(disputed) > 40  # 49 disputed cards in the bundled deck
    assert max(heights.values()) <= 2 * render.PHONE_SCREEN, sorted(heights.items(), key=lambda kv: -kv[1])[:3]


def test_a_deck_built_anywhere_from_the_repository_bank_keeps_the_published_times(tmp_path, monkeypatch):
    """The published manifest sits in decks/ beside the bank's folder (questions/, or the installed
    package's bank, where the wheel puts a copy): found from any folder, so a deck built elsewhere
    changes nothing a learner has."""
    bank = open_bank(bundled_bank())
    monkeypatch.chdir(tmp_path)
    anki_export.export(ExportJob(bank, generate(bank), tmp_path / "mine.apkg", EPOCH + 10**9, warn=lambda m: None))
    assert note_mods(tmp_path / "mine.apkg") == note_mods(REPO / "decks" / f"{slug(bank.title)}.apkg")


def test_a_filtered_deck_never_blanks_the_forms_it_filtered_out(col, small_bank, tmp_path):
    # A deck of the true/false forms only, imported over the whole deck, used to carry notes whose
    # other forms were empty: Anki updated them and the learner's other cards went blank.
    _, whole = build(small_bank, tmp_path / "whole.apkg")
    import_deck(col, whole)
    before = learner_state(col)
    study(col, next(iter(cards_by_question_id(col).values())))
    studied = learner_state(col)
    out = whole  # rebuilt later with a filter, over the whole deck's manifest
    warnings: list[str] = []
    bank = open_bank(small_bank)
    everything = generate(bank)
    true_false = [q for q in everything if q.type == "true_false"]
    assert true_false and len(true_false) < len(everything)
    anki_export.export(ExportJob(bank, true_false, out, EPOCH + 3600, warn=warnings.append, bank_questions=everything))
    assert any("a note holds every form of its fact" in w for w in warnings)
    log = import_deck(col, out)
    assert len(log.updated) == 0 and len(log.new) == 0
    assert learner_state(col) == studied and set(before) == set(studied)
    assert col.get_empty_cards().notes == []
