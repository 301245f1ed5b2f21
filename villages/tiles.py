"""Mapbox vector tiles (MVT) of the public map layers, the same features on both databases.

`/tiles/<layer>/<z>/<x>/<y>.pbf` answers one tile of one layer, filtered like the layer's
GeoJSON API (the same query serializer, the same selector), so a tile never shows what
the API would not. Each app describes its layers with `TileLayer`; `backend/urls.py`
lists them, so no app imports another.

How a tile is built, on PostGIS and on SpatiaLite alike:
- rows: the layer's queryset, narrowed to the tile by `<geometry>__intersects` with the
  tile's lon/lat rectangle (the spatial index), geometry transformed to Web Mercator;
- points below `CLUSTER_BELOW_ZOOM` are grouped per cell of a grid aligned on the tiles
  (`CELLS_PER_TILE` cells a side: 64-pixel cells on a tile drawn 512 pixels wide, as the map
  draws them, one zoom level below the view's): a cell with one
  point gives that point and its properties; a cell with more gives a cluster at their
  mean position with `count`. Cells never straddle tiles, so clusters never double;
- shapes (boundaries, paths) are simplified for the zoom (`SimplifyPreserveTopology`,
  half a pixel), quantised to the tile grid (`EXTENT` units) and never dropped: a shape
  that would collapse becomes a point on its surface. Shapes are not clipped at the tile
  edge, so a client gets each whole feature once per tile and can draw it once.
- villages below tile zoom GENERALISED_BELOW come from shapes generalised ahead of time
  (villages/generalise.py, VillageShape) instead: a village narrower than MIN_SHAPE_PX pixels
  is its point on surface, grouped per cell like the points above; the others are shapes.
PostGIS builds the tile in one query (`ST_AsMVTGeom`, `ST_AsMVT`), the box being
`ST_TileEnvelope(z, x, y)` in the SQL, so `build_tile(..., key=...)` keeps the SQL text of a
layer, zoom and query and only x and y change from tile to tile. SpatiaLite gets the same
rows with the same SQL functions (`Transform`, `SimplifyPreserveTopology`); the grouping
and the encoding (mapbox-vector-tile) run in Python there, for the small installation
SpatiaLite is meant for. tests/villages/test_tiles.py decodes both and compares them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import GeoFunc, Transform
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Expression, F, FloatField, Value

from .generalise import GENERALISED_BELOW

EXTENT = 4096  # tile grid units a side
MAX_ZOOM = 22
MERCATOR = 3857
HALF_WORLD = 20037508.342789244  # metres from the origin to the edge of Web Mercator
TILE_PX = 512  # a tile is drawn this many screen pixels wide (tile zoom = view zoom - 1)
CELLS_PER_TILE = 8  # 64-pixel cluster cells on a 512-pixel tile
CLUSTER_BELOW_ZOOM = 16  # from this tile zoom on (view zoom 17), every point is on its own
SIMPLIFY_UNITS = 0.5  # tolerance in screen pixels (1 pixel = EXTENT / TILE_PX units)
MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"


class SimplifyPreserveTopology(GeoFunc):
    """ST_SimplifyPreserveTopology on PostGIS, SimplifyPreserveTopology on SpatiaLite."""

    arity = 2


@dataclass(frozen=True)
class TileLayer:
    """One layer served as tiles.

    queryset(params) gives the public, filtered rows from the layer's validated query
    parameters; `geometry` names the geometry field or annotation; `properties` maps a
    tile property to a `values()` path; `points` layers are clustered at low zooms.
    `within(queryset, envelope)` narrows rows to a tile (default: geometry intersects).
    """

    name: str
    serializer: type | None
    queryset: Callable[[dict], object]
    geometry: str
    properties: dict[str, str]
    points: bool = False
    within: Callable | None = None
    # Properties added only when the queryset has the annotation (distance_m with near=).
    optional_properties: dict[str, str] = field(default_factory=dict)
    # Below `generalised_below`, generalised(queryset, z, mercator_envelope) gives the rows
    # narrowed to the tile, their geometry (Web Mercator) and a boolean expression marking the
    # rows drawn as points and grouped per cell (or None): shapes simplified ahead of time.
    generalised: Callable | None = None
    generalised_below: int = 0
    # Seconds: a layer whose rows depend on the clock (events not over yet) changes this often
    # without a write; its ETag, cached bytes and kept SQL roll over at that pace.
    time_bucket: int = 0


class TileOutOfRange(ValueError):
    """z, x or y outside the tile pyramid; the message says which and why."""


def check_tile(z: int, x: int, y: int) -> None:
    from django.utils.translation import gettext as _

    if not 0 <= z <= MAX_ZOOM:
        raise TileOutOfRange(
            _("z must be between 0 and %(max)d, not %(z)d.") % {"max": MAX_ZOOM, "z": z}
        )
    size = 2**z
    for name, value in (("x", x), ("y", y)):
        if not 0 <= value < size:
            raise TileOutOfRange(
                _("At zoom %(z)d, %(name)s must be between 0 and %(last)d, not %(value)d.")
                % {"z": z, "name": name, "last": size - 1, "value": value}
            )


def mercator_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's (minx, miny, maxx, maxy) in EPSG:3857 metres (y counted from the north)."""
    span = 2 * HALF_WORLD / 2**z
    minx = -HALF_WORLD + x * span
    maxy = HALF_WORLD - y * span
    return minx, maxy - span, minx + span, maxy


