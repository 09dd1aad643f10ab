"""``make outputs``: re-execute notebooks/ with their default parameters and store the
outputs in place (what nbval compares against)."""

from __future__ import annotations

import sys
from pathlib import Path

from partnerships import paths
from partnerships.engine import lock, pool
from partnerships.engine.cache import PINNED, Cache, chapter_key, code_hash, versions
from partnerships.engine.manifest import Chapter


def refresh_outputs(notebooks: list[Path] | None = None, jobs: int | None = None, check: bool = False, stream=None) -> list[str]:
    """Re-execute notebooks/ with their default parameters and store the outputs in place.

    Only notebooks whose cleaned outputs changed are rewritten, so unchanged inputs leave
    ``git status`` clean. With ``check=True`` nothing is written; the changed ones are returned.
    """
    import nbformat

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
        pool.run(chapters, keys, cache, jobs, progress, folder)
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
        held.close()
