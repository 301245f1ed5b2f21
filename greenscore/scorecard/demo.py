"""Demo data for the scorecard: references and survey values for Amahusu and Dusun Tuni,
Music Forest plots with two censuses, and a 2026 season of verified logs where none exist.

Called from GreenscoreConfig.load_demo. Loaded once per database (DatasetLoad
"scorecard_demo"); existing rows are never overwritten (get_or_create only). All values are
invented for demonstration and say so in their source/notes.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point, Polygon
from django.db import transaction

from tourism.models import EventReport, GuestStay, Homestay
from villages.logs.models import LogStatus
from villages.models import DatasetLoad, Village

from ..actions.models import ActionSpecies, ConservationAction, Species
from .indicators import seed_catalogue
from .models import (
    Indicator,
    IndicatorValue,
    Plot,
    TreeMeasurement,
    VillageIndicator,
)

DATASET = "scorecard_demo"
DEMO_NOTE = "Demo data (invented for the first start), not survey data."
NS = uuid.UUID("6f1d2c3e-5b8a-4c1e-9d2f-50d0f6a7e001")  # stable client UUIDs: reruns match

SPECIES = [  # scientific name, local name, instrument use, wood density g/cm3
    # Same names and (assumed, to be confirmed with Unpatti) densities as the coordinators'
    # demo in greenscore/demo.py, so whichever loader runs first, no duplicates appear.
    ("Artocarpus heterophyllus", "nangka", "", 0.61),
    ("Artocarpus altilis", "sukun", "", 0.33),
    ("Gmelina moluccana", "titi", "tifa", 0.45),
    ("Schizostachyum brachycladum", "bambu tui", "suling", 0.60),
]

# Per-village references (annual): code -> (baseline, target, weight or None)
REFERENCES = {
    "amahusu": {
        "env.seedlings_planted": (100, 1200, None),
        "env.carbon_stock_tco2e": (1.6, 3.2, None),
        "econ.guest_nights": (40, 400, None),
        "soc.community_satisfaction_ikm": (70, 88, None),
        "econ.tourism_revenue_idr": (5_000_000, 60_000_000, None),
    },
    "dusun-tuni": {
        "env.seedlings_planted": (100, 800, None),
        "econ.guest_nights": (20, 300, None),
        "soc.event_audience": (800, 4000, 1.5),
        "econ.local_performers_paid": (40, 250, 1.5),
        "soc.events_held": (2, 20, None),
    },
}
ENTERED = {  # code -> value for 2026
    "amahusu": {
        "soc.community_satisfaction_ikm": 82.4,
        "econ.sroi_ratio": 2.3,
        "soc.visitor_satisfaction_pct": 86.0,
    },
    "dusun-tuni": {
        "soc.community_satisfaction_ikm": 79.1,
        "econ.sroi_ratio": 1.7,
        "soc.visitor_satisfaction_pct": 91.0,
    },
}


ENTERED_2025 = {  # the year before: a little lower, so the trend has somewhere to go
    "amahusu": {
        "soc.community_satisfaction_ikm": 76.0,
        "econ.sroi_ratio": 1.6,
        "soc.visitor_satisfaction_pct": 80.0,
    },
    "dusun-tuni": {
        "soc.community_satisfaction_ikm": 74.5,
        "econ.sroi_ratio": 1.2,
        "soc.visitor_satisfaction_pct": 85.0,
    },
}
PUBLISHED_DATASET = "scorecard_demo_2025"


def _uuid(*parts) -> uuid.UUID:
    return uuid.uuid5(NS, "/".join(str(p) for p in parts))


def _square(lon: float, lat: float, side_m: float) -> Polygon:
    centre = Point(lon, lat, srid=4326).transform(32752, clone=True)
    half = side_m / 2
    poly = Polygon.from_bbox((centre.x - half, centre.y - half, centre.x + half, centre.y + half))
    poly.srid = 32752
    return poly.transform(4326, clone=True)


def _species() -> dict[str, Species]:
    out = {}
    for scientific, local, use, rho in SPECIES:
        out[local] = Species.objects.get_or_create(
            scientific_name=scientific,
            defaults={"local_name": local, "instrument_use": use, "wood_density_g_cm3": rho},
        )[0]
    return out


def _references(village: Village, refs: dict, entered: dict, user) -> int:
    count = 0
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[*refs, *entered])}
    for code, (baseline, target, weight) in refs.items():
        count += VillageIndicator.objects.get_or_create(
            village=village,
            indicator=indicators[code],
            defaults={
                "baseline_value": baseline,
                "baseline_year": 2025,
                "target_value": target,
                "target_year": 2030,
                "weight": weight,
            },
        )[1]
    for code, value in entered.items():
        count += IndicatorValue.objects.get_or_create(
            village=village,
            indicator=indicators[code],
            period="2026",
            defaults={
                "value": value,
                "source": "Demo survey 2026",
                "note": DEMO_NOTE,
                "entered_by": user,
            },
        )[1]
    return count


def _plots(village: Village, species: dict) -> int:
    """Two 20 m x 20 m permanent plots in the Music Forest, censused in 2025 and 2026."""
    created = 0
    trees = [
        ("nangka", 14.0, 8.5),
        ("sukun", 18.0, 10.0),
        ("titi", 11.0, 9.0),
        ("titi", 16.5, 12.0),
        ("nangka", 9.5, 6.5),
        ("sukun", 21.0, 12.5),
        ("titi", 7.5, 6.0),
        ("nangka", 12.0, 7.5),
    ]
    for p, (lon, lat) in enumerate([(128.1372, -3.7262), (128.1389, -3.7275)], start=1):
        plot, new = Plot.objects.get_or_create(
            village=village,
            name=f"PUP Hutan Musik {p}",
            defaults={
                "polygon": _square(lon, lat, 20.0),
                "established": date(2025, 6, 1),
                "notes": DEMO_NOTE,
            },
        )
        created += new
        if not new:
            continue
        for census, growth in ((date(2025, 6, 15), 1.0), (date(2026, 6, 15), 1.08)):
            TreeMeasurement.objects.bulk_create(
                [
                    TreeMeasurement(
                        plot=plot,
                        census_date=census,
                        census_label=str(census.year),
                        tree_tag=f"P{p}-{i:02d}",
                        species=species[name],
                        dbh_cm=round(dbh * growth * (1 + p / 20), 1),
                        height_m=round(h * (1 + (growth - 1) / 2), 1),
                    )
                    for i, (name, dbh, h) in enumerate(trees, start=1)
                ]
            )
    return created


def _actions(village: Village, species: dict, user, scale: float, year: int = 2026) -> int:
    """A season: monthly plantings, clean-ups every other month, music sessions."""
    if ConservationAction.objects.filter(
        village=village, status=LogStatus.VERIFIED, date__year=year
    ).exists():
        return 0
    centre = village.centre or Point(128.14, -3.72, srid=4326)
    made = 0
    for month in range(1, 12 if year == 2026 else 13):
        plan = [("tree_planting", 5), ("cleanup", 20)] if month % 2 else [("bamboo_planting", 12)]
        if month in (3, 8):
            plan.append(("music_session", 25))
        for kind, day in plan:
            total = int((14 + month) * scale)
            action = ConservationAction.objects.create(
                client_uuid=_uuid(village.slug, kind, month, *([year] if year != 2026 else [])),
                village=village,
                kind=kind,
                date=date(year, month, day),
                geometry=centre,
                status=LogStatus.VERIFIED,
                author=user,
                reviewed_by=user,
                quantity=round(35 * scale + month * 3, 1) if kind == "cleanup" else None,
                unit="kg" if kind == "cleanup" else "",
                participants_total=total,
                participants_women=int(total * 0.45),
                participants_youth=int(total * 0.3),
                participants_visitors=int(total * 0.1),
                volunteer_hours=total * 3,
                notes=DEMO_NOTE,
            )
            if kind == "tree_planting":
                ActionSpecies.objects.bulk_create(
                    [
                        ActionSpecies(
                            action=action, species=species["nangka"], count=int(40 * scale)
                        ),
                        ActionSpecies(
                            action=action, species=species["titi"], count=int(30 * scale)
                        ),
                        ActionSpecies(
                            action=action, species=species["sukun"], count=int(20 * scale)
                        ),
                    ]
                )
                ConservationAction.objects.filter(pk=action.pk).update(area_m2=600 * scale)
            elif kind == "bamboo_planting":
                ActionSpecies.objects.create(
                    action=action, species=species["bambu tui"], count=int(60 * scale)
                )
            made += 1
    return made


def _tourism(village: Village, user, scale: float, year: int = 2026) -> str:
    """Event reports, and guest stays only where the village has homestays (none are made)."""
    parts = []
    extra = [year] if year != 2026 else []  # 2026 keeps the UUIDs it was first loaded with
    verified = LogStatus.VERIFIED
    if not EventReport.objects.filter(village=village, status=verified, date__year=year).exists():
        for month in range(1, 12, 2):
            EventReport.objects.create(
                client_uuid=_uuid(village.slug, "event", month, *extra),
                village=village,
                author=user,
                date=date(year, month, 18),
                kind="performance",
                status=verified,
                reviewed_by=user,
                title=f"Suling & tifa {month:02d}/{year}",
                audience=int(220 * scale + 30 * month),
                local_performers_paid=int(18 * scale),
                participants_youth=int(12 * scale),
                participants_women=int(10 * scale),
                revenue_idr=int(2_500_000 * scale),
                notes=DEMO_NOTE,
            )
        parts.append("6 event reports")
    homestays = list(Homestay.objects.filter(village=village).order_by("pk")[:3])
    if (
        homestays
        and not GuestStay.objects.filter(
            village=village, status=LogStatus.VERIFIED, date__year=year
        ).exists()
    ):
        n = 0
        for month in range(1, 12):
            for k, homestay in enumerate(homestays):
                GuestStay.objects.create(
                    client_uuid=_uuid(village.slug, "stay", month, k, *extra),
                    village=village,
                    homestay=homestay,
                    author=user,
                    date=date(year, month, 3 + 7 * k),
                    nights=2 + (month + k) % 3,
                    guests_domestic=2,
                    guests_foreign=(month + k) % 2,
                    revenue_idr=450_000 * (2 + (month + k) % 3),
                    status=LogStatus.VERIFIED,
                    reviewed_by=user,
                    notes=DEMO_NOTE,
                )
                n += 1
        parts.append(f"{n} guest stays")
    elif not homestays:
        parts.append("no homestays, so no guest stays")
    return ", ".join(parts) or "tourism logs already there"


def _demo_author():
    """The account the demo's logs are filed by (cannot sign in)."""
    user, new = get_user_model().objects.get_or_create(
        username="sog-demo", defaults={"first_name": "Demo", "last_name": "coordinator"}
    )
    if new:
        user.set_unusable_password()
        user.save()
    return user


