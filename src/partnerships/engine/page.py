"""The report page: executed notebooks -> one self-contained offline HTML file.

:func:`render_html` converts each chapter (:mod:`.export`), post-processes it
(:mod:`.html`), checks that every in-page link lands, and wraps the chapters in
``templates/offline/document.html.j2`` with the title block, the table of contents, the
CSS (``report.css`` for screen and print, ``screen.css`` for browsers only) and the
bundled fonts (:mod:`.fonts`) as base64 ``data:`` URLs. Same inputs give byte-identical
HTML: no timestamps, no absolute paths, stable ids and ordering.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from partnerships import paths
from partnerships.engine import desk, export, fonts
from partnerships.engine import html as chapter_html
from partnerships.errors import RenderError

_CHAPTER_ID = re.compile(r"^[a-z0-9]+(?:-{1,2}[a-z0-9]+)*$")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


@dataclass
class Chapter:
    """A chapter ready for the page template."""

    id: str
    number: int
    title: str
    html: str
    sections: list[dict] = field(default_factory=list)
    label: str = ""  # what the report calls it: "Chapter 3" or "Annex B"
    mark: str = ""  # the number or letter shown in the contents


def render_html(
    meta: dict, chapters: list[dict], out_html: Path, partial: bool = False, memo: dict | None = None
) -> None:
    """Render executed notebooks into ONE self-contained offline HTML file.

    ``meta``: {"title", "subtitle", "edition" (ISO date), "author", "name", and optionally
    "producer", "data_as_of", "citation"}.
    ``chapters``: in order, each {"id": slug-safe id, "notebook": path to the executed .ipynb,
    optionally "annex": True (annexes come last, lettered A, B, ...) and "source": the
    notebook as the user knows it, relative to the project: named in messages, and its
    Markdown is what the report shows, see :func:`.desk.merge_source`)}.
    ``partial``: only some of the report's chapters (a reference into another chapter stays text).
    ``memo``: a dict kept between calls (the preview server): a chapter whose notebooks and
    starting point (chapter number, figure and table counts, ids taken) are unchanged is not
    converted again.
    """
    edition = edition_date(meta.get("edition"))
    check_chapters(chapters)
    for key in ("title", "subtitle", "author", "producer", "citation"):
        bad = fonts.missing(str(meta.get(key) or ""))
        if bad:
            raise RenderError(
                f"the report's {key} has the character {bad[0]!r} (U+{ord(bad[0]):04X}), which the report's fonts cannot draw"
            )
    exporter = export.exporter()
    state = chapter_html.ReportState(ids=set(chapter_html.RESERVED_IDS))
    xrefs = desk.Xrefs()
    rendered, links = [], {}
    for number, chapter in enumerate(chapters, start=1):
        ch, links[chapter["id"]] = _chapter_memo(exporter, chapter, number, state, xrefs, memo)
        rendered.append(ch)
    _label_chapters(rendered, chapters)
    desk.finish(rendered, xrefs, partial=partial)  # cross-references get their numbers
    for cid, targets in links.items():  # in-page links must land (a link may point into another chapter)
        missing = sorted(
            set(targets) - state.ids - {ref[0] for ref in xrefs.refs}
        )  # references: checked by desk.finish
        if missing:
            raise RenderError(
                f"chapter {cid}: link to a missing anchor: {', '.join('#' + m for m in missing)} "
                f"(anchors are <chapter id> and <chapter id>--<heading slug>, e.g. #{cid}--{chapter_html.slugify('a heading')})"
            )

    from partnerships.engine import downloads

    citation = _citation(meta, edition)
    for ch in rendered:  # each figure's and table's data as a CSV link under it
        ch.html = downloads.figure_links(ch.html, meta, edition, citation)
    dataset = downloads.dataset_zip(meta, edition, citation)

    doc = _page_template().render(
        meta={
            k: ("" if meta.get(k) is None else str(meta.get(k)))
            for k in ("title", "subtitle", "author", "name", "producer")
        }
        | {"edition": edition.isoformat(), "data_as_of": str(meta.get("data_as_of") or "")},
        edition_text=f"{edition.day} {_MONTHS[edition.month - 1]} {edition.year}",
        data_as_of_text=_date_text(str(meta.get("data_as_of") or "")),
        citation=_citation(meta, edition),
        changes=next((ch for ch in rendered if ch.id == "changes-since-the-previous-edition"), None),
        chapters=rendered,
        css=(paths.templates_dir() / export.TEMPLATE_NAME / "report.css").read_text(encoding="utf-8"),
        screen_css=(paths.templates_dir() / export.TEMPLATE_NAME / "screen.css").read_text(encoding="utf-8"),
        fonts_css=fonts.fonts_css(),
        dataset={
            "url": downloads.data_url(dataset, "application/zip"),
            "filename": downloads.dataset_filename(meta),
            "kb": max(1, round(len(dataset) / 1024)),
        },
    )
    final_checks(doc)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(doc, encoding="utf-8", newline="\n")


def _chapter(exporter, chapter: dict, number: int, state, xrefs) -> tuple[Chapter, list[str]]:
    """One executed notebook -> its chapter, and the in-page links it makes."""
    cid, nb_path = chapter["id"], Path(chapter["notebook"])
    source = Path(chapter["source"]) if chapter.get("source") else None
    shown = (
        (paths.relative(source) if source.is_absolute() else source.as_posix()) if source else paths.relative(nb_path)
    )
    ctx = chapter_html.ChapterContext(cid, number, state, nb_path.parent, shown)
    ctx.nb = export.read(cid, nb_path, shown)
    source = _source_path(chapter)
    if source is not None:  # the Markdown as it is now (prose edits are not re-executed)
        import nbformat

        ctx.nb = desk.merge_source(ctx.nb, nbformat.read(source, as_version=4))
    desk.prepare(ctx.nb, cid, shown, xrefs)  # inline values, labels, charts
    text = chapter_html.chapter_html(export.body(exporter, ctx.nb, cid, shown), ctx)
    return Chapter(cid, number, ctx.title, text, ctx.sections), ctx.links


def _source_path(chapter: dict) -> Path | None:
    if not chapter.get("source"):
        return None
    p = Path(chapter["source"])
    p = p if p.is_absolute() else paths.root() / p
    return p if p.is_file() else None


def _chapter_memo(exporter, chapter: dict, number: int, state, xrefs, memo: dict | None):
    """:func:`_chapter`, remembered in ``memo`` (None: always converted)."""
    if memo is None:
        return _chapter(exporter, chapter, number, state, xrefs)
    import copy
    import hashlib

    from partnerships.files import sha256_file

    files = [Path(chapter["notebook"])] + ([_source_path(chapter)] if _source_path(chapter) else [])
    h = hashlib.sha256(repr((chapter["id"], number, state.figures, state.tables)).encode())
    for f in files:
        h.update(sha256_file(f).encode() if f.is_file() else b"-")
    h.update("\0".join(sorted(state.ids)).encode())
    key = h.hexdigest()
    hit = memo.get(chapter["id"])
    if hit and hit["key"] == key:
        state.ids |= hit["ids"]
        state.figures, state.tables = hit["figures"], hit["tables"]
        for label, info in hit["labels"].items():
            xrefs.define(label, info.kind, info.where, info.chapter)
        xrefs.refs.extend(hit["refs"])
        return copy.copy(hit["chapter"]), list(hit["links"])
    ids_before, labels_before, refs_before = set(state.ids), set(xrefs.labels), len(xrefs.refs)
    ch, links = _chapter(exporter, chapter, number, state, xrefs)
    memo[chapter["id"]] = {
        "key": key,
        "ids": state.ids - ids_before,
        "figures": state.figures,
        "tables": state.tables,
        "labels": {k: v for k, v in xrefs.labels.items() if k not in labels_before},
        "refs": xrefs.refs[refs_before:],
        "chapter": copy.copy(ch),
        "links": list(links),
    }
    return ch, links


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


def _label_chapters(rendered: list[Chapter], chapters: list[dict]) -> None:
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


def check_chapters(chapters: list[dict]) -> None:
    """Chapter ids are slug-safe, unique and never one of the page's own anchors."""
    seen = set()
    for ch in chapters:
        cid = ch.get("id")
        if not isinstance(cid, str) or not _CHAPTER_ID.match(cid):
            raise RenderError(
                f"chapter id {cid!r} is not slug-safe (lowercase letters, digits and single or double hyphens)"
            )
        if cid in chapter_html.RESERVED_IDS or re.match(r"^(fig|tab)-\d+$", cid):
            raise RenderError(f"chapter id {cid!r} is reserved by the report page")
        if cid in seen:
            raise RenderError(f"chapter id {cid!r} appears twice in the report")
        seen.add(cid)


