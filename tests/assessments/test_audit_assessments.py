"""The audit trail's lines for assessment acts: certificates issued and
revoked, competence assessed, questions imported, results and the competence
matrix downloaded.

Each act writes exactly one line naming who, whose data and the programme;
an act that is refused, or rolled back after the line was written, leaves none.
"""

import pytest

from assessments.certification import issue_certificate, revoke_certificate
from assessments.choices import CompetenceLevel
from assessments.competence import CompetenceError, record_assessment
from assessments.models import Certificate, CompetenceAssessment
from assessments.question_io.importing import import_questions
from learning import audit
from learning.choices import AuditAction, Role
from learning.models import AuditEvent
from tests.factories import user_with_roles
from tests.factories.certificates_rules import certification_world
from tests.factories.people import client_for

pytestmark = pytest.mark.django_db

GIFT = b"::Rujukan:: Ke mana korban dirujuk lebih dulu? {=Puskesmas ~Kantor desa}\n"


class Boom(Exception):
    pass


@pytest.fixture
def fail_after_the_line(monkeypatch):
    """Armed just before the act: the line is written, then the act fails,
    and the act's own transaction must take the line back with it."""
    real = audit.record

    def record(*args, **kwargs):
        real(*args, **kwargs)
        raise Boom

    return lambda: monkeypatch.setattr(audit, "record", record)


@pytest.fixture
def world():
    return certification_world()


def lines_since(mark: int, action=None):
    lines = AuditEvent.objects.filter(pk__gt=mark)
    return list(lines.filter(action=action) if action else lines)


def mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


# --- certificates ----------------------------------------------------------------


def test_issuing_writes_one_line_and_issuing_again_none(world):
    person = world.ready_trainee("ester")
    before = mark()
    issued = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    )
    [line] = lines_since(before)
    assert line.action == AuditAction.CERTIFICATE_ISSUED
    assert (line.actor, line.subject, line.programme) == (
        world.coordinator,
        person,
        world.programme,
    )
    assert issued.certificate.code in line.target_label
    issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    )
    assert len(lines_since(before)) == 1


def test_a_refused_issue_writes_no_line(world):
    person = world.trainee("belum")
    before = mark()
    with pytest.raises(Exception, match="belum memenuhi"):
        issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    assert lines_since(before) == []


def test_an_issue_rolled_back_leaves_no_line_and_no_certificate(
    world, fail_after_the_line
):
    person = world.ready_trainee("rollback")
    before = mark()
    fail_after_the_line()
    with pytest.raises(Boom):
        issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    assert lines_since(before) == []
    assert not Certificate.objects.filter(holder=person).exists()


def test_revoking_writes_one_line_without_the_reason(world):
    person = world.ready_trainee("dicabut")
    certificate = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    ).certificate
    before = mark()
    revoke_certificate(
        certificate=certificate, actor=world.coordinator, reason="Data palsu 'x'"
    )
    [line] = lines_since(before)
    assert line.action == AuditAction.CERTIFICATE_REVOKED
    assert (line.actor, line.subject, line.programme) == (
        world.coordinator,
        person,
        world.programme,
    )
    assert "palsu" not in f"{line.target_label} {line.detail}"
    # Revoking twice changes nothing and writes nothing.
    revoke_certificate(certificate=certificate, actor=world.coordinator, reason="lagi")
    assert len(lines_since(before)) == 1


def test_a_revocation_by_someone_else_writes_no_line(world):
    person = world.ready_trainee("aman")
    certificate = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    ).certificate
    before = mark()
    with pytest.raises(Exception, match="Hanya koordinator"):
        revoke_certificate(
            certificate=certificate, actor=world.facilitator, reason="Tidak suka."
        )
    assert lines_since(before) == []


# --- competence --------------------------------------------------------------------


def test_a_competence_assessment_writes_one_line(world):
    person = world.trainee("dinilai")
    before = mark()
    record_assessment(
        assessor=world.facilitator,
        trainee=person,
        competency=world.competencies[0],
        level=CompetenceLevel.DEVELOPING,
        comment="Sudah baik.",
    )
    [line] = lines_since(before)
    assert line.action == AuditAction.COMPETENCE_ASSESSED
    assert (line.actor, line.subject, line.programme) == (
        world.facilitator,
        person,
        world.programme,
    )
    assert line.detail["level"] == CompetenceLevel.DEVELOPING
    assert "Sudah baik" not in str(line.detail)


def test_an_assessment_refused_or_rolled_back_writes_no_line(
    world, fail_after_the_line
):
    person = world.trainee("ditolak")
    stranger = user_with_roles(Role.FASILITATOR, username="orang-luar")
    before = mark()
    with pytest.raises(CompetenceError):
        record_assessment(
            assessor=stranger,
            trainee=person,
            competency=world.competencies[0],
            level=CompetenceLevel.COMPETENT,
        )
    fail_after_the_line()
    with pytest.raises(Boom):
        record_assessment(
            assessor=world.facilitator,
            trainee=person,
            competency=world.competencies[0],
            level=CompetenceLevel.COMPETENT,
        )
    assert lines_since(before) == []
    assert not CompetenceAssessment.objects.filter(trainee=person).exists()


# --- imports and downloads -----------------------------------------------------------


def test_a_question_import_writes_one_line_and_a_repeat_none(world):
    before = mark()
    report = import_questions(
        content=GIFT, filename="soal.gift", category_name="Uji", actor=world.coordinator
    )
    assert report.ok and report.count == 1
    [line] = lines_since(before)
    assert line.action == AuditAction.QUESTIONS_IMPORTED
    assert line.actor == world.coordinator
    assert line.detail == {"created": 1, "skipped": 0, "format": "gift"}
    import_questions(
        content=GIFT, filename="soal.gift", category_name="Uji", actor=world.coordinator
    )
    assert len(lines_since(before)) == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_downloading_a_cohorts_results_writes_one_line(world, file_format):
    world.trainee("hasil")
    before = mark()
    response = client_for(world.coordinator).get(
        f"/admin/hasil-kuis/angkatan/{world.cohort.pk}/?export={file_format}"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    [line] = lines_since(before)
    assert line.action == AuditAction.EXPORTED
    assert line.actor == world.coordinator and line.programme == world.programme
    assert line.detail["format"] == file_format
    assert line.detail["file"] == "hasil-angkatan"


def test_downloading_a_quizs_results_writes_one_line(world):
    before = mark()
    response = client_for(world.coordinator).get(
        f"/admin/hasil-kuis/kuis/{world.quiz.pk}/?export=csv"
    )
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    [line] = lines_since(before)
    assert line.detail["file"] == "hasil-kuis"
    assert line.target_type == "assessments.quiz"


def test_downloading_the_competence_matrix_writes_one_line(world):
    before = mark()
    response = client_for(world.coordinator).get(
        f"/admin/kompetensi/matriks/{world.cohort.pk}/?export=xlsx"
    )
    assert response.status_code == 200
    [line] = lines_since(before)
    assert line.detail["file"] == "matriks-kompetensi"
    assert line.programme == world.programme


def test_opening_the_results_page_writes_nothing(world):
    before = mark()
    client = client_for(world.coordinator)
    assert (
        client.get(f"/admin/hasil-kuis/angkatan/{world.cohort.pk}/").status_code == 200
    )
    assert lines_since(before) == []
