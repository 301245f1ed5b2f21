"""The Content-Security-Policy every response carries (django-csp 4 settings format).

Scripts and styles come from the site itself; the only inline scripts allowed
are those that carry the response's nonce (django-leaflet's map start-up
script). Images may also come from the tile server named by SOG_TILE_URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def tile_sources(tile_url: str) -> list[str]:
    """The CSP source expression for a Leaflet tile URL template: its scheme, host and port.

    Leaflet's "{s}" subdomain placeholder (e.g. "https://{s}.tile.example.org/...") becomes
    the wildcard "*.tile.example.org". A template on the site itself ("/tiles/{z}/...")
    or no tiles at all ("") needs no extra source.
    """
    if not tile_url:
        return []
    parts = urlsplit(tile_url)
    if not parts.netloc:
        return []  # a path on this site: 'self' covers it
    if parts.scheme not in {"http", "https", ""}:
        raise ImproperlyConfigured(f"SOG_TILE_URL must be an http(s) URL, not {tile_url!r}")
    host, _, port = parts.netloc.rpartition("@")[2].partition(":")
    labels = host.lower().split(".")
    if "{" in labels[0] or "}" in labels[0]:
        labels[0] = "*"  # "{s}", or a label built around it: any subdomain at this level
    placeholder_elsewhere = any("{" in label or "}" in label for label in labels[1:])
    if placeholder_elsewhere or (len(labels) < 2 and labels[0] == "*"):
        raise ImproperlyConfigured(
            f"SOG_TILE_URL {tile_url!r}: a placeholder may only stand for the first label of the "
            "host name (such as {s}.tile.example.org)"
        )
    if port and not port.isdigit():
        raise ImproperlyConfigured(f"SOG_TILE_URL {tile_url!r} has a malformed port")
    source = ".".join(labels) + (f":{port}" if port else "")
    return [f"{parts.scheme}://{source}" if parts.scheme else source]


def policy(*, tile_url: str) -> dict:
    """CONTENT_SECURITY_POLICY for django-csp: 'self' for everything, no inline code."""
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF],
            "img-src": [SELF, "data:", "blob:", *tile_sources(tile_url)],
            "connect-src": [SELF],
            # Recordings play from the site; the upload page previews what the phone
            # just recorded from a blob: URL (recordings/templates/recordings/upload.html).
            "media-src": [SELF, "blob:"],
            "font-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }
