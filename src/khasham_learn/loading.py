"""Loading a bank folder into the model, recording every structural problem with its position."""

from __future__ import annotations


import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node, ScalarNode, SequenceNode

from .bankfiles import present
from .bulk import cycle_collection_paused
from .consistency import check_loaded
from .errors import BankProblems, Position, Problem, UnusableInput, has_errors
from .model import (
    KINDS,
    QUESTION_TYPES,
    Bank,
    Claim,
    Contradiction,
    Declared,
    Fact,
    Gaps,
    QuestionEdit,
    Sameness,
    Source,
    Topic,
)
from .paths import shown_path
from .yamlread import Reader, TooManyProblems, compose_recovering, describe, did_you_mean, is_unread

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUESTION_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")

SOURCE_KEYS = (("id", "label", "headline", "file", "kind"), ("captions", "author", "outlet"))
FACT_KEYS = (
    ("id", "prompt", "statement", "kind", "claims"),
    ("unit", "alternatives", "distractors", "accept", "date_fact", "tags", "event", "after", "describes", "subject", "contradicts", "same", "aliases"),
)
# Words a teacher may reach for instead of a kind (a programmer's, or a spreadsheet's).
_KIND_WORDS = {
    "integer": "number", "int": "number", "float": "number", "decimal": "number", "count": "number",
    "string": "text", "str": "text", "person": "name", "place": "name", "day": "weekday",
    "clock": "time", "hour": "time", "datetime": "date", "enum": "choice", "options": "choice",
}
CLAIM_KEYS = (("source", "value", "quote"), ("attributed_to", "qualifier", "wrong"))
EDIT_KEYS = (("id",), ("type", "fact", "prompt", "answer", "accepted", "choices", "tags", "enabled"))


@cycle_collection_paused()
def load_bank(root: Path) -> tuple[Bank | None, list[Problem]]:
    """Read every file of the bank; the Bank is None only when nothing usable could be read."""
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise UnusableInput(f"the bank folder {shown_path(root)} {what}")
    problems: list[Problem] = []
    sources_path = root / "sources.yaml"
    facts_dir = root / "facts"
    if not present(sources_path) and not present(facts_dir):
        raise UnusableInput(
            f"{shown_path(root)} is not a bank: it has neither sources.yaml nor a facts/ folder"
        )
    title, description, topic_order = _read_bank_file(root / "bank.yaml", problems)
    sources, flawed_sources, sources_whole = _read_sources(sources_path, problems)
    topics: list[Topic] = []
    facts: list[Fact] = []
    flawed: list[Fact] = []
    unread_facts: list[str] = []
    names, unlisted = _folder_names(facts_dir)
    # Editors leave hidden files beside the ones being edited (.#battle.yaml, ._battle.yaml).
    fact_files = sorted(facts_dir / n for n in names if n.endswith(".yaml") and not n.startswith("."))
    if unlisted is not None:  # the folder's files cannot be known, so no topic is said to lack one
        problems.append(Problem(Position(shown_path(facts_dir)), unlisted))
        unread_facts.append(shown_path(facts_dir))
    elif not fact_files:
        problems.append(Problem(Position(shown_path(facts_dir)), "no fact files (facts/*.yaml) found"))
    for stray in sorted(n for n in names if n.endswith(".yml")):
        problems.append(Problem(Position(shown_path(facts_dir / stray)), f"{stray} is not read: fact files end in .yaml", "warning"))
    by_stem = {p.stem: p for p in fact_files}
    listed = [t.text for t in topic_order]
    ordered = list(dict.fromkeys(t for t in listed if t in by_stem)) + sorted(set(by_stem) - set(listed))
    for i, topic in enumerate(topic_order):
        if topic.text in listed[:i]:
            problems.append(Problem(topic.position, f"topic '{topic.text}' is listed twice in topics"))
    for stem in ordered:
        read = _read_facts(by_stem[stem], problems)
        if read.topic is not None:
            topics.append(read.topic)
            facts.extend(read.facts)
        flawed.extend(read.flawed)
        if not read.whole:
            unread_facts.append(shown_path(by_stem[stem]))
    for missing in [t for t in topic_order if t.text not in by_stem and unlisted is None]:
        hint = did_you_mean(missing.text, set(by_stem) - set(listed))  # a topic file that is not listed
        problems.append(Problem(missing.position, f"topic '{missing.text}' has no file facts/{missing.text}.yaml{hint}"))
    edits = _read_edits(root / "questions.yaml", problems)
    bank = Bank(
        root=root,
        title=title or root.name,
        description=description or "",
        sources={s.id: s for s in sources},
        topics=tuple(topics),
        facts=tuple(facts),
        edits=tuple(edits),
        gaps=Gaps(
            sources_file=None if sources_whole else shown_path(sources_path), facts_files=tuple(unread_facts),
            sources=frozenset(flawed_sources), facts=tuple(flawed),
        ),
    )
    return bank, problems


