"""The photo pipeline on real image files made with Pillow at test time (no database)."""

import random
import re
import struct
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

from villages import images
from villages.images import (
    MAX_LONG_SIDE,
    MAX_UPLOAD_BYTES,
    THUMB_LONG_SIDE,
    ProcessedImage,
    process_upload,
    storage_name,
    validate_image_upload,
)

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


@pytest.fixture(autouse=True)
def english():
    """These tests read English messages: ask for English rather than inherit the language
    the previous test's request left active (pytest-django runs database tests first)."""
    with translation.override("en"):
        yield


def encode(image, fmt, **params):
    out = BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reject(data, **kwargs):
    with pytest.raises(ValidationError) as caught:
        process_upload(fileobj=upload(data, **kwargs))
    return caught.value


def noisy(size, mode="RGB"):
    """An image JPEG cannot compress to almost nothing (so truncation hits pixel data)."""
    rng = random.Random(42)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))


def reopen(data):
    image = Image.open(BytesIO(data))
    image.load()
    return image


def close_to(actual, expected, tolerance=12):
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# --- decompression bombs and the pixel cap ----------------------------------------------


@pytest.mark.parametrize(
    "size",
    [
        (20000, 20000),  # 400 MP: Pillow's own DecompressionBombError
        (10000, 10000),  # 100 MP: Pillow's DecompressionBombWarning, turned into an error
        (8000, 6000),  # 48 MP: under Pillow's limits, over ours
    ],
)
def test_decompression_bomb_is_refused_before_decoding(size):
    bomb = encode(Image.new("1", size), "PNG")
    assert len(bomb) < 100_000  # tiny file, huge image
    error = reject(bomb, name="bomb.png", content_type="image/png")
    assert error.code == "too_many_pixels"
    assert "40 megapixels" in error.messages[0]


@pytest.mark.parametrize("size", [(20000, 20000), (10000, 10000)])
def test_pillow_bomb_checks_apply_even_with_a_higher_cap(monkeypatch, size):
    monkeypatch.setattr(images, "MAX_PIXELS", 10**9)  # only Pillow's error/warning can stop it
    error = reject(encode(Image.new("1", size), "PNG"))
    assert error.code == "too_many_pixels"


def test_pixel_cap_is_exact(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 100)
    assert process_upload(fileobj=BytesIO(encode(Image.new("RGB", (100, 100)), "PNG"))).width == 100
    error = reject(encode(Image.new("RGB", (101, 100)), "PNG"))
    assert error.code == "too_many_pixels"


# --- the content decides, not the name ----------------------------------------------------


def test_png_named_jpg_is_handled_as_png():
    rgba = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    ImageDraw.Draw(rgba).rectangle((10, 10, 50, 50), fill=(*RED, 255))
    result = process_upload(fileobj=upload(encode(rgba, "PNG"), name="photo.jpg"))
    assert (result.source_format, result.extension, result.content_type) == (
        "PNG",
        "png",
        "image/png",
    )
    out = reopen(result.content)
    assert (out.format, out.mode, out.size) == ("PNG", "RGBA", (120, 80))
    assert out.getpixel((0, 0))[3] == 0 and out.getpixel((30, 30)) == (*RED, 255)
    assert reopen(result.thumbnail).format == "PNG"


def test_jpeg_named_png_is_handled_as_jpeg():
    result = process_upload(
        fileobj=upload(encode(noisy((64, 48)), "JPEG"), name="x.png", content_type="image/png")
    )
    assert (result.source_format, result.extension, result.content_type) == (
        "JPEG",
        "jpg",
        "image/jpeg",
    )


@pytest.mark.parametrize(
    ("data", "code", "fmt"),
    [
        (b"Hello, this is not a photo.\n" * 20, "not_an_image", None),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not_an_image", None),
        (b"", "not_an_image", None),
        (encode(Image.new("P", (40, 30)), "GIF"), "unsupported_format", "GIF"),
        (encode(Image.new("RGB", (40, 30)), "BMP"), "unsupported_format", "BMP"),
        (encode(Image.new("RGB", (40, 30)), "TIFF"), "unsupported_format", "TIFF"),
        (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
            "unsupported_format",
            "HEIC",
        ),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "unsupported_format",
            "SVG",
        ),
    ],
    ids=["text", "html", "empty", "gif", "bmp", "tiff", "heic", "svg"],
)
def test_other_files_named_jpg_are_refused(data, code, fmt):
    error = reject(data, name="photo.jpg", content_type="image/jpeg")
    assert error.code == code
    message = error.messages[0]
    assert "JPEG, PNG or WebP" in message
    if fmt:
        assert message.startswith(f"{fmt} images are not supported")


