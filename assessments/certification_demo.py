"""The demo's certification: a rule for each programme, the alumna's
certificate of last year, one I-WILL paralegal who meets the rule (so a
coordinator can try issuing) and one certificate revoked.

Run by the mentorship demo once the magang records are loaded (the rule
reads them). Written through the rules a trainee, her facilitator and her
coordinator use, then dated; safe to load again: what exists is left alone.
"""

import datetime

from django.db import transaction
from django.db.models import Max

from learning.demo import ALUMNA, demo_moment
from learning.models import Cohort, Notification, Programme, User
from modules.models import LessonProgress, ModulePage
from modules.progress import mark_lesson_done

from .certification import (
    _basis,
    _organisation_names,
    checklist,
    issue_certificate,
    revoke_certificate,
    rule_for,
    standing_certificates,
    valid_until_for,
)
from .certification_conditions import core_modules
from .choices import CompetenceLevel, QuizMode
from .competence import record_assessment
from .demo import _take_graded_quiz
from .models import Certificate, CertificationRule, Competency, Quiz, Sitting

SSP_SIGNATORIES = (
    "Maria Seran, Koordinator Program Layanan Berbasis Komunitas, SSP SoE\n"
    "Yuliana Tabun, Direktur Yayasan Sanggar Suara Perempuan SoE"
)
SSP_VALIDITY_MONTHS = 36
# The alumna's cohort ended on 28 November 2025; her certificate followed.
ALUMNA_ISSUED_ON = datetime.date(2025, 12, 5)

# The I-WILL paralegal of the demo cohort who has done everything the rule asks.
READY_PARALEGAL = "paralegal-oelomin"
PARALEGAL_FIRST_STUDY_DAY = datetime.date(2022, 3, 7)
PARALEGAL_DAYS_PER_MODULE = 28
PARALEGAL_JUDGED_ON = datetime.date(2022, 12, 12)

# A certificate issued in error and revoked two weeks later.
REVOKED_PARALEGAL = "paralegal-ajaobaki"
# The refresher modules that renew SSP-LBK's certificates.
SSP_RENEWAL_MODULES = [
    "konseling-awal-dan-penguatan-korban",
    "mekanisme-penanganan-dan-rujukan-kasus",
]
REVOKED_ISSUED_ON = datetime.date(2023, 1, 20)
REVOKED_ON = datetime.date(2023, 2, 3)
REVOCATION_REASON = "Diterbitkan keliru: data kehadiran salah dicatat"


def load_demo_rules() -> None:
    """SSP-LBK's rule (valid three years, two signatories); I-WILL's defaults."""
    ssp = Programme.objects.filter(short_name="SSP-LBK").first()
    if ssp is not None:
        rule, created = CertificationRule.objects.get_or_create(
            programme=ssp,
            defaults={
                "validity_months": SSP_VALIDITY_MONTHS,
                "signatories": SSP_SIGNATORIES,
            },
        )
        if created:
            # Renewal asks two refresher modules, not every module the demo
            # marks as refresher.
            rule.renewal_modules.set(
                ModulePage.objects.filter(slug__in=SSP_RENEWAL_MODULES)
            )
            rule.save()  # a cluster's relations are written when it is saved
    iwill = Programme.objects.filter(short_name="I-WILL").first()
    if iwill is not None:
        CertificationRule.objects.get_or_create(programme=iwill)


def load_demo_paralegal_study() -> None:
    """The ready paralegal's lessons and graded quizzes of 2022, and her
    facilitator's judgement of every competency at the end of the training.
    Done once: a paralegal with a sitting is left alone."""
    paralegal = User.objects.filter(username=READY_PARALEGAL).first()
    facilitator = User.objects.filter(username="fasilitator").first()
    programme = Programme.objects.filter(short_name="I-WILL").first()
    if not (paralegal and facilitator and programme):
        return
    if Sitting.objects.filter(user=paralegal).exists():
        return
    with transaction.atomic():
        sittings = {}
        for number, module in enumerate(core_modules(programme)):
            first_day = PARALEGAL_FIRST_STUDY_DAY + datetime.timedelta(
                days=PARALEGAL_DAYS_PER_MODULE * number
            )
            _study(paralegal, module, first_day)
            for quiz in Quiz.objects.filter(
                module=module, mode=QuizMode.GRADED, draft=False
            ):
                studied = LessonProgress.objects.filter(
                    user=paralegal, lesson__path__startswith=module.path
                ).aggregate(last=Max("completed_at"))["last"]
                taken_on = studied.date() + datetime.timedelta(days=7)
                sittings[module.pk] = _take_graded_quiz(
                    quiz, paralegal, facilitator, taken_on
                )
        for competency in Competency.objects.prefetch_related("modules"):
            evidence = [
                (sittings[module.pk], "Kuis dinilai modul ini lulus.")
                for module in competency.modules.all()
                if module.pk in sittings
            ][:2]
            record_assessment(
                assessor=facilitator,
                trainee=paralegal,
                competency=competency,
                level=CompetenceLevel.COMPETENT,
                assessed_on=PARALEGAL_JUDGED_ON,
                comment="Menunjukkan semua kriteria saat magang dan latihan peran.",
                evidence=evidence,
            )


