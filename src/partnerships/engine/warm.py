"""Warm kernels: the kernel start and the chapters' imports paid once per worker, not per chapter.

An empty kernel takes about 0.6 s to start here and importing pandas, matplotlib and the
package about 1.7 s more: most of a chapter's time. A :class:`ForkServer` is a small
process, forked from a build worker before it talks to any kernel, that imports
ipykernel and those libraries once and then, for each kernel the worker asks for, forks a
child that becomes a fresh kernel: :func:`partnerships.engine.kernel.main` (dies with its
parent, records the files the chapter reads, starts IPython) with the connection file,
the environment and the working folder the worker passes. The server dies with its worker,
a kernel with its server. Each chapter still gets its own
new kernel process: a new namespace, execution counts from 1, its own environment (the
dependency file the cache reads, the kernel pid file), so outputs and cache semantics are
those of a cold kernel; only the imports are already in memory.

:class:`WarmProvisioner` is jupyter_client's local provisioner with the launch replaced:
the kernel's process is the forked child, watched through its pid (the fork server reaps
it). ``PARTNERSHIPS_WARM_KERNELS=0`` turns this off (a plain ``python -m partnerships.engine.kernel``
per chapter).
"""

from __future__ import annotations

import json
import os
import signal
import sys

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

__all__ = ["ForkServer", "WarmProvisioner", "enabled", "server"]

#: What a chapter imports (warm in the fork server before any kernel is forked): the
#: libraries, and what a kernel imports as it starts (its debugger, history, completer)
#: and when a chapter draws its first figure or table.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "tornado.platform.asyncio",
    "tornado.queues",
    "numpy",
    "pandas",
    "pandas.io.formats.csvs",
    "pandas.io.formats.html",
    "pandera",
    "pycountry",
    "yaml",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_svg",
    "PIL.features",
)
#: What a pool worker imports to run a chapter (papermill and the notebook reader), imported
#: once by the build before it forks its workers.
WORKER_PRELOAD = (
    "nbformat",
    "papermill",
    "papermill.engines",
    "nbclient",
    "jupyter_client.manager",
    "jupyter_client.kernelspec",
    "jupyter_client.provisioning.local_provisioner",
)
# Not the package itself: its modules set things up when imported (the house chart style),
# and a chapter must see that happen as in a cold kernel. What a preloaded library keeps
# as process state is put back as a fresh import has it (``_as_if_fresh``).


_server: ForkServer | None = None


def enabled() -> bool:
    return os.environ.get("PARTNERSHIPS_WARM_KERNELS", "1") != "0"


def server() -> ForkServer | None:
    """This process's fork server (started by :func:`start`), if any."""
    return _server if _server is not None and _server.alive() else None


def start() -> ForkServer | None:
    """Start this process's fork server (call before any kernel or zmq context exists)."""
    global _server
    if enabled() and _server is None:
        _server = ForkServer()
    return _server


class ForkServer:
    """A process holding warm imports that forks one fresh kernel per request."""

    def __init__(self) -> None:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the server
            os.close(req_w)
            os.close(rep_r)
            try:
                _serve(req_r, rep_w)
            finally:
                os._exit(0)
        os.close(req_r)
        os.close(rep_w)
        self.pid = pid
        self._req = os.fdopen(req_w, "w", buffering=1)
        self._rep = os.fdopen(rep_r, "r")

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return True

    def launch(self, argv: list[str], env: dict, cwd: str) -> int:
        """Fork a kernel running ``argv`` (ipykernel's own arguments) with ``env`` in ``cwd``; its pid."""
        self._req.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
        line = self._rep.readline()
        if not line:
            raise RuntimeError("the warm-kernel server stopped")
        return int(line)

    def stop(self) -> None:
        try:
            self._req.close()
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def preload() -> None:
    """Import what the workers and the kernels need. The build calls it before it forks its
    workers, so the imports are paid once for all of them (the kernels' libraries only
    when warm kernels are on)."""
    names = WORKER_PRELOAD + (PRELOAD if enabled() else ())
    quiet = "PYDEVD_DISABLE_FILE_VALIDATION" not in os.environ
    if quiet:  # the debugger's import warns about frozen modules (the kernels run with this set)
        os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    try:
        _import(names)
        try:
            from nbformat import v4, validator

            validator.get_validator(4, v4.nbformat_minor)  # compiled once here, not in every worker
        except Exception:
            pass
    finally:
        if quiet:
            os.environ.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)


def _import(names) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a module that fails here fails again, visibly, where it is used
            pass


def _serve(req_fd: int, rep_fd: int) -> None:
    """The fork server's loop: warm the imports, then one forked kernel per request line."""
    from partnerships.engine.kernel import die_with_parent

    die_with_parent(None)  # dies with the worker that started it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C and stops kernels itself
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they exit
    preload()
    import gc

    gc.collect()
    gc.freeze()  # the kernels' collector leaves the preloaded objects alone (no copy-on-write of the heap)
    requests = os.fdopen(req_fd, "r")
    replies = os.fdopen(rep_fd, "w", buffering=1)
    for line in requests:
        spec = json.loads(line)
        pid = os.fork()
        if pid == 0:
            requests.close()
            replies.close()
            _run_kernel(spec)  # never returns
        replies.write(f"{pid}\n")


def _run_kernel(spec: dict) -> None:
    code = 1
    try:
        os.setsid()  # its own process group, as jupyter_client gives a launched kernel
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.environ.clear()
        os.environ.update(spec["env"])
        os.chdir(spec["cwd"])
        _as_if_fresh()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        # as `python -m ipykernel_launcher` would: the working folder first on the path
        sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != os.path.dirname(os.path.abspath(sys.argv[0]))]
        argv = list(spec["argv"])
        if os.environ.get("JPY_PARENT_PID"):  # the trait's default was read when the server imported ipykernel
            argv.append(f"--IPKernelApp.parent_handle={int(os.environ['JPY_PARENT_PID'])}")
        os.environ["PARTNERSHIPS_WORKER_PID"] = str(os.getppid())  # its parent is this server now
        sys.argv = ["partnerships.engine.kernel", *argv]
        from partnerships.engine import kernel

        kernel.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _as_if_fresh() -> None:
    """Library state as a cold kernel has it: matplotlib's rc from its files with the backend
    ipykernel chooses (it sets MPLBACKEND before any user code), fresh random seeds."""
    import random

    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    if "matplotlib" in sys.modules:
        import matplotlib

        if not os.environ.get("MPLBACKEND"):
            os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        dict.update(matplotlib.rcParams, matplotlib.rcParamsOrig)
        matplotlib.rcParams["backend"] = os.environ["MPLBACKEND"]


class _Forked:
    """The little of subprocess.Popen that jupyter_client uses, for a kernel the server forked."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class WarmProvisioner(LocalProvisioner):
    """Launches ``python -m partnerships.engine.kernel ...`` kernels through this process's fork server."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        srv = server()
        if srv is None or cmd[1:3] != ["-m", "partnerships.engine.kernel"]:
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        self.process = _Forked(srv.launch(cmd[3:], env, cwd))
        self.pid = self.process.pid
        self.pgid = self.process.pid  # the kernel leads its own session
        self.cwd = cwd
        return self.connection_info
