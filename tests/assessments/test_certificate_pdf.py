"""The certificate PDF: what it says, its QR code, the law page, and how it is
stored (one private file, however often and however many times at once it
is built)."""

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

import pytest
import zxingcpp
from pypdf import PdfReader

from assessments import certificate_pdf
from assessments.certificate_pdf import (
    build_certificate_pdf,
    render_certificate,
)
from assessments.certification import (
    grouped_code,
    issue_certificate,
    revoke_certificate,
)
from assessments.models import Certificate, CertificationRule
from learning import outbox
from learning.choices import Role
from learning.urls import PUBLIC_MEDIA_FOLDERS
from tests.concurrency import all_at_once
from tests.factories.people import UserFactory, user_with_roles
from tests.factories.programmes import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from tests.hostile import UGLY

COMPETENCIES = [
    "Analisis gender",
    "Konseling awal dan penguatan korban",
    "Mekanisme penanganan dan rujukan kasus",
    "Proses litigasi dan non-litigasi",
]


def basis(competencies=COMPETENCIES, minutes=48 * 60, cases=3, percent=92):
    return {
        "competencies": {
            "label": "Kompetensi dinilai kompeten",
            "progress": f"{len(competencies)} dari {len(competencies)} kompetensi",
            "amount": len(competencies),
            "items": list(competencies),
        },
        "hours": {
            "label": "Jam magang terverifikasi",
            "progress": "48 dari 40 jam",
            "amount": minutes,
            "items": [],
        },
        "cases": {
            "label": "Kasus praktik yang sudah ditinjau",
            "progress": "3 dari 2 kasus",
            "amount": cases,
            "items": [],
        },
        "attendance": {
            "label": "Hadir di lokakarya program",
            "progress": "11 dari 12 hari (92%)",
            "amount": percent,
            "items": [],
        },
        "modules": {
            "label": "Modul inti selesai, kuis dinilai lulus",
            "progress": "2 dari 2 modul",
            "amount": 2,
            "items": ["Gender dan kesetaraan gender", "Pendokumentasian kasus"],
        },
    }


def make_certificate(**fields) -> Certificate:
    holder = fields.pop("holder", None) or UserFactory(
        first_name="Yuliana", last_name="Taneo"
    )
    programme = fields.pop("programme", None) or ProgrammeFactory(
        name="Sekolah Pendamping Korban",
        organisations=[
            OrganisationFactory(name="SSP Soe"),
            OrganisationFactory(name="LBH APIK NTT"),
        ],
    )
    values = {
        "holder_name": "Yuliana Taneo",
        "programme_name": programme.name,
        "organisation_names": "LBH APIK NTT, SSP Soe",
        "training_started_on": datetime.date(2025, 2, 3),
        "training_ended_on": datetime.date(2025, 11, 28),
        "basis": basis(),
        "signatories": [
            {"name": "Maria Nenobais", "position": "Direktur SSP Soe"},
            {"name": "Ansi Rihi Dara", "position": "Koordinator LBH APIK NTT"},
        ],
        "issued_on": datetime.date(2025, 12, 10),
    }
    values.update(fields)
    return Certificate.objects.create(holder=holder, programme=programme, **values)


def pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def stored(certificate: Certificate) -> bytes:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def flat(text: str) -> str:
    """Extracted text with its line breaks as spaces (long lines wrap)."""
    return " ".join(text.split())


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    """Build as the worker does, its transaction committed (the file it
    replaces is deleted then)."""

    def run(certificate_id: int) -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            return build_certificate_pdf(certificate_id=certificate_id)

    return run


