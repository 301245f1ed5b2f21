"""Benchmarks of the map and scorecard at national scale, each a ratio against a baseline
measured side by side in the same run (issue 12). PostGIS only.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/sog_bench .venv/bin/python bench/run.py --quick
    DATABASE_URL=... .venv/bin/python bench/run.py --villages 84000 --pois 1000000 --logs 1000000

Creates a throw-away test database, fills it with bench/national.py, and measures
- tile_vs_st_asmvt: a tile through the whole endpoint (URL, validation, ETag, view) against
  running the same ST_AsMVT SQL text directly; the worst ratio over zooms 5, 8, 12, 15 and
  the villages and attractions layers (goal <= 1.3); also the largest tile (goal < 500 KB);
- lowzoom_bytes_ratio: the villages of one zoom-5 tile as the GeoJSON API sends them
  (unsimplified, 6 decimals) over the tile's bytes (goal >= 5); the tile unsimplified over
  simplified is printed too;
- geojson_vs_drfgis: attractions with a bbox, djangorestframework-gis GeoFeatureModelSerializer
  time over ours (goal >= 10); geojson_vs_floor: ours over one json_agg query (goal <= 1.5);
- scorecard_vs_floor: every village's live scorecard (the overview, AMO), uncached (as after
  a write), over one GROUP BY of the period's verified logs (goal <= 1.2);
  scorecard_cached_vs_floor the same read from the per-period cache; one village's time
  (goal < 1 s). `--only scorecard` runs this part alone (`--profile`: cProfile + queries).
Details go to stderr; the last line on stdout is one JSON object with the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings_test")


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time in seconds over `repeat` runs (after one warm-up), and the last result."""
    result = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def say(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def tile_at(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def bench_tiles(client, repeat: int, centre) -> dict:
    import dataclasses

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from villages import tiles
    from villages.tile_views import tile_cache

    ratios, biggest, rows = [], 0, []
    for layer in ("villages", "attractions"):
        for zoom in (5, 8, 12, 15):
            z, x, y = tile_at(*centre, zoom)
            url = f"/tiles/{layer}/{z}/{x}/{y}.pbf"

            def warm(url=url):
                response = client.get(url)
                assert response.status_code in (200, 204), response.content[:200]
                return response.content

            def cold(url=url):  # built: the tile cache emptied first (a locmem clear: ~µs)
                tile_cache().clear()
                return warm(url)

            tile_cache().clear()
            with CaptureQueriesContext(connection) as queries:
                body = warm()
            sql = next(q["sql"] for q in queries.captured_queries if "ST_AsMVT" in q["sql"])

            def raw(sql=sql):
                with connection.cursor() as cursor:
                    cursor.execute(sql.replace("%", "%%"))
                    return cursor.fetchone()[0]

            t_cold, body = timed(cold, repeat)
            t_warm, _ = timed(warm, repeat)
            t_raw, _ = timed(raw, repeat)
            ratios.append(t_cold / t_raw)
            biggest = max(biggest, len(body))
            rows.append(
                f"| {layer} | {z}/{x}/{y} | {len(body) / 1000:.1f} KB | "
                f"{t_cold * 1000:.1f} ms | {t_raw * 1000:.1f} ms | {t_cold / t_raw:.2f}× | "
                f"{t_warm * 1000:.2f} ms |"
            )
    say("| layer | tile | bytes | built (endpoint) | raw ST_AsMVT | ratio | cached (endpoint) |")
    say("|---|---|---|---|---|---|---|")
    for row in rows:
        say(row)
    # Low zoom: the same villages unsimplified (the GeoJSON API; a tile from the live
    # boundaries, not generalised nor simplified) and the tile the map gets.
    z, x, y = tile_at(*centre, 5)
    box = tiles.lonlat_envelope(z, x, y).extent
    geojson = b"".join(
        _body(
            client.get(
                "/api/v1/villages/", {"bbox": ",".join(f"{v:.6f}" for v in box), "limit": "10000"}
            )
        )
    )
    tile_cache().clear()
    tile = client.get(f"/tiles/villages/{z}/{x}/{y}.pbf").content
    saved = tiles.SIMPLIFY_UNITS
    tiles.SIMPLIFY_UNITS = 0
    try:
        live = dataclasses.replace(tiles.village_layer(), generalised=None)
        start = time.perf_counter()
        unsimplified = tiles.build_tile(live, {}, z, x, y)
        t_unsimplified = time.perf_counter() - start
    finally:
        tiles.SIMPLIFY_UNITS = saved
    say(
        f"zoom 5 villages: GeoJSON {len(geojson) / 1e6:.2f} MB (first page of at most 10,000), "
        f"tile from the live boundaries unsimplified {len(unsimplified) / 1000:.0f} KB "
        f"({t_unsimplified:.1f} s), tile {len(tile) / 1000:.1f} KB"
    )
    return {
        "tile_vs_st_asmvt": round(max(ratios), 2),
        "largest_tile_kb": round(biggest / 1000, 1),
        "lowzoom_bytes_ratio": round(len(geojson) / max(1, len(tile)), 1),
        "lowzoom_tile_unsimplified_ratio": round(len(unsimplified) / max(1, len(tile)), 2),
    }


def _body(response):
    assert response.status_code == 200, response.status_code
    return response.streaming_content if response.streaming else [response.content]


def bench_geojson(client, repeat: int, centre) -> dict:
    from django.db import connection
    from national import EXTENT
    from rest_framework.renderers import JSONRenderer
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    from tourism import selectors
    from tourism.models import Attraction
    from villages.geo import BBoxField

    # A box holding about 5,000 points of interest, whatever the size generated.
    density = Attraction.objects.count() / ((EXTENT[2] - EXTENT[0]) * (EXTENT[3] - EXTENT[1]))
    half = min(5.0, (5_000 / max(density, 1e-9)) ** 0.5 / 2)
    lon, lat = centre
    bbox_text = f"{lon - half},{lat - half},{lon + half},{lat + half}"
    bbox = BBoxField().to_internal_value(bbox_text)

    def ours():
        return b"".join(_body(client.get("/api/v1/attractions/", {"bbox": bbox_text})))

    class AttractionGeoSerializer(GeoFeatureModelSerializer):
        class Meta:
            model = Attraction
            geo_field = "location"
            id_field = "slug"
            fields = (
                "name",
                "slug",
                "category",
                "price_idr",
                "opening_hours",
                "location_is_approximate",
            )

    def drfgis():
        qs = selectors.attraction_list(bbox=bbox).select_related("village")
        return JSONRenderer().render(AttractionGeoSerializer(qs, many=True).data)

    floor_sql = """
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
            json_build_object('type', 'Feature', 'id', a.slug,
                'geometry', ST_AsGeoJSON(a.location, 6)::json,
                'properties', json_build_object('name', a.name, 'slug', a.slug,
                    'village', v.slug, 'village_name', v.name, 'category', a.category,
                    'price_idr', a.price_idr, 'opening_hours', a.opening_hours,
                    'location_is_approximate', a.location_is_approximate))), '[]'::json))::text
        FROM tourism_attraction a JOIN villages_village v ON v.id = a.village_id
        WHERE a.published AND ST_Intersects(a.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326))
    """

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [lon - half, lat - half, lon + half, lat + half])
            return cursor.fetchone()[0]

    def unpaged():  # the same features in one pass, in process (no HTTP, no pages)
        from tourism import features
        from villages import geojson as gj

        return gj.collection_text(
            features.attraction_features(selectors.attraction_list(bbox=bbox))
        )

    t_unpaged, _ = timed(unpaged, repeat)
    say(f"in process, one pass: {t_unpaged * 1000:.0f} ms")
    t_ours, body = timed(ours, repeat)
    t_drf, _ = timed(drfgis, repeat)
    t_floor, floor_body = timed(floor, repeat)
    n = len(json.loads(body)["features"])
    assert n == len(json.loads(floor_body)["features"]), "ours and the floor disagree"
    say(
        f"GeoJSON bbox ({n:,} attractions, {len(body) / 1e6:.2f} MB): ours {t_ours * 1000:.0f} ms, "
        f"drf-gis {t_drf * 1000:.0f} ms, json_agg floor {t_floor * 1000:.0f} ms"
    )
    return {
        "geojson_vs_drfgis": round(t_drf / t_ours, 1),
        "geojson_vs_floor": round(t_ours / t_floor, 2),
    }


def bench_scorecard(repeat: int, *, profile: bool = False) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from greenscore.scorecard import cache as scorecard_cache
    from greenscore.scorecard import services as scorecard
    from greenscore.scorecard.periods import Period
    from villages.models import Village

    period = Period.parse("2026")
    amo = get_user_model().objects.create_superuser("bench-amo", password=None)

    def cold():  # a write just happened: the cached overview is gone
        scorecard_cache.bump()
        return scorecard.scorecards_for(user=amo, period=period)

    def cached():
        return scorecard.scorecards_for(user=amo, period=period)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT village_id, kind, count(*), sum(quantity)
                   FROM greenscore_conservationaction
                   WHERE status = 'verified' AND date >= %s AND date < %s
                   GROUP BY village_id, kind""",
                [period.start, period.end],
            )
            return cursor.fetchall()

    village = Village.objects.filter(is_sog_site=True).order_by("pk").first() or (
        Village.objects.filter(conservationaction__isnull=False).order_by("pk").first()
    )

    def one():
        return scorecard.live_scorecard(village=village, period=period)

    if profile:
        import cProfile
        import pstats

        from django.test.utils import CaptureQueriesContext

        scorecard_cache.bump()
        with CaptureQueriesContext(connection) as queries:
            profiler = cProfile.Profile()
            profiler.enable()
            cached()
            profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
            say(f"{q['time']} s  {q['sql'][:160]}")
        say(f"{len(queries.captured_queries)} queries")

    t_floor, _ = timed(floor, repeat)
    t_cold, rows = timed(cold, repeat)
    t_cached, cached_rows = timed(cached, repeat)
    assert cached_rows == rows, "the cached overview differs from the computed one"
    t_one, _ = timed(one, repeat)
    say(
        f"scorecard overview ({len(rows)} villages): cold {t_cold * 1000:.0f} ms, cached "
        f"{t_cached * 1000:.1f} ms; one village {t_one * 1000:.0f} ms; GROUP BY floor "
        f"{t_floor * 1000:.0f} ms"
    )
    return {
        "scorecard_vs_floor": round(t_cold / t_floor, 2),
        "scorecard_cached_vs_floor": round(t_cached / t_floor, 3),
        "scorecard_one_village_s": round(t_one, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: seconds, not minutes")
    parser.add_argument("--villages", type=int, default=84_000)
    parser.add_argument("--pois", type=int, default=1_000_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--max-vertices", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only",
        choices=["tiles", "geojson", "scorecard"],
        action="append",
        help="run only these parts (repeatable); default: all",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of the cold scorecard overview"
    )
    args = parser.parse_args()
    if args.quick:
        args.villages, args.pois, args.logs, args.max_vertices = 2_000, 20_000, 20_000, 400

    import django
    from django.conf import settings

    parts = set(args.only or ("tiles", "geojson", "scorecard"))
    if "geojson" in parts:  # the serializer baseline, from the bench extra
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "rest_framework_gis"]
    django.setup()
    import national
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("bench/run.py needs DATABASE_URL=postgis://...")
    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        sizes = national.Sizes(
            villages=args.villages, pois=args.pois, logs=args.logs, max_vertices=args.max_vertices
        )
        made = national.populate(sizes)
        say(f"generated {made} in {time.perf_counter() - start:.0f} s ({db_name})")
        from villages import generalise

        start = time.perf_counter()
        generalise.rebuild()
        say(f"generalised the villages' low-zoom shapes in {time.perf_counter() - start:.0f} s")
        # A dense spot: the middle of the grid.
        from villages.models import Village

        middle = Village.objects.get(slug=f"bench-{args.villages // 2}")
        centre = (middle.centre.x, middle.centre.y)
        client = Client()
        result = {}
        if "tiles" in parts:
            result.update(bench_tiles(client, args.repeat, centre))
        if "geojson" in parts:
            result.update(bench_geojson(client, args.repeat, centre))
        if "scorecard" in parts:
            result.update(bench_scorecard(args.repeat, profile=args.profile))
        result["sizes"] = {"villages": args.villages, "pois": args.pois, "logs": args.logs}
    finally:
        connection.close()
        connection.creation.destroy_test_db(db_name, verbosity=0)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
