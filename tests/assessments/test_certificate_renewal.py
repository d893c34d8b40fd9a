"""Validity, the reminder before a certificate lapses, renewal by refresher."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

import pytest

from assessments.certificate_renewal import (
    CHUNK_SIZE,
    remind_expiring_certificates,
    renew_after_quiz,
    renew_certificate,
    renewal_modules_for,
    renewal_status,
)
from assessments.certification import _months_later
from assessments.choices import QuizMode
from assessments.grading import finish_sitting, start_sitting, submit_answer
from assessments.models import Certificate, CertificateRenewal, CertificationRule
from assessments.tasks import remind_expiring_certificates as daily_task
from learning import outbox
from learning.celery import app as celery_app
from learning.choices import Role
from learning.models import Notification, OutboxMessage
from modules.models import ModuleCompletion
from modules.progress import mark_lesson_done
from tests.concurrency import all_at_once
from tests.factories import ProgrammeFactory, user_with_roles
from tests.factories.assessments import choice_question, quiz_with
from tests.factories.modules import module_with_lessons

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
VALIDITY = 36


def months(day, count):
    return _months_later(day, count)


def long_date(day):
    return date_format(day, "j F Y")


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(name="Pendamping Korban Uji", short_name="PKU")
    CertificationRule.objects.create(programme=programme, validity_months=VALIDITY)
    return programme


@pytest.fixture
def refreshers(programme):
    """Two live refresher modules open to the programme, two lessons each."""
    return [
        module_with_lessons(
            lessons=2, title=title, is_refresher=True, programmes=[programme]
        )
        for title in ("Penyegaran Rujukan", "Penyegaran Dokumentasi")
    ]


@pytest.fixture
def holder(db):
    return user_with_roles(
        Role.ALUMNI, username="uji-pemegang", email="pemegang@example.org"
    )


def certificate_for(holder, programme, *, valid_until, issued_on=None, **fields):
    """A standing certificate; issued `VALIDITY` months before it lapses."""
    if valid_until is not None and issued_on is None:
        issued_on = months(valid_until, -VALIDITY)
    return Certificate.objects.create(
        holder=holder,
        programme=programme,
        holder_name=holder.display_name,
        programme_name=programme.name,
        organisation_names="Yayasan Uji",
        issued_on=issued_on or TODAY - datetime.timedelta(days=400),
        valid_until=valid_until,
        **fields,
    )


def study(person, module):
    """Every lesson of `module`, through the same rule the lesson page uses."""
    for lesson in module.lessons():
        mark_lesson_done(user=person, lesson=lesson)


def passed_quiz_of(module, person, *, mode=QuizMode.PRACTICE, quiz=None):
    """Take one of `module`'s quizzes and pass it, through the quiz engine."""
    quiz = quiz or quiz_with([choice_question()], module=module, mode=mode)
    sitting = start_sitting(user=person, quiz=quiz)
    [item] = sitting.questions.all()
    right = [o["id"] for o in item.snapshot["options"] if Decimal(o["weight"]) > 0]
    submit_answer(sitting=sitting, user=person, position=1, chosen=right)
    sitting = finish_sitting(sitting=sitting, user=person)
    assert sitting.passed
    return sitting


def reminders_of(person):
    return Notification.objects.filter(recipient=person).exclude(
        message__contains="diperpanjang"
    )


def renewal_notices_of(person):
    return Notification.objects.filter(
        recipient=person, message__contains="diperpanjang"
    )


# --- Reminders -------------------------------------------------------------------


def test_the_holder_is_reminded_once_three_months_before_it_lapses(
    holder, programme, refreshers, django_capture_on_commit_callbacks
):
    lapses = TODAY + datetime.timedelta(days=80)
    certificate = certificate_for(holder, programme, valid_until=lapses)

    with django_capture_on_commit_callbacks(execute=True):
        first = remind_expiring_certificates(today=TODAY)
    second = remind_expiring_certificates(today=TODAY + datetime.timedelta(days=1))

    assert (first.reminded, second.reminded) == (1, 0)
    [reminder] = Notification.objects.filter(recipient=holder)
    assert reminder.message == (
        f"Sertifikat PKU berlaku sampai {long_date(lapses)}. "
        "Perpanjang dengan modul penyegaran."
    )
    assert reminder.link == "/sertifikat/"
    certificate.refresh_from_db()
    assert certificate.reminded_for == lapses
    # The e-mail goes through the outbox and the worker, naming the modules.
    [email] = mail.outbox
    assert email.to == ["pemegang@example.org"]
    assert "- Penyegaran Rujukan\n- Penyegaran Dokumentasi" in email.body
    assert "36 bulan" in email.body
    assert email.body.endswith("/sertifikat/")