def _lat(y_m: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y_m / 6378137.0)) - math.pi / 2)


def lonlat_envelope(z: int, x: int, y: int) -> Polygon:
    """The tile as a lon/lat rectangle (a Mercator tile is one), SRID 4326."""
    minx, miny, maxx, maxy = mercator_bounds(z, x, y)
    to_lon = 180.0 / HALF_WORLD
    box = Polygon.from_bbox((minx * to_lon, _lat(miny), maxx * to_lon, _lat(maxy)))
    box.srid = 4326
    return box


@dataclass
class Plan:
    """What one tile is built from: the rows (`t_fid`, `t_g` in Web Mercator, `t_<name>`
    properties, and `t_small` when `mixed`) and how to group them."""

    name: str
    rows: object  # a values() queryset
    names: list[str]
    z: int
    x: int
    y: int
    cluster: bool  # every row a point, grouped per cell
    points: bool  # the layer is points (no shape fallback)
    mixed: bool = False  # shapes stay shapes, rows with t_small are points grouped per cell


def _rows(layer: TileLayer, params: dict, z: int, x: int, y: int, *, cluster: bool):
    """The layer's queryset for one tile, with Web Mercator geometry `_g` (simplified for shapes)
    and the tile properties as `t_<name>` columns."""
    plan = plan_tile(layer, params, z, x, y)
    return plan.rows, plan.names


def plan_tile(layer: TileLayer, params: dict, z: int, x: int, y: int) -> Plan:
    cluster = layer.points and z < CLUSTER_BELOW_ZOOM
    qs = layer.queryset(params)
    properties = dict(layer.properties)
    annotations = qs.query.annotations
    properties.update({k: v for k, v in layer.optional_properties.items() if v in annotations})
    columns = {"t_fid": F("pk")}
    mixed = False
    # On PostGIS the tile's box is ST_TileEnvelope(z, x, y) in the SQL: one SQL text serves
    # every tile of a zoom (build_tile keeps it); SpatiaLite gets the box as a literal.
    in_db = connection.vendor == "postgresql"
    if layer.generalised is not None and z < layer.generalised_below:
        # Shapes simplified ahead of time (villages/generalise.py); small ones as points.
        box = TileBox(z, x, y, MERCATOR) if in_db else mercator_envelope(z, x, y)
        qs, geom, small = layer.generalised(qs, z, box)
        columns["t_g"] = geom
        if small is not None:
            columns["t_small"] = small
            mixed = True
    else:
        envelope = TileBox(z, x, y, 4326) if in_db else lonlat_envelope(z, x, y)
        if layer.within is not None:
            qs = layer.within(qs, envelope)
        else:
            qs = qs.filter(**{f"{layer.geometry}__intersects": envelope})
        geom = Transform(layer.geometry, MERCATOR)
        if not layer.points:
            tolerance = pixel_m(z) * SIMPLIFY_UNITS
            geom = SimplifyPreserveTopology(
                geom,
                Value(tolerance, output_field=FloatField()),
                output_field=GeometryField(srid=MERCATOR),
            )
        columns["t_g"] = geom
    columns.update({f"t_{name}": F(path) for name, path in properties.items()})
    if cluster or mixed:
        qs = qs.order_by()  # cells are grouped: the order is the cells'
    # Otherwise features keep the layer's order (events by start, places by name): the client
    # draws them in tile order, so of two events on one spot the later one is the one on top,
    # the same on both databases (PostgreSQL aggregates a sorted subquery in its order).
    return Plan(
        layer.name,
        qs.values(**columns),
        list(properties),
        z,
        x,
        y,
        cluster=cluster,
        points=layer.points,
        mixed=mixed,
    )


