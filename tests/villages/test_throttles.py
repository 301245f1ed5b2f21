"""API throttles: anonymous reads and every write answer 429 JSON with Retry-After past the
rate; rates and the cache they count in come from the environment."""

import socket
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from backend.settings import cache_from_url, env_rate
from villages import roles

pytestmark = pytest.mark.django_db

VILLAGES_URL = "/api/v1/villages/"
LOGS_URL = "/api/v1/actions/"
TOKEN_URL = "/api/v1/auth/token/"


def rates(anon, writes):
    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": anon, "writes": writes},
        }
    )


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinators(make_village, django_user_model):
    alpha = make_village("Alpha", slug="alpha")
    users = []
    for name in ("maria", "yosef"):
        user = django_user_model.objects.create_user(name, password="tifa-and-suling-2026")
        roles.grant_coordinator(user=user, village=alpha)
        users.append(user)
    return users


def token_client(user):
    from rest_framework.authtoken.models import Token

    key = Token.objects.get_or_create(user=user)[0].key
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_anonymous_reads_past_the_rate_get_429_with_retry_after(db):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    with rates("3/min", "100/min"):
        assert [anonymous.get(VILLAGES_URL).status_code for _ in range(3)] == [200] * 3
        assert_throttled(anonymous.get(VILLAGES_URL))
        # Another address has its own count.
        assert anonymous.get(VILLAGES_URL, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_signed_in_reads_are_not_counted_as_anonymous(coordinators):
    with rates("2/min", "100/min"):
        maria = token_client(coordinators[0])
        assert [maria.get(VILLAGES_URL).status_code for _ in range(5)] == [200] * 5


def test_x_forwarded_for_does_not_choose_the_bucket_without_proxies(db):
    anonymous = Client()
    with rates("2/min", "100/min"):
        for n in range(2):
            assert anonymous.get(VILLAGES_URL, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}").status_code == 200
        assert anonymous.get(VILLAGES_URL, HTTP_X_FORWARDED_FOR="1.2.3.99").status_code == 429


def test_writes_past_the_rate_get_429_per_user(coordinators):
    maria, yosef = (token_client(u) for u in coordinators)
    with rates("100/min", "2/min"):
        for _ in range(2):
            assert maria.post(LOGS_URL, {}, content_type="application/json").status_code == 400
        assert_throttled(maria.post(LOGS_URL, {}, content_type="application/json"))
        assert_throttled(maria.delete(f"{LOGS_URL}1/"))
        assert maria.get(LOGS_URL).status_code == 200  # reads are not writes
        assert yosef.post(LOGS_URL, {}, content_type="application/json").status_code == 400


def test_anonymous_writes_are_counted_per_address(coordinators):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    with rates("100/min", "2/min"):
        for _ in range(2):
            response = anonymous.post(
                TOKEN_URL, {"username": "maria", "password": "tifa-and-suling-2026"}
            )
            assert response.status_code == 200
        assert_throttled(
            anonymous.post(TOKEN_URL, {"username": "maria", "password": "tifa-and-suling-2026"})
        )


def test_an_empty_rate_switches_the_throttle_off(db):
    anonymous = Client()
    with rates(None, None):
        assert {anonymous.get(VILLAGES_URL).status_code for _ in range(20)} == {200}


def test_rates_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOG_THROTTLE_ANON", "50/min")
    assert env_rate("SOG_THROTTLE_ANON", "600/min") == "50/min"
    monkeypatch.setenv("SOG_THROTTLE_ANON", "")
    assert env_rate("SOG_THROTTLE_ANON", "600/min") is None
    monkeypatch.delenv("SOG_THROTTLE_ANON")
    assert env_rate("SOG_THROTTLE_ANON", "600/min") == "600/min"
    for bad in ("fast", "600", "600/fortnight", "-1/min", "1.5/s"):
        monkeypatch.setenv("SOG_THROTTLE_WRITES", bad)
        with pytest.raises(ImproperlyConfigured, match="SOG_THROTTLE_WRITES"):
            env_rate("SOG_THROTTLE_WRITES", "120/min")


def test_cache_url():
    assert cache_from_url("")["BACKEND"].endswith("LocMemCache")
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://127.0.0.1:6379/1")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    with pytest.raises(ImproperlyConfigured, match="SOG_CACHE_URL"):
        cache_from_url("memcached://127.0.0.1:11211")


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_up(), reason="no Redis at 127.0.0.1:6379")
def test_throttles_count_in_redis(db):
    redis = {**cache_from_url("redis://127.0.0.1:6379/0"), "KEY_PREFIX": f"sog-test-{uuid.uuid4()}"}
    with override_settings(CACHES={"default": redis}), rates("2/min", "100/min"):
        anonymous = Client()
        assert [anonymous.get(VILLAGES_URL).status_code for _ in range(3)] == [200, 200, 429]
        from django.core.cache import caches

        client = caches["default"]._cache.get_client()
        keys = list(client.scan_iter(f"{redis['KEY_PREFIX']}*"))
        assert keys  # the count lives in Redis, shared by every worker
        client.delete(*keys)
