"""The coordinators' offline app in a real Chromium (issue 10): logs saved without a network
reach the server once, through reloads and a browser restart; a lost answer is retried into
one row; refusals and conflicts are shown; the form's map is never blank; the service
worker serves the coordinator pages offline in both languages."""

import datetime
import io
import json
import uuid

import pytest
from django.utils import timezone
from PIL import Image

from greenscore.models import ConservationAction
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LOCAL
from tests.greenscore.conftest import (  # noqa: F401
    make_action,
    people,
    species,
    village_a,
    village_b,
)
from tests.tourism.test_api_logs import places  # noqa: F401
from tourism.models import EventReport, GuestStay

pytestmark = pytest.mark.browser
# Dates as the server reckons them (Ambon's day, WIT): from 15:00 UTC on, the machine's own
# date is a day behind, and its "tomorrow" is Ambon's today, which is no future date.
TODAY = timezone.localdate()
YESTERDAY = (TODAY - datetime.timedelta(days=1)).isoformat()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


def session_cookie(live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    host = live_server.url.split("//")[1].split(":")[0]
    return {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "domain": host,
        "path": "/",
        # A persistent cookie, so it survives closing the browser like a real sign-in.
        "expires": int((datetime.datetime.now() + datetime.timedelta(days=1)).timestamp()),
    }


def prepare(context, live_server, user, language="en"):
    context.add_cookies(
        [
            session_cookie(live_server, user),
            {
                "name": "django_language",
                "value": language,
                "domain": live_server.url.split("//")[1].split(":")[0],
                "path": "/",
            },
        ]
    )
    context.route(lambda url: not LOCAL.match(url), lambda route: route.abort())  # no tiles
    context.set_default_timeout(15_000)
    return context


def open_app(page, live_server, path="/coordinator/"):
    """Open a coordinator page and wait until the offline app runs under its service worker."""
    page.goto(f"{live_server.url}{path}")
    # The first install precaches the shell: slow on a loaded machine.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    page.wait_for_function("document.documentElement.dataset.offlineReady === '1'")


def persistent(chromium, profile):
    return chromium.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport={"width": 390, "height": 844},
        locale="en-US",
    )


def queue_guest_stay(page, *, nights, domestic=0, foreign=0):
    """Fill the guest-stay form (Rumah a, yesterday) and save it into the outbox."""
    page.wait_for_selector("form.log-form[data-offline='ready']")
    page.select_option("#id_homestay", label="Rumah a")
    page.fill("#id_date", YESTERDAY)
    page.fill("#id_nights", str(nights))
    if domestic:
        page.fill("#id_guests_domestic", str(domestic))
    if foreign:
        page.fill("#id_guests_foreign", str(foreign))
    save(page)
    page.wait_for_url("**/coordinator/outbox/")


def queue_guest_stay_offline(page, live_server, **stay):
    """Open the guest-stay form under the worker, lose the network, and queue a stay."""
    open_app(page, live_server, "/coordinator/guest-stays/new/")
    page.context.set_offline(True)
    page.reload()
    queue_guest_stay(page, **stay)


def set_geometry(page, lon, lat):
    page.eval_on_selector(
        "#id_geometry",
        "(el, v) => { el.value = v; }",
        json.dumps({"type": "Point", "coordinates": [lon, lat]}),
    )


