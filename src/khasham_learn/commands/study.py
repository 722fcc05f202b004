"""The learner's commands: quiz, review and stats."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .common import (
    WithTopics,
    bank_option,
    count_option,
    echo,
    generated,
    open_progress,
    print_json,
    question_filters,
    seed_option,
    selected,
    store_option,
    use_color,
)

if TYPE_CHECKING:
    from pathlib import Path

    from ..generation import Question
    from ..model import Bank
    from ..store import Store


@click.command(cls=WithTopics)
@bank_option
@question_filters
@count_option(10)
@seed_option
@store_option
@click.option("--schedule", is_flag=True, help="Let these answers move the spaced-repetition schedule too.")
@click.option("--plain", is_flag=True, help="Numbered prompts read line by line (automatic when not in a terminal).")
@click.option("--quotes", is_flag=True, help="Always show the reports' quotes (else one key shows them after a wrong answer).")
@click.option("--until-right", is_flag=True,
              help="A missed question comes back a few questions later until you get it right.")
def quiz(bank_dir: Path | None, topic: str | None, tag: str | None, qtype: str | None, disputed: bool,
         count: int, seed: str | None, store_path: Path | None, schedule: bool, plain: bool, quotes: bool,
         until_right: bool) -> None:
    """Practice: a quiz with the sources and where they disagree after each answer.

    Each question is asked once and the score shown; then the missed ones are offered again,
    until each is answered right. With --until-right a miss comes back within the quiz instead.
    After a wrong verdict, one key shows the quotes (q) or overrules the grader (r: "I was
    right"; in plain mode a line: q, or r or !). Every answer is saved to your progress; the
    review schedule moves only with --schedule, and only with each question's first answer.

    \b
    Examples:
      khasham-learn quiz
      khasham-learn quiz --topic casualties --count 5
      khasham-learn quiz --disputed --seed 1 --plain < answers.txt
    """
    from ..quiz import plan_quiz

    bank, everything, pool = selected(bank_dir, topic, tag, qtype, disputed)
    if not pool:
        from ..errors import KhashamError

        raise KhashamError("no questions match those filters")
    with open_progress(store_path) as store:
        _move_merged(store, bank, everything)
        # Asked for a tag or topic, the learner gets it all alike; else the event before its details.
        questions = plan_quiz(pool, count, seed, core_first=not (tag or topic))
        _take(bank, questions, store, mode="quiz", schedule=schedule, plain=plain, quotes=quotes, until_right=until_right)


@click.command(cls=WithTopics)
@bank_option
@question_filters
@click.option("--new", "new_per_day", type=click.IntRange(min=0), default=10, show_default=True,
              help="New questions to introduce per day.")
@store_option
@click.option("--plain", is_flag=True, help="Numbered prompts read line by line (automatic when not in a terminal).")
@click.option("--quotes", is_flag=True, help="Always show the reports' quotes.")
def review(bank_dir: Path | None, topic: str | None, tag: str | None, qtype: str | None, disputed: bool,
           new_per_day: int, store_path: Path | None, plain: bool, quotes: bool) -> None:
    """Spaced repetition: the questions that are due, what you missed, and a few new ones.

    Scheduled with FSRS; a right but slow answer counts for less than a quick one. After a wrong
    verdict, as in the quiz, one key shows the quotes (q) or overrules the grader (r), and the
    missed questions are offered again after the score (practice: the schedule stays).

    \b
    Examples:
      khasham-learn review
      khasham-learn review --new 20 --topic battle
    """
    from ..scheduling import now_utc, plan_review, siblings_of

    bank, everything, pool = selected(bank_dir, topic, tag, qtype, disputed)
    with open_progress(store_path) as store:
        _move_merged(store, bank, everything)
        plan = plan_review(pool, store.cards(), store.answers(), now_utc(), new_per_day)
        waiting = (f" {plan.waiting} more wait{'s' * (plan.waiting == 1)} for a later day: another form of "
                   f"their fact is asked first, or was today." if plan.waiting else "")
        if not plan.questions:
            when = f" The next is due {plan.next_due.astimezone():%a %d %b %H:%M}." if plan.next_due else ""
            echo(f"Nothing is due now.{when}{waiting}")
            return
        echo(f"{len(plan.due)} due, {len(plan.missed)} missed in practice, {len(plan.new)} new.{waiting}")
        _take(bank, plan.questions, store, mode="review", schedule=True, plain=plain, quotes=quotes,
              siblings=siblings_of([q for q in everything if q.enabled]))


@click.command()
@bank_option
@store_option
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON object: answered, overridden, by_topic (also as topics), due (now, today, "
                   "this_week...), forecast (the next 14 days' due counts), streak, days_studied, "
                   "recall_today... (docs/progress.md)")
@click.option("--plain", is_flag=True,
              help="Plain text, no drawing (automatic when not in a terminal, under NO_COLOR, or under 60 columns).")
@click.option("--overrides", is_flag=True,
              help="For teachers: the answers students overruled, per question, with what they typed.")
def stats(bank_dir: Path | None, store_path: Path | None, as_json: bool, plain: bool, overrides: bool) -> None:
    """Your progress: accuracy by topic, reviews due over the next 14 days, the days you studied,
    what FSRS expects you to recall today, and the weakest facts.

    Every answer saved counts, retries included, as a quiz's "Saved N answers" says; an answer you
    overruled ("I was right") counts as right, and is counted apart too.

    \b
    Examples:
      khasham-learn stats
      khasham-learn stats --json | jq .forecast
      khasham-learn stats --overrides        the grader's misses, for tests/grading_table.tsv
    """
    from ..scheduling import now_utc
    from ..stats import progress

    bank, everything = generated(bank_dir)
    with open_progress(store_path) as store:
        _move_merged(store, bank, everything)
        if overrides:
            from ..overrides import describe_overrides, overrides_report

            report = overrides_report(store.overrides(), everything)
        else:
            report = progress(bank, [q for q in everything if q.enabled], store.answers(), store.cards(), now_utc())
    if as_json:
        print_json(report)
        return
    import shutil

    from .. import progressview

    width = shutil.get_terminal_size().columns
    if overrides:
        for line in describe_overrides(report):
            for part in progressview.wrapped(line, max(width, progressview.MIN_WIDTH)):
                echo(part)
        return
    if plain or not sys.stdout.isatty() or use_color() is False or width < progressview.NARROW:
        for line in progressview.plain_lines(report, width):
            echo(line)
        return
    progressview.show(report)


def _move_merged(store: Store, bank: Bank, everything: list[Question]) -> None:
    """Answers and schedules of questions the bank merged into another follow them (see superseded_ids).
    `everything`: the bank's generated questions, switched-off ones included."""
    from ..generation import superseded_ids
    from ..store import StoreError

    try:
        store.move_questions(superseded_ids(bank, everything))
    except StoreError:
        # A store that cannot be written is read as it is: stats still shows it, and quiz and review
        # refuse it before the first question, with the reason (see _take).
        pass


def _take(bank: Bank, questions: list[Question], store: Store, *, mode: str, schedule: bool,
          plain: bool, quotes: bool, until_right: bool = False, siblings: dict[str, list[str]] | None = None) -> None:
    """quiz.study over the store: each answer saved before its feedback (scheduling.Recorder).
    `siblings`: each question's other forms, spaced out when it is answered (scheduling.siblings_of)."""
    from ..errors import KhashamError
    from ..quiz import Session, prompter_for, study
    from ..scheduling import Recorder

    store.check_writable()  # a store that cannot save is refused now, not after the first answer
    save = Recorder(store, mode=mode, schedule=schedule, siblings=siblings)
    ending = study(Session(questions), prompter_for(plain), bank.topic_title, str(store.path), with_quotes=quotes,
                   until_right=until_right, on_answer=save, on_overrule=save.overrule)
    if ending.error:
        raise KhashamError(ending.error)
    sys.exit(ending.exit_code)
