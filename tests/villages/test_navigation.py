"""The shared header, error pages, where sign-in lands, the map's village menu, the stage label."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import translation

from villages import error_views, roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(make_village):
    return make_village("Alpha", slug="alpha")


@pytest.fixture
def coordinator(alpha):
    user = get_user_model().objects.create_user("maria", password="tifa-and-suling-2026")
    roles.grant_coordinator(user=user, village=alpha)
    return user


@pytest.fixture
def reviewer(db):
    user = get_user_model().objects.create_user("ina", password="gong-and-totobuang-9")
    roles.grant_reviewer(user=user)
    return user


def _client(language):
    client = Client()
    client.cookies["django_language"] = language
    return client


def _header(html):
    match = re.search(r'<header class="site-header">.*?</header>', html, re.S)
    assert match, "no site header"
    return match.group(0)


# --- sign-in lands by role ---------------------------------------------------------


@pytest.mark.parametrize("who,lands", [("reviewer", "/review/"), ("coordinator", "/coordinator/")])
def test_sign_in_lands_by_role(request, who, lands):
    user = request.getfixturevalue(who)
    password = {"reviewer": "gong-and-totobuang-9", "coordinator": "tifa-and-suling-2026"}[who]
    response = Client().post(
        "/accounts/login/", {"username": user.username, "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == lands
    assert response.status_code == 200


def test_sign_in_honours_next(coordinator):
    response = Client().post(
        "/accounts/login/?next=/events/", {"username": "maria", "password": "tifa-and-suling-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/events/"


def test_landing_of_a_user_without_a_role_is_the_map(db):
    user = get_user_model().objects.create_user("visitor", password="x-long-enough-9")
    assert roles.landing_url_name(user) == "home"
    client = Client()
    client.force_login(user)
    response = client.get("/accounts/start/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_reviewer_who_also_coordinates_lands_on_review(reviewer, alpha):
    roles.grant_coordinator(user=reviewer, village=alpha)
    assert roles.landing_url_name(reviewer) == "review:queue"


# --- the header ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,names",
    [
        ("en", ["Map", "Places", "Events", "Green Score", "Methodology", "Sign in"]),
        ("id", ["Peta", "Tempat", "Acara", "Skor Hijau", "Metodologi", "Masuk"]),
    ],
)
def test_header_links_and_language_names(demo_places, language, names):
    html = _client(language).get("/events/").content.decode()
    header = _header(html)
    for name in names:
        assert f">{name}</a>" in header, name
    assert 'href="/attractions/"' in header and 'href="/scorecard/methodology/"' in header
    options = re.findall(r"<option [^>]*>([^<]+)</option>", header)
    assert options == ["Bahasa Indonesia", "English"]  # never "Inggris"
    assert "<script>" not in header and " style=" not in header


def test_header_by_role(coordinator, reviewer):
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    header = _header(coordinator_client.get("/coordinator/").content.decode())
    assert 'href="/coordinator/"' in header and 'href="/review/"' not in header
    assert 'action="/accounts/logout/"' in header and "Masuk<" not in header
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    header = _header(reviewer_client.get("/review/").content.decode())
    assert 'href="/review/"' in header and 'action="/accounts/logout/"' in header


@pytest.mark.parametrize(
    "path", ["/", "/villages/amahusu/", "/scorecard/methodology/", "/accounts/login/", "/events/"]
)
def test_every_page_uses_the_one_header(demo_places, path):
    html = Client().get(path).content.decode()
    assert html.count('<header class="site-header">') == 1
    assert 'id="site-menu"' in html and "icons/favicon.svg" in html


# --- error pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,text", [("en", "Page not found"), ("id", "Halaman tidak ditemukan")]
)
def test_404_page_in_both_languages_with_the_header(demo_places, language, text):
    response = _client(language).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html and f'<html lang="{language}">' in html
    _header(html)


def test_404_for_a_missing_village_uses_the_page(demo_places):
    response = _client("id").get("/villages/atlantis/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_api_errors_stay_json(db):
    response = Client().get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Tidak ditemukan."}


@pytest.mark.parametrize("language,text", [("en", "Not allowed"), ("id", "Tidak diizinkan")])
def test_403_page_in_both_languages(coordinator, language, text):
    request = RequestFactory().get("/coordinator/secret/")
    request.user = coordinator
    with translation.override(language):
        response = error_views.permission_denied(request, PermissionError("no"))
    assert response.status_code == 403
    html = response.content.decode()
    assert text in html and '<header class="site-header">' in html
    assert 'action="/accounts/logout/"' in html  # rendered with the request: the user's menu


@pytest.mark.parametrize(
    "language,text", [("en", "Something went wrong"), ("id", "Terjadi kesalahan")]
)
def test_500_page_renders_without_a_request_context(db, language, text):
    request = RequestFactory().get("/somewhere/")  # no user, no session: nothing to lean on
    with translation.override(language):
        response = error_views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert text in html and '<header class="site-header">' in html
    assert 'href="/scorecard/"' in html  # the site's links are there
    assert "csrfmiddlewaretoken" not in html  # no form that could not work


def test_500_under_api_stays_json(db):
    response = error_views.server_error(RequestFactory().get("/api/v1/villages/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"


# --- village menu and stage label ----------------------------------------------------------


def test_map_village_menu_has_unique_clear_names(demo_places):
    from villages.selectors import village_choices

    labels = [v.choice_label for v in village_choices()]
    assert len(labels) == len(set(labels))
    assert "Nusaniwe (kelurahan)" in labels and "Nusaniwe (desa)" in labels
    assert "Urimessing (kelurahan)" in labels and "Urimessing (negeri)" in labels
    assert "Amahusu" in labels  # a unique name stays plain
    html = Client().get("/").content.decode()
    options = re.findall(
        r'<option value="[^"]+">([^<]+)</option>',
        html.split('name="village"')[1].split("</select>")[0],
    )
    assert len(options) == len(set(options)) == len(labels)


@pytest.mark.parametrize(
    "language,text,absent",
    [
        ("en", "Tourism stage: Developing", "berkembang"),
        ("id", "Tahap desa wisata: Berkembang", "developing"),
    ],
)
def test_village_page_stage_in_the_reader_language(demo_places, language, text, absent):
    from villages.models import Village

    Village.objects.filter(slug="amahusu").update(tourism_stage="berkembang")
    html = _client(language).get("/villages/amahusu/").content.decode()
    assert text in html
    assert absent not in html.split("<main", 1)[1].lower()


def test_favicon_ico_points_at_the_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/icons/favicon.svg")
