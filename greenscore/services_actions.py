"""Writes for conservation actions: the rules every log must pass, create (once), edit, delete, photos.

Pages, the API and the bulk import all come through here, so a rule holds
whichever door a log comes in by. Input is already typed (a Village, a GEOS
geometry, Species objects, Decimals) by a form or serializer; these functions
check the business rules and raise a ValidationError keyed by field.

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

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villages import audit, logs
from villages.geo import metric_area_m2
from villages.images import process_upload

from .geometry_input import check_near_village
from .models import ActionPhoto, ActionSpecies, ConservationAction

Kind = ConservationAction.Kind
Unit = ConservationAction.Unit

PROGRAMME_START = datetime.date(2020, 1, 1)
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

CONTENT_FIELDS = (
    "village",
    "kind",
    "date",
    "geometry",
    "quantity",
    "unit",
    "participants_total",
    "participants_women",
    "participants_youth",
    "participants_visitors",
    "volunteer_hours",
    "notes",
)
DEFAULTS = {
    "quantity": None,
    "unit": "",
    "participants_total": 0,
    "participants_women": 0,
    "participants_youth": 0,
    "participants_visitors": 0,
    "volunteer_hours": Decimal(0),
    "notes": "",
    "species": [],
}


def _dec(value, places: str):
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


def content_from_data(data: dict) -> dict:
    """The comparable content of validated input (same shape as `stored_content`)."""
    merged = {**DEFAULTS, **data}
    content = {field: merged[field] for field in CONTENT_FIELDS}
    content["village"] = merged["village"].pk
    content["quantity"] = _dec(merged["quantity"], "0.01")
    content["volunteer_hours"] = _dec(merged["volunteer_hours"], "0.1")
    content["species"] = sorted((sp.pk, count) for sp, count in merged["species"])
    return content


def stored_content(action: ConservationAction) -> dict:
    """The comparable content of a stored action (also what the audit trail diffs)."""
    content = {field: getattr(action, field) for field in CONTENT_FIELDS}
    content["village"] = action.village_id
    content["quantity"] = _dec(action.quantity, "0.01")
    content["volunteer_hours"] = _dec(action.volunteer_hours, "0.1")
    content["species"] = sorted(action.species_counts.values_list("species_id", "count"))
    return content


def validate_action(*, data: dict) -> None:
    """Check the rules across fields; raise ValidationError({field: [messages]})."""
    d = {**DEFAULTS, **data}
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    if d["date"] > today:
        add("date", _("The date %(date)s is in the future.") % {"date": d["date"].isoformat()})
    elif d["date"] < PROGRAMME_START:
        add(
            "date",
            _("The date is before the programme began (%(start)s).")
            % {"start": PROGRAMME_START.isoformat()},
        )

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
    if (species and unit == Unit.SEEDLINGS and quantity is not None
            and "quantity" not in errors and "species" not in errors):
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


def _apply(action: ConservationAction, data: dict) -> None:
    for field in CONTENT_FIELDS:
        if field in data:
            setattr(action, field, data[field])
    geom = action.geometry
    action.area_m2 = metric_area_m2(geom) if geom.geom_type in ("Polygon", "MultiPolygon") else None


def _set_species(action: ConservationAction, species) -> None:
    action.species_counts.all().delete()
    ActionSpecies.objects.bulk_create(
        ActionSpecies(action=action, species=sp, count=n) for sp, n in species
    )


def action_create(*, author, data: dict) -> tuple[ConservationAction, bool]:
    """File a new action, or return the stored one for a retry. Returns (action, created)."""
    logs.check_filing(user=author, village=data["village"])
    validate_action(data=data)
    full = {**DEFAULTS, **data}

    def create():
        action = ConservationAction(client_uuid=data["client_uuid"], author=author)
        _apply(action, full)
        action.save()
        _set_species(action, full["species"])
        return action

    return logs.create_once(
        model=ConservationAction,
        client_uuid=data["client_uuid"],
        author=author,
        content=content_from_data(full),
        stored_content=stored_content,
        create=create,
    )


def action_update(*, user, action: ConservationAction, data: dict) -> ConservationAction:
    """Edit an unverified action (fields absent from `data` keep their value)."""
    logs.check_can_edit(user=user, log=action)
    if "village" in data and data["village"].pk != action.village_id:
        logs.check_filing(user=user, village=data["village"])
    before = stored_content(action)
    merged = {field: getattr(action, field) for field in CONTENT_FIELDS}
    merged["species"] = [
        (sc.species, sc.count) for sc in action.species_counts.select_related("species")
    ]
    merged.update(data)
    validate_action(data=merged)

    def apply():
        _apply(action, merged)
        if "species" in data:
            _set_species(action, data["species"])

    return logs.update_log(
        user=user, log=action, before=before, apply=apply, stored_content=stored_content
    )


def action_delete(*, user, action: ConservationAction) -> None:
    """Delete an unverified action; its photo files go once the deletion is committed."""
    names = [
        field.name for photo in action.photos.all() for field in (photo.image, photo.thumbnail) if field
    ]
    logs.delete_log(user=user, log=action, stored_content=stored_content)
    storage = ActionPhoto._meta.get_field("image").storage
    # After commit: a rolled-back deletion must still find its photos.
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def action_add_photo(
    *, user, action: ConservationAction, fileobj, caption: str = ""
) -> ActionPhoto:
    """Attach a photo through the shared pipeline (which refuses what is not an image)."""
    logs.check_can_edit(user=user, log=action)
    try:
        image = process_upload(fileobj=fileobj)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None
    if len(caption) > 200:
        raise ValidationError({"caption": [_("At most 200 characters.")]})
    with transaction.atomic():
        photo = ActionPhoto(action=action, caption=caption, width=image.width, height=image.height)
        # The fields' upload_to (villages.images.PhotoPath) names the files; only the
        # extension of the name given here is kept.
        photo.image.save(f"photo.{image.extension}", ContentFile(image.content), save=False)
        photo.thumbnail.save(
            f"photo.{image.extension}", ContentFile(image.thumbnail), save=False
        )
        photo.save()
        audit.record(
            actor=user, action="update", obj=action, changes={"photos": [None, photo.image.name]}
        )
    return photo
