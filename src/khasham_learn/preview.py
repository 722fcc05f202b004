"""`preview ID`: one question exactly as the quiz shows it, answered rightly, then its feedback.

The quiz's own PlainPrompter does the showing, over in-memory streams with the right answer as
its input, so the preview cannot drift from what students see.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from .errors import KhashamError
from .generation import Question, generate
from .grading import grade
from .model import Bank
from .quiz import PlainPrompter, ask, feedback
from .yamlread import did_you_mean


@dataclass(frozen=True)
class Preview:
    question: Question
    asked: str  # the quiz's screen up to and including the typed answer
    feedback: list[str]
    anki: str | None  # the Anki card's front and back


def find_question(bank: Bank, question_id: str) -> Question:
    questions = {q.id: q for q in generate(bank, include_disabled=True)}
    if question_id not in questions:
        fact_hint = f"; the fact '{question_id}' has: {', '.join(i for i in questions if i.startswith(question_id + '.'))}" if bank.fact(question_id) else ""
        raise KhashamError(f"no question '{question_id}'{did_you_mean(question_id, questions)}{fact_hint}; see 'khasham-learn questions'")
    return questions[question_id]


def right_reply(question: Question) -> str:
    """What a student who knows the answer types at the quiz's prompt."""
    if question.type == "matching":  # a line per description: its party's number
        return "\n".join(str(question.choices.index(party) + 1) for _, party in question.pairs)
    if question.choices:
        folded = [c.strip().casefold() for c in question.choices]
        wanted = question.accepted if question.type in ("multi", "sequence") else (question.answer,)
        numbers = [str(folded.index(a.strip().casefold()) + 1) for a in wanted if a.strip().casefold() in folded]
        if numbers:
            return ", ".join(numbers)
    # "about 22:00 or about 22:30" names both reports' answers; a student types one of them.
    typed = [question.answer, *question.accepted]
    return next((t for t in typed if grade(question, t).correct), question.answer)


def anki_card_text(question: Question, topic_title: str) -> str:
    """The Anki card's front and back as text, from the fields and templates the deck holds."""
    from .exports.anki import card_text

    front, back = card_text(question, topic_title)
    return f"[front]\n{front}\n[back]\n{back}"


def preview(bank: Bank, question_id: str, *, with_quotes: bool = False) -> Preview:
    question = find_question(bank, question_id)
    screen = io.StringIO()
    prompter = PlainPrompter(stdin=io.StringIO(right_reply(question) + "\n"), stdout=screen)
    given = ask(question, prompter, "[1/1]")
    lines = feedback(question, grade(question, given), with_quotes)
    return Preview(question, screen.getvalue(), lines, anki_card_text(question, bank.topic_title(question.topic)))


def render(result: Preview) -> list[str]:
    q = result.question
    off = " (switched off: the quiz and exports leave it out)" if not q.enabled else ""
    lines = [f"== {q.id} ({q.type}, fact {q.fact}){off} ==", "", "-- in the quiz --", *result.asked.rstrip("\n").splitlines()]
    lines += ["", "-- feedback on a right answer --", *result.feedback]
    if result.anki is not None:
        lines += ["", "-- Anki card --", result.anki]
    return lines
