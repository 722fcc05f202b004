"""The Anki export, checked with Anki's own backend: import, render, study, re-import."""

from __future__ import annotations

import html
import sqlite3
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# anki.collection first: importing anki.cards on its own is a circular import in anki.
from anki.collection import Card, Collection
from anki.import_export_pb2 import ImportAnkiPackageRequest, ImportResponse
from click.testing import CliRunner
from conftest import REPO, START_TIME_FACT

from khasham_learn.cli import cli
from khasham_learn.exports import ExportJob, slug
from khasham_learn.exports import anki as anki_export
from khasham_learn.generation import Question, generate
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
    bank = open_bank(bank_root)
    questions = [q for q in generate(bank) if all(getattr(q, k) == v for k, v in filters.items())]
    anki_export.export(ExportJob(bank, questions, output, epoch))
    return questions, output


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
    cards = [col.get_card(cid) for cid in col.find_cards("")]
    return {card.note()["Id"]: card for card in cards}


def shown(text: str | None) -> str:
    """How a field's text appears in the rendered card."""
    return anki_export._text(text)


def test_import_gives_one_rendered_card_per_question(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    log = import_deck(col, deck)
    assert len(log.new) == len(questions) and not log.updated and not log.duplicate
    assert col.note_count() == len(questions) == col.card_count()
    assert not col.get_empty_cards().notes
    cards = cards_by_question_id(col)
    assert set(cards) == {q.id for q in questions}
    for q in questions:
        out = cards[q.id].render_output()
        front, back = out.question_text, out.answer_text
        if q.type == "cloze":
            assert shown(q.cloze.split("{{c1::")[0]) in front and "[...]" in front
        else:
            assert shown(q.prompt) in front
        for choice in q.choices:
            assert shown(choice) in front
        assert shown(q.answer) in back
        assert q.id in back
        for source in q.sources:
            assert shown(source.label) in back and shown(source.quote) in back
            if source.attributed_to:
                assert f"citing {shown(source.attributed_to)}" in back
        if q.note:  # who says what: the note's opening titles the table of values
            assert f'<div class="kl-box-title">{shown(q.note.partition(": ")[0])}</div><table class="kl-who">' in back
            assert all(shown(source.value) in back for source in q.sources)
        assert ("Sources disagree" in back) == (q.disputed and q.note.startswith("Sources disagree"))


def test_the_disputed_box_is_on_the_back_only(col, small_bank, tmp_path):
    import_deck(col, build(small_bank, tmp_path / "out.apkg")[1])
    out = cards_by_question_id(col)["start-time.according.report-a"].render_output()
    assert '<div class="kl-box kl-disputed"><div class="kl-box-title">Sources disagree</div>' in out.answer_text
    assert "Sources disagree" not in out.question_text
    unanimous = cards_by_question_id(col)["attackers.direct"].render_output().answer_text
    assert "kl-box" not in unanimous


def test_note_types_decks_and_tags(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    names = {d.name for d in col.decks.all_names_and_ids()}
    # The ':: ' in the title must not add a deck level.
    assert {"The battle : test", "The battle : test::The battle", "The battle : test::Casualties"} <= names
    cards = cards_by_question_id(col)
    expected_models = {"free": anki_export.QA_MODEL_NAME, "numeric": anki_export.QA_MODEL_NAME,
                       "choice": anki_export.CHOICE_MODEL_NAME, "which_report": anki_export.CHOICE_MODEL_NAME,
                       "true_false": anki_export.CHOICE_MODEL_NAME, "cloze": anki_export.CLOZE_MODEL_NAME}
    for q in questions:
        card = cards[q.id]
        note = card.note()
        assert note.note_type()["name"] == expected_models[q.type]
        assert col.decks.name(card.did) == f"The battle : test::{'Casualties' if q.topic == 'casualties' else 'The battle'}"
        assert all(" " not in t for t in note.tags)
        assert q.topic in note.tags and q.type.replace("_", "-") in note.tags
        assert ("disputed" in note.tags) == q.disputed
        sources = {s.source for s in q.sources}
        assert {f"source::{t}" for t in q.tags if t in sources} <= set(note.tags)
        assert {t for t in note.tags if t.startswith("source::")} <= {f"source::{s}" for s in sources}
    ids = {m["name"]: m["id"] for m in col.models.all()}
    assert ids[anki_export.QA_MODEL_NAME] == anki_export.QA_MODEL_ID
    assert ids[anki_export.CLOZE_MODEL_NAME] == anki_export.CLOZE_MODEL_ID


def test_new_cards_come_in_the_bank_order(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    cards = cards_by_question_id(col)
    dues = [cards[q.id].due for q in questions]
    assert dues == sorted(dues) and len(set(dues)) == len(dues)
    # Studying a topic's deck, the learner meets its questions in the bank's order.
    battle = [q.id for q in questions if q.topic == "battle"]
    col.decks.select(col.decks.id_for_name("The battle : test::The battle"))
    queued = col.sched.get_queued_cards(fetch_limit=len(battle)).cards
    assert [col.get_card(c.card.id).note()["Id"] for c in queued] == battle


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
    assert "not a cloze" in custom.answer_text and "cloze" not in cards_by_question_id(col)["markup-question"].note().note_type()["name"]


def test_fields_are_escaped_as_html_escape_does_and_more():
    text = "<b>AT&T</b> \"quoted\" it's"
    assert anki_export._text(text) == html.escape(text)
    assert anki_export._text("{{c1::x}} [sound:a.mp3]") == "&#123;&#123;c1::x&#125;&#125; &#91;sound:a.mp3&#93;"
    assert anki_export._cloze("It is {{c1::a:b}} [x].", "a:b") == "It is {{c1::a&#58;b}} &#91;x&#93;."


def test_reworded_question_updates_in_place_and_keeps_its_history(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "v1.apkg", EPOCH)
    import_deck(col, deck)
    card = cards_by_question_id(col)["attackers.direct"]
    card.start_timer()
    col.sched.answerCard(card, 4)
    studied = col.get_card(card.id)
    assert studied.ivl > 0 and col.db.scalar("select count() from revlog") == 1

    reword_attackers(small_bank)
    _, newer = build(small_bank, tmp_path / "v2.apkg", EPOCH + 3600)  # a new file: no earlier times to keep
    log = import_deck(col, newer)
    assert not log.new
    # Anki compares modification times, not fields: every note of the newer build is applied.
    assert "attackers.direct" in [n.fields[0] for n in log.updated]
    assert len(log.updated) == len(questions)
    assert col.note_count() == len(questions)
    after = cards_by_question_id(col)["attackers.direct"]
    assert after.id == studied.id and after.ivl == studied.ivl and after.due == studied.due
    assert after.note()["Question"] == "Roughly how many fighters took part in the attack?"
    assert col.db.scalar("select count() from revlog") == 1


def reword_attackers(bank_root: Path) -> None:
    edits = bank_root / "questions.yaml"
    edits.write_text(edits.read_text(encoding="utf-8") + textwrap.indent(textwrap.dedent("""\
        - id: attackers.direct
          prompt: Roughly how many fighters took part in the attack?
        """), "  "), encoding="utf-8")


def test_a_deck_rebuilt_in_place_updates_only_the_notes_that_changed(col, small_bank, tmp_path):
    deck = tmp_path / "decks" / "battle.apkg"  # rebuilt where it lies, as decks/ is
    questions, _ = build(small_bank, deck, EPOCH)
    import_deck(col, deck)
    build(small_bank, deck, EPOCH + 60)  # rebuilt with nothing changed: nothing to update
    assert not import_deck(col, deck).updated
    reword_attackers(small_bank)
    build(small_bank, deck, EPOCH + 3600)
    log = import_deck(col, deck)
    assert [n.fields[0] for n in log.updated] == ["attackers.direct"]
    assert len(log.duplicate) == len(questions) - 1 and not log.new
    assert cards_by_question_id(col)["attackers.direct"].note()["Question"] == \
        "Roughly how many fighters took part in the attack?"


@pytest.mark.parametrize("in_the_way", ["not a zip", "a zip of garbage"])
def test_an_unreadable_deck_in_the_way_is_simply_replaced(col, small_bank, tmp_path, in_the_way):
    deck = tmp_path / "battle.apkg"
    if in_the_way == "not a zip":
        deck.write_bytes(b"PK\x03\x04 not really a zip")
    else:
        with zipfile.ZipFile(deck, "w") as z:
            z.writestr("collection.anki2", b"SQLite format 3\x00" + b"garbage" * 1000)
    questions, _ = build(small_bank, deck)
    assert len(import_deck(col, deck).new) == len(questions)


def test_reimporting_the_same_file_changes_nothing(col, small_bank, tmp_path):
    questions, deck = build(small_bank, tmp_path / "out.apkg")
    import_deck(col, deck)
    log = import_deck(col, deck)
    assert not log.new and not log.updated
    assert len(log.duplicate) == len(questions)
    assert col.note_count() == len(questions)


def test_an_older_build_does_not_overwrite_a_newer_one(col, small_bank, tmp_path):
    import_deck(col, build(small_bank, tmp_path / "new.apkg", EPOCH + 60)[1])
    log = import_deck(col, build(small_bank, tmp_path / "old.apkg", EPOCH)[1])
    assert not log.new and not log.updated


def test_same_bank_and_time_give_the_same_bytes(small_bank, tmp_path):
    first = build(small_bank, tmp_path / "a.apkg")[1].read_bytes()
    assert build(small_bank, tmp_path / "b.apkg")[1].read_bytes() == first
    assert build(small_bank, tmp_path / "c.apkg", EPOCH + 1)[1].read_bytes() != first
    with zipfile.ZipFile(tmp_path / "a.apkg") as z:
        assert [i.filename for i in z.infolist()] == ["collection.anki2", "media"]
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_guid_comes_from_the_id_and_note_type_only(small_bank, tmp_path):
    import genanki

    questions, deck = build(small_bank, tmp_path / "out.apkg")
    notes = deck_notes(deck)
    q = questions[0]
    assert notes[genanki.guid_for(q.id, anki_export.QA_MODEL_NAME)][1][0] == q.id


def test_cli_export_with_filters(small_bank, tmp_path):
    out = tmp_path / "casualties.apkg"
    result = CliRunner().invoke(cli, ["export", "anki", "--bank", str(small_bank), "--topic", "casualties", "-o", str(out)],
                                env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    ids = {fields[0] for _, fields, _, _ in deck_notes(out).values()}
    assert ids and all(i.startswith("us-wounded.") for i in ids)
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


def deck_notes(path: Path) -> dict[str, tuple[str, list[str], str, str]]:
    """guid -> (note type name, fields, tags, deck name), read from the package's collection."""
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    db = path.parent / f".{path.name}.read.sqlite"
    db.write_bytes(data)
    try:
        conn = sqlite3.connect(db)
        import json

        models, decks = (json.loads(v) for v in conn.execute("select models, decks from col").fetchone())
        rows = conn.execute(
            "select n.guid, n.mid, n.flds, n.tags, c.did from notes n join cards c on c.nid = n.id order by c.due"
        ).fetchall()
        conn.close()
    finally:
        db.unlink()
    return {guid: (models[str(mid)]["name"], flds.split("\x1f"), tags.strip(), decks[str(did)]["name"])
            for guid, mid, flds, tags, did in rows}


def test_committed_deck_matches_the_bank(tmp_path):
    bank = open_bank(bundled_bank())
    committed = REPO / "decks" / f"{slug(bank.title)}.apkg"
    assert committed.is_file(), f"no ready-to-import deck at {committed}; build it from the repository's folder with:\n  {REBUILD}"
    questions = generate(bank)
    fresh = tmp_path / "fresh.apkg"
    anki_export.export(ExportJob(bank, questions, fresh, EPOCH))
    old, new = deck_notes(committed), deck_notes(fresh)
    changed = sorted({v[1][0] for k, v in new.items() if old.get(k) != v} | {v[1][0] for k, v in old.items() if k not in new})
    assert list(old.items()) == list(new.items()), (
        f"decks/{committed.name} is out of date with the bank ({len(changed)} notes differ, "
        f"e.g. {', '.join(changed[:3])}); rebuild it from the repository's folder with:\n  {REBUILD}"
    )


def test_bundled_bank_imports_cleanly(col, tmp_path):
    bank = open_bank(bundled_bank())
    questions = generate(bank)
    _, deck = build(bundled_bank(), tmp_path / "full.apkg")
    log = import_deck(col, deck)
    assert len(log.new) == len(questions) == col.note_count() == col.card_count()
    assert not col.get_empty_cards().notes
    topics = {t.title for t in bank.topics}
    assert {n.split("::", 1)[1] for n in (d.name for d in col.decks.all_names_and_ids()) if "::" in n} == topics
    backs = [col.get_card(cid).render_output().answer_text for cid in col.find_cards("tag:disputed")]
    assert backs and all("kl-disputed" in b for b in backs)
