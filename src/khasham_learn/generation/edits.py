"""Teachers' edits by id (rewording, retagging, switching off) and their own questions."""

from __future__ import annotations

from dataclasses import replace

from ..model import Bank, QuestionEdit
from ..values import Value
from .context import _Context, _context, _ranges, _sources, _tags
from .model import Question
from .wording import _list_phrase

CLOZE_GAP = "[...]"  # where a cloze question's answer goes


def apply_edits(questions: list[Question], bank: Bank, ctx: _Context | None = None) -> list[Question]:
    """Teachers' rewording, retagging and switching off by id, then their own questions."""
    by_id = {q.id: i for i, q in enumerate(questions)}
    out = list(questions)
    ctx = ctx or _context(bank)
    for edit in bank.edits:
        if edit.is_new:
            question = custom_question(edit, bank, ctx)
            if question is not None:
                out.append(question)
            continue
        index = by_id.get(edit.id)
        if index is None:
            continue  # the checker reports unknown ids
        q = out[index]
        changes: dict[str, object] = {"enabled": edit.enabled}
        if edit.prompt:
            changes["prompt"] = edit.prompt
        if edit.tags is not None:  # the teacher's tags replace the fact's; topic, type and sources stay
            fact = bank.fact(q.fact)
            structural = [t for t in q.tags if fact is None or t not in fact.tags]
            changes["tags"] = tuple(dict.fromkeys(structural + list(edit.tags)))
        out[index] = replace(q, **changes)  # type: ignore[arg-type]
    return out


def custom_question(edit: QuestionEdit, bank: Bank, ctx: _Context) -> Question | None:
    fact = bank.fact(edit.fact or "")
    if fact is None or edit.type is None or not edit.prompt or not edit.answer:
        return None
    verdict = ctx.verdicts[fact.id]
    accepted = tuple(dict.fromkeys([edit.answer, *edit.accepted]))
    # A multi-select question needs every accepted choice ticked: its shown answer names them all.
    answer = _list_phrase(Value("list", "", items=accepted)) if edit.type == "multi" else edit.answer
    tags = _tags(fact, edit.type, verdict.disputed, verdict.claims) + tuple(edit.tags or ())
    return Question(
        id=edit.id, type=edit.type, prompt=edit.prompt, answer=answer, accepted=accepted,
        fact=fact.id, topic=fact.topic, kind=fact.kind, unit=fact.unit, tags=tuple(dict.fromkeys(tags)),
        disputed=verdict.disputed, note=verdict.note, sources=_sources(verdict.claims, bank),
        choices=("True", "False") if edit.type == "true_false" else edit.choices, origin="teacher", enabled=edit.enabled,
        ranges=_ranges(verdict.right_claims) if edit.type == "numeric" else (),
        # A teacher's cloze marks its gap as the generated ones did: "About [...] fighters attacked."
        cloze=edit.prompt.replace(CLOZE_GAP, "{{c1::" + edit.answer + "}}", 1)
        if edit.type == "cloze" and CLOZE_GAP in edit.prompt else None,
    )
