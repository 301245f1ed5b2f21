"""Asking a host: the wa.me / mailto: link carries the dates and party size; bad input is a
400 naming each field; e-mail goes out only when the host switched it on; nothing stored.
"Add to calendar": one event as iCalendar."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone as dj_timezone

pytestmark = pytest.mark.django_db


def _future(days):
    return (dj_timezone.localdate() + timedelta(days=days)).isoformat()


def test_homestay_page_has_a_get_form_without_inline_script(client, make_homestay):
    make_homestay("Rumah Pela", slug="pela", phone="0812-3456-7890")
    html = client.get("/homestays/pela/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    form = html[html.index('class="enquiry-form"') - 60 :]
    assert 'method="get" action="/homestays/pela/enquire/"' in form
    assert 'name="date_from"' in form and 'name="party"' in form and 'value="whatsapp"' in form
    assert "<script>" not in html and "style=" not in form[: form.index("</form>")]
    # the browser follows the form's redirect to wa.me / mailto: only if form-action allows it
    policy = client.get("/homestays/pela/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert {"'self'", "https://wa.me", "mailto:"} <= set(form_action.split())
    assert "wa.me" not in client.get("/events/")["Content-Security-Policy"]


def test_whatsapp_link_carries_dates_and_party(client, make_homestay):
    make_homestay("Rumah Pela", slug="pela", phone="0812-3456-7890")
    start, end = _future(10), _future(13)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/homestays/pela/enquire/",
            {
                "date_from": start,
                "date_to": end,
                "party": "4",
                "language": "en",
                "message": "Vegetarian, please & thanks",
                "channel": "whatsapp",
            },
        )
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert response.status_code == 302
    url = response["Location"]
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert quote(start) in parts.query and quote("4 people") in parts.query  # url-encoded
    text = parse_qs(parts.query)["text"][0]
    assert f"from {start} to {end}" in text and "(3 nights) for 4 people" in text
    assert "Vegetarian, please & thanks" in text and "Rumah Pela" in text


def test_message_in_the_chosen_language_and_mailto(client, make_attraction):
    make_attraction("Sanggar Tahuri", slug="tahuri", email="sanggar@example.org")
    day = _future(5)
    response = client.get(
        "/attractions/tahuri/enquire/",
        {"date_from": day, "party": "12", "language": "id", "channel": "email"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert parts.scheme == "mailto" and parts.path == "sanggar@example.org"
    query = parse_qs(parts.query)
    assert day in query["subject"][0] and "12 orang" in query["body"][0]


def test_bad_input_is_a_400_with_a_message_per_field(client, make_homestay):
    make_homestay("Rumah Pela", slug="pela", phone="0812-3456-7890")
    response = client.get(
        "/homestays/pela/enquire/",
        {
            "date_from": _future(10),
            "date_to": _future(8),
            "party": "0",
            "language": "en",
            "message": "x" * 501,
            "channel": "whatsapp",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"date_to", "party", "message"}
    html = response.content.decode()
    assert "The departure must come after the arrival." in html
    assert "greater than or equal to 1" in html and "at most 500 characters" in html
    past = client.get(
        "/homestays/pela/enquire/",
        {
            "date_from": "2020-01-01",
            "date_to": "2020-01-03",
            "party": "51",
            "language": "en",
            "channel": "whatsapp",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert past.status_code == 400 and set(past.context["form"].errors) == {"date_from", "party"}
    garbage = client.get(
        "/homestays/pela/enquire/",
        {"date_from": "soon", "party": "two", "language": "xx", "channel": "whatsapp"},
    )
    assert garbage.status_code == 400
    assert set(garbage.context["form"].errors) == {"date_from", "date_to", "party", "language"}


def test_email_enquiry_only_when_switched_on_and_nothing_stored(client, make_homestay):
    off = make_homestay("Rumah Pela", slug="pela", email="host@example.org")
    make_homestay(
        "Rumah Gandong", slug="gandong", email="gandong@example.org", email_enquiries=True
    )
    data = {
        "date_from": _future(10),
        "date_to": _future(12),
        "party": "2",
        "language": "en",
        "message": "Hello",
        "reply_to": "guest@example.net",
    }
    refused = client.post("/homestays/pela/enquire/", data)
    assert refused.status_code == 400 and len(mail.outbox) == 0
    assert not off.email_enquiries
    page = client.get("/homestays/gandong/enquire/", {**data, "channel": "send"})
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    with CaptureQueriesContext(connection) as queries:
        sent = client.post("/homestays/gandong/enquire/", data)
    assert sent.status_code == 302 and sent["Location"].endswith("?sent=1")
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gandong@example.org"] and message.reply_to == ["guest@example.net"]
    assert "2 people" in message.body
    bad_reply = client.post("/homestays/gandong/enquire/", {**data, "reply_to": "nope"})
    assert bad_reply.status_code == 400 and len(mail.outbox) == 1


def _unfold(text):
    return text.replace("\r\n ", "")


def test_event_ics_parses_with_the_right_start(client, make_event):
    make_event("Konser MBO", slug="konser", starts_at=datetime(2099, 1, 3, 10, 0, tzinfo=UTC))
    response = client.get("/events/konser.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="konser.ics"' in response["Content-Disposition"]
    lines = _unfold(response.content.decode()).split("\r\n")
    assert lines[-1] == ""
    stack = []
    for line in lines[:-1]:
        name, _, value = line.partition(":")
        assert name and value, line  # every line is NAME[;params]:value
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack.pop() == value
    assert stack == []
    assert lines.count("BEGIN:VEVENT") == 1
    assert "DTSTART;TZID=Asia/Jayapura:20990103T190000" in lines  # 10:00 UTC = 19:00 WIT
    assert "TZOFFSETTO:+0900" in lines
    assert client.get("/events/nope.ics").status_code == 404
    html = client.get("/events/").content.decode()
    assert 'href="/events/konser.ics"' in html


def test_an_unpublished_place_has_no_enquiry(client, make_homestay):
    make_homestay("Hidden", slug="hidden", phone="0812", published=False)
    assert client.get("/homestays/hidden/enquire/", {"channel": "whatsapp"}).status_code == 404
