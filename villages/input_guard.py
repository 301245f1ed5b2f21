"""One guard for text that comes in from outside: no NUL, no control characters, no lone surrogates.

PostgreSQL cannot store a NUL character in text (a query that carries one fails
with a 500), SQLite stores it and truncates it later, and other control
characters are never meant. So every input is checked before anything else
reads it, and a bad value answers 400 naming the field:

- `InputGuardMiddleware`: the URL path, every query parameter (name and value)
  and every POSTed form field (name and value) and upload's file name, on every
  page and API endpoint. JSON for /api/ paths, a readable page otherwise.
- `GuardedJSONParser`, `GuardedFormParser`, `GuardedMultiPartParser`: the
  bodies DRF parses (JSON strings at any depth, named by their path such as
  `species[0].species`; forms sent with PUT or PATCH). They are DRF's default
  parsers (settings.REST_FRAMEWORK) and the log API's.
- `json_problems()` and `text_problem()` for files read by importers
  (greenscore.importing checks each row's cells with them).
- `FormatNegotiation`: an unknown `?format=` is a 400 naming it (DRF says 404).

Allowed: tab, line feed and carriage return (a note may have lines). Refused:
every other character of Unicode category Cc (C0 and C1 controls, DEL) and
unpaired surrogates, which no UTF-8 text can hold.
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, serializers
from rest_framework.negotiation import DefaultContentNegotiation

BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be accepted as text, or None when it can."""
    match = BAD_CHARACTER.search(value)
    if match is None:
        return None
    char = match.group()
    if char == "\x00":
        return _("Remove the NUL character (\\u0000): text may not contain it.")
    if "\ud800" <= char <= "\udfff":
        return _("Remove the unpaired surrogate (\\u%(code)04x): it is not a character.") % {
            "code": ord(char)
        }
    return _("Remove the control character \\u%(code)04x: text may not contain it.") % {
        "code": ord(char)
    }


def printable_name(name: str) -> str:
    """A field name fit to show back: bad characters written as \\uXXXX escapes."""
    return BAD_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def pairs_problems(pairs, where: str = "") -> dict[str, list[str]]:
    """Problems of (name, value) pairs such as a QueryDict's lists(): {field: [message]}."""
    errors: dict[str, list[str]] = {}
    for name, values in pairs:
        field = printable_name(name)
        problem = text_problem(name)
        if problem:
            errors.setdefault(field, []).append(
                _("The parameter name is not acceptable. %(problem)s") % {"problem": problem}
            )
        for value in values if isinstance(values, list) else [values]:
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                errors.setdefault(field, []).append(problem)
    if where:
        errors = {f"{where}{k}": v for k, v in errors.items()}
    return errors


def json_problems(value, path: str = "") -> dict[str, list[str]]:
    """Problems of every string (key or value) in parsed JSON, keyed by path (`a[0].b`)."""
    errors: dict[str, list[str]] = {}
    stack = [(path, value)]
    while stack:
        here, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                errors.setdefault(here or "non_field_errors", []).append(problem)
        elif isinstance(item, dict):
            for key, child in item.items():
                key = str(key)
                name = f"{here}.{printable_name(key)}" if here else printable_name(key)
                problem = text_problem(key)
                if problem:
                    errors.setdefault(name, []).append(
                        _("The key is not acceptable. %(problem)s") % {"problem": problem}
                    )
                stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{here}[{i}]", child) for i, child in enumerate(item))
    return dict(sorted(errors.items()))


# --- The middleware: path, query string, POSTed forms -------------------------------


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _refusal(request, errors: dict[str, list[str]]):
    if _is_api(request):
        return JsonResponse(errors, status=400)
    context = {"errors": sorted(errors.items())}
    return render(request, "villages/input_refused.html", context, status=400)


class InputGuardMiddleware:
    """Answer 400 naming the field when the path, a query parameter or a form field has bad text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        errors = self.problems(request)
        if errors:
            return _refusal(request, errors)
        return self.get_response(request)

    @staticmethod
    def problems(request) -> dict[str, list[str]]:
        problem = text_problem(request.path_info)
        if problem:
            return {_("address"): [problem]}
        errors = pairs_problems(request.GET.lists())
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                # Upload file names need no check: Django drops their non-printable characters.
                errors.update(pairs_problems(request.POST.lists()))
            except (MultiPartParserError, SuspiciousOperation) as exc:
                return {"detail": [_("The form data cannot be read: %(error)s") % {"error": exc}]}
        return errors


# --- DRF parsers: the bodies the API parses ------------------------------------------


def _raise_if_any(errors: dict[str, list[str]]) -> None:
    if errors:
        raise exceptions.ValidationError(errors)


class GuardedJSONParser(parsers.JSONParser):
    """JSON with a size cap (DATA_UPLOAD_MAX_MEMORY_SIZE), no crash on deep nesting, the guard."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1 if limit is not None else -1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise exceptions.ParseError(
                _("The request body is larger than %(kb)d kB.") % {"kb": limit // 1024}
            )
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None
        _raise_if_any(json_problems(data))  # iterative: any depth the parser accepted
        return data


class GuardedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _raise_if_any(pairs_problems(data.lists()))
        return data


class GuardedMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _raise_if_any(pairs_problems(result.data.lists()))
        return result


PARSERS = [GuardedJSONParser, GuardedFormParser, GuardedMultiPartParser]


# --- ?format= -----------------------------------------------------------------------


class FormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown or empty ?format= is a 400 naming it (DRF answers
    404, or ignores an empty one)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        param = self.settings.URL_FORMAT_OVERRIDE
        if param and not format_suffix and request.query_params.get(param) == "":
            self._refuse(renderers, "")
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        kept = [renderer for renderer in renderers if renderer.format == format]
        if not kept:
            self._refuse(renderers, format)
        return kept

    def _refuse(self, renderers, value):
        known = ", ".join(sorted({r.format for r in renderers if r.format}))
        raise serializers.ValidationError(
            {
                self.settings.URL_FORMAT_OVERRIDE or "format": [
                    _("Unknown format %(value)r; use one of: %(known)s.")
                    % {"value": value, "known": known}
                ]
            }
        )
