"""The report's HTML -> Typst -> PDF: the fast PDF route (issue 14).

WeasyPrint needs 12 s and more for this report on two cores even with no figure at all
(its layout of ~90 pages of text and tables is pure Python); Typst (the compiler ships
inside the PyPI wheel) typesets it in well under a second and writes tagged PDF.

:func:`render_pdf` reads the same self-contained HTML the browser shows, converts the
small set of elements the renderer emits into Typst markup, and compiles it with the
bundled fonts only (TrueType copies of the WOFF2 files; no system font is looked at):

- the cover (title, subtitle, author, edition), the contents with page numbers, every
  chapter on a new page with its chapter title as the running head and "Page X of Y"
  below, PDF bookmarks for chapters and their sections, internal links;
- figures as vector SVG (chart text as text in Source Sans 3) with the HTML's alt text,
  tables with header rows (repeated across pages) and their captions, source lines;
- page layout by the house rules (issue 11; checked by tools/report_rules.py): headings, and
  a table's caption, are kept with what follows them; a table taller than
  :data:`TABLE_BREAK_FRACTION` of the text area breaks across pages (header repeated), a
  shorter one stays whole; a chart taller than :data:`FLOAT_FRACTION` floats to the foot of
  its page or of the next while the text goes on (later charts of the chapter float too, so
  the order holds; waiting charts are placed before the next chapter starts), and a chart
  taller than :data:`MAX_FIGURE_MM` is scaled to fit the page; a contents title may wrap
  (hanging, unhyphenated) but its leader and page number always end its last line;
- tagged PDF, PDF/UA-1 identified (``pdf_standards=["ua-1"]``, which also makes Typst
  refuse an image without alt text), the document language and title, and the
  curated dataset attached (the zip the HTML links to).

The PDF's dates are the edition's (``timestamp``), so the same HTML gives the same bytes.
Only the elements the renderer produces are understood; anything else is rendered by
its text content, never dropped silently.
"""

from __future__ import annotations

import base64
import datetime as dt
import html as htmllib
import re
import tempfile
from pathlib import Path

from partnerships import paths
from partnerships.errors import RenderError

__all__ = ["render_pdf", "to_typst"]

NS = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "{http://www.w3.org/2000/svg}"
#: Fonts Typst may use (family names as the bundled files declare them after conversion);
#: each typeface's Cyrillic subsets are families of their own, listed after the Latin one.
SERIF, SANS = "Source Serif 4", "Source Sans 3"


def stack(family: str) -> str:
    """A Typst font list: the Latin family, then its Cyrillic subsets."""
    return "(" + ", ".join(f'"{family}{suffix}"' for suffix in ("", " Cyrillic", " Cyrillic Ext")) + ")"


NAVY, ACCENT, GREY = "#1f3b5c", "#a84c20", "#595959"
#: Page margins (mm) of every page but the cover; the layout checks (tools/report_rules.py)
#: measure how full a page is against the text area they leave.
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_X_MM = 24, 22, 22
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 210 - 2 * MARGIN_X_MM, 297 - MARGIN_TOP_MM - MARGIN_BOTTOM_MM
#: A chart taller than this share of the text area floats (to the foot of its page or the next).
FLOAT_FRACTION = 0.5
#: A table taller than this share of the text area may break across pages.
TABLE_BREAK_FRACTION = 0.3
#: No chart prints taller than this (mm): room is left for its caption and source line; a taller
#: one is scaled down to it (charts should be drawn shorter: its text prints smaller).
MAX_FIGURE_MM = TEXT_HEIGHT_MM - 36

_ESCAPE = re.compile(r'([\\#*_`$<>@\[\]~=\-+/"\'])')
_BLOCKS = {
    "p",
    "div",
    "section",
    "figure",
    "table",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "hr",
    "dl",
    "dt",
    "dd",
    "header",
    "footer",
    "main",
    "nav",
    "article",
}


def svg_height_mm(svg: str) -> float:
    """How tall an SVG prints when scaled to the text width (mm; 0 if it gives no size)."""
    m = re.search(r'<svg\b[^>]*?\swidth="([\d.]+)(?:pt|px)?"[^>]*?\sheight="([\d.]+)(?:pt|px)?"', svg[:3000])
    if not m or float(m.group(1)) <= 0:
        return 0.0
    return TEXT_WIDTH_MM * float(m.group(2)) / float(m.group(1))


