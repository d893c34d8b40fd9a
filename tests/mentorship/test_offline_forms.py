"""Forms written with no signal: the copies a phone keeps hold no name, and
the service worker knows which forms it may keep."""

import datetime
import itertools
import json
import re
import uuid

from django.urls import reverse
from django.utils import timezone

import pytest

from mentorship.choices import Feeling
from mentorship.forms.wellbeing import RISKY_ANSWERS, CheckInForm
from mentorship.models import Reflection, ReflectionSession, WellbeingCheckIn
from tests.factories import CohortFactory, PlacementFactory, ProgrammeFactory, region

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
        reverse("mentorship:wellbeing"): "cek",
    }
    patterns = json.loads(re.search(r"const PATTERNS = (\[.*?\])\.map", body).group(1))
    reflection = next(pattern for pattern, kind in patterns if kind == "refleksi")
    session_form = reverse("mentorship:reflection", args=[12])
    assert re.match(reflection, session_form)
    assert not re.match(reflection, session_form + "hapus/")
    assert f'const OUTBOX_URL = "{reverse("mentorship:outbox")}"' in body
    # A check-in kept offline answers on its own page (where the help is).
    assert json.loads(re.search(r"const BACK_TO_FORM = (\[.*?\]);", body).group(1)) == [
        "cek"
    ]
    # The worker can send in the background with the same script as the page.
    assert "mentorship/js/outbox-send" in re.search(
        r"const SENDERS = (.*?);", body
    ).group(1)


# --- The wellbeing check-in ------------------------------------------------------


@pytest.fixture
def companion_with_facilitator(client, trainee, facilitator):
    facilitator.phone = "+6281234567890"
    facilitator.save()
    CohortFactory(facilitators=[facilitator], trainees=[trainee])
    WellbeingCheckIn.objects.create(
        uuid=uuid.uuid4(), person=trainee, feeling=Feeling.TIRED, note="Capek sekali"
    )
    client.force_login(trainee)
    return client, trainee, facilitator


def test_the_check_in_copy_has_who_to_call_and_no_earlier_answers(
    companion_with_facilitator,
):
    client, trainee, facilitator = companion_with_facilitator
    live = client.get(reverse("mentorship:wellbeing")).content.decode()
    assert "Capek sekali" in live
    copy = client.get(reverse("mentorship:wellbeing"), {"salinan": "offline"})
    html = copy.content.decode()
    assert "Capek sekali" not in html and "Cek kesejahteraanku sebelumnya" not in html
    assert trainee.username not in html and "data-offline-owner" not in html
    assert "data-offline-form" in html
    # A call needs no data: SAPA 129 and the facilitator's own number.
    assert 'href="tel:129"' in html
    assert 'href="tel:+6281234567890"' in html and facilitator.display_name in html
    assert "baru terkirim saat ponsel ini mendapat sinyal" in html
    found = re.search(
        r'<script id="risky-answers" type="application/json">(.*?)</script>', html
    )
    assert json.loads(found.group(1)) == RISKY_ANSWERS


def test_a_facilitator_with_no_phone_number_is_not_offered_as_a_call(
    companion_with_facilitator,
):
    client, _trainee, facilitator = companion_with_facilitator
    facilitator.phone = ""
    facilitator.save()
    html = client.get(reverse("mentorship:wellbeing"), {"salinan": "offline"})
    assert facilitator.display_name not in html.content.decode()
    assert 'href="tel:129"' in html.content.decode()


@pytest.mark.parametrize(
    "feeling,threatened,wants_contact",
    list(itertools.product(Feeling.values, ["ya", "tidak"], ["ya", "tidak"])),
)
def test_the_phone_s_risk_answers_agree_with_the_server(
    trainee, feeling, threatened, wants_contact
):
    """The phone shows help from RISKY_ANSWERS; the server alerts on
    `signals_risk`. Every combination of answers agrees."""
    answers = {
        "feeling": feeling,
        "threatened": threatened,
        "wants_contact": wants_contact,
    }
    on_phone = any(answers[name] in values for name, values in RISKY_ANSWERS.items())
    form = CheckInForm({"uuid": str(uuid.uuid4()), **answers})
    assert form.is_valid(), form.errors
    checkin = WellbeingCheckIn(person=trainee, **form.answers())
    assert checkin.signals_risk == on_phone


# --- The annual reflection -------------------------------------------------------


@pytest.fixture
def invited(client, trainee, facilitator, organisation):
    programme = ProgrammeFactory(organisations=[organisation])
    CohortFactory(programme=programme, facilitators=[facilitator], trainees=[trainee])
    today = timezone.localdate()

    def session(days: int) -> ReflectionSession:
        return ReflectionSession.objects.create(
            programme=programme,
            organisation=organisation,
            year=today.year,
            start_date=today + datetime.timedelta(days=days),
            end_date=today + datetime.timedelta(days=days + 1),
            place=region("53.02.01"),
        )

    client.force_login(trainee)
    return client, trainee, session


def test_the_reflection_copy_is_an_empty_form_with_no_name(invited):
    client, trainee, session = invited
    open_session = session(3)
    url = reverse("mentorship:reflection", args=[open_session.pk])
    copy = client.get(url, {"salinan": "offline"}).content.decode()
    assert "data-offline-form" in copy and "data-offline-owner" not in copy
    assert trainee.username not in copy
    assert "mentorship/js/outbox-send.js" in copy


def test_a_reflection_already_kept_is_not_offered_offline(invited):
    client, trainee, session = invited
    filled = session(3)
    Reflection.objects.create(
        uuid=uuid.uuid4(),
        person=trainee,
        session=filled,
        entered_by=trainee,
        support_needed="Transport ke Polres",
    )
    url = reverse("mentorship:reflection", args=[filled.pk])
    assert "Transport ke Polres" in client.get(url).content.decode()
    copy = client.get(url, {"salinan": "offline"}).content.decode()
    assert "Transport ke Polres" not in copy
    assert "data-offline-form" not in copy
    assert "sudah tersimpan. Ubah saat ada sinyal" in copy


def test_the_outbox_copy_names_the_reflections_still_to_write(invited):
    client, trainee, session = invited
    to_write, filled, _ended = session(3), session(5), session(-9)
    Reflection.objects.create(
        uuid=uuid.uuid4(), person=trainee, session=filled, entered_by=trainee
    )
    copy = client.get(reverse("mentorship:outbox"), {"salinan": "offline"})
    kept = re.findall(r'data-offline-keep="([^"]+)"', copy.content.decode())
    # Not the one already written, nor the one that ended.
    assert kept == [
        reverse("mentorship:reflection", args=[to_write.pk]) + "?salinan=offline"
    ]
