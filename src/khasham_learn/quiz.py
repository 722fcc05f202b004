"""A quiz session: picking questions, asking them through a prompter, grading, and the summary.

The session knows nothing about terminals: a Prompter asks and shows. PlainPrompter reads numbered
answers line by line (pipes, scripts, screen readers); TerminalPrompter uses questionary.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

# Escape sequences and other control characters from the bank never reach the terminal.
from .controls import inert
from .generation import MATCH_JOIN, SEQUENCE_JOIN, Question, is_detail
from .grading import Grade, grade


NEXT, QUOTES, OVERRULE = "next", "quotes", "overrule"  # what the follow-up after a wrong answer offers
RETRY_GAP = 3  # with until_right, a missed question comes back after this many others (Quizlet's loop)


class Prompter(Protocol):
    at_a_terminal: bool  # input ending here is the student's Ctrl-D, not a script's answers running out

    def choose(self, prompt: str, choices: Sequence[str]) -> str: ...
    def choose_many(self, prompt: str, choices: Sequence[str]) -> list[str]: ...
    def order(self, prompt: str, items: Sequence[str]) -> list[str]: ...
    def match(self, prompt: str, items: Sequence[str], choices: Sequence[str]) -> list[str]: ...
    def type_in(self, prompt: str, hint: str = "") -> str: ...
    def confirm(self, prompt: str) -> bool: ...
    def follow_up(self, offers: Sequence[str]) -> str: ...
    def show(self, text: str = "") -> None: ...


@dataclass
class Answer:
    question: Question
    given: str | list[str]
    grade: Grade
    seconds: float
    attempt: int = 1  # 1: the first try at the question in this session
    overridden: bool = False  # the grader said wrong; the student said "I was right"

    @property
    def right(self) -> bool:
        return self.grade.correct or self.overridden


@dataclass
class Session:
    """A session's questions and every answer given, retries included: each is one saved row."""

    questions: list[Question]
    answers: list[Answer] = field(default_factory=list)

    @property
    def first_tries(self) -> list[Answer]:
        return [a for a in self.answers if a.attempt == 1]

    @property
    def score(self) -> int:
        """Right on the first try (an overruled answer counts as right)."""
        return sum(a.right for a in self.first_tries)

    @property
    def final_score(self) -> int:
        """Questions answered right at some try."""
        return len({a.question.id for a in self.answers if a.right})

    @property
    def retries(self) -> int:
        return sum(a.attempt > 1 for a in self.answers)

    @property
    def overridden(self) -> int:
        return sum(a.overridden for a in self.answers)

    @property
    def still_missed(self) -> list[Question]:
        """Questions asked but never answered right, in the order first asked."""
        right = {a.question.id for a in self.answers if a.right}
        seen: dict[str, Question] = {}
        for a in self.answers:
            if a.question.id not in right:
                seen.setdefault(a.question.id, a.question)
        return list(seen.values())

    def attempts(self, question: Question) -> int:
        return sum(a.question.id == question.id for a in self.answers)


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


def plan_quiz(questions: Sequence[Question], count: int | None, seed: int | str | None,
              *, core_first: bool = True) -> list[Question]:
    """A session's questions: `pick`'s order, one form of each fact (a second would be answered by
    the first one's feedback), topics taken in turn, and a question asked before any prompt that
    states its answer; a question spanning the bank (the timeline) last, as its feedback gives the
    facts it spans."""
    from .giveaways import one_per_fact, order_without_giveaways, spread_topics

    chosen = one_per_fact(pick(questions, None, seed, core_first=core_first))
    return order_without_giveaways(spread_topics(chosen[:count] if count else chosen))


def answer_hint(question: Question) -> str:
    """What a typed answer should be, with the unit a number is counted in: 'a number of fighters';
    a date whose answer is a year alone asks for 'a year'."""
    unit = f" of {question.unit}" if question.unit else ""
    if question.kind == "date" and re.fullmatch(r"[0-9]{4}", question.answer.strip()):
        return "a year"
    return {
        "number": f"a number{unit}",
        "duration": f"a duration{', in ' + question.unit if question.unit else ''}",
        "time": "a time of day",
        "date": "a date",
        "weekday": "a day of the week",
    }.get(question.kind or "", "")


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
    return prompter.type_in(prompt, answer_hint(question))


