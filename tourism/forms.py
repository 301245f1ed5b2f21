"""Admin forms: photos go through the shared pipeline (villages.images)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from villages.images import process_upload

from .models import Photo
from .services import photo_store


class PhotoForm(forms.ModelForm):
    """A photo upload: checked and cleaned by process_upload; the stored file is the clean copy."""

    upload = forms.FileField(
        label=_("image file"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Location data and other metadata are removed."),
    )

    class Meta:
        model = Photo
        fields = ["upload", "caption_id", "caption_en", "order"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if not self.instance.pk:
                raise ValidationError(_("Choose an image file."), code="required")
            return None
        self._processed = process_upload(fileobj=upload)  # ValidationError -> form error
        return upload

    def save(self, commit=True):
        processed = getattr(self, "_processed", None)
        if processed is not None:
            photo_store(photo=self.instance, processed=processed)
        return super().save(commit=commit)
