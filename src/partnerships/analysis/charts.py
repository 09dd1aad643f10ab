"""The house chart style, in one place.

Figures are vector SVG whose text is real text (``svg.fonttype: "none"``) set in the
report's bundled sans face, Source Sans 3: matplotlib measures it from TrueType copies
of the bundled WOFF2 files (converted once into matplotlib's cache folder), and the
SVG names the family exactly as the page's ``@font-face`` rules do, so the browser and
the PDF draw chart text with the same font as the report. Ids are deterministic
(``svg.hashsalt``) and no date is written, so the same data gives the same bytes.

Colour carries meaning and nothing else (no hatching):

- a partner has one colour everywhere (:data:`PARTNER_COLOURS`, read from
  ``partner_colours.csv`` beside this module); partners without an entry are grey;
- unordered categories that are not partners (dimensions, program groups, verdicts)
  take :data:`PALETTE` in order: Paul Tol's medium-contrast scheme, safe for
  colour-blind readers, whose neighbours alternate dark and light so stacked segments
  stay apart in greyscale;
- ordered classes (more or less of something) take :data:`SHADES`, a light-to-dark ramp.

Text is at least :data:`MIN_PRINT_PT` points on the printed page: figures are drawn at
about the PDF's text width (:data:`WIDTH`) and :func:`check_print_sizes` (called by
:func:`partnerships.analysis.present.figure`) refuses a chart whose smallest text would
print smaller once the page scales it to the text width.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from partnerships import paths  # noqa: E402

#: The family chart text is set in: the name the page's @font-face rules declare.
FONT_FAMILY = "Source Sans 3"
#: Bundled faces matplotlib measures chart text with: (WOFF2 file, weight).
CHART_FONTS = [
    ("source-sans-3-latin-400-normal.woff2", 400),
    ("source-sans-3-latin-600-normal.woff2", 600),
]

INK = "#1b1b1b"
GREY = "#9a9a9a"  # "other", context, partners without a colour of their own
LIGHT = "#e4e4e4"  # no value / background shapes
#: Unordered non-partner categories, in order (Paul Tol, medium contrast; dark/light alternating).
PALETTE = ["#004488", "#EECC66", "#994455", "#6699CC", "#997700", "#EE99AA"]
#: Ordered classes, light to dark (the report's navy).
SHADES = ["#c9d6e4", "#98b0ca", "#6a8bb0", "#3f6690", "#1f3b5c"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":"]

#: inches: the PDF's text width (A4 less 2 x 22 mm is 6.54 in); figures are drawn at this width.
WIDTH = 6.5
DEFAULT_HEIGHT = 3.4
#: The text width of the PDF page in points (figures are scaled to it).
TEXT_WIDTH_PT = (210 - 2 * 22) / 25.4 * 72
#: No chart text prints smaller than this (points), once scaled to the text width.
MIN_PRINT_PT = 7.5
#: Sizes the chart functions use (points at drawing size).
BASE_PT = 9
SMALL_PT = 8


def _read_partner_colours() -> dict[str, str]:
    path = Path(__file__).with_name("partner_colours.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return {row["partner"]: row["colour"] for row in csv.DictReader(f)}


#: partner -> colour, the one table every chart uses for partners.
PARTNER_COLOURS: dict[str, str] = _read_partner_colours()


def partner_colour(partner: str) -> str:
    """The partner's colour in every chart of the report (grey if it has none of its own)."""
    return PARTNER_COLOURS.get(partner, GREY)


def _font_cache_dir() -> Path:
    return Path(matplotlib.get_cachedir()) / "partnerships-fonts"