def esc(text: str) -> str:
    """Plain text as Typst markup (every markup character escaped, whitespace collapsed)."""
    out = _ESCAPE.sub(r"\\\1", re.sub(r"\s+", " ", text))
    # "5. Within ..." at the start of a content block would be read as a numbered list item
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", out)


def string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _tag(el) -> str:
    t = el.tag if isinstance(el.tag, str) else ""
    return t.split("}", 1)[1] if "}" in t else t


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


class _Converter:
    def __init__(self, folder: Path, targets: set[str]):
        self.folder = folder
        self.targets = targets  # ids some link points to
        self.files = 0
        self.labelled: set[str] = set()
        self.failed: list[str] = []  # images the PDF cannot draw (the build stops, never leaves one out)

    # ------------------------------------------------------------------ helpers
    def label(self, el) -> str:
        i = el.get("id")
        if i and i in self.targets and i not in self.labelled and re.fullmatch(r"[\w.:-]+", i):
            self.labelled.add(i)
            return f" <{i}>"
        return ""

    def anchor(self, el) -> str:
        """A link target for an element that is neither a heading nor a figure."""
        lab = self.label(el)
        return f"#metadata(none){lab}\n" if lab else ""

    def write(self, data: bytes, suffix: str) -> str:
        self.files += 1
        name = f"f{self.files}{suffix}"
        (self.folder / name).write_bytes(data)
        return name

    # ------------------------------------------------------------------ inline
    in_cell = False
    in_annex = False

    def t(self, text: str) -> str:
        """Text as markup; in a table cell, long tokens (URLs, hashes, ids) may break anywhere."""
        if self.in_cell:
            text = re.sub(
                r"\S{26,}",
                lambda m: (
                    re.sub(r"([/._:=&?-])", "\\1\u200b", m.group(0))
                    if re.search(r"[/._:=&?-]", m.group(0))
                    else "\u200b".join(m.group(0)[i : i + 12] for i in range(0, len(m.group(0)), 12))
                ),
                text,
            )
        return esc(text)

    def inline(self, el, skip_classes=()) -> str:
        out = [self.t(el.text or "")] if el.text else []
        for c in el:
            out.append(self.inline_el(c, skip_classes))
            if c.tail:
                out.append(self.t(c.tail))
        return "".join(out)

    def inline_el(self, el, skip_classes=()) -> str:
        tag = _tag(el)
        if _classes(el) & set(skip_classes) or _classes(el) & {"screen-only"}:
            return ""
        if tag in ("strong", "b"):
            return f"#strong[{self.inline(el)}]"
        if tag in ("em", "i"):
            return f"#emph[{self.inline(el)}]"
        if tag == "code":
            return f"#text(font: {stack(SANS)}, size: 0.9em)[{self.inline(el)}]"
        if tag == "br":
            return " \\ "
        if tag == "sup":
            return f"#super[{self.inline(el)}]"
        if tag == "sub":
            return f"#sub[{self.inline(el)}]"
        if tag == "a":
            href = el.get("href") or ""
            inner = self.inline(el)
            if (
                href.startswith("#")
                and href[1:] in self.labelled | self.targets
                and re.fullmatch(r"[\w.:-]+", href[1:])
            ):
                return f"#link(<{href[1:]}>)[{inner}]"
            return inner
        if tag == "svg" or tag == SVG_NS + "svg":
            return ""
        if "svg-ref" in _classes(el):
            return self.svg_ref(el)
        if tag == "img":
            return self.image(el)
        if tag in _BLOCKS:
            return " " + self.inline(el) + " "
        if "print-only" in _classes(el):
            return self.inline(el)
        return self.inline(el)

    # ------------------------------------------------------------------ blocks
    def blocks(self, el) -> str:
        out = []
        if el.text and el.text.strip():
            out.append(f"{esc(el.text.strip())}\n")
        for c in el:
            out.append(self.block(c))
            if c.tail and c.tail.strip():
                out.append(f"{esc(c.tail.strip())}\n")
        return "".join(out)

    def block(self, el) -> str:
        tag = _tag(el)
        cls = _classes(el)
        if not isinstance(el.tag, str) or cls & {"screen-only", "data-download", "chapter-kicker", "anchor-link"}:
            return ""
        if tag in ("style", "script", "title", "meta", "link", "head"):
            return ""
        if re.fullmatch(r"h[1-6]", tag):
            return self.heading(el, int(tag[1]))
        if tag == "p":
            body = self.inline(el).strip()
            if not body:
                return self.anchor(el)
            if "source-line" in cls:
                return f"{self.anchor(el)}#source-line[{body}]\n\n"
            return f"{self.anchor(el)}{body}\n\n"
        if tag == "figure" and "report-figure" in cls:
            return self.report_figure(el)
        if tag == "table":
            return self.table(el)
        if tag in ("ul", "ol"):
            return self.listing(el, tag)
        if tag == "blockquote":
            return f"{self.anchor(el)}#quote(block: true)[{self.blocks(el)}]\n\n"
        if tag == "pre":
            return f'#block(fill: rgb("#f1f3f6"), inset: 4pt, width: 100%)[#text(font: {stack(SANS)}, size: 8.5pt)[{esc(_text(el))}]]\n\n'
        if tag == "hr":
            return "#line(length: 100%, stroke: 0.5pt + luma(200))\n\n"
        if tag == "dl":
            items = []
            for c in el:
                if _tag(c) == "dt":
                    items.append(f"#strong[{self.inline(c)}]: ")
                elif _tag(c) == "dd":
                    items.append(self.inline(c) + " \\ ")
            return "".join(items) + "\n\n"
        if tag == "img":
            return self.image(el) + "\n\n"
        if tag in ("svg",) or tag == SVG_NS + "svg":
            return self.svg_figure(el, el.get("aria-label") or "") + "\n\n"
        if "svg-ref" in cls:
            return self.svg_ref(el) + "\n\n"
        # containers: div, section, span at block level, ...
        return self.anchor(el) + self.blocks(el)

    def heading(self, el, level: int) -> str:
        text = self.inline(el, skip_classes=("anchor-link",)).strip()
        opts = [f"level: {level}"]
        if level > 2:
            opts.append("outlined: false")
        elif level == 2 and self.in_annex:
            opts.append("outlined: false, bookmarked: true")  # an annex's sections: bookmarks, not contents lines
        lab = self.label(el) if el.get("id") else ""
        if not lab and el.get("id") and level <= 2 and re.fullmatch(r"[\w.:-]+", el.get("id")):
            lab = f" <{el.get('id')}>"  # chapters and sections: the contents link to them
            self.labelled.add(el.get("id"))
        # an empty <a id="ch-x"> / <a id="sec-x"> inside the heading (a cross-reference label):
        # a target placed just before the heading (a Typst element carries one label)
        inner = "".join(self.anchor(a) for a in el.iter() if a is not el and _tag(a) == "a" and a.get("id"))
        return f"{inner}#heading({', '.join(opts)})[{text}]{lab}\n\n"

    def listing(self, el, tag: str) -> str:
        items = []
        for li in el:
            if _tag(li) != "li":
                continue
            has_blocks = any(_tag(c) in _BLOCKS for c in li)
            body = self.blocks(li).strip() if has_blocks else self.inline(li).strip()
            items.append(f"[{body}]")
        fn = "enum" if tag == "ol" else "list"
        return f"{self.anchor(el)}#{fn}({', '.join(items)})\n\n" if items else ""

    def image(self, el) -> str:
        src = el.get("src") or ""
        m = re.match(r"data:image/(png|jpeg|gif|svg\+xml)(;base64)?,(.*)", src, re.S)
        if not m:
            self.failed.append(f"an image: {src[:80]}")
            return ""
        data = base64.b64decode(m.group(3)) if m.group(2) else htmllib.unescape(m.group(3)).encode()
        suffix = {"png": ".png", "jpeg": ".jpg", "gif": ".gif", "svg+xml": ".svg"}[m.group(1)]
        name = self.write(data, suffix)
        alt = el.get("alt") or "image"
        return f"#image({string(name)}, width: 100%, alt: {string(alt)})"

    def svg_bytes(self, svg_el) -> bytes:
        import xml.etree.ElementTree as ET

        ET.register_namespace("", SVG_NS[1:-1])
        ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
        for k in [
            k for k in svg_el.attrib if k == "xmlns" or k.startswith(("xmlns:", "{http://www.w3.org/2000/xmlns/}"))
        ]:
            del svg_el.attrib[k]  # the serialiser declares the namespaces itself
        return ET.tostring(svg_el, encoding="utf-8", xml_declaration=True)

    svgs: list[str] = []

    def svg_ref(self, ref) -> str:
        """A stashed inline SVG, written to a file unchanged (an XML prolog added)."""
        svg = self.svgs[int(ref.get("data-svg"))]
        if "xmlns=" not in svg[:1000]:
            svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        name = self.write(('<?xml version="1.0" encoding="utf-8"?>\n' + svg).encode("utf-8"), ".svg")
        alt = ref.get("aria-label") or "chart"
        if svg_height_mm(svg) > MAX_FIGURE_MM:  # taller than a page leaves room for: scaled down to fit
            return f"#align(center, image({string(name)}, height: {MAX_FIGURE_MM}mm, alt: {string(alt)}))"
        return f"#image({string(name)}, width: 100%, alt: {string(alt)})"

    def svg_figure(self, svg_el, alt: str) -> str:
        name = self.write(self.svg_bytes(svg_el), ".svg")
        return f"#image({string(name)}, width: 100%, alt: {string(alt or 'chart')})"

    def caption(self, el) -> str:
        label = el.find(f".//{NS}span[@class='caption-label']")
        title = el.find(f".//{NS}span[@class='caption-title']")
        if label is None or title is None:
            return self.inline(el).strip()
        return f"#caption-label[{esc(_text(label))}] #strong[{self.inline(title)}]"

    def report_figure(self, el) -> str:
        lab = ""
        if el.get("id") and re.fullmatch(r"[\w.:-]+", el.get("id")):
            lab = f" <{el.get('id')}>"
            self.labelled.add(el.get("id"))
        kind = el.get("data-kind")
        after = []
        body = ""
        cap = ""
        for c in el.iter():
            if _tag(c) == "figcaption":
                cap = self.caption(c)
        for c in el:
            t = _tag(c)
            if t == "figcaption":
                continue
            if "figure-body" in _classes(c):
                ref = next((s for s in c.iter() if "svg-ref" in _classes(s)), None)
                if ref is not None:
                    body = self.svg_ref(ref)
                else:
                    body = self.blocks(c)
            elif "table-body" in _classes(c):
                tbl = next((s for s in c.iter() if _tag(s) == "table"), None)
                if tbl is not None:
                    capel = tbl.find(f"{NS}caption")
                    if capel is not None:
                        cap = self.caption(capel)
                    body = self.table(tbl, in_figure=True)
            else:
                after.append(self.block(c))
        after_markup = "".join(after)
        if kind == "table":
            # a table taller than TABLE_BREAK_FRACTION of the text area flows on across pages (its header
            # repeated); a shorter one stays whole (Typst measures it: see table-block in the preamble)
            # (Typst measures only where the row count leaves it open: measuring costs time)
            rows = len(el.findall(f".//{NS}tr"))
            long = "true" if "figure-long" in _classes(el) or rows > 30 else "false" if rows <= 5 else "auto"
            return f"#table-block(long: {long})[#report-table(caption: [{cap}])[{body}]{lab}\n\n{after_markup}]\n\n"
        # a figure taller than FLOAT_FRACTION of the text area floats to the foot of this page or the
        # next while the text goes on (no page left near empty); later figures of the chapter float
        # too, so that no figure overtakes one waiting for room
        tall = self.figure_height_mm(el) > FLOAT_FRACTION * TEXT_HEIGHT_MM
        self.floating = self.floating or tall
        return f"#figure-block(float: {'true' if self.floating else 'false'})[#report-figure(caption: [{cap}])[{body}]{lab}\n\n{after_markup}]\n\n"

    floating = False  # a figure of the current chapter floats: the later ones float too

    def figure_height_mm(self, el) -> float:
        """The printed height of a figure's chart (drawn at the text width, at most MAX_FIGURE_MM)."""
        ref = next((s for s in el.iter() if "svg-ref" in _classes(s)), None)
        return 0.0 if ref is None else min(MAX_FIGURE_MM, svg_height_mm(self.svgs[int(ref.get("data-svg"))]))

    def table(self, el, in_figure: bool = False) -> str:
        head_rows, body_rows = [], []
        for part in el:
            t = _tag(part)
            rows = (
                [r for r in part if _tag(r) == "tr"]
                if t in ("thead", "tbody", "tfoot")
                else ([part] if t == "tr" else [])
            )
            for r in rows:
                (head_rows if t == "thead" else body_rows).append(r)
        if not head_rows and body_rows and all(_tag(c) == "th" for c in body_rows[0]):
            head_rows, body_rows = body_rows[:1], body_rows[1:]
        ncols = max(
            (sum(int(c.get("colspan") or 1) for c in r if _tag(c) in ("td", "th")) for r in head_rows + body_rows),
            default=1,
        )

        def cells(r, header: bool) -> list[str]:
            out = []
            for c in r:
                if _tag(c) not in ("td", "th"):
                    continue
                opts = []
                if int(c.get("colspan") or 1) > 1:
                    opts.append(f"colspan: {int(c.get('colspan'))}")
                if int(c.get("rowspan") or 1) > 1:
                    opts.append(f"rowspan: {int(c.get('rowspan'))}")
                if "num" in _classes(c):
                    opts.append("align: right")
                self.in_cell = True
                try:
                    content = self.inline(c).strip()
                finally:
                    self.in_cell = False
                if header:
                    content = f"#strong[{content}]" if content else ""
                out.append(f"table.cell({', '.join(opts)})[{content}]" if opts else f"[{content}]")
            return out

        # column widths in proportion to each column's content (its longest cell, capped), never
        # narrower than its longest word (a header's included): no column starves the others
        longest, word, head = [0] * ncols, [3] * ncols, [0] * ncols
        for r in head_rows + body_rows:
            k = 0
            for c in r:
                if _tag(c) not in ("td", "th"):
                    continue
                span = int(c.get("colspan") or 1)
                if span == 1 and k < ncols:
                    text = _text(c)
                    if _tag(c) == "td" or r in body_rows:
                        longest[k] = max(longest[k], min(len(text), 40))
                    word[k] = max(word[k], min(26, max((len(w) for w in text.split()), default=0)))
                    if r not in body_rows:
                        head[k] = max(head[k], len(text))
                k += span
        # (a column of short cells under a short header takes exactly its width)
        widths = ", ".join(
            "auto" if longest[k] <= 12 and head[k] <= 12 else f"{max(longest[k], word[k])}fr" for k in range(ncols)
        )
        if ncols == 1:
            widths += ","
        parts = []
        if head_rows:
            parts.append("table.header(" + ", ".join(x for r in head_rows for x in cells(r, True)) + ")")
        for r in body_rows:
            parts.extend(cells(r, False))
        size = "7pt" if "table-wide" in _classes(el) else "8pt"
        tbl = f"#text(size: {size})[#table(columns: ({widths}), ..report-table-style, {', '.join(parts)})]"
        if in_figure:
            return tbl
        return f"{self.anchor(el)}{tbl}\n\n"


