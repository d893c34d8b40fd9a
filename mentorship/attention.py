"""The facilitator's attention list: what waits for them, each with where to do it.

One list, shown on the site home (a panel registered in `apps.py`) and on the
Wagtail admin dashboard (the hook at the bottom of this module): essays to
mark, hours and practice cases to verify, wellbeing check-ins that asked for
contact, trainees gone quiet for 30 days, follow-up actions falling due and
the next reflection session. Each item counts only what lies in the
facilitator's scope, items with nothing to do are left out, and the number of
queries is the same however much data there is (one or two per item).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Sitting
from assessments.statistics import essay_queue
from learning.choices import Role
from learning.models import Cohort, User
from learning.scope import is_signed_in
from modules.models import LessonProgress

from .cases import review_queue
from .hours import format_minutes
from .links import cases_queue_url, hours_queue_url
from .models import FollowUpAction, HourEntry, ReflectionSession
from .selectors import supervision_queue
from .wellbeing import checkins_asking_contact

INACTIVE_DAYS = 30
FOLLOW_UP_DAYS = 14
NAMES_SHOWN = 3


@dataclass(frozen=True)
class Item:
    """One line of the list: what waits, how many, and where it is done."""

    label: str
    count: int
    link: str | None = None
    detail: str = ""


def attention_items(facilitator: User) -> list[Item]:
    """What needs this facilitator's attention now; empty when nothing does."""
    if not is_signed_in(facilitator):
        return []
    today = timezone.localdate()
    items = [
        _essays(facilitator),
        _hours(facilitator),
        _cases(facilitator),
        _wellbeing(facilitator),
        _inactive_trainees(facilitator, today),
        _follow_ups(facilitator, today),
        _next_session(facilitator, today),
    ]
    return [item for item in items if item and item.count]


