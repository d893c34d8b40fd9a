"""Wellbeing and safety check-ins: health data under UU PDP (UU 27/2022).

A companion (trainee, alumnus, facilitator) tells, privately, how they are,
whether they faced threats or pressure, and whether they want to talk to
someone. The answers belong to them alone:

- nobody else reads them, not the facilitator, not the coordinator, not an
  admin screen or an export;
- when a check-in signals risk, the person's facilitators are told at once
  (in the app and by e-mail) that they asked for contact or marked a risk,
  with a link to a page showing the name, the time and which signal: never
  the note;
- coordinators see counts only (`checkin_counts`);
- the companion may delete their own check-ins, and the alert goes with them.

Every door (the page, the API, the monthly reminder) calls these functions.
"""

import datetime
import uuid as uuid_module
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.choices import Role
from learning.models import Notification, User
from learning.notifications import notify
from learning.scope import is_signed_in

from .choices import Feeling
from .idempotent import create_once
from .models import WellbeingCheckIn
from .narrative import narrative_problems

MAX_NOTE_LENGTH = 1000
# How long a risk check-in stays on the facilitator's attention list.
ATTENTION_DAYS = 30
COMPANION_ROLES = frozenset({Role.PESERTA, Role.ALUMNI, Role.FASILITATOR})


def may_check_in(person: User) -> bool:
    """Companions: trainees, alumni, and facilitators (who accompany too)."""
    return bool(
        person.is_authenticated
        and person.is_active
        and COMPANION_ROLES & set(person.roles)
    )


def _risk() -> Q:
    return Q(threatened=True) | Q(wants_contact=True) | Q(feeling=Feeling.HEAVY)


def facilitators_for(person: User) -> list[User]:
    """Who hears of a risk: the facilitators of the person's cohorts, or else
    the facilitators of their organisation. Never the person themselves."""
    active = User.objects.filter(is_active=True).exclude(pk=person.pk)
    teaching = active.filter(facilitated_cohorts__enrolments__trainee=person)
    chosen = list(teaching.distinct().order_by("pk"))
    if not chosen and person.organisation_id:
        chosen = list(
            active.filter(
                organisation_id=person.organisation_id,
                groups__name=Role.FASILITATOR.value,
            )
            .distinct()
            .order_by("pk")
        )
    return chosen


def check_checkin(*, feeling: str, note: str) -> None:
    """Raise a ValidationError (by field) for an answer that cannot be kept."""
    errors: dict[str, list[str]] = {}
    if feeling not in Feeling.values:
        errors["feeling"] = [_("Pilih bagaimana keadaanmu.")]
    note = note or ""
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [
            _("Catatan paling panjang %(max)s huruf.") % {"max": MAX_NOTE_LENGTH}
        ]
    else:
        problems = narrative_problems(note)
        if problems:
            errors["note"] = problems
    if errors:
        raise ValidationError(errors)


def alert_path(checkin: WellbeingCheckIn) -> str:
    return reverse("mentorship:wellbeing_alert", kwargs={"checkin_uuid": checkin.uuid})


def _alert(checkin: WellbeingCheckIn, person: User) -> None:
    """Tell the person's facilitators; the message names no answer but the ask."""
    facilitators = facilitators_for(person)
    if not facilitators:
        return
    checkin.alerted.set(facilitators)
    values = {"name": person.display_name}
    if checkin.wants_contact:
        message = _("%(name)s meminta dihubungi dalam cek kesejahteraan") % values
    else:
        message = _("%(name)s menandai risiko dalam cek kesejahteraan") % values
    body = _(
        "%(message)s. Buka tautan di bawah untuk melihat kapan dan tanda apa yang "
        "dipilih, lalu hubungi dia secara pribadi. Isi jawabannya tetap rahasia."
    ) % {"message": message}
    link = alert_path(checkin)
    for facilitator in facilitators:
        notify(recipient=facilitator, message=message, link=link, email_body=body)


def record_checkin(
    *,
    person: User,
    uuid: uuid_module.UUID | str,
    feeling: str,
    threatened: bool = False,
    wants_contact: bool = False,
    note: str = "",
) -> tuple[WellbeingCheckIn, bool]:
    """Keep a check-in once per client-made UUID: (check-in, created).

    A check-in that signals risk tells the person's facilitators at once.
    Sending the same UUID again, even twenty times at once, returns the
    check-in as it is, changes nothing and tells nobody again.
    """
    if not may_check_in(person):
        raise PermissionDenied(_("Cek kesejahteraan hanya untuk pendamping."))
    note = (note or "").strip()

    def create() -> WellbeingCheckIn:
        check_checkin(feeling=feeling, note=note)
        checkin = WellbeingCheckIn.objects.create(
            uuid=uuid,
            person=person,
            feeling=feeling,
            threatened=bool(threatened),
            wants_contact=bool(wants_contact),
            note=note,
        )
        if checkin.signals_risk:
            _alert(checkin, person)
        return checkin

    return create_once(
        model=WellbeingCheckIn,
        uuid=uuid,
        owner=person,
        belongs=lambda checkin: checkin.person_id == person.pk,
        create=create,
        taken=_("Kode cek ini sudah dipakai."),
    )


def delete_checkin(*, checkin: WellbeingCheckIn, person: User) -> None:
    """Remove a check-in for good; only its author may.

    The in-app alerts about it go too (an e-mail already sent cannot be called
    back, but it never carried the answers).
    """
    if checkin.person_id != person.pk:
        raise PermissionDenied(_("Cek kesejahteraan ini bukan milikmu."))
    with transaction.atomic():
        Notification.objects.filter(link=alert_path(checkin)).delete()
        checkin.delete()


