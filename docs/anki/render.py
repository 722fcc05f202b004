"""Screens of the Anki deck as a learner sees it: `python docs/anki/render.py`.

Builds the bundled bank's deck, imports it into a scratch collection with Anki's own backend
(the `anki` package, installed with `pip install -e '.[test]'`), renders a disputed card and a
multi-select card, front and back, with the note type's CSS, and photographs each in headless
Chromium at 800 and 390 px wide, by day and by night, into docs/anki/*.png. It also measures every
disputed card's back at 390 px and prints the tallest, against two phone screens (2 x 844 px).

Chromium is /usr/bin/chromium unless CHROMIUM names another.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WIDTHS = (800, 390)
PHONE_SCREEN = 844  # an iPhone 12-15's height in CSS pixels, at 390 wide
# The screens: a name, the question id. The disputed card is the fact with the most claims.
SCREENS = {"disputed": "pro-government-killed.direct", "multi-select": "place-name-spellings"}
# What Anki's reviewer puts where the backend leaves [[type:...]]: an answer box on the front,
# the comparison on the back (shown here as if typed right).
_TYPE_BOX = re.compile(r"\[\[type:(\w+)\]\]")


@dataclass(frozen=True)
class Rendered:
    question_id: str
    front: str
    back: str
    disputed: bool


def render_cards(workdir: Path) -> dict[str, Rendered]:
    """Every card of the bundled bank's deck, rendered by Anki's backend after a real import."""
    from anki.collection import Collection
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    from khasham_learn.exports import ExportJob
    from khasham_learn.exports import anki as anki_export
    from khasham_learn.generation import generate
    from khasham_learn.loading import open_bank
    from khasham_learn.paths import bundled_bank

    bank = open_bank(bundled_bank())
    deck = workdir / "deck.apkg"
    anki_export.export(ExportJob(bank, generate(bank), deck, 0))
    col = Collection(str(workdir / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(deck)))
        out = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            note = card.note()
            qid = note[f"Id{card.ord + 1}"]
            answer = html.unescape(note[f"Type{card.ord + 1}"])
            out[qid] = Rendered(qid, _typed(card.question(), None), _typed(card.answer(), answer),
                                bool(note["Disputed"]))
        return out
    finally:
        col.close()


def _typed(markup: str, answer: str | None) -> str:
    if answer is None:
        box = '<input type="text" id="typeans" placeholder="type answer here">'
    else:
        box = f'<code id="typeans"><span class="typeGood">{html.escape(answer)}</span></code>'
    return _TYPE_BOX.sub(box, markup)


def page(body: str, night: bool) -> str:
    """The card as Anki's reviewer lays it out: <body class="card ..."> (nightMode by night)."""
    classes = "card card1" + (" nightMode night_mode" if night else "")
    return ("<!doctype html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<style>body { margin: 0; padding: 12px 0 20px; } #typeans { font-family: inherit; }"
            " .typeGood { background: #afa; color: black; }</style></head>"
            f"<body class='{classes}'><div id='qa'>{body}</div></body></html>")


def measure(pages: dict[str, str], width: int, workdir: Path) -> dict[str, int]:
    """Each page's height at `width`, from one Chromium run: the pages sit in iframes of that width."""
    frames = "".join(f"<iframe id='{html.escape(k)}' style='width:{width}px;border:0;display:block' "
                     f"srcdoc=\"{html.escape(v)}\"></iframe>" for k, v in pages.items())
    script = ("<script>window.addEventListener('load', () => { const h = {};"
              " for (const f of document.querySelectorAll('iframe')) h[f.id] = f.contentDocument.documentElement.scrollHeight;"
              " document.getElementById('out').textContent = JSON.stringify(h); });</script>")
    path = workdir / f"measure-{width}.html"
    path.write_text(f"<!doctype html><html><body>{frames}<pre id='out'></pre>{script}</body></html>", encoding="utf-8")
    dom = _chromium(["--dump-dom", "--virtual-time-budget=5000", f"--window-size={width},900", path.as_uri()])
    found = re.search(r"<pre id=\"out\">(.*?)</pre>", dom, re.S)
    if not found or not found.group(1).strip():
        raise SystemExit("Chromium gave no measurements")
    return {k: int(v) for k, v in json.loads(html.unescape(found.group(1))).items()}


def screenshot(markup: str, width: int, height: int, out: Path, workdir: Path) -> None:
    path = workdir / f"{out.stem}.html"
    path.write_text(markup, encoding="utf-8")
    _chromium([f"--screenshot={out}", f"--window-size={width},{height}", "--hide-scrollbars", path.as_uri()])


def _chromium(args: list[str]) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--force-device-scale-factor=1", "--default-background-color=00000000", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise SystemExit(f"chromium failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="khasham-anki-screens-") as tmp:
        workdir = Path(tmp)
        cards = render_cards(workdir)
        shots = {f"{name}-{side}-{'night' if night else 'light'}": page(getattr(cards[qid], side), night)
                 for name, qid in SCREENS.items() for side in ("front", "back") for night in (False, True)}
        for width in WIDTHS:
            heights = measure(shots, width, workdir)
            for key, markup in shots.items():
                screenshot(markup, width, heights[key], HERE / f"{key}-{width}.png", workdir)
                print(f"docs/anki/{key}-{width}.png  {width} x {heights[key]} px")
        disputed = {c.question_id: page(c.back, False) for c in cards.values() if c.disputed}
        backs = measure(disputed, 390, workdir)
        tallest = max(backs, key=backs.__getitem__)
        print(f"{len(backs)} disputed backs at 390 px: the tallest, {tallest}, is {backs[tallest]} px; "
              f"two phone screens are {2 * PHONE_SCREEN} px")
        return 0 if backs[tallest] <= 2 * PHONE_SCREEN else 1


if __name__ == "__main__":
    sys.exit(main())
