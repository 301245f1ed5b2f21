"""The list pages beside the map: /attractions/, /homestays/, /trails/ and /villages/ as cards.

They take the map's filters with the very serializers of the GeoJSON API (tourism.api,
villages.api) and read through the same selectors, adding only what a list needs:
`sort=` (name, price, length or distance) and `page=`. `near=lon,lat` alone measures
from that place up to the API's largest radius; the distance is computed in the
database (the selectors' ellipsoidal `distance_m`). A bad value answers the page
again with a message per field and status 400.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.core.paginator import InvalidPage, Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from rest_framework import serializers

from villages import selectors as village_selectors
from villages.api import VillageQuerySerializer
from villages.i18n import localized
from villages.models import Village

from . import selectors
from .api import (
    MAX_RADIUS_M,
    AttractionQuerySerializer,
    HomestayQuerySerializer,
    PlaceQuerySerializer,
)
from .features import thumbnail_subquery
from .models import Attraction

PAGE_SIZE = 12
RADII_M = (1000, 5000, 20000)
NO_PLACE = pgettext_lazy("list page", "Choose a place to measure the distance from.")


class ListQueryMixin:
    """`sort=` among the list's SORTS; `near` alone measures up to MAX_RADIUS_M."""

    SORTS: tuple[str, ...] = ("name", "distance")

    def get_fields(self):
        fields = super().get_fields()
        choices = [(name, name) for name in self.SORTS]
        fields["sort"] = serializers.ChoiceField(choices=choices, required=False)
        return fields

    def validate(self, attrs):
        if "radius_m" in attrs and "near" not in attrs:
            raise serializers.ValidationError({"near": NO_PLACE})
        if "near" in attrs:
            attrs.setdefault("radius_m", float(MAX_RADIUS_M))
        attrs = super().validate(attrs)
        if attrs.get("sort") == "distance" and "near" not in attrs:
            raise serializers.ValidationError({"sort": NO_PLACE})
        return attrs


class AttractionListQuery(ListQueryMixin, AttractionQuerySerializer):
    pass


class HomestayListQuery(ListQueryMixin, HomestayQuerySerializer):
    SORTS = ("name", "price", "distance")


class TrailListQuery(ListQueryMixin, PlaceQuerySerializer):
    SORTS = ("name", "length", "distance")


class VillageListQuery(ListQueryMixin, VillageQuerySerializer, PlaceQuerySerializer):
    """The villages API's filters, with the places' `q`, `near` and `radius_m`."""

    village = None
    geometry = None


@dataclass(frozen=True)
class Listing:
    layer: str  # the map's layer name; the page is tourism:<layer>-list
    title: str
    query: type[serializers.Serializer]
    rows: Callable  # a selector taking the validated filters
    sorts: dict[str, tuple[str, ...]]
    # The map's filters for this layer (LAYER_FILTERS in static/js/map-state.js).
    map_filters: tuple[str, ...]


def _attraction_rows(**filters):
    rows = selectors.attraction_list(**filters)
    return rows.select_related("village").prefetch_related("instruments")


def _homestay_rows(**filters):
    return selectors.homestay_list(**filters).select_related("village")


def _trail_rows(**filters):
    return selectors.trail_list(**filters).select_related("village")


LISTINGS = {
    "attractions": Listing(
        "attractions",
        gettext_lazy("Music attractions"),
        AttractionListQuery,
        _attraction_rows,
        {"name": ("name", "pk"), "distance": ("distance_m", "name", "pk")},
        ("q", "category", "instrument", "village", "near", "radius_m"),
    ),
    "homestays": Listing(
        "homestays",
        gettext_lazy("Homestays"),
        HomestayListQuery,
        _homestay_rows,
        {
            "name": ("name", "pk"),
            "price": ("price_from_idr", "name", "pk"),
            "distance": ("distance_m", "name", "pk"),
        },
        ("q", "village", "min_beds", "max_price", "near", "radius_m"),
    ),
    "trails": Listing(
        "trails",
        gettext_lazy("Trails"),
        TrailListQuery,
        _trail_rows,
        {
            "name": ("name", "pk"),
            "length": ("length_m", "name", "pk"),
            "distance": ("distance_m", "name", "pk"),
        },
        ("q", "village", "near", "radius_m"),
    ),
    "villages": Listing(
        "villages",
        gettext_lazy("Villages"),
        VillageListQuery,
        selectors.village_directory,
        {"name": ("name", "pk"), "distance": ("distance_m", "name", "pk")},
        (),  # the map's villages layer takes no filter
    ),
}

