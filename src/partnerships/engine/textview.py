"""A notebook's outputs as plain text, committed beside it (``notebooks/NN-x.txt``), so that a
reviewer reads a changed number as one changed line of ``git diff``.

What it holds, in cell order: the Markdown cells (with ``{{name}}`` filled in from the
chapter's values), findings (``text/markdown`` outputs), tables (a caption line, then one
line per row, cells separated by `` | ``, never padded: a changed cell changes one line),
and figures as their title, alt text and source line. Code, value outputs, streams and
chart drawings are left out. A paragraph is one line. Cross-references stay as written
(``@fig-x``): their numbers depend on the whole report.

:func:`render` is a pure function of the notebook, so a test can check that every
committed ``.txt`` matches its notebook without running anything.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from partnerships.engine import values
from partnerships.errors import RenderError
from partnerships.protocol import VALUE_MIME, VALUE_REF

_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\||>|```|~~~)")


def text_path(notebook: Path) -> Path:
    return Path(notebook).with_suffix(".txt")


def _join(src) -> str:
    return "".join(src) if isinstance(src, list) else (src or "")


def paragraphs(markdown: str) -> list[str]:
    """Markdown as lines: a paragraph joined into one line; headings, list items, table rows
    and code lines kept as they are."""
    out: list[str] = []
    para: list[str] = []
    in_fence = False

    def flush():
        if para:
            out.append(" ".join(s.strip() for s in para))
            para.clear()

    for line in markdown.splitlines():
        if line.strip().startswith(("```", "~~~")):
            flush()
            in_fence = not in_fence
            out.append(line.rstrip())
            continue
        if in_fence:
            out.append(line.rstrip())
            continue
        if not line.strip():
            flush()
            out.append("")
        elif _BLOCK_START.match(line):
            flush()
            out.append(line.strip())
        elif para or not out or out[-1] == "":
            para.append(line)
        else:  # continuation of a list item
            out[-1] = out[-1] + " " + line.strip()
    flush()
    while out and out[-1] == "":
        out.pop()
    while out and out[0] == "":
        out.pop(0)
    return out


class _Outline(HTMLParser):
    """Text of an HTML output: figures (title, alt, source), tables (rows), paragraphs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.cur: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.capture: str | None = None  # caption-title | source-line
        self.kind = None
        self.title = ""
        self.alt = ""
        self.depth_skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = set((a.get("class") or "").split())
        if tag in ("svg", "style", "script"):
            if tag == "svg" and not self.depth_skip and a.get("aria-label"):
                self.alt = a["aria-label"]
            self.depth_skip += 1
        elif self.depth_skip:
            return
        elif tag == "figure" and "report-figure" in cls:
            self.kind = "Table" if a.get("data-kind") == "table" else "Figure"
            self.alt = ""
        elif tag == "img":
            self.alt = a.get("alt") or self.alt
        elif tag == "span" and "caption-title" in cls:
            self.capture, self.cur = "title", []
        elif tag == "p" and "source-line" in cls:
            self.capture, self.cur = "source", []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag in ("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6") and self.capture is None:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("svg", "style", "script"):
            self.depth_skip = max(0, self.depth_skip - 1)
        elif tag == "span" and self.capture == "title":
            self.title = _squash("".join(self.cur))
            line = f"[{self.kind or 'Figure'}] {self.title}"
            self.lines.append(line)
            if self.kind == "Figure" and self.alt:
                self.lines.append(f"  Alt: {_squash(self.alt)}")
            self.capture, self.cur = None, []
        elif tag == "p" and self.capture == "source":
            self.lines.append(f"  {_squash(''.join(self.cur))}")
            self.capture, self.cur = None, []
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(_squash("".join(self.cell)))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.lines.append("  " + " | ".join(self.row))
            self.row = None
        elif tag == "figure":
            self.kind = None
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6") and self.capture is None:
            self._flush()

    def handle_data(self, data):
        if self.depth_skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.capture is not None:
            self.cur.append(data)
        elif self.row is None:
            self.cur.append(data)

    def _flush(self):
        text = _squash("".join(self.cur)) if self.capture is None else ""
        if text:
            self.lines.append(text)
        if self.capture is None:
            self.cur = []

    def close(self):
        super().close()
        self._flush()


def _squash(text: str) -> str:
    return " ".join(html.unescape(text).split())


def html_lines(page: str) -> list[str]:
    p = _Outline()
    p.feed(page)
    p.close()
    return p.lines


def render(nb) -> str:
    """The text view of one notebook (with its outputs)."""
    try:
        found = values.collect(nb, "notebook")
    except RenderError:
        found = {}
    blocks: list[list[str]] = []
    for _number, cell in values.user_cells(nb):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(values.HIDDEN):
            continue
        if cell.get("cell_type") == "markdown":
            src = VALUE_REF.sub(lambda m: found.get(m.group(1), m.group(0)), _join(cell.get("source")))
            blocks.append(paragraphs(src))
            continue
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                blocks.append([f"[Error] {out.get('ename', '')}: {out.get('evalue', '')}"])
                continue
            if kind not in ("display_data", "execute_result"):
                continue  # streams are noise, never part of the report
            data = out.get("data", {})
            if VALUE_MIME in data:
                continue
            if "text/markdown" in data:
                blocks.append(paragraphs(_join(data["text/markdown"])))
            elif "text/html" in data:
                blocks.append(html_lines(_join(data["text/html"])))
            elif "image/png" in data or "image/svg+xml" in data:
                blocks.append(["[Image]"])
            elif "text/plain" in data:
                blocks.append(_join(data["text/plain"]).splitlines())
    lines: list[str] = []
    for b in blocks:
        if not b:
            continue
        if lines:
            lines.append("")
        lines.extend(x.rstrip() for x in b)
    return "\n".join(lines) + "\n"


def write(notebook: Path) -> bool:
    """Write ``notebook``'s text view beside it; True if the file changed."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    target = text_path(notebook)
    text = render(nb)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    target.write_text(text, encoding="utf-8", newline="\n")
    return True
