"""The weekly magang digest: one reminder a week, to whom something waits.

- A supervisor with an account whose queue is not empty hears how many hours
  wait for their verification, with a link to the queue in the admin.
- A trainee with drafts older than a day hears how many are not yet submitted,
  with a link to their log.

Supervisors without an account have no address here: the trainee sends them
a countersign link instead. Each reminder goes through `notify` (in the app,
and by e-mail where there is an address). Running the digest again in the
same ISO week sends nothing new.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.models import Notification, User
from learning.notifications import notify

from .choices import EntryStatus
from .links import hours_queue_url
from .models import HourEntry
from .selectors import supervision_queue

DRAFT_AGE = datetime.timedelta(days=1)


@dataclass
class DigestCounts:
    """How many people one run of the digest reminded."""

    supervisors: int = 0
    trainees: int = 0


def _week_tag(today: datetime.date) -> str:
    year, week, _day = today.isocalendar()
    return f"ringkasan-{year}-W{week:02d}"


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return formats.number_format(hours, 0 if hours == int(hours) else 1)


def send_weekly_digests(*, today: datetime.date | None = None) -> DigestCounts:
    """Remind supervisors of waiting entries and trainees of old drafts, once a week.

    `today` (the local date by default) picks the ISO week; drafts count as
    old when made more than a day before that day at the current clock time.
    A digest carries its week in the link's fragment (`#ringkasan-2025-W07`):
    that is how a second run in the same week knows it already went out,
    whatever else the person was told meanwhile.
    """
    now = timezone.localtime()
    if today is None:
        today = now.date()
    else:
        now = now.replace(year=today.year, month=today.month, day=today.day)
    tag = _week_tag(today)
    counts = DigestCounts()

    queue_link = f"{hours_queue_url()}#{tag}"
    already = set(
        Notification.objects.filter(link=queue_link).values_list(
            "recipient_id", flat=True
        )
    )
    supervisors = (
        User.objects.filter(
            is_active=True,
            supervised_placements__entries__status=EntryStatus.SUBMITTED,
        )
        .exclude(pk__in=already)
        .distinct()
        .order_by("pk")
    )
    for supervisor in supervisors:
        waiting = supervision_queue(supervisor).aggregate(
            minutes=Sum("minutes"), entries=Count("pk")
        )
        if not waiting["entries"]:
            continue
        message = _("%(hours)s jam magang menunggu verifikasi kamu") % {
            "hours": _hours(waiting["minutes"])
        }
        body = ngettext(
            "%(hours)s jam magang dalam %(count)s catatan menunggu verifikasi kamu. "
            "Buka antrean verifikasi untuk memverifikasi atau mengembalikannya.",
            "%(hours)s jam magang dalam %(count)s catatan menunggu verifikasi kamu. "
            "Buka antrean verifikasi untuk memverifikasi atau mengembalikannya.",
            waiting["entries"],
        ) % {"hours": _hours(waiting["minutes"]), "count": waiting["entries"]}
        notify(recipient=supervisor, message=message, link=queue_link, email_body=body)
        counts.supervisors += 1

    log_link = f"{reverse('mentorship:log')}#{tag}"
    already = set(
        Notification.objects.filter(link=log_link).values_list(
            "recipient_id", flat=True
        )
    )
    drafts = (
        HourEntry.objects.filter(
            status=EntryStatus.DRAFT,
            created_at__lt=now - DRAFT_AGE,
            trainee__is_active=True,
        )
        .exclude(trainee__in=already)
        .values("trainee")
        .annotate(entries=Count("pk"))
        .order_by("trainee")
    )
    waiting_by_trainee = {row["trainee"]: row["entries"] for row in drafts}
    for trainee in User.objects.filter(pk__in=waiting_by_trainee).order_by("pk"):
        count = waiting_by_trainee[trainee.pk]
        message = ngettext(
            "Kamu punya %(count)s draf jam magang yang belum diajukan",
            "Kamu punya %(count)s draf jam magang yang belum diajukan",
            count,
        ) % {"count": count}
        body = _(
            "%(message)s. Periksa lagi, lalu ajukan ke pembimbingmu supaya jamnya "
            "dapat diverifikasi."
        ) % {"message": message}
        notify(recipient=trainee, message=message, link=log_link, email_body=body)
        counts.trainees += 1
    return counts
