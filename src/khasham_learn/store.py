"""The progress store: every answer a learner gives, and the schedule of each question, in SQLite.

Progress hangs off question ids only, so a teacher's rewording keeps it. Each answer is committed
(and synced) before its feedback is shown: an answer the learner saw acknowledged survives Ctrl-C,
a killed process and a power cut. WAL mode and a busy timeout let two quizzes share one store.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import UnusableInput

SCHEMA_VERSION = 2  # 2: answers.overridden (the student overruled the grader)
APPLICATION_ID = 0x4B484C4E  # "KHLN": marks the file as ours, so we never adopt someone else's database
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"
_APPLICATION_ID_OFFSET = 68  # where the SQLite file header keeps PRAGMA application_id (big-endian)
_ANSWER_COLUMNS = ("id", "question_id", "answered_at", "given", "correct", "seconds", "mode", "rating", "overridden")
_VERSION_1_ANSWER_COLUMNS = _ANSWER_COLUMNS[:-1]
STORE_ENV = "KHASHAM_LEARN_STORE"

# What a version 1 store needs to become version 2: every answer it holds is kept, none overruled.
_MIGRATE_FROM_1 = "ALTER TABLE answers ADD COLUMN overridden INTEGER NOT NULL DEFAULT 0;"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    question_id TEXT NOT NULL,
    answered_at TEXT NOT NULL,     -- ISO 8601, UTC
    given TEXT NOT NULL,           -- JSON: a string, or a list for several answers or an order
    correct INTEGER NOT NULL,      -- counts as right: the grader said so, or the student overruled it
    seconds REAL NOT NULL,
    mode TEXT NOT NULL,            -- 'quiz' (practice) or 'review' (scheduled)
    rating INTEGER,                -- the FSRS rating when the answer moved the schedule
    overridden INTEGER NOT NULL DEFAULT 0  -- 1: the grader said wrong, the student said "I was right"
);
CREATE INDEX IF NOT EXISTS answers_question ON answers (question_id);
CREATE TABLE IF NOT EXISTS cards (
    question_id TEXT PRIMARY KEY,
    card TEXT NOT NULL,            -- the FSRS card as JSON
    due TEXT NOT NULL,             -- ISO 8601, UTC, copied out of the card for queries
    introduced_at TEXT NOT NULL    -- when the question joined the schedule (the daily new limit)
);
"""


class StoreError(UnusableInput):
    """The progress store cannot be used; earlier answers are never touched."""


@dataclass(frozen=True)
class RecordedAnswer:
    question_id: str
    answered_at: datetime
    given: str | list[str]
    correct: bool
    seconds: float
    mode: str
    rating: int | None = None
    overridden: bool = False  # the grader said wrong and the student overruled it (then `correct` is True)


@dataclass(frozen=True)
class ScheduledCard:
    question_id: str
    card: str
    due: datetime
    introduced_at: datetime


def default_store_path() -> Path:
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    return platform_store_path()


def platform_store_path() -> Path:
    """progress.sqlite3 in the platform's data folder: a file only khasham-learn puts there, so
    whatever is found there may be treated as ours even when it is no longer a database."""
    from platformdirs import user_data_path

    return user_data_path("khasham-learn", appauthor=False) / "progress.sqlite3"


