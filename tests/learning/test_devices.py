"""Devices used offline: reported by the browser, listed and revoked by their owner."""

import datetime
import json
import uuid

from django.test import Client
from django.utils import timezone

import pytest

from learning.choices import Role
from learning.devices import label_for, report_device, revoke_device
from learning.models import Device
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import user_with_roles

REPORT = "/akun/perangkat/lapor/"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)


def report(client, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(REPORT, data, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (ANDROID_CHROME, "Android · Chrome"),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like "
            "Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            "Android · Samsung Internet",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
            "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 "
            "Safari/604.1",
            "iPhone · Safari",
        ),
        (
            "Mozilla/5.0 (Android 13; Mobile; rv:120.0) Gecko/120.0 Firefox/120.0",
            "Android · Firefox",
        ),
        (
            "Mozilla/5.0 (Mobile; LYF/F300B; rv:48.0) Gecko/48.0 Firefox/48.0 "
            "KAIOS/2.5",
            "KaiOS · Firefox",
        ),
        ("", ""),
        ("curl/8.0 \x00\n" + "x" * 10_000, ""),
    ],
)
def test_a_device_is_labelled_from_its_user_agent_and_nothing_else(user_agent, label):
    assert label_for(user_agent) == label
    assert len(label_for(user_agent)) <= 60


@pytest.mark.django_db
def test_the_first_report_makes_the_device_and_repeats_change_nothing(
    signed_in, trainee
):
    client = signed_in(trainee)
    device = str(uuid.uuid4())
    for _ in range(3):
        response = report(client, {"device": device}, HTTP_USER_AGENT=ANDROID_CHROME)
        assert response.status_code == 200
        assert response.json() == {"revoked": False}
    (row,) = Device.objects.filter(user=trainee)
    assert (str(row.uuid), row.label, row.revoked_at) == (
        device,
        "Android · Chrome",
        None,
    )
    page = client.get("/akun/").content.decode()
    assert "Android · Chrome" in page


@pytest.mark.django_db
def test_last_use_moves_at_most_once_a_minute(trainee):
    device_uuid = uuid.uuid4()
    first = report_device(user=trainee, device_uuid=device_uuid, user_agent="")
    again = report_device(user=trainee, device_uuid=device_uuid, user_agent="")
    assert again.last_seen_at == first.last_seen_at
    earlier = timezone.now() - datetime.timedelta(minutes=5)
    Device.objects.filter(pk=first.pk).update(last_seen_at=earlier)
    later = report_device(
        user=trainee, device_uuid=device_uuid, user_agent=ANDROID_CHROME
    )
    assert later.last_seen_at > earlier
    row = Device.objects.get(pk=first.pk)
    assert row.last_seen_at == later.last_seen_at
    assert row.created_at == first.created_at
    assert row.label == "Android · Chrome"


@pytest.mark.django_db
def test_the_same_browser_is_one_device_per_person(trainee):
    """A shared phone: two people, one browser, a row each."""
    other = user_with_roles(Role.PESERTA)
    shared = uuid.uuid4()
    report_device(user=trainee, device_uuid=shared, user_agent="")
    report_device(user=other, device_uuid=shared, user_agent="")
    assert Device.objects.filter(uuid=shared).count() == 2
    revoke_device(user=trainee, device_uuid=shared)
    assert (
        report_device(user=other, device_uuid=shared, user_agent="").revoked_at is None
    )


@pytest.mark.django_db
def test_a_revoked_device_reports_revoked_and_stays_revoked(signed_in, trainee):
    client = signed_in(trainee)
    device = uuid.uuid4()
    report(client, {"device": str(device)})
    response = client.post(f"/akun/perangkat/{device}/cabut/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/"
    page = client.get("/akun/").content.decode()
    assert "dicabut" in page
    assert "Cabut perangkat ini" not in page
    revoked_at = Device.objects.get(uuid=device).revoked_at
    assert revoked_at is not None

    earlier = timezone.now() - datetime.timedelta(minutes=5)
    Device.objects.filter(uuid=device).update(last_seen_at=earlier)
    assert report(client, {"device": str(device)}).json() == {"revoked": True}
    row = Device.objects.get(uuid=device)
    assert (row.revoked_at, row.last_seen_at) == (revoked_at, earlier)
    # Revoking again is not an error and keeps the first date.
    client.post(f"/akun/perangkat/{device}/cabut/")
    assert Device.objects.get(uuid=device).revoked_at == revoked_at


@pytest.mark.django_db
def test_another_persons_device_cannot_be_revoked(signed_in, trainee):
    other = user_with_roles(Role.PESERTA)
    theirs = report_device(user=other, device_uuid=uuid.uuid4(), user_agent="")
    client = signed_in(trainee)
    assert client.post(f"/akun/perangkat/{theirs.uuid}/cabut/").status_code == 404
    assert client.post(f"/akun/perangkat/{uuid.uuid4()}/cabut/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@pytest.mark.django_db
def test_revoking_is_a_post_for_a_signed_in_person(client, trainee):
    device = report_device(user=trainee, device_uuid=uuid.uuid4(), user_agent="")
    response = client.post(f"/akun/perangkat/{device.uuid}/cabut/")
    assert response["Location"].startswith("/masuk/")
    client.force_login(trainee)
    assert client.get(f"/akun/perangkat/{device.uuid}/cabut/").status_code == 405
    device.refresh_from_db()
    assert device.revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "",
        "{",
        "[]",
        "null",
        '{"device": 12}',
        '{"device": "bukan-uuid"}',
        '{"perangkat": "00000000-0000-4000-8000-000000000000"}',
        "[" * 1000,
        b"\xff\xfe\x00",
        json.dumps({"device": str(uuid.uuid4()), "pad": "x" * 5000}),
    ],
)
def test_a_report_that_makes_no_sense_gets_a_400_that_says_why(
    signed_in, trainee, body
):
    response = report(signed_in(trainee), body)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Device.objects.exists()


@pytest.mark.django_db
def test_a_report_needs_a_signed_in_person_and_the_csrf_token(trainee):
    device = {"device": str(uuid.uuid4())}
    anonymous = report(Client(), device)
    assert anonymous.status_code == 403
    assert "detail" in anonymous.json()

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(trainee)
    browser.get("/akun/")  # sets the csrftoken cookie, as any page does
    assert report(browser, device).status_code == 403
    token = browser.cookies["csrftoken"].value
    answer = report(browser, device, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code == 200
    assert answer.json() == {"revoked": False}
    assert Device.objects.filter(user=trainee).count() == 1
    assert Client().get(REPORT).status_code == 405


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_reports_of_a_new_device_at_once_make_one_row():
    """Each in its own thread and database connection, released together (on
    PostgreSQL in CI, where DATABASE_URL points there)."""
    trainee = user_with_roles(Role.PESERTA)
    body = json.dumps({"device": str(uuid.uuid4())})
    copies = 20

    def report_once(client):
        response = client.post(REPORT, body, content_type="application/json")
        return (response.status_code, response.json())

    answers = all_at_once(
        [
            lambda client=client: report_once(client)
            for client in signed_in_clients(trainee, copies)
        ]
    )
    assert answers == [(200, {"revoked": False})] * copies
    assert Device.objects.filter(user=trainee).count() == 1


@pytest.mark.django_db
def test_signed_in_pages_tell_the_page_script_where_to_report(
    client, signed_in, trainee
):
    assert "data-device-report" not in client.get("/masuk/").content.decode()
    page = signed_in(trainee).get("/").content.decode()
    assert f'data-device-report="{REPORT}"' in page
