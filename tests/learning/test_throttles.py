"""Countersign links and the API are counted per address and per token: past
the limit, a 429 that says (in Indonesian) to wait; JSON for the API."""

import datetime

from django.utils import timezone

import pytest

from mentorship.choices import EntryStatus
from mentorship.verification import create_countersign_link
from tests.factories import HourEntryFactory, outside_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def link_token():
    placement = outside_placement()
    entry = HourEntryFactory(
        placement=placement,
        status=EntryStatus.SUBMITTED,
        date=timezone.localdate() - datetime.timedelta(days=2),
    )
    _link, token = create_countersign_link(
        trainee=placement.trainee, placement=placement, entries=[entry]
    )
    return token


def countersign(client, token: str, address: str = "10.1.1.1"):
    return client.get(f"/magang/tanda-tangan/{token}/", REMOTE_ADDR=address)


def test_one_link_opened_too_often_is_refused_for_a_while(client, settings, link_token):
    settings.PENDAMPING_COUNTERSIGN_LIMIT_PER_TOKEN = 3
    for number in range(3):
        # From different addresses: the link itself is counted.
        assert countersign(client, link_token, f"10.0.0.{number}").status_code == 200
    refused = countersign(client, link_token, "10.0.0.99")
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    # Another link is not held up by this one.
    assert countersign(client, "lain" * 8, "10.0.0.99").status_code != 429


def test_one_address_guessing_links_is_refused(client, settings, link_token):
    settings.PENDAMPING_COUNTERSIGN_LIMIT_PER_ADDRESS = 3
    for number in range(3):
        assert countersign(client, f"tebakan{number}" * 4).status_code != 429
    assert countersign(client, "tebakan-lagi" * 3).status_code == 429
    # Even the right link, from that address, waits; elsewhere it opens.
    assert countersign(client, link_token).status_code == 429
    assert countersign(client, link_token, "10.9.9.9").status_code == 200


@pytest.mark.parametrize("token", ["'; DROP TABLE--", "x" * 5000, "%00", "１２３"])
def test_odd_tokens_are_counted_not_crashed(client, settings, token):
    settings.PENDAMPING_COUNTERSIGN_LIMIT_PER_ADDRESS = 1
    first = client.get(f"/magang/tanda-tangan/{token}/")
    assert first.status_code in (200, 404)
    assert client.get(f"/magang/tanda-tangan/{token}/").status_code == 429


def test_the_api_refuses_an_address_past_its_limit_in_json(client, settings):
    settings.PENDAMPING_API_LIMIT_PER_ADDRESS = 3
    for _ in range(3):
        assert client.get("/api/", REMOTE_ADDR="10.2.2.2").status_code == 200
    refused = client.get("/api/", REMOTE_ADDR="10.2.2.2")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "Terlalu banyak permintaan" in refused.json()["detail"]
    assert refused["Retry-After"] == "60"
    assert client.get("/api/", REMOTE_ADDR="10.2.2.3").status_code == 200


def test_the_api_counts_one_sync_key_from_any_address(client, settings):
    settings.PENDAMPING_API_LIMIT_PER_TOKEN = 2
    headers = {"HTTP_AUTHORIZATION": "Bearer kunci-perangkat-uji"}
    for number in range(2):
        answer = client.get("/api/", REMOTE_ADDR=f"10.3.3.{number}", **headers)
        assert answer.status_code == 200
    assert client.get("/api/", REMOTE_ADDR="10.3.3.50", **headers).status_code == 429
    # Without that key, the same address is served.
    assert client.get("/api/", REMOTE_ADDR="10.3.3.50").status_code == 200


def test_pages_outside_the_api_are_not_counted_by_it(client, settings):
    settings.PENDAMPING_API_LIMIT_PER_ADDRESS = 1
    for _ in range(3):
        assert client.get("/masuk/").status_code == 200
