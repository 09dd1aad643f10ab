"""Executed notebooks -> one self-contained offline HTML report -> PDF (WeasyPrint).

The build calls two functions::

    render_html(meta, chapters, out_html)   # meta: title, subtitle, edition, author, name
    render_pdf(out_html, out_pdf)           # chapters: [{"id": ..., "notebook": Path}, ...]

What :func:`render_html` does, chapter by chapter:

1. Reads the executed notebook and prepares it: cells tagged ``parameters`` /
   ``injected-parameters`` (and ``remove-cell``) are dropped, stream outputs (stdout,
   stderr) are dropped, an error output stops the render with a :class:`RenderError`
   naming the notebook and cell (a traceback is never printed into the report), and an
   output that has a rich form (HTML, Markdown, SVG, PNG) loses its ``text/plain`` repr.
2. Converts it with nbconvert's ``HTMLExporter`` and the small template in
   ``templates/offline/`` (code inputs and prompts are never emitted).
3. Post-processes the chapter HTML: the first ``<h1>`` becomes the chapter heading with
   id ``<chapter id>``; ``<h2>``..``<h6>`` get ids ``<chapter id>--<slug>`` (H2s go into
   the table of contents); figures and tables emitted by :mod:`partnerships.analysis.present` are
   numbered across the report ("Figure N" / "Table N", ids ``fig-N`` / ``tab-N``); ids
   inside inline SVGs are prefixed so every id in the report is unique; and the HTML is
   sanitised: no ``<script>``, ``<iframe>``, ``<object>``, ``<style>`` (except the
   harmless one matplotlib puts in its SVGs), no event-handler attributes, no
   ``javascript:`` URLs, no external URL in any ``src``/``href``/``url()``.  Details:
   a later ``<h1>`` in a chapter is shown as an ``<h2>`` (one title per chapter); a
   chapter with no H1 gets one with its id; a link to an external site keeps its text
   but loses its ``href``; an image with a relative path is inlined from the notebook's
   folder, an image from the web stops the render; an in-page link to an anchor that
   does not exist stops the render; tables with more than ``WIDE_TABLE_COLUMNS``
   columns get class ``table-wide`` (smaller print type), a figure with a table of more
   than ``LONG_TABLE_ROWS`` rows class ``figure-long`` (may break across pages) and
   numeric columns class ``num`` (right-aligned).

Then the chapters are wrapped in ``templates/offline/document.html.j2`` with the title
block, the table of contents, the CSS (``templates/offline/report.css`` for screen and
print, ``screen.css`` for browsers only) and the bundled fonts (``fonts/``) as base64
``data:`` URLs.  Same inputs give byte-identical HTML: no timestamps, no absolute
paths, stable ids and ordering.

:func:`render_pdf` renders that same HTML with WeasyPrint (print CSS: cover, contents
with page numbers, running header, "Page X of Y", bookmarks per chapter and H2 section,
clickable internal links).  The cover is page 1 and carries no header or footer, so
the first footer reads "Page 2 of N" (the contents).  Only ``file:`` and
``data:`` URLs may be fetched, so nothing ever leaves the machine.  The PDF's dates
(CreationDate, ModDate) come from the edition date in the HTML's ``dcterms`` metadata,
and ``SOURCE_DATE_EPOCH`` is set to the edition date (midnight UTC) while rendering, so
that any part of the chain that stamps the clock (font subsetting did, WeasyPrint #1553)
stamps the edition instead: the same HTML gives the same PDF bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import logging
import mimetypes
import os
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from partnerships import paths
from partnerships.errors import RenderError, UserError  # noqa: F401

__all__ = ["RenderError", "render_html", "render_pdf", "chapter_title", "slugify"]

#: The template directory (``templates/offline``) used by nbconvert and for the page.
TEMPLATE_NAME = "offline"

#: Fonts embedded in the HTML, in this order: (file, family, weight, style).
FONTS = [
    ("source-serif-4-latin-400-normal.woff2", "Source Serif 4", 400, "normal"),
    ("source-serif-4-latin-400-italic.woff2", "Source Serif 4", 400, "italic"),
    ("source-serif-4-latin-700-normal.woff2", "Source Serif 4", 700, "normal"),
    ("source-sans-3-latin-400-normal.woff2", "Source Sans 3", 400, "normal"),  # chart text
    ("source-sans-3-latin-600-normal.woff2", "Source Sans 3", 600, "normal"),
]

#: Cells with these tags never reach the report.
REMOVE_CELL_TAGS = ("parameters", "injected-parameters", "remove-cell", "remove_cell")
#: Cells with these tags keep nothing but... nothing: their outputs are dropped too.
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output")

#: Output types nbconvert may show, richest first (javascript, widgets, latex-only never).
DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]

#: A table with more columns than this is printed in smaller type (class "table-wide").
WIDE_TABLE_COLUMNS = 8
#: A table with more rows than this may break across PDF pages (its header repeats).
LONG_TABLE_ROWS = 25

#: ids the page skeleton uses; chapter content never gets them.
RESERVED_IDS = ("report-cover", "report-contents", "report-contents-title")

_CHAPTER_ID = re.compile(r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip

# Elements removed with everything inside them, and void elements removed.
_DROP_WITH_CONTENT = {"script", "iframe", "object", "applet", "frameset", "noscript", "template", "metadata"}
_DROP_VOID = {"link", "meta", "base", "embed", "frame", "param"}
_URL_ATTRS = {"href", "xlink:href", "src", "action", "formaction", "poster", "srcset", "background", "cite", "data"}
_HEADING = re.compile(r"^h[1-6]$")
_PLAIN_REPR = re.compile(r"^<[\w.]+(?: object)?(?: at 0x[0-9a-fA-F]+)?>$")
_NUMBER = re.compile(r"^[−+-]?(?:\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+)(?:\.\d+)?\s?%?$")
_SAFE_IMG_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.I)




# --------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------


def render_html(meta: dict, chapters: list[dict], out_html: Path) -> None:
    """Render executed notebooks into ONE self-contained offline HTML file.

    ``meta``: {"title", "subtitle", "edition" (ISO date), "author", "name"}.
    ``chapters``: in order, each {"id": slug-safe id, "notebook": path to the executed .ipynb}.
    """
    edition = _edition_date(meta.get("edition"))
    _check_chapters(chapters)
    exporter = _exporter()
    state = _ReportState(ids=set(RESERVED_IDS))
    rendered = []
    for number, chapter in enumerate(chapters, start=1):
        rendered.append(_render_chapter(exporter, chapter, number, state))
    _label_chapters(rendered, chapters)
    for ch in rendered:  # in-page links must land (a link may point into another chapter)
        missing = sorted(set(re.findall(r'<a\b[^>]*\shref="#([^"]*)"', ch.html)) - state.ids)
        if missing:
            raise RenderError(
                f"chapter {ch.id}: link to a missing anchor: {', '.join('#' + m for m in missing)} "
                f"(anchors are <chapter id> and <chapter id>--<heading slug>, e.g. #{ch.id}--{slugify('a heading')})"
            )

    from partnerships.engine import downloads

    for ch in rendered:  # each figure's and table's data as a CSV link under it
        ch.html = downloads.figure_links(ch.html, meta, edition, _citation(meta, edition))
    dataset = downloads.dataset_zip(meta, edition, _citation(meta, edition))

    doc = _page_template().render(
        meta={k: ("" if meta.get(k) is None else str(meta.get(k))) for k in ("title", "subtitle", "author", "name", "producer")}
        | {"edition": edition.isoformat(), "data_as_of": str(meta.get("data_as_of") or "")},
        edition_text=f"{edition.day} {_MONTHS[edition.month - 1]} {edition.year}",
        data_as_of_text=_date_text(str(meta.get("data_as_of") or "")),
        citation=_citation(meta, edition),
        changes=next((ch for ch in rendered if ch.id == "changes-since-the-previous-edition"), None),
        chapters=rendered,
        css=(paths.templates_dir() / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8"),
        screen_css=(paths.templates_dir() / TEMPLATE_NAME / "screen.css").read_text(encoding="utf-8"),
        fonts_css=fonts_css(),
        dataset={
            "url": downloads.data_url(dataset, "application/zip"),
            "filename": downloads.dataset_filename(meta),
            "kb": max(1, round(len(dataset) / 1024)),
        },
    )
    _final_checks(doc)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(doc, encoding="utf-8", newline="\n")


def PDF_ENGINE() -> str:
    """The PDF route: "typst" (default: the whole report in seconds, tagged PDF/UA-1) or
    "weasyprint" (``PARTNERSHIPS_PDF_ENGINE=weasyprint``: the print CSS route, ~10x slower)."""
    value = os.environ.get("PARTNERSHIPS_PDF_ENGINE", "typst")
    if value not in ("typst", "weasyprint"):
        raise UserError(f"PARTNERSHIPS_PDF_ENGINE must be typst or weasyprint, not {value!r}")
    return value


def _dataset_in(text: str):
    """(file name, bytes, description) of the dataset zip the HTML links to, or None."""
    z = re.search(r'<a class="screen-only" id="report-dataset" href="data:application/zip;base64,([^"]+)" download="([^"]+)"', text)
    if not z:
        return None
    return z.group(2), base64.b64decode(z.group(1)), "The report's curated data tables, data dictionary and suggested citation"


def render_pdf(html_path: Path, out_pdf: Path) -> None:
    """Render the report HTML to PDF with WeasyPrint, fetching only file: and data: URLs.

    ``SOURCE_DATE_EPOCH`` is set to the edition date (read from the HTML's
    ``dcterms.created`` metadata) while rendering, so the same HTML gives the same bytes.
    """
    html_path = Path(html_path)
    text = html_path.read_text(encoding="utf-8")
    if PDF_ENGINE() == "typst":
        from partnerships.engine import typst_pdf

        z = _dataset_in(text)
        typst_pdf.render_pdf(html_path, out_pdf, FONTS, attachments=[z] if z else [])
        return
    import weasyprint

    m = re.search(r'<meta name="dcterms\.created" content="(\d{4}-\d{2}-\d{2})">', text)
    edition = _edition_date(m.group(1) if m else None)
    epoch = int(dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.timezone.utc).timestamp())
    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"), timeout=5)
    # the whole dataset travels with the PDF as an attachment (the HTML offers it as a link)
    attachments = []
    z = _dataset_in(text)
    if z:
        when = dt.datetime(edition.year, edition.month, edition.day, tzinfo=dt.timezone.utc)
        attachments.append(weasyprint.Attachment(
            string=z[1], name=z[0], description=z[2], created=when, modified=when, relationship="Data", url_fetcher=fetcher))
    logger = logging.getLogger("weasyprint")
    quiet = _SvgStyleNoise()
    logger.addFilter(quiet)
    try:
        with _environ(SOURCE_DATE_EPOCH=str(epoch)):
            document = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, media_type="print")
            # tagged PDF (structure tree, /Alt for figures, table headers), PDF/UA-1 identified
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", attachments=attachments)
    finally:
        logger.removeFilter(quiet)
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    out_pdf.write_bytes(pdf)


def chapter_title(nb, default: str) -> str:
    """A chapter's title, by the rule the renderer uses: the first H1 in document order,
    from a markdown cell or from a ``text/markdown`` output starting with "# " (a
    parameterized chapter writes its heading from a code cell, e.g.
    ``display(Markdown(f"# Partner profile: {partner}"))``); ``default`` if there is none.
    Cells tagged ``parameters`` / ``injected-parameters`` are skipped."""
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & set(REMOVE_CELL_TAGS):
            continue
        if cell.cell_type == "markdown":
            title = _first_h1(cell.source)
            if title:
                return title
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                md = out.get("data", {}).get("text/markdown")
                if isinstance(md, list):
                    md = "".join(md)
                if isinstance(md, str) and md.lstrip().startswith("# "):
                    return _first_h1(md) or default
    return default


def slugify(text: str) -> str:
    """'Who trains whom? (1990–2024)' -> 'who-trains-whom-1990-2024'."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "section"


