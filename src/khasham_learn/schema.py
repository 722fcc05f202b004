"""The JSON Schemas of the bank's files, shipped in the package, for editors that complete keys.

The schemas describe what the loader accepts, so an editor underlines a mistake as the teacher
types; `check` stays the final word (it also knows the other files: which sources and facts exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import KhashamError
from .paths import bundled_bank
from .yamlread import did_you_mean

# Each bank keeps its schemas in this folder, and its files name them by a relative path, so the
# reference works offline and wherever the folder is copied: the bundled bank's copy is the one
# shipped (`init` copies it into a new bank).
SCHEMA_FOLDER = ".schemas"
SCHEMA_DIR = bundled_bank() / SCHEMA_FOLDER
# The first line editors read (yaml-language-server: VS Code's YAML extension, Neovim, Helix, Zed...).
MODELINE = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class FileKind:
    name: str
    pattern: str  # where files of this kind live in a bank folder
    what: str


FILE_KINDS = (
    FileKind("bank", "bank.yaml", "title, description and topic order"),
    FileKind("sources", "sources.yaml", "the reports"),
    FileKind("facts", "facts/<topic>.yaml", "one topic's facts and each report's claims"),
    FileKind("questions", "questions.yaml", "teachers' own questions and changes to generated ones"),
)


def schema_path(kind: str) -> Path:
    names = [k.name for k in FILE_KINDS]
    if kind not in names:
        raise KhashamError(f"no schema '{kind}'{did_you_mean(kind, names)}; kinds: {', '.join(names)}")
    return SCHEMA_DIR / f"{kind}.json"


def schema_text(kind: str) -> str:
    return schema_path(kind).read_text(encoding="utf-8")


def kind_of(relative: Path) -> str | None:
    """The kind of a bank file from its path inside the bank folder."""
    parts = relative.parts
    if len(parts) == 2 and parts[0] == "facts" and relative.suffix == ".yaml":
        return "facts"
    if len(parts) == 1 and relative.suffix == ".yaml" and relative.stem in ("bank", "sources", "questions"):
        return relative.stem
    return None


def plain(node: Node) -> object:
    """A composed node as the JSON data an editor validates: YAML 1.2's view of scalars.

    Timestamps stay text (editors read YAML 1.2, which has none) and so do YAML 1.1's oddities such
    as sexagesimal 22:00, exactly as the loader reads every scalar from its characters.
    """
    if isinstance(node, MappingNode):
        return {str(k.value): plain(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [plain(item) for item in node.value]
    assert isinstance(node, ScalarNode)
    tag = node.tag.rsplit(":", 1)[-1]
    text = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() in ("true", "yes", "on", "y")
    for kind, convert in (("int", int), ("float", float)):
        if tag == kind:
            try:
                return convert(text)
            except ValueError:
                return text
    return text  # str and timestamp
