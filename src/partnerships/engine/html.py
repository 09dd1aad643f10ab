"""One chapter's HTML after nbconvert: sanitised, anchored, numbered, with unique ids.

:func:`chapter_html` runs, in order: the sanitiser (:mod:`.sanitise`, nh3), a parse with
BeautifulSoup, SVG names and ids (:mod:`.svg`), the context rules of the sanitiser, then
the passes in :data:`PASSES`, each a function ``(soup, ctx)`` that edits the tree:

* :func:`headings`: the first ``<h1>`` is the chapter heading with id ``<chapter id>`` (a
  later H1 is shown as an H2; a chapter with none gets one); ``<h2>``..``<h6>`` get ids
  ``<chapter id>--<slug>``; H2s go into the table of contents;
* :func:`figures`: figures and tables from :mod:`partnerships.analysis.present` are numbered
  across the report ("Figure N" / "Table N", ids ``fig-N`` / ``tab-N``);
* :func:`tables`: class ``table-wide`` (more than ``WIDE_TABLE_COLUMNS`` columns),
  ``figure-long`` (a figure with more than ``LONG_TABLE_ROWS`` rows may break across pages)
  and ``num`` (numeric columns, right-aligned);
* :func:`ids_and_links`: every other id made unique (never a report anchor), in-page links
  written against nbconvert's heading ids moved to ours.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from partnerships.engine import fonts, sanitise, svg

#: A table with more columns than this is printed in smaller type (class "table-wide").
WIDE_TABLE_COLUMNS = 8
#: A table with more rows than this may break across PDF pages (its header repeats).
LONG_TABLE_ROWS = 25
#: ids the page skeleton uses; chapter content never gets them.
RESERVED_IDS = ("report-cover", "report-contents", "report-contents-title")

_HEADING = re.compile(r"^h[1-6]$")
_REPORT_ANCHOR = re.compile(r"^(?:fig|tab)-\d+$")
_NUMBER = re.compile(r"^[−+-]?(?:\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+)(?:\.\d+)?\s?%?$")
_EMPTY_CELLS = ("", "–", "-", "—", "NaN", "nan", "None")


@dataclass
class ReportState:
    """What numbering and ids carry across chapters."""

    ids: set[str]
    figures: int = 0
    tables: int = 0

    def claim(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``, ``-3``... if taken; recorded as taken."""
        new, n = wanted, 1
        while new in self.ids:
            n += 1
            new = f"{wanted}-{n}"
        self.ids.add(new)
        return new


@dataclass
class ChapterContext:
    """One chapter being processed: what it is, and what the passes found."""

    cid: str
    number: int
    state: ReportState
    nb_dir: Path
    shown: str  # the notebook as named in messages (the source notebook when known)
    nb: object = None  # the executed notebook (to name the cell a problem comes from)
    title: str = ""
    sections: list[dict] = field(default_factory=list)  # H2s: {"id", "title"}
    heading_ids: dict[str, str] = field(default_factory=dict)  # nbconvert's heading ids -> ours
    anchored: set[int] = field(default_factory=set)  # elements whose id a pass set
    links: list[str] = field(default_factory=list)  # in-page link targets (without '#')

    def where(self, text: str | None = None) -> str:
        """'notebook notebooks/x.ipynb, cell 4' (the cell holding ``text``, when found)."""
        from partnerships.engine.export import cell_of

        cell = cell_of(self.nb, text) if self.nb is not None and text else None
        return f"notebook {self.shown}" + (f", cell {cell}" if cell else "")