def fill_action(page, *, date=YESTERDAY, photo=False):
    page.wait_for_selector("form.log-form[data-offline='ready']")
    page.select_option("#id_kind", "bamboo_planting")
    page.fill("#id_date", date)
    set_geometry(page, 128.2001, -3.7001)
    page.fill("#id_quantity", "25")
    page.select_option("#id_unit", "seedlings")
    page.fill("#id_participants_total", "6")
    page.fill("#id_participants_women", "3")
    if photo:
        buffer = io.BytesIO()
        Image.new("RGB", (3000, 2000), (30, 110, 50)).save(buffer, "JPEG")
        page.set_input_files(
            "#id_photo",
            files=[{"name": "bambu.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}],
        )


def save(page):
    page.click("form.log-form button.primary")


def outbox_count(page):
    return page.evaluate("document.getElementById('outbox-items').dataset.count")


def test_three_logs_offline_survive_reload_and_restart_then_sync_once(
    chromium,
    transactional_db,
    live_server,
    people,
    species,
    places,
    tmp_path,
    settings,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path / "media"
    profile = tmp_path / "profile"
    context = prepare(persistent(chromium, profile), live_server, people["coord_a"])
    page = context.pages[0] if context.pages else context.new_page()
    open_app(page, live_server)
    context.set_offline(True)

    page.goto(f"{live_server.url}/coordinator/actions/new/")
    fill_action(page, photo=True)
    save(page)
    page.wait_for_url("**/coordinator/outbox/")
    page.wait_for_selector(".outbox-item")

    page.goto(f"{live_server.url}/coordinator/guest-stays/new/")
    queue_guest_stay(page, nights=2, domestic=2)

    page.goto(f"{live_server.url}/coordinator/event-reports/new/")
    page.wait_for_selector("form.log-form[data-offline='ready']")
    page.select_option("#id_kind", "performance")
    page.fill("#id_date", YESTERDAY)
    page.fill("#id_title", "Latihan suling")
    page.fill("#id_audience", "40")
    save(page)
    page.wait_for_url("**/coordinator/outbox/")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '3'")
    assert "bambu.jpg" in page.inner_text("#outbox-items"), page.evaluate("""() => new Promise((ok) => {
        const r = indexedDB.open('sog-offline');
        r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').getAll();
          q.onsuccess = () => ok(JSON.stringify(q.result.map(i => [i.kind, !!i.photo, i.photo_name, Object.keys(i)]))); };
    })""")

    page.reload()
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '3'")
    assert (
        ConservationAction.objects.count() + GuestStay.objects.count() + EventReport.objects.count()
        == 0
    )
    page.wait_for_load_state("networkidle")
    context.close()

    # The phone restarts with the network back: the app sends everything, once.
    context = prepare(persistent(chromium, profile), live_server, people["coord_a"])
    page = context.pages[0] if context.pages else context.new_page()
    open_app(page, live_server, "/coordinator/outbox/")
    try:
        page.wait_for_function(
            "document.getElementById('outbox-items').dataset.count === '0'", timeout=30_000
        )
    except Exception:
        print("OUTBOX", page.inner_text("#outbox-items"), page.inner_text("#outbox-status"))
        raise
    assert ConservationAction.objects.count() == 1
    assert GuestStay.objects.count() == 1 and EventReport.objects.count() == 1
    action = ConservationAction.objects.get()
    assert action.photos.count() == 1
    photo = action.photos.get()
    assert max(photo.image.width, photo.image.height) <= 2048  # scaled on the device
    assert page.get_attribute("#outbox-status", "data-waiting") == "0"
    page.wait_for_load_state("networkidle")
    context.close()


def test_a_lost_answer_is_retried_into_one_row(
    browser_context,
    live_server,
    people,
    species,
    places,
    settings,
    tmp_path,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    open_app(page, live_server, "/coordinator/actions/new/")
    answers = []
    lost = []

    def lose_first(route):
        if route.request.method == "POST" and not lost:
            response = route.fetch()  # the server stores the log ...
            lost.append(response.status)
            route.abort()  # ... and the phone never hears
        else:
            route.continue_()

    context.route("**/api/v1/actions/", lose_first)
    page.on(
        "response",
        lambda r: (
            answers.append(r.status)
            if r.url.endswith("/api/v1/actions/") and r.request.method == "POST"
            else None
        ),
    )
    fill_action(page)
    save(page)
    page.wait_for_url("**/coordinator/outbox/")
    assert lost == [201] and ConservationAction.objects.count() == 1
    page.click("#outbox-send")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '0'")
    assert answers[-1] == 200
    assert ConservationAction.objects.count() == 1


def test_refused_log_needs_fixing_and_a_conflict_shows_both(
    browser_context,
    live_server,
    people,
    species,
    places,
    settings,
    tmp_path,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    open_app(page, live_server, "/coordinator/actions/new/")
    context.set_offline(True)
    page.reload()
    fill_action(page, date=TOMORROW)  # only the server knows the date is in the future
    save(page)
    page.wait_for_url("**/coordinator/outbox/")

    page.goto(f"{live_server.url}/coordinator/guest-stays/new/")
    page.wait_for_selector("form.log-form[data-offline='ready']")
    stay_uuid = page.input_value("#id_client_uuid")
    queue_guest_stay(page, nights=3, foreign=1)
    # Meanwhile the same client_uuid was stored with other content (e.g. from another device).
    from villages.logs import kinds

    kinds.get("guest-stays").create(
        author=people["coord_a"],
        data={
            "client_uuid": uuid.UUID(stay_uuid),
            "village": places["homestay_a"].village,
            "homestay": places["homestay_a"],
            "date": TODAY - datetime.timedelta(days=1),
            "nights": 5,
            "guests_foreign": 1,
        },
    )

    context.set_offline(False)
    page.click("#outbox-send")
    page.wait_for_selector(".outbox-item[data-state='needs_fixing']")
    page.wait_for_selector(".outbox-item[data-state='conflict']")
    fixing = page.inner_text(".outbox-item[data-state='needs_fixing']")
    assert "future" in fixing, fixing
    conflict = page.locator(".outbox-item[data-state='conflict']")
    assert "nights: 5" in conflict.locator(".conflict-stored").inner_text()
    assert "nights: 3" in conflict.locator(".conflict-device").inner_text()
    conflict.locator("button.keep-device").click()
    page.wait_for_function("document.querySelectorAll('.outbox-item').length === 1")
    assert GuestStay.objects.get(client_uuid=stay_uuid).nights == 3

    page.click(".outbox-item[data-state='needs_fixing'] a.button")
    page.wait_for_selector(".offline-errors[data-field='date']")
    assert "future" in page.inner_text(".offline-errors[data-field='date']")
    assert page.input_value("#id_quantity") == "25"
    page.fill("#id_date", YESTERDAY)
    save(page)
    page.wait_for_url("**/coordinator/actions/")
    assert ConservationAction.objects.count() == 1


def test_offline_map_shows_boundary_and_land_without_tiles(
    browser_context,
    live_server,
    people,
    species,
    places,  # noqa: F811
):
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    open_app(page, live_server, "/coordinator/actions/new/")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(".leaflet-container[data-boundaries='1']")
    page.wait_for_function("document.querySelectorAll('.leaflet-sog-land-pane path').length > 0")
    assert page.evaluate("document.querySelectorAll('.leaflet-tile-loaded').length") == 0
    assert page.locator("path.village-boundary").count() == 1


def test_service_worker_serves_the_coordinator_pages_offline_in_both_languages(
    browser_context,
    live_server,
    people,
    species,
    places,  # noqa: F811
):
    context = prepare(
        browser_context(locale="id-ID"), live_server, people["coord_a"], language="id"
    )
    page = context.new_page()
    open_app(page, live_server)
    # Both languages were precached, whatever the current one.
    english = page.evaluate(
        "caches.open('sog-pages').then(c => c.match('/coordinator/?__lang=en', {ignoreVary: true})).then(r => r.text())"
    )
    assert "My villages" in english
    context.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == "Desa saya"
    context.set_offline(False)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    open_app(page, live_server)
    context.set_offline(True)
    page.reload()
    assert page.inner_text("h1") == "My villages"
    assert page.evaluate("navigator.onLine") is False


def test_expired_session_keeps_the_outbox_and_sign_out_warns(
    browser_context,
    live_server,
    people,
    species,
    places,  # noqa: F811
):
    from django.contrib.sessions.models import Session

    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    queue_guest_stay_offline(page, live_server, nights=1, domestic=2)
    Session.objects.all().delete()  # the session ends while the phone is offline
    context.set_offline(False)
    page.click("#outbox-send")
    try:
        page.wait_for_function(
            "document.getElementById('outbox-status').textContent.includes('Sign in again')"
        )
    except Exception:
        print("STATUS", page.inner_text("#outbox-status"), page.url)
        raise
    assert outbox_count(page) == "1" and GuestStay.objects.count() == 0

    # Signing out with a log unsent asks first; saying no keeps everything.
    context.add_cookies([session_cookie(live_server, people["coord_a"])])
    open_app(page, live_server, "/coordinator/outbox/")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '0'")
    assert GuestStay.objects.count() == 1
    context.set_offline(True)
    page.goto(f"{live_server.url}/coordinator/guest-stays/new/")
    queue_guest_stay(page, nights=4, foreign=1)
    messages = []  # still offline: the log cannot have gone

    def refuse(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.locator("summary.site-menu-button").click()
    page.click("form.sign-out button")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '1'")
    page.wait_for_timeout(500)
    assert messages and "not been sent" in messages[0]
    assert page.url.endswith("/coordinator/outbox/")


def test_village_tiles_prefetched_at_zooms_13_to_17_from_a_server_that_allows_it(
    browser_context,
    live_server,
    people,
    species,
    places,
    village_a,
    settings,  # noqa: F811
):
    """SOG_TILE_PREFETCH with a tile server that allows bulk downloads (here one on this
    machine, answering every tile with CORS): the worker fetches and keeps the tiles covering
    the coordinator's village at zooms 13-17, and no others."""
    import math
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(buffer, "PNG")
    png = buffer.getvalue()
    requested = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    tiles = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=tiles.serve_forever, daemon=True).start()
    try:
        settings.SOG_TILE_URL = f"http://127.0.0.1:{tiles.server_port}/{{z}}/{{x}}/{{y}}.png"
        settings.SOG_TILE_PREFETCH = True
        context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
        page = context.new_page()
        open_app(page, live_server)

        lon0, lat0, lon1, lat1 = (round(v, 6) for v in village_a.boundary.extent)

        def x(lon, z):
            return math.floor((lon + 180) / 360 * 2**z)

        def y(lat, z):
            r = math.radians(lat)
            return math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * 2**z)

        expected = {
            f"/{z}/{tx}/{ty}.png"
            for z in range(13, 18)
            for tx in range(x(lon0, z), x(lon1, z) + 1)
            for ty in range(y(lat1, z), y(lat0, z) + 1)
        }
        kept = []
        for _ in range(300):  # the worker fetches them in the background
            kept = page.evaluate(
                "async () => (await (await caches.open('sog-tiles')).keys())"
                ".map(r => new URL(r.url).pathname)"
            )
            if len(kept) >= len(expected):
                break
            page.wait_for_timeout(200)
        assert set(kept) == expected
        assert set(requested) == expected  # each once, and nothing outside 13-17
        assert len(requested) == len(expected)
    finally:
        tiles.shutdown()
        tiles.server_close()


def test_an_edit_page_kept_from_an_online_visit_saves_offline_and_syncs_as_an_update(
    browser_context,
    live_server,
    people,
    species,
    places,
    make_action,  # noqa: F811
):
    """Two logs edited offline on pages seen online: one is updated (no second row); the
    other AMO verified meanwhile, so it shows as a conflict with both versions."""
    action = make_action(quantity=10, unit="seedlings")
    other = make_action(quantity=12, unit="seedlings")
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    for log in (action, other):
        edit = f"/coordinator/actions/{log.pk}/edit/"
        open_app(page, live_server, edit)  # seen online: the worker keeps the page
        for _ in range(100):  # once it controls a page it fetches and keeps it
            if page.evaluate(
                "async (path) => !!(await (await caches.open('sog-pages')).match("
                "path + '?__lang=en', {ignoreVary: true}))",
                edit,
            ):
                break
            page.wait_for_timeout(200)
    context.set_offline(True)
    for log, quantity in ((action, "30"), (other, "40")):
        page.goto(f"{live_server.url}/coordinator/actions/{log.pk}/edit/")
        page.wait_for_selector("form.log-form[data-offline='ready']")
        page.fill("#id_quantity", quantity)
        save(page)
        page.wait_for_url("**/coordinator/outbox/")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '2'")
    action.refresh_from_db()
    assert action.quantity == 10  # nothing reached the server
    type(other).objects.filter(pk=other.pk).update(status="verified")  # AMO, meanwhile

    context.set_offline(False)
    page.click("#outbox-send")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '1'")
    assert ConservationAction.objects.count() == 2  # an update, not another log
    action.refresh_from_db()
    other.refresh_from_db()
    assert action.quantity == 30 and other.quantity == 12
    conflict = page.locator(".outbox-item[data-state='conflict']")
    assert "quantity: 12" in conflict.locator(".conflict-stored").inner_text()
    assert "quantity: 40" in conflict.locator(".conflict-device").inner_text()


def test_two_tabs_send_a_waiting_log_once(
    browser_context,
    live_server,
    people,
    species,
    places,  # noqa: F811
):
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    first = context.new_page()
    queue_guest_stay_offline(first, live_server, nights=2, domestic=2)
    second = context.new_page()
    second.goto(f"{live_server.url}/coordinator/outbox/")
    second.wait_for_function("document.getElementById('outbox-items').dataset.count === '1'")
    posts = []
    context.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and "/api/v1/guest-stays/" in r.url else None
        ),
    )
    context.set_offline(False)  # both tabs hear "online" and sync at once
    for page in (first, second):
        page.evaluate("document.getElementById('outbox-send').click()")
    for page in (first, second):
        page.wait_for_function("document.getElementById('outbox-items').dataset.count === '0'")
    assert len(posts) == 1, posts
    assert GuestStay.objects.count() == 1


def test_a_full_device_storage_is_reported_and_nothing_is_lost_silently(
    browser_context,
    live_server,
    people,
    species,
    places,  # noqa: F811
):
    """The browser refusing a write for quota (simulated: IndexedDB's put throws the
    QuotaExceededError a full device gives) is said on the form, which keeps what was typed;
    with room again the same log is kept."""
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    page.add_init_script(
        """(() => { const put = IDBObjectStore.prototype.put;
          IDBObjectStore.prototype.put = function (...args) {
            if (window.__deviceFull && this.name === 'outbox')
              throw new DOMException('Quota exceeded', 'QuotaExceededError');
            return put.apply(this, args); }; })()"""
    )
    open_app(page, live_server, "/coordinator/actions/new/")
    context.set_offline(True)
    page.reload()
    page.evaluate("window.__deviceFull = true")
    fill_action(page, photo=True)
    save(page)
    page.wait_for_selector(".offline-message")
    message = page.inner_text(".offline-message")
    assert "storage is full" in message and "NOT saved" in message, message
    assert page.url.endswith("/coordinator/actions/new/")  # the form stays, filled in
    assert page.input_value("#id_quantity") == "25"
    page.evaluate("window.__deviceFull = false")
    save(page)  # room again: it is kept
    page.wait_for_url("**/coordinator/outbox/")
    page.wait_for_function("document.getElementById('outbox-items').dataset.count === '1'")


def test_amo_decisions_reach_the_device_with_the_reason(
    browser_context,
    live_server,
    people,
    species,
    places,
    make_action,  # noqa: F811
):
    """On sync the app pulls the coordinator's logs changed since the last one and the outbox
    page lists what AMO verified or sent back, with the reason, offline too."""
    verified = make_action(status="verified")
    rejected = make_action(status="rejected")  # reason "blurry photo"
    make_action()  # still waiting for AMO: not listed
    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    open_app(page, live_server, "/coordinator/outbox/")
    page.wait_for_function("document.querySelectorAll('#outbox-decided .decided').length === 2")
    context.set_offline(True)
    page.reload()
    page.wait_for_function("document.querySelectorAll('#outbox-decided .decided').length === 2")
    sent_back = page.locator(f".decided[data-key='actions:{rejected.pk}']")
    assert "Sent back" in sent_back.inner_text() and "blurry photo" in sent_back.inner_text()
    assert page.locator(f".decided.status-verified[data-key='actions:{verified.pk}']").count() == 1


def test_a_new_worker_waits_while_a_form_is_being_filled(
    browser_context,
    live_server,
    people,
    species,
    places,
    monkeypatch,  # noqa: F811
):
    """A new version of the app installs on the next online visit but does not take over a
    page whose form is being filled (nothing reloads, nothing typed is lost); it takes over
    once the form is saved."""
    from greenscore.offline import views

    context = prepare(browser_context(locale="en-US"), live_server, people["coord_a"])
    page = context.new_page()
    open_app(page, live_server, "/coordinator/guest-stays/new/")
    page.fill("#id_nights", "3")  # the form is being filled
    pages = views.shell_pages()
    monkeypatch.setattr(views, "shell_pages", lambda: [*pages, "/coordinator/actions/"])
    page.evaluate("window.sogRegistration.update()")
    for _ in range(150):
        if page.evaluate("window.sogRegistration.waiting !== null"):
            break
        page.wait_for_timeout(200)
    assert page.evaluate("window.sogRegistration.waiting !== null")  # installed, waiting
    page.wait_for_timeout(1000)
    assert page.evaluate("window.sogRegistration.waiting !== null")  # still waiting
    assert page.input_value("#id_nights") == "3"
    page.evaluate(
        """() => { window.sogChanged = false;
          navigator.serviceWorker.addEventListener('controllerchange', () => { window.sogChanged = true; }); }"""
    )
    page.evaluate("window.dispatchEvent(new CustomEvent('sog:saved-on-device'))")  # saved
    page.wait_for_function("window.sogChanged === true")
    assert page.evaluate("window.sogRegistration.waiting") is None