def pixel_m(z: int) -> float:
    """One screen pixel of a tile at zoom z (drawn TILE_PX wide), in Web Mercator metres."""
    return 2 * HALF_WORLD / 2**z / TILE_PX


def mercator_envelope(z: int, x: int, y: int) -> Polygon:
    box = Polygon.from_bbox(mercator_bounds(z, x, y))
    box.srid = MERCATOR
    return box


class TileBox(Expression):
    """The tile's box in the SQL (PostGIS): ST_TileEnvelope(z, x, y), in `srid`."""

    def __init__(self, z, x, y, srid):
        super().__init__(output_field=GeometryField(srid=srid))
        self.z, self.x, self.y, self.srid = z, x, y, srid

    def as_sql(self, compiler, connection):
        sql = "ST_TileEnvelope(%s, %s, %s)"
        if self.srid != MERCATOR:
            sql = f"ST_Transform({sql}, {int(self.srid)})"
        return sql, [self.z, self.x, self.y]


# SQL texts kept per (layer, zoom, query key): the tile's x and y are its only parameters that
# change, so a tile costs its query, not the ORM's planning and compiling (~1-3 ms).
_SQL: dict[tuple, tuple[str, list]] = {}
SQL_KEPT = 1024
X_MARK, Y_MARK = -987_654_321, -987_654_322  # stand for x and y (never a valid tile number)


def build_tile(layer: TileLayer, params: dict, z: int, x: int, y: int, *, key=None) -> bytes:
    """The tile as MVT bytes (b"" when nothing is in it).

    `key` (hashable) stands for `params`: with it, PostGIS reuses the SQL text made for an
    earlier tile of the same layer, zoom and key.
    """
    check_tile(z, x, y)
    if connection.vendor != "postgresql":
        return python_tile(plan_tile(layer, params, z, x, y))
    if key is None:
        return _run(*postgis_sql(plan_tile(layer, params, z, x, y)))
    cache_key = (layer.name, z, key)
    found = _SQL.get(cache_key)
    if found is None:
        found = postgis_sql(plan_tile(layer, params, z, X_MARK, Y_MARK))
        if len(_SQL) >= SQL_KEPT:
            _SQL.clear()
        _SQL[cache_key] = found
    sql, marked = found
    values = [
        x if type(p) is int and p == X_MARK else y if type(p) is int and p == Y_MARK else p
        for p in marked
    ]
    return _run(sql, values)


# --- PostGIS: one query -------------------------------------------------------------------


def postgis_tile(plan: Plan) -> bytes:
    return _run(*postgis_sql(plan))


def _run(sql: str, params: list) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] else b""