SORT_LABELS = {
    "name": pgettext_lazy("list page", "Name"),
    "price": gettext_lazy("Price per night"),
    "length": gettext_lazy("Length"),
    "distance": pgettext_lazy("list page", "Distance"),
}

FIELD_LABELS = {
    "q": gettext_lazy("Search"),
    "village": gettext_lazy("Village"),
    "category": gettext_lazy("Category"),
    "instrument": gettext_lazy("Instrument"),
    "min_beds": pgettext_lazy("list page", "At least this many beds"),
    "max_price": pgettext_lazy("list page", "At most (Rp per night)"),
    "near": pgettext_lazy("list page", "Distance from"),
    "radius_m": pgettext_lazy("list page", "Within"),
    "sort": pgettext_lazy("list page", "Sort by"),
    "page": pgettext_lazy("list page", "Page"),
    "bbox": pgettext_lazy("list page", "Area (bbox)"),
    "kind": gettext_lazy("Kind"),
    "district": pgettext_lazy("list page", "District"),
    "is_sog_site": gettext_lazy("Sound of Green site"),
    "tourism_stage": gettext_lazy("Tourism stage"),
}


def _lon_lat(point) -> str:
    return f"{point.x:.5f},{point.y:.5f}"


def _error_list(errors: dict) -> list[tuple[str, str]]:
    return [
        (str(FIELD_LABELS.get(field, "")), str(message))
        for field, messages in errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ]


def _map_url(listing: Listing, raw: dict, params: dict) -> str:
    """The map (/) at the same filters, centred on the chosen place or village when there is one."""
    query = {"layers": "villages" if listing.layer == "villages" else f"villages,{listing.layer}"}
    centre, zoom = None, None
    if params.get("near") is not None:
        centre = params["near"]
        metres_per_px = 2 * params["radius_m"] / 360  # the circle across a phone's width
        zoom = math.floor(math.log2(156_543.03 * math.cos(math.radians(centre.y)) / metres_per_px))
    elif params.get("village") is not None and params["village"].centre is not None:
        centre, zoom = params["village"].centre, 15
    if centre is not None:
        query.update(lat=f"{centre.y:.5f}", lon=f"{centre.x:.5f}", z=str(max(3, min(zoom, 18))))
    for name in listing.map_filters:
        if name in raw:
            query[name] = raw[name]
    if "near" in query and "radius_m" not in query:
        query["radius_m"] = str(int(params["radius_m"]))
    return f"{reverse('tourism:map')}?{urlencode(query)}"


def _page_links(page, page_url) -> list[dict]:
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            current = number == page.number
            links.append({"number": number, "url": page_url(number), "current": current})
    return links


def _village_choices() -> list[tuple]:
    """(village, label) by name; a name two villages share (a kelurahan and a desa
    Nusaniwe) gets the kind, so the two can be told apart."""
    villages = list(village_selectors.village_list().order_by("name", "kind"))
    names = Counter(v.name for v in villages)
    return [(v, f"{v.name} ({v.kind})" if names[v.name] > 1 else v.name) for v in villages]


