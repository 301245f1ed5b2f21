"""Scorecard API: shape, permissions (anonymous vs AMO vs coordinator), bad input."""

from datetime import date

import pytest
from django.test import Client

from greenscore.models import Indicator, IndicatorValue, Species, VillageIndicator
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period
from villages import roles

from .scorecard_factories import (
    ensure_catalogue,
    enter_value,
    make_action,
    make_event_report,
    make_homestay,
    make_stay,
    make_user,
    worked_village,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


URL = "/api/v1/scorecards/"


@pytest.fixture
def worked(make_village):
    v, coordinator, _ = worked_village(make_village)
    return v, coordinator


def amo_client():
    client = Client()
    client.force_login(make_user("amo", amo=True))
    return client


def test_anonymous_sees_published_only(worked):
    v, _ = worked
    client = Client()
    assert client.get(f"{URL}{v.slug}/?period=2026").status_code == 404
    assert client.get(f"{URL}?period=2026").json()["results"] == []
    assert client.get(f"{URL}{v.slug}/?period=2026&view=live").status_code == 403
    scorecard.publish(village=v, period=Period.parse("2026"), user=make_user("amo2", amo=True))
    body = client.get(f"{URL}{v.slug}/?period=2026").json()
    assert body["status"] == "published"
    rows = client.get(f"{URL}?period=2026").json()["results"]
    assert [r["village"] for r in rows] == [v.slug] and rows[0]["rank"] == 1


def test_detail_shape_for_amo(worked):
    v, _ = worked
    response = amo_client().get(f"{URL}{v.slug}/?period=2026-Q2&aggregation=geometric")
    assert response.status_code == 200
    body = response.json()
    for key in (
        "village",
        "period",
        "method_version",
        "aggregation",
        "composite",
        "suggested_stage",
        "pillars",
        "indicators",
    ):
        assert key in body, key
    assert body["village"] == v.slug and body["period"] == "2026-Q2"
    assert body["aggregation"] == "geometric" and body["status"] == "live"
    assert set(body["pillars"]) == {"social", "economic", "environmental"}
    assert set(body["pillars"]["social"]) == {"score", "coverage"}
    first = body["indicators"][0]
    assert {"code", "pillar", "value", "baseline", "target", "weight", "score"} <= set(first)
    seedlings = next(i for i in body["indicators"] if i["code"] == "env.seedlings_planted")
    assert seedlings["target"] == pytest.approx(200 * 91 / 365, abs=1e-4)  # scaled to Q2


def test_list_for_amo_is_live_and_ranked(worked, demo_places):
    response = amo_client().get(f"{URL}?period=2026")
    body = response.json()
    assert body["period"] == "2026"
    slugs = [r["village"] for r in body["results"]]
    assert {"worked", "amahusu", "dusun-tuni"} <= set(slugs)  # SoG sites listed even without data
    assert body["results"][0]["village"] == "worked" and body["results"][0]["rank"] == 1
    assert all(r["rank"] is None for r in body["results"] if r["composite"] is None)


@pytest.mark.parametrize(
    "query",
    [
        "period=2026-13",
        "period=26",
        "period=2026-Q5",
        "period=abc",
        "period=2026&aggregation=median",
        "period=2026&view=secret",
    ],
)
def test_malformed_query_is_400(worked, query):
    v, _ = worked
    for url in (f"{URL}?{query}", f"{URL}{v.slug}/?{query}"):
        response = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, url
        field = query.split("&")[-1].split("=")[0]
        assert field in response.json()


def test_malformed_period_message_is_readable(worked):
    response = Client().get(f"{URL}?period=2026-13", HTTP_ACCEPT_LANGUAGE="en")
    assert "2026-Q2" in response.json()["period"][0]


def test_unknown_village_is_404(worked):
    assert amo_client().get(f"{URL}nowhere/?period=2026").status_code == 404


def test_coordinator_sees_own_village_live(worked, make_village):
    can_view_live = roles.can_view_live_scorecard
    v, coordinator = worked
    other = make_village("Other")
    assert not can_view_live(coordinator, v)
    roles.grant_coordinator(user=coordinator, village=v)
    assert can_view_live(coordinator, v) and not can_view_live(coordinator, other)
    assert (
        scorecard.scorecard_for(user=coordinator, village=v, period=Period.parse("2026"))["status"]
        == "live"
    )
    assert (
        scorecard.scorecard_for(user=coordinator, village=other, period=Period.parse("2026"))
        is None
    )


def test_amo_is_the_reviewer_group_or_superuser_not_staff(worked, django_user_model):
    """is_staff opens the admin site only (README, roles): it grants no AMO power."""
    v, _ = worked
    staff = make_user("staff", staff=True)
    assert not roles.can_view_live_scorecard(staff, v) and not roles.can_publish_scorecard(staff)
    amo = make_user("amo", amo=True)
    assert roles.can_view_live_scorecard(amo, v) and roles.can_publish_scorecard(amo)
    root = django_user_model.objects.create_superuser("root", password="x-Test-123")
    assert roles.can_view_live_scorecard(root, v) and roles.can_publish_scorecard(root)
    assert not roles.can_view_live_scorecard(make_user("plain"), v)


def test_impossible_references_give_409_not_500(worked):
    v, _ = worked
    # Saved behind the forms' back: a higher-is-better target below its baseline.
    Indicator.objects.filter(code="soc.community_satisfaction_ikm").update(default_target=10)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("amo", amo=True))
    response = client.get(f"{URL}{v.slug}/?period=2026")
    assert response.status_code == 409
    assert "target" in response.json()["detail"]
    assert client.get(f"{URL}?period=2026").status_code == 409
    assert client.get(f"/scorecard/{v.slug}/?period=2026").status_code == 409


