"""Manifest -> papermill (parallel, cached) -> one HTML + PDF, moved into report/ only on success.

Steps of ``build()``:

1. lock ``build/.lock`` (a second build in the same folder stops with a clear message);
2. validate data/ (skipped when data files and schema code are unchanged since the last
   clean validation) and the manifest with every chapter's parameters (``manifest.py``);
3. decide per chapter whether the cache holds it: the key covers the notebook bytes, the
   parameters, the package code, the dependency versions and the data files the chapter
   read last time (``data.load`` records them through ``$PARTNERSHIPS_DEPS_FILE``);
4. execute the others with papermill in a process pool, kernels over IPC sockets;
5. render one HTML and the PDF into a temporary folder and move them into report/.

Any failure leaves report/ exactly as it was. Heavy imports (papermill, nbconvert,
WeasyPrint) happen only when something must be executed or rendered, so a no-op build
stays well under two seconds.
"""

from __future__ import annotations

import concurrent.futures as cf
import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from partnerships import paths
from partnerships.files import sha256_file
from partnerships.engine.manifest import Chapter, Manifest, UserError
from partnerships.engine.manifest import load as load_manifest
from partnerships.engine.manifest import notebook_parameters

PINNED = ("pandas", "numpy", "matplotlib", "papermill", "nbclient", "nbformat", "ipykernel", "ipython", "pandera", "pycountry")
RENDER_PINNED = ("nbconvert", "weasyprint", "pydyf", "typst", "tinyhtml5", "fonttools")


