"""Vector tiles: the same features on PostGIS (ST_AsMVT) and SpatiaLite (mapbox-vector-tile).

Each database's tiles are decoded and compared with what the tile is specified to hold,
computed here from the data (clusters per 64-pixel cell, shapes quantised to the 4096 grid);
on PostGIS the ST_AsMVT tile is also compared with the Python builder SpatiaLite uses, on
irregular many-vertex polygons that the zoom simplifies.
"""

import math
import random

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection
from shapely.geometry import shape

from villages import tiles

pytestmark = pytest.mark.django_db

HALF = tiles.HALF_WORLD


def merc(lon, lat):
    return lon * HALF / 180, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6378137.0


def tile_of(lon, lat, z):
    x, y = merc(lon, lat)
    span = 2 * HALF / 2**z
    return z, int((x + HALF) // span), int((HALF - y) // span)


def to_tile_units(lon, lat, z, x, y):
    mx, my = merc(lon, lat)
    minx, _miny, maxx, maxy = tiles.mercator_bounds(z, x, y)
    scale = tiles.EXTENT / (maxx - minx)
    return (mx - minx) * scale, (maxy - my) * scale  # y down, as decoded with y_coord_down


def decode(body, layer):
    if not body:
        return []
    data = mapbox_vector_tile.decode(body, default_options={"y_coord_down": True})
    return data[layer]["features"] if layer in data else []


def get_tile(client, layer, z, x, y, query=""):
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf{query}")
    assert response.status_code in (200, 204), response.content
    if response.status_code == 200:
        assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return decode(response.content, layer)


@pytest.fixture
def places(make_village):
    from tourism.models import Attraction

    home = make_village("Alpha", lon=128.20, lat=-3.70, size_deg=0.02, is_sog_site=True)
    make_village("Beta", lon=128.23, lat=-3.70, size_deg=0.02)
    spots = [(128.2001, -3.7001), (128.2003, -3.7002), (128.2005, -3.6999), (128.2301, -3.7001)]
    for n, (lon, lat) in enumerate(spots):
        Attraction.objects.create(
            village=home,
            name=f"Spot {n}",
            slug=f"spot-{n}",
            category="culinary",
            published=True,
            location=Point(lon, lat, srid=4326),
        )
    Attraction.objects.create(
        village=home,
        name="Draft",
        slug="draft",
        category="culinary",
        published=False,
        location=Point(128.2002, -3.7, srid=4326),
    )
    return spots


def test_points_cluster_per_cell_at_low_zoom(client, places):
    z, x, y = tile_of(128.2001, -3.7001, 12)
    features = get_tile(client, "attractions", z, x, y)
    cell = 2 * HALF / 2**z / tiles.CELLS_PER_TILE
    expected = {}
    for lon, lat in places:
        if tile_of(lon, lat, z) != (z, x, y):
            continue
        mx, my = merc(lon, lat)
        expected.setdefault((mx // cell, my // cell), []).append((lon, lat))
    got = sorted(f["properties"].get("count", 1) for f in features)
    assert got == sorted(len(m) for m in expected.values())
    assert sum(got) == 4  # the draft is not public
    for members in expected.values():
        if len(members) < 2:
            continue
        mx = sum(merc(*m)[0] for m in members) / len(members)
        my = sum(merc(*m)[1] for m in members) / len(members)
        minx, _miny, maxx, maxy = tiles.mercator_bounds(z, x, y)
        scale = tiles.EXTENT / (maxx - minx)
        want = ((mx - minx) * scale, (maxy - my) * scale)
        cluster = next(f for f in features if f["properties"].get("count") == len(members))
        gx, gy = cluster["geometry"]["coordinates"]
        assert abs(gx - want[0]) <= 1 and abs(gy - want[1]) <= 1
        assert "slug" not in cluster["properties"] and not cluster.get("id")


def test_points_stand_alone_from_cluster_zoom_on(client, places):
    from tourism.models import Attraction

    z, x, y = tile_of(128.2001, -3.7001, tiles.CLUSTER_BELOW_ZOOM)
    features = get_tile(client, "attractions", z, x, y)
    slugs = {f["properties"]["slug"] for f in features}
    assert "spot-0" in slugs and "draft" not in slugs
    for feature in features:
        attraction = Attraction.objects.get(slug=feature["properties"]["slug"])
        assert feature["id"] == attraction.pk
        assert feature["properties"]["name"] == attraction.name
        want = to_tile_units(attraction.location.x, attraction.location.y, z, x, y)
        gx, gy = feature["geometry"]["coordinates"]
        assert abs(gx - want[0]) <= 1 and abs(gy - want[1]) <= 1


def test_village_shapes_are_whole_and_quantised(client, places):
    from villages.models import Village

    z, x, y = tile_of(128.20, -3.70, 13)
    features = get_tile(client, "villages", z, x, y)
    by_slug = {f["properties"]["slug"]: f for f in features}
    alpha = Village.objects.get(name="Alpha")
    feature = by_slug[alpha.slug]
    assert feature["id"] == alpha.pk and feature["properties"]["is_sog_site"] is True
    assert feature["geometry"]["type"] == "Polygon"
    ring = feature["geometry"]["coordinates"][0]
    corners = [to_tile_units(lon, lat, z, x, y) for lon, lat in alpha.boundary[0][0][:-1]]
    for cx, cy in corners:
        assert min(math.hypot(cx - px, cy - py) for px, py in ring) <= 1


def test_empty_tile_is_204_and_bad_tiles_are_400(client, places):
    assert client.get("/tiles/attractions/3/0/0.pbf").status_code == 204
    for path, word in [("23/0/0", "z"), ("2/4/0", "x"), ("2/0/-1", "y"), ("-1/0/0", "z")]:
        response = client.get(f"/tiles/villages/{path}.pbf")
        assert response.status_code == 400
        assert word in response.json()["tile"][0]
    response = client.get("/tiles/attractions/3/0/0.pbf?category=nope")
    assert response.status_code == 400 and "category" in response.json()


def test_filters_are_the_apis(client, places):
    z, x, y = tile_of(128.2001, -3.7001, 18)
    found = get_tile(client, "attractions", z, x, y, "?q=Spot 1")
    assert [f["properties"]["slug"] for f in found] == ["spot-1"]
    near = get_tile(client, "attractions", z, x, y, "?near=128.2001,-3.7001&radius_m=50")
    assert near and all(f["properties"]["distance_m"] <= 50 for f in near)


def test_points_keep_the_layers_order_so_the_later_event_is_drawn_on_top(client, places):
    # The map draws a tile's features in order: of two events on one spot, the one starting
    # later comes last (on top), whatever order the rows were stored in, on both databases.
    from datetime import timedelta

    from django.utils import timezone

    from tourism.models import Event
    from villages.models import Village

    home = Village.objects.get(name="Alpha")
    soon = timezone.now() + timedelta(days=3)
    for n, days in enumerate([30, 10, 20]):
        Event.objects.create(
            village=home,
            title_id=f"Acara {n}",
            slug=f"event-{n}",
            starts_at=soon + timedelta(days=days),
            ends_at=soon + timedelta(days=days, hours=2),
            published=True,
            location=Point(128.2001, -3.7001, srid=4326),
        )
    z, x, y = tile_of(128.2001, -3.7001, 18)
    features = get_tile(client, "events", z, x, y)
    assert [f["properties"]["slug"] for f in features] == ["event-1", "event-2", "event-0"]


def test_tiles_carry_etag_and_revalidate(client, places):
    from tourism.models import Attraction

    z, x, y = tile_of(128.2001, -3.7001, 12)
    url = f"/tiles/attractions/{z}/{x}/{y}.pbf"
    first = client.get(url)
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Attraction.objects.filter(slug="spot-0").first().save()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def irregular(lon, lat, radius, vertices, rng):
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (0.7 + 0.3 * rng.random())
        points.append((lon + r * math.cos(angle), lat + r * math.sin(angle)))
    points.append(points[0])
    return MultiPolygon(Polygon(points), srid=4326)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares ST_AsMVT")
def test_st_asmvt_and_the_python_builder_agree(make_village, places):
    """The SpatiaLite builder run on PostGIS's own rows gives the ST_AsMVT tile's features."""
    rng = random.Random(5)
    for n in range(12):
        make_village(
            f"Irr{n}",
            lon=128.1 + 0.02 * n,
            lat=-3.65 - 0.01 * (n % 3),
            size_deg=0.01,
            boundary=irregular(128.1 + 0.02 * n, -3.65 - 0.01 * (n % 3), 0.012, 400, rng),
        )
    from tourism.tiles import layers

    layer_by_name = {layer.name: layer for layer in [tiles.village_layer(), *layers()]}
    for name in ("villages", "attractions"):
        layer = layer_by_name[name]
        # 5 and 8 read the generalised shapes (small villages as grouped points), 11 and 13
        # the live boundaries.
        for z in (5, 8, 11, 13, tiles.CLUSTER_BELOW_ZOOM):
            z, x, y = tile_of(128.2, -3.7, z)
            plan = tiles.plan_tile(layer, {}, z, x, y)
            pg = decode(tiles.postgis_tile(plan), name)
            py = decode(tiles.python_tile(plan), name)
            assert pg, (name, z)
            assert_same_features(pg, py)


def assert_same_features(a, b):
    def key(f):
        return (f.get("id") or 0, f["properties"].get("count", 1), f["properties"].get("slug", ""))

    a, b = sorted(a, key=key), sorted(b, key=key)
    assert [key(f) for f in a] == [key(f) for f in b]
    for fa, fb in zip(a, b, strict=True):
        assert fa["properties"] == fb["properties"]
        ga, gb = shape(fa["geometry"]), shape(fb["geometry"])
        assert ga.geom_type.replace("Multi", "") == gb.geom_type.replace("Multi", "")
        # Within one screen pixel (8 grid units on a 512-pixel tile): rounding, and the two
        # simplifiers and validity repairs making their own choices on quantised rings.
        assert ga.hausdorff_distance(gb) <= 8, (fa.get("id"), ga.hausdorff_distance(gb))
        if ga.area:
            assert abs(ga.area - gb.area) <= 0.05 * ga.area + 64


def wiggly_pair(lon, lat, size, teeth=60):
    """Two villages side by side sharing one finely wiggled edge (a coverage)."""
    step = size / teeth
    edge = [(lon + (0.002 if i % 2 else 0), lat + i * step) for i in range(teeth + 1)]
    west = Polygon([(lon - size, lat), *edge, (lon - size, lat + size), (lon - size, lat)])
    east = Polygon([*edge, (lon + size, lat + size), (lon + size, lat), edge[0]])
    return MultiPolygon(west, srid=4326), MultiPolygon(east, srid=4326)


def test_generalised_neighbours_keep_their_shared_edge(make_village):
    """Simplified ahead of time as one coverage: no overlap, no sliver, never nothing."""
    from shapely import wkb

    from villages import generalise
    from villages.models import VillageShape

    west, east = wiggly_pair(128.0, -3.9, 0.2)
    a = make_village("West", lon=127.9, lat=-3.8, boundary=west)
    b = make_village("East", lon=128.1, lat=-3.8, boundary=east)
    tiny = make_village("Tiny", lon=127.0, lat=-3.0, size_deg=0.0005)
    for level in generalise.LEVELS:
        rows = {r.village_id: r for r in VillageShape.objects.filter(zoom=level)}
        assert set(rows) == {a.pk, b.pk, tiny.pk}
        sa, sb = (wkb.loads(bytes(rows[v.pk].shape.wkb)) for v in (a, b))
        assert sa.is_valid and sb.is_valid and sa.area > 0 and sb.area > 0
        assert sa.intersection(sb).area < 1e-6 * sa.area  # no overlap
        union = sa.union(sb)
        assert union.geom_type == "Polygon" and not union.interiors  # no gap between them
        assert wkb.loads(bytes(rows[tiny.pk].shape.wkb)).area > 0  # a triangle at worst
    coarse = VillageShape.objects.get(village=a, zoom=generalise.LEVELS[0]).shape
    assert coarse.num_coords < a.boundary.num_coords  # the wiggles are gone


def test_generalised_shapes_follow_a_saved_boundary(make_village):
    from villages.models import VillageShape

    village = make_village("Moving", lon=128.0, lat=-3.0, size_deg=0.2)
    before = VillageShape.objects.get(village=village, zoom=9).point
    village.boundary = MultiPolygon(Polygon.from_bbox((129.0, -3.1, 129.2, -2.9)), srid=4326)
    village.save()
    after = VillageShape.objects.get(village=village, zoom=9).point
    assert after.distance(before) > 100_000  # metres (Web Mercator): it moved with the boundary
    village.description_en = "no geometry change"
    village.save(update_fields=["description_en"])
    assert VillageShape.objects.get(village=village, zoom=9).point.equals_exact(after, 1)


def test_rebuild_command_restores_every_village(make_village):
    from django.core.management import call_command

    from villages import generalise
    from villages.models import VillageShape

    for n in range(3):
        make_village(f"R{n}", lon=128 + n * 0.3, lat=-3.5)
    VillageShape.objects.all().delete()
    call_command("generalise_villages", stdout=open("/dev/null", "w"))
    assert VillageShape.objects.count() == 3 * len(generalise.LEVELS)


def test_low_zoom_villages_big_as_shapes_small_as_counted_points(client, make_village):
    """Below zoom GENERALISED_BELOW: a village wide enough to see is its simplified shape, the
    small ones are points grouped per cell (a count), the same on both databases."""
    big = make_village("Big", lon=125.0, lat=-3.5, size_deg=0.6)
    for n in range(3):
        make_village(f"Small{n}", lon=126.0 + n * 0.01, lat=-3.5, size_deg=0.005)
    z, x, y = tile_of(125.0, -3.5, 5)
    assert tile_of(126.0, -3.5, 5) == (z, x, y)
    features = get_tile(client, "villages", z, x, y)
    shapes = [f for f in features if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    assert [f["id"] for f in shapes] == [big.pk]
    assert shapes[0]["properties"]["slug"] == big.slug
    counts = [f["properties"]["count"] for f in features if "count" in f["properties"]]
    assert counts == [3]
    # From GENERALISED_BELOW on, every village is its (live) shape again.
    z, x, y = tile_of(126.01, -3.5, tiles.GENERALISED_BELOW)
    features = get_tile(client, "villages", z, x, y)
    assert features and all(f["geometry"]["type"] == "Polygon" for f in features)


def test_demo_villages_positioned_in_bulk_get_their_map_shapes(demo_places):
    """The demo loader sets centres with QuerySet.update (no signal): it refreshes them itself."""
    from villages import generalise
    from villages.models import Village, VillageShape

    placed = Village.objects.filter(centre__isnull=False).count()
    assert placed > 40
    assert VillageShape.objects.filter(zoom=generalise.LEVELS[0]).count() == placed


def test_a_cached_tile_is_rebuilt_after_a_change(client, places):
    from tourism.models import Attraction

    z, x, y = tile_of(128.2001, -3.7001, 18)
    url = f"/tiles/attractions/{z}/{x}/{y}.pbf"
    first = decode(client.get(url).content, "attractions")
    assert decode(client.get(url).content, "attractions") == first  # the cached bytes
    spot = Attraction.objects.get(slug="spot-0")
    spot.name = "Renamed"
    spot.save()
    names = {f["properties"]["name"] for f in decode(client.get(url).content, "attractions")}
    assert "Renamed" in names


def test_tiles_skip_the_session_but_keep_security_headers(client, places):
    z, x, y = tile_of(128.2001, -3.7001, 12)
    response = client.get(f"/tiles/attractions/{z}/{x}/{y}.pbf", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Frame-Options" in response and "Content-Security-Policy" in response
    assert response.get("Content-Encoding") == "gzip" or len(response.content) < 200
    assert "Cookie" not in response.get("Vary", "") and not response.cookies
    # A bad tile's message is in the reader's language.
    bad = client.get("/tiles/villages/23/0/0.pbf", HTTP_ACCEPT_LANGUAGE="id")
    assert bad.status_code == 400


def test_an_invalid_boundary_is_repaired_before_generalising(make_village):
    from shapely import wkb

    from villages.models import VillageShape

    bow_tie = MultiPolygon(
        Polygon(((128.0, -3.0), (128.2, -2.8), (128.2, -3.0), (128.0, -2.8), (128.0, -3.0))),
        srid=4326,
    )
    assert not bow_tie.valid
    village = make_village("Bow", lon=128.1, lat=-2.9, boundary=bow_tie)
    for row in VillageShape.objects.filter(village=village):
        shape = wkb.loads(bytes(row.shape.wkb))
        assert shape.is_valid and shape.area > 0, row.zoom
