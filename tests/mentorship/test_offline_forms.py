"""Forms written with no signal: the copies a phone keeps hold no name, and
the service worker knows which forms it may keep."""

import json
import re

from django.urls import reverse

import pytest

from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee_client(client):
    placement = PlacementFactory()
    client.force_login(placement.trainee)
    return client, placement.trainee


@pytest.mark.parametrize("name", ["mentorship:entry_new", "mentorship:case_new"])
def test_the_copy_of_a_form_a_phone_keeps_has_no_name(trainee_client, name):
    client, trainee = trainee_client
    live = client.get(reverse(name)).content.decode()
    assert trainee.username in live
    copy = client.get(reverse(name), {"salinan": "offline"}).content.decode()
    assert trainee.username not in copy and trainee.display_name not in copy
    assert "data-offline-owner" not in copy
    assert "data-offline-form" in copy
    assert "mentorship/js/outbox.js" in copy


def test_the_outbox_page_s_copy_is_the_same_for_everyone(trainee_client):
    client, trainee = trainee_client
    live = client.get(reverse("mentorship:outbox")).content.decode()
    assert "Kirim sekarang" in live and trainee.username in live
    copy = client.get(reverse("mentorship:outbox"), {"salinan": "offline"})
    assert "Kirim sekarang" in copy.content.decode()
    assert trainee.username not in copy.content.decode()


def test_the_service_worker_keeps_the_forms_and_the_outbox(client):
    body = client.get("/sw.js").content.decode()
    forms = json.loads(re.search(r"const FORMS = (\{.*?\});", body).group(1))
    assert forms == {
        reverse("mentorship:case_new"): "kasus",
        reverse("mentorship:entry_new"): "jam",
    }
    assert f'const OUTBOX_URL = "{reverse("mentorship:outbox")}"' in body
