"""The Green Score overview map in a real headless Chromium: village shapes coloured by
score, joined client-side from the villages and scorecards APIs, tiles refused."""

import re

import pytest
from django.db import connections

from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period
from tests.greenscore.scorecard_factories import ensure_catalogue, make_user, worked_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(transactional_db, make_village):
    ensure_catalogue()  # a transactional test may run after another one flushed the tables
    v, _, _ = worked_village(make_village)
    empty = make_village("Emptydesa", lon=128.3, slug="emptydesa")
    amo = make_user("amo", amo=True)
    for village in (v, empty):
        scorecard.publish(village=village, period=Period.parse("2026"), user=amo)
    yield v
    # ORM calls made while Playwright's loop runs may hold their own connection; close it,
    # or PostgreSQL refuses to drop the test database at the end of the session.
    connections.close_all()


def test_map_colours_published_villages(page, live_server, published):
    page.goto(f"{live_server.url}/scorecard/?period=2026")
    page.wait_for_function("document.querySelector('#scorecard-map')?.dataset.ready === '1'")
    assert page.evaluate("document.querySelector('#scorecard-map').dataset.scored") == "2"
    # The worked village scores 51.4 (the 40..60 band); the empty one has no score, which is
    # drawn as "no score", not as a low one.
    assert page.locator("path.scorecard-shape.band-40").count() == 1
    assert page.locator("path.scorecard-shape.band-none").count() == 1
    assert page.locator("#map-status").inner_text() == ""
    page.locator("path.scorecard-shape.band-40").click()
    link = page.locator(".leaflet-popup-content a")
    assert link.inner_text() == published.name
    link.click()
    # The village page computes a live trend over several periods; on a loaded two-core CI
    # machine that can take longer than the default 15 s.
    page.wait_for_url(re.compile(r"/scorecard/worked/\?"), timeout=60_000)
    assert page.locator(".status.published").count() == 1
