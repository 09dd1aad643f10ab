"""Chapters executed in parallel (a process pool, one kernel per worker), with progress lines,
failure messages naming chapter and cell, and every worker and kernel stopped on Ctrl-C."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from partnerships import paths
from partnerships.engine.cache import Cache
from partnerships.engine.execute import execute_chapter, worker_init
from partnerships.engine.manifest import Chapter
from partnerships.errors import BuildFailed


class Progress:
    """One line per chapter event: queued, cached, running, done in N s, FAILED."""

    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stdout

    def __call__(self, cid: str, status: str, extra: str = "") -> None:
        print(f"  {status:<8} {cid}{('  ' + extra) if extra else ''}", file=self.stream, flush=True)


def run(
    todo: list[Chapter],
    keys: dict,
    cache: Cache,
    jobs: int | None,
    progress: Progress,
    folder: Path,
    meanwhile: Callable[[], None] | None = None,
) -> list[str]:
    """Execute ``todo`` (``jobs`` at a time), store each success in ``cache``; the ids done.

    ``meanwhile``: work for this process while the first chapters run (it is called once,
    after every worker has been forked; an exception in it is ignored: the work is done
    again, and fails visibly, where it is needed).

    Raises :class:`BuildFailed` naming every failed chapter (exit 130 on Ctrl-C)."""
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=folder))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    specs = [
        {
            "id": c.id,
            "root": str(paths.root()),
            "input": str(c.notebook_path),
            "output": str(run_dir / f"{c.id}.ipynb"),
            "parameters": c.parameters,
            "timeout": c.timeout,
            "deps_file": str(run_dir / f"{c.id}.deps"),
            "pid_file": str(run_dir / f"{c.id}.pid"),
        }
        for c in todo
    ]
    by_id = {c.id: c for c in todo}
    done: list[str] = []
    failures: list[str] = []
    from partnerships.engine import warm

    warm.preload()  # once here, inherited by every worker's kernel server (not once per worker)
    ctx = multiprocessing.get_context("fork")
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=worker_init, initargs=(os.getpid(),))
    pending: dict[cf.Future, dict] = {}
    queue = list(specs)
    try:
        while queue or pending:
            while queue and len(pending) < jobs:
                spec = queue.pop(0)
                pending[pool.submit(execute_chapter, spec)] = spec
                progress(spec["id"], "running")
            if meanwhile is not None:  # every worker is forked by now: nothing more inherits this process's state
                work, meanwhile = meanwhile, None
                try:
                    work()
                except Exception:
                    pass
            finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                spec = pending.pop(fut)
                res = fut.result()
                cid = res["id"]
                if res["ok"]:
                    cache.store(by_id[cid], keys[cid], Path(spec["output"]), res["deps"])
                    done.append(cid)
                    progress(cid, "done", f"in {res['seconds']:.1f} s")
                else:
                    failures.append(failure_message(res, spec, by_id[cid], folder))
                    progress(cid, "FAILED", f"after {res['seconds']:.1f} s")
    except KeyboardInterrupt:
        _stop_pool(pool, run_dir)
        shutil.rmtree(run_dir, ignore_errors=True)
        raise BuildFailed(
            "build interrupted (Ctrl-C): kernels stopped, report/ left as it was", exit_code=130
        ) from None
    except cf.process.BrokenProcessPool:  # a worker itself was killed (out of memory, kill -9)
        _stop_pool(pool, run_dir)
        finished_ids = set(done) | {f.split("'")[1] for f in failures}
        running = ", ".join(s["id"] for s in specs if s not in queue and s["id"] not in finished_ids) or "none"
        raise BuildFailed(
            f"a build worker was killed by the system (out of memory?) while running: {running}; "
            "report/ was left as it was. Build again, with --jobs 1 if memory is short."
        ) from None
    except BaseException:
        _stop_pool(pool, run_dir)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    if failures:
        raise BuildFailed("\n".join(failures) + "\nreport/ was left as it was.")
    return done


def failure_message(res: dict, spec: dict, ch: Chapter, folder: Path) -> str:
    """'chapter X (notebook) failed in cell N: Error: text; the executed notebook is kept at ...'."""
    kept = folder / "failed" / f"{ch.id}.ipynb"
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    where = ""
    if Path(spec["output"]).exists() and res.get("kind") != "environment":
        try:
            shutil.copyfile(spec["output"], kept)
            where = f"; the executed notebook is kept at {paths.relative(kept)}"
        except OSError:  # the disk may be full: the message matters more than the copy
            kept.unlink(missing_ok=True)
    cell = res.get("cell")
    cell_txt = f"cell {cell}" if cell else "an unknown cell"
    if res.get("kind") == "timeout":
        what = f"timed out: {cell_txt} ran longer than {ch.timeout} s; the kernel was stopped"
    elif res.get("kind") == "environment":
        what = f"could not run: {res.get('evalue')}"
    else:
        what = f"failed in {cell_txt}: {res.get('ename')}: {res.get('evalue')}"
    return f"chapter {ch.id!r} ({ch.notebook.as_posix()}) {what}{where}"


def _stop_pool(pool: cf.ProcessPoolExecutor, run_dir: Path) -> None:
    procs = list(getattr(pool, "_processes", {}).values())
    for p in procs:
        try:
            p.terminate()  # SIGTERM: nbclient's handler shuts its kernel down
        except Exception:
            pass
    deadline = time.monotonic() + 5
    for p in procs:
        p.join(max(0.1, deadline - time.monotonic()))
    for p in procs:
        if p.is_alive():
            p.kill()
    for pidfile in run_dir.glob("*.pid"):  # any kernel still alive: kill its process group
        try:
            pid = int(pidfile.read_text())
            os.killpg(pid, signal.SIGKILL)
        except (ValueError, ProcessLookupError, PermissionError, OSError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