def _ttf_copy(woff2: Path, weight: int) -> Path:
    """A TrueType copy of a bundled WOFF2 face (matplotlib reads TTF/OTF only), named by content.

    The name table is rewritten to the family the page declares (the npm subsets carry
    their variable font's instance names, e.g. "Source Sans 3 ExtraLight")."""
    data = woff2.read_bytes()
    out = _font_cache_dir() / f"{woff2.stem}-{hashlib.sha256(data).hexdigest()[:12]}.ttf"
    if out.is_file():
        return out
    from fontTools.ttLib import TTFont

    font = TTFont(woff2)
    font.flavor = None
    style = {400: "Regular", 600: "SemiBold", 700: "Bold"}.get(weight, str(weight))
    name = font["name"]
    name.removeNames(nameID=16)
    name.removeNames(nameID=17)
    ps = f"{FONT_FAMILY.replace(' ', '')}-{style}"
    for nid, value in (
        (1, FONT_FAMILY if weight == 400 else f"{FONT_FAMILY} {style}"),
        (2, "Regular"),
        (4, f"{FONT_FAMILY} {style}"),
        (6, ps),
        (16, FONT_FAMILY),
        (17, style),
    ):
        name.setName(value, nid, 3, 1, 0x409)
    font["OS/2"].usWeightClass = weight
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    font.save(tmp)
    os.replace(tmp, out)  # atomic: parallel kernels may convert at the same time
    return out


_registered = False


def register_fonts() -> None:
    """Make the bundled faces known to matplotlib (idempotent)."""
    global _registered
    if _registered:
        return
    for file, weight in CHART_FONTS:
        font_manager.fontManager.addfont(str(_ttf_copy(paths.fonts_dir() / file, weight)))
    _registered = True


def style() -> None:
    """Apply the house style (idempotent). Called on import."""
    register_fonts()
    plt.rcParams.update(
        {
            "figure.figsize": (WIDTH, DEFAULT_HEIGHT),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "svg.hashsalt": "mongolia-defense-partnerships",
            "svg.fonttype": "none",
            "font.family": FONT_FAMILY,
            "font.size": BASE_PT,
            "axes.titlesize": BASE_PT,
            "axes.titleweight": "semibold",
            "axes.titlelocation": "left",
            "axes.labelsize": BASE_PT,
            "axes.edgecolor": "#555555",
            "axes.labelcolor": INK,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "legend.frameon": False,
            "legend.fontsize": SMALL_PT,
            "legend.title_fontsize": SMALL_PT,
            "xtick.labelsize": SMALL_PT + 0.5,
            "ytick.labelsize": SMALL_PT + 0.5,
            "xtick.color": "#333333",
            "ytick.color": "#333333",
            "path.simplify": True,
            "axes.unicode_minus": True,
            "axes.formatter.use_mathtext": False,
            "mathtext.fontset": "custom",  # any mathtext still in the bundled face, never DejaVu
            "mathtext.rm": FONT_FAMILY,
            "mathtext.it": FONT_FAMILY,
            "mathtext.bf": f"{FONT_FAMILY}:semibold",
            "mathtext.sf": FONT_FAMILY,
        }
    )


def new(height: float = DEFAULT_HEIGHT, ncols: int = 1, width: float = WIDTH, **kw):
    """A new figure in the house size; returns (fig, ax) or (fig, axes)."""
    style()
    return plt.subplots(1, ncols, figsize=(width, height), **kw)


