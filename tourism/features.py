"""GeoJSON Features for the tourism layers, built from database rows.

Like villages.selectors.village_features: the database renders geometry to
GeoJSON text (AsGeoJSON) and returns plain tuples via values_list; Python only
joins strings. The first photo's thumbnail comes from a correlated subquery
and instruments from one extra query over the link table, never per feature.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Case, F, Func, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Concat, Round
from django.urls import reverse
from django.utils import timezone

from villages import geojson
from villages.i18n import choose

from .formatting import idr
from .models import Attraction, Homestay, Instrument, Photo, Trail
from .recurrence import local_tz, next_occurrence


def thumbnail_subquery(model):
    content_type = ContentType.objects.get_for_model(model)
    photos = Photo.objects.filter(content_type=content_type, object_id=OuterRef("pk")).order_by(
        "order", "id"
    )
    return Subquery(photos.values("thumbnail")[:1])


def _url_maker(name: str):
    template = reverse(name, kwargs={"slug": "__slug__"})
    return lambda slug: template.replace("__slug__", slug)


def _media_url(name: str | None) -> str | None:
    return default_storage.url(name) if name else None


def _rows(queryset, geometry: str, columns: dict[str, str], with_distance: bool):
    qs = geojson.with_geojson(queryset, geometry, "_geom").annotate(
        _thumb=thumbnail_subquery(queryset.model)
    )
    fields = [*columns.values(), "_geom", "_thumb"] + (["distance_m"] if with_distance else [])
    names = list(columns)
    for row in qs.values_list(*fields):
        props = dict(zip(names, row[: len(names)], strict=True))
        props["thumbnail"] = _media_url(row[len(names) + 1])
        if with_distance:
            props["distance_m"] = round(row[-1].m, 1)
        yield row[len(names)], props


def _has_distance(queryset) -> bool:
    return "distance_m" in queryset.query.annotations


ATTRACTION_COLUMNS = {
    "id": "pk",
    "name": "name",
    "slug": "slug",
    "village": "village__slug",
    "village_name": "village__name",
    "category": "category",
    "price_idr": "price_idr",
    "opening_hours": "opening_hours",
    "location_is_approximate": "location_is_approximate",
}


def _json_url(name: str):
    """A JSON expression of the detail page's URL for the row's slug."""
    before, after = reverse(name, kwargs={"slug": "__slug__"}).split("__slug__")
    return geojson.JSONValue(Concat(Value(before), "slug", Value(after), output_field=TextField()))


class Idr(Func):
    """idr() in the database, as plain text: "" for none, the translated "Free" for 0, else
    "Rp 150.000" (dots group thousands)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "postgresql":
            grouped, free = f"to_char(({sql}), 'FM9,999,999,999,999')", "%s::text"
        else:
            grouped, free = f"printf('%%,d', ({sql}))", "%s"
        return (
            f"CASE WHEN ({sql}) IS NULL THEN '' WHEN ({sql}) = 0 THEN {free} "
            f"ELSE 'Rp ' || replace({grouped}, ',', '.') END",
            [*params, *params, str(idr(0)), *params],
        )


