"""What a loaded bank must hold beyond its files' format: unique ids, sound facts and declarations,
teachers' edits of questions that exist, and (given the reports) verbatim quotes. Loading runs it
to open a bank; `check` runs it to list every problem."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .bankfiles import present
from .bulk import cycle_collection_paused
from .errors import Position, Problem, UnusableInput
from .model import KINDS, Bank, Declared, Fact, Source
from .paths import shown_path
from .values import parse_value
from .yamlread import did_you_mean, read_text

NEW_ONLY_FIELDS = ("fact", "answer", "accepted", "choices")


class _Unchecked:
    """References that point into a file that failed to load: not reported one by one (they may
    well be right), but as one line per file holding them, saying why they were not checked. Only
    a reference whose id the failed file's text holds: any other is reported as unknown."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], tuple[Position, int]] = {}  # (file, message) -> first, count
        self._texts: dict[str, str | None] = {}

    def might_hold(self, ident: str, files: tuple[str, ...]) -> bool:
        """Whether `ident` could be defined in one of `files`, which failed to load: its text has
        it. One that does not cannot define it, so a reference to it is reported as unknown."""
        for name in files:
            if name not in self._texts:
                try:  # read as loading reads it: a regular file within the size cap
                    self._texts[name] = read_text(Path(name), name)
                except (UnusableInput, OSError):
                    self._texts[name] = None  # unreadable: anything may be in it
            text = self._texts[name]
            if text is None or ident in text:
                return True
        return False

    def add(self, where: Position, what: str, files: tuple[str, ...]) -> None:
        """what: the references, with {count} for how many ("the sources of {count} claim(s)")."""
        message = f"{what} not checked because {' and '.join(files)} failed to load"
        first, count = self.found.get((where.file, message), (where, 0))
        self.found[(where.file, message)] = (min(first, where), count + 1)

    def problems(self) -> list[Problem]:
        return [Problem(first, message.format(count=count), "warning") for (_, message), (first, count) in self.found.items()]


def _all_facts(bank: Bank) -> tuple[Fact, ...]:
    """The bank's facts and those read with an error (see Gaps.facts), for what check checks of both."""
    return bank.facts + bank.gaps.facts


@cycle_collection_paused()
def check_loaded(bank: Bank) -> list[Problem]:
    problems: list[Problem] = []
    unchecked = _Unchecked()
    problems += _duplicate_ids(bank)
    twice = _ids_used_twice(bank)
    for fact in _all_facts(bank):
        problems += list(_check_fact(fact, bank, unchecked, twice))
    problems += list(_check_edits(bank, unchecked, twice))
    problems += list(_check_event_order(bank, unchecked, twice))
    if not bank.gaps.facts_files:  # a claim in a file that failed to load may cite it
        cited = {c.source for f in _all_facts(bank) for c in f.claims}
        for source in bank.sources.values():
            if source.id not in cited:
                problems.append(Problem(source.position, f"source '{source.id}' is not cited by any claim", "warning"))
    return problems + unchecked.problems()


def _duplicate_ids(bank: Bank) -> list[Problem]:
    problems = []
    seen: dict[str, Position] = {}
    for item in sorted(_all_facts(bank), key=lambda f: f.position):  # source ids are checked as they are read
        if not item.id:
            continue
        if item.id in seen:
            problems.append(Problem(item.position, f"the fact id '{item.id}' is already used at {seen[item.id]}"))
        else:
            seen[item.id] = item.position
    seen.clear()
    for edit in bank.edits:
        if edit.id in seen:
            problems.append(Problem(edit.position, f"question '{edit.id}' already appears at {seen[edit.id]}; merge the two"))
        else:
            seen[edit.id] = edit.position
    return problems


def _ids_used_twice(bank: Bank) -> set[str]:
    """Fact ids given to more than one fact. A reference to one (date_fact, after, a question's fact
    or id) could mean either, so it is not checked: the duplicate is the error, reported alone."""
    seen: set[str] = set()
    twice: set[str] = set()
    for fact in _all_facts(bank):
        (twice if fact.id in seen else seen).add(fact.id)
    return twice


