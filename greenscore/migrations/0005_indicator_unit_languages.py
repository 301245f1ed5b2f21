# The indicator's unit in both languages: the old `unit` (English) becomes `unit_en`, and
# `unit_id` is filled for the units of the seed catalogue (frozen below; a unit AMO typed
# that is not in this table stays for AMO to translate in the admin).

from django.db import migrations, models

UNIT_ID = {
    "seedlings": "bibit",
    "m²": "m²",
    "kg": "kg",
    "h": "jam",
    "actions": "aksi",
    "t CO2e": "t CO2e",
    "guest nights": "malam tamu",
    "%": "%",
    "nights": "malam",
    "IDR": "Rp",
    "performers": "pemain",
    "ratio": "rasio",
    "events": "acara",
    "people": "orang",
    "per 100 residents": "per 100 penduduk",
    "index 0-100": "indeks 0-100",
}


def fill_unit_id(apps, schema_editor):
    Indicator = apps.get_model("greenscore", "Indicator")
    for indicator in Indicator.objects.filter(unit_id=""):
        unit_id = UNIT_ID.get(indicator.unit_en)
        if unit_id:
            indicator.unit_id = unit_id
            indicator.save(update_fields=["unit_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("greenscore", "0004_action_on_log_base"),
    ]

    operations = [
        migrations.RenameField(model_name="indicator", old_name="unit", new_name="unit_en"),
        migrations.AlterField(
            model_name="indicator",
            name="unit_en",
            field=models.CharField(blank=True, max_length=32, verbose_name="unit (English)"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="unit_id",
            field=models.CharField(
                blank=True, max_length=32, verbose_name="unit (Bahasa Indonesia)"
            ),
        ),
        migrations.RunPython(fill_unit_id, migrations.RunPython.noop),
    ]
