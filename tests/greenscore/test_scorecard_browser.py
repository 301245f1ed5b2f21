"""The overview map in a real headless Chromium: village shapes coloured by Green Score,
joined client-side from the villages and scorecards APIs, with every outside request refused."""
import os
import re

import pytest
from django.db import connections

from greenscore import scorecard
from greenscore.periods import Period

from .scorecard_factories import ensure_catalogue, make_user, worked_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + sync ORM
CHROMIUM = "/usr/bin/chromium"
LOCAL = re.compile(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/")


@pytest.fixture
def page():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("no Chromium at /usr/bin/chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(locale="en-GB")
        context.route(lambda url: not LOCAL.match(url), lambda route: route.abort())
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        # While Playwright's loop runs, the ORM calls of the test open their own connection;
        # close it here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()
    assert not errors, errors


def test_map_colours_published_villages(page, live_server, make_village):
    ensure_catalogue()
    v, _, _ = worked_village(make_village)
    empty = make_village("Emptydesa", lon=128.3, slug="emptydesa")
    amo = make_user("amo", amo=True)
    for village in (v, empty):
        scorecard.publish(village=village, period=Period.parse("2026"), user=amo)
    page.goto(f"{live_server.url}/scorecard/?period=2026")
    page.wait_for_function("document.querySelector('#scorecard-map')?.dataset.ready === '1'")
    assert page.evaluate("document.querySelector('#scorecard-map').dataset.scored") == "2"
    # The worked village scores 51.4 (40..60 band); the empty one has no score, not a low one.
    assert page.locator("path.scorecard-shape.band-40").count() == 1
    assert page.locator("path.scorecard-shape.band-none").count() == 1
    assert page.locator("#map-status").inner_text() == ""
    page.locator("path.scorecard-shape.band-40").click()
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == "Worked"
    link.click()
    page.wait_for_url(re.compile(r"/scorecard/worked/\?"))
    assert "Published on" in page.content()