def postgis_sql(plan: Plan) -> tuple[str, list]:
    """The tile's ST_AsMVT query and its parameters."""
    inner, params = plan.rows.query.sql_with_params()
    names = plan.names
    envelope = "(SELECT e FROM bounds)"
    parts = []
    cells = ""
    if plan.cluster or plan.mixed:
        cell = pixel_m(plan.z) * TILE_PX / CELLS_PER_TILE
        # One row per cell: its count, the mean position, and for a lone point its own id
        # and properties (the first of one value is that value; any type, booleans too).
        agg = "".join(f', (array_agg("t_{n}"))[1] AS "{n}"' for n in names)
        where = 'WHERE "t_small"' if plan.mixed else ""
        cells = f"""
            , cells AS (
                SELECT count(*) AS n, ST_Centroid(ST_Collect("t_g")) AS g, min("t_fid") AS fid
                       {agg}
                FROM src {where}
                GROUP BY floor((ST_X("t_g") + {HALF_WORLD}) / {cell}),
                         floor((ST_Y("t_g") + {HALF_WORLD}) / {cell})
            )"""
        parts.append(
            f"""SELECT CASE WHEN n = 1 THEN fid END AS fid,
                       CASE WHEN n > 1 THEN n END AS count
                       {"".join(f', CASE WHEN n = 1 THEN "{n}" END AS "{n}"' for n in names)},
                       ST_AsMVTGeom(g, {envelope}, {EXTENT}, 0, false) AS geom
                FROM cells"""
        )
    if not plan.cluster:
        geom_sql = f'ST_AsMVTGeom("t_g", {envelope}, {EXTENT}, 0, false)'
        if not plan.points:
            # A shape too small for the grid collapses: keep it as a point on its surface.
            geom_sql = (
                f'COALESCE({geom_sql}, ST_AsMVTGeom(ST_PointOnSurface("t_g"), '
                f"{envelope}, {EXTENT}, 0, false))"
            )
        props = "".join(f', "t_{n}" AS "{n}"' for n in names)
        count = ", NULL::bigint AS count" if plan.mixed else ""
        where = 'WHERE NOT "t_small"' if plan.mixed else ""
        # Shapes first: the clusters of small villages are drawn over them.
        parts.insert(0, f'SELECT "t_fid" AS fid{count}{props}, {geom_sql} AS geom FROM src {where}')
    union = " UNION ALL ".join(f"({part})" for part in parts)
    sql = f"""
        WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS e),
        src AS ({inner}){cells}
        SELECT ST_AsMVT(tile, %s, {EXTENT}, 'geom', 'fid') FROM ({union}) AS tile
        WHERE geom IS NOT NULL
    """
    return sql, [plan.z, plan.x, plan.y, *params, plan.name]


# --- SpatiaLite: the same rows, grouped and encoded in Python -------------------------------


def _quantiser(z, x, y):
    minx, miny, maxx, _maxy = mercator_bounds(z, x, y)
    scale = EXTENT / (maxx - minx)

    def quantise(px, py):
        # Tile units with y up (mapbox-vector-tile flips y on encoding, as ST_AsMVTGeom does).
        return round((px - minx) * scale), round((py - miny) * scale)

    def quantise_shape(shape):
        # The same rounding (half to even, as round()) over all of a shape's coordinates at once.
        import numpy
        import shapely

        return shapely.transform(shape, lambda xy: numpy.round((xy - (minx, miny)) * scale))

    quantise.shape = quantise_shape
    return quantise


def python_tile(plan: Plan) -> bytes:
    import mapbox_vector_tile
    from shapely import wkb

    names, z = plan.names, plan.z
    quantise = _quantiser(z, plan.x, plan.y)
    features = []
    extra = ("t_small",) if plan.mixed else ()
    rows = list(plan.rows.values_list("t_fid", "t_g", *(f"t_{n}" for n in names), *extra))
    if plan.mixed:
        small = [row[:-1] for row in rows if row[-1]]
        rows = [row[:-1] for row in rows if not row[-1]]
    else:
        small = rows if plan.cluster else []
        rows = [] if plan.cluster else rows
    for fid, geom, *values in rows:  # shapes first, as on PostGIS
        if geom is None:
            continue
        shape = quantise.shape(wkb.loads(bytes(geom.wkb)))
        if not plan.points:
            shape = _never_empty(shape, geom, quantise)
        features.append({"id": fid, "geometry": shape, "properties": _props(names, values)})
    cell = pixel_m(z) * TILE_PX / CELLS_PER_TILE
    cells: dict[tuple[int, int], list] = {}
    for row in small:
        point = row[1]
        key = (
            math.floor((point.x + HALF_WORLD) / cell),
            math.floor((point.y + HALF_WORLD) / cell),
        )
        cells.setdefault(key, []).append(row)
    for members in cells.values():
        if len(members) == 1:
            fid, point, *values = members[0]
            features.append(
                {
                    "id": fid,
                    "geometry": _point(quantise(point.x, point.y)),
                    "properties": _props(names, values),
                }
            )
        else:
            mx = sum(m[1].x for m in members) / len(members)
            my = sum(m[1].y for m in members) / len(members)
            features.append(
                {"geometry": _point(quantise(mx, my)), "properties": {"count": len(members)}}
            )
    if not features:
        return b""
    return mapbox_vector_tile.encode(
        [{"name": plan.name, "features": features}],
        default_options={"extents": EXTENT, "on_invalid_geometry": _make_valid},
    )


