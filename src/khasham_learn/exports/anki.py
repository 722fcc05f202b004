"""Anki deck (.apkg): one note per fact, one card per question form, a numbered subdeck per topic.

The shape of the deck:
- one note type, "khasham-learn fact v2", whose fields hold up to SLOTS question forms of one fact
  (prompt, choices, type-in answer, back) beside what the fact's forms share (the table of who says
  what and the reports' words). Card template n is wrapped in {{#PromptN}}...{{/PromptN}}, so Anki
  makes a card only for the forms the fact has, and its "bury siblings" spaces a fact's forms;
- a bank-wide question (the timeline, word choice) is a note of its own;
- a note's GUID comes from its fact id (or the bank-wide question's id), never its wording.

What makes a rebuild safe to re-import: a manifest beside the deck (decks/<deck>.manifest.json)
records each note's content hash, modification time and which card template each question id
holds. A note whose content is unchanged keeps its recorded time, whatever path the deck is written
to and whatever the bank files' times, so Anki counts it a duplicate and leaves the learner's tags,
flags, suspensions and reviews alone; a changed note gets a time later than its recorded one, so
Anki applies it. A question keeps its card template for good, so its card keeps its reviews when
the fact gains or loses forms. The same questions, manifest and build time give the same bytes.

genanki is imported here only, when an Anki export runs, so other commands start quickly.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import Any

from ..controls import inert
from ..errors import KhashamError
from ..generation import SEQUENCE_JOIN, Question, is_detail
from ..giveaways import WithinFact, group_of
from ..grading import STOP_WORDS
from ..values import SMALL_NUMBERS
from . import ExportJob, output_file, slug, write_atomically
from .common import CHOICE_TYPES, also_accepted, right_answers
from .destination import destination

SUFFIX = ".apkg"
MANIFEST_SUFFIX = ".manifest.json"
# Why `-o -` is refused: a zip is not text for a terminal or a pipe to read.
NOT_TO_STDOUT = "an Anki deck is a zip file, not text"

# The note type. Anki keys a note type by its id and treats a change of its fields or templates'
# number as a schema change (a full sync for the learner, and an import that no longer matches).
# So fields are never changed in place: a new field list means a new version with a new name and
# id. v1 (ids 1_739_210_401-403) held one question per note; v2 holds one fact per note.
MODEL_ID = 1_739_210_404
MODEL_NAME = "khasham-learn fact v2"
V1_MODEL_NAMES = ("khasham-learn Q&A v1", "khasham-learn multiple choice v1", "khasham-learn cloze v1")
# The Browser search that finds a v1 deck's notes, which the README has a learner delete once.
V1_SEARCH = " or ".join(f'"note:{name}"' for name in V1_MODEL_NAMES)
# The deck's options preset (Anki: "Import any deck presets"): siblings buried, new and review, so
# a fact's forms come on different days. Anki's own default buries nothing.
DECK_CONFIG_ID = 1_739_210_405
DECK_CONFIG_NAME = "khasham-learn: bury siblings"
# The most forms a fact has is 14 (pro-government-killed); room for a few more.
SLOTS = 16
SHARED_FIELDS = ("Fact", "Topic", "NoteTitle", "Note", "Disputed", "Sources")
SLOT_PARTS = ("Prompt", "Choices", "Type", "Back", "Id")
FIELDS = SHARED_FIELDS + tuple(f"{part}{n}" for n in range(1, SLOTS + 1) for part in SLOT_PARTS)
TAG_ROOT = "khasham"

# A single short answer is typed ({{type:}}); a longer one is recalled and shown.
TYPE_IN_TYPES = frozenset({"free", "numeric", "cloze"})
TYPE_IN_MAX = 40
TYPE_IN_WORDS = 3  # an article in front not counted: "the Cold War", "Jeffrey L. Harrigian"
# What makes an answer more than one short value: several joined ("30 or about 40", "T-72 and T-55").
_SEVERAL = re.compile(r"\b(?:or|and)\b|, ")
CHOOSE_ALL = "Choose all that apply."
RIGHT_MARK = "\u2713"  # ✓

CSS = """\
.card {
  --kl-text: #1d1d1f; --kl-muted: #5f6368; --kl-bg: #ffffff; --kl-panel: #f4f5f7;
  --kl-accent: #2b5fad; --kl-right: #1e7a34; --kl-right-bg: #e6f4ea;
  --kl-warn-bg: #fff4e0; --kl-warn-border: #d98e04; --kl-warn-text: #5c3b00;
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.4; color: var(--kl-text); background: var(--kl-bg);
  text-align: left; padding: 0 12px; overflow-wrap: anywhere;
}
.nightMode.card, .nightMode .card, .night_mode.card, .night_mode .card {
  --kl-text: #e8e8ea; --kl-muted: #a5a9b0; --kl-bg: #1f1f21; --kl-panel: #2b2c30;
  --kl-accent: #8fb4ff; --kl-right: #81c995; --kl-right-bg: #1f3526;
  --kl-warn-bg: #3a2c10; --kl-warn-border: #e0a63a; --kl-warn-text: #f6dfb0;
}
.kl { max-width: 38em; margin: 0 auto; }
.kl-topic { font-size: 0.7em; text-transform: uppercase; letter-spacing: 0.06em; color: var(--kl-muted); margin: 0.6em 0; }
.kl-question { font-size: 1.05em; font-weight: 600; }
.kl-hint { font-size: 0.8em; font-style: italic; color: var(--kl-muted); margin-top: 0.3em; }
.kl-choices { margin: 0.6em 0; padding-left: 1.8em; }
.kl-choices li { margin: 0.25em 0; padding: 0 0.3em; border-radius: 4px; }
.kl-choices li.kl-right { color: var(--kl-right); background: var(--kl-right-bg); font-weight: 700; }
.kl-choices li.kl-wrong-choice { opacity: 0.7; }
.kl-order { margin: 0.4em 0; padding-left: 1.8em; }
.kl-type { margin: 0.6em 0; }
.kl-type input, #typeans { font-size: 1em; width: 100%; box-sizing: border-box; }
hr#answer { border: none; border-top: 1px solid var(--kl-muted); opacity: 0.4; margin: 0.8em 0; }
.kl-answer { font-size: 1.1em; font-weight: 700; color: var(--kl-accent); }
.kl-answer-label { font-size: 0.7em; font-weight: 600; text-transform: uppercase; color: var(--kl-muted); }
.kl-statement, .kl-accepted { margin-top: 0.3em; }
.kl-accepted { color: var(--kl-muted); font-size: 0.8em; }
.kl-box { background: var(--kl-panel); border-left: 4px solid var(--kl-muted); border-radius: 6px;
  padding: 0.5em 0.7em; margin: 0.8em 0; font-size: 0.85em; }
