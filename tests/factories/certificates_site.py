"""Certificates as the site and the API show them: written straight in the
state a test needs (standing, expired, revoked, no longer verifiable, with or
without its PDF), since issuing itself is tested with the rule."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import Certificate, CertificateRenewal
from learning.models import Programme, User

# Enough of a PDF for a download: the file is served as stored.
PDF_BYTES = b"%PDF-1.4\n% sertifikat uji\n%%EOF\n"


def certificate_for(
    holder: User,
    programme: Programme,
    *,
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    revoked: bool = False,
    unverifiable: bool = False,
    pdf: bool = False,
    **fields,
) -> Certificate:
    """A certificate of `programme` held by `holder`, as issuing would copy it."""
    certificate = Certificate.objects.create(
        holder=holder,
        programme=programme,
        holder_name=holder.display_name,
        programme_name=programme.name,
        organisation_names=", ".join(
            organisation.name for organisation in programme.organisations.all()
        ),
        issued_on=issued_on or timezone.localdate(),
        valid_until=valid_until,
        basis={"hours": {"label": "Jam magang", "progress": "40 dari 40 jam"}},
        signatories=[{"name": "Maria Seran", "position": "Koordinator"}],
        revoked_at=timezone.now() if revoked else None,
        revocation_reason=(
            "Diterbitkan keliru: data kehadiran salah." if revoked else ""
        ),
        unverifiable_since=timezone.now() if unverifiable else None,
        **fields,
    )
    if pdf:
        attach_pdf(certificate)
    return certificate


def attach_pdf(certificate: Certificate) -> Certificate:
    """Store a PDF for the certificate, as the build task does."""
    certificate.pdf.save(
        f"uji-{certificate.code}.pdf", ContentFile(PDF_BYTES), save=False
    )
    certificate.pdf_built_at = timezone.now()
    certificate.save(update_fields=["pdf", "pdf_built_at"])
    return certificate


def renew(
    certificate: Certificate,
    *,
    months_days: int = 365,
    on: datetime.date | None = None,
) -> CertificateRenewal:
    """One renewal on day `on` (today), extending the validity by `months_days`."""
    previous = certificate.valid_until
    certificate.valid_until = previous + datetime.timedelta(days=months_days)
    certificate.save(update_fields=["valid_until"])
    return CertificateRenewal.objects.create(
        certificate=certificate,
        renewed_on=on or timezone.localdate(),
        previous_valid_until=previous,
        valid_until=certificate.valid_until,
        modules=["Penyegaran: Rujukan Kasus"],
    )
