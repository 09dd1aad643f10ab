"""World maps drawn with matplotlib alone (no geopandas or cartopy).

The country shapes are ``data/geo/world.geojson`` (converted by
``partnerships.data.importers.world_atlas``): Natural Earth Admin 0 countries at 1:110m (via
the world-atlas package), one feature per country with ``iso3`` and ``name`` properties,
coordinates in lon/lat degrees. Rings that cross the 180th meridian (Russia's Chukotka,
Fiji) are cut there first, so they do not smear across the map.

Two ways to draw:

- :func:`draw`: every country in plain lon/lat (plate carrée), colours by ISO3 code;
  points given in lon/lat can be plotted on top as they are.
- :func:`choropleth`: countries projected by hand with the Equal Earth projection
  (Šavrič, Patterson and Jenny 2018: equal-area, Robinson-like look), shaded by class
  of a value with a light-to-dark ramp, one country highlighted; Antarctica left out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from partnerships import data, paths

# Equal Earth coefficients
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = np.sqrt(3) / 2

EXCLUDE = ("ATA",)  # Antarctica: empty of partners, and a third of a world map's area
LAT_RANGE = (-57.0, 84.0)  # crop: southern tip of South America to northern Greenland

# sequential ramp, light to dark, distinct in grayscale (lightness steps ~ even)
RAMP = ["#c9d6e4", "#98b0ca", "#6a8bb0", "#3f6690", "#1f3b5c"]
NO_DATA = "#e4e4e4"
HIGHLIGHT = "#ffffff"  # Mongolia: white with a black outline (no partner colour, clear in greyscale)
EDGE = "#ffffff"


WORLD = "geo/world.geojson"


def world_path() -> Path:
    return paths.data_dir() / WORLD


@dataclass
class Country:
    iso3: str
    name: str
    rings: list[np.ndarray]  # exterior and hole rings, lon/lat degrees, each (n, 2)


def load_world(path: Path | None = None) -> list[Country]:
    """The countries of the GeoJSON file (records it as a dependency of the running chapter)."""
    p = Path(path) if path is not None else world_path()
    raw = p.read_bytes()  # read once: the hash recorded is that of what is parsed
    data.record_dependency(p, hashlib.sha256(raw).hexdigest())
    gj = json.loads(raw)
    out = []
    for feat in gj["features"]:
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        kind = geom.get("type")
        if kind == "Polygon":
            polys = [geom["coordinates"]]
        elif kind == "MultiPolygon":
            polys = geom["coordinates"]
        else:
            continue
        rings = [np.asarray(r, dtype=float)[:, :2] for poly in polys for r in poly if len(r) >= 3]
        out.append(Country(str(props.get("iso3") or ""), str(props.get("name") or ""), rings))
    return out


def equal_earth(lon, lat):
    """Equal Earth projection of degrees lon/lat to plane x/y (unit sphere)."""
    lam = np.radians(np.asarray(lon, dtype=float))
    phi = np.radians(np.asarray(lat, dtype=float))
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * np.sqrt(3) * lam * np.cos(theta) / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _clip(ring: np.ndarray, x0: float, keep_left: bool) -> np.ndarray:
    """Sutherland-Hodgman clip of a closed ring against the half-plane lon <= x0 (or >= x0)."""
    inside = (ring[:, 0] <= x0) if keep_left else (ring[:, 0] >= x0)
    out = []
    n = len(ring)
    for i in range(n):
        cur, nxt = ring[i], ring[(i + 1) % n]
        cin, nin = inside[i], inside[(i + 1) % n]
        if cin:
            out.append(cur)
        if cin != nin and nxt[0] != cur[0]:
            t = (x0 - cur[0]) / (nxt[0] - cur[0])
            out.append([x0, cur[1] + t * (nxt[1] - cur[1])])
    return np.asarray(out, dtype=float).reshape(-1, 2)


def split_antimeridian(ring: np.ndarray) -> list[np.ndarray]:
    """A lon/lat ring as one or more rings none of which jumps across lon +-180.

    The ring is first made continuous (a jump of more than 180 degrees between two
    points means it crossed the meridian), then cut at +180 or -180 and the outer part
    moved back by 360 degrees.
    """
    ring = np.asarray(ring, dtype=float)
    d = np.diff(ring[:, 0])
    if len(d) == 0 or np.abs(d).max() <= 180:
        return [ring]
    lon = ring[:, 0].copy()
    lon[1:] = lon[0] + np.cumsum(d - 360 * np.round(d / 360))
    r = np.column_stack([lon, ring[:, 1]])
    pieces = []
    if lon.max() > 180:
        pieces += [_clip(r, 180, True), _clip(r, 180, False) - [360, 0]]
    elif lon.min() < -180:
        pieces += [_clip(r, -180, False), _clip(r, -180, True) + [360, 0]]
    else:
        pieces = [r]
    return [p for p in pieces if len(p) >= 3]


def classes(values: pd.Series, bins: list[float]) -> pd.Series:
    """Class number (0 .. len(bins)-2) of each value for the bin edges; NaN stays NaN.

    Bins are closed on the left, the last one closed on both sides: [0,20), [20,40) ... [80,100].
    """
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    edges = np.asarray(bins, dtype=float)
    idx = np.clip(np.searchsorted(edges, v.to_numpy(), side="right") - 1, 0, len(edges) - 2)
    return pd.Series(np.where(v.isna(), np.nan, idx), index=values.index)


def draw(
    ax,
    colors: dict[str, str] | None = None,
    default: str = "#e6e6e6",
    edge: str = "#ffffff",
    linewidth: float = 0.3,
    skip: tuple[str, ...] = ("ATA",),
):
    """Draw every country on ``ax`` in lon/lat; ``colors`` maps ISO3 -> fill colour. Returns the PolyCollection."""
    from matplotlib.collections import PolyCollection

    colors = colors or {}
    polys, faces = [], []
    for c in load_world():
        if c.iso3 in skip:
            continue
        for ring in c.rings:
            for piece in split_antimeridian(ring):
                polys.append(piece)
                faces.append(colors.get(c.iso3, default))
    coll = PolyCollection(polys, facecolors=faces, edgecolors=edge, linewidths=linewidth)
    ax.add_collection(coll)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return coll


def choropleth(
    ax,
    values: pd.Series,
    bins: list[float],
    countries: list[Country] | None = None,
    highlight: str = "MNG",
    exclude: tuple[str, ...] = EXCLUDE,
    lat_range: tuple[float, float] = LAT_RANGE,
    ramp: list[str] | None = None,
    label_fmt: str = "{lo:g}-{hi:g}",
):
    """Draw a choropleth of ``values`` (a Series indexed by ISO3) on ``ax``.

    Countries shaded by class of ``bins`` with a light-to-dark ramp; countries without
    a value in a very light grey; ``highlight`` (Mongolia) in white with a black outline
    and a label. Returns the legend handles (one per class, then no-data and
    highlight) for ``ax.legend``. Also returns which ISO3 codes had a value but no shape
    (too small for a 1:110m map), as the second item.
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    countries = countries if countries is not None else load_world()
    ramp = ramp or RAMP
    ncls = len(bins) - 1
    if ncls > len(ramp):
        raise ValueError(f"{ncls} classes but only {len(ramp)} colours in the ramp")
    colours = ramp[-ncls:] if ncls < len(ramp) else ramp
    cls = classes(values, bins)

    polys, faces, hl_polys = [], [], []
    shown = set()
    for c in sorted(countries, key=lambda c: (c.iso3, c.name)):
        if c.iso3 in exclude:
            continue
        if c.iso3 == highlight:
            target = hl_polys
            colour = HIGHLIGHT
        elif c.iso3 and c.iso3 in cls.index and pd.notna(cls[c.iso3]):
            target = polys
            colour = colours[int(cls[c.iso3])]
            shown.add(c.iso3)
        else:
            target = polys
            colour = NO_DATA
        for ring in c.rings:
            for piece in split_antimeridian(ring):
                x, y = equal_earth(piece[:, 0], piece[:, 1])
                target.append(np.column_stack([x, y]))
                if target is polys:
                    faces.append(colour)
    ax.add_collection(PolyCollection(polys, facecolors=faces, edgecolors=EDGE, linewidths=0.3))
    ax.add_collection(PolyCollection(hl_polys, facecolors=HIGHLIGHT, edgecolors="#1b1b1b", linewidths=1.0))
    if hl_polys:
        pts = np.vstack(hl_polys)
        cx = (pts[:, 0].min() + pts[:, 0].max()) / 2
        name = next((c.name for c in countries if c.iso3 == highlight), highlight)
        from matplotlib import patheffects

        ax.annotate(
            name,
            (cx, pts[:, 1].min()),
            xytext=(0, -3),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=9,
            fontweight="semibold",
            color="#1b1b1b",
            path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
        )

    # frame: the projected outline of the cropped globe
    lat = np.linspace(lat_range[0], lat_range[1], 60)
    xl, _ = equal_earth(np.full_like(lat, -180), lat)
    xr, _ = equal_earth(np.full_like(lat, 180), lat)
    _, y0 = equal_earth(0, lat_range[0])
    _, y1 = equal_earth(0, lat_range[1])
    xmax = float(max(np.abs(xl).max(), xr.max()))
    ax.set_xlim(-xmax * 1.01, xmax * 1.01)
    ax.set_ylim(float(y0), float(y1))
    ax.set_aspect("equal")
    ax.set_axis_off()

    handles = []
    for i in range(ncls):
        handles.append(
            Patch(
                facecolor=colours[i],
                edgecolor="#888888",
                linewidth=0.4,
                label=label_fmt.format(lo=bins[i], hi=bins[i + 1]),
            )
        )
    handles.append(Patch(facecolor=NO_DATA, edgecolor="#888888", linewidth=0.4, label="no value"))
    name = next((c.name for c in countries if c.iso3 == highlight), highlight)
    handles.append(Patch(facecolor=HIGHLIGHT, edgecolor="#1b1b1b", linewidth=1.0, label=name))
    missing = sorted(set(cls.dropna().index) - shown - {highlight})
    return handles, missing


def partner_map(values: pd.Series, title: str | None, bins: list[float], legend_title: str, highlight: str = "MNG"):
    """A world choropleth figure in the house size: returns (fig, iso3 codes too small to show)."""
    from partnerships.analysis import charts

    fig, ax = charts.new(height=3.3)
    fig.subplots_adjust(left=0.0, right=1.0, bottom=0.0, top=1.0)
    handles, missing = choropleth(ax, values, bins, highlight=highlight)
    ax.legend(handles=handles, title=legend_title, loc="lower left", bbox_to_anchor=(0.0, 0.02))
    charts.attach_data(fig, values.rename("value").rename_axis("iso3").sort_index())
    return fig, missing