class BuildFailed(Exception):
    """A chapter failed or the build was stopped. Exit code 1 (130 for Ctrl-C)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class Busy(Exception):
    exit_code = 3


# --------------------------------------------------------------------------- hashing


def _tree_hash(files) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(paths.relative(f).encode() + b"\0" + sha256_file(f).encode() + b"\n")
    return h.hexdigest()


def code_hash() -> str:
    """The package's Python code (templates are covered by the render key)."""
    return _tree_hash(p for p in paths.PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def versions(names) -> dict:
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def chapter_key(ch: Chapter, code: str, env: dict) -> str:
    payload = {
        "notebook": sha256_file(ch.notebook_path),
        "parameters": ch.parameters,
        "code": code,
        "env": env,
        "timeout": ch.timeout,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# --------------------------------------------------------------------------- cache
@dataclass
class Cache:
    folder: Path

    def entry_path(self, cid: str) -> Path:
        return self.folder / "cache" / f"{cid}.json"

    def executed(self, cid: str) -> Path:
        return self.folder / "executed" / f"{cid}.ipynb"

    def hit(self, ch: Chapter, key: str) -> bool:
        entry = self.entry_path(ch.id)
        nb = self.executed(ch.id)
        if not (entry.exists() and nb.exists()):
            return False
        try:
            e = json.loads(entry.read_text())
        except ValueError:
            return False
        if e.get("key") != key or e.get("executed_sha256") != sha256_file(nb):
            return False
        for rel, digest in e.get("deps", {}).items():
            p = paths.root() / rel
            if not p.exists() or sha256_file(p) != digest:
                return False
        return True

    def store(self, ch: Chapter, key: str, nb_tmp: Path, deps: list[str]) -> None:
        (self.folder / "executed").mkdir(parents=True, exist_ok=True)
        (self.folder / "cache").mkdir(parents=True, exist_ok=True)
        os.replace(nb_tmp, self.executed(ch.id))
        dep_hashes = {rel: sha256_file(paths.root() / rel) for rel in sorted(set(deps)) if (paths.root() / rel).exists()}
        entry = {"key": key, "executed_sha256": sha256_file(self.executed(ch.id)), "deps": dep_hashes}
        _write_atomic(self.entry_path(ch.id), json.dumps(entry, indent=1, sort_keys=True))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- notebook hygiene
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
    import re

    return re.sub(r"/(?:tmp|var/tmp|work|home|root)/[^\s'\"]*/(?=[^/\s'\"]+\b)", "…/", text)


# --------------------------------------------------------------------------- execution (worker)
def _worker_init() -> None:
    # The parent handles Ctrl-C and stops workers with SIGTERM (nbclient then shuts its kernel down).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # warm kernels: this worker's kernels are forked from a process that imported the libraries once
    from partnerships.engine import warm

    srv = warm.start()
    if srv is not None:
        from multiprocessing import util

        util.Finalize(None, srv.stop, exitpriority=10)


def _kernel_manager_class():
    # nbclient drives kernels with asyncio: a blocking KernelManager here would stall its
    # event loop, so cell timeouts never fired. jupyter_client calls _async_post_start_kernel.
    from jupyter_client.manager import AsyncKernelManager

    class RecordingKernelManager(AsyncKernelManager):
        """Writes the kernel's pid to $PARTNERSHIPS_KERNEL_PIDFILE so the parent can clean up;
        launches through the worker's warm-kernel server when there is one (engine/warm.py)."""

        async def _async_pre_start_kernel(self, **kw):
            out = await super()._async_pre_start_kernel(**kw)
            from partnerships.engine import warm

            if warm.server() is not None and type(self.provisioner).__name__ == "LocalProvisioner":
                self.provisioner.__class__ = warm.WarmProvisioner
            return out

        async def _async_post_start_kernel(self, **kw):
            await super()._async_post_start_kernel(**kw)
            pidfile = os.environ.get("PARTNERSHIPS_KERNEL_PIDFILE")
            proc = getattr(self.provisioner, "process", None)
            if pidfile and proc is not None:
                Path(pidfile).write_text(str(proc.pid))

    return RecordingKernelManager


def execute_chapter(job: dict) -> dict:
    """Run one chapter with papermill. Returns a result dict (never raises for notebook errors)."""
    t0 = time.monotonic()
    root = Path(job["root"])
    os.environ["PARTNERSHIPS_ROOT"] = str(root)
    os.environ["PARTNERSHIPS_DEPS_FILE"] = job["deps_file"]
    os.environ["PARTNERSHIPS_KERNEL_PIDFILE"] = job["pid_file"]
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    Path(job["deps_file"]).write_text("")
    import nbformat
    import papermill as pm
    from traitlets.config import Config

    sock_dir = tempfile.mkdtemp(prefix="pk")  # short path: UNIX socket names are limited to ~100 bytes
    cfg = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(sock_dir, "k")}})
    out = Path(job["output"])
    result = {"id": job["id"], "ok": True}
    try:
        pm.execute_notebook(
            job["input"],
            str(out),
            parameters=job["parameters"] or None,
            kernel_name="python3",
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
        name = type(exc).__name__
        kind = "timeout" if "Timeout" in name else "error"
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
        result.update(ok=False, kind=kind, ename=name, evalue=last, exec_count=None)
        if kind == "timeout":  # papermill may not write the notebook: find the cell from the message
            result["cell"] = _timed_out_cell(str(exc), Path(job["input"]))
    finally:
        shutil.rmtree(sock_dir, ignore_errors=True)
    if out.exists():
        nb = nbformat.read(out, as_version=4)
        if not result["ok"] and not result.get("cell"):
            result["cell"] = _failed_cell(nb)  # before clean_notebook drops papermill's cell status
        clean_notebook(nb)
        nbformat.write(nb, out)
    result["seconds"] = time.monotonic() - t0
    result["deps"] = [line for line in Path(job["deps_file"]).read_text().splitlines() if line]
    return result


_NOT_USERS = ("injected-parameters", "papermill-error-cell-tag")  # cells papermill adds


def _timed_out_cell(message: str, input_path: Path) -> int | None:
    """1-based position of the cell whose source nbclient quotes in its CellTimeoutError."""
    import nbformat

    try:
        nb = nbformat.read(input_path, as_version=4)
    except Exception:
        return None
    for pos, cell in enumerate(nb.cells, start=1):
        lines = cell.source.strip().split("\n")
        if cell.cell_type == "code" and cell.source.strip() and (
            cell.source in message or (len(lines) >= 11 and f"{lines[:5]}" in message and f"{lines[-5:]}" in message)
        ):
            return pos
    return None


def _failed_cell(nb) -> int | None:
    """1-based position of the failing cell in the user's notebook (cells papermill adds not counted)."""
    pos = 0
    for cell in nb.cells:
        if any(t in _NOT_USERS for t in cell.metadata.get("tags", [])):
            continue
        pos += 1
        if cell.get("cell_type") != "code":
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return pos
        if cell.metadata.get("papermill", {}).get("status") == "running":
            return pos
    # timeouts leave no error output: the first code cell without outputs after the last executed
    last = None
    pos = 0
    for cell in nb.cells:
        if any(t in _NOT_USERS for t in cell.metadata.get("tags", [])):
            continue
        pos += 1
        if cell.get("cell_type") == "code" and cell.get("execution_count") is None and last is None:
            last = pos
    return last


# --------------------------------------------------------------------------- the build (parent)
class Progress:
    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stdout

    def __call__(self, cid: str, status: str, extra: str = "") -> None:
        print(f"  {status:<8} {cid}{('  ' + extra) if extra else ''}", file=self.stream, flush=True)


def _lock(folder: Path):
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


@dataclass(frozen=True)
class Check:
    """A check run before any kernel starts (e.g. the data layer's validation).

    ``inputs()`` lists the files the check reads (its result is cached on their content);
    ``run()`` returns the problems found, one line each (empty: all good).
    """

    name: str
    inputs: Callable[[], list[Path]]
    run: Callable[[], list]


def run_checks(folder: Path, checks) -> None:
    """Run each check unless the files it reads are unchanged since it last passed."""
    for check in checks:
        files = [p for p in check.inputs() if p.is_file()]
        key = _tree_hash(files)
        stamp = folder / "cache" / f"checked-{check.name}.txt"
        if stamp.exists() and stamp.read_text() == key:
            continue
        problems = check.run()
        if problems:
            shown = "\n".join(f"  {p}" for p in problems[:50])
            more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise UserError(f"{check.name} has {len(problems)} problem(s); nothing was built:\n{shown}{more}")
        _write_atomic(stamp, key)


def render_key(manifest: Manifest, chapters: list[Chapter], cache: Cache, with_pdf: bool, sections=None) -> str:
    render_files = [Path(__file__).with_name("render.py")] + [
        p for d in (paths.templates_dir(), paths.fonts_dir()) if d.exists() for p in d.rglob("*") if p.is_file()
    ] + [Path(__file__).with_name(n) for n in ("downloads.py", "typst_pdf.py")] + sorted(p for p in paths.data_dir().rglob("*") if p.is_file())  # data: the dataset download
    payload = {
        "meta": manifest.meta,
        "chapters": [(s["id"], sha256_file(s["notebook"])) for s in sections]
        if sections
        else [(c.id, sha256_file(cache.executed(c.id))) for c in chapters],
        "facts": sha256_file(cache.folder / "editions" / "facts.json")
        if sections and (cache.folder / "editions" / "facts.json").exists()
        else None,
        "render": _tree_hash(f for f in render_files if f.exists()),
        "env": versions(RENDER_PINNED),
        "pdf": with_pdf,
        "pdf_engine": os.environ.get("PARTNERSHIPS_PDF_ENGINE", "typst") if with_pdf else None,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def build(
    manifest_path: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    only: str | None = None,
    with_pdf: bool = True,
    stream=None,
    checks=(),
    facts_extra=None,
) -> dict:
    """Build the report. Returns a summary dict; raises UserError, BuildFailed or Busy."""
    stream = stream or sys.stdout
    folder = paths.build_dir()
    lock = _lock(folder)
    try:
        return _build(manifest_path, jobs, use_cache, only, with_pdf, stream, folder, checks, facts_extra)
    finally:
        lock.close()


def _build(manifest_path, jobs, use_cache, only, with_pdf, stream, folder: Path, checks=(), facts_extra=None) -> dict:
    t_start = time.monotonic()
    run_checks(folder, checks)
    manifest = load_manifest(manifest_path)
    chapters = manifest.chapters
    if only:
        chapters = [c for c in chapters if c.id == only or c.notebook.stem == only]
        if not chapters:
            raise UserError(f"--only {only!r}: no such chapter; chapters: {', '.join(c.id for c in manifest.chapters)}")
    cache = Cache(folder)
    code, env = code_hash(), versions(PINNED)
    keys = {c.id: chapter_key(c, code, env) for c in chapters}
    todo = [c for c in chapters if not (use_cache and not only and cache.hit(c, keys[c.id]))]
    progress = Progress(len(chapters), stream)
    for c in chapters:
        progress(c.id, "queued" if c in todo else "cached")
    executed = _execute(todo, keys, cache, jobs, progress, folder) if todo else []

    name = manifest.meta["name"]
    if only:
        out_dir = folder / "preview"
        targets = {"html": out_dir / f"{chapters[0].id}.html"}
        with_pdf = False
    else:
        out_dir = paths.report_dir()
        targets = {"html": out_dir / f"{name}.html", "pdf": out_dir / f"{name}.pdf"}
        if facts_extra is not None:
            targets["facts"] = out_dir / f"{name}.facts.json"
    sections = _with_changes(manifest, chapters, cache, folder, targets, facts_extra if not only else None)
    rkey = render_key(manifest, chapters, cache, with_pdf, sections)
    stamp = folder / "cache" / ("report.json" if not only else f"preview-{chapters[0].id}.json")
    rendered = False
    if not _report_current(stamp, rkey, targets, with_pdf):
        _render(manifest, sections, targets, with_pdf, folder)
        record = {"key": rkey, "files": {k: sha256_file(p) for k, p in targets.items() if p.exists() and (k != "pdf" or with_pdf)}}
        _write_atomic(stamp, json.dumps(record, indent=1, sort_keys=True))
        rendered = True
    took = time.monotonic() - t_start
    shown = ", ".join(paths.relative(p) for k, p in targets.items() if k == "html" or (k == "pdf" and with_pdf))
    verb = "wrote" if rendered else "up to date:"
    print(f"{len(executed)} executed, {len(chapters) - len(executed)} cached; {verb} {shown} ({took:.1f} s)", file=stream)
    return {"executed": executed, "cached": [c.id for c in chapters if c.id not in executed], "targets": targets, "rendered": rendered, "seconds": took}


def _report_current(stamp: Path, rkey: str, targets: dict, with_pdf: bool) -> bool:
    if not stamp.exists():
        return False
    try:
        rec = json.loads(stamp.read_text())
    except ValueError:
        return False
    if rec.get("key") != rkey:
        return False
    for k, p in targets.items():
        if k == "pdf" and not with_pdf:
            continue
        if not p.exists() or rec.get("files", {}).get(k) != sha256_file(p):
            return False
    return True


def _with_changes(manifest: Manifest, chapters, cache: Cache, folder: Path, targets: dict, facts_extra) -> list[dict]:
    """The sections to render: the executed chapters, plus (for a full build) the generated
    section "Changes since the previous edition" after the first chapter (or after the
    chapter named by the manifest's ``changes_after``); writes the edition's facts file
    into the render folder (moved into report/ with the HTML and PDF)."""
    sections = [
        {"id": c.id, "notebook": cache.executed(c.id), "parameters": c.parameters, "annex": c.annex} for c in chapters
    ]
    if facts_extra is None or "facts" not in targets:
        return sections
    from partnerships.engine import editions

    defaults = {}
    for c in chapters:
        declared = notebook_parameters(c.notebook_path)
        defaults[c.id] = {k: p.default for k, p in declared.items()} | dict(c.parameters)
    for s in sections:
        s["parameters"] = defaults[s["id"]]
    extra = facts_extra() if callable(facts_extra) else dict(facts_extra)
    facts, changes_nb = editions.prepare(manifest.meta, sections, folder / "editions", extra)
    (folder / "editions" / "facts.json").write_text(editions.dumps(facts), encoding="utf-8")
    after = manifest.meta.get("changes_after") or (chapters[0].id if chapters else None)
    at = next((i + 1 for i, s in enumerate(sections) if s["id"] == after), 1)
    return sections[:at] + [{"id": "changes-since-the-previous-edition", "notebook": changes_nb, "parameters": {}}] + sections[at:]


def _render(manifest: Manifest, sections: list[dict], targets: dict, with_pdf: bool, folder: Path) -> None:
    from partnerships.engine import render

    tmp = Path(tempfile.mkdtemp(prefix="render-", dir=folder))
    try:
        html_tmp = tmp / targets["html"].name
        meta = dict(manifest.meta)
        render.render_html(
            meta, [{"id": s["id"], "notebook": s["notebook"], "annex": s.get("annex", False)} for s in sections], html_tmp
        )
        moves = [(html_tmp, targets["html"])]
        if with_pdf:
            pdf_tmp = tmp / targets["pdf"].name
            render.render_pdf(html_tmp, pdf_tmp)
            moves.append((pdf_tmp, targets["pdf"]))
        if "facts" in targets:
            facts_tmp = tmp / targets["facts"].name
            shutil.copyfile(folder / "editions" / "facts.json", facts_tmp)
            moves.append((facts_tmp, targets["facts"]))
        targets["html"].parent.mkdir(parents=True, exist_ok=True)
        for src, dst in moves:  # everything succeeded: move in
            os.replace(src, dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _execute(todo: list[Chapter], keys: dict, cache: Cache, jobs: int | None, progress: Progress, folder: Path) -> list[str]:
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=folder))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    specs = []
    for c in todo:
        specs.append(
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
        )
    by_id = {c.id: c for c in todo}
    done: list[str] = []
    failures: list[str] = []
    from partnerships.engine import warm

    warm.preload()  # once here, inherited by every worker's kernel server (not per worker)
    ctx = multiprocessing.get_context("fork")
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)
    pending: dict[cf.Future, dict] = {}
    queue = list(specs)
    try:
        while queue or pending:
            while queue and len(pending) < jobs:
                spec = queue.pop(0)
                pending[pool.submit(execute_chapter, spec)] = spec
                progress(spec["id"], "running")
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
                    failures.append(_failure_message(res, spec, by_id[cid], folder))
                    progress(cid, "FAILED", f"after {res['seconds']:.1f} s")
    except KeyboardInterrupt:
        _stop_pool(pool, run_dir)
        shutil.rmtree(run_dir, ignore_errors=True)
        raise BuildFailed("build interrupted (Ctrl-C): kernels stopped, report/ left as it was", exit_code=130) from None
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


