"""The demo alumna's record: what `alumni` sees after `prepare_site --demo`.

She graduated with SSP's community cohort of 2025: every core module studied
and its graded quiz passed, her cohort's workshop attended, 48 magang hours
verified, two practice cases reviewed and every competency judged kompeten;
one lesson was published again after she graduated.
"""

import datetime
import re
from html import unescape

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

import pytest

from assessments.certification import certificate_status, checklist, issue_certificate
from assessments.competence import latest_assessments
from assessments.grading import graded_quiz_passed
from assessments.models import (
    Attendance,
    Certificate,
    CertificationRule,
    CompetenceAssessment,
    Competency,
    Sitting,
    TrainingEvent,
)
from learning.models import Cohort, OutboxMessage, Programme, User
from mentorship.choices import CaseStatus, EntryStatus
from mentorship.models import HourEntry, PracticeCase
from modules.models import LessonPage, LessonProgress, ModuleCompletion, ModulePage

pytestmark = pytest.mark.django_db

REPUBLISHED = "Dua jalan: litigasi dan non-litigasi"


@pytest.fixture
def alumna():
    # One load per test is slow: each test looks at a whole side of her record.
    call_command("prepare_site", demo=True, verbosity=0)
    return User.objects.get(username="alumni")


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(text).split())


def in_2025(moment: datetime.datetime) -> bool:
    return timezone.localtime(moment).year == 2025


def test_she_sees_what_changed_her_progress_her_hours_and_cases(alumna, client):
    client.force_login(alumna)
    home = client.get("/")
    assert "1 pelajaran berubah sejak kamu lulus." in words(home)
    republished = LessonPage.objects.get(title=REPUBLISHED)
    assert f'href="{republished.url}">{REPUBLISHED}</a>' in home.content.decode()
    assert f"{REPUBLISHED} (diperbarui)" in words(home)
    library = client.get("/belajar/penyegaran/")
    text = words(library)
    changed = text.split("Yang berubah sejak kamu lulus", 1)[1]
    assert changed.split("Modul penyegaran", 1)[0].count("diperbarui") == 1
    assert REPUBLISHED in changed.split("Modul penyegaran", 1)[0]
    progress = {p.module.slug: p.percent for p in library.context["refresher_progress"]}
    core = ModulePage.objects.filter(is_core=True).values_list("slug", flat=True)
    assert all(progress[slug] == 100 for slug in core), progress
    # She began the short module with its first lesson, whatever its length.
    begun = ModulePage.objects.get(slug="perdagangan-orang-dan-migrasi-aman")
    lessons = begun.lessons().count()
    assert lessons >= 2
    assert progress[begun.slug] == round(100 / lessons)
    assert text.count("Selesai") >= len(core)
    assert f"{round(100 / lessons)}% · 1 dari {lessons} pelajaran" in text

    log = words(client.get("/magang/"))
    assert "48 dari 40 jam terverifikasi" in log
    assert log.count("Terverifikasi") >= 12
    assert "2025" in log and "Diverifikasi oleh Marta Seran" in log
    cases = words(client.get("/magang/kasus/"))
    assert cases.count("Sudah ditinjau") == 2
    assert "Juli 2025" in cases and "Agustus 2025" in cases


def test_her_record_meets_the_certification_rule_with_dates_in_2025(alumna):
    [cohort] = Cohort.objects.filter(enrolments__trainee=alumna)
    assert cohort.name == "Pendamping Korban 2025"
    assert cohort.end_date == datetime.date(2025, 11, 28)
    core = list(ModulePage.objects.filter(is_core=True))
    completions = ModuleCompletion.objects.filter(user=alumna, module__in=core)
    assert completions.count() == len(core) == 6
    assert all(in_2025(c.completed_at) for c in completions)
    for module in core:
        assert graded_quiz_passed(alumna, module), module.slug
    sittings = Sitting.objects.filter(user=alumna)
    assert sittings.count() == 6 and all(s.passed for s in sittings)
    assert all(in_2025(s.finished_at) for s in sittings)
    # Every lesson she did is dated when she studied it, before she graduated
    # (the one begun in the refresher library after).
    studied = LessonProgress.objects.filter(user=alumna)
    assert (
        studied.count()
        == LessonPage.objects.live()
        .filter(path__regex="^(" + "|".join(m.path for m in core) + ")")
        .count()
        + 1
    )
    assert all(in_2025(p.completed_at) for p in studied)

    competencies = list(Competency.objects.all())
    latest = latest_assessments(trainees=[alumna], competencies=competencies)
    assert {latest[(alumna.pk, c.pk)].level for c in competencies} == {"kompeten"}
    assert all(latest[(alumna.pk, c.pk)].evidence.exists() for c in competencies), (
        "every judgement rests on evidence"
    )
    assert CompetenceAssessment.objects.filter(
        trainee=alumna, level="berkembang"
    ).exists(), "one competency grew from berkembang"

    verified = HourEntry.objects.filter(trainee=alumna, status=EntryStatus.VERIFIED)
    assert verified.aggregate(total=Sum("minutes"))["total"] >= 40 * 60
    assert set(verified.values_list("verified_by__username", flat=True)) == {
        "fasilitator"
    }
    assert all(in_2025(entry.verified_at) for entry in verified)
    reviewed = PracticeCase.objects.filter(trainee=alumna, status=CaseStatus.REVIEWED)
    assert reviewed.count() >= 2
    assert all(in_2025(case.reviewed_at) for case in reviewed)

    [workshop] = TrainingEvent.objects.filter(
        programme__cohorts__enrolments__trainee=alumna
    )
    attended = Attendance.objects.filter(event=workshop, trainee=alumna).count()
    assert attended / len(workshop.days) >= 0.8
    assert workshop.end_date.year == 2025
    # Nothing she has is waiting or new today: her notifications were read then.
    assert not alumna.notifications.filter(read_at__isnull=True).exists()


