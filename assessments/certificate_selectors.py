"""What the certificate screens read: a person's certificates and checklists,
a cohort's ready list, and what a certificate's PDF may be handed to whom.

The site page, the home panel and the JSON API all read through here, so they
cannot disagree. Each takes a fixed number of queries per programme, however
many certificates, renewals or trainees there are.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from learning.models import Cohort, Programme, User
from modules.models import ModulePage

from .certificate_renewal import RENEWAL_OPENS_MONTHS, renewal_status
from .certification import (
    Checklist,
    certificate_status,
    certificates_visible_to,
    checklists,
    grouped_code,
    programmes_of_trainee,
    standing_certificates,
    verification_url,
)
from .choices import CertificateStatus
from .models import Certificate, CertificateRenewal

# Where each condition of the rule is done, said as the link's words. A
# condition another app adds later without a phrase here gets the last one.
LINK_WORDS = {
    "modules": _("Lanjutkan modul berikutnya"),
    "competencies": _("Lihat profil kompetensiku"),
    "hours": _("Catat jam magang"),
    "cases": _("Catat kasus praktik"),
}
DEFAULT_LINK_WORDS = _("Buka halamannya")
# What to do about a condition that has no page of its own to link to.
HINTS = {
    "attendance": _("Kehadiran dicatat fasilitator pada hari lokakarya."),
}

# Refresher study renews a certificate from six months before it lapses
# (`certificate_renewal.RENEWAL_OPENS_MONTHS`); further off, the page does not
# ask which refreshers renew it (a few queries saved per certificate).
RENEWAL_LOOKAHEAD = datetime.timedelta(days=31 * RENEWAL_OPENS_MONTHS)

# The status tag's look, from the classes the site's stylesheet already has.
STATUS_CLASS = {
    CertificateStatus.VALID: "status--terverifikasi",
    CertificateStatus.EXPIRED: "status--diajukan",
    CertificateStatus.REVOKED: "status--dikembalikan",
    CertificateStatus.UNVERIFIABLE: "status--draf",
}


def link_words(key: str) -> str:
    return str(LINK_WORDS.get(key, DEFAULT_LINK_WORDS))


def pdf_is_built(certificate: Certificate) -> bool:
    return bool(certificate.pdf) and certificate.pdf_built_at is not None


def holder_may_download(certificate: Certificate) -> bool:
    """Once revoked (or no longer verifiable), the holder is not handed a
    fresh copy to show anyone: the paper would still read as standing. Staff
    who may see the certificate can still open it, for their records."""
    return certificate.revoked_at is None and certificate.unverifiable_since is None


def pdf_offered_to(certificate: Certificate, person: User) -> bool:
    """Whether `person` (who may see the certificate) may download its PDF now."""
    if not pdf_is_built(certificate):
        return False
    return certificate.holder_id != person.pk or holder_may_download(certificate)


def pdf_filename(certificate: Certificate) -> str:
    """sertifikat-<programme short name>-<year issued>.pdf"""
    short = slugify(certificate.programme.short_name) or "program"
    return f"sertifikat-{short}-{certificate.issued_on:%Y}.pdf"


@dataclass
class CertificateView:
    """One of the person's certificates, as the page and the API show it."""

    certificate: Certificate
    status: str
    status_label: str
    status_class: str
    pdf_offered: bool
    verification_url: str
    code_grouped: str
    renewals: list[CertificateRenewal]
    # Studying the refresher modules now renews it: [(module, studied)].
    renewal_due: bool = False
    renewal_modules: list[tuple[ModulePage, bool]] = field(default_factory=list)

    @property
    def revoked_on(self) -> datetime.date | None:
        revoked = self.certificate.revoked_at
        return timezone.localdate(revoked) if revoked else None


def certificates_held_by(person: User) -> QuerySet[Certificate]:
    """The person's own certificates (revoked ones too), newest first, with
    their programme and renewals in two more queries."""
    return (
        certificates_visible_to(person)
        .filter(holder=person)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "renewals",
                queryset=CertificateRenewal.objects.order_by("renewed_on", "pk"),
            )
        )
        .order_by("-issued_on", "-pk")
    )


