"""The registry of log kinds: where a kind is declared, and what is derived from it.

A log kind is a model on `villages.logs.models.VillageLog` plus one `LogKind`
declaration in the app that owns the data, in that app's `logkinds.py` (found at
start-up by `discover()`, called from `VillagesConfig.ready`). The kind's field list
is declared once, in `fields`; from it come

- the API: /api/v1/<slug>/ list, create, detail, update, delete (and photos/ when the
  kind has `photos`): `serializer` (a ModelSerializer) and `viewset` (villages.logs.api);
- the coordinator pages /coordinator/<slug>/... and their CSV export
  (villages.logs.coordinator): `form` (villages.logs.forms), `csv_columns`;
- the review queue /review/?type=<slug> (villages.logs.review);
- the stored content that retries are compared with and the audit trail diffs:
  `content()`;
- import (villages.logs.importing) for kinds that set `importable`.

A kind whose rules really differ overrides a method (`validate`, `extra_content`, ...) in
a subclass; see greenscore/logkinds.py. This package imports no app above `villages`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import models
from django.db.models import Count
from django.http import Http404
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from villages import roles

from . import services
from .models import LogStatus, VillageLog


@dataclass(eq=False)
class LogKind:
    """One kind of village log. Only `slug`, `model`, `fields`, `label` and `label_one`
    are required."""

    slug: str  # the URL segment: /api/v1/<slug>/, /coordinator/<slug>/
    model: type[VillageLog]
    # The kind's own fields, in the order forms, the API and CSV show them. "date" may be
    # placed among them (otherwise it follows the village); "notes" always comes last.
    # Fields the model does not let people edit (editable=False) are shown, never taken.
    fields: tuple[str, ...]
    label: str  # plural, for menus: "Guest stays"
    label_one: str  # "guest stay"
    order: int = 100  # position in menus and the review queue's tabs
    # Related records are named by this field of theirs on the API and in import files
    # (default "slug"); `csv_refs` overrides it for the CSV export.
    refs: Mapping[str, str] = field(default_factory=dict)
    csv_refs: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)  # form labels, when not the model's
    choice_ordering: Mapping[str, str] = field(default_factory=dict)  # form choices' order_by
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    photos: str | None = None  # related name of the kind's photo model, if it has photos
    form_base: type | None = None  # a villages.logs.forms.LogForm subclass with extra inputs
    serializer_base: type | None = None  # a villages.logs.api.LogSerializer subclass
    filterset: type | None = None  # a villages.logs.filters.LogFilterSet subclass
    importable: bool = False  # bulk import on /review/import/ (and manage.py import_actions)
    api_basename: str = ""  # URL names: "<basename>-list", "<basename>-detail"
    # False: the owning app serves the kind's API itself (recordings: uploads), so no
    # derived /api/v1/<slug>/ routes (pages, review and audit are still derived).
    derived_api: bool = True

    def __post_init__(self):
        if not self.api_basename:
            self.api_basename = "api-" + self.slug.removesuffix("s")
        if self.filterset is None:
            from .filters import LogFilterSet

            self.filterset = LogFilterSet

    # --- the field list, derived once ------------------------------------------------

    def model_field(self, name: str):
        return self.model._meta.get_field(name)

    @cached_property
    def shown_fields(self) -> tuple[str, ...]:
        """village, the kind's fields (with date), notes: what forms, API and CSV show."""
        own = self.fields if "date" in self.fields else ("date", *self.fields)
        return ("village", *own, "notes")

    @cached_property
    def content_fields(self) -> tuple[str, ...]:
        """The fields people enter: compared on a retry, diffed by the audit trail."""
        return tuple(name for name in self.shown_fields if self.model_field(name).editable)

    @cached_property
    def defaults(self) -> dict:
        """What an omitted optional field becomes (from the model's defaults)."""
        values = {}
        for name in self.content_fields:
            f = self.model_field(name)
            if f.has_default():
                values[name] = f.get_default()
            elif f.null:
                values[name] = None
            elif f.blank:
                values[name] = ""
        return {**values, **self.extra_defaults()}

    def ref(self, name: str) -> str:
        return self.refs.get(name, "slug")

    @cached_property
    def csv_columns(self) -> tuple[str, ...]:
        """The kind's own CSV columns (database lookups; geometry left out)."""
        columns = []
        for name in self.fields:
            f = self.model_field(name)
            if name == "date" or getattr(f, "geom_type", None):
                continue
            if f.is_relation:
                name = f"{name}__{self.csv_refs.get(name, self.ref(name))}"
            columns.append(name)
        return tuple(columns)

    # --- content: what a retry is compared with and the audit trail diffs -------------

    def content(self, source) -> dict:
        """The comparable content of a stored log, or of validated input (a dict)."""
        is_data = isinstance(source, Mapping)
        content = {}
        for name in self.content_fields:
            f = self.model_field(name)
            if is_data:
                value = source.get(name)
                if f.is_relation and value is not None:
                    value = value.pk
            else:
                value = getattr(source, f.attname)
            if isinstance(f, models.DecimalField) and value is not None:
                value = str(Decimal(value).quantize(Decimal(1).scaleb(-f.decimal_places)))
            content[name] = value
        content.update(self.extra_content(source))
        return content

    # --- hooks a kind overrides when its data goes beyond its model's fields ----------

    def extra_defaults(self) -> dict:
        return {}

    def extra_content(self, source) -> dict:
        """Content beyond the model's fields (e.g. an action's species counts)."""
        return {}

    def extra_current(self, log) -> dict:
        """The stored values of that extra content, as input would give them."""
        return {}

    def save_extra(self, log, data: Mapping) -> None:
        """Store the extra content present in `data` (the log is saved)."""

    def derive(self, log) -> None:
        """Set fields derived from others (editable=False), before saving."""

    def validate(self, *, data: dict) -> None:
        """The rules across fields; raise ValidationError({field: [messages]}). `data` holds
        every content field (defaults filled in)."""

    def describe(self, log) -> str:
        """A readable one-line name for lists and pages."""
        return str(log)

    def expected_in(self, villages) -> set[int] | None:
        """Ids of the villages where a month without this log is worth pointing out
        (None: all of them)."""
        return None

    def map_features(self, queryset) -> list[str] | None:
        """GeoJSON Feature texts for the review map, or None for a kind without a place."""
        return None

    def review_refusal(self, log, decision: str) -> str | None:
        """Why this log cannot take this decision yet ("verify" or "reject"), or None.
        villages.logs.services.review_logs asks it for every log it reviews, so the API and
        the /review/ pages refuse alike (a conflict, HTTP 409 on the API); the queue shows it."""
        return None

    def extra_facts(self, log) -> list[tuple[str, object]]:
        """(label, value) pairs a log's page shows beyond its model's fields."""
        return []

    def import_cells(self, cells: Mapping) -> tuple[dict, list[str]]:
        """Values an import row gives beyond plain cells (villages.logs.importing), with
        errors."""
        return {}, []

    # --- reads -----------------------------------------------------------------------

    def queryset(self):
        qs = self.model.objects.select_related("village", "author", *self.select_related)
        return qs.prefetch_related(*self.prefetch_related) if self.prefetch_related else qs

    def list_for(self, user):
        """The logs this user may see (villages.roles), newest first."""
        return roles.logs_visible_to(user, self.queryset())

    def queue(self):
        """Submitted logs of every village, oldest first (first in, first reviewed)."""
        qs = self.queryset().filter(status=LogStatus.SUBMITTED)
        if self.photos:
            qs = qs.annotate(photo_count=Count(self.photos))
        return qs.order_by("date", "id")

    # --- writes (villages.logs.services does the shared part) -------------------------

    def create(self, author, data: Mapping):
        """File a new log, or return the stored one for a retry: (log, created)."""
        return services.create_log(kind=self, author=author, data=dict(data))

    def update(self, user, log, data: Mapping):
        return services.edit_log(kind=self, user=user, log=log, data=dict(data))

    def delete(self, user, log) -> None:
        services.delete_log(user=user, log=log, stored_content=self.content, photos=self.photos)

    def add_photo(self, user, log, fileobj, caption: str = ""):
        return services.add_photo(kind=self, user=user, log=log, fileobj=fileobj, caption=caption)

    # --- the derived form, serializer and API view ------------------------------------

    @cached_property
    def form(self):
        from .forms import form_for

        return form_for(self)

    @cached_property
    def serializer(self):
        from .api import serializer_for

        return serializer_for(self)

    @cached_property
    def viewset(self):
        from .api import viewset_for

        return viewset_for(self)

    def __str__(self):
        return self.slug


_KINDS: dict[str, LogKind] = {}


def register(kind: LogKind) -> LogKind:
    """Add a kind (from an app's logkinds.py). A slug is registered once."""
    if not issubclass(kind.model, VillageLog):
        raise TypeError(f"{kind.model.__name__} is not a villages.logs.models.VillageLog")
    if _KINDS.get(kind.slug, kind) is not kind:
        raise ValueError(f"A log kind {kind.slug!r} is already registered.")
    _KINDS[kind.slug] = kind
    return kind


def discover() -> None:
    """Import every installed app's logkinds module (VillagesConfig.ready)."""
    autodiscover_modules("logkinds")


def all_kinds() -> list[LogKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.slug))


def by_slug() -> dict[str, LogKind]:
    return {k.slug: k for k in all_kinds()}


def get(slug: str) -> LogKind:
    """The kind with this slug, or a 404 (for pages)."""
    try:
        return _KINDS[slug]
    except KeyError:
        raise Http404(_("No such kind of log.")) from None


def for_model(model) -> LogKind | None:
    return next((k for k in _KINDS.values() if k.model is model), None)


def first(predicate: Callable[[LogKind], bool] = lambda k: True) -> LogKind | None:
    return next((k for k in all_kinds() if predicate(k)), None)
