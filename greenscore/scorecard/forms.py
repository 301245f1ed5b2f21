"""The small form AMO uses on a village's scorecard page to enter a survey value."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Indicator
from .periods import Period


class EnteredValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        to_field_name="code",
        queryset=Indicator.objects.filter(source=Indicator.Source.ENTERED, is_active=True),
    )
    period = forms.CharField(label=_("Period"), max_length=7)
    value = forms.FloatField(label=_("Value"))
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("Survey, study or account the value comes from."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Not a valid period (%(detail)s). Use 2026, 2026-Q2 or 2026-05.")
                % {"detail": exc}
            ) from None

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value != value or value in (float("inf"), float("-inf")):
            raise forms.ValidationError(_("Enter a finite number."))
        return value