.kl-box.kl-disputed { background: var(--kl-warn-bg); border-left-color: var(--kl-warn-border); color: var(--kl-warn-text); }
.kl-box-title { font-weight: 700; margin-bottom: 0.2em; }
.kl-sources { font-size: 0.85em; margin: 0.6em 0 0.4em; }
.kl-sources-title { font-weight: 700; }
details.kl-words { font-size: 0.85em; margin: 0.6em 0; }
details.kl-words summary { cursor: pointer; font-weight: 600; color: var(--kl-muted); }
.kl-quotes { padding-left: 1.1em; margin: 0.3em 0; }
.kl-quotes li { margin: 0.35em 0; }
.kl-quote { margin: 0.15em 0 0; padding-left: 0.6em; border-left: 3px solid var(--kl-muted); color: var(--kl-muted); font-style: italic; }
/* Cells wrap between words only: the card's overflow-wrap: anywhere would let a narrow column split "Wednesday". */
.kl-who { border-collapse: collapse; font-size: 0.9em; line-height: 1.25; margin: 0.2em 0 0; overflow-wrap: normal; width: 100%; }
.kl-who td { overflow-wrap: break-word; }
.kl-who .kl-measure { font-weight: 400; font-size: 0.85em; opacity: 0.85; }
.kl-remark { margin: 0.3em 0 0; font-size: 0.85em; }
.kl-who th { text-align: left; font-size: 0.75em; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; opacity: 0.75; padding: 0 0.4em 0.1em 0; }
.kl-who td { vertical-align: top; padding: 0.2em 0.4em 0.2em 0; border-top: 1px solid rgba(128, 128, 128, 0.35); }
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
.kl-id { margin-top: 1em; font-size: 0.6em; color: var(--kl-muted); opacity: 0.7; text-align: right; }
@media (max-width: 480px) { .card { font-size: 17px; padding: 0 4px; } .kl-box { padding: 0.4em 0.5em; } }
"""

_TOPIC = '<div class="kl-topic">{{Topic}}</div>'
_SHARED_BACK = (
    '{{#Note}}<div class="kl-box{{#Disputed}} kl-disputed{{/Disputed}}">'
    '<div class="kl-box-title">{{NoteTitle}}</div>{{Note}}</div>{{/Note}}'
    '{{#Sources}}<div class="kl-sources">{{Sources}}</div>{{/Sources}}'
)


def front_template(n: int) -> str:
    """Form n's front: empty (so no card) unless the fact has a form in slot n."""
    return (f'{{{{#Prompt{n}}}}}<div class="kl">{_TOPIC}<div class="kl-question">{{{{Prompt{n}}}}}</div>'
            f'{{{{Choices{n}}}}}{{{{#Type{n}}}}}<div class="kl-type">{{{{type:Type{n}}}}}</div>{{{{/Type{n}}}}}'
            f'</div>{{{{/Prompt{n}}}}}')


