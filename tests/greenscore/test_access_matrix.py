"""The access matrix: anonymous, a user without a role, coordinator of A, coordinator of B,
AMO reviewer and administrator, against logs of village A and B, on every page and endpoint;
and the scorecard's live view, publish, confirm stage and entered values (with a staff user
who is not a reviewer: is_staff grants no AMO power)."""

import datetime
import io
import uuid

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from greenscore.models import ConservationAction
from tourism.models import Event, EventReport, GuestStay, Homestay

from .scorecard_factories import ensure_catalogue

pytestmark = pytest.mark.django_db
SUBJECTS = ["anon", "nobody", "coord_a", "coord_b", "reviewer", "admin"]
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def world(people, make_action, village_a, village_b, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people = {**people, "nobody": django_user_model.objects.create_user("nobody"), "anon": None}
    logs = {
        "action_a": make_action(),
        "action_b": make_action(village=village_b, author=people["coord_b"]),
        "verified_a": make_action(status="verified"),
    }
    for key, village in (("a", village_a), ("b", village_b)):
        c = village.centre
        homestay = Homestay.objects.create(
            village=village,
            name=f"Rumah {key}",
            slug=f"rumah-{key}",
            location=Point(c.x, c.y, srid=4326),
            rooms=2,
            beds=4,
            price_from_idr=250000,
        )
        start = timezone.now() - datetime.timedelta(days=3)
        event = Event.objects.create(
            village=village,
            title_id=f"Konser {key}",
            slug=f"konser-{key}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
        author = people[f"coord_{key}"]
        logs[f"stay_{key}"] = GuestStay.objects.create(
            client_uuid=uuid.uuid4(),
            village=village,
            date=datetime.date.today(),
            homestay=homestay,
            nights=2,
            guests_domestic=2,
            author=author,
        )
        logs[f"report_{key}"] = EventReport.objects.create(
            client_uuid=uuid.uuid4(),
            village=village,
            date=datetime.date.today(),
            event=event,
            audience=40,
            author=author,
        )
    return {"people": people, "logs": logs}


def api_client(world, who):
    client = APIClient()
    if world["people"][who] is not None:
        client.force_authenticate(world["people"][who])
    return client


def page_client(client, world, who):
    if world["people"][who] is not None:
        client.force_login(world["people"][who])
    return client


def expect(table, who, subjects=SUBJECTS):
    return table[subjects.index(who)]


API_READS = [
    # url, expected per subject: anon, nobody, coord_a, coord_b, reviewer, admin
    ("/api/v1/actions/{action_a}/", (401, 404, 200, 404, 200, 200)),
    ("/api/v1/actions/{action_b}/", (401, 404, 404, 200, 200, 200)),
    ("/api/v1/guest-stays/{stay_a}/", (401, 404, 200, 404, 200, 200)),
    ("/api/v1/guest-stays/{stay_b}/", (401, 404, 404, 200, 200, 200)),
    ("/api/v1/event-reports/{report_a}/", (401, 404, 200, 404, 200, 200)),
    ("/api/v1/event-reports/{report_b}/", (401, 404, 404, 200, 200, 200)),
]


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize("url,codes", API_READS, ids=[u for u, _ in API_READS])
def test_api_read(world, who, url, codes):
    ids = {k: v.pk for k, v in world["logs"].items()}
    assert api_client(world, who).get(url.format(**ids)).status_code == expect(codes, who)


LIST_EXPECT = {
    "anon": None,
    "nobody": set(),
    "coord_a": {"a"},
    "coord_b": {"b"},
    "reviewer": {"a", "b"},
    "admin": {"a", "b"},
}


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize("path", ["actions", "guest-stays", "event-reports"])
def test_api_list_is_scoped(world, who, path):
    response = api_client(world, who).get(f"/api/v1/{path}/")
    if who == "anon":
        assert response.status_code == 401
        return
    villages = {row["village"][0] for row in response.json()["results"]}  # "alpha" -> a
    assert villages == LIST_EXPECT[who]


API_WRITES = [
    ("patch", "/api/v1/actions/{action_a}/", {"notes": "x"}, (401, 404, 200, 404, 403, 200)),
    ("patch", "/api/v1/actions/{action_b}/", {"notes": "x"}, (401, 404, 404, 200, 403, 200)),
    ("patch", "/api/v1/actions/{verified_a}/", {"notes": "x"}, (401, 404, 409, 404, 409, 409)),
    ("delete", "/api/v1/actions/{action_a}/", None, (401, 404, 204, 404, 403, 204)),
    ("delete", "/api/v1/actions/{verified_a}/", None, (401, 404, 409, 404, 409, 409)),
    ("patch", "/api/v1/guest-stays/{stay_a}/", {"nights": 3}, (401, 404, 200, 404, 403, 200)),
    ("delete", "/api/v1/guest-stays/{stay_b}/", None, (401, 404, 404, 204, 403, 204)),
    (
        "patch",
        "/api/v1/event-reports/{report_a}/",
        {"audience": 41},
        (401, 404, 200, 404, 403, 200),
    ),
    ("delete", "/api/v1/event-reports/{report_b}/", None, (401, 404, 404, 204, 403, 204)),
]


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize(
    "method,url,body,codes", API_WRITES, ids=[f"{m} {u}" for m, u, _, _ in API_WRITES]
)
def test_api_write(world, who, method, url, body, codes):
    ids = {k: v.pk for k, v in world["logs"].items()}
    response = getattr(api_client(world, who), method)(url.format(**ids), body, format="json")
    assert response.status_code == expect(codes, who), response.content


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize(
    "slug,codes",
    [("alpha", (401, 400, 201, 400, 201, 201)), ("beta", (401, 400, 400, 201, 201, 201))],
)
def test_api_create_action(world, who, slug, codes, species, payload):
    response = api_client(world, who).post("/api/v1/actions/", payload(slug), format="json")
    assert response.status_code == expect(codes, who), response.content


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize(
    "slug,codes",
    [("alpha", (401, 400, 201, 400, 201, 201)), ("beta", (401, 400, 400, 201, 201, 201))],
)
def test_api_create_guest_stay_and_event_report(world, who, slug, codes):
    key = slug[0]
    stay = {
        "client_uuid": str(uuid.uuid4()),
        "village": slug,
        "date": YESTERDAY,
        "homestay": f"rumah-{key}",
        "nights": 1,
        "guests_foreign": 2,
        "revenue_idr": 500000,
    }
    report = {
        "client_uuid": str(uuid.uuid4()),
        "village": slug,
        "date": YESTERDAY,
        "kind": "performance",
        "title": "Suling at dusk",
        "audience": 30,
    }
    client = api_client(world, who)
    assert client.post("/api/v1/guest-stays/", stay, format="json").status_code == expect(
        codes, who
    )
    assert client.post("/api/v1/event-reports/", report, format="json").status_code == expect(
        codes, who
    )


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize(
    "key,codes",
    [
        ("action_a", (401, 404, 201, 404, 403, 201)),
        ("action_b", (401, 404, 404, 201, 403, 201)),
        ("verified_a", (401, 404, 409, 404, 409, 409)),
    ],
)
def test_api_photo_upload(world, who, key, codes):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "a.jpg"
    url = f"/api/v1/actions/{world['logs'][key].pk}/photos/"
    assert api_client(world, who).post(
        url, {"image": buffer}, format="multipart"
    ).status_code == expect(codes, who)


@pytest.mark.parametrize("who", SUBJECTS)
def test_public_action_sites_show_verified_only_to_everyone(world, who):
    response = api_client(world, who).get("/api/v1/action-sites/")
    assert response.status_code == 200
    ids = {f["id"] for f in response.json()["features"]}
    assert ids == {world["logs"]["verified_a"].pk}


PAGES = [
    ("get", "/coordinator/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/actions/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/guest-stays/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/event-reports/export.csv", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/actions/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/actions/{action_a}/", (302, 403, 200, 404, 200, 200)),
    ("get", "/coordinator/actions/{action_b}/", (302, 403, 404, 200, 200, 200)),
    ("get", "/coordinator/actions/{action_a}/edit/", (302, 403, 200, 404, 403, 200)),
    ("get", "/coordinator/actions/{verified_a}/edit/", (302, 403, 409, 404, 409, 409)),
    ("post", "/coordinator/actions/{action_a}/delete/", (302, 403, 302, 404, 403, 302)),
    ("get", "/coordinator/guest-stays/{stay_b}/edit/", (302, 403, 404, 200, 403, 200)),
    ("post", "/coordinator/event-reports/{report_b}/delete/", (302, 403, 404, 302, 403, 302)),
    ("get", "/coordinator/guest-stays/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/event-reports/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/actions/export.csv", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/guest-stays/{stay_a}/", (302, 403, 200, 404, 200, 200)),
    ("get", "/coordinator/guest-stays/{stay_b}/", (302, 403, 404, 200, 200, 200)),
    ("get", "/coordinator/event-reports/{report_a}/", (302, 403, 200, 404, 200, 200)),
    ("get", "/coordinator/event-reports/{report_b}/edit/", (302, 403, 404, 200, 403, 200)),
    ("get", "/coordinator/actions/{action_b}/delete/", (302, 403, 404, 200, 403, 200)),
    ("post", "/coordinator/actions/{verified_a}/delete/", (302, 403, 409, 404, 409, 409)),
    ("get", "/coordinator/nonsense/", (302, 403, 404, 404, 404, 404)),
    ("get", "/review/", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/guest-stays/{stay_b}/", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/event-reports/{report_a}/", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/?type=guest-stays", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/actions/{action_a}/", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/import/", (302, 403, 403, 403, 200, 200)),
    ("get", "/admin/villages/auditentry/", (302, 302, 302, 302, 200, 200)),
    ("get", "/admin/villages/auditentry/add/", (302, 302, 302, 302, 403, 403)),
]


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize("method,url,codes", PAGES, ids=[f"{m} {u}" for m, u, _ in PAGES])
def test_pages(client, world, who, method, url, codes):
    ids = {k: v.pk for k, v in world["logs"].items()}
    response = getattr(page_client(client, world, who), method)(url.format(**ids))
    assert response.status_code == expect(codes, who)


@pytest.mark.parametrize("who", SUBJECTS)
def test_review_decision(client, world, who):
    action = world["logs"]["action_a"]
    codes = (302, 403, 403, 403, 302, 302)
    response = page_client(client, world, who).post(
        "/review/decide/", {"type": "actions", "ids": [action.pk], "decision": "verify"}
    )
    assert response.status_code == expect(codes, who)
    action.refresh_from_db()
    assert (action.status == "verified") == (who in ("reviewer", "admin"))


@pytest.mark.parametrize("who", ["coord_a", "coord_b"])
def test_csv_export_holds_only_my_villages(client, world, who):
    response = page_client(client, world, who).get("/coordinator/actions/export.csv")
    text = b"".join(response.streaming_content).decode()
    mine, other = ("alpha", "beta") if who == "coord_a" else ("beta", "alpha")
    assert f",{mine}," in text and f",{other}," not in text


def test_coordinator_page_post_cannot_file_for_b(client, world, village_b):
    before = ConservationAction.objects.count()
    data = {
        "client_uuid": str(uuid.uuid4()),
        "village": village_b.pk,
        "kind": "cleanup",
        "date": YESTERDAY,
        "geometry": '{"type":"Point","coordinates":[128.3,-3.65]}',
        "quantity": "5",
        "unit": "kg",
        "participants_total": "1",
        "participants_women": "0",
        "participants_youth": "0",
        "participants_visitors": "0",
        "volunteer_hours": "1",
    }
    assert (
        page_client(client, world, "coord_a").post("/coordinator/actions/new/", data).status_code
        == 400
    )
    assert ConservationAction.objects.count() == before


# --- Scorecards: live view, publish, confirm stage, enter a value -----------------------
# Who: the public, the coordinator of the village, a coordinator of another village, an AMO
# reviewer, a staff user who is not a reviewer (is_staff opens the admin only) and a superuser.

SCORECARD_SUBJECTS = ["anon", "coord_a", "coord_b", "reviewer", "staff", "admin"]
LIVE = (False, True, False, True, False, True)  # may see village A's live scorecard
AMO = (False, False, False, True, False, True)  # may publish, confirm a stage, enter values


@pytest.fixture
def scorecard_world(people, make_action, django_user_model):
    ensure_catalogue()
    action = make_action(status="verified")  # village A has data, nothing is published
    staff = django_user_model.objects.create_user("staff", password="pw-staff-123", is_staff=True)
    return {
        "people": {**people, "staff": staff, "anon": None},
        "period": str(action.date.year),
    }


@pytest.mark.parametrize("who", SCORECARD_SUBJECTS)
def test_scorecard_live_view(client, scorecard_world, who):
    live = expect(LIVE, who, SCORECARD_SUBJECTS)
    period = scorecard_world["period"]
    c = page_client(client, scorecard_world, who)
    # Page: a live scorecard for those allowed; the others find nothing published.
    page = c.get(f"/scorecard/alpha/?period={period}")
    assert page.status_code == (200 if live else 404)
    assert (page.context["can_view_live"], page.context["can_publish"]) == (
        live,
        expect(AMO, who, SCORECARD_SUBJECTS),
    )
    # API detail: auto falls back to published (none here); view=live is refused.
    detail = c.get(f"/api/v1/scorecards/alpha/?period={period}")
    assert detail.status_code == (200 if live else 404)
    if live:
        assert detail.json()["status"] == "live"
    forced = c.get(f"/api/v1/scorecards/alpha/?period={period}&view=live")
    assert forced.status_code == (200 if live else 403)
    # API list: village A is listed, live, only for those allowed.
    rows = c.get(f"/api/v1/scorecards/?period={period}").json()["results"]
    statuses = {r["status"] for r in rows if r["village"] == "alpha"}
    assert statuses == ({"live"} if live else set())


@pytest.mark.parametrize("who", SCORECARD_SUBJECTS)
def test_scorecard_publish(client, scorecard_world, who, village_a):
    from greenscore.models import ScorecardSnapshot

    period = scorecard_world["period"]
    response = page_client(client, scorecard_world, who).post(
        "/scorecard/alpha/publish/", {"period": period, "aggregation": "arithmetic"}
    )
    amo = expect(AMO, who, SCORECARD_SUBJECTS)
    assert response.status_code == (302 if amo else 403)
    assert ScorecardSnapshot.objects.filter(village=village_a, period=period).exists() == amo
    # Once published, everyone reads it; those allowed still see it live.
    if amo:
        public = client.get(f"/api/v1/scorecards/alpha/?period={period}&view=published")
        assert public.status_code == 200 and public.json()["status"] == "published"


@pytest.mark.parametrize("who", SCORECARD_SUBJECTS)
def test_scorecard_confirm_stage(client, scorecard_world, who, village_a):
    response = page_client(client, scorecard_world, who).post(
        "/scorecard/alpha/stage/", {"stage": "maju", "period": scorecard_world["period"]}
    )
    amo = expect(AMO, who, SCORECARD_SUBJECTS)
    assert response.status_code == (302 if amo else 403)
    village_a.refresh_from_db()
    assert (village_a.tourism_stage == "maju") == amo


@pytest.mark.parametrize("who", SCORECARD_SUBJECTS)
def test_scorecard_enter_value(client, scorecard_world, who, village_a):
    from greenscore.models import Indicator, IndicatorValue

    indicator = Indicator.objects.get(code="soc.community_satisfaction_ikm")
    response = page_client(client, scorecard_world, who).post(
        "/scorecard/alpha/values/",
        {
            "indicator": indicator.code,
            "period": scorecard_world["period"],
            "value": "70",
            "source": "survey",
            "note": "",
        },
    )
    amo = expect(AMO, who, SCORECARD_SUBJECTS)
    assert response.status_code == (302 if amo else 403), response.content.decode()[-600:]
    assert IndicatorValue.objects.filter(village=village_a, indicator=indicator).exists() == amo


# --- A village's listings: coordinator pages (/coordinator/listings/) and AMO's publishing
# (/review/listings/). Who: anonymous, no role, coordinator of A (the listings' village),
# coordinator of B, AMO reviewer, superuser.


@pytest.fixture
def listings_world(people, village_a, village_b, django_user_model, settings, tmp_path):
    from django.contrib.gis.geos import LineString

    from tourism.models import Attraction, Photo, Trail

    settings.MEDIA_ROOT = tmp_path
    people = {**people, "nobody": django_user_model.objects.create_user("nobody"), "anon": None}
    objects = {}
    for key, village in (("a", village_a), ("b", village_b)):
        c = village.centre
        objects[f"homestay_{key}"] = Homestay.objects.create(
            village=village,
            name=f"Rumah {key}",
            slug=f"rumah-{key}",
            rooms=2,
            beds=4,
            location=Point(c.x, c.y, srid=4326),
            price_from_idr=250000,
            published=False,
        )
    c = village_a.centre
    objects["attraction_a"] = Attraction.objects.create(
        village=village_a,
        name="Sanggar",
        slug="sanggar",
        category="sanggar",
        location=Point(c.x, c.y, srid=4326),
    )
    start = timezone.now() + datetime.timedelta(days=3)
    objects["event_a"] = Event.objects.create(
        village=village_a,
        title_id="Konser",
        slug="konser",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    objects["trail_a"] = Trail.objects.create(
        village=village_a,
        name="Jalur",
        slug="jalur",
        path=LineString((c.x, c.y), (c.x + 0.001, c.y), srid=4326),
    )
    (tmp_path / "photos" / "thumbs").mkdir(parents=True)
    for name in ("photos/x.jpg", "photos/thumbs/x.jpg"):
        Image.new("RGB", (8, 8)).save(tmp_path / name, "JPEG")
    objects["photo_a"] = Photo.objects.create(
        subject=objects["homestay_a"], image="photos/x.jpg", thumbnail="photos/thumbs/x.jpg"
    )
    return {"people": people, "objects": objects}


LISTING_PAGES = [
    ("get", "/coordinator/listings/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/listings/attractions/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/listings/homestays/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/listings/events/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/listings/trails/new/", (302, 403, 200, 200, 200, 200)),
    ("get", "/coordinator/listings/nonsense/new/", (302, 403, 404, 404, 404, 404)),
    ("get", "/coordinator/listings/homestays/{homestay_a}/", (302, 403, 200, 404, 200, 200)),
    ("get", "/coordinator/listings/homestays/{homestay_b}/", (302, 403, 404, 200, 200, 200)),
    ("get", "/coordinator/listings/attractions/{attraction_a}/", (302, 403, 200, 404, 200, 200)),
    ("get", "/coordinator/listings/events/{event_a}/", (302, 403, 200, 404, 200, 200)),
    ("get", "/coordinator/listings/trails/{trail_a}/", (302, 403, 200, 404, 200, 200)),
    (
        "get",
        "/coordinator/listings/homestays/{homestay_a}/photos/{photo_a}/delete/",
        (302, 403, 405, 405, 405, 405),
    ),
    (
        "post",
        "/coordinator/listings/homestays/{homestay_a}/photos/{photo_a}/delete/",
        (302, 403, 302, 404, 302, 302),
    ),
    ("get", "/review/listings/", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/listings/?state=published", (302, 403, 403, 403, 200, 200)),
    ("get", "/review/listings/homestays/{homestay_a}/publish/", (302, 403, 403, 403, 405, 405)),
]


@pytest.mark.parametrize("who", SUBJECTS)
@pytest.mark.parametrize(
    "method,url,codes", LISTING_PAGES, ids=[f"{m} {u}" for m, u, _ in LISTING_PAGES]
)
def test_listing_pages(client, listings_world, who, method, url, codes):
    ids = {k: v.pk for k, v in listings_world["objects"].items()}
    response = getattr(page_client(client, listings_world, who), method)(url.format(**ids))
    assert response.status_code == expect(codes, who)


@pytest.mark.parametrize("who", SUBJECTS)
def test_listing_publish_and_unpublish(client, listings_world, who):
    homestay = listings_world["objects"]["homestay_a"]
    c = page_client(client, listings_world, who)
    url = f"/review/listings/homestays/{homestay.pk}/publish/"
    amo = who in ("reviewer", "admin")
    assert c.post(url, {"published": "1"}).status_code == expect(
        (302, 403, 403, 403, 302, 302), who
    )
    homestay.refresh_from_db()
    assert homestay.published is amo
    Homestay.objects.filter(pk=homestay.pk).update(published=True)
    c.post(url, {"published": "0"})
    homestay.refresh_from_db()
    assert homestay.published is not amo


@pytest.mark.parametrize("who", SUBJECTS)
def test_listing_edit_post(client, listings_world, who, village_a):
    homestay = listings_world["objects"]["homestay_a"]
    data = {
        "village": village_a.pk,
        "name": "Rumah a",
        "rooms": "2",
        "beds": "4",
        "price_from_idr": "300000",
        "location": homestay.location.json,
    }
    response = page_client(client, listings_world, who).post(
        f"/coordinator/listings/homestays/{homestay.pk}/", data
    )
    assert response.status_code == expect((302, 403, 302, 404, 302, 302), who)
    homestay.refresh_from_db()
    assert (homestay.price_from_idr == 300000) == (who in ("coord_a", "reviewer", "admin"))
    assert homestay.published is False  # an edit never publishes


@pytest.mark.parametrize("who", SUBJECTS)
def test_listing_create_in_village_a(client, listings_world, who, village_a):
    c = village_a.centre
    data = {
        "village": village_a.pk,
        "name": "Rumah Baru",
        "rooms": "1",
        "beds": "2",
        "price_from_idr": "100000",
        "location": f'{{"type": "Point", "coordinates": [{c.x}, {c.y}]}}',
    }
    response = page_client(client, listings_world, who).post(
        "/coordinator/listings/homestays/new/", data
    )
    # Coordinator of B: village A is not among their choices, a 400 naming the field.
    assert response.status_code == expect((302, 403, 302, 400, 302, 302), who)
    created = Homestay.objects.filter(name="Rumah Baru").first()
    assert (created is not None) == (who in ("coord_a", "reviewer", "admin"))
    assert created is None or created.published is False
