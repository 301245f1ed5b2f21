"""The shared photo pipeline: check an uploaded image and return clean, resized copies.

``process_upload`` accepts JPEG, PNG and WebP only, judged by the file's content (never by
its name or the client's content type), and only Pillow's decoders for those three formats
are used. It rejects decompression bombs (more than ``MAX_PIXELS``), files over the size limit
and truncated or damaged files, all with a ``ValidationError`` carrying a message for the user
and a ``code``: too_large, not_an_image, unsupported_format, too_many_pixels or corrupt.

Accepted images are fully decoded, turned upright (EXIF orientation), converted to sRGB
when they carry a usable ICC profile, capped at ``MAX_LONG_SIDE`` and re-encoded from the
pixels alone, so nothing of the original file survives: no EXIF (GPS position, camera,
time), XMP, comments, text chunks or ICC profile. A ``THUMB_LONG_SIDE`` thumbnail is made
from the same pixels. Animated images keep their first frame.

Output format: PNG when the image really uses transparency, otherwise JPEG (quality 85,
optimized, progressive). JPEG and PNG open everywhere (old phones, e-mail, PDF reports),
which matters more here than WebP's smaller files; photos are small after the 2048 px cap.

Stored files are named by ``storage_name`` (``photos/2026/11/<uuid4 hex>.jpg``), through a
photo field's ``upload_to=PhotoPath(prefix)``; the uploaded file name is never used.
"""

import struct
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # default; the SOG_MAX_UPLOAD_BYTES setting overrides it
MAX_PIXELS = 40_000_000  # width x height of the decoded image, before any resizing
MAX_LONG_SIDE = 2048
THUMB_LONG_SIDE = 400
JPEG_QUALITY = 85
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")

# Errors Pillow's decoders raise on malformed input (besides the ones handled by name).
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    EOFError,
    ZeroDivisionError,
    struct.error,
)
_SRGB = ImageCms.createProfile("sRGB")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"}
_SIGNATURES = (  # leading bytes -> format name, to explain a file Pillow refused
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
)


@dataclass(frozen=True)
class ProcessedImage:
    """A cleaned image and its thumbnail, ready to be saved under ``storage_name``."""

    content: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    extension: str  # "jpg" or "png"; content and thumbnail share it
    content_type: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    source_format: str  # what the upload really was: "JPEG", "PNG" or "WEBP"


def process_upload(*, fileobj) -> ProcessedImage:
    """Check and clean one uploaded image; raise ``ValidationError`` if it is refused.

    ``fileobj`` is any binary file-like object (a Django ``UploadedFile``, an open file, a
    ``BytesIO``). It is rewound when seekable and at most limit + 1 bytes are read.
    """
    data = _read_limited(fileobj, getattr(settings, "SOG_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))
    image, source_format = _decode(data)
    image = _normalise_mode(_to_srgb(image))
    image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMB_LONG_SIDE, THUMB_LONG_SIDE), Image.Resampling.LANCZOS)
    fmt = "PNG" if image.mode == "RGBA" else "JPEG"
    return ProcessedImage(
        content=_encode(image, fmt),
        thumbnail=_encode(thumb, fmt),
        extension="png" if fmt == "PNG" else "jpg",
        content_type=f"image/{fmt.lower()}",
        width=image.width,
        height=image.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        source_format=source_format,
    )


def validate_image_upload(fileobj) -> ProcessedImage:
    """``process_upload`` in the shape of a Django/DRF validator (one positional argument)."""
    return process_upload(fileobj=fileobj)


def storage_name(*, prefix: str, extension: str) -> str:
    """A fresh storage path such as ``photos/2026/11/<uuid4 hex>.jpg``.

    ``prefix`` is a folder chosen by the code (never by the user); ``extension`` comes from
    ``ProcessedImage.extension``. Raises ``ValueError`` for anything else.
    """
    ext = extension.lower().removeprefix(".")
    if ext not in {"jpg", "png", "webp"}:
        raise ValueError(f"unexpected image extension {extension!r}")
    parts = prefix.strip("/").split("/")
    if any(part in {"", ".", ".."} for part in parts):
        raise ValueError(f"invalid storage prefix {prefix!r}")
    today = timezone.localdate() if settings.USE_TZ else date.today()
    return f"{'/'.join(parts)}/{today:%Y/%m}/{uuid.uuid4().hex}.{ext}"