def back_template(n: int) -> str:
    """The prompt again, the typed answer compared, then the back: the choices with the right ones
    marked and the answer, what the fact's forms share, and the question id in a small footer."""
    return (f'{{{{#Prompt{n}}}}}<div class="kl">{_TOPIC}<div class="kl-question">{{{{Prompt{n}}}}}</div>'
            f'{{{{#Type{n}}}}}<div class="kl-type">{{{{type:Type{n}}}}}</div>{{{{/Type{n}}}}}<hr id="answer">'
            f'{{{{Back{n}}}}}{_SHARED_BACK}<div class="kl-id">{{{{Id{n}}}}}</div></div>{{{{/Prompt{n}}}}}')


def export(job: ExportJob) -> list[Path]:
    import genanki  # type: ignore[import-untyped,import-not-found,unused-ignore]

    model = _model(genanki)
    top_name = _deck_name(job.bank.title)
    escape = _Escaped()
    top = genanki.Deck(deck_id(top_name), top_name, escape(job.bank.description))
    decks: dict[str, Any] = {}
    manifest = read_manifest(job)
    questions, left_out = without_sibling_giveaways(whole_facts(job))
    if left_out:
        job.warn(f"Anki: {len(left_out)} question(s) left out, each stating the answer of another card of "
                 f"its fact (e.g. {left_out[0].id}); the quiz still asks them")
    order = [t.id for t in job.bank.topics]
    titles = {t: escape(job.bank.topic_title(t)) for t in {q.topic for q in questions}}
    recorded: dict[str, ManifestEntry] = dict(manifest)
    changed_at = job.change_time if job.change_time is not None else job.build_time
    note_class = _note_class(genanki)
    for position, note in enumerate(fact_notes(questions), start=1):
        previous = manifest.get(note.key)
        slots, dropped = assign_slots(note, previous.cards if previous else {})
        for qid in dropped:
            job.warn(f"Anki: '{qid}' left out: the note for '{note.key}' has room for {SLOTS} forms")
        fields, tags = note_fields(note, slots, titles[note.topic], escape), note_tags(note)
        entry = recorded[note.key] = stamped(note, previous, content_hash(fields, tags), slots, changed_at)
        deck = decks.get(note.topic)
        if deck is None:
            deck = decks[note.topic] = genanki.Deck(deck_id(f"{top_name}::{note.topic}"),
                                                    f"{top_name}::{_topic_deck_name(job, note.topic, order)}")
        # `due` is the new-card position: the bank's order, which Anki keeps (shifted) on import.
        anki_note = note_class(model=model, fields=fields, tags=tags, due=position, guid=entry.guid)
        anki_note.mod_time = entry.mod
        deck.add_note(anki_note)
    package = genanki.Package([top, *decks.values()])
    with output_file(job.output) as tmp:
        _write_package(package, tmp, job.build_time)
    written = [job.output]
    if destination(job.output).kind == "file":
        written.append(write_atomically(manifest_path(job.output), manifest_text(recorded)))
    return written


@dataclass(frozen=True)
class ManifestEntry:
    """What the manifest records of a note: its GUID, a hash of its content, the modification time
    the deck gave it, and the card template (0-based) of every question it has held."""

    guid: str
    hash: str
    mod: int
    cards: dict[str, int]