def certificate_view(
    certificate: Certificate,
    *,
    person: User,
    today: datetime.date | None = None,
    with_renewal: bool = True,
) -> CertificateView:
    today = today or timezone.localdate()
    status = certificate_status(certificate, today=today)
    view = CertificateView(
        certificate=certificate,
        status=status,
        status_label=str(CertificateStatus(status).label),
        status_class=STATUS_CLASS.get(status, "status--draf"),
        pdf_offered=pdf_offered_to(certificate, person),
        verification_url=verification_url(certificate),
        code_grouped=grouped_code(certificate.code),
        renewals=list(certificate.renewals.all()),
    )
    ends = certificate.valid_until
    if (
        with_renewal
        and ends is not None
        and status in (CertificateStatus.VALID, CertificateStatus.EXPIRED)
        and ends - today <= RENEWAL_LOOKAHEAD
    ):
        view.renewal_due, view.renewal_modules = renewal_status(
            certificate, today=today
        )
    return view


@dataclass
class ProgrammeStanding:
    """Where the person stands in one programme: their standing certificate,
    or else their checklist against the programme's rule."""

    programme: Programme
    certificate: Certificate | None = None
    checklist: Checklist | None = None
    lines: list = field(default_factory=list)

    @property
    def rows(self) -> list[dict]:
        """Each line with the words of its link, or a hint where it has none."""
        return [
            {
                "line": line,
                "link_words": link_words(line.key),
                "hint": str(HINTS.get(line.key, "")),
            }
            for line in self.lines
        ]

    @property
    def done_count(self) -> int:
        return sum(1 for line in self.lines if line.done)

    @property
    def ready(self) -> bool:
        return self.checklist is not None and self.checklist.ready


def standings(person: User, *, held: list[Certificate] | None = None) -> list:
    """For each programme the person is or was enrolled in: the standing
    certificate, or the checklist (judged only where no certificate stands:
    an alumna's training years ago is not judged again on today's records).

    `held`: the person's certificates already read (saves a query).
    """
    programmes = list(programmes_of_trainee(person).order_by("name"))
    if not programmes:
        return []
    if held is None:
        held = list(standing_certificates().filter(holder=person))
    standing = {
        certificate.programme_id: certificate
        for certificate in held
        if certificate.revoked_at is None
    }
    result = []
    for programme in programmes:
        certificate = standing.get(programme.pk)
        if certificate is not None:
            result.append(
                ProgrammeStanding(programme=programme, certificate=certificate)
            )
            continue
        checked = checklists(programme=programme, trainees=[person])[person.pk]
        result.append(
            ProgrammeStanding(
                programme=programme, checklist=checked, lines=checked.lines
            )
        )
    return result


def cohort_trainees(cohort: Cohort) -> QuerySet[User]:
    """The people enrolled in the cohort, by name."""
    return (
        User.objects.filter(enrolments__cohort=cohort)
        .distinct()
        .order_by("first_name", "last_name", "username", "pk")
    )


class ReadyList:
    """A cohort's ready list that judges only the page it is sliced to.

    The API's pagination slices it and asks its length; each slice costs the
    same few queries whatever its size.
    """

    def __init__(self, cohort: Cohort):
        self.cohort = cohort
        self.trainees = cohort_trainees(cohort)

    def __len__(self) -> int:
        return self.trainees.count()

    def __getitem__(self, index: slice) -> list[dict]:
        people = list(self.trainees[index])
        checked = checklists(programme=self.cohort.programme, trainees=people)
        return [ready_row(checked[person.pk]) for person in people]


def ready_row(checked: Checklist) -> dict:
    certificate = checked.certificate
    return {
        "id": checked.trainee.pk,
        "name": checked.trainee.display_name,
        "ready": checked.ready,
        "missing": [
            {
                "key": line.key,
                "label": line.label,
                "progress": line.progress,
                "missing": line.missing,
            }
            for line in checked.missing
        ],
        "certificate_code": certificate.code if certificate else None,
    }


def certificate_download_path(certificate: Certificate) -> str:
    return reverse("assessments:certificate_pdf", args=[certificate.pk])
