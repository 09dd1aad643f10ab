"""``make outputs``: re-execute notebooks/ with their default parameters and store the
outputs in place (what nbval compares against)."""

from __future__ import annotations

import sys
from pathlib import Path

from partnerships import paths
from partnerships.engine import desk, lock, pool
from partnerships.engine.cache import PINNED, Cache, chapter_key, code_hash, versions
from partnerships.engine.manifest import Chapter
from partnerships.errors import BuildFailed


def refresh_outputs(
    notebooks: list[Path] | None = None, jobs: int | None = None, check: bool = False, stream=None
) -> list[str]:
    """Re-execute notebooks/ with their default parameters and store the outputs in place.

    Only notebooks whose cleaned outputs changed are rewritten, so unchanged inputs leave
    ``git status`` clean; each gets its text view beside it (``NN-x.txt``, see
    :mod:`partnerships.engine.textview`). A notebook that fails does not stop the others:
    every one that succeeded is written, then the failures are listed and BuildFailed is
    raised (exit 1). With ``check=True`` nothing is written; the changed ones are returned.
    """
    import nbformat

    from partnerships.engine import textview

    stream = stream or sys.stdout
    folder = paths.build_dir()
    held = lock.acquire(folder)
    try:
        nbs = sorted(notebooks or paths.notebooks_dir().glob("[0-9]*.ipynb"))
        chapters = [Chapter(p.stem, p.relative_to(paths.root()), {}, 600) for p in nbs]
        progress = pool.Progress(len(chapters), stream)
        cache = Cache(folder / "outputs")
        code, env = code_hash(), versions(PINNED)
        keys = {c.id: chapter_key(c, code, env) for c in chapters}
        for c in chapters:
            progress(c.id, "queued")
        failure = None
        try:
            pool.run(chapters, keys, cache, jobs, progress, folder)
        except BuildFailed as exc:
            if exc.exit_code != 1:
                raise
            failure = exc  # the others ran to the end and are in the cache
        changed, failed = [], []
        for c in chapters:
            if not cache.hit(c, keys[c.id]):
                failed.append(c.notebook.as_posix())
                continue
            source = nbformat.read(c.notebook_path, as_version=4)
            fresh = desk.merge_source(nbformat.read(cache.executed(c.id), as_version=4), source)
            fresh.metadata.pop("papermill", None)
            if "kernelspec" in source.metadata:  # the kernel the notebook names, not the one the build used
                fresh.metadata["kernelspec"] = source.metadata["kernelspec"]
            text = nbformat.writes(fresh) + "\n"
            view = textview.render(fresh)
            txt = textview.text_path(c.notebook_path)
            stale_view = not txt.exists() or txt.read_text(encoding="utf-8") != view
            if c.notebook_path.read_text(encoding="utf-8") != text or stale_view:
                changed.append(c.notebook.as_posix())
                if not check:
                    c.notebook_path.write_text(text, encoding="utf-8")
                    txt.write_text(view, encoding="utf-8", newline="\n")
        verb = "differ" if check else "updated"
        print(f"{len(changed)} notebook(s) {verb}: {', '.join(changed) or 'none'}", file=stream)
        if failed:
            detail = f"\n{failure}" if failure else ""
            raise BuildFailed(
                f"{len(failed)} notebook(s) failed and were left as they were: {', '.join(failed)}{detail}"
            )
        return changed
    finally:
        held.close()
