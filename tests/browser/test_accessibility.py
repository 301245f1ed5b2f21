"""Accessibility in a real browser: axe-core (vendored from npm in static/vendor/axe-core/) finds
no serious or critical violation on the main pages, in both languages, on a phone (360 px) and a
desktop; and the map works from the keyboard alone.

axe is loaded the way any script of the site is: a <script src> from the site itself, allowed by
the strict Content-Security-Policy ('self'); nothing is relaxed for the test.
"""

import json

import pytest

from tests.browser.pages import page_recording_errors, signed_in_context, visit
from tests.browser.test_navigation import site  # noqa: F401  (the shared demo fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}
MAP_READY = "js:document.querySelector('#sog-map')?.dataset.ready === '1'"
AXE = "/static/vendor/axe-core/axe.min.js"
SERIOUS = ("serious", "critical")

PAGES = [
    ("/", MAP_READY),
    ("/villages/amahusu/", "#village-map .leaflet-map-pane"),
    ("/homestays/", "main"),
    ("/attractions/hutan-musik-amahusu/", "#place-map .leaflet-map-pane"),
    ("/events/", "main"),
    (
        "/scorecard/?period=2026",
        "js:document.querySelector('#scorecard-map')?.dataset.ready === '1'",
    ),
    ("/scorecard/amahusu/?period=2026", ".pillar"),
    ("/coordinator/", "main"),
    ("/coordinator/actions/new/", ".form-map .leaflet-map-pane"),
]
# Pages that exist once other work has landed: checked when their URL name resolves.
OPTIONAL = [
    (("listings:home", {}), "main"),
    (("listings:new", {"kind": "homestays"}), "main form"),
]


def pages():
    from django.urls import NoReverseMatch, reverse

    found = list(PAGES)
    for (name, kwargs), ready in OPTIONAL:
        try:
            found.append((reverse(name, kwargs=kwargs), ready))
        except NoReverseMatch:
            pass
    return found


# Run every axe rule (WCAG 2.x A/AA and best practices); keep what is serious or critical.
RUN_AXE = """async (context) => {
  const results = await axe.run(context || document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({impact: n.impact, target: n.target.join(' '),
                                summary: (n.failureSummary || '').split('\\n').slice(0, 3).join(' ')})),
  }));
}"""


def signed_in_page(browser_context, live_server, user, language, viewport):
    context = signed_in_context(
        browser_context, live_server, user, language=language, viewport=viewport
    )
    return page_recording_errors(context)


def serious_violations(page, context=None):
    """axe's serious and critical violations on the page (or inside `context`, a selector)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE)  # a same-origin script: the page's CSP allows it
        page.wait_for_function("typeof window.axe === 'object'")
    violations = page.evaluate(RUN_AXE, context)
    found = []
    for violation in violations:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in SERIOUS]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def report(where, violations):
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}  -- {node['summary']}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_axe_finds_no_serious_violation(site, browser_context, live_server, language, width):  # noqa: F811
    viewport = PHONE if width == "phone" else DESKTOP
    page = signed_in_page(browser_context, live_server, site["coordinator"], language, viewport)
    problems = []
    counts = {}
    for path, ready in pages():
        visit(page, live_server.url + path, ready=ready)
        assert page.locator("html").get_attribute("lang") == language
        found = serious_violations(page)
        if width == "phone":
            # The phone menu, opened: its links and the language menu are checked too.
            page.locator("#site-menu > summary").click()
            page.wait_for_selector("#site-menu[open] .site-nav a", state="visible")
            found += serious_violations(page, "#site-menu")
        counts[path] = sum(len(v["nodes"]) for v in found)
        if found:
            problems.append(report(f"{path} [{language}, {width}]", found))
        assert page.errors_seen == [], (path, page.errors_seen)
    print(json.dumps({"language": language, "width": width, "serious_nodes": counts}))
    assert not problems, "axe found serious or critical violations:\n" + "\n".join(problems)


# What has the focus: enough to tell the stops apart, and whether the focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, parent: el.parentElement?.id || '', cls: el.getAttribute('class') || '',
    name: el.getAttribute('aria-label') || el.innerText?.trim().slice(0, 60) || '',
    expanded: el.getAttribute('aria-expanded'),
    focusVisible: el.matches(':focus-visible'),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
          || parseFloat(style.strokeWidth) >= 5,
  };
}"""


