"""A quiz session: picking questions, asking them through a prompter, grading, and the summary.

The session knows nothing about terminals: a Prompter asks and shows. PlainPrompter reads numbered
answers line by line (pipes, scripts, screen readers); TerminalPrompter uses questionary.
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

# Escape sequences and other control characters from the bank never reach the terminal.
from .controls import inert
from .generation import MATCH_JOIN, SEQUENCE_JOIN, Question, is_detail
from .grading import Grade, grade


class Prompter(Protocol):
    def choose(self, prompt: str, choices: Sequence[str]) -> str: ...
    def choose_many(self, prompt: str, choices: Sequence[str]) -> list[str]: ...
    def order(self, prompt: str, items: Sequence[str]) -> list[str]: ...
    def match(self, prompt: str, items: Sequence[str], choices: Sequence[str]) -> list[str]: ...
    def type_in(self, prompt: str) -> str: ...
    def confirm(self, prompt: str) -> bool: ...
    def show(self, text: str = "") -> None: ...


@dataclass
class Answer:
    question: Question
    given: str | list[str]
    grade: Grade
    seconds: float


@dataclass
class Session:
    questions: list[Question]
    answers: list[Answer] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(a.grade.correct for a in self.answers)

    @property
    def missed(self) -> list[Answer]:
        return [a for a in self.answers if not a.grade.correct]


def pick(questions: Sequence[Question], count: int | None, seed: int | str | None,
         *, core_first: bool = True) -> list[Question]:
    """The same seed gives the same questions in the same order. With `core_first`, questions on the
    event come before those on detail (ranks, roles, spellings: facts tagged `detail`), which fill
    the quiz only when the rest run out; pass False when the learner asked for a tag or topic."""
    chosen = list(questions)
    random.Random(seed).shuffle(chosen)
    if core_first:
        chosen.sort(key=is_detail)  # stable: the shuffle holds within each group
    return chosen[:count] if count else chosen


def ask(question: Question, prompter: Prompter, number: str) -> str | list[str]:
    prompt = f"{number} {inert(question.prompt)}"
    if question.type == "sequence":
        return prompter.order(prompt, [inert(c) for c in question.choices])
    if question.type == "matching":
        return prompter.match(prompt, [inert(d) for d in question.accepted], [inert(c) for c in question.choices])
    if question.type == "multi":
        return prompter.choose_many(prompt + " (choose all that apply)", [inert(c) for c in question.choices])
    if question.choices:
        return prompter.choose(prompt, [inert(c) for c in question.choices])
    return prompter.type_in(prompt)


def feedback(question: Question, result: Grade, with_quotes: bool, width: int | None = None) -> list[str]:
    """The verdict, the answer where it helps, then who says what as a table (wrapped to `width`,
    by default the terminal's), and with `with_quotes` the reports' exact words."""
    from .notetable import note_table, quote_text_lines, terminal_width, text_lines

    lines = [("✓ " if result.correct else "✗ ") + result.feedback]
    if question.statement and not result.correct:
        lines.append(f"  {inert(question.statement)}")
    elif question.type == "sequence":
        lines.append("  The order:")
        lines.extend(f"    {i}. {inert(step)}" for i, step in enumerate(question.answer.split(SEQUENCE_JOIN), 1))
    elif question.type == "matching":
        lines.append("  The pairs:")
        lines.extend(f"    {inert(left)}{MATCH_JOIN}{inert(right)}" for left, right in question.pairs)
    elif not result.correct or question.disputed:
        lines.append(f"  Answer: {inert(question.answer)}")
    table = note_table(question)
    if table is not None:
        width = width or terminal_width()
        lines += text_lines(table, width, clean=inert)
        if with_quotes:
            lines += quote_text_lines(table, width, clean=inert)
    return lines


def quote_line(quote: str) -> str:
    return f'      "{inert(quote)}"'


def run(
    session: Session,
    prompter: Prompter,
    *,
    with_quotes: bool = False,
    offer_quotes: bool = False,
    on_answer: Callable[[Answer], Sequence[str] | None] | None = None,
    clock: Callable[[], float] | None = None,
) -> Session:
    """Ask every question; KeyboardInterrupt and EOFError propagate with the answers kept in session.

    `on_answer` runs before the feedback is shown: an answer the student sees acknowledged is saved.
    The lines it returns (review's "Next: in 4 days, ...") are shown after the feedback.
    With `offer_quotes`, the reports' exact words are shown on request after the feedback.
    """
    clock = clock or time.monotonic
    total = len(session.questions)
    for index, question in enumerate(session.questions, 1):
        started = clock()
        given = ask(question, prompter, f"[{index}/{total}]")
        answer = Answer(question, given, grade(question, given), clock() - started)
        session.answers.append(answer)
        notes = on_answer(answer) if on_answer else None
        for line in feedback(question, answer.grade, with_quotes):
            prompter.show(line)
        for line in notes or ():
            prompter.show(line)
        if offer_quotes and not with_quotes and question.sources and prompter.confirm("Show the reports' quotes?"):
            for source in question.sources:
                prompter.show(f"  - {inert(source.label)}:\n{quote_line(source.quote)}")
        prompter.show()
    return session


def summary(session: Session, topic_titles: Callable[[str], str]) -> list[str]:
    answered = len(session.answers)
    if not answered:
        return ["No questions answered."]
    lines = [f"Score: {session.score}/{answered} ({100 * session.score // answered}%)"]
    by_topic: dict[str, list[bool]] = {}
    for a in session.answers:
        by_topic.setdefault(a.question.topic, []).append(a.grade.correct)
    for topic, results in by_topic.items():
        lines.append(f"  {topic_titles(topic)}: {sum(results)}/{len(results)}")
    if session.missed:
        lines.append("Missed:")
        for a in session.missed:
            lines.append(f"  - {inert(a.question.prompt)} -> {inert(a.question.answer)}")
    return lines


class PlainPrompter:
    """Numbered prompts, one answer per line: works in pipes, scripts and with screen readers."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout

    def _line(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        if not self.stdin.isatty():  # piped answers are not echoed; show them so the log reads
            self.stdout.write(inert(line.rstrip("\n")) + "\n")
        return line.strip()

    def choose(self, prompt: str, choices: Sequence[str]) -> str:
        self._numbered(prompt, choices)
        return _by_number(self._line("Your answer (number or text): "), choices)

    def choose_many(self, prompt: str, choices: Sequence[str]) -> list[str]:
        self._numbered(prompt, choices)
        reply = self._line("Your answers (numbers separated by commas): ")
        return [_by_number(part, choices) for part in re.split(r"[,\s]+", reply) if part]

    def order(self, prompt: str, items: Sequence[str]) -> list[str]:
        self._numbered(prompt, items)
        reply = self._line("The numbers in order, first to last (for example 3,1,2): ")
        return [_by_number(part, items) for part in re.split(r"[,\s]+", reply) if part]

    def match(self, prompt: str, items: Sequence[str], choices: Sequence[str]) -> list[str]:
        """The choices numbered once, then a line per item: the number (or text) of its match."""
        self._numbered(prompt, choices)
        self.show("For each, the number of its match:")
        return [_by_number(self._line(f"  {item}: "), choices) for item in items]

    def _numbered(self, prompt: str, items: Sequence[str]) -> None:
        self.show(prompt)
        for i, item in enumerate(items, 1):
            self.show(f"  {i}. {item}")

    def type_in(self, prompt: str) -> str:
        self.show(prompt)
        return self._line("Your answer: ")

    def confirm(self, prompt: str) -> bool:
        return self._line(f"{prompt} [y/N]: ").lower() in ("y", "yes")

    def show(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()


def _by_number(reply: str, items: Sequence[str]) -> str:
    """The item a typed number names, or the reply as typed (then graded as text)."""
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses
    number = int(reply) if re.fullmatch(r"[0-9]{1,9}", reply) else 0
    return items[number - 1] if 1 <= number <= len(items) else reply


class TerminalPrompter(PlainPrompter):
    """questionary's select lists, checkboxes and text entry; Ctrl-C raises KeyboardInterrupt."""

    def __init__(self) -> None:
        super().__init__()
        import questionary

        self.q = questionary

    def choose(self, prompt: str, choices: Sequence[str]) -> str:
        return self.q.select(prompt, choices=list(choices)).unsafe_ask()

    def choose_many(self, prompt: str, choices: Sequence[str]) -> list[str]:
        return list(self.q.checkbox(prompt, choices=list(choices)).unsafe_ask())

    def order(self, prompt: str, items: Sequence[str]) -> list[str]:
        """One select list per place: what comes first, then what comes next among the rest."""
        left: list[str] = list(items)
        picked: list[str] = []
        while len(left) > 1:
            ask = f"{prompt} (which comes first?)" if not picked else f"{len(picked)} placed; which comes next?"
            choice = self.q.select(ask, choices=left).unsafe_ask()
            picked.append(choice)
            left.remove(choice)
        return picked + left

    def match(self, prompt: str, items: Sequence[str], choices: Sequence[str]) -> list[str]:
        """One select list per item, every choice offered each time (a party may have used two)."""
        self.show(prompt)
        return [
            self.q.select(f"({n}/{len(items)}) {item}:", choices=list(choices)).unsafe_ask()
            for n, item in enumerate(items, 1)
        ]

    def type_in(self, prompt: str) -> str:
        return self.q.text(prompt).unsafe_ask()

    def confirm(self, prompt: str) -> bool:
        return bool(self.q.confirm(prompt, default=False).unsafe_ask())
