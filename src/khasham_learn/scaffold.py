"""Starting a bank (`init`) and adding to one (`new`): what a teacher types least and gets right first.

`init` copies the starter bank shipped in the package, and the JSON Schemas into DIR/.schemas/, so
each file's `# yaml-language-server` line points at a schema beside it: it works offline, wherever
khasham-learn is installed, and keeps matching the files even if the installed version moves on.

`new` writes templates whose placeholders start with TODO: they load, and `check` reports each one
by line until the teacher fills it in (see yamlread.PLACEHOLDER).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, SequenceNode

from .errors import KhashamError, Problem, UnusableInput
from .loading import ID_PATTERN, load_bank
from .model import KINDS, Bank
from .paths import shown_path
from .schema import FILE_KINDS, MODELINE, SCHEMA_DIR, SCHEMA_FOLDER
from .yamlread import compose, compose_text, did_you_mean

STARTER = Path(__file__).resolve().parent / "starter"


def init_bank(root: Path) -> list[Path]:
    """A small working bank in root (which must be empty or absent); returns the files written."""
    if root.exists() and not root.is_dir():
        raise UnusableInput(f"{shown_path(root)} is a file, not a folder")
    if root.is_dir() and any(root.iterdir()):
        raise UnusableInput(f"{shown_path(root)} is not empty; give a new folder, so nothing of yours is overwritten")
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(STARTER.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            target = root / path.relative_to(STARTER)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            written.append(target)
    (root / SCHEMA_FOLDER).mkdir()
    for kind in FILE_KINDS:
        target = root / SCHEMA_FOLDER / f"{kind.name}.json"
        shutil.copyfile(SCHEMA_DIR / f"{kind.name}.json", target)
        written.append(target)
    return written


@dataclass(frozen=True)
class Template:
    text: str  # one list item, its dash at column 0
    file: Path  # where --append puts it
    key: str  # the list it goes into: facts or questions
    new_file_head: str  # the file's first lines when it does not exist yet


def _open_for_edit(root: Path) -> Bank:
    bank, _ = load_bank(root)  # other problems do not stop a new entry: check reports them
    if bank is None:
        raise UnusableInput(f"cannot read the bank at {shown_path(root)}; run 'khasham-learn check'")
    return bank


def _fresh(base: str, taken: set[str]) -> str:
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _modeline(bank_root: Path, kind: str, depth: int) -> str:
    if not (bank_root / SCHEMA_FOLDER / f"{kind}.json").is_file():
        return ""
    return f"{MODELINE}{'../' * depth}{SCHEMA_FOLDER}/{kind}.json\n"


def new_fact(root: Path, topic: str, fact_id: str | None = None) -> Template:
    bank = _open_for_edit(root)
    if not ID_PATTERN.fullmatch(topic):
        raise KhashamError(f"the topic '{topic}' should be lowercase letters, digits and hyphens (it names facts/{topic}.yaml)")
    taken = {f.id for f in bank.facts}
    if fact_id is None:
        fact_id = _fresh(f"{topic}-fact", taken)
    elif not ID_PATTERN.fullmatch(fact_id):
        raise KhashamError(f"the fact id '{fact_id}' should be lowercase letters, digits and hyphens (like 'attack-start-time')")
    elif fact_id in taken:
        raise KhashamError(f"the fact id '{fact_id}' is already used at {bank.facts_by_id[fact_id].position}")
    sources = list(bank.sources) or ["TODO-source-id"]
    text = (
        f"# New fact: rename the id to say what it is (ids never change once published), fill in\n"
        f"# every TODO, then run `khasham-learn check`.\n"
        f"- id: {fact_id}\n"
        f'  prompt: "TODO: the question this fact answers?"\n'
        f'  statement: "TODO: the answer as a sentence, with {{answer}} where the value goes."\n'
        f"  kind: text  # {', '.join(KINDS)}\n"
        f"  claims:\n"
        f"    - source: {sources[0]}  # one of: {', '.join(sources)}\n"
        f'      value: "TODO: what this report says, in the form of the kind"\n'
        f'      quote: "TODO: the report\'s exact words"\n'
    )
    head = f"{_modeline(bank.root, 'facts', 1)}title: \"TODO: the topic's title\"\nfacts:\n"
    return Template(text, bank.root / "facts" / f"{topic}.yaml", "facts", head)


def new_question(root: Path, topic: str, fact_id: str | None = None, question_id: str | None = None) -> Template:
    bank = _open_for_edit(root)
    topics = [t.id for t in bank.topics]
    if topic not in topics:
        raise KhashamError(f"no topic '{topic}'{did_you_mean(topic, topics)}; topics: {', '.join(topics)}")
    facts = [f.id for f in bank.facts if f.topic == topic]
    if not facts:
        raise KhashamError(f"topic '{topic}' has no facts yet; add one with 'khasham-learn new fact --topic {topic}'")
    if fact_id is None:
        fact_id = facts[0]
    elif fact_id not in facts:
        raise KhashamError(f"no fact '{fact_id}' in topic '{topic}'{did_you_mean(fact_id, facts)}")
    taken = {e.id for e in bank.edits}
    question_id = question_id or _fresh(f"{fact_id}-own", taken)
    if question_id in taken:
        raise KhashamError(f"the question id '{question_id}' is already used in questions.yaml")
    text = (
        f"# New question: fill in every TODO, then run `khasham-learn check` and\n"
        f"# `khasham-learn preview {question_id}`.\n"
        f"- id: {question_id}\n"
        f"  fact: {fact_id}  # the fact whose sources back the answer; its topic: {topic}\n"
        f"  type: free  # free, numeric, choice, multi, true_false, which_report, cloze; choice and multi need 'choices'\n"
        f'  prompt: "TODO: the question as students see it?"\n'
        f'  answer: "TODO: the right answer"\n'
    )
    head = f"{_modeline(bank.root, 'questions', 0)}questions:\n"
    return Template(text, bank.root / "questions.yaml", "questions", head)


def indented(template: Template, indent: int) -> str:
    return "".join(" " * indent + line if line.strip() else line for line in template.text.splitlines(keepends=True))


def printed(template: Template) -> str:
    """The template as `new` prints it, to paste at the end of its file: indented like the items
    already there (see append), since a '- id:' at column 1 under entries at column 3 does not read."""
    if template.file.exists():
        node = compose(template.file, shown_path(template.file), [])
        items = node.value if isinstance(node, MappingNode) else []
        value = items[-1][1] if items and items[-1][0].value == template.key else None
        indent = value.start_mark.column if isinstance(value, SequenceNode) and value.value and not value.flow_style else 2
    else:
        indent = 0  # pasted after the new file's head (`facts:`), a list may start at column 1
    return indented(template, indent)


def append(template: Template) -> Path:
    """Add the template to the end of its file's list, indented like the items already there."""
    from .exports import write_atomically

    path = template.file
    shown = shown_path(path)
    if not path.exists():
        text = template.new_file_head
        indent = 2
    else:
        problems: list[Problem] = []
        node = compose(path, shown, problems)
        if node is None:
            raise KhashamError(f"{shown} has a problem to fix first: {problems[0]}" if problems else f"{shown} is empty")
        items = node.value if isinstance(node, MappingNode) else []
        last_key = items[-1][0].value if items else None
        value = items[-1][1] if items else None
        if last_key != template.key or (isinstance(value, SequenceNode) and value.flow_style):
            raise KhashamError(
                f"cannot append to {shown}: '{template.key}:' with its list written line by line should be the "
                f"file's last entry; paste the template by hand (run without --append to print it)"
            )
        indent = value.start_mark.column if isinstance(value, SequenceNode) and value.value else 2
        text = path.read_text(encoding="utf-8-sig")
        if text and not text.endswith("\n"):
            text += "\n"
        text += "\n"
    text += indented(template, indent)
    _verify(text, path, template.key)
    write_atomically(path, text)
    return path


def _verify(text: str, path: Path, key: str) -> None:
    """The file must still read as YAML with the new entry in its list, or nothing is written."""
    problems: list[Problem] = []
    node = compose_text(text, shown_path(path), problems)
    entries = {k.value: v for k, v in node.value} if isinstance(node, MappingNode) else {}
    if not isinstance(entries.get(key), SequenceNode):
        raise KhashamError(f"appending to {shown_path(path)} would break it; paste the template by hand (run without --append to print it)")
