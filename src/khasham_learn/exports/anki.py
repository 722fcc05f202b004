"""Anki deck (.apkg): a top deck named after the bank, a subdeck per topic, three note types.

What makes the deck safe to re-import:
- a note's GUID comes from the question id and its note type, never its wording, so a reworded
  question updates the learner's note (and keeps its reviews) instead of adding a new one;
- every note carries the build time as its modification time: Anki applies an incoming note only
  when it is newer than its own copy, so a later build updates and the same build changes nothing;
- a note that reads exactly as in the deck being replaced keeps that deck's modification time, so
  re-importing a rebuilt deck updates only the notes that changed (Anki counts the others as
  duplicates, not as updated);
- the same questions and build time give the same bytes: ids count up from the build time, the
  collection is written in one fixed order and zipped with fixed entry times.

genanki is imported here only, when an Anki export runs, so other commands start quickly.
"""

from __future__ import annotations

import html
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any

from ..controls import inert
from ..errors import KhashamError
from ..generation import Question, SourceRef, is_detail
from . import ExportJob, output_file
from .common import CHOICE_TYPES

SUFFIX = ".apkg"
# Why `-o -` is refused: a zip is not text for a terminal or a pipe to read.
NOT_TO_STDOUT = "an Anki deck is a zip file, not text"

# Note types. Anki keys a note type by its id and treats a change of fields or templates' number as
# a schema change (a full sync for the learner, and an import that no longer matches). So fields
# are never changed in place: a new field list means a new version, "... v2" with a new id, and the
# old version stays as it is. Styling and template wording may change within a version.
QA_MODEL_ID = 1_739_210_401
QA_MODEL_NAME = "khasham-learn Q&A v1"
CHOICE_MODEL_ID = 1_739_210_402
CHOICE_MODEL_NAME = "khasham-learn multiple choice v1"
CLOZE_MODEL_ID = 1_739_210_403
CLOZE_MODEL_NAME = "khasham-learn cloze v1"

QA_FIELDS = ("Id", "Question", "Answer", "Accepted", "NoteTitle", "Note", "Disputed", "Sources", "Topic")
CHOICE_FIELDS = ("Id", "Question", "Choices", "Answer", "Statement", "NoteTitle", "Note", "Disputed", "Sources", "Topic")
CLOZE_FIELDS = ("Id", "Text", "NoteTitle", "Note", "Disputed", "Sources", "Topic")

# An ordering question shows its events on the front like choices; the back gives the order.
FRONT_LIST_TYPES = CHOICE_TYPES | {"sequence"}

# Before 1980 a zip entry cannot hold its time; such builds are stamped 1980-01-01 (UTC).
_ZIP_EPOCH = 315_532_800

