"""Certification: a programme's rule, a trainee's checklist, issuing and revoking.

A rule is a list of conditions. This app registers those it can judge itself
(core modules and their graded quizzes, competencies, workshop attendance, in
`certification_conditions.py`); the magang work registers verified hours and
reviewed practice cases from its `apps.py`. Each condition judges a whole list
of trainees at once, so a cohort's ready list costs the same few queries
however large the cohort is.

`issue_certificate` checks the rule again inside its transaction, with the
trainee's row locked: a double click, a bulk issue and a single issue at the
same moment make one certificate. Issuing makes the holder an alumna or
alumnus and tells them, in the app and by e-mail.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import audit
from learning.choices import AuditAction, Role
from learning.models import Cohort, Enrolment, Programme, User
from learning.notifications import notify
from learning.outbox import enqueue
from learning.scope import is_active_staff, people_visible_to

from .choices import CertificateStatus
from .models import Certificate, CertificationRule

# A revocation must say why; the reason is kept for coordinators.
REASON_MAX_LENGTH = 1000
# What Certificate.organisation_names holds.
ORGANISATION_NAMES_LENGTH = 600


class CertificationError(Exception):
    """An issue or revocation the rules refuse; the message is for the person."""


@dataclass(frozen=True)
class ChecklistLine:
    """One condition of the rule, as it stands for one trainee."""

    key: str
    label: str  # "Jam magang terverifikasi"
    done: bool
    progress: str  # "32 dari 40 jam"
    link: str = ""  # where the trainee does it; "" when nowhere on the site
    # What is still missing, said short for a facilitator's table: "8 jam".
    missing: str = ""
    # What the certificate rests on: a number (minutes, cases, per cent) and
    # the names of what was done (modules, competencies).
    amount: int | None = None
    items: tuple[str, ...] = ()


@dataclass
class Checklist:
    """Where one trainee stands against one programme's rule."""

    programme: Programme
    trainee: User
    lines: list[ChecklistLine] = field(default_factory=list)
    certificate: Certificate | None = None

    @property
    def ready(self) -> bool:
        return all(line.done for line in self.lines)

    @property
    def missing(self) -> list[ChecklistLine]:
        return [line for line in self.lines if not line.done]


# A condition judges many trainees at once: {trainee id: their line}.
ConditionCheck = Callable[
    [CertificationRule, Programme, Sequence[User]], dict[int, ChecklistLine]
]


@dataclass(frozen=True)
class ConditionKind:
    key: str
    order: int
    applies: Callable[[CertificationRule], bool]
    check: ConditionCheck


_conditions: dict[str, ConditionKind] = {}


def register_certification_condition(
    key: str,
    *,
    order: int,
    applies: Callable[[CertificationRule], bool],
    check: ConditionCheck,
) -> None:
    """Let an app add a condition; `applies` reads the rule's switch for it."""
    _conditions[key] = ConditionKind(key=key, order=order, applies=applies, check=check)


def condition_kinds() -> list[ConditionKind]:
    return sorted(_conditions.values(), key=lambda kind: kind.order)


def rule_for(programme: Programme) -> CertificationRule:
    """The programme's rule, or the default rule (every condition on, unsaved)."""
    try:
        return programme.certification_rule
    except CertificationRule.DoesNotExist:
        return CertificationRule(programme=programme)


def standing_certificates() -> QuerySet[Certificate]:
    """Certificates not revoked (valid or expired)."""
    return Certificate.objects.filter(revoked_at__isnull=True)


def checklists(
    *, programme: Programme, trainees: Iterable[User]
) -> dict[int, Checklist]:
    """Each trainee's checklist for `programme`, in a bounded number of queries."""
    # Each person once, however often the caller named them.
    trainees = list({trainee.pk: trainee for trainee in trainees}.values())
    if not trainees:
        return {}
    rule = rule_for(programme)
    result = {
        trainee.pk: Checklist(programme=programme, trainee=trainee)
        for trainee in trainees
    }
    for kind in condition_kinds():
        if not kind.applies(rule):
            continue
        lines = kind.check(rule, programme, trainees)
        for trainee in trainees:
            result[trainee.pk].lines.append(lines[trainee.pk])
    held = standing_certificates().filter(
        programme=programme, holder__in=[trainee.pk for trainee in trainees]
    )
    for certificate in held:
        result[certificate.holder_id].certificate = certificate
    return result


