"""`preview ID`: the quiz's own screen for one question, answered rightly, then its feedback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from khasham_learn.cli import cli
from khasham_learn.errors import KhashamError
from khasham_learn.generation import generate
from khasham_learn.loading import open_bank
from khasham_learn.preview import anki_card_text, preview


def test_one_question_of_each_type_and_verdict_previews_as_right(bundled):
    sample = {(q.type, q.disputed, q.kind): q for q in generate(bundled)}  # previewing all takes a minute
    for q in sample.values():
        result = preview(bundled, q.id)
        assert result.feedback[0].startswith("✓"), (q.id, result.asked)
        assert " ".join(result.asked.split()).startswith(" ".join(f"[1/1] {q.prompt}".split()))  # wrapped to the width


def test_choices_are_numbered_as_in_the_quiz(bundled):
    q = next(q for q in generate(bundled) if q.type == "choice")
    asked = preview(bundled, q.id).asked.splitlines()
    assert [line for line in asked if line.startswith("  ")][-len(q.choices):] == [f"  {i}. {c}" for i, c in enumerate(q.choices, 1)]
    assert asked[-1].startswith("Your answer (number or text): ")


def test_unknown_id_suggests_the_closest():
    result = CliRunner().invoke(cli, ["preview", "atack-start-time.direct"])
    assert result.exit_code == 1
    assert "did you mean 'attack-start-time.direct'" in result.output and "Traceback" not in result.output


def test_a_fact_id_lists_its_questions(bundled):
    with pytest.raises(KhashamError, match="the fact 'attack-start-time' has: attack-start-time.direct"):
        preview(bundled, "attack-start-time")


def test_cli_shows_quiz_then_feedback_with_quotes():
    result = CliRunner().invoke(cli, ["preview", "attack-start-time.direct", "--quotes"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("-- in the quiz --") < out.index("-- feedback on a right answer --")
    assert "Sources disagree" in out and '"The first shells reportedly flew around 10:30 p.m."' in out
    # Who says what as a table, then each report's words under it once.
    feedback = out[out.index("-- feedback on a right answer --"):out.index("-- Anki card --")]
    assert "Value" in feedback and "Who says it" in feedback and "In which report" in feedback
    assert feedback.count("The first shells reportedly flew") == 1
    assert out.index("-- feedback on a right answer --") < out.index("-- Anki card --")


def test_anki_card_front_and_back_as_text(bundled):
    q = next(q for q in generate(bundled) if q.id == "attack-start-time.according.newsweek")
    text = anki_card_text(q, "The battle")
    front, back = text.split("[back]\n")
    assert front.startswith("[front]\nThe battle\nAccording to the Newsweek report")
    assert "about 10:30 p.m." in front and "Sources disagree" not in front  # the choices, not the answer
    # the choices again with the right one marked, the answer, then who says what
    assert "\n---\n  - about 10:00 p.m.\n  - about 10:30 p.m. \u2713\n  - 1:00 a.m.\nabout 10:30 p.m.\nSources disagree\n" in back
    assert "\u201cThe first shells reportedly flew around 10:30 p.m.\u201d" in back
    assert back.rstrip().endswith("attack-start-time.according.newsweek")


def test_anki_cloze_card_hides_the_answer_on_the_front(make_bank):
    # The bank generates no cloze of its own (a fact's one restatement is a true/false); a teacher's is a cloze card.
    bank = open_bank(make_bank(questions=(
        "questions:\n  - id: my-cloze\n    fact: start-time\n    type: cloze\n"
        "    prompt: The assault began at about [...].\n    answer: 10:30 p.m.\n")))
    q = next(q for q in generate(bank) if q.id == "my-cloze")
    front, back = anki_card_text(q, "The battle").split("[back]\n")
    assert "[...]" in front and "10:30 p.m." not in front
    answer = back.split("\n---\n")[1]
    assert "10:30 p.m." in answer and "[...]" not in answer