CSS = """\
.card {
  --kl-text: #1d1d1f; --kl-muted: #5f6368; --kl-bg: #ffffff; --kl-panel: #f4f5f7;
  --kl-accent: #2b5fad; --kl-warn-bg: #fff4e0; --kl-warn-border: #d98e04; --kl-warn-text: #5c3b00;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; color: var(--kl-text); background: var(--kl-bg);
  text-align: left; padding: 0 12px; overflow-wrap: anywhere;
}
.nightMode.card, .nightMode .card, .night_mode.card, .night_mode .card {
  --kl-text: #e8e8ea; --kl-muted: #a5a9b0; --kl-bg: #1f1f21; --kl-panel: #2b2c30;
  --kl-accent: #8fb4ff; --kl-warn-bg: #3a2c10; --kl-warn-border: #e0a63a; --kl-warn-text: #f6dfb0;
}
.kl { max-width: 38em; margin: 0 auto; }
.kl-topic { font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.06em; color: var(--kl-muted); margin: 0.6em 0; }
.kl-question { font-size: 1.1em; font-weight: 600; }
.kl-choices { margin: 0.8em 0; padding-left: 1.8em; }
.kl-choices li { margin: 0.3em 0; }
hr#answer { border: none; border-top: 1px solid var(--kl-muted); opacity: 0.4; margin: 1em 0; }
.kl-answer { font-size: 1.15em; font-weight: 700; color: var(--kl-accent); }
.kl-statement, .kl-accepted { margin-top: 0.4em; }
.kl-accepted, .kl-id { color: var(--kl-muted); font-size: 0.8em; }
.kl-box { background: var(--kl-panel); border-left: 4px solid var(--kl-muted); border-radius: 6px;
  padding: 0.6em 0.8em; margin: 1em 0; font-size: 0.9em; }
.kl-box.kl-disputed { background: var(--kl-warn-bg); border-left-color: var(--kl-warn-border); color: var(--kl-warn-text); }
.kl-box-title { font-weight: 700; margin-bottom: 0.2em; }
.kl-sources { font-size: 0.85em; margin: 1em 0 0.5em; }
.kl-sources-title { font-weight: 700; margin-top: 0.8em; }
.kl-sources ul { padding-left: 1.2em; margin: 0.3em 0; }
.kl-sources li { margin: 0.5em 0; }
.kl-quote { margin: 0.25em 0 0; padding-left: 0.7em; border-left: 3px solid var(--kl-muted); color: var(--kl-muted); font-style: italic; }
/* Cells wrap between words only: the card's overflow-wrap: anywhere would let a narrow column split "Wednesday". */
.kl-who { border-collapse: collapse; font-size: 0.9em; line-height: 1.3; margin: 0.2em 0 0; overflow-wrap: normal; }
.kl-who td { overflow-wrap: break-word; }
.kl-who .kl-measure { font-weight: 400; font-size: 0.85em; opacity: 0.85; }
.kl-remark { margin: 0.4em 0 0; font-size: 0.85em; }
.kl-who th { text-align: left; font-size: 0.75em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; opacity: 0.75; padding: 0 0.5em 0.15em 0; }
.kl-who td { vertical-align: top; padding: 0.3em 0.5em 0.3em 0; border-top: 1px solid rgba(128, 128, 128, 0.35); }
.kl-who th:last-child, .kl-who td:last-child { padding-right: 0; }
.kl-who td:first-child { font-weight: 700; }
.kl-who tr.kl-more td, .kl-who tr.kl-why td { border-top: none; padding-top: 0; }
.kl-who tr.kl-why td { font-weight: 400; font-size: 0.9em; }
.kl-itself { font-style: italic; opacity: 0.8; }
.kl-mark, .kl-why { color: var(--kl-warn-text); }
.kl-box:not(.kl-disputed) .kl-mark, .kl-box:not(.kl-disputed) .kl-why, .kl-sources .kl-mark, .kl-sources .kl-why { color: #b3261e; }
.nightMode .kl-box:not(.kl-disputed) .kl-mark, .nightMode .kl-sources .kl-mark, .nightMode .kl-sources .kl-why,
.night_mode .kl-box:not(.kl-disputed) .kl-mark, .night_mode .kl-sources .kl-mark, .night_mode .kl-sources .kl-why { color: #ff8a80; }
.kl-match-title { font-size: 0.8em; font-weight: 600; color: var(--kl-muted); margin-top: 0.6em; }
.kl-pairs { font-size: 0.85em; color: var(--kl-text); }
.cloze { font-weight: 700; color: var(--kl-accent); }
.kl-id { margin-top: 1.2em; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 0 6px; } .kl-box { padding: 0.5em 0.6em; } }
"""

_TOPIC = '<div class="kl-topic">{{Topic}}</div>'
_EXTRAS = (
    '{{#Note}}<div class="kl-box{{#Disputed}} kl-disputed{{/Disputed}}">'
    '<div class="kl-box-title">{{NoteTitle}}</div>{{Note}}</div>{{/Note}}'
    '{{#Sources}}<div class="kl-sources">{{Sources}}</div>{{/Sources}}'
    '<div class="kl-id">{{Id}}</div>'
)
QA_FRONT = f'<div class="kl">{_TOPIC}<div class="kl-question">{{{{Question}}}}</div></div>'
QA_BACK = (
    '<div class="kl">' + _TOPIC + '<div class="kl-question">{{Question}}</div><hr id="answer">'
    '<div class="kl-answer">{{Answer}}</div>'
    '{{#Accepted}}<div class="kl-accepted">Also accepted: {{Accepted}}</div>{{/Accepted}}' + _EXTRAS + "</div>"
)
CHOICE_FRONT = f'<div class="kl">{_TOPIC}<div class="kl-question">{{{{Question}}}}</div>{{{{Choices}}}}</div>'
CHOICE_BACK = (
    '<div class="kl">' + _TOPIC + '<div class="kl-question">{{Question}}</div>{{Choices}}<hr id="answer">'
    '<div class="kl-answer">{{Answer}}</div>'
    '{{#Statement}}<div class="kl-statement">{{Statement}}</div>{{/Statement}}' + _EXTRAS + "</div>"
)
CLOZE_FRONT = f'<div class="kl">{_TOPIC}<div class="kl-question">{{{{cloze:Text}}}}</div></div>'
CLOZE_BACK = '<div class="kl">' + _TOPIC + '<div class="kl-question">{{cloze:Text}}</div>' + _EXTRAS + "</div>"


