"""The rules of conservation actions, and the writes beyond the action's own fields
(species counts, the area of a drawn polygon).

The kind (greenscore/logkinds.py) calls these; villages.logs.services does the rest
(who may file, the date rule, retries, audit trail, photos, review). Pages, the API and
the bulk import all come through there, so a rule holds whichever door a log comes in by.
Input is already typed (a Village, a GEOS geometry, Species objects, Decimals) by a form
or serializer; `validate_action` raises a ValidationError keyed by field.

Units per kind (`KIND_UNITS`):

| kind                                  | unit                  |
|---------------------------------------|-----------------------|
| tree, bamboo, mangrove planting       | seedlings             |
| nursery                               | seedlings or m2       |
| beach or river clean-up, waste bank   | kg                    |
| plot measurement                      | m2                    |
| music session or lesson               | sessions, or none     |
| other                                 | any, or none          |
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from villages.geo import metric_area_m2

from .geometry_input import check_near_village
from .models import ActionSpecies, ConservationAction

Kind = ConservationAction.Kind
Unit = ConservationAction.Unit

PLANTING_KINDS = {Kind.TREE_PLANTING, Kind.BAMBOO_PLANTING, Kind.MANGROVE_PLANTING}
KIND_UNITS = {
    Kind.TREE_PLANTING: {Unit.SEEDLINGS},
    Kind.BAMBOO_PLANTING: {Unit.SEEDLINGS},
    Kind.MANGROVE_PLANTING: {Unit.SEEDLINGS},
    Kind.NURSERY: {Unit.SEEDLINGS, Unit.M2},
    Kind.CLEANUP: {Unit.KG},
    Kind.WASTE_BANK: {Unit.KG},
    Kind.PLOT_MEASUREMENT: {Unit.M2},
    Kind.MUSIC_SESSION: {Unit.SESSIONS, Unit.NONE},
    Kind.OTHER: set(Unit),
}
# Species are counted only where something is planted or raised.
SPECIES_KINDS = PLANTING_KINDS | {Kind.NURSERY, Kind.PLOT_MEASUREMENT, Kind.OTHER}
# One log larger than these is almost certainly a typing slip (an extra zero).
MAX_QUANTITY = {
    Unit.SEEDLINGS: Decimal(100_000),
    Unit.KG: Decimal(100_000),
    Unit.M2: Decimal(5_000_000),  # 500 ha
    Unit.SESSIONS: Decimal(100),
}
MAX_PARTICIPANTS = 10_000
MAX_HOURS_PER_PARTICIPANT = 24


def validate_action(*, data: dict) -> None:
    """Check the rules across fields; raise ValidationError({field: [messages]}). `data`
    holds every field (the kind's defaults filled in); the date rule is every log's
    (villages.logs.services.date_problem)."""
    d = data
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    kind, unit, quantity = d["kind"], d["unit"], d["quantity"]
    allowed = KIND_UNITS.get(kind, set())
    if unit not in allowed:
        names = ", ".join(str(Unit(u).label) for u in sorted(allowed)) or "-"
        add(
            "unit",
            _("The unit for %(kind)s must be one of: %(units)s.")
            % {"kind": Kind(kind).label, "units": names},
        )
    if quantity is not None:
        if quantity < 0:
            add("quantity", _("The quantity cannot be negative."))
        elif not unit:
            add("unit", _("Give the unit of the quantity."))
        elif unit in MAX_QUANTITY and quantity > MAX_QUANTITY[unit]:
            add(
                "quantity",
                _(
                    "%(quantity)s %(unit)s in one log is more than the limit of %(limit)s; check for a typing slip."
                )
                % {"quantity": quantity, "unit": Unit(unit).label, "limit": MAX_QUANTITY[unit]},
            )
    elif unit and kind != Kind.OTHER:
        add("quantity", _("Give the quantity in %(unit)s.") % {"unit": Unit(unit).label})

    total = d["participants_total"]
    if total > MAX_PARTICIPANTS:
        add(
            "participants_total",
            _("More than %(limit)d participants in one log; check for a typing slip.")
            % {"limit": MAX_PARTICIPANTS},
        )
    for part in ("participants_women", "participants_youth", "participants_visitors"):
        if d[part] > total:
            add(
                part, _("This is more than the %(total)d participants in total.") % {"total": total}
            )
    hours = d["volunteer_hours"]
    if hours < 0:
        add("volunteer_hours", _("Volunteer hours cannot be negative."))
    elif hours > max(total, 1) * MAX_HOURS_PER_PARTICIPANT:
        add(
            "volunteer_hours",
            _("More than %(h)d hours per participant in one day; check the numbers.")
            % {"h": MAX_HOURS_PER_PARTICIPANT},
        )

    species = d["species"]
    if species and kind not in SPECIES_KINDS:
        add("species", _("Species are counted only for planting, nursery and plot logs."))
    seen = set()
    for sp, count in species:
        if sp.pk in seen:
            add("species", _("%(species)s is listed twice.") % {"species": sp.scientific_name})
        seen.add(sp.pk)
        if count < 1 or count > MAX_QUANTITY[Unit.SEEDLINGS]:
            add(
                "species",
                _("The count for %(species)s must be between 1 and %(limit)s.")
                % {"species": sp.scientific_name, "limit": MAX_QUANTITY[Unit.SEEDLINGS]},
            )

    # The quantity is what was planted or raised; species rows say what part of it was which
    # species (a coordinator may know only some). They can never add up to more.
    if (
        species
        and unit == Unit.SEEDLINGS
        and quantity is not None
        and "quantity" not in errors
        and "species" not in errors
    ):
        total_counted = sum(count for _, count in species)
        if total_counted > quantity:
            add(
                "species",
                _(
                    "The species counts add up to %(total)d seedlings, more than the quantity (%(quantity)s)."
                )
                % {"total": total_counted, "quantity": f"{Decimal(quantity).normalize():f}"},
            )

    try:
        check_near_village(d["geometry"], d["village"])
    except ValidationError as exc:
        errors.setdefault("geometry", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def derive_area(action: ConservationAction) -> None:
    """A drawn area's size in m² (UTM 52S); None for a point or a line."""
    geom = action.geometry
    action.area_m2 = metric_area_m2(geom) if geom.geom_type in ("Polygon", "MultiPolygon") else None


def set_species(action: ConservationAction, species) -> None:
    """Replace the action's species counts with these (species, count) pairs."""
    action.species_counts.all().delete()
    ActionSpecies.objects.bulk_create(
        ActionSpecies(action=action, species=sp, count=n) for sp, n in species
    )