PREAMBLE = r"""
#let navy = rgb("NAVY")
#let grey = rgb("GREY")
#set document(title: TITLE, author: AUTHOR, description: DESCRIPTION, date: datetime(year: YEAR, month: MONTH, day: DAY))
#set text(font: SERIFSTACK, size: 10.5pt, lang: "en", hyphenate: true, fallback: false)
#set par(justify: false, leading: 0.72em, spacing: 1.1em)
#show heading: set text(fill: navy, font: SERIFSTACK)
#show heading: set text(hyphenate: false)
#show heading.where(level: 1): it => { set text(size: if it.outlined { 22pt } else { 30pt }); set par(leading: 0.45em); block(above: 0pt, below: 6mm, it) }
#show heading.where(level: 2): it => { set text(size: 14pt); block(above: 8mm, below: 3mm, sticky: true, it) }
#show heading.where(level: 3): it => { set text(size: 11.5pt, fill: rgb("#1b1b1b")); block(above: 6mm, below: 2mm, sticky: true, it) }
#show heading.where(level: 4): it => { set text(size: 10.5pt, fill: rgb("#1b1b1b")); block(above: 5mm, below: 2mm, sticky: true, it) }
#show link: set text(fill: navy)
#let report-table-style = (
  stroke: (x, y) => if y == 0 { (bottom: 0.9pt + rgb("#1b1b1b")) } else { (bottom: 0.4pt + luma(215)) },
  inset: (x: 2mm, y: 1.2mm),
  align: left + top,
)
#show table.cell: set par(justify: false)
#show figure: set block(breakable: false)
#show figure.caption: set align(left)
#show figure.caption.where(kind: table): it => block(sticky: true, it)  // a table's caption goes with its first rows
#let caption-label(body) = text(font: SANSSTACK, weight: 600, fill: navy)[#body]
#let source-line(body) = block(above: 1.5mm, below: 4mm, text(size: 8pt, fill: grey)[#body])
#let text-height = TEXT_HEIGHTmm
#let report-figure(caption: none, body) = figure(body, caption: figure.caption(position: bottom, caption), kind: image, supplement: none, numbering: none, gap: 2mm)
#let report-table(caption: none, body) = figure(body, caption: figure.caption(position: top, caption), kind: table, supplement: none, numbering: none, gap: 2mm)
// a figure with its source line, kept together; a tall one floats to the foot of the page (or of
// the next) while the text goes on, never above the chapter's title
#let figure-block(float: false, body) = {
  let b = block(width: 100%, breakable: false, body)
  if float { place(bottom, float: true, clearance: 7mm, b) } else { b }
}
// a table with its source line: whole when short, flowing across pages (header repeated) when it
// takes more than TABLE_BREAK of the text area
#let table-block(long: auto, body) = {
  let whole(long) = { show figure: set block(breakable: long); block(width: 100%, breakable: long, body) }
  if long == auto { layout(size => whole(measure(block(width: size.width, body)).height > TABLE_BREAK * text-height)) } else { whole(long) }
}
#set page(
  paper: "a4",
  margin: (top: MARGIN_TOPmm, bottom: MARGIN_BOTTOMmm, x: MARGIN_Xmm),
  header: context {
    let here-page = here().page()
    if here-page <= 1 { return }
    let all = query(heading.where(level: 1, outlined: true))
    if all.len() == 0 or all.first().location().page() > here-page { return }  // cover and contents: no running head
    let on-page = all.filter(h => h.location().page() == here-page)
    let before = all.filter(h => h.location().page() < here-page)
    let current = if on-page.len() > 0 { on-page.first() } else if before.len() > 0 { before.last() } else { none }
    set text(size: 8pt, fill: grey)
    if current != none [
      #text(font: SANSSTACK, weight: 600)[#current.body] #h(1fr) #emph[TITLE_MARKUP]
    ]
  },
  footer: context {
    if here().page() > 1 {
      set text(font: SANSSTACK, weight: 600, size: 8pt, fill: grey)
      align(center)[Page #counter(page).display() of #counter(page).final().first()]
    }
  },
)
"""