# --- Certificates ----------------------------------------------------------------


def test_she_holds_last_years_certificate_and_the_demo_shows_a_revoked_one(alumna):
    [held] = Certificate.objects.filter(holder=alumna)
    assert held.programme.short_name == "SSP-LBK"
    assert held.holder_name == "Agustina Banunaek"
    assert held.issued_on == datetime.date(2025, 12, 5)
    assert held.issued_on > held.cohort.end_date
    assert held.valid_until == datetime.date(2028, 12, 5)
    assert held.issued_by.username == "koordinator"
    assert certificate_status(held) == "berlaku"
    assert held.signatories[0] == {
        "name": "Maria Seran",
        "position": "Koordinator Program Layanan Berbasis Komunitas, SSP SoE",
    }
    assert held.basis["hours"]["progress"] == "48 dari 40 jam"
    assert OutboxMessage.objects.filter(
        task_name="assessments.tasks.build_certificate_pdf", args=[held.pk]
    ).exists(), "its PDF is queued"
    assert "Alumni" in alumna.groups.values_list("name", flat=True)

    [revoked] = Certificate.objects.filter(revoked_at__isnull=False)
    assert revoked.holder.username == "paralegal-ajaobaki"
    assert revoked.revocation_reason == (
        "Diterbitkan keliru: data kehadiran salah dicatat"
    )
    assert revoked.revoked_by.username == "koordinator"
    assert timezone.localtime(revoked.revoked_at).date() == datetime.date(2023, 2, 3)
    assert certificate_status(revoked) == "dicabut"

    rules = {
        rule.programme.short_name: rule for rule in CertificationRule.objects.all()
    }
    assert rules["SSP-LBK"].validity_months == 36
    assert rules["I-WILL"].validity_months is None
    assert rules["I-WILL"].min_magang_hours == 40

    # Loaded again: nothing added, nothing changed.
    before = list(Certificate.objects.values_list("pk", "code", "issued_on"))
    call_command("prepare_site", demo=True, verbosity=0)
    assert list(Certificate.objects.values_list("pk", "code", "issued_on")) == before
    assert CertificationRule.objects.count() == 2
    assert Sitting.objects.filter(user__username="paralegal-oelomin").count() == 6


def test_a_paralegal_of_the_demo_cohort_is_ready_for_the_coordinator_to_issue(
    alumna,
):
    paralegal = User.objects.get(username="paralegal-oelomin")
    iwill = Programme.objects.get(short_name="I-WILL")
    result = checklist(programme=iwill, trainee=paralegal)
    assert result.ready and result.certificate is None
    assert {line.key: line.progress for line in result.lines} == {
        "modules": "6 dari 6 modul",
        "competencies": "8 dari 8 kompetensi",
        "hours": "44 dari 40 jam",
        "cases": "2 dari 2 kasus",
        "attendance": "2 dari 2 hari (100%)",
    }
    # The other paralegals and the demo trainee are not ready.
    for username in ("peserta", "paralegal-tunfeu"):
        other = User.objects.get(username=username)
        assert not checklist(programme=iwill, trainee=other).ready
    issued = issue_certificate(
        trainee=paralegal,
        programme=iwill,
        issuer=User.objects.get(username="koordinator"),
    )
    assert issued.created
    assert set(paralegal.groups.values_list("name", flat=True)) == {"Alumni"}