def _check_fact(fact: Fact, bank: Bank, unchecked: _Unchecked, twice: set[str]) -> Iterator[Problem]:
    for claim in fact.claims:
        if not claim.source or claim.source in bank.sources or claim.source in bank.gaps.sources:
            continue
        if bank.gaps.sources_file:
            unchecked.add(claim.position, "the sources of {count} claim(s) in this file are", (bank.gaps.sources_file,))
        else:
            yield Problem(claim.position, f"unknown source '{claim.source}'{did_you_mean(claim.source, bank.sources)}")
    if fact.kind not in KINDS:
        return  # reported where it was read: the values cannot be read without their kind
    if fact.kind == "choice" and len(fact.alternatives) < 2:
        yield Problem(fact.position, f"fact '{fact.id}' is a choice: list at least two 'alternatives'")
    if fact.alternatives and fact.kind != "choice":
        yield Problem(fact.position, f"'alternatives' only apply to facts of kind choice, and '{fact.id}' is a {fact.kind}", "warning")
    if fact.date_fact and fact.kind != "weekday":
        yield Problem(fact.position, f"'date_fact' only applies to weekday facts, and '{fact.id}' is a {fact.kind}", "warning")
    if fact.kind == "weekday" and not fact.date_fact and "date_fact" not in fact.misspelt:
        yield Problem(fact.position, f"weekday fact '{fact.id}' has no 'date_fact' to check the weekday against", "warning")
    if fact.date_fact and fact.date_fact not in twice:
        target = next((f for f in _all_facts(bank) if f.id == fact.date_fact), None)
        if target is None and unchecked.might_hold(fact.date_fact, bank.gaps.facts_files):
            unchecked.add(fact.position, "{count} date_fact(s) in this file are", bank.gaps.facts_files)
        elif target is None:
            ids = [f.id for f in bank.facts if f.kind == "date"]
            yield Problem(fact.position, f"date_fact '{fact.date_fact}' is not a fact in this bank{did_you_mean(fact.date_fact, ids)}")
        elif target.kind != "date" and target.kind in KINDS:
            yield Problem(fact.position, f"date_fact '{fact.date_fact}' is a {target.kind} fact, not a date")
    qualified = {bool(c.qualifier) for c in fact.claims}
    if len(qualified) > 1:
        yield Problem(fact.position, f"some claims of '{fact.id}' have a qualifier and some do not; give each one, so like is compared with like", "warning")
    alternatives = {a.strip().casefold() for a in fact.alternatives}
    for claim in fact.claims:
        where = claim.position
        if claim.value == "":
            continue  # could not be read: reported where it was read
        try:
            value = parse_value(fact.kind, claim.value)
        except ValueError as exc:
            yield Problem(claim.value_position or where, str(exc))
            continue
        if fact.kind == "choice" and alternatives and value.display.casefold() not in alternatives:
            yield Problem(claim.value_position or where, f"'{value.display}' is not one of the alternatives: {', '.join(fact.alternatives)}")
    yield from _check_declarations(fact)


def _check_event_order(bank: Bank, unchecked: _Unchecked, twice: set[str]) -> Iterator[Problem]:
    """Each `after` names a fact with an event, and no chain of them comes back to where it began."""
    # an id used twice is left out: a chain through it is not followed, as it may mean either fact
    facts = {f.id: f for f in _all_facts(bank) if f.id not in twice}
    for fact in _all_facts(bank):
        if fact.after is None or fact.after.text in twice:
            continue
        target = facts.get(fact.after.text)
        if target is None and unchecked.might_hold(fact.after.text, bank.gaps.facts_files):
            unchecked.add(fact.after.position, "{count} 'after'(s) in this file are", bank.gaps.facts_files)
            continue
        if target is None:
            ids = [f.id for f in bank.facts if f.event]
            yield Problem(fact.after.position, f"after: '{fact.after.text}' is not a fact in this bank{did_you_mean(fact.after.text, ids)}")
            continue
        if not target.event:
            yield Problem(fact.after.position, f"after: '{target.id}' has no event on the timeline; give it an 'event' too")
        if fact.kind == target.kind == "date" and _dated_before(fact, target):  # (a claim not read has no value)
            yield Problem(fact.after.position, f"after: every report dates '{fact.id}' before '{target.id}', which it is said to follow")
        seen = [fact.id]
        while target is not None and target.after is not None and target.id not in seen:
            seen.append(target.id)
            target = facts.get(target.after.text)
        if target is not None and target.id == fact.id:
            yield Problem(fact.after.position, f"after: the events come round in a circle ({' after '.join([*seen, fact.id])})")
        elif target is not None and target.id in seen:
            continue  # a circle further along: reported at one of its own facts


def _dated_before(fact: Fact, target: Fact) -> bool:
    """Every claim of `fact` ends before any claim of `target` begins (a clock's times, which run
    round midnight, are left to the ordering)."""
    def spans(f: Fact) -> list[tuple[float, float]]:
        out = []
        for claim in f.claims:
            try:
                value = parse_value(f.kind, claim.value)
            except ValueError:
                continue  # reported at the claim
            if value.low is not None and value.high is not None:
                out.append((value.low, value.high))
        return out

    mine, theirs = spans(fact), spans(target)
    return bool(mine and theirs) and max(h for _, h in mine) < min(low for low, _ in theirs)


