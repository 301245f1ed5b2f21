"""Pages: the home map and a village's page."""
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors


def home(request):
    """The map of Ambon's music villages."""
    config = {"villagesUrl": reverse("api-village-list")}
    return render(request, "villages/home.html", {"map_config": config})


def village_detail(request, slug):
    village = selectors.village_by_slug(slug)
    if village is None:
        raise Http404(_("No village with this address."))
    config = {"villageUrl": reverse("api-village-detail", kwargs={"slug": slug})}
    return render(
        request, "villages/detail.html", {"village": village, "map_config": config}
    )