def to_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Store:
    """An open progress store. Use `open_store`, which repairs what it can and says so."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, answer: RecordedAnswer, card: ScheduledCard | None = None) -> int:
        """Commits one answer (and the card it moved) durably; returns the answer's row id."""
        with self._write() as db:
            answer_id = _insert_answer(db, answer)
            if card is not None:
                _upsert_card(db, card)
        return answer_id

    def schedule(self, question_id: str,
                 decide: Callable[[ScheduledCard | None], tuple[RecordedAnswer, ScheduledCard]]) -> int:
        """Reads the question's card and writes the answer and the new card in one transaction,
        so two sessions reviewing the same question never overwrite each other's step. Returns the
        answer's row id."""
        with self._write() as db:
            row = db.execute("SELECT question_id, card, due, introduced_at FROM cards WHERE question_id = ?",
                             (question_id,)).fetchone()
            answer, card = decide(_card(row) if row else None)
            answer_id = _insert_answer(db, answer)
            _upsert_card(db, card)
        return answer_id

    def overrule(self, answer_id: int, rating: int | None = None, card: ScheduledCard | None = None) -> None:
        """Marks a saved answer the grader called wrong as right by the student's word ("I was
        right"), with the rating and card it earns as a right answer when it moved the schedule."""
        with self._write() as db:
            db.execute("UPDATE answers SET correct = 1, overridden = 1, rating = coalesce(?, rating) WHERE id = ?",
                       (rating, answer_id))
            if card is not None:
                _upsert_card(db, card)

    def overrides(self) -> list[RecordedAnswer]:
        """The answers students overruled, oldest first: what the grader should have taken."""
        return [a for a in self.answers() if a.overridden]

    def update_cards(self, question_ids: Iterable[str],
                     change: Callable[[ScheduledCard], ScheduledCard | None]) -> list[str]:
        """Rewrites the given questions' cards in one transaction, each as `change` returns it
        (None: left as it is); questions without a card are skipped. Returns the ids rewritten."""
        changed = []
        with self._write() as db:
            for question_id in question_ids:
                row = db.execute("SELECT question_id, card, due, introduced_at FROM cards WHERE question_id = ?",
                                 (question_id,)).fetchone()
                card = change(_card(row)) if row else None
                if card is not None:
                    _upsert_card(db, card)
                    changed.append(question_id)
        return changed

    def answers(self) -> list[RecordedAnswer]:
        rows = self._read("SELECT question_id, answered_at, given, correct, seconds, mode, rating, overridden "
                          "FROM answers ORDER BY id")
        return [
            RecordedAnswer(qid, from_text(at), json.loads(given), bool(correct), seconds, mode, rating, bool(overridden))
            for qid, at, given, correct, seconds, mode, rating, overridden in rows
        ]

    def cards(self) -> dict[str, ScheduledCard]:
        rows = self._read("SELECT question_id, card, due, introduced_at FROM cards")
        return {row[0]: _card(row) for row in rows}

    def move_questions(self, superseded: Mapping[str, str]) -> int:
        """Moves what the learner did on questions the bank dropped (`superseded`: old id -> the id
        that now asks the same) to the kept ones, in one transaction: every answer row is kept under
        the new id; a schedule moves with it, and where both ids have one, the card reviewed last
        is kept (its memory state is the freshest), introduced when the earlier of the two was.
        Returns how many rows moved; writes nothing, and takes no lock, when nothing is to move."""
        if not superseded:
            return 0
        present = {row[0] for row in self._read(
            "SELECT DISTINCT question_id FROM answers UNION SELECT question_id FROM cards")}
        moving = {old: new for old, new in superseded.items() if old in present and new != old}
        if not moving:
            return 0
        moved = 0
        with self._write() as db:
            for old, new in moving.items():
                moved += db.execute("UPDATE answers SET question_id = ? WHERE question_id = ?", (new, old)).rowcount
                row = db.execute("SELECT question_id, card, due, introduced_at FROM cards WHERE question_id = ?",
                                 (old,)).fetchone()
                if row is None:
                    continue
                kept = db.execute("SELECT question_id, card, due, introduced_at FROM cards WHERE question_id = ?",
                                  (new,)).fetchone()
                card = _merged(_card(row), _card(kept) if kept else None)
                db.execute("DELETE FROM cards WHERE question_id = ?", (old,))
                _upsert_card(db, ScheduledCard(new, card.card, card.due, card.introduced_at))
                db.execute("UPDATE cards SET introduced_at = ? WHERE question_id = ?",
                           (to_text(card.introduced_at), new))
                moved += 1
        return moved

    def check_writable(self) -> None:
        """Raises StoreError if an answer could not be saved (a read-only file or folder, a lock
        held too long), by trying a write that changes nothing and rolling it back."""
        db = self.connection
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise StoreError(
                f"answers cannot be saved to the progress store {self.path}: {_reason(exc)}; nothing was asked, "
                f"so nothing is lost. Fix that, or use another file with --store PATH or {STORE_ENV}"
            ) from None

    def _read(self, sql: str) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self.connection.execute(sql).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the progress store {self.path}: {_reason(exc)}") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self.connection
        try:
            db.execute("BEGIN IMMEDIATE")  # take the write lock before reading, so no update is lost
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                if db.in_transaction:
                    db.execute("ROLLBACK")
            raise StoreError(
                f"could not save to the progress store {self.path}: {_reason(exc)}; every earlier answer is saved"
            ) from None


