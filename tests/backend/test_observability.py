"""One log line per request, on stdout; errors to Sentry only when SENTRY_DSN is set."""

import json
import logging
import re

from .subprocess_env import environment, python

LINE = re.compile(r"^\S+ \S+ INFO sog\.requests (GET|POST) (\S+) (\d{3}) (\d+\.\d)ms$")


def test_one_line_per_request(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="sog.requests"):
        client.get("/healthz")
        client.get("/no-such-page/")
        client.post("/healthz")
    lines = [r.getMessage() for r in caplog.records if r.name == "sog.requests"]
    assert len(lines) == 3
    assert re.fullmatch(r"GET /healthz 200 \d+\.\dms", lines[0])
    assert re.fullmatch(r"GET /no-such-page/ 404 \d+\.\dms", lines[1])
    assert re.fullmatch(r"POST /healthz 405 \d+\.\dms", lines[2])
    record = caplog.records[0]
    assert record.status_code == 200 and record.path == "/healthz" and record.duration_ms >= 0


def test_a_path_cannot_forge_a_log_line(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="sog.requests"):
        client.get("/x%0A2026-01-01 INFO sog.requests GET /admin/ 200 1.0ms")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "sog.requests"]
    assert "\n" not in line and "/x\\x0a2026-01-01" in line


REQUESTS = """
import django
django.setup()
from django.test import Client
client = Client()
client.get("/healthz")
client.get("/no-such-page/?q=secret")
"""


def test_request_lines_go_to_stdout_with_the_real_settings(tmp_path):
    env = environment(tmp_path, DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="testserver")
    result = python(REQUESTS, env=env)
    assert result.returncode == 0, result.stderr
    lines = [LINE.match(line) for line in result.stdout.splitlines()]
    seen = [(m.group(1), m.group(2)) for m in lines if m]
    assert seen == [("GET", "/healthz"), ("GET", "/no-such-page/")]
    assert "secret" not in result.stdout  # no query strings
    assert "sog.requests" not in result.stderr


SENTRY_STATE = """
import django
django.setup()
import json, sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "pii": client.options.get("send_default_pii") if client.is_active() else None,
    "django": client.is_active() and client.get_integration(DjangoIntegration) is not None,
}))
"""


def test_sentry_is_not_started_without_a_dsn(tmp_path):
    result = python(SENTRY_STATE, env=environment(tmp_path, DJANGO_SECRET_KEY="k" * 50))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "active": False,
        "pii": None,
        "django": False,
    }


def test_sentry_is_started_by_settings_with_a_dsn(tmp_path):
    env = environment(
        tmp_path, DJANGO_SECRET_KEY="k" * 50, SENTRY_DSN="https://public@sentry.invalid/1"
    )
    result = python(SENTRY_STATE, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "active": True,
        "pii": False,
        "django": True,
    }


CAPTURE = """
import json, sys, types
import django
django.setup()
import sentry_sdk
from sentry_sdk.transport import Transport
from django.test import Client, override_settings
from django.urls import include, path
from backend.observability import init_sentry

envelopes = []

class InProcess(Transport):
    def capture_envelope(self, envelope):
        envelopes.append(envelope)

def boom(request):
    raise RuntimeError("the kettle is on fire")

urls = types.ModuleType("boom_urls")
urls.urlpatterns = [path("boom/", boom), path("", include("backend.urls"))]
sys.modules["boom_urls"] = urls

init_sentry(dsn="https://public@sentry.invalid/1", environment="test", transport=InProcess)
client = Client(raise_request_exception=False, HTTP_COOKIE="sessionid=abc",
                REMOTE_ADDR="203.0.113.9")
with override_settings(ROOT_URLCONF="boom_urls"):
    status_boom = client.get("/boom/?token=t0ps3cret").status_code
    status_ok = client.get("/healthz").status_code
sentry_sdk.flush()
events = [item.payload.json for env in envelopes for item in env.items if item.type == "event"]
print(json.dumps({"status_boom": status_boom, "status_ok": status_ok, "events": events}))
"""


def test_an_unhandled_error_reaches_sentry_without_personal_data(tmp_path):
    env = environment(tmp_path, DJANGO_SECRET_KEY="k" * 50, DJANGO_ALLOWED_HOSTS="testserver")
    env["DJANGO_SETTINGS_MODULE"] = "backend.settings_test"
    result = python(CAPTURE, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["status_boom"] == 500 and report["status_ok"] == 200
    (event,) = report["events"]  # one error, one event; the healthy request sends nothing
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError" and exception["value"] == "the kettle is on fire"
    assert event["environment"] == "test"
    assert event["transaction"] == "/boom/"
    # No personal data: no address, no cookies, and no local variables (which hold what
    # people typed, here the query string).
    text = json.dumps(event)
    assert "203.0.113.9" not in text and "sessionid" not in text and "t0ps3cret" not in text
    assert "ip_address" not in event.get("user", {})
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])
