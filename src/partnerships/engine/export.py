"""One executed notebook -> one chapter's HTML body, through nbconvert and the ``offline`` template.

Before conversion the notebook is prepared (:func:`prepare`): cells tagged ``parameters``
/ ``injected-parameters`` / ``remove-cell`` are dropped, stream outputs are dropped, an
error output stops the render naming the notebook and cell, and an output that has a
rich form (HTML, Markdown, SVG, PNG) loses its ``text/plain`` repr. Code inputs and
prompts are never emitted. The HTML is post-processed by :mod:`partnerships.engine.html`.
"""

from __future__ import annotations

import re
from pathlib import Path

from partnerships import paths
from partnerships.errors import RenderError

#: The template directory (``templates/offline``) used by nbconvert and for the page.
TEMPLATE_NAME = "offline"

#: Cells with these tags never reach the report.
REMOVE_CELL_TAGS = ("parameters", "injected-parameters", "remove-cell", "remove_cell")
#: Cells with these tags keep their place but lose their outputs.
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output")

#: Output types nbconvert may show, richest first (javascript, widgets, latex-only never).
DISPLAY_PRIORITY = ["text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]

_PLAIN_REPR = re.compile(r"^<[\w.]+(?: object)?(?: at 0x[0-9a-fA-F]+)?>$")
#: Cells papermill adds to an executed notebook: not counted when a message names a cell.
ADDED_TAGS = ("injected-parameters", "papermill-error-cell-tag")


def user_cells(nb):
    """(position in the user's notebook, cell) for each cell, papermill's own cells left out."""
    pos = 0
    for cell in nb.cells:
        if set(cell.get("metadata", {}).get("tags", [])) & set(ADDED_TAGS):
            continue
        pos += 1
        yield pos, cell


def cell_of(nb, text: str) -> int | None:
    """The position of the first cell whose source or outputs contain ``text``."""
    for pos, cell in user_cells(nb):
        if text in str(cell.get("source", "")) or text in str(cell.get("outputs", "")):
            return pos
    return None


def exporter():
    """nbconvert's HTMLExporter set up for the report (no code, no prompts, offline template)."""
    from nbconvert.exporters import HTMLExporter, TemplateExporter
    from traitlets.config import Config

    class ChapterExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass, which re-serialises the HTML
        and lowercases inline SVG names (viewBox, clipPath); html.py post-processes instead."""

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
    c.HTMLExporter.anchor_link_text = "¶"  # not empty: nbconvert would write <a .../>, an unclosed <a> in HTML
    c.HTMLExporter.embed_images = False
    c.HTMLExporter.optimistic_validation = True  # the notebook validated once, not after each preprocessor
    c.NbConvertBase.display_data_priority = DISPLAY_PRIORITY  # read by nbconvert's data-type filter
    c.HTMLExporter.preprocessors = ["nbconvert.preprocessors.TagRemovePreprocessor"]
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
    c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
    return ChapterExporter(config=c)


def read(cid: str, nb_path: Path, shown: str):
    """The executed notebook, or a RenderError naming it."""
    import nbformat

    if not nb_path.is_file():
        raise RenderError(f"chapter {cid}: executed notebook {shown} not found")
    try:
        return nbformat.read(nb_path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds
        raise RenderError(f"chapter {cid}: cannot read notebook {shown}: {exc}") from exc


def body(exporter_, nb, cid: str, shown: str) -> str:
    """The chapter's HTML body as nbconvert writes it (after :func:`prepare`)."""
    prepare(nb, cid, shown)
    html, _ = exporter_.from_notebook_node(nb, resources={"metadata": {"name": cid, "path": ""}})
    return html


def prepare(nb, cid: str, shown: str) -> None:
    """Refuse errors, drop streams and plain-text reprs of rich outputs (in place)."""
    for index, cell in user_cells(nb):
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


def _first_h1(markdown: str) -> str | None:
    for line in markdown.splitlines():
        m = re.match(r"^ {0,3}# +(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1).strip()
    return None