def _insert_answer(db: sqlite3.Connection, answer: RecordedAnswer) -> int:
    cursor = db.execute(
        "INSERT INTO answers (question_id, answered_at, given, correct, seconds, mode, rating, overridden) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (answer.question_id, to_text(answer.answered_at), json.dumps(answer.given, ensure_ascii=False),
         int(answer.correct), answer.seconds, answer.mode, answer.rating, int(answer.overridden)),
    )
    return int(cursor.lastrowid or 0)


def _upsert_card(db: sqlite3.Connection, card: ScheduledCard) -> None:
    db.execute(
        "INSERT INTO cards (question_id, card, due, introduced_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (question_id) DO UPDATE SET card = excluded.card, due = excluded.due",
        (card.question_id, card.card, to_text(card.due), to_text(card.introduced_at)),
    )


def _merged(dropped: ScheduledCard, kept: ScheduledCard | None) -> ScheduledCard:
    """One card for two questions merged into one: the one reviewed last, introduced at the earlier time."""
    if kept is None:
        return dropped

    def last_review(card: ScheduledCard) -> str:
        try:
            return str(json.loads(card.card).get("last_review") or "")
        except (ValueError, AttributeError):
            return ""

    newer = dropped if last_review(dropped) > last_review(kept) else kept
    return ScheduledCard(kept.question_id, newer.card, newer.due, min(dropped.introduced_at, kept.introduced_at))


def _card(row: tuple) -> ScheduledCard:  # type: ignore[type-arg]
    return ScheduledCard(row[0], row[1], from_text(row[2]), from_text(row[3]))


def _reason(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or "full" in str(exc):
        return "the disk is full"
    if _is_busy(exc):
        return f"another program has held it locked for over {BUSY_TIMEOUT_MS // 1000} seconds"
    if name == "SQLITE_READONLY" or "readonly" in str(exc):
        return "it is read-only"
    return str(exc)


def _is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    if name:
        return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB")
    text = str(exc)
    return "not a database" in text or "malformed" in text


def open_store(path: Path | None = None, *, notice: Callable[[str], None] = lambda _: None) -> Store:
    """Opens (or creates) the store. A damaged file is kept aside under a new name and a new store
    started, with a notice; a store from a newer version, or a database that is not ours, is refused."""
    path = path or default_store_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder for the progress store {path}: {exc.strerror or exc}; "
            f"choose another place with --store PATH or {STORE_ENV}"
        ) from None
    if path.is_dir():
        raise StoreError(f"the progress store {path} is a folder; give a file path with --store PATH")
    marked = _header_mark(path)
    if marked == "foreign" and not _is_platform_path(path):
        raise StoreError(f"{path} is not a khasham-learn progress store (not an SQLite file); it was left "
                         f"untouched. Choose another file with --store PATH or {STORE_ENV}")
    try:
        return _open(path)
    except sqlite3.Error as exc:
        if not _is_damage(exc):
            raise StoreError(f"cannot open the progress store {path}: {_reason(exc)}; "
                             f"choose another place with --store PATH or {STORE_ENV}") from None
        if marked != "ours" and not _is_platform_path(path):  # a damaged database not marked as ours
            raise StoreError(f"{path} is a damaged SQLite file not marked as a khasham-learn progress store; "
                             f"it was left untouched. Choose another file with --store PATH or {STORE_ENV}") from None
        aside = _set_aside(path)
        damage = str(exc)
    try:
        store = _open(path)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot start a new progress store {path}: {_reason(exc)}") from None
    if marked != "ours":
        notice(f"khasham-learn: the progress store {path} was damaged ({damage}); "
               f"kept it as {aside} and started a new one")
        return store
    recovery = _recover_answers(aside, store)
    notice(f"khasham-learn: the progress store {path} was damaged ({damage}); kept it as {aside} and "
           f"started a new one with {recovery.summary()}")
    return store


