"""The list pages in a real browser: a phone filters homestays by price and opens the map at
the same filters; cards stack in one column on a phone and form a grid on a wide screen."""

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.test_csp import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_READY = "document.querySelector('#sog-map')?.dataset.ready === '1'"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def query(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def card_lefts(page):
    return {
        round(box["x"]) for box in (card.bounding_box() for card in page.locator(".card").all())
    }


def test_phone_filters_homestays_by_price_and_shows_them_on_the_map(
    browser_context, live_server, tourism_demo
):
    context = browser_context(viewport={"width": 360, "height": 740})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/homestays/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator(".card").count() == 6
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert len(card_lefts(page)) == 1  # one column
    page.locator(".list-filters summary").click()
    assert page.locator("#list-near-me").is_visible()  # the page's script ran
    assert page.evaluate("window.__cspViolations") == []  # under the Content-Security-Policy

    page.fill("input[name=max_price]", "175000")
    page.select_option("select[name=sort]", "price")
    with page.expect_navigation():
        page.locator(".list-filters button[type=submit]").click()
    assert query(page)["max_price"] == "175000" and query(page)["sort"] == "price"
    prices = page.locator(".card .price").all_inner_texts()
    assert len(prices) == 3
    amounts = [int(p.split("Rp ")[1].split(" ")[0].replace(".", "")) for p in prices]
    assert amounts == sorted(amounts) and max(amounts) <= 175_000
    assert page.locator(".list-count").inner_text() == "3 hasil"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    with page.expect_navigation():
        page.get_by_role("link", name="Tampilkan di peta").click()
    page.wait_for_function(MAP_READY)
    page.wait_for_function("document.querySelector('#sog-map').dataset.homestays === '3'")
    state = query(page)
    assert state["max_price"] == "175000" and "homestays" in state["layers"].split(",")
    assert page.input_value("input[name=max_price]") == "175000"
    assert not errors, errors


def test_wide_screen_grid_and_near_me(browser_context, live_server, tourism_demo):
    context = browser_context(
        viewport={"width": 1280, "height": 900},
        geolocation={"longitude": 128.1385, "latitude": -3.7262},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(live_server.url + "/villages/")
    assert page.locator(".card").count() == 12
    assert len(card_lefts(page)) == 3  # a grid of three columns
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.locator(".list-filters summary").click()
    with page.expect_navigation():
        page.locator("#list-near-me").click()  # shown by the script; measures from the position
    assert query(page)["near"] == "128.13850,-3.72620" and query(page)["sort"] == "distance"
    assert page.locator(".card-title").first.inner_text() == "Amahusu"
    assert re.fullmatch(r"\d+ m dari sini", page.locator(".card-distance").first.inner_text())
