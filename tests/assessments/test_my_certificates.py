"""/sertifikat/, the certificate's PDF and the home panel, as a trainee, an
alumna and the staff around them see them."""

import datetime
import re

from django.utils import timezone

import pytest

from assessments.models import CertificationRule
from learning.choices import Role
from tests.factories import OrganisationFactory, ProgrammeFactory, user_with_roles
from tests.factories.certificates_rules import certification_world
from tests.factories.certificates_site import attach_pdf, certificate_for, renew
from tests.factories.modules import module_with_lessons
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db

PAGE = "/sertifikat/"
READY = "Siap disertifikasi: koordinator akan menerbitkan sertifikatmu."


def today():
    return timezone.localdate()


def days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world():
    return certification_world()


def text_of(response) -> str:
    """The page's words, without tags and runs of spaces."""
    html = response.content.decode()
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def download(certificate) -> str:
    return f"/sertifikat/{certificate.pk}/unduh/"


# --- The checklist ------------------------------------------------------------


def test_every_condition_is_a_line_with_where_to_do_it(world):
    person = world.trainee("baru")
    response = client_for(person).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    words = text_of(response)
    assert "Syarat sertifikat Pelatihan Pendamping PSK" in words
    assert "0 dari 5 syarat terpenuhi." in words
    assert READY not in words
    for label, progress in [
        ("Modul inti selesai, kuis dinilai lulus", "0 dari 1 modul"),
        ("Kompetensi dinilai kompeten", "0 dari 2 kompetensi"),
        ("Jam magang terverifikasi", "0 dari 40 jam"),
        ("Kasus praktik yang sudah ditinjau", "0 dari 2 kasus"),
        ("Hadir di lokakarya program (paling sedikit 80% hari)", "0 dari 5 hari (0%)"),
    ]:
        assert f"Belum {label} {progress}" in words
    assert f'href="{world.module.url}">Lanjutkan modul berikutnya<' in html
    assert 'href="/kompetensi/">Lihat profil kompetensiku<' in html
    assert 'href="/magang/">Catat jam magang<' in html
    assert 'href="/magang/kasus/">Catat kasus praktik<' in html
    assert "Kehadiran dicatat fasilitator pada hari lokakarya." in words


def test_a_line_done_says_so_and_needs_no_link(world):
    person = world.trainee("sebagian")
    world.log_hours(person, 40 * 60)
    words = text_of(client_for(person).get(PAGE))
    assert "Sudah Jam magang terverifikasi 40 dari 40 jam" in words
    assert "Catat jam magang" not in words
    assert "1 dari 5 syarat terpenuhi." in words


def test_a_trainee_who_meets_the_rule_is_told_the_coordinator_will_issue(world):
    person = world.ready_trainee("siap")
    words = text_of(client_for(person).get(PAGE))
    assert READY in words
    assert words.count("Sudah ") == 5


def test_a_programme_whose_certificate_stands_shows_the_certificate_not_the_checklist(
    world,
):
    person = world.ready_trainee("lulus")
    certificate_for(person, world.programme, pdf=True)
    words = text_of(client_for(person).get(PAGE))
    assert "Syarat sertifikat" not in words
    assert READY not in words
    assert "Sertifikatku Pelatihan Pendamping PSK Berlaku" in words


def test_a_person_in_no_programme_is_told_where_the_checklist_will_come_from(db):
    person = user_with_roles(Role.PESERTA, username="belum-terdaftar")
    words = text_of(client_for(person).get(PAGE))
    assert "Kamu belum terdaftar di program pelatihan." in words


# --- Certificates ------------------------------------------------------------


@pytest.fixture
def holder(world):
    return world.trainee("pemegang")


@pytest.fixture
def other_programmes(world):
    return [
        ProgrammeFactory(name=f"Program Lain {n}", short_name=f"PL{n}")
        for n in range(3)
    ]


