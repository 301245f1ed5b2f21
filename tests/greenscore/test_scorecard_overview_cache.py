"""The scorecard overview at scale (issue 12): one code path for all villages and for one,
a fixed number of queries whatever the number of villages, pages, and the per-period cache
and what drops it (a log verified or rejected, an entered value, a target, a publication)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from greenscore.models import ConservationAction, Indicator, VillageIndicator
from greenscore.scorecard import aggregations, views
from greenscore.scorecard import services as scorecard
from greenscore.scorecard.periods import Period
from villages.logs.services import review_logs
from villages.models import Membership

from .scorecard_factories import (
    ensure_catalogue,
    enter_value,
    make_action,
    make_user,
    worked_village,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/scorecards/"
Y2026 = Period.parse("2026")


@pytest.fixture(autouse=True)
def _catalogue(db):
    ensure_catalogue()


@pytest.fixture
def amo():
    return make_user("amo", amo=True)


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _sites(make_village, n, author):
    """n SoG sites, each with verified clean-ups: i + 1 actions of 10 kg."""
    out = []
    for i in range(n):
        v = make_village(f"Site{i}", is_sog_site=True, population=100)
        for _ in range(i + 1):
            make_action(v, author, kind="cleanup", quantity=10, unit="kg", total=2)
        out.append(v)
    return out


def _aggregation_queries(queries, table="greenscore_conservationaction") -> int:
    return sum(table in q["sql"] for q in queries.captured_queries)


def test_all_villages_and_one_village_agree(make_village):
    """The overview's values (no village filter) are each village's values (filtered)."""
    worked, author, _ = worked_village(make_village)
    others = _sites(make_village, 3, author)
    everyone = aggregations.computed_values(village_ids=None, period=Y2026)
    for v in [worked, *others]:
        one = aggregations.computed_values(village_ids=[v.pk], period=Y2026)[v.pk]
        assert everyone[v.pk] == one
    # The worked village's seedlings: 100 from its species rows (no declared quantity).
    assert everyone[worked.pk]["seedlings_planted"] == 100.0
    assert everyone[worked.pk]["instrument_species_planted"] == 40.0


def test_query_count_does_not_grow_with_villages(make_village, amo):
    author = make_user("author")
    _sites(make_village, 2, author)
    with CaptureQueriesContext(connection) as few:
        scorecard.compute_overview(period=Y2026, live_ids=None)
    _sites_more = [make_village(f"More{i}", is_sog_site=True) for i in range(6)]
    for v in _sites_more:
        make_action(v, author, kind="cleanup", quantity=1, unit="kg")
    with CaptureQueriesContext(connection) as many:
        rows = scorecard.compute_overview(period=Y2026, live_ids=None)
    assert len(rows) == 8
    assert len(many.captured_queries) == len(few.captured_queries)
    # One grouped query over the period's actions (and one over their species rows).
    assert _aggregation_queries(many, 'FROM "greenscore_conservationaction"') == 1


def test_cache_hit_shows_the_same_data_without_aggregating(make_village, amo):
    _sites(make_village, 3, make_user("author"))
    first = scorecard.scorecards_for(user=amo, period=Y2026)
    with CaptureQueriesContext(connection) as queries:
        again = scorecard.scorecards_for(user=amo, period=Y2026)
    assert again == first
    assert _aggregation_queries(queries) == 0
    # The API reads the same cache and answers the same rows.
    body = client_for(amo).get(f"{URL}?period=2026").json()
    assert body["results"] == first


def test_verifying_or_rejecting_a_log_changes_the_next_read(make_village, amo):
    author = make_user("author")
    (v,) = _sites(make_village, 1, author)
    reviewer = amo

    def waste():
        row = client_for(reviewer).get(f"{URL}?period=2026").json()["results"][0]
        return next(i["value"] for i in row["indicators"] if i["code"] == "env.waste_collected_kg")

    assert waste() == 10.0
    pending = make_action(v, author, kind="cleanup", quantity=5, unit="kg", status="submitted")
    assert waste() == 10.0  # submitted is not counted, and the cached overview is still right
    review_logs(logs=[pending], reviewer=reviewer, decision="verify")
    assert waste() == 15.0
    other = make_action(v, author, kind="cleanup", quantity=7, unit="kg", status="submitted")
    assert waste() == 15.0
    review_logs(logs=[other], reviewer=reviewer, decision="reject", reason="a duplicate")
    assert waste() == 15.0
    # An edit of a verified log (here by AMO in the admin: a plain save) is seen too.
    log = ConservationAction.objects.get(pk=pending.pk)
    log.quantity = 20
    log.save()
    assert waste() == 30.0


def test_entered_value_and_target_changes_show(make_village, amo):
    (v,) = _sites(make_village, 1, make_user("author"))

    def indicator(code):
        row = scorecard.scorecards_for(user=amo, period=Y2026)[0]
        return next(i for i in row["indicators"] if i["code"] == code)

    assert indicator("soc.community_satisfaction_ikm")["value"] is None
    enter_value(v, "soc.community_satisfaction_ikm", "2026", 80)
    assert indicator("soc.community_satisfaction_ikm")["value"] == 80.0
    waste = Indicator.objects.get(code="env.waste_collected_kg")
    assert indicator("env.waste_collected_kg")["target"] == 1000.0
    VillageIndicator.objects.create(village=v, indicator=waste, target_value=40)
    assert indicator("env.waste_collected_kg")["target"] == 40.0


def test_publishing_shows_to_the_public_after_a_cached_empty_read(make_village, amo):
    (v,) = _sites(make_village, 1, make_user("author"))
    anonymous = client_for()
    assert anonymous.get(f"{URL}?period=2026").json()["results"] == []
    assert anonymous.get(f"{URL}?period=2026").json()["results"] == []  # cached
    scorecard.publish(village=v, period=Y2026, user=amo)
    rows = anonymous.get(f"{URL}?period=2026").json()["results"]
    assert [(r["village"], r["status"]) for r in rows] == [(v.slug, "published")]


def test_each_audience_keeps_what_it_saw(make_village, amo):
    author = make_user("author")
    a, b = _sites(make_village, 2, author)
    coordinator = make_user("coord")
    Membership.objects.create(user=coordinator, village=a)
    scorecard.publish(village=b, period=Y2026, user=amo)
    for _ in range(2):  # the second round reads the cache
        public = client_for().get(f"{URL}?period=2026").json()["results"]
        assert [(r["village"], r["status"]) for r in public] == [(b.slug, "published")]
        mine = client_for(coordinator).get(f"{URL}?period=2026").json()["results"]
        assert {r["village"]: r["status"] for r in mine} == {a.slug: "live", b.slug: "published"}
        everything = client_for(amo).get(f"{URL}?period=2026").json()["results"]
        assert {r["village"]: r["status"] for r in everything} == {a.slug: "live", b.slug: "live"}
        published = client_for(amo).get(f"{URL}?period=2026&view=published").json()["results"]
        assert [r["village"] for r in published] == [b.slug]


def test_cached_per_language(make_village, amo):
    _sites(make_village, 1, make_user("author"))
    with translation.override("en"):
        english = scorecard.scorecards_for(user=amo, period=Y2026)[0]["indicators"]
    with translation.override("id"):
        indonesian = scorecard.scorecards_for(user=amo, period=Y2026)[0]["indicators"]
    code = "env.waste_collected_kg"
    assert next(i["name"] for i in english if i["code"] == code) == "Waste collected"
    assert next(i["name"] for i in indonesian if i["code"] == code) == "Sampah terkumpul"


def test_api_pages(make_village, amo):
    sites = _sites(make_village, 5, make_user("author"))
    client = client_for(amo)
    whole = client.get(f"{URL}?period=2026&page_size=500").json()
    assert whole["count"] == 5 and whole["next"] is None and whole["previous"] is None
    # Most actions, best waste score: the ordering (composite, then name) is today's.
    order = [r["village"] for r in whole["results"]]
    seen, url = [], f"{URL}?period=2026&page_size=2"
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["count"] == 5 and body["page_size"] == 2
        assert len(body["results"]) <= 2
        seen.extend(body["results"])
        pages += 1
        if pages > 1:
            assert body["previous"] is not None
        url = body["next"]
    assert pages == 3
    assert [r["village"] for r in seen] == order
    assert [r["rank"] for r in seen] == [r["rank"] for r in whole["results"]]
    assert {r["village"] for r in seen} == {v.slug for v in sites}
    last = client.get(f"{URL}?period=2026&page_size=2&page=3").json()
    assert last["next"] is None and "page=2" in last["previous"]
    past = client.get(f"{URL}?period=2026&page_size=2&page=4")
    assert past.status_code == 404 and "3" in past.json()["detail"]
    for bad in ("page=0", "page=x", "page_size=0", "page_size=501"):
        response = client.get(f"{URL}?period=2026&{bad}")
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.json()


def test_api_page_one_of_nothing_is_empty():
    body = client_for().get(f"{URL}?period=2026").json()
    assert body["count"] == 0 and body["results"] == [] and body["next"] is None


def test_overview_page_pages(make_village, amo, monkeypatch):
    monkeypatch.setattr(views, "OVERVIEW_PAGE_SIZE", 2)
    sites = _sites(make_village, 3, make_user("author"))
    client = client_for(amo)
    first = client.get("/scorecard/?period=2026")
    assert first.status_code == 200
    assert len(first.context["rows"]) == 2
    html = first.content.decode()
    assert 'rel="next"' in html and "page=2" in html and 'rel="prev"' not in html
    second = client.get("/scorecard/?period=2026&page=2")
    whole = scorecard.scorecards_for(user=amo, period=Y2026)
    assert {r["village"] for r in whole} == {v.slug for v in sites}
    assert list(first.context["rows"]) == whole[:2]
    assert list(second.context["rows"]) == whole[2:]  # ranks as in the whole list
    assert 'rel="prev"' in second.content.decode()
    assert client.get("/scorecard/?period=2026&page=3").status_code == 404
    assert client.get("/scorecard/?period=2026&page=x").status_code == 400
    # Anonymous readers still see published cards only, paged alike.
    anonymous = client_for().get("/scorecard/?period=2026")
    assert anonymous.status_code == 200 and list(anonymous.context["rows"]) == []


def test_one_village_uses_the_overview_queries(make_village):
    worked, author, _ = worked_village(make_village)
    _sites(make_village, 2, author)
    live = scorecard.live_scorecard(village=worked, period=Y2026)
    rows = {
        r["village"]: r
        for r in scorecard.compute_overview(period=Y2026, live_ids=None)
        if r["village"] == worked.slug
    }
    assert live["results"]["composite"] == rows[worked.slug]["composite"]
    assert live["results"]["composite"] is not None


def test_a_verified_recording_changes_the_next_read(make_village, amo):
    """Recordings are outside the data apps of the map's ETags: the scorecard's own version
    must drop the cached overview when a soundscape is verified."""
    import datetime
    import uuid

    from django.contrib.gis.geos import Point
    from django.utils import timezone

    from recordings.models import Recording

    (v,) = _sites(make_village, 1, make_user("author"))

    def ndsi():
        row = scorecard.scorecards_for(user=amo, period=Y2026)[0]
        return next(i["value"] for i in row["indicators"] if i["code"] == "env.soundscape_ndsi")

    assert ndsi() is None
    recording = Recording.objects.create(
        client_uuid=uuid.uuid4(),
        village=v,
        author=amo,
        slug="dawn",
        kind="soundscape",
        title_en="Dawn",
        place=Point(128.2, -3.7, srid=4326),
        recorded_at=datetime.datetime(2026, 5, 10, 5, 45, tzinfo=timezone.get_current_timezone()),
        duration_s=120,
        status="submitted",
        processing="ready",
        ndsi=0.4,
        original="recordings/x.orig",
    )
    assert ndsi() is None
    recording.status = "verified"
    recording.save()
    assert ndsi() == pytest.approx(0.4)
