"""tools/make_map.py: TopoJSON decoding, simplification, clipping, and the map it wrote."""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

MAPS = REPO / "assets" / "maps"


@pytest.fixture(scope="module")
def make_map() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_map", REPO / "tools" / "make_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_map"] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["make_map"]
    return module


def tiny_topology() -> dict:
    """Two unit squares sharing an edge (arc 0), quantized with a transform, as TopoJSON has it."""
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [20, 55]},
        "arcs": [
            [[2, 0], [0, 2]],  # shared edge x=21, y 55..56 (delta-encoded)
            [[2, 2], [-2, 0], [0, -2], [2, 0]],  # west square's other three sides
            [[2, 0], [2, 0], [0, 2], [-2, 0]],  # east square's other three sides
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "233", "properties": {"name": "Estonia"}, "arcs": [[0, 1]]},
                    {"type": "Polygon", "id": "428", "properties": {"name": "Latvia"}, "arcs": [[2, -1]]},
                ],
            }
        },
    }


def test_arcs_decode_and_rings_share_borders(make_map: ModuleType) -> None:
    arcs = make_map.decode_arcs(tiny_topology())
    assert arcs[0] == [(21.0, 55.0), (21.0, 56.0)]
    west = make_map.ring_points([0, 1], arcs)
    assert west[0] == west[-1] == (21.0, 55.0) and (20.0, 56.0) in west
    east = make_map.ring_points([2, -1], arcs)  # ~0 is arc 0 reversed
    assert east[-2:] == [(21.0, 56.0), (21.0, 55.0)]


def test_simplify_keeps_ends_and_corners(make_map: ModuleType) -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 5.0)]
    assert make_map.simplify(line, 0.1) == [(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]


def test_clip_cuts_a_ring_to_the_window(make_map: ModuleType) -> None:
    square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)]
    clipped = make_map.clip(square, 0.0, 0.0, 10.0, 10.0)
    assert sorted(clipped) == [(0.0, 0.0), (0.0, 5.0), (5.0, 0.0), (5.0, 5.0)]
    assert make_map.clip(square, 20.0, 20.0, 30.0, 30.0) == []


def test_build_svg_from_a_tiny_topology(make_map: ModuleType, tmp_path: Path) -> None:
    source = tmp_path / "countries.json"
    source.write_text(json.dumps(tiny_topology()), encoding="utf-8")
    assert make_map.main(["--topojson", str(source), "--out", str(tmp_path)]) == 0
    root = ET.parse(tmp_path / "baltic.svg").getroot()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"EST", "LVA", "sea", "countries", "labels"} <= ids
    projection = json.loads((tmp_path / "baltic.json").read_text(encoding="utf-8"))["projection"]
    assert projection["kind"] == "equirectangular" and projection["width"] == 1000


def test_the_shipped_map_matches_its_projection(make_map: ModuleType) -> None:
    svg = MAPS / "baltic.svg"
    assert svg.stat().st_size < 500_000
    root = ET.parse(svg).getroot()
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"EST", "LVA", "LTU", "POL", "BLR", "RUS", "RUS-kaliningrad", "FIN", "SWE"} <= ids
    names = {element.text for element in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Estonia", "Latvia", "Lithuania", "Poland", "Belarus", "Russia", "Baltic Sea"} <= names
    sidecar = json.loads((MAPS / "baltic.json").read_text(encoding="utf-8"))
    expected = make_map.Projection.window(14.0, 33.0, 51.0, 61.0, 1000.0)
    assert sidecar["projection"] == expected.__dict__
    assert root.get("viewBox") == f"0 0 {expected.width:g} {expected.height:g}"
    assert "Natural Earth" in (MAPS / "README.md").read_text(encoding="utf-8")
