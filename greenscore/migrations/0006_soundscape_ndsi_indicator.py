"""Add the indicator env.soundscape_ndsi (recordings app) to an existing catalogue.

The values are written out here, not imported from greenscore.scorecard.indicators, so the
migration keeps meaning what it meant when it was written. Like the seed, it only
creates the code when it is missing and never touches an indicator AMO has edited.
"""
from django.db import migrations

INDICATOR = {
    "code": "env.soundscape_ndsi",
    "pillar": "environmental",
    "name_en": "Soundscape: biophony against anthrophony",
    "name_id": "Lanskap suara: biofoni dibanding antropofoni",
    "definition_en": (
        "Median NDSI (Kasten 2012; biophony 2-8 kHz, anthrophony 1-2 kHz) of the period's "
        "verified soundscape recordings, each summarised over one-minute windows. -1: only "
        "human noise; +1: only animal sound. No recording: missing, never 0."),
    "definition_id": (
        "Median NDSI (Kasten 2012; biofoni 2-8 kHz, antropofoni 1-2 kHz) dari rekaman lanskap "
        "suara terverifikasi pada periode itu, masing-masing diringkas per jendela satu menit. "
        "-1: hanya bising manusia; +1: hanya suara satwa. Tanpa rekaman: kosong, bukan 0."),
    "unit_en": "NDSI",
    "unit_id": "NDSI",
    "direction": "higher",
    "is_flow": False,
    "source": "computed",
    "computation": "soundscape_ndsi",
    "anchor": "GSTC Destination Criteria v2.0 D2; Kasten et al. 2012",
    "default_baseline": 0.0,
    "default_baseline_year": 2024,
    "default_target": 0.5,
    "default_target_year": 2030,
    "default_weight": 1.0,
    "min_value": -1.0,
    "max_value": 1.0,
}


def add_indicator(apps, schema_editor):
    Indicator = apps.get_model("greenscore", "Indicator")
    if Indicator.objects.filter(code=INDICATOR["code"]).exists():
        return
    environmental = Indicator.objects.filter(pillar="environmental")
    last = max(environmental.values_list("order", flat=True), default=0)
    Indicator.objects.create(order=last + 1, **INDICATOR)


class Migration(migrations.Migration):
    dependencies = [
        ("greenscore", "0005_indicator_unit_languages"),
    ]

    operations = [
        migrations.RunPython(add_indicator, migrations.RunPython.noop),
    ]
