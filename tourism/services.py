"""Writes for tourism: photos through the shared pipeline."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from villages.images import ProcessedImage, process_upload, storage_name

from .models import Photo

PHOTO_PREFIX = "photos"
THUMB_PREFIX = "photos/thumbs"


def photo_store(*, photo: Photo, processed: ProcessedImage) -> Photo:
    """Write the cleaned image and thumbnail under fresh names and point `photo` at them (not saved).

    The names come from villages.images.storage_name, never from the upload.
    """
    image_name = default_storage.save(
        storage_name(prefix=PHOTO_PREFIX, extension=processed.extension), ContentFile(processed.content)
    )
    thumb_name = default_storage.save(
        storage_name(prefix=THUMB_PREFIX, extension=processed.extension), ContentFile(processed.thumbnail)
    )
    photo.image.name = image_name
    photo.thumbnail.name = thumb_name
    photo.width, photo.height = processed.width, processed.height
    return photo


def photo_add(*, subject, fileobj, caption_id: str = "", caption_en: str = "", order: int = 0) -> Photo:
    """Check an uploaded image (ValidationError if refused), store it cleaned and attach it to `subject`."""
    processed = process_upload(fileobj=fileobj)
    photo = Photo(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk,
        caption_id=caption_id, caption_en=caption_en, order=order,
    )
    photo_store(photo=photo, processed=processed)
    photo.save()
    return photo
