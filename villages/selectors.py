"""Reads about villages. Other apps import these, never the models' internals."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.urls import reverse

from . import geojson
from .models import District, Village

VILLAGE_PROPERTIES = {
    "code": "code",
    "name": "name",
    "slug": "slug",
    "kind": "kind",
    "parent": "parent__slug",
    "district": "district__name",
    "district_code": "district__code",
    "tourism_stage": "tourism_stage",
    "is_sog_site": "is_sog_site",
    "geometry_is_approximate": "geometry_is_approximate",
}


def village_list(*, kind=None, district=None, is_sog_site=None, tourism_stage=None, bbox=None):
    """Villages matching the given filters (each optional)."""
    qs = Village.objects.with_relations()
    if kind:
        qs = qs.filter(kind=kind)
    if district is not None:
        qs = qs.filter(district=district)
    if is_sog_site is not None:
        qs = qs.filter(is_sog_site=is_sog_site)
    if tourism_stage:
        qs = qs.filter(tourism_stage=tourism_stage)
    if bbox is not None:
        # Two index scans (boundary, centre) in one UNION, not one OR that neither index can
        # answer; as a UNION the planner also knows how few rows it gives (with an OR of two
        # IN subqueries it guessed 44% of all villages and went parallel for 25 of 10,000).
        by_boundary = Village.objects.filter(boundary__intersects=bbox).order_by().values("pk")
        by_centre = Village.objects.filter(centre__intersects=bbox).order_by().values("pk")
        qs = qs.filter(pk__in=by_boundary.union(by_centre))
    return qs


def district_list():
    """Every district, by code (for filter menus)."""
    return District.objects.order_by("code")


def district_lookup(value: str) -> District | None:
    """A district by its code (81.71.01) or its name, case-insensitively."""
    return District.objects.filter(Q(code=value) | Q(name__iexact=value)).order_by("code").first()


def village_by_slug(slug: str) -> Village | None:
    return Village.objects.with_relations().filter(slug=slug).first()


def village_features(queryset, *, geometry: str = "boundary") -> list[str]:
    """GeoJSON Feature texts for villages, built from database-rendered geometry.

    geometry="boundary" gives the boundary where one is known and the centre
    otherwise (property geometry_source says which); "centre" gives centres.
    """
    qs = geojson.with_geojson(queryset, "centre", "_centre")
    if geometry == "boundary":
        qs = geojson.with_geojson(qs, "boundary", "_boundary")
    fields = list(VILLAGE_PROPERTIES.values())
    rows = qs.values_list(
        *fields, *(["_centre", "_boundary"] if geometry == "boundary" else ["_centre"])
    )
    names = list(VILLAGE_PROPERTIES)
    url_template = reverse("villages:detail", kwargs={"slug": "__slug__"})
    features = []
    for row in rows:
        props = dict(zip(names, row[: len(names)], strict=True))
        props["url"] = url_template.replace("__slug__", props["slug"])
        geom = row[len(names)]
        source = "centre" if geom else None
        if geometry == "boundary" and row[-1]:
            geom, source = row[-1], "boundary"
        props["geometry_source"] = source
        features.append(geojson.feature_text(geom, props, feature_id=props["slug"]))
    return features


def village_rows(queryset, *, geometry: str = "boundary") -> geojson.SQLFeatures:
    """village_features' texts, written by the database (the list endpoint's pages)."""
    from django.contrib.gis.db.models.functions import AsGeoJSON
    from django.db.models import Case, F, TextField, Value, When
    from django.db.models.functions import Coalesce, Concat

    centre = AsGeoJSON("centre", precision=geojson.PRECISION)
    shape = [AsGeoJSON("boundary", precision=geojson.PRECISION)] if geometry == "boundary" else []
    source = [When(boundary__isnull=False, then=Value('"boundary"'))] if shape else []
    before, after = reverse("villages:detail", kwargs={"slug": "__slug__"}).split("__slug__")
    value, flag = geojson.JSONValue, geojson.JSONBool
    return geojson.SQLFeatures(
        queryset,
        geometry=Coalesce(*shape, centre, Value("null"), output_field=TextField()),
        feature_id=value(F("slug")),
        properties={
            **{key: value(F(column)) for key, column in VILLAGE_PROPERTIES.items()},
            "is_sog_site": flag(F("is_sog_site")),
            "geometry_is_approximate": flag(F("geometry_is_approximate")),
            "url": value(Concat(Value(before), "slug", Value(after), output_field=TextField())),
            "geometry_source": Case(
                *source,
                When(centre__isnull=False, then=Value('"centre"')),
                default=Value("null"),
                output_field=TextField(),
            ),
        },
    )


def village_choices(queryset=None):
    """Villages for a filter menu, by name, each with a `choice_label` no other entry shares.

    Kota Ambon has a kelurahan and a desa both called Nusaniwe (and both called
    Urimessing): a name that occurs more than once gets its kind ("Nusaniwe (desa)"),
    and if that is still not unique, its register code or its parent.
    """
    villages = list(
        (queryset if queryset is not None else Village.objects.with_relations()).order_by(
            "name", "kind", "code"
        )
    )
    by_name = Counter(v.name for v in villages)
    for village in villages:
        village.choice_label = village.name
        if by_name[village.name] > 1:
            village.choice_label = f"{village.name} ({village.kind})"
    by_label = Counter(v.choice_label for v in villages)
    for village in villages:
        if by_label[village.choice_label] > 1:
            extra = village.code or (village.parent.name if village.parent_id else village.slug)
            village.choice_label = f"{village.name} ({village.kind}, {extra})"
    return villages
