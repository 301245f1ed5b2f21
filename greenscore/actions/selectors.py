"""Reads of conservation actions: the list filter, species, the review map and the public
map layer (the scoped lists and the review queue are the kind's, villages.logs.kinds)."""

from __future__ import annotations

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from villages import geojson
from villages.logs.filters import LogFilterSet
from villages.logs.models import LogStatus

from .models import ConservationAction, Species

# The public layer carries no personal data: no author, reviewer, notes,
# participants or photos; only what, when, where and how much.
PUBLIC_SITE_PROPERTIES = {
    "kind": "kind",
    "date": "date",
    "village": "village__slug",
    "village_name": "village__name",
    "quantity": "quantity",
    "unit": "unit",
}


class ActionFilterSet(LogFilterSet):
    """The log filters, and the kind of action (API list and coordinator pages)."""

    kind = django_filters.ChoiceFilter(
        choices=ConservationAction.Kind.choices, label=_("Kind"), empty_label="—"
    )


def species_lookup(value) -> Species | None:
    """A species by id or scientific name (case-insensitive)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Species.objects.filter(pk=value).first()
    if isinstance(value, str) and value.strip():
        text = value.strip()
        if text.isdigit():
            return Species.objects.filter(pk=int(text)).first()
        return Species.objects.filter(scientific_name__iexact=text).first()
    return None


def action_sites(*, village=None, kind=None):
    """Verified actions (the public layer's rows), newest first."""
    qs = ConservationAction.objects.filter(status=LogStatus.VERIFIED)
    if village is not None:
        qs = qs.filter(village=village)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "id")


def action_site_features(*, village=None, kind=None) -> list[str]:
    """Verified actions as GeoJSON Feature texts, built in the database, without personal data."""
    return action_site_feature_texts(action_sites(village=village, kind=kind))


def action_site_feature_texts(queryset) -> list[str]:
    """GeoJSON Feature texts for rows of `action_sites()` (public properties only)."""
    qs = geojson.with_geojson(queryset, "geometry")
    names = list(PUBLIC_SITE_PROPERTIES)
    rows = qs.values_list("id", *PUBLIC_SITE_PROPERTIES.values(), "_geojson")
    kind_labels = {k: str(label) for k, label in ConservationAction.Kind.choices}
    unit_labels = {k: str(label) for k, label in ConservationAction.Unit.choices}
    village_url = reverse("villages:detail", kwargs={"slug": "__slug__"})
    features = []
    for row in rows:
        props = dict(zip(names, row[1:-1], strict=True))
        props["kind_label"] = kind_labels.get(props["kind"], props["kind"])
        props["unit_label"] = unit_labels.get(props["unit"], props["unit"])
        # For the public map's popup: an action has no page of its own; its village has.
        props["layer"] = "actions"
        props["url"] = village_url.replace("__slug__", props["village"])
        features.append(geojson.feature_text(row[-1], props, feature_id=row[0]))
    return features


def review_features(queryset) -> list[str]:
    """Feature texts for the review map: id, kind, village, date (built in the database)."""
    rows = geojson.with_geojson(queryset.order_by(), "geometry").values_list(
        "id", "kind", "village__name", "date", "_geojson"
    )
    return [
        geojson.feature_text(
            geom, {"id": pk, "kind": kind, "village": village, "date": day}, feature_id=pk
        )
        for pk, kind, village, day, geom in rows
    ]


def species_rows():
    return Species.objects.order_by("local_name").values(
        "id", "local_name", "scientific_name", "instrument_use"
    )