def edition_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise RenderError(f"edition must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def _page_template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir() / export.TEMPLATE_NAME)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("document.html.j2")


_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:=\"[^\"]*\")?)*)\s*/?>")
_ATTR = re.compile(r'\s([^\s=/>]+)(?:="([^"]*)")?')
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_EXTERNAL_URL = re.compile(r"""^\s*(?:[a-z][a-z0-9+.-]*:)?//|url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)
_URL_REF = re.compile(r"url\(#([^)]*)\)")


def final_checks(doc: str) -> None:
    """Second line of defence over the whole page, on its tags and attributes (every ``<``
    in the page's text is escaped, so text quoting markup never counts): no script, no
    external address, unique ids, every in-page link lands."""
    ids: list[str] = []
    targets: set[str] = set()
    for m in _TAG.finditer(doc):
        if m.group(1).lower() == "script":
            raise RenderError("the report HTML contains a <script> element")
        for name, value in _ATTR.findall(m.group(2)):
            if name == "id":
                ids.append(value)
            elif name in ("src", "href", "xlink:href") and value.startswith("#"):
                targets.add(value[1:])
            if _EXTERNAL_URL.search(value) and name not in ("xmlns", "xmlns:xlink"):
                raise RenderError(f"the report HTML refers to an external URL: <{m.group(1)} {name}={value[:80]!r}>")
            targets.update(_URL_REF.findall(value))
    for css in _STYLE.findall(doc):
        bad = _EXTERNAL_URL.search(css)
        if bad:
            raise RenderError(
                f"the report HTML's style refers to an external URL: {css[bad.start() : bad.start() + 80]!r}"
            )
        targets.update(_URL_REF.findall(css))
    if len(ids) != len(set(ids)):
        seen, dupes = set(), set()
        for x in ids:
            (dupes if x in seen else seen).add(x)
        raise RenderError(f"the report HTML has duplicate ids: {', '.join(sorted(dupes)[:5])}")
    missing = sorted(targets - set(ids))
    if missing:
        raise RenderError(f"the report HTML links to missing anchors: {', '.join(missing[:5])}")
