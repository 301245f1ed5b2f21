"""Village boundaries generalised ahead of time for the low zooms of the map's tiles.

Below tile zoom `GENERALISED_BELOW` a tile covers hundreds or thousands of villages; simplifying
their many-vertex boundaries per request took 30-45 s for one tile with 10,000 villages
(bench/README.md). So each village is stored once per level of `LEVELS` (VillageShape), in Web
Mercator:
- the boundary simplified as one *coverage* (`shapely.coverage_simplify`, GEOS's
  Visvalingam-Whyatt coverage simplifier): neighbours keep their shared edges identical, so no
  slivers or overlaps open between them, and a polygon is never reduced to nothing (at worst a
  triangle). Each level is simplified from the next finer one (fewer vertices to read);
- a village without a boundary is its centre;
- `point`: a point on the boundary's surface (or the centre), where a village too small to see
  is drawn; `span_m`: the larger side of the shape's box, in metres.
A tile at zoom z reads the level `level_for(z)` (the finest level is used up to
GENERALISED_BELOW - 1). The tolerance of level L is half a pixel of a 512-pixel tile at zoom L.

Kept current: saving a village whose boundary or centre may have changed refreshes it and its
neighbours (they share edges: the coverage is simplified again together); the boundary import
refreshes all it changed at once (`deferred()`); `manage.py generalise_villages` rebuilds every
row (after a bulk load in SQL, as bench/national.py does, or a `QuerySet.update`).
"""

from __future__ import annotations

import contextlib
import threading

LEVELS = (5, 7, 9)  # tile zooms the shapes are simplified for
GENERALISED_BELOW = 10  # tile zooms 0..9 read VillageShape; from 10 on, the live boundary
HALF_WORLD = 20037508.342789244
TILE_PX = 512
SIMPLIFY_UNITS = 0.5  # half a screen pixel, as tiles.SIMPLIFY_UNITS
BATCH = 2_000

_local = threading.local()


def level_for(z: int) -> int:
    """The generalisation level a tile at zoom z reads (z < GENERALISED_BELOW)."""
    return next((level for level in LEVELS if level >= z), LEVELS[-1])


def pixel_m(z: int) -> float:
    """One screen pixel of a tile at zoom z drawn 512 pixels wide, in Web Mercator metres."""
    return 2 * HALF_WORLD / 2**z / TILE_PX


def tolerance(level: int) -> float:
    return pixel_m(level) * SIMPLIFY_UNITS


def _polygonal(shape):
    """A valid (multi)polygon from a possibly invalid one; None when nothing polygonal is left."""
    import shapely

    if shape is None or shape.is_empty:
        return None
    if not shape.is_valid:
        # "structure" (GEOS 3.10+): the area a ring encloses, by its structure. The default
        # "linework" ran for over 20 minutes on one of bench/national.py's bow-tie villages.
        shape = shapely.make_valid(shape, method="structure", keep_collapsed=False)
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        return shape
    parts = [
        p
        for g in getattr(shape, "geoms", [shape])
        if g.geom_type in ("Polygon", "MultiPolygon")
        for p in getattr(g, "geoms", [g])
    ]
    return shapely.MultiPolygon(parts) if parts else None


def _generalised_rows(villages) -> list:
    """VillageShape objects for `villages`: (pk, boundary WKB in 3857 or None, centre WKB)."""
    import numpy
    import shapely

    from .models import VillageShape

    ids, shapes, points = [], [], []
    for pk, boundary, centre in villages:
        polygon = _polygonal(shapely.from_wkb(boundary)) if boundary is not None else None
        point = shapely.from_wkb(centre) if centre is not None else None
        if polygon is None and point is None:
            continue
        ids.append(pk)
        shapes.append(polygon)
        points.append(polygon.point_on_surface() if polygon is not None else point)
    rows = []
    with_shape = [i for i, s in enumerate(shapes) if s is not None]
    current = numpy.array([shapes[i] for i in with_shape], dtype=object)
    by_level = {}
    for level in sorted(LEVELS, reverse=True):  # finest first; each from the one before
        if len(current):
            current = shapely.coverage_simplify(current, tolerance(level))
        by_level[level] = current
    for level in LEVELS:
        simplified = dict(zip(with_shape, by_level[level], strict=True))
        for i, pk in enumerate(ids):
            shape = simplified.get(i)
            if shape is None or shape.is_empty or shape.area == 0:
                shape = points[i]
            minx, miny, maxx, maxy = shape.bounds
            rows.append(
                VillageShape(
                    village_id=pk,
                    zoom=level,
                    shape=_geos(shape),
                    point=_geos(points[i]),
                    span_m=max(maxx - minx, maxy - miny),
                )
            )
    return rows


