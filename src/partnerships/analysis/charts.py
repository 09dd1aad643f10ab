"""The house chart style, in one place.

Figures are vector SVG with text rendered as paths (no font needed to view them),
deterministic ids (``svg.hashsalt``) and no date metadata, so the same data gives
the same bytes. Colours are chosen to stay distinguishable in grayscale (different
lightness), and series that must be told apart also differ by marker or hatch.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Dark-to-light ramp (distinct in grayscale) plus an accent for highlights.
INK = "#1b1b1b"
PALETTE = ["#1f3b5c", "#c0582b", "#6f8fae", "#e0b04a", "#4e7d4b", "#9a9a9a", "#7a3e6d", "#b9d3e8"]
HATCHES = ["", "//", "..", "xx", "\\\\", "oo", "--", "++"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
WIDTH = 7.0  # inches: the text width of the PDF page
DEFAULT_HEIGHT = 3.6


def style() -> None:
    """Apply the house style (idempotent). Called on import."""
    plt.rcParams.update(
        {
            "figure.figsize": (WIDTH, DEFAULT_HEIGHT),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "svg.hashsalt": "mongolia-defense-partnerships",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 9,
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
            "legend.fontsize": 8,
            "xtick.color": "#333333",
            "ytick.color": "#333333",
            "path.simplify": False,
        }
    )


def new(height: float = DEFAULT_HEIGHT, ncols: int = 1, width: float = WIDTH, **kw):
    """A new figure in the house size; returns (fig, ax) or (fig, axes)."""
    style()
    return plt.subplots(1, ncols, figsize=(width, height), **kw)


def finish(ax, title: str, xlabel: str | None = None, ylabel: str | None = None) -> None:
    """Title with the finding (left-aligned), labelled axes with units."""
    ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)


style()
