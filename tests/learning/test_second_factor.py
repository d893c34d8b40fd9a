"""The second factor: adding a code app, giving a code at sign-in (on the site
and in the admin), recovery codes, the setting that makes it required, the
superuser's reset, and that trainees never meet any of it."""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning import second_factor
from learning.choices import AuditAction, Role
from learning.models import AuditEvent
from tests.factories import user_with_roles
from tests.factories.people import PASSWORD, client_for

pytestmark = pytest.mark.django_db

ENROL = "/akun/faktor-kedua/"
VERIFY = "/masuk/kode/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The six digits the person's app shows (`steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """`user` with a confirmed app and recovery codes, as the page makes them."""
    device = second_factor.pending_device(user=user)
    return second_factor.confirm_enrolment(user=user, code=code_for(device))


@pytest.fixture
def superuser(organisation):
    return user_with_roles(username="uji-superuser", is_superuser=True, is_staff=True)


# --- Adding a code app -----------------------------------------------------


def test_the_enrolment_page_shows_a_qr_code_drawn_here_and_the_secret(facilitator):
    client = client_for(facilitator)
    response = client.get(ENROL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=facilitator, confirmed=False)
    assert second_factor.secret_text(device) in page
    # Nothing from another host: the code is drawn inline, no image address.
    assert "otpauth://" not in page
    assert 'src="http' not in page
    # Reloading shows the same secret, so an app already scanned still matches.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=facilitator).count() == 1


def test_a_wrong_first_code_confirms_nothing(facilitator):
    client = client_for(facilitator)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=facilitator)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"
    response = client.post(ENROL, {"kode": wrong})
    assert response.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=facilitator, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=facilitator).exists()


def test_the_first_code_confirms_and_shows_ten_recovery_codes_once(facilitator):
    client = client_for(facilitator)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=facilitator)
    response = client.post(ENROL, {"kode": code_for(device), "next": "/admin/"})
    assert response.status_code == 200
    page = response.content.decode()
    codes = list(
        StaticToken.objects.filter(device__user=facilitator).values_list(
            "token", flat=True
        )
    )
    assert len(codes) == 10
    assert all(code in page for code in codes)
    assert "hanya tampil sekali ini" in page
    assert 'href="/admin/"' in page
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_ADDED)
    assert event.actor == facilitator and event.subject == facilitator
    # The session that added it counts as verified; the page now shows only
    # how many codes are left, never the codes again.
    again = client.get(ENROL).content.decode()
    assert "Sisa 10 kode cadangan" in again
    assert not any(code in again for code in codes)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "value",
    ["", "   ", "12345\x00", "9" * 500, "' OR 1=1 --", "<script>", "１２３４５６"],
)
def test_odd_codes_are_refused_with_a_message(facilitator, value):
    client = client_for(facilitator)
    client.get(ENROL)
    response = client.post(ENROL, {"kode": value})
    assert response.status_code == 200
    assert 'class="field field--error"' in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


# --- Giving a code at sign-in ----------------------------------------------


def test_a_person_with_an_app_gives_a_code_before_any_staff_page(facilitator):
    device, _codes = enrolled(facilitator)
    client = client_for(facilitator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get("/").status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="next" value="/admin/"' in page.content.decode()
    wrong = client.post(VERIFY, {"kode": "000000", "next": "/admin/"})
    assert "Kode tidak cocok" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    right = client.post(VERIFY, {"kode": code_for(device, 1), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_asks_for_the_code_too(coordinator):
    device, _codes = enrolled(coordinator)
    client = Client()
    response = client.post(
        "/admin/login/", {"username": coordinator.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/").headers["Location"].startswith(VERIFY)
    client.post(VERIFY, {"kode": code_for(device, 1)})
    assert client.get("/admin/").status_code == 200


def test_a_code_is_used_once(facilitator):
    device, _codes = enrolled(facilitator)
    code = code_for(device, 1)
    first = client_for(facilitator)
    assert first.post(VERIFY, {"kode": code}).status_code == 302
    second = client_for(facilitator)
    assert second.post(VERIFY, {"kode": code}).status_code == 200
    assert second.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once(facilitator):
    _device, codes = enrolled(facilitator)
    first = client_for(facilitator)
    # Typed with spaces and capitals as people copy from paper.
    typed = " ".join(codes[0].upper())
    assert first.post(VERIFY, {"kode": typed}).status_code == 302
    assert first.get("/admin/").status_code == 200
    second = client_for(facilitator)
    assert second.post(VERIFY, {"kode": codes[0]}).status_code == 200
    assert second.get("/admin/").status_code == 302
    assert second_factor.recovery_codes_left(facilitator) == 9


def test_too_many_codes_are_refused_for_a_while(facilitator):
    device, _codes = enrolled(facilitator)
    client = client_for(facilitator)
    for _ in range(5):
        client.post(VERIFY, {"kode": "000000"})
    response = client.post(VERIFY, {"kode": code_for(device, 1)})
    assert response.status_code == 429
    assert "Terlalu banyak kode dicoba" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_guesser_changing_address_is_counted_per_person(facilitator):
    device, _codes = enrolled(facilitator)
    client = client_for(facilitator)
    for number in range(15):
        client.post(VERIFY, {"kode": "000000"}, REMOTE_ADDR=f"10.0.0.{number}")
    response = client.post(
        VERIFY, {"kode": code_for(device, 1)}, REMOTE_ADDR="10.0.1.1"
    )
    assert response.status_code == 429


def test_an_unverified_staff_session_gets_no_api_answer(facilitator):
    enrolled(facilitator)
    client = client_for(facilitator)
    response = client.get("/api/")
    assert response.status_code == 403
    assert "kode" in response.json()["detail"]


def test_signing_out_stays_open_before_the_code(facilitator):
    enrolled(facilitator)
    client = client_for(facilitator)
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert client.get(VERIFY).status_code == 302  # to sign in: nobody is here
    assert client.get("/keluar-cepat/").status_code == 302


# --- Required for coordinators and superusers ------------------------------


@pytest.mark.parametrize("who", ["coordinator", "superuser"])
def test_when_required_coordinators_and_superusers_add_one_first(
    request, settings, who
):
    settings.PENDAMPING_2FA_REQUIRED = True
    person = request.getfixturevalue(who)
    client = client_for(person)
    for page in ("/admin/", "/", "/akun/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)
    assert client.get(ENROL).status_code == 200


def test_when_required_facilitators_may_still_go_without(settings, facilitator):
    settings.PENDAMPING_2FA_REQUIRED = True
    assert client_for(facilitator).get("/admin/").status_code == 200


def test_when_not_required_coordinators_may_go_without(settings, coordinator):
    settings.PENDAMPING_2FA_REQUIRED = False
    assert client_for(coordinator).get("/admin/").status_code == 200


@pytest.mark.parametrize("who", ["trainee", "alumnus"])
def test_trainees_and_alumni_never_see_it(request, settings, who):
    settings.PENDAMPING_2FA_REQUIRED = True
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get("/").status_code == 200
    assert client.get(ENROL).status_code == 404
    assert client.get(VERIFY).status_code == 404
    assert client.post(VERIFY, {"kode": "123456"}).status_code == 404
    assert not TOTPDevice.objects.exists()


def test_the_pages_send_a_visitor_to_sign_in(client):
    assert client.get(ENROL)["Location"].startswith("/masuk/")
    assert client.get(VERIFY)["Location"].startswith("/masuk/")


# --- A superuser's reset ---------------------------------------------------


def reset_url(person) -> str:
    return f"/admin/akun/{person.pk}/faktor-kedua/reset/"


def test_a_superuser_resets_another_persons_second_factor(
    settings, superuser, coordinator
):
    enrolled(coordinator)
    admin = client_for(superuser)
    assert admin.get(reset_url(coordinator)).status_code == 200
    response = admin.post(reset_url(coordinator))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    event = AuditEvent.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert event.actor == superuser and event.subject == coordinator
    assert event.detail == {"devices": 2}
    # Their next sign-in asks them to add one again.
    settings.PENDAMPING_2FA_REQUIRED = True
    assert client_for(coordinator).get("/admin/")["Location"].startswith(ENROL)


def test_an_app_added_at_sign_in_costs_no_query_on_later_pages(facilitator):
    """Whether a code is due is noted in the session at sign-in."""
    enrolled(facilitator)
    client = client_for(facilitator)
    assert client.session[second_factor.SESSION_HAS_DEVICE] is True
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert captured.captured_queries
    assert not any("otp_totp" in query["sql"] for query in captured.captured_queries)


def test_a_session_whose_app_was_reset_meanwhile_is_let_through_once_noticed(
    superuser, coordinator
):
    enrolled(coordinator)
    signed_in = client_for(coordinator)
    assert signed_in.get("/admin/")["Location"].startswith(VERIFY)
    client_for(superuser).post(reset_url(coordinator))
    # The code page finds no app to ask for and notes it: no loop.
    response = signed_in.get(f"{VERIFY}?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in.get("/admin/").status_code == 200


def test_the_reset_button_is_on_the_edit_page_for_superusers_only(
    superuser, coordinator, facilitator
):
    enrolled(facilitator)
    edit = f"/admin/users/edit/{facilitator.pk}/"
    assert reset_url(facilitator) in client_for(superuser).get(edit).content.decode()
    own = client_for(superuser).get(f"/admin/users/edit/{superuser.pk}/")
    assert own.status_code == 200
    assert reset_url(superuser) not in own.content.decode()
    page = client_for(coordinator).get(edit)
    assert page.status_code == 200
    assert reset_url(facilitator) not in page.content.decode()


def test_no_one_but_a_superuser_may_reset(coordinator, facilitator, trainee):
    enrolled(facilitator)
    # The admin turns a refusal into its home page with a message.
    coordinator_client = client_for(coordinator)
    for answer in (
        coordinator_client.get(reset_url(facilitator)),
        coordinator_client.post(reset_url(facilitator)),
    ):
        assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert client_for(trainee).post(reset_url(facilitator)).status_code == 302
    assert Client().post(reset_url(facilitator))["Location"].startswith("/admin/login/")
    assert TOTPDevice.objects.filter(user=facilitator, confirmed=True).exists()
    assert not AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_RESET
    ).exists()


def test_a_superuser_may_not_reset_their_own(superuser):
    admin = client_for(superuser)
    assert admin.post(reset_url(superuser))["Location"] == "/admin/"
    assert not AuditEvent.objects.exists()
    assert admin.get("/admin/akun/999999999/faktor-kedua/reset/").status_code == 404


def test_the_rule_refuses_a_non_superuser_too(coordinator, facilitator):
    from django.core.exceptions import PermissionDenied

    enrolled(facilitator)
    with pytest.raises(PermissionDenied):
        second_factor.reset(actor=coordinator, person=facilitator)
    assert TOTPDevice.objects.filter(user=facilitator).exists()


def test_a_trainee_cannot_enrol_through_the_rule(trainee):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        second_factor.pending_device(user=trainee)
    assert second_factor.verify_code(user=trainee, code="123456") is None


def test_required_applies_to_roles_not_to_facilitators(settings, organisation):
    settings.PENDAMPING_2FA_REQUIRED = True
    both = user_with_roles(Role.FASILITATOR, Role.KOORDINATOR, username="dua-peran")
    only = user_with_roles(Role.FASILITATOR, username="satu-peran")
    assert second_factor.is_required_for(both)
    assert not second_factor.is_required_for(only)


def test_staff_find_it_on_their_account_page_and_trainees_do_not(facilitator, trainee):
    assert ENROL in client_for(facilitator).get("/akun/").content.decode()
    assert ENROL not in client_for(trainee).get("/akun/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://jahat.example/", "//jahat.example/", "/admin/\x00", "\\\\x"]
)
def test_the_code_never_sends_a_person_to_another_site(facilitator, target):
    device, _codes = enrolled(facilitator)
    client = client_for(facilitator)
    response = client.post(VERIFY, {"kode": code_for(device, 1), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
