"""Working past midnight is a choice the trainee makes, on the form and in the
API; an end before the start without it is refused (issue 15, item 9)."""

import datetime
import re
import uuid

from django.utils import timezone

import pytest

from mentorship.choices import ActivityCategory, EntryStatus
from mentorship.models import HourEntry
from tests.factories import HourEntryFactory, PlacementFactory, outside_placement

pytestmark = pytest.mark.django_db

NEW = "/magang/jam/baru/"
JSON = "application/json"
REFUSED = (
    "Jam selesai (10:00) harus sesudah jam mulai (14:00). Bila kegiatannya "
    "berlanjut lewat tengah malam, centang “lewat tengah malam”."
)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def placement():
    return PlacementFactory()


def form_data(placement, **fields) -> dict:
    data = {
        "uuid": str(uuid.uuid4()),
        "placement": placement.pk,
        "date": days_ago(3).isoformat(),
        "start_time": "14:00",
        "end_time": "10:00",
        "minutes": "",
        "category": ActivityCategory.COMPLAINTS,
        "activity": "Piket malam di rumah aman: belajar menerima pengaduan.",
        "aksi": "draf",
    }
    data.update(fields)
    return data


def test_the_form_refuses_an_end_before_the_start_and_offers_the_choice(
    client, placement
):
    client.force_login(placement.trainee)
    form = client.get(NEW).content.decode()
    assert 'name="past_midnight"' in form
    assert "Lewat tengah malam" in form
    response = client.post(NEW, form_data(placement))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not HourEntry.objects.exists()


def test_the_form_keeps_night_work_when_past_midnight_is_ticked(client, placement):
    client.force_login(placement.trainee)
    response = client.post(
        NEW,
        form_data(placement, start_time="22:00", end_time="02:00", past_midnight="on"),
    )
    assert response.status_code == 302
    entry = HourEntry.objects.get()
    assert entry.minutes == 240
    log = client.get("/magang/").content.decode()
    assert "22:00–02:00 (lewat tengah malam)" in log
    page = client.get(f"/magang/jam/{entry.uuid}/").content.decode()
    assert "22:00–02:00 (lewat tengah malam)" in page
    assert re.search(r'<input type="checkbox" name="past_midnight"[^>]* checked', page)


def test_the_form_refuses_the_tick_when_the_end_is_after_the_start(client, placement):
    client.force_login(placement.trainee)
    response = client.post(
        NEW,
        form_data(placement, start_time="08:00", end_time="10:00", past_midnight="on"),
    )
    assert response.status_code == 200
    assert "tidak lewat tengah malam" in response.content.decode()
    assert not HourEntry.objects.exists()


def test_the_outside_supervisor_sees_night_work_marked(client):
    placement = outside_placement()
    HourEntryFactory(
        placement=placement,
        start_time=datetime.time(22, 0),
        end_time=datetime.time(2, 0),
        minutes=240,
        status=EntryStatus.SUBMITTED,
    )
    client.force_login(placement.trainee)
    page = client.get("/magang/tautan/").content.decode()
    assert "22:00–02:00 (lewat tengah malam)" in page


def entry_body(placement, **fields) -> dict:
    body = {
        "uuid": str(uuid.uuid4()),
        "placement_id": placement.pk,
        "date": str(days_ago(3)),
        "start_time": "14:00",
        "end_time": "10:00",
        "category": "pengaduan",
        "activity": "Piket malam di rumah aman: belajar menerima pengaduan.",
    }
    body.update(fields)
    return body


def test_the_api_refuses_an_end_before_the_start_without_the_flag(client, placement):
    client.force_login(placement.trainee)
    response = client.post(
        "/api/magang/entries", entry_body(placement), content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"end_time": [REFUSED]}
    assert not HourEntry.objects.exists()


def test_the_api_takes_and_tells_past_midnight(client, placement):
    client.force_login(placement.trainee)
    body = entry_body(placement, start_time="22:00", end_time="02:00")
    response = client.post(
        "/api/magang/entries", {**body, "past_midnight": True}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert response.json()["past_midnight"] is True
    assert response.json()["minutes"] == 240
    same_day = client.post(
        "/api/magang/entries",
        entry_body(placement, start_time="08:00", end_time="09:00"),
        content_type=JSON,
    )
    assert same_day.json()["past_midnight"] is False
    wrong = client.post(
        "/api/magang/entries",
        entry_body(placement, start_time="12:00", end_time="13:00", past_midnight=True),
        content_type=JSON,
    )
    assert wrong.status_code == 422
    assert "tidak lewat tengah malam" in wrong.json()["errors"]["past_midnight"][0]