def _check_declarations(fact: Fact) -> Iterator[Problem]:
    """Each value in `contradicts` and `same` is one a claim gives; no pair is declared both ways."""
    from .disagreement import declarations_of, declared_value, match_key

    given: dict[str, str] = {}  # comparable key -> the value as a claim gives it
    for claim in fact.claims:
        try:
            value = parse_value(fact.kind, claim.value)
        except ValueError:
            continue
        if value.kind == "list":
            given.update({match_key(declared_value(fact.kind, item)): item for item in value.items})
        else:
            given.setdefault(match_key(value), value.display)

    def key(declared: Declared) -> tuple[str | None, Problem | None]:
        """The comparable key of a declared value, or why it has none a claim gives."""
        try:
            k = match_key(declared_value(fact.kind, declared.text))
        except ValueError as exc:
            return None, Problem(declared.position, str(exc))
        if k not in given:
            what = "item" if fact.kind == "list" else "value"
            hint = did_you_mean(declared.text, list(given.values()))
            return None, Problem(declared.position, f"no claim of '{fact.id}' gives the {what} '{declared.text}'{hint}; declare only values its claims give")
        return k, None

    for same in fact.same:
        keys: set[str] = set()
        for declared in same.values:
            found, problem = key(declared)
            if problem is not None:
                yield problem
            elif found in keys:
                yield Problem(declared.position, f"'{declared.text}' is already in this entry of same", "warning")
            elif found is not None:
                keys.add(found)
    same_groups = declarations_of(fact)
    for entry in fact.contradicts:
        sides: tuple[dict[str, Declared], dict[str, Declared]] = ({}, {})
        for side, values in zip(sides, (entry.one, entry.other)):
            for declared in values:
                found, problem = key(declared)
                if problem is not None:
                    yield problem
                elif found is not None:
                    side[found] = declared
        one_side, other_side = sides
        for k, declared in other_side.items():
            if k in one_side:
                yield Problem(declared.position, f"'{declared.text}' is on both sides of this contradiction: a value cannot contradict itself")
        for a, one in one_side.items():
            for b, other in other_side.items():
                if a == b:
                    continue
                if same_groups.group(a) == same_groups.group(b):
                    yield Problem(other.position, f"'{one.text}' and '{other.text}' are declared both the same and contradicting; keep one")
                elif fact.kind == "choice":
                    yield Problem(other.position, f"'{one.text}' and '{other.text}' are different alternatives, which contradict without being declared", "warning")


def _check_edits(bank: Bank, unchecked: _Unchecked, twice: set[str]) -> Iterator[Problem]:
    from .generation import generated_ids

    if not bank.edits:  # nothing to check against the generated bank, so do not generate it
        return
    generated = generated_ids(bank, near=[e.id for e in bank.edits])
    facts = {f.id for f in bank.facts}
    flawed = {f.id for f in bank.gaps.facts}  # their errors are reported; no question is made from them
    for edit in bank.edits:
        where = edit.positions
        if not edit.is_new:
            fact_id = edit.id.rsplit(".", 1)[0]
            if edit.id in generated or fact_id in flawed or fact_id in twice:
                pass
            elif fact_id not in facts and unchecked.might_hold(fact_id, bank.gaps.facts_files):
                unchecked.add(edit.position, "the facts of {count} question(s) in this file are", bank.gaps.facts_files)
            else:
                hint = did_you_mean(edit.id, generated_ids(bank))  # only now is every id needed
                yield Problem(edit.position, f"no generated question '{edit.id}' to change{hint}; to add a question of your own, give it a 'type'")
            for key in NEW_ONLY_FIELDS:
                if key in where:
                    yield Problem(where[key], f"'{key}' can only be set on a question of your own (one with a 'type'); a generated question takes it from its fact")
            continue
        if edit.id in generated:
            yield Problem(edit.position, f"'{edit.id}' is a generated question's id; pick another id for a new question, or drop 'type' to change the generated one")
        if not edit.fact:
            yield Problem(edit.position, f"question '{edit.id}' needs a 'fact': the fact whose sources back its answer")
        elif edit.fact in flawed or edit.fact in twice:
            pass
        elif edit.fact not in facts and unchecked.might_hold(edit.fact, bank.gaps.facts_files):
            unchecked.add(where.get("fact", edit.position), "the facts of {count} question(s) in this file are", bank.gaps.facts_files)
        elif edit.fact not in facts:
            yield Problem(where.get("fact", edit.position), f"unknown fact '{edit.fact}'{did_you_mean(edit.fact, facts)}")
        for key in ("prompt", "answer"):
            if key not in where:
                yield Problem(edit.position, f"question '{edit.id}' is missing '{key}'")
        if edit.type in ("choice", "multi", "which_report") and len(edit.choices) < 2:
            yield Problem(where.get("choices", edit.position), f"a {edit.type} question needs at least two 'choices'")
        if edit.choices and edit.answer is not None:
            wanted = [edit.answer, *edit.accepted] if edit.type == "multi" else [edit.answer]
            folded = {c.strip().casefold() for c in edit.choices}
            for answer in wanted:
                if answer.strip().casefold() not in folded:
                    yield Problem(where.get("answer", edit.position), f"the answer '{answer}' is not one of the choices")
        if edit.type == "true_false" and edit.answer and edit.answer.strip().lower() not in ("true", "false"):
            yield Problem(where.get("answer", edit.position), "a true_false question's answer is True or False")


