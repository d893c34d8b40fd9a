import re

from django.core import mail

import pytest

from learning.accounts import issue_one_time_password
from learning.choices import Role
from learning.models import OutboxMessage
from tests.factories import user_with_roles

pytestmark = pytest.mark.django_db


def test_a_trainee_signs_in_with_a_username_and_sees_whose_account_is_open(
    client, trainee, password
):
    response = client.post(
        "/masuk/", {"username": trainee.username, "password": password}, follow=True
    )
    page = response.content.decode()
    assert "Akun:" in page
    assert f"({trainee.username})" in page
    assert trainee.first_name in page


def test_a_wrong_password_gets_a_clear_indonesian_message(client, trainee):
    response = client.post(
        "/masuk/", {"username": trainee.username, "password": "salah-sekali"}
    )
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_one_tap_and_ends_the_session(signed_in, trainee):
    client = signed_in(trainee)
    home = client.get("/").content.decode()
    assert 'action="/keluar/"' in home
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert client.get("/api/me").status_code == 401


def test_password_change_keeps_the_person_signed_in(signed_in, trainee, password):
    client = signed_in(trainee)
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": password,
            "new_password1": "sirih-pinang-2026",
            "new_password2": "sirih-pinang-2026",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.check_password("sirih-pinang-2026")
    assert client.get("/api/me").status_code == 200


def test_password_reset_mails_a_link_to_a_person_with_an_email(
    client, trainee, django_capture_on_commit_callbacks
):
    trainee.email = "yuliana@example.org"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/akun/lupa-kata-sandi/", {"email": "yuliana@example.org"}
        )
        # The worker sends it once the request's transaction has committed.
        assert mail.outbox == []
        assert OutboxMessage.objects.filter(
            task_name="learning.tasks.send_password_reset"
        ).exists()
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["yuliana@example.org"]
    assert "kata sandi baru" in message.body
    link = re.search(r"http://testserver(/akun/atur-ulang/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Buat kata sandi baru" in form.content.decode()


def test_password_reset_page_tells_people_without_email_what_to_do(client):
    page = client.get("/akun/lupa-kata-sandi/").content.decode()
    assert "Tidak punya email?" in page
    assert "kata sandi sementara" in page


def test_facilitator_gives_a_one_time_password_that_must_be_replaced(
    client, facilitator, trainee
):
    one_time = issue_one_time_password(account=trainee, issued_by=facilitator)
    assert re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", one_time)

    client.post("/masuk/", {"username": trainee.username, "password": one_time})
    # Every page leads to the password form until a new one is chosen.
    assert client.get("/").url == "/akun/kata-sandi/"
    assert client.get("/api/me").url == "/akun/kata-sandi/"
    form = client.get("/akun/kata-sandi/").content.decode()
    assert "kata sandi sementara" in form

    client.post(
        "/akun/kata-sandi/",
        {
            "old_password": one_time,
            "new_password1": "tenun-ikat-biboki",
            "new_password2": "tenun-ikat-biboki",
        },
    )
    trainee.refresh_from_db()
    assert not trainee.must_change_password
    assert client.get("/").status_code == 200


def test_one_time_passwords_are_only_for_trainees_and_alumni(
    facilitator, coordinator, trainee
):
    from django.core.exceptions import PermissionDenied

    other_facilitator = user_with_roles(Role.FASILITATOR, username="fasilitator-lain")
    with pytest.raises(PermissionDenied):
        issue_one_time_password(account=other_facilitator, issued_by=facilitator)
    with pytest.raises(PermissionDenied):
        issue_one_time_password(account=facilitator, issued_by=trainee)
    issue_one_time_password(account=trainee, issued_by=coordinator)


def test_admin_screen_shows_the_one_time_password_once(signed_in, facilitator, trainee):
    client = signed_in(facilitator)
    page = client.get("/admin/akun/kata-sandi-sementara/")
    assert page.status_code == 200
    assert trainee.username in page.content.decode()
    response = client.post("/admin/akun/kata-sandi-sementara/", {"account": trainee.pk})
    shown = re.search(r"<code[^>]*>([a-z2-9-]{11})</code>", response.content.decode())
    trainee.refresh_from_db()
    assert trainee.must_change_password
    assert trainee.check_password(shown.group(1))
    again = client.get("/admin/akun/kata-sandi-sementara/").content.decode()
    assert shown.group(1) not in again


def test_trainees_never_reach_the_admin(signed_in, trainee):
    client = signed_in(trainee)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/akun/kata-sandi-sementara/").status_code in (302, 403)
