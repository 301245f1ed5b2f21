"""Opening a page in a browser test and waiting until it is ready."""


def visit(page, url, *, ready):
    """Open `url`, wait until `ready` (a selector or a JS condition) holds, return the response."""
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    if ready.startswith("js:"):
        page.wait_for_function(ready[3:])
    else:
        page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")
    return response


def signed_in_context(browser_context, live_server, user, *, language, **options):
    """A browser context in `language`, signed in as `user` (None: anonymous).

    The session comes from Django's test client, so no sign-in form is driven."""
    from django.test import Client

    context = browser_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    cookies = [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        cookies.append({"name": "sessionid", "value": session, "domain": host, "path": "/"})
    context.add_cookies(cookies)
    return context


def page_recording_errors(context):
    """A new page of `context` that keeps the page's uncaught errors in `page.errors_seen`."""
    page = context.new_page()
    page.errors_seen = []
    page.on("pageerror", lambda error: page.errors_seen.append(str(error)))
    return page


def people_and_a_filed_action(
    django_user_model, *, coordinator, reviewer, villages=("amahusu",), publish=True
):
    """Over the tourism demo: a coordinator of `villages` with one submitted action in the
    first, a reviewer, and (with `publish`) 2026 scorecards published for the SoG villages."""
    import uuid
    from datetime import date

    from django.contrib.gis.geos import Point

    from greenscore.models import ConservationAction
    from tests.greenscore.scorecard_factories import ensure_catalogue
    from villages import roles
    from villages.models import Village

    ensure_catalogue()  # a transactional test may run after another one flushed the tables
    home = Village.objects.get(slug=villages[0])
    coordinator = django_user_model.objects.create_user(coordinator, password="pw-coord-123")
    reviewer = django_user_model.objects.create_user(reviewer, password="pw-review-123")
    for slug in villages:
        roles.grant_coordinator(user=coordinator, village=Village.objects.get(slug=slug))
    roles.grant_reviewer(user=reviewer)
    action = ConservationAction.objects.create(
        client_uuid=uuid.uuid4(),
        village=home,
        kind="tree_planting",
        date=date(2026, 5, 1),
        geometry=home.centre or Point(128.14, -3.72, srid=4326),
        quantity=12,
        unit="seedlings",
        author=coordinator,
        status="submitted",
    )
    if publish:
        publish_2026(reviewer)
    return {"village": home, "coordinator": coordinator, "reviewer": reviewer, "action": action}


def publish_2026(reviewer):
    """The 2026 scorecards of Amahusu and Dusun Tuni, published by `reviewer`."""
    from greenscore.scorecard import services as scorecard
    from greenscore.scorecard.periods import Period
    from villages.models import Village

    for slug in ("amahusu", "dusun-tuni"):
        village = Village.objects.get(slug=slug)
        scorecard.publish(village=village, period=Period.parse("2026"), user=reviewer)