def test_a_standing_certificate_shows_dates_pdf_and_where_to_verify_it(
    world, holder, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://pendamping.contoh.id"
    certificate = certificate_for(
        holder,
        world.programme,
        issued_on=datetime.date(2025, 12, 5),
        valid_until=datetime.date(2099, 12, 5),
        pdf=True,
    )
    response = client_for(holder).get(PAGE)
    html, words = response.content.decode(), text_of(response)
    assert "Berlaku Lembaga penyelenggara Yayasan PSK Pendamping" in words
    assert "Tanggal terbit 5 Desember 2025" in words
    assert "Berlaku sampai 5 Desember 2099" in words
    assert f'href="{download(certificate)}"' in html
    address = f"https://pendamping.contoh.id/verifikasi/{certificate.code}/"
    assert f'href="{address}"' in html
    code = certificate.code
    grouped = "-".join(code[i : i + 4] for i in range(0, 20, 4))
    assert f"Kode verifikasi: {grouped}" in words
    assert "sedang dibuat" not in words


def test_a_certificate_without_expiry_says_so(world, holder):
    certificate_for(holder, world.programme, pdf=True)
    assert "Berlaku sampai tanpa batas waktu" in text_of(client_for(holder).get(PAGE))


def test_a_pdf_not_built_yet_is_said_to_be_in_the_making(world, holder):
    certificate = certificate_for(holder, world.programme)
    response = client_for(holder).get(PAGE)
    assert "PDF sertifikat sedang dibuat." in text_of(response)
    assert download(certificate) not in response.content.decode()


def test_each_status_as_the_holder_sees_it(world, holder, other_programmes):
    first, second, third = other_programmes
    valid = certificate_for(holder, world.programme, pdf=True)
    expired = certificate_for(
        holder,
        first,
        issued_on=today() - days(800),
        valid_until=today() - days(30),
        pdf=True,
    )
    revoked = certificate_for(holder, second, revoked=True, pdf=True)
    erased = certificate_for(holder, third, unverifiable=True, pdf=True)
    response = client_for(holder).get(PAGE)
    html, words = response.content.decode(), text_of(response)

    assert f"{world.programme.name} Berlaku" in words
    assert f"{first.name} Kedaluwarsa" in words
    revoked_on = timezone.localdate(revoked.revoked_at)  # WITA, as the page
    assert re.search(
        rf"{second.name} Dicabut sejak {revoked_on.day} \w+ {revoked_on.year} "
        "Sertifikat ini sudah dicabut dan tidak berlaku lagi. Untuk keterangan, "
        "hubungi koordinator programmu.",
        words,
    )
    # The reason is for coordinators.
    assert "Diterbitkan keliru" not in words
    assert f"{third.name} Tidak dapat diverifikasi lagi" in words
    # The PDF and the verification address for the valid and the expired only.
    assert download(valid) in html and download(expired) in html
    assert download(revoked) not in html and download(erased) not in html
    assert valid.code in html and expired.code in html
    assert revoked.code not in html and erased.code not in html


def test_renewals_are_listed(world, holder):
    certificate = certificate_for(
        holder,
        world.programme,
        issued_on=today() - days(400),
        valid_until=today() + days(300),
        pdf=True,
    )
    renew(certificate, months_days=60)
    until = certificate.valid_until
    words = text_of(client_for(holder).get(PAGE))
    assert "Riwayat perpanjangan" in words
    assert f"diperpanjang sampai {until.day} " in words


@pytest.fixture
def renewable(world):
    """The programme's certificates last three years; one refresher renews them."""
    CertificationRule.objects.create(programme=world.programme, validity_months=36)
    return module_with_lessons(lessons=1, title="Penyegaran Rujukan", is_refresher=True)


def test_a_lapsing_certificate_names_the_refreshers_that_renew_it(
    world, holder, renewable
):
    certificate_for(
        holder,
        world.programme,
        issued_on=today() - days(1000),
        valid_until=today() + days(40),
        pdf=True,
    )
    response = client_for(holder).get(PAGE)
    words = text_of(response)
    assert "Perpanjang masa berlaku" in words
    assert "Penyegaran Rujukan Belum" in words
    assert f'href="{renewable.url}"' in response.content.decode()


def test_a_validity_far_off_does_not_nag(world, holder, renewable):
    certificate_for(holder, world.programme, valid_until=today() + days(400), pdf=True)
    assert "Perpanjang masa berlaku" not in text_of(client_for(holder).get(PAGE))


def test_staff_see_only_their_own_certificates_here(world, holder):
    certificate_for(holder, world.programme, pdf=True)
    response = client_for(world.coordinator).get(PAGE)
    assert response.status_code == 200
    assert holder.display_name not in text_of(response)
    assert "Sertifikatmu" not in text_of(response)


def test_the_page_is_never_stored_by_the_browser(world, holder):
    response = client_for(holder).get(PAGE)
    assert "no-store" in response["Cache-Control"]


def test_the_page_asks_to_sign_in_and_takes_no_posts(world, holder):
    anonymous = client_for(None).get(PAGE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
    assert client_for(holder).post(PAGE).status_code == 405


def test_the_page_takes_the_same_queries_for_few_or_many_records(
    world, holder, renewable, django_assert_max_num_queries
):
    """A fixed number per programme the person trained in (its checklist, or
    its certificate's renewal), whatever the renewals, revoked certificates,
    other people's certificates and refreshers."""
    client = client_for(holder)
    certificate = certificate_for(
        holder,
        world.programme,
        issued_on=today() - days(1000),
        valid_until=today() + days(30),
        pdf=True,
    )
    with django_assert_max_num_queries(40) as few:
        assert "Perpanjang masa berlaku" in text_of(client.get(PAGE))
    renew(certificate, months_days=5, on=today() - days(500))
    renew(certificate, months_days=5, on=today() - days(400))
    for number in range(3):
        module_with_lessons(lessons=1, title=f"Penyegaran {number}", is_refresher=True)
    for number in range(6):
        programme = ProgrammeFactory(name=f"Program {number}", short_name=f"P{number}")
        certificate_for(holder, programme, revoked=True, pdf=True)
        certificate_for(world.trainee(f"lain-{number}"), world.programme, pdf=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        words = text_of(client.get(PAGE))
    assert "Penyegaran 2 Belum" in words
    assert words.count("Dicabut") == 6


# --- The PDF ------------------------------------------------------------------


@pytest.fixture
def people(world, holder):
    """The holder and the people around her, by the part they play."""
    partner_organisation = OrganisationFactory(name="Yayasan Mitra", short_name="YM")
    other_coordinator = user_with_roles(Role.KOORDINATOR, username="koordinator-lain")
    ProgrammeFactory(
        name="Program Lain", short_name="PLN", coordinators=[other_coordinator]
    )
    return {
        "holder": holder,
        "other_trainee": world.trainee("peserta-lain"),
        "facilitator": world.facilitator,
        "coordinator": world.coordinator,
        "partner": user_with_roles(
            Role.FASILITATOR,
            username="fasilitator-mitra",
            organisation=partner_organisation,
        ),
        "other_coordinator": other_coordinator,
    }


ALLOWED = {"holder", "facilitator", "coordinator"}


@pytest.mark.parametrize(
    "who",
    ["holder", "other_trainee", "facilitator", "coordinator", "partner"]
    + ["other_coordinator"],
)
def test_the_pdf_goes_to_the_holder_and_the_staff_in_scope_only(world, people, who):
    certificate = certificate_for(
        people["holder"],
        world.programme,
        issued_on=datetime.date(2025, 12, 5),
        pdf=True,
    )
    response = client_for(people[who]).get(download(certificate))
    if who in ALLOWED:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="sertifikat-psk-2025.pdf"'
        )
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 404


def test_the_pdf_asks_a_visitor_to_sign_in(world, holder):
    certificate = certificate_for(holder, world.programme, pdf=True)
    response = client_for(None).get(download(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "999999999"])
def test_a_pdf_that_does_not_exist_is_a_plain_404(world, holder, pk):
    assert client_for(holder).get(f"/sertifikat/{pk}/unduh/").status_code == 404


def test_a_revoked_certificate_is_not_handed_to_its_holder_but_staff_can_open_it(
    world, people
):
    certificate = certificate_for(
        people["holder"], world.programme, revoked=True, pdf=True
    )
    response = client_for(people["holder"]).get(download(certificate), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Sertifikat ini sudah dicabut, jadi PDF-nya tidak tersedia lagi." in (
        text_of(response)
    )
    staff = client_for(people["coordinator"]).get(download(certificate))
    assert staff.status_code == 200
    assert staff["Content-Type"] == "application/pdf"


def test_a_pdf_in_the_making_is_a_page_that_says_so(world, people):
    certificate = certificate_for(people["holder"], world.programme)
    for who in ("holder", "facilitator"):
        response = client_for(people[who]).get(download(certificate))
        assert response.status_code == 200
        assert "PDF sertifikat sedang dibuat" in text_of(response)
        assert "no-store" in response["Cache-Control"]
    attach_pdf(certificate)
    ready = client_for(people["holder"]).get(download(certificate))
    assert ready["Content-Type"] == "application/pdf"


def test_a_pdf_gone_from_the_disk_is_the_page_not_a_server_error(world, holder):
    certificate = certificate_for(holder, world.programme, pdf=True)
    certificate.pdf.storage.delete(certificate.pdf.name)
    response = client_for(holder).get(download(certificate))
    assert response.status_code == 200
    assert "PDF sertifikat sedang dibuat" in text_of(response)


def test_the_pdf_address_takes_no_posts(world, holder):
    certificate = certificate_for(holder, world.programme, pdf=True)
    assert client_for(holder).post(download(certificate)).status_code == 405


# --- The home panel ----------------------------------------------------------


def test_the_home_panel_counts_the_conditions_met(world):
    person = world.trainee("di-beranda")
    world.add_cases(person, 2)
    words = text_of(client_for(person).get("/"))
    assert "Sertifikat PSK: 1 dari 5 syarat terpenuhi · Lihat syaratnya" in words


def test_the_home_panel_tells_a_ready_trainee(world):
    person = world.ready_trainee("siap-beranda")
    words = text_of(client_for(person).get("/"))
    assert (
        "Sertifikat PSK: semua syarat terpenuhi, koordinator akan menerbitkan "
        "sertifikatmu"
    ) in words


def test_the_home_panel_says_until_when_a_certificate_stands(world, holder):
    certificate_for(holder, world.programme, valid_until=datetime.date(2028, 12, 5))
    words = text_of(client_for(holder).get("/"))
    assert "Sertifikat PSK berlaku sampai 5 Desember 2028 · Lihat sertifikat" in words


def test_the_home_panel_says_when_a_certificate_lapsed(world, holder):
    certificate_for(
        holder,
        world.programme,
        issued_on=datetime.date(2020, 1, 2),
        valid_until=datetime.date(2023, 1, 2),
    )
    words = text_of(client_for(holder).get("/"))
    assert "Sertifikat PSK kedaluwarsa sejak 2 Januari 2023" in words


def test_the_home_panel_is_absent_without_a_programme(db):
    person = user_with_roles(Role.PESERTA, username="tanpa-program")
    html = client_for(person).get("/").content.decode()
    assert 'id="panel-sertifikat"' not in html


def test_the_home_takes_the_same_queries_for_few_or_many_certificates(
    world, holder, django_assert_max_num_queries
):
    client = client_for(holder)
    with django_assert_max_num_queries(60) as few:
        assert client.get("/").status_code == 200
    for number in range(5):
        programme = ProgrammeFactory(name=f"Program {number}", short_name=f"P{number}")
        certificate_for(holder, programme, revoked=True)
    certificate_for(holder, world.programme, valid_until=today() + days(30))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/").status_code == 200
