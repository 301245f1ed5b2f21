"""The public map in headless Chromium at national scale (issue 12): bytes over the wire and
seconds to the first drawn feature, for the first view and for one pan. Not part of the suite.

    DATABASE_URL=postgis://postgres@127.0.0.1:5432/sog_bench_map \
        .venv/bin/python bench/browser_national.py --villages 10000 --pois 200000

1. A fresh PostGIS database (dropped and created: give it a database of its own), migrated,
   with the demo, then filled by bench/national.py (villages as many-vertex polygons on a grid
   over Indonesia, published points of interest around them), and the villages' low-zoom
   shapes generalised (`manage.py generalise_villages`, as after an import).
2. The platform as production serves it: scripts/run (gunicorn, whitenoise, compression).
3. Debian's Chromium (a fresh context each view: empty cache), phone-sized, outside requests
   (the OpenStreetMap tiles) refused. Bytes are what the Chrome DevTools protocol reports as
   received on the wire (`encodedDataLength`: compressed bodies and headers). "First feature"
   is the first village shape or marker added to the map's SVG panes (a MutationObserver
   installed before any page script), counted from the start of navigation; "settled" is
   when no layer is loading and the network has been idle for 0.5 s.

Views: the map as a visitor opens it (`/`, Ambon), the national view (`/?lat=-2.5&lon=118&z=5`)
and, in each, one pan of 300 px (a mouse drag). The last line on stdout is one JSON object.
Goals (issue 12): under 1 MB compressed and under 2 s on localhost.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FIRST_DRAWN = """
window.__firstDrawn = null;
window.__markDrawn = () => { window.__firstDrawn = null; };
new MutationObserver((records) => {
  if (window.__firstDrawn !== null) return;
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.matches
          && node.matches("path.leaflet-interactive, .leaflet-marker-icon")) {
        window.__firstDrawn = performance.now();
        return;
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""
SETTLED = """() => {
  const map = document.getElementById('sog-map');
  return map && map.dataset.ready === '1'
    && !Object.keys(map.dataset).some((k) => k.endsWith('Loading'));
}"""
VIEWS = {"ambon": "/", "national": "/?lat=-2.5&lon=118&z=5"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def populate(env: dict, args) -> None:
    code = (
        "import sys; sys.path.insert(0, 'bench'); import national; "
        f"print(national.populate(national.Sizes(villages={args.villages}, pois={args.pois}, "
        f"logs=0, log_villages=0, max_vertices={args.max_vertices})))"
    )
    serve.say(f"populating: {args.villages} villages, {args.pois} points of interest")
    start = time.perf_counter()
    out = serve.manage(env, "shell", "-c", code)
    serve.say(f"populated in {time.perf_counter() - start:.0f} s: {out.strip()[-200:]}")
    # The rows went in by SQL (no save signals): the low-zoom shapes are built as an import would.
    start = time.perf_counter()
    serve.manage(env, "generalise_villages")
    serve.say(f"generalised the villages' low-zoom shapes in {time.perf_counter() - start:.0f} s")


class Wire:
    """Bytes received, counted from the DevTools protocol's Network events."""

    def __init__(self, page):
        self.bytes = 0
        self.requests = 0
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        self.bytes += event.get("encodedDataLength", 0)
        self.requests += 1

    def reset(self):
        self.bytes, self.requests = 0, 0


def settle(page, quiet: float = 0.5, timeout: float = 120.0) -> None:
    page.wait_for_function(SETTLED, timeout=timeout * 1000)
    page.wait_for_load_state("networkidle", timeout=timeout * 1000)
    time.sleep(quiet)
    page.wait_for_function(SETTLED, timeout=timeout * 1000)


def measure_view(browser, base: str, path: str) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.route(lambda url: not url.startswith(base), lambda route: route.abort())
    context.add_init_script(FIRST_DRAWN)
    page = context.new_page()
    wire = Wire(page)
    page.goto(base + path)
    settle(page)
    first = page.evaluate("window.__firstDrawn")
    done = page.evaluate("performance.now()")
    view = {
        "bytes": wire.bytes,
        "requests": wire.requests,
        "first_feature_s": round(first / 1000, 2) if first is not None else None,
        "settled_s": round(done / 1000, 2),
    }
    # One pan: drag the map 300 px to the left.
    wire.reset()
    page.evaluate("window.__markDrawn()")
    page.locator("#sog-map").scroll_into_view_if_needed()
    box = page.locator("#sog-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + min(box["height"], 400) / 2
    before = page.url
    page.mouse.move(x + 150, y)
    page.mouse.down()
    page.mouse.move(x - 150, y, steps=10)
    page.mouse.up()
    start = page.evaluate("performance.now()")  # the finger lifts
    # The map saves its view in the address when the move ends (after Leaflet's inertia).
    page.wait_for_function("(before) => location.href !== before", arg=before, timeout=30_000)
    settle(page)
    first = page.evaluate("window.__firstDrawn")
    done = page.evaluate("performance.now()")
    view["pan"] = {
        "bytes": wire.bytes,
        "requests": wire.requests,
        "first_feature_s": round((first - start) / 1000, 2) if first is not None else None,
        "settled_s": round((done - start) / 1000, 2),
    }
    view["shapes_drawn"] = page.locator("path.leaflet-interactive").count()
    context.close()
    return view


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--villages", type=int, default=84_000)
    parser.add_argument("--pois", type=int, default=1_000_000)
    parser.add_argument("--max-vertices", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per view; medians reported")
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgis://"):
        sys.exit("bench/browser_national.py needs DATABASE_URL=postgis://... (its own database)")
    port = free_port()
    env = serve.server_env(url, port)
    if not args.keep:
        serve.fresh_database(url)
        serve.manage(env, "migrate", "--noinput", "-v", "0")
        serve.manage(env, "load_demo")
        populate(env, args)
    log = ROOT / "var" / "bench-browser-national.log"
    log.parent.mkdir(exist_ok=True)
    from playwright.sync_api import sync_playwright

    results = {}
    with serve.Server(env, port, log), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        base = f"http://127.0.0.1:{port}"
        for name, path in VIEWS.items():
            runs = [measure_view(browser, base, path) for _ in range(args.repeat)]
            runs.sort(key=lambda r: r["settled_s"])
            results[name] = runs[len(runs) // 2]  # the median run by settled time
            results[name]["settled_s_all"] = [r["settled_s"] for r in runs]
            serve.say(f"{name}: {json.dumps(results[name])}")
        browser.close()
    results["sizes"] = {"villages": args.villages, "pois": args.pois}
    results["load_average"] = os.getloadavg()[0]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