def _date(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return date_format(value, "DATE_FORMAT")


def _url(name: str, *args) -> str | None:
    """The admin screen's address, or None while that screen does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _names(names: list[str]) -> str:
    """The first few names and how many more, so the line stays short."""
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        return _("%(names)s dan %(more)d lainnya") % {
            "names": shown,
            "more": len(names) - NAMES_SHOWN,
        }
    return shown


# Essays, hours and practice cases: the queues other modules already keep


def _essays(facilitator: User) -> Item:
    waiting = essay_queue(actor=facilitator).aggregate(
        count=Count("pk"), oldest=Min("sitting_question__sitting__finished_at")
    )
    count = waiting["count"]
    return Item(
        label=ngettext(
            "%(count)d esai menunggu dinilai", "%(count)d esai menunggu dinilai", count
        )
        % {"count": count},
        count=count,
        link=_url("assessments_essay_queue"),
        detail=_("Terlama menunggu sejak %(date)s") % {"date": _date(waiting["oldest"])}
        if waiting["oldest"]
        else "",
    )


def _hours(facilitator: User) -> Item:
    waiting = supervision_queue(facilitator).aggregate(
        count=Count("pk"), minutes=Sum("minutes")
    )
    count = waiting["count"]
    return Item(
        label=ngettext(
            "%(count)d catatan jam magang menunggu verifikasi",
            "%(count)d catatan jam magang menunggu verifikasi",
            count,
        )
        % {"count": count},
        count=count,
        link=hours_queue_url(),
        detail=_("Jumlah %(duration)s")
        % {"duration": format_minutes(waiting["minutes"])}
        if count
        else "",
    )


def _cases(facilitator: User) -> Item:
    count = review_queue(facilitator).count()
    return Item(
        label=ngettext(
            "%(count)d kasus praktik menunggu tinjauan",
            "%(count)d kasus praktik menunggu tinjauan",
            count,
        )
        % {"count": count},
        count=count,
        link=cases_queue_url(),
    )


# Wellbeing check-ins


def _wellbeing(facilitator: User) -> Item:
    """Risk check-ins the facilitator was told of and has not yet followed up.

    Only the names and the way to the alert page: the answers stay private
    (`mentorship.wellbeing`).
    """
    alerts = checkins_asking_contact(facilitator=facilitator)
    people = {alert.person_id: alert.name for alert in alerts}
    count = len(people)
    if len(alerts) == 1:
        link = alerts[0].link
    else:
        link = _url("mentorship:wellbeing_alerts") or (
            alerts[0].link if alerts else None
        )
    return Item(
        label=ngettext(
            "%(count)d pendamping perlu dihubungi (cek kesejahteraan)",
            "%(count)d pendamping perlu dihubungi (cek kesejahteraan)",
            count,
        )
        % {"count": count},
        count=count,
        link=link,
        detail=_names(list(people.values())),
    )


# Trainees gone quiet


def _latest(queryset: QuerySet, field: str, person: str = "user") -> Subquery:
    """The newest `field` of one person's rows, as a correlated subquery."""
    return Subquery(
        queryset.filter(**{person: OuterRef("pk")})
        .order_by()
        .values(person)
        .annotate(latest=Max(field))
        .values("latest")[:1],
        output_field=DateTimeField(),
    )


def cohorts_taught(facilitator: User) -> QuerySet[Cohort]:
    """The cohorts this facilitator teaches that have not ended."""
    today = timezone.localdate()
    return Cohort.objects.filter(facilitators=facilitator).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def trainees_taught(facilitator: User) -> QuerySet[User]:
    """Active trainees of the cohorts this facilitator teaches.

    They are in the facilitator's scope by the core rule
    (`learning.scope.people_visible_to`: the trainees of the cohorts one teaches).
    """
    return User.objects.filter(
        is_active=True,
        groups__name=Role.PESERTA.value,
        pk__in=cohorts_taught(facilitator).values("enrolments__trainee"),
    ).exclude(pk=facilitator.pk)


def with_last_activity(people: QuerySet[User]) -> QuerySet[User]:
    """Annotate `last_activity`: the newest sign-in, lesson, quiz or hour entry.

    An account nobody has used counts from the day it was made, so a trainee
    added last week is not "inactive for 30 days".
    """
    joined = "date_joined"
    return people.annotate(
        last_activity=Greatest(
            Coalesce("last_login", joined),
            Coalesce(_latest(LessonProgress.objects, "completed_at"), joined),
            Coalesce(_latest(Sitting.objects, "started_at"), joined),
            Coalesce(_latest(HourEntry.objects, "created_at", "trainee"), joined),
            output_field=DateTimeField(),
        )
    )


def inactive_trainees(facilitator: User, *, today=None) -> list[User]:
    """Trainees of the cohorts one teaches, quiet for 30 days; one query."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=INACTIVE_DAYS), datetime.time.min
        )
    )
    return list(
        with_last_activity(trainees_taught(facilitator))
        .filter(last_activity__lt=cutoff)
        .distinct()
        .order_by("last_activity", "pk")
    )


def _inactive_trainees(facilitator: User, today: datetime.date) -> Item:
    people = inactive_trainees(facilitator, today=today)
    count = len(people)
    link = _url("wagtailusers_users:index")
    if link and count:
        # One cohort: open the people screen filtered to it.
        cohorts = list(cohorts_taught(facilitator).values_list("pk", flat=True)[:2])
        if len(cohorts) == 1:
            link += "?" + urlencode({"cohort": cohorts[0]})
    return Item(
        label=ngettext(
            "%(count)d peserta tidak aktif selama %(days)d hari",
            "%(count)d peserta tidak aktif selama %(days)d hari",
            count,
        )
        % {"count": count, "days": INACTIVE_DAYS},
        count=count,
        link=link,
        detail=_names([person.display_name for person in people]),
    )


# Reflection sessions and what they decided


def _follow_ups(facilitator: User, today: datetime.date) -> Item:
    due = FollowUpAction.objects.filter(
        owner=facilitator,
        done_at__isnull=True,
        due_date__lte=today + datetime.timedelta(days=FOLLOW_UP_DAYS),
    ).aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        first=Min("due_date"),
        first_session=Min("session"),
        last_session=Max("session"),
    )
    count = due["count"]
    if due["overdue"]:
        detail = ngettext(
            "%(count)d sudah lewat tenggat",
            "%(count)d sudah lewat tenggat",
            due["overdue"],
        ) % {"count": due["overdue"]}
    elif due["first"]:
        detail = _("Tenggat terdekat %(date)s") % {"date": _date(due["first"])}
    else:
        detail = ""
    return Item(
        label=ngettext(
            "%(count)d tindak lanjut refleksi jatuh tempo",
            "%(count)d tindak lanjut refleksi jatuh tempo",
            count,
        )
        % {"count": count},
        count=count,
        # All from one session: its page, where they are ticked off.
        link=_session_url(due["first_session"])
        if due["first_session"] == due["last_session"]
        else _sessions_url(),
        detail=detail,
    )


def _next_session(facilitator: User, today: datetime.date) -> Item | None:
    session = (
        ReflectionSession.objects.filter(
            facilitators=facilitator, start_date__gte=today
        )
        .select_related("place")
        .order_by("start_date", "pk")
        .first()
    )
    if session is None:
        return None
    place = ", ".join(part for part in (session.venue, session.place.label) if part)
    return Item(
        label=_("Sesi refleksi berikutnya: %(date)s")
        % {"date": _date(session.start_date)},
        count=1,
        link=_session_url(session.pk),
        detail=place,
    )


def _sessions_url() -> str | None:
    return _url("reflection_session:index")


def _session_url(session_id: int | None) -> str | None:
    """The session's own admin page, where follow-ups are added and ticked off."""
    if session_id is None:
        return _sessions_url()
    return _url("mentorship_reflection_session", session_id) or _sessions_url()


# Where the list is shown


def is_facilitator(user) -> bool:
    return bool(user.is_authenticated and Role.FASILITATOR in user.roles)


def home_panel(request: HttpRequest) -> dict:
    """The site home panel's context (registered in `apps.py` for facilitators)."""
    return {"items": attention_items(request.user)}