def test_the_task_reminds_once_however_often_it_runs(holder, programme, refreshers):
    certificate_for(
        holder,
        programme,
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert daily_task() == {"renewed": 0, "reminded": 1}
    assert daily_task() == {"renewed": 0, "reminded": 0}
    assert reminders_of(holder).count() == 1


def test_no_reminder_earlier_than_three_months_before(holder, programme, refreshers):
    certificate_for(
        holder, programme, valid_until=months(TODAY, 3) + datetime.timedelta(days=1)
    )
    assert remind_expiring_certificates(today=TODAY).reminded == 0
    assert (
        remind_expiring_certificates(today=TODAY + datetime.timedelta(days=1)).reminded
        == 1
    )


@pytest.mark.parametrize(
    "kind", ["revoked", "unverifiable", "no_expiry", "already_reminded", "long_lapsed"]
)
def test_who_is_not_reminded(holder, programme, refreshers, kind):
    lapses = TODAY + datetime.timedelta(days=40)
    fields = {
        "revoked": {"revoked_at": timezone.now(), "revocation_reason": "Uji"},
        "unverifiable": {"unverifiable_since": timezone.now()},
        "no_expiry": {"valid_until": None, "issued_on": TODAY},
        "already_reminded": {"reminded_for": lapses},
        "long_lapsed": {"valid_until": TODAY - datetime.timedelta(days=31)},
    }[kind]
    certificate_for(holder, programme, **{"valid_until": lapses, **fields})
    assert remind_expiring_certificates(today=TODAY).reminded == 0
    assert not Notification.objects.filter(recipient=holder).exists()


def test_a_certificate_that_lapsed_last_week_unreminded_still_hears_of_it(
    holder, programme, refreshers
):
    lapsed = TODAY - datetime.timedelta(days=7)
    certificate_for(holder, programme, valid_until=lapsed)
    assert remind_expiring_certificates(today=TODAY).reminded == 1
    [reminder] = Notification.objects.filter(recipient=holder)
    assert reminder.message.startswith(
        f"Masa berlaku sertifikat PKU berakhir {long_date(lapsed)}."
    )


def test_a_renewed_certificate_is_reminded_again_before_its_new_date(
    holder, programme, refreshers
):
    today = timezone.localdate()  # the listener renews as of today
    lapses = today + datetime.timedelta(days=40)
    certificate = certificate_for(holder, programme, valid_until=lapses)
    remind_expiring_certificates(today=today)
    for module in refreshers:
        study(holder, module)  # renews now, from the old date
    certificate.refresh_from_db()
    assert certificate.valid_until == months(lapses, VALIDITY)

    remind_expiring_certificates(today=months(lapses, VALIDITY - 2))

    assert reminders_of(holder).count() == 2
    certificate.refresh_from_db()
    assert certificate.reminded_for == certificate.valid_until


def test_without_renewal_modules_the_reminder_says_whom_to_ask(holder, programme):
    certificate_for(holder, programme, valid_until=TODAY + datetime.timedelta(days=10))
    remind_expiring_certificates(today=TODAY)
    [reminder] = Notification.objects.filter(recipient=holder)
    assert reminder.link == "/sertifikat/"
    assert "koordinator programmu" in reminder.email_body


def test_a_quiet_day_costs_the_same_few_queries_for_many_certificates(
    programme, refreshers, django_assert_max_num_queries
):
    def certificates(count, prefix):
        for number in range(count):
            person = user_with_roles(Role.ALUMNI, username=f"{prefix}-{number}")
            certificate_for(
                person,
                programme,
                valid_until=TODAY + datetime.timedelta(days=20 + number % 50),
                reminded_for=TODAY + datetime.timedelta(days=20 + number % 50),
            )

    certificates(3, "uji-sedikit")
    with django_assert_max_num_queries(20) as few:
        assert remind_expiring_certificates(today=TODAY).reminded == 0
    certificates(60, "uji-banyak")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert remind_expiring_certificates(today=TODAY).reminded == 0


def test_thousands_are_read_in_chunks(programme, refreshers, monkeypatch, holder):
    """Every certificate is reached, however many chunks it takes."""
    monkeypatch.setattr("assessments.certificate_renewal.CHUNK_SIZE", 2)
    assert CHUNK_SIZE >= 100
    people = [holder] + [
        user_with_roles(Role.ALUMNI, username=f"uji-potong-{n}") for n in range(4)
    ]
    for person in people:
        certificate_for(
            person, programme, valid_until=TODAY + datetime.timedelta(days=5)
        )
    assert remind_expiring_certificates(today=TODAY).reminded == 5


# --- Which modules renew ---------------------------------------------------------


def test_renewal_modules_are_the_rules_own_or_every_refresher_open_to_the_programme(
    holder, programme, refreshers
):
    other = ProgrammeFactory(short_name="LAIN")
    for_everyone = module_with_lessons(
        lessons=1, title="Penyegaran Umum", is_refresher=True
    )
    module_with_lessons(
        lessons=1, title="Penyegaran Lain", is_refresher=True, programmes=[other]
    )
    module_with_lessons(lessons=1, title="Modul Inti", programmes=[programme])
    unpublished = module_with_lessons(
        lessons=1, title="Penyegaran Lama", is_refresher=True
    )
    unpublished.unpublish()
    certificate = certificate_for(holder, programme, valid_until=TODAY)

    assert [m.title for m in renewal_modules_for(certificate)] == [
        "Penyegaran Rujukan",
        "Penyegaran Dokumentasi",
        "Penyegaran Umum",
    ]
    rule = programme.certification_rule
    rule.renewal_modules.set([for_everyone])
    rule.save()
    assert renewal_modules_for(certificate) == [for_everyone]


# --- Renewing --------------------------------------------------------------------


def test_completing_the_last_refresher_module_renews_and_keeps_the_unused_months(
    holder, programme, refreshers, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    lapses = today + datetime.timedelta(days=50)
    certificate = certificate_for(holder, programme, valid_until=lapses)

    study(holder, refreshers[0])
    certificate.refresh_from_db()
    assert certificate.valid_until == lapses  # one of two: not yet
    assert renewal_status(certificate) == (
        True,
        [(refreshers[0], True), (refreshers[1], False)],
    )

    with django_capture_on_commit_callbacks(execute=False):
        study(holder, refreshers[1])

    certificate.refresh_from_db()
    # Renewed early: from the old date, so the 50 days left are kept.
    assert certificate.valid_until == months(lapses, VALIDITY)
    [renewal] = certificate.renewals.all()
    assert (renewal.renewed_on, renewal.previous_valid_until, renewal.valid_until) == (
        today,
        lapses,
        months(lapses, VALIDITY),
    )
    assert renewal.modules == ["Penyegaran Rujukan", "Penyegaran Dokumentasi"]
    [notice] = renewal_notices_of(holder)
    assert notice.message == (
        "Masa berlaku sertifikat PKU diperpanjang sampai "
        f"{long_date(months(lapses, VALIDITY))}."
    )
    # The PDF is drawn again, queued in the same transaction.
    assert OutboxMessage.objects.filter(
        task_name="assessments.tasks.build_certificate_pdf", args=[certificate.pk]
    ).exists()
    # Done, and not due again until the new window opens.
    due, modules = renewal_status(certificate)
    assert not due and modules == [(refreshers[0], False), (refreshers[1], False)]


def test_a_refresher_with_a_graded_quiz_renews_once_the_quiz_is_passed(
    holder, programme, refreshers
):
    lapses = timezone.localdate() + datetime.timedelta(days=20)
    certificate = certificate_for(holder, programme, valid_until=lapses)
    quiz = quiz_with([choice_question()], module=refreshers[1], mode=QuizMode.GRADED)
    study(holder, refreshers[0])
    study(holder, refreshers[1])
    certificate.refresh_from_db()
    assert certificate.valid_until == lapses  # lessons done, quiz not yet
    assert not ModuleCompletion.objects.filter(module=refreshers[1]).exists()

    passed_quiz_of(refreshers[1], holder, quiz=quiz)

    certificate.refresh_from_db()
    assert certificate.valid_until == months(lapses, VALIDITY)
    assert certificate.renewals.count() == 1


def test_a_lapsed_certificate_renews_from_the_day_of_renewal(
    holder, programme, refreshers
):
    today = timezone.localdate()
    lapsed = today - datetime.timedelta(days=200)
    certificate = certificate_for(holder, programme, valid_until=lapsed)
    for module in refreshers:
        study(holder, module)
    certificate.refresh_from_db()
    assert certificate.valid_until == months(today, VALIDITY)


def test_study_long_before_the_certificate_lapses_does_not_renew_it(
    holder, programme, refreshers
):
    today = timezone.localdate()
    certificate = certificate_for(holder, programme, valid_until=months(today, 12))
    for module in refreshers:
        study(holder, module)
    certificate.refresh_from_db()
    assert certificate.valid_until == months(today, 12)
    assert not CertificateRenewal.objects.exists()
    due, modules = renewal_status(certificate)
    assert not due and not any(done for _module, done in modules)
    # Nor later: the window counts study from six months before the date.
    assert remind_expiring_certificates(today=months(today, 11)).renewed == 0


def test_a_module_completed_years_ago_counts_when_its_quiz_is_passed_again(
    holder, programme, refreshers
):
    today = timezone.localdate()
    lapses = today + datetime.timedelta(days=60)
    certificate = certificate_for(holder, programme, valid_until=lapses)
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    for module in refreshers:
        ModuleCompletion.objects.create(
            user=holder, module=module, completed_at=long_ago
        )
    assert renewal_status(certificate) == (
        True,
        [(refreshers[0], False), (refreshers[1], False)],
    )

    passed_quiz_of(refreshers[0], holder)
    sitting = passed_quiz_of(refreshers[1], holder)

    # The quiz engine renews as the second quiz is passed; the daily task
    # finds nothing left to do.
    certificate.refresh_from_db()
    assert certificate.valid_until == months(lapses, VALIDITY)
    assert remind_expiring_certificates(today=today).renewed == 0
    # Passing it again the same day renews nothing more.
    renew_after_quiz(sitting)
    assert remind_expiring_certificates(today=today).renewed == 0
    assert certificate.renewals.count() == 1


def test_renew_after_quiz_renews_at_once(holder, programme, refreshers):
    today = timezone.localdate()
    lapses = today + datetime.timedelta(days=60)
    certificate = certificate_for(holder, programme, valid_until=lapses)
    study(holder, refreshers[0])
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    ModuleCompletion.objects.create(
        user=holder, module=refreshers[1], completed_at=long_ago
    )

    renew_after_quiz(passed_quiz_of(refreshers[1], holder))

    certificate.refresh_from_db()
    assert certificate.valid_until == months(lapses, VALIDITY)


@pytest.mark.parametrize(
    "kind", ["revoked", "unverifiable", "no_validity", "no_modules"]
)
def test_what_cannot_be_renewed(holder, programme, refreshers, kind):
    lapses = timezone.localdate() + datetime.timedelta(days=30)
    fields = {
        "revoked": {"revoked_at": timezone.now(), "revocation_reason": "Uji"},
        "unverifiable": {"unverifiable_since": timezone.now()},
    }.get(kind, {})
    certificate = certificate_for(holder, programme, valid_until=lapses, **fields)
    if kind == "no_validity":
        CertificationRule.objects.filter(programme=programme).update(
            validity_months=None
        )
    if kind == "no_modules":
        for module in refreshers:
            module.unpublish()
    for module in refreshers:
        if module.live:
            study(holder, module)
    assert remind_expiring_certificates(today=timezone.localdate()).renewed == 0
    certificate.refresh_from_db()
    assert certificate.valid_until == lapses
    assert not CertificateRenewal.objects.exists()
    assert renewal_status(certificate)[0] is False


def test_the_history_of_renewals_is_kept(holder, programme, refreshers, monkeypatch):
    # The study days are set by hand after each sitting: the renewals are
    # asked for below, on those days, not by the quiz engine today.
    monkeypatch.setattr(
        "assessments.certificate_renewal.renew_after_quiz", lambda sitting: None
    )
    first_lapse = TODAY + datetime.timedelta(days=30)
    certificate = certificate_for(holder, programme, valid_until=first_lapse)
    quizzes = [
        quiz_with([choice_question()], module=m, mode=QuizMode.PRACTICE)
        for m in refreshers
    ]

    def studied_on(day):
        for quiz in quizzes:
            sitting = passed_quiz_of(quiz.module, holder, quiz=quiz)
            finished = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(9))
            )
            type(sitting).objects.filter(pk=sitting.pk).update(finished_at=finished)

    studied_on(TODAY)
    assert renew_certificate(certificate=certificate, today=TODAY)
    second_lapse = months(first_lapse, VALIDITY)
    later = months(second_lapse, -1)
    studied_on(later)
    assert remind_expiring_certificates(today=later).renewed == 1

    certificate.refresh_from_db()
    assert certificate.valid_until == months(second_lapse, VALIDITY)
    assert [
        (r.renewed_on, r.previous_valid_until, r.valid_until)
        for r in certificate.renewals.order_by("renewed_on")
    ] == [
        (TODAY, first_lapse, second_lapse),
        (later, second_lapse, months(second_lapse, VALIDITY)),
    ]


