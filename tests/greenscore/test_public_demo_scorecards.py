"""Impact in public: the demo publishes 2025 and the finished quarters of 2026, anyone reads
them, and a period without a published card points to the latest one."""

import datetime

import pytest
from django.core.management import call_command

from greenscore.models import ConservationAction, ScorecardSnapshot
from greenscore.scorecard.demo import demo_publication_periods, publish_demo_scorecards

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_dec_2(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 2))


@pytest.fixture
def demo(demo_places, today_dec_2):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_publication_periods_follow_today():
    def labels(day):
        return [p.label for p in demo_publication_periods(day)]

    assert labels(datetime.date(2026, 12, 2)) == ["2025", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert labels(datetime.date(2026, 9, 30)) == ["2025", "2026-Q1", "2026-Q2"]
    assert labels(datetime.date(2026, 10, 1)) == ["2025", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert labels(datetime.date(2027, 1, 1))[-2:] == ["2026-Q4", "2026"]


def test_demo_publishes_real_snapshots_once(demo):
    snaps = ScorecardSnapshot.objects.filter(is_current=True)
    assert sorted(set(snaps.values_list("period", flat=True))) == [
        "2025",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
    ]
    assert sorted(set(snaps.values_list("village__slug", flat=True))) == ["amahusu", "dusun-tuni"]
    assert snaps.count() == 8
    assert set(snaps.values_list("published_by__username", flat=True)) == {"demo-reviewer"}
    # 2025 scores come from 2025's verified logs, deterministic on both databases
    assert ConservationAction.objects.filter(status="verified", date__year=2025).exists()
    snap = snaps.get(village__slug="amahusu", period="2025")
    assert snap.results["composite"] is not None
    # a second run publishes nothing new (AMO's snapshots are never replaced)
    assert list(publish_demo_scorecards())[-1].endswith("already published")
    assert ScorecardSnapshot.objects.count() == 8


def test_anonymous_reads_published_scores(demo, client):
    page = client.get("/scorecard/?period=2026-Q2")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Amahusu" in html and "Tuni" in html
    for snap in ScorecardSnapshot.objects.filter(period="2026-Q2", is_current=True):
        assert snap.results["composite"] is not None
        assert f"{snap.results['composite']:.1f}".replace(".", ",") in html  # decimal comma
    rows = client.get("/api/v1/scorecards/?period=2026-Q2").json()["results"]
    assert {r["village"] for r in rows} == {"amahusu", "dusun-tuni"}
    assert all(r["status"] == "published" for r in rows)
    page = client.get("/scorecard/amahusu/?period=2025")
    assert page.status_code == 200
    snap = ScorecardSnapshot.objects.get(village__slug="amahusu", period="2025", is_current=True)
    composite = f"{snap.results['composite']:.1f}".replace(".", ",")
    assert composite in page.content.decode()
    csv = client.get("/scorecard/export.csv?period=2025").content.decode()
    assert "amahusu" in csv and "dusun-tuni" in csv
    assert (
        client.get("/scorecard/compare/?villages=amahusu,dusun-tuni&period=2025").status_code == 200
    )


def test_period_without_snapshot_links_to_latest(demo, client):
    page = client.get("/scorecard/amahusu/?period=2026")
    assert page.status_code == 404
    html = page.content.decode()
    assert 'href="/scorecard/amahusu/?period=2026-Q3' in html  # the latest published
    page = client.get("/scorecard/?period=2024")
    assert page.status_code == 200
    assert 'href="/scorecard/?period=2026-Q3' in page.content.decode()
    answer = client.get("/api/v1/scorecards/amahusu/?period=2026")
    assert answer.status_code == 404 and answer.json()["latest_published"] == "2026-Q3"