def finish(ax, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None) -> None:
    """Labelled axes with units. The chart draws no title of its own: the figure's caption
    is its one title (``title`` is accepted for callers that still pass it, and ignored)."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)


def attach_data(fig, data) -> None:
    """Hand the data a chart draws to :func:`partnerships.analysis.present.figure`, which
    offers it as a CSV download under the figure. ``data``: a DataFrame (its index is
    kept when named) or a dict of name -> DataFrame (stacked, with a ``panel`` column)."""
    import pandas as pd

    if isinstance(data, dict):
        parts = [_flat(d).assign(panel=name) for name, d in data.items()]
        data = pd.concat([p[["panel"] + [c for c in p.columns if c != "panel"]] for p in parts], ignore_index=True)
    elif isinstance(data, pd.Series):
        data = data.to_frame()
    fig._report_data = _flat(data)


def _flat(df):
    """The DataFrame with a named (or multi-level) index turned into columns."""
    import pandas as pd

    if isinstance(df, pd.Series):
        df = df.to_frame()
    if any(n is not None for n in df.index.names):
        df = df.reset_index()
    else:
        df = df.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    return df


def attached_data(fig):
    """The data a chart function attached to ``fig`` (None if none)."""
    return getattr(fig, "_report_data", None)


_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"')
_FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)px")
_FONT_FAMILY = re.compile(r"font-family:\s*([^;\"]+)")


def print_scale(svg: str) -> float:
    """How much the PDF scales this SVG (figures fill the text width)."""
    m = _SVG_WIDTH.search(svg)
    if not m:
        raise ValueError("not a matplotlib SVG (no width in pt)")
    return TEXT_WIDTH_PT / float(m.group(1))


def smallest_print_pt(svg: str) -> float | None:
    """The smallest chart text size on the printed page, in points (None: no text)."""
    sizes = [float(s) for s in _FONT_SIZE.findall(svg)]
    return min(sizes) * print_scale(svg) if sizes else None


def check_figure(fig) -> None:
    """Refuse what a report chart must not draw: a title of its own (the caption is the figure's one
    title; move a finding the title stated into the caption), or hatching (colour carries meaning).

    Titles: a figure title (``suptitle``), or a title on one axes alone (the figure's only axes, or
    one beside a colour bar or an inset); titles on two or more axes name the panels of a small
    multiple and are allowed.
    Called by :func:`partnerships.analysis.present.figure` for every figure of the report."""
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        raise ValueError(
            f"the chart draws its own title ({suptitle.get_text().strip()!r}): the caption is the figure's one "
            "title; remove fig.suptitle(...) and put any finding it states into the caption"
        )
    for t in fig.texts:  # fig.text(...) set large or bold at the top is a title by other means
        weight = t.get_fontweight()
        heavy = weight in ("semibold", "demibold", "demi", "bold", "heavy", "extra bold", "black") or (
            isinstance(weight, (int, float)) and weight >= 600
        )
        if t.get_text().strip() and (heavy or t.get_fontsize() > BASE_PT):
            raise ValueError(
                f"the chart draws its own title ({t.get_text().strip()!r}, as figure text): the caption is the "
                "figure's one title; put any finding it states into the caption"
            )
    titled = [
        (ax, t)
        for ax in fig.get_axes()
        for t in (ax.get_title(loc=loc).strip() for loc in ("left", "center", "right"))
        if t and ax.get_visible()
    ]
    if len({id(ax) for ax, _ in titled}) == 1:  # one titled axes (beside a colour bar or an inset, say)
        raise ValueError(
            f"the chart draws its own title ({titled[0][1]!r}): the caption is the figure's one title; "
            "remove ax.set_title(...) and put any finding it states into the caption"
        )
    for ax in fig.get_axes():
        for artist in [*ax.patches, *ax.collections, *ax.containers]:
            for a in getattr(artist, "patches", None) or [artist]:
                hatch = a.get_hatch() if hasattr(a, "get_hatch") else None
                if hatch:
                    raise ValueError(
                        f"the chart uses hatching ({str(hatch)!r}): the report's charts carry meaning by colour "
                        "(charts.partner_colour, PALETTE, SHADES), never by hatching"
                    )
    # slanted text: the bundled sans face has no italic, so the PDF could not set it in the report's font
    texts = [*fig.texts] + [
        t for ax in fig.get_axes() for t in [*ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels()]
    ]
    for t in texts:
        if t.get_text().strip() and t.get_fontstyle() in ("italic", "oblique"):
            raise ValueError(
                f"the chart sets {t.get_text().strip()!r} in {t.get_fontstyle()}: the report's chart font has no "
                "italic face; mark the distinction another way (a symbol explained in the note, a shade)"
            )


def check_print_sizes(svg: str) -> None:
    """Refuse a chart whose text would print smaller than MIN_PRINT_PT, or drawn as outlines."""
    if '<use xlink:href="#DejaVu' in svg or 'id="DejaVu' in svg:
        raise ValueError("chart text is drawn as glyph outlines: set svg.fonttype 'none' (charts.style())")
    families = {f.strip().strip("'\"") for f in _FONT_FAMILY.findall(svg)}
    if families - {FONT_FAMILY}:
        raise ValueError(
            f"chart text in {', '.join(sorted(families - {FONT_FAMILY}))}: the report's charts use {FONT_FAMILY} only"
        )
    small = smallest_print_pt(svg)
    if small is not None and small < MIN_PRINT_PT - 1e-6:
        raise ValueError(
            f"chart text would print at {small:.1f} pt, below the house minimum of {MIN_PRINT_PT} pt: "
            "use charts.SMALL_PT or larger, or a narrower figure"
        )


style()
