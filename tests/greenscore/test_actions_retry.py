"""A phone's retries are stored once, even when 20 POSTs with one client_uuid race each other.

Runs on both databases against the live server, which answers each request in its own thread
with its own database connection (on SpatiaLite the test database is a file, see
backend/settings_test.py), so the requests really contend for the database.
"""

import pytest

from greenscore.models import ConservationAction
from tests.concurrency import PARALLEL, assert_stored_once, race, statuses
from villages.models import AuditEntry

URL = "/api/v1/actions/"


@pytest.fixture
def token(transactional_db, people, species):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=people["coord_a"]).key


def test_twenty_parallel_identical_posts_leave_one_row(live_server, token, payload):
    body = payload()
    results = race(live_server.url + URL, token, [body] * PARALLEL)

    assert_stored_once(results, ConservationAction)
    assert str(ConservationAction.objects.get().client_uuid) == body["client_uuid"]


def test_twenty_parallel_posts_of_two_contents_keep_the_first(live_server, token, payload):
    # One client_uuid, two different logs: whichever is stored first wins; the retries of
    # the winner are 200, the other content is a 409, and nothing is a 5xx.
    first = payload()
    second = {**first, "notes": "Another log under the same client_uuid", "volunteer_hours": "30"}
    results = race(live_server.url + URL, token, [first, second] * (PARALLEL // 2))

    counts = statuses(results)
    expected = {201: 1, 200: PARALLEL // 2 - 1, 409: PARALLEL // 2}
    assert counts == expected, f"{dict(counts)}: {results}"
    stored = ConservationAction.objects.get()
    winner = first if stored.notes == first["notes"] else second
    for body, (status, answer) in zip([first, second] * (PARALLEL // 2), results, strict=True):
        if body is winner:
            assert status in (200, 201) and answer["id"] == stored.pk
        else:
            assert status == 409 and "client_uuid" in str(answer), answer
    assert AuditEntry.objects.filter(action="create").count() == 1