def stamped(note: FactNote, previous: ManifestEntry | None, digest: str, slots: dict[str, int],
            changed_at: int) -> ManifestEntry:
    """The note's entry: its recorded time if its content is unchanged, else `changed_at`, and
    always later than the recorded time, so Anki applies the change even from a clock behind."""
    if previous is not None and previous.hash == digest:
        mod = previous.mod
    else:
        mod = max(changed_at, previous.mod + 1) if previous is not None else changed_at
    cards = {**(previous.cards if previous else {}), **slots}
    return ManifestEntry(note_guid(note.key), digest, mod, cards)


def manifest_text(entries: dict[str, ManifestEntry]) -> str:
    """JSON with one line per note, sorted: a rebuild's diff shows exactly the notes it changed."""
    # json.dumps would make an encoder per call: two for the whole manifest write the same text.
    key_text = json.JSONEncoder(ensure_ascii=False).encode
    entry_text = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    lines = [f" {key_text(key)}: " + entry_text({"guid": e.guid, "hash": e.hash, "mod": e.mod, "cards": e.cards})
             for key, e in sorted(entries.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


@dataclass(frozen=True)
class FactNote:
    """The questions one note holds: a fact's forms, or one bank-wide question."""

    key: str
    topic: str
    questions: tuple[Question, ...]


def note_key(q: Question) -> str:
    """The fact group (giveaways.group_of): a fact's forms and a teacher's questions on it share a
    note; a bank-wide question (the timeline, word choice) is grouped by its id's first part."""
    return group_of(q)


def fact_notes(questions: Sequence[Question]) -> list[FactNote]:
    """Notes in the order of their first question; questions on detail come last, so new cards
    lead with the event."""
    groups: dict[str, list[Question]] = {}
    for q in sorted(questions, key=is_detail):
        groups.setdefault(note_key(q), []).append(q)
    return [FactNote(key, qs[0].topic, tuple(qs)) for key, qs in groups.items()]


def whole_facts(job: ExportJob) -> list[Question]:
    """Every form of each fact a question was chosen from. A note is a whole fact: a deck filtered
    to some forms (--type true_false) would carry notes with the others' fields empty, and
    importing it would blank those cards in a learner's collection, reviews and all."""
    if not job.bank_questions:
        return job.questions
    chosen = {note_key(q) for q in job.questions}
    whole = [q for q in job.bank_questions if note_key(q) in chosen]
    if (added := len(whole) - len(job.questions)) > 0:
        job.warn(f"Anki: a note holds every form of its fact, so the deck has all {len(whole)} forms of the "
                 f"{len(chosen)} fact(s) chosen, {added} more than the filters picked")
    return whole


def without_sibling_giveaways(questions: Sequence[Question]) -> tuple[list[Question], list[Question]]:
    """The questions to make cards of, and those left out: within a fact group, a form whose prompt
    states the answer of a form kept before it, or whose answer such a form's prompt states (a true
    statement restating the question's answer), is left out. Burying spaces siblings by days, but a
    card that shows another's answer still turns recall into recognition. Each group is judged on
    its own (giveaways.WithinFact): what the bank's prompts mention everywhere ("Operation Inherent
    Resolve") gives nothing away across facts, but within a fact it is the answer."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(note_key(q), []).append(q)
    left_out: set[str] = set()
    for siblings in groups.values():
        if len(siblings) < 2:
            continue
        index = WithinFact(siblings)
        kept: list[Question] = []
        for q in siblings:
            if any(index.states_answer(q, k) or index.states_answer(k, q) for k in kept):
                left_out.add(q.id)
            else:
                kept.append(q)
    return [q for q in questions if q.id not in left_out], [q for q in questions if q.id in left_out]


def note_guid(key: str) -> str:
    import genanki  # type: ignore[import-untyped,import-not-found,unused-ignore]

    return str(genanki.guid_for(key, MODEL_NAME))


def assign_slots(note: FactNote, recorded: dict[str, int]) -> tuple[dict[str, int], list[str]]:
    """Question id -> card template (0-based). A question keeps the template it had (its card keeps
    its reviews); a new one takes the lowest template never given to another question of the fact,
    else one a removed question left. Returns the slots and the ids that found no room."""
    current = {q.id for q in note.questions}
    slots = {qid: o for qid, o in recorded.items() if qid in current}
    if len(slots) == len(current):  # the usual rebuild: every question keeps its template
        return slots, []
    given, taken = set(recorded.values()), set(slots.values())
    never = [o for o in range(SLOTS) if o not in given]
    freed = [o for o in range(SLOTS) if o in given and o not in taken]
    dropped = []
    for q in note.questions:
        if q.id in slots:
            continue
        free = never or freed
        if not free:
            dropped.append(q.id)
            continue
        slots[q.id] = free.pop(0)
    return slots, dropped


def content_hash(fields: Sequence[str], tags: Sequence[str]) -> str:
    """What Anki would store for the note: its note type, fields and tags (\x1f cannot occur in them)."""
    text = "\x1f".join([MODEL_NAME, *fields, " ".join(sorted(tags))])
    return sha256(text.encode()).hexdigest()[:16]


def manifest_path(deck: Path) -> Path:
    return deck.with_name(deck.name.removesuffix(SUFFIX) + MANIFEST_SUFFIX)


def read_manifest(job: ExportJob) -> dict[str, ManifestEntry]:
    """The manifest beside the output, else the one beside the bank's default deck (decks/ in the
    current folder, or beside the bank's folder as in this repository), so a deck written to a new
    path keeps the published times; {} if none reads. An entry of the wrong shape (a hand edit, a
    merge gone wrong) is left out: its note counts as new."""
    name = f"{slug(job.bank.title)}{MANIFEST_SUFFIX}"
    for path in (manifest_path(job.output), Path("decks") / name, Path(job.bank.root).parent / "decks" / name):
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            return {key: entry for key, value in data.items() if (entry := _entry(value)) is not None}
    return {}


def _entry(value: object) -> ManifestEntry | None:
    if not isinstance(value, dict):
        return None
    guid, digest, mod, cards = (value.get(k) for k in ("guid", "hash", "mod", "cards"))
    if not (isinstance(guid, str) and isinstance(digest, str) and type(mod) is int and isinstance(cards, dict)):
        return None
    return ManifestEntry(guid, digest, mod, {q: o for q, o in cards.items() if type(o) is int and 0 <= o < SLOTS})


def deck_id(key: str) -> int:
    """A fixed deck id from a stable name, in the range genanki recommends, so re-imports find the same deck."""
    return (1 << 30) + int.from_bytes(sha256(f"khasham-learn deck {key}".encode()).digest()[:4], "big") % (1 << 30)


def _deck_name(text: str) -> str:
    # "::" separates deck levels in Anki; a title holding it must not make an extra level.
    return " ".join(inert(text).replace("::", ":").split()) or "khasham-learn"


def _topic_deck_name(job: ExportJob, topic: str, order: list[str]) -> str:
    """'01 Background': Anki sorts subdecks by name, so the number keeps the bank's order."""
    number = order.index(topic) + 1 if topic in order else len(order) + 1
    return f"{number:02d} {_deck_name(job.bank.topic_title(topic))}"


def _model(genanki: Any) -> Any:
    templates = [{"name": f"Form {n:02d}", "qfmt": front_template(n), "afmt": back_template(n)}
                 for n in range(1, SLOTS + 1)]
    # Sorting on the first form's prompt (not the id) is what a learner browsing the deck expects.
    return genanki.Model(MODEL_ID, MODEL_NAME, fields=[{"name": n} for n in FIELDS], css=CSS,
                         sort_field_index=FIELDS.index("Prompt1"), templates=templates)


def _note_class(genanki: Any) -> Any:
    class Note(genanki.Note):  # type: ignore[misc]
        """genanki's note with its own modification time (the manifest's), not the package's."""

        mod_time = 0

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            super().write_to_db(cursor, self.mod_time, deck_id, id_gen)

        def _check_invalid_html_tags_in_fields(self) -> None:
            """Skipped: every field is escaped text or markup built here from it, so genanki's
            search for unescaped tags (a regex over every field of every note) finds nothing."""

    return Note


# html.escape's five characters, plus braces and brackets as entities, so that neither a cloze
# marker ({{c2::...}}) nor a media reference ([sound:...]) in the YAML comes alive. One
# str.translate pass: this runs for every field of every note.
_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    "{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;",
})