def feedback(question: Question, result: Grade, with_quotes: bool, width: int | None = None) -> list[str]:
    """The verdict and the answer first, then who says what as a table (wrapped to `width`, by
    default the terminal's), and with `with_quotes` the reports' exact words."""
    from .notetable import note_table, quote_text_lines, terminal_width, text_lines

    lines = [("✓ " if result.correct else "✗ ") + result.feedback]
    if question.type == "true_false" and not result.correct:
        lines.append(f"  Answer: {inert(question.answer)}")
        if question.statement:
            lines.append(f"  {inert(question.statement)}")
    elif question.statement and not result.correct:
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


def quote_lines(question: Question, width: int | None = None) -> list[str]:
    """The reports' exact words, each under its report: shown on request after the feedback."""
    from .notetable import note_table, quote_text_lines, terminal_width

    table = note_table(question)
    if table is not None:
        return quote_text_lines(table, width or terminal_width(), clean=inert)
    return [f"  - {inert(source.label)}:\n{quote_line(source.quote)}" for source in question.sources]


def quote_line(quote: str) -> str:
    return f'      "{inert(quote)}"'


class InputEnded(EOFError):
    """The answers ran out (a script's input, or Ctrl-D): `where` says at which question."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def run(
    session: Session,
    prompter: Prompter,
    *,
    with_quotes: bool = False,
    until_right: bool = False,
    questions: Sequence[Question] | None = None,
    going_over: bool = False,
    on_answer: Callable[[Answer], Sequence[str] | None] | None = None,
    on_overrule: Callable[[Answer], Sequence[str] | None] | None = None,
    clock: Callable[[], float] | None = None,
) -> Session:
    """Ask `questions` (by default the session's); KeyboardInterrupt propagates with the answers
    kept in session, and input that runs out as InputEnded, saying where (`going_over`: this
    round goes over the misses after the score).

    `on_answer` runs before the feedback is shown: an answer the student sees acknowledged is saved.
    The lines it returns (review's "Next: in 4 days, ...") are shown after the feedback.
    After a wrong verdict the student may ask for the quotes, or overrule it (`on_overrule` saves
    that, and returns lines as `on_answer` does). With `until_right`, a missed question comes back
    after RETRY_GAP new questions until it is answered right (Quizlet Learn's loop); at most one
    retry comes between two new questions, so retries never hold the new ones back, and once the
    new ones are done the retries follow each other.
    """
    clock = clock or time.monotonic
    new = deque(questions if questions is not None else session.questions)
    total = len(new)
    numbers: dict[str, int] = {}  # question id -> its number in this round, as its prompt showed it
    asked_new = 0
    retries: deque[tuple[int, Question]] = deque()  # (new questions asked before it may come back, question)
    last_was_retry = False
    while new or retries:
        # A miss's turn only grows (it is set from the count so far), so the first retry is the readiest.
        retry = bool(retries) and (not new or (not last_was_retry and retries[0][0] <= asked_new))
        if retry:
            question = retries.popleft()[1]
            label = "[again]"
        else:
            question = new.popleft()
            asked_new += 1
            numbers.setdefault(question.id, asked_new)
            label = f"[{asked_new}/{total}]"
        started = clock()
        try:
            given = ask(question, prompter, label)
        except EOFError as ended:
            where = ("while going over the misses" if going_over
                     else f"at a retry of question {numbers[question.id]}" if retry
                     else f"at question {asked_new} of {total}")
            raise InputEnded(where) from ended
        answer = Answer(question, given, grade(question, given), clock() - started, session.attempts(question) + 1)
        session.answers.append(answer)
        notes = on_answer(answer) if on_answer else None
        for line in feedback(question, answer.grade, with_quotes):
            prompter.show(line)
        for line in notes or ():
            prompter.show(line)
        if not answer.grade.correct:
            _after_a_miss(answer, prompter, with_quotes=with_quotes, on_overrule=on_overrule)
        if until_right and not answer.right:
            retries.append((asked_new + RETRY_GAP, question))
        last_was_retry = retry
        prompter.show()
    return session


@dataclass(frozen=True)
class Ending:
    """How a study session ended, for a shell: its exit code, and `error`, a line to report when a
    script's input ran out before the questions did."""

    exit_code: int = 0
    error: str | None = None


def study(
    session: Session,
    prompter: Prompter,
    topic_titles: Callable[[str], str],
    saved_to: str,
    *,
    with_quotes: bool = False,
    until_right: bool = False,
    on_answer: Callable[[Answer], Sequence[str] | None] | None = None,
    on_overrule: Callable[[Answer], Sequence[str] | None] | None = None,
    clock: Callable[[], float] | None = None,
) -> Ending:
    """A whole session: every question once (with `until_right`, a miss comes back within it), the
    score, then the missed questions gone over until each is answered right, for as long as the
    student says yes; last, the summary and how many answers were saved (to `saved_to`).

    Ctrl-C ends it keeping every answer (exit code 130); so does Ctrl-D at a terminal. Input that
    runs out in a script ends it with the summary and an `error` saying where. A store that fails
    mid-session (KhashamError) propagates after the summary."""
    from .errors import KhashamError

    def round_of(questions: Sequence[Question] | None, *, until: bool, going_over: bool = False) -> None:
        run(session, prompter, with_quotes=with_quotes, until_right=until, questions=questions,
            going_over=going_over, on_answer=on_answer, on_overrule=on_overrule, clock=clock)

    ending = Ending()
    scored = False  # the score was just shown, with the offer to go over the misses
    try:
        round_of(None, until=until_right)
        while session.still_missed:
            for line in summary(session, topic_titles):
                prompter.show(line)
            scored = True
            missed = session.still_missed
            try:
                again = prompter.confirm(f"Go over the {_count(len(missed), 'missed question', 'missed questions')} "
                                         f"until right?")
            except EOFError:  # the answers ended with the quiz: nothing more is asked
                prompter.show()
                again = False
            if not again:
                break
            prompter.show()
            scored = False
            round_of(missed, until=True, going_over=True)
    except KeyboardInterrupt:
        prompter.show("\nInterrupted.")
        ending = Ending(exit_code=130)
    except InputEnded as ended:
        prompter.show()  # ends the prompt line that waited for it
        if prompter.at_a_terminal:  # Ctrl-D: the student's way to stop, as Ctrl-C is
            prompter.show("Ended (Ctrl-D).")
        else:
            ending = Ending(error=f"input ended {ended.where}; give one answer per line (every answer given is saved)")
    except KhashamError:  # the store failed mid-session: the summary first, then the one-line error
        for line in summary(session, topic_titles):
            prompter.show(line)
        raise
    for line in ([] if scored else summary(session, topic_titles)) + saved_lines(session, saved_to):
        prompter.show(line)
    return ending


def prompter_for(plain: bool) -> Prompter:
    """Select lists and single keys in a terminal; numbered prompts read line by line with `plain`
    or when input or output is not a terminal."""
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        return TerminalPrompter()
    return PlainPrompter()


def _after_a_miss(answer: Answer, prompter: Prompter, *, with_quotes: bool,
                  on_overrule: Callable[[Answer], Sequence[str] | None] | None) -> None:
    """One key: go on, see the quotes (unless shown already), or overrule the verdict."""
    offers = [NEXT]
    if not with_quotes and answer.question.sources:
        offers.append(QUOTES)
    if on_overrule is not None:
        offers.append(OVERRULE)
    while True:
        try:
            choice = prompter.follow_up(offers)
        except EOFError:  # a script's answers ran out here: the next question will say so
            return
        if choice == QUOTES:
            for line in quote_lines(answer.question):
                prompter.show(line)
            offers.remove(QUOTES)
            continue
        if choice == OVERRULE and on_overrule is not None:
            answer.overridden = True
            notes = on_overrule(answer)
            prompter.show("  Counted as right, by your word; saved for your teacher (stats --overrides).")
            for line in notes or ():
                prompter.show(line)
        return


def summary(session: Session, topic_titles: Callable[[str], str]) -> list[str]:
    """The first-try score, the final score after retries, and what is still missed."""
    first = session.first_tries
    if not first:
        return ["No questions answered."]
    asked = len(first)
    lines = [f"Score: {session.score}/{asked} ({100 * session.score // asked}%) on the first try"]
    if session.retries:
        lines.append(f"Final: {session.final_score}/{asked} right after {_count(session.retries, 'retry', 'retries')}")
    by_topic: dict[str, list[bool]] = {}
    for a in first:
        by_topic.setdefault(a.question.topic, []).append(a.right)
    for topic, results in by_topic.items():
        lines.append(f"  {topic_titles(topic)}: {sum(results)}/{len(results)}")
    if session.overridden:
        lines.append(f"Overruled by you: {session.overridden} (counted as right; your teacher sees them "
                     f"with stats --overrides)")
    if session.still_missed:
        lines.append("Still missed:" if session.retries else "Missed:")
        for q in session.still_missed:
            lines.append(f"  - {inert(q.prompt)} -> {inert(q.answer)}")
    return lines


def saved_lines(session: Session, saved_to: str) -> list[str]:
    """How many answers were saved: every answer given, retries included, as `stats` counts them."""
    if not session.answers:
        return []
    tries = f" ({_count(len(session.first_tries), 'first try', 'first tries')}, " \
            f"{_count(session.retries, 'retry', 'retries')})" if session.retries else ""
    return [f"Saved {_count(len(session.answers), 'answer', 'answers')}{tries} to {saved_to}."]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def fit(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` columns, words never split; a wrapped line keeps its
    indent, and its continuation lines are indented two more."""
    import textwrap

    from .notetable import display_width

    out: list[str] = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out += textwrap.wrap(line.strip(), width, initial_indent=indent, subsequent_indent=indent + "  ",
                             break_long_words=False, break_on_hyphens=False) or [line]
    return out


FOLLOW_UP_KEYS = {NEXT: "Enter: next", QUOTES: "q: the quotes", OVERRULE: "r: I was right"}
# What a line (plain mode) or a key (terminal) says for each follow-up offer.
_FOLLOW_UP_REPLIES = {NEXT: ("", "n", "next"), QUOTES: ("q", "quotes"), OVERRULE: ("r", "!", "right", "i was right")}


class PlainPrompter:
    """Numbered prompts, one answer per line: works in pipes, scripts and with screen readers.

    A reply that is not one of the options is asked for again, saying what is expected; it is
    never graded. Text goes out wrapped to `width` (by default the terminal's), words never split.
    """

    at_a_terminal = False

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None, width: int | None = None) -> None:
        from .notetable import terminal_width

        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.width = width or terminal_width()

    def _line(self, prompt: str) -> str:
        from .notetable import display_width

        lines = fit(prompt, self.width)
        if len(lines) > 1:
            lines[-1] += " "  # wrapping dropped the space the reply is typed after
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError
        if not self.stdin.isatty():  # piped answers are not echoed; show them so the log reads
            echo = inert(line.rstrip("\n"))
            if display_width(lines[-1] + echo) > self.width:
                echo = "\n" + "\n".join(fit("    " + echo.strip(), self.width))
            self.stdout.write(echo + "\n")
        return line.strip()

    def _until_valid(self, prompt: str, read: Callable[[str], object | None], expected: str) -> object:
        """Reads lines until `read` makes sense of one (None: it could not), saying what is expected."""
        while True:
            value = read(self._line(prompt))
            if value is not None:
                return value
            self.show(f"  Please answer with {expected}.")

    def choose(self, prompt: str, choices: Sequence[str]) -> str:
        self._numbered(prompt, choices)
        return str(self._until_valid("Your answer (number or text): ", lambda r: _one(r, choices),
                                     f"a number from 1 to {len(choices)}, or the text of one of them"))

    def choose_many(self, prompt: str, choices: Sequence[str]) -> list[str]:
        self._numbered(prompt, choices)
        return list(self._until_valid(  # type: ignore[call-overload]
            "Your answers (numbers separated by commas): ", lambda r: _several(r, choices),
            f"numbers from 1 to {len(choices)} separated by commas"))

    def order(self, prompt: str, items: Sequence[str]) -> list[str]:
        self._numbered(prompt, items)
        return list(self._until_valid(  # type: ignore[call-overload]
            "The numbers in order, first to last (for example 3,1,2): ", lambda r: _ordering(r, items),
            f"each number from 1 to {len(items)} once, in order, separated by commas"))

    def match(self, prompt: str, items: Sequence[str], choices: Sequence[str]) -> list[str]:
        """The choices numbered once, then a line per item: the number (or text) of its match."""
        self._numbered(prompt, choices)
        self.show("For each, the number of its match:")
        expected = f"one number from 1 to {len(choices)}, this line's match alone, or the text of one"
        return [str(self._until_valid(f"  {item}: ", lambda r: _one_match(r, choices), expected)) for item in items]

    def _numbered(self, prompt: str, items: Sequence[str]) -> None:
        self.show(prompt)
        for i, item in enumerate(items, 1):
            self.show(f"  {i}. {item}")

    def type_in(self, prompt: str, hint: str = "") -> str:
        self.show(prompt)
        label = f"Your answer ({hint}): " if hint else "Your answer: "
        return str(self._until_valid(label, lambda r: r or None, "some text; a blank line is not an answer"))

    def confirm(self, prompt: str) -> bool:
        def yes_no(reply: str) -> bool | None:
            return {"": False, "n": False, "no": False, "y": True, "yes": True}.get(reply.lower())

        return bool(self._until_valid(f"{prompt} [y/N]: ", yes_no, "y or n (a blank line is n)"))

    def follow_up(self, offers: Sequence[str]) -> str:
        """A line after a wrong verdict: blank to go on, or q for the quotes, r (or !) to overrule."""
        keys = [FOLLOW_UP_KEYS[o].split(":")[0] for o in offers]
        expected = "Enter (a blank line)" + "".join(f"{', ' if k != keys[-1] else ' or '}{k}" for k in keys[1:])

        def offer(reply: str) -> str | None:
            return next((o for o in offers if reply.lower() in _FOLLOW_UP_REPLIES[o]), None)

        return str(self._until_valid(f"  [{' · '.join(FOLLOW_UP_KEYS[o] for o in offers)}] ", offer, expected))

    def show(self, text: str = "") -> None:
        for line in fit(text, self.width):
            self.stdout.write(line + "\n")
        self.stdout.flush()


def _one(reply: str, items: Sequence[str]) -> str | None:
    """The item a reply names: its number, its text (case, punctuation and a leading "the" aside),
    the start of only one item's text ("t" for True), or yes/no for True/False. None for anything
    else ("maybe", a number out of range, a blank line): a slip, asked again, never graded."""
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses
    if re.fullmatch(r"[0-9]{1,9}\.?", reply):
        number = int(reply.rstrip("."))
        return items[number - 1] if 1 <= number <= len(items) else None
    said = _comparable(reply)
    if not said:
        return None
    if {_comparable(i) for i in items} == {"true", "false"}:
        said = {"yes": "true", "y": "true", "no": "false", "n": "false"}.get(said, said)
    exact = [i for i in items if _comparable(i) == said]
    starting = [i for i in items if _comparable(i).startswith(said)]
    found = exact or starting
    return found[0] if len(found) == 1 else None


def _comparable(text: str) -> str:
    from .values import normalize

    return re.sub(r"^the (?=.)", "", normalize(text))


def _one_match(reply: str, items: Sequence[str]) -> str | None:
    """As `_one`, for one line of a matching question, which asks a match per line: several numbers
    ("1,2", the whole answer on one line) are no text to grade but a slip, asked again."""
    return None if re.fullmatch(r"[0-9]+(?:[,;\s]+[0-9]+)+", reply) else _one(reply, items)


def _several(reply: str, items: Sequence[str]) -> list[str] | None:
    parts = [_one(part, items) for part in re.split(r"[,\s]+", reply) if part]
    return parts if parts and all(p is not None for p in parts) else None  # type: ignore[return-value]


def _ordering(reply: str, items: Sequence[str]) -> list[str] | None:
    parts = [p for p in re.split(r"[,\s]+", reply) if p]
    if sorted(parts) != sorted(str(n) for n in range(1, len(items) + 1)):
        return None
    return [items[int(p) - 1] for p in parts]


class TerminalPrompter(PlainPrompter):
    """questionary's select lists, checkboxes and text entry; Ctrl-C raises KeyboardInterrupt.
    The question itself is printed wrapped to the width first; questionary asks below it."""

    at_a_terminal = True

    def __init__(self) -> None:
        super().__init__()
        import questionary

        self.q = questionary

    def choose(self, prompt: str, choices: Sequence[str]) -> str:
        self.show(prompt)
        return self.q.select("Your answer", choices=self._fitted(choices, "Your answer")).unsafe_ask()

    def choose_many(self, prompt: str, choices: Sequence[str]) -> list[str]:
        self.show(prompt)
        return list(self.q.checkbox("Your answers", choices=self._fitted(choices, "Your answers", 5)).unsafe_ask())

    def _fitted(self, items: Sequence[str], message: str, marker: int = 3) -> list[object]:
        """The items as questionary lists them, a long one wrapped under itself at word breaks:
        `marker` columns (" » ", " » ○ ") come before each, and once chosen, an item is shown
        after the `message` on its line, so its first line leaves room for that."""
        import textwrap

        first_width = self.width - max(marker, len(message) + 3) - 1
        fitted: list[object] = []
        for item in items:
            if len(item) <= first_width:
                fitted.append(item)
                continue
            first, *more = textwrap.wrap(item, first_width, break_long_words=False, break_on_hyphens=False)
            rest = textwrap.wrap(" ".join(more), self.width - marker - 3, break_long_words=False,
                                 break_on_hyphens=False)
            title = "\n".join([first, *(" " * (marker + 2) + line for line in rest)])
            fitted.append(self.q.Choice(title=title, value=item))
        return fitted

    def order(self, prompt: str, items: Sequence[str]) -> list[str]:
        """One select list per place: what comes first, then what comes next among the rest."""
        self.show(prompt)
        left: list[str] = list(items)
        picked: list[str] = []
        while len(left) > 1:
            ask = "Which comes first?" if not picked else "Next?"
            choice = self.q.select(ask, choices=self._fitted(left, ask)).unsafe_ask()
            picked.append(choice)
            left.remove(choice)
        return picked + left

    def match(self, prompt: str, items: Sequence[str], choices: Sequence[str]) -> list[str]:
        """One select list per item, every choice offered each time (a party may have used two)."""
        self.show(prompt)
        answers = []
        for n, item in enumerate(items, 1):
            self.show(f"({n}/{len(items)}) {item}")
            answers.append(self.q.select("Its match:", choices=self._fitted(choices, "Its match:")).unsafe_ask())
        return answers

    def type_in(self, prompt: str, hint: str = "") -> str:
        self.show(prompt)
        label = f"Your answer ({hint}):" if hint else "Your answer:"
        return self.q.text(label, validate=lambda text: bool(text.strip()) or "Type an answer").unsafe_ask()

    def confirm(self, prompt: str) -> bool:
        return bool(self.q.confirm(prompt, default=False).unsafe_ask())

    def follow_up(self, offers: Sequence[str]) -> str:
        """One key press, no Enter needed after the letter."""
        self.stdout.write("  " + " · ".join(FOLLOW_UP_KEYS[o] for o in offers) + " ")
        self.stdout.flush()
        keys = {"\r": NEXT, "\n": NEXT, " ": NEXT, "\x04": NEXT, "q": QUOTES, "r": OVERRULE, "!": OVERRULE}
        while True:
            choice = keys.get(_read_key(self.stdin).lower())
            if choice in offers:
                self.stdout.write("\n")
                return choice


def _read_key(stdin: TextIO) -> str:
    """One key from the terminal, without waiting for Enter; Ctrl-C still interrupts."""
    try:
        import termios
        import tty
    except ImportError:  # Windows: msvcrt reads a key the same way
        import msvcrt

        return str(msvcrt.getwch())
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        return os.read(fd, 1).decode(errors="replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