def _norm(text: str) -> str:
    return " ".join(text.split())


def check_quotes(bank: Bank, sources_dir: Path) -> list[Problem]:
    """Every claim's quote must appear verbatim (whitespace normalised) in its report, outside captions."""
    if not sources_dir.is_dir():
        what = "is not a folder" if sources_dir.exists() else "does not exist"
        raise UnusableInput(f"the sources folder {shown_path(sources_dir)} {what}")
    problems: list[Problem] = []
    bodies: dict[str, tuple[str, str]] = {}
    for source in bank.sources.values():
        path = sources_dir / source.file
        if not present(path):
            problems.append(_missing_text(bank, source, sources_dir))
            continue
        try:
            text = _norm(read_text(path, shown_path(path)))
        except UnusableInput as exc:  # a folder, FIFO, device, loop, unreadable or oversized file
            problems.append(Problem(exc.position or source.position, exc.message))
            continue
        body = text
        for caption in source.captions:
            if _norm(caption) not in text:
                problems.append(Problem(source.position, f"caption not found in {source.file}: '{_short(caption)}'"))
            # A separator no quote contains, so a quote can neither come from nor span a caption.
            body = body.replace(_norm(caption), "\x00")
        bodies[source.id] = (text, body)
    for fact in _all_facts(bank):
        for claim in fact.claims:
            if claim.source not in bodies or not claim.quote:
                continue
            text, body = bodies[claim.source]
            quote = _norm(claim.quote)
            where = claim.quote_position or claim.position
            if quote in body:
                continue
            if quote in text:
                problems.append(Problem(where, "this quote comes from a photo caption, and captions are not claims"))
                continue
            problems.append(Problem(where, _mismatch(quote, body, bank.sources[claim.source].file)))
    return problems


def _missing_text(bank: Bank, source: Source, sources_dir: Path) -> Problem:
    """One error for a report text that is not there, at its `file:` line: none of its quotes can
    be checked, and a misspelt file name would otherwise hide every wrong quote of the report."""
    quotes = sum(1 for f in _all_facts(bank) for c in f.claims if c.source == source.id and c.quote)
    try:
        names = [entry.name for entry in os.scandir(sources_dir) if entry.is_file()]
    except OSError:
        names = []  # the folder's listing only feeds the hint
    unchecked = f"the {quotes} quote(s) of '{source.id}' are not checked" if quotes else f"no claim quotes '{source.id}' yet"
    return Problem(source.file_position or source.position,
                   f"report text {source.file} not found in {shown_path(sources_dir)}: {unchecked}{did_you_mean(source.file, names)}")


def _mismatch(quote: str, text: str, file: str) -> str:
    """Say where a quote stops matching, so a teacher can fix one character rather than hunt."""
    low, high = 0, len(quote)
    while low < high:  # the longest prefix of the quote found in the text
        mid = (low + high + 1) // 2
        if quote[:mid] in text:
            low = mid
        else:
            high = mid - 1
    if low < 8:
        return f"quote not found in {file}: '{_short(quote)}'"
    start = text.find(quote[:low])
    theirs = text[start + low : start + low + 12]
    return (
        f"quote differs from {file} after '{_short(quote[:low], tail=True)}': "
        f"the report has '{theirs}', the quote has '{quote[low:low + 12]}'"
    )


def _short(text: str, tail: bool = False) -> str:
    if len(text) <= 40:
        return text
    return "..." + text[-37:] if tail else text[:37] + "..."


