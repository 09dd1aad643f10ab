"""One build at a time per project: an exclusive lock on ``build/.lock`` holding the pid."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from partnerships.errors import Busy


def acquire(folder: Path):
    """Lock ``folder/.lock`` (the returned file: close it to release); :class:`Busy` if held."""
    folder.mkdir(parents=True, exist_ok=True)
    fh = open(folder / ".lock", "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        other = fh.read().strip() or "unknown"
        fh.close()
        raise Busy(
            f"another build is already running in this project (pid {other}); "
            "wait for it to finish, then build again. report/ was not touched."
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(str(os.getpid()))
    fh.flush()
    return fh
