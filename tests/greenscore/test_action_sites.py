"""The public layer of verified actions: GeoJSON from the database, no personal data."""

import pytest

pytestmark = pytest.mark.django_db


def test_only_verified_and_no_personal_data(client, make_action, village_b, people):
    verified = make_action(
        status="verified", notes="Pak Yohanis +62 812 0000", participants_total=5
    )
    make_action()
    make_action(status="rejected")
    make_action(
        village=village_b,
        author=people["coord_b"],
        status="verified",
        kind="cleanup",
        unit="kg",
        quantity=20,
        species=[],
    )
    response = client.get("/api/v1/action-sites/", HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert len(data["features"]) == 2
    feature = next(f for f in data["features"] if f["id"] == verified.pk)
    assert set(feature["properties"]) == {
        "kind",
        "kind_label",
        "date",
        "village",
        "village_name",
        "quantity",
        "unit",
        "unit_label",
        "layer",
        "url",
    }
    assert feature["properties"]["village"] == "alpha"
    assert feature["properties"]["url"] == "/villages/alpha/"
    assert feature["geometry"]["coordinates"] == pytest.approx([128.2, -3.7], abs=1e-6)
    text = response.content.decode()
    for secret in ("Yohanis", "coord_a", "coord_b", "author", "notes", "participants"):
        assert secret not in text


def test_filters_and_bad_filter(client, make_action, village_b, people):
    make_action(status="verified")
    make_action(village=village_b, author=people["coord_b"], status="verified")
    assert len(client.get("/api/v1/action-sites/?village=beta").json()["features"]) == 1
    assert len(client.get("/api/v1/action-sites/?kind=cleanup").json()["features"]) == 0
    bad = client.get("/api/v1/action-sites/?kind=dancing")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert client.get("/api/v1/action-sites/?village=atlantis").status_code == 400
