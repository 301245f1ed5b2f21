"""The home map in a real browser: layers, toggling, filters, popups, shared links, language, near me."""

from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "document.querySelector('#sog-map')?.dataset.ready === '1'"


def count(page, layer):
    return page.evaluate(f"document.querySelector('#sog-map').dataset.{layer}")


def wait_count(page, layer, value):
    page.wait_for_function(f"document.querySelector('#sog-map').dataset.{layer} === '{value}'")


def query(page):
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def open_layers(page):
    """Expand the layer control (collapsed on a phone; it opens when touched or hovered)."""
    page.locator(".leaflet-control-layers").hover()
    page.wait_for_selector(".leaflet-control-layers-expanded")


def open_map(page, live_server, path="/"):
    page.goto(live_server.url + path)
    page.wait_for_function(READY)


def test_map_shows_every_layer_without_tiles(page, live_server, tourism_demo):
    open_map(page, live_server)
    for layer, expected in [
        ("villages", "51"),
        ("attractions", "9"),
        ("homestays", "6"),
        ("trails", "2"),
    ]:
        wait_count(page, layer, expected)
    assert int(count(page, "events")) >= 6
    # Tiles are refused, yet shapes and markers are drawn.
    assert page.locator("path.village-shape").count() >= 1
    assert page.locator("path.trail-line").count() == 2
    assert page.locator(".marker-attractions, .cluster-attractions").count() >= 1
    # The view is written into the address at once.
    assert {"lat", "lon", "z"} <= set(query(page))


def test_toggle_a_layer(page, live_server, tourism_demo):
    open_map(page, live_server)
    wait_count(page, "homestays", "6")
    assert page.locator(".marker-homestays, .cluster-homestays").count() >= 1
    open_layers(page)
    page.get_by_role(
        "checkbox", name="Homestay", exact=True
    ).uncheck()  # the Indonesian label: the default language
    assert page.locator(".marker-homestays, .cluster-homestays").count() == 0
    assert "homestays" not in query(page)["layers"]
    page.get_by_role("checkbox", name="Homestay", exact=True).check()
    page.wait_for_selector(".marker-homestays, .cluster-homestays")
    assert "layers" not in query(page)


def test_filter_by_category_and_instrument(page, live_server, tourism_demo):
    open_map(page, live_server)
    wait_count(page, "attractions", "9")
    page.locator("#filters-panel summary").click()
    page.select_option("select[name=category]", "workshop")
    page.locator("#map-filters button[type=submit]").click()
    wait_count(page, "attractions", "1")
    assert query(page)["category"] == "workshop"
    page.select_option("select[name=category]", "")
    page.select_option("select[name=instrument]", "suling")
    page.locator("#map-filters button[type=submit]").click()
    wait_count(page, "attractions", "6")
    assert query(page)["instrument"] == "suling" and "category" not in query(page)
    page.fill("input[name=q]", "sanggar")
    page.select_option("select[name=instrument]", "")
    page.locator("#map-filters button[type=submit]").click()
    # Three sanggar, and the Music Forest whose description names Sanggar Booyratan.
    wait_count(page, "attractions", "4")
    wait_count(page, "homestays", "0")
    page.fill("input[name=q]", "")
    page.fill("input[name=min_beds]", "6")
    page.fill("input[name=max_price]", "200000")
    page.locator("#map-filters button[type=submit]").click()
    wait_count(page, "homestays", "1")  # Rumah Suling: 6 beds from Rp 150.000
    assert query(page)["min_beds"] == "6" and query(page)["max_price"] == "200000"


def hit(page, selector):
    """Whether a tap on the centre of `selector` lands on it (nothing drawn over it)."""
    return page.evaluate(
        """(selector) => {
            const element = document.querySelector(selector);
            const box = element.getBoundingClientRect();
            const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return top === element;
        }""",
        selector,
    )


GAZEBO = "path.marker-attractions.slug-gazebo-hutan-musik"
FESTIVAL = "path.marker-events.slug-festival-hutan-musik"


