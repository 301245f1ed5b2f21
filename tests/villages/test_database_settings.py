"""The embedded database is configured for concurrent requests (see docs/architecture.md)."""

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def spatialite():
    if connection.vendor != "sqlite":
        pytest.skip("SpatiaLite settings; PostgreSQL queues writers by itself")


def test_spatialite_runs_in_wal_mode_with_a_busy_timeout(spatialite):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000  # milliseconds


def test_spatialite_transactions_take_the_write_lock_when_they_begin(spatialite):
    assert connection.transaction_mode == "IMMEDIATE"
    # A second connection cannot begin writing while this transaction is open: it waits
    # (here a short timeout) and then gives up, instead of both reading and one failing later.
    import sqlite3

    with transaction.atomic():
        connection.cursor().execute("SELECT 1")
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.2)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
