"""Guest stays and event reports: 20 parallel POSTs with one client_uuid store one log.

Like tests/greenscore/test_actions_retry.py, against the threaded live server on both databases.
"""

import pytest

from tests.concurrency import PARALLEL, assert_stored_once, race, statuses
from tests.tourism.test_api_logs import places, report, stay  # noqa: F401 (places: a fixture)
from tourism.models import EventReport, GuestStay


@pytest.fixture
def token(transactional_db, people, places):  # noqa: F811
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=people["coord_a"]).key


KINDS = [("/api/v1/guest-stays/", stay, GuestStay), ("/api/v1/event-reports/", report, EventReport)]


@pytest.mark.parametrize("url,make,model", KINDS, ids=["guest-stays", "event-reports"])
def test_twenty_parallel_identical_posts_leave_one_row(live_server, token, url, make, model):
    body = make()
    results = race(live_server.url + url, token, [body] * PARALLEL)

    assert_stored_once(results, model)


@pytest.mark.parametrize("url,make,model", KINDS, ids=["guest-stays", "event-reports"])
def test_twenty_parallel_posts_of_two_contents_are_one_row_and_conflicts(
    live_server, token, url, make, model
):
    first = make()
    second = {**first, "revenue_idr": first["revenue_idr"] + 1000}
    results = race(live_server.url + url, token, [first, second] * (PARALLEL // 2))

    counts = statuses(results)
    assert counts == {201: 1, 200: PARALLEL // 2 - 1, 409: PARALLEL // 2}, f"{dict(counts)}"
    stored = model.objects.get()
    winner = first if stored.revenue_idr == first["revenue_idr"] else second
    for body, (status, answer) in zip([first, second] * (PARALLEL // 2), results, strict=True):
        assert (status in (200, 201)) == (body is winner), (status, answer)
