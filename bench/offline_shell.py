"""Bench (not a test): bytes and seconds to a usable action form at slow 3G, on the first
visit and from the offline app's cache. Chromium's network emulation through CDP
(Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms round trip).

    .venv/bin/python manage.py collectstatic --noinput -v 0   # whitenoise's .br/.gz copies
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/sog_bench \\
      .venv/bin/python -m pytest -p no:cacheprovider -q -s bench/offline_shell.py

Served as in production: backend.wsgi's application (whitenoise serving the collected,
precompressed static files; the compression middleware compressing pages) in a threaded
WSGI server on a free port, not pytest-django's live server (Django's static handler, no
compression).

"Usable" is the moment the form takes a log (static/js/offline/form.js marks
`sog:form-ready` when its save handler is on); "map" is the moment the form's map shows the
land and the village boundaries (`sog:map-ready`); both read from the page's performance
timeline (from the start of the navigation). Bytes are what crossed the network for the
page's own requests (CDP encodedDataLength, compressed where the server compressed); the
service worker's precache runs in the background of the first visit (not throttled by the
page's emulation) and is counted apart, compressed as the server sends it.

"From the cache" is a cold start: the browser closed and opened again on the same profile
(nothing in memory), then the form opened online at slow 3G and offline, SOG_BENCH_RUNS times
each (default 5), medians reported.
"""

import json
import os
import re
import socketserver
import statistics
import threading
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL, chromium  # noqa: F401
from tests.browser.test_offline_app import session_cookie
from tests.greenscore.conftest import people, species, village_a, village_b  # noqa: F401
from tests.tourism.test_api_logs import places  # noqa: F401

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
TIMEOUT = int(os.environ.get("SOG_BENCH_TIMEOUT_MS", "120000"))
RUNS = int(os.environ.get("SOG_BENCH_RUNS", "5"))
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def production_server(transactional_db, settings):
    # Production's static storage (hashed names, .br/.gz copies from collectstatic), which
    # backend/settings_test.py swaps for plain names.
    from backend import settings as production

    settings.STORAGES = production.STORAGES
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    httpd = make_server(
        "127.0.0.1", 0, application, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    class Server:
        url = f"http://127.0.0.1:{httpd.server_port}"

    yield Server
    httpd.shutdown()
    httpd.server_close()


def shell_bytes(server, cookie):
    """(compressed, uncompressed) bytes of what the worker precaches, fetched as Chromium does."""
    headers = {"Cookie": f"sessionid={cookie['value']}", "Accept-Encoding": ACCEPT_ENCODING}
    with urllib.request.urlopen(urllib.request.Request(f"{server.url}/sw.js")) as response:
        source = response.read().decode()
    config = json.loads(re.search(r"const CONFIG = (.*);\n", source).group(1))
    sizes = {"assets": [0, 0], "pages": [0, 0]}
    jobs = [("assets", url, {}) for url in config["assets"]]
    jobs += [
        ("pages", url, {"X-SOG-Language": lang})
        for lang in config["languages"]
        for url in config["pages"]
    ]
    for part, url, extra in jobs:
        request = urllib.request.Request(f"{server.url}{url}", headers={**headers, **extra})
        with urllib.request.urlopen(request) as response:
            sent = len(response.read())
        plain_request = urllib.request.Request(
            f"{server.url}{url}", headers={**headers, **extra, "Accept-Encoding": "identity"}
        )
        with urllib.request.urlopen(plain_request) as response:
            plain = len(response.read())
        sizes[part][0] += sent
        sizes[part][1] += plain
    return sizes, len(config["assets"]), len(config["pages"]) * len(config["languages"])


def launch(chromium, profile):  # noqa: F811
    return chromium.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport={"width": 390, "height": 844},
        locale="id-ID",
    )


