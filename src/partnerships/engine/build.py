"""``partnerships build``: manifest -> chapters executed (parallel, cached) -> one HTML + PDF,
moved into report/ only on success.

Steps of :func:`build`:

1. lock ``build/.lock`` (a second build in the same folder stops with a clear message);
2. run the checks the caller passes (the CLI passes the data layer's validation) and read
   the manifest with every chapter's parameters (:mod:`.manifest`), before any kernel;
3. decide per chapter whether the cache holds it (:mod:`.cache`);
4. execute the others in a process pool (:mod:`.pool`, :mod:`.execute`);
5. render the HTML (:mod:`.page`) and the PDF (:mod:`.pdf`) into a temporary folder and
   move them into report/.

Any failure leaves report/ exactly as it was. Heavy imports (papermill, nbconvert,
WeasyPrint) happen only when something must be executed or rendered, so a no-op build
stays well under two seconds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from partnerships import paths
from partnerships.engine import lock, pool
from partnerships.engine.cache import (
    PINNED,
    Cache,
    chapter_key,
    code_hash,
    render_key,
    report_current,
    versions,
    write_atomic,
)
from partnerships.engine.manifest import Manifest
from partnerships.engine.manifest import load as load_manifest
from partnerships.engine.params import notebook_parameters
from partnerships.engine.place import replace_together
from partnerships.errors import BuildFailed, UserError, environment_message
from partnerships.files import sha256_file


@dataclass(frozen=True)
class Check:
    """A check run before any kernel starts (e.g. the data layer's validation).

    ``run()`` returns the problems found, one line each (empty: all good); it caches its
    own results if it wants to.
    """

    name: str
    run: Callable[[], list]


def run_checks(checks) -> None:
    """Run each check; any problem stops the build with one message listing them."""
    for check in checks:
        problems = check.run()
        if problems:
            shown = "\n".join(f"  {p}" for p in problems[:50])
            more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise UserError(f"{check.name} has {len(problems)} problem(s); nothing was built:\n{shown}{more}")


def build(
    manifest_path: Path | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    only: str | None = None,
    with_pdf: bool = True,
    stream=None,
    checks=(),
    facts_extra=None,
    html_to: Path | None = None,
    memo: dict | None = None,
) -> dict:
    """Build the report. Returns a summary dict; raises UserError, BuildFailed or Busy.

    ``facts_extra``: what the application adds to the edition's facts (a dict, or a
    callable returning one); when given, a full build also writes ``report/<name>.facts.json``
    and the section "Changes since the previous edition" (:mod:`.editions`).

    ``html_to`` (the preview server): write only the whole report's HTML, to that file
    (report/ is not touched); ``memo``: a dict kept between calls (see :func:`.page.render_html`)."""
    stream = stream or sys.stdout
    folder = paths.build_dir()
    held = lock.acquire(folder)
    try:
        return _build(
            manifest_path, jobs, use_cache, only, with_pdf, stream, folder, checks, facts_extra, html_to, memo
        )
    finally:
        held.close()


def _build(
    manifest_path,
    jobs,
    use_cache,
    only,
    with_pdf,
    stream,
    folder: Path,
    checks=(),
    facts_extra=None,
    html_to=None,
    memo=None,
) -> dict:
    t_start = time.monotonic()
    run_checks(checks)
    manifest = load_manifest(manifest_path)
    chapters = manifest.chapters
    if only:
        chapters = [c for c in chapters if c.id == only] or [c for c in chapters if c.notebook.stem == only]
        if not chapters:
            raise UserError(f"--only {only!r}: no such chapter; chapters: {', '.join(c.id for c in manifest.chapters)}")
        if len(chapters) > 1:
            ids = [c.id for c in chapters]
            raise UserError(
                f"--only {only!r}: the notebook makes {len(ids)} chapters ({', '.join(ids)}); "
                f"name one, e.g. --only {ids[0]}"
            )
    cache = Cache(folder)
    code, env = code_hash(), versions(PINNED)
    keys = {c.id: chapter_key(c, code, env) for c in chapters}
    todo = [c for c in chapters if not (use_cache and not only and cache.hit(c, keys[c.id]))]
    progress = pool.Progress(len(chapters), stream)
    for c in chapters:
        progress(c.id, "queued" if c in todo else "cached")
    executed = pool.run(todo, keys, cache, jobs, progress, folder, meanwhile=_ready_to_render) if todo else []

    name = manifest.meta["name"]
    if html_to is not None and not only:  # the preview server's copy
        targets = {"html": Path(html_to)}
        with_pdf = False
    elif only:
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
    if html_to is not None and not only:
        stamp = folder / "cache" / "preview-server.json"
    rendered = False
    if not report_current(stamp, rkey, targets, with_pdf):
        try:
            interrupted = _render(manifest, sections, targets, with_pdf, folder, partial=bool(only), memo=memo)
        except OSError as exc:
            raise BuildFailed(f"{environment_message(exc)}. report/ was left as it was.") from None
        record = {
            "key": rkey,
            "files": {k: sha256_file(p) for k, p in targets.items() if p.exists() and (k != "pdf" or with_pdf)},
        }
        write_atomic(stamp, json.dumps(record, indent=1, sort_keys=True))
        rendered = True
        if interrupted:
            raise BuildFailed("interrupted while report/ was being updated; the new report was written completely", 130)
    took = time.monotonic() - t_start
    shown = ", ".join(paths.relative(p) for k, p in targets.items() if k == "html" or (k == "pdf" and with_pdf))
    verb = "wrote" if rendered else "up to date:"
    print(
        f"{len(executed)} executed, {len(chapters) - len(executed)} cached; {verb} {shown} ({took:.1f} s)", file=stream
    )
    return {
        "executed": executed,
        "cached": [c.id for c in chapters if c.id not in executed],
        "targets": targets,
        "rendered": rendered,
        "seconds": took,
    }


#: What rendering imports (besides nbconvert, which :func:`.export.exporter` imports).
RENDER_IMPORTS = ("bs4", "nh3", "jinja2", "tinyhtml5", "typst", "fontTools.ttLib")


def _ready_to_render() -> None:
    """What rendering imports and reads whatever the chapters give (nbconvert and its
    template, the HTML tools, the fonts' character sets, the PDF engine), done while the
    chapters run rather than after them."""
    import importlib

    from partnerships.engine import export, fonts, page, pdf  # noqa: F401

    for name in RENDER_IMPORTS:
        importlib.import_module(name)
    export.exporter()
    fonts.covered()


def _with_changes(manifest: Manifest, chapters, cache: Cache, folder: Path, targets: dict, facts_extra) -> list[dict]:
    """The sections to render: the executed chapters, plus (for a full build) the generated
    section "Changes since the previous edition" after the first chapter (or after the
    chapter named by the manifest's ``changes_after``); writes the edition's facts file
    into the render folder (moved into report/ with the HTML and PDF)."""
    sections = [
        {
            "id": c.id,
            "notebook": cache.executed(c.id),
            "parameters": c.parameters,
            "annex": c.annex,
            "source": c.notebook,
        }
        for c in chapters
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
    out = folder / "editions"
    key = _editions_key(manifest, sections, extra)
    changes_nb = out / "changes.ipynb"
    stamp = out / "key.txt"
    if not (stamp.is_file() and stamp.read_text() == key and (out / "facts.json").is_file() and changes_nb.is_file()):
        facts, changes_nb = editions.prepare(manifest.meta, sections, out, extra)
        (out / "facts.json").write_text(editions.dumps(facts), encoding="utf-8")
        write_atomic(stamp, key)
    after = manifest.meta.get("changes_after") or (chapters[0].id if chapters else None)
    at = next((i + 1 for i, s in enumerate(sections) if s["id"] == after), 1)
    return (
        sections[:at]
        + [{"id": "changes-since-the-previous-edition", "notebook": changes_nb, "parameters": {}}]
        + sections[at:]
    )


def _editions_key(manifest: Manifest, sections: list[dict], extra: dict) -> str:
    """What the edition's facts and changes section depend on: the executed chapters and
    their parameters, the application's extra facts, the registered editions, the code."""
    from partnerships.engine import editions

    registered = editions.editions_dir()
    payload = {
        "meta": manifest.meta,
        "sections": [(s["id"], sha256_file(s["notebook"]), s["parameters"]) for s in sections],
        "extra": extra,
        "editions": [(p.relative_to(registered).as_posix(), sha256_file(p)) for p in sorted(registered.rglob("*.json"))]
        if registered.is_dir()
        else [],
        "code": sha256_file(Path(editions.__file__)),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _render(
    manifest: Manifest,
    sections: list[dict],
    targets: dict,
    with_pdf: bool,
    folder: Path,
    partial: bool = False,
    memo=None,
) -> bool:
    """Render into a temporary folder, then replace the targets together (:mod:`.place`).
    True if Ctrl-C arrived while the files were being swapped."""
    from partnerships.engine.page import render_html

    tmp = Path(tempfile.mkdtemp(prefix="render-", dir=folder))
    try:
        html_tmp = tmp / targets["html"].name
        meta = dict(manifest.meta)
        render_html(
            meta,
            [{k: s[k] for k in ("id", "notebook", "annex", "source") if k in s} for s in sections],
            html_tmp,
            partial=partial,
            memo=memo,
        )
        moves = [(html_tmp, targets["html"])]
        if with_pdf:
            from partnerships.engine.pdf import render_pdf

            pdf_tmp = tmp / targets["pdf"].name
            render_pdf(html_tmp, pdf_tmp)
            moves.append((pdf_tmp, targets["pdf"]))
        if "facts" in targets:
            facts_tmp = tmp / targets["facts"].name
            shutil.copyfile(folder / "editions" / "facts.json", facts_tmp)
            moves.append((facts_tmp, targets["facts"]))
        return replace_together(moves)  # everything succeeded: move in, all or nothing
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
