"""API throttles: anonymous reads and every write, answered 429 JSON with Retry-After.

- `AnonReadThrottle` (scope "anon"): GET/HEAD/OPTIONS by anonymous readers, per address.
  The public map loads several layers per view, hence a generous default rate.
- `WriteThrottle` (scope "writes"): POST/PUT/PATCH/DELETE, per signed-in user, or per
  address for anonymous writes (e.g. `POST /api/v1/auth/token/`).

Rates come from SOG_THROTTLE_ANON and SOG_THROTTLE_WRITES (see backend/settings.py);
they are read on each request, so `override_settings(REST_FRAMEWORK=...)` works in
tests. The counts live in Django's default cache (SOG_CACHE_URL): the built-in
local-memory cache counts per process, Redis counts for all workers together.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _LiveRates:
    """Read the rate from the current settings, not from a copy taken at import time."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonReadThrottle(_LiveRates, AnonRateThrottle):
    scope = "anon"

    def allow_request(self, request, view):
        if request.method not in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class WriteThrottle(_LiveRates, SimpleRateThrottle):
    scope = "writes"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
