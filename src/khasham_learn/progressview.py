"""Draws the `stats` report (stats.progress) for a person: accuracy by topic as bars, the reviews
due over the next two weeks as a column chart, the days studied as a calendar strip, and FSRS's
estimate of what would be recalled today.

One layout, two renderings: plain text (piped output, --plain, NO_COLOR, a terminal narrower than
NARROW columns: ASCII bars, nothing but the text) and a terminal one drawn with rich. Both fit the
width they are given, and wrap words whole. rich is imported only here,
and only for the terminal rendering.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .controls import inert
from .stats import describe, percent

if TYPE_CHECKING:
    from rich.console import Console

CHART_HEIGHT = 4  # rows of the forecast chart
MIN_WIDTH = 40
NARROW = 60  # below this, stats draws plain: blocks and a 14-day chart need the room
INDENT = "  "


@dataclass(frozen=True)
class Glyphs:
    """The characters a rendering draws with."""

    right: str  # a topic bar's answered-right part
    rest: str  # the rest of the bar
    levels: str  # a column's top cell, from an eighth full to full; the last is a full cell
    studied: str  # a day with answers in the calendar strip
    idle: str  # a day without


PLAIN = Glyphs(right="#", rest="-", levels="#", studied="#", idle=".")  # whole cells only
BLOCKS = Glyphs(right="█", rest="░", levels="▁▂▃▄▅▆▇█", studied="■", idle="·")


def plain_lines(report: dict[str, Any], width: int) -> list[str]:
    """The report as plain text lines, each at most `width` columns."""
    width = max(width, MIN_WIDTH)
    head, *rest = describe(report)
    if not report["answered"]:
        return wrapped(head, width)
    lines = wrapped(head, width) + wrapped(recall_line(report), width)
    lines += ["", "Accuracy by topic"] + topic_rows(report, width, PLAIN)
    lines += ["", *wrapped(forecast_title(report), width)] + forecast_chart(report, PLAIN, width)
    lines += ["", *wrapped(days_title(report), width)] + calendar_strip(report["recent_days"], PLAIN)
    lines.append("")
    for line in rest:
        lines += wrapped(line, width)
    return lines


def show(report: dict[str, Any], console: Console | None = None) -> None:
    """The report drawn in the terminal with rich, to the console's width."""
    from rich.console import Console
    from rich.text import Text

    console = console or Console(highlight=False)
    width = max(console.width, MIN_WIDTH)
    head, *rest = describe(report)

    def say(line: str, style: str = "") -> None:
        for part in wrapped(line, width):
            console.print(Text(part, style=style, no_wrap=True, overflow="crop"))

    say(head, "bold")
    if not report["answered"]:
        return
    say(recall_line(report))
    sections = [("Accuracy by topic", topic_rows(report, width, BLOCKS)),
                (forecast_title(report), forecast_chart(report, BLOCKS, width)),
                (days_title(report), calendar_strip(report["recent_days"], BLOCKS))]
    for title, rows in sections:
        console.print()
        say(title, "bold")
        for row in rows:
            console.print(_coloured(row))
    console.print()
    for line in rest:
        say(line)


def _coloured(row: str) -> Any:
    """A drawn row with its glyphs coloured; no_wrap, as every row was laid out to fit."""
    from rich.text import Text

    text = Text(row, no_wrap=True, overflow="crop")
    text.highlight_regex(f"[{BLOCKS.right}{BLOCKS.levels}{BLOCKS.studied}]+", "green")
    text.highlight_regex(f"[{BLOCKS.rest}{BLOCKS.idle}]+", "bright_black")
    return text


def recall_line(report: dict[str, Any]) -> str:
    share = report["recall_today"]
    if share is None:
        return "Recall today: no estimate yet (it comes with your first review)."
    return f"Recall today: about {round(100 * share)}% of the questions you have reviewed (FSRS's estimate)."


def topic_rows(report: dict[str, Any], width: int, glyphs: Glyphs) -> list[str]:
    """One row per topic: its title (wrapped whole words), a bar of the share right, and the figures.
    The bar and figures stay on the title's first line."""
    topics = report["by_topic"]
    if not topics:  # every answer was to a question since taken out of the bank
        return [f"{INDENT}No answers to this bank's questions."]
    figures = [f"{t['right']}/{t['answered']} {percent(t['accuracy']):>4}" for t in topics]
    figures_width = max(len(f) for f in figures)
    bar_width = 20 if width >= 80 else 10
    longest = max(len(inert(t["title"])) for t in topics)
    title_width = min(longest, width - len(INDENT) - bar_width - figures_width - 2)
    rows = []
    for topic, figure in zip(topics, figures):
        filled = round(bar_width * (topic["accuracy"] or 0))
        bar = glyphs.right * filled + glyphs.rest * (bar_width - filled)
        if title_width < longest:  # narrow: each title on its own line(s), its bar under it
            rows += wrapped(f"{INDENT}{inert(topic['title'])}", width)
            rows.append(f"{INDENT}{INDENT}{bar} {figure:>{figures_width}}")
            continue
        rows.append(f"{INDENT}{inert(topic['title']):<{title_width}} {bar} {figure:>{figures_width}}")
    return rows


def forecast_title(report: dict[str, Any]) -> str:
    days = len(report["forecast"])
    return f"Reviews due, next {days} days: {sum(report['forecast'])} (today includes any overdue)"


def forecast_chart(report: dict[str, Any], glyphs: Glyphs, width: int | None = None) -> list[str]:
    """A column per day, scaled to the busiest day, with weekday initials and counts under it; in
    weeks one under the other where the days do not fit `width` side by side."""
    counts = report["forecast"]
    if not any(counts):
        return [f"{INDENT}Nothing is scheduled in these days."]
    column = max(3, len(str(max(counts))) + 1)
    today = date.fromisoformat(report["recent_days"][-1]["date"])
    labels = [_weekday(today, offset) for offset in range(len(counts))]
    if width is not None and len(INDENT) + column * len(counts) > width:
        rows: list[str] = []
        for start in range(0, len(counts), 7):
            rows += ([""] if rows else []) + _columns(counts[start:start + 7], labels[start:start + 7],
                                                      max(counts), column, glyphs)
        return rows
    return _columns(counts, labels, max(counts), column, glyphs)


def _columns(counts: list[int], labels: list[str], top: int, column: int, glyphs: Glyphs) -> list[str]:
    eighths = len(glyphs.levels)
    heights = [0 if n == 0 else max(1, round(n / top * CHART_HEIGHT * eighths)) for n in counts]
    rows = []
    for row in range(CHART_HEIGHT, 0, -1):
        floor = (row - 1) * eighths
        cells = []
        for h in heights:
            part = min(eighths, max(0, h - floor))
            cell = "" if part == 0 else (glyphs.levels[-1] if part == eighths else glyphs.levels[part - 1])
            cells.append((cell * (column - 1)).ljust(column))
        rows.append((INDENT + "".join(cells)).rstrip())
    rows.append(INDENT + "".join(label.ljust(column) for label in labels).rstrip())
    rows.append(INDENT + "".join(str(n).ljust(column) for n in counts).rstrip())
    return rows


def _weekday(today: date, offset: int) -> str:
    return (today + timedelta(days=offset)).strftime("%a")[:2]


def days_title(report: dict[str, Any]) -> str:
    streak, studied = report["streak"], report["days_studied"]
    return f"Days studied: {studied} in all; streak: {streak} day{'s' * (streak != 1)}"


def calendar_strip(days: list[dict[str, Any]], glyphs: Glyphs) -> list[str]:
    """The recent days, a character each, grouped by week ending today, with the first date under."""
    marks = [glyphs.studied if d["answers"] else glyphs.idle for d in days]
    weeks = [marks[max(0, end - 7):end] for end in range(len(marks), 0, -7)][::-1]
    strip = " ".join("".join(week) for week in weeks)
    first = date.fromisoformat(days[0]["date"])
    start = f"{first.day} {first:%b}"
    return [INDENT + strip, INDENT + start + "today".rjust(len(strip) - len(start))]


def wrapped(line: str, width: int) -> list[str]:
    """A line wrapped to `width` on whole words; continuation lines indented past the line's own indent."""
    line = inert(line)
    indent = line[:len(line) - len(line.lstrip())]
    return textwrap.wrap(line, width, subsequent_indent=indent + "  ", break_long_words=False,
                         break_on_hyphens=False) or [""]

