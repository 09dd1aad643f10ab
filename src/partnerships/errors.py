"""The project's errors, one place for every layer (engine, data, analysis).

A :class:`UserError` is a mistake the user can fix; the command line prints its message
alone (no traceback) and exits with its ``exit_code``. So do :class:`BuildFailed` (a
chapter failed, or the build was interrupted) and :class:`Busy` (another build runs).
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix (bad manifest, parameter or data). Exit code 2."""

    exit_code = 2


class DataError(ValueError):
    """A problem in a curated table: the message names file, row and column."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class RenderError(UserError):
    """A chapter cannot be rendered; the message names the notebook and the cell."""


class BuildFailed(Exception):
    """A chapter failed or the build was stopped. Exit code 1 (130 for Ctrl-C)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class Busy(Exception):
    """Another build holds the project's lock. Exit code 3."""

    exit_code = 3
