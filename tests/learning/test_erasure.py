"""Erasure (UU PDP): a coordinator anonymises a person who left.

Their name, contact and every text they wrote leave the database (searched
column by column, in every model); their records stay, so the programme's
figures read the same before and after; check-ins, sessions and phones go;
their certificate's public page says only that it can no longer be verified;
one audit line says who did it. Who may, the confirmation page fed ugly
input, twenty at once, and the accounts flagged as not seen for years.
"""

import datetime
import uuid

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.functions import Cast
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.certification import verification_path
from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import Answer, Certificate
from learning.choices import AuditAction
from learning.erasure import (
    Erasure,
    anonymise_person,
    inactive_people,
    people_erasable_by,
)
from learning.models import (
    AuditEvent,
    Device,
    Notification,
    PeopleImport,
    PersonalDataExport,
    User,
)
from mentorship.choices import Obstacle
from mentorship.models import (
    FollowUpAction,
    HourEntry,
    PracticeCase,
    Reflection,
    WellbeingCheckIn,
)
from mentorship.wellbeing import record_checkin
from modules.models import LessonPage, ReflectionAnswer
from tests.concurrency import all_at_once, signed_in_clients
from tests.factories import PracticeCaseFactory, user_with_roles
from tests.factories.assessments import choice_question, essay_question, quiz_with
from tests.factories.certificates_site import certificate_for
from tests.factories.people import client_for
from tests.mentorship import test_programme_figures as base
from tests.mentorship.test_programme_figures import figures

world = base.world

FIRST, LAST = "Yohanita", "Kolowewa"
FULL_NAME = f"{FIRST} {LAST}"
USERNAME = "yohanita-kolo"
EMAIL = "yohanita.kolo@contoh.id"
PHONE = "+6281299887766"
SECRET = "BUNGA-KAKTUS-RAHASIA"
NEEDLES = [FULL_NAME, FIRST, LAST, USERNAME, EMAIL, PHONE, SECRET]
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
# The audit trail keeps lines as written (append-only, purged after
# PENDAMPING_AUDIT_KEEP_DAYS): the one place a name may survive.
AUDIT_LABELS = {
    ("learning.AuditEvent", "actor_label"),
    ("learning.AuditEvent", "target_label"),
}
THREADS = 20


