from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import translation

from tourism.formatting import idr, wit


def test_idr_reads_as_indonesians_write_it():
    assert idr(150_000) == "Rp 150.000"
    assert idr(1_250_000) == "Rp 1.250.000"
    assert idr(500) == "Rp 500"
    assert idr(None) == ""
    with translation.override("en"):
        assert idr(0) == "Free"


def test_wit_is_utc_plus_nine():
    local = wit(datetime(2027, 1, 1, 15, 30, tzinfo=UTC))
    assert (local.day, local.hour, local.minute) == (2, 0, 30)
    assert local.utcoffset().total_seconds() == 9 * 3600


def test_template_filters():
    out = Template(
        "{% load tourism_tags %}{{ p|idr }}|{{ phone|wa_digits }}|{{ phone|tel }}|{{ local|wa_digits }}"
    ).render(Context({"p": 75000, "phone": "+62 811-0000-0101", "local": "0811 2345"}))
    assert out == "Rp 75.000|6281100000101|+6281100000101|628112345"