def load_scorecard_demo():
    """Yield report lines; load once per database."""
    created, kept = seed_catalogue(Indicator)
    yield f"indicators: {created} created, {kept} already there"
    if DatasetLoad.objects.filter(name=DATASET).exists():
        yield "scorecard demo: already loaded"
        return
    villages = {v.slug: v for v in Village.objects.filter(slug__in=["amahusu", "dusun-tuni"])}
    if len(villages) < 2:
        yield "scorecard demo: skipped (Amahusu and Dusun Tuni are not loaded)"
        return
    with transaction.atomic():
        user = _demo_author()
        species = _species()
        for slug, village in villages.items():
            refs = _references(village, REFERENCES[slug], ENTERED[slug], user)
            scale = 1.0 if slug == "amahusu" else 0.6
            actions = _actions(village, species, user, scale)
            plots = _plots(village, species) if slug == "amahusu" else 0
            tourism = _tourism(village, user, 1.0 if slug == "dusun-tuni" else 0.7)
            yield (
                f"{village.name}: {refs} references/values, {actions} actions, "
                f"{plots} plots, {tourism}"
            )
        DatasetLoad.objects.create(name=DATASET, checksum="v1")


def _entered(village: Village, values: dict, period: str, user) -> int:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(values))}
    return sum(
        IndicatorValue.objects.get_or_create(
            village=village,
            indicator=indicators[code],
            period=period,
            defaults={
                "value": value,
                "source": f"Demo survey {period}",
                "note": DEMO_NOTE,
                "entered_by": user,
            },
        )[1]
        for code, value in values.items()
    )


