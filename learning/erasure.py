"""Erasing a person who leaves (UU PDP's right to erasure), and noticing who left.

`anonymise_person` turns an account into "anonim-<id>": the name, e-mail,
phone, username, sex and birth year go, and so does every free text the person
wrote (lesson reflections, essay answers, hour descriptions, practice cases'
stories, annual reflections' words), while the records themselves stay, so
the programme's figures (companions, villages, cases, hours, certificates)
count exactly what they counted before. What stays of the person is what the
figures count by: their village and organisation, their enrolments and
roles, their dates, hours, case types and counts, quiz scores.

Some things are deleted outright, because keeping even a trace of them does
harm or serves nothing: wellbeing check-ins (health data), notifications,
phones' sign-ins, sessions, second factors, the person's "Unduh data saya"
files, failed sign-in logs. Their certificates stay counted but can no longer
be verified: the public page says only that.

Texts other people wrote that carry the person's name (a notification to a
supervisor, a follow-up's description, a meeting's notes) have the full name,
username and e-mail replaced by the pseudonym. The audit trail is the one
place that keeps the name as written at the time: its lines are append-only
evidence of who did what, and go when `PENDAMPING_AUDIT_KEEP_DAYS` ends.

Who may do it: a coordinator, for the trainees and facilitators of the
programmes they coordinate; a superuser, for anyone. Never oneself, never a
superuser by someone who is not one, never another coordinator by a
coordinator (as with every change to an account, `scope.accounts_manageable_by`).

`inactive_people` flags accounts not seen for `PENDAMPING_INACTIVE_YEARS`
years; nothing is erased by itself.
"""

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from . import audit
from .choices import AppName, AuditAction, Role
from .models import (
    AuditEvent,
    Cohort,
    Device,
    Enrolment,
    Notification,
    PeopleImport,
    Programme,
    User,
)
from .scope import is_signed_in

PSEUDONYM_PREFIX = "anonim-"
_PSEUDONYM = re.compile(r"^anonim-[0-9]+$")
SESSION_CHUNK = 500


@dataclass(frozen=True)
class Erasure:
    """The answer: the same for the request that erased and for every repeat."""

    person_id: int
    pseudonym: str
    at: datetime.datetime | None


def pseudonym_of(person: User) -> str:
    return f"{PSEUDONYM_PREFIX}{person.pk}"


def is_anonymised(person: User) -> bool:
    return (
        person.username == pseudonym_of(person)
        and not person.is_active
        and not person.has_usable_password()
    )


def anonymised_accounts() -> Q:
    """Accounts already anonymised (a Q over User)."""
    return Q(username__regex=_PSEUDONYM.pattern, is_active=False)


# --- who may ------------------------------------------------------------------


def _programmes_of_person(person_ids) -> Q:
    """Programmes the people are enrolled in or teach a cohort of (a Q)."""
    return Q(
        pk__in=Enrolment.objects.filter(trainee__in=person_ids).values(
            "cohort__programme"
        )
    ) | Q(
        pk__in=Cohort.facilitators.through.objects.filter(user__in=person_ids).values(
            "cohort__programme"
        )
    )


def people_erasable_by(actor: User) -> QuerySet[User]:
    """The accounts `actor` may anonymise.

    The rule for changing, written beside `scope.people_visible_to` and not
    borrowed from it: a supervisor who sees a trainee placed with her, or a
    facilitator who teaches her, may not erase her.
    """
    if not is_signed_in(actor):
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.exclude(pk=actor.pk)
    if Role.KOORDINATOR not in actor.roles:
        return User.objects.none()
    programmes = Programme.objects.filter(coordinators=actor).values("pk")
    in_programmes = Q(
        pk__in=Enrolment.objects.filter(cohort__programme__in=programmes).values(
            "trainee"
        )
    ) | Q(
        pk__in=Cohort.facilitators.through.objects.filter(
            cohort__programme__in=programmes
        ).values("user")
    )
    return (
        User.objects.filter(in_programmes)
        .filter(is_superuser=False)
        .exclude(pk=actor.pk)
        .exclude(groups__name=Role.KOORDINATOR.value)
    )


def may_erase(actor: User, person: User) -> bool:
    return people_erasable_by(actor).filter(pk=person.pk).exists()


# --- the act ------------------------------------------------------------------


