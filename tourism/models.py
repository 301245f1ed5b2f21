"""What visitors come for (attractions, homestays, events, trails, photos) and
the village activity logs that feed the scorecard (guest stays, event reports)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from villages.i18n import localized
from villages.images import PhotoPath
from villages.logs.models import VillageLog


class BilingualMixin:
    """`text("description")` gives the active language's field, falling back to the other."""

    def text(self, base: str) -> str:
        return localized(self, base)


class Instrument(models.Model):
    slug = models.SlugField(unique=True)
    name_id = models.CharField(_("name (Bahasa Indonesia)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self):
        return localized(self, "name")


class Photo(models.Model):
    """A cleaned image (see villages.images) attached to any place."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    image = models.ImageField(
        _("image"), upload_to=PhotoPath("photos"), width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=PhotoPath("photos/thumbs"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption_id = models.CharField(_("caption (Bahasa Indonesia)"), max_length=200, blank=True)
    caption_en = models.CharField(_("caption (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "order"])]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return localized(self, "caption") or f"photo {self.pk}"


class Contact(models.Model):
    phone = models.CharField(_("phone / WhatsApp"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email_enquiries = models.BooleanField(
        _("e-mail enquiries"),
        default=False,
        help_text=_(
            "Guests' enquiries are sent from the site to the e-mail above (nothing "
            "is stored). Off: the form only opens WhatsApp or the guest's own e-mail."
        ),
    )

    class Meta:
        abstract = True


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class CatalogueEntry(BilingualMixin, models.Model):
    """What every published place or event shares: its village, both descriptions, photos."""

    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    description_id = models.TextField(_("description (Bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    photos = GenericRelation(Photo)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class Attraction(CatalogueEntry, Contact):
    class Category(models.TextChoices):
        SANGGAR = "sanggar", _("sanggar or music group")
        VENUE = "venue", _("performance venue")
        WORKSHOP = "workshop", _("instrument workshop")
        MUSIC_FOREST = "music_forest", _("music forest or nature site")
        HERITAGE = "heritage", _("heritage site")
        CULINARY = "culinary", _("culinary")
        VIEWPOINT = "viewpoint", _("viewpoint")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    instruments = models.ManyToManyField(
        Instrument, verbose_name=_("instruments"), blank=True, related_name="attractions"
    )
    location = models.PointField(_("location"), srid=4326)
    location_is_approximate = models.BooleanField(_("location is approximate"), default=False)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    price_idr = models.PositiveIntegerField(
        _("price (IDR)"), null=True, blank=True, help_text=_("0 means free; empty means unknown.")
    )
    accessibility = models.TextField(_("accessibility notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("attraction")
        verbose_name_plural = _("attractions")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "sanggar",
                        "venue",
                        "workshop",
                        "music_forest",
                        "heritage",
                        "culinary",
                        "viewpoint",
                    ]
                ),
                name="attraction_category_valid",
            ),
        ]

    def __str__(self):
        return self.name


class Homestay(CatalogueEntry, Contact):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    location = models.PointField(_("location"), srid=4326)
    location_is_approximate = models.BooleanField(_("location is approximate"), default=False)
    rooms = models.PositiveSmallIntegerField(
        _("rooms"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    beds = models.PositiveSmallIntegerField(
        _("beds"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    price_from_idr = models.PositiveIntegerField(_("price per night from (IDR)"))
    price_to_idr = models.PositiveIntegerField(_("price per night to (IDR)"), null=True, blank=True)
    amenities = models.CharField(
        _("amenities"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. wifi, breakfast"),
    )
    host_name = models.CharField(_("host name"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("homestay")
        verbose_name_plural = _("homestays")
        constraints = [
            models.CheckConstraint(
                condition=Q(beds__gte=1) & Q(rooms__gte=1), name="homestay_has_beds"
            ),
            models.CheckConstraint(
                condition=Q(price_to_idr__isnull=True) | Q(price_to_idr__gte=F("price_from_idr")),
                name="homestay_price_range_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class Event(CatalogueEntry):
    attraction = models.ForeignKey(
        Attraction,
        verbose_name=_("attraction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    title_id = models.CharField(_("title (Bahasa Indonesia)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    location = models.PointField(
        _("location"),
        srid=4326,
        null=True,
        blank=True,
        help_text=_("Empty: the attraction's place."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    price_idr = models.PositiveIntegerField(_("price (IDR)"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence (iCalendar RRULE)"),
        max_length=200,
        blank=True,
        help_text=_("e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=8"),
    )
    # End of the last occurrence, derived from the rule in save(); null for an
    # open-ended rule. Lets date filters run in the database.
    series_ends_at = models.DateTimeField(
        _("last occurrence ends at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return localized(self, "title")

    def clean(self):
        from django.core.exceptions import ValidationError

        from .recurrence import validate_rule

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("An event cannot end before it starts.")
        try:
            validate_rule(self.recurrence)
        except ValidationError as error:
            errors["recurrence"] = error.messages
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from .recurrence import series_end

        self.series_ends_at = series_end(
            starts_at=self.starts_at, ends_at=self.ends_at, rule=self.recurrence
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "series_ends_at"}
        super().save(*args, **kwargs)


class Trail(CatalogueEntry):
    class Difficulty(models.TextChoices):
        EASY = "easy", _("easy")
        MODERATE = "moderate", _("moderate")
        HARD = "hard", _("hard")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    path = models.LineStringField(_("path"), srid=4326)
    path_is_approximate = models.BooleanField(_("path is approximate"), default=False)
    length_m = models.FloatField(
        _("length (m)"), editable=False, default=0, help_text=_("Computed in UTM zone 52S.")
    )
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.EASY
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("trail")
        verbose_name_plural = _("trails")
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__in=["easy", "moderate", "hard"]),
                name="trail_difficulty_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A derived measure, kept in step with the path: metres in UTM 52S, never degrees.
        from villages.geo import metric_length_m

        self.length_m = metric_length_m(self.path) if self.path else 0
        if kwargs.get("update_fields") is not None and "path" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "length_m"}
        super().save(*args, **kwargs)


class TrailStop(models.Model):
    trail = models.ForeignKey(Trail, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"))
    name_id = models.CharField(_("name (Bahasa Indonesia)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    location = models.PointField(_("location"), srid=4326)
    attraction = models.ForeignKey(Attraction, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["trail", "order"]
        constraints = [
            models.UniqueConstraint(fields=["trail", "order"], name="trail_stop_order_unique")
        ]

    def __str__(self):
        return localized(self, "name")


# --- Village activity logs (entered by coordinators, verified by AMO) -------------
# The base and the status enum are villages.logs.models; the kinds are declared in
# tourism/logkinds.py.


class GuestStay(VillageLog):
    homestay = models.ForeignKey(
        Homestay, verbose_name=_("homestay"), on_delete=models.PROTECT, related_name="stays"
    )
    nights = models.PositiveSmallIntegerField(
        _("nights"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    guests_domestic = models.PositiveSmallIntegerField(
        _("guests from Indonesia"), default=0, validators=[MaxValueValidator(500)]
    )
    guests_foreign = models.PositiveSmallIntegerField(
        _("guests from abroad"), default=0, validators=[MaxValueValidator(500)]
    )
    revenue_idr = models.PositiveBigIntegerField(
        _("revenue (IDR)"), default=0, validators=[MaxValueValidator(10_000_000_000)]
    )

    class Meta(VillageLog.Meta):
        verbose_name = _("guest stay")
        verbose_name_plural = _("guest stays")
        constraints = [
            VillageLog.status_valid("gueststay_status_valid"),
            models.CheckConstraint(
                condition=Q(guests_domestic__gt=0) | Q(guests_foreign__gt=0),
                name="gueststay_has_guests",
            ),
            models.CheckConstraint(condition=Q(nights__gte=1), name="gueststay_nights_positive"),
        ]

    @property
    def guest_nights(self) -> int:
        return self.nights * (self.guests_domestic + self.guests_foreign)


class EventReport(VillageLog):
    class Kind(models.TextChoices):
        EVENT = "event", _("listed event")
        PERFORMANCE = "performance", _("ad-hoc performance")
        WORKSHOP = "workshop", _("workshop")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.EVENT)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(
        _("audience"), default=0, validators=[MaxValueValidator(100_000)]
    )
    local_performers_paid = models.PositiveIntegerField(
        _("local performers paid"), default=0, validators=[MaxValueValidator(5_000)]
    )
    participants_youth = models.PositiveIntegerField(
        _("participants who are youth"), default=0, validators=[MaxValueValidator(100_000)]
    )
    participants_women = models.PositiveIntegerField(
        _("participants who are women"), default=0, validators=[MaxValueValidator(100_000)]
    )
    revenue_idr = models.PositiveBigIntegerField(
        _("revenue (IDR)"), default=0, validators=[MaxValueValidator(10_000_000_000)]
    )

    class Meta(VillageLog.Meta):
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")
        constraints = [
            VillageLog.status_valid("eventreport_status_valid"),
            models.CheckConstraint(
                condition=Q(event__isnull=False) | ~Q(title=""), name="eventreport_event_or_title"
            ),
        ]