def to_typst(html_text: str, folder: Path, fallback_title: str = "Report") -> str:
    """The report HTML as a Typst document; figures and images are written into ``folder``."""
    import tinyhtml5

    # what print never shows costs parsing time: the stylesheets (fonts as data), the data links
    slim = re.sub(r"<style\b.*?</style>", "", html_text, flags=re.S)
    slim = re.sub(r'<p class="data-download">.*?</p>', "", slim)
    slim = re.sub(r'(<a class="screen-only"[^>]*?) href="data:[^"]*"', r"\1", slim)
    # inline SVGs (most of the page's bytes) go to files as they are; the parser sees a placeholder
    svgs: list[str] = []

    def stash(m):
        svgs.append(m.group(0))
        label = re.search(r'aria-label="([^"]*)"', m.group(0)[:2000])
        return (
            f'<span class="svg-ref" data-svg="{len(svgs) - 1}" aria-label="{label.group(1) if label else ""}"></span>'
        )

    slim = re.sub(r"<svg\b.*?</svg>", stash, slim, flags=re.S)
    root = tinyhtml5.parse(slim)
    head = root.find(f"{NS}head")
    body = root.find(f"{NS}body")
    meta = {m.get("name"): m.get("content") for m in head.iter(f"{NS}meta") if m.get("name")}
    title = (_text(head.find(f"{NS}title")) if head.find(f"{NS}title") is not None else "") or fallback_title
    edition = dt.date.fromisoformat(meta.get("dcterms.created") or "1970-01-01")
    targets = set(re.findall(r'href="#([^"]+)"', html_text))
    conv = _Converter(folder, targets)
    conv.svgs = svgs
    pre = (
        PREAMBLE.replace("NAVY", NAVY)
        .replace("GREY", GREY)
        .replace("TEXT_HEIGHT", str(TEXT_HEIGHT_MM))
        .replace("TABLE_BREAK", str(TABLE_BREAK_FRACTION))
        .replace("MARGIN_TOP", str(MARGIN_TOP_MM))
        .replace("MARGIN_BOTTOM", str(MARGIN_BOTTOM_MM))
        .replace("MARGIN_X", str(MARGIN_X_MM))
        .replace("SERIFSTACK", stack(SERIF))
        .replace("SANSSTACK", stack(SANS))
        .replace("TITLE_MARKUP", esc(title))
        .replace("TITLE", string(title))
        .replace("AUTHOR", string(meta.get("author") or ""))
        .replace("DESCRIPTION", string(meta.get("description") or ""))
        .replace("YEAR", str(edition.year))
        .replace("MONTH", str(edition.month))
        .replace("DAY", str(edition.day))
    )
    parts = [pre]
    for el in body:
        tag, cls = _tag(el), _classes(el)
        if tag == "header" and "cover" in cls:
            parts.append(cover(el, conv))
        elif tag == "nav" and "toc" in cls:
            parts.append(contents(el))
        elif tag == "main":
            for ch in el:
                if _tag(ch) == "section" and "chapter" in _classes(ch):
                    conv.in_annex = "annex" in _classes(ch)
                    conv.floating = False
                    kicker = ch.find(f"{NS}p[@class='chapter-kicker']")
                    # figures still waiting for room are placed before the next chapter begins
                    parts.append("#place.flush()\n#pagebreak(weak: true)\n")
                    if kicker is not None:
                        parts.append(
                            f'#block(below: 3mm)[#text(font: {stack(SANS)}, weight: 600, size: 8.5pt, fill: rgb("{ACCENT}"))[{esc(_text(kicker).upper())}]]\n\n'
                        )
                    parts.append(conv.blocks(ch))
                else:
                    parts.append(conv.block(ch))
        elif tag == "footer":
            parts.append(
                "#v(8mm)\n#line(length: 100%, stroke: 0.5pt + luma(200))\n#text(size: 8pt, fill: grey)[\n"
                + conv.blocks(el)
                + "]\n"
            )
        else:
            parts.append(conv.block(el))
    if conv.failed:
        raise RenderError(
            f"the PDF could not draw {len(conv.failed)} image(s) ({conv.failed[0]}); "
            "a figure is never left out silently: check the chapter's figure, then build again"
        )
    return "".join(parts)


