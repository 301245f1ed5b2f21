"""Error answers for requests no view took (handler400/403/404/500 in backend/urls.py).

Under /api/ they are JSON like DRF's own errors ({"detail": ...}), so an API client
never has to read an HTML page; elsewhere the site's own pages (templates/403.html,
404.html, 500.html: the header, both languages), rendered by Django's default views.
"""

import logging

from django.http import HttpResponseServerError, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("The request cannot be read.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    try:
        # Django renders 500.html without a request or context processors.
        return defaults.server_error(request)
    except Exception:  # the error page itself failed: answer plainly rather than not at all
        logging.getLogger(__name__).exception("The 500 page failed to render")
        return HttpResponseServerError(
            "<!DOCTYPE html><title>500</title><h1>Server error</h1>", content_type="text/html"
        )