def fonts_css() -> str:
    """@font-face rules for the bundled fonts, as base64 data URLs (no request leaves the page)."""
    rules = []
    for file, family, weight, style in FONTS:
        data = base64.b64encode((paths.fonts_dir() / file).read_bytes()).decode("ascii")
        rules.append(
            "@font-face {\n"
            f"  font-family: '{family}';\n  font-style: {style};\n  font-weight: {weight};\n"
            "  font-display: swap;\n"
            f"  src: url(data:font/woff2;base64,{data}) format('woff2');\n"
            "}"
        )
    return "\n".join(rules)


# --------------------------------------------------------------------------------------
# chapters
# --------------------------------------------------------------------------------------


@dataclass
class _ReportState:
    """What numbering and ids carry across chapters."""

    ids: set[str]
    figures: int = 0
    tables: int = 0


@dataclass
class _Chapter:
    id: str
    number: int
    title: str
    html: str
    sections: list[dict] = field(default_factory=list)
    label: str = ""  # what the report calls it: "Chapter 3" or "Annex B"
    mark: str = ""  # the number or letter shown in the contents


def _check_chapters(chapters: list[dict]) -> None:
    seen = set()
    for ch in chapters:
        cid = ch.get("id")
        if not isinstance(cid, str) or not _CHAPTER_ID.match(cid):
            raise RenderError(
                f"chapter id {cid!r} is not slug-safe (lowercase letters, digits and single or double hyphens)"
            )
        if cid in RESERVED_IDS or re.match(r"^(fig|tab)-\d+$", cid):
            raise RenderError(f"chapter id {cid!r} is reserved by the report page")
        if cid in seen:
            raise RenderError(f"chapter id {cid!r} appears twice in the report")
        seen.add(cid)


