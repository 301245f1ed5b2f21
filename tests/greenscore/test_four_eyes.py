"""Four eyes: nobody verifies or rejects a log they filed, in the service and on /review/."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from greenscore.models import ConservationAction
from villages.logs import FourEyes, review_logs
from villages.models import AuditEntry

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def statuses(*logs):
    return [ConservationAction.objects.get(pk=log.pk).status for log in logs]


@pytest.mark.parametrize("who", ["reviewer", "admin"])
@pytest.mark.parametrize("decision,reason", [("verify", ""), ("reject", "blurry")])
def test_the_service_refuses_ones_own_log(people, make_action, who, decision, reason):
    own = make_action(author=people[who])
    # The message in English (the site's default language is Bahasa Indonesia).
    with translation.override("en"):
        with pytest.raises(FourEyes) as caught:
            review_logs(logs=[own], reviewer=people[who], decision=decision, reason=reason)
        assert isinstance(caught.value, PermissionDenied)
        assert "another AMO reviewer" in caught.value.message and str(own) in caught.value.message
    assert statuses(own) == ["submitted"]
    assert not AuditEntry.objects.filter(action__in=["verify", "reject"]).exists()
    # Another reviewer may.
    other = "admin" if who == "reviewer" else "reviewer"
    assert review_logs(logs=[own], reviewer=people[other], decision=decision, reason=reason) == 1
    assert statuses(own) == ["verified" if decision == "verify" else "rejected"]


def test_the_service_is_all_or_nothing(people, make_action):
    theirs, own = make_action(), make_action(author=people["reviewer"])
    with pytest.raises(FourEyes) as caught:
        review_logs(logs=[theirs, own], reviewer=people["reviewer"], decision="verify")
    assert caught.value.logs == [own]
    assert statuses(theirs, own) == ["submitted", "submitted"]


def test_the_page_refuses_a_single_own_log_with_a_message(client, people, make_action):
    own = make_action(author=people["reviewer"])
    client.force_login(people["reviewer"])
    response = client.post(
        "/review/decide/", {"type": "actions", "ids": [own.pk], "decision": "verify"}, **EN
    )
    assert response.status_code == 403
    assert "another AMO reviewer must verify or reject it" in response.content.decode()
    assert statuses(own) == ["submitted"]


def test_bulk_review_skips_and_reports_own_logs(client, people, make_action, village_b):
    theirs = [make_action(), make_action(village=village_b, author=people["coord_b"])]
    own = make_action(author=people["reviewer"])
    client.force_login(people["reviewer"])
    response = client.post(
        "/review/decide/",
        {
            "type": "actions",
            "ids": [log.pk for log in [*theirs, own]],
            "decision": "reject",
            "reason": "Wrong place",
        },
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 sent back to the coordinator." in page
    assert f"You filed {own} yourself" in page
    assert statuses(*theirs, own) == ["rejected", "rejected", "submitted"]


def test_queue_and_detail_offer_no_decision_on_own_logs(client, people, make_action):
    theirs, own = make_action(), make_action(author=people["reviewer"])
    client.force_login(people["reviewer"])
    queue = client.get("/review/", **EN).content.decode()
    assert f'name="ids" value="{theirs.pk}"' in queue
    assert f'name="ids" value="{own.pk}"' not in queue
    assert "you: another reviewer decides" in queue
    detail = client.get(f"/review/actions/{own.pk}/", **EN).content.decode()
    assert "another AMO reviewer must verify or reject it" in detail
    assert 'action="/review/decide/"' not in detail
    other = client.get(f"/review/actions/{theirs.pk}/", **EN).content.decode()
    assert 'action="/review/decide/"' in other