def anonymise_person(
    person: User, *, actor: User, request: HttpRequest | None = None
) -> Erasure:
    """Anonymise `person`, checked and done in one transaction; once.

    Raises PermissionDenied when `actor` may not. A second call (a double
    click, twenty at once) finds it done and answers what the first answered.
    """
    with transaction.atomic():
        # The person's row is locked (PostgreSQL); on SQLite the IMMEDIATE
        # transaction already holds the one write lock. Repeats wait here and
        # then find the account anonymised.
        locked = User.objects.select_for_update().filter(pk=person.pk).first()
        if locked is None or not may_erase(actor, locked):
            raise PermissionDenied
        if is_anonymised(locked):
            return _answer(locked)
        names = _identifiers(locked)
        programme = (
            Programme.objects.filter(_programmes_of_person([locked.pk]))
            .filter(pk__in=_programmes_of(actor))
            .order_by("pk")
            .first()
        )
        counts = _erase_records(locked, names)
        _erase_account(locked)
        line = audit.record(
            AuditAction.PERSON_ANONYMISED,
            actor=actor,
            target=locked,
            target_label=locked.username,
            subject=locked,
            programme=programme,
            detail=counts,
            request=request,
        )
        return Erasure(person_id=locked.pk, pseudonym=locked.username, at=line.at)


def _programmes_of(actor: User):
    if actor.is_superuser:
        return Programme.objects.values("pk")
    return Programme.objects.filter(coordinators=actor).values("pk")


def _answer(person: User) -> Erasure:
    line = (
        AuditEvent.objects.filter(
            action=AuditAction.PERSON_ANONYMISED,
            target_type=User._meta.label_lower,
            target_id=str(person.pk),
        )
        .order_by("at", "pk")
        .first()
    )
    return Erasure(
        person_id=person.pk,
        pseudonym=person.username,
        at=line.at if line is not None else None,
    )


def _identifiers(person: User) -> list[str]:
    """What others' texts may call the person by, longest first.

    A first name alone is not among them: "Maria" in a meeting's notes may be
    another Maria.
    """
    candidates = {
        person.get_full_name().strip(),
        person.username,
        person.email.strip(),
        person.phone.strip(),
    }
    return sorted(
        (text for text in candidates if len(text) >= 3),
        key=len,
        reverse=True,
    )


def _erase_account(person: User) -> None:
    person.username = pseudonym_of(person)
    person.first_name = ""
    person.last_name = ""
    person.email = ""
    person.phone = ""
    person.sex = ""
    person.birth_year = None
    person.app_name = AppName.PENDAMPING
    person.must_change_password = False
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.set_unusable_password()
    # Kept: organisation and village (the figures count by them), last_login
    # and date_joined (when, not who), the roles and enrolments.
    person.save()


def _erase_records(person: User, names: list[str]) -> dict:
    """Free text out, health data and sign-ins gone; how many of each."""
    from assessments.models import Answer, Certificate, CompetenceAssessment, Evidence
    from mentorship.models import (
        FollowUpAction,
        HourEntry,
        HourEntryEvent,
        PracticeCase,
        PracticeCaseEvent,
        Reflection,
        ReflectionSession,
        WellbeingCheckIn,
    )
    from modules.models import ReflectionAnswer

    pseudonym = pseudonym_of(person)
    counts = {}
    # What the person wrote.
    counts["lesson_reflections"] = ReflectionAnswer.objects.filter(user=person).update(
        text=""
    )
    counts["essay_answers"] = Answer.objects.filter(
        sitting_question__sitting__user=person
    ).update(text="", comment="")
    CompetenceAssessment.objects.filter(trainee=person).update(comment="")
    Evidence.objects.filter(assessment__trainee=person).update(note="")
    counts["hour_entries"] = HourEntry.objects.filter(trainee=person).update(
        activity="", supervisor_comment=""
    )
    HourEntryEvent.objects.filter(entry__trainee=person).update(comment="")
    counts["practice_cases"] = PracticeCase.objects.filter(trainee=person).update(
        actions="", went_well="", was_hard="", learned="", supervisor_feedback=""
    )
    PracticeCaseEvent.objects.filter(case__trainee=person).update(comment="")
    reflections = list(Reflection.objects.filter(person=person))
    for reflection in reflections:
        # The obstacles' categories are counted; their words are the person's.
        reflection.obstacles = [
            {"category": item.get("category"), "text": ""}
            for item in reflection.obstacles
            if isinstance(item, dict)
        ]
        reflection.support_needed = ""
        reflection.learning_needs = ""
    Reflection.objects.bulk_update(
        reflections, ["obstacles", "support_needed", "learning_needs"]
    )
    counts["annual_reflections"] = len(reflections)
    # Names others' records keep of the person as a signer.
    HourEntry.objects.filter(verified_by=person).update(verified_by_name=pseudonym)
    HourEntryEvent.objects.filter(actor=person).update(actor_name=pseudonym)
    # Health data, notes to the person, ways in: gone.
    _, deleted = WellbeingCheckIn.objects.filter(person=person).delete()
    counts["check_ins"] = deleted.get(WellbeingCheckIn._meta.label, 0)
    Notification.objects.filter(recipient=person).delete()
    Device.objects.filter(user=person).delete()
    _end_sessions(person)
    _remove_sign_in_traces(person)
    _remove_personal_files(person)
    # Certificates stay counted, and say only that they can no longer be verified.
    certificates = Certificate.objects.filter(holder=person)
    _delete_files_after_commit(certificates, "pdf")
    counts["certificates"] = certificates.update(
        holder_name=pseudonym, revocation_reason="", pdf=""
    )
    certificates.filter(unverifiable_since__isnull=True).update(
        unverifiable_since=timezone.now()
    )
    # Texts others wrote that name the person.
    if names:
        _replace_names(
            Notification.objects.all(), ["message", "email_body"], names, pseudonym
        )
        _replace_names(FollowUpAction.objects.all(), ["description"], names, pseudonym)
        _replace_names(
            ReflectionSession.objects.all(),
            ["agenda", "notes", "findings", "recommendations"],
            names,
            pseudonym,
        )
        _replace_names(
            PeopleImport.objects.all(), ["problems", "rows"], names, pseudonym
        )
        _replace_in_admin_history(person, names, pseudonym)
    return counts


