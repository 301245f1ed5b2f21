"""Villages keep their own listings, in a real Chromium at 360 px: a coordinator corrects a
homestay's price and the public page shows it; a new listing stays off the map, the list and
its page until AMO publishes it; AMO unpublishes it again."""

import pytest
from django.contrib.gis.geos import Point

from tests.browser.pages import page_recording_errors, signed_in_context
from tourism.models import Homestay

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI || "inline"}`));
"""


def signed_in_page(browser_context, live_server, user, *, language="id", **options):
    """A 360 px phone page, signed in as `user` (or anonymous), in the given language."""
    context = signed_in_context(
        browser_context,
        live_server,
        user,
        language=language,
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        **options,
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = page_recording_errors(context)
    page.errors = page.errors_seen
    return page


def fits(page):
    """No sideways scroll at 360 px, and nothing the Content-Security-Policy refused (the map
    widget's inline start-up script carries the nonce)."""
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.url
    assert page.evaluate("window.__cspViolations") == [], page.url


@pytest.fixture
def village_a(make_village):
    return make_village("Alpha", slug="alpha", lon=128.20, lat=-3.70, size_deg=0.01)


@pytest.fixture
def people(village_a, django_user_model):
    """The coordinator of Alpha and an AMO reviewer."""
    from villages import roles

    coordinator = django_user_model.objects.create_user("coord_a")
    reviewer = django_user_model.objects.create_user("reviewer")
    roles.grant_coordinator(user=coordinator, village=village_a)
    roles.grant_reviewer(user=reviewer)
    return {"coord_a": coordinator, "reviewer": reviewer}


@pytest.fixture
def homestay(village_a):
    c = village_a.centre
    return Homestay.objects.create(
        village=village_a,
        name="Rumah Tifa",
        slug="rumah-tifa",
        rooms=2,
        beds=4,
        location=Point(c.x, c.y, srid=4326),
        price_from_idr=250_000,
        published=True,
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_coordinator_corrects_a_price_that_shows_at_once(
    browser_context, live_server, people, homestay, language
):
    page = signed_in_page(browser_context, live_server, people["coord_a"], language=language)
    page.goto(f"{live_server.url}/coordinator/")
    # From the phone menu to "My listings", then the homestay.
    page.click(".site-menu-button")
    page.click("a[href='/coordinator/listings/']:visible >> nth=0")
    page.wait_for_url("**/coordinator/listings/")
    fits(page)
    page.click("text=Rumah Tifa")
    page.wait_for_selector(".leaflet-container")
    fits(page)
    page.fill("#id_price_from_idr", "275000")
    page.click("button[type=submit].primary >> text=/Simpan|Save/")
    page.wait_for_selector(".messages li")
    fits(page)
    homestay.refresh_from_db()
    assert homestay.price_from_idr == 275_000 and homestay.published
    assert "275000" in page.inner_text(".history")  # the audit trail: 250000 -> 275000
    # The public page shows it at once, to anyone.
    visitor = signed_in_page(browser_context, live_server, None, language=language)
    visitor.goto(f"{live_server.url}/homestays/rumah-tifa/")
    text = visitor.inner_text("main")
    assert "275.000" in text or "275,000" in text, text
    assert not page.errors and not visitor.errors


def map_homestays(page, live_server):
    """How many homestays the public map loaded (map-app.js writes the count on its container)."""
    page.goto(f"{live_server.url}/")
    page.wait_for_selector(".leaflet-container[data-homestays]", state="attached")
    return int(page.get_attribute(".leaflet-container", "data-homestays"))


def test_new_listing_hidden_until_amo_publishes_then_unpublishes(
    browser_context, live_server, people, homestay, village_a
):
    coordinator = signed_in_page(
        browser_context,
        live_server,
        people["coord_a"],
        language="en",
        geolocation={"latitude": -3.7003, "longitude": 128.2004, "accuracy": 10},
        permissions=["geolocation"],
    )
    coordinator.goto(f"{live_server.url}/coordinator/listings/homestays/new/")
    coordinator.wait_for_selector(".leaflet-container")
    fits(coordinator)
    coordinator.fill("#id_name", "Rumah Baru")
    coordinator.tap("#use-my-location")
    coordinator.wait_for_function("document.getElementById('id_location').value.includes('Point')")
    coordinator.fill("#id_rooms", "2")
    coordinator.fill("#id_beds", "3")
    coordinator.fill("#id_price_from_idr", "180000")
    coordinator.fill("#id_description_id", "Rumah kayu di tepi sungai.")
    coordinator.fill("#id_description_en", "A wooden house by the river.")
    coordinator.click("button[type=submit].primary")
    coordinator.wait_for_selector(".listing-state .status-submitted")  # "Draft: ..."
    created = Homestay.objects.get(name="Rumah Baru")
    assert not created.published
    assert created.location.distance(Point(128.2004, -3.7003, srid=4326)) < 1e-6

    visitor = signed_in_page(browser_context, live_server, None)
    assert map_homestays(visitor, live_server) == 1  # only the published Rumah Tifa
    visitor.goto(f"{live_server.url}/homestays/")
    assert "Rumah Tifa" in visitor.inner_text("main")
    assert "Rumah Baru" not in visitor.inner_text("main")
    assert visitor.goto(f"{live_server.url}/homestays/{created.slug}/").status == 404

    # AMO publishes it from the review page, on a phone.
    reviewer = signed_in_page(browser_context, live_server, people["reviewer"])
    reviewer.goto(f"{live_server.url}/review/listings/")
    fits(reviewer)
    reviewer.click(f"#homestays-{created.pk} button.primary")
    reviewer.wait_for_selector(".messages li")
    created.refresh_from_db()
    assert created.published
    assert map_homestays(visitor, live_server) == 2
    visitor.goto(f"{live_server.url}/homestays/")
    assert "Rumah Baru" in visitor.inner_text("main")
    assert visitor.goto(f"{live_server.url}/homestays/{created.slug}/").status == 200

    # And unpublishes it: gone again from the map, the list and its page.
    reviewer.goto(f"{live_server.url}/review/listings/?state=published")
    reviewer.click(f"#homestays-{created.pk} button.danger")
    reviewer.wait_for_selector(".messages li")
    created.refresh_from_db()
    assert not created.published
    assert map_homestays(visitor, live_server) == 1
    assert visitor.goto(f"{live_server.url}/homestays/{created.slug}/").status == 404
    for page in (coordinator, visitor, reviewer):
        assert not page.errors, page.errors
