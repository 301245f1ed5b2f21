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