# --- damaged files ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_corrupt(fmt):
    whole = encode(noisy((300, 200)), fmt)
    process_upload(fileobj=BytesIO(whole))  # the complete file is fine
    error = reject(whole[: len(whole) * 2 // 3])
    assert error.code == "corrupt"
    assert "damaged or incomplete" in error.messages[0]


@pytest.mark.parametrize(
    ("fmt", "keep"),
    [("JPEG", 20), ("JPEG", 40), ("PNG", 12), ("PNG", 40), ("WEBP", 12), ("WEBP", 30)],
)
def test_image_cut_inside_its_header_is_corrupt(fmt, keep):
    """Right signature but no readable header: damaged, not "not an image"."""
    error = reject(encode(noisy((300, 200)), fmt)[:keep])
    assert error.code == "corrupt"


def test_damaged_files_never_leak_a_pillow_exception():
    rng = random.Random(1234)
    originals = [encode(noisy((48, 32)), fmt) for fmt in ("JPEG", "PNG", "WEBP")]
    outcomes = set()
    for original in originals:
        for _ in range(60):
            data = bytearray(original)
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            try:
                result = process_upload(fileobj=BytesIO(bytes(data)))
                outcomes.add("accepted")  # a flipped byte in pixel data can still decode
                assert reopen(result.content).size == (result.width, result.height)
            except ValidationError as error:
                outcomes.add(error.code)
    assert outcomes <= {
        "accepted",
        "corrupt",
        "not_an_image",
        "unsupported_format",
        "too_many_pixels",
    }
    assert "corrupt" in outcomes and "accepted" in outcomes


# --- metadata and orientation -------------------------------------------------------------


def phone_photo():
    """300x200 as stored by the sensor, red block top-left, Orientation=6, GPS in Ambon."""
    image = Image.new("RGB", (300, 200), BLUE)
    ImageDraw.Draw(image).rectangle((0, 0, 59, 39), fill=RED)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (3.0, 41.0, 42.0), 3: "E", 4: (128.0, 10.0, 5.0)})
    return encode(
        image,
        "JPEG",
        exif=exif,
        quality=95,
        comment=b"shot at home",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>',
    )


def test_phone_photo_is_turned_upright_and_stripped():
    original = phone_photo()
    source = Image.open(BytesIO(original))  # the fixture really carries what we strip
    assert source.getexif()[0x0112] == 6 and source.getexif().get_ifd(0x8825)[1] == "S"
    assert "xmp" in source.info and "comment" in source.info

    result = process_upload(fileobj=upload(original, name="IMG_20261103_GPS.jpg"))
    assert (result.width, result.height) == (200, 300)
    for data in (result.content, result.thumbnail):
        out = reopen(data)
        assert out.format == "JPEG"
        assert len(out.getexif()) == 0 and not out.getexif().get_ifd(0x8825)
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(out.info)
        assert b"Exif" not in data and b"xmpmeta" not in data and b"PhoneMaker" not in data
    out = reopen(result.content)
    # Rotating 90° clockwise moves the top-left block to the top-right corner.
    assert close_to(out.getpixel((199 - 10, 10)), RED)
    for corner in ((10, 10), (10, 289), (189, 289)):
        assert close_to(out.getpixel(corner), BLUE), corner


def test_png_text_exif_and_icc_are_stripped():
    image = Image.new("RGBA", (50, 40), (*RED, 128))
    info = PngInfo()
    info.add_text("Comment", "my house is at -3.69, 128.18")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(image, "PNG", pnginfo=info, exif=exif, icc_profile=srgb)
    assert {"Comment", "exif", "icc_profile"} <= set(Image.open(BytesIO(data)).info)

    out = reopen(process_upload(fileobj=BytesIO(data)).content)
    assert not {"Comment", "exif", "icc_profile"} & set(out.info)
    assert close_to(out.getpixel((5, 5)), (*RED, 128), tolerance=2)