def export(job: ExportJob) -> list[Path]:
    import genanki  # type: ignore[import-untyped,import-not-found,unused-ignore]

    models = _models(genanki)
    top_name = _deck_name(job.bank.title)
    top = genanki.Deck(deck_id(top_name), top_name, _text(job.bank.description))
    subdecks: dict[str, Any] = {}
    shared = _Shared(models)
    # New cards lead with the event: questions on detail (facts tagged `detail`) come last.
    for position, question in enumerate(sorted(job.questions, key=is_detail), start=1):
        deck = subdecks.get(question.topic)
        if deck is None:
            title = job.bank.topic_title(question.topic)
            shared.topics[question.topic] = _text(title)
            deck = subdecks[question.topic] = genanki.Deck(
                deck_id(f"{top_name}::{question.topic}"), f"{top_name}::{_deck_name(title)}")
        deck.add_note(_note(genanki, shared, question, position))
    package = genanki.Package([top, *subdecks.values()])
    previous = _previous_collection(job.output)
    with output_file(job.output) as tmp:
        _write_package(package, tmp, job.build_time, previous)
    return [job.output]


def deck_id(key: str) -> int:
    """A fixed deck id from a stable name, in the range genanki recommends, so re-imports find the same deck."""
    return (1 << 30) + int.from_bytes(sha256(f"khasham-learn deck {key}".encode()).digest()[:4], "big") % (1 << 30)


def _deck_name(text: str) -> str:
    # "::" separates deck levels in Anki; a title holding it must not make an extra level.
    return " ".join(inert(text).replace("::", ":").split()) or "khasham-learn"


@dataclass(frozen=True)
class _Models:
    qa: Any
    choice: Any
    cloze: Any
    note_class: Any  # genanki.Note without its markup check


@dataclass
class _Shared:
    """What many notes share, rendered once per export: a fact's questions share its sources and note."""

    models: _Models
    topics: dict[str, str] = field(default_factory=dict)
    # Keyed by what the rendering reads: a fact's questions share their note and sources.
    renderings: dict[tuple[str | None, bool, tuple[SourceRef, ...]], tuple[str, str, str, str]] = field(default_factory=dict)


def _models(genanki: Any) -> _Models:
    def fields(names: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"name": n} for n in names]

    # Sorting on the question (not the id) is what a learner browsing the deck expects to see.
    qa = genanki.Model(QA_MODEL_ID, QA_MODEL_NAME, fields=fields(QA_FIELDS), css=CSS, sort_field_index=1,
                       templates=[{"name": "Question", "qfmt": QA_FRONT, "afmt": QA_BACK}])
    choice = genanki.Model(CHOICE_MODEL_ID, CHOICE_MODEL_NAME, fields=fields(CHOICE_FIELDS), css=CSS,
                           sort_field_index=1,
                           templates=[{"name": "Multiple choice", "qfmt": CHOICE_FRONT, "afmt": CHOICE_BACK}])
    cloze = genanki.Model(CLOZE_MODEL_ID, CLOZE_MODEL_NAME, fields=fields(CLOZE_FIELDS), css=CSS,
                          sort_field_index=1, model_type=genanki.Model.CLOZE,
                          templates=[{"name": "Cloze", "qfmt": CLOZE_FRONT, "afmt": CLOZE_BACK}])

    class Note(genanki.Note):  # type: ignore[misc]
        def _check_invalid_html_tags_in_fields(self) -> None:
            """Skipped: every field is escaped text or markup built here from it, so genanki's
            search for unescaped tags (a regex over every field of every note) finds nothing."""

    return _Models(qa, choice, cloze, Note)


# html.escape's five characters, plus braces and brackets as entities, so that neither a cloze
# marker ({{c2::...}}) nor a media reference ([sound:...]) in the YAML comes alive. One
# str.translate pass: this runs for every field of every note.
_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    "{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
})


def _text(value: str | None) -> str:
    """Field text shown as text, whatever markup the YAML holds; no escape sequence, control
    character or bidi override reaches a field."""
    return inert(value).translate(_ESCAPES) if value else ""


