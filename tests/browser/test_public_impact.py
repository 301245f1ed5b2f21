"""In a real Chromium at phone size: the demo's published scorecards to an anonymous reader
(and the way from a period without one to the latest), the enquiry form's WhatsApp link,
and the open data page, none scrolling sideways at 360 px."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings, tmp_path, monkeypatch):
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 2))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    monkeypatch.undo()  # the live server's dates are its own again; settings stay patched
    yield
    connections.close_all()


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_public_scorecard_of_the_demo(browser_context, live_server, demo):
    page = browser_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{live_server.url}/scorecard/?period=2026-Q2")
    page.wait_for_function("document.querySelector('#scorecard-map')?.dataset.ready === '1'")
    assert page.evaluate("document.querySelector('#scorecard-map').dataset.scored") == "2"
    scores = page.locator("table.scores td.num.strong").all_inner_texts()
    assert len(scores) == 2 and all(re.fullmatch(r"\d+,\d", s) for s in scores), scores
    page.goto(f"{live_server.url}/scorecard/amahusu/?period=2026")
    assert page.locator(".status.published").count() == 0
    page.locator("p.latest a").click()
    page.wait_for_url(re.compile(r"/scorecard/amahusu/\?period=2026-Q3"), timeout=60_000)
    assert page.locator(".status.published").count() == 1
    _no_sideways_scroll(page)


def test_enquiry_opens_whatsapp_with_the_dates(browser_context, live_server, demo):
    page = browser_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{live_server.url}/homestays/rumah-tifa-amahusu/")
    _no_sideways_scroll(page)
    page.fill("#id_date_from", "2099-07-01")
    page.fill("#id_date_to", "2099-07-04")
    page.fill("#id_party", "3")
    page.select_option("#id_language", "en")
    page.fill("#id_message", "Two of us play suling")
    with page.expect_request(re.compile(r"^https://wa\.me/")) as request:
        page.get_by_role("button", name="Buka di WhatsApp").click()
    url = urlsplit(request.value.url)
    assert url.path == "/6281100000102"
    text = parse_qs(url.query)["text"][0]
    assert "from 2099-07-01 to 2099-07-04 (3 nights) for 3 people" in text
    assert "Two of us play suling" in text
    # A wrong party size comes back with its message next to the field (a new tab: the first
    # one is still being sent to the refused wa.me address).
    page = browser_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{live_server.url}/homestays/rumah-tifa-amahusu/")
    page.fill("#id_date_from", "2099-07-01")
    page.fill("#id_date_to", "2099-07-04")
    page.evaluate("document.querySelector('#id_party').removeAttribute('max')")
    page.fill("#id_party", "80")
    page.get_by_role("button", name="Buka di WhatsApp").click()
    page.wait_for_selector(".has-error #id_party")
    assert "50" in page.locator("#id_party-error").inner_text()
    _no_sideways_scroll(page)


def test_open_data_page_on_a_phone(browser_context, live_server, demo):
    page = browser_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{live_server.url}/data/")
    assert page.locator("li.dataset").count() == 7
    assert page.locator("li.dataset a[rel=license]").first.inner_text() == "ODbL 1.0"
    _no_sideways_scroll(page)
