"""Import village boundaries from any vector file GDAL reads.

GeoJSON, GeoPackage, Shapefile, KML... in any projected or geographic CRS:
features are reprojected to WGS84, matched to villages by code or name,
repaired when invalid, and rejected with a reason when they are not polygons.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, SpatialReference
from django.contrib.gis.geos import GEOSException, MultiPolygon, Polygon
from django.db import transaction

from . import generalise
from .models import Village
from .services import ImportFileError

CODE_FIELDS = ("code", "kode", "kode_desa", "kd_desa", "kdepum", "village_code", "kemendagri")
NAME_FIELDS = ("name", "nama", "desa", "village", "namobj", "nama_desa", "wadmkd")
CODE_LIKE = re.compile(r"^\d{2}(\.?\d{2}){2}\.?\d{4}$")


@dataclass
class BoundaryReport:
    matched: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    without_boundary: list[str] = field(default_factory=list)
    dry_run: bool = False


def _normalise_name(value: str) -> str:
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"^(desa|negeri|kelurahan|dusun)\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _normalise_code(value: str) -> str:
    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 10:
        return ""
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"


def _open_layer(path: Path, layer_name: str | None):
    try:
        source = DataSource(str(path))
    except GDALException as exc:
        raise ImportFileError(
            f"Cannot read {path}: not a vector file GDAL can open ({exc})."
        ) from None
    if layer_name:
        names = [layer.name for layer in source]
        if layer_name not in names:
            raise ImportFileError(
                f"{path} has no layer {layer_name!r}; its layers: {', '.join(names)}"
            )
        return source, source[names.index(layer_name)]
    if len(source) == 0:
        raise ImportFileError(f"{path} holds no layers.")
    return source, source[0]


def _pick_field(layer, requested: str | None) -> str:
    fields = list(layer.fields)
    if requested:
        if requested not in fields:
            raise ImportFileError(
                f"The layer has no field {requested!r}; its fields: {', '.join(fields)}"
            )
        return requested
    lowered = {name.lower(): name for name in fields}
    for candidate in CODE_FIELDS + NAME_FIELDS:
        if candidate in lowered:
            return lowered[candidate]
    raise ImportFileError(
        f"Cannot tell which field names the village; use --match-field (fields: {', '.join(fields)})"
    )


def _to_multipolygon(geos_geom):
    """Polygons of a geometry as one MultiPolygon, or None when it has none."""
    if isinstance(geos_geom, MultiPolygon):
        return geos_geom
    if isinstance(geos_geom, Polygon):
        return MultiPolygon(geos_geom, srid=geos_geom.srid)
    polygons = []
    for part in getattr(geos_geom, "__iter__", lambda: iter(()))():
        multi = (
            _to_multipolygon(part)
            if part.geom_type in {"Polygon", "MultiPolygon", "GeometryCollection"}
            else None
        )
        if multi is not None:
            polygons.extend(multi)
    return MultiPolygon(*polygons, srid=geos_geom.srid) if polygons else None


class _VillageIndex:
    def __init__(self):
        self.by_code = {}
        self.by_name: dict[str, list[Village]] = {}
        for village in Village.objects.all():
            if village.code:
                self.by_code[village.code] = village
            self.by_name.setdefault(_normalise_name(village.name), []).append(village)

    def find(self, value) -> tuple[Village | None, str]:
        text = "" if value is None else str(value).strip()
        if not text:
            return None, "empty match value"
        if CODE_LIKE.match(text):
            village = self.by_code.get(_normalise_code(text))
            return (village, "") if village else (None, f"no village with code {text}")
        candidates = self.by_name.get(_normalise_name(text), [])
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            codes = ", ".join(v.code or v.slug for v in candidates)
            return None, f"name {text!r} is ambiguous ({codes}); match by code instead"
        return None, f"no village named {text!r}"


def import_boundaries(
    *,
    path: Path,
    layer_name: str | None = None,
    match_field: str | None = None,
    dry_run: bool = False,
    approximate: bool = False,
) -> BoundaryReport:
    """Read, reproject, match and store boundaries; with dry_run nothing is written."""
    report = BoundaryReport(dry_run=dry_run)
    _source, layer = _open_layer(Path(path), layer_name)
    key = _pick_field(layer, match_field)
    wgs84 = SpatialReference(4326)
    source_srs = layer.srs
    transform = None
    if source_srs is not None:
        try:
            transform = CoordTransform(source_srs, wgs84)
        except GDALException as exc:
            raise ImportFileError(f"Cannot reproject from the file's CRS: {exc}") from None
    index = _VillageIndex()
    found: dict[int, tuple[Village, list]] = {}

    for number, feature in enumerate(layer, start=1):
        label = f"feature {number}"
        try:
            value = feature.get(key)
        except (GDALException, IndexError):
            value = None
        label = f"feature {number} ({key}={value!r})"
        try:
            ogr_geom = feature.geom
        except GDALException:
            ogr_geom = None
        if ogr_geom is None:
            report.rejected.append(f"{label}: no geometry")
            continue
        geom_name = ogr_geom.geom_type.name.replace("25D", "").rstrip("Z")
        if geom_name not in {"Polygon", "MultiPolygon"}:
            report.rejected.append(f"{label}: is a {geom_name}, not a polygon")
            continue
        try:
            ogr_geom = ogr_geom.clone()
            if transform is not None:
                ogr_geom.transform(transform)
            ogr_geom.set_3d(False)
            geom = ogr_geom.geos
            geom.srid = 4326
        except (GDALException, GEOSException) as exc:
            report.rejected.append(f"{label}: cannot reproject ({exc})")
            continue
        if geom.empty:
            report.rejected.append(f"{label}: empty geometry")
            continue
        lon_min, lat_min, lon_max, lat_max = geom.extent
        if not (-180 <= lon_min <= lon_max <= 180 and -90 <= lat_min <= lat_max <= 90):
            report.rejected.append(
                f"{label}: coordinates out of range after reprojection (is its CRS right?)"
            )
            continue
        village, why = index.find(value)
        if village is None:
            report.unmatched.append(f"{label}: {why}")
            continue
        if not geom.valid:
            reason = geom.valid_reason
            geom = _to_multipolygon(geom.make_valid())
            if geom is None or geom.empty:
                report.rejected.append(f"{label}: invalid ({reason}) and cannot be repaired")
                continue
            report.repaired.append(f"{village.name}: {reason}")
        found.setdefault(village.pk, (village, []))[1].append(_to_multipolygon(geom))

    # Generalised shapes (villages/generalise.py) of every village changed, refreshed at once.
    with generalise.deferred(), transaction.atomic():
        for village, parts in found.values():
            boundary = parts[0]
            if len(parts) > 1:
                boundary = _to_multipolygon(_union(parts))
                report.repaired.append(f"{village.name}: {len(parts)} features merged")
            report.matched.append(f"{village.code or village.slug} {village.name}")
            if dry_run:
                continue
            village.boundary = boundary
            if village.centre is None or village.geometry_is_approximate:
                village.centre = boundary.point_on_surface
            village.geometry_is_approximate = approximate
            village.save(
                update_fields=["boundary", "centre", "geometry_is_approximate", "updated_at"]
            )
    matched_ids = set(found)
    for village in Village.objects.filter(boundary__isnull=True).order_by("name"):
        if not (dry_run and village.pk in matched_ids):
            report.without_boundary.append(village.name)
    return report


def _union(parts):
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.union(part)
    return merged
