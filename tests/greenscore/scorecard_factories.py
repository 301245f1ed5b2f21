"""Small builders for scorecard tests: users, species, verified logs, plots."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point, Polygon

from greenscore.models import ActionSpecies, ConservationAction, Plot, Species, TreeMeasurement
from tourism.models import EventReport, GuestStay, Homestay


def make_user(username="coord", *, staff=False, amo=False):
    user = User.objects.create_user(username, password="x-Test-123", is_staff=staff)
    if amo:
        user.groups.add(Group.objects.get_or_create(name="AMO reviewers")[0])
    return user


def make_species(local, scientific, *, instrument_use="", density=0.6):
    return Species.objects.create(
        local_name=local,
        scientific_name=scientific,
        instrument_use=instrument_use,
        wood_density_g_cm3=density,
    )


def make_action(
    village,
    author,
    *,
    kind="tree_planting",
    day=date(2026, 5, 1),
    status="verified",
    species=(),
    quantity=None,
    unit="",
    area_m2=None,
    total=0,
    women=0,
    youth=0,
    visitors=0,
    hours=0,
):
    action = ConservationAction.objects.create(
        client_uuid=uuid.uuid4(),
        village=village,
        kind=kind,
        date=day,
        geometry=Point(128.14, -3.72, srid=4326),
        quantity=quantity,
        unit=unit,
        participants_total=total,
        participants_women=women,
        participants_youth=youth,
        participants_visitors=visitors,
        volunteer_hours=hours,
        status=status,
        rejection_reason="duplicate" if status == "rejected" else "",
        author=author,
    )
    if area_m2 is not None:  # not editable: computed by the logging service from a polygon
        ConservationAction.objects.filter(pk=action.pk).update(area_m2=area_m2)
    for sp, count in species:
        ActionSpecies.objects.create(action=action, species=sp, count=count)
    return action


def make_homestay(village, *, beds, slug=None):
    return Homestay.objects.create(
        village=village,
        name=slug or f"Homestay {beds}",
        slug=slug or f"hs-{uuid.uuid4().hex[:8]}",
        location=Point(128.14, -3.72, srid=4326),
        rooms=1,
        beds=beds,
        price_from_idr=150000,
    )


def make_stay(
    village, homestay, author, *, day, nights, domestic=0, foreign=0, revenue=0, status="verified"
):
    return GuestStay.objects.create(
        client_uuid=uuid.uuid4(),
        village=village,
        homestay=homestay,
        author=author,
        date=day,
        nights=nights,
        guests_domestic=domestic,
        guests_foreign=foreign,
        revenue_idr=revenue,
        status=status,
        rejection_reason="no" if status == "rejected" else "",
    )


def make_event_report(
    village,
    author,
    *,
    day,
    audience=0,
    performers=0,
    youth=0,
    women=0,
    revenue=0,
    status="verified",
):
    return EventReport.objects.create(
        client_uuid=uuid.uuid4(),
        village=village,
        author=author,
        date=day,
        kind="performance",
        title="Suling evening",
        audience=audience,
        local_performers_paid=performers,
        participants_youth=youth,
        participants_women=women,
        revenue_idr=revenue,
        status=status,
        rejection_reason="no" if status == "rejected" else "",
    )


def make_plot(village, *, name="PUP 1", lon=128.138, lat=-3.727, side_m=20.0):
    """A square plot of side_m metres, built in UTM 52S so its area is side_m**2."""
    centre = Point(lon, lat, srid=4326).transform(32752, clone=True)
    half = side_m / 2
    square = Polygon.from_bbox((centre.x - half, centre.y - half, centre.x + half, centre.y + half))
    square.srid = 32752
    return Plot.objects.create(
        village=village, name=name, polygon=square.transform(4326, clone=True)
    )


def make_tree(plot, *, tag, species, dbh, height, census=date(2025, 6, 1)):
    return TreeMeasurement.objects.create(
        plot=plot, census_date=census, tree_tag=tag, species=species, dbh_cm=dbh, height_m=height
    )


def set_targets(village, **targets):
    """Per-village targets by code (baselines stay the defaults)."""
    from greenscore.models import Indicator, VillageIndicator

    for code, target in targets.items():
        VillageIndicator.objects.update_or_create(
            village=village,
            indicator=Indicator.objects.get(code=code),
            defaults={"target_value": target},
        )


def enter_value(village, code, period, value):
    from greenscore.models import Indicator, IndicatorValue

    return IndicatorValue.objects.create(
        village=village,
        indicator=Indicator.objects.get(code=code),
        period=period,
        value=value,
        source="test survey",
    )


def worked_village(make_village):
    """The village worked by hand in docs and tests (period 2026, see test_scorecard.py)."""
    v = make_village("Worked", population=1000, slug="worked")
    user = make_user("worker")
    nangka = make_species("nangka", "Artocarpus heterophyllus")
    titi = make_species("titi", "Gmelina moluccana", instrument_use="tifa")
    make_action(
        v,
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
        v,
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
        v, user, day=date(2026, 5, 1), audience=300, performers=10, youth=6, revenue=1_000_000
    )
    homestay = make_homestay(v, beds=5)
    make_stay(
        v, homestay, user, day=date(2026, 6, 1), nights=4, domestic=2, foreign=1, revenue=3_000_000
    )
    set_targets(
        v,
        **{
            "env.seedlings_planted": 200,
            "env.instrument_species_planted": 80,
            "env.area_restored_m2": 1600,
            "env.waste_collected_kg": 100,
            "env.volunteer_hours": 90,
            "env.actions_verified": 4,
            "soc.events_held": 2,
            "soc.event_audience": 600,
            "soc.youth_participants": 24,
            "soc.resident_participation_pct": 4,
            "econ.guest_nights": 24,
            "econ.tourism_revenue_idr": 8_000_000,
            "econ.local_performers_paid": 20,
        },
    )
    enter_value(v, "soc.community_satisfaction_ikm", "2026", 74)
    enter_value(v, "econ.sroi_ratio", "2026", 2.0)
    return v, user, nangka


def ensure_catalogue():
    """Seed the indicator catalogue. The data migration seeds it, but a transactional test
    (browser tests on a live server) flushes every table, so scorecard tests re-seed."""
    from greenscore.models import Indicator
    from greenscore.scorecard.indicators import seed_catalogue

    seed_catalogue(Indicator)
