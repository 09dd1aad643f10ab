"""The report's bundled typefaces (``fonts/``): their ``@font-face`` rules, embedded as
``data:`` URLs, and the check that every character the report shows is in them.

Each face comes in subsets (Latin; Cyrillic; Cyrillic extended, which has the Mongolian
letters Ө and Ү), each declared as a family of its own ("Source Serif 4 Cyrillic") that the
CSS font stacks list after the Latin one, so a character missing from one subset is taken
from the next. A
character no bundled face has would be drawn with whatever font the machine has (or not
at all): :func:`check_text` stops the render naming the chapter, cell and character.
"""

from __future__ import annotations

import base64
import functools
import unicodedata

from partnerships import paths
from partnerships.errors import RenderError

#: Faces embedded in the HTML, in this order: (file, family, typeface, weight, style). Each
#: subset is a family of its own, listed after the Latin one in the CSS font stacks:
#: WeasyPrint merges faces of one family into one PDF font and mixes their glyphs up.
FONTS = [
    (f"{stem}-{subset}-{weight}-{style}.woff2", f"{typeface}{suffix}", typeface, weight, style)
    for stem, typeface, weight, style in (
        ("source-serif-4", "Source Serif 4", 400, "normal"),
        ("source-serif-4", "Source Serif 4", 400, "italic"),
        ("source-serif-4", "Source Serif 4", 700, "normal"),
        ("source-sans-3", "Source Sans 3", 400, "normal"),  # chart text
        ("source-sans-3", "Source Sans 3", 600, "normal"),
    )
    for subset, suffix in (("latin", ""), ("cyrillic", " Cyrillic"), ("cyrillic-ext", " Cyrillic Ext"))
]


def fonts_css() -> str:
    """@font-face rules for the bundled fonts, as base64 data URLs (no request leaves the page)."""
    rules = []
    for file, family, _, weight, style in FONTS:
        data = base64.b64encode((paths.fonts_dir() / file).read_bytes()).decode("ascii")
        rules.append(
            "@font-face {\n"
            f"  font-family: '{family}';\n  font-style: {style};\n  font-weight: {weight};\n"
            "  font-display: swap;\n"
            f"  src: url(data:font/woff2;base64,{data}) format('woff2');\n"
            "}"
        )
    return "\n".join(rules)


@functools.lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points every bundled typeface (its subsets together) can draw, in each weight and style."""
    from fontTools.ttLib import TTFont

    faces: dict[tuple, set[int]] = {}
    for file, _, typeface, weight, style in FONTS:
        faces.setdefault((typeface, weight, style), set()).update(TTFont(paths.fonts_dir() / file).getBestCmap())
    return frozenset(set.intersection(*faces.values()))


def missing(text: str) -> list[str]:
    """Characters of ``text`` (other than spaces and controls) that no bundled face has, in
    the order they come."""
    have = covered()
    return list(
        dict.fromkeys(c for c in text if ord(c) not in have and not c.isspace() and unicodedata.category(c)[0] != "C")
    )


def check_text(soup, ctx) -> None:
    """Every character a chapter shows (SVG glyphs drawn as paths aside) is in the fonts."""
    for node in soup.find_all(string=True):
        bad = missing(str(node))
        if bad and not any(p.name == "style" for p in node.parents):
            c = bad[0]
            raise RenderError(
                f"chapter {ctx.cid}: {ctx.where(c)} shows {str(node).strip()[:60]!r} with the character {c!r} "
                f"(U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}), which the report's fonts cannot draw "
                "(they cover Latin and Cyrillic, Mongolian Cyrillic included); write it in those scripts, "
                "or add a font that has it to src/partnerships/fonts"
            )