def slugify(text: str) -> str:
    """'Who trains whom? (1990–2024)' -> 'who-trains-whom-1990-2024'."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "section"


def chapter_html(body: str, ctx: ChapterContext) -> str:
    """nbconvert's body for one chapter -> the chapter's final HTML (fills ``ctx``)."""
    soup = parse(sanitise.clean(body))
    svg.restore_case(soup)
    svg.prefix_ids(soup, ctx.cid)
    sanitise.check_context(soup, ctx)
    for step in PASSES:
        step(soup, ctx)
    sanitise.check_final(soup, ctx)
    fonts.check_text(soup, ctx)
    return serialise(soup).strip() + "\n"


class _Everywhere:
    def __contains__(self, name) -> bool:
        return True


def parse(html: str):
    """The tree of ``html`` (Python's HTML parser): class kept as one string, whitespace kept as written."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser", multi_valued_attributes=None, preserve_whitespace_tags=_Everywhere())


def serialise(soup) -> str:
    from bs4.dammit import EntitySubstitution
    from bs4.formatter import HTMLFormatter

    class Formatter(HTMLFormatter):
        """Attributes in source order, always double-quoted; empty SVG elements self-closed."""

        def attributes(self, tag):
            return list(tag.attrs.items())

        def quoted_attribute_value(self, value: str) -> str:
            return '"' + value.replace('"', "&quot;").replace("'", "&#x27;") + '"'

    for top in soup.find_all("svg"):
        for el in [top, *top.find_all(True)]:
            if not el.contents:
                el.can_be_empty_element = True  # <path .../>: in SVG, a start tag alone would open an element
    return soup.decode(formatter=Formatter(entity_substitution=EntitySubstitution.substitute_xml))


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def add_class(el, name: str) -> None:
    el["class"] = " ".join(sorted(classes(el) | {name}))


# --------------------------------------------------------------------------- passes
def headings(soup, ctx: ChapterContext) -> None:
    have_h1 = False
    for h in soup.find_all(_HEADING):
        if h.find_parent(_HEADING) is not None:
            continue
        for a in h.find_all("a"):
            if "anchor-link" in classes(a):
                a.decompose()
        text = re.sub(r"\s+", " ", h.get_text()).strip()
        old_id = h.get("id")
        if h.name == "h1" and not have_h1:
            have_h1 = True
            new_id = ctx.state.claim(ctx.cid)
            ctx.title = text or ctx.cid
            h.attrs = {"id": new_id, "class": "chapter-title"}
        else:
            h.name = "h2" if h.name == "h1" else h.name  # one H1 per chapter: later ones are sections
            new_id = ctx.state.claim(f"{ctx.cid}--{slugify(text)}")
            h.attrs = {"id": new_id}
            if h.name == "h2":
                ctx.sections.append({"id": new_id, "title": text})
        ctx.anchored.add(id(h))
        if old_id:
            ctx.heading_ids.setdefault(old_id, new_id)
    if not have_h1:
        h1 = soup.new_tag("h1", attrs={"id": ctx.state.claim(ctx.cid), "class": "chapter-title"})
        h1.string = ctx.title = ctx.cid
        ctx.anchored.add(id(h1))
        soup.insert(0, h1)


def figures(soup, ctx: ChapterContext) -> None:
    state = ctx.state
    for fig in soup.find_all("figure"):
        if "report-figure" not in classes(fig):
            continue
        if fig.get("data-kind") == "table":
            state.tables += 1
            label, fid = f"Table {state.tables}", f"tab-{state.tables}"
        else:
            state.figures += 1
            label, fid = f"Figure {state.figures}", f"fig-{state.figures}"
        fig["id"] = state.claim(fid)
        ctx.anchored.add(id(fig))
        span = next((s for s in fig.find_all("span") if "caption-label" in classes(s)), None)
        if span is not None:
            span.string = label


def tables(soup, ctx: ChapterContext) -> None:
    for table in soup.find_all("table"):
        rows = [
            [(cell, cell.name == "th", cell.get_text().strip()) for cell in tr.find_all(["td", "th"], recursive=False)]
            for tr in table.find_all("tr")
            if tr.find_parent("table") is table  # a nested table is left to its own turn
        ]
        width = max((len(r) for r in rows), default=0)
        if width > WIDE_TABLE_COLUMNS:
            add_class(table, "table-wide")
        figure = table.find_parent("figure")
        if figure is not None and len(rows) > LONG_TABLE_ROWS:
            add_class(figure, "figure-long")  # may break across pages (print CSS)
        if any({"colspan", "rowspan"} & set(cell.attrs) for r in rows for cell, _, _ in r):
            continue  # spanning cells: column positions are not simple, keep alignment
        for col in range(width):
            values = [r[col][2] for r in rows if len(r) > col and not r[col][1]]
            values = [v for v in values if v not in _EMPTY_CELLS]
            if values and all(_NUMBER.match(v) for v in values):
                for r in rows:
                    if len(r) > col:
                        add_class(r[col][0], "num")


def ids_and_links(soup, ctx: ChapterContext) -> None:
    for el in soup.find_all(True):
        old = el.get("id")
        if old is not None and id(el) not in ctx.anchored:
            if not old or old in RESERVED_IDS or _REPORT_ANCHOR.match(old):
                wanted = f"{ctx.cid}--id-{old}" if old else f"{ctx.cid}--id"  # never take a report anchor
            else:
                wanted = old
            new = ctx.state.claim(wanted)
            if new != old:
                el["id"] = new
        href = el.get("href")
        if el.name == "a" and href and href.startswith("#"):
            if href[1:] in ctx.heading_ids:
                el["href"] = href = "#" + ctx.heading_ids[href[1:]]
            ctx.links.append(href[1:])


PASSES = [headings, figures, tables, ids_and_links]
