"""The one header on every page, in a real browser: the phone menu, its links by role, the
language menu, and no page that scrolls sideways on a phone (360 px) or a desktop (1366 px),
in both languages, for an anonymous visitor, a coordinator and an AMO reviewer."""

from datetime import date

import pytest
from django.db import connections

from tests.browser.pages import (
    page_recording_errors,
    people_and_a_filed_action,
    publish_2026,
    signed_in_context,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
MAP_READY = "js:document.querySelector('#sog-map')?.dataset.ready === '1'"

PUBLIC = [
    ("/", MAP_READY),
    ("/villages/amahusu/", "#village-map .leaflet-map-pane"),
    ("/attractions/hutan-musik-amahusu/", "#place-map .leaflet-map-pane"),
    ("/homestays/homestay-bambu-tui-amahusu/", "#place-map .leaflet-map-pane"),
    ("/trails/jalur-hutan-musik/", "#place-map .leaflet-map-pane"),
    ("/events/", "main"),
    (
        "/scorecard/?period=2026",
        "js:document.querySelector('#scorecard-map')?.dataset.ready === '1'",
    ),
    ("/scorecard/amahusu/?period=2026", ".pillar"),
    ("/scorecard/compare/?period=2026&villages=amahusu,dusun-tuni", ".compare-charts"),
    ("/scorecard/methodology/", "main h1"),
]
ANONYMOUS_ONLY = [("/accounts/login/", "form")]
COORDINATOR = [
    ("/coordinator/", "main"),
    ("/coordinator/actions/", "main"),
    ("/coordinator/actions/new/", ".form-map .leaflet-map-pane"),
    ("/coordinator/guest-stays/", "main"),
    ("/coordinator/event-reports/", "main"),
    ("/coordinator/guest-stays/new/", "form.stack"),
    ("/coordinator/event-reports/new/", "form.stack"),
    ("{action}", "main"),
    ("/coordinator/listings/", "main"),
    ("/coordinator/listings/homestays/new/", ".form-map .leaflet-map-pane"),
    ("/coordinator/listings/trails/new/", ".form-map .leaflet-map-pane"),
    ("/coordinator/listings/events/new/", ".form-map .leaflet-map-pane"),
    ("/coordinator/listings/attractions/new/", ".form-map .leaflet-map-pane"),
]
REVIEWER = [
    ("/review/", "main"),
    ("/review/actions/{action_pk}/", "main"),
    ("/review/import/", "form"),
    ("/review/listings/", "main"),
    ("/review/listings/?state=published", "main"),
    ("/coordinator/", "main"),
]

# Every visible thing in the header: its box inside the viewport and its text not cut.
HEADER_REPORT = """() => {
  const vw = window.innerWidth;
  const items = [...document.querySelectorAll(
    '.site-header .brand, .site-nav a, .account-nav a, .account-nav button,'
    + ' .language-switch select')];
  const canvas = document.createElement('canvas').getContext('2d');
  return items.map((el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    let text = el.innerText.trim();
    let textFits = el.scrollWidth <= el.clientWidth + 1;
    if (el.tagName === 'SELECT') {
      // A <select> cuts its text without telling scrollWidth: measure the chosen option.
      text = el.options[el.selectedIndex].text;
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = r.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
      textFits = canvas.measureText(text).width <= room;
    }
    const visible = r.width > 0 && r.height > 0 && style.visibility !== 'hidden'
      && el.checkVisibility();
    return {text, visible, textFits, left: r.left, right: r.right, vw};
  });
}"""
SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"
WIDTH = "document.scrollingElement.scrollWidth"


@pytest.fixture
def site(tourism_demo, django_user_model):
    """The tourism demo, published scorecards, a coordinator of Amahusu with a filed action, a
    reviewer."""
    people = people_and_a_filed_action(
        django_user_model,
        coordinator="demo-coordinator",
        reviewer="demo-reviewer",
        villages=("amahusu", "dusun-tuni"),
        publish=False,
    )
    # A permanent plot with two censuses: the carbon table, widest on a phone.
    from tests.greenscore.scorecard_factories import make_plot, make_species, make_tree

    plot = make_plot(people["village"], name="Petak ukur permanen Hutan Musik Amahusu")
    titi = make_species("titi uji", "Gmelina moluccana (uji navigasi)")
    unknown = make_species("pohon uji", "Arbor ignota (uji navigasi)", density=None)
    for census in (date(2025, 6, 1), date(2026, 6, 1)):
        make_tree(plot, tag="A1", species=titi, dbh=12, height=9, census=census)
        make_tree(plot, tag="A2", species=unknown, dbh=30, height=14, census=census)
    publish_2026(people["reviewer"])
    yield people
    connections.close_all()


def _context(browser_context, live_server, user, language):
    context = signed_in_context(
        browser_context, live_server, user, language=language, viewport=PHONE
    )
    return page_recording_errors(context)


def _header_texts(page, url):
    report = page.evaluate(HEADER_REPORT)
    for item in report:
        assert item["visible"], (url, item)
        assert item["textFits"], (url, "text cut", item)
        assert item["left"] >= 0 and item["right"] <= item["vw"] + 0.5, (url, "clipped", item)
    return [item["text"] for item in report]


def _check_page(page, url, ready, *, expected):
    """Both widths: no sideways scroll; every header item visible, whole, in the viewport."""
    page.set_viewport_size(PHONE)
    visit(page, url, ready=ready)
    assert page.evaluate(SCROLL), (url, "phone", page.evaluate(WIDTH))
    menu = page.locator("#site-menu")
    assert menu.get_attribute("open") is None, (url, "the phone menu starts closed")
    summary = page.locator("#site-menu > summary")
    assert summary.is_visible()
    summary.click()
    page.wait_for_selector("#site-menu[open] .site-nav a", state="visible")
    texts = _header_texts(page, url)
    assert page.evaluate(SCROLL), (url, "phone, menu open")
    for text in expected:
        assert any(text in t for t in texts), (url, "phone", text, texts)
    summary.click()  # and it closes again
    page.wait_for_selector("#site-menu .site-nav a", state="hidden")

    page.set_viewport_size(DESKTOP)
    page.wait_for_selector("#site-menu[open]", state="attached")  # kept open on a wide screen
    assert not summary.is_visible()
    assert page.evaluate(SCROLL), (url, "desktop", page.evaluate(WIDTH))
    texts = _header_texts(page, url)
    for text in expected:
        assert any(text in t for t in texts), (url, "desktop", text, texts)
    # One line of header on a desktop: the map below it starts at 3rem.
    height = "document.querySelector('.site-header').getBoundingClientRect().height"
    assert page.evaluate(height) <= 48.5
    assert page.errors_seen == [], (url, page.errors_seen)


LINKS = {
    "en": ["Map", "Places", "Events", "Green Score", "Methodology"],
    "id": ["Peta", "Tempat", "Acara", "Skor Hijau", "Metodologi"],
}
ROLE_LINKS = {
    ("anonymous", "en"): ["Sign in"],
    ("anonymous", "id"): ["Masuk"],
    ("coordinator", "en"): ["My villages", "My listings", "Sign out"],
    ("coordinator", "id"): ["Desa saya", "Tempat saya", "Keluar"],
    ("reviewer", "en"): ["My villages", "Review", "Sign out"],
    ("reviewer", "id"): ["Desa saya", "Pemeriksaan", "Keluar"],
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", ["anonymous", "coordinator", "reviewer"])
def test_every_page_has_the_header_and_no_sideways_scroll(
    site, browser_context, live_server, role, language
):
    user = None if role == "anonymous" else site[role]
    page = _context(browser_context, live_server, user, language)
    pages = {
        "anonymous": PUBLIC + ANONYMOUS_ONLY,
        "coordinator": PUBLIC + COORDINATOR,
        "reviewer": PUBLIC + REVIEWER,
    }[role]
    action = site["action"]
    own_name = "Bahasa Indonesia" if language == "id" else "English"
    expected = LINKS[language] + ROLE_LINKS[(role, language)] + [own_name]
    for path, ready in pages:
        path = path.format(action=f"/coordinator/actions/{action.pk}/", action_pk=action.pk)
        _check_page(page, live_server.url + path, ready, expected=expected)
        assert page.locator("html").get_attribute("lang") == language


def test_language_menu_names_languages_in_their_own_language(site, browser_context, live_server):
    for language in ("id", "en"):
        page = _context(browser_context, live_server, None, language)
        visit(page, live_server.url + "/events/", ready="main")
        options = page.locator("#language-select option").all_text_contents()
        assert [o.strip() for o in options] == ["Bahasa Indonesia", "English"]


def test_phone_menu_switches_language_and_signs_out(site, browser_context, live_server):
    page = _context(browser_context, live_server, site["coordinator"], "id")
    visit(page, live_server.url + "/events/", ready="main")
    page.locator("#site-menu > summary").click()
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/events/")
    page.locator("#site-menu > summary").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.locator("#site-menu > summary").click()
    assert page.get_by_role("link", name="Sign in").is_visible()


@pytest.mark.parametrize("who,lands", [("reviewer", "/review/"), ("coordinator", "/coordinator/")])
def test_sign_in_lands_by_role(site, browser_context, live_server, who, lands):
    page = _context(browser_context, live_server, None, "en")
    visit(page, live_server.url + "/accounts/login/", ready="form")
    page.fill("input[name=username]", site[who].username)
    password = {"reviewer": "pw-review-123", "coordinator": "pw-coord-123"}[who]
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    assert page.url == live_server.url + lands


def test_map_names_villages_when_zoomed_in(site, browser_context, live_server):
    page = _context(browser_context, live_server, None, "id")
    page.set_viewport_size(DESKTOP)
    visit(page, live_server.url + "/?lat=-3.72700&lon=128.13800&z=12", ready=MAP_READY)
    page.wait_for_function("document.querySelector('#sog-map').dataset.villages === '51'")
    labels = page.locator(".leaflet-tooltip.village-label")
    assert labels.count() >= 50
    assert page.locator("#sog-map").get_attribute("data-village-labels") == "0"
    assert not labels.filter(has_text="Amahusu").first.is_visible()
    visit(page, live_server.url + "/?lat=-3.72700&lon=128.13800&z=15", ready=MAP_READY)
    page.wait_for_function("document.querySelector('#sog-map').dataset.villages === '51'")
    assert page.locator("#sog-map").get_attribute("data-village-labels") == "1"
    page.wait_for_selector(".leaflet-tooltip.village-label:has-text('Amahusu')", state="visible")


def test_favicon_and_icons_are_served(site, browser_context, live_server):
    page = _context(browser_context, live_server, None, "id")
    visit(page, live_server.url + "/events/", ready="main")
    hrefs = page.eval_on_selector_all(
        "link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]",
        "els => els.map(e => e.href)",
    )
    assert len(hrefs) == 4
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
    svg = page.request.get(next(h for h in hrefs if h.endswith(".svg")))
    assert svg.headers["content-type"].startswith("image/svg")


def test_plot_table_scrolls_inside_its_box_on_a_phone(site, browser_context, live_server):
    page = _context(browser_context, live_server, None, "en")
    visit(page, live_server.url + "/scorecard/amahusu/?period=2026", ready=".plots table")
    box = page.locator(".plots .table-scroll")
    assert page.evaluate(SCROLL)
    widths = box.evaluate(
        "(el) => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX]"
    )
    assert widths[0] > widths[1] and widths[2] == "auto", widths  # wider than a phone: it scrolls
    # The last column can be scrolled into view, inside the page.
    last = page.locator(".plots th").last
    last.scroll_into_view_if_needed()
    right = last.evaluate("(el) => el.getBoundingClientRect().right")
    assert right <= page.evaluate("window.innerWidth") + 0.5
    assert page.locator(".plots td", has_text="Petak ukur permanen").count() == 1


def test_english_village_page_translates_the_stage(site, browser_context, live_server):
    from villages.models import Village

    Village.objects.filter(slug="amahusu").update(tourism_stage="berkembang")
    page = _context(browser_context, live_server, None, "en")
    visit(page, live_server.url + "/villages/amahusu/", ready="main h1")
    assert page.get_by_text("Tourism stage: Developing").is_visible()
    assert "berkembang" not in page.locator("main").inner_text()
