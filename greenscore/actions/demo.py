"""Demo data for the coordinators' log: species, demo accounts, a season of verified actions.

Loaded once per database (villages.models.DatasetLoad) by `manage.py load_demo`.
Everything goes through the real services, so the demo data passes the same
rules as a coordinator's log and leaves the same audit trail.

The demo accounts get unusable passwords: nobody can sign in as them until an
operator sets a password, e.g.
    manage.py grant_role demo-coordinator coordinator --village amahusu --password ...
    manage.py grant_role demo-reviewer reviewer --password ...
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import transaction
from django.utils import timezone

from villages import logs, roles
from villages.logs.models import LogStatus
from villages.models import DatasetLoad, Village

from ..logkinds import ACTIONS
from .models import Species

DATASET = "greenscore_demo_actions"
DEMO_NAMESPACE = uuid.UUID("0b6f7e3a-2d4c-4b8e-a1f3-5c9d8e7f6a21")  # fixed: stable demo UUIDs
SEASON = (datetime.date(2026, 1, 1), datetime.date(2026, 11, 30))

# Local and scientific names with wood densities (g/cm³). The names follow the
# project's context notes; the scientific names of bambu tui and gomu and all
# densities are ASSUMPTIONS (plausible literature values, rounded) to be
# confirmed with Unpatti's forestry department before any carbon figure is published.
SPECIES = [
    # bambu tui: the small Moluccan bamboo of the suling; Schizostachyum assumed.
    ("bambu tui", "Schizostachyum brachycladum", "suling", 0.60),
    # titi: tifa and rebana wood.
    ("titi", "Gmelina moluccana", "tifa", 0.45),
    ("nangka", "Artocarpus heterophyllus", "", 0.61),
    ("sukun", "Artocarpus altilis", "", 0.33),
    # gomu: identity unconfirmed; Pterocarpus indicus (linggua) assumed.
    ("gomu", "Pterocarpus indicus", "other", 0.52),
    ("mangrove (bakau)", "Rhizophora apiculata", "", 0.88),
]

# Per village: which clean-up happens where, and the species its plantings use.
VILLAGES = {
    "amahusu": {
        "cleanup_note": "Beach clean-up, Amahusu shore",
        "trees": ["titi", "nangka", "sukun", "gomu"],
    },
    "dusun-tuni": {
        "cleanup_note": "River clean-up below the MBO base",
        "trees": ["titi", "nangka"],
    },
}


def ensure_species() -> dict[str, Species]:
    found = {}
    for local, scientific, use, density in SPECIES:
        species, _ = Species.objects.get_or_create(
            scientific_name=scientific,
            defaults={"local_name": local, "instrument_use": use, "wood_density_g_cm3": density},
        )
        found[local] = species
    return found


def _offset(centre: Point, dx: float, dy: float) -> tuple[float, float]:
    return round(centre.x + dx, 6), round(centre.y + dy, 6)


def _square(centre: Point, dx: float, dy: float, half: float = 0.0002) -> Polygon:
    x, y = _offset(centre, dx, dy)
    return Polygon.from_bbox((x - half, y - half, x + half, y + half))


def _season_plan(village: Village, species: dict) -> list[dict]:
    """Three actions a month per village: a planting, a clean-up and a music session."""
    plan = []
    centre = village.centre
    spec = VILLAGES[village.slug]
    for month in range(1, 12):
        wobble = (month % 5 - 2) * 0.0006  # spread the sites over the village
        planting_is_bamboo = month % 3 == 1
        tree = species[spec["trees"][month % len(spec["trees"])]]
        count = 20 + (month * 7) % 30
        plan.append(
            {
                "kind": "bamboo_planting" if planting_is_bamboo else "tree_planting",
                "date": datetime.date(2026, month, 8),
                "geometry": _square(centre, wobble, 0.0008),
                "species": [(species["bambu tui"] if planting_is_bamboo else tree, count)],
                "quantity": Decimal(count),
                "unit": "seedlings",
                "participants_total": 10 + month % 6,
                "participants_women": 4,
                "participants_youth": 5,
                "participants_visitors": month % 3,
                "volunteer_hours": Decimal(2 * (10 + month % 6)),
                "notes": "Music Forest planting"
                if village.slug == "amahusu"
                else "Planting on the slopes of Gunung Soya",
            }
        )
        a, b = _offset(centre, -0.001, wobble), _offset(centre, 0.0005, wobble + 0.0007)
        plan.append(
            {
                "kind": "cleanup",
                "date": datetime.date(2026, month, 15),
                "geometry": LineString([a, b]),
                "quantity": Decimal(35 + (month * 13) % 40) + Decimal("0.5"),
                "unit": "kg",
                "participants_total": 15 + month % 7,
                "participants_women": 7,
                "participants_youth": 8,
                "participants_visitors": 2,
                "volunteer_hours": Decimal(3 * (15 + month % 7)),
                "notes": spec["cleanup_note"],
            }
        )
        plan.append(
            {
                "kind": "music_session",
                "date": datetime.date(2026, month, 22),
                "geometry": Point(*_offset(centre, 0.0002, -0.0002)),
                "quantity": Decimal(1),
                "unit": "sessions",
                "participants_total": 25 + month % 10,
                "participants_women": 11,
                "participants_youth": 18,
                "participants_visitors": month % 4,
                "volunteer_hours": Decimal(2 * (25 + month % 10)),
                "notes": "Suling lesson in the Music Forest"
                if village.slug == "amahusu"
                else "MBO rehearsal with the school",
            }
        )
    for item in plan:
        item["geometry"].srid = 4326
    return plan


def load_demo_actions():
    """Generator of report lines; loads once per database."""
    if DatasetLoad.objects.filter(name=DATASET).exists():
        yield "actions: already loaded"
        return
    villages = {v.slug: v for v in Village.objects.filter(slug__in=VILLAGES, centre__isnull=False)}
    if not villages:
        yield "actions: skipped (Amahusu and Dusun Tuni are not loaded)"
        return
    today = timezone.localdate()
    with transaction.atomic():
        species = ensure_species()
        coordinator, _ = roles.ensure_user(username="demo-coordinator")
        reviewer, _ = roles.ensure_user(username="demo-reviewer")
        roles.grant_reviewer(user=reviewer)
        created = 0
        to_verify = []
        for slug, village in villages.items():
            roles.grant_coordinator(user=coordinator, village=village)
            for n, item in enumerate(_season_plan(village, species)):
                if item["date"] > today:
                    continue
                data = {
                    "client_uuid": uuid.uuid5(DEMO_NAMESPACE, f"{slug}-{n}"),
                    "village": village,
                    **item,
                }
                action, new = ACTIONS.create(coordinator, data)
                created += new
                # The last month stays in AMO's queue, so the review page has work to show.
                if action.status == LogStatus.SUBMITTED and item["date"].month < SEASON[1].month:
                    to_verify.append(action)
        logs.review_logs(logs=to_verify, reviewer=reviewer, decision="verify")
        DatasetLoad.objects.create(name=DATASET, checksum=f"{len(SPECIES)}-{created}")
    yield (
        f"actions: {len(species)} species, {created} actions ({len(to_verify)} verified) "
        "for demo-coordinator (no password: set one with grant_role)"
    )
    yield from _tourism_logs(villages=villages, author=coordinator, reviewer=reviewer)


def _tolerant(kind, *, author, data):
    """Create one demo log; the tourism demo's data may not fit our rules (then skip it)."""
    from django.core.exceptions import ValidationError

    try:
        with transaction.atomic():
            return kind.create(author, data)
    except (ValidationError, logs.LogConflict):
        return None, False


