"""Roles: memberships, reviewers, grant_role, sign-in pages, lockout after failed sign-ins."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from villages import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(make_village):
    return make_village("Alpha", slug="alpha")


def test_grant_role_creates_a_coordinator(alpha, capsys):
    call_command(
        "grant_role",
        "maria",
        "coordinator",
        "--village",
        "alpha",
        "--password",
        "tifa-and-suling-2026",
    )
    user = get_user_model().objects.get(username="maria")
    assert user.check_password("tifa-and-suling-2026")
    assert roles.coordinated_village_ids(user) == {alpha.pk}
    assert not roles.is_reviewer(user)
    assert "coordinator of alpha" in capsys.readouterr().out


def test_grant_role_is_idempotent_and_keeps_the_password(alpha):
    call_command(
        "grant_role",
        "maria",
        "coordinator",
        "--village",
        "alpha",
        "--password",
        "tifa-and-suling-2026",
    )
    call_command("grant_role", "maria", "coordinator", "--village", "alpha", "--no-input")
    user = get_user_model().objects.get(username="maria")
    assert user.village_memberships.count() == 1
    assert user.check_password("tifa-and-suling-2026")


def test_grant_role_reviewer_prompts_for_a_password(monkeypatch):
    answers = iter(["gong-and-totobuang-9", "gong-and-totobuang-9"])
    monkeypatch.setattr(
        "villages.management.commands.grant_role.getpass", lambda prompt: next(answers)
    )
    call_command("grant_role", "amo", "reviewer")
    user = get_user_model().objects.get(username="amo")
    assert roles.is_reviewer(user) and user.is_staff and not user.is_superuser
    assert user.check_password("gong-and-totobuang-9")
    assert user.has_perm("villages.view_auditentry")
    assert not user.has_perm("villages.change_auditentry")


def test_grant_role_without_password_leaves_it_unusable():
    call_command("grant_role", "amo", "reviewer", "--no-input")
    assert not get_user_model().objects.get(username="amo").has_usable_password()


def test_grant_role_errors(alpha):
    with pytest.raises(CommandError, match="--village"):
        call_command("grant_role", "x", "coordinator", "--no-input")
    with pytest.raises(CommandError, match="No village"):
        call_command("grant_role", "x", "coordinator", "--village", "atlantis", "--no-input")
    with pytest.raises(CommandError):
        call_command("grant_role", "x", "reviewer", "--password", "123")  # too weak
    assert not get_user_model().objects.filter(username="x").exists()


def test_permission_functions(make_village, django_user_model):
    a, b = make_village("A", slug="a"), make_village("B", slug="b", lon=128.3)
    coord = django_user_model.objects.create_user("c")
    roles.grant_coordinator(user=coord, village=a)
    other = django_user_model.objects.create_user("o")
    roles.grant_coordinator(user=other, village=a)
    assert roles.can_file_for(coord, a) and not roles.can_file_for(coord, b)

    class Log:
        village_id, author_id, status = a.pk, coord.pk, "submitted"

    assert roles.can_edit(coord, Log) and not roles.can_edit(other, Log)
    Log.status = "verified"
    assert not roles.can_edit(coord, Log)
    assert roles.edit_refusal(coord, Log) == (409, "verified")
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert (
        not roles.can_file_for(anon, a)
        and not roles.can_review(anon)
        and not roles.can_review(coord)
    )


@pytest.mark.parametrize("lang,text", [("en", "Sign in"), ("id", "Masuk")])
def test_sign_in_page_in_both_languages(client, lang, text):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    if lang == "en":
        assert text in response.content.decode()


def test_sign_in_and_out(client, django_user_model):
    django_user_model.objects.create_user("maria", password="tifa-and-suling-2026")
    response = client.post(
        "/accounts/login/", {"username": "maria", "password": "tifa-and-suling-2026"}
    )
    assert response.status_code == 302
    assert client.get("/coordinator/").status_code in (200, 403)
    assert client.post("/accounts/logout/").status_code in (200, 302)
    assert client.get("/coordinator/").status_code == 302


def test_lockout_after_five_failures(client, django_user_model):
    django_user_model.objects.create_user("maria", password="tifa-and-suling-2026")
    for _ in range(5):
        response = client.post(
            "/accounts/login/",
            {"username": "maria", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 429
    locked = client.post(
        "/accounts/login/",
        {"username": "maria", "password": "tifa-and-suling-2026"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    token = client.post(
        "/api/v1/auth/token/", {"username": "maria", "password": "tifa-and-suling-2026"}
    )
    assert token.status_code == 429
    assert token.json()["code"] == "locked_out" and "token" not in token.json()


def test_lockout_counts_token_failures_too(client, django_user_model):
    django_user_model.objects.create_user("maria", password="tifa-and-suling-2026")
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "maria", "password": "wrong"})
    response = client.post(
        "/api/v1/auth/token/", {"username": "maria", "password": "tifa-and-suling-2026"}
    )
    assert response.status_code == 429
    assert "token" not in response.json()


def test_a_success_resets_the_count(client, django_user_model):
    django_user_model.objects.create_user("maria", password="tifa-and-suling-2026")
    for _ in range(4):
        client.post("/accounts/login/", {"username": "maria", "password": "wrong"})
    assert (
        client.post(
            "/accounts/login/", {"username": "maria", "password": "tifa-and-suling-2026"}
        ).status_code
        == 302
    )
    client.post("/accounts/logout/")
    for _ in range(4):
        client.post("/accounts/login/", {"username": "maria", "password": "wrong"})
    assert (
        client.post(
            "/accounts/login/", {"username": "maria", "password": "tifa-and-suling-2026"}
        ).status_code
        == 302
    )


def test_password_reset_sends_a_link(client, django_user_model):
    django_user_model.objects.create_user(
        "maria", email="maria@example.org", password="tifa-and-suling-2026"
    )
    response = client.post(
        "/accounts/password_reset/", {"email": "maria@example.org"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