def _geos(shape):
    from django.contrib.gis.geos import GEOSGeometry

    return GEOSGeometry(memoryview(shape.wkb), srid=3857)


def _source(queryset):
    from django.contrib.gis.db.models.functions import AsWKB, Transform

    return queryset.annotate(
        b=AsWKB(Transform("boundary", 3857)), c=AsWKB(Transform("centre", 3857))
    ).values_list("pk", "b", "c")


def _store(rows, village_ids=None) -> None:
    from django.db import connection, transaction

    from . import http_cache
    from .models import VillageShape

    table = connection.ops.quote_name(VillageShape._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        # Plain SQL: QuerySet.delete() would fetch every row to send signals (no receiver
        # needs these derived rows).
        if village_ids is None:
            cursor.execute(f"DELETE FROM {table}")
        else:
            ids = list(village_ids)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {table} WHERE village_id IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
        VillageShape.objects.bulk_create(rows, batch_size=BATCH)
    http_cache.bump()  # cached tiles are built from these rows


def rebuild() -> int:
    """Generalise every village again; the number of villages stored."""
    from .models import Village

    rows = _generalised_rows(
        (pk, _bytes(b), _bytes(c)) for pk, b, c in _source(Village.objects.order_by())
    )
    _store(rows)
    return len({row.village_id for row in rows})


def refresh(village_ids) -> None:
    """Generalise these villages again, with their neighbours (their shared edges move too)."""
    from django.db.models import Q

    from .models import Village

    village_ids = set(village_ids)
    if not village_ids:
        return
    if getattr(_local, "deferred", None) is not None:
        _local.deferred |= village_ids
        return
    near = Q(pk__in=village_ids)
    for boundary in Village.objects.filter(pk__in=village_ids, boundary__isnull=False).values_list(
        "boundary", flat=True
    ):
        near |= Q(boundary__intersects=boundary)
    source = list(_source(Village.objects.filter(near).order_by()))
    rows = _generalised_rows((pk, _bytes(b), _bytes(c)) for pk, b, c in source)
    _store(rows, village_ids | {pk for pk, _b, _c in source})


def _bytes(value):
    return bytes(value) if value is not None else None


@contextlib.contextmanager
def deferred():
    """Collect the villages saved inside the block and refresh them together at its end."""
    outer = getattr(_local, "deferred", None)
    if outer is not None:  # nested: the outer block refreshes
        yield
        return
    _local.deferred = set()
    try:
        yield
        ids = _local.deferred
    finally:
        _local.deferred = None
    refresh(ids)


GEOMETRY_FIELDS = {"boundary", "centre"}


def on_village_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """post_save of Village: refresh its generalised shapes when its geometry may have changed."""
    if raw or (update_fields is not None and not GEOMETRY_FIELDS & set(update_fields)):
        return
    refresh([instance.pk])


def on_migrate(sender, **kwargs) -> None:
    """After migrating: fill VillageShape once for villages that existed before it."""
    from django.db.models import Q

    from .models import Village, VillageShape

    using = kwargs.get("using", "default")
    if (
        not VillageShape.objects.using(using).exists()
        and Village.objects.using(using)
        .filter(Q(boundary__isnull=False) | Q(centre__isnull=False))
        .exists()
    ):
        rebuild()


def connect(app_config) -> None:
    from django.db.models.signals import post_migrate, post_save

    from .models import Village

    post_save.connect(on_village_saved, sender=Village, dispatch_uid="sog-village-generalise")
    post_migrate.connect(on_migrate, sender=app_config, dispatch_uid="sog-village-generalise")
