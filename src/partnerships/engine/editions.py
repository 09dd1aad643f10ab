"""Editions: the facts of a build, the register of published editions, and what changed.

Every build writes ``report/<name>.facts.json`` beside the HTML and PDF: every value the
chapters computed for their prose (outputs of type :data:`VALUE_MIME`), every key
judgment (:data:`JUDGMENT_MIME`), every table's rows by key, the parameters each chapter
ran with, and whatever the application adds (the data layer adds its sources and their
dates). Sorted keys, stable order: two builds of the same inputs give the same bytes.

``partnerships publish`` copies the facts into ``editions/<edition date>/`` with the git
commit and a note; the next build compares its facts with the newest registered edition
before its own date and renders the differences as a section of the report;
``partnerships diff OLD NEW`` prints the same for any two editions (or ``working``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from partnerships import paths
from partnerships.errors import UserError

VALUE_MIME = "application/vnd.partnerships.value+json"
JUDGMENT_MIME = "application/vnd.partnerships.judgment+json"
FACTS_VERSION = 1
WORKING = "working"


# ---------------------------------------------------------------------------- collecting facts
class _Tables(HTMLParser):
    """The report tables in a chapter's HTML output: caption, label, header and rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._fig: dict | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_caption = False
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and a.get("data-kind") == "table":
            self._fig = {"title": "", "label": a.get("data-label") or a.get("id") or "", "columns": [], "rows": []}
        elif self._fig is None:
            return
        elif tag == "span" and "caption-title" in (a.get("class") or "").split():
            self._in_caption = True
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if self._fig is None:
            return
        if tag == "span" and self._in_caption:
            self._in_caption = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head and not self._fig["columns"]:
                self._fig["columns"] = self._row
            elif not self._in_head:
                self._fig["rows"].append(self._row)
            self._row = None
        elif tag == "figure":
            self.tables.append(self._fig)
            self._fig = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_caption and self._fig is not None:
            self._fig["title"] += data


def tables_in(html_text: str) -> list[dict]:
    """Report tables found in an HTML fragment: {title, label, columns, rows} each."""
    p = _Tables()
    p.feed(html_text)
    p.close()
    out = []
    for t in p.tables:
        out.append(
            {"title": " ".join(t["title"].split()), "label": t["label"], "columns": t["columns"], "rows": t["rows"]}
        )
    return out


def _rows_by_key(columns: list[str], rows: list[list[str]]) -> dict:
    """Rows keyed by their first cell (a repeated key gets ' #2', ' #3' ...)."""
    out: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for r in rows:
        key = r[0] if r else ""
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} #{seen[key]}"
        out[key] = {(columns[i] if i < len(columns) and columns[i] else f"column {i + 1}"): v for i, v in enumerate(r)}
    return out