def traces(needles, *, exempt=frozenset()) -> list[tuple[str, str, str]]:
    """(model, field, needle) for every text column of every model holding a needle."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS) or (meta.label, field.name) in exempt:
                continue
            column = model._base_manager.annotate(
                _as_text=Cast(field.name, models.TextField())
            )
            for needle in needles:
                if column.filter(_as_text__icontains=needle).exists():
                    found.append((meta.label, field.name, needle))
    return found


def the_leaver(world, module):
    """A companion with a record of every kind, her name and secret in each text."""
    person = world.companion(
        village=world.desa_a,
        first_name=FIRST,
        last_name=LAST,
        username=USERNAME,
        email=EMAIL,
        phone=PHONE,
        sex="P",
        birth_year=1990,
    )
    world.session.attendees.add(person)
    reflection = world.reflect(
        person, counts=[("fisik", "litigasi", 3)], obstacles=[Obstacle.DISTANCE]
    )
    reflection.obstacles = [
        {"category": Obstacle.DISTANCE, "text": f"Jalan rusak, kata {FIRST} {SECRET}"}
    ]
    reflection.support_needed = f"Saya {FULL_NAME} butuh ojek {SECRET}"
    reflection.learning_needs = f"Belajar lagi {SECRET}"
    reflection.save()
    entry = world.hours(person)
    HourEntry.objects.filter(pk=entry.pk).update(
        activity=f"Menerima pengaduan {SECRET}",
        supervisor_comment=f"Bagus, {FIRST}",
    )
    PracticeCaseFactory(
        placement=entry.placement,
        actions=f"Mengantar ke puskesmas {SECRET}",
        went_well=f"Korban tenang {SECRET}",
        was_hard=f"Jauh {SECRET}",
        learned=f"Sabar {SECRET}",
        supervisor_feedback=f"{FIRST} sudah baik",
    )
    lesson = LessonPage.objects.child_of(module).first()
    ReflectionAnswer.objects.create(
        user=person, lesson=lesson, prompt_id="p1", text=f"Saya belajar {SECRET}"
    )
    quiz = quiz_with([choice_question(), essay_question()])
    sitting = start_sitting(user=person, quiz=quiz)
    submit_answer(sitting=sitting, user=person, position=2, text=f"Esai {SECRET}")
    finish_sitting(sitting=sitting, user=person)
    Answer.objects.filter(
        sitting_question__sitting=sitting, text__contains=SECRET
    ).update(comment=f"Jawaban {FIRST} lengkap")
    record_checkin(
        person=person, uuid=uuid.uuid4(), feeling="berat", note=f"Sedih {SECRET}"
    )
    certificate = certificate_for(person, world.programme, pdf=True)
    Notification.objects.create(recipient=person, message=f"Halo {FIRST}")
    Notification.objects.create(
        recipient=world.facilitator,
        message=f"{FULL_NAME} mengajukan jam magang",
        email_body=f"{FULL_NAME} ({USERNAME}) mengajukan jam magang.",
    )
    FollowUpAction.objects.create(
        session=world.session,
        description=f"{FULL_NAME} menghubungi puskesmas",
        owner=world.facilitator,
        due_date=datetime.date(base.YEAR, 6, 1),
    )
    PeopleImport.objects.create(
        requested_by=world.coordinator,
        problems=[[3, f"Nama pengguna {USERNAME} sudah dipakai ({EMAIL})"]],
    )
    Device.objects.create(user=person, uuid=uuid.uuid4(), label=f"HP {FIRST}")
    TOTPDevice.objects.create(user=person, name=f"HP {FIRST}")
    apps.get_model("axes", "AccessAttempt").objects.create(
        username=USERNAME,
        ip_address="10.0.0.1",
        user_agent="uji",
        http_accept="*/*",
        path_info="/masuk/",
        failures_since_start=1,
    )
    from wagtail.log_actions import log

    log(instance=person, action="wagtail.edit", user=world.coordinator)
    export = PersonalDataExport(person=person, kind="catatan", status="siap")
    export.file.save("data-saya.zip", ContentFile(SECRET.encode()), save=True)
    client_for(person)  # a live session
    return person, certificate


@pytest.fixture
def leaver(world, module):
    return the_leaver(world, module)


def sessions_of(person) -> list:
    return [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(person.pk)
    ]


# --- the rule ------------------------------------------------------------------


def test_anonymising_leaves_no_trace_and_keeps_the_figures(
    world, leaver, django_capture_on_commit_callbacks
):
    person, certificate = leaver
    assert traces(NEEDLES, exempt=AUDIT_LABELS)  # the search does find them
    assert sessions_of(person)
    before = figures(world.coordinator)
    pdf_name = certificate.pdf.name
    export_name = PersonalDataExport.objects.get(person=person).file.name
    assert default_storage.exists(pdf_name) and default_storage.exists(export_name)

    with django_capture_on_commit_callbacks(execute=True):
        erasure = anonymise_person(person, actor=world.coordinator)

    assert erasure.pseudonym == f"anonim-{person.pk}"
    assert traces(NEEDLES, exempt=AUDIT_LABELS) == []
    assert figures(world.coordinator) == before
    assert before.headline.active_companions >= 1
    person.refresh_from_db()
    assert (person.username, person.first_name, person.email, person.phone) == (
        erasure.pseudonym,
        "",
        "",
        "",
    )
    assert (person.sex, person.birth_year, person.is_active) == ("", None, False)
    assert not person.has_usable_password()
    # What the figures count by stays.
    assert (person.village, person.organisation) == (world.desa_a, world.ssp)
    assert person.enrolments.count() == 1
    # The records stay, without their words.
    assert HourEntry.objects.filter(trainee=person).get().minutes == 120
    assert PracticeCase.objects.filter(trainee=person).get().actions == ""
    kept = Reflection.objects.get(person=person)
    assert kept.case_counts == [{"type": "fisik", "path": "litigasi", "count": 3}]
    assert kept.obstacles == [{"category": Obstacle.DISTANCE, "text": ""}]
    assert ReflectionAnswer.objects.filter(user=person).get().text == ""
    essay = Answer.objects.filter(sitting_question__sitting__user=person).get()
    assert (essay.text, essay.comment) == ("", "")
    # Gone outright.
    assert not WellbeingCheckIn.objects.filter(person=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert not Device.objects.filter(user=person).exists()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert sessions_of(person) == []
    assert not default_storage.exists(pdf_name)
    assert not PersonalDataExport.objects.filter(person=person).exists()
    assert not default_storage.exists(export_name)
    # Others' texts name the pseudonym instead.
    told = Notification.objects.get(
        recipient=world.facilitator, message__contains="mengajukan"
    )
    assert told.message == f"{erasure.pseudonym} mengajukan jam magang"
    # One audit line.
    line = AuditEvent.objects.get(action=AuditAction.PERSON_ANONYMISED)
    assert (line.actor, line.subject, line.target_id) == (
        world.coordinator,
        person,
        str(person.pk),
    )
    assert line.target_label == erasure.pseudonym
    assert line.programme == world.programme
    assert line.detail["check_ins"] == 1


def test_the_certificate_page_says_only_that_it_can_no_longer_be_verified(
    world, leaver, client
):
    person, certificate = leaver
    page = client.get(verification_path(certificate))
    assert FULL_NAME in page.content.decode()
    anonymise_person(person, actor=world.coordinator)
    certificate.refresh_from_db()
    assert certificate.unverifiable_since is not None
    # Still counted as held (the training funnel's "certified").
    assert certificate.revoked_at is None
    page = client.get(verification_path(certificate))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sertifikat ini tidak dapat diverifikasi lagi." in text
    for hidden in (FULL_NAME, f"anonim-{person.pk}", world.programme.name):
        assert hidden not in text
    answer = client.get(
        reverse("assessments:certificate_verification_json", args=[certificate.code])
    ).json()
    assert answer == {"code": certificate.code, "status": "tidak_dapat_diverifikasi"}


def test_anonymising_twice_does_it_once_with_the_same_answer(world, leaver):
    person, _certificate = leaver
    first = anonymise_person(person, actor=world.coordinator)
    again = anonymise_person(User.objects.get(pk=person.pk), actor=world.coordinator)
    assert again == first
    assert isinstance(first, Erasure) and first.at is not None
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).count() == 1


def test_who_may_anonymise_whom(world, leaver):
    person, _certificate = leaver
    superuser = user_with_roles(username="super-hapus", is_superuser=True)
    other_superuser = user_with_roles(username="super-lain", is_superuser=True)
    assert set(people_erasable_by(world.coordinator)) >= {person, world.facilitator}
    for actor in (world.facilitator, world.other_coordinator, person):
        with pytest.raises(PermissionDenied):
            anonymise_person(person, actor=actor)
    # Never oneself, never a superuser or another coordinator by a coordinator.
    for target in (world.coordinator, superuser):
        with pytest.raises(PermissionDenied):
            anonymise_person(target, actor=world.coordinator)
    with pytest.raises(PermissionDenied):
        anonymise_person(superuser, actor=superuser)
    assert User.objects.get(pk=person.pk).username == USERNAME
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).exists()
    # A superuser may, a superuser too.
    anonymise_person(other_superuser, actor=superuser)
    assert not User.objects.get(pk=other_superuser.pk).is_superuser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_at_once_erase_once_and_answer_alike(world):
    person = world.companion(village=world.desa_a, first_name=FIRST, last_name=LAST)
    record_checkin(person=person, uuid=uuid.uuid4(), feeling="baik", note=SECRET)
    answers = all_at_once(
        [
            lambda: anonymise_person(
                User.objects.get(pk=person.pk), actor=world.coordinator
            )
        ]
        * THREADS
    )
    assert len(set(answers)) == 1, answers
    assert isinstance(answers[0], Erasure)
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).count() == 1
    assert not WellbeingCheckIn.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_confirmations_at_once_all_land_on_the_list(world):
    person = world.companion(username="dua-puluh", first_name=FIRST)
    clients = signed_in_clients(world.coordinator, THREADS)
    url = reverse("learning_erase_person", args=[person.pk])
    answers = all_at_once(
        [
            lambda client=client: client.post(url, {"username": "dua-puluh"})
            for client in clients
        ]
    )
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("wagtailusers_users:index"))
    }, answers
    assert User.objects.get(pk=person.pk).username == f"anonim-{person.pk}"
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).count() == 1


# --- the page ------------------------------------------------------------------


def erase_url(person) -> str:
    return reverse("learning_erase_person", args=[person.pk])


def test_the_confirmation_page_says_what_goes_and_asks_for_the_username(world, leaver):
    person, _certificate = leaver
    client = client_for(world.coordinator)
    edit = client.get(reverse("wagtailusers_users:edit", args=[person.pk]))
    assert erase_url(person) in edit.content.decode()
    page = client.get(erase_url(person))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Yang dihapus" in text and "Yang tetap" in text
    assert "Ketik nama pengguna orang ini untuk memastikan" in text

    done = client.post(erase_url(person), {"username": USERNAME}, follow=True)
    assert "sekarang bernama anonim-" in done.content.decode()
    assert User.objects.get(pk=person.pk).username == f"anonim-{person.pk}"
    # The same answer to a second press; no second line.
    again = client.post(erase_url(person), {"username": USERNAME}, follow=True)
    assert "sekarang bernama anonim-" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).count() == 1
    # Nothing left to anonymise: no button.
    edit = client.get(reverse("wagtailusers_users:edit", args=[person.pk]))
    assert erase_url(person) not in edit.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        USERNAME.upper(),
        USERNAME + "x",
        f'"{USERNAME}"',
        "' OR 1=1 --",
        USERNAME + "\x00",
        "\x00",
        "9" * 5000,
    ],
)
def test_anything_but_the_username_changes_nothing(world, leaver, typed):
    person, _certificate = leaver
    client = client_for(world.coordinator)
    page = client.post(erase_url(person), {"username": typed})
    assert page.status_code == 200
    assert (
        "error-message" in page.content.decode()
        or "help-critical" in page.content.decode()
    )
    assert User.objects.get(pk=person.pk).username == USERNAME
    assert WellbeingCheckIn.objects.filter(person=person).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).exists()


def test_the_wrong_username_is_told_in_indonesian(world, leaver):
    person, _certificate = leaver
    page = client_for(world.coordinator).post(erase_url(person), {"username": "salah"})
    assert "tidak sama dengan nama pengguna orang ini" in page.content.decode()


def _answer(response):
    if response.status_code != 302:
        return response.status_code
    if response["Location"].startswith(reverse("wagtailadmin_login")):
        return "sign in"
    return "admin home" if response["Location"] == reverse("wagtailadmin_home") else 302


def test_others_are_refused_and_nothing_changes(world, leaver):
    person, _certificate = leaver
    superuser = user_with_roles(username="super-hapus", is_superuser=True)
    answers = {}
    for name, actor, target in [
        ("trainee", person, person),
        ("facilitator", world.facilitator, person),
        ("other coordinator", world.other_coordinator, person),
        (
            "coordinator, another coordinator",
            world.coordinator,
            world.other_coordinator,
        ),
        ("coordinator, herself", world.coordinator, world.coordinator),
        ("coordinator, a superuser", world.coordinator, superuser),
        ("superuser, herself", superuser, superuser),
    ]:
        client = client_for(actor)
        got = client.get(erase_url(target))
        posted = client.post(erase_url(target), {"username": target.username})
        assert _answer(got) == _answer(posted), name
        answers[name] = _answer(got)
    assert answers == {
        # Wagtail sends someone without admin access to sign in.
        "trainee": "sign in",
        # She sees the trainee in her cohort, but may not erase her: Wagtail
        # turns the refusal into its admin home with a message.
        "facilitator": "admin home",
        "other coordinator": 404,
        "coordinator, another coordinator": 404,
        "coordinator, herself": "admin home",
        "coordinator, a superuser": 404,
        "superuser, herself": "admin home",
    }
    assert User.objects.get(pk=person.pk).username == USERNAME
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_ANONYMISED).exists()
    edit = client_for(world.facilitator).get(
        reverse("wagtailusers_users:edit", args=[person.pk])
    )
    assert erase_url(person) not in edit.content.decode()
    missing = client_for(world.coordinator).get("/admin/orang/99999999999/anonimkan/")
    assert missing.status_code == 404


# --- retention -------------------------------------------------------------------


def _seen(person, *, years_ago: float, device_days_ago: int | None = None):
    when = timezone.now() - datetime.timedelta(days=int(365.25 * years_ago))
    User.objects.filter(pk=person.pk).update(last_login=when, date_joined=when)
    if device_days_ago is not None:
        Device.objects.create(
            user=person,
            uuid=uuid.uuid4(),
            last_seen_at=timezone.now() - datetime.timedelta(days=device_days_ago),
        )


@override_settings(PENDAMPING_INACTIVE_YEARS=2)
def test_accounts_not_seen_for_the_set_years_are_flagged_and_listed(world):
    gone = world.companion(first_name="Lama", last_name="Hilang")
    _seen(gone, years_ago=3)
    offline = world.companion(first_name="Masih", last_name="Offline")
    _seen(offline, years_ago=3, device_days_ago=10)
    recent = world.companion(first_name="Baru", last_name="Masuk")
    _seen(recent, years_ago=1)
    never = world.companion(first_name="Belum", last_name="Pernah")
    User.objects.filter(pk=never.pk).update(
        last_login=None, date_joined=timezone.now() - datetime.timedelta(days=1000)
    )
    erased = world.companion(first_name="Sudah", last_name="Dihapus")
    anonymise_person(erased, actor=world.coordinator)
    _seen(erased, years_ago=5)

    assert set(inactive_people(User.objects.all())) == {gone, never}

    client = client_for(world.coordinator)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 orang dalam program kamu tidak masuk" in home
    assert "?tidak_aktif=true" in home
    listing = client.get(reverse("wagtailusers_users:index") + "?tidak_aktif=true")
    text = listing.content.decode()
    assert listing.status_code == 200
    assert "Lama Hilang" in text and "Belum Pernah" in text
    assert "Masih Offline" not in text and "Baru Masuk" not in text
    assert "Tidak aktif 2 tahun atau lebih" in text
    # Another programme's coordinator is not told about them.
    other_home = client_for(world.other_coordinator).get(reverse("wagtailadmin_home"))
    assert "tidak masuk atau memakai aplikasi" not in other_home.content.decode()
    # Nothing is erased by itself.
    assert User.objects.get(pk=gone.pk).first_name == "Lama"


def test_certificates_kept_for_the_record(world, leaver):
    person, certificate = leaver
    anonymise_person(person, actor=world.coordinator)
    kept = Certificate.objects.get(pk=certificate.pk)
    assert kept.holder_name == f"anonim-{person.pk}"
    assert kept.pdf.name == ""


def test_others_texts_lose_the_name_as_a_whole_word_only(world):
    person = world.companion(username="ani", first_name="Ani", last_name="Tefa")
    note = Notification.objects.create(
        recipient=world.facilitator,
        message="Pendampingan oleh Ani Tefa (ani) selesai; Anita tidak ikut.",
    )
    erasure = anonymise_person(person, actor=world.coordinator)
    note.refresh_from_db()
    assert note.message == (
        f"Pendampingan oleh {erasure.pseudonym} ({erasure.pseudonym}) selesai; "
        "Anita tidak ikut."
    )