def _exporter():
    from nbconvert.exporters import HTMLExporter, TemplateExporter
    from traitlets.config import Config

    class ChapterExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass, which re-serialises the HTML
        and lowercases inline SVG names (viewBox, clipPath); render.py post-processes instead."""

        def from_notebook_node(self, nb, resources=None, **kw):
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            resources = self._init_resources(resources)
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(paths.templates_dir())]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = False  # keeps heading ids (in-page links); the links go
    c.HTMLExporter.anchor_link_text = ""
    c.HTMLExporter.embed_images = False
    c.NbConvertBase.display_data_priority = DISPLAY_PRIORITY  # read by nbconvert's data-type filter
    c.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    return ChapterExporter(config=c)


def _render_chapter(exporter, chapter: dict, number: int, state: _ReportState) -> _Chapter:
    import nbformat

    cid = chapter["id"]
    nb_path = Path(chapter["notebook"])
    shown = paths.relative(nb_path)
    if not nb_path.is_file():
        raise RenderError(f"chapter {cid}: executed notebook {shown} not found")
    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds
        raise RenderError(f"chapter {cid}: cannot read notebook {shown}: {exc}") from exc
    _prepare(nb, cid, shown)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": cid, "path": ""}})
    body = _prefix_svg_ids(body, cid)
    post = _ChapterHTML(cid, number, state, nb_path.parent, shown)
    out_html = post.run(body)
    return _Chapter(id=cid, number=number, title=post.title, html=out_html, sections=post.sections)


def _date_text(value: str) -> str:
    """'2025-03-15' -> '15 March 2025'; '2025-03' -> 'March 2025'; '2025' -> '2025'."""
    parts = value.split("-") if value else []
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def _citation(meta: dict, edition) -> str:
    """The suggested citation: the manifest's ``citation``, or one built from its fields."""
    if meta.get("citation"):
        return str(meta["citation"])
    who = str(meta.get("producer") or meta.get("author") or "").strip()
    title = str(meta.get("title") or "").strip()
    text = f"{who} ({edition.year}). {title}" if who else f"{title} ({edition.year})"
    if meta.get("subtitle"):
        text += f": {meta['subtitle']}"
    return text + f". Edition of {edition.day} {_MONTHS[edition.month - 1]} {edition.year}."