def test_details_on_a_phone_leave_every_marker_reachable(page, live_server, tourism_demo):
    # Zoomed in on the Music Forest, every layer on: each marker is drawn on its own,
    # above Amahusu's shape (which must not swallow the tap).
    open_map(page, live_server, "/?lat=-3.72580&lon=128.13900&z=18")
    wait_count(page, "villages", "51")
    wait_count(page, "attractions", "9")
    page.wait_for_selector(FESTIVAL)
    sheet = page.locator("#map-sheet")
    page.locator(GAZEBO).click()
    first = sheet.locator(".popup").first
    first.locator("a.popup-title", has_text="Gazebo Hutan Musik").wait_for()
    href = first.locator("a.popup-title").get_attribute("href")
    assert href == "/attractions/gazebo-hutan-musik/"
    assert first.locator("img.popup-thumb").get_attribute("src").startswith("/media/photos/thumbs/")
    # No popup floats over the map: the Music Forest 110 px away (its festival drawn smaller on
    # top) and the gazebo itself can still be tapped while the details are open.
    assert page.locator(".leaflet-popup").count() == 0
    assert page.locator(f"{GAZEBO}.selected").count() == 1
    assert hit(page, FESTIVAL) and hit(page, GAZEBO)
    page.locator(FESTIVAL).click()
    first.locator("a.popup-title", has_text="Festival Hutan Musik").wait_for()
    # Everything on that spot is listed, so the event hidden under the festival is reachable too.
    titles = sheet.locator("a.popup-title").all_inner_texts()
    assert titles[0] == "Festival Hutan Musik"
    assert sorted(titles[1:]) == ["Hutan Musik Sound of Green", "Tanam bambu sambil bermusik"]
    assert page.locator(".marker.selected").count() == 1
    page.locator(GAZEBO).click()
    first.locator("a.popup-title", has_text="Gazebo Hutan Musik").wait_for()
    assert sheet.locator(".popup").count() == 1
    # Around the markers is Amahusu's shape: a tap there shows the village instead.
    page.locator("#sog-map").click(position={"x": 300, "y": 200})
    first.locator("a.popup-title", has_text="Amahusu").wait_for()
    assert page.locator(".marker.selected").count() == 0
    sheet.locator(".map-sheet-close").click()
    page.wait_for_selector("#map-sheet", state="hidden")
    page.locator(GAZEBO).click()
    first.locator("a.popup-title").click()
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").count() == 1


def test_popup_on_a_wide_screen_keeps_its_marker_reachable(
    browser_context, live_server, tourism_demo
):
    page = browser_context(viewport={"width": 1280, "height": 800}).new_page()
    open_map(page, live_server, "/?lat=-3.72580&lon=128.13900&z=18")
    wait_count(page, "attractions", "9")
    page.wait_for_selector(FESTIVAL)
    page.locator(GAZEBO).click()
    popup = page.locator(".leaflet-popup-content .popup")
    popup.locator("a.popup-title", has_text="Gazebo Hutan Musik").wait_for()
    assert popup.locator("img.popup-thumb").get_attribute("src").startswith("/media/photos/thumbs/")
    assert page.locator("#map-sheet").is_hidden()
    # The popup's tip rests on the marker's rim: the marker stays visible and tappable.
    page.wait_for_function(
        """(selector) => {
            const marker = document.querySelector(selector).getBoundingClientRect();
            const popup = document.querySelector('.leaflet-popup-content-wrapper')
                .getBoundingClientRect();
            return popup.bottom < marker.top;
        }""",
        arg=GAZEBO,
    )
    assert hit(page, GAZEBO)
    page.locator(FESTIVAL).click()
    page.locator(".leaflet-popup-content a.popup-title", has_text="Festival Hutan Musik").wait_for()
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 1")
    # ... listing what shares its spot.
    assert page.locator(".leaflet-popup-content a.popup-title").count() == 3
    page.locator(GAZEBO).click()
    page.locator(".leaflet-popup-content a.popup-title", has_text="Gazebo Hutan Musik").wait_for()
    page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 1")


def test_cluster_opens_on_click(page, live_server, tourism_demo):
    open_map(page, live_server, "/?lat=-3.69&lon=128.19&z=12&layers=homestays")
    wait_count(page, "homestays", "6")
    clusters = page.locator(".cluster-homestays")
    assert clusters.count() >= 1
    before = int(query(page)["z"])
    clusters.first.click()
    page.wait_for_function(f"new URLSearchParams(location.search).get('z') !== '{before}'")
    assert int(query(page)["z"]) > before


def test_shared_link_reopens_the_same_view(page, live_server, tourism_demo, browser_context):
    open_map(
        page,
        live_server,
        "/?lat=-3.70000&lon=128.19500&z=15&layers=villages,events,attractions&q=konser",
    )
    shared = page.url
    state = query(page)
    assert (state["lat"], state["lon"], state["z"]) == ("-3.70000", "128.19500", "15")
    other = browser_context().new_page()
    other.goto(shared)
    other.wait_for_function(READY)
    assert query(other) == state
    assert other.input_value("input[name=q]") == "konser"
    open_layers(other)
    assert not other.get_by_role("checkbox", name="Homestay", exact=True).is_checked()
    assert other.get_by_role("checkbox", name="Acara", exact=True).is_checked()
    assert other.locator(".marker-homestays, .cluster-homestays").count() == 0
    wait_count(other, "events", "2")  # the MBO concert and the children's concert at SD Tuni


def test_switching_language_keeps_the_view(page, live_server, tourism_demo):
    open_map(page, live_server, "/?lat=-3.72700&lon=128.13800&z=14&category=workshop")
    assert page.locator("html").get_attribute("lang") == "id"
    wait_count(page, "attractions", "1")
    page.locator("#site-menu > summary").click()  # the language menu is in the phone menu
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.wait_for_function(READY)
    assert page.locator("html").get_attribute("lang") == "en"
    state = query(page)
    assert state["category"] == "workshop" and state["z"] == "14"
    assert page.input_value("select[name=category]") == "workshop"
    wait_count(page, "attractions", "1")
    assert page.locator("#filters-panel summary").inner_text() == "Search and filter"


