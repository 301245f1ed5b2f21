"""The answer to a locked-out sign-in (django-axes AXES_LOCKOUT_CALLABLE): JSON for the API, a page otherwise."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    message = _(
        "Too many failed sign-ins: this account is locked for one hour. "
        "Try again later, or reset the password."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=STATUS)
    return render(request, "registration/locked_out.html", {"message": message}, status=STATUS)
