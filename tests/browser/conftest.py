"""Real headless Chromium against pytest-django's live server, with every outside request
(map tiles included) refused, so the tests run offline and prove the map works without tiles."""

import os
import re
import select
import time

import pytest

# The coordinators' log fixtures (villages A and B, one user per role), for the phone test.
from tests.greenscore.conftest import people, species, village_a, village_b  # noqa: F401

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures here are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LOCAL = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/")
FUNCTION = re.compile(r"^\s*(async\s+)?(function\b|\([^()]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)")


def _wait_without_eval():
    """Pages forbid eval (Content-Security-Policy without 'unsafe-eval'). Playwright's
    wait_for_function evaluates an expression given as text with eval on every poll but the
    first, and a function only once; so a plain expression is wrapped in an arrow function."""
    from playwright.sync_api import Page

    original = Page.wait_for_function
    if getattr(original, "wraps_expressions", False):
        return

    def wait_for_function(self, expression, *args, **kwargs):
        if not FUNCTION.match(expression):
            expression = f"() => ({expression})"
        return original(self, expression, *args, **kwargs)

    wait_for_function.wraps_expressions = True
    Page.wait_for_function = wait_for_function


_wait_without_eval()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, transactional_db, live_server):
    """A phone-sized context that may only talk to the live server.

    It depends on the database fixture so that it closes first: the database is
    flushed only after the browser has finished its requests (on PostgreSQL a
    request still in flight would deadlock with the flush).
    """
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 390, "height": 844})
        options.setdefault("locale", "id-ID")
        context = chromium.new_context(**options)
        context.route(lambda url: not LOCAL.match(url), lambda route: route.abort())
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        for open_page in context.pages:
            try:
                open_page.wait_for_load_state("networkidle", timeout=5_000)
            except Exception:  # a page that never settles is closed all the same
                pass
        context.close()


@pytest.fixture(autouse=True)
def _server_drained_before_flush(transactional_db, live_server):
    """Every browser test, whatever made its browser contexts: torn down after them and before
    the database flush (it depends on the database fixture), it waits for the live server."""
    yield
    _wait_for_requests_in_flight(live_server)


def _wait_for_requests_in_flight(live_server, seconds=15.0):
    """Wait until the live server has answered everything the browser sent: a request the
    browser started (a map tile, a detail fetch) and then abandoned is still queued or running
    in the server's thread after the page closed, and on PostgreSQL it would deadlock with the
    flush that ends the test. The server is idle when it handles no request and no connection
    waits in its backlog, several times in a row; then no other database connection may be
    inside a query or a transaction."""
    from django.db import connection

    httpd = getattr(live_server.thread, "httpd", None)
    deadline = time.monotonic() + seconds
    quiet = 0
    while httpd is not None and quiet < 5 and time.monotonic() < deadline:
        waiting, _, _ = select.select([httpd.socket], [], [], 0)
        quiet = 0 if (httpd.busy or waiting) else quiet + 1
        time.sleep(0.04)
    if connection.vendor != "postgresql":
        return
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture
def page(browser_context):
    page = browser_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, errors


@pytest.fixture
def tourism_demo(transactional_db, settings, tmp_path):
    """The villages' register and places, and the tourism demo (photos in a temporary MEDIA_ROOT)."""
    from tourism.demo import load_demo
    from villages.services import import_admin_areas, load_demo_places

    settings.MEDIA_ROOT = tmp_path
    fixtures = settings.BASE_DIR / "fixtures"
    import_admin_areas(path=fixtures / "ambon-admin-areas.csv")
    load_demo_places(path=fixtures / "sog_places.json")
    list(load_demo(path=fixtures / "tourism" / "demo.json"))


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, answering one request at a time.

    Written when SpatiaLite's test database lived in memory, with one connection
    shared with the server thread, where a threaded server would interleave the
    map's parallel layer requests on that connection. The test database is now a
    file (backend/settings_test.py) and the concurrency tests use pytest-django's
    threaded server; the browser tests stay serial, which keeps the order of the
    page's requests, and so their timing, the same on both databases.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread
    from pytest_django.live_server_helper import LiveServer

    class SerialWSGIServer(WSGIServer):
        busy = False  # read by the browser tests' teardown (_wait_for_requests_in_flight)

        def __init__(self, *args, connections_override=None, **kwargs):
            # LiveServerThread.run() already installs the shared connections in this thread.
            super().__init__(*args, **kwargs)

        def process_request(self, request, client_address):
            self.busy = True
            try:
                super().process_request(request, client_address)
            finally:
                self.busy = False

    class SerialLiveServerThread(LiveServerThread):
        server_class = SerialWSGIServer

    server = LiveServer("localhost", start=False)
    server.thread = SerialLiveServerThread(
        "localhost",
        static_handler=StaticFilesHandler,
        connections_override=server.thread.connections_override,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()
