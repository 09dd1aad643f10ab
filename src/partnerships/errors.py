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


def environment_message(exc: OSError) -> str:
    """One sentence for an error of the machine (disk full, read-only folder, a path too
    long): what is wrong and what to do."""
    import errno

    from partnerships import paths

    where = f" ({paths.relative(exc.filename)})" if getattr(exc, "filename", None) else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full{where}: free some space, then build again"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write{where}: it is read-only, locked or not yours; make it writable (or work in a writable copy), then build again"
    if exc.errno == errno.ENAMETOOLONG:
        return f"a path is too long{where}; set TMPDIR to a short folder such as /tmp, then build again"
    if exc.errno == errno.EISDIR:
        return f"{exc.strerror}{where}: move that folder away, then build again"
    return f"{exc.strerror or exc}{where}"