def _folder_names(folder: Path) -> tuple[list[str], str | None]:
    """The names in the facts folder, or why they cannot be listed (each its own message: an
    unreadable folder is not a folder without topics)."""
    shown = shown_path(folder)
    if not present(folder):
        return [], None  # reported as no fact files
    try:
        with os.scandir(folder) as entries:
            return [e.name for e in entries], None
    except NotADirectoryError:
        return [], f"{shown} is not a folder; the facts go in a folder named facts, one .yaml file per topic"
    except PermissionError:
        return [], f"cannot read the folder {shown}: permission denied"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return [], f"{shown} is a symlink loop (a link that leads back to itself); point it at the facts folder"
        return [], f"cannot read the folder {shown}: {exc.strerror or exc}"


def open_bank(root: Path) -> Bank:
    """The bank, or BankProblems if it has any error (commands other than check stop there)."""
    bank, problems = load_bank(root)
    problems += check_loaded(bank) if bank is not None else []
    if bank is None or has_errors(problems):
        raise BankProblems(sorted(problems, key=lambda p: p.position))
    return bank


def _read_bank_file(path: Path, problems: list[Problem]) -> tuple[str | None, str | None, list[Declared]]:
    try:
        return _read_bank_file_unguarded(path, problems)
    except TooManyProblems:  # recorded; the file is junk, so nothing from it is used
        return None, None, []


def _read_bank_file_unguarded(path: Path, problems: list[Problem]) -> tuple[str | None, str | None, list[Declared]]:
    if not present(path):  # optional only when absent: a folder or a FIFO here is reported
        return None, None, []
    reader = Reader(shown_path(path), problems)
    root, _ = compose_recovering(path, reader.file, problems)
    if root is None:
        return None, None, []
    keys = reader.mapping(root, "bank.yaml", ("title",), ("description", "topics"))
    if keys is None:
        return None, None, []
    title = reader.text(keys["title"], "the bank's title") if "title" in keys else None
    description = reader.text(keys["description"], "the description", required=False) if "description" in keys else None
    return title, description, _read_topic_order(reader, keys["topics"]) if "topics" in keys else []


def _read_topic_order(reader: Reader, node: Node) -> list[Declared]:
    """bank.yaml's topics, each where it is written: a misspelt one is reported at its own line."""
    out = []
    for item in reader.sequence(node, "topics") or []:
        text = reader.text(item, "each item of topics")
        if text is not None:
            out.append(Declared(text, reader.pos(item)))
    return out


def _read_sources(path: Path, problems: list[Problem]) -> tuple[list[Source], set[str], bool]:
    """The sources read whole, the ids of those read with an error, and whether the file was read whole."""
    flawed: set[str] = set()
    sources: list[Source] = []
    try:
        return sources, flawed, _read_sources_unguarded(path, problems, sources, flawed)
    except TooManyProblems:  # recorded; the file is junk, so nothing from it is used
        return [], set(), False


