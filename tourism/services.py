"""Writes for tourism: photos through the shared pipeline."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from villages.images import ProcessedImage, process_upload

from .models import Photo


def photo_store(*, photo: Photo, processed: ProcessedImage) -> Photo:
    """Write the cleaned image and thumbnail under fresh names and point `photo` at them (not saved).

    The names come from the fields' upload_to (villages.images.PhotoPath), never from the upload.
    """
    name = f"photo.{processed.extension}"
    photo.image.save(name, ContentFile(processed.content), save=False)
    photo.thumbnail.save(name, ContentFile(processed.thumbnail), save=False)
    photo.width, photo.height = processed.width, processed.height
    return photo


def photo_add(
    *, subject, fileobj, caption_id: str = "", caption_en: str = "", order: int = 0
) -> Photo:
    """Check an uploaded image (ValidationError if refused), store it cleaned and attach it to `subject`."""
    processed = process_upload(fileobj=fileobj)
    photo = Photo(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        caption_id=caption_id,
        caption_en=caption_en,
        order=order,
    )
    photo_store(photo=photo, processed=processed)
    photo.save()
    return photo
