"""A certificate's PDF built by the real Celery worker that CI starts."""

import io

from django.conf import settings

import pytest
import zxingcpp
from pypdf import PdfReader

from assessments.certification import issue_certificate
from assessments.models import Certificate, CertificationRule
from learning.choices import Role
from tests.factories.people import user_with_roles
from tests.factories.programmes import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from tests.services.waiting import wait_for

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_pdf_of_an_issued_certificate(migrated_data):
    organisation = OrganisationFactory(name="Yayasan Lewat Pekerja")
    coordinator = user_with_roles(Role.KOORDINATOR, organisation=organisation)
    programme = ProgrammeFactory(
        name="Sekolah Pendamping Lewat Pekerja",
        organisations=[organisation],
        coordinators=[coordinator],
    )
    trainee = user_with_roles(Role.PESERTA, first_name="Yuliana", last_name="Taneo")
    CohortFactory(programme=programme, trainees=[trainee])
    # Every condition off: ready at once, the test is about the worker.
    CertificationRule.objects.create(
        programme=programme,
        require_core_modules=False,
        require_competencies=False,
        require_magang_hours=False,
        require_practice_cases=False,
        require_workshop_attendance=False,
        signatories="Maria Nenobais, Direktur",
    )

    certificate = issue_certificate(
        trainee=trainee, programme=programme, issuer=coordinator
    ).certificate

    def built():
        certificate.refresh_from_db()
        return certificate.pdf_built_at is not None

    assert wait_for(built), "the worker never built the PDF"
    try:
        with certificate.pdf.open("rb") as handle:
            data = handle.read()
        reader = PdfReader(io.BytesIO(data))
        first = " ".join(reader.pages[0].extract_text().split())
        assert "Yuliana Taneo" in first
        assert "Sekolah Pendamping Lewat Pekerja" in first
        assert "yang diberikan oleh Yayasan Lewat Pekerja" in first
        assert "Pelatihan ini dan hukum" in reader.pages[1].extract_text()
        codes = [
            barcode.text
            for image in reader.pages[0].images
            for barcode in zxingcpp.read_barcodes(image.image)
        ]
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        assert codes == [f"{base}/verifikasi/{certificate.code}/"]
        assert Certificate.objects.count() == 1
    finally:
        certificate.pdf.delete(save=False)
