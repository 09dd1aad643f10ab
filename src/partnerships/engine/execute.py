"""One chapter executed by papermill in a kernel (runs in a pool worker), and the executed
notebook cleaned of what differs between runs or machines.

:func:`execute_chapter` never raises for a notebook's own error: it returns a result
naming the failing cell (counted in the user's notebook), the exception, and the data
files the chapter read with the hash of what it read (``data.load`` writes them to
``$PARTNERSHIPS_DEPS_FILE``).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from partnerships import paths
from partnerships.engine import lock
from partnerships.engine.export import ADDED_TAGS
from partnerships.errors import environment_message

KERNEL_NAME = "partnerships"  # the name the committed notebooks' metadata give their kernel
SOCKET_BASES = ("/tmp", "/var/tmp", "/dev/shm")  # short folders for kernel sockets
#: The chapter's input history stays in the kernel's memory: not written into the user's
#: ~/.ipython database (one SQLite file every kernel on the machine writes and locks).
KERNEL_OPTIONS = ("--HistoryManager.hist_file=:memory:",)


def worker_init(parent: int) -> None:
    """In each pool worker: die with the build (Linux parent-death signal), never hold the
    build's lock, leave Ctrl-C to the parent (it stops workers with SIGTERM)."""
    from partnerships.engine.kernel import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    lock.forget_inherited()
    die_with_parent(parent)
    # warm kernels: this worker's kernels are forked from a process that imported the libraries once
    from partnerships.engine import warm

    srv = warm.start()
    if srv is not None:
        from multiprocessing import util

        util.Finalize(None, srv.stop, exitpriority=10)


def socket_dir() -> str:
    """A new folder for a kernel's IPC sockets, with a short path whatever TMPDIR is (UNIX
    socket paths are limited to about 100 bytes)."""
    for base in (tempfile.gettempdir(), os.environ.get("XDG_RUNTIME_DIR"), *SOCKET_BASES):
        if base and len(base) <= 48 and os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK):
            try:
                return tempfile.mkdtemp(prefix="pk", dir=base)
            except OSError:
                continue
    raise OSError(
        errno.ENAMETOOLONG, "no short writable folder for kernel sockets (tried TMPDIR, /tmp, /var/tmp, /dev/shm)"
    )