@deconstructible
class PhotoPath:
    """``upload_to`` for a photo field: ``PhotoPath("actions")`` names each stored file
    ``actions/2026/11/<uuid4 hex>.jpg``, keeping only the extension of the name it is given.

    The field's ``upload_to`` is the one place that says where a kind of photo lives; code
    stores through the field (``photo.image.save(f"x.{ext}", content, save=False)``), so the
    folder is never added twice (it once was: ``actions/actions/...``; see
    ``villages.media_paths``).
    """

    def __init__(self, prefix: str):
        storage_name(prefix=prefix, extension="jpg")  # refuse an odd prefix at import time
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        return storage_name(prefix=self.prefix, extension=filename.rpartition(".")[2])

    def __eq__(self, other):
        return isinstance(other, PhotoPath) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)


def _read_limited(fileobj, limit: int) -> bytes:
    too_large = ValidationError(
        _("The file is too large. The limit is %(limit_mb)s MB."),
        code="too_large",
        params={"limit_mb": f"{limit / 1024**2:.1f}".removesuffix(".0")},
    )
    size = getattr(fileobj, "size", None)  # Django UploadedFile knows it without reading
    if isinstance(size, int) and size > limit:
        raise too_large
    try:
        fileobj.seek(0)
    except (AttributeError, OSError, ValueError):
        pass  # not seekable: read from where it stands
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


def _decode(data: bytes) -> tuple[Image.Image, str]:
    """Open with the allowed decoders only, decode every pixel, turn upright; and the format."""
    too_many_pixels = ValidationError(
        _("The image has too many pixels. The limit is %(limit)s megapixels."),
        code="too_many_pixels",
        params={"limit": f"{MAX_PIXELS / 1e6:g}"},
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(ALLOWED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise too_many_pixels
            image.load()
            return ImageOps.exif_transpose(image), image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except Image.UnidentifiedImageError:
        raise _unidentified(data) from None
    except _DECODE_ERRORS:
        raise _corrupt() from None


def _unidentified(data: bytes) -> ValidationError:
    """Explain why Pillow's allowed decoders did not recognise ``data``."""
    fmt = next((name for magic, name in _SIGNATURES if data.startswith(magic)), None)
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS | {b"avif", b"avis"}:
        fmt = "AVIF" if data[8:12] in {b"avif", b"avis"} else "HEIC"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        fmt = "WEBP"
    elif b"<svg" in data[:1024].lower():
        fmt = "SVG"
    if fmt in ALLOWED_FORMATS:  # right signature, unreadable header
        return _corrupt()
    if fmt:
        return ValidationError(
            _("%(format)s images are not supported. Please upload a JPEG, PNG or WebP photo."),
            code="unsupported_format",
            params={"format": fmt},
        )
    return ValidationError(
        _("The file is not an image. Please upload a JPEG, PNG or WebP photo."),
        code="not_an_image",
    )


def _corrupt() -> ValidationError:
    return ValidationError(
        _("The image file is damaged or incomplete. Please try uploading it again."),
        code="corrupt",
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours to sRGB using the embedded ICC profile, if there is a usable one."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # broken or mismatched profile: keep the pixel values as they are


def _normalise_mode(image: Image.Image) -> Image.Image:
    """RGBA if transparency is really used, else L for greyscale or RGB for the rest."""
    if image.mode.startswith("I") or image.mode == "F":  # 16-bit greyscale PNG
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema() != (255, 255):
            return image
    return image.convert("L" if image.mode in {"1", "L"} else "RGB")


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Encode from the pixels alone, so no metadata of the upload can be carried over."""
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = BytesIO()
    if fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
