"""Finished files moved into report/ together, or not at all.

The new files are first copied into a folder inside the destination folder (so the final
renames stay on one filesystem, even when report/ is a link to a shared drive), then each
old file is renamed aside and each new one renamed into place with Ctrl-C held off. If any
step fails, what was done is undone: report/ holds the old complete set or the new one,
never a mix.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

_STOP = {signal.SIGINT, signal.SIGTERM}


def replace_together(moves: list[tuple[Path, Path]]) -> bool:
    """Move each ``(new, destination)`` pair into place, all or none. All destinations must be
    in one folder. Returns True if Ctrl-C (or SIGTERM) arrived while the files were being
    swapped (the swap was completed; the caller reports the interruption)."""
    dest_dir = moves[0][1].parent
    dest_dir.mkdir(parents=True, exist_ok=True)
    for _, dest in moves:
        if dest.is_dir() and not dest.is_symlink():
            raise IsADirectoryError(errno.EISDIR, "a folder is in the way of a report file", str(dest))
    staging = Path(tempfile.mkdtemp(prefix=".partnerships-new-", dir=dest_dir))
    aside = staging / "old"
    aside.mkdir()
    done: list[tuple[Path, Path | None]] = []  # (destination, where its old file went)
    try:
        staged = []
        for new, dest in moves:
            tmp = staging / dest.name
            shutil.copyfile(new, tmp)  # beside the destination: the renames below cannot cross devices
            staged.append((tmp, dest))
        with _signals_held() as arrived:
            try:
                for tmp, dest in staged:
                    old = aside / dest.name if dest.exists() or dest.is_symlink() else None
                    if old is not None:
                        os.rename(dest, old)
                    done.append((dest, old))
                    os.rename(tmp, dest)
            except BaseException:
                _undo(done)
                raise
        return bool(arrived)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _undo(done: list[tuple[Path, Path | None]]) -> None:
    for dest, old in reversed(done):  # each old file was moved aside before its new one came in
        try:
            if dest.exists() or dest.is_symlink():
                os.unlink(dest)
            if old is not None:
                os.rename(old, dest)
        except OSError:
            pass


@contextmanager
def _signals_held():
    """Hold SIGINT/SIGTERM off (main thread only); yields a list that holds the signals that
    arrived meanwhile (consumed, not re-raised)."""
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP)
    try:
        yield arrived
    finally:
        while True:
            got = signal.sigtimedwait(_STOP, 0)
            if got is None:
                break
            arrived.append(got.si_signo)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP)
