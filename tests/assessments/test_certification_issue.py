"""Issuing and revoking certificates: who may, what is refused and why, one
certificate however often or however many at once, the passage to alumni,
the holder told in the app and by e-mail, and a snapshot that stays."""

from django.core import mail
from django.db import connection, transaction

import pytest

from assessments.certification import (
    CertificationError,
    certificate_status,
    issue_certificate,
    issue_certificates,
    revoke_certificate,
)
from assessments.models import Certificate, CertificationRule
from learning import outbox
from learning.celery import app
from learning.choices import Role
from learning.models import Enrolment, Notification, Organisation
from mentorship.models import HourEntry, PracticeCase
from modules.models import LessonProgress, ModuleCompletion
from tests.concurrency import all_at_once
from tests.factories import (
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    user_with_roles,
)
from tests.factories.certificates_rules import certification_world, days_ago
from tests.hostile import UGLY

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return certification_world()


def roles_of(person) -> set[str]:
    return set(person.groups.values_list("name", flat=True))


# --- Who may issue ---------------------------------------------------------------


def test_the_programmes_coordinator_issues_and_the_holder_becomes_alumni(
    world, django_capture_on_commit_callbacks
):
    person = world.ready_trainee("ester", first_name="Ester", last_name="Fanggi")
    with django_capture_on_commit_callbacks(execute=True):
        issued = issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    certificate = issued.certificate
    assert issued.created
    assert certificate.holder_name == "Ester Fanggi"
    assert certificate.programme_name == world.programme.name
    assert certificate.organisation_names == "Yayasan PSK Pendamping"
    assert certificate.cohort == world.cohort
    assert certificate.training_started_on == world.cohort.start_date
    assert certificate.training_ended_on == world.cohort.end_date
    assert certificate.issued_by == world.coordinator
    assert certificate.valid_until is None
    assert certificate_status(certificate) == "berlaku"
    assert len(certificate.code) == 20
    assert roles_of(person) == {Role.ALUMNI}

    [told] = Notification.objects.filter(recipient=person)
    assert "Sertifikat PSK sudah terbit" in told.message
    assert told.link == "/sertifikat/"
    [letter] = mail.outbox
    assert letter.to == [person.email]
    assert "Sertifikat pelatihan Pelatihan Pendamping PSK" in letter.body
    assert letter.body.rstrip().endswith("/sertifikat/")


def test_a_superuser_may_issue(world):
    person = world.ready_trainee("oleh-admin")
    admin = user_with_roles(username="admin-uji", is_superuser=True)
    assert issue_certificate(
        trainee=person, programme=world.programme, issuer=admin
    ).created


@pytest.mark.parametrize("who", ["facilitator", "other_coordinator", "trainee"])
def test_only_the_programmes_coordinators_issue(world, who):
    person = world.ready_trainee("ditolak")
    other = certification_world("LAIN")
    issuer = {
        "facilitator": world.facilitator,
        "other_coordinator": other.coordinator,
        "trainee": person,
    }[who]
    with pytest.raises(CertificationError) as refused:
        issue_certificate(trainee=person, programme=world.programme, issuer=issuer)
    assert "Hanya koordinator program ini" in str(refused.value)
    assert not Certificate.objects.exists()
    assert roles_of(person) == {Role.PESERTA}
    assert not Notification.objects.filter(recipient=person).exists()


def test_a_coordinator_does_not_certify_themselves(world):
    Enrolment.objects.create(cohort=world.cohort, trainee=world.coordinator)
    with pytest.raises(CertificationError, match="koordinator lain"):
        issue_certificate(
            trainee=world.coordinator,
            programme=world.programme,
            issuer=world.coordinator,
        )
    assert not Certificate.objects.exists()


def test_someone_not_enrolled_in_the_programme_is_not_certified(world):
    # Every condition met, but in another programme's cohort.
    other = certification_world("LAIN")
    person = other.ready_trainee("di-program-lain")
    CertificationRule.objects.create(
        programme=world.programme,
        require_core_modules=False,
        require_competencies=False,
        require_magang_hours=False,
        require_practice_cases=False,
        require_workshop_attendance=False,
    )
    with pytest.raises(CertificationError) as refused:
        issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    assert str(refused.value) == f"{person.display_name} bukan peserta program ini."
    assert not Certificate.objects.exists()


