"""What a chapter's result depends on, and the store of executed notebooks under ``build/``.

A chapter is served from the cache when its key (notebook bytes, parameters, package code,
dependency versions, timeout) is unchanged and every data file it read last time still has
the hash recorded then. The rendered report has its own key (:func:`render_key`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from partnerships import paths
from partnerships.engine import desk
from partnerships.engine.manifest import Chapter, Manifest
from partnerships.files import is_junk, sha256_file

#: Packages whose version is part of every chapter's key, and of the rendered report's key.
PINNED = (
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbclient",
    "nbformat",
    "ipykernel",
    "ipython",
    "pandera",
    "pycountry",
)
RENDER_PINNED = ("nbconvert", "weasyprint", "pydyf", "nh3", "beautifulsoup4", "typst", "tinyhtml5", "fonttools")


def tree_hash(files) -> str:
    """One hash over the files' root-relative names and contents."""
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(paths.relative(f).encode() + b"\0" + sha256_file(f).encode() + b"\n")
    return h.hexdigest()


def code_hash() -> str:
    """The package's Python code (templates are covered by the render key)."""
    return tree_hash(p for p in paths.PACKAGE.rglob("*.py") if "__pycache__" not in p.parts and not is_junk(p.name))


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
        "notebook": desk.code_digest(ch.notebook_path),  # code cells only: Markdown is merged at render time
        "parameters": ch.parameters,
        "code": code,
        "env": env,
        "timeout": ch.timeout,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class Cache:
    """Executed notebooks (``executed/<id>.ipynb``) and their keys (``cache/<id>.json``)."""

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

    def store(self, ch: Chapter, key: str, nb_tmp: Path, deps: dict[str, str]) -> None:
        """Keep the executed notebook; ``deps``: {file read: sha256 of the bytes read, hashed
        when the chapter read them, so an edit made during the run is seen next time}."""
        (self.folder / "executed").mkdir(parents=True, exist_ok=True)
        (self.folder / "cache").mkdir(parents=True, exist_ok=True)
        os.replace(nb_tmp, self.executed(ch.id))
        entry = {"key": key, "executed_sha256": sha256_file(self.executed(ch.id)), "deps": dict(sorted(deps.items()))}
        write_atomic(self.entry_path(ch.id), json.dumps(entry, indent=1, sort_keys=True))


def render_key(manifest: Manifest, chapters: list[Chapter], cache: Cache, with_pdf: bool, sections=None) -> str:
    """The rendered report's key: metadata, executed chapters (or the ``sections`` rendered,
    generated ones included), the edition's facts, engine code, templates, fonts."""
    render_files = (
        sorted((paths.PACKAGE / "engine").glob("*.py"))
        + [p for d in (paths.templates_dir(), paths.fonts_dir()) if d.exists() for p in d.rglob("*") if p.is_file()]
        + sorted(p for p in paths.data_dir().rglob("*") if p.is_file() and not is_junk(p.name))
    )  # data/: the dataset download
    payload = {
        "meta": manifest.meta,
        "chapters": [(s["id"], sha256_file(s["notebook"]), _source_hash(s.get("source"))) for s in sections]
        if sections
        else [(c.id, sha256_file(cache.executed(c.id)), sha256_file(c.notebook_path)) for c in chapters],
        "facts": sha256_file(cache.folder / "editions" / "facts.json")
        if sections and (cache.folder / "editions" / "facts.json").exists()
        else None,
        "render": tree_hash(f for f in render_files if f.exists()),
        "env": versions(RENDER_PINNED),
        "pdf": with_pdf,
        "pdf_engine": os.environ.get("PARTNERSHIPS_PDF_ENGINE", "typst") if with_pdf else None,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _source_hash(source) -> str | None:
    """The source notebook's bytes (its Markdown is merged into the executed notebook at render time)."""
    if not source:
        return None
    p = Path(source) if Path(source).is_absolute() else paths.root() / source
    return sha256_file(p) if p.is_file() else None


def report_current(stamp: Path, rkey: str, targets: dict, with_pdf: bool) -> bool:
    """Whether the files in ``targets`` are those rendered under key ``rkey`` (untouched since)."""
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