def _fields(shared: _Shared, q: Question) -> tuple[str, list[str]]:
    """Which note type ('qa', 'choice' or 'cloze') and its fields, escaped."""
    key = (q.note, q.disputed, q.sources)
    rendered = shared.renderings.get(key)
    if rendered is None:
        rendered = shared.renderings[key] = _note_and_sources(q)
    common = (*rendered, shared.topics[q.topic])
    if q.type == "cloze" and q.cloze:
        return "cloze", [_text(q.id), _cloze(q.cloze, q.answer), *common]
    if q.type == "matching" and q.pairs:
        # The multiple-choice note type, so that no new note type is needed: the front lists the
        # descriptions and the parties, the back is the table of pairs.
        return "choice", [_text(q.id), _text(q.prompt), _match_lists(q), _pairs_table(q), "", *common]
    if q.type in FRONT_LIST_TYPES and q.choices:
        choices = "".join(f"<li>{_text(c)}</li>" for c in q.choices)
        statement = q.statement if q.statement and q.statement != q.prompt else None
        return "choice", [_text(q.id), _text(q.prompt), f'<ol class="kl-choices" type="A">{choices}</ol>',
                          _text(q.answer), _text(statement), *common]
    others = [a for a in q.accepted if a != q.answer]
    return "qa", [_text(q.id), _text(q.prompt), _text(q.answer), _text(", ".join(others)), *common]


def _match_lists(q: Question) -> str:
    descriptions = "".join(f"<li>{_text(d)}</li>" for d in q.accepted)
    parties = "".join(f"<li>{_text(c)}</li>" for c in q.choices)
    return (f'<div class="kl-match-title">Descriptions</div><ol class="kl-choices">{descriptions}</ol>'
            f'<div class="kl-match-title">Parties</div><ol class="kl-choices" type="A">{parties}</ol>')


def _pairs_table(q: Question) -> str:
    rows = "".join(f"<tr><td>{_text(left)}</td><td>{_text(right)}</td></tr>" for left, right in q.pairs)
    return f'<table class="kl-who kl-pairs"><tr><th>Description</th><th>Party</th></tr>{rows}</table>'


def _note(genanki: Any, shared: _Shared, q: Question, position: int) -> Any:
    kind, fields = _fields(shared, q)
    model = getattr(shared.models, kind)
    # Tags hold no spaces in Anki; source ids get a prefix so they group under "source" in the browser.
    source_ids = {s.source for s in q.sources}
    tags = [f"source::{t}" if t in source_ids else t for t in q.tags]
    tags = ["-".join(inert(t).split()) for t in dict.fromkeys(tags) if t.strip()]
    # `due` is the new-card position: the bank's order, which Anki keeps (shifted) on import.
    return shared.models.note_class(model=model, fields=fields, tags=tags, due=position,
                                    guid=genanki.guid_for(q.id, model.name))


_TEMPLATES = {
    "qa": (QA_FIELDS, QA_FRONT, QA_BACK),
    "choice": (CHOICE_FIELDS, CHOICE_FRONT, CHOICE_BACK),
    "cloze": (CLOZE_FIELDS, CLOZE_FRONT, CLOZE_BACK),
}


def card_text(q: Question, topic_title: str) -> tuple[str, str]:
    """The card's front and back as plain text, from the same fields and templates the deck holds
    (for `preview`; the tests check the real rendering with Anki's own backend)."""
    shared = _Shared(models=None)  # type: ignore[arg-type]
    shared.topics[q.topic] = _text(topic_title)
    kind, values = _fields(shared, q)
    names, front, back = _TEMPLATES[kind]
    fields = dict(zip(names, values))
    return _plain(_fill(front, fields, answer=False)), _plain(_fill(back, fields, answer=True))


