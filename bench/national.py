"""National-scale data on PostGIS, generated in the database (SQL generate_series), for bench/run.py.

Villages on a jittered grid over Indonesia's extent, each a star-shaped polygon of 50..2,000
vertices (most near 50, a few near 2,000, like real boundaries); one in 97 is a bow-tie
(self-intersecting: invalid, as some imported boundaries are). Points of interest (published
attractions) around random villages. Verified conservation logs over `log_villages` villages
(the rest have none). Sizes are parameters; the issue's full size is
    populate(villages=84_000, pois=1_000_000, logs=1_000_000)
Every row goes in with INSERT ... SELECT, so a million rows take seconds, not hours.
"""

from __future__ import annotations

from dataclasses import dataclass

# Indonesia, roughly (lon 95..141, lat -11..6).
EXTENT = (95.0, -11.0, 141.0, 6.0)


@dataclass
class Sizes:
    villages: int = 84_000
    pois: int = 1_000_000
    logs: int = 1_000_000
    log_villages: int = 50
    max_vertices: int = 2_000


def populate(sizes: Sizes, *, seed: float = 0.42) -> dict:
    """Fill an empty, migrated database (districts, villages, attractions, verified logs)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from villages import http_cache

    minx, miny, maxx, maxy = EXTENT
    cols = max(1, int((sizes.villages * (maxx - minx) / (maxy - miny)) ** 0.5))
    step_x = (maxx - minx) / cols
    rows = -(-sizes.villages // cols)
    step_y = (maxy - miny) / rows
    radius = 0.45 * min(step_x, step_y)
    author = get_user_model().objects.create_user("bench-author")
    with connection.cursor() as c:
        c.execute("SELECT setseed(%s)", [seed])
        c.execute(
            """INSERT INTO villages_district (code, name)
               SELECT 'B' || lpad(d::text, 6, '0'), 'Bench district ' || d
               FROM generate_series(0, %s) AS d""",
            [sizes.villages // 1000],
        )
        c.execute("SELECT min(id) FROM villages_district")
        first_district = c.fetchone()[0]
        # Centres on the grid, jittered; vertex counts skewed towards 50 (random()^3).
        c.execute(
            f"""
            CREATE TEMP TABLE bench_centres AS
            SELECT n,
                   {minx} + ((n %% {cols}) + 0.5) * {step_x} + (random() - 0.5) * {step_x} * 0.1 AS x,
                   {miny} + ((n / {cols}) + 0.5) * {step_y} + (random() - 0.5) * {step_y} * 0.1 AS y,
                   50 + floor(power(random(), 3) * ({sizes.max_vertices} - 50))::int AS vertices
            FROM generate_series(0, %s - 1) AS n
            """,
            [sizes.villages],
        )
        c.execute(
            f"""
            INSERT INTO villages_village (code, name, slug, kind, district_id, boundary, centre,
                geometry_is_approximate, description_id, description_en, tourism_stage,
                is_sog_site, created_at, updated_at)
            SELECT 'BV' || n, 'Desa ' || n, 'bench-' || n, 'desa', {first_district} + n / 1000,
                   ST_Multi(ST_MakePolygon(ST_AddPoint(ring, ST_StartPoint(ring)))),
                   ST_SetSRID(ST_MakePoint(x, y), 4326), false, '', '', '',
                   n < %s, now(), now()
            FROM (
                SELECT n, x, y, ST_SetSRID(ST_MakeLine(ARRAY(
                    -- One radius per vertex for x and y alike: a star, simple but for the
                    -- bow-ties (two random() calls made most rings cross themselves).
                    SELECT ST_MakePoint(x + r * cos(a), y + r * sin(a))
                    FROM (
                        SELECT k, {radius} * (0.75 + 0.25 * random()) AS r,
                               2 * pi() * k / vertices
                               + CASE WHEN n %% 97 = 0 AND k = 1 THEN pi() ELSE 0 END AS a
                        FROM generate_series(0, vertices - 1) AS k
                    ) AS vertex ORDER BY k
                )), 4326) AS ring
                FROM bench_centres
            ) AS stars
            """,
            [sizes.log_villages],
        )
        c.execute("SELECT min(id), max(id) FROM villages_village WHERE slug LIKE 'bench-%%'")
        low, high = c.fetchone()
        c.execute(
            f"""
            INSERT INTO tourism_attraction (village_id, name, slug, category, location,
                location_is_approximate, description_id, description_en, opening_hours,
                accessibility, phone, email, website, email_enquiries, published, created_at,
                updated_at)
            SELECT v.id, 'Tempat ' || p, 'bench-poi-' || p,
                   (ARRAY['venue','workshop','culinary','sanggar'])[1 + p %% 4],
                   ST_SetSRID(ST_MakePoint(ST_X(v.centre) + (random() - 0.5) * {2 * radius},
                                           ST_Y(v.centre) + (random() - 0.5) * {2 * radius}), 4326),
                   false, '', '', '', '', '', '', '', false, true, now(), now()
            FROM generate_series(0, %s - 1) AS p
            JOIN villages_village v ON v.id = {low} + (p * 7919) %% ({high} - {low} + 1)
            """,
            [sizes.pois],
        )
        c.execute(
            f"""
            INSERT INTO greenscore_conservationaction (client_uuid, village_id, kind, date,
                geometry, quantity, unit, participants_total, participants_women,
                participants_youth, participants_visitors, volunteer_hours, notes, status,
                rejection_reason, author_id, created_at, updated_at)
            SELECT gen_random_uuid(), v.id, 'tree_planting',
                   DATE '2026-01-01' + (l %% 330), ST_SetSRID(ST_MakePoint(
                       ST_X(v.centre) + (random() - 0.5) * {radius},
                       ST_Y(v.centre) + (random() - 0.5) * {radius}), 4326),
                   1 + (l %% 40), 'seedlings', 5, 2, 1, 0, 2, '', 'verified', '', %s, now(), now()
            FROM generate_series(0, %s - 1) AS l
            JOIN villages_village v ON v.id = {low} + l %% %s
            """,
            [author.pk, sizes.logs, max(1, sizes.log_villages)],
        )
        c.execute("ANALYZE")
    http_cache.bump()
    return {
        "villages": sizes.villages,
        "pois": sizes.pois,
        "logs": sizes.logs,
        "radius_deg": radius,
    }
