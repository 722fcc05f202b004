from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("KHASHAM_LEARN_SEEDS", REPO.parent / "shared" / "seeds"))

REPORT_A = "Report A says the attack began at around 10:00 PM. About 500 fighters attacked. It was a Wednesday."
REPORT_B = "Report B: the first shells flew around 10:30 p.m., the Times said. More than 500 fighters came."

SOURCES_YAML = """\
sources:
  - id: report-a
    label: report A
    headline: Report A
    file: a.txt
    kind: news report
  - id: report-b
    label: report B
    headline: Report B
    file: b.txt
    kind: news report
"""

# A third report, for what needs more than two (counting the reports that give a figure).
THREE_SOURCES = SOURCES_YAML + """\
  - id: report-c
    label: report C
    headline: Report C
    file: c.txt
    kind: news report
"""

START_TIME_FACT = """\
title: The battle
facts:
  - id: start-time
    prompt: When did the attack begin?
    statement: The attack began at {answer}.
    kind: time
    claims:
      - source: report-a
        value: about 22:00
        quote: "the attack began at around 10:00 PM"
      - source: report-b
        value: about 22:30
        quote: "the first shells flew around 10:30 p.m."
        attributed_to: the Times
  - id: attackers
    prompt: How many fighters attacked?
    statement: "{answer} fighters attacked."
    kind: number
    claims:
      - source: report-a
        value: about 500
        quote: About 500 fighters attacked.
      - source: report-b
        value: more than 500
        quote: More than 500 fighters came.
"""


@pytest.fixture(autouse=True)
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test, and every program a test starts, keeps its progress in its own temporary store,
    never in the user's data folder."""
    path = tmp_path / "store" / "progress.sqlite3"
    monkeypatch.setenv("KHASHAM_LEARN_STORE", str(path))
    monkeypatch.setenv("KHASHAM_LEARN_CACHE", str(tmp_path / "cache"))  # nor in the user's cache
    return path


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):
    """Local time is UTC, so days and clock times read the same on every machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def make_bank(tmp_path: Path) -> Callable[..., Path]:
    """Write a small bank: sources A and B with their texts, plus the given topic files."""

    def make(facts: dict[str, str] | None = None, questions: str | None = None, sources: str = SOURCES_YAML) -> Path:
        root = tmp_path / "bank"
        (root / "facts").mkdir(parents=True, exist_ok=True)
        (root / "sources.yaml").write_text(sources, encoding="utf-8")
        for name, text in (facts if facts is not None else {"battle": START_TIME_FACT}).items():
            (root / "facts" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        if questions is not None:
            (root / "questions.yaml").write_text(textwrap.dedent(questions), encoding="utf-8")
        texts = tmp_path / "texts"
        texts.mkdir(exist_ok=True)
        (texts / "a.txt").write_text(REPORT_A, encoding="utf-8")
        (texts / "b.txt").write_text(REPORT_B, encoding="utf-8")
        return root

    return make


@pytest.fixture
def texts_dir(tmp_path: Path) -> Path:
    return tmp_path / "texts"


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the reports' texts are not at {SEEDS} (set KHASHAM_LEARN_SEEDS to check quotes)")
    return SEEDS


@pytest.fixture
def bundled():
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    return open_bank(bundled_bank())


@pytest.fixture(params=["libyaml", pytest.param("pure-python", marks=pytest.mark.slow)])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test under both of PyYAML's parsers: which one pip installs (a wheel with libyaml,
    and which libyaml, or the pure-Python fallback) must not change a result. The hostile suites
    use it on every test (`pytestmark = pytest.mark.usefixtures("parser")`)."""
    from khasham_learn import yamlread

    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            pytest.skip("this PyYAML is built without libyaml")
    else:
        monkeypatch.setattr(yamlread, "_Loader", yamlread._PythonLoader)
    return str(request.param)


@pytest.fixture
def chromium() -> str:
    """Headless Chromium's path, for the tests that print or render HTML. Without it they skip (a
    fresh machine with only Python), except where KHASHAM_LEARN_NEED_CHROMIUM is set, as CI sets it,
    so that a missing browser there fails rather than quietly skipping."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        if os.environ.get("KHASHAM_LEARN_NEED_CHROMIUM"):
            pytest.fail("Chromium is not installed, and KHASHAM_LEARN_NEED_CHROMIUM says the run needs it")
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    return found
