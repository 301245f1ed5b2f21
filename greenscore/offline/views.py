"""The coordinators' offline app: the service worker (/sw.js), the outbox page and the
reference data the forms validate against when there is no network.

- `/sw.js` (templates/offline/sw.js): precaches the app shell (coordinator pages in
  both languages, their scripts and styles, Leaflet, the land layer), serves pages
  network-first with the cache as fallback and keeps a bounded cache of map tiles.
  Its version is a hash of the files it precaches, so a changed file installs a new
  worker on the next online visit (static/js/offline/app.js decides when it takes over).
- `/coordinator/outbox/`: the logs waiting on this device (rendered by static/js/offline/).
- `/coordinator/offline-data.json`: the user's villages with boundaries, species,
  homestays and events, the units per kind; versioned by an ETag (a 304 when unchanged).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from backend.content_policy import tile_sources
from tourism.models import Event, Homestay
from villages import roles
from villages.logs import kinds

from ..actions.geometry_input import BOUNDARY_TOLERANCE_M, CENTRE_TOLERANCE_M
from ..actions.services import KIND_UNITS
from ..models import ConservationAction, Species

LANGUAGE_HEADER = "HTTP_X_SOG_LANGUAGE"  # the worker asks for a page in a given language
SHELL_SCRIPTS = [
    "vendor/idb/index.js",
    "js/offline/app.js",
    "js/offline/strings.js",
    "js/offline/db.js",
    "js/offline/sync.js",
    "js/offline/queue.js",
    "js/offline/form.js",
    "js/offline/outbox.js",
    "js/offline/geo.js",
    "js/action-form.js",
    "js/language-switch.js",
    "js/site-menu.js",
    "js/map-keyboard.js",
    "js/review-map.js",
]
SHELL_FILES = [
    "css/site.css",
    "css/coordinator.css",
    "icons/favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "site.webmanifest",
    "offline/land-maluku.geojson",
]
LEAFLET_TAGS = (
    "{% load leaflet_tags %}{% leaflet_css plugins='forms' %}{% leaflet_js plugins='forms' %}"
)


class ShellLanguageMiddleware:
    """Answer in the language named by the X-SOG-Language header (the service worker's
    precache asks for each coordinator page in both languages); after LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.META.get(LANGUAGE_HEADER, "")
        if code in self.codes:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code in self.codes:
            response.headers.setdefault("Content-Language", code)
        return response


def _leaflet_urls() -> list[str]:
    html = Template(LEAFLET_TAGS).render(Context())
    urls = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    found = finders.find("leaflet/images")
    if found:
        for path in sorted(Path(found).glob("*.png")):
            urls.append(static(f"leaflet/images/{path.name}"))
    draw = finders.find("leaflet/draw/images")
    if draw:
        for path in sorted(Path(draw).iterdir()):
            if path.suffix in {".png", ".svg"}:
                urls.append(static(f"leaflet/draw/images/{path.name}"))
    return urls


def shell_pages() -> list[str]:
    """The coordinator pages a device keeps for offline use (each in every language)."""
    pages = [reverse("coordinator:home"), reverse("offline-outbox")]
    pages += [reverse("coordinator:new", kwargs={"kind": k.slug}) for k in kinds.all_kinds()]
    return pages


@lru_cache(maxsize=1)
def shell_assets() -> tuple[list[str], str]:
    """(static URLs to precache, a version hashing their contents); computed once per process."""
    urls = [static(p) for p in SHELL_SCRIPTS + SHELL_FILES] + _leaflet_urls()
    urls = list(dict.fromkeys(urls))
    digest = hashlib.sha256()
    for url in urls:
        rel = unquote(url.removeprefix(settings.STATIC_URL))
        path = finders.find(rel)
        digest.update(url.encode())
        if path:
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return urls, digest.hexdigest()[:16]


def tile_prefetch_allowed() -> bool:
    """Prefetching tiles in bulk only from a tile server that allows it (SOG_TILE_PREFETCH, an
    absolute http(s) SOG_TILE_URL), never from OSM's: its usage policy forbids it."""
    url = settings.SOG_TILE_URL
    return bool(
        settings.SOG_TILE_PREFETCH
        and re.match(r"https?://", url or "")
        and "tile.openstreetmap.org" not in url
    )


@require_GET
def service_worker(request):
    assets, version = shell_assets()
    pages = shell_pages()
    config = {
        "version": f"{version}-{hashlib.sha256(json.dumps(pages).encode()).hexdigest()[:8]}",
        "assets": assets,
        "pages": pages,
        "languages": [code for code, _name in settings.LANGUAGES],
        "defaultLanguage": settings.LANGUAGE_CODE,
        "scope": "/coordinator/",
        "tileOrigins": tile_sources(settings.SOG_TILE_URL),
        "tileCacheMax": settings.SOG_TILE_CACHE_MAX,
    }
    response = render(
        request,
        "offline/sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    # The worker itself fetches tiles it caches: its own policy must allow the tile server.
    sources = tile_sources(settings.SOG_TILE_URL)
    if sources:
        response._csp_update = {"connect-src": sources}
    return response


@roles.coordinator_required
def outbox(request):
    return render(request, "coordinator/outbox.html", {"log_types": kinds.all_kinds()})


def _reference_data(user) -> dict:
    villages = roles.villages_for_filing(user).order_by("name")
    village_rows = list(
        villages.annotate(
            boundary_json=AsGeoJSON("boundary", precision=6),
            centre_json=AsGeoJSON("centre", precision=6),
        ).values("id", "slug", "name", "boundary_json", "centre_json")
    )
    ids = [row["id"] for row in village_rows]
    return {
        "villages": [
            {
                "id": row["id"],
                "slug": row["slug"],
                "name": row["name"],
                "boundary": json.loads(row["boundary_json"]) if row["boundary_json"] else None,
                "centre": json.loads(row["centre_json"]) if row["centre_json"] else None,
            }
            for row in village_rows
        ],
        "species": list(
            Species.objects.order_by("local_name").values("id", "local_name", "scientific_name")
        ),
        "homestays": list(
            Homestay.objects.filter(village_id__in=ids)
            .order_by("name")
            .values("id", "slug", "name", "village_id")
        ),
        "events": list(
            Event.objects.filter(village_id__in=ids)
            .order_by("-starts_at")
            .values("id", "slug", "village_id")
        ),
        "kindUnits": {
            str(kind): sorted(str(u) for u in units) for kind, units in KIND_UNITS.items()
        },
        "unitLabels": {str(v): str(label) for v, label in ConservationAction.Unit.choices},
        "boundaryToleranceM": BOUNDARY_TOLERANCE_M,
        "centreToleranceM": CENTRE_TOLERANCE_M,
        "kinds": {k.slug: {"api": f"/api/v1/{k.slug}/"} for k in kinds.all_kinds()},
        "user": user.get_username(),
        "tilePrefetch": tile_prefetch_allowed(),
        "tileUrl": settings.SOG_TILE_URL if tile_prefetch_allowed() else "",
    }


@roles.coordinator_required
def reference_data(request):
    """What the offline forms check against; a 304 when the device's copy is current."""
    body = json.dumps(_reference_data(request.user), sort_keys=True, separators=(",", ":"))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
