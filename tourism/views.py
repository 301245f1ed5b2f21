"""Pages: the map of music villages (home), place pages, the events list and iCalendar feeds."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from villages import selectors as village_selectors
from villages.i18n import localized

from . import ical, lists, selectors
from .models import Attraction
from .recurrence import next_occurrence


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


TILE_URL_NAMES = {
    "villages": "tiles-villages",
    "attractions": "tiles-attractions",
    "homestays": "tiles-homestays",
    "events": "tiles-events",
    "trails": "tiles-trails",
    "actions": "tiles-action-sites",
    "sounds": "tiles-recordings",
}


def _tile_template(url_name: str) -> str | None:
    """/tiles/<layer>/{z}/{x}/{y}.pbf, or None when the layer's app is not installed."""
    try:
        url = reverse(url_name, kwargs={"z": "0", "x": "0", "y": "0"})
    except NoReverseMatch:
        return None
    return url.removesuffix("0/0/0.pbf") + "{z}/{x}/{y}.pbf"


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
            # Verified recordings, served by the recordings app when it is installed.
            "sounds": _optional_url("api-recording-list"),
        },
        # Vector tiles of each layer (villages/tiles.py): the map draws from these.
        "tiles": {name: _tile_template(url_name) for name, url_name in TILE_URL_NAMES.items()},
        "tileLayers": {
            name: url_name.removeprefix("tiles-") for name, url_name in TILE_URL_NAMES.items()
        },
        "tileUrl": settings.SOG_TILE_URL,
        "labels": {
            "villages": _("Villages"),
            "attractions": _("Music attractions"),
            "homestays": _("Homestays"),
            "events": _("Events"),
            "trails": _("Trails"),
            "actions": _("Verified conservation actions"),
            "nearMeUnavailable": _(
                "Your position is not available here; showing the whole map instead."
            ),
            "nearMeLocating": _("Finding your position…"),
            "nearMeFound": _("Showing places within %(km)s km of you."),
            "loadFailed": _("Could not load %(layer)s."),
            "noResults": _("Nothing matches these filters."),
            "away": _("%(distance)s away"),
            "length": _("Length"),
            "beds": _("%(count)s beds"),
            "alsoHere": _("Also here"),
            "sounds": _("Sounds"),
            "play": _("Play"),
            "pause": _("Pause"),
            "seek": _("Position in the recording"),
            "synthesised": _("Synthesised"),
            "ndsi": _("Soundscape index (NDSI)"),
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


# The enquiry form is answered by a redirect to WhatsApp or a mailto: link; a browser checks
# such redirects against the page's form-action, so pages holding the form allow them.
ENQUIRY_CSP = csp_update({"form-action": ["https://wa.me", "https://api.whatsapp.com", "mailto:"]})


def _place_map_config(api_name: str, slug: str) -> dict:
    return {"featureUrl": reverse(api_name, kwargs={"slug": slug})}


def _enquiry_context(request, *, kind: str, action: str) -> dict:
    from .enquiries import EnquiryForm

    form = EnquiryForm(kind=kind, initial={"language": request.LANGUAGE_CODE})
    return {"form": form, "kind": kind, "action": action}


@ENQUIRY_CSP
def attraction_detail(request, slug):
    attraction = selectors.attraction_by_slug(slug)
    if attraction is None:
        raise Http404(_("No attraction with this address."))
    context = {
        "place": attraction,
        "events": selectors.upcoming_events(attraction=attraction, limit=10),
        "map_config": _place_map_config("api-attraction-detail", slug),
        **_enquiry_context(
            request, kind="workshop", action=reverse("tourism:attraction-enquiry", args=[slug])
        ),
    }
    return render(request, "tourism/attraction_detail.html", context)


@ENQUIRY_CSP
def homestay_detail(request, slug):
    homestay = selectors.homestay_by_slug(slug)
    if homestay is None:
        raise Http404(_("No homestay with this address."))
    context = {
        "place": homestay,
        "amenities": [a.strip() for a in homestay.amenities.split(",") if a.strip()],
        "events": selectors.upcoming_events(village=homestay.village, limit=5),
        "map_config": _place_map_config("api-homestay-detail", slug),
        **_enquiry_context(
            request, kind="stay", action=reverse("tourism:homestay-enquiry", args=[slug])
        ),
    }
    return render(request, "tourism/homestay_detail.html", context)


def trail_detail(request, slug):
    trail = selectors.trail_by_slug(slug)
    if trail is None:
        raise Http404(_("No trail with this address."))
    config = _place_map_config("api-trail-detail", slug)
    config["stops"] = [
        {
            "name": localized(stop, "name"),
            "order": stop.order,
            "lon": stop.location.x,
            "lat": stop.location.y,
        }
        for stop in trail.stops.all()
    ]
    return render(request, "tourism/trail_detail.html", {"place": trail, "map_config": config})


def event_detail(request, slug):
    """One event (past ones too: their recordings are heard here): when in WIT, where, price,
    description, photos, the recordings of it."""
    event = selectors.event_by_slug(slug)
    if event is None:
        raise Http404(_("No event with this address."))
    context = {
        "place": event,
        "upcoming": next_occurrence(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            rule=event.recurrence,
            after=timezone.now(),
        )
        is not None,
        "map_config": _place_map_config("api-event-detail", slug),
    }
    return render(request, "tourism/event_detail.html", context)


def event_list(request):
    """Upcoming events, soonest first, with the iCalendar feed."""
    return render(request, "tourism/event_list.html", {"events": selectors.upcoming_events()})


def _ics_response(request, *, name: str, events) -> HttpResponse:
    text = ical.calendar(
        name=name,
        events=events,
        host=request.get_host().split(":")[0] or "localhost",
        url_for=lambda e: request.build_absolute_uri(reverse("tourism:event", args=[e.slug])),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


def events_ics(request):
    """Every upcoming event as iCalendar."""
    return _ics_response(
        request, name=_("Sound of Green events"), events=selectors.upcoming_events()
    )


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


# --- asking a host; an event in your calendar --------------------------------------------


class _MailtoRedirect(HttpResponseRedirect):
    allowed_schemes = ["mailto"]


def _enquiry(request, *, place, kind: str):
    """GET: validate the form and open WhatsApp or the guest's e-mail with the message filled
    in (or, with no channel, show both links). POST (hosts with e-mail enquiries on only):
    send the message through the site. Nothing is stored either way."""
    from . import enquiries

    data = request.POST if request.method == "POST" else request.GET
    submitted = any(name in data for name in ("date_from", "party", "channel"))
    form = enquiries.EnquiryForm(
        data if submitted else None, kind=kind, initial={"language": request.LANGUAGE_CODE}
    )
    context = {
        "place": place,
        "kind": kind,
        "form": form,
        "action": request.path,
        "send_form": None,
    }
    if not submitted:
        context["sent"] = data.get("sent") == "1"
        return render(request, "tourism/enquiry.html", context)
    channel = data.get("channel", "")
    if not form.is_valid():
        return render(request, "tourism/enquiry.html", context, status=400)
    text = enquiries.message_text(place=place, data=form.cleaned_data, kind=kind)
    subject = enquiries.subject(place=place, data=form.cleaned_data, kind=kind)
    context.update(
        text=text,
        whatsapp_url=enquiries.whatsapp_url(place=place, text=text),
        mailto_url=enquiries.mailto_url(place=place, text=text, subject_line=subject),
    )
    can_send = place.email_enquiries and bool(place.email)
    if request.method == "POST":
        send_form = enquiries.SendForm(request.POST)
        if not can_send or not send_form.is_valid():
            context["send_form"] = send_form
            if not can_send:
                context["send_error"] = _("This host does not take enquiries by e-mail here.")
            return render(request, "tourism/enquiry.html", context, status=400)
        enquiries.send_enquiry(
            place=place,
            text=text,
            subject_line=subject,
            reply_to=send_form.cleaned_data["reply_to"],
        )
        return redirect(f"{request.path}?sent=1")
    if channel == "whatsapp" and context["whatsapp_url"]:
        return HttpResponseRedirect(context["whatsapp_url"])
    if channel == "email" and context["mailto_url"]:
        return _MailtoRedirect(context["mailto_url"])
    if can_send:
        context["send_form"] = enquiries.SendForm()
    return render(request, "tourism/enquiry.html", context)


@ENQUIRY_CSP
@require_http_methods(["GET", "HEAD", "POST"])
def homestay_enquiry(request, slug):
    homestay = selectors.homestay_by_slug(slug)
    if homestay is None:
        raise Http404(_("No homestay with this address."))
    return _enquiry(request, place=homestay, kind="stay")


@ENQUIRY_CSP
@require_http_methods(["GET", "HEAD", "POST"])
def attraction_enquiry(request, slug):
    attraction = selectors.attraction_by_slug(slug)
    if attraction is None:
        raise Http404(_("No attraction with this address."))
    return _enquiry(request, place=attraction, kind="workshop")


def event_ics(request, slug):
    """One event as iCalendar ("Add to calendar")."""
    event = selectors.event_by_slug(slug)
    if event is None:
        raise Http404(_("No event with this address."))
    response = _ics_response(request, name=event.text("title"), events=[event])
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
