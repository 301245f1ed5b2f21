"""Production settings: `manage.py check --deploy` with the README's production environment
reports no security warning; HSTS and the https redirect do what they say."""

import re
import secrets
import shlex

import pytest

from .subprocess_env import ROOT, environment, manage


def readme_production_environment() -> dict[str, str]:
    """The variables the README's production section exports, with a real key for "..."."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running on PostGIS (production)", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    variables = {}
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["export"]:
            for word in words[1:]:
                name, _, value = word.partition("=")
                variables[name] = secrets.token_urlsafe(50) if value == "..." else value
    return variables


def test_readme_production_environment_passes_check_deploy(tmp_path):
    variables = readme_production_environment()
    assert variables["DJANGO_SSL_REDIRECT"] == "true" and int(variables["DJANGO_HSTS_SECONDS"]) > 0
    result = manage("check", "--deploy", env=environment(tmp_path, **variables))
    output = result.stdout + result.stderr
    issues = re.findall(r"\(([\w.]+)\)", output)
    assert issues == [], output
    assert "no issues" in output, output
    assert "security." not in output and "csp." not in output


def test_bad_numbers_are_refused_at_start(tmp_path):
    result = manage(
        "check", env=environment(tmp_path, DJANGO_SECRET_KEY="k" * 50, DJANGO_HSTS_SECONDS="a year")
    )
    assert result.returncode != 0 and "DJANGO_HSTS_SECONDS must be a whole number" in result.stderr
    result = manage(
        "check", env=environment(tmp_path, DJANGO_SECRET_KEY="k" * 50, DJANGO_SSL_REDIRECT="maybe")
    )
    assert result.returncode != 0 and "DJANGO_SSL_REDIRECT must be true or false" in result.stderr


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_plain_http_is_redirected_and_https_gets_hsts(client, db, production):
    response = client.get("/events/?x=1")
    assert response.status_code == 301 and response["Location"] == "https://testserver/events/?x=1"
    response = client.get("/events/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
