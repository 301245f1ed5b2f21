from datetime import UTC, datetime, timedelta

import pytest

from tourism.ical import escape, fold

pytestmark = pytest.mark.django_db


def unfold(text):
    return text.replace("\r\n ", "")


def test_escape_and_fold():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


def test_events_feed(client, make_event, make_attraction):
    stage = make_attraction("Markas MBO", lon=128.1955, lat=-3.7003)
    make_event(
        "Konser MBO",
        slug="konser",
        title_en="MBO concert",
        attraction=stage,
        starts_at=datetime(2099, 1, 3, 10, 0, tzinfo=UTC),
        price_idr=50000,
        recurrence="FREQ=WEEKLY;BYDAY=SA;COUNT=4",
        description_id="Suling, tifa; totobuang",
    )
    make_event("Lama", slug="old", starts_at=datetime.now(UTC) - timedelta(days=30))
    response = client.get("/events.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content.decode()
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # CRLF only
    text = unfold(raw)
    assert text.count("BEGIN:VEVENT") == 1  # the past event is not in the feed
    assert "TZID:Asia/Jayapura" in text
    assert "DTSTART;TZID=Asia/Jayapura:20990103T190000" in text  # 10:00 UTC = 19:00 WIT
    assert "DTEND;TZID=Asia/Jayapura:20990103T210000" in text
    assert "RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=4" in text
    assert "SUMMARY:MBO concert" in text
    assert "DESCRIPTION:Suling\\, tifa\\; totobuang" in text
    assert "GEO:-3.700300;128.195500" in text
    assert "UID:event-konser@testserver" in text
    assert "URL:http://testserver/events/konser/" in text  # the event's page


def test_village_feed_only_has_that_village(client, make_event, other_village):
    make_event("Di Amahusu", slug="a")
    make_event("Di Passo", slug="p", village=other_village)
    text = unfold(client.get("/villages/passo/events.ics").content.decode())
    assert "SUMMARY:Di Passo" in text and "Di Amahusu" not in text
    assert "X-WR-CALNAME:" in text