def test_an_inactive_account_is_not_certified(world):
    person = world.ready_trainee("nonaktif")
    person.is_active = False
    person.save(update_fields=["is_active"])
    with pytest.raises(CertificationError, match="tidak aktif"):
        issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    assert not Certificate.objects.exists()


def test_an_account_without_a_name_is_asked_for_one_first(world):
    person = world.ready_trainee("tanpa-nama", first_name="", last_name="")
    with pytest.raises(CertificationError) as refused:
        issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    assert "tanpa-nama belum punya nama lengkap" in str(refused.value)
    assert not Certificate.objects.exists()


def test_a_trainee_not_ready_is_told_what_is_missing_and_gets_nothing(world):
    person = world.trainee("belum", first_name="Rut", last_name="Nomleni")
    world.log_hours(person, 600)
    with pytest.raises(CertificationError) as refused:
        issue_certificate(
            trainee=person, programme=world.programme, issuer=world.coordinator
        )
    message = str(refused.value)
    assert message.startswith("Rut Nomleni belum memenuhi syarat:")
    assert "Jam magang terverifikasi (10 dari 40 jam)" in message
    assert "Kasus praktik yang sudah ditinjau (0 dari 2 kasus)" in message
    assert not Certificate.objects.exists()
    assert roles_of(person) == {Role.PESERTA}


# --- Once ------------------------------------------------------------------------


def test_issuing_twice_gives_one_certificate(world):
    person = world.ready_trainee("dua-kali")
    first = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    )
    second = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    )
    assert (first.created, second.created) == (True, False)
    assert second.certificate == first.certificate
    assert Certificate.objects.count() == 1
    assert Notification.objects.filter(recipient=person).count() == 1


def test_bulk_issue_certifies_the_ready_and_lists_the_one_who_is_not(world):
    ready = [world.ready_trainee(f"siap-{n}") for n in range(3)]
    short = world.ready_trainee("kurang", first_name="Naomi", last_name="Kase")
    short.attendance.filter(day__in=world.event.days[2:]).delete()
    already = issue_certificate(
        trainee=ready[0], programme=world.programme, issuer=world.coordinator
    ).certificate

    report = issue_certificates(
        trainees=[*ready, short, ready[1]],
        programme=world.programme,
        issuer=world.coordinator,
    )

    assert sorted(c.holder_id for c in report.issued) == [p.pk for p in ready[1:]]
    assert report.already == [already]
    [(refused, why)] = report.refused
    assert refused == short
    assert "Naomi Kase belum memenuhi syarat" in why
    assert "2 dari 5 hari (40%)" in why
    assert Certificate.objects.count() == 3
    assert roles_of(short) == {Role.PESERTA}


def _twenty_issue_at_once(monkeypatch) -> None:
    # Committed here: the PDF and the e-mail go to nobody (in CI a worker listens).
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    handed_over = []
    monkeypatch.setattr(outbox, "_publish", handed_over.append)
    world = certification_world()
    person = world.ready_trainee("serentak")

    answers = all_at_once(
        [
            lambda: issue_certificate(
                trainee=person, programme=world.programme, issuer=world.coordinator
            )
            for _ in range(20)
        ]
    )

    assert not [answer for answer in answers if isinstance(answer, tuple)], answers
    [certificate] = Certificate.objects.all()
    assert {answer.certificate.pk for answer in answers} == {certificate.pk}
    assert [answer.created for answer in answers].count(True) == 1
    assert Notification.objects.filter(recipient=person).count() == 1
    assert roles_of(person) == {Role.ALUMNI}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_issues_of_one_trainee_at_once_make_one_certificate(monkeypatch):
    _twenty_issue_at_once(monkeypatch)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_issues_at_once_make_one_certificate_on_postgresql(monkeypatch):
    assert connection.vendor == "postgresql"
    _twenty_issue_at_once(monkeypatch)


