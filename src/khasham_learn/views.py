"""Machine-readable views of facts and questions, shared by the CLI and scripts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .disagreement import assess
from .generation import Question
from .model import Bank


def fact_views(bank: Bank, *, topic: str | None = None, disputed_only: bool = False) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for fact in bank.facts:
        if topic and fact.topic != topic:
            continue
        verdict = assess(fact, bank)
        if disputed_only and not verdict.disputed:
            continue
        out.append(
            {
                "id": fact.id,
                "topic": fact.topic,
                "topic_title": bank.topic_title(fact.topic),
                "prompt": fact.prompt,
                "kind": fact.kind,
                "unit": fact.unit,
                "disputed": verdict.disputed,
                "agreement": verdict.status.value,
                "note": verdict.note,
                "claims": [
                    {
                        "source": c.claim.source,
                        "value": c.value.display,
                        "raw_value": list(c.claim.value) if isinstance(c.claim.value, tuple) else c.claim.value,
                        "quote": c.claim.quote,
                        "attributed_to": c.claim.attributed_to,
                        "qualifier": c.claim.qualifier,
                        "wrong": c.wrong,
                    }
                    for c in verdict.claims
                ],
            }
        )
    return out


def select(
    questions: Iterable[Question], *, topic: str | None = None, qtype: str | None = None,
    tag: str | None = None, disputed_only: bool = False,
) -> list[Question]:
    return [
        q for q in questions
        if (not topic or q.topic == topic)
        and (not qtype or q.type == qtype)
        and (not tag or tag in q.tags)
        and (not disputed_only or q.disputed)
    ]