def _read_sources_unguarded(path: Path, problems: list[Problem], sources: list[Source], flawed: set[str]) -> bool:
    shown = shown_path(path)
    if not present(path):
        problems.append(Problem(Position(shown), "sources.yaml is missing: every claim must name a source"))
        return False
    reader = Reader(shown, problems)
    root, whole = compose_recovering(path, shown, problems)
    if root is None:
        return False
    top = reader.mapping(root, "sources.yaml", ("sources",))
    items = reader.sequence(top["sources"], "sources") if top and "sources" in top else None
    if items is None:
        return False
    seen: dict[str, Position] = {}
    for node in items:
        keys = reader.mapping(node, "a source", *SOURCE_KEYS)
        if keys is None:
            continue
        fields = {k: reader.text(v, f"the source's {k}") for k, v in keys.items() if k != "captions"}
        if not _valid_id(reader, keys.get("id"), fields.get("id"), "source id"):
            if fields.get("id"):
                flawed.add(fields["id"])  # type: ignore[arg-type]
            continue
        if fields["id"] in seen:
            reader.error(keys["id"], f"the source id '{fields['id']}' is already used at {seen[fields['id']]}")
            continue
        seen[fields["id"]] = reader.pos(node)  # type: ignore[index]
        if any(fields.get(k) is None for k in SOURCE_KEYS[0]):
            flawed.add(fields["id"])  # type: ignore[arg-type]
            continue
        captions = reader.texts(keys["captions"], "captions") if "captions" in keys else ()
        sources.append(
            Source(
                id=fields["id"], label=fields["label"], headline=fields["headline"],  # type: ignore[arg-type]
                file=fields["file"], kind=fields["kind"], position=reader.pos(node),  # type: ignore[arg-type]
                captions=captions or (), author=fields.get("author"), outlet=fields.get("outlet"),
                file_position=reader.pos(keys["file"]),
            )
        )
    return whole


def _valid_id(reader: Reader, node: Node | None, value: str | None, what: str, pattern: re.Pattern[str] = ID_PATTERN) -> bool:
    if node is None or value is None:
        return False
    if not pattern.fullmatch(value):
        reader.error(node, f"{what} '{value}' should be lowercase letters, digits and hyphens (like 'attack-start-time')")
        return False
    return True


@dataclass(frozen=True)
class _TopicRead:
    topic: Topic | None
    facts: list[Fact]
    flawed: list[Fact]  # see Gaps.facts
    whole: bool  # the file was read whole


def _read_facts(path: Path, problems: list[Problem]) -> _TopicRead:
    shown = shown_path(path)
    reader = Reader(shown, problems)
    root, whole = compose_recovering(path, shown, problems)
    if root is None:
        return _TopicRead(None, [], [], False)
    try:
        top = reader.mapping(root, "a facts file", ("title", "facts"))
    except TooManyProblems:  # recorded: junk, with hundreds of keys
        return _TopicRead(None, [], [], False)
    if top is None:
        return _TopicRead(None, [], [], False)
    topic_id = path.stem
    if not ID_PATTERN.fullmatch(topic_id):
        problems.append(Problem(Position(shown), f"the file name '{path.name}' should be a topic id: lowercase letters, digits and hyphens"))
    title = reader.text(top["title"], "the topic's title") if "title" in top else None
    topic = Topic(topic_id, title or topic_id, shown)
    facts: list[Fact] = []
    flawed: list[Fact] = []
    try:
        nodes = reader.sequence(top["facts"], "facts") if "facts" in top else None
        whole = whole and nodes is not None
        for node in nodes or []:
            fact, sound = _read_fact(reader, node, topic_id)
            if fact is not None:
                (facts if sound else flawed).append(fact)
    except TooManyProblems:  # recorded; the sound facts read before it still count, so fewer errors follow
        return _TopicRead(topic, facts, [], False)
    return _TopicRead(topic, facts, flawed, whole)


