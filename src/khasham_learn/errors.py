"""One family of errors, each carrying where the problem is and a message written for a teacher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Position:
    """A place in a file; line and column count from 1, as editors show them."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.position}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.position.file,
            "line": self.position.line,
            "column": self.position.column,
            "severity": self.severity,
            "message": self.message,
        }


class KhashamError(Exception):
    """Base of every error the CLI reports as one line and an exit code."""

    exit_code = 1

    def __init__(self, message: str, position: Position | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.position}: error: {self.message}" if self.position else f"error: {self.message}"


class UnusableInput(KhashamError):
    """The input cannot be read at all: a missing folder, an unreadable file."""

    exit_code = 2


class UsageMistake(KhashamError):
    """A command asked for in a way it does not take (an option that was removed): exit 2, as click's
    own usage errors, but in one line that says what to type instead."""

    exit_code = 2


class BankProblems(KhashamError):
    """The bank was read but has errors; carries all of them."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else problems[0]
        super().__init__(first.message, first.position)
        self.problems = problems

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        more = len(errors) - 1
        tail = f" (and {more} more; run 'khasham-learn check' to see all)" if more > 0 else ""
        return f"{errors[0] if errors else self.problems[0]}{tail}"


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