def checklist(*, programme: Programme, trainee: User) -> Checklist:
    return checklists(programme=programme, trainees=[trainee])[trainee.pk]


def programmes_of_trainee(trainee: User) -> QuerySet[Programme]:
    """The programmes whose cohorts the person is or was enrolled in."""
    return Programme.objects.filter(cohorts__enrolments__trainee=trainee).distinct()


# Who may do what ---------------------------------------------------------


def programmes_certified_by(actor: User) -> QuerySet[Programme]:
    """Programmes whose certificates `actor` may issue and revoke: the ones
    they coordinate (superusers: all)."""
    if not is_active_staff(actor):
        return Programme.objects.none()
    if actor.is_superuser:
        return Programme.objects.all()
    if not actor.has_role(Role.KOORDINATOR):
        return Programme.objects.none()
    return Programme.objects.filter(coordinators=actor)


def may_certify(actor: User, programme: Programme) -> bool:
    return programmes_certified_by(actor).filter(pk=programme.pk).exists()


def certificates_visible_to(actor: User) -> QuerySet[Certificate]:
    """Own certificates; for staff, those of the people and programmes in scope."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return Certificate.objects.none()
    mine = Q(holder=actor)
    if not is_active_staff(actor):
        return Certificate.objects.filter(mine)
    if actor.is_superuser:
        return Certificate.objects.all()
    return Certificate.objects.filter(
        mine
        | Q(holder__in=people_visible_to(actor).values("pk"))
        | Q(programme__in=programmes_certified_by(actor).values("pk"))
    ).distinct()


def certificates_managed_by(actor: User) -> QuerySet[Certificate]:
    """Certificates `actor` may revoke: those of programmes they certify."""
    return Certificate.objects.filter(
        programme__in=programmes_certified_by(actor).values("pk")
    )


# Status --------------------------------------------------------------------


def certificate_status(
    certificate: Certificate, *, today: datetime.date | None = None
) -> str:
    """Berlaku, kedaluwarsa, dicabut, or no longer verifiable (data erased)."""
    if certificate.unverifiable_since is not None:
        return CertificateStatus.UNVERIFIABLE
    if certificate.revoked_at is not None:
        return CertificateStatus.REVOKED
    today = today or timezone.localdate()
    if certificate.valid_until is not None and certificate.valid_until < today:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def verification_path(certificate: Certificate) -> str:
    return reverse("assessments:certificate_verification", args=[certificate.code])


def verification_url(certificate: Certificate) -> str:
    """The full public address, as the QR code, the pages and e-mails give it
    (the site's public base address, `WAGTAILADMIN_BASE_URL`)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{verification_path(certificate)}"


def grouped_code(code: str) -> str:
    """ "ACDEFGHJ…" as "ACDE-FGHJ-…": read aloud and typed off paper without
    losing one's place."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


# Issuing -----------------------------------------------------------------


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    created: bool  # False: the person already held it


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def valid_until_for(
    rule: CertificationRule, start: datetime.date
) -> datetime.date | None:
    if not rule.validity_months:
        return None
    return _months_later(start, rule.validity_months)


def _training_cohort(trainee: User, programme: Programme) -> Cohort | None:
    enrolment = (
        Enrolment.objects.filter(trainee=trainee, cohort__programme=programme)
        .select_related("cohort")
        .order_by("-cohort__start_date")
        .first()
    )
    return enrolment.cohort if enrolment else None


def _basis(checked: Checklist) -> dict:
    """What the certificate rests on, by condition: {"hours": {"progress":
    "48 dari 40 jam", "amount": 2880, "items": []}, ...}."""
    return {
        line.key: {
            "label": line.label,
            "progress": line.progress,
            "amount": line.amount,
            "items": list(line.items),
        }
        for line in checked.lines
    }


def _organisation_names(programme: Programme) -> str:
    """The issuing organisations as the certificate names them, within the
    600 characters kept: full names, else short names, else as many short
    names as fit and "dan N lembaga lain"."""
    organisations = list(programme.organisations.order_by("name"))
    full = ", ".join(organisation.name for organisation in organisations)
    if len(full) <= ORGANISATION_NAMES_LENGTH:
        return full
    short = [organisation.short_name for organisation in organisations]
    if len(", ".join(short)) <= ORGANISATION_NAMES_LENGTH:
        return ", ".join(short)
    for shown in range(len(short) - 1, 0, -1):
        names = (
            ", ".join(short[:shown])
            + " "
            + _("dan %(count)d lembaga lain") % {"count": len(short) - shown}
        )
        if len(names) <= ORGANISATION_NAMES_LENGTH:
            return names
    return short[0][:ORGANISATION_NAMES_LENGTH]


def _refusal(trainee: User | None, programme: Programme, issuer: User) -> str:
    """Why `trainee` may not be given this programme's certificate by
    `issuer`, before the rule's own conditions; "" when nothing stands in the
    way."""
    if not may_certify(issuer, programme):
        return _("Hanya koordinator program ini yang dapat menerbitkan sertifikat.")
    if trainee is None:
        return _("Akun ini tidak ditemukan.")
    if trainee.pk == issuer.pk:
        return _("Sertifikatmu sendiri diterbitkan oleh koordinator lain.")
    if not trainee.is_active:
        return _("Akun %(name)s tidak aktif.") % {"name": trainee.display_name}
    if not Enrolment.objects.filter(
        trainee=trainee, cohort__programme=programme
    ).exists():
        return _("%(name)s bukan peserta program ini.") % {"name": trainee.display_name}
    if not trainee.get_full_name().strip():
        return _(
            "Akun %(username)s belum punya nama lengkap untuk sertifikat. "
            "Isi namanya dulu."
        ) % {"username": trainee.username}
    return ""


def issue_certificate(*, trainee: User, programme: Programme, issuer: User) -> Issued:
    """Issue `trainee` the programme's certificate if the rule is met now.

    Checked and written in one transaction with the trainee's row locked:
    issuing twice, or at once from two screens, gives one certificate and the
    same answer. A trainee who does not meet the rule gets nothing, and the
    error names what is missing. Only the programme's coordinators issue, never
    to themselves, and only to an active account enrolled in the programme.
    """
    from .tasks import build_certificate_pdf  # tasks import the PDF module

    with transaction.atomic():
        # The rows as they are now, not as the caller read them: the name on
        # the certificate and the rule it is judged by.
        trainee = User.objects.select_for_update().filter(pk=trainee.pk).first()
        programme = Programme.objects.get(pk=programme.pk)
        if refusal := _refusal(trainee, programme, issuer):
            raise CertificationError(refusal)
        held = standing_certificates().filter(holder=trainee, programme=programme)
        if existing := held.first():
            return Issued(certificate=existing, created=False)
        checked = checklist(programme=programme, trainee=trainee)
        if not checked.ready:
            raise CertificationError(
                _("%(name)s belum memenuhi syarat: %(missing)s.")
                % {
                    "name": trainee.display_name,
                    "missing": "; ".join(
                        f"{line.label} ({line.progress})" for line in checked.missing
                    ),
                }
            )
        rule = rule_for(programme)
        cohort = _training_cohort(trainee, programme)
        today = timezone.localdate()
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    holder=trainee,
                    programme=programme,
                    cohort=cohort,
                    holder_name=trainee.get_full_name().strip(),
                    programme_name=programme.name,
                    organisation_names=_organisation_names(programme),
                    training_started_on=cohort.start_date if cohort else None,
                    training_ended_on=(cohort.end_date if cohort else None),
                    basis=_basis(checked),
                    signatories=[
                        {"name": name, "position": position}
                        for name, position in rule.signatory_lines
                    ],
                    issued_on=today,
                    valid_until=valid_until_for(rule, today),
                    issued_by=issuer,
                )
        except IntegrityError:
            # Without row locks (SQLite's are the whole database) another
            # writer can still come first: theirs is the certificate.
            return Issued(certificate=held.get(), created=False)
        _make_alumni(trainee, programme)
        audit.record(
            AuditAction.CERTIFICATE_ISSUED,
            actor=issuer,
            target=certificate,
            target_label=certificate_audit_label(certificate),
            subject=trainee,
            programme=programme,
        )
        notify(
            recipient=trainee,
            message=_(
                "Selamat! Sertifikat %(programme)s sudah terbit. Kamu kini alumni."
            )
            % {"programme": programme.short_name},
            link=reverse("assessments:my_certificates"),
            email_body=_(
                "Sertifikat pelatihan %(programme)s atas namamu sudah terbit. "
                "Buka Pendamping untuk mengunduhnya."
            )
            % {"programme": programme.name},
        )
        enqueue(build_certificate_pdf, certificate.pk)
    return Issued(certificate=certificate, created=True)


def certificate_audit_label(certificate: Certificate) -> str:
    """How the audit trail names a certificate: its code and programme."""
    return f"Sertifikat {certificate.code} ({certificate.programme_name})"


def _make_alumni(trainee: User, programme: Programme) -> None:
    """Alumni from now on; Peserta only while another training is still open.

    Every record of the training stays as it is.
    """
    trainee.groups.add(Group.objects.get(name=Role.ALUMNI))
    today = timezone.localdate()
    certified = standing_certificates().filter(holder=trainee).values("programme")
    still_open = (
        Enrolment.objects.filter(trainee=trainee)
        .exclude(cohort__programme__in=certified)
        .filter(Q(cohort__end_date__isnull=True) | Q(cohort__end_date__gte=today))
    )
    if not still_open.exists():
        trainee.groups.remove(Group.objects.get(name=Role.PESERTA))


@dataclass
class BulkIssueReport:
    issued: list[Certificate] = field(default_factory=list)
    already: list[Certificate] = field(default_factory=list)
    refused: list[tuple[User, str]] = field(default_factory=list)


def issue_certificates(
    *, trainees: Iterable[User], programme: Programme, issuer: User
) -> BulkIssueReport:
    """Issue to each trainee who is ready; the others are listed with why."""
    report = BulkIssueReport()
    for trainee in {trainee.pk: trainee for trainee in trainees}.values():
        try:
            result = issue_certificate(
                trainee=trainee, programme=programme, issuer=issuer
            )
        except CertificationError as error:
            report.refused.append((trainee, str(error)))
            continue
        (report.issued if result.created else report.already).append(result.certificate)
    return report


def revoke_certificate(
    *, certificate: Certificate, actor: User, reason: str
) -> Certificate:
    """Revoke with a reason (kept for coordinators); revoking twice changes nothing.

    The holder keeps the Alumni role and every record: a revocation says the
    certificate no longer stands, not that the training did not happen.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(_("Tulis alasan pencabutan."))
    if len(reason) > REASON_MAX_LENGTH:
        raise CertificationError(
            _("Alasan paling panjang %(count)d karakter.")
            % {"count": REASON_MAX_LENGTH}
        )
    if "\x00" in reason:
        raise CertificationError(
            _("Alasan berisi karakter NUL (byte nol). Hapus lalu kirim lagi.")
        )
    from .tasks import build_certificate_pdf  # tasks import the PDF module

    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not certificates_managed_by(actor).filter(pk=locked.pk).exists():
            raise CertificationError(
                _("Hanya koordinator program ini yang dapat mencabut sertifikat.")
            )
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        # The reason stays on the certificate, for its coordinators only.
        audit.record(
            AuditAction.CERTIFICATE_REVOKED,
            actor=actor,
            target=locked,
            target_label=certificate_audit_label(locked),
            subject=locked.holder,
            programme=locked.programme,
        )
        # The stored PDF says so too (a band across it), not only the public page.
        enqueue(build_certificate_pdf, locked.pk)
    return locked


def rebuild_certificate_pdf(*, certificate: Certificate, actor: User) -> None:
    """Queue the PDF's drawing again (e.g. after a font or name fix).

    Only who manages the certificate; checked with the row locked, and the
    task queued in the same transaction (the outbox).
    """
    from .tasks import build_certificate_pdf

    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not certificates_managed_by(actor).filter(pk=locked.pk).exists():
            raise CertificationError(
                _("Hanya koordinator program ini yang dapat membuat ulang PDF.")
            )
        enqueue(build_certificate_pdf, locked.pk)