def _is_platform_path(path: Path) -> bool:
    try:
        return path.resolve() == platform_store_path().resolve()
    except (OSError, RuntimeError):
        return False


def _header_mark(path: Path) -> str:
    """'ours' (an SQLite header with our application id), 'sqlite' (another or no id), 'foreign'
    (a file that is not SQLite at all) or 'new' (absent or empty: SQLite starts a database there)."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        return "new"
    except OSError:
        return "sqlite"  # unreadable: let SQLite say why, in its own words
    if not header:
        return "new"
    if not header.startswith(SQLITE_HEADER):
        return "foreign"
    mark = header[_APPLICATION_ID_OFFSET:_APPLICATION_ID_OFFSET + 4]
    return "ours" if int.from_bytes(mark, "big") == APPLICATION_ID else "sqlite"


@dataclass(frozen=True)
class Recovery:
    """What came back from a damaged store: answers saved, answers known to be lost, and whether
    the end of the table was unreadable (then the most recent answers are lost, uncounted)."""

    saved: int
    lost: int
    end_lost: bool
    last_saved_at: str | None

    def summary(self) -> str:
        text = f"the {self.saved} answers that could be read ({self.lost} could not)"
        if self.end_lost:
            after = f" after {self.last_saved_at[:16].replace('T', ' ')} UTC" if self.last_saved_at else ""
            text += f"; any answers given{after} could not be counted and are lost"
        return text


# Answer ids probed one by one when recovering a damaged store: far above any learner's count of
# answers, and a few seconds of lookups at most.
RECOVERY_PROBE_LIMIT = 1_000_000


def _recover_answers(damaged: Path, store: Store) -> Recovery:
    """Copies every answer still readable in the damaged file into the new store. Each answer is
    looked up by its id on its own, so a damaged page costs only the answers on it; ids run from 1
    without gaps (answers are never deleted), so an id that cannot be read, at or below the highest
    id any readable part of the file knows, is an answer lost."""
    # Immutable when no write-ahead log came along: nothing is then written beside the kept file.
    wal = damaged.with_name(damaged.name + "-wal").exists()
    try:
        db = sqlite3.connect(f"{damaged.resolve().as_uri()}?{'mode=ro' if wal else 'immutable=1'}",
                             uri=True, isolation_level=None)
    except sqlite3.Error:
        return Recovery(0, 0, True, None)
    rows: list[tuple] = []  # type: ignore[type-arg]
    lost = 0
    try:
        # A file shorter than its header says is refused outright, unless the schema is "writable":
        # only then does SQLite read the pages that are still there.
        db.execute("PRAGMA writable_schema = ON")
        highest, end_known = _highest_answer_id(db)
        if highest > RECOVERY_PROBE_LIMIT:  # a garbled id would make the probing below run for ever
            highest, end_known = RECOVERY_PROBE_LIMIT, False
        columns = ", ".join(_ANSWER_COLUMNS)
        try:
            db.execute(f"SELECT {columns} FROM answers LIMIT 0")
        except sqlite3.Error:  # a version 1 store (or a schema unreadable here): nothing was overruled
            columns = ", ".join((*_VERSION_1_ANSWER_COLUMNS, "0"))
        for answer_id in range(1, highest + 1):
            try:
                row = db.execute(f"SELECT {columns} FROM answers WHERE id = ?", (answer_id,)).fetchone()
            except (sqlite3.Error, ValueError):
                lost += 1
                continue
            if row is None:
                continue
            if _plausible_answer(row):
                rows.append(row)
            else:
                lost += 1
    except sqlite3.Error:
        end_known = False
    finally:
        db.close()
    with store._write() as new:
        new.executemany(f"INSERT INTO answers ({', '.join(_ANSWER_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(_ANSWER_COLUMNS))})", rows)
    return Recovery(len(rows), lost, not end_known, rows[-1][2] if rows else None)


def _highest_answer_id(db: sqlite3.Connection) -> tuple[int, bool]:
    """The highest answer id any readable part of the file knows, and whether it is the table's
    true end: the table's last row when that page is readable, else the most any scan of the
    table or of the question index (which holds every answer's id) reached before a damaged page."""
    with contextlib.suppress(sqlite3.Error):
        (highest,) = db.execute("SELECT max(id) FROM answers").fetchone()
        return (highest if isinstance(highest, int) else 0), True
    highest = 0
    for sql in ("SELECT id FROM answers NOT INDEXED",
                "SELECT id FROM answers INDEXED BY answers_question WHERE question_id >= ''"):
        with contextlib.suppress(sqlite3.Error):
            for (answer_id,) in db.execute(sql):
                if isinstance(answer_id, int):
                    highest = max(highest, answer_id)
    return highest, False


def _plausible_answer(row: tuple) -> bool:  # type: ignore[type-arg]
    """A row whose values have the types the schema promises, so nothing garbled enters the new store."""
    _, question_id, answered_at, given, correct, seconds, mode, rating, overridden = row
    try:
        from_text(answered_at)
        json.loads(given)
    except (TypeError, ValueError):
        return False
    return (isinstance(question_id, str) and isinstance(correct, int) and isinstance(seconds, (int, float))
            and isinstance(mode, str) and (rating is None or isinstance(rating, int)) and overridden in (0, 1))


def _open(path: Path) -> Store:
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # One statement, so one snapshot: read separately, a second quiz creating the same new store
        # could commit in between, and its tables would seem to sit in a file not marked as ours.
        application_id, version, tables = db.execute(
            "SELECT (SELECT application_id FROM pragma_application_id()),"
            " (SELECT user_version FROM pragma_user_version()),"
            " (SELECT count(*) FROM sqlite_master WHERE type = 'table')"
        ).fetchone()
        if application_id not in (0, APPLICATION_ID) or (application_id == 0 and tables):
            raise StoreError(f"{path} is not a khasham-learn progress store; it was left untouched. "
                             f"Choose another file with --store PATH or {STORE_ENV}")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the progress store {path} was written by a newer khasham-learn (store version {version}; "
                f"this one reads up to {SCHEMA_VERSION}). It was left untouched: upgrade khasham-learn, "
                f"or use --store PATH for a separate store"
            )
        if version >= 1:  # marked as ours and made: the answers table must be the one we make
            columns = tuple(row[0] for row in db.execute("SELECT name FROM pragma_table_info('answers')"))
            if columns != (_ANSWER_COLUMNS if version >= 2 else _VERSION_1_ANSWER_COLUMNS):
                raise StoreError(f"{path} is marked as a khasham-learn progress store but lacks its answers "
                                 f"table; it was left untouched. Choose another file with --store PATH or {STORE_ENV}")
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {check}")
        _use_wal(db)
        db.execute("PRAGMA synchronous = FULL")
        if version < SCHEMA_VERSION:  # new or older: create or migrate in one transaction
            _upgrade(db)
        return Store(path, db)
    except BaseException:
        db.close()
        raise


def _upgrade(db: sqlite3.Connection) -> None:
    """Makes a new store, or brings an older one to this version, in one transaction. The version is
    read again under the write lock: a second process may have upgraded it in the meantime."""
    db.execute("BEGIN IMMEDIATE")
    try:
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version == 1:
            db.execute(_MIGRATE_FROM_1)
        elif version == 0:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _use_wal(db: sqlite3.Connection) -> None:
    """SQLite refuses the switch to WAL at once, without its busy wait, while another process
    is switching the same new file; it succeeds as soon as that one is done."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _is_busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in str(exc)


def _set_aside(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise StoreError(f"the progress store {path} is damaged and could not be moved aside: "
                         f"{exc.strerror or exc}; move it away yourself or use --store PATH") from None
    return aside