class JSONInstruments(Func):
    """The attraction's instrument slugs, in slug order, as a JSON array."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        pk, params = compiler.compile(self.get_source_expressions()[0])
        link = Attraction.instruments.through._meta.db_table
        instrument = Instrument._meta.db_table
        rows = (
            f"FROM {link} l JOIN {instrument} i ON i.id = l.instrument_id "
            f"WHERE l.attraction_id = ({pk})"
        )
        if connection.vendor == "postgresql":
            agg = "'[' || string_agg(to_json(i.slug)::text, ',' ORDER BY i.slug) || ']'"
            return f"COALESCE((SELECT {agg} {rows}), '[]')", params
        return (
            f"COALESCE((SELECT json_group_array(s) FROM (SELECT i.slug AS s {rows} "
            f"ORDER BY i.slug)), '[]')",
            params,
        )


def _has_plain_columns(queryset) -> bool:
    """The database writes the features unless a distance (a Distance object) is asked for."""
    return not _has_distance(queryset)


def attraction_rows(queryset) -> geojson.SQLFeatures | None:
    """attraction_features' texts, written by the database (None with `near`)."""
    if not _has_plain_columns(queryset):
        return None
    value, flag = geojson.JSONValue, geojson.JSONBool
    return geojson.SQLFeatures(
        queryset,
        geometry="location",
        feature_id=value(F("slug")),
        properties={
            "name": value(F("name")),
            "slug": value(F("slug")),
            "village": value(F("village__slug")),
            "village_name": value(F("village__name")),
            "category": value(F("category")),
            "price_idr": value(F("price_idr")),
            "opening_hours": value(F("opening_hours")),
            "location_is_approximate": flag(F("location_is_approximate")),
            "thumbnail": geojson.Hole(thumbnail_subquery(Attraction), _media_url),
            "layer": '"attractions"',
            "category_label": geojson.JSONLabel(F("category"), dict(Attraction.Category.choices)),
            "instruments": JSONInstruments(F("pk")),
            "price_label": geojson.JSONValue(Idr(F("price_idr"))),
            "url": _json_url("tourism:attraction"),
        },
    )


def attraction_features(queryset) -> list[str]:
    """Feature texts for attractions (Points)."""
    labels = dict(Attraction.Category.choices)
    url = _url_maker("tourism:attraction")
    ids = queryset.order_by().values("pk")
    instruments = defaultdict(list)
    links = Attraction.instruments.through.objects.filter(attraction_id__in=ids)
    for attraction_id, slug in links.order_by("instrument__slug").values_list(
        "attraction_id", "instrument__slug"
    ):
        instruments[attraction_id].append(slug)
    features = []
    for geom, props in _rows(queryset, "location", ATTRACTION_COLUMNS, _has_distance(queryset)):
        pk = props.pop("id")
        props["layer"] = "attractions"
        props["category_label"] = str(labels.get(props["category"], props["category"]))
        props["instruments"] = instruments.get(pk, [])
        props["price_label"] = idr(props["price_idr"])
        props["url"] = url(props["slug"])
        features.append(geojson.feature_text(geom, props, feature_id=props["slug"]))
    return features


HOMESTAY_COLUMNS = {
    "name": "name",
    "slug": "slug",
    "village": "village__slug",
    "village_name": "village__name",
    "rooms": "rooms",
    "beds": "beds",
    "price_from_idr": "price_from_idr",
    "price_to_idr": "price_to_idr",
    "amenities": "amenities",
    "location_is_approximate": "location_is_approximate",
}


def homestay_rows(queryset) -> geojson.SQLFeatures | None:
    """homestay_features' texts, written by the database (None with `near`)."""
    if not _has_plain_columns(queryset):
        return None
    value, flag = geojson.JSONValue, geojson.JSONBool
    low, high = Idr(F("price_from_idr")), Idr(F("price_to_idr"))
    price_label = Case(
        When(
            Q(price_to_idr__isnull=False) & ~Q(price_to_idr=F("price_from_idr")),
            then=Concat(low, Value(" – "), high, output_field=TextField()),
        ),
        default=low,
        output_field=TextField(),
    )
    return geojson.SQLFeatures(
        queryset,
        geometry="location",
        feature_id=value(F("slug")),
        properties={
            **{key: value(F(column)) for key, column in HOMESTAY_COLUMNS.items()},
            "location_is_approximate": flag(F("location_is_approximate")),
            "thumbnail": geojson.Hole(thumbnail_subquery(Homestay), _media_url),
            "layer": '"homestays"',
            "price_label": value(price_label),
            "url": _json_url("tourism:homestay"),
        },
    )


