"""The report's bundled typefaces (``fonts/``): their ``@font-face`` rules, embedded as
``data:`` URLs, and the check that every character the report shows is in them.

Each face comes in subsets (Latin; Cyrillic; Cyrillic extended, which has the Mongolian
letters Ө and Ү); a subset other than Latin declares the characters it serves
(``unicode-range``), so the browser and WeasyPrint pick it for those characters only. A
character no bundled face has would be drawn with whatever font the machine has (or not
at all): :func:`check_text` stops the render naming the chapter, cell and character.
"""

from __future__ import annotations

import base64
import functools
import unicodedata

from partnerships import paths
from partnerships.errors import RenderError

_CYRILLIC = "U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116"
_CYRILLIC_EXT = "U+0460-052F,U+1C80-1C8A,U+20B4,U+2DE0-2DFF,U+A640-A69F,U+FE2E-FE2F"

#: Faces embedded in the HTML, in this order: (file, family, weight, style, unicode-range or None).
FONTS = [
    ("source-serif-4-latin-400-normal.woff2", "Source Serif 4", 400, "normal", None),
    ("source-serif-4-latin-400-italic.woff2", "Source Serif 4", 400, "italic", None),
    ("source-serif-4-latin-700-normal.woff2", "Source Serif 4", 700, "normal", None),
    ("source-sans-3-latin-600-normal.woff2", "Source Sans 3", 600, "normal", None),
    ("source-serif-4-cyrillic-400-normal.woff2", "Source Serif 4", 400, "normal", _CYRILLIC),
    ("source-serif-4-cyrillic-ext-400-normal.woff2", "Source Serif 4", 400, "normal", _CYRILLIC_EXT),
    ("source-serif-4-cyrillic-400-italic.woff2", "Source Serif 4", 400, "italic", _CYRILLIC),
    ("source-serif-4-cyrillic-ext-400-italic.woff2", "Source Serif 4", 400, "italic", _CYRILLIC_EXT),
    ("source-serif-4-cyrillic-700-normal.woff2", "Source Serif 4", 700, "normal", _CYRILLIC),
    ("source-serif-4-cyrillic-ext-700-normal.woff2", "Source Serif 4", 700, "normal", _CYRILLIC_EXT),
    ("source-sans-3-cyrillic-600-normal.woff2", "Source Sans 3", 600, "normal", _CYRILLIC),
    ("source-sans-3-cyrillic-ext-600-normal.woff2", "Source Sans 3", 600, "normal", _CYRILLIC_EXT),
]


def fonts_css() -> str:
    """@font-face rules for the bundled fonts, as base64 data URLs (no request leaves the page)."""
    rules = []
    for file, family, weight, style, unicode_range in FONTS:
        data = base64.b64encode((paths.fonts_dir() / file).read_bytes()).decode("ascii")
        rules.append(
            "@font-face {\n"
            f"  font-family: '{family}';\n  font-style: {style};\n  font-weight: {weight};\n"
            "  font-display: swap;\n"
            f"  src: url(data:font/woff2;base64,{data}) format('woff2');\n"
            + (f"  unicode-range: {unicode_range};\n" if unicode_range else "")
            + "}"
        )
    return "\n".join(rules)


@functools.lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points every bundled face (family, weight, style) can draw."""
    from fontTools.ttLib import TTFont

    faces: dict[tuple, set[int]] = {}
    for file, family, weight, style, _ in FONTS:
        faces.setdefault((family, weight, style), set()).update(TTFont(paths.fonts_dir() / file).getBestCmap())
    return frozenset(set.intersection(*faces.values()))


def missing(text: str) -> list[str]:
    """Characters of ``text`` (other than spaces and controls) that no bundled face has."""
    have = covered()
    return sorted({c for c in text if ord(c) not in have and not c.isspace() and unicodedata.category(c)[0] != "C"})


def check_text(soup, ctx) -> None:
    """Every character a chapter shows (SVG glyphs drawn as paths aside) is in the fonts."""
    for node in soup.find_all(string=True):
        if node.find_parent("style") is not None:
            continue
        bad = missing(str(node))
        if bad:
            c = bad[0]
            raise RenderError(
                f"chapter {ctx.cid}: {ctx.where(c)} shows {str(node).strip()[:60]!r} with the character {c!r} "
                f"(U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}), which the report's fonts cannot draw "
                "(they cover Latin and Cyrillic, Mongolian Cyrillic included); write it in those scripts, "
                "or add a font that has it to src/partnerships/fonts"
            )