def _end_sessions(person: User) -> None:
    """Delete the person's sessions. Session rows name their user only inside
    the encoded data, so the live ones are read in chunks."""
    key = str(person.pk)
    ended = []
    live = Session.objects.filter(expire_date__gte=timezone.now()).order_by("pk")
    for session in live.iterator(chunk_size=SESSION_CHUNK):
        # get_decoded() gives {} for a session it cannot read.
        if str(session.get_decoded().get("_auth_user_id", "")) == key:
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()


def _remove_sign_in_traces(person: User) -> None:
    from django_otp import devices_for_user

    for device in list(devices_for_user(person, confirmed=None)):
        device.delete()
    for label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
        apps.get_model(label).objects.filter(username=person.username).delete()
    for label in (
        "wagtailcore.APIToken",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
    ):
        apps.get_model(label).objects.filter(user=person).delete()
    profile_model = apps.get_model("wagtailusers", "UserProfile")
    profiles = profile_model.objects.filter(user=person)
    _delete_files_after_commit(profiles, "avatar")
    profiles.delete()


def _remove_personal_files(person: User) -> None:
    """The person's "Unduh data saya" files, when that feature is installed."""
    try:
        model = apps.get_model("learning", "PersonalDataExport")
    except LookupError:
        return
    exports = model.objects.filter(person=person)
    for field in model._meta.concrete_fields:
        if isinstance(field, models.FileField):
            _delete_files_after_commit(exports, field.name)
    exports.delete()


def _delete_files_after_commit(queryset: QuerySet, field_name: str) -> None:
    """Delete the stored files once the erasure is committed (a rolled-back
    erasure leaves them where they were)."""
    files = [
        getattr(row, field_name)
        for row in queryset.exclude(**{field_name: ""}).only("pk", field_name)
    ]

    def delete():
        for stored in files:
            stored.delete(save=False)

    if files:
        transaction.on_commit(delete)


def _replace(value, names: list[str], pseudonym: str):
    if isinstance(value, str):
        for name in names:
            # Whole words only: the username "ani" is not in "pendampingan".
            whole = rf"(?<!\w){re.escape(name)}(?!\w)"
            value = re.sub(whole, pseudonym, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_replace(item, names, pseudonym) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, names, pseudonym) for key, item in value.items()}
    return value


def _replace_names(
    queryset: QuerySet, fields: list[str], names: list[str], pseudonym: str
) -> None:
    """Replace `names` by `pseudonym` in `fields` of the rows that hold one."""
    holding = Q()
    for field in fields:
        for name in names:
            holding |= Q(**{f"{field}__icontains": name})
    rows = list(queryset.filter(holding).only("pk", *fields))
    for row in rows:
        for field in fields:
            setattr(row, field, _replace(getattr(row, field), names, pseudonym))
    if rows:
        queryset.model.objects.bulk_update(rows, fields)


def _replace_in_admin_history(person: User, names: list[str], pseudonym: str) -> None:
    """Wagtail's own history of the account's edits labels it by its name."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import ModelLogEntry

    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk)
    )
    entries.update(label=pseudonym)
    _replace_names(entries, ["data"], names, pseudonym)


# --- retention ----------------------------------------------------------------


def inactive_cutoff(*, now: datetime.datetime | None = None) -> datetime.datetime:
    # At least one year, and a year a date can hold.
    years = min(max(settings.PENDAMPING_INACTIVE_YEARS, 1), 100)
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def inactive_people(
    queryset: QuerySet[User], *, now: datetime.datetime | None = None
) -> QuerySet[User]:
    """Accounts in `queryset` not seen (signed in, or synced from a phone) for
    `PENDAMPING_INACTIVE_YEARS` years; never-seen accounts count from when they
    were made. Already anonymised accounts are not flagged again."""
    cutoff = inactive_cutoff(now=now)
    not_signed_in = Q(last_login__lt=cutoff) | Q(
        last_login__isnull=True, date_joined__lt=cutoff
    )
    return (
        queryset.filter(not_signed_in)
        .exclude(pk__in=Device.objects.filter(last_seen_at__gte=cutoff).values("user"))
        .exclude(anonymised_accounts())
    )
