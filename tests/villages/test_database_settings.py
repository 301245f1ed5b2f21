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


@pytest.mark.django_db(transaction=True)
def test_spatialite_reads_do_not_queue_behind_a_writer(spatialite, client, make_village):
    """A GET reads the last committed state while another connection holds the write lock;
    a POST in the same situation waits for the lock (here: gives up after a short wait)."""
    import sqlite3

    from backend.spatialite.base import read_only_transactions

    make_village("Amahusu", slug="amahusu")
    writer = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.2)
    try:
        writer.execute("BEGIN IMMEDIATE")
        response = client.get("/api/v1/villages/amahusu/")
        assert response.status_code == 200, response.content
        assert response.json()["properties"]["slug"] == "amahusu"
        # Outside a read-only request, a transaction asks for the write lock and must wait.
        connection.close()
        connection.settings_dict["OPTIONS"] = {
            **connection.settings_dict["OPTIONS"],
            "timeout": 0.2,
        }
        try:
            with pytest.raises(Exception, match="locked"):
                with transaction.atomic():
                    connection.cursor().execute("SELECT 1")
            with read_only_transactions(), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM villages_village")
                    assert cursor.fetchone()[0] == 1
        finally:
            connection.close()
            connection.settings_dict["OPTIONS"]["timeout"] = 20
    finally:
        writer.rollback()
        writer.close()
