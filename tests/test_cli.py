"""The command line, through click's runner and through the installed console script."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from khasham_learn import __version__
from khasham_learn.cli import cli

from conftest import START_TIME_FACT


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, env=None):
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def test_check_bundled_bank(run):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "ok: no problems" in result.output


def test_check_with_sources(run, seeds):
    result = run("check", "--sources", str(seeds))
    assert result.exit_code == 0, result.output
    assert "quotes checked" in result.output


def test_check_reports_problems_exit_1(run, make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("kind: time", "kind: clock")})
    result = run("check", "--bank", str(root))
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.endswith("battle.yaml:6:11: error: unknown kind 'clock' (did you mean 'time'?); use one of: number, time, date, weekday, duration, name, list, choice, text; the claims' values are checked once the kind is fixed")


def test_check_json(run, make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("kind: time", "kind: clock")})
    data = json.loads(run("check", "--bank", str(root), "--json").output)
    assert data["errors"] == 1
    assert data["problems"][0]["line"] == 6 and data["problems"][0]["column"] == 11


def test_missing_bank_is_one_line_exit_2(run, tmp_path):
    result = run("check", "--bank", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"khasham-learn: error: the bank folder {tmp_path / 'nope'} does not exist"]


def test_other_commands_refuse_a_broken_bank_in_one_line(run, make_bank):
    root = make_bank({"battle": START_TIME_FACT.replace("kind: time", "kind: clock")})
    result = run("facts", "--bank", str(root))
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "unknown kind 'clock'" in result.output


def test_bank_from_environment(run, make_bank):
    root = make_bank()
    data = json.loads(run("facts", "--json", env={"KHASHAM_LEARN_BANK": str(root)}).output)
    assert [f["id"] for f in data] == ["start-time", "attackers"]


def test_facts_json_shape(run):
    data = json.loads(run("facts", "--json").output)
    assert len(data) >= 100
    for fact in data:
        assert {"id", "topic", "prompt", "kind", "disputed", "note", "claims"} <= set(fact)
        assert isinstance(fact["disputed"], bool)
        assert fact["note"] is None or isinstance(fact["note"], str)
        for claim in fact["claims"]:
            assert {"source", "value", "quote", "attributed_to"} <= set(claim)
    assert sum(len(f["claims"]) for f in data) >= 300


def test_questions_json_shape(run):
    data = json.loads(run("questions", "--json").output)
    for q in data:
        assert {"id", "type", "prompt", "answer", "accepted", "fact", "topic", "tags", "disputed", "note", "sources"} <= set(q)
        assert all(" " not in tag for tag in q["tags"])
    choice = next(q for q in data if q["type"] == "choice")
    assert "choices" in choice


def test_listings_filter_by_topic(run):
    result = run("facts", "--topic", "casualties")
    assert "== Casualties ==" in result.output and "== The battle ==" not in result.output
    result = run("questions", "--topic", "battle", "--type", "numeric")
    assert "attack-start-time.direct (numeric) [disputed]" in result.output


def test_no_color_is_honoured(run):
    result = CliRunner().invoke(cli, ["facts", "--disputed"], env={"NO_COLOR": "1"}, color=True)
    assert "\x1b[" not in result.output
    result = CliRunner().invoke(cli, ["facts", "--disputed"], color=True)
    assert "\x1b[" in result.output


def test_version_and_help(run):
    assert run("--version").output.strip() == f"khasham-learn, version {__version__}"
    assert "Examples:" in run("check", "--help").output


HEAVY = ("yaml", "sqlite3", "questionary", "prompt_toolkit", "genanki", "fsrs", "jsonschema", "rich", "shutil")


def modules_loaded_by(*args: str) -> set[str]:
    code = (f"import sys; from khasham_learn.cli import main; sys.argv = ['khasham-learn', *{list(args)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint(' '.join(sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, input="")
    return set(result.stderr.split())


def test_top_level_help_loads_no_command_and_nothing_heavy():
    loaded = modules_loaded_by("--help")
    assert "khasham_learn.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY or m.startswith("khasham_learn.commands.")}


def test_a_commands_help_loads_its_module_only():
    # quiz --help lists the bank's topics: the first reads the bank (and fills the cache), as the
    # first quiz would; on an unchanged bank, no YAML parser is loaded for them.
    modules_loaded_by("quiz", "--help")
    loaded = modules_loaded_by("quiz", "--help")
    assert "khasham_learn.commands.study" in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY[:-1]}  # click's own help may use shutil here
    assert "khasham_learn.commands.teach" not in loaded


def test_only_stats_drawing_in_a_terminal_loads_rich():
    # (stdout is a pipe here: stats prints its plain rendering)
    for args in (["stats"], ["stats", "--json"], ["quiz", "--plain", "--count", "1"], ["review", "--plain"]):
        assert not {m for m in modules_loaded_by(*args) if m.split(".")[0] == "rich"}, args


def test_a_quiz_on_an_unchanged_bank_loads_no_yaml_parser():
    modules_loaded_by("quiz", "--plain", "--count", "1", "--topic", "battle")  # fills the cache
    loaded = modules_loaded_by("quiz", "--plain", "--count", "1", "--topic", "battle")
    assert "khasham_learn.quiz" in loaded and "khasham_learn.cache" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("yaml", "genanki", "jsonschema")}


def test_every_command_is_listed_and_every_listing_is_a_command():
    import importlib
    import pkgutil

    import click

    from khasham_learn import commands
    from khasham_learn.cli import COMMANDS

    defined = {}
    for module in pkgutil.iter_modules(commands.__path__):
        loaded = importlib.import_module(f"khasham_learn.commands.{module.name}")
        for attr, value in vars(loaded).items():
            if isinstance(value, click.Command):
                defined[value.name] = (module.name, attr)
    assert defined == {name: (e.module, e.function) for name, e in COMMANDS.items()}
    assert all(len(e.summary) <= 60 for e in COMMANDS.values())
    listing = CliRunner().invoke(cli, ["--help"]).output.split("Options:")[1]
    assert "..." not in listing and all(f"\n  {name} " in listing for name in COMMANDS)


def test_shell_completion_after_an_unknown_word_offers_options_quietly():
    env = {**os.environ, "_KHASHAM_LEARN_COMPLETE": "bash_complete", "COMP_WORDS": "khasham-learn nope --", "COMP_CWORD": "2"}
    code = "from khasham_learn.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "plain,--help" in result.stdout.splitlines()
    env["COMP_WORDS"], env["COMP_CWORD"] = "khasham-learn qu", "1"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == ["plain,quiz", "plain,questions"]  # the table's order


def test_an_unknown_command_suggests_the_nearest(run):
    result = CliRunner().invoke(cli, ["quizz"])
    assert result.exit_code == 2 and "No such command 'quizz'. Did you mean 'quiz'?" in result.output


def console_script() -> str:
    candidate = Path(sys.executable).parent / "khasham-learn"
    found = str(candidate) if candidate.exists() else shutil.which("khasham-learn")
    if not found:
        pytest.skip("the khasham-learn console script is not installed (install with pip as README.md says)")
    return found


def test_installed_script_works_from_any_directory(tmp_path, seeds):
    script = console_script()
    env = {k: v for k, v in os.environ.items() if k not in ("KHASHAM_LEARN_BANK", "PYTHONPATH")}
    result = subprocess.run([script, "check", "--sources", str(seeds)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    result = subprocess.run([script, "facts", "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert len(json.loads(result.stdout)) >= 100


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "khasham_learn", "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout


def test_script_error_is_one_line_without_traceback(tmp_path):
    script = console_script()
    (tmp_path / "facts").mkdir()
    (tmp_path / "sources.yaml").write_text("sources: [\n")
    result = subprocess.run([script, "facts", "--bank", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