def cover(el, conv: _Converter) -> str:
    kicker = el.find(f"{NS}p[@class='cover-kicker']")
    title = el.find(f"{NS}h1")
    sub = el.find(f"{NS}p[@class='report-subtitle']")
    dl = el.find(f"{NS}dl")
    rows = []
    if dl is not None:
        items = list(dl)
        for dt_el, dd_el in zip(items[::2], items[1::2]):
            rows.append(f"[#text(size: 7.5pt, fill: grey)[{esc(_text(dt_el).upper())}]], [{conv.inline(dd_el)}]")
    grid = f"#grid(columns: (24mm, 1fr), row-gutter: 2mm, {', '.join(rows)})" if rows else ""
    extra = "".join(
        f"#v(3mm)\n#text(size: 9pt)[{conv.inline(p)}]\n"
        for p in el
        if _tag(p) == "p" and _classes(p) & {"report-citation", "report-changes-link"}
    )
    return (
        "#page(margin: (top: 0mm, bottom: 30mm, left: 26mm, right: 24mm), header: none, footer: none)[\n"
        "#place(top + left, dx: -26mm, rect(width: 210mm, height: 14mm, fill: navy))\n#v(62mm)\n"
        + (
            f'#text(font: {stack(SANS)}, weight: 600, size: 9pt, fill: rgb("{ACCENT}"))[{esc(_text(kicker).upper())}]\n#v(3mm)\n'
            if kicker is not None
            else ""
        )
        + (
            f"#heading(level: 1, outlined: false, bookmarked: false)[{conv.inline(title)}]\n\n"
            if title is not None
            else ""
        )
        + (
            f'#text(size: 15pt, style: "italic", fill: rgb("#404040"))[{conv.inline(sub)}]\n\n'
            if sub is not None
            else ""
        )
        + "#v(1fr)\n#line(length: 100%, stroke: 0.6pt + navy)\n"
        + grid
        + "\n"
        + extra
        + "]\n"
    )


