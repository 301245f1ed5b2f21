"""Load profile: 50 locust users on the public map and APIs plus coordinators posting logs.

For one database: a fresh database with the demo data (migrate + load_demo), five coordinators
with tokens (grant_role), the platform served by scripts/run (gunicorn, WEB_CONCURRENCY=2 sync
workers, throttles set out of the way), then a headless locust run of bench/locustfile.py, then
the count of acknowledged writes against stored rows. Prints a Markdown summary and writes it
with locust's CSV files under var/bench/load-<database>/ (ignored by git).

    .venv/bin/pip install -e '.[test,bench]'
    .venv/bin/python bench/run_load.py --database spatialite             # 50 users, 10 minutes
    .venv/bin/python bench/run_load.py --database postgis \\
        --url postgis://postgres@127.0.0.1:5432/sog_bench_load
    .venv/bin/python bench/run_load.py --database postgis --time 1m      # a quick check
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import (  # noqa: E402
    ROOT,
    LoadSampler,
    Server,
    count_writes,
    fresh_database,
    have,
    prepare,
    say,
    server_env,
)

DEFAULT_URLS = {
    "postgis": "postgis://postgres@127.0.0.1:5432/sog_bench_load",
    "spatialite": f"spatialite:///{ROOT / 'var' / 'bench' / 'load.sqlite3'}",
}
GROUPS = [
    "map page",
    "GeoJSON layers (6)",
    "village page",
    "scorecard API",
    "POST action",
    "POST action (same client_uuid, retry)",
    "POST action (same client_uuid, racing)",
    "Aggregated",
]


def locust_table(stats_csv: Path) -> list[str]:
    rows = {row["Name"]: row for row in csv.DictReader(stats_csv.open())}
    lines = [
        "| endpoint group | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in GROUPS:
        row = rows.get(name)
        if not row:
            continue
        label = "**all**" if name == "Aggregated" else name
        lines.append(
            f"| {label} | {int(row['Request Count']):,} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | "
            f"{row['99%']} | {float(row['Max Response Time']):.0f} | "
            f"{row['Failure Count']} |"
        )
    return lines


def failures(failures_csv: Path) -> list[str]:
    if not failures_csv.exists():
        return []
    return [
        f"- {row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:160]}"
        for row in csv.DictReader(failures_csv.open())
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=sorted(DEFAULT_URLS), required=True)
    parser.add_argument("--url", help="DATABASE_URL (default: a bench database of its own)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--time", default="10m", help="locust run time, e.g. 10m, 90s")
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    have("locust")

    database_url = args.url or DEFAULT_URLS[args.database]
    out = ROOT / "var" / "bench" / f"load-{args.database}"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    env = server_env(database_url, args.port)
    say(f"fresh database {database_url}")
    fresh_database(database_url)
    config = prepare(env)
    acks = out / "acks.jsonl"
    acks.touch()
    config["acks"] = str(acks)
    (out / "config.json").write_text(json.dumps(config))

    sampler = LoadSampler()
    with Server(env, args.port, out / "server.log") as server:
        sampler.start()
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        say(f"locust: {args.users} users, spawn rate {args.spawn_rate}/s, {args.time}")
        t0 = time.monotonic()
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                args.time,
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(out / "locust"),
                "--only-summary",
                "--stop-timeout",
                "30",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_CONFIG": str(out / "config.json")},
            stdout=(out / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        elapsed = time.monotonic() - t0
        sampler.stop.set()
    statuses = server.status_counts()
    writes = count_writes(env, acks)

    lines = [
        f"### {args.database}: {args.users} users, {args.time} "
        f"(started {started}, locust ran {elapsed / 60:.1f} min)",
        "",
        *locust_table(out / "locust_stats.csv"),
        "",
        "- server answered (its request log): "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())),
        f"- writes: {writes['acknowledged_logs']:,} logs acknowledged "
        f"({writes['acknowledged_201']:,} × 201, {writes['acknowledged_200']:,} × 200 for a "
        f"repeated client_uuid), {writes['stored_rows']:,} rows stored, "
        f"**lost writes {writes['lost_writes']}**, **duplicates {writes['duplicates']}**, "
        f"stored without an acknowledgement {writes['stored_not_acknowledged']}, "
        f"a client_uuid answered with two ids {writes['uuids_answered_with_two_ids']}",
        f"- machine load during the run: {sampler.summary()}",
    ]
    errors = failures(out / "locust_failures.csv")
    if errors:
        lines += ["- errors:", *errors]
    summary = "\n".join(lines) + "\n"
    (out / "summary.md").write_text(summary)
    (out / "writes.json").write_text(json.dumps(writes, indent=2))
    print(summary)


if __name__ == "__main__":
    main()