def homestay_features(queryset) -> list[str]:
    """Feature texts for homestays (Points)."""
    url = _url_maker("tourism:homestay")
    features = []
    for geom, props in _rows(queryset, "location", HOMESTAY_COLUMNS, _has_distance(queryset)):
        props["layer"] = "homestays"
        low, high = idr(props["price_from_idr"]), idr(props["price_to_idr"])
        props["price_label"] = f"{low} – {high}" if high and high != low else low
        props["url"] = url(props["slug"])
        features.append(geojson.feature_text(geom, props, feature_id=props["slug"]))
    return features


EVENT_COLUMNS = {
    "title_id": "title_id",
    "title_en": "title_en",
    "slug": "slug",
    "village": "village__slug",
    "village_name": "village__name",
    "attraction": "attraction__slug",
    "attraction_name": "attraction__name",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "recurrence": "recurrence",
    "price_idr": "price_idr",
    "attraction_published": "attraction__published",
}


def event_features(queryset, *, now=None) -> list[str]:
    """Feature texts for events, placed at their own place, attraction or village centre.

    `next_starts_at`/`next_ends_at` give the next occurrence of a recurring event (WIT).
    """
    now = now or timezone.now()
    tz = local_tz()
    features = []
    for geom, props in _rows(queryset, "place", EVENT_COLUMNS, _has_distance(queryset)):
        props["title"] = props["name"] = choose(props.pop("title_id"), props.pop("title_en"))
        props["layer"] = "events"
        if not props.pop("attraction_published"):  # a draft attraction is nobody's to see yet
            props["attraction"] = props["attraction_name"] = None
        upcoming = next_occurrence(
            starts_at=props["starts_at"],
            ends_at=props["ends_at"],
            rule=props["recurrence"],
            after=now,
        )
        props["starts_at"] = props["starts_at"].astimezone(tz).isoformat(timespec="seconds")
        props["ends_at"] = props["ends_at"].astimezone(tz).isoformat(timespec="seconds")
        props["next_starts_at"] = (
            upcoming[0].astimezone(tz).isoformat(timespec="seconds") if upcoming else None
        )
        props["next_ends_at"] = (
            upcoming[1].astimezone(tz).isoformat(timespec="seconds") if upcoming else None
        )
        props["price_label"] = idr(props["price_idr"])
        props["url"] = reverse("tourism:event", kwargs={"slug": props["slug"]})
        features.append(geojson.feature_text(geom, props, feature_id=props["slug"]))
    return features


TRAIL_COLUMNS = {
    "name": "name",
    "slug": "slug",
    "village": "village__slug",
    "village_name": "village__name",
    "length_m": "length_m",
    "difficulty": "difficulty",
    "path_is_approximate": "path_is_approximate",
}


def trail_rows(queryset) -> geojson.SQLFeatures | None:
    """trail_features' texts, written by the database (None with `near`)."""
    if not _has_plain_columns(queryset):
        return None
    value, flag = geojson.JSONValue, geojson.JSONBool
    return geojson.SQLFeatures(
        queryset,
        geometry="path",
        feature_id=value(F("slug")),
        properties={
            **{key: value(F(column)) for key, column in TRAIL_COLUMNS.items()},
            "length_m": value(Round("length_m", 1)),
            "path_is_approximate": flag(F("path_is_approximate")),
            "thumbnail": geojson.Hole(thumbnail_subquery(Trail), _media_url),
            "layer": '"trails"',
            "difficulty_label": geojson.JSONLabel(F("difficulty"), dict(Trail.Difficulty.choices)),
            "url": _json_url("tourism:trail"),
        },
    )


def trail_features(queryset) -> list[str]:
    """Feature texts for trails (LineStrings), length in metres (UTM 52S)."""
    labels = dict(Trail.Difficulty.choices)
    url = _url_maker("tourism:trail")
    features = []
    for geom, props in _rows(queryset, "path", TRAIL_COLUMNS, _has_distance(queryset)):
        props["layer"] = "trails"
        props["length_m"] = round(props["length_m"], 1)
        props["difficulty_label"] = str(labels.get(props["difficulty"], props["difficulty"]))
        props["url"] = url(props["slug"])
        features.append(geojson.feature_text(geom, props, feature_id=props["slug"]))
    return features
