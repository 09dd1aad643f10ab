"""Inline SVG in a parsed chapter: names spelt as SVG spells them, ids unique across the report.

Python's HTML parser (under BeautifulSoup) lowercases every name; SVG is case-sensitive
(``viewBox``, ``clipPath``), so :func:`restore_case` puts back the spelling the HTML
standard gives inside ``<svg>``. :func:`prefix_ids` prefixes the ids inside each SVG, and
the references to them, so that several matplotlib figures (ids like ``figure_1``, glyphs
like ``DejaVuSans-41``) never clash.
"""

from __future__ import annotations

import re

# The HTML standard's "adjust SVG attributes" and SVG tag-name tables.
_TAGS = """altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath
feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
feSpecularLighting feSpotLight feTile feTurbulence foreignObject glyphRef linearGradient
radialGradient textPath""".split()
_ATTRIBUTES = """attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits
diffuseConstant edgeMode filterUnits glyphRef gradientTransform gradientUnits kernelMatrix
kernelUnitLength keyPoints keySplines keyTimes lengthAdjust limitingConeAngle markerHeight
markerUnits markerWidth maskContentUnits maskUnits numOctaves pathLength patternContentUnits
patternTransform patternUnits pointsAtX pointsAtY pointsAtZ preserveAlpha preserveAspectRatio
primitiveUnits refX refY repeatCount repeatDur requiredExtensions requiredFeatures
specularConstant specularExponent spreadMethod startOffset stdDeviation stitchTiles
surfaceScale systemLanguage tableValues targetX targetY textLength viewBox viewTarget
xChannelSelector yChannelSelector zoomAndPan""".split()
TAG_CASE = {t.lower(): t for t in _TAGS}
ATTRIBUTE_CASE = {a.lower(): a for a in _ATTRIBUTES}

_URL_REF = re.compile(r"(url\(#)([^)]+)(\))")


def restore_case(soup) -> None:
    """Give SVG elements and attributes their standard spelling (in place)."""
    for svg in soup.find_all("svg"):
        for el in [svg, *svg.find_all(True)]:
            el.name = TAG_CASE.get(el.name, el.name)
            if any(k in ATTRIBUTE_CASE for k in el.attrs):
                el.attrs = {ATTRIBUTE_CASE.get(k, k): v for k, v in el.attrs.items()}


def prefix_ids(soup, cid: str) -> None:
    """Prefix ``id``, ``href="#.."`` and ``url(#..)`` inside each top-level SVG with
    ``<cid>-svg<N>-`` (N counts the chapter's SVGs), in place."""
    top = [s for s in soup.find_all("svg") if s.find_parent("svg") is None]
    for number, svg in enumerate(top, start=1):
        elements = [svg, *svg.find_all(True)]
        ids = {el["id"] for el in elements if el.get("id")}
        if not ids:
            continue
        prefix = f"{cid}-svg{number}-"

        def ref(m: re.Match) -> str:
            return m.group(1) + (prefix + m.group(2) if m.group(2) in ids else m.group(2)) + m.group(3)

        for el in elements:
            for name, value in list(el.attrs.items()):
                if name == "id" and value in ids:
                    el[name] = prefix + value
                elif name in ("href", "xlink:href") and value.startswith("#") and value[1:] in ids:
                    el[name] = "#" + prefix + value[1:]
                elif "url(#" in value:
                    el[name] = _URL_REF.sub(ref, value)
