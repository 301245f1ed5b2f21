"""Serve MEDIA_ROOT with HTTP Range support (local runs, SOG_SERVE_MEDIA=true).

Django's `django.views.static.serve` always sends the whole file; an <audio> element asks
for byte ranges to start playing at once and to seek. This view answers a single range
(`bytes=a-b`, `bytes=a-`, `bytes=-n`) with 206 Partial Content and the right bytes, an
unsatisfiable one with 416, and everything else (no Range, several ranges, a stale
If-Range) as `serve` does: the whole file, 200, conditional requests (304) included. In
production a web server (nginx, Caddy) serves media and does the same itself.
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views import static

RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
CHUNK = 64 * 1024
# Python's table says video/webm; these are the sound files the platform writes.
TYPES = {
    ".webm": "audio/webm",
    ".m4a": "audio/mp4",
    ".opus": "audio/ogg",
    ".json": "application/json",
}


def _content_type(path: Path) -> str:
    return (
        TYPES.get(path.suffix.lower())
        or mimetypes.guess_type(str(path))[0]
        or "application/octet-stream"
    )


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte positions of a single range; None when the header is to be
    ignored (malformed, several ranges); False when it cannot be satisfied."""
    match = RANGE.match(header or "")
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last n bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # malformed: ignored
    if start >= size:
        return False
    return start, min(end, size - 1)


def _read(path: Path, start: int, length: int):
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def serve(request, path, document_root=None, show_indexes=False):
    # MEDIA_ROOT as it is now (not as it was when the URLs were loaded).
    document_root = document_root or settings.MEDIA_ROOT
    relative = posixpath.normpath(path).lstrip("/")
    try:
        full = Path(safe_join(document_root, relative))
    except (SuspiciousFileOperation, ValueError):  # as serve() would answer
        return static.serve(request, path, document_root=document_root)
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if not full.is_file() or not header or request.method not in ("GET", "HEAD"):
        response = static.serve(request, path, document_root=document_root)
        if full.is_file():
            response["Accept-Ranges"] = "bytes"
            if response.status_code == 200:
                response["Content-Type"] = _content_type(full)
        return response
    stat = full.stat()
    last_modified = http_date(stat.st_mtime)
    wanted = parse_range(header, stat.st_size)
    if wanted is None or (if_range and if_range.strip() != last_modified):
        response = static.serve(request, path, document_root=document_root)
        response["Accept-Ranges"] = "bytes"
        if response.status_code == 200:
            response["Content-Type"] = _content_type(full)
        return response
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{stat.st_size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted
    length = end - start + 1
    body = _read(full, start, length) if request.method == "GET" else iter(())
    response = StreamingHttpResponse(body, status=206, content_type=_content_type(full))
    response["Content-Length"] = str(length)
    response["Content-Range"] = f"bytes {start}-{end}/{stat.st_size}"
    # The bytes as stored: the compression middleware leaves a response with an encoding
    # alone, and a compressed range would no longer be the range asked for.
    response["Content-Encoding"] = "identity"
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = last_modified
    return response
