"""Factories for the coordinators' log tests: two villages, one user per role, species, payloads."""

import datetime
import uuid

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def village_a(make_village):
    return make_village("Alpha", slug="alpha", lon=128.20, lat=-3.70, size_deg=0.01)


@pytest.fixture
def village_b(make_village):
    return make_village("Beta", slug="beta", lon=128.30, lat=-3.65, size_deg=0.01)


@pytest.fixture
def people(db, village_a, village_b, django_user_model):
    """One user per role: coordinator of A, coordinator of B, AMO reviewer, administrator."""
    from villages import roles

    coord_a = django_user_model.objects.create_user("coord_a", password="pw-coord-a-123")
    coord_b = django_user_model.objects.create_user("coord_b", password="pw-coord-b-123")
    reviewer = django_user_model.objects.create_user("reviewer", password="pw-reviewer-123")
    admin = django_user_model.objects.create_superuser("admin", password="pw-admin-123")
    roles.grant_coordinator(user=coord_a, village=village_a)
    roles.grant_coordinator(user=coord_b, village=village_b)
    roles.grant_reviewer(user=reviewer)
    return {"coord_a": coord_a, "coord_b": coord_b, "reviewer": reviewer, "admin": admin}


@pytest.fixture
def species(db):
    from greenscore.models import Species

    return {
        "bambu": Species.objects.create(
            local_name="bambu tui",
            scientific_name="Schizostachyum brachycladum",
            instrument_use="suling",
            wood_density_g_cm3=0.6,
        ),
        "titi": Species.objects.create(
            local_name="titi",
            scientific_name="Gmelina moluccana",
            instrument_use="tifa",
            wood_density_g_cm3=0.45,
        ),
    }


@pytest.fixture
def api():
    """api(user) -> an APIClient signed in as that user (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def square(lon, lat, half=0.001):
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon - half, lat - half],
                [lon + half, lat - half],
                [lon + half, lat + half],
                [lon - half, lat + half],
                [lon - half, lat - half],
            ]
        ],
    }


@pytest.fixture
def payload():
    """payload(village_slug, **overrides) -> a valid bamboo planting for the village."""
    centres = {"alpha": (128.20, -3.70), "beta": (128.30, -3.65)}

    def make(slug="alpha", **overrides):
        lon, lat = centres.get(slug, (128.20, -3.70))
        body = {
            "client_uuid": str(uuid.uuid4()),
            "village": slug,
            "kind": "bamboo_planting",
            "date": (datetime.date.today() - datetime.timedelta(days=3)).isoformat(),
            "geometry": square(lon, lat),
            "species": [{"species": "Schizostachyum brachycladum", "count": 40}],
            "quantity": "40",
            "unit": "seedlings",
            "participants_total": 12,
            "participants_women": 5,
            "participants_youth": 6,
            "participants_visitors": 1,
            "volunteer_hours": "36",
            "notes": "Along the river bank",
        }
        body.update(overrides)
        return body

    return make


@pytest.fixture
def make_action(people, species, village_a, village_b):
    """make_action(village, author, status=...) -> a stored action through the service."""
    from django.contrib.gis.geos import GEOSGeometry

    from greenscore.logkinds import ACTIONS

    def make(village=None, author=None, status="submitted", **overrides):
        village = village or village_a
        author = author or people["coord_a"]
        c = village.centre
        data = {
            "client_uuid": uuid.uuid4(),
            "village": village,
            "kind": "tree_planting",
            "date": datetime.date.today() - datetime.timedelta(days=5),
            "geometry": GEOSGeometry(f"POINT({c.x} {c.y})", srid=4326),
            "species": [(species["titi"], 10)],
            "quantity": 10,
            "unit": "seedlings",
            "participants_total": 3,
        }
        data.update(overrides)
        action, _ = ACTIONS.create(author, data)
        if status != "submitted":
            type(action).objects.filter(pk=action.pk).update(
                status=status, rejection_reason="blurry photo" if status == "rejected" else ""
            )
            action.refresh_from_db()
        return action

    return make
