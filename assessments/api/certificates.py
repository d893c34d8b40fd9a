"""Certificates and the certification checklist in the JSON API.

- `GET mine` and `GET checklist`: the signed-in person's own, as the site's
  /sertifikat/ page shows them.
- `GET cohorts/{cohort_id}/ready`: who in a cohort is ready and what the
  others lack, for the staff who read that cohort's results
  (`learning.scope.cohorts_managed_by`, as the competence matrix).
- `POST issue`: a programme's coordinator issues to the ready ones
  (`assessments.certification.issue_certificates`, which checks the rule
  again, person by person, inside its transaction).
"""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from learning.api_errors import ErrorOut
from learning.bounds import Id, paginate
from learning.models import Programme
from learning.scope import cohorts_managed_by, is_active_staff, people_visible_to

from ..certificate_selectors import (
    ReadyList,
    certificate_download_path,
    certificate_view,
    certificates_held_by,
)
from ..certification import (
    checklists,
    issue_certificates,
    may_certify,
    programmes_of_trainee,
    verification_url,
)

router = Router(tags=["sertifikat"])

# At most this many people in one issuing request (a large cohort fits).
MAX_ISSUE = 200


class CertificateRenewalOut(Schema):
    renewed_on: datetime.date
    previous_valid_until: datetime.date
    valid_until: datetime.date
    modules: list[str]


class MyCertificateOut(Schema):
    id: int
    code: str
    programme_id: int
    programme: str = Field(description="Nama program seperti tertulis di sertifikat.")
    organisations: str
    issued_on: datetime.date
    valid_until: datetime.date | None = Field(
        description="Kosong bila berlaku tanpa batas waktu."
    )
    status: str = Field(
        description="berlaku, kedaluwarsa, dicabut, atau tidak_dapat_diverifikasi."
    )
    status_label: str
    revoked_on: datetime.date | None
    verification_url: str = Field(description="Alamat verifikasi publik.")
    pdf_url: str | None = Field(
        description="Alamat unduh PDF; kosong selama PDF dibuat, atau bila dicabut."
    )
    renewals: list[CertificateRenewalOut]


class ChecklistLineOut(Schema):
    key: str
    label: str
    done: bool
    progress: str
    link: str = Field(description="Halaman situs tempat syarat ini dipenuhi, atau ''.")


class ProgrammeChecklistOut(Schema):
    programme_id: int
    programme: str
    ready: bool
    certificate_code: str | None = Field(
        description="Kode sertifikat yang berlaku (belum dicabut) untuk program ini."
    )
    lines: list[ChecklistLineOut]


class MissingConditionOut(Schema):
    key: str
    label: str
    progress: str
    missing: str = Field(description="Yang masih kurang, singkat: '8 jam'.")


class ReadyTraineeOut(Schema):
    id: int
    name: str
    ready: bool
    missing: list[MissingConditionOut]
    certificate_code: str | None


class IssueIn(Schema):
    programme_id: Id
    trainee_ids: list[Id] = Field(..., min_length=1, max_length=MAX_ISSUE)


class IssuedCertificateOut(Schema):
    trainee_id: int
    name: str
    certificate_id: int
    code: str


class IssueRefusedOut(Schema):
    trainee_id: int
    name: str
    reason: str


class IssueOut(Schema):
    programme_id: int
    issued: list[IssuedCertificateOut] = Field(description="Baru diterbitkan.")
    already: list[IssuedCertificateOut] = Field(
        description="Sudah memegang sertifikat program ini (tidak dibuat dua kali)."
    )
    refused: list[IssueRefusedOut] = Field(description="Belum memenuhi syarat.")