# Most text holds none of them; a search finds that faster than translate's lookup per character.
_TO_ESCAPE = re.compile(r"[&<>\"'{}\[\]]")


def _text(value: str | None) -> str:
    """Field text shown as text, whatever markup the YAML holds; no escape sequence, control
    character or bidi override reaches a field."""
    if not value:
        return ""
    value = inert(value)
    return value.translate(_ESCAPES) if _TO_ESCAPE.search(value) else value


class _Escaped(dict[str | None, str]):
    """_text remembered for one export: the table headers, report labels, parties and choices
    recur on thousands of notes. Called as a function, it is the dict's own lookup (no Python
    frame for a text met before)."""

    __call__ = dict.__getitem__

    def __missing__(self, value: str | None) -> str:
        escaped = self[value] = _text(value)
        return escaped


def note_tags(note: FactNote) -> list[str]:
    """khasham::topic::<id>, khasham::type::<type> per form, khasham::source::<id>, khasham::disputed
    and khasham::<other tag>: one root, so they never mix with a learner's other decks."""
    tags: list[str] = []
    for q in note.questions:
        sources = {s.source for s in q.sources}
        kind = q.type.replace("_", "-")
        tags += [f"topic::{q.topic}", f"type::{kind}"]
        for t in q.tags:
            if t == q.topic:
                continue
            tags.append(f"source::{t}" if t in sources else f"type::{t}" if t == kind else t)
        if q.disputed:
            tags.append("disputed")
    return [f"{TAG_ROOT}::{_tag(t)}" for t in dict.fromkeys(tags) if t.strip()]