def load_season_2025():
    """Yield report lines: a smaller 2025 season of verified logs and survey values for
    Amahusu and Dusun Tuni (once per database), so a 2025 scorecard can be published."""
    if DatasetLoad.objects.filter(name=PUBLISHED_DATASET).exists():
        yield "2025 season: already loaded"
        return
    villages = {v.slug: v for v in Village.objects.filter(slug__in=["amahusu", "dusun-tuni"])}
    if len(villages) < 2:
        yield "2025 season: skipped (Amahusu and Dusun Tuni are not loaded)"
        return
    with transaction.atomic():
        user = _demo_author()
        species = _species()
        for slug, village in sorted(villages.items()):
            scale = 0.6 if slug == "amahusu" else 0.35
            actions = _actions(village, species, user, scale, year=2025)
            values = _entered(village, ENTERED_2025[slug], "2025", user)
            tourism = _tourism(village, user, 0.6 if slug == "dusun-tuni" else 0.4, year=2025)
            yield f"{village.name} 2025: {actions} actions, {values} survey values, {tourism}"
        DatasetLoad.objects.create(name=PUBLISHED_DATASET, checksum="v1")


def demo_publication_periods(today: date) -> list:
    """What the demo publishes: 2025, then each quarter (and the year) of 2026 that is over
    by ``today`` (a date in WIT)."""
    from .periods import Period

    periods = [Period("year", 2025)]
    periods += [q for q in (Period("quarter", 2026, n) for n in range(1, 5)) if q.end <= today]
    if Period("year", 2026).end <= today:
        periods.append(Period("year", 2026))
    return periods