def _kernel_client_class():
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ProjectKernelClient(AsyncKernelClient):
        """jupyter_client's client, ready as soon as its kernel is.

        The handshake is jupyter_client's: kernel_info requests until a reply comes, then one
        IOPub message to show that channel is connected. jupyter_client then reads IOPub until
        it has been silent for 0.2 s, a wait every chapter paid; here what is already there is
        read and the rest left: nbclient takes from IOPub only the messages that answer the
        cell it is running."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass  # IOPub not connected yet: ask again
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while await self.iopub_channel.msg_ready():
                await self.iopub_channel.get_msg(timeout=0)

    return ProjectKernelClient


def _kernel_manager_class():
    # nbclient drives kernels with asyncio: a blocking KernelManager here would stall its
    # event loop, so cell timeouts never fired. jupyter_client calls _async_post_start_kernel.
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    client_class = _kernel_client_class()

    class ProjectKernelManager(AsyncKernelManager):
        """Starts this environment's kernel (:mod:`.kernel`) whatever kernelspecs the machine
        has, and writes its pid to $PARTNERSHIPS_KERNEL_PIDFILE so the parent can clean up.
        Its client is ready without waiting for IOPub to fall silent, and a killed kernel is
        seen gone within milliseconds (jupyter_client polls every 0.1 s)."""

        def client(self, **kwargs):
            self.client_factory = client_class
            return super().client(**kwargs)

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            await super()._async_wait(pollinterval=min(pollinterval, 0.005))

        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[
                        sys.executable,
                        "-m",
                        "partnerships.engine.kernel",
                        "-f",
                        "{connection_file}",
                        *KERNEL_OPTIONS,
                    ],
                    display_name="Python (partnerships)",
                    language="python",
                    resource_dir="",
                )
            return self._kernel_spec

        async def _async_pre_start_kernel(self, **kw):
            out = await super()._async_pre_start_kernel(**kw)
            from partnerships.engine import warm

            if warm.server() is not None and type(self.provisioner).__name__ == "LocalProvisioner":
                self.provisioner.__class__ = warm.WarmProvisioner  # launch through the worker's warm server
            return out

        async def _async_post_start_kernel(self, **kw):
            await super()._async_post_start_kernel(**kw)
            pidfile = os.environ.get("PARTNERSHIPS_KERNEL_PIDFILE")
            proc = getattr(self.provisioner, "process", None)
            if pidfile and proc is not None:
                Path(pidfile).write_text(str(proc.pid))

    return ProjectKernelManager


def execute_chapter(job: dict) -> dict:
    """Run one chapter with papermill. Returns a result dict (never raises for notebook errors)."""
    t0 = time.monotonic()
    root = Path(job["root"])
    os.environ["PARTNERSHIPS_ROOT"] = str(root)
    os.environ["PARTNERSHIPS_DEPS_FILE"] = job["deps_file"]
    os.environ["PARTNERSHIPS_KERNEL_PIDFILE"] = job["pid_file"]
    os.environ["PARTNERSHIPS_WORKER_PID"] = str(os.getpid())
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    result = {"id": job["id"], "ok": True}
    try:
        Path(job["deps_file"]).write_text("")
        _run(job, root, result)
    except OSError as exc:  # the machine, not the notebook: disk full, read-only folder
        result.update(
            ok=False, kind="environment", ename=type(exc).__name__, evalue=environment_message(exc), exec_count=None
        )
    result["seconds"] = time.monotonic() - t0
    try:
        result["deps"] = read_deps(Path(job["deps_file"]))
    except OSError:
        result["deps"] = {}
    return result


def _engine():
    """papermill's nbclient engine, remembering the notebook it runs: when the kernel dies or a
    cell times out papermill raises without writing the notebook; the build keeps it anyway."""
    import papermill as pm
    from papermill.engines import NBClientEngine

    class KeepingEngine(NBClientEngine):
        running = None

        current = None  # index of the cell being run (in the executed notebook)

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kw):
            KeepingEngine.running = nb_man
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kwargs):
                KeepingEngine.current = cell_index
                return start(cell, cell_index, **kwargs)

            nb_man.cell_start = cell_start  # a dead kernel or a timeout names this cell
            return super().execute_managed_notebook(nb_man, kernel_name, **kw)

    pm.engines.papermill_engines.register("partnerships", KeepingEngine)
    return KeepingEngine


def _run(job: dict, root: Path, result: dict) -> None:
    import nbformat
    import papermill as pm
    from traitlets.config import Config

    engine = _engine()
    sock_dir = socket_dir()
    cfg = Config(
        {
            "KernelManager": {
                "transport": "ipc",
                "ip": os.path.join(sock_dir, "k"),
                "connection_file": os.path.join(sock_dir, "kernel.json"),
            }
        }
    )
    out = Path(job["output"])
    try:
        pm.execute_notebook(
            job["input"],
            str(out),
            parameters=job["parameters"] or None,
            kernel_name=KERNEL_NAME,
            engine_name="partnerships",
            cwd=str(root / "notebooks") if (root / "notebooks").is_dir() else str(root),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=job["timeout"],
            config=cfg,
            kernel_manager_class=_kernel_manager_class(),
            record_timing=False,
            shutdown_kernel="immediate",
        )
    except pm.PapermillExecutionError as exc:
        result.update(ok=False, kind="error", ename=exc.ename, evalue=exc.evalue, exec_count=exc.exec_count)
    except Exception as exc:  # timeouts, dead kernels
        if isinstance(exc, OSError) and not isinstance(exc, TimeoutError) and exc.errno is not None:
            raise  # the machine (disk full...): execute_chapter says so in one sentence
        name = type(exc).__name__
        kind = "timeout" if "Timeout" in name else "error"
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        result.update(ok=False, kind=kind, ename=name, evalue=last, exec_count=None)
        if engine.running is not None and not out.exists():  # keep what ran, with the cell that was running
            nbformat.write(engine.running.nb, out)
            if engine.current is not None:
                from partnerships.engine.export import user_cells

                result["cell"] = next(
                    (pos for pos, c in user_cells(engine.running.nb) if c is engine.running.nb.cells[engine.current]),
                    None,
                )
        if kind == "timeout" and not out.exists():  # find the cell from the message
            result["cell"] = _timed_out_cell(str(exc), Path(job["input"]))
    finally:
        shutil.rmtree(sock_dir, ignore_errors=True)
    if result.get("ename") == "DeadKernelError":
        result["evalue"] = "the kernel died (killed by the system, e.g. out of memory, or crashed)"
    if out.exists():
        nb = nbformat.read(out, as_version=4)
        if not result["ok"] and not result.get("cell"):
            result["cell"] = _failed_cell(nb)  # before clean_notebook drops papermill's cell status
        clean_notebook(nb)
        nbformat.write(nb, out)


CHANGED = "changed while the chapter ran"


def read_deps(path: Path) -> dict[str, str]:
    """The files a chapter read, ``{root-relative path: sha256 of what was read}``, from the
    lines ``path<TAB>sha256`` the chapter wrote. A file read twice with different contents
    gets a hash that never matches, so the chapter runs again next time."""
    deps: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rel, _, digest = line.partition("\t")
        if rel:
            deps[rel] = CHANGED if deps.get(rel, digest) != digest else digest
    return deps


def _timed_out_cell(message: str, input_path: Path) -> int | None:
    """1-based position of the cell whose source nbclient quotes in its CellTimeoutError."""
    import nbformat

    try:
        nb = nbformat.read(input_path, as_version=4)
    except Exception:
        return None
    for pos, cell in enumerate(nb.cells, start=1):
        lines = cell.source.strip().split("\n")
        if (
            cell.cell_type == "code"
            and cell.source.strip()
            and (
                cell.source in message
                or (len(lines) >= 11 and f"{lines[:5]}" in message and f"{lines[-5:]}" in message)
            )
        ):
            return pos
    return None


def _failed_cell(nb) -> int | None:
    """1-based position of the failing cell in the user's notebook (cells papermill adds not
    counted): the cell with an error output, else the last cell the kernel started (a
    timeout or a dead kernel leaves no error output)."""
    pos, started = 0, None
    for cell in nb.cells:
        if any(t in ADDED_TAGS for t in cell.metadata.get("tags", [])):
            continue
        pos += 1
        if cell.get("cell_type") != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return pos
        if cell.get("execution_count") is not None:
            started = pos
    return started


def clean_notebook(nb) -> None:
    """Drop what makes executed notebooks differ between runs or machines (in place)."""
    pm = nb.metadata.get("papermill")
    if pm is not None:
        nb.metadata["papermill"] = {"parameters": pm.get("parameters", {})}
        if not nb.metadata["papermill"]["parameters"]:
            del nb.metadata["papermill"]
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        if cell.get("cell_type") == "code":
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [_scrub(t) for t in out.get("traceback", [])]
                elif out.get("output_type") == "stream":
                    out["text"] = _scrub(out.get("text", ""))


def _scrub(text) -> str:
    """Replace machine paths (the root, the home folder, temp folders) in text."""
    if isinstance(text, list):
        text = "".join(text)
    root = str(paths.root())
    text = text.replace(root + "/", "").replace(root, ".")
    home = os.path.expanduser("~")
    if home and home != "/":
        text = text.replace(home, "~")
    return re.sub(r"/(?:tmp|var/tmp|work|home|root)/[^\s'\"]*/(?=[^/\s'\"]+\b)", "…/", text)