def _jsonable(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    return v


def chapter_facts(chapter_id: str, nb) -> dict:
    """Values, judgments and tables of one executed notebook (an nbformat node)."""
    values, judgments, tables = {}, {}, {}
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            if VALUE_MIME in data:
                v = dict(data[VALUE_MIME])
                name = str(v.get("name", ""))
                values[f"{chapter_id}/{name}"] = {
                    "chapter": chapter_id,
                    "name": name,
                    "value": _jsonable(v.get("value")),
                    "text": v.get("text"),
                    "unit": v.get("unit"),
                    "label": v.get("label"),
                    "sources": sorted(v.get("sources") or []),
                }
            if JUDGMENT_MIME in data:
                j = dict(data[JUDGMENT_MIME])
                name = str(j.get("name", ""))
                judgments[f"{chapter_id}/{name}"] = {
                    "chapter": chapter_id,
                    "name": name,
                    "text": j.get("text"),
                    "confidence": j.get("confidence"),
                }
            if "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                for t in tables_in(text):
                    key = f"{chapter_id}/{t['label'] or t['title']}"
                    tables[key] = {
                        "chapter": chapter_id,
                        "title": t["title"],
                        "columns": t["columns"],
                        "rows": _rows_by_key(t["columns"], t["rows"]),
                    }
    return {"values": values, "judgments": judgments, "tables": tables}


def collect(meta: dict, chapters: list[dict], extra: dict | None = None) -> dict:
    """The facts of a build.

    ``chapters``: in report order, each {"id", "notebook" (executed .ipynb path),
    "parameters" (the values the chapter ran with)}. ``extra``: sections the application
    adds (e.g. {"sources": {id: {"date": ..., "title": ...}}}).
    """
    import nbformat

    facts: dict = {
        "facts_version": FACTS_VERSION,
        "edition": str(meta.get("edition", "")),
        "title": str(meta.get("title", "")),
        "chapters": [c["id"] for c in chapters],
        "parameters": {},
        "values": {},
        "judgments": {},
        "tables": {},
    }
    for c in chapters:
        nb = nbformat.read(str(c["notebook"]), as_version=4)
        one = chapter_facts(c["id"], nb)
        for k in ("values", "judgments", "tables"):
            facts[k].update(one[k])
        facts["parameters"][c["id"]] = {k: _jsonable(v) for k, v in sorted((c.get("parameters") or {}).items())}
    for k, v in (extra or {}).items():
        facts[k] = v
    return facts


def dumps(facts: dict) -> str:
    """Deterministic, diff-friendly JSON (sorted keys, one item per line)."""
    return json.dumps(facts, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- the register
def editions_dir() -> Path:
    return paths.root() / "editions"


def registered() -> list[str]:
    """Edition dates in the register, oldest first."""
    d = editions_dir()
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if (p / "facts.json").is_file())


def load_edition(name: str, working: Path | None = None) -> dict:
    """The facts of a registered edition, or of the last build (``working``)."""
    if name == WORKING:
        if working is None or not working.is_file():
            raise UserError(
                "no facts from a build in this folder yet (report/<name>.facts.json): run `partnerships build` first"
            )
        return json.loads(working.read_text(encoding="utf-8"))
    path = editions_dir() / name / "facts.json"
    if not path.is_file():
        known = ", ".join(registered()) or "none yet"
        raise UserError(f"no registered edition {name!r} (registered: {known}; or `working` for the last build)")
    return json.loads(path.read_text(encoding="utf-8"))


def previous_edition(edition: str) -> str | None:
    """The newest registered edition dated before ``edition`` (None: this is the first)."""
    earlier = [e for e in registered() if e < edition]
    return earlier[-1] if earlier else None


def _git_commit(root: Path) -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return sha + ("+uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"


def publish(facts_path: Path, note: str, force: bool = False) -> Path:
    """Store the facts of the last build under editions/<edition>/ with commit and note."""
    if not facts_path.is_file():
        raise UserError(f"{paths.relative(facts_path)} does not exist: run `partnerships build` first")
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    edition = facts.get("edition") or ""
    try:
        dt.date.fromisoformat(edition)
    except ValueError:
        raise UserError(
            f"the built facts carry no valid edition date ({edition!r}); set `edition:` in report.yml"
        ) from None
    if not note.strip():
        raise UserError('publish needs a one-line note (--note "what this edition is")')
    folder = editions_dir() / edition
    if (folder / "facts.json").exists() and not force:
        raise UserError(
            f"edition {edition} is already registered (editions/{edition}/); set a new `edition:` date in report.yml, "
            "or pass --force to replace it"
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "facts.json").write_text(dumps(facts), encoding="utf-8")
    record = {"edition": edition, "commit": _git_commit(paths.root()), "note": " ".join(note.split())}
    (folder / "edition.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------- differences
def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _change_text(old, new) -> str:
    a, b = _num(old.get("value")), _num(new.get("value"))
    shown = f"{old.get('text') or old.get('value')} to {new.get('text') or new.get('value')}"
    if a is not None and b is not None:
        d = b - a
        d_text = f"{d:+,}" if isinstance(d, int) else f"{d:+,.2f}".rstrip("0").rstrip(".")
        shown += f" ({d_text}"
        if a:
            shown += f", {100 * d / abs(a):+.1f}%"
        shown += ")"
    return shown


def diff(old: dict, new: dict) -> dict:
    """What changed from ``old`` facts to ``new`` facts, grouped by kind (empty lists: nothing)."""
    out: dict[str, list] = {k: [] for k in ("values", "judgments", "tables", "parameters", "sources", "chapters")}
    ov, nv = old.get("values", {}), new.get("values", {})
    for k in sorted(set(ov) | set(nv)):
        if k not in ov:
            out["values"].append({"kind": "added", "key": k, "label": nv[k].get("label"), "new": nv[k].get("text")})
        elif k not in nv:
            out["values"].append({"kind": "removed", "key": k, "label": ov[k].get("label"), "old": ov[k].get("text")})
        elif (ov[k].get("value"), ov[k].get("text")) != (nv[k].get("value"), nv[k].get("text")):
            out["values"].append(
                {
                    "kind": "changed",
                    "key": k,
                    "label": nv[k].get("label"),
                    "old": ov[k].get("text"),
                    "new": nv[k].get("text"),
                    "shown": _change_text(ov[k], nv[k]),
                }
            )
    oj, nj = old.get("judgments", {}), new.get("judgments", {})
    for k in sorted(set(oj) | set(nj)):
        if k not in oj:
            out["judgments"].append(
                {"kind": "added", "key": k, "new": nj[k].get("text"), "confidence": nj[k].get("confidence")}
            )
        elif k not in nj:
            out["judgments"].append({"kind": "removed", "key": k, "old": oj[k].get("text")})
        else:
            a, b = oj[k], nj[k]
            if a.get("text") != b.get("text") or a.get("confidence") != b.get("confidence"):
                out["judgments"].append(
                    {
                        "kind": "changed",
                        "key": k,
                        "old": a.get("text"),
                        "new": b.get("text"),
                        "old_confidence": a.get("confidence"),
                        "new_confidence": b.get("confidence"),
                    }
                )
    ot, nt = old.get("tables", {}), new.get("tables", {})
    for k in sorted(set(ot) | set(nt)):
        if k not in ot:
            out["tables"].append({"kind": "added", "key": k, "title": nt[k].get("title"), "rows": len(nt[k]["rows"])})
            continue
        if k not in nt:
            out["tables"].append({"kind": "removed", "key": k, "title": ot[k].get("title"), "rows": len(ot[k]["rows"])})
            continue
        a, b = ot[k]["rows"], nt[k]["rows"]
        added = sorted(set(b) - set(a))
        removed = sorted(set(a) - set(b))
        changed = []
        for r in sorted(set(a) & set(b)):
            cells = [(c, a[r].get(c), b[r].get(c)) for c in sorted(set(a[r]) | set(b[r])) if a[r].get(c) != b[r].get(c)]
            if cells:
                changed.append({"row": r, "cells": [{"column": c, "old": x, "new": y} for c, x, y in cells]})
        if added or removed or changed:
            out["tables"].append(
                {
                    "kind": "changed",
                    "key": k,
                    "title": nt[k].get("title"),
                    "added": added,
                    "removed": removed,
                    "changed": changed,
                }
            )
    op, np_ = old.get("parameters", {}), new.get("parameters", {})
    for ch in sorted(set(op) & set(np_)):
        for p in sorted(set(op[ch]) | set(np_[ch])):
            if op[ch].get(p) != np_[ch].get(p):
                out["parameters"].append({"chapter": ch, "parameter": p, "old": op[ch].get(p), "new": np_[ch].get(p)})
    out["chapters"] = [
        {"kind": "added", "chapter": c} for c in new.get("chapters", []) if c not in old.get("chapters", [])
    ] + [{"kind": "removed", "chapter": c} for c in old.get("chapters", []) if c not in new.get("chapters", [])]
    os_, ns = old.get("sources", {}), new.get("sources", {})
    for s in sorted(set(os_) | set(ns)):
        if s not in os_:
            out["sources"].append(
                {"kind": "added", "source": s, "title": ns[s].get("title"), "date": ns[s].get("date")}
            )
        elif s not in ns:
            out["sources"].append({"kind": "removed", "source": s, "title": os_[s].get("title")})
        else:
            fields = [f for f in sorted(set(os_[s]) | set(ns[s])) if os_[s].get(f) != ns[s].get(f)]
            if fields:
                out["sources"].append(
                    {
                        "kind": "revised",
                        "source": s,
                        "title": ns[s].get("title"),
                        "fields": [{"field": f, "old": os_[s].get(f), "new": ns[s].get(f)} for f in fields],
                    }
                )
    return out


def nothing_changed(d: dict) -> bool:
    return not any(d.values())


def _short(v, limit: int = 90) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def as_lines(d: dict, old_name: str, new_name: str) -> list[str]:
    """The differences as plain-text lines (for ``partnerships diff`` and for review)."""
    lines = [f"Changes from edition {old_name} to {new_name}"]
    if nothing_changed(d):
        return lines + ["No change: every value, table, judgment, parameter and source is the same."]
    names = {
        "values": "Numbers",
        "tables": "Tables",
        "judgments": "Key judgments",
        "parameters": "Method (parameters)",
        "sources": "Data sources",
        "chapters": "Chapters",
    }
    for kind in ("judgments", "values", "tables", "parameters", "sources", "chapters"):
        items = d.get(kind) or []
        if not items:
            continue
        lines.append(f"{names[kind]}: {len(items)}")
        for it in items:
            lines.append("  " + _item_text(kind, it))
    return lines


def _item_text(kind: str, it: dict) -> str:
    if kind == "values":
        what = it.get("label") or it["key"]
        if it["kind"] == "changed":
            return f"{what}: {it['shown']}"
        return f"{what}: {it['kind']} ({it.get('new') or it.get('old')})"
    if kind == "judgments":
        if it["kind"] == "changed":
            conf = ""
            if it.get("old_confidence") != it.get("new_confidence"):
                conf = f" [confidence {it.get('old_confidence')} to {it.get('new_confidence')}]"
            return f"{it['key']}: wording or confidence changed{conf}: {_short(it.get('new'))}"
        return f"{it['key']}: {it['kind']}: {_short(it.get('new') or it.get('old'))}"
    if kind == "tables":
        if it["kind"] != "changed":
            return f"{it.get('title') or it['key']}: table {it['kind']} ({it['rows']} rows)"
        parts = []
        if it["added"]:
            parts.append(
                f"rows added: {', '.join(_short(r, 40) for r in it['added'][:8])}"
                + (" …" if len(it["added"]) > 8 else "")
            )
        if it["removed"]:
            parts.append(
                f"rows removed: {', '.join(_short(r, 40) for r in it['removed'][:8])}"
                + (" …" if len(it["removed"]) > 8 else "")
            )
        for ch in it["changed"][:8]:
            cells = "; ".join(f"{c['column']} {c['old']} to {c['new']}" for c in ch["cells"][:4])
            parts.append(f"{_short(ch['row'], 40)}: {cells}")
        if len(it["changed"]) > 8:
            parts.append(f"and {len(it['changed']) - 8} more changed rows")
        return f"{it.get('title') or it['key']}: " + " | ".join(parts)
    if kind == "parameters":
        return f"{it['chapter']}: {it['parameter']} {it['old']!r} to {it['new']!r}"
    if kind == "sources":
        if it["kind"] == "revised":
            f = "; ".join(f"{x['field']} {x['old']} to {x['new']}" for x in it["fields"])
            return f"{it.get('title') or it['source']}: revised ({f})"
        return f"{it.get('title') or it['source']}: {it['kind']}" + (f" (dated {it['date']})" if it.get("date") else "")
    return f"{it['chapter']}: {it['kind']}"


# ---------------------------------------------------------------------------- the report section
def changes_notebook(d: dict | None, previous: str | None, edition: str, previous_record: dict | None = None):
    """A notebook (no code) holding the section "Changes since the previous edition"."""
    import nbformat

    e = html.escape
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell("# What changed since the previous edition?")]
    if previous is None:
        cells.append(
            nbformat.v4.new_markdown_cell(
                f"This edition ({edition}) is the first registered for comparison (earlier drafts were not "
                "registered), so there is no previous edition to compare it with. The next edition will list here "
                "every number, table row, key judgment, method parameter and data source that changed since this one."
            )
        )
        nb.cells = cells
        return nb
    note = f" ({e(previous_record.get('note', ''))})" if previous_record and previous_record.get("note") else ""
    if d is None or nothing_changed(d):
        cells.append(
            nbformat.v4.new_markdown_cell(
                f"Compared with the edition of {previous}{note}, nothing changed: every number, table, key judgment, "
                "method parameter and data source is the same."
            )
        )
        nb.cells = cells
        return nb
    counts = {k: len(v) for k, v in d.items() if v}
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    cells.append(nbformat.v4.new_markdown_cell(f"Compared with the edition of {previous}{note}: {summary} changed."))
    sections = [
        ("judgments", "Key judgments"),
        ("values", "Numbers"),
        ("tables", "Tables"),
        ("parameters", "Method: parameters the chapters ran with"),
        ("sources", "Data sources"),
        ("chapters", "Chapters"),
    ]
    for kind, title in sections:
        items = d.get(kind) or []
        if not items:
            continue
        rows = "".join(f"<li>{e(_item_text(kind, it))}</li>" for it in items)
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": f'<ul class="changes">{rows}</ul>'})]
        cells.append(nbformat.v4.new_markdown_cell(f"## {title}"))
        cells.append(cell)
    nb.cells = cells
    return nb


def prepare(meta: dict, chapters: list[dict], folder: Path, extra: dict | None = None) -> tuple[dict, Path]:
    """Facts of this build, and the executed notebook of the changes section (written to ``folder``)."""
    import nbformat

    facts = collect(meta, chapters, extra)
    edition = facts["edition"]
    previous = previous_edition(edition)
    d, record = None, None
    if previous:
        d = diff(load_edition(previous), facts)
        rec_path = editions_dir() / previous / "edition.json"
        record = json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.is_file() else None
    nb = changes_notebook(d, previous, edition, record)
    for i, cell in enumerate(nb.cells, start=1):
        cell["id"] = f"changes-{i}"  # nbformat's ids are random: the report's render key would change every build
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "changes.ipynb"
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return facts, path
