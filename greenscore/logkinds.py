"""greenscore's log kind: conservation actions (villages.logs.kinds derives the API,
coordinator pages, review queue, CSV export, import and audit trail from this declaration).

What differs from a plain kind: species counts (content beyond the model's fields), the
area of a drawn polygon (derived), photos, a map of the place, and the rules of
greenscore/actions/services.py.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from villages.logs.kinds import LogKind, register

from .actions import selectors, services
from .actions.api import ActionSerializerBase
from .actions.forms import ActionFormBase
from .actions.models import ConservationAction


def _species_items(text: str) -> list[dict]:
    """'Scientific name:count; ...' (an import cell) as the API's species items."""
    items = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        name, sep, count = part.rpartition(":")
        if not sep:
            raise ValueError(
                _("Species %(part)r must be written 'Scientific name:count'.") % {"part": part}
            )
        try:
            number = int(count.strip())
        except ValueError:
            raise ValueError(
                _("The count in %(part)r is not a whole number.") % {"part": part}
            ) from None
        items.append({"species": name.strip(), "count": number})
    return items


class ActionKind(LogKind):
    def validate(self, *, data):
        services.validate_action(data=data)

    def extra_defaults(self):
        return {"species": []}

    def extra_content(self, source):
        if isinstance(source, dict):
            return {"species": sorted((sp.pk, count) for sp, count in source.get("species", []))}
        return {"species": sorted(source.species_counts.values_list("species_id", "count"))}

    def extra_current(self, log):
        return {
            "species": [
                (sc.species, sc.count) for sc in log.species_counts.select_related("species")
            ]
        }

    def save_extra(self, log, data):
        if "species" in data:
            services.set_species(log, data["species"])

    def derive(self, log):
        services.derive_area(log)

    def extra_facts(self, log):
        names = ", ".join(
            f"{sc.species.local_name} ({sc.species.scientific_name}) × {sc.count}"
            for sc in log.species_counts.all()
        )
        return [(_("Species"), names)] if names else []

    def map_features(self, queryset):
        return selectors.review_features(queryset)

    def import_cells(self, cells):
        species = cells.get("species") or []
        try:
            return {"species": _species_items(species) if isinstance(species, str) else species}, []
        except ValueError as exc:
            return {"species": []}, [f"species: {exc}"]


ACTIONS = register(
    ActionKind(
        slug="actions",
        model=ConservationAction,
        fields=(
            "kind",
            "date",
            "geometry",
            "quantity",
            "unit",
            "area_m2",
            "participants_total",
            "participants_women",
            "participants_youth",
            "participants_visitors",
            "volunteer_hours",
        ),
        label=_lazy("Conservation actions"),
        label_one=_lazy("conservation action"),
        order=10,
        labels={
            "kind": _lazy("What was done"),
            "participants_women": _lazy("of whom women"),
            "participants_youth": _lazy("of whom youth"),
            "participants_visitors": _lazy("of whom visitors"),
        },
        select_related=("reviewed_by",),
        prefetch_related=("species_counts__species", "photos"),
        photos="photos",
        form_base=ActionFormBase,
        serializer_base=ActionSerializerBase,
        filterset=selectors.ActionFilterSet,
        importable=True,
    )
)
