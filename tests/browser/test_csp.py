"""The Content-Security-Policy in a real browser: every main page loads, works, and causes no
violation (no inline script without the nonce, no inline style), and the header is sent."""

import pytest
from django.db import connections

from tests.browser.pages import (
    page_recording_errors,
    people_and_a_filed_action,
    signed_in_context,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: records every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber} ${e.sample}`
  );
});
"""


@pytest.fixture
def site(tourism_demo, django_user_model):
    """The tourism demo, scorecard references, a coordinator of Amahusu with a filed action, a
    reviewer and an administrator."""
    people = people_and_a_filed_action(django_user_model, coordinator="coord", reviewer="reviewer")
    people["admin"] = django_user_model.objects.create_superuser("admin", password="pw-admin-123")
    yield people
    # ORM calls made while Playwright's loop runs may hold their own connection; close it,
    # or PostgreSQL refuses to drop the test database at the end of the session.
    connections.close_all()


def signed_in(browser_context, live_server, user):
    """A page whose session is `user`'s, recording CSP violations, console messages and errors."""
    context = signed_in_context(browser_context, live_server, user, language="id")
    context.add_init_script(RECORD_VIOLATIONS)
    page = page_recording_errors(context)
    page.console_messages_seen = []
    page.on("console", lambda message: page.console_messages_seen.append(message.text))
    return page


def assert_clean(page, response):
    policy = response.header_value("content-security-policy")
    assert policy, f"no Content-Security-Policy on {page.url}"
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy, policy
    violations = page.evaluate("window.__cspViolations")
    console = [m for m in page.console_messages_seen if "Content Security Policy" in m]
    assert violations == [] and console == [], (page.url, violations, console)
    assert page.errors_seen == [], (page.url, page.errors_seen)


PUBLIC_PAGES = [
    # (path, what shows that the page's scripts ran)
    ("/", "js:document.querySelector('#sog-map')?.dataset.ready === '1'"),
    ("/villages/amahusu/", "#village-map .leaflet-map-pane"),
    ("/attractions/hutan-musik-amahusu/", "#place-map .leaflet-map-pane"),
    ("/events/", "main"),
    (
        "/scorecard/?period=2026",
        "js:document.querySelector('#scorecard-map')?.dataset.ready === '1'",
    ),
    ("/scorecard/amahusu/?period=2026", ".pillar"),
    ("/scorecard/methodology/", "main"),
    ("/accounts/login/", "form"),
    ("/api/docs/", ".swagger-ui .opblock"),
    ("/api/v1/species/", ".response-info"),  # DRF's browsable API
]


def test_public_pages_run_under_the_policy(site, browser_context, live_server):
    page = signed_in(browser_context, live_server, None)
    for path, ready in PUBLIC_PAGES:
        response = visit(page, live_server.url + path, ready=ready)
        assert_clean(page, response)


def test_an_inline_script_without_the_nonce_is_refused(site, browser_context, live_server):
    """The control: the policy is enforced, and this test's listener sees a violation."""
    page = signed_in(browser_context, live_server, None)
    visit(page, live_server.url + "/events/", ready="main")
    page.evaluate("""() => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true";
      document.body.append(s);
      const d = document.createElement("div");
      d.setAttribute("style", "color: red");
      document.body.append(d);
    }""")
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.__inlineRan") is None
    directives = " ".join(page.evaluate("window.__cspViolations"))
    assert "script-src-elem" in directives and "style-src-attr" in directives


def test_scripts_that_replaced_inline_code_still_work(site, browser_context, live_server):
    page = signed_in(browser_context, live_server, None)
    # The language menu submits itself (it had an inline onchange handler).
    response = visit(page, live_server.url + "/events/", ready="main")
    page.locator("#site-menu > summary").click()  # the language menu is in the phone menu
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_clean(page, response)
    # Comparing joins the ticked villages into one parameter (it had an inline script).
    response = visit(page, live_server.url + "/scorecard/compare/?period=2026", ready="form")
    page.locator("input.pick[value='amahusu']").check()
    page.locator("input.pick[value='dusun-tuni']").check()
    with page.expect_navigation():
        page.locator(".period-form button[type=submit]").click()
    assert {"villages=amahusu%2Cdusun-tuni", "villages=dusun-tuni%2Camahusu"} & set(
        page.url.split("?", 1)[1].split("&")
    )
    assert page.locator(".compare-charts figure").count() == 2
    assert_clean(page, response)


def test_signed_in_pages_with_maps_run_with_the_nonce(site, browser_context, live_server):
    from tourism.models import Trail

    action = site["action"].pk
    pages = [
        (
            site["coordinator"],
            [
                ("/coordinator/actions/new/", ".leaflet-draw-draw-polygon"),
                (f"/coordinator/actions/{action}/", "#log-map .leaflet-overlay-pane path"),
            ],
        ),
        (
            site["reviewer"],
            [
                ("/review/", "#review-map .leaflet-overlay-pane path"),
                (f"/review/actions/{action}/", "#review-map .leaflet-overlay-pane path"),
                ("/review/import/", "form"),
            ],
        ),
        (
            site["admin"],
            [
                (
                    f"/admin/villages/village/{site['village'].pk}/change/",
                    ".leaflet-container .leaflet-overlay-pane path",
                ),
                (
                    f"/admin/tourism/trail/{Trail.objects.first().pk}/change/",
                    ".leaflet-container .leaflet-overlay-pane path",
                ),
                ("/admin/", "#content"),
            ],
        ),
    ]
    for user, paths in pages:
        page = signed_in(browser_context, live_server, user)
        for path, ready in paths:
            response = visit(page, live_server.url + path, ready=ready)
            assert_clean(page, response)