def kind(stop):
    """A short name for a Tab stop of the map page."""
    cls = stop["cls"]
    for name, test in [
        ("filters", stop["parent"] == "filters-panel"),
        ("menu", stop["parent"] == "site-menu"),
        ("map", stop["id"] == "sog-map"),
        ("zoom-in", "leaflet-control-zoom-in" in cls),
        ("zoom-out", "leaflet-control-zoom-out" in cls),
        ("layers-toggle", "leaflet-control-layers-toggle" in cls),
        ("layer", "leaflet-control-layers-selector" in cls),
        ("homestay", "marker-homestays" in cls),
        ("cluster", "cluster" in cls),
    ]:
        if test:
            return name
    return stop["tag"]


def tab_until(page, wanted, *, limit=60):
    """Press Tab until a stop of kind `wanted` has the focus; return the kinds passed on the way.
    Every stop inside the map must show that it has the focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        seen.append(kind(stop))
        if seen[-1] in (
            "map",
            "zoom-in",
            "zoom-out",
            "layers-toggle",
            "layer",
            "homestay",
            "cluster",
        ):
            assert stop["focusVisible"] and stop["ring"], ("no visible focus", stop)
        if seen[-1] == wanted:
            return seen, stop
    raise AssertionError(f"Tab never reached {wanted}: {seen}")


def homestays_map(page, live_server, zoom):
    url = f"/?lat=-3.72800&lon=128.13700&z={zoom}&layers=homestays"
    visit(page, live_server.url + url, ready=MAP_READY)
    page.wait_for_function("Number(document.querySelector('#sog-map').dataset.homestays) > 0")


def zoom_of(page):
    return page.evaluate("Number(new URLSearchParams(location.search).get('z'))")


def test_map_from_the_keyboard_on_a_desktop(site, browser_context, live_server):  # noqa: F811
    page = signed_in_page(browser_context, live_server, None, "en", DESKTOP)
    homestays_map(page, live_server, 17)
    seen, stop = tab_until(page, "map")
    assert "filters" in seen, seen  # the filters come before the map
    assert stop["name"] == "Map: the arrow keys move it, + and - zoom"
    before = page.evaluate("location.search")
    page.keyboard.press("ArrowRight")  # Leaflet's own keys, while the map has the focus
    page.wait_for_function(f"location.search !== {json.dumps(before)}")

    # The controls come straight after the map, before its markers.
    seen, stop = tab_until(page, "zoom-in")
    assert seen == ["zoom-in"], seen
    assert stop["name"] == "Zoom in"
    page.keyboard.press("Enter")
    page.wait_for_function("Number(new URLSearchParams(location.search).get('z')) === 18")
    seen, stop = tab_until(page, "zoom-out")
    assert seen == ["zoom-out"], seen
    page.keyboard.press(" ")  # Space works as Enter on Leaflet's button-links
    page.wait_for_function("Number(new URLSearchParams(location.search).get('z')) === 17")
    seen, stop = tab_until(page, "homestay")
    assert seen[:-1] and set(seen[:-1]) <= {"layer", "a"}, seen  # the layers, the attribution
    # Every layer of the switcher (villages, four tourism layers, actions, sounds) in turn.
    layers = page.locator(".leaflet-control-layers-selector").count()
    assert layers >= 7 and seen.count("layer") == layers, seen
    marker_name = stop["name"]
    assert marker_name, stop

    # Enter opens the popup and puts the focus on its title; Escape closes it and gives the
    # focus back to the marker.
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup .popup-title", state="visible")
    assert page.evaluate("document.activeElement.className") == "popup-title"
    assert page.evaluate("document.activeElement.textContent") == marker_name
    assert (
        page.locator(".leaflet-popup-close-button").get_attribute("aria-label")
        == "Close the details"
    )
    found = serious_violations(page)
    assert not found, report("/ with a popup open", found)
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    back = page.evaluate(FOCUSED)
    assert kind(back) == "homestay" and back["name"] == marker_name, back
    page.keyboard.press(" ")  # Space too
    page.wait_for_selector(".leaflet-popup .popup-title", state="visible")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")

    # Zoomed out the homestays gather in a cluster: a button that zooms in, the map keeps the focus.
    homestays_map(page, live_server, 13)
    seen, stop = tab_until(page, "cluster")
    assert stop["name"].endswith("places here: zoom in"), stop
    page.keyboard.press("Enter")
    page.wait_for_function("Number(new URLSearchParams(location.search).get('z')) > 13")
    page.wait_for_function("document.activeElement !== document.body")
    assert page.errors_seen == []


def test_map_from_the_keyboard_on_a_phone(site, browser_context, live_server):  # noqa: F811
    page = signed_in_page(browser_context, live_server, None, "id", PHONE)
    homestays_map(page, live_server, 17)
    seen, stop = tab_until(page, "layers-toggle")
    assert seen[-5:] == ["filters", "map", "zoom-in", "zoom-out", "layers-toggle"], seen
    assert stop["name"] == "Lapisan peta" and stop["expanded"] == "false", stop
    assert page.locator("#sog-map").get_attribute("aria-label").startswith("Peta")

    # The layer switcher: Enter opens it on its first layer, Space ticks it, Escape closes it.
    page.keyboard.press("Enter")
    first = page.evaluate(FOCUSED)
    assert kind(first) == "layer", first
    assert page.locator(".leaflet-control-layers-toggle").get_attribute("aria-expanded") == "true"
    found = serious_violations(page)
    assert not found, report("/ with the layer switcher open", found)
    page.keyboard.press(" ")
    page.wait_for_function("document.querySelector('#sog-map').dataset.layers.includes('villages')")
    page.keyboard.press(" ")
    page.wait_for_function(
        "!document.querySelector('#sog-map').dataset.layers.includes('villages')"
    )
    page.keyboard.press("Escape")
    back = page.evaluate(FOCUSED)
    assert kind(back) == "layers-toggle" and back["expanded"] == "false", back

    # A marker opens the sheet at the bottom with the focus on its title; Escape closes it and
    # the focus goes back to the marker; so does the sheet's close button.
    seen, stop = tab_until(page, "homestay")
    marker_name = stop["name"]
    page.keyboard.press("Enter")
    page.wait_for_selector("#map-sheet:not([hidden]) .popup-title", state="visible")
    assert page.evaluate("document.activeElement.textContent") == marker_name
    found = serious_violations(page)
    assert not found, report("/ with the details sheet open", found)
    page.keyboard.press("Escape")
    page.wait_for_selector("#map-sheet", state="hidden")
    assert page.evaluate(FOCUSED)["name"] == marker_name
    page.keyboard.press("Enter")
    page.wait_for_selector("#map-sheet:not([hidden]) .popup-title", state="visible")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.className") == "map-sheet-close"
    page.keyboard.press("Enter")
    page.wait_for_selector("#map-sheet", state="hidden")
    assert page.evaluate(FOCUSED)["name"] == marker_name

    # The filters from the keyboard: open, search, Escape closes them on their summary.
    homestays_map(page, live_server, 15)
    shown = page.evaluate("Number(document.querySelector('#sog-map').dataset.homestays)")
    tab_until(page, "filters")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q"
    found = serious_violations(page)
    assert not found, report("/ with the filters open", found)
    page.keyboard.type("Bambu Tui")
    page.keyboard.press("Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'Bambu Tui'")
    page.wait_for_function(
        f"Number(document.querySelector('#sog-map').dataset.homestays) < {shown}"
    )
    page.keyboard.press("Escape")
    assert page.locator("#filters-panel").get_attribute("open") is None
    assert kind(page.evaluate(FOCUSED)) == "filters"
    assert page.errors_seen == []


@pytest.mark.parametrize(
    "language,text", [("id", "Langsung ke isi"), ("en", "Skip to the content")]
)
def test_the_first_tab_offers_to_skip_the_header(
    site, browser_context, live_server, language, text
):  # noqa: F811
    page = signed_in_page(browser_context, live_server, site["coordinator"], language, PHONE)
    visit(page, live_server.url + "/coordinator/", ready="main")
    link = page.locator(".skip-link")
    assert not link.is_visible() or link.bounding_box()["y"] + link.bounding_box()["height"] <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = link.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert link.inner_text() == text
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the page's content, past the header
    assert page.evaluate("!!document.activeElement.closest('main')")


@pytest.mark.parametrize(
    "language,names",
    [
        ("id", ["Perbesar", "Perkecil", "Tandai satu titik", "Gambar garis", "Gambar area"]),
        ("en", ["Zoom in", "Zoom out", "Draw a marker", "Draw a polyline", "Draw a polygon"]),
    ],
)
def test_action_form_map_controls_speak_the_page_language(
    site,
    browser_context,
    live_server,
    language,
    names,  # noqa: F811
):
    page = signed_in_page(browser_context, live_server, site["coordinator"], language, PHONE)
    visit(page, live_server.url + "/coordinator/actions/new/", ready=".form-map .leaflet-map-pane")
    page.wait_for_selector(".leaflet-draw-draw-marker", state="attached")
    selectors = [
        ".leaflet-control-zoom-in",
        ".leaflet-control-zoom-out",
        ".leaflet-draw-draw-marker",
        ".leaflet-draw-draw-polyline",
        ".leaflet-draw-draw-polygon",
    ]
    found = [page.locator(s).first.get_attribute("title") for s in selectors]
    assert found == names
