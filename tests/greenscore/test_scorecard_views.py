"""Scorecard pages and exports: who sees what, charts, PDF/CSV/JSON, AMO actions."""

import csv
import io
import json

import pytest
from django.test import Client

from greenscore.models import ScorecardSnapshot

from .scorecard_factories import ensure_catalogue, make_plot, make_tree, make_user, worked_village

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


@pytest.fixture
def worked(make_village):
    v, coordinator, nangka = worked_village(make_village)
    return v, coordinator, nangka


@pytest.fixture
def amo():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("amo", amo=True))
    return client


def test_village_page_for_amo_has_charts_and_publish(worked, amo):
    v, _, nangka = worked
    plot = make_plot(v)
    make_tree(plot, tag="A1", species=nangka, dbh=12, height=9)
    response = amo.get(f"/scorecard/{v.slug}/?period=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg class="chart') == 2  # pillar bars and the trend
    assert html.count('<svg class="meter"') >= 10 and " style=" not in html  # scored rows
    assert "Publish the 2026 scorecard" in html
    assert "Seedlings planted" in html and "no data" in html
    assert "PUP 1" in html  # the plot's carbon table


def test_village_page_anonymous_unpublished_is_404_then_published(worked, amo):
    v, *_ = worked
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = anonymous.get(f"/scorecard/{v.slug}/?period=2026")
    assert response.status_code == 404
    assert "No published scorecard" in response.content.decode()
    assert anonymous.post(f"/scorecard/{v.slug}/publish/", {"period": "2026"}).status_code == 403
    response = amo.post(f"/scorecard/{v.slug}/publish/", {"period": "2026"})
    assert response.status_code == 302
    assert ScorecardSnapshot.objects.filter(village=v, period="2026", is_current=True).exists()
    html = anonymous.get(f"/scorecard/{v.slug}/?period=2026").content.decode()
    assert "Published on" in html and "Publish the" not in html


def test_coordinator_cannot_publish_or_confirm(worked):
    v, coordinator, _ = worked
    client = Client()
    client.force_login(coordinator)
    assert client.post(f"/scorecard/{v.slug}/publish/", {"period": "2026"}).status_code == 403
    assert client.post(f"/scorecard/{v.slug}/stage/", {"stage": "maju"}).status_code == 403


def test_amo_confirms_stage_and_bad_stage_is_400(worked, amo):
    v, *_ = worked
    assert amo.post(f"/scorecard/{v.slug}/stage/", {"stage": "maju"}).status_code == 302
    v.refresh_from_db()
    assert v.tourism_stage == "maju"
    assert amo.post(f"/scorecard/{v.slug}/stage/", {"stage": "famous"}).status_code == 400


def test_bad_period_on_pages_is_400(worked, amo):
    v, *_ = worked
    for url in (
        "/scorecard/?period=2026-00",
        f"/scorecard/{v.slug}/?period=x",
        "/scorecard/compare/?period=2026-Q9",
        "/scorecard/export.csv?period=1999",
    ):
        response = amo.get(url)
        assert response.status_code == 400, url
        assert "2026-Q2" in response.content.decode()


def test_overview_and_compare(worked, amo, demo_places):
    html = amo.get("/scorecard/?period=2026").content.decode()
    assert "Worked" in html and "scorecard-config" in html and "Amahusu" in html
    html = amo.get("/scorecard/compare/?period=2026&villages=worked,amahusu").content.decode()
    assert html.count("<svg") == 2


def test_exports(worked, amo):
    v, *_ = worked
    pdf = amo.get(f"/scorecard/{v.slug}/export.pdf?period=2026")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    rows = list(
        csv.DictReader(
            io.StringIO(amo.get(f"/scorecard/{v.slug}/export.csv?period=2026").content.decode())
        )
    )
    assert len(rows) == 1 + 3 + 21  # composite, pillars, indicators (env.soundscape_ndsi too)
    carbon = next(r for r in rows if r["code"] == "env.carbon_stock_tco2e")
    assert carbon["value"] == "" and carbon["score"] == ""  # missing, never 0
    data = amo.get(f"/scorecard/{v.slug}/export.json?period=2026").json()
    assert data["village"] == v.slug
    everything = amo.get("/scorecard/export.json?period=2026").json()
    assert [r["village"] for r in everything["results"]] == [v.slug]
    assert amo.get("/scorecard/export.xlsx?period=2026").status_code == 404
    collection = json.loads(amo.get("/scorecard/export.geojson?period=2026").content)
    [feature] = collection["features"]
    assert feature["id"] == v.slug and feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["composite"] == data["composite"]
    assert feature["properties"]["economic_coverage"] == data["pillars"]["economic"]["coverage"]


def test_methodology_in_both_languages():
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/scorecard/methodology/").content.decode()
    assert "How the Green Score is computed" in en and "0.0673" in en
    assert "env.carbon_stock_tco2e" in en
    id_ = Client(HTTP_ACCEPT_LANGUAGE="id").get("/scorecard/methodology/").content.decode()
    assert "Cara menghitung Green Score" in id_ and "0,0673" in id_


def test_methodology_says_declared_quantities_count():
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get("/scorecard/methodology/").content.decode()
    assert "whether or not its species are listed" in en
    id_ = Client(HTTP_ACCEPT_LANGUAGE="id").get("/scorecard/methodology/").content.decode()
    assert "dengan atau tanpa daftar jenis" in id_


def test_amo_enters_a_survey_value(worked, amo):
    v, coordinator, _ = worked
    url = f"/scorecard/{v.slug}/values/"
    form = {
        "indicator": "soc.visitor_satisfaction_pct",
        "period": "2026",
        "value": "75",
        "source": "Visitor survey, 120 answers",
        "note": "",
    }
    assert amo.post(url, form).status_code == 302
    html = amo.get(f"/scorecard/{v.slug}/?period=2026").content.decode()
    assert "Enter a survey or account value" in html
    from greenscore.models import IndicatorValue

    row = IndicatorValue.objects.get(village=v, indicator__code="soc.visitor_satisfaction_pct")
    assert (row.value, row.period, row.entered_by.username) == (75, "2026", "amo")
    assert amo.post(url, {**form, "value": "80"}).status_code == 302  # a correction, same row
    assert IndicatorValue.objects.get(pk=row.pk).value == 80
    for bad in (
        {"value": "101"},
        {"period": "2026-13"},
        {"indicator": "env.seedlings_planted"},
        {"value": "nan"},
        {"source": ""},
    ):
        response = amo.post(url, {**form, **bad})
        assert response.status_code == 400, bad
    client = Client()
    client.force_login(coordinator)
    assert client.post(url, form).status_code == 403


def test_indicator_units_in_the_reader_language(worked, amo):
    """Units are stored in both languages and shown in the current one: pages, API, CSV."""
    from greenscore.models import Indicator
    from greenscore.scorecard.indicators import CATALOGUE, UNIT_ID

    assert all(item["unit_id"] and item["unit_en"] for item in CATALOGUE)
    seedlings = Indicator.objects.get(code="env.seedlings_planted")
    assert (seedlings.unit_en, seedlings.unit_id) == ("seedlings", "bibit")
    assert UNIT_ID["guest nights"] == "malam tamu"
    v, *_ = worked
    english = amo.get(f"/scorecard/{v.slug}/?period=2026", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = amo.get(f"/scorecard/{v.slug}/?period=2026", HTTP_ACCEPT_LANGUAGE="id")
    assert "(guest nights" in english.content.decode()
    assert "(malam tamu" in indonesian.content.decode()
    assert "(guest nights" not in indonesian.content.decode()
    api = amo.get(f"/api/v1/scorecards/{v.slug}/?period=2026", HTTP_ACCEPT_LANGUAGE="id").json()
    units = {ind["code"]: ind["unit"] for ind in api["indicators"]}
    assert units["env.volunteer_hours"] == "jam"
    rows = list(
        csv.DictReader(
            io.StringIO(
                amo.get(
                    f"/scorecard/{v.slug}/export.csv?period=2026", HTTP_ACCEPT_LANGUAGE="en"
                ).content.decode()
            )
        )
    )
    assert next(r for r in rows if r["code"] == "env.volunteer_hours")["unit"] == "h"
    methodology = amo.get("/scorecard/methodology/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "<td>bibit</td>" in methodology