def _read_fact(reader: Reader, node: Node, topic_id: str) -> tuple[Fact | None, bool]:
    """The fact, and whether it is sound: a fact with an error in it is still returned, so that
    check reports every other problem in it too, but only a sound one is asked about."""
    keys = reader.mapping(node, "a fact", *FACT_KEYS)
    if keys is None:
        return None, False
    single = {k: reader.text(keys[k], f"the fact's {k}") for k in ("id", "prompt", "statement", "kind", "unit", "date_fact", "event", "after", "describes", "subject") if k in keys}
    lists = {k: reader.texts(keys[k], k) for k in ("alternatives", "distractors", "accept", "tags") if k in keys}
    fact_id = single.get("id")
    ok = _valid_id(reader, keys.get("id"), fact_id, "fact id")
    kind = single.get("kind")
    if kind is not None and kind not in KINDS:
        # A value means something only in its kind ("about 22:00" is a time, not a number), so the
        # claims' values wait for the right one; guessing it would report values that are right.
        hint = f" (did you mean '{_KIND_WORDS[kind.lower()]}'?)" if kind.lower() in _KIND_WORDS else did_you_mean(kind, KINDS)
        reader.error(keys["kind"], f"unknown kind '{kind}'{hint}; use one of: {', '.join(KINDS)}; "
                                   "the claims' values are checked once the kind is fixed")
        ok = False
    after = single.get("after")
    if "event" in keys and kind in KINDS and kind not in ("date", "time") and "after" not in keys:
        reader.error(keys["event"], f"a fact of kind {kind} has no date or time to place its event on the timeline; "
                                    "say which event it came after with 'after: <fact id>'")
    if "after" in keys and "event" not in keys:
        reader.error(keys["after"], "'after' places the fact's event on the timeline: give the fact an 'event' too")
    statement = single.get("statement")
    if statement is not None and "{answer}" not in statement:
        reader.error(keys["statement"], "the statement needs '{answer}' where the answer goes")
    claims = []
    claims_node = keys.get("claims")
    claim_nodes = reader.sequence(claims_node, "claims") if claims_node is not None else None
    lost = claims_node is not None and _partly_unread(claims_node)
    if claim_nodes == [] and not lost:
        reader.error(keys["claims"], "a fact needs at least one claim from a source")
    sound = ok and kind is not None and claim_nodes is not None and not lost
    for claim_node in claim_nodes or []:
        claim, whole = _read_claim(reader, claim_node, kind if kind in KINDS else None)
        sound = sound and whole
        if claim is not None:
            claims.append(claim)
    sound = sound and bool(claims)
    if not sound and not (fact_id or claims):
        return None, False  # nothing of it to check further
    # A fact missing its prompt or statement is still sound (the problem recorded), so that its
    # questions are checked against questions.yaml too.
    return Fact(
        id=fact_id or "", topic=topic_id, prompt=single.get("prompt") or "", statement=single.get("statement") or "",
        kind=kind or "", claims=tuple(claims), position=reader.pos(node), unit=single.get("unit"),
        alternatives=lists.get("alternatives") or (), distractors=lists.get("distractors") or (),
        accept=lists.get("accept") or (), date_fact=single.get("date_fact"), tags=lists.get("tags") or (),
        event=single.get("event"), describes=single.get("describes"), subject=single.get("subject"),
        after=Declared(after, reader.pos(keys["after"])) if after is not None else None,
        contradicts=_read_contradictions(reader, keys["contradicts"]) if "contradicts" in keys else (),
        same=_read_samenesses(reader, keys, kind), misspelt=keys.misspelt,
    ), sound


def _partly_unread(node: Node) -> bool:
    """Part of the node is a line with a syntax error (reported), so it may hold more than was read."""
    return is_unread(node) or (isinstance(node, SequenceNode) and any(is_unread(item) for item in node.value))


def _declared(reader: Reader, node: Node, what: str) -> tuple[Declared, ...] | None:
    """One value or a list of values, each with its position."""
    if not isinstance(node, (ScalarNode, SequenceNode)):
        reader.error(node, f"{what} should be a value or a list of values, not {describe(node)}")
        return None
    nodes = [node] if isinstance(node, ScalarNode) else list(node.value)
    out = []
    for item in nodes:
        text = reader.text(item, f"each value in {what}")
        if text is not None:
            out.append(Declared(text, reader.pos(item)))
    if not out and nodes == []:
        reader.error(node, f"{what} names no value")
    return tuple(out) or None


def _read_contradictions(reader: Reader, node: Node) -> tuple[Contradiction, ...]:
    out = []
    for entry in reader.sequence(node, "contradicts") or []:
        sides = reader.sequence(entry, "each entry of contradicts")
        if sides is None:
            continue
        if len(sides) != 2:
            reader.error(entry, f"each entry of contradicts is a pair, [one, other] (a side may be a list of values), not {len(sides)} item(s)")
            continue
        one = _declared(reader, sides[0], "a side of contradicts")
        other = _declared(reader, sides[1], "a side of contradicts")
        if one and other:
            out.append(Contradiction(one, other, reader.pos(entry)))
    return tuple(out)


