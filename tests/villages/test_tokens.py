"""API tokens: issue, reuse while valid, revoke on sign-out and on every kind of password
change; Token authentication on every API endpoint, scorecards included."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from villages import roles

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGS_URL = "/api/v1/actions/"
PASSWORD = "tifa-and-suling-2026"
NEW_PASSWORD = "gong-and-totobuang-9"


@pytest.fixture
def alpha(make_village):
    return make_village("Alpha", slug="alpha")


@pytest.fixture
def maria(alpha, django_user_model):
    user = django_user_model.objects.create_user(
        "maria", email="maria@example.org", password=PASSWORD
    )
    roles.grant_coordinator(user=user, village=alpha)
    return user


def sign_in(client=None, password=PASSWORD):
    response = (client or Client()).post(TOKEN_URL, {"username": "maria", "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def works(token) -> bool:
    """Whether the token is accepted on an endpoint that needs a signed-in user."""
    status = Client().get(LOGS_URL, HTTP_AUTHORIZATION=f"Token {token}").status_code
    assert status in (200, 401), status
    return status == 200


def test_sign_in_reuses_the_valid_token(maria):
    first = sign_in()
    assert sign_in() == first and works(first)
    assert Token.objects.filter(user=maria).count() == 1


def test_sign_out_revokes_that_token_and_the_next_sign_in_gets_a_new_one(maria):
    token = sign_in()
    response = Client().delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204 and response.content == b""
    assert not works(token)
    again = Client().delete(TOKEN_URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert again.status_code == 401
    fresh = sign_in()
    assert fresh != token and works(fresh)


@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Bearer abc"])
def test_sign_out_without_a_valid_token_is_401_json(maria, header):
    token = sign_in()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().delete(TOKEN_URL, HTTP_ACCEPT_LANGUAGE="en", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]
    assert works(token)  # nothing was revoked


def test_sign_out_needs_the_token_not_a_session(maria):
    token = sign_in()
    client = Client()
    client.force_login(maria)
    assert client.delete(TOKEN_URL).status_code == 401
    assert works(token)


def test_set_password_and_save_revokes(maria):
    token = sign_in()
    maria.set_password(NEW_PASSWORD)
    maria.save()
    assert not works(token)
    fresh = sign_in(password=NEW_PASSWORD)
    assert fresh != token and works(fresh)


def test_direct_hash_assignment_revokes(maria):
    from django.contrib.auth.hashers import make_password

    token = sign_in()
    user = get_user_model().objects.get(pk=maria.pk)
    user.password = make_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    assert not works(token)


def test_saves_without_a_password_change_keep_the_token(maria):
    token = sign_in()
    maria.email = "maria@village.example"
    maria.save()
    maria.first_name = "Maria"
    maria.save(update_fields=["first_name"])
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "maria", "password": PASSWORD}).status_code
        == 302
    )  # a page sign-in saves last_login
    assert works(token) and sign_in() == token


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(maria):
    md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
    old = "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"
    with override_settings(PASSWORD_HASHERS=[old, md5]):
        maria.set_password(PASSWORD)
        maria.save()
    token = Token.objects.create(user=maria).key
    maria.refresh_from_db()
    assert maria.password.startswith("pbkdf2_sha1$")
    with override_settings(PASSWORD_HASHERS=[md5, old]):
        # Signing in re-hashes the same password with the preferred hasher.
        assert (
            Client()
            .post("/accounts/login/", {"username": "maria", "password": PASSWORD})
            .status_code
            == 302
        )
        maria.refresh_from_db()
        assert maria.password.startswith("md5$")
        assert works(token) and sign_in() == token


def test_grant_role_password_revokes(maria):
    token = sign_in()
    call_command(
        "grant_role", "maria", "coordinator", "--village", "alpha", "--password", NEW_PASSWORD
    )
    assert not works(token)
    assert sign_in(password=NEW_PASSWORD) != token


def test_changepassword_command_revokes(maria, monkeypatch):
    token = sign_in()
    monkeypatch.setattr(
        "django.contrib.auth.management.commands.changepassword.getpass.getpass",
        lambda prompt="": NEW_PASSWORD,
    )
    call_command("changepassword", "maria")
    assert not works(token)


def test_password_reset_by_email_revokes(maria):
    token = sign_in()
    client = Client()
    client.post("/accounts/password_reset/", {"email": "maria@example.org"})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and "/reset/done/" in done["Location"]
    assert not works(token)
    assert sign_in(password=NEW_PASSWORD) != token


def test_password_change_page_revokes(maria):
    token = sign_in()
    client = Client()
    client.force_login(maria)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(token)


def test_admin_password_change_revokes(maria, django_user_model):
    token = sign_in()
    admin = django_user_model.objects.create_superuser("root", password="root-pw-12345")
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/admin/auth/user/{maria.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    maria.refresh_from_db()
    assert maria.check_password(NEW_PASSWORD)
    assert not works(token)


def test_an_inactive_users_token_is_refused(maria):
    token = sign_in()
    maria.is_active = False
    maria.save()
    assert not works(token)


# --- Token authentication on every endpoint -----------------------------------------


def api_views():
    """(route, view class) for every DRF view under /api/v1/."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "cls", None)
                if cls is not None:
                    found.append((prefix + str(p.pattern), cls))

    walk(get_resolver().url_patterns, "")
    return [(route, cls) for route, cls in found if route.startswith("api/v1/")]


def test_every_api_endpoint_accepts_tokens():
    views = api_views()
    assert len(views) >= 10  # villages, scorecards, tourism, the three logs, the token
    for route, cls in views:
        if route == "api/v1/auth/token/":
            continue  # signing in takes a password; signing out takes a token (tested above)
        assert TokenAuthentication in cls().authentication_classes, route


def test_scorecard_api_with_a_coordinators_token_is_live(maria, alpha):
    token = sign_in()
    url = f"/api/v1/scorecards/{alpha.slug}/?period=2026&view=live"
    anonymous = Client().get(url)
    assert anonymous.status_code == 403
    response = Client().get(url, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "live" and response.json()["village"] == alpha.slug


def test_scorecard_list_with_a_reviewers_token_is_live(django_user_model, alpha, maria):
    from datetime import date

    from tests.greenscore.scorecard_factories import ensure_catalogue, make_action

    ensure_catalogue()
    make_action(alpha, maria, day=date(2026, 5, 1), quantity=10, unit="seedlings")
    assert Client().get("/api/v1/scorecards/?period=2026").json()["results"] == []
    amo = django_user_model.objects.create_user("amo", password=PASSWORD)
    roles.grant_reviewer(user=amo)
    token = Client().post(TOKEN_URL, {"username": "amo", "password": PASSWORD}).json()["token"]
    response = Client().get(
        "/api/v1/scorecards/?period=2026&view=live", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert alpha.slug in [r["village"] for r in rows]
    assert all(r["status"] == "live" for r in rows)
