"""Cross-references: labels on chapters, sections, figures and tables; ``@label`` in prose.

Two passes (protocol: :mod:`partnerships.protocol`):

1. per chapter, on the executed notebook before it is converted (:meth:`Xrefs.prepare`):
   a heading attribute ``{#ch-x}`` / ``{#sec-x}`` is removed from the heading and replaced by
   an empty anchor ``<a id="ch-x"></a>`` inside it; ``@label`` in Markdown (cells and
   ``text/markdown`` outputs) becomes ``<a class="xref" href="#label">@label</a>``;
   figure and table labels (``data-label`` written by ``present``) and references in their
   notes are recorded with the notebook and cell they come from;
2. on the rendered report (:meth:`Xrefs.resolve`): each reference gets its text
   ("Figure 12", "Table 3", "Chapter 7" or "Annex A" as the report calls that chapter, or a
   section's title in quotes) and its target.

A label defined twice, a chapter label on anything but the chapter's H1, a section label
on an H1, or a reference to a label that does not exist is a :class:`RenderError` naming
the notebook and the cell.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from partnerships.errors import RenderError
from partnerships.protocol import HEADING_ATTR, LABEL, LABEL_KINDS, LABEL_REF

_FIG_LABEL = re.compile(r'<figure\b[^>]*\bdata-label="([^"]*)"')
_XREF_IN_HTML = re.compile(r'<a class="xref" href="#([^"]+)">')
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+")
_FENCE = re.compile(r"^( {0,3})(```|~~~).*?^\1\2[^\n]*$", re.M | re.S)


@dataclass
class _Label:
    kind: str  # fig | tbl | ch | sec
    where: str
    chapter: str


@dataclass
class Xrefs:
    """Labels and references of one report (or of one chapter being previewed)."""

    labels: dict[str, _Label] = field(default_factory=dict)
    refs: list[tuple[str, str, str]] = field(default_factory=list)  # (label, where, chapter id)

    # ------------------------------------------------------------------ pass 1
    def define(self, label: str, kind: str, where: str, chapter: str) -> None:
        if not LABEL.match(label) or label.split("-", 1)[0] != kind:
            raise RenderError(
                f"{where}: label {label!r} is not valid: a {LABEL_KINDS[kind].lower()} label starts with "
                f"'{kind}-' followed by lowercase letters, digits and single hyphens"
            )
        if label in self.labels:
            first = self.labels[label]
            raise RenderError(f"{where}: label {label!r} is already defined ({first.where}); labels must be unique")
        self.labels[label] = _Label(kind, where, chapter)

    def markdown(self, text: str, where: str, chapter: str, first_h1: bool) -> tuple[str, bool]:
        """Heading attributes -> anchors, ``@label`` -> reference links, in one Markdown text.

        ``first_h1``: whether the chapter's H1 is still to come. Returns the new text and
        whether this text held an H1."""
        had_h1 = False
        out = []
        for part, is_fence in _split_fences(text):
            if is_fence:
                out.append(part)
                continue
            lines = part.split("\n")
            for i, line in enumerate(lines):
                m = _ATX.match(line)
                if not m:
                    continue
                level = len(m.group(1))
                chapter_h1 = level == 1 and first_h1 and not had_h1
                had_h1 = had_h1 or level == 1
                attr = HEADING_ATTR.match(line)
                if attr:
                    lines[i] = self._heading(attr.group("head"), attr.group("label"), level, chapter_h1, where, chapter)
            part = "\n".join(lines)
            out.append(
                "".join(
                    piece if is_code else LABEL_REF.sub(lambda m: self._ref(m.group(1), where, chapter), piece)
                    for piece, is_code in _split_spans(part)
                )
            )
        return "".join(out), had_h1

    def _heading(self, head: str, label: str, level: int, chapter_h1: bool, where: str, chapter: str) -> str:
        kind = label.split("-", 1)[0]
        if kind == "ch" and not chapter_h1:
            raise RenderError(
                f"{where}: chapter label {{#{label}}} must be on the chapter's first H1 ('# Title {{#{label}}}')"
            )
        if kind == "sec" and level == 1:
            raise RenderError(
                f"{where}: section label {{#{label}}} is on an H1; label the chapter 'ch-...' and its sections (## ...) 'sec-...'"
            )
        if kind not in ("ch", "sec"):
            raise RenderError(
                f"{where}: heading label {{#{label}}} must start with 'ch-' (chapter) or 'sec-' (section)"
            )
        self.define(label, kind, where, chapter)
        return f'{head}<a id="{label}"></a>'

    def _ref(self, label: str, where: str, chapter: str) -> str:
        self.refs.append((label, where, chapter))
        return f'<a class="xref" href="#{label}">@{label}</a>'

    def html_output(self, text: str, where: str, chapter: str) -> None:
        """Record figure/table labels and references inside a ``text/html`` output."""
        for label in _FIG_LABEL.findall(text):
            kind = label.split("-", 1)[0]
            self.define(label, kind if kind in ("fig", "tbl") else "fig", where, chapter)
        for label in _XREF_IN_HTML.findall(text):
            self.refs.append((label, where, chapter))

    def prepare(self, nb, where: str, chapter: str, hidden=(), not_users=()) -> None:
        """Pass 1 on one executed notebook (in place). ``where``: "chapter x: notebook y"."""
        first_h1 = True
        number = 0
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & set(not_users):
                continue
            number += 1
            if tags & set(hidden):
                continue
            here = f"{where}, cell {number}"
            if cell.get("cell_type") == "markdown":
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                cell["source"], had_h1 = self.markdown(src, here, chapter, first_h1)
                first_h1 = first_h1 and not had_h1
            elif cell.get("cell_type") == "code":
                for out in cell.get("outputs", []):
                    data = out.get("data", {})
                    md = data.get("text/markdown")
                    if md is not None:
                        md = "".join(md) if isinstance(md, list) else md
                        data["text/markdown"], had_h1 = self.markdown(md, here, chapter, first_h1)
                        first_h1 = first_h1 and not had_h1
                    page = data.get("text/html")
                    if page is not None:
                        self.html_output("".join(page) if isinstance(page, list) else page, here, chapter)

    # ------------------------------------------------------------------ pass 2
    def resolve(self, chapters, keep_missing: bool = False) -> dict[str, tuple[str, str]]:
        """Give every reference its text and target in the rendered chapters (in place).

        ``chapters``: objects with ``id``, ``number`` and ``html``. Returns label -> (text, href).
        ``keep_missing``: a reference to a label not in these chapters (a one-chapter preview)
        stays as plain ``@label`` text instead of failing.
        """
        targets: dict[str, tuple[str, str]] = {}
        for ch in chapters:
            for label, info in self.labels.items():
                if info.chapter != ch.id:
                    continue
                targets[label] = _target(label, info, ch)
        for label, where, _chapter in self.refs:
            if label not in targets and not keep_missing:
                known = sorted(k for k in self.labels if k.split("-")[0] == label.split("-")[0])
                hint = (
                    f"; {LABEL_KINDS[label.split('-')[0]].lower()} labels in this report: {', '.join(known)}"
                    if known
                    else ""
                )
                raise RenderError(f"{where}: reference @{label} to a label that does not exist{hint}")

        def fill(m: re.Match) -> str:
            label = m.group(1)
            if label not in targets:
                return html.escape(f"@{label}")
            text, href = targets[label]
            return f'<a class="xref" href="{href}">{html.escape(text)}</a>'

        for ch in chapters:
            ch.html = re.sub(r'<a class="xref" href="#([^"]+)">[^<]*</a>', fill, ch.html)
            # nbconvert writes the empty heading anchors as '<a id="x" />', which HTML reads as an open <a>
            ch.html = re.sub(r'<a id="((?:ch|sec)-[a-z0-9-]+)"\s*/>', r'<a id="\1"></a>', ch.html)
        return targets


def _target(label: str, info: _Label, ch) -> tuple[str, str]:
    if info.kind in ("fig", "tbl"):
        m = re.search(r'<figure\b[^>]*\bdata-label="' + re.escape(label) + r'"[^>]*>', ch.html)
        if not m:
            raise RenderError(f"{info.where}: {label!r} was not found in the rendered chapter")
        fid = re.search(r'\bid="([^"]+)"', m.group(0))
        cap = re.search(r'<span class="caption-label">([^<]*)</span>', ch.html[m.end() :])
        if not fid or not cap:
            raise RenderError(f"{info.where}: {label!r} has no number in the rendered chapter")
        return html.unescape(cap.group(1)), "#" + fid.group(1)
    if info.kind == "ch":
        return (getattr(ch, "label", "") or f"Chapter {ch.number}"), f"#{label}"  # "Chapter 7" or "Annex A"
    # a section: its heading's text, quoted
    for m in re.finditer(r"<(h[1-6])\b[^>]*>(.*?)</\1>", ch.html, re.S):
        if f'id="{label}"' in m.group(2):
            title = " ".join(html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).split())
            return f"“{title}”", f"#{label}"
    raise RenderError(f"{info.where}: section label {label!r} was not found in the rendered chapter")


def _split_fences(text: str):
    """(part, is_fence) pieces of Markdown: fenced code blocks are left alone."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in _FENCE.finditer(text):
        pieces.append((text[pos : m.start()], False))
        pieces.append((m.group(0), True))
        pos = m.end()
    pieces.append((text[pos:], False))
    return pieces


def _split_spans(text: str):
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append((text[pos : m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    out.append((text[pos:], False))
    return out