def _near_options(raw_near: str | None, params: dict) -> list[dict]:
    """Places to measure from: every village centre, and the chosen point if it is none of them."""
    near = params.get("near")
    chosen = _lon_lat(near) if near is not None else (raw_near or "")
    options = [
        {"value": _lon_lat(v.centre), "label": label, "selected": _lon_lat(v.centre) == chosen}
        for v, label in _village_choices()
        if v.centre is not None
    ]
    if chosen and not any(o["selected"] for o in options):
        label = pgettext("list page", "Chosen point (%(lonlat)s)") % {"lonlat": raw_near or chosen}
        options.insert(0, {"value": raw_near or chosen, "selected": True, "label": label})
    return options


def _radius_options(raw_radius: str | None) -> list[dict]:
    options = [
        {"value": str(r), "label": f"{r // 1000} km", "selected": str(r) == raw_radius}
        for r in RADII_M
    ]
    if raw_radius and not any(o["selected"] for o in options):
        options.append({"value": raw_radius, "label": f"{raw_radius} m", "selected": True})
    return options


def _filter_choices(listing: Listing) -> dict:
    if listing.layer == "villages":
        return {
            "kinds": Village.Kind.choices,
            "stages": Village.TourismStage.choices,
            "districts": village_selectors.district_list(),
        }
    choices = {"villages": [(v.slug, label) for v, label in _village_choices()]}
    if listing.layer == "attractions":
        choices["categories"] = Attraction.Category.choices
        choices["instruments"] = [
            (i.slug, localized(i, "name")) for i in selectors.instrument_list()
        ]
    return choices


def _cards(page) -> list:
    items = list(page.object_list)
    for item in items:
        item.thumbnail_url = default_storage.url(item.thumb) if item.thumb else ""
    return items


def list_context(request, listing: Listing) -> tuple[dict, int]:
    """The page's context and status: 200, or 400 with a message per bad parameter."""
    # A GET form sends every field; an empty one means "not set". The last of a repeated one counts.
    raw = {name: value for name, value in request.GET.items() if value.strip()}
    filters = {name: value for name, value in raw.items() if name != "page"}
    serializer = listing.query(data=filters)
    valid = serializer.is_valid()
    params = dict(serializer.validated_data) if valid else {}
    sort = params.pop("sort", None) or ("distance" if params.get("near") is not None else "name")
    context = {
        "listing": listing,
        "title": listing.title,
        "layer": listing.layer,
        "values": raw,
        "filtered": bool(filters),
        "errors": [],
        "items": [],
        "page": None,
        "sort": sort,
        "sort_options": [(s, SORT_LABELS[s]) for s in listing.sorts],
        "near_options": _near_options(raw.get("near"), params),
        "radius_options": _radius_options(raw.get("radius_m")),
        "clear_url": request.path,
        "card_template": f"tourism/_list_card_{listing.layer}.html",
        "filters_template": f"tourism/_list_filters_{listing.layer}.html",
        "tabs": [
            {
                "url": reverse(f"tourism:{key}-list"),
                "label": tab.title,
                "current": key == listing.layer,
            }
            for key, tab in LISTINGS.items()
        ],
        **_filter_choices(listing),
    }
    if not valid:
        context["errors"] = _error_list(serializer.errors)
        return context, 400
    queryset = listing.rows(**params)
    queryset = queryset.annotate(thumb=thumbnail_subquery(queryset.model))
    queryset = queryset.order_by(*listing.sorts[sort])
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page = paginator.page(raw.get("page", 1))
    except InvalidPage as error:
        context["errors"] = _error_list({"page": [str(error)]})
        return context, 400
    base = urlencode(filters)

    def page_url(number):
        return f"?{base}{'&' if base else ''}page={number}"

    context.update(
        page=page,
        items=_cards(page),
        page_links=_page_links(page, page_url) if paginator.num_pages > 1 else [],
        previous_url=page_url(page.previous_page_number()) if page.has_previous() else "",
        next_url=page_url(page.next_page_number()) if page.has_next() else "",
        map_url=_map_url(listing, raw, params),
        measured=params.get("near") is not None,
    )
    return context, 200
