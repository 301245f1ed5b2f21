"""The actions API: create, retries stored once, conflicts, edits, deletes, photos, token auth."""

import io
import uuid

import pytest
from PIL import Image

from greenscore.models import ConservationAction
from villages.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions/"


def test_create_returns_201_and_stores_everything(api, people, species, payload):
    response = api(people["coord_a"]).post(URL, payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["village"] == "alpha" and body["status"] == "submitted"
    assert body["species"][0]["species"] == "Schizostachyum brachycladum"
    assert body["species"][0]["count"] == 40
    assert body["geometry"]["type"] == "Polygon"
    assert body["area_m2"] == pytest.approx(222 * 221, rel=0.05)
    action = ConservationAction.objects.get()
    assert action.author == people["coord_a"]
    assert AuditEntry.objects.filter(action="create", object_id=action.pk).count() == 1


def test_retry_with_same_content_returns_200_and_creates_nothing(api, people, species, payload):
    client = api(people["coord_a"])
    body = payload()
    first = client.post(URL, body, format="json")
    second = client.post(URL, body, format="json")
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert ConservationAction.objects.count() == 1
    assert AuditEntry.objects.filter(action="create").count() == 1


def test_retry_with_different_content_is_409(api, people, species, payload):
    client = api(people["coord_a"])
    body = payload()
    assert client.post(URL, body, format="json").status_code == 201
    response = client.post(
        URL, {**body, "participants_total": 13}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "client_uuid" in response.json()["detail"]
    assert ConservationAction.objects.get().participants_total == 12


def test_same_uuid_from_another_user_is_409(api, people, species, payload):
    body = payload()
    assert api(people["coord_a"]).post(URL, body, format="json").status_code == 201
    assert api(people["reviewer"]).post(URL, body, format="json").status_code == 409


def test_coordinator_cannot_file_for_another_village(api, people, species, payload):
    response = api(people["coord_a"]).post(
        URL, payload("beta"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "village" in response.json()
    assert not ConservationAction.objects.exists()


def test_status_is_read_only(api, people, species, payload):
    response = api(people["coord_a"]).post(URL, payload(status="verified"), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "submitted"


def test_edit_own_unverified_then_verified_is_409(api, people, make_action):
    action = make_action()
    client = api(people["coord_a"])
    response = client.patch(
        f"{URL}{action.pk}/", {"notes": "more mulch", "participants_total": 4}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["notes"] == "more mulch"
    entry = AuditEntry.objects.get(action="update", object_id=action.pk)
    assert entry.changes["notes"] == ["", "more mulch"]
    assert entry.changes["participants_total"] == [3, 4]
    ConservationAction.objects.filter(pk=action.pk).update(status="verified")
    response = client.patch(
        f"{URL}{action.pk}/", {"notes": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "verified" in response.json()["detail"]
    assert client.delete(f"{URL}{action.pk}/").status_code == 409


def test_editing_a_rejected_log_resubmits_it(api, people, make_action):
    action = make_action(status="rejected")
    response = api(people["coord_a"]).patch(
        f"{URL}{action.pk}/", {"notes": "sharper photo"}, format="json"
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == "submitted" and action.rejection_reason == ""


def test_delete_own_unverified_is_recorded(api, people, make_action):
    action = make_action()
    pk = action.pk
    assert api(people["coord_a"]).delete(f"{URL}{pk}/").status_code == 204
    assert not ConservationAction.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_id=pk)
    assert entry.actor_username == "coord_a" and entry.changes["kind"] == ["tree_planting", None]


def _png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 60)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "field.png"
    return buffer


def test_photo_upload_through_the_pipeline(api, people, make_action, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = make_action()
    response = api(people["coord_a"]).post(
        f"{URL}{action.pk}/photos/",
        {"image": _png_bytes(), "caption": "bamboo"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    photo = action.photos.get()
    assert photo.width == 64 and photo.image.name.startswith("actions/")
    detail = api(people["coord_a"]).get(f"{URL}{action.pk}/").json()
    assert len(detail["photos"]) == 1


def test_deleting_an_action_removes_its_photo_files(
    api, people, make_action, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    action = make_action()
    client = api(people["coord_a"])
    assert (
        client.post(
            f"{URL}{action.pk}/photos/", {"image": _png_bytes()}, format="multipart"
        ).status_code
        == 201
    )
    photo = action.photos.get()
    files = [tmp_path / photo.image.name, tmp_path / photo.thumbnail.name]
    assert all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{URL}{action.pk}/").status_code == 204
    assert not any(f.exists() for f in files)


def test_photo_that_is_not_an_image_is_400(api, people, make_action, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = make_action()
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "photo.jpg"
    response = api(people["coord_a"]).post(
        f"{URL}{action.pk}/photos/", {"image": fake}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "image" in response.json()
    assert not action.photos.exists()


def test_token_auth(client, people, species, payload):
    response = client.post(
        "/api/v1/auth/token/", {"username": "coord_a", "password": "pw-coord-a-123"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    created = client.post(
        URL, payload(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert created.status_code == 201
    listing = client.get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200 and len(listing.json()["results"]) == 1


def test_token_with_wrong_password_is_400_with_message(client, people):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "coord_a", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


def test_anonymous_gets_401(client):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code == 401


def test_unknown_client_uuid_format_is_400(api, people, species, payload):
    response = api(people["coord_a"]).post(URL, payload(client_uuid="not-a-uuid"), format="json")
    assert response.status_code == 400 and "client_uuid" in response.json()
    assert uuid  # imported for payload building in other tests


def test_schema_and_browsable_api_render(client, people, make_action):
    action = make_action()
    assert client.get("/api/schema/").status_code == 200
    client.force_login(people["coord_a"])
    for url in (URL, f"{URL}{action.pk}/", "/api/v1/guest-stays/", "/api/v1/event-reports/"):
        assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200


def test_list_filters(api, people, make_action, village_b):
    make_action()
    make_action(status="verified")
    make_action(village=village_b, author=people["coord_b"])
    client = api(people["reviewer"])
    assert len(client.get(URL, {"village": "alpha"}).json()["results"]) == 2
    assert len(client.get(URL, {"status": "verified"}).json()["results"]) == 1
    assert len(client.get(URL, {"updated_since": "2020-01-01T00:00:00Z"}).json()["results"]) == 3
    bad = client.get(URL, {"status": "lost", "date_from": "yesterday"})
    assert bad.status_code == 400 and set(bad.json()) == {"status", "date_from"}


def test_species_list_is_public(client, species):
    rows = client.get("/api/v1/species/").json()
    assert [r["local_name"] for r in rows] == ["bambu tui", "titi"]
    assert rows[0]["instrument_use"] == "suling"