@router.get(
    "/mine",
    response=list[MyCertificateOut],
    summary="Sertifikat saya (yang dicabut juga)",
)
def my_certificates(request: HttpRequest):
    person = request.auth
    rows = []
    for certificate in certificates_held_by(person):
        view = certificate_view(certificate, person=person, with_renewal=False)
        rows.append(
            {
                "id": certificate.pk,
                "code": certificate.code,
                "programme_id": certificate.programme_id,
                "programme": certificate.programme_name,
                "organisations": certificate.organisation_names,
                "issued_on": certificate.issued_on,
                "valid_until": certificate.valid_until,
                "status": view.status,
                "status_label": view.status_label,
                "revoked_on": view.revoked_on,
                "verification_url": verification_url(certificate),
                "pdf_url": (
                    certificate_download_path(certificate) if view.pdf_offered else None
                ),
                "renewals": [
                    {
                        "renewed_on": renewal.renewed_on,
                        "previous_valid_until": renewal.previous_valid_until,
                        "valid_until": renewal.valid_until,
                        "modules": [str(title) for title in renewal.modules or []],
                    }
                    for renewal in view.renewals
                ],
            }
        )
    return rows


@router.get(
    "/checklist",
    response=list[ProgrammeChecklistOut],
    summary="Syarat sertifikat saya, per program",
)
def my_checklist(request: HttpRequest):
    """Each programme the person is or was enrolled in, judged on today's records."""
    person = request.auth
    rows = []
    for programme in programmes_of_trainee(person).order_by("name"):
        checked = checklists(programme=programme, trainees=[person])[person.pk]
        rows.append(
            {
                "programme_id": programme.pk,
                "programme": programme.name,
                "ready": checked.ready,
                "certificate_code": (
                    checked.certificate.code if checked.certificate else None
                ),
                "lines": [
                    {
                        "key": line.key,
                        "label": line.label,
                        "done": line.done,
                        "progress": line.progress,
                        "link": line.link,
                    }
                    for line in checked.lines
                ],
            }
        )
    return rows


@router.get(
    "/cohorts/{cohort_id}/ready",
    response={200: list[ReadyTraineeOut], 403: ErrorOut, 404: ErrorOut},
    summary="Siapa di angkatan ini yang siap disertifikasi",
)
@paginate
def cohort_ready(request: HttpRequest, cohort_id: Id):
    """For facilitators and coordinators who read the cohort's results. 404:
    a cohort that does not exist or is not theirs (the same answer)."""
    if not is_active_staff(request.auth):
        raise HttpError(403, _("Hanya untuk fasilitator dan koordinator."))
    cohort = cohorts_managed_by(request.auth).filter(pk=cohort_id).first()
    if cohort is None:
        raise HttpError(404, _("Angkatan ini tidak ditemukan."))
    return ReadyList(cohort)


@router.post(
    "/issue",
    response={200: IssueOut, 403: ErrorOut, 404: ErrorOut},
    summary="Terbitkan sertifikat (koordinator program; aman diulang)",
)
def issue(request: HttpRequest, payload: IssueIn):
    """Issues to each named trainee who meets the rule now; the others are in
    `refused` with what they lack. Sending it again issues nothing twice.
    403: not a coordinator of the programme; 404: an unknown programme, or a
    person who does not exist or is outside the caller's view."""
    actor = request.auth
    programme = Programme.objects.filter(pk=payload.programme_id).first()
    if programme is None:
        raise HttpError(404, _("Program ini tidak ditemukan."))
    if not may_certify(actor, programme):
        raise HttpError(
            403, _("Hanya koordinator program ini yang dapat menerbitkan sertifikat.")
        )
    wanted = list(dict.fromkeys(payload.trainee_ids))
    found = {
        person.pk: person for person in people_visible_to(actor).filter(pk__in=wanted)
    }
    if len(found) != len(wanted):
        raise HttpError(404, _("Sebagian orang yang dipilih tidak ditemukan."))
    trainees = [found[pk] for pk in wanted]
    report = issue_certificates(trainees=trainees, programme=programme, issuer=actor)
    names = {person.pk: person.display_name for person in trainees}

    def issued(certificates) -> list[dict]:
        return [
            {
                "trainee_id": certificate.holder_id,
                "name": names.get(certificate.holder_id, certificate.holder_name),
                "certificate_id": certificate.pk,
                "code": certificate.code,
            }
            for certificate in certificates
        ]

    return {
        "programme_id": programme.pk,
        "issued": issued(report.issued),
        "already": issued(report.already),
        "refused": [
            {"trainee_id": person.pk, "name": person.display_name, "reason": reason}
            for person, reason in report.refused
        ],
    }