def contents(el) -> str:
    title = el.find(f".//{NS}h2")
    marks = [_text(m) for m in el.iter(f"{NS}span") if "toc-num" in _classes(m)]
    return (
        f"#let chapter-marks = ({', '.join(string(m) for m in marks)},)\n"
        f"#text(font: {stack(SANS)}, weight: 600, size: 10pt, fill: grey)[{esc(_text(title).upper()) if title is not None else 'CONTENTS'}] <report-contents>\n\n"
        # an entry's title may wrap (hanging, never hyphenated); its leader and page number always
        # end its last line (Typst's entry layout keeps the last word, the leader and the number together)
        "#show outline: set text(hyphenate: false)\n"
        "#show outline.entry.where(level: 1): it => {\n"
        "  let i = query(heading.where(level: 1, outlined: true)).map(h => h.location()).position(l => l == it.element.location())\n"
        "  let n = if i < chapter-marks.len() { chapter-marks.at(i) } else { str(i + 1) }\n"
        "  v(3mm, weak: true)\n"
        "  set text(size: 11.5pt)\n"
        "  link(it.element.location(), it.indented(box(width: 6mm)[#n], it.inner(), gap: 0pt))\n"
        "}\n"
        "#outline(title: none, depth: 2, indent: 6mm)\n\n"
    )