def own_checkins(person: User) -> QuerySet[WellbeingCheckIn]:
    return WellbeingCheckIn.objects.filter(person=person).order_by("-created_at", "-pk")


# --- The facilitator's side ------------------------------------------------------


def alerts_for(facilitator: User) -> QuerySet[WellbeingCheckIn]:
    """Risk check-ins this facilitator was told of (and only those)."""
    if not is_signed_in(facilitator):
        return WellbeingCheckIn.objects.none()
    return WellbeingCheckIn.objects.filter(_risk(), alerted=facilitator)


@dataclass(frozen=True)
class Alert:
    """What a facilitator may know of a risk check-in: never the note or feeling
    unless the feeling is the signal."""

    uuid: uuid_module.UUID
    name: str
    person_id: int
    created_at: datetime.datetime
    wants_contact: bool
    threatened: bool
    feels_heavy: bool
    contacted_at: datetime.datetime | None
    contacted_by: str
    link: str

    @property
    def signals(self) -> list[str]:
        return [
            label
            for shown, label in (
                (self.wants_contact, _("Ingin dihubungi / bicara dengan seseorang")),
                (self.threatened, _("Mendapat ancaman atau tekanan")),
                (self.feels_heavy, _("Merasa berat sekali")),
            )
            if shown
        ]


def as_alert(checkin: WellbeingCheckIn) -> Alert:
    return Alert(
        uuid=checkin.uuid,
        name=checkin.person.display_name,
        person_id=checkin.person_id,
        created_at=checkin.created_at,
        wants_contact=checkin.wants_contact,
        threatened=checkin.threatened,
        feels_heavy=checkin.feeling == Feeling.HEAVY,
        contacted_at=checkin.contacted_at,
        contacted_by=checkin.contacted_by.display_name if checkin.contacted_by else "",
        link=alert_path(checkin),
    )


def checkins_asking_contact(
    *, facilitator: User, now: datetime.datetime | None = None
) -> list[Alert]:
    """For the attention list: risk check-ins of the last 30 days of people this
    facilitator is responsible for, not yet marked "sudah dihubungi". One query."""
    since = (now or timezone.now()) - datetime.timedelta(days=ATTENTION_DAYS)
    found = (
        alerts_for(facilitator)
        .filter(created_at__gte=since, contacted_at__isnull=True)
        .select_related("person", "contacted_by")
        .order_by("-created_at", "-pk")
    )
    return [as_alert(checkin) for checkin in found]


def mark_contacted(*, checkin: WellbeingCheckIn, facilitator: User) -> bool:
    """Record that a told facilitator made contact; False if it was done before."""
    if not alerts_for(facilitator).filter(pk=checkin.pk).exists():
        raise PermissionDenied(_("Kamu tidak diberi tahu tentang cek ini."))
    done = WellbeingCheckIn.objects.filter(
        pk=checkin.pk, contacted_at__isnull=True
    ).update(contacted_at=timezone.now(), contacted_by=facilitator)
    return bool(done)


# --- Counts for coordinators -------------------------------------------------------


@dataclass
class CheckInCounts:
    """What a coordinator may know: numbers, never a name or an answer."""

    total: int = 0
    people: int = 0
    risk: int = 0
    by_feeling: dict[str, int] = field(default_factory=dict)


def checkin_counts(
    *, people: QuerySet[User], since: datetime.datetime | None = None
) -> CheckInCounts:
    """Counts of the check-ins of these people (since a moment, if given); one query."""
    checkins = WellbeingCheckIn.objects.filter(person__in=people.values("pk"))
    if since is not None:
        checkins = checkins.filter(created_at__gte=since)
    totals = checkins.aggregate(
        total=Count("pk"),
        people=Count("person", distinct=True),
        risk=Count("pk", filter=_risk()),
        **{
            f"feeling_{value}": Count("pk", filter=Q(feeling=value))
            for value in Feeling.values
        },
    )
    return CheckInCounts(
        total=totals["total"],
        people=totals["people"],
        risk=totals["risk"],
        by_feeling={value: totals[f"feeling_{value}"] for value in Feeling.values},
    )


# --- The monthly reminder ----------------------------------------------------------


def _month_tag(today: datetime.date) -> str:
    return f"cek-{today:%Y-%m}"


def remind_checkins(*, today: datetime.date | None = None) -> int:
    """Invite each active trainee and alumnus to check in, once a month.

    The reminder's link carries the month (`/kesejahteraan/#cek-2025-03`): a
    second run in the same month finds it and sends nothing new. Someone who
    already checked in this month is not reminded. Returns how many were.
    """
    today = today or timezone.localdate()
    link = f"{reverse('mentorship:wellbeing')}#{_month_tag(today)}"
    month_start = timezone.make_aware(datetime.datetime(today.year, today.month, 1))
    already = Notification.objects.filter(link=link).values("recipient")
    checked_in = WellbeingCheckIn.objects.filter(created_at__gte=month_start).values(
        "person"
    )
    companions = (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Role.PESERTA.value, Role.ALUMNI.value],
        )
        .exclude(pk__in=already)
        .exclude(pk__in=checked_in)
        .distinct()
        .order_by("pk")
    )
    message = _("Bagaimana kabarmu bulan ini? Isi cek kesejahteraan singkat")
    body = _(
        "Mendampingi korban itu berat. Luangkan satu menit untuk cek kesejahteraan: "
        "jawabannya hanya kamu yang membaca. Bila kamu ingin bicara dengan "
        "seseorang, fasilitatormu akan diberi tahu."
    )
    count = 0
    for person in companions:
        notify(recipient=person, message=message, link=link, email_body=body)
        count += 1
    return count