# --- Twenty at once --------------------------------------------------------------


def twenty_completions_at_once(monkeypatch):
    """Ten presses of the last lesson and ten daily runs, all at once."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(outbox, "_publish", lambda message: None)
    programme = ProgrammeFactory(short_name="SERENTAK")
    CertificationRule.objects.create(programme=programme, validity_months=VALIDITY)
    module = module_with_lessons(lessons=2, is_refresher=True, programmes=[programme])
    holder = user_with_roles(Role.ALUMNI, username="uji-serentak")
    lapses = timezone.localdate() + datetime.timedelta(days=30)
    certificate = certificate_for(holder, programme, valid_until=lapses)
    first, last = module.lessons()
    mark_lesson_done(user=holder, lesson=first)

    results = all_at_once(
        [lambda: mark_lesson_done(user=holder, lesson=last) for _ in range(10)]
        + [lambda: remind_expiring_certificates().renewed for _ in range(10)]
    )

    assert not [r for r in results if isinstance(r, tuple)], results
    certificate.refresh_from_db()
    assert certificate.valid_until == months(lapses, VALIDITY)
    assert certificate.renewals.count() == 1
    assert renewal_notices_of(holder).count() == 1
    assert (
        OutboxMessage.objects.filter(
            task_name="assessments.tasks.build_certificate_pdf"
        ).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_completions_at_once_renew_once(monkeypatch):
    twenty_completions_at_once(monkeypatch)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrated_data")
def test_twenty_completions_at_once_renew_once_on_postgresql(monkeypatch):
    assert connection.vendor == "postgresql"
    twenty_completions_at_once(monkeypatch)


# --- The schedule ----------------------------------------------------------------


def test_the_daily_run_is_scheduled_and_states_its_retries():
    entry = settings.CELERY_BEAT_SCHEDULE["certificate-renewal-daily"]
    assert entry["task"] == daily_task.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {30})
    assert entry["schedule"].day_of_week == set(range(7))
    assert daily_task.max_retries == 3
    assert daily_task.autoretry_for == (Exception,)
    assert daily_task.time_limit <= settings.LONGEST_TASK_SECONDS


def test_the_renewal_status_costs_the_same_queries_however_much_was_studied(
    holder, programme, refreshers, django_assert_max_num_queries
):
    certificate = certificate_for(
        holder, programme, valid_until=timezone.localdate() + datetime.timedelta(days=9)
    )
    certificate = Certificate.objects.get(pk=certificate.pk)  # as a page reads it
    with django_assert_max_num_queries(10) as few:
        assert renewal_status(certificate)[0] is True
    for number in range(4):
        module = module_with_lessons(
            lessons=1, title=f"Penyegaran {number}", is_refresher=True
        )
        study(holder, module)
        passed_quiz_of(module, holder)
    certificate = Certificate.objects.get(pk=certificate.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        due, modules = renewal_status(certificate)
    assert len(modules) == 6 and sum(done for _m, done in modules) == 4


def test_a_renewal_that_fails_never_takes_the_completion_with_it(
    holder, programme, refreshers, monkeypatch
):
    """The listener runs in the completion's transaction: a broken renewal is
    logged and left for the daily run; the module stays completed."""
    today = timezone.localdate()
    lapses = today + datetime.timedelta(days=30)
    certificate = certificate_for(holder, programme, valid_until=lapses)
    study(holder, refreshers[0])

    def broken(**kwargs):
        raise RuntimeError("penyimpanan tidak menjawab")

    with monkeypatch.context() as patched:
        patched.setattr("assessments.certificate_renewal.renew_certificate", broken)
        study(holder, refreshers[1])

    assert ModuleCompletion.objects.filter(user=holder, module=refreshers[1]).exists()
    certificate.refresh_from_db()
    assert certificate.valid_until == lapses
    assert remind_expiring_certificates(today=today).renewed == 1
    certificate.refresh_from_db()
    assert certificate.valid_until == months(lapses, VALIDITY)
