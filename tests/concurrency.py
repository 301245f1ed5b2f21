"""Fire many requests at a live server at the same instant (a phone retrying on a bad line)."""

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

PARALLEL = 20


def race(url: str, token: str, bodies: list[dict]) -> list[tuple[int, dict | str]]:
    """POST every body to `url` at once, one thread each. Returns (status, JSON or text) per body.

    A barrier releases all requests together so they really overlap in the server.
    """
    barrier = threading.Barrier(len(bodies))

    def post(body):
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=90) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            text = exc.read().decode(errors="replace")
            try:
                return exc.code, json.loads(text)
            except ValueError:
                return exc.code, text[:300]

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def statuses(results) -> Counter:
    return Counter(status for status, _ in results)