def test_near_me_with_a_position(browser_context, live_server, tourism_demo):
    context = browser_context(
        geolocation={"longitude": 128.1385, "latitude": -3.7262}, permissions=["geolocation"]
    )
    page = context.new_page()
    open_map(page, live_server)
    wait_count(page, "attractions", "9")
    page.locator("#filters-panel summary").click()
    page.select_option("#near-radius", "1000")
    page.locator("#near-me").click()
    wait_count(page, "attractions", "4")  # the Music Forest's three places and Sanggar Booyratan
    assert query(page)["near"] == "128.13850,-3.72620" and query(page)["radius_m"] == "1000"
    assert page.locator("path.near-circle").count() == 1


def test_near_me_without_permission_falls_back(browser_context, live_server, tourism_demo):
    page = browser_context().new_page()
    open_map(page, live_server)
    wait_count(page, "attractions", "9")
    page.locator("#filters-panel summary").click()
    page.locator("#near-me").click()
    page.wait_for_function(
        "document.getElementById('map-status').textContent.includes('Posisi Anda tidak tersedia')"
    )
    assert count(page, "attractions") == "9"
    assert "near" not in query(page)


def test_a_visitor_finds_a_workshop_near_amahusu_and_its_contact(
    browser_context, live_server, tourism_demo
):
    context = browser_context(
        geolocation={"longitude": 128.1380, "latitude": -3.7270}, permissions=["geolocation"]
    )
    page = context.new_page()
    open_map(page, live_server)
    page.locator("#filters-panel summary").click()
    page.select_option("select[name=category]", "workshop")
    page.locator("#near-me").click()  # 5 km by default
    wait_count(page, "attractions", "1")
    shared = page.url
    assert query(page)["category"] == "workshop" and "near" in query(page)
    # The near-me view is zoomed to the circle; the workshop may sit in a cluster with its events.
    page.goto(
        shared.replace(f"z={query(page)['z']}", "z=18")
        .replace(f"lat={query(page)['lat']}", "lat=-3.72532")
        .replace(f"lon={query(page)['lon']}", "lon=128.13905")
    )
    page.wait_for_function(READY)
    wait_count(page, "attractions", "1")
    # Its weekly class is drawn on top, in the middle: tap the workshop's ring (the sheet
    # lists the workshop first, then the class on the same spot).
    page.locator("path.marker-attractions.slug-bengkel-tifa-suling-amahusu").click(
        position={"x": 3, "y": 10}
    )
    page.locator("#map-sheet .popup-distance").first.wait_for()
    page.locator("#map-sheet a.popup-title").first.click()
    page.wait_for_url("**/attractions/bengkel-tifa-suling-amahusu/")
    assert page.locator(".gallery img").count() >= 1
    assert page.locator('a[href^="https://wa.me/62"]').count() == 1
    assert page.locator('a[href^="tel:+62"]').count() == 1


def test_thousands_of_markers_are_clustered(page, live_server, tourism_demo):
    import random
    import time

    from django.contrib.gis.geos import Point

    from tourism.models import Attraction
    from villages.models import Village

    village = Village.objects.get(slug="amahusu")
    rng = random.Random(7)
    Attraction.objects.bulk_create(
        [
            Attraction(
                village=village,
                name=f"Bulk {n}",
                slug=f"bulk-{n}",
                category="culinary",
                location=Point(128.05 + rng.random() * 0.3, -3.80 + rng.random() * 0.2, srid=4326),
            )
            for n in range(5000)
        ]
    )
    started = time.perf_counter()
    open_map(page, live_server, "/?layers=attractions")
    wait_count(page, "attractions", "5009")
    page.wait_for_selector(".cluster-attractions")
    assert time.perf_counter() - started < 10
    # 5,009 points, but only a few dozen bubbles and markers in the page.
    drawn = page.locator(".cluster-attractions, path.marker-attractions").count()
    assert 5 < drawn < 400, drawn
    total = page.evaluate(
        "[...document.querySelectorAll('.cluster-attractions span')].reduce((n, e) => n + Number(e.textContent), 0)"
    )
    # A phone at zoom 12 sees about two thirds of the spread; those points are all accounted for.
    assert total + page.locator("path.marker-attractions").count() >= 2500


def test_villages_at_a_national_zoom_are_bubbles_that_open(page, live_server, tourism_demo):
    """Below view zoom 11 villages too small to see come grouped (villages/tiles.py)."""
    open_map(page, live_server, "/?lat=-3.69&lon=128.19&z=7&layers=villages")
    wait_count(page, "villages", "51")
    page.wait_for_selector(".cluster-villages")
    total = page.evaluate(
        "[...document.querySelectorAll('.cluster-villages span')]"
        ".reduce((n, e) => n + Number(e.textContent), 0)"
    )
    assert total > 10
    before = int(query(page)["z"])
    page.locator(".cluster-villages").first.click()
    page.wait_for_function(f"new URLSearchParams(location.search).get('z') !== '{before}'")
    assert int(query(page)["z"]) > before
