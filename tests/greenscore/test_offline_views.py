"""The offline app's server side (greenscore/offline/views.py): the service worker at the root
with the shell it precaches, the reference data with its ETag, the tile prefetch decision, and
the app's ES modules: every one it imports is precached, and they import without a cycle
(collectstatic gives them hashed names only then)."""

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from greenscore.offline import views as offline

pytestmark = pytest.mark.django_db
OFFLINE_JS = Path(settings.BASE_DIR) / "static" / "js" / "offline"
IMPORT = re.compile(r"""(?:from\s*|import\s*\(\s*)["'](\.[^"']+)["']""")


def sw_config(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    return response, json.loads(
        re.search(r"const CONFIG = (.*);\n", response.content.decode()).group(1)
    )


def test_service_worker_at_the_root_lists_the_shell(client, people):
    response, config = sw_config(client)
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"  # a new version is seen on the next visit
    assert "/coordinator/" in config["pages"] and "/coordinator/outbox/" in config["pages"]
    for kind in ("actions", "guest-stays", "event-reports"):
        assert f"/coordinator/{kind}/new/" in config["pages"]
    assert sorted(config["languages"]) == ["en", "id"]
    for url in config["assets"]:  # each one a file the server has
        assert finders.find(unquote(url.removeprefix(settings.STATIC_URL))), url
    assert any("leaflet" in url and url.endswith(".js") for url in config["assets"])
    assert any(url.endswith("land-maluku.geojson") for url in config["assets"])


def test_every_module_the_app_imports_is_precached_and_no_import_cycle():
    shell = set(offline.SHELL_SCRIPTS)
    graph = {}
    for path in OFFLINE_JS.glob("*.js"):
        name = f"js/offline/{path.name}"
        targets = IMPORT.findall(path.read_text())
        graph[name] = {_join("js/offline", target) for target in targets}
        assert name in shell, f"{name} is not precached"
        for target in graph[name]:
            assert target in shell, f"{name} imports {target}, not precached"

    def visit(node, trail):
        assert node not in trail, f"import cycle: {' -> '.join([*trail, node])}"
        for target in graph.get(node, ()):
            visit(target, [*trail, node])

    for node in graph:
        visit(node, [])


def _join(folder: str, relative: str) -> str:
    parts = folder.split("/")
    for part in relative.split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def test_production_storage_rewrites_module_imports():
    from backend.static_storage import StaticStorage

    assert StaticStorage.support_js_module_import_aggregation


def test_reference_data_for_a_coordinator_with_etag(client, people, village_a, village_b):
    url = "/coordinator/offline-data.json"
    assert client.get(url).status_code in (302, 403)  # signed out: no data
    client.force_login(people["coord_a"])
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert [v["slug"] for v in data["villages"]] == [village_a.slug]  # only their village
    assert data["villages"][0]["boundary"]["type"] in ("Polygon", "MultiPolygon")
    assert "actions" in data["kinds"] and data["user"] == "coord_a"
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    client.force_login(people["coord_b"])
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200  # another user's data


@pytest.mark.parametrize(
    ("tile_url", "prefetch", "allowed"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", True, False),  # its policy forbids
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", True, False),
        ("https://tiles.example.org/{z}/{x}/{y}.png", False, False),  # not switched on
        ("https://tiles.example.org/{z}/{x}/{y}.png", True, True),
        ("", True, False),  # no tiles at all
        ("/tiles/{z}/{x}/{y}.png", True, False),  # only an absolute tile server URL
    ],
)
def test_tile_prefetch_only_from_a_server_that_allows_it(
    client, people, settings, tile_url, prefetch, allowed
):
    settings.SOG_TILE_URL = tile_url
    settings.SOG_TILE_PREFETCH = prefetch
    assert offline.tile_prefetch_allowed() is allowed
    client.force_login(people["coord_a"])
    data = client.get("/coordinator/offline-data.json").json()
    assert data["tilePrefetch"] is allowed
    assert data["tileUrl"] == (tile_url if allowed else "")


def test_the_worker_asks_for_a_page_in_either_language(client, people):
    client.force_login(people["coord_a"])
    english = client.get("/coordinator/", HTTP_X_SOG_LANGUAGE="en")
    indonesian = client.get("/coordinator/", HTTP_X_SOG_LANGUAGE="id")
    assert english["Content-Language"] == "en" and indonesian["Content-Language"] == "id"
    assert "My villages" in english.content.decode()
    assert "Desa saya" in indonesian.content.decode()


def test_the_action_form_does_not_wait_for_leaflet(client, people):
    """The form's script runs when the page is parsed; Leaflet's scripts are deferred (they
    run after it, before the map starts on "load"); the app's modules are preloaded."""
    client.force_login(people["coord_a"])
    html = client.get("/coordinator/actions/new/").content.decode()
    leaflet = re.findall(r"<script[^>]*src=\"[^\"]*leaflet[^\"]*\"[^>]*>", html)
    assert leaflet and all(" defer " in tag for tag in leaflet), leaflet
    form_module = html.index('src="/static/js/offline/form.js"')
    assert form_module < html.index("</head>") < html.index(leaflet[0])
    for module in offline.SHELL_SCRIPTS:
        if module.startswith("js/offline/") and module not in (
            "js/offline/app.js",
            "js/offline/form.js",
            "js/offline/outbox.js",
        ):
            assert f'<link rel="modulepreload" href="/static/{module}">' in html, module
