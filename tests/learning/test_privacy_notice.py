"""The privacy notice (UU PDP): read and accepted before any other page,
recorded with its version, shown again when the text changes."""

import json

import pytest

from learning.choices import Role
from learning.demo import load_demo_data
from learning.models import PrivacyConsent, User
from learning.privacy import PRIVACY_NOTICE_VERSION, accept_notice
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import user_with_roles
from tests.factories.people import client_for

NOTICE = "/privasi/"


@pytest.fixture
def newcomer(db, privacy_notice_unread, organisation):
    return user_with_roles(Role.PESERTA, username="baru", organisation=organisation)


@pytest.mark.django_db
def test_a_new_person_is_sent_to_the_notice_before_any_page(newcomer):
    client = client_for(newcomer)
    for page in ("/", "/akun/", "/belajar/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(NOTICE + "?next="), page
    notice = client.get(NOTICE)
    assert notice.status_code == 200
    text = notice.content.decode()
    assert "Saya mengerti dan setuju" in text
    # What, why, who, how long and the rights, in plain words.
    for words in (
        "Data apa yang kami simpan",
        "Untuk apa",
        "Siapa yang bisa melihat",
        "Berapa lama disimpan",
        "UU Nomor 27 Tahun 2022",
        "data kesehatan",
        "Jawaban cek kesejahteraan hanya bisa dibaca olehmu",
        "Unduh data saya",
    ):
        assert words in text, words


@pytest.mark.django_db
def test_accepting_records_the_version_and_returns_to_the_page_asked_for(newcomer):
    client = client_for(newcomer)
    asked = client.get("/akun/?pemberitahuan=2")
    assert asked["Location"] == NOTICE + "?next=%2Fakun%2F%3Fpemberitahuan%3D2"
    response = client.post(NOTICE, {"next": "/akun/?pemberitahuan=2"})
    assert response.status_code == 302
    assert response["Location"] == "/akun/?pemberitahuan=2"
    consent = PrivacyConsent.objects.get(person=newcomer)
    assert consent.version == PRIVACY_NOTICE_VERSION
    assert client.get("/akun/").status_code == 200
    # Readable later, saying when it was accepted, with no button.
    page = client.get(NOTICE).content.decode()
    assert "Kamu sudah menyetujui" in page
    assert "Saya mengerti dan setuju" not in page


@pytest.mark.django_db
def test_a_next_address_on_another_site_is_not_followed(newcomer):
    client = client_for(newcomer)
    response = client.post(NOTICE, {"next": "https://contoh.example/curi"})
    assert response["Location"] == "/"
    response = client.get(NOTICE + "?next=//contoh.example/")
    assert 'value="//contoh.example/"' not in response.content.decode()


@pytest.mark.django_db
def test_a_changed_notice_is_shown_again(newcomer, monkeypatch):
    client = client_for(newcomer)
    client.post(NOTICE)
    assert client.get("/").status_code == 200
    monkeypatch.setattr("learning.privacy.PRIVACY_NOTICE_VERSION", "2099-01")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(NOTICE)
    client.post(NOTICE)
    assert client.get("/").status_code == 200
    assert sorted(
        PrivacyConsent.objects.filter(person=newcomer).values_list("version", flat=True)
    ) == sorted([PRIVACY_NOTICE_VERSION, "2099-01"])


@pytest.mark.django_db
def test_leaving_and_the_phone_s_own_requests_stay_open(newcomer):
    client = client_for(newcomer)
    for path in ("/sw.js", "/offline/", "/sehat/", "/manifest.webmanifest"):
        response = client.get(path)
        assert response.status_code != 302 or not response["Location"].startswith(
            NOTICE
        ), path
    assert client.post("/bahasa/", {"language": "en", "next": "/"})["Location"] == "/"
    report = client.post(
        "/akun/perangkat/lapor/",
        data=json.dumps({"device": "5b0c6f1e-3d55-4e43-9c38-2a47f3c1e0aa"}),
        content_type="application/json",
    )
    assert report.status_code == 200
    assert report.json() == {"revoked": False}
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert not response["Location"].startswith(NOTICE)
    assert client.get("/akun/")["Location"].startswith("/masuk/")


@pytest.mark.django_db
def test_quick_exit_works_before_the_notice_is_accepted(newcomer):
    client = client_for(newcomer)
    response = client.get("/keluar-cepat/")
    assert response.status_code == 302
    assert not response["Location"].startswith(NOTICE)


@pytest.mark.django_db
def test_the_api_answers_403_with_the_notice_s_address(newcomer):
    client = client_for(newcomer)
    response = client.get("/api/me")
    assert response.status_code == 403
    body = response.json()
    assert body["notice_url"] == NOTICE
    assert NOTICE in body["detail"]
    client.post(NOTICE)
    assert client.get("/api/me").status_code == 200


@pytest.mark.django_db
def test_a_one_time_password_is_replaced_before_the_notice(newcomer):
    User.objects.filter(pk=newcomer.pk).update(must_change_password=True)
    client = client_for(newcomer)
    response = client.get("/")
    assert response["Location"] == "/akun/kata-sandi/"
    # The password form itself opens (no loop between the two).
    assert client.get("/akun/kata-sandi/").status_code == 200


@pytest.mark.django_db
def test_staff_meet_the_notice_in_the_admin_too(privacy_notice_unread, organisation):
    facilitator = user_with_roles(
        Role.FASILITATOR, username="fasil-baru", organisation=organisation
    )
    client = client_for(facilitator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(NOTICE)


@pytest.mark.django_db
def test_the_notice_is_linked_from_the_footer_and_the_account_page(signed_in, trainee):
    client = signed_in(trainee)
    page = client.get("/").content.decode()
    assert f'href="{NOTICE}"' in page
    account = client.get("/akun/").content.decode()
    assert f'href="{NOTICE}"' in account


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(NOTICE)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.django_db
def test_the_notice_refuses_other_methods(newcomer):
    client = client_for(newcomer)
    assert client.put(NOTICE).status_code == 405
    assert not PrivacyConsent.objects.exists()


@pytest.mark.django_db
def test_the_demo_people_have_accepted_the_notice(privacy_notice_unread):
    people = load_demo_data()
    assert people
    for person in people:
        assert person.privacy_notice_version == PRIVACY_NOTICE_VERSION
        assert PrivacyConsent.objects.filter(
            person=person, version=PRIVACY_NOTICE_VERSION
        ).exists()
    # Loading the demo again records nothing twice.
    load_demo_data()
    assert PrivacyConsent.objects.count() >= len(people)
    assert PrivacyConsent.objects.filter(person__in=people).count() == len(people)


@pytest.mark.django_db(transaction=True)
def test_twenty_acceptances_at_once_record_one(migrated_data, privacy_notice_unread):
    person = user_with_roles(Role.PESERTA, username="serentak")
    clients = signed_in_clients(person, 20)
    results = all_at_once([lambda c=c: c.post(NOTICE).status_code for c in clients])
    assert results == [302] * 20
    assert PrivacyConsent.objects.filter(person=person).count() == 1
    person.refresh_from_db()
    assert person.privacy_notice_version == PRIVACY_NOTICE_VERSION


@pytest.mark.django_db
def test_accept_notice_twice_keeps_the_first_time(newcomer):
    first = accept_notice(person=newcomer)
    again = accept_notice(person=newcomer)
    assert first.pk == again.pk
    assert first.accepted_at == again.accepted_at
