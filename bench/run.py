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
  time over ours (goal >= 10); geojson_vs_floor: ours over one json_agg query returning the same
  features, every property (goal <= 1.5; checked equal to ours); geojson_vs_floor_columns_only:
  over a json_agg of the model's columns only (fewer properties than ours);
- memory (--only memory; last, it adds attractions up to --memory-pois): the growth of a
  worker's peak RSS serving the whole attractions layer page by page, streamed, against
  building it as one string (bench/geojson_memory.py, one process per way);
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


def timed_together(functions: dict, repeat: int) -> dict:
    """Median wall time of each function, run in turns (a, b, c, a, b, c, ...) after one warm-up
    each, so a change in the machine's load falls on all of them alike. Returns name -> (s, result)."""
    results = {name: function() for name, function in functions.items()}
    times = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            results[name] = function()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), results[name]) for name in functions}


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


def bench_geojson(client, repeat: int, centre, *, profile: bool = False) -> dict:
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

    def empty():  # the same request where there is nothing: the fixed cost of a request
        return b"".join(
            _body(client.get("/api/v1/attractions/", {"bbox": "95,-11,95.001,-10.999"}))
        )

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

    # The same floor writing every property the API sends (the first photo's thumbnail, the
    # layer, the translated category label, the instruments, the rupiah label, the page's URL),
    # so that it returns the same features, in the same order: the goal's floor.
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    from tourism.formatting import idr

    with translation.override(settings.LANGUAGE_CODE):  # what a request without a language gets
        labels = {key: str(label) for key, label in Attraction.Category.choices}
        free = str(idr(0))
    label_cases = " ".join("WHEN %s THEN %s" for _ in labels)
    full_floor_sql = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
            json_build_object('type', 'Feature', 'id', a.slug,
                'geometry', ST_AsGeoJSON(a.location, 6)::json,
                'properties', json_build_object('name', a.name, 'slug', a.slug,
                    'village', v.slug, 'village_name', v.name, 'category', a.category,
                    'price_idr', a.price_idr, 'opening_hours', a.opening_hours,
                    'location_is_approximate', a.location_is_approximate,
                    'thumbnail', (SELECT %s || p.thumbnail FROM tourism_photo p
                        WHERE p.content_type_id = %s AND p.object_id = a.id
                        ORDER BY p."order", p.id LIMIT 1),
                    'layer', 'attractions',
                    'category_label', CASE a.category {label_cases} ELSE a.category END,
                    'instruments', coalesce((SELECT json_agg(i.slug ORDER BY i.slug)
                        FROM tourism_attraction_instruments l
                        JOIN tourism_instrument i ON i.id = l.instrument_id
                        WHERE l.attraction_id = a.id), '[]'::json),
                    'price_label', CASE WHEN a.price_idr IS NULL THEN ''
                        WHEN a.price_idr = 0 THEN %s
                        ELSE 'Rp ' || replace(to_char(a.price_idr, 'FM9,999,999,999,999'),
                                              ',', '.') END,
                    'url', '/attractions/' || a.slug || '/'))
            ORDER BY a.name, a.id), '[]'::json))::text
        FROM tourism_attraction a JOIN villages_village v ON v.id = a.village_id
        WHERE a.published AND ST_Intersects(a.location, ST_MakeEnvelope(%s, %s, %s, %s, 4326))
    """
    full_floor_params = [
        settings.MEDIA_URL,
        ContentType.objects.get_for_model(Attraction).pk,
        *[part for pair in labels.items() for part in pair],
        free,
        lon - half,
        lat - half,
        lon + half,
        lat + half,
    ]

    def full_floor():
        with connection.cursor() as cursor:
            cursor.execute(full_floor_sql, full_floor_params)
            return cursor.fetchone()[0]

    def unpaged():  # the same features in one pass, in process (no HTTP, no pages)
        from tourism import features
        from villages import geojson as gj

        return gj.collection_text(
            features.attraction_features(selectors.attraction_list(bbox=bbox))
        )

    if profile:
        import cProfile
        import io
        import pstats

        ours()
        profiler = cProfile.Profile()
        profiler.runcall(ours)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        say(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        say(out.getvalue())

    from tourism import features as tourism_features
    from villages import geojson as gj

    stable = gj._stable(selectors.attraction_list(bbox=bbox))
    page_sql, page_params = (
        tourism_features.attraction_rows(stable)
        .queryset[: gj.PAGE_SIZE + 1]
        .query.sql_with_params()
    )

    def our_sql():  # the page's Feature query itself, on an open cursor (no Django around it)
        with connection.cursor() as cursor:
            cursor.execute(page_sql, page_params)
            return cursor.fetchall()

    measured = timed_together(
        {
            "ours": ours,
            "empty": empty,
            "our_sql": our_sql,
            "unpaged": unpaged,
            "drfgis": drfgis,
            "floor": floor,
            "full_floor": full_floor,
        },
        repeat,
    )
    t_full, full_body = measured["full_floor"]
    say(f"our page query alone, on a cursor: {measured['our_sql'][0] * 1000:.0f} ms")
    say(f"the same request with an empty bbox (fixed cost): {measured['empty'][0] * 1000:.0f} ms")
    (t_ours, body), (t_unpaged, _) = measured["ours"], measured["unpaged"]
    (t_drf, _), (t_floor, floor_body) = measured["drfgis"], measured["floor"]
    say(f"in process, one pass (no HTTP, no pages): {t_unpaged * 1000:.0f} ms")
    n = len(json.loads(body)["features"])
    assert n == len(json.loads(floor_body)["features"]), "ours and the floor disagree"
    assert json.loads(body)["features"] == json.loads(full_body)["features"], (
        "ours and the full floor disagree"
    )
    say(
        f"GeoJSON bbox ({n:,} attractions, {len(body) / 1e6:.2f} MB): ours {t_ours * 1000:.0f} ms, "
        f"drf-gis {t_drf * 1000:.0f} ms, json_agg floor with every property "
        f"{t_full * 1000:.0f} ms, with the model's columns only {t_floor * 1000:.0f} ms"
    )
    return {
        "geojson_vs_drfgis": round(t_drf / t_ours, 1),
        "geojson_vs_floor": round(t_ours / t_full, 2),
        "geojson_vs_floor_columns_only": round(t_ours / t_floor, 2),
    }


def bench_memory(pois: int) -> dict:
    """Peak memory of a worker serving the whole attractions layer (bench/geojson_memory.py), in
    a fresh process per way; first tops the attractions up to `pois` (copies, moved a little)."""
    import subprocess
    from urllib.parse import urlsplit

    from django.db import connection

    from tourism.models import Attraction

    need = pois - Attraction.objects.count()
    if need > 0:
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO tourism_attraction (village_id, name, slug, category, location,
                    location_is_approximate, description_id, description_en, opening_hours,
                    accessibility, phone, email, website, email_enquiries, published,
                    created_at, updated_at)
                SELECT village_id, name, slug || '-m' || g, category,
                       ST_Translate(location, 0.0001 * g, 0), location_is_approximate,
                       description_id, description_en, opening_hours, accessibility, phone,
                       email, website, email_enquiries, published, now(), now()
                FROM tourism_attraction CROSS JOIN generate_series(1, %s) AS g
                ORDER BY g, id LIMIT %s
                """,
                [need // max(1, Attraction.objects.count()) + 1, need],
            )
            c.execute("ANALYZE tourism_attraction")
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    env = {**os.environ, "DATABASE_URL": url.geturl()}
    results = {}
    for mode in ("streamed", "one-string"):
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "geojson_memory.py"), mode],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        say(f"worker memory, {mode}: {results[mode]}")
    streamed, whole = results["streamed"], results["one-string"]
    assert streamed["features"] == whole["features"], "the two ways served different layers"
    return {
        "geojson_worker_growth_mib_streamed": streamed["growth_mib"],
        "geojson_worker_growth_mib_one_string": whole["growth_mib"],
        "geojson_worker_features": whole["features"],
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
        "--memory-pois",
        type=int,
        default=100_000,
        help="attractions in the layer whose serving worker's peak memory is measured",
    )
    parser.add_argument(
        "--only",
        action="append",
        help="run only these parts: tiles, geojson, scorecard, memory (repeatable, or "
        "comma-separated); default: all",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print a cProfile of one GeoJSON request and of the cold scorecard overview",
    )
    args = parser.parse_args()
    parts = {part.strip() for only in args.only or [] for part in only.split(",") if part.strip()}
    parts = parts or {"tiles", "geojson", "scorecard", "memory"}
    if unknown := parts - {"tiles", "geojson", "scorecard", "memory"}:
        parser.error(f"unknown part(s) for --only: {', '.join(sorted(unknown))}")
    if args.quick:
        args.villages, args.pois, args.logs, args.max_vertices = 2_000, 20_000, 20_000, 400

    import django
    from django.conf import settings

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
            result.update(bench_geojson(client, args.repeat, centre, profile=args.profile))
        if "scorecard" in parts:
            result.update(bench_scorecard(args.repeat, profile=args.profile))
        if "memory" in parts:  # last: it adds attractions
            result.update(bench_memory(args.memory_pois))
        result["sizes"] = {"villages": args.villages, "pois": args.pois, "logs": args.logs}
    finally:
        connection.close()
        connection.creation.destroy_test_db(db_name, verbosity=0)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
