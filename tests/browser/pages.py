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
