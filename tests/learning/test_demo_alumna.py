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

from assessments.competence import latest_assessments
from assessments.grading import graded_quiz_passed
from assessments.models import (
    Attendance,
    CompetenceAssessment,
    Competency,
    Sitting,
    TrainingEvent,
)
from learning.models import Cohort, User
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
    assert progress["perdagangan-orang-dan-migrasi-aman"] == 50
    assert text.count("Selesai") >= len(core)
    assert "50% · 1 dari 2 pelajaran" in text

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
