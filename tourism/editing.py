"""Villages keep their own listings: writes for attractions, homestays, events and trails.

Who may do what is asked of `villages.roles` (`can_list_in`, `can_edit_listing`,
`can_publish_listing`); this module holds the rules and the writes:

- `create_listing`: a new listing is a **draft** (`published=False`) until AMO
  publishes it, whoever created it. Its slug (the public address) is made from
  the name and never changes afterwards.
- `update_listing`: edits apply at once: a published listing shows them
  immediately. The village may change only to one the user may list in.
- `set_published`: AMO publishes or unpublishes.
- `add_photo` / `remove_photo`: photos through the shared pipeline (villages.images).

Every write records an entry in the audit trail (`villages.logs.audit`, the one the logs use)
in the same transaction: who, what, and each changed field as [old, new].
Places must lie near their village (`villages.geometry_input.check_near_village`, the
check conservation actions pass).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villages import roles
from villages.geometry_input import check_near_village
from villages.logs import audit

from .models import Attraction, Event, Homestay, Photo, Trail
from .services import photo_add

MAX_PHOTOS = 12


@dataclass(frozen=True)
class ListingKind:
    slug: str  # in URLs: /coordinator/listings/<slug>/...
    model: type
    label: object  # plural, lazy
    label_one: object
    fields: tuple[str, ...]  # what the editing form may change, in the form's order
    geometry: str = "location"
    geometry_required: bool = True
    title_field: str = "name"  # the slug is made from it
    public_url: str | None = None  # URL name of the public page, by slug

    def title(self, listing) -> str:
        return listing.text("title") if self.title_field == "title_id" else listing.name

    @property
    def m2m(self) -> tuple[str, ...]:
        """The many-to-many fields among `fields` (set after the listing is saved)."""
        return tuple(n for n in self.fields if self.model._meta.get_field(n).many_to_many)

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields stored on the listing's own row."""
        return tuple(n for n in self.fields if n not in self.m2m)


CONTACT = ("phone", "email", "website", "email_enquiries")
TEXTS = ("description_id", "description_en")

KINDS = {
    k.slug: k
    for k in [
        ListingKind(
            "attractions",
            Attraction,
            gettext_lazy("Attractions"),
            gettext_lazy("attraction"),
            (
                "village",
                "name",
                "category",
                "instruments",
                "location",
                "location_is_approximate",
                *TEXTS,
                "opening_hours",
                "price_idr",
                "accessibility",
                *CONTACT,
            ),
            public_url="tourism:attraction",
        ),
        ListingKind(
            "homestays",
            Homestay,
            gettext_lazy("Homestays"),
            gettext_lazy("homestay"),
            (
                "village",
                "name",
                "host_name",
                "location",
                "location_is_approximate",
                "rooms",
                "beds",
                "price_from_idr",
                "price_to_idr",
                "amenities",
                *TEXTS,
                *CONTACT,
            ),
            public_url="tourism:homestay",
        ),
        ListingKind(
            "events",
            Event,
            gettext_lazy("Events"),
            gettext_lazy("event"),
            (
                "village",
                "title_id",
                "title_en",
                "attraction",
                "location",
                "starts_at",
                "ends_at",
                "price_idr",
                "recurrence",
                *TEXTS,
            ),
            geometry_required=False,
            title_field="title_id",
        ),
        ListingKind(
            "trails",
            Trail,
            gettext_lazy("Trails"),
            gettext_lazy("trail"),
            ("village", "name", "path", "path_is_approximate", "difficulty", *TEXTS),
            geometry="path",
            public_url="tourism:trail",
        ),
    ]
}


def listing_kind(slug: str) -> ListingKind:
    from django.http import Http404

    try:
        return KINDS[slug]
    except KeyError:
        raise Http404(_("No such kind of listing.")) from None


def kind_of(listing) -> ListingKind:
    return next(k for k in KINDS.values() if isinstance(listing, k.model))


def content(kind: ListingKind, listing) -> dict:
    """What the audit trail compares: every editable field, many-to-many as sorted ids."""
    data = {
        name: getattr(listing, f"{name}_id" if _is_fk(kind, name) else name)
        for name in kind.columns
    }
    data["published"] = listing.published
    if listing.pk:
        for name in kind.m2m:
            data[name] = sorted(getattr(listing, name).values_list("pk", flat=True))
    return data


def _is_fk(kind: ListingKind, name: str) -> bool:
    return kind.model._meta.get_field(name).many_to_one


def price_range_problem(low, high) -> str | None:
    """A homestay's price range is ordered (the form says it before the database would)."""
    if low is not None and high is not None and high < low:
        return _("The highest price cannot be below the lowest price.")
    return None


def _field_errors(exc: ValidationError, field: str) -> ValidationError:
    return ValidationError({field: exc.messages})


