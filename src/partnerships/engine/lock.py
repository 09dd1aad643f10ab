"""One build at a time per project: an exclusive lock on ``build/.lock`` holding the pid.

The lock is an ``flock``: the system releases it when the build ends, however it ends, so
a lock file left by a killed build is stale by construction and simply taken over. Pool
workers inherit the open file when they fork; they close it at once
(:func:`forget_inherited`), so a worker that outlives its build cannot hold the lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

from partnerships import paths
from partnerships.errors import Busy, UserError

_held: list = []  # the open lock file of this process, if any


def acquire(folder: Path):
    """Lock ``folder/.lock`` (the returned file: close it to release); :class:`Busy` if held."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / ".lock", "a+")
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise UserError(
                f"cannot write {paths.relative(folder)}/ (the project folder is read-only): a build writes build/ "
                "and report/; make the folder writable, or copy the project to a writable folder and build there"
            ) from None
        raise
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        other = fh.read().strip() or "unknown"
        fh.close()
        holders = [p for p in _holders(folder / ".lock") if str(p) != other]
        if other.isdigit() and not _alive(int(other)) and holders:
            raise Busy(
                f"a build (pid {other}) ended but left processes holding build/.lock "
                f"(pid {', '.join(map(str, holders))}); stop them (kill {' '.join(map(str, holders))}), then build again. "
                "report/ was not touched."
            ) from None
        raise Busy(
            f"another build is already running in this project (pid {other}); "
            "wait for it to finish, then build again. report/ was not touched."
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    _held[:] = [fh]
    return fh


def forget_inherited() -> None:
    """In a forked child: close the inherited lock file (the parent keeps the lock)."""
    for fh in _held:
        fh.close()  # closes this process's descriptor only: no unlock, the parent's lock stays
    _held.clear()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return Path(f"/proc/{pid}/stat").is_file() and not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return False


def _holders(lock_file: Path) -> list[int]:
    """Processes with ``lock_file`` open (Linux /proc), other than this one."""
    target = str(lock_file.resolve())
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        if int(d.name) == os.getpid():
            continue
        try:
            if any(os.readlink(fd) == target for fd in (d / "fd").iterdir()):
                found.append(int(d.name))
        except OSError:
            continue
    return sorted(found)
