"""The Content-Security-Policy header, the tile server's place in it, and pages whose markup
needs no inline code (the browser check is tests/browser/test_csp.py)."""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.content_policy import policy, tile_sources


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://tile.openstreetmap.org"]),
        (
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            ["https://*.tile.openstreetmap.org"],
        ),
        ("https://tiles-{s}.Example.org:8443/{z}/{x}/{y}{r}.png", ["https://*.example.org:8443"]),
        ("//tiles.example.org/{z}/{x}/{y}.png", ["tiles.example.org"]),
        ("/tiles/{z}/{x}/{y}.png", []),  # on this site: 'self'
        ("", []),  # no tiles
    ],
)
def test_tile_server_origin(url, expected):
    assert tile_sources(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.{s}.org/{z}/{x}/{y}.png",
        "https://{s}/{z}/{x}/{y}.png",
        "https://tiles.example.org:80a/{z}.png",
    ],
)
def test_a_tile_url_the_policy_cannot_express_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="SOG_TILE_URL"):
        tile_sources(url)


def test_policy_has_no_unsafe_source():
    text = repr(policy(tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png"))
    assert "unsafe" not in text
    assert (
        "https://*.tile.example.org"
        in policy(tile_url="https://{s}.tile.example.org/{z}.png")["DIRECTIVES"]["img-src"]
    )


class InlineCode(HTMLParser):
    """Collects what a strict policy would refuse: scripts without src, nonce or a data type,
    style elements, style attributes and on* handler attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.refused = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
            runs = "src" not in attrs and attrs.get("type") != "application/json"
            if runs and "nonce" not in attrs:
                self.refused.append(f"<script> without src or nonce at {self.getpos()}")
        if tag == "style":
            self.refused.append(f"<style> at {self.getpos()}")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.refused.append(f"{name}= on <{tag}> at {self.getpos()}")


@pytest.fixture
def demo(db, demo_places, settings, tmp_path):
    from tourism.demo import load_demo

    settings.MEDIA_ROOT = tmp_path
    demo_file = settings.BASE_DIR / "fixtures" / "tourism" / "demo.json"
    list(load_demo(path=demo_file, with_photos=False))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/villages/amahusu/",
        "/attractions/hutan-musik-amahusu/",
        "/events/",
        "/scorecard/methodology/",
        "/accounts/login/",
        "/api/docs/",
    ],
)
def test_pages_carry_the_policy_and_no_inline_code(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert "default-src 'self'" in header and "'unsafe-inline'" not in header
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in header
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.refused == []
    # A nonce, where a script carries one, is this response's (django-leaflet's map start-up).
    nonces = {attrs["nonce"] for attrs in parser.scripts if "nonce" in attrs}
    announced = re.findall(r"'nonce-([^']+)'", header)
    assert nonces <= set(announced)
    if path in {"/", "/villages/amahusu/", "/attractions/hutan-musik-amahusu/"}:
        assert len(nonces) == 1 and nonces == set(announced)


def test_each_response_gets_its_own_nonce(client, demo):
    first = re.findall(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"])
    second = re.findall(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"])
    assert first and second and first != second


def test_swagger_ui_start_up_script_is_a_separate_file(client, db):
    page = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', page)
    assert script, page
    response = client.get(script.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content