def _validate(kind: ListingKind, listing, *, user) -> None:
    """The rules a listing obeys, whoever writes it: raise ValidationError naming the fields."""
    errors: dict[str, list] = {}
    if not roles.can_list_in(user, listing.village):
        errors["village"] = [_("You may only list places in a village you coordinate.")]
    geom = getattr(listing, kind.geometry)
    if geom is not None and listing.village_id and "village" not in errors:
        try:
            check_near_village(geom, listing.village)
        except ValidationError as exc:
            errors[kind.geometry] = exc.messages
    if kind.model is Homestay:
        problem = price_range_problem(listing.price_from_idr, listing.price_to_idr)
        if problem:
            errors["price_to_idr"] = [problem]
    if (
        kind.model is Event
        and listing.attraction_id
        and (listing.attraction.village_id != listing.village_id)
    ):
        errors["attraction"] = [_("Choose an attraction of the event's village.")]
    try:
        listing.full_clean(exclude=[*errors, "slug"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field == "__all__" and errors:
                continue  # a constraint restating an error already named above
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _free_slug(kind: ListingKind, title: str) -> str:
    """A slug for a new listing: from its title, with -2, -3... when taken."""
    limit = kind.model._meta.get_field("slug").max_length - 6
    base = slugify(title)[:limit].strip("-") or str(kind.label_one)
    slug, n = base, 1
    while kind.model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(kind: ListingKind, listing, data: dict) -> dict:
    """Set the editable fields from `data`; return the many-to-many values to set after saving."""
    for name in kind.columns:
        if name in data:
            setattr(listing, name, data[name])
    return {name: list(data[name]) for name in kind.m2m if name in data}


@transaction.atomic
def create_listing(*, user, kind: ListingKind, data: dict):
    """A new listing, as a draft: no visitor sees it until AMO publishes it."""
    if not roles.may_keep_listings(user):
        raise PermissionDenied(_("You may not add listings."))
    listing = kind.model(published=False)
    m2m = _apply(kind, listing, data)
    _validate(kind, listing, user=user)
    title = getattr(listing, kind.title_field)
    for _attempt in range(3):
        listing.slug = _free_slug(kind, title)
        try:
            with transaction.atomic():
                listing.save()
            break
        except IntegrityError:  # another listing took the slug meanwhile
            listing.pk = None
    else:
        raise ValidationError({kind.title_field: _("Please try again: the address was taken.")})
    for name, values in m2m.items():
        getattr(listing, name).set(values)
    audit.record(
        actor=user,
        action="create",
        obj=listing,
        changes=audit.diff({}, {**content(kind, listing), "slug": listing.slug}),
    )
    return listing


@transaction.atomic
def update_listing(*, user, listing, data: dict):
    """Apply the edit at once (a published listing shows it immediately) and audit it."""
    kind = kind_of(listing)
    current = kind.model.objects.select_for_update().get(pk=listing.pk)
    if not roles.can_edit_listing(user, current):
        raise PermissionDenied(_("You may only edit the listings of your villages."))
    before = content(kind, current)
    m2m = _apply(kind, current, data)
    _validate(kind, current, user=user)
    current.save()
    for name, values in m2m.items():
        getattr(current, name).set(values)
    changes = audit.diff(before, content(kind, current))
    if changes:
        audit.record(actor=user, action="update", obj=current, changes=changes)
    return current


@transaction.atomic
def set_published(*, user, listing, published: bool):
    """AMO publishes or unpublishes; returns whether anything changed."""
    if not roles.can_publish_listing(user):
        raise PermissionDenied(_("Only AMO publishes or unpublishes listings."))
    kind = kind_of(listing)
    current = kind.model.objects.select_for_update().get(pk=listing.pk)
    if current.published == published:
        return False
    current.published = published
    current.save(update_fields=["published", "updated_at"])
    audit.record(
        actor=user, action="update", obj=current, changes={"published": [not published, published]}
    )
    listing.published = published
    return True


def _photo_ids(listing) -> list[int]:
    return sorted(listing.photos.values_list("pk", flat=True))


@transaction.atomic
def add_photo(*, user, listing, fileobj, caption_id: str = "", caption_en: str = "") -> Photo:
    """Check and clean the upload (ValidationError with a message if refused) and attach it."""
    if not roles.can_edit_listing(user, listing):
        raise PermissionDenied(_("You may only edit the listings of your villages."))
    before = _photo_ids(listing)
    if len(before) >= MAX_PHOTOS:
        raise ValidationError(
            _("A listing holds at most %(n)d photos; remove one first.") % {"n": MAX_PHOTOS}
        )
    photo = photo_add(
        subject=listing,
        fileobj=fileobj,
        caption_id=caption_id,
        caption_en=caption_en,
        order=len(before),
    )
    audit.record(
        actor=user, action="update", obj=listing, changes={"photos": [before, _photo_ids(listing)]}
    )
    return photo


@transaction.atomic
def remove_photo(*, user, listing, photo: Photo) -> None:
    if not roles.can_edit_listing(user, listing):
        raise PermissionDenied(_("You may only edit the listings of your villages."))
    before = _photo_ids(listing)
    if photo.pk not in before:
        raise PermissionDenied(_("This photo belongs to another listing."))
    files = [photo.image, photo.thumbnail]
    photo.delete()
    # Remove the files only once the database change is final.
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files if f.name])
    audit.record(
        actor=user, action="update", obj=listing, changes={"photos": [before, _photo_ids(listing)]}
    )
