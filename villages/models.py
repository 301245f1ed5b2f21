"""Villages: the places where music, homestays and conservation happen."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .i18n import BilingualField
from .managers import VillageQuerySet


class District(models.Model):
    """A kecamatan of Kota Ambon, from the official register."""

    code = models.CharField(_("Kemendagri code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("kelurahan (urban village)")
        DESA = "desa", _("desa (rural village)")
        NEGERI = "negeri", _("negeri (customary village)")
        DUSUN = "dusun", _("dusun (hamlet)")

    class TourismStage(models.TextChoices):
        RINTISAN = "rintisan", _("rintisan (pioneering)")
        BERKEMBANG = "berkembang", _("berkembang (developing)")
        MAJU = "maju", _("maju (advanced)")
        MANDIRI = "mandiri", _("mandiri (self-reliant)")

    code = models.CharField(
        _("Kemendagri code"),
        max_length=20,
        blank=True,
        null=True,
        unique=True,
        help_text=_("Official register code, e.g. 81.71.01.2004; empty for a dusun."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="villages"
    )
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, null=True, blank=True)
    centre = models.PointField(_("centre"), srid=4326, null=True, blank=True)
    geometry_is_approximate = models.BooleanField(
        _("geometry is approximate"),
        default=False,
        help_text=_("Set when the boundary or centre is an estimate, not survey data."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    elevation_m = models.IntegerField(
        _("elevation (m)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-100), MaxValueValidator(6000)],
    )
    description_id = models.TextField(_("description (Bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    tourism_stage = models.CharField(
        _("tourism stage"), max_length=16, choices=TourismStage.choices, blank=True
    )
    is_sog_site = models.BooleanField(_("Sound of Green site"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["kelurahan", "desa", "negeri", "dusun"]),
                name="village_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(tourism_stage__in=["", "rintisan", "berkembang", "maju", "mandiri"]),
                name="village_tourism_stage_valid",
            ),
            # A dusun always belongs to a negeri or desa; other kinds stand alone.
            models.CheckConstraint(
                condition=(Q(kind="dusun") & Q(parent__isnull=False))
                | (~Q(kind="dusun") & Q(parent__isnull=True)),
                name="village_parent_only_for_dusun",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # The stage for readers, in their language ("Developing" / "Berkembang"); the choice
    # labels above pair the official Indonesian term with a gloss for the admin.
    STAGE_LABELS = {
        "rintisan": _("Pioneering"),
        "berkembang": _("Developing"),
        "maju": _("Advanced"),
        "mandiri": _("Self-reliant"),
    }

    @property
    def tourism_stage_label(self) -> str:
        return str(self.STAGE_LABELS.get(self.tourism_stage, self.tourism_stage))

    description = BilingualField("description")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.kind == self.Kind.DUSUN and not self.parent_id:
            errors["parent"] = _("A dusun must belong to a negeri or desa.")
        if self.kind != self.Kind.DUSUN and self.parent_id:
            errors["parent"] = _("Only a dusun has a parent village.")
        if self.parent_id and self.parent and self.parent.kind == self.Kind.DUSUN:
            errors["parent"] = _("A dusun cannot be the parent of another village.")
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A village cannot be its own parent.")
        if errors:
            raise ValidationError(errors)


class DatasetLoad(models.Model):
    """A record that a named data set (demo data) was loaded, so a restart never reloads it."""

    name = models.CharField(max_length=80, unique=True)
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loaded data set")
        verbose_name_plural = _("loaded data sets")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A coordinator's responsibility for one village (a user may coordinate several).

    AMO reviewers are the members of the Django group named in villages.roles;
    administrators are superusers. See villages/roles.py for what each may do.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="village_memberships",
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username", "village__name"]
        verbose_name = _("coordinator membership")
        verbose_name_plural = _("coordinator memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "village"], name="membership_user_village_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.village}"


class AuditEntry(models.Model):
    """One recorded change to a village log (create, edit, delete, review). Append-only.

    Kept in villages (which every app uses) so tourism and greenscore can both
    record into it without depending on each other.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("edited")
        DELETE = "delete", _("deleted")
        VERIFY = "verify", _("verified")
        REJECT = "reject", _("rejected")
        IMPORT = "import", _("imported")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    # No foreign key: the entry must outlive the record it describes.
    object_id = models.PositiveBigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    village = models.ForeignKey(
        Village, verbose_name=_("village"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("what changed"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=["create", "update", "delete", "verify", "reject", "import"]
                ),
                name="auditentry_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"


class VillageShape(models.Model):
    """A village generalised ahead of time for the map's low-zoom tiles (villages/generalise.py).

    One row per village and generalisation level: the boundary simplified as a coverage
    (neighbours keep shared edges, no slivers) in Web Mercator, or the centre when there is no
    boundary; a point on its surface; and the shape's larger side, so a tile can draw a village
    too small to see as a point. Derived data: rebuilt by `manage.py generalise_villages`,
    refreshed when a village's boundary or centre is saved.
    """

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="shapes")
    zoom = models.PositiveSmallIntegerField()
    shape = models.GeometryField(srid=3857)
    point = models.PointField(srid=3857)
    span_m = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "zoom"], name="villageshape_one_per_zoom")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} @ {self.zoom}"