def _label_chapters(rendered: list[_Chapter], chapters: list[dict]) -> None:
    """Numbered chapters 1, 2, ...; annexes (which come last) lettered A, B, ..."""
    n = a = 0
    for ch, spec in zip(rendered, chapters):
        if spec.get("annex"):
            ch.mark = chr(ord("A") + a) if a < 26 else f"A{a - 25}"
            ch.label = f"Annex {ch.mark}"
            a += 1
        else:
            n += 1
            ch.mark = str(n)
            ch.label = f"Chapter {n}"


def _prepare(nb, cid: str, shown: str) -> None:
    """Refuse errors, drop streams and plain-text reprs of rich outputs (in place)."""
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & set(REMOVE_CELL_TAGS):
            continue
        kept = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                raise RenderError(
                    f"chapter {cid}: notebook {shown}, cell {index} ended in an error "
                    f"({out.get('ename', 'Error')}: {out.get('evalue', '')}); fix the notebook, "
                    "the report never shows a traceback"
                )
            if kind == "stream":
                continue
            if kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                if "text/plain" in data and any(k in data for k in DISPLAY_PRIORITY[:-1]):
                    del data["text/plain"]
                text = data.get("text/plain")
                if isinstance(text, list):
                    text = "".join(text)
                if set(data) == {"text/plain"} and _PLAIN_REPR.match((text or "").strip()):
                    continue  # '<IPython.core.display.Markdown object>' and the like
                if not any(k in data for k in DISPLAY_PRIORITY):
                    continue
            kept.append(out)
        cell["outputs"] = kept