def _tag(text: str) -> str:
    """Tags hold no spaces in Anki. A printable text without a space has no whitespace, control
    character or bidi override (all unprintable), so most tags are already clean."""
    return text if text.isprintable() and " " not in text else "-".join(inert(text).split())


Escape = Callable[[str | None], str]
_SLOT_START = len(SHARED_FIELDS)


def note_fields(note: FactNote, slots: dict[str, int], topic_title: str, escape: Escape = _text) -> list[str]:
    """The note's fields, escaped, in FIELDS' order. `escape` is _text, or an export's _Escaped."""
    values = [""] * len(FIELDS)
    # What the forms share comes from the form resting on most claims (the fact's whole table).
    widest = max(note.questions, key=lambda q: len(q.sources))
    title, box, disputed, sources = _note_and_sources(widest, escape)
    if any(q.disputed for q in note.questions) and box:
        disputed = "yes"
    values[:_SLOT_START] = escape(note.key), topic_title, title, box, disputed, sources
    for q in note.questions:
        if q.id not in slots:
            continue
        first = _SLOT_START + slots[q.id] * len(SLOT_PARTS)
        form = card_form(q, escape)
        values[first:first + len(SLOT_PARTS)] = form.prompt, form.choices, form.type_in, form.back, escape(q.id)
    return values


@dataclass(frozen=True)
class CardForm:
    """One question as its card's fields: front prompt, front choices, type-in answer, back."""

    prompt: str
    choices: str = ""
    type_in: str = ""
    back: str = ""


def card_form(q: Question, escape: Escape = _text) -> CardForm:
    if q.type == "cloze" and q.cloze:
        before, _, after = _cloze_parts(q.cloze, q.answer, escape)
        gap = '<span class="cloze">[...]</span>'
        filled = f'<span class="cloze">{escape(q.answer)}</span>'
        return CardForm(before + gap + after, type_in=_type_in(q, escape),
                        back=_answer_block([before + filled + after], q, escape))
    if q.type == "matching" and q.pairs:
        return CardForm(escape(q.prompt), _match_lists(q, escape), back=_pairs_table(q, escape))
    if q.type == "sequence" and q.choices:
        steps = "".join(f"<li>{escape(s)}</li>" for s in right_answers(q)[0].split(SEQUENCE_JOIN))
        return CardForm(escape(q.prompt), _choice_list(q.choices, escape),
                        back=f'<div class="kl-answer-label">In order</div><ol class="kl-order">{steps}</ol>')
    if q.type in CHOICE_TYPES and q.choices:
        answers = right_answers(q)
        right = {a.strip().casefold() for a in answers}
        prompt = escape(q.prompt)
        if q.type == "multi":
            prompt += f'<div class="kl-hint">{escape(CHOOSE_ALL)}</div>'
        marked = _choice_list(q.choices, escape, right)
        lines = [marked, f'<div class="kl-answer">{", ".join(escape(a) for a in answers)}</div>']
        statement = q.statement if q.statement and q.statement != q.prompt else None
        if statement:
            lines.append(f'<div class="kl-statement">{escape(statement)}</div>')
        return CardForm(prompt, _choice_list(q.choices, escape), back="".join(lines))
    return CardForm(escape(q.prompt), type_in=_type_in(q, escape), back=_answer_block([escape(q.answer)], q, escape))


