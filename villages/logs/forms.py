"""Phone-friendly forms for every log kind. They only type the input; the services judge it.

`form_for(kind)` makes a kind's form from its field list: `LogForm` (client_uuid, village,
date, notes) plus a form field per model field (labels from the model unless the kind's
`labels` say otherwise; limits from the model's validators). A kind's `form_base` adds
inputs beyond its model's fields (an action's map, species and photo).

Each form carries a hidden client_uuid generated when the blank form is shown, so a
double tap on "Save" or a resent form stores one log, exactly as the API's retries do.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from villages import roles


class DateInput(forms.DateInput):
    input_type = "date"


class LogForm(forms.Form):
    log_kind = None  # the LogKind, set by form_for ("kind" may be a field's name)

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    village = forms.ModelChoiceField(queryset=None, label=_("Village"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        villages = roles.villages_for_filing(user).order_by("name")
        self.fields["village"].queryset = villages
        if instance is None:
            self.fields["client_uuid"].initial = uuid.uuid4()
        else:
            self.fields["client_uuid"].required = False
            self.fields["village"].queryset = (
                villages | type(instance.village).objects.filter(pk=instance.village_id)
            ).distinct()
        if self.fields["village"].queryset.count() == 1:
            self.fields["village"].initial = self.fields["village"].queryset.first()
        for name, label in (self.log_kind.labels if self.log_kind else {}).items():
            if name in self.fields:
                self.fields[name].label = label
        self._narrow_choices(villages)

    def _narrow_choices(self, villages) -> None:
        """Choices of records that belong to a village (homestays, events): the user's villages'."""
        for name, field in self.fields.items():
            if name == "village" or not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            if any(f.name == "village" for f in model._meta.get_fields()):
                qs = model._default_manager.filter(village__in=villages)
                order = (self.log_kind.choice_ordering if self.log_kind else {}).get(name)
                field.queryset = qs.order_by(order) if order else qs

    def initial_from(self, instance) -> dict:
        return {
            name: getattr(instance, name) for name in self.base_fields if hasattr(instance, name)
        }

    def service_data(self) -> dict:
        """The typed input for the kind's create or update: content fields only (an empty
        optional number becomes the model's default)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.log_kind.content_fields or name in self.log_kind.defaults
        }
        for name, value in data.items():
            if value is None and self.log_kind.defaults.get(name) is not None:
                data[name] = self.log_kind.defaults[name]
        if self.instance is None:
            data["client_uuid"] = self.cleaned_data["client_uuid"]
        return data

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (or on the form)."""
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                target = self.error_target(field)
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)

    def error_target(self, field: str) -> str | None:
        return field if field in self.fields else None


def _formfield(model_field, **kwargs):
    """A model field's form field, with the limits of the model's validators."""
    if isinstance(model_field, (models.IntegerField, models.DecimalField)):
        for validator in model_field._validators:
            if isinstance(validator, MinValueValidator):
                kwargs["min_value"] = validator.limit_value
            elif isinstance(validator, MaxValueValidator):
                kwargs["max_value"] = validator.limit_value
    if model_field.choices and not model_field.blank and not model_field.has_default():
        kwargs.setdefault("initial", None)  # a required choice: no empty "---------" entry
    return model_field.formfield(**kwargs)


def form_for(kind):
    """The kind's form: LogForm (or its `form_base`) plus its model fields."""
    base = kind.form_base or LogForm
    names = [
        name
        for name in kind.content_fields
        if name not in base.base_fields and name not in ("village", "date", "notes")
    ]
    attrs = dict(
        fields_for_model(
            kind.model, fields=names, labels=dict(kind.labels), formfield_callback=_formfield
        )
    )
    own = [n for n in base.base_fields if n not in LogForm.base_fields]
    content = [n for n in kind.content_fields if n != "notes"]
    attrs["log_kind"] = kind
    attrs["field_order"] = ["client_uuid", *content, *own, "notes"]
    return type(f"{kind.model.__name__}Form", (base,), attrs)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label=_("Reason (required to reject)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or GeoJSON file"))
    dry_run = forms.BooleanField(required=False, label=_("Check only, import nothing"))
