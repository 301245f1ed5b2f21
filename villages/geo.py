"""Spatial helpers shared by every app: query-parameter fields and metric measures.

Geometry is stored in SRID 4326 (lon, lat). Metric work uses UTM zone 52S
(EPSG:32752), which covers Ambon, or the ellipsoid; never degrees.
"""

from __future__ import annotations

from django.contrib.gis.geos import Point, Polygon
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

WGS84 = 4326
METRIC_SRID = 32752  # UTM zone 52S

# Maluku province, generously: anything far outside is probably lat/lon swapped.
MALUKU_EXTENT = (124.0, -9.0, 135.5, 0.5)


def metric_area_m2(geom) -> float:
    """Area of a 4326 geometry in square metres (UTM 52S)."""
    return geom.transform(METRIC_SRID, clone=True).area


def metric_length_m(geom) -> float:
    """Length of a 4326 geometry in metres (UTM 52S)."""
    return geom.transform(METRIC_SRID, clone=True).length


def _parse_numbers(value: str, count: int) -> list[float]:
    parts = [p.strip() for p in str(value).split(",")]
    if len(parts) != count:
        raise serializers.ValidationError(
            _("Expected %(count)d comma-separated numbers, got %(got)d.")
            % {"count": count, "got": len(parts)}
        )
    numbers = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            raise serializers.ValidationError(
                _("%(value)r is not a number.") % {"value": part}
            ) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise serializers.ValidationError(
                _("%(value)r is not a finite number.") % {"value": part}
            )
        numbers.append(number)
    return numbers


def _check_lon_lat(lon: float, lat: float) -> None:
    if not -180 <= lon <= 180:
        raise serializers.ValidationError(
            _("Longitude %(lon)s is outside -180..180.") % {"lon": lon}
        )
    if not -90 <= lat <= 90:
        raise serializers.ValidationError(_("Latitude %(lat)s is outside -90..90.") % {"lat": lat})


_NUMBER = r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*"


@extend_schema_field(
    {
        "type": "string",
        "description": "minlon,minlat,maxlon,maxlat in WGS84 degrees",
        "pattern": rf"^{_NUMBER}(,{_NUMBER}){{3}}$",
        "example": "128.10,-3.75,128.20,-3.68",
    }
)
class BBoxField(serializers.Field):
    """`minlon,minlat,maxlon,maxlat` in WGS84, parsed into a GEOS polygon."""

    default_error_messages = {}

    def to_internal_value(self, data):
        minlon, minlat, maxlon, maxlat = _parse_numbers(data, 4)
        _check_lon_lat(minlon, minlat)
        _check_lon_lat(maxlon, maxlat)
        if minlon >= maxlon or minlat >= maxlat:
            raise serializers.ValidationError(
                _("The box must be minlon,minlat,maxlon,maxlat with min < max.")
            )
        bbox = Polygon.from_bbox((minlon, minlat, maxlon, maxlat))
        bbox.srid = WGS84
        return bbox

    def to_representation(self, value):
        return ",".join(str(v) for v in value.extent)


@extend_schema_field(
    {
        "type": "string",
        "description": "lon,lat in WGS84 degrees",
        "pattern": rf"^{_NUMBER},{_NUMBER}$",
        "example": "128.138,-3.727",
    }
)
class LonLatField(serializers.Field):
    """`lon,lat` in WGS84, parsed into a GEOS point."""

    def to_internal_value(self, data):
        lon, lat = _parse_numbers(data, 2)
        _check_lon_lat(lon, lat)
        return Point(lon, lat, srid=WGS84)

    def to_representation(self, value):
        return f"{value.x},{value.y}"