def _type_in(q: Question, escape: Escape = _text) -> str:
    """The answer to type, where one short answer makes sense; '' (recall, then look) otherwise.
    Anki compares what was typed letter by letter, so not for a list, two reports' values joined,
    a phrase, or an answer whose accepted alternatives share no word with it ("Washington" for
    "the United States", "Khasham" for "Khusham"): a right answer would show as wrong."""
    answer = q.answer
    if q.type not in TYPE_IN_TYPES or q.kind == "list" or not 0 < len(answer) <= TYPE_IN_MAX or "\n" in answer:
        return ""
    words = answer.split()
    if len(words[1:] if words[0].casefold() in ("the", "a", "an") else words) > TYPE_IN_WORDS:
        return ""
    if _SEVERAL.search(answer) or not all(_core_words(a) & _core_words(answer) for a in q.accepted):
        return ""
    return escape(answer)


def _core_words(text: str) -> set[str]:
    words = re.findall(r"\w+", text.casefold())
    return {str(SMALL_NUMBERS.get(w, w)) for w in words if w not in STOP_WORDS} or set(words)


# Where an answer listing several accepted values splits ("200 to 300, hundreds or about 100").
_ANSWER_PARTS = re.compile(r",|\bor\b|\band\b")


def _answer_block(answer_lines: list[str], q: Question, escape: Escape) -> str:
    answer = "".join(f'<div class="kl-answer">{a}</div>' for a in answer_lines)
    others = also_accepted(q)
    if others:
        # An answer listing several accepted values needs them only once: "also accepted" keeps
        # the forms it does not already show.
        shown = {part.strip() for part in _ANSWER_PARTS.split(q.answer.casefold())}
        others = [a for a in others if a.strip().casefold() not in shown]
    if others:
        answer += f'<div class="kl-accepted">Also accepted: {escape(", ".join(others))}</div>'
    return answer


def _choice_list(choices: Sequence[str], escape: Escape, right: set[str] | None = None) -> str:
    """The choices lettered A, B, ...; with `right`, the right ones marked (✓ and a class)."""
    if right is None:
        items = "".join(f"<li>{escape(c)}</li>" for c in choices)
    else:
        items = "".join(f'<li class="kl-right">{escape(c)} {RIGHT_MARK}</li>' if c.strip().casefold() in right
                        else f'<li class="kl-wrong-choice">{escape(c)}</li>' for c in choices)
    return f'<ol class="kl-choices" type="A">{items}</ol>'


def _match_lists(q: Question, escape: Escape) -> str:
    descriptions = "".join(f"<li>{escape(d)}</li>" for d in q.accepted)
    parties = "".join(f"<li>{escape(c)}</li>" for c in q.choices)
    return (f'<div class="kl-match-title">Descriptions</div><ol class="kl-choices">{descriptions}</ol>'
            f'<div class="kl-match-title">Parties</div><ol class="kl-choices" type="A">{parties}</ol>')


def _pairs_table(q: Question, escape: Escape) -> str:
    rows = "".join(f"<tr><td>{escape(left)}</td><td>{escape(right)}</td></tr>" for left, right in q.pairs)
    return f'<table class="kl-who kl-pairs"><tr><th>Description</th><th>Party</th></tr>{rows}</table>'


def _cloze_parts(cloze: str, answer: str, escape: Escape) -> tuple[str, str, str]:
    """The escaped text before and after generation's one deletion (around the answer)."""
    marker = "{{c1::" + answer + "}}"
    before, found, after = cloze.partition(marker)
    if not found:
        raise KhashamError(f"the cloze statement '{cloze}' does not hold its answer '{answer}'")
    return escape(before), marker, escape(after)


