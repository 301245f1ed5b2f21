"""Shared by bench/run_load.py and bench/fault_drill.py: a fresh database with the demo data and
coordinator tokens, the platform served by scripts/run (gunicorn), and the count of acknowledged
writes against stored rows. Not part of the test suite.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
COORDINATORS = 5
# High enough that the bench measures capacity, not the API throttles.
THROTTLE_OFF = {"SOG_THROTTLE_ANON": "1000000/min", "SOG_THROTTLE_WRITES": "1000000/min"}
NOTE = "bench load profile"


def log_body(config: dict) -> dict:
    """A new bamboo planting near one of the bench's villages, with a fresh client_uuid; every
    bench log carries NOTE, which is how count_writes finds them."""
    village = random.choice(config["villages"])
    count = random.randint(5, 60)
    return {
        "client_uuid": str(uuid.uuid4()),
        "village": village["slug"],
        "kind": "bamboo_planting",
        "date": (
            datetime.date.today() - datetime.timedelta(days=random.randint(1, 60))
        ).isoformat(),
        "geometry": {
            "type": "Point",
            "coordinates": [
                round(village["lon"] + random.uniform(-0.004, 0.004), 6),
                round(village["lat"] + random.uniform(-0.004, 0.004), 6),
            ],
        },
        "species": [{"species": "Schizostachyum brachycladum", "count": count}],
        "quantity": str(count),
        "unit": "seedlings",
        "participants_total": 8,
        "notes": NOTE,
    }


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_env(database_url: str, port: int) -> dict:
    env = dict(os.environ)
    env.update(THROTTLE_OFF)
    env.update(
        {
            "DATABASE_URL": database_url,
            "PORT": str(port),
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        }
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def fresh_database(database_url: str) -> None:
    """Drop and recreate the PostgreSQL database, or delete the SQLite file (and WAL)."""
    url = urlparse(database_url)
    if url.scheme.startswith("postgis"):
        name = url.path.lstrip("/")
        conn = [
            "-h",
            url.hostname or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
        ]
        subprocess.run(["dropdb", *conn, "--if-exists", "--force", name], check=True)
        subprocess.run(["createdb", *conn, name], check=True)
    else:
        path = Path(url.path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


SETUP_SHELL = """
import json
from rest_framework.authtoken.models import Token
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period
from villages.models import Village
amo = get_user_model().objects.get(username="bench-amo")
for village in Village.objects.filter(slug__in=SLUGS):  # the public reads published scorecards
    with transaction.atomic():
        scorecard.publish(village=village, period=Period("year", timezone.localdate().year),
                          user=amo)
tokens = [Token.objects.get_or_create(user=u)[0].key
          for u in get_user_model().objects.filter(username__startswith="bench-coord-")]
villages = [{"slug": v.slug, "lon": v.centre.x, "lat": v.centre.y}
            for v in Village.objects.filter(slug__in=SLUGS, centre__isnull=False)]
print(json.dumps({"tokens": tokens, "villages": villages}))
"""


def prepare(env: dict, *, villages: tuple[str, ...] = ("amahusu", "dusun-tuni")) -> dict:
    """migrate + load_demo, coordinators of `villages` with tokens, their current year's
    scorecards published (as AMO would); returns the tokens and the villages' centres."""
    say("migrate")
    manage(env, "migrate", "--noinput", "-v", "0")
    say("load_demo")
    manage(env, "load_demo")
    password = secrets.token_urlsafe(16)
    args = [arg for slug in villages for arg in ("--village", slug)]
    for n in range(1, COORDINATORS + 1):
        manage(
            env,
            "grant_role",
            f"bench-coord-{n}",
            "coordinator",
            *args,
            "--password",
            password,
            "--no-input",
        )
    manage(env, "grant_role", "bench-amo", "reviewer", "--password", password, "--no-input")
    out = manage(env, "shell", "-c", SETUP_SHELL.replace("SLUGS", repr(list(villages))))
    config = json.loads(out.strip().splitlines()[-1])
    assert len(config["tokens"]) == COORDINATORS and config["villages"], config
    return config


class Server:
    """scripts/run (migrate, load_demo, then gunicorn) in its own process group."""

    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.proc = None

    def __enter__(self):
        say(f"scripts/run on port {self.port} (log: {self.log})")
        self._log = open(self.log, "w")
        self.proc = subprocess.Popen(
            [str(ROOT / "scripts" / "run")],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"scripts/run exited with {self.proc.returncode}; see {self.log}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5) as r:
                    if r.status == 200:
                        say("server is up")
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise RuntimeError("server did not answer within 300 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # the gunicorn master (scripts/run execs it): graceful stop
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self._log.close()

    def status_counts(self) -> dict[str, int]:
        """HTTP status classes the server answered, from its one line per request
        (backend/observability.py: "sog.requests GET /path 200 12.3ms"; older versions:
        gunicorn's access log)."""
        return status_counts(self.log)


def status_counts(log: Path) -> dict[str, int]:
    import re

    counts: dict[str, int] = {}
    pattern = re.compile(r'sog\.requests \S+ \S+ (\d)\d\d |" (\d)\d\d ')
    for line in log.read_text(errors="replace").splitlines():
        match = pattern.search(line)
        if match:
            key = f"{match.group(1) or match.group(2)}xx"
            counts[key] = counts.get(key, 0) + 1
    return counts


class LoadSampler(threading.Thread):
    """Samples the 1-minute load average every 10 s (the machine is shared)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(10):
            self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))

    def summary(self) -> str:
        if not self.samples:
            return "n/a"
        s = sorted(self.samples)
        return (
            f"mean {sum(s) / len(s):.1f}, max {s[-1]:.1f} "
            f"(1-min load average, {os.cpu_count()} cores)"
        )


COUNT_SHELL = """
import json
from django.db.models import Count
from greenscore.models import ConservationAction
rows = ConservationAction.objects.filter(notes=NOTE)
print(json.dumps({
    "uuids": [str(u) for u in rows.values_list("client_uuid", flat=True)],
    "duplicates": rows.values("client_uuid").annotate(n=Count("id")).filter(n__gt=1).count(),
}))
"""


def count_writes(env: dict, acks_path: Path) -> dict:
    """Acknowledged (200/201) client_uuids against the rows in the database."""
    acks = [json.loads(line) for line in acks_path.read_text().splitlines() if line.strip()]
    acked = {a["client_uuid"] for a in acks}
    ids: dict[str, set] = {}
    for a in acks:
        ids.setdefault(a["client_uuid"], set()).add(a["id"])
    out = manage(env, "shell", "-c", COUNT_SHELL.replace("NOTE", repr(NOTE)))
    stored = json.loads(out.strip().splitlines()[-1])
    stored_uuids = set(stored["uuids"])
    return {
        "acknowledged_responses": len(acks),
        "acknowledged_201": sum(a["status"] == 201 for a in acks),
        "acknowledged_200": sum(a["status"] == 200 for a in acks),
        "acknowledged_logs": len(acked),
        "stored_rows": len(stored["uuids"]),
        "lost_writes": len(acked - stored_uuids),
        "duplicates": stored["duplicates"],  # client_uuids with more than one row
        "stored_not_acknowledged": len(stored_uuids - acked),
        "uuids_answered_with_two_ids": sum(len(v) > 1 for v in ids.values()),
    }


def have(program: str) -> None:
    if not shutil.which(program) and not (ROOT / ".venv" / "bin" / program).exists():
        sys.exit(f"{program} is missing: .venv/bin/pip install -e '.[test,bench]'")