def files_in(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


# --- What it says --------------------------------------------------------------


@pytest.mark.django_db
def test_page_one_names_holder_programme_givers_dates_basis_and_signatories():
    certificate = make_certificate()

    first, _law = pages(render_certificate(certificate))
    text = flat(first)

    for expected in (
        "SERTIFIKAT",
        "Yuliana Taneo",
        "telah menyelesaikan pelatihan",
        "Sekolah Pendamping Korban",
        "yang diberikan oleh LBH APIK NTT, SSP Soe",
        "3 Februari 2025 sampai 28 November 2025",
        "Kompetensi yang dinilai kompeten",
        *COMPETENCIES,
        "48 jam magang terverifikasi",
        "3 kasus praktik yang sudah ditinjau",
        "Hadir pada 92% hari lokakarya program",
        "Gender dan kesetaraan gender; Pendokumentasian kasus",
        "Maria Nenobais",
        "Direktur SSP Soe",
        "Ansi Rihi Dara",
        "Koordinator LBH APIK NTT",
        "Diterbitkan 10 Desember 2025",
        "Berlaku sampai tanpa batas waktu",
        grouped_code(certificate.code),
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_the_code_is_printed_in_groups_of_four_and_the_validity_as_a_date():
    certificate = make_certificate(valid_until=datetime.date(2028, 12, 10))

    text = flat(pages(render_certificate(certificate))[0])

    code = certificate.code
    assert f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:16]}-{code[16:]}" in text
    assert "Berlaku sampai 10 Desember 2028" in text
    assert "tanpa batas waktu" not in text


@pytest.mark.django_db
def test_half_hours_print_as_a_decimal():
    certificate = make_certificate(basis=basis(minutes=40 * 60 + 30))

    assert "40,5 jam magang" in flat(pages(render_certificate(certificate))[0])


@pytest.mark.django_db
def test_nothing_of_the_holder_but_the_name_is_printed():
    holder = UserFactory(
        first_name="Yuliana",
        last_name="Taneo",
        email="yuliana.taneo@example.org",
        phone="081234567890",
        username="yuliana-taneo-7",
    )
    certificate = make_certificate(holder=holder)

    text = "\n".join(pages(render_certificate(certificate)))

    assert "Yuliana Taneo" in text
    for private in ("yuliana.taneo@example.org", "081234567890", "yuliana-taneo-7"):
        assert private not in text


@pytest.mark.django_db
def test_the_snapshot_is_printed_not_the_live_records():
    certificate = make_certificate()
    holder = certificate.holder
    holder.first_name, holder.last_name = "Nama", "Baru"
    holder.save()
    certificate.programme.name = "Program Berganti Nama"
    certificate.programme.save()

    text = flat("\n".join(pages(render_certificate(certificate))))

    assert "Yuliana Taneo" in text
    assert "Sekolah Pendamping Korban" in text
    assert "Nama Baru" not in text
    assert "Program Berganti Nama" not in text


@pytest.mark.django_db
def test_a_revoked_certificate_says_so_on_its_first_page():
    certificate = make_certificate(
        revoked_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)),
        revocation_reason="Alasan internal yang tidak dicetak",
    )

    first, law = pages(render_certificate(certificate))

    assert "DICABUT pada 2 Maret 2026" in flat(first)
    assert "tidak berlaku lagi" in flat(first)
    assert "Alasan internal" not in first + law


# --- The QR code ---------------------------------------------------------------


def qr_texts(data: bytes) -> list[str]:
    """What every QR code in the PDF says (page 1 holds one unless very long
    texts pushed it on)."""
    return [
        barcode.text
        for page in PdfReader(io.BytesIO(data)).pages
        for image in page.images
        for barcode in zxingcpp.read_barcodes(image.image)
    ]


