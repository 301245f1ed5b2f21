"""A phone's retries are stored once, even when 20 identical POSTs race each other."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from greenscore.models import ConservationAction
from villages.models import AuditEntry

PARALLEL = 20


@pytest.mark.postgres_only
def test_twenty_parallel_identical_posts_leave_one_row(
    transactional_db, live_server, people, species, payload
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=people["coord_a"]).key
    body = json.dumps(payload()).encode()
    barrier = threading.Barrier(PARALLEL)

    def post(_):
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/actions/",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        barrier.wait(timeout=30)  # release all requests at once
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())["id"]
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()[:300]

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(post, range(PARALLEL)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (PARALLEL - 1) + [201], results
    assert len({ident for _, ident in results}) == 1
    assert ConservationAction.objects.count() == 1
    assert AuditEntry.objects.filter(action="create").count() == 1
