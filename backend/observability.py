"""Operations: one log line per request, and errors to Sentry when SENTRY_DSN is set."""

from __future__ import annotations

import logging
import time

request_logger = logging.getLogger("sog.requests")


def _printable(text: str) -> str:
    """A path as one log line: control characters escaped, so a request cannot forge lines."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class RequestLogMiddleware:
    """Logs "METHOD /path STATUS DURATIONms" for every request, to the "sog.requests" logger.

    First in MIDDLEWARE, so the duration covers the whole stack (static files too). For a
    streamed response it is the time to the first byte. The query string is left out: it
    may carry what a user typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        request_logger.info(
            "%s %s %s %.1fms",
            request.method,
            _printable(request.path),
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status_code": response.status_code,
                "duration_ms": round(duration_ms, 1),
            },
        )
        return response


def init_sentry(
    *, dsn: str, environment: str | None = None, release: str | None = None, transport=None
):
    """Send unhandled errors (and ERROR log records) to Sentry; no personal data, no local
    variables.

    Called from settings only when SENTRY_DSN is set. `transport` is for tests (sentry-sdk
    accepts a Transport class that keeps events in the process).
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    options = {
        "dsn": dsn,
        "integrations": [DjangoIntegration()],
        "send_default_pii": False,
        # Local variables hold what people typed (forms, query strings): not sent either.
        "include_local_variables": False,
        "environment": environment or "production",
        "release": release,
    }
    if transport is not None:
        options["transport"] = transport
    return sentry_sdk.init(**options)