def visit(context, url, *, offline=False):
    """(seconds to a usable form, seconds to the map, KB over the network) for one visit."""
    page = context.pages[0] if context.pages else context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": offline})
    if os.environ.get("SOG_BENCH_DEBUG"):
        page.on("console", lambda m: print("console:", m.type, m.text))
        page.on("pageerror", lambda e: print("pageerror:", e))
        page.on("requestfailed", lambda r: print("failed:", r.url, r.failure))
    sizes = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="commit", timeout=120_000)
    page.wait_for_selector("form.log-form[data-offline='ready']", state="attached", timeout=TIMEOUT)
    page.wait_for_selector(".leaflet-container[data-boundaries]", state="attached", timeout=TIMEOUT)
    marks = page.evaluate(
        """() => Object.fromEntries(['sog:form-ready', 'sog:map-ready'].map(
             (name) => [name, performance.getEntriesByName(name)[0].startTime / 1000]))"""
    )
    if os.environ.get("SOG_BENCH_DEBUG"):
        print(
            "timeline:",
            page.evaluate(
                """() => { const n = performance.getEntriesByType('navigation')[0];
                   return {html: n.responseEnd, interactive: n.domInteractive,
                     dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                     form: performance.getEntriesByName('sog:form-ready')[0].startTime,
                     map: performance.getEntriesByName('sog:map-ready')[0].startTime}; }"""
            ),
        )
    cdp.detach()
    return marks["sog:form-ready"], marks["sog:map-ready"], sum(sizes.values()) / 1024


def median(rows, i):
    return statistics.median(row[i] for row in rows)


@pytest.mark.django_db(transaction=True)
def test_offline_shell_bench(chromium, production_server, people, species, places, tmp_path):  # noqa: F811
    server = production_server
    cookie = session_cookie(server, people["coord_a"])
    url = f"{server.url}/coordinator/actions/new/"
    profile = tmp_path / "profile"
    load = os.getloadavg()

    context = launch(chromium, profile)
    context.add_cookies([cookie])
    context.route(lambda u: not LOCAL.match(u), lambda route: route.abort())
    first = visit(context, url)
    page = context.pages[0]
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=300_000)
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'")
    warm = visit(context, url)
    page.wait_for_load_state("networkidle")
    context.close()

    online, offline = [], []
    for _ in range(RUNS):
        for rows, is_offline in ((online, False), (offline, True)):
            context = launch(chromium, profile)
            context.route(lambda u: not LOCAL.match(u), lambda route: route.abort())
            if is_offline:
                context.set_offline(True)
            rows.append(visit(context, url, offline=is_offline))
            if not is_offline:
                context.pages[0].wait_for_load_state("networkidle")
            context.close()

    sizes, n_assets, n_pages = shell_bytes(server, cookie)
    kb = 1024
    print(
        f"\nload average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
        f"\nfirst visit: usable {first[0]:.2f} s, map {first[1]:.2f} s, "
        f"{first[2]:.0f} KB over the network"
        f"\nsame tab again (worker installed, warm): usable {warm[0]:.2f} s, map {warm[1]:.2f} s, "
        f"{warm[2]:.0f} KB"
        f"\ncold start online at slow 3G (median of {RUNS}): usable {median(online, 0):.2f} s "
        f"(max {max(r[0] for r in online):.2f}), map {median(online, 1):.2f} s, "
        f"{median(online, 2):.0f} KB"
        f"\ncold start offline (median of {RUNS}): usable {median(offline, 0):.2f} s "
        f"(max {max(r[0] for r in offline):.2f}), map {median(offline, 1):.2f} s, "
        f"{median(offline, 2):.0f} KB"
        f"\nshell precached: {n_assets} static files {sizes['assets'][0] / kb:.0f} KB compressed "
        f"({sizes['assets'][1] / kb:.0f} KB uncompressed); {n_pages} pages "
        f"{sizes['pages'][0] / kb:.0f} KB compressed ({sizes['pages'][1] / kb:.0f} KB)"
        f"\nload average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
