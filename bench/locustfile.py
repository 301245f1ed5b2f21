"""Locust load profile: the public map and APIs, plus coordinators posting logs.

Driven by bench/run_load.py, which sets up the database and writes the JSON file named by
BENCH_CONFIG: {"tokens": [...], "villages": [{"slug", "lon", "lat"}...], "acks": path}.

Users (weights 9 : 1, so 45 visitors and 5 coordinators out of 50):
  Visitor      opens the map (GET / and its six GeoJSON layers), a village page, the
               scorecard API (list and one village), with 1-3 s between tasks.
  Coordinator  files conservation logs with POST /api/v1/actions/ (Authorization: Token,
               a fresh client_uuid each), like a phone coming back online:
               - 25% of logs are sent twice AT ONCE (a double tap: the two requests race),
               - 25% are sent again after the answer (a retry after a lost answer),
               every answer of 200/201 is appended to the "acks" file (one JSON line each:
               client_uuid, status, id) so run_load.py can compare acknowledged with stored.
Request names are endpoint groups; locust's CSV gives p50/p95/p99 per group.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading

import gevent
from locust import HttpUser, between, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve import log_body  # noqa: E402

CONFIG = json.loads(open(os.environ["BENCH_CONFIG"], encoding="utf-8").read())
LAYERS = ["villages", "attractions", "homestays", "events", "trails", "action-sites"]
_ACKS = open(CONFIG["acks"], "a", encoding="utf-8", buffering=1)  # line-buffered
_ACKS_LOCK = threading.Lock()
_TOKENS = list(CONFIG["tokens"])


def record(client_uuid: str, response) -> None:
    """Append one acknowledged write (200/201) to the acks file."""
    try:
        ident = response.json().get("id")
    except ValueError:
        ident = None
    with _ACKS_LOCK:
        _ACKS.write(
            json.dumps({"client_uuid": client_uuid, "status": response.status_code, "id": ident})
            + "\n"
        )


class Visitor(HttpUser):
    weight = 9
    wait_time = between(1, 3)

    @task(4)
    def map_visit(self):
        self.client.get("/", name="map page")
        for layer in LAYERS:
            self.client.get(
                f"/api/v1/{layer}/",
                name="GeoJSON layers (6)",
                headers={"Accept": "application/geo+json"},
            )

    @task(2)
    def village_page(self):
        village = random.choice(CONFIG["villages"])
        self.client.get(f"/villages/{village['slug']}/", name="village page")

    @task(2)
    def scorecards(self):
        self.client.get("/api/v1/scorecards/", name="scorecard API")
        village = random.choice(CONFIG["villages"])
        self.client.get(f"/api/v1/scorecards/{village['slug']}/", name="scorecard API")


class Coordinator(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.token = _TOKENS[random.randrange(len(_TOKENS))]

    def body(self) -> dict:
        # The fault drill's log, with the participants broken down and volunteer hours.
        return {
            **log_body(CONFIG),
            "participants_women": 3,
            "participants_youth": 4,
            "participants_visitors": 0,
            "volunteer_hours": "16",
        }

    def post(self, body: dict, name: str):
        with self.client.post(
            "/api/v1/actions/",
            json=body,
            name=name,
            catch_response=True,
            headers={"Authorization": f"Token {self.token}"},
        ) as response:
            if response.status_code in (200, 201):
                record(body["client_uuid"], response)
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
        return response

    @task
    def file_log(self):
        body = self.body()
        roll = random.random()
        if roll < 0.25:  # double tap: two identical requests in flight together
            first = gevent.spawn(self.post, body, "POST action")
            second = gevent.spawn(self.post, body, "POST action (same client_uuid, racing)")
            gevent.joinall([first, second])
        else:
            self.post(body, "POST action")
            if roll < 0.5:  # the phone lost the answer and sends the log again
                self.post(body, "POST action (same client_uuid, retry)")