def _note_and_sources(q: Question, escape: Escape) -> tuple[str, str, str, str]:
    """NoteTitle, Note, Disputed and Sources. Where the reports differ, the box holds the table of
    who says what; otherwise the sources part holds it. The reports' words are collapsed under a
    toggle either way, so a disputed back stays short on a phone."""
    from ..notetable import QUOTES_TITLE, html_quotes, html_table, note_table

    table = note_table(q)
    if table is None:
        return "Note", escape(q.note), "yes" if q.disputed else "", ""  # a note without sources: kept as text
    who = html_table(table, escape)
    quotes = html_quotes(table, escape)
    count = sum(len(x.texts) for x in table.quotes)
    quotes = (f'<details class="kl-words"><summary>{escape(QUOTES_TITLE)} ({count})</summary>{quotes}</details>'
              if quotes else "")
    if not table.noted:
        return "", "", "", f'<div class="kl-sources-title">{escape(table.title)}</div>{who}{quotes}'
    return escape(table.title), who, "yes" if q.disputed else "", quotes


def card_text(q: Question, topic_title: str) -> tuple[str, str]:
    """The card's front and back as plain text, from the same fields and templates the deck holds
    (for `preview`; the tests check the real rendering with Anki's own backend)."""
    note = FactNote(note_key(q), q.topic, (q,))
    fields = dict(zip(FIELDS, note_fields(note, {q.id: 0}, _text(topic_title))))
    return _plain(_fill(front_template(1), fields)), _plain(_fill(back_template(1), fields))


def _fill(template: str, fields: dict[str, str]) -> str:
    """The few mustache forms our templates use: {{#F}}...{{/F}}, {{F}} and {{type:F}} (no box in text)."""
    def section(m: re.Match[str]) -> str:
        return m.group(2) if fields.get(m.group(1)) else ""

    while True:
        filled = re.sub(r"\{\{#(\w+)\}\}(.*?)\{\{/\1\}\}", section, template, flags=re.S)
        if filled == template:
            break
        template = filled

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        return "[type the answer]" if name.startswith("type:") else fields.get(name, "")

    return re.sub(r"\{\{([\w:]+)\}\}", value, template)


def _plain(markup: str) -> str:
    text = re.sub(r'<div class="kl-measure">(.*?)</div>', r" (\1)", markup)
    text = re.sub(r"<summary>(.*?)</summary>", r"\n\1\n", text)
    text = re.sub(r"</t[hd]><t[hd][^>]*>", " | ", text)  # a table row on one line, its cells apart
    text = re.sub(r"<br>", "; ", text)
    text = re.sub(r"<tr[^>]*>", "\n", text)
    text = re.sub(r"<li[^>]*>", "\n  - ", text)
    text = re.sub(r"<hr[^>]*>", "\n---\n", text)
    text = re.sub(r"</(div|ol|ul|details)>|<(div|ol|ul|details)[^>]*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def _bury_siblings(conn: sqlite3.Connection) -> None:
    """The deck's own options preset, burying siblings, given to every deck of the package (the
    Default deck, 1, keeps the learner's Default)."""
    dconf_text, decks_text = conn.execute("select dconf, decks from col").fetchone()
    presets, decks = json.loads(dconf_text), json.loads(decks_text)
    default = presets["1"]
    presets[str(DECK_CONFIG_ID)] = {**default, "id": DECK_CONFIG_ID, "name": DECK_CONFIG_NAME,
                                    "new": {**default["new"], "bury": True}, "rev": {**default["rev"], "bury": True},
                                    "buryInterdayLearning": True}
    for key, deck in decks.items():
        if key != "1":
            deck["conf"] = DECK_CONFIG_ID
    conn.execute("update col set dconf = ?, decks = ?", (json.dumps(presets), json.dumps(decks)))


def _write_package(package: Any, path: Path, build_time: int) -> None:
    """genanki's own collection, zipped here:
    Package.write_to_file stamps the entries with the temporary file's time, which would make every
    build's bytes differ."""
    with tempfile.TemporaryDirectory(prefix="khasham-anki-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            # A scratch file: no need to wait for the disk. Neither setting changes the file's bytes.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            # Ids count up from the build time in milliseconds: unique within the deck, the same every build.
            package.write_to_db(conn.cursor(), build_time, itertools.count(max(build_time, 1) * 1000))
            _bury_siblings(conn)
            conn.commit()
        except sqlite3.Error as e:
            raise KhashamError(f"could not build the Anki collection: {e}") from None
        finally:
            conn.close()
        collection = db_path.read_bytes()
    from .archive import write_zip

    # Level 1: most of the size saving of the default level at a third of its time, which counts
    # for a large bank (the export is measured against genanki alone, which does not compress).
    write_zip(path, (("collection.anki2", collection), ("media", b"{}")), build_time, compresslevel=1)