def test_equal_composites_share_a_rank(worked, make_village):
    v, _ = worked
    # Same logs and references as the worked village, so the same composite.
    twin = make_village("Twin", slug="twin", population=1000)
    user = make_user("twinuser")
    nangka, titi = (Species.objects.get(local_name=n) for n in ("nangka", "titi"))
    make_action(
        twin,
        user,
        day=date(2026, 3, 1),
        species=[(nangka, 60), (titi, 40)],
        area_m2=800,
        total=10,
        women=5,
        youth=4,
        hours=30,
    )
    make_action(
        twin,
        user,
        kind="cleanup",
        day=date(2026, 4, 1),
        quantity=50,
        unit="kg",
        total=10,
        women=5,
        youth=2,
        hours=15,
    )
    make_event_report(
        twin, user, day=date(2026, 5, 1), audience=300, performers=10, youth=6, revenue=1_000_000
    )
    make_stay(
        twin,
        make_homestay(twin, beds=5),
        user,
        day=date(2026, 6, 1),
        nights=4,
        domestic=2,
        foreign=1,
        revenue=3_000_000,
    )
    for row in VillageIndicator.objects.filter(village=v):
        VillageIndicator.objects.create(
            village=twin, indicator=row.indicator, target_value=row.target_value
        )
    for row in IndicatorValue.objects.filter(village=v):
        enter_value(twin, row.indicator.code, row.period, row.value)
    rows = scorecard.scorecards_for(user=make_user("amo", amo=True), period=Period.parse("2026"))
    ranked = {r["village"]: r["rank"] for r in rows}
    assert ranked["worked"] == ranked["twin"] == 1


def test_amo_can_ask_for_published_only(worked):
    v, _ = worked
    client = amo_client()
    assert client.get(f"{URL}?period=2026&view=published").json()["results"] == []
    assert client.get(f"{URL}{v.slug}/?period=2026&view=published").status_code == 404
    rows = client.get(f"{URL}?period=2026").json()["results"]
    assert rows[0]["status"] == "live"
