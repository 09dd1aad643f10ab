"""The kernel a chapter runs in: this environment's IPython kernel, started as
``python -m partnerships.engine.kernel -f CONNECTION_FILE`` whatever kernelspecs the machine has.

Before IPython starts it (1) asks Linux to kill it when the pool worker that started it
dies (a killed build leaves no kernel behind), and (2) installs an audit hook that records
every file the chapter opens for reading under the project (data read with pandas
directly, ``notebooks/helpers.py`` imported) with the file's sha256, in
``$PARTNERSHIPS_DEPS_FILE``, so the build cache sees a change to any of them. The
package's own code (covered by the code hash), ``build/``, ``report/`` and virtual
environments are not recorded.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None) -> None:
    """SIGKILL this process when its parent dies (Linux); exit now if it already has."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the build's own clean-up remains
        return
    if expected_parent and os.getppid() != expected_parent:
        os._exit(1)


def _reads(mode, flags) -> bool:
    if mode is None:  # os.open
        return isinstance(flags, int) and flags & os.O_ACCMODE == os.O_RDONLY
    return isinstance(mode, str) and not any(c in mode for c in "wax+")


def track_opens(root: str, deps_file: str, package: str) -> None:
    """Record (path, sha256) of every file opened for reading under ``root`` into ``deps_file``."""
    root = os.path.realpath(root) + os.sep
    skip = tuple(
        os.path.realpath(p) + os.sep
        for p in (os.path.join(root, "build"), os.path.join(root, "report"), os.path.join(root, ".git"),
                  os.path.join(root, ".venv"), sys.prefix, package)
    )  # fmt: skip
    busy = threading.local()
    seen: dict[str, str] = {}

    def hook(event: str, args: tuple) -> None:
        if event != "open" or getattr(busy, "on", False):
            return
        path, mode, flags = args
        if not isinstance(path, (str, bytes, os.PathLike)) or not _reads(mode, flags):
            return
        busy.on = True
        try:
            full = os.path.realpath(os.fsdecode(path))
            if full.endswith(".pyc") and os.path.basename(os.path.dirname(full)) == "__pycache__":
                # an import read the cached bytecode: the dependency is the source next to it
                full = os.path.join(
                    os.path.dirname(os.path.dirname(full)), os.path.basename(full).split(".")[0] + ".py"
                )
            if not full.startswith(root) or full.startswith(skip) or not os.path.isfile(full):
                return
            h = hashlib.sha256()
            with open(full, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 16), b""):
                    h.update(block)
            digest = h.hexdigest()
            if seen.get(full) == digest:
                return
            seen[full] = digest
            with open(deps_file, "a", encoding="utf-8") as out:
                out.write(f"{full[len(root) :]}\t{digest}\n")
        except OSError:
            pass
        finally:
            busy.on = False

    sys.addaudithook(hook)


def main() -> None:
    parent = os.environ.get("PARTNERSHIPS_WORKER_PID")
    die_with_parent(int(parent) if parent else None)
    root, deps = os.environ.get("PARTNERSHIPS_ROOT"), os.environ.get("PARTNERSHIPS_DEPS_FILE")
    if root and deps:
        track_opens(root, deps, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
