"""Pages: the map of music villages (home), place pages, the events list and iCalendar feeds."""
from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from villages import selectors as village_selectors

from . import ical, lists, selectors
from .models import Attraction


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def map_page(request):
    """The full-screen map: villages and every tourism layer, with filters and shareable state."""
    config = {
        "urls": {
            "villages": reverse("api-village-list"),
            "attractions": reverse("api-attraction-list"),
            "homestays": reverse("api-homestay-list"),
            "events": reverse("api-event-list"),
            "trails": reverse("api-trail-list"),
            # Verified conservation actions, served by greenscore when it is installed
            # (by URL name: tourism does not import greenscore).
            "actions": _optional_url("api-action-sites"),
        },
        "tileUrl": settings.SOG_TILE_URL,
        "labels": {
            "villages": _("Villages"), "attractions": _("Music attractions"), "homestays": _("Homestays"),
            "events": _("Events"), "trails": _("Trails"),
            "actions": _("Verified conservation actions"), "nearMeUnavailable": _(
                "Your position is not available here; showing the whole map instead."
            ),
            "nearMeLocating": _("Finding your position…"), "nearMeFound": _("Showing places within %(km)s km of you."),
            "loadFailed": _("Could not load %(layer)s."), "noResults": _("Nothing matches these filters."),
            "away": _("%(distance)s away"), "length": _("Length"), "beds": _("%(count)s beds"),
            "alsoHere": _("Also here"),
        },
    }
    context = {
        "map_config": config,
        "categories": Attraction.Category.choices,
        "instruments": selectors.instrument_list(),
        # Unique labels: two villages may share a name (a kelurahan and a desa Nusaniwe).
        "villages": village_selectors.village_choices(),
    }
    return render(request, "tourism/map.html", context)


def _place_map_config(api_name: str, slug: str) -> dict:
    return {"featureUrl": reverse(api_name, kwargs={"slug": slug})}


def attraction_detail(request, slug):
    attraction = selectors.attraction_by_slug(slug)
    if attraction is None:
        raise Http404(_("No attraction with this address."))
    context = {
        "place": attraction,
        "events": selectors.upcoming_events(attraction=attraction, limit=10),
        "map_config": _place_map_config("api-attraction-detail", slug),
    }
    return render(request, "tourism/attraction_detail.html", context)


def homestay_detail(request, slug):
    homestay = selectors.homestay_by_slug(slug)
    if homestay is None:
        raise Http404(_("No homestay with this address."))
    context = {
        "place": homestay,
        "amenities": [a.strip() for a in homestay.amenities.split(",") if a.strip()],
        "events": selectors.upcoming_events(village=homestay.village, limit=5),
        "map_config": _place_map_config("api-homestay-detail", slug),
    }
    return render(request, "tourism/homestay_detail.html", context)


def trail_detail(request, slug):
    trail = selectors.trail_by_slug(slug)
    if trail is None:
        raise Http404(_("No trail with this address."))
    config = _place_map_config("api-trail-detail", slug)
    config["stops"] = [
        {"name": stop.name_en or stop.name_id if request.LANGUAGE_CODE == "en" else stop.name_id or stop.name_en,
         "order": stop.order, "lon": stop.location.x, "lat": stop.location.y}
        for stop in trail.stops.all()
    ]
    return render(request, "tourism/trail_detail.html", {"place": trail, "map_config": config})


def event_list(request):
    """Upcoming events, soonest first, with the iCalendar feed."""
    return render(request, "tourism/event_list.html", {"events": selectors.upcoming_events()})


def _ics_response(request, *, name: str, events) -> HttpResponse:
    text = ical.calendar(
        name=name, events=events, host=request.get_host().split(":")[0] or "localhost",
        url_for=lambda e: request.build_absolute_uri(f"{reverse('tourism:events')}#event-{e.slug}"),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


def events_ics(request):
    """Every upcoming event as iCalendar."""
    return _ics_response(request, name=_("Sound of Green events"), events=selectors.upcoming_events())


def village_events_ics(request, slug):
    """One village's upcoming events as iCalendar."""
    village = village_selectors.village_by_slug(slug)
    if village is None:
        raise Http404(_("No village with this address."))
    name = _("Events in %(village)s") % {"village": village.name}
    return _ics_response(request, name=name, events=selectors.upcoming_events(village=village))


def _list_page(request, layer: str):
    context, status = lists.list_context(request, lists.LISTINGS[layer])
    return render(request, "tourism/list.html", context, status=status)


def attraction_list(request):
    """Published attractions as cards, with the map's filters, sorting and pages."""
    return _list_page(request, "attractions")


def homestay_list(request):
    """Published homestays as cards; sorted by name, price per night or distance."""
    return _list_page(request, "homestays")


def trail_list(request):
    """Published trails as cards; sorted by name, length or distance."""
    return _list_page(request, "trails")


def village_list(request):
    """Villages as cards (kind, district, Sound of Green site), with the villages API's filters."""
    return _list_page(request, "villages")