# --- The passage to alumni -------------------------------------------------------


def test_a_still_running_cohort_of_another_programme_keeps_the_peserta_role(world):
    person = world.ready_trainee("dua-program")
    CohortFactory(start_date=days_ago(30), end_date=days_ago(-60), trainees=[person])
    issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    )
    assert roles_of(person) == {Role.PESERTA, Role.ALUMNI}


def test_an_ended_cohort_of_another_programme_does_not_keep_it(world):
    person = world.ready_trainee("program-lama")
    CohortFactory(start_date=days_ago(900), end_date=days_ago(700), trainees=[person])
    issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    )
    assert roles_of(person) == {Role.ALUMNI}


def test_every_record_of_the_training_is_kept(world):
    person = world.ready_trainee("catatan")
    kept = {
        "enrolments": Enrolment.objects.filter(trainee=person).count(),
        "lessons": LessonProgress.objects.filter(user=person).count(),
        "modules": ModuleCompletion.objects.filter(user=person).count(),
        "hours": HourEntry.objects.filter(trainee=person).count(),
        "cases": PracticeCase.objects.filter(trainee=person).count(),
        "attendance": person.attendance.count(),
        "judgements": person.competence_assessments.count(),
    }
    certificate = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    ).certificate
    revoke_certificate(
        certificate=certificate, actor=world.coordinator, reason="Salah terbit."
    )
    assert kept == {
        "enrolments": Enrolment.objects.filter(trainee=person).count(),
        "lessons": LessonProgress.objects.filter(user=person).count(),
        "modules": ModuleCompletion.objects.filter(user=person).count(),
        "hours": HourEntry.objects.filter(trainee=person).count(),
        "cases": PracticeCase.objects.filter(trainee=person).count(),
        "attendance": person.attendance.count(),
        "judgements": person.competence_assessments.count(),
    }
    assert all(kept.values()), kept


# --- The snapshot ----------------------------------------------------------------


def test_the_certificate_keeps_what_it_said_when_issued(world):
    CertificationRule.objects.create(
        programme=world.programme,
        validity_months=36,
        signatories="Maria Seran, Koordinator Program\n\n  Yosef Tanu ,Direktur ",
    )
    person = world.ready_trainee("potret", first_name="Selfina", last_name="Tanesib")
    world.log_hours(person, 8 * 60)
    certificate = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    ).certificate
    issued = certificate.issued_on
    assert (certificate.valid_until.year, certificate.valid_until.month) == (
        issued.year + 3,
        issued.month,
    )
    assert certificate.signatories == [
        {"name": "Maria Seran", "position": "Koordinator Program"},
        {"name": "Yosef Tanu", "position": "Direktur"},
    ]
    assert certificate.basis["hours"]["amount"] == 48 * 60
    assert certificate.basis["hours"]["progress"] == "48 dari 40 jam"
    assert certificate.basis["competencies"]["items"] == [
        c.name for c in world.competencies
    ]
    assert certificate.basis["modules"]["items"] == [world.module.title]

    person.first_name = "Selfi"
    person.save()
    world.programme.name = "Nama program yang baru"
    world.programme.save()
    Organisation.objects.filter(short_name="PSK").update(name="Nama lembaga baru")
    HourEntry.objects.filter(trainee=person).delete()

    certificate.refresh_from_db()
    assert certificate.holder_name == "Selfina Tanesib"
    assert certificate.programme_name == "Pelatihan Pendamping PSK"
    assert certificate.organisation_names == "Yayasan PSK Pendamping"
    assert certificate.basis["hours"]["amount"] == 48 * 60


