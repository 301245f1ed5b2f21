"""The filters of a log list, written once with django-filter.

The API's list endpoints (`villages.logs.api.LogViewSet`, through
DjangoFilterBackend) and the coordinator pages (`villages.logs.coordinator`)
use the same FilterSet, the kind's `filterset`: a log kind with a filter of its own
subclasses `LogFilterSet` (conservation actions add `kind`). A malformed value is a form
error naming the field: a 400 with per-field messages on the API, a 400 page
showing the form's errors on the pages.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from villages import roles
from villages.api import query_date_problem

from .models import LogStatus


def _bounded(day):
    problem = query_date_problem(day)
    if problem:
        raise forms.ValidationError(problem, code="out_of_range")


class QueryDateFormField(forms.DateField):
    """YYYY-MM-DD within the query date range (villages.api.query_date_problem)."""

    input_formats = ["%Y-%m-%d"]

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _bounded(value)


class QueryDateTimeFormField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date and time within the query date range."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:  # converting a time at the calendar's ends to the local zone
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _bounded(value.date())


class QueryDateFilter(django_filters.DateFilter):
    field_class = QueryDateFormField


def _day_filter(lookup_expr, label, help_text):
    """A filter on the log's date; a date picker on the pages."""
    return QueryDateFilter(
        field_name="date",
        lookup_expr=lookup_expr,
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class QueryDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = QueryDateTimeFormField


def villages_of_request(request):
    """The villages a user may filter by: those they may file for (AMO: all)."""
    user = getattr(request, "user", None)
    return roles.villages_for_filing(user).order_by("name")


class LogFilterSet(django_filters.FilterSet):
    """village (slug), status, date_from, date_to, updated_since: every log kind has these."""

    village = django_filters.ModelChoiceFilter(
        queryset=villages_of_request,
        to_field_name="slug",
        label=_("Village"),
        empty_label="—",
        help_text=_("A village's slug; one you may see the logs of."),
    )
    status = django_filters.ChoiceFilter(
        choices=LogStatus.choices, label=_("Status"), empty_label="—"
    )
    date_from = _day_filter("gte", _("From"), _("Logs dated on or after this day (YYYY-MM-DD)."))
    date_to = _day_filter("lte", _("To"), _("Logs dated on or before this day (YYYY-MM-DD)."))
    # For a field app syncing what changed since its last visit; the pages do not offer it.
    updated_since = QueryDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Logs changed at or after this time (ISO 8601, e.g. 2026-05-01T08:00:00Z)."),
    )

    # A field app that got no answer to a create looks its log up by the UUID it sent.
    client_uuid = django_filters.UUIDFilter(
        help_text=_("The log sent with this client_uuid."),
    )

    PAGE_HIDDEN = ("updated_since", "client_uuid")

    def page_form(self):
        """The form the list pages show (and validate): without the sync-only filters."""
        for name in self.PAGE_HIDDEN:
            self.form.fields.pop(name, None)
        return self.form


def filtered_for_page(filterset_class, request, queryset):
    """(form, queryset) for a list page: the form is unbound without a query; a bound
    form with errors shows them and leaves the list unfiltered (the page answers 400)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    form = filterset.page_form()
    if filterset.is_bound and form.is_valid():
        return form, filterset.qs
    return form, queryset
