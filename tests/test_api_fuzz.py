"""Schemathesis over every operation of /api/schema/, in-process (WSGI, no network).

Each operation runs twice: signed in as a coordinator (token) and anonymous. Every
response must be no 5xx and conform to the schema (status code, content type,
headers, body). The seed is fixed and generation derandomised, so a failure
reproduces; the examples per operation are few so both database runs stay within
a couple of minutes (FUZZ_MAX_EXAMPLES=200 for a deeper run by hand).

The demo world (villages, places, a season of logs, published scorecards) is
loaded once for the module inside a transaction that is rolled back at the end;
each test runs in a savepoint inside it, so what the fuzzer writes or deletes
disappears after each operation.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from backend.wsgi import application

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "6"))
SEED = 20260801

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # valid and invalid input alike
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "allow-x00": True,  # NUL characters too: PostgreSQL once answered them with a 500
            "database": "none",
        },
        "checks": {
            # A schema-valid request may still break a rule no schema can state (a village
            # that exists, a date not in the future, a point inside the village): a 400.
            "positive_data_acceptance": {"enabled": False},
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},  # thousands of boundary cases; too slow for CI
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)


def api_document() -> dict:
    """What /api/schema/ serves (test_schema_endpoint_serves_this checks it), built at import."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


DOCUMENT = api_document()
# Requests go to the WSGI application in-process (from_wsgi would fetch the document the
# same way, but at import time, before pytest-django allows the database).
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = application
schema.location = "/api/schema/"
FUZZ = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo world, once for the module; returns the coordinator's token header."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from greenscore.actions.demo import load_demo_actions
    from greenscore.scorecard.demo import load_scorecard_demo
    from tourism.demo import load_demo
    from villages.services import import_admin_areas, load_demo_places

    fixtures = settings.BASE_DIR / "fixtures"
    # Throttling is tested on its own; here it would only cut the fuzzer short. (Views bind
    # throttle classes when defined, so the counters are also cleared per test below.)
    api = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    media = tmp_path_factory.mktemp("fuzz-media")
    # As Django's test client does: a request's end must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(REST_FRAMEWORK=api, MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            import_admin_areas(path=fixtures / "ambon-admin-areas.csv")
            load_demo_places(path=fixtures / "sog_places.json")
            list(load_demo(path=fixtures / "tourism" / "demo.json", with_photos=False))
            list(load_demo_actions())
            list(load_scorecard_demo())
            user = get_user_model().objects.get(username="demo-coordinator")
            token = Token.objects.create(user=user)
            yield {"Authorization": f"Token {token.key}"}
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


# Uncompressed answers: schemathesis checks bodies as JSON and does not decode zstd or Brotli
# (compression itself has its own tests).
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(autouse=True)
def fresh_counters():
    """Each operation starts with empty throttle counters (they live in the cache), and leaves
    the active language as it found it (requests activate the one they ask for)."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    language = translation.get_language()
    yield
    if language:
        translation.activate(language)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_coordinator(case, fuzz_world):
    case.call_and_validate(headers={**fuzz_world, **PLAIN})


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_anonymous(case, fuzz_world):
    case.call_and_validate(headers=PLAIN)


@pytest.mark.django_db
def test_schema_endpoint_serves_this(client):
    """The fuzzed document is the one /api/schema/ serves, with every operation in it."""
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json() == DOCUMENT
    operations = [(m, p) for p, item in DOCUMENT["paths"].items() for m in item]
    assert len(operations) == len(list(schema.get_all_operations())) >= 30


def test_schema_generates_without_warnings(tmp_path):
    """No drf_spectacular.W001 (manage.py check --deploy): every view and field is annotated."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3")
