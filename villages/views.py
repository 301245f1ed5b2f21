"""Pages: a village's page (the home map is tourism's)."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from . import roles, selectors


def village_detail(request, slug):
    village = selectors.village_by_slug(slug)
    if village is None:
        raise Http404(_("No village with this address."))
    config = {"villageUrl": reverse("api-village-detail", kwargs={"slug": slug})}
    return render(request, "villages/detail.html", {"village": village, "map_config": config})


def landing(request):
    """LOGIN_REDIRECT_URL: send the signed-in user to their role's start page (roles.py decides)."""
    return redirect(roles.landing_url_name(request.user))


def favicon(request):
    """/favicon.ico, asked for by pages without our <head> (the admin, the API's pages)."""
    return HttpResponsePermanentRedirect(static("icons/favicon.svg"))
