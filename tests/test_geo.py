import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from partnerships.analysis import charts, geo


def square(x0, y0, size=2.0):
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def write_world(path):
    """A tiny world in the committed format: FeatureCollection, iso3 + name, lon/lat rings."""
    feats = [
        {
            "type": "Feature",
            "properties": {"iso3": "MNG", "name": "Mongolia"},
            "geometry": {"type": "Polygon", "coordinates": [square(100, 44)]},
        },
        {
            "type": "Feature",
            "properties": {"iso3": "RUS", "name": "Russia"},
            # a ring that crosses the antimeridian, as in the converted world-atlas file
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [square(40, 55, 10)],
                    [[[175.0, 65.0], [-175.0, 65.0], [-175.0, 68.0], [175.0, 68.0], [175.0, 65.0]]],
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"iso3": "USA", "name": "United States"},
            "geometry": {"type": "Polygon", "coordinates": [square(-100, 35, 5)]},
        },
        {
            "type": "Feature",
            "properties": {"iso3": "ATA", "name": "Antarctica"},
            "geometry": {"type": "Polygon", "coordinates": [square(0, -80)]},
        },
        {
            "type": "Feature",
            "properties": {"iso3": "", "name": "Somaliland"},
            "geometry": {"type": "Polygon", "coordinates": [square(45, 9)]},
        },
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return path


def test_equal_earth_known_points():
    x, y = geo.equal_earth([0, 180, -180, 0], [0, 0, 0, 90])
    assert x[0] == 0 and y[0] == 0
    # Equal Earth on the unit sphere: half-width at the equator 2.7066, pole line at y = 1.3173
    assert x[1] == pytest.approx(2.7066, abs=1e-4) and x[2] == pytest.approx(-2.7066, abs=1e-4)
    assert y[3] == pytest.approx(1.3173, abs=1e-4)


def test_split_antimeridian_cuts_and_shifts():
    ring = np.array([[175.0, 65.0], [-175.0, 65.0], [-175.0, 68.0], [175.0, 68.0], [175.0, 65.0]])
    pieces = geo.split_antimeridian(ring)
    assert len(pieces) == 2
    east, west = pieces
    assert east[:, 0].min() == 175 and east[:, 0].max() == 180
    assert west[:, 0].min() == -180 and west[:, 0].max() == -175
    for p in pieces:
        assert np.abs(np.diff(p[:, 0])).max() <= 180
    # a ring that does not cross is returned as it is
    plain = np.array(square(10, 10))
    assert len(geo.split_antimeridian(plain)) == 1 and (geo.split_antimeridian(plain)[0] == plain).all()


def test_classes_bins_closed_left_last_closed():
    c = geo.classes(pd.Series({"A": 0, "B": 19.9, "C": 20, "D": 100, "E": np.nan}), [0, 20, 40, 60, 80, 100])
    assert c["A"] == 0 and c["B"] == 0 and c["C"] == 1 and c["D"] == 4 and np.isnan(c["E"])


def test_load_world_records_dependency(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "data" / "geo").mkdir(parents=True)
    write_world(root / "data" / "geo" / "world.geojson")
    deps = tmp_path / "deps.txt"
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    monkeypatch.setenv("PARTNERSHIPS_DEPS_FILE", str(deps))
    world = geo.load_world()
    assert [c.iso3 for c in world] == ["MNG", "RUS", "USA", "ATA", ""]
    assert len(world[1].rings) == 2
    digest = hashlib.sha256((root / "data" / "geo" / "world.geojson").read_bytes()).hexdigest()
    assert deps.read_text(encoding="utf-8") == f"data/geo/world.geojson\t{digest}\n"  # the hash of what was read


def test_choropleth_shades_highlights_and_reports_unmapped(tmp_path):
    world = geo.load_world(write_world(tmp_path / "world.geojson"))
    fig, ax = charts.new(3.0)
    values = pd.Series({"RUS": 90.0, "USA": 30.0, "TON": 10.0, "MNG": 50.0})
    handles, missing = geo.choropleth(ax, values, [0, 20, 40, 60, 80, 100], countries=world)
    labels = [h.get_label() for h in handles]
    assert labels == ["0-20", "20-40", "40-60", "60-80", "80-100", "no value", "Mongolia"]
    assert missing == ["TON"]  # a value but no shape at this scale
    base, hl = ax.collections
    faces = [tuple(np.round(f, 3)) for f in base.get_facecolors()]
    from matplotlib.colors import to_rgba

    # RUS (two parts + the antimeridian piece = 3 polygons) dark, USA light-mid, Somaliland no value; ATA left out
    assert len(base.get_paths()) == 5
    assert faces.count(tuple(np.round(to_rgba(geo.RAMP[4]), 3))) == 3
    assert faces.count(tuple(np.round(to_rgba(geo.RAMP[1]), 3))) == 1
    assert faces.count(tuple(np.round(to_rgba(geo.NO_DATA), 3))) == 1
    assert len(hl.get_paths()) == 1 and not hl.get_hatch()  # highlighted by its outline: no decorative hatching
    assert [t.get_text() for t in ax.texts] == ["Mongolia"]
    lo, hi = ax.get_ylim()
    assert lo == pytest.approx(geo.equal_earth(0, -57)[1]) and hi == pytest.approx(geo.equal_earth(0, 84)[1])


def test_choropleth_rejects_too_many_classes(tmp_path):
    world = geo.load_world(write_world(tmp_path / "world.geojson"))
    fig, ax = charts.new(3.0)
    with pytest.raises(ValueError, match="6 classes but only 5 colours in the ramp"):
        geo.choropleth(ax, pd.Series({"RUS": 1.0}), [0, 1, 2, 3, 4, 5, 6], countries=world)


def test_draw_lonlat_keeps_old_api(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    (root / "data" / "geo").mkdir(parents=True)
    write_world(root / "data" / "geo" / "world.geojson")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    fig, ax = charts.new(3.0)
    coll = geo.draw(ax, {"RUS": "#000000"})
    assert len(coll.get_paths()) == 6  # MNG, RUS x3 (antimeridian cut), USA, Somaliland; ATA skipped
    assert ax.get_xlim() == (-180, 180)
