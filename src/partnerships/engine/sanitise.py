"""What a chapter's HTML may contain: an allowlist applied with nh3 (ammonia), plus the rules
that need context (``<style>`` only inside an SVG, images inlined or refused).

Nothing active reaches the report: no ``<script>``, ``<iframe>``, ``<object>``, no
event-handler attribute (none is on the list), no ``javascript:`` value, no ``<style>``
outside the SVGs matplotlib writes, no ``url()`` to anything but an in-page ``#id``.
A link to another page keeps its text and loses its ``href`` (the report is offline); an
image is kept when it is a ``data:`` image, inlined from the notebook's folder when it is
a relative path, and refused (:class:`RenderError`) when it comes from the web.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from pathlib import Path

from partnerships import paths
from partnerships.errors import RenderError

HTML_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
#: The SVG matplotlib writes (paths, glyphs as <use> or <text>, clips, hatches, gradients, images).
SVG_TAGS = {
    "svg", "g", "defs", "style", "clipPath", "mask", "pattern", "linearGradient", "radialGradient",
    "stop", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan",
    "use", "image", "symbol", "title", "desc", "marker",
}  # fmt: skip
#: Removed together with everything inside them.
DROP_WITH_CONTENT = {
    "script", "iframe", "object", "applet", "frameset", "noscript", "template", "metadata",
    "noembed", "noframes",
}  # fmt: skip
ATTRIBUTES = {
    # HTML
    "id", "class", "title", "lang", "dir", "style", "role", "alt", "src", "href", "width", "height",
    "colspan", "rowspan", "scope", "headers", "span", "start", "reversed", "type", "datetime",
    "open", "abbr", "align", "valign", "tabindex",
    # SVG (names as the HTML parser adjusts them: viewBox, clipPathUnits...)
    "xmlns", "xlink", "space", "version", "viewBox", "preserveAspectRatio", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points", "transform", "dx", "dy",
    "rotate", "textLength", "lengthAdjust", "clip-path", "clip-rule", "clipPathUnits", "fill",
    "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity",
    "font-family", "font-size", "font-style", "font-weight", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "patternUnits", "patternContentUnits",
    "patternTransform", "gradientUnits", "gradientTransform", "spreadMethod", "offset",
    "stop-color", "stop-opacity", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "mask", "maskUnits", "maskContentUnits", "display", "visibility", "overflow",
    "color", "paint-order", "vector-effect", "shape-rendering", "image-rendering",
    "text-rendering", "mix-blend-mode", "isolation", "startOffset",
}  # fmt: skip
GENERIC_PREFIXES = {"data-", "aria-"}
#: Schemes nh3 lets through to :func:`_attribute` (which then keeps only in-page links and images).
URL_SCHEMES = {"http", "https", "ftp", "file", "data"}

_TABLE_PRESENTATION = {"border", "style", "cellpadding", "cellspacing"}  # pandas': the CSS styles tables
_BAD_STYLE = re.compile(r"url\((?!['\"]?#)|expression\(|@import|behavior:")
_BAD_CSS = re.compile(r"url\(|@import|expression|<|javascript", re.I)
_SAFE_IMG_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//|^\s*(?:https?|ftp|file|javascript|vbscript):", re.I)


def clean(html: str) -> str:
    """The chapter HTML with only allowed elements and attributes (nh3 re-serialises it)."""
    import nh3

    return nh3.clean(
        html,
        tags=HTML_TAGS | SVG_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={"*": ATTRIBUTES},
        generic_attribute_prefixes=GENERIC_PREFIXES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """Keep (return the value) or drop (None) one allowed attribute."""
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    if "javascript:" in squeezed or "vbscript:" in squeezed:
        return None
    if attribute == "style" and _BAD_STYLE.search(squeezed):
        return None
    if element == "table" and attribute in _TABLE_PRESENTATION:
        return None
    if attribute in ("href", "src"):  # xlink:href arrives as href
        if value.startswith("#") or element in ("img", "image"):
            return value  # in-page target; images are checked by check_context
        return None  # a link to another page keeps its text: the report is offline
    return value


def check_context(soup, ctx) -> None:
    """The rules nh3 cannot express (in place): ``<style>`` only inside an SVG and harmless;
    images are data: URLs (local files inlined, the web refused)."""
    for style in soup.find_all("style"):  # inside an SVG a browser decodes entities in the CSS
        if style.find_parent("svg") is None or _BAD_CSS.search(html.unescape(style.get_text())):
            style.decompose()
    for img in soup.find_all(["img", "image"]):
        names = ["src"] if img.name == "img" else [n for n in ("href", "xlink:href") if n in img.attrs]
        if img.name == "img" and "src" not in img.attrs:
            raise RenderError(
                f"chapter {ctx.cid}: {ctx.where('<img')} shows an image whose address cannot be used; "
                "embed the image in the notebook output instead"
            )
        for name in names:
            value = img[name]
            if not value.startswith("#") and not _SAFE_IMG_DATA.match(value.strip()):
                img[name] = _inline_local_image(value, ctx)


def check_final(soup, ctx) -> None:
    """Second line of defence, on the elements (text that merely quotes markup is not
    markup): no script, no address outside the page, no style fetching anything."""
    if soup.find("script") is not None:
        raise RenderError(f"chapter {ctx.cid}: {ctx.where('<script')} would put a <script> into the report")
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            value = value or ""
            if name in ("src", "href", "xlink:href") and _EXTERNAL.match(value) and not value.startswith("data:"):
                raise RenderError(f"chapter {ctx.cid}: {ctx.where(value)} refers to {value!r} outside the report")
            if "url(" in value and _BAD_STYLE.search(re.sub(r"[\x00-\x20]+", "", value).lower()):
                raise RenderError(f"chapter {ctx.cid}: {ctx.where()} has a style that fetches {value[:80]!r}")


def _inline_local_image(src: str, ctx) -> str:
    if _SCHEME.match(src):
        raise RenderError(
            f"chapter {ctx.cid}: {ctx.where(src)} shows an image from {src!r}; "
            "the report is offline: embed the image in the notebook output instead"
        )
    rel = src.split("?")[0].split("#")[0]
    # next to the executed notebook, or next to the source notebooks (the build runs copies)
    found = [p for p in (ctx.nb_dir / rel, paths.notebooks_dir() / rel) if p.is_file()]
    target = found[0] if found else Path(rel)
    mime = mimetypes.guess_type(target.name)[0]
    if not found or mime not in ("image/png", "image/jpeg", "image/gif", "image/svg+xml"):
        raise RenderError(
            f"chapter {ctx.cid}: {ctx.where(src)} shows image {src!r}, which is not found "
            "(a PNG, JPEG, GIF or SVG file next to the notebook)"
        )
    return f"data:{mime};base64," + base64.b64encode(target.read_bytes()).decode("ascii")