@pytest.mark.django_db
def test_the_qr_code_opens_the_public_verification_address(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://pendamping.example.org/"
    certificate = make_certificate()

    data = render_certificate(certificate)

    address = f"https://pendamping.example.org/verifikasi/{certificate.code}/"
    assert qr_texts(data) == [address]
    # The same address is printed for those who cannot scan.
    assert address in flat(pages(data)[0]).replace(" ", "")


# --- The law page --------------------------------------------------------------


@pytest.mark.django_db
def test_page_two_maps_the_competencies_to_the_law_and_claims_no_paralegal_status():
    certificate = make_certificate()

    law = flat(pages(render_certificate(certificate))[1])

    assert "Pelatihan ini dan hukum" in law
    assert (
        "pemegangnya telah menyelesaikan pelatihan Sekolah Pendamping Korban yang "
        "diberikan oleh LBH APIK NTT, SSP Soe" in law
    )
    assert "UU 12/2022 pasal 26 ayat (3) huruf a" in law
    assert "hak asasi manusia dan sensitivitas gender" in law
    assert "UU 12/2022 pasal 26 ayat (3) huruf b" in law
    assert "Permenkum 34/2025" in law
    assert "menggantikan Permenkumham 3/2021" in law
    assert "tidak menyatakan pemegangnya paralegal" in law
    assert "Yang tidak dinyatakan sertifikat ini" in law
    # Under 26 (3) a: the held competencies that answer it, not the others.
    part_a = law.split("pasal 26 ayat (3) huruf a")[1].split(
        "pasal 26 ayat (3) huruf b"
    )[0]
    assert "Analisis gender" in part_a
    assert "Konseling awal dan penguatan korban" in part_a
    assert "Proses litigasi dan non-litigasi" not in part_a


@pytest.mark.django_db
@pytest.mark.parametrize("shape", ["left out", "empty"])
def test_without_competencies_the_law_page_maps_none_and_says_why(shape):
    snapshot = basis()
    if shape == "left out":
        del snapshot["competencies"]
    else:
        snapshot["competencies"]["items"] = []
    certificate = make_certificate(basis=snapshot)

    first, law = (flat(text) for text in pages(render_certificate(certificate)))

    assert "Kompetensi yang dinilai kompeten" not in first
    assert "48 jam magang terverifikasi" in first
    assert "tidak bersandar pada penilaian kompetensi" in law
    assert "Tidak ada kompetensi pada sertifikat ini untuk syarat ini." in law
    assert "Analisis gender" not in law


# --- Text as typed -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        'Maria "Mia" O\'Neil <b>&amp;',
        "Ana " + "Yuliana " * 36 + "Taneo",  # 300 characters
        "Ελένη Παπαδοπούλου Алёна",
        "Nona² Rihi — ‘Dara’",
        "李小龙 مريم",
    ],
)
def test_names_of_any_kind_make_a_readable_pdf(name):
    name = name[:300]
    certificate = make_certificate(
        holder_name=name,
        programme_name=f"Program {name}"[:200],
        organisation_names=name,
        signatories=[{"name": name, "position": name}] * 4,
        basis=basis(competencies=[name, *COMPETENCIES]),
    )

    data = render_certificate(certificate)

    texts = pages(data)
    assert len(texts) >= 2
    if name.isascii() or "Ελένη" in name or "Nona²" in name:
        assert name.split()[0] in texts[0]
    assert qr_texts(data) == [
        settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/verifikasi/{certificate.code}/"
    ]


@pytest.mark.django_db
def test_hostile_texts_and_a_malformed_snapshot_still_make_a_pdf():
    certificate = make_certificate()
    for text in UGLY:
        certificate.holder_name = text
        certificate.signatories = [{"name": text, "position": text}, "x", {"name": 7}]
        certificate.basis = {
            "competencies": {"items": [text, None, 5]},
            "hours": {"amount": "banyak"},
            "cases": "tiga",
            "lain": {"label": text, "progress": text, "items": "bukan daftar"},
        }
        # Unsaved: a NUL never reaches the database, but the drawing copes.
        data = render_certificate(certificate)
        assert len(pages(data)) >= 2, repr(text)


# --- Building and storing ------------------------------------------------------


@pytest.mark.django_db
def test_building_stores_one_private_file_and_building_again_replaces_it(media, build):
    certificate = make_certificate()

    assert build(certificate.pk) is True
    certificate.refresh_from_db()
    first_name, first_built = certificate.pdf.name, certificate.pdf_built_at
    assert first_built is not None
    assert "Yuliana Taneo" in pages(stored(certificate))[0]

    assert build(certificate.pk) is True
    certificate.refresh_from_db()

    assert certificate.pdf.name != first_name
    assert certificate.pdf_built_at >= first_built
    assert files_in(media) == [media / certificate.pdf.name]
    # Not in a folder the site serves to anyone, and not named by its code.
    folder = certificate.pdf.name.split("/")[0]
    assert folder == "sertifikat"
    assert folder not in PUBLIC_MEDIA_FOLDERS
    assert certificate.code not in certificate.pdf.name
    assert len(Path(certificate.pdf.name).stem) >= 32