def _first_h1(markdown: str) -> str | None:
    for line in markdown.splitlines():
        m = re.match(r"^ {0,3}# +(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1).strip()
    return None


def _prefix_svg_ids(body: str, cid: str) -> str:
    """Prefix the ids inside each inline <svg> (and the references to them) so that
    several matplotlib figures (ids like 'figure_1', glyph 'DejaVuSans-41') never clash."""
    counter = 0

    def one(m: re.Match) -> str:
        nonlocal counter
        counter += 1
        svg = m.group(0)
        ids = set(re.findall(r'\sid="([^"]+)"', svg))
        if not ids:
            return svg
        prefix = f"{cid}-svg{counter}-"

        def ref(mm: re.Match) -> str:
            return mm.group(1) + (prefix + mm.group(2) if mm.group(2) in ids else mm.group(2)) + mm.group(3)

        svg = re.sub(r'(\sid=")([^"]+)(")', ref, svg)
        svg = re.sub(r'((?:\s|:)href="#)([^"]+)(")', ref, svg)  # href and xlink:href
        svg = re.sub(r"(url\(#)([^)]+)(\))", ref, svg)
        return svg

    return re.sub(r"<svg\b.*?</svg\s*>", one, body, flags=re.S | re.I)


# --------------------------------------------------------------------------------------
# HTML post-processing: a token stream that keeps the original text of every tag it
# does not change (so inline SVG keeps viewBox / clipPath exactly as written)
# --------------------------------------------------------------------------------------


@dataclass
class _Tok:
    kind: str  # start | startend | end | text | cdata
    tag: str = ""
    attrs: dict | None = None
    raw: str = ""
    text: str = ""


class _Lexer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.toks: list[_Tok] = []

    def handle_starttag(self, tag, attrs):
        self.toks.append(_Tok("start", tag, _attr_dict(attrs), self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        self.toks.append(_Tok("startend", tag, _attr_dict(attrs), self.get_starttag_text()))

    def handle_endtag(self, tag):
        self.toks.append(_Tok("end", tag, raw=f"</{tag}>"))

    def parse_endtag(self, i):
        n = len(self.toks)
        j = super().parse_endtag(i)
        if j > i and len(self.toks) == n + 1 and self.toks[-1].kind == "end":
            self.toks[-1].raw = self.rawdata[i:j]  # keep '</clipPath>' as written
        return j

    def handle_data(self, data):
        if self.cdata_elem is not None:
            self.toks.append(_Tok("cdata", self.cdata_elem, raw=data, text=data))
        else:
            self.toks.append(_Tok("text", raw=html.escape(data, quote=False), text=data))

    # comments, doctype, processing instructions: never kept in chapter content
    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def _attr_dict(attrs) -> dict:
    out = {}
    for k, v in attrs:
        out.setdefault(k, "" if v is None else v)
    return out


def _lex(text: str) -> list[_Tok]:
    lexer = _Lexer()
    lexer.feed(text)
    lexer.close()
    return lexer.toks


def _build_tag(tok: _Tok) -> str:
    """A start tag written from its parsed attributes (every attribute quoted and escaped,
    duplicates dropped as a browser would), keeping the original spelling of the tag and
    attribute names (SVG's viewBox, clipPath) found in the source text."""
    m = re.match(r"<\s*([^\s/>]+)", tok.raw)
    name = m.group(1) if m and m.group(1).lower() == tok.tag else tok.tag
    parts = [name]
    for attr, value in (tok.attrs or {}).items():
        spelled = re.search(r"(?<=[\s/\"'])(" + re.escape(attr) + r")(?=\s*=|[\s/>])", tok.raw, re.I)
        parts.append(f'{spelled.group(1) if spelled else attr}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ("/>" if tok.kind == "startend" else ">")


def _set_attr(tok: _Tok, name: str, value: str | None) -> None:
    """Change (value=None: remove) one attribute of a start tag, and rewrite its text."""
    attrs = dict(tok.attrs or {})
    if value is None:
        attrs.pop(name, None)
    else:
        attrs[name] = value
    tok.attrs = attrs
    tok.raw = _build_tag(tok)


def _classes(tok: _Tok) -> set[str]:
    return set((tok.attrs or {}).get("class", "").split())


class _ChapterHTML:
    """Sanitise one chapter's HTML, give anchors, number figures, collect the TOC."""

    def __init__(self, cid: str, number: int, state: _ReportState, nb_dir: Path, shown: str):
        self.cid = cid
        self.number = number
        self.state = state
        self.nb_dir = nb_dir
        self.shown = shown
        self.title = cid
        self.sections: list[dict] = []
        self.heading_ids: dict[str, str] = {}  # nbconvert's heading ids -> ours (for in-page links)

    def run(self, body: str) -> str:
        toks = self._sanitise(_lex(body))
        toks = self._headings(toks)
        toks = self._figures(toks)
        toks = self._tables(toks)
        toks = self._ids_and_links(toks)
        return "".join(t.raw for t in toks).strip() + "\n"

    # -- ids ---------------------------------------------------------------------------
    def _claim(self, wanted: str) -> str:
        new, n = wanted, 1
        while new in self.state.ids:
            n += 1
            new = f"{wanted}-{n}"
        self.state.ids.add(new)
        return new

    # -- pass 1: sanitise ----------------------------------------------------------------
    def _sanitise(self, toks: list[_Tok]) -> list[_Tok]:
        out: list[_Tok] = []
        i, svg_depth = 0, 0
        while i < len(toks):
            t = toks[i]
            if t.kind in ("start", "startend"):
                drop_content = t.tag in _DROP_WITH_CONTENT or (
                    t.tag == "style" and not (svg_depth and _harmless_style(toks, i))
                )
                if t.kind == "start" and drop_content:
                    i = _skip_element(toks, i)
                    continue
                if t.tag in _DROP_VOID or drop_content:
                    i += 1
                    continue
                t = self._clean_tag(t)
                if t.tag == "svg" and t.kind == "start":
                    svg_depth += 1
            elif t.kind == "end":
                if t.tag in _DROP_VOID or t.tag in _DROP_WITH_CONTENT:
                    i += 1
                    continue
                if t.tag == "svg" and svg_depth:
                    svg_depth -= 1
            out.append(t)
            i += 1
        return out

    def _clean_tag(self, t: _Tok) -> _Tok:
        """The tag rewritten from its parsed attributes, without anything active: what the
        report shows is exactly what was checked (no parser can see an attribute we missed)."""
        attrs = {}
        for name, value in (t.attrs or {}).items():
            v = re.sub(r"[\x00-\x20]+", "", value).lower()
            if name.startswith("on") or "javascript:" in v or "vbscript:" in v:
                continue
            if name == "style" and re.search(r"url\((?!['\"]?#)|expression\(|@import|behavior:", v):
                continue
            if t.tag == "table" and name in ("border", "style", "cellpadding", "cellspacing"):
                continue  # pandas' presentational attributes: the report's CSS styles tables
            if name in _URL_ATTRS and value and not value.startswith("#"):
                if t.tag in ("img", "image") and name in ("src", "href", "xlink:href"):
                    attrs[name] = value if _SAFE_IMG_DATA.match(value.strip()) else self._inline_local_image(value)
                # other links (external, relative, data:) lose their target: plain text offline
                continue
            attrs[name] = value
        tok = _Tok(t.kind, t.tag, attrs, t.raw)
        tok.raw = _build_tag(tok)
        return tok

    def _inline_local_image(self, src: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
            raise RenderError(
                f"chapter {self.cid}: notebook {self.shown} shows an image from {src!r}; "
                "the report is offline: embed the image in the notebook output instead"
            )
        rel = src.split("?")[0].split("#")[0]
        # next to the executed notebook, or next to the source notebooks (the build runs copies)
        found = [p for p in (self.nb_dir / rel, paths.notebooks_dir() / rel) if p.is_file()]
        target = found[0] if found else Path(rel)
        mime = mimetypes.guess_type(target.name)[0]
        if not found or mime not in ("image/png", "image/jpeg", "image/gif", "image/svg+xml"):
            raise RenderError(
                f"chapter {self.cid}: notebook {self.shown} shows image {src!r}, which is not found "
                "(a PNG, JPEG, GIF or SVG file next to the notebook)"
            )
        return f"data:{mime};base64," + base64.b64encode(target.read_bytes()).decode("ascii")

    # -- pass 2: headings ----------------------------------------------------------------
    def _headings(self, toks: list[_Tok]) -> list[_Tok]:
        out: list[_Tok] = []
        have_h1 = False
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind != "start" or not _HEADING.match(t.tag):
                out.append(t)
                i += 1
                continue
            j = _matching_end(toks, i)
            inner = [x for x in _without_anchor_links(toks[i + 1 : j]) if x.kind != "cdata"]
            text = re.sub(r"\s+", " ", "".join(x.text for x in inner if x.kind == "text")).strip()
            level = int(t.tag[1])
            if level == 1 and not have_h1:
                have_h1 = True
                new_id = self._claim(self.cid)
                self.title = text or self.cid
                tag = "h1"
            else:
                tag = "h2" if level == 1 else t.tag  # one H1 per chapter: later ones are sections
                new_id = self._claim(f"{self.cid}--{slugify(text)}")
                if tag == "h2":
                    self.sections.append({"id": new_id, "title": text})
            old_id = (t.attrs or {}).get("id")
            if old_id:
                self.heading_ids.setdefault(old_id, new_id)
            cls = ' class="chapter-title"' if tag == "h1" else ""
            out.append(_Tok("start", tag, {"id": new_id}, f'<{tag} id="{new_id}"{cls}>'))
            out.extend(inner)
            out.append(_Tok("end", tag, raw=f"</{tag}>"))
            i = j + 1
        if not have_h1:
            new_id = self._claim(self.cid)
            self.title = self.cid
            out[:0] = [
                _Tok("start", "h1", {"id": new_id}, f'<h1 id="{new_id}" class="chapter-title">'),
                _Tok("text", raw=html.escape(self.cid), text=self.cid),
                _Tok("end", "h1", raw="</h1>"),
            ]
        return out

    # -- pass 3: figures and tables ------------------------------------------------------
    def _figures(self, toks: list[_Tok]) -> list[_Tok]:
        out: list[_Tok] = []
        label = None
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == "start" and t.tag == "figure" and "report-figure" in _classes(t):
                if (t.attrs or {}).get("data-kind") == "table":
                    self.state.tables += 1
                    label, fid = f"Table {self.state.tables}", f"tab-{self.state.tables}"
                else:
                    self.state.figures += 1
                    label, fid = f"Figure {self.state.figures}", f"fig-{self.state.figures}"
                fid = self._claim(fid)
                _set_attr(t, "id", fid)
                out.append(t)
                i += 1
                continue
            if t.kind == "end" and t.tag == "figure":
                label = None
            if label and t.kind == "start" and t.tag == "span" and "caption-label" in _classes(t):
                j = _matching_end(toks, i)
                out.extend([t, _Tok("text", raw=html.escape(label), text=label), toks[j]])
                label = None
                i = j + 1
                continue
            out.append(t)
            i += 1
        return out

    # -- pass 3b: tables: wide ones, numeric columns ----------------------------------
    def _tables(self, toks: list[_Tok]) -> list[_Tok]:
        """Mark tables with more than WIDE_TABLE_COLUMNS columns ("table-wide": the print
        CSS sets them smaller), figures holding a table of more than LONG_TABLE_ROWS rows
        ("figure-long": allowed to break across pages, not pushed whole to the next), and
        right-align numeric columns (class "num" on their cells)."""
        figure = None  # the report figure around the table, if any
        for i, t in enumerate(toks):
            if t.kind == "start" and t.tag == "figure":
                figure = t
            elif t.kind == "end" and t.tag == "figure":
                figure = None
            if t.kind != "start" or t.tag != "table":
                continue
            end = _matching_end(toks, i)
            rows: list[list[tuple[int, bool, str]]] = []  # per row: (token index, is th, text)
            spans = False
            k = i + 1
            while k < end:
                x = toks[k]
                if x.kind == "start" and x.tag == "tr":
                    rows.append([])
                elif x.kind == "start" and x.tag in ("td", "th"):
                    spans = spans or bool({"colspan", "rowspan"} & set(x.attrs or {}))
                    close = _matching_end(toks, k)
                    text = "".join(y.text for y in toks[k + 1 : close] if y.kind == "text").strip()
                    if not rows:
                        rows.append([])
                    rows[-1].append((k, x.tag == "th", text))
                    k = close
                elif x.kind == "start" and x.tag == "table":  # a nested table: left alone
                    k = _matching_end(toks, k)
                k += 1
            width = max((len(r) for r in rows), default=0)
            if width > WIDE_TABLE_COLUMNS:
                _add_class(t, "table-wide")
            if figure is not None and len(rows) > LONG_TABLE_ROWS:
                _add_class(figure, "figure-long")  # may break across pages (print CSS)
            if spans:
                continue  # spanning cells: column positions are not simple, keep alignment
            for col in range(width):
                body = [r[col][2] for r in rows if len(r) > col and not r[col][1]]
                values = [v for v in body if v not in ("", "–", "-", "—", "NaN", "nan", "None")]
                if values and all(_NUMBER.match(v) for v in values):
                    for r in rows:
                        if len(r) > col:
                            _add_class(toks[r[col][0]], "num")
        return toks

    # -- pass 4: unique ids, in-page links -----------------------------------------------
    def _ids_and_links(self, toks: list[_Tok]) -> list[_Tok]:
        assigned = {t.attrs["id"] for t in toks if t.kind == "start" and t.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "figure") and t.attrs and "id" in t.attrs}
        for t in toks:
            if t.kind not in ("start", "startend") or not t.attrs:
                continue
            old = t.attrs.get("id")
            if old is not None and old not in assigned:
                if not old or old in RESERVED_IDS or re.match(r"^(?:fig|tab)-\d+$", old):
                    wanted = f"{self.cid}--id-{old}" if old else f"{self.cid}--id"  # never take a report anchor
                else:
                    wanted = old
                new = self._claim(wanted)
                if new != old:
                    _set_attr(t, "id", new)
            href = t.attrs.get("href")
            if t.tag == "a" and href and href.startswith("#") and href[1:] in self.heading_ids:
                new = "#" + self.heading_ids[href[1:]]
                _set_attr(t, "href", new)
        return toks


def _add_class(tok: _Tok, name: str) -> None:
    _set_attr(tok, "class", " ".join(sorted(_classes(tok) | {name})))


def _harmless_style(toks: list[_Tok], i: int) -> bool:
    """matplotlib's SVG <style> (stroke-linejoin etc.): no url(), no @import, no markup."""
    j = _matching_end(toks, i)
    css = "".join(t.text for t in toks[i + 1 : j])
    return not re.search(r"url\(|@import|expression|<|javascript", css, re.I)


def _matching_end(toks: list[_Tok], i: int) -> int:
    """Index of the end tag closing the start tag at i (or the last index)."""
    tag, depth = toks[i].tag, 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.tag == tag and t.kind == "start":
            depth += 1
        elif t.tag == tag and t.kind == "end":
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def _skip_element(toks: list[_Tok], i: int) -> int:
    return _matching_end(toks, i) + 1


def _without_anchor_links(toks: list[_Tok]) -> list[_Tok]:
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.kind in ("start", "startend") and t.tag == "a" and "anchor-link" in _classes(t):
            i = _matching_end(toks, i) + 1 if t.kind == "start" else i + 1
            continue
        out.append(t)
        i += 1
    return out


# --------------------------------------------------------------------------------------
# page, checks, helpers
# --------------------------------------------------------------------------------------


def _page_template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir() / TEMPLATE_NAME)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("document.html.j2")


def _final_checks(doc: str) -> None:
    """Second line of defence: what must never be in the report."""
    if re.search(r"<\s*script", doc, re.I):
        raise RenderError("the report HTML contains a <script> element")
    bad = re.search(r"""(?:\b(?:src|href)\s*=\s*["']?\s*|url\(\s*["']?\s*)(?:[a-z][a-z0-9+.-]*:)?//""", doc, re.I)
    if bad:
        raise RenderError(f"the report HTML refers to an external URL: {doc[bad.start() : bad.start() + 80]!r}")
    ids = re.findall(r'\sid="([^"]+)"', doc)
    if len(ids) != len(set(ids)):
        seen, dupes = set(), set()
        for x in ids:
            (dupes if x in seen else seen).add(x)
        raise RenderError(f"the report HTML has duplicate ids: {', '.join(sorted(dupes)[:5])}")
    targets = set(re.findall(r'(?:\s|:)href="#([^"]*)"', doc)) | set(re.findall(r"url\(#([^)]*)\)", doc))
    missing = sorted(targets - set(ids))
    if missing:
        raise RenderError(f"the report HTML links to missing anchors: {', '.join(missing[:5])}")


def _edition_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise RenderError(f"edition must be an ISO date (YYYY-MM-DD), got {value!r}") from None


class _SvgStyleNoise(logging.Filter):
    """WeasyPrint's HTML CSS parser also reads the style="" of inline SVG elements and warns
    about every SVG-only property (fill, stroke...). Its SVG renderer applies them anyway;
    drop those warnings so that real CSS warnings stay visible."""

    _NOISE = re.compile(
        r"^Ignored `(?:fill|stroke|stop|marker|paint-order|shape-rendering|vector-effect|clip-rule|"
        r"color-interpolation|dominant-baseline|text-anchor)[-\w]*\s*:.*unknown property"
    )

    def filter(self, record: logging.LogRecord) -> bool:
        return not self._NOISE.match(record.getMessage())


@contextmanager
def _environ(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
