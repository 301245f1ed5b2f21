"""GET /healthz: 200 with every part "ok"; 503 naming the part that fails, the database
above all (a real connection attempt to a closed port or an unopenable file)."""

import copy
import logging
import socket

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.db.utils import ConnectionHandler
from django.test import Client
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from backend import health


def test_healthy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["cache"] == "ok" and body["media"] == "ok"
    assert body["version"] == "0.1.0"
    cache_control = response["Cache-Control"]
    assert {"no-store", "no-cache", "max-age=0"} <= set(cache_control.replace(" ", "").split(","))
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def unreachable_database(monkeypatch, tmp_path):
    """The health check's database connections, pointed at a database that is not there: a
    closed port on PostgreSQL, a file in a missing folder on SQLite."""
    broken = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "postgresql":
        broken.update(HOST="127.0.0.1", PORT=closed_port())
    else:
        broken["NAME"] = str(tmp_path / "missing-folder" / "sog.sqlite3")
    broken.pop("TEST", None)
    handler = ConnectionHandler({"default": broken})
    monkeypatch.setattr(health, "connections", handler)
    yield broken
    handler.close_all()


def test_database_unreachable_is_503_naming_the_part(client, db, unreachable_database, caplog):
    with caplog.at_level(logging.WARNING, logger="sog.health"):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "unavailable"
    assert body["cache"] == "ok" and body["media"] == "ok"
    # The reason goes to the log, not to the anonymous answer.
    text = response.content.decode()
    assert str(unreachable_database.get("PORT") or "missing-folder") not in text
    assert any("database 'default' is unavailable" in r.getMessage() for r in caplog.records)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQLite test database lives in memory: closing it would lose it",
)
def test_the_real_connection_down(client, transactional_db):
    """The site's own connection, not a stand-in: closed and pointed at a closed port. The
    health check sits outside ATOMIC_REQUESTS (opening the request's transaction on a dead
    database would be a 500), answers 503, and the next request after recovery is 200."""
    assert django_settings.DATABASES["default"]["ATOMIC_REQUESTS"] is True
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    try:
        assert client.get("/healthz").status_code == 503
        # What a view inside ATOMIC_REQUESTS does meanwhile:
        assert Client(raise_request_exception=False).get("/api/v1/species/").status_code == 500
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert client.get("/healthz").status_code == 200


def test_media_folder_not_writable(client, db, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"  # can never be created
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["media"] == "not writable"
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "media"  # created on the first upload
    assert client.get("/healthz").json()["media"] == "ok"


class TwoPerMinute(AnonRateThrottle):
    rate = "2/minute"


def test_public_and_never_throttled(client, db, monkeypatch):
    """Anonymous, no session needed; an API-wide throttle that refuses the third request
    leaves the health check alone."""
    monkeypatch.setattr(APIView, "throttle_classes", [TwoPerMinute])
    cache.clear()
    try:
        statuses = [client.get("/api/v1/species/").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]  # the throttle is on
        assert {client.get("/healthz").status_code for _ in range(10)} == {200}
    finally:
        cache.clear()


def test_exempt_from_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/events/").status_code == 301
    assert client.get("/healthz").status_code == 200