def publish_demo_scorecards(*, today: date | None = None):
    """Yield report lines: publish, through the real publish service and as the demo AMO
    reviewer, every demo period of Amahusu and Dusun Tuni that has no published scorecard
    yet (what AMO published is never replaced)."""
    from django.utils import timezone

    from villages import roles

    from . import selectors as sel
    from . import services as scorecard

    today = today or timezone.localdate()  # TIME_ZONE is WIT
    reviewer = get_user_model().objects.filter(username="demo-reviewer").first()
    villages = list(Village.objects.filter(slug__in=["amahusu", "dusun-tuni"]).order_by("slug"))
    if reviewer is None or not roles.can_publish_scorecard(reviewer) or not villages:
        yield "published scorecards: skipped (no demo reviewer or no demo villages)"
        return
    made = []
    for period in demo_publication_periods(today):
        for village in villages:
            if sel.current_snapshot(village=village, period=period, aggregation="arithmetic"):
                continue
            if period.kind == "quarter" and village.slug in ENTERED:
                # The demo's quarterly visitor and community surveys (a little below the
                # year's value early on), so the social pillar has enough coverage.
                _entered(
                    village,
                    {
                        code: round(value - (4 - period.number) * 0.6, 1)
                        for code, value in ENTERED[village.slug].items()
                    },
                    period.label,
                    reviewer,
                )
            try:
                scorecard.publish(
                    village=village, period=period, aggregation="arithmetic", user=reviewer
                )
            except scorecard.ScorecardError as exc:
                yield f"published scorecards: {village.name} {period.label} skipped ({exc})"
                continue
            made.append(f"{village.slug} {period.label}")
    yield (
        f"published scorecards: {len(made)} ({', '.join(made)})"
        if made
        else "published scorecards: all demo periods already published"
    )
