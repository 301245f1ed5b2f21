"""Peak memory of a worker serving the whole attractions GeoJSON layer (issue 12), one way per
process, because ru_maxrss is a high-water mark. Run by `bench/run.py --only memory`, which
fills the database; by hand:

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/<a filled database> \\
        .venv/bin/python bench/geojson_memory.py streamed      # or: one-string

- streamed: GET /api/v1/attractions/ through Django's test client (the whole WSGI handler,
  middleware included), following `next` to the end, reading each streamed body chunk by chunk
  and keeping none of it (as a worker does when it writes chunks to the socket);
- one-string: the layer built as one string in the worker, as before paging and streaming
  (tourism.features.attraction_features over every row, joined, encoded to the body's bytes).

Prints one JSON object: the RSS after warm-up, the growth of the peak RSS while serving (VmHWM,
reset after the warm-up, minus that RSS; MiB), ru_maxrss before and after (a high-water mark
since the start, which django.setup()'s imports can set higher than serving needs), features,
bytes, pages and seconds.
"""

from __future__ import annotations

import gc
import json
import os
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings_test")

NEXT = re.compile(rb'"next":"([^"]+)"')


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def status_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak since the last reset) from /proc/self/status, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def reset_peak() -> bool:
    """Start VmHWM again from the current RSS (Linux: "5" to /proc/self/clear_refs), so the
    peak measured is the serving's, not django.setup()'s imports."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def streamed(client) -> dict:
    url, size, pages, features = "/api/v1/attractions/", 0, 0, 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        tail = b""
        for chunk in response.streaming_content if response.streaming else [response.content]:
            size += len(chunk)
            features += chunk.count(b'{"type":"Feature"')
            tail = (tail + chunk)[-4096:]  # the page's end carries `next`
        pages += 1
        found = NEXT.search(tail)
        url = json.loads(b'"' + found.group(1) + b'"') if found else None
    return {"bytes": size, "pages": pages, "features": features}


def one_string() -> dict:
    from tourism import features, selectors
    from villages import geojson

    texts = features.attraction_features(selectors.attraction_list())
    body = geojson.collection_text(texts).encode()
    return {"bytes": len(body), "pages": 1, "features": len(texts)}


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "streamed"
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    # Warm-up: imports, URLconf, translations, the connection, one small page.
    assert client.get("/api/v1/attractions/", {"limit": 1}).status_code == 200
    gc.collect()
    before, reset = peak_mib(), reset_peak()
    rss_before = status_mib("VmRSS")
    start = time.perf_counter()
    result = streamed(client) if mode == "streamed" else one_string()
    seconds = time.perf_counter() - start
    after = peak_mib()
    result.update(
        mode=mode,
        rss_before_mib=round(rss_before, 1),
        # The peak while serving over the RSS before it (VmHWM reset after the warm-up).
        growth_mib=round(status_mib("VmHWM") - rss_before, 1) if reset else None,
        ru_maxrss_before_mib=round(before, 1),
        ru_maxrss_after_mib=round(after, 1),
        seconds=round(seconds, 2),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