def _tourism_logs(*, villages, author, reviewer):
    """Guest stays and event reports, only where the tourism demo made homestays and events."""
    from tourism.logkinds import EVENT_REPORTS, GUEST_STAYS
    from tourism.models import Event, Homestay

    today = timezone.localdate()
    stays = reports = 0
    verify = []
    for slug, village in villages.items():
        homestays = list(Homestay.objects.filter(village=village).order_by("id")[:2])
        events = list(
            Event.objects.filter(village=village, starts_at__date__lte=today).order_by("starts_at")[
                :6
            ]
        )
        for month in range(1, 12):
            day = datetime.date(2026, month, 12)
            if day > today:
                continue
            for h, homestay in enumerate(homestays):
                stay, new = _tolerant(
                    GUEST_STAYS,
                    author=author,
                    data={
                        "client_uuid": uuid.uuid5(DEMO_NAMESPACE, f"stay-{slug}-{h}-{month}"),
                        "village": village,
                        "homestay": homestay,
                        "date": day,
                        "nights": 1 + month % 3,
                        "guests_domestic": 1 + month % 3,
                        "guests_foreign": month % 2,
                        "revenue_idr": 250_000 * (1 + month % 3) * (1 + month % 3 + month % 2),
                        "notes": "",
                    },
                )
                stays += new
                if stay is not None:
                    verify.append(stay)
        for e, event in enumerate(events):
            report, new = _tolerant(
                EVENT_REPORTS,
                author=author,
                data={
                    "client_uuid": uuid.uuid5(DEMO_NAMESPACE, f"report-{slug}-{e}"),
                    "village": village,
                    "kind": "event",
                    "event": event,
                    "date": timezone.localtime(event.starts_at).date(),
                    "audience": 60 + 15 * e,
                    "local_performers_paid": 8,
                    "participants_youth": 12,
                    "participants_women": 9,
                    "revenue_idr": 1_000_000 + 250_000 * e,
                    "notes": "",
                },
            )
            reports += new
            if report is not None:
                verify.append(report)
    with transaction.atomic():
        for log in verify:
            if log.status == LogStatus.SUBMITTED and log.date < today.replace(day=1):
                logs.review_logs(logs=[log], reviewer=reviewer, decision="verify")
    if not stays and not reports:
        yield "guest stays and event reports: skipped (no demo homestays or events in Amahusu or Dusun Tuni)"
    else:
        yield f"guest stays: {stays}, event reports: {reports}"
