"""Fault drill: restart PostgreSQL while coordinators post logs; count acknowledged against stored.

A fresh PostGIS database with the demo data and five coordinators with tokens, the platform
served by scripts/run (gunicorn). Several client threads post conservation logs
(POST /api/v1/actions/, a new client_uuid each) like the field app: an error or no answer is
retried with the SAME body (same client_uuid) until the server acknowledges it with 201 or 200.
After --before seconds the PostgreSQL cluster is restarted
(pg_ctlcluster --skip-systemctl-redirect 15 main restart); the clients keep posting for
--after seconds. The server is NOT restarted. Then:
  - acknowledged logs (200/201) against rows in the database: lost writes, duplicates;
  - errors while the database was down (by kind), and the recovery time: from the end of the
    restart command to the first acknowledged write, and the longest time without one.

CAUTION: this restarts the machine's PostgreSQL cluster; everything else using it sees the
outage. Run it on purpose, once. Two rehearsals touch only the drill's own database:
--mode block refuses new connections to it and ends its sessions for --block seconds
(ALTER DATABASE ... ALLOW_CONNECTIONS false + pg_terminate_backend); --mode none is a dry run.

    .venv/bin/python bench/fault_drill.py --mode none           # dry run
    .venv/bin/python bench/fault_drill.py --mode block          # outage of the drill database only
    .venv/bin/python bench/fault_drill.py                       # the drill: restart PostgreSQL
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import (  # noqa: E402
    ROOT,
    Server,
    count_writes,
    fresh_database,
    log_body,
    prepare,
    say,
    server_env,
)

RESTART = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0


MODES = {
    "none": "dry run, no outage",
    "block": "the drill database blocked, sessions ended",
    "restart": "PostgreSQL restarted",
}


def block(database_url: str, *, seconds: float) -> None:
    """An outage of one database only: refuse connections, end its sessions, wait, allow."""
    from urllib.parse import urlparse

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    psql = [
        "psql",
        "-q",
        "-h",
        url.hostname or "127.0.0.1",
        "-U",
        url.username or "postgres",
        "-d",
        "postgres",
        "-c",
    ]
    subprocess.run([*psql, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'], check=True)
    subprocess.run(
        [
            *psql,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            f"WHERE datname = '{name}'",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    time.sleep(seconds)
    subprocess.run([*psql, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'], check=True)


class Client(threading.Thread):
    """Posts logs one after another; retries each until acknowledged (or the drill ends)."""

    def __init__(
        self,
        n: int,
        url: str,
        token: str,
        config: dict,
        stop: threading.Event,
        acks,
        lock: threading.Lock,
        events: list,
    ):
        super().__init__(daemon=True)
        self.n, self.url, self.token, self.config, self.stop = n, url, token, config, stop
        self.acks, self.lock, self.events = acks, lock, events
        self.abandoned = 0

    def run(self):
        while not self.stop.is_set():
            body = log_body(self.config)
            data = json.dumps(body).encode()
            attempts = 0
            while True:
                attempts += 1
                sent = time.monotonic()
                kind, status, ident = self.post(data)
                with self.lock:
                    self.events.append((sent, time.monotonic(), kind))
                    if kind == "ack":
                        self.acks.write(
                            json.dumps(
                                {
                                    "client_uuid": body["client_uuid"],
                                    "status": status,
                                    "id": ident,
                                    "attempts": attempts,
                                }
                            )
                            + "\n"
                        )
                        self.acks.flush()
                if kind == "ack":
                    break
                if self.stop.is_set():
                    self.abandoned += 1
                    break
                time.sleep(0.25)  # the field app's back-off, shortened
            time.sleep(random.uniform(0.05, 0.2))

    def post(self, data: bytes):
        request = urllib.request.Request(
            self.url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return "ack", response.status, json.loads(response.read())["id"]
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}", exc.code, None
        except (urllib.error.URLError, OSError) as exc:
            return f"no answer ({type(getattr(exc, 'reason', exc)).__name__})", None, None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="postgis://postgres@127.0.0.1:5432/sog_bench_drill")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--before", type=float, default=20, help="seconds of posting before")
    parser.add_argument("--after", type=float, default=30, help="seconds of posting after")
    parser.add_argument("--port", type=int, default=8732)
    parser.add_argument("--mode", choices=["restart", "block", "none"], default="restart")
    parser.add_argument("--block", type=float, default=5, help="seconds of outage in block mode")
    args = parser.parse_args()
    if not args.url.startswith("postgis"):
        sys.exit("the drill restarts PostgreSQL: --url must be postgis://")

    out = ROOT / "var" / "bench" / "fault-drill"
    out.mkdir(parents=True, exist_ok=True)
    env = server_env(args.url, args.port)
    fresh_database(args.url)
    config = prepare(env)
    acks_path = out / "acks.jsonl"
    acks = acks_path.open("w")
    lock, events, stop = threading.Lock(), [], threading.Event()
    restart = {}
    with Server(env, args.port, out / "server.log") as server:
        master = server.proc.pid
        clients = [
            Client(
                n,
                f"http://127.0.0.1:{args.port}/api/v1/actions/",
                config["tokens"][n % len(config["tokens"])],
                config,
                stop,
                acks,
                lock,
                events,
            )
            for n in range(args.clients)
        ]
        for client in clients:
            client.start()
        time.sleep(args.before)
        restart["start"] = time.monotonic()
        if args.mode == "none":
            say("dry run: no restart")
        elif args.mode == "block":
            say(f"blocking the database {args.url} for {args.block} s")
            block(args.url, seconds=args.block)
        else:
            say("restarting PostgreSQL: " + " ".join(RESTART))
            subprocess.run(RESTART, check=True)
        restart["end"] = time.monotonic()
        ready = pg_ready()
        say(f"outage command took {restart['end'] - restart['start']:.2f} s; pg_isready: {ready}")
        time.sleep(args.after)
        stop.set()
        for client in clients:
            client.join(timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/api/v1/villages/") as r:
            serving = r.status
        same_master = server.proc.poll() is None and server.proc.pid == master
    acks.close()
    for _ in range(60):
        if pg_ready():
            break
        time.sleep(1)
    writes = count_writes(env, acks_path)

    t0, t1 = restart["start"], restart["end"]
    errors = [e for e in events if e[2] != "ack"]
    ack_times = sorted(done for _, done, kind in events if kind == "ack")
    by_kind: dict[str, int] = {}
    for _, _, kind in errors:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    first_ack_after = next((t for t in ack_times if t > t1), None)
    gaps = [b - a for a, b in itertools.pairwise(ack_times)]
    abandoned = sum(c.abandoned for c in clients)
    lines = [
        f"### Fault drill ({MODES[args.mode]}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"- {args.clients} clients posting for {args.before:.0f} s before and {args.after:.0f} s "
        f"after the outage began; the outage command took {t1 - t0:.2f} s",
        f"- acknowledged logs {writes['acknowledged_logs']:,} "
        f"({writes['acknowledged_201']:,} × 201, {writes['acknowledged_200']:,} × 200 for a retry "
        f"whose first answer was lost), stored rows {writes['stored_rows']:,}: "
        f"**lost writes {writes['lost_writes']}**, **duplicates {writes['duplicates']}**, "
        f"stored without an acknowledgement {writes['stored_not_acknowledged']} "
        f"(abandoned unacknowledged at the end: {abandoned})",
        f"- errors answered to clients: {len(errors)} "
        + (
            f"({', '.join(f'{k} × {v}' for k, v in sorted(by_kind.items()))}), "
            f"first at {min(e[1] for e in errors) - t0:+.2f} s, last at "
            f"{max(e[1] for e in errors) - t0:+.2f} s from the outage's start"
            if errors
            else ""
        ),
        "- recovery: first acknowledged write "
        + (
            f"{first_ack_after - t1:.2f} s after the outage command returned"
            if first_ack_after
            else "never"
        )
        + f"; longest time without an acknowledged write {max(gaps, default=0):.2f} s",
        f"- the server was not restarted (same gunicorn master: {same_master}); "
        f"GET /api/v1/villages/ after the drill: {serving}",
    ]
    summary = "\n".join(lines) + "\n"
    (out / "summary.md").write_text(summary)
    print(summary)
    if not pg_ready():
        say("WARNING: PostgreSQL is not ready: pg_ctlcluster 15 main start")


if __name__ == "__main__":
    main()
