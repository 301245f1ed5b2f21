"""Fire N identical POSTs with one client_uuid at a running server; print the status counts.

    .venv/bin/python bench/retry_race.py http://127.0.0.1:8000 TOKEN [--parallel 20] [--village amahusu]

TOKEN is a coordinator's API token (POST /api/v1/auth/token/). A healthy server answers one
201 and N-1 200s and stores one action. Not part of the suite: the suite's version is
tests/greenscore/test_actions_retry.py.
"""

import argparse
import datetime
import json
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("--parallel", type=int, default=20)
    parser.add_argument("--village", default="amahusu")
    parser.add_argument("--lon", type=float, default=128.139)
    parser.add_argument("--lat", type=float, default=-3.7258)
    args = parser.parse_args()
    body = json.dumps(
        {
            "client_uuid": str(uuid.uuid4()),
            "village": args.village,
            "kind": "cleanup",
            "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "geometry": {"type": "Point", "coordinates": [args.lon, args.lat]},
            "quantity": "12.5",
            "unit": "kg",
            "participants_total": 9,
        }
    ).encode()
    barrier = threading.Barrier(args.parallel)

    def post(_):
        request = urllib.request.Request(
            f"{args.base}/api/v1/actions/",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {args.token}"},
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, ""
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")[:200]

    with ThreadPoolExecutor(args.parallel) as pool:
        results = list(pool.map(post, range(args.parallel)))
    print(dict(sorted(Counter(status for status, _ in results).items())))
    for status, text in results:
        if status >= 400 and status != 409:
            print(status, text.replace("\n", " ")[:200])
            break


if __name__ == "__main__":
    main()
