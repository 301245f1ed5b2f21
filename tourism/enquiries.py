"""Asking a host for a stay or a workshop: a short form whose answer is a wa.me or mailto:
link with the message filled in. Nothing is stored; only when the host has switched
e-mail enquiries on does the server send the message (and still keeps nothing)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .templatetags.tourism_tags import wa_digits

MAX_MESSAGE = 500
MAX_PARTY = 50


class EnquiryForm(forms.Form):
    """Dates, party size, language and a message; ``kind`` is "stay" or "workshop"."""

    date_from = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    party = forms.IntegerField(
        label=gettext_lazy("People"), min_value=1, max_value=MAX_PARTY, initial=2
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the message"), choices=settings.LANGUAGES
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind: str = "stay", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "stay":
            self.fields["date_from"].label = gettext_lazy("Arrival")
            self.fields["date_to"].label = gettext_lazy("Departure")
            self.fields["date_to"].required = True

    def clean_date_from(self):
        value = self.cleaned_data["date_from"]
        if value < timezone.localdate():
            raise ValidationError(_("This date is in the past."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start or (self.kind == "stay" and end == start):
                self.add_error(
                    "date_to",
                    _("The departure must come after the arrival.")
                    if self.kind == "stay"
                    else _("The last day cannot come before the first."),
                )
            elif (end - start).days > 60:
                self.add_error("date_to", _("Ask for at most 60 days at a time."))
        return data


def _when(start: date, end: date | None) -> str:
    if end is None or end == start:
        return start.isoformat()
    return _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}


def message_text(*, place, data: dict, kind: str) -> str:
    """The message in the language the guest chose."""
    with translation.override(data["language"]):
        if kind == "stay":
            nights = (data["date_to"] - data["date_from"]).days
            head = _(
                "Hello %(place)s, I would like to stay from %(start)s to %(end)s "
                "(%(nights)s nights) for %(party)s people."
            ) % {
                "place": place.name,
                "start": data["date_from"].isoformat(),
                "end": data["date_to"].isoformat(),
                "nights": nights,
                "party": data["party"],
            }
        else:
            head = _(
                "Hello %(place)s, we would like to visit or join a workshop on %(when)s, "
                "%(party)s people."
            ) % {
                "place": place.name,
                "when": _when(data["date_from"], data["date_to"]),
                "party": data["party"],
            }
        tail = _("(Sent from the Sound of Green map.)")
    return "\n\n".join(part for part in (head, data["message"].strip(), tail) if part)


def subject(*, place, data: dict, kind: str) -> str:
    with translation.override(data["language"]):
        what = _("Stay") if kind == "stay" else _("Visit or workshop")
        return f"{what}: {place.name}, {_when(data['date_from'], data['date_to'])}"


def whatsapp_url(*, place, text: str) -> str | None:
    digits = wa_digits(place.phone)
    return f"https://wa.me/{digits}?text={quote(text, safe='')}" if digits else None


def mailto_url(*, place, text: str, subject_line: str) -> str | None:
    if not place.email:
        return None
    return (
        f"mailto:{quote(place.email, safe='@')}?subject={quote(subject_line, safe='')}"
        f"&body={quote(text, safe='')}"
    )


def send_enquiry(*, place, text: str, subject_line: str, reply_to: str) -> None:
    """Send the guest's message to the host through Django's mail backend; store nothing."""
    if not (place.email_enquiries and place.email):
        raise ValidationError(_("This host does not take enquiries by e-mail here."))
    EmailMessage(
        subject=subject_line,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[place.email],
        reply_to=[reply_to],
    ).send()


class SendForm(forms.Form):
    reply_to = forms.EmailField(label=gettext_lazy("Your e-mail (for the host's answer)"))
