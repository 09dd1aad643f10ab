"""The project's errors, one place for every layer (engine, data, analysis).

A :class:`UserError` is a mistake the user can fix; the command line prints its message
alone (no traceback) and exits with its ``exit_code``.
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
