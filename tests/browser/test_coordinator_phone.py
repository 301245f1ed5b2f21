"""The issue's "done when", in a real phone-sized browser: a coordinator draws a bamboo
planting with a photo, a double tap stores it once, AMO verifies it, the public map shows it."""

import datetime
import io

import pytest
from PIL import Image

from greenscore.models import ConservationAction

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(chromium):
    """The session's headless Chromium (tests/browser/conftest.py)."""
    return chromium


def phone(browser, live_server, user, client_factory, **context_options):
    """A phone-sized page signed in as `user` (session cookie from Django's test client)."""
    client = client_factory()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        extra_http_headers={"Accept-Language": "en"},
        **context_options,
    )
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    context.route("**/tile.openstreetmap.org/**", lambda route: route.abort())  # offline
    return context.new_page()


def test_bamboo_planting_from_a_phone_to_the_public_map(
    transactional_db, live_server, browser, people, species, tmp_path, settings, django_user_model
):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    errors = []
    # The phone stands in village Alpha (centre 128.20, -3.70) and lets the page read its position.
    page = phone(
        browser,
        live_server,
        people["coord_a"],
        Client,
        geolocation={"latitude": -3.7001, "longitude": 128.2002, "accuracy": 8},
        permissions=["geolocation"],
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/coordinator/actions/new/")
    page.select_option("#id_village", label="Alpha")
    page.select_option("#id_kind", "bamboo_planting")
    page.fill("#id_date", (datetime.date.today() - datetime.timedelta(days=1)).isoformat())
    page.tap("#use-my-location")
    page.wait_for_function("document.getElementById('id_geometry').value.includes('Point')")
    assert "128.2002" in page.input_value("#id_geometry") and "-3.7001" in page.input_value(
        "#id_geometry"
    )
    # Then draw the planted area instead, with Leaflet.draw by touch: four taps, then tap the first vertex to close it.
    page.tap(".leaflet-draw-draw-polygon")
    box = page.locator(".leaflet-container").bounding_box()
    # Right half, lower half: clear of the draw toolbar and its Finish/Cancel buttons.
    cx, cy = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.65
    for dx, dy in [(-30, -30), (30, -30), (30, 30), (-30, 30)]:
        page.touchscreen.tap(cx + dx, cy + dy)
        page.wait_for_timeout(400)  # taps closer together read as a double tap
    page.locator(".leaflet-marker-pane .leaflet-div-icon").first.tap()  # close on the first vertex
    geometry = page.input_value("#id_geometry")
    assert '"Polygon"' in geometry, geometry
    page.fill("#id_quantity", "30")
    page.select_option("#id_unit", "seedlings")
    page.fill("#id_participants_total", "8")
    page.fill("#id_participants_women", "4")
    page.select_option("#id_species_1", label="bambu tui (Schizostachyum brachycladum)")
    page.fill("#id_count_1", "30")
    photo = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 110, 50)).save(photo, "JPEG")
    page.set_input_files(
        "#id_photo",
        files=[{"name": "bambu.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}],
    )
    # The phone sends the form twice (a double tap or a retry on a weak connection).
    form_data = page.evaluate(
        "() => [...new FormData(document.querySelector('form.stack')).entries()].filter(([k, v]) => typeof v === 'string')"
    )
    page.click("button.primary")
    page.wait_for_url("**/coordinator/actions/")
    status = page.evaluate(
        """async (entries) => {
        const body = new URLSearchParams(entries);
        const response = await fetch(location.pathname + 'new/', {method: 'POST', body, redirect: 'manual'});
        return response.type === 'opaqueredirect' ? 302 : response.status;
    }""",
        form_data,
    )
    assert status == 302
    action = ConservationAction.objects.get()
    assert action.geometry.geom_type == "Polygon" and action.area_m2 > 100
    assert action.photos.count() == 1

    reviewer = phone(browser, live_server, people["reviewer"], Client)
    reviewer.goto(f"{live_server.url}/review/")
    reviewer.check(f'input[name="ids"][value="{action.pk}"]')
    reviewer.click("button.primary")
    reviewer.wait_for_url("**/review/?type=actions")
    action.refresh_from_db()
    assert action.status == "verified"

    visitor = browser.new_page(viewport={"width": 390, "height": 844})
    visitor.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    visitor.goto(f"{live_server.url}/")
    visitor.wait_for_selector(".leaflet-container[data-actions]", state="attached")
    assert visitor.get_attribute(".leaflet-container", "data-actions") == "1"
    assert not errors, errors
    for context in browser.contexts:
        context.close()  # end keep-alive connections before the live server stops
