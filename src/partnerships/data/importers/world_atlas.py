"""world-atlas TopoJSON (``countries-110m.json``) -> ``data/geo/world.geojson``.

Load: the npm package ``world-atlas`` (2.0.2) file ``countries-110m.json``: a TopoJSON
``Topology`` with a ``transform`` (quantized coordinates), shared ``arcs`` (delta-encoded
positions) and the object collection ``countries`` (Polygon / MultiPolygon geometries whose
rings are lists of arc indexes; a negative index ``~i`` means arc ``i`` reversed), ``id`` = ISO
3166-1 numeric code, ``properties.name`` = Natural Earth name.
Process: a small TopoJSON decoder (below): delta-decode each arc, apply the transform,
stitch rings (each next arc's first point is the previous arc's last), round coordinates to
0.01 degree and drop repeated points. Properties become ``iso3`` (from the numeric id via
pycountry; features without an id, such as N. Cyprus, Somaliland, Kosovo, are matched by
name through ``partnerships.data.countries`` where possible, else "") and ``name`` (the partner
name when it resolves, else the Natural Earth name).
Save: ``data/geo/world.geojson`` (a FeatureCollection, lon/lat WGS84, one feature per line).
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

from partnerships import paths

SOURCE_ID = "world_atlas"
OUTPUT = Path("geo") / "world.geojson"
DIGITS = 2


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat positions of every arc (delta-decoded, transform applied)."""
    tr = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if tr:
                x, y = x + p[0], y + p[1]
                pts.append((x * tr["scale"][0] + tr["translate"][0], y * tr["scale"][1] + tr["translate"][1]))
            else:
                pts.append((p[0], p[1]))
        arcs.append(pts)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    out: list[list[float]] = []
    for k, i in enumerate(indexes):
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        for j, (x, y) in enumerate(pts):
            if k > 0 and j == 0:
                continue  # shared with the previous arc's last point
            p = [round(x, DIGITS), round(y, DIGITS)]
            if not out or out[-1] != p:
                out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def geometry(geom: dict, arcs) -> dict | None:
    kind = geom.get("type")
    if kind == "Polygon":
        rings = [r for r in (ring(a, arcs) for a in geom["arcs"]) if len(r) >= 4]
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if kind == "MultiPolygon":
        polys = [[r for r in (ring(a, arcs) for a in poly) if len(r) >= 4] for poly in geom["arcs"]]
        polys = [p for p in polys if p]
        return {"type": "MultiPolygon", "coordinates": polys} if polys else None
    return None


def _names(geom: dict) -> tuple[str, str]:
    from partnerships.data.countries import resolve

    ne_name = (geom.get("properties") or {}).get("name", "")
    record = pycountry.countries.get(numeric=str(geom["id"]).zfill(3)) if geom.get("id") else None
    try:
        c = resolve(record.name if record else ne_name)
        return c.iso3, c.partner
    except ValueError:
        return (record.alpha_3 if record else ""), ne_name


def parse(path: Path) -> dict:
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    if topology.get("type") != "Topology" or "countries" not in topology.get("objects", {}):
        raise ValueError(f"{Path(path).name}: not a world-atlas TopoJSON topology with a 'countries' object")
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        g = geometry(geom, arcs)
        if g is None:
            continue
        iso3, name = _names(geom)
        features.append({"type": "Feature", "properties": {"iso3": iso3, "name": name}, "geometry": g})
    features.sort(key=lambda f: (f["properties"]["iso3"] or "~", f["properties"]["name"]))
    return {"geo/world": features}


def save(features: list[dict]) -> Path:
    out = paths.data_dir() / OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join(json.dumps(f, separators=(",", ":"), ensure_ascii=False) for f in features)
    out.write_text('{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n", encoding="utf-8")
    return out