@pytest.mark.django_db
def test_a_missing_certificate_builds_nothing(media, build):
    assert build(987654) is False
    assert files_in(media) == []


@pytest.mark.django_db
def test_a_certificate_that_can_no_longer_be_verified_keeps_no_pdf(media, build):
    certificate = make_certificate()
    build(certificate.pk)
    Certificate.objects.filter(pk=certificate.pk).update(
        unverifiable_since=timezone.now()
    )

    assert build(certificate.pk) is False

    certificate.refresh_from_db()
    assert not certificate.pdf
    assert certificate.pdf_built_at is None


@pytest.mark.django_db
def test_a_change_while_drawing_is_drawn_again(media, build, monkeypatch):
    certificate = make_certificate()
    draw = certificate_pdf.render_certificate
    drawn = []

    def revoke_during_the_first_drawing(cert, **kwargs):
        data = draw(cert, **kwargs)
        if not drawn:
            Certificate.objects.filter(pk=cert.pk).update(revoked_at=timezone.now())
        drawn.append(cert.revoked_at)
        return data

    monkeypatch.setattr(
        certificate_pdf, "render_certificate", revoke_during_the_first_drawing
    )

    assert build(certificate.pk) is True

    assert len(drawn) == 2 and drawn[0] is None and drawn[1] is not None
    assert "DICABUT" in pages(stored(certificate))[0]
    assert len(files_in(media)) == 1


@pytest.mark.django_db
def test_issuing_builds_the_pdf_through_the_task(
    media, build, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="SSP Soe")
    coordinator = user_with_roles(Role.KOORDINATOR, organisation=organisation)
    programme = ProgrammeFactory(
        name="Sekolah Pendamping Korban",
        organisations=[organisation],
        coordinators=[coordinator],
    )
    trainee = user_with_roles(Role.PESERTA, first_name="Yuliana", last_name="Taneo")
    CohortFactory(programme=programme, trainees=[trainee])
    CertificationRule.objects.create(
        programme=programme,
        require_core_modules=False,
        require_competencies=False,
        require_magang_hours=False,
        require_practice_cases=False,
        require_workshop_attendance=False,
        signatories="Maria Nenobais, Direktur SSP Soe",
    )

    with django_capture_on_commit_callbacks(execute=True):
        issued = issue_certificate(
            trainee=trainee, programme=programme, issuer=coordinator
        )

    certificate = issued.certificate
    text = flat(pages(stored(certificate))[0])
    assert certificate.pdf_built_at is not None
    assert "Yuliana Taneo" in text
    assert "Maria Nenobais" in text
    assert qr_texts(stored(certificate)) == [
        settings.WAGTAILADMIN_BASE_URL.rstrip("/") + f"/verifikasi/{certificate.code}/"
    ]

    # Revoked and built again (the admin's "Buat ulang PDF"): one file, marked.
    revoke_certificate(certificate=certificate, actor=coordinator, reason="Uji")
    build(certificate.pk)
    assert "DICABUT" in pages(stored(certificate))[0]
    assert len(files_in(media)) == 1


def twenty_builds_at_once(media: Path) -> None:
    certificate = make_certificate()

    answers = all_at_once(
        [
            lambda: build_certificate_pdf(certificate_id=certificate.pk)
            for _ in range(20)
        ]
    )

    assert answers == [True] * 20
    certificate.refresh_from_db()
    assert files_in(media) == [media / certificate.pdf.name]
    assert "Yuliana Taneo" in pages(stored(certificate))[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_builds_at_once_leave_one_file(media, monkeypatch):
    monkeypatch.setattr(outbox, "_publish", lambda message: None)
    twenty_builds_at_once(media)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_builds_at_once_leave_one_file_on_postgresql(media, monkeypatch):
    assert connection.vendor == "postgresql"
    monkeypatch.setattr(outbox, "_publish", lambda message: None)
    twenty_builds_at_once(media)