def _point(xy):
    from shapely.geometry import Point

    return Point(*xy)


def _props(names, values) -> dict:
    # A missing value is left out, as ST_AsMVT leaves out NULLs.
    return {n: _plain(v) for n, v in zip(names, values, strict=True) if v is not None}


def _plain(value):
    if hasattr(value, "m"):  # a Distance annotation: metres
        return float(value.m)
    return value


def _make_valid(shape):
    """A valid shape of the same dimension (ST_AsMVTGeom keeps only the parts of its own type)."""
    from shapely.geometry import MultiPolygon
    from shapely.validation import make_valid

    valid = make_valid(shape)
    if valid.geom_type == "GeometryCollection" and shape.geom_type in ("Polygon", "MultiPolygon"):
        parts = [
            p
            for g in valid.geoms
            if g.geom_type in ("Polygon", "MultiPolygon")
            for p in getattr(g, "geoms", [g])
        ]
        return MultiPolygon(parts) if parts else None
    return valid


def _never_empty(shape, geom, quantise):
    """A shape that the grid reduces to nothing becomes a point on its surface (as on PostGIS)."""
    from shapely import wkb

    valid = _make_valid(shape) if shape.geom_type in ("Polygon", "MultiPolygon") else shape
    collapsed = (
        shape.is_empty
        or valid is None
        or (shape.geom_type in ("Polygon", "MultiPolygon") and valid.area == 0)
        or (shape.geom_type in ("LineString", "MultiLineString") and shape.length == 0)
    )
    if not collapsed:
        return shape
    return quantise.shape(wkb.loads(bytes(geom.point_on_surface.wkb)))


# --- The layers' HTTP view ------------------------------------------------------------------


def _village_queryset(params):
    from django.db.models.functions import Coalesce

    from .selectors import village_list

    return village_list(**params).annotate(
        map_geom=Coalesce("boundary", "centre", output_field=GeometryField(srid=4326))
    )


def _village_within(qs, envelope):
    from django.db.models import Q

    return qs.filter(
        Q(boundary__intersects=envelope) | Q(boundary__isnull=True, centre__intersects=envelope)
    )


MIN_SHAPE_PX = 8  # below GENERALISED_BELOW, a village spanning fewer pixels is drawn as a point


def _village_generalised(qs, z, envelope):
    """Villages below tile zoom GENERALISED_BELOW: their shapes simplified ahead of time at the
    zoom's level; a village spanning fewer than MIN_SHAPE_PX pixels (or without a boundary) is
    its point on surface, grouped per cell with the other small ones."""
    from django.db.models import BooleanField, Case, ExpressionWrapper, Q, When

    from .generalise import level_for

    threshold = MIN_SHAPE_PX * pixel_m(z)
    qs = qs.filter(
        Q(shapes__zoom=level_for(z)),
        Q(shapes__shape__intersects=envelope),
        Q(shapes__span_m__gte=threshold) | Q(shapes__point__intersects=envelope),
    )
    small = Q(shapes__span_m__lt=threshold)
    geom = Case(
        When(small, then=F("shapes__point")),
        default=F("shapes__shape"),
        output_field=GeometryField(srid=MERCATOR),
    )
    return qs, geom, ExpressionWrapper(small, output_field=BooleanField())


def _village_serializer():
    from .api import VillageQuerySerializer

    class VillageTileQuerySerializer(VillageQuerySerializer):
        """The villages API's filters; a tile is its own box and shapes are the boundaries."""

        bbox = None
        geometry = None

    return VillageTileQuerySerializer


def village_layer() -> TileLayer:
    return TileLayer(
        name="villages",
        serializer=_village_serializer(),
        queryset=_village_queryset,
        geometry="map_geom",
        within=_village_within,
        properties={"slug": "slug", "name": "name", "is_sog_site": "is_sog_site"},
        generalised=_village_generalised,
        generalised_below=GENERALISED_BELOW,
    )