def _fonts_folder(fonts) -> Path:
    """TrueType copies of the bundled faces (Typst does not read WOFF2); ``fonts``: the
    renderer's table of (file, family, weight, style).

    The folder (in the temp folder, shared by the builds on this machine) is named by what
    its files are made from: the faces' bytes, the table and this conversion. So it holds
    these faces and nothing else, as this checkout converts them: another checkout or an
    older version (other family names, a face added or converted with a timestamp) writes
    into a folder of its own, and Typst, which loads every font in the folder, never sees
    its files (while it could, the same HTML gave other PDF bytes, or no PDF). Each file is
    written under a name of its own, then renamed: builds running at the same time never
    read a half-written face."""
    import hashlib
    import inspect
    import os

    try:
        code = inspect.getsource(_truetype).encode()
    except OSError:  # no source at hand: its bytecode then
        code = _truetype.__code__.co_code
    h = hashlib.sha256(code)
    for file, family, _typeface, weight, style in fonts:
        h.update(f"{file}|{family}|{weight}|{style}|".encode())
        h.update(hashlib.sha256((paths.fonts_dir() / file).read_bytes()).digest())
    user = f"{os.getuid()}-" if hasattr(os, "getuid") else ""
    folder = Path(tempfile.gettempdir()) / f"partnerships-typst-fonts-{user}{h.hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    for file, family, _typeface, weight, style in fonts:
        src = paths.fonts_dir() / file
        out = folder / (src.stem + ".ttf")
        if out.exists():
            continue  # written whole (renamed into place) from the same bytes by the same code
        fd, tmp = tempfile.mkstemp(prefix=f".{src.stem}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                _truetype(src, family, weight, style).save(fh)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return folder


def _truetype(src: Path, family: str, weight: int, style: str):
    """The WOFF2 face ``src`` as a TrueType font named ``family`` (weight, style), with no
    conversion timestamp: the same bytes on every machine and day (reproducible PDFs)."""
    from fontTools.ttLib import TTFont

    f = TTFont(src, recalcTimestamp=False)
    f.flavor = None
    name = f["name"]
    sub = {400: "Regular", 600: "SemiBold", 700: "Bold"}[weight]
    if style == "italic":
        sub = "Italic" if weight == 400 else f"{sub} Italic"
    for nid in (16, 17):
        name.removeNames(nameID=nid)
    for nid, value in (
        (1, family),
        (2, sub),
        (4, f"{family} {sub}"),
        (6, f"{family.replace(' ', '')}-{sub.replace(' ', '')}"),
    ):
        name.setName(value, nid, 3, 1, 0x409)
    f["OS/2"].usWeightClass = weight
    return f


def render_pdf(html_path: Path, out_pdf: Path, fonts, attachments: list[tuple[str, bytes, str]] = ()) -> None:
    """Compile the report HTML to a tagged PDF/UA-1 with Typst, with ``fonts`` (the
    renderer's table of bundled faces) and nothing else."""
    import typst

    html_path = Path(html_path)
    text = html_path.read_text(encoding="utf-8")
    m = re.search(r'<meta name="dcterms\.created" content="(\d{4}-\d{2}-\d{2})">', text)
    edition = dt.date.fromisoformat(m.group(1)) if m else dt.date(1970, 1, 1)
    with tempfile.TemporaryDirectory(prefix="typst-") as tmp:
        folder = Path(tmp)
        source = to_typst(text, folder, fallback_title=html_path.stem)
        for name, data, desc in attachments:
            (folder / name).write_bytes(data)
            source += (
                f'\n#pdf.attach({string(name)}, relationship: "data", mime-type: "application/zip", '
                f"description: {string(desc)})\n"
            )
        (folder / "report.typ").write_text(source, encoding="utf-8")
        epoch = int(dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.UTC).timestamp())
        try:
            pdf = typst.compile(
                str(folder / "report.typ"),
                root=str(folder),
                font_paths=[str(_fonts_folder(fonts))],
                ignore_system_fonts=True,
                pdf_standards=["ua-1"],
                timestamp=epoch,
            )
        except Exception as exc:  # typst reports markup errors with a location in report.typ
            keep = paths.build_dir() / "failed" / "report.typ"
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.write_text(source, encoding="utf-8")
            raise RenderError(f"PDF (Typst): {exc}; the generated source is kept at {paths.relative(keep)}") from exc
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)
