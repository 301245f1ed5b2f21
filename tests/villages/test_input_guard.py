"""The input guard (villages.input_guard): the rule, the middleware and DRF's parsers."""

import io

import pytest

from villages.input_guard import json_problems, pairs_problems, text_problem

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def keep_language():
    """Requests activate the language they ask for; leave the one found for the next test."""
    from django.utils import translation

    language = translation.get_language()
    yield
    if language:
        translation.activate(language)


@pytest.mark.parametrize(
    "text,allowed",
    [
        ("Negeri Amahusu", True),
        ("two\nlines\r\nand\ta tab", True),
        ("suling · tifa · totobuang ✓ 🎵", True),
        ("a\x00b", False),
        ("bell\x07", False),
        ("escape\x1b[31m", False),
        ("delete\x7f", False),
        ("c1 control\x85", False),
        ("lone \ud800 surrogate", False),
    ],
)
def test_the_rule(text, allowed):
    assert (text_problem(text) is None) is allowed


def test_json_problems_name_the_path():
    data = {
        "village": "ok",
        "species": [{"species": "fine"}, {"species": "bad\x00", "count": 3}],
        "geometry": {"type": "Point\x01"},
        "ke\x00y": "value",
        "deep": [[[["\ud83d"]]]],
    }
    assert sorted(json_problems(data)) == [
        "deep[0][0][0][0]",
        "geometry.type",
        "ke\\u0000y",
        "species[1].species",
    ]
    assert json_problems(["ok", 1, None, True, 2.5]) == {}
    assert list(json_problems("\x00")) == ["non_field_errors"]


def test_json_problems_walk_any_depth_without_recursion():
    deep = "\x00"
    for _ in range(5000):
        deep = [deep]
    assert list(json_problems(deep)) == ["[0]" * 5000]


def test_pairs_problems_check_names_and_every_value():
    from django.utils import translation

    with translation.override("en"):
        errors = pairs_problems([("village", ["ok", "bad\x00"]), ("na\x00me", ["x"])])
    assert list(errors) == ["village", "na\\u0000me"]
    assert "parameter name" in errors["na\\u0000me"][0]


@pytest.mark.django_db
def test_a_page_form_with_a_nul_is_a_readable_400(client):
    response = client.post("/accounts/login/", {"username": "amo\x00", "password": "x"}, **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<dt>username</dt>" in body and "NUL" in body
    assert "password" not in body.split("<dl")[1].split("</dl>")[0]


@pytest.mark.django_db
def test_a_control_character_in_the_path_is_a_400(client):
    response = client.get("/api/v1/villages/amahusu%01/", **EN)
    assert response.status_code == 400
    assert "control character" in " ".join(response.json()["address"])


@pytest.mark.django_db
def test_a_multipart_form_field_with_a_nul(client, django_user_model):
    from villages import roles

    reviewer = django_user_model.objects.create_user("ina", password="pw-ina-12345")
    roles.grant_reviewer(user=reviewer)
    client.force_login(reviewer)
    handle = io.BytesIO(b"village,kind,date\n")
    handle.name = "actions.csv"
    response = client.post("/review/import/", {"file": handle, "dry_run": "on\x00"}, **EN)
    assert response.status_code == 400
    assert "<dt>dry_run</dt>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body,field",
    [
        (b'{"username": "amo\\u0000", "password": "x"}', "username"),
        (b'{"username": "amo", "password": "\\ud800"}', "password"),
        (b'{"username": "amo", "pass\\u0001word": "x"}', "pass\\u0001word"),
    ],
)
def test_json_bodies_pass_the_guard(client, body, field):
    response = client.post("/api/v1/auth/token/", body, content_type="application/json", **EN)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_a_raw_control_byte_in_json_is_a_parse_error(client):
    response = client.post(
        "/api/v1/auth/token/",
        b'{"username": "a\x01", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_messages_in_indonesian(client):
    response = client.get("/api/v1/action-sites/?village=a%00", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    expected = "Hapus karakter NUL (\\u0000): teks tidak boleh memuatnya."
    assert response.json()["village"] == [expected]
