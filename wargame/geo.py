"""The map's projection: written by tools/make_map.py next to the SVG, read by the map view.

Equirectangular with longitudes scaled by cos(lat0); y grows southwards; units are the SVG's
user units. One definition for both sides, so a marker lands where the map was drawn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Projection:
    kind: str
    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float
    lat0: float
    units_per_degree: float
    width: float
    height: float

    @classmethod
    def window(
        cls, lon_min: float, lon_max: float, lat_min: float, lat_max: float, width: float
    ) -> Projection:
        """The projection of a longitude/latitude window onto a map `width` units wide."""
        lat0 = (lat_min + lat_max) / 2
        units = width / ((lon_max - lon_min) * math.cos(math.radians(lat0)))
        height = round((lat_max - lat_min) * units, 1)
        return cls("equirectangular", lon_min, lon_max, lat_min, lat_max, lat0, units, width, height)

    @classmethod
    def load(cls, path: Path) -> Projection:
        """The projection stored in a map's JSON sidecar (its "projection" object)."""
        data = json.loads(path.read_text(encoding="utf-8"))["projection"]
        return cls(
            kind=str(data.get("kind", "equirectangular")),
            **{name: float(data[name]) for name in cls.__dataclass_fields__ if name != "kind"},
        )

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Map units of a longitude and latitude."""
        x = (lon - self.lon_min) * math.cos(math.radians(self.lat0)) * self.units_per_degree
        return x, (self.lat_max - lat) * self.units_per_degree

    def contains(self, lon: float, lat: float) -> bool:
        return self.lon_min <= lon <= self.lon_max and self.lat_min <= lat <= self.lat_max