def _fill(template: str, fields: dict[str, str], *, answer: bool) -> str:
    """The few mustache forms our templates use: {{#F}}...{{/F}}, {{F}} and {{cloze:F}}."""
    def section(m: re.Match[str]) -> str:
        return m.group(2) if fields.get(m.group(1)) else ""

    while True:
        filled = re.sub(r"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", section, template, flags=re.S)
        if filled == template:
            break
        template = filled

    def cloze(m: re.Match[str]) -> str:
        return m.group(1) if answer else "[...]"

    def field(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("cloze:"):
            return re.sub(r"\{\{c\d+::(.*?)\}\}", cloze, fields.get(name[6:], ""))
        return fields.get(name, "")

    return re.sub(r"\{\{([\w:]+)\}\}", field, template)


def _plain(markup: str) -> str:
    text = re.sub(r'<div class="kl-measure">(.*?)</div>', r" (\1)", markup)
    text = re.sub(r"</t[hd]><t[hd][^>]*>", " | ", text)  # a table row on one line, its cells apart
    text = re.sub(r"<br>", "; ", text)
    text = re.sub(r"<tr[^>]*>", "\n", text)
    text = re.sub(r"<li>", "\n  - ", text)
    text = re.sub(r"<hr[^>]*>", "\n---\n", text)
    text = re.sub(r"</(div|ol|ul)>|<(div|ol|ul)[^>]*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def _cloze(cloze: str, answer: str) -> str:
    """The cloze text escaped, with exactly the one deletion generation put in (around the answer)."""
    marker = "{{c1::" + answer + "}}"
    before, found, after = cloze.partition(marker)
    if not found:
        raise KhashamError(f"the cloze statement '{cloze}' does not hold its answer '{answer}'")
    # A ':' in the answer would start a cloze hint; as an entity it stays text.
    return _text(before) + "{{c1::" + _text(answer).replace(":", "&#58;") + "}}" + _text(after)


def _note_and_sources(q: Question) -> tuple[str, str, str, str]:
    """NoteTitle, Note, Disputed and Sources. Where the reports differ, the box holds the table of
    who says what and the sources part holds only the quotes; otherwise the sources part holds both."""
    from ..notetable import QUOTES_TITLE, html_quotes, html_table, note_table

    table = note_table(q)
    if table is None:
        return "Note", _text(q.note), "yes" if q.disputed else "", ""  # a note without sources: kept as text
    who = html_table(table, _text)
    quotes = html_quotes(table, _text)
    quotes = f'<div class="kl-sources-title">{_text(QUOTES_TITLE)}</div>{quotes}' if quotes else ""
    if not table.noted:
        return "", "", "", f'<div class="kl-sources-title">{_text(table.title)}</div>{who}{quotes}'
    return _text(table.title), who, "yes" if q.disputed else "", quotes


def _previous_collection(path: Path) -> bytes | None:
    """The collection inside the deck at `path`, which this export is about to replace; None when
    there is no deck there or it cannot be read. Only a regular file is read: opening a FIFO to
    read would wait for a writer that never comes."""
    if not path.is_file():
        return None
    try:
        with zipfile.ZipFile(path) as deck:
            return deck.read("collection.anki2")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None


def _keep_times(conn: sqlite3.Connection, previous: Path, build_time: int) -> None:
    """Notes whose GUID, fields and tags match a note of the previous deck keep its modification
    time (never later than this build). Done in SQLite: at 20,000 notes a Python loop over them cost
    a tenth of the export. A previous collection that cannot be read keeps nothing."""
    conn.commit()  # ATTACH cannot run inside a transaction
    try:
        conn.execute("ATTACH DATABASE ? AS previous", (str(previous),))
    except sqlite3.Error:
        return
    try:
        conn.execute("CREATE INDEX previous.khasham_guid ON notes (guid)")
        conn.execute(
            "UPDATE main.notes SET mod = coalesce((SELECT min(p.mod, ?) FROM previous.notes AS p WHERE"
            " p.guid = notes.guid AND p.flds = notes.flds AND p.tags = notes.tags), mod)", (build_time,))
        conn.commit()
    except sqlite3.Error:
        conn.rollback()
    finally:
        conn.execute("DETACH DATABASE previous")


def _write_package(package: Any, path: Path, build_time: int, previous: bytes | None = None) -> None:
    """genanki's own collection, zipped here: Package.write_to_file stamps the entries with the
    temporary file's time, which would make every build's bytes differ."""
    with tempfile.TemporaryDirectory(prefix="khasham-anki-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            # A scratch file: no need to wait for the disk. Neither setting changes the file's bytes.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            # Ids count up from the build time in milliseconds: unique within the deck, the same every build.
            package.write_to_db(conn.cursor(), build_time, itertools.count(max(build_time, 1) * 1000))
            if previous is not None:
                (Path(tmp) / "previous.anki2").write_bytes(previous)
                _keep_times(conn, Path(tmp) / "previous.anki2", build_time)
            conn.commit()
        except sqlite3.Error as e:
            raise KhashamError(f"could not build the Anki collection: {e}") from None
        finally:
            conn.close()
        collection = db_path.read_bytes()
    stamp = time.gmtime(max(build_time, _ZIP_EPOCH))[:6]
    # Level 1: most of the size saving of the default level at a third of its time, which counts
    # for a large bank (the export is measured against genanki alone, which does not compress).
    with zipfile.ZipFile(path, "w") as out:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system builds it, for the same bytes everywhere
            info.external_attr = 0o644 << 16
            out.writestr(info, data, compresslevel=1)
