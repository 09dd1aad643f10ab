"""World country shapes for maps, without a projection library.

``data/geo/world.geojson`` (Natural Earth 110m via world-atlas, converted by
``partnerships.importers.world_atlas``) holds one feature per country with properties
``iso3`` and ``name``, coordinates in lon/lat degrees. :func:`draw` plots them as they are
(plate carrée: x = longitude, y = latitude), which is enough for a partner map; the caller
chooses colours by ISO3 code.
"""

from __future__ import annotations

import functools
import json

from . import paths

WORLD = "geo/world.geojson"


@functools.lru_cache(maxsize=2)
def _load(path: str) -> tuple:
    with open(path, encoding="utf-8") as fh:
        return tuple(json.load(fh)["features"])


def features() -> list[dict]:
    """The country features (dicts with ``properties`` iso3/name and a ``geometry``)."""
    path = paths.data_dir() / WORLD
    from .data import record_dependency

    record_dependency(path)
    return list(_load(str(path)))


def polygons(feature: dict) -> list[list[list[tuple[float, float]]]]:
    """A feature's polygons, each a list of rings (outer first), each a list of (lon, lat)."""
    g = feature["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return [[[(x, y) for x, y in r] for r in poly] for poly in polys]


def draw(ax, colors: dict[str, str] | None = None, default: str = "#e6e6e6", edge: str = "#ffffff", linewidth: float = 0.3,
         skip: tuple[str, ...] = ("ATA",)):
    """Draw every country on ``ax`` in lon/lat; ``colors`` maps ISO3 -> fill colour. Returns the PatchCollection."""
    from matplotlib.collections import PatchCollection
    from matplotlib.path import Path as MplPath
    from matplotlib.patches import PathPatch

    colors = colors or {}
    patches, faces = [], []
    for f in features():
        iso3 = f["properties"]["iso3"]
        if iso3 in skip:
            continue
        verts, codes = [], []
        for poly in polygons(f):
            for r in poly:
                verts += r
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY]
        patches.append(PathPatch(MplPath(verts, codes)))
        faces.append(colors.get(iso3, default))
    coll = PatchCollection(patches, facecolors=faces, edgecolors=edge, linewidths=linewidth)
    ax.add_collection(coll)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return coll