def _failure_message(res: dict, spec: dict, ch: Chapter, folder: Path) -> str:
    failed_dir = folder / "failed"
    failed_dir.mkdir(parents=True, exist_ok=True)
    kept = failed_dir / f"{ch.id}.ipynb"
    if Path(spec["output"]).exists():
        shutil.copyfile(spec["output"], kept)
        where = f"; the executed notebook is kept at {paths.relative(kept)}"
    else:
        where = ""
    cell = res.get("cell")
    cell_txt = f"cell {cell}" if cell else "an unknown cell"
    if res.get("kind") == "timeout":
        what = f"timed out: {cell_txt} ran longer than {ch.timeout} s; the kernel was stopped"
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


# --------------------------------------------------------------------------- committed outputs
def refresh_outputs(notebooks: list[Path] | None = None, jobs: int | None = None, check: bool = False, stream=None) -> list[str]:
    """Re-execute notebooks/ with their default parameters and store the outputs in place.

    Only notebooks whose cleaned outputs changed are rewritten, so unchanged inputs leave
    ``git status`` clean. With ``check=True`` nothing is written; the changed ones are returned.
    """
    import nbformat

    stream = stream or sys.stdout
    folder = paths.build_dir()
    lock = _lock(folder)
    try:
        nbs = sorted(notebooks or paths.notebooks_dir().glob("[0-9]*.ipynb"))
        chapters = [Chapter(p.stem, p.relative_to(paths.root()), {}, 600) for p in nbs]
        progress = Progress(len(chapters), stream)
        cache = Cache(folder / "outputs")
        code, env = code_hash(), versions(PINNED)
        keys = {c.id: chapter_key(c, code, env) for c in chapters}
        for c in chapters:
            progress(c.id, "queued")
        _execute(chapters, keys, cache, jobs, progress, folder)
        changed = []
        for c in chapters:
            fresh = nbformat.read(cache.executed(c.id), as_version=4)
            fresh.metadata.pop("papermill", None)
            text = nbformat.writes(fresh) + "\n"
            if c.notebook_path.read_text(encoding="utf-8") != text:
                changed.append(c.notebook.as_posix())
                if not check:
                    c.notebook_path.write_text(text, encoding="utf-8")
        verb = "differ" if check else "updated"
        print(f"{len(changed)} notebook(s) {verb}: {', '.join(changed) or 'none'}", file=stream)
        return changed
    finally:
        lock.close()