def _study(person: User, module: ModulePage, first_day: datetime.date) -> None:
    for day, lesson in enumerate(module.lessons()):
        progress = mark_lesson_done(user=person, lesson=lesson)
        LessonProgress.objects.filter(pk=progress.pk).update(
            completed_at=demo_moment(
                first_day + datetime.timedelta(days=2 * day), 19, 30
            )
        )


def load_demo_certificates() -> None:
    _alumna_certificate()
    _revoked_certificate()


def _alumna_certificate() -> None:
    """Issued by the coordinator through the rule, then dated a week after
    her cohort ended; its PDF is queued as for any certificate."""
    alumna = User.objects.filter(username=ALUMNA).first()
    coordinator = User.objects.filter(username="koordinator").first()
    programme = Programme.objects.filter(short_name="SSP-LBK").first()
    if not (alumna and coordinator and programme):
        return
    if standing_certificates().filter(holder=alumna, programme=programme).exists():
        return
    # One transaction around the rule's own: the PDF task, queued on commit,
    # draws the certificate with the date it was issued, not today's.
    with transaction.atomic():
        certificate = issue_certificate(
            trainee=alumna, programme=programme, issuer=coordinator
        ).certificate
        issued = demo_moment(ALUMNA_ISSUED_ON, 10)
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_on=ALUMNA_ISSUED_ON,
            issued_at=issued,
            valid_until=valid_until_for(rule_for(programme), ALUMNA_ISSUED_ON),
        )
        Notification.objects.filter(
            recipient=alumna, link="/sertifikat/", created_at__gte=issued
        ).update(created_at=issued, read_at=demo_moment(ALUMNA_ISSUED_ON, 19))


def _revoked_certificate() -> None:
    """A paralegal's certificate issued in error in January 2023 and revoked.

    The rule would refuse it today (that is the story), so it is written as
    `issue_certificate` writes one, then revoked through the rule.
    """
    paralegal = User.objects.filter(username=REVOKED_PARALEGAL).first()
    coordinator = User.objects.filter(username="koordinator").first()
    programme = Programme.objects.filter(short_name="I-WILL").first()
    if not (paralegal and coordinator and programme):
        return
    if Certificate.objects.filter(holder=paralegal, programme=programme).exists():
        return
    cohort = Cohort.objects.filter(
        programme=programme, enrolments__trainee=paralegal
    ).first()
    rule = rule_for(programme)
    with transaction.atomic():
        certificate = Certificate.objects.create(
            holder=paralegal,
            programme=programme,
            cohort=cohort,
            holder_name=paralegal.get_full_name(),
            programme_name=programme.name,
            organisation_names=_organisation_names(programme),
            training_started_on=cohort.start_date if cohort else None,
            training_ended_on=cohort.end_date if cohort else None,
            basis=_basis(checklist(programme=programme, trainee=paralegal)),
            signatories=[
                {"name": name, "position": position}
                for name, position in rule.signatory_lines
            ],
            issued_on=REVOKED_ISSUED_ON,
            issued_at=demo_moment(REVOKED_ISSUED_ON, 10),
            valid_until=valid_until_for(rule, REVOKED_ISSUED_ON),
            issued_by=coordinator,
        )
        revoke_certificate(
            certificate=certificate, actor=coordinator, reason=REVOCATION_REASON
        )
        Certificate.objects.filter(pk=certificate.pk).update(
            revoked_at=demo_moment(REVOKED_ON, 11)
        )
