"""Bench (not a test): bytes and seconds to a usable action form at slow 3G, on the first
visit and from the offline app's cache. Chromium's network emulation through CDP
(Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms round trip).

    SOG_TEST_POSTGIS_URL= DATABASE_URL=postgis://postgres@127.0.0.1:5432/sog_bench \\
      .venv/bin/python -m pytest -p no:cacheprovider -s bench/offline_shell.py

"Usable" is the moment the form's offline script is ready (form.log-form[data-offline=ready],
the map started). Bytes are what crossed the network (CDP encodedDataLength: compressed
where the server compressed), counted for the page's own requests; the service worker's
precache runs in the background of the first visit and is reported apart.
"""

import time

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, LOCAL, chromium, live_server  # noqa: F401
from tests.browser.test_offline_app import session_cookie
from tests.greenscore.conftest import people, species, village_a, village_b  # noqa: F401
from tests.tourism.test_api_logs import places  # noqa: F401

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}


def measure(page, cdp, url):
    sizes = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("form.log-form[data-offline='ready']", state="attached", timeout=120_000)
    seconds = time.perf_counter() - start
    return seconds, sum(sizes.values())


@pytest.mark.django_db(transaction=True)
def test_offline_shell_bench(chromium, live_server, people, species, places):  # noqa: F811
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.add_cookies([session_cookie(live_server, people["coord_a"])])
    context.route(lambda url: not LOCAL.match(url), lambda route: route.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    url = f"{live_server.url}/coordinator/actions/new/"
    first_s, first_b = measure(page, cdp, url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=300_000)
    shell = page.evaluate(
        """async () => { let n = 0; for (const name of await caches.keys()) {
             const c = await caches.open(name);
             for (const r of await c.keys()) n += (await (await c.match(r)).arrayBuffer()).byteLength; }
           return n; }"""
    )
    second_s, second_b = measure(page, cdp, url)
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})
    context.set_offline(True)
    offline_s, offline_b = measure(page, cdp, url)
    print(
        f"\nfirst visit: {first_s:.2f} s, {first_b / 1024:.0f} KB over the network"
        f"\nsecond visit (online, worker installed): {second_s:.2f} s, {second_b / 1024:.0f} KB"
        f"\noffline from the cache: {offline_s:.2f} s, {offline_b / 1024:.0f} KB"
        f"\nkept by the worker (uncompressed, all caches): {shell / 1024:.0f} KB"
    )
    context.close()
