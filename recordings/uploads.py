"""Refuse an upload that is too large while it streams in, not after it is stored.

`SizeLimitUploadHandler` is first in settings.FILE_UPLOAD_HANDLERS, so it sees every
multipart request before anything is written. A request whose declared length is over
the limit is not read at all; one that turns out larger while streaming (no or a lying
Content-Length) stops being read at the limit. Either way the request is marked
(`upload_refusal(request)` gives the message) and the file fields are empty, so the view
answers 400 naming the problem and nothing is half-stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

ATTRIBUTE = "_sog_upload_refused"
# Form fields and multipart boundaries add a little to the file itself.
OVERHEAD_BYTES = 64 * 1024


def limit_bytes() -> int:
    return settings.SOG_MAX_REQUEST_UPLOAD_BYTES


def _message() -> str:
    return _(
        "The file is larger than %(mb)d MB; send a shorter recording or a compressed "
        "format (MP3, M4A, Opus)."
    ) % {"mb": limit_bytes() // (1024 * 1024)}


def upload_refusal(request) -> str | None:
    """The message when this request's upload was refused for its size, else None."""
    request = getattr(request, "_request", request)  # DRF's Request or Django's
    return getattr(request, ATTRIBUTE, None)


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        if content_length and content_length > limit_bytes() + OVERHEAD_BYTES:
            setattr(self.request, ATTRIBUTE, _message())
            return QueryDict(mutable=True), MultiValueDict()  # nothing read, nothing stored
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received = getattr(self, "received", 0) + len(raw_data)  # all files together
        if self.received > limit_bytes():
            setattr(self.request, ATTRIBUTE, _message())
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