def _read_samenesses(reader: Reader, keys: dict[str, Node], kind: str | None) -> tuple[Sameness, ...]:
    """`same` (groups of values naming one thing) and its teacher's synonym `aliases`, which may
    also be one flat group: `aliases: [Launay, Launey]`. Aliases are spellings of a name: on a
    number they would quietly make "about 300" and "more than 1,000" agree, which only a
    deliberate `same` may."""
    if "same" in keys and "aliases" in keys:
        reader.error(keys["aliases"], "'aliases' and 'same' say the same thing; write the groups under one of them")
    if "aliases" in keys and kind in KINDS and kind not in ("name", "text"):
        reader.error(keys["aliases"], f"'aliases' are other spellings of a name, and this fact is a {kind}; "
                                      "to make two of its values agree on purpose, list them under 'same'")
    out = []
    for key in ("same", "aliases"):
        if key not in keys:
            continue
        entries = reader.sequence(keys[key], key) or []
        if key == "aliases" and entries and all(isinstance(e, ScalarNode) for e in entries):
            entries = [keys[key]]  # one flat group of names
        for entry in entries:
            if isinstance(entry, ScalarNode):
                reader.error(entry, f"each entry of {key} is a list of two or more values that name one thing, like [Launay, Launey]")
                continue
            values = _declared(reader, entry, f"an entry of {key}")
            if values is None:
                continue
            if len(values) < 2:
                reader.error(entry, f"an entry of {key} needs two or more values that name one thing, like [Launay, Launey]")
                continue
            out.append(Sameness(values, reader.pos(entry)))
    return tuple(out)


def _read_claim(reader: Reader, node: Node, kind: str | None) -> tuple[Claim | None, bool]:
    """The claim, and whether it was read whole; a field that could not be read is empty ("")."""
    keys = reader.mapping(node, "a claim", *CLAIM_KEYS)
    if keys is None:
        return None, False
    fields = {k: reader.text(v, f"the claim's {k}") for k, v in keys.items() if k != "value"}
    value: str | tuple[str, ...] | None = None
    if "value" in keys:
        if kind == "list":
            value = reader.texts(keys["value"], "a list value")
            if value == () and not is_unread(keys["value"]):
                reader.error(keys["value"], "a list value needs at least one item")
                value = None
        else:
            value = reader.text(keys["value"], "the claim's value")
    whole = value is not None and all(fields.get(k) is not None for k in ("source", "quote"))
    claim = Claim(
        source=fields.get("source") or "", value=value if value is not None else "", quote=fields.get("quote") or "",
        position=reader.pos(node), attributed_to=fields.get("attributed_to"), qualifier=fields.get("qualifier"),
        wrong=fields.get("wrong"), value_position=reader.pos(keys["value"]) if "value" in keys else None,
        quote_position=reader.pos(keys["quote"]) if "quote" in keys else None,
    )
    return claim, whole


def _read_edits(path: Path, problems: list[Problem]) -> list[QuestionEdit]:
    try:
        return _read_edits_unguarded(path, problems)
    except TooManyProblems:  # recorded; the file is junk, so nothing from it is used
        return []


def _read_edits_unguarded(path: Path, problems: list[Problem]) -> list[QuestionEdit]:
    if not present(path):  # optional only when absent: anything else there holds the teacher's edits
        return []
    shown = shown_path(path)
    reader = Reader(shown, problems)
    root, _ = compose_recovering(path, shown, problems)
    if root is None:
        return []
    top = reader.mapping(root, "questions.yaml", ("questions",))
    edits = []
    for node in (reader.sequence(top["questions"], "questions") if top and "questions" in top else None) or []:
        keys = reader.mapping(node, "a question", *EDIT_KEYS)
        if keys is None:
            continue
        single = {k: reader.text(keys[k], f"the question's {k}") for k in ("id", "type", "fact", "prompt", "answer") if k in keys}
        lists = {k: reader.texts(keys[k], k) for k in ("accepted", "choices", "tags") if k in keys}
        enabled = reader.boolean(keys["enabled"], "enabled") if "enabled" in keys else True
        if not _valid_id(reader, keys.get("id"), single.get("id"), "question id", QUESTION_ID_PATTERN):
            continue
        qtype = single.get("type")
        if qtype is not None and qtype not in QUESTION_TYPES:
            reader.error(keys["type"], f"unknown question type '{qtype}'{did_you_mean(qtype, QUESTION_TYPES)}; use one of: {', '.join(QUESTION_TYPES)}")
            continue
        edits.append(
            QuestionEdit(
                id=single["id"], position=reader.pos(node), type=qtype, fact=single.get("fact"),  # type: ignore[arg-type]
                prompt=single.get("prompt"), answer=single.get("answer"), accepted=lists.get("accepted") or (),
                choices=lists.get("choices") or (), tags=lists.get("tags"), enabled=enabled is not False,
                positions={k: reader.pos(v) for k, v in keys.items()},
            )
        )
    return edits
