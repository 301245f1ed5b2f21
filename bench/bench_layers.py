"""Benchmark: the attractions layer built in the database vs a serializer per model instance.

Creates N attractions (bulk_create) in a throw-away test database, then times
  ours      GET /api/v1/attractions/ (values_list + AsGeoJSON text, see tourism.features)
  baseline  djangorestframework-gis GeoFeatureModelSerializer over model instances
            (select_related + prefetch_related, so no N+1 queries: the fair version)
and prints a Markdown table with the ratio. Not part of the test suite.

    .venv/bin/python bench/bench_layers.py                      # SpatiaLite (in memory)
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/sog_bench .venv/bin/python bench/bench_layers.py
    .venv/bin/python bench/bench_layers.py --count 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings_test")
os.environ.setdefault("DATABASE_URL", "spatialite:///" + str(ROOT / "var" / "bench.sqlite3"))


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time in seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def populate(count: int) -> None:
    from django.contrib.gis.geos import Point

    from tourism.models import Attraction, Instrument
    from villages.models import District, Village

    rng = random.Random(42)
    district = District.objects.create(code="81.71.99", name="Bench")
    village = Village.objects.create(
        name="Bench",
        slug="bench",
        kind="desa",
        district=district,
        centre=Point(128.19, -3.69, srid=4326),
    )
    instruments = [
        Instrument.objects.create(slug=s, name_id=s, name_en=s)
        for s in ("suling", "tifa", "tahuri")
    ]
    categories = [c for c, _ in Attraction.Category.choices]
    batch = []
    for n in range(count):
        batch.append(
            Attraction(
                village=village,
                name=f"Attraction {n}",
                slug=f"attraction-{n}",
                category=rng.choice(categories),
                location=Point(128.0 + rng.random() * 0.4, -3.85 + rng.random() * 0.3, srid=4326),
                description_id="Deskripsi singkat",
                description_en="A short description",
                price_idr=rng.choice([None, 0, 25_000, 75_000]),
            )
        )
    Attraction.objects.bulk_create(batch, batch_size=5000)
    through = Attraction.instruments.through
    ids = list(Attraction.objects.values_list("pk", flat=True))
    links = [
        through(attraction_id=pk, instrument_id=rng.choice(instruments).pk)
        for pk in ids
        if rng.random() < 0.3
    ]
    through.objects.bulk_create(links, batch_size=5000)


def baseline_serializer():
    from rest_framework import serializers
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    from tourism.models import Attraction

    class AttractionGeoSerializer(GeoFeatureModelSerializer):
        village = serializers.CharField(source="village.slug")
        instruments = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

        class Meta:
            model = Attraction
            geo_field = "location"
            id_field = "slug"
            fields = [
                "name",
                "slug",
                "village",
                "category",
                "instruments",
                "price_idr",
                "opening_hours",
                "location_is_approximate",
            ]

    return AttractionGeoSerializer


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django
    from django.conf import settings

    # djangorestframework-gis (the `bench` extra) is installed for the baseline only: its app
    # maps geometry model fields for DRF's ModelSerializer.
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "rest_framework_gis"]
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from rest_framework.renderers import JSONRenderer

    from tourism import features, selectors
    from tourism.models import Attraction
    from villages import geojson

    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        populate(args.count)
        print(
            f"created {Attraction.objects.count()} attractions in {time.perf_counter() - start:.1f} s "
            f"({connection.vendor}, {db_name})",
            file=sys.stderr,
        )
        client = Client()

        def ours_http():
            # Page after page (at most 10,000 features each, streamed), following `next`.
            url, parts = "/api/v1/attractions/?limit=10000", []
            while url:
                response = client.get(url)
                assert response.status_code == 200
                page = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                parts.append(page)
                url = json.loads(page).get("next")
            return parts

        def ours_inprocess():
            return geojson.collection_text(
                features.attraction_features(selectors.attraction_list())
            ).encode()

        serializer_class = baseline_serializer()

        def baseline():
            qs = (
                Attraction.objects.published()
                .select_related("village")
                .prefetch_related("instruments")
            )
            return JSONRenderer().render(serializer_class(qs, many=True).data)

        def ours_near():
            response = client.get(
                "/api/v1/attractions/", {"near": "128.19,-3.70", "radius_m": "5000"}
            )
            assert response.status_code == 200
            return b"".join(response.streaming_content) if response.streaming else response.content

        ours_http()  # warm caches (content types, URL resolver)
        t_http, pages = timed(ours_http, args.repeat)
        t_ours, _ = timed(ours_inprocess, args.repeat)
        t_base, base_body = timed(baseline, args.repeat)
        t_near, near_body = timed(ours_near, args.repeat)
        n_near = len(json.loads(near_body)["features"])
        n_ours = sum(len(json.loads(page)["features"]) for page in pages)
        assert n_ours == len(json.loads(base_body)["features"]) == args.count
        body = b"".join(pages)
        print(
            f"| {connection.vendor} | {args.count:,} | {t_http:.2f} s | {t_ours:.2f} s | {t_base:.2f} s | "
            f"{t_base / t_ours:.1f}× | {len(body) / 1e6:.1f} MB | {t_near * 1000:.0f} ms ({n_near:,} within 5 km) |"
        )
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


if __name__ == "__main__":
    main()