def test_many_organisations_are_named_within_the_space_kept(world):
    many = [
        OrganisationFactory(
            name=f"Lembaga Bantuan dan Layanan Korban Kekerasan Nomor {n:02d}",
            short_name=f"LBLK{n:02d}",
        )
        for n in range(40)
    ]
    world.programme.organisations.set(many)
    world.programme.save()
    person = world.ready_trainee("konsorsium")
    names = issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    ).certificate.organisation_names
    assert len(names) <= 600
    assert names.startswith("LBLK00, LBLK01")
    assert "LBLK39" in names  # short names of forty fit
    wide = [
        OrganisationFactory(
            name=f"{n:03d}" + "X" * 197, short_name=f"P{n:03d}" + "Y" * 36
        )
        for n in range(20)
    ]
    programme = ProgrammeFactory(
        short_name="BANYAK", organisations=wide, coordinators=[world.coordinator]
    )
    CohortFactory(programme=programme, trainees=[person])
    CertificationRule.objects.create(
        programme=programme,
        require_core_modules=False,
        require_competencies=False,
        require_magang_hours=False,
        require_practice_cases=False,
        require_workshop_attendance=False,
    )
    names = issue_certificate(
        trainee=person, programme=programme, issuer=world.coordinator
    ).certificate.organisation_names
    assert len(names) <= 600
    assert names.endswith("lembaga lain")
    assert not names.split(", ")[-1].startswith("Y"), "no name cut in half"


# --- Revocation ------------------------------------------------------------------


@pytest.fixture
def certificate(world):
    person = world.ready_trainee("dicabut")
    return issue_certificate(
        trainee=person, programme=world.programme, issuer=world.coordinator
    ).certificate


REASON = "Diterbitkan keliru: data kehadiran salah dicatat"


@pytest.mark.parametrize(
    "reason",
    ["", "   ", "Alasan\x00tersembunyi", "a" * 1001],
    ids=["empty", "blank", "nul", "1001"],
)
def test_a_revocation_needs_a_reason_that_can_be_kept(world, certificate, reason):
    with pytest.raises(CertificationError):
        revoke_certificate(
            certificate=certificate, actor=world.coordinator, reason=reason
        )
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.revocation_reason == ""


class _Undo(Exception):
    pass


def test_hostile_reasons_are_refused_in_words_or_kept_whole(world, certificate):
    outcomes = {}
    for text in UGLY:
        try:
            with transaction.atomic():
                revoked = revoke_certificate(
                    certificate=certificate, actor=world.coordinator, reason=text
                )
                outcomes[text] = revoked.revocation_reason == text.strip()
                raise _Undo
        except CertificationError as refused:
            outcomes[text] = str(refused)
        except _Undo:
            pass
    refused = {text for text, outcome in outcomes.items() if outcome is not True}
    assert refused == {
        "",
        "   ",
        "a\x00b",
        "\x00",
        "x" * 10_000,
        ",".join(["1"] * 10_000),
    }
    assert all(outcomes[text] for text in refused), "each refusal is in words"
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.parametrize("who", ["facilitator", "other_coordinator", "holder"])
def test_only_a_certifying_coordinator_revokes(world, certificate, who):
    actor = {
        "facilitator": world.facilitator,
        "other_coordinator": certification_world("LAIN").coordinator,
        "holder": certificate.holder,
    }[who]
    with pytest.raises(CertificationError, match="Hanya koordinator"):
        revoke_certificate(certificate=certificate, actor=actor, reason=REASON)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_keeps_the_reason_and_twice_changes_nothing(world, certificate):
    revoked = revoke_certificate(
        certificate=certificate, actor=world.coordinator, reason=f"  {REASON} "
    )
    assert revoked.revocation_reason == REASON
    assert revoked.revoked_by == world.coordinator
    assert certificate_status(revoked) == "dicabut"
    again = revoke_certificate(
        certificate=certificate, actor=world.coordinator, reason="Alasan lain"
    )
    assert (again.revoked_at, again.revocation_reason) == (revoked.revoked_at, REASON)
    # The holder stays an alumna: the training happened.
    assert Role.ALUMNI in roles_of(certificate.holder)


def test_after_a_revocation_a_new_certificate_can_be_issued(world, certificate):
    revoke_certificate(certificate=certificate, actor=world.coordinator, reason=REASON)
    again = issue_certificate(
        trainee=certificate.holder, programme=world.programme, issuer=world.coordinator
    )
    assert again.created
    assert again.certificate.pk != certificate.pk
    assert again.certificate.code != certificate.code
    assert Certificate.objects.filter(holder=certificate.holder).count() == 2