def rgb_profile(red, green, blue):
    """A minimal ICC v2 RGB profile: linear tone curves and the given colorant XYZ values."""

    def xyz(values):
        return b"XYZ \0\0\0\0" + b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    d50, linear = (0.9642, 1.0, 0.8249), b"curv\0\0\0\0\0\0\0\0"
    tags = [
        (b"wtpt", xyz(d50)),
        (b"rXYZ", xyz(red)),
        (b"gXYZ", xyz(green)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", linear),
        (b"gTRC", linear),
        (b"bTRC", linear),
    ]
    start, table, body = 132 + 12 * len(tags), b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", start + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", start + len(body))
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 28
        + xyz(d50)[8:]
        + b"\0" * 48
    )
    return header + struct.pack(">I", len(tags)) + table + body


# sRGB's primaries (D50) with red and green swapped: "255, 0, 0" in this space is green.
SWAPPED_RG = rgb_profile(
    (0.3851, 0.7169, 0.0971), (0.4361, 0.2225, 0.0139), (0.1431, 0.0606, 0.7141)
)


@pytest.mark.parametrize(
    ("mode", "pixel", "expected"),
    [("RGB", RED, (0, 255, 0)), ("RGBA", (*RED, 128), (0, 255, 0, 128))],
)
def test_colours_are_converted_to_srgb_with_the_embedded_profile(mode, pixel, expected):
    data = encode(Image.new(mode, (40, 30), pixel), "PNG", icc_profile=SWAPPED_RG)
    out = reopen(process_upload(fileobj=BytesIO(data)).content)
    assert "icc_profile" not in out.info
    assert close_to(out.getpixel((20, 15)), expected, tolerance=6)


def test_unusable_icc_profile_does_not_block_the_upload():
    data = encode(Image.new("RGB", (30, 20), RED), "JPEG", icc_profile=b"not a profile")
    out = reopen(process_upload(fileobj=BytesIO(data)).content)
    assert "icc_profile" not in out.info and close_to(out.getpixel((15, 10)), RED)


# --- sizes --------------------------------------------------------------------------------


def test_long_side_is_capped_and_thumbnail_made():
    result = process_upload(fileobj=BytesIO(encode(noisy((3000, 1000)), "JPEG")))
    assert (result.width, result.height) == (MAX_LONG_SIDE, 683) == (2048, 683)
    assert (result.thumb_width, result.thumb_height) == (THUMB_LONG_SIDE, 133) == (400, 133)
    assert reopen(result.content).size == (2048, 683)
    assert reopen(result.thumbnail).size == (400, 133)


def test_portrait_long_side_is_capped_too():
    result = process_upload(fileobj=BytesIO(encode(Image.new("RGB", (1000, 3000)), "PNG")))
    assert (result.width, result.height, result.thumb_width, result.thumb_height) == (
        683,
        2048,
        133,
        400,
    )


def test_small_image_is_not_enlarged():
    result = process_upload(fileobj=BytesIO(encode(noisy((300, 200)), "WEBP")))
    assert (result.width, result.height, result.thumb_width, result.thumb_height) == (
        300,
        200,
        300,
        200,
    )
    assert result.source_format == "WEBP" and result.extension == "jpg"


def test_jpeg_output_is_progressive():
    out = reopen(process_upload(fileobj=BytesIO(encode(noisy((200, 100)), "PNG"))).content)
    assert out.format == "JPEG" and out.info.get("progressive") == 1


# --- modes --------------------------------------------------------------------------------


def test_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG")  # CMYK red
    result = process_upload(fileobj=BytesIO(data))
    out = reopen(result.content)
    assert (result.extension, out.mode) == ("jpg", "RGB")
    assert close_to(out.getpixel((20, 15)), RED)


def test_palette_png_with_transparency_keeps_it():
    image = Image.new("P", (40, 30), 0)
    image.putpalette([*WHITE, *RED])
    ImageDraw.Draw(image).rectangle((0, 0, 9, 9), fill=1)
    result = process_upload(fileobj=BytesIO(encode(image, "PNG", transparency=0)))
    out = reopen(result.content)
    assert (result.extension, out.mode) == ("png", "RGBA")
    assert out.getpixel((5, 5)) == (*RED, 255) and out.getpixel((30, 20))[3] == 0


