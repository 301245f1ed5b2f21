"""The log lists' filters (villages.logs.filters): one FilterSet per kind, the same on the API
and the coordinator pages; a malformed value is a 400 naming the field, never a 500."""

import csv
import io

import pytest

from villages.logs.kinds import by_slug

LOG_TYPES = by_slug()
ActionViewSet = LOG_TYPES["actions"].viewset
GuestStayViewSet = LOG_TYPES["guest-stays"].viewset
EventReportViewSet = LOG_TYPES["event-reports"].viewset

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
URL = "/api/v1/actions/"


def test_api_and_pages_use_the_same_filterset():
    assert ActionViewSet.filterset_class is LOG_TYPES["actions"].filterset
    assert GuestStayViewSet.filterset_class is LOG_TYPES["guest-stays"].filterset
    assert EventReportViewSet.filterset_class is LOG_TYPES["event-reports"].filterset


@pytest.fixture
def logs(make_action, people, village_b):
    return {
        "planting": make_action(),
        "cleanup": make_action(kind="cleanup", quantity=5, unit="kg", species=[]),
        "beta": make_action(village=village_b, author=people["coord_b"]),
    }


def test_api_kind_and_village_filters(api, people, logs):
    client = api(people["reviewer"])
    rows = client.get(URL, {"kind": "cleanup"}).json()["results"]
    assert [r["id"] for r in rows] == [logs["cleanup"].pk]
    beta = client.get(URL, {"village": "beta"}).json()["results"]
    assert {r["id"] for r in beta} == {logs["beta"].pk}


@pytest.mark.parametrize(
    "params,field",
    [
        ({"kind": "juggling"}, "kind"),
        ({"village": "atlantis"}, "village"),
        ({"date_to": "2101-01-01"}, "date_to"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+14:00"}, "updated_since"),
        ({"updated_since": "9999-12-31T23:59:59-12:00"}, "updated_since"),
    ],
)
def test_api_malformed_filter_is_a_400_naming_the_field(api, people, logs, params, field):
    response = api(people["reviewer"]).get(URL, params, **EN)
    assert response.status_code == 400
    assert set(response.json()) == {field}


def test_api_village_filter_is_scoped_to_the_users_villages(api, people, logs):
    client = api(people["coord_a"])
    assert len(client.get(URL, {"village": "alpha"}).json()["results"]) == 2
    assert set(client.get(URL, {"village": "beta"}).json()) == {"village"}


def test_api_filters_do_not_apply_to_a_single_log(api, people, logs):
    response = api(people["coord_a"]).get(f"{URL}{logs['planting'].pk}/", {"status": "lost"})
    assert response.status_code == 200


def test_page_filters_by_village_slug_and_kind(client, people, logs):
    client.force_login(people["reviewer"])
    page = client.get("/coordinator/actions/", {"village": "alpha", "kind": "cleanup"}, **EN)
    assert page.status_code == 200
    assert [log.pk for log in page.context["logs"]] == [logs["cleanup"].pk]
    assert "updated_since" not in page.context["filter_form"].fields  # API only


@pytest.mark.parametrize(
    "query,text",
    [
        ("date_to=9999-12-31", "between 1900-01-01 and 2100-12-31"),
        ("date_from=0001-01-01", "between 1900-01-01 and 2100-12-31"),
        ("status=lost", "Select a valid choice"),
        ("village=beta", "Select a valid choice"),
    ],
)
def test_page_malformed_filter_is_a_form_error(client, people, logs, query, text):
    client.force_login(people["coord_a"])
    page = client.get(f"/coordinator/actions/?{query}", **EN)
    assert page.status_code == 400
    assert text in page.content.decode()


def test_csv_export_follows_the_filters_and_refuses_a_malformed_one(client, people, logs):
    client.force_login(people["coord_a"])
    response = client.get("/coordinator/actions/export.csv?kind=cleanup")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(r[0]) for r in rows[1:]] == [logs["cleanup"].pk]
    bad = client.get("/coordinator/actions/export.csv?date_from=notadate", **EN)
    assert bad.status_code == 400 and bad["Content-Type"].startswith("text/html")