def test_opaque_alpha_channel_is_dropped():
    data = encode(Image.new("RGBA", (40, 30), (*RED, 255)), "PNG")
    result = process_upload(fileobj=BytesIO(data))
    assert result.extension == "jpg" and reopen(result.content).mode == "RGB"


def test_greyscale_with_alpha_webp_becomes_png():
    data = encode(Image.new("LA", (40, 30), (90, 100)), "WEBP", lossless=True)
    result = process_upload(fileobj=BytesIO(data))
    out = reopen(result.content)
    assert (result.source_format, result.extension, out.mode) == ("WEBP", "png", "RGBA")
    assert close_to(out.getpixel((1, 1)), (90, 90, 90, 100), tolerance=2)


def test_16_bit_greyscale_png_keeps_its_brightness():
    data = encode(Image.new("I;16", (40, 30), 40000), "PNG")
    out = reopen(process_upload(fileobj=BytesIO(data)).content)
    assert out.mode == "L" and abs(out.getpixel((20, 15)) - 40000 // 256) <= 2


# --- upload size limit ----------------------------------------------------------------------


def test_too_large_upload_is_refused_with_the_limit_in_mb():
    stream = BytesIO(b"\xff\xd8\xff" + b"\x00" * (MAX_UPLOAD_BYTES + 5000))
    with pytest.raises(ValidationError) as caught:
        process_upload(fileobj=stream)
    assert caught.value.code == "too_large"
    assert caught.value.messages == ["The file is too large. The limit is 10 MB."]
    assert stream.tell() == MAX_UPLOAD_BYTES + 1  # read no more than needed


def test_declared_size_is_refused_without_reading():
    big = upload(b"x" * 100)
    big.size = MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValidationError) as caught:
        process_upload(fileobj=big)
    assert caught.value.code == "too_large" and big.file.tell() == 0


def test_upload_limit_setting_is_read_at_call_time(settings):
    data = encode(noisy((400, 400)), "PNG")
    assert 300_000 < len(data) < MAX_UPLOAD_BYTES
    settings.SOG_MAX_UPLOAD_BYTES = 256 * 1024
    error = reject(data)
    assert error.code == "too_large" and "0.2 MB" in error.messages[0]
    settings.SOG_MAX_UPLOAD_BYTES = len(data)
    assert process_upload(fileobj=BytesIO(data)).width == 400


def test_upload_is_read_from_the_start_and_from_disk(tmp_path):
    path = tmp_path / "holiday.webp"
    path.write_bytes(encode(noisy((64, 32)), "WEBP"))
    with path.open("rb") as handle:
        handle.read(10)  # e.g. a form field that already sniffed the file
        result = validate_image_upload(File(handle))
    assert isinstance(result, ProcessedImage)
    assert (result.source_format, result.width, result.height) == ("WEBP", 64, 32)


def test_repr_does_not_dump_the_bytes():
    result = process_upload(fileobj=BytesIO(encode(noisy((64, 32)), "PNG")))
    assert "content=" not in repr(result) and len(repr(result)) < 300


# --- storage names --------------------------------------------------------------------------


def test_storage_name_is_random_and_ignores_the_upload_name():
    result = process_upload(
        fileobj=upload(encode(noisy((64, 32)), "JPEG"), name="../../etc/Budi rumah -3.69.jpg")
    )
    names = {storage_name(prefix="photos", extension=result.extension) for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert re.fullmatch(r"photos/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name), name
        assert not {"Budi", "rumah", "etc", "..", "3.69"} & set(re.split(r"[/ ]", name))
        assert "Budi" not in name and ".." not in name


def test_storage_name_uses_the_current_month():
    from django.utils import timezone

    today = timezone.localdate()
    assert storage_name(prefix="/villages/photos/", extension=".PNG").startswith(
        f"villages/photos/{today:%Y/%m}/"
    )
    assert storage_name(prefix="photos", extension="png").endswith(".png")


@pytest.mark.parametrize(
    ("prefix", "extension"),
    [
        ("photos", "html"),
        ("photos", "jpg/../../x"),
        ("../photos", "jpg"),
        ("a//b", "jpg"),
        ("", "jpg"),
    ],
)
def test_storage_name_refuses_odd_input(prefix, extension):
    with pytest.raises(ValueError):
        storage_name(prefix=prefix, extension=extension)
