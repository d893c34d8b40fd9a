"""The magang conditions of a certification rule: verified hours and reviewed
practice cases. Registered with `assessments.certification` in `apps.py`;
each judges a list of trainees in one query."""

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.certification import ChecklistLine
from assessments.models import CertificationRule
from learning.models import Programme, User

from .choices import CaseStatus, EntryStatus
from .evidence import hours_label
from .models import HourEntry, PracticeCase


def _hours_done(minutes: int) -> str:
    """Hours to one decimal, rounded down: 39 h 59 min is "39,9", never "40,0"
    beside a condition not yet met."""
    if minutes % 60 == 0:
        return number_format(minutes // 60)
    return number_format(Decimal(minutes * 10 // 60) / 10, decimal_pos=1)


def check_magang_hours(
    rule: CertificationRule, programme: Programme, trainees: Sequence[User]
) -> dict[int, ChecklistLine]:
    minutes = dict(
        HourEntry.objects.filter(trainee__in=trainees, status=EntryStatus.VERIFIED)
        .values("trainee_id")
        .annotate(total=Sum("minutes"))
        .values_list("trainee_id", "total")
    )
    needed = rule.min_magang_hours * 60
    link = reverse("mentorship:log")
    lines = {}
    for trainee in trainees:
        done_minutes = minutes.get(trainee.pk) or 0
        lines[trainee.pk] = ChecklistLine(
            key="hours",
            label=_("Jam magang terverifikasi"),
            done=done_minutes >= needed,
            progress=_("%(done)s dari %(needed)d jam")
            % {"done": _hours_done(done_minutes), "needed": rule.min_magang_hours},
            link=link,
            missing=hours_label(needed - done_minutes) if done_minutes < needed else "",
            amount=done_minutes,
        )
    return lines


def check_practice_cases(
    rule: CertificationRule, programme: Programme, trainees: Sequence[User]
) -> dict[int, ChecklistLine]:
    counts = dict(
        PracticeCase.objects.filter(trainee__in=trainees, status=CaseStatus.REVIEWED)
        .values("trainee_id")
        .annotate(total=Count("pk"))
        .values_list("trainee_id", "total")
    )
    needed = rule.min_practice_cases
    link = reverse("mentorship:cases")
    lines = {}
    for trainee in trainees:
        done = counts.get(trainee.pk, 0)
        lines[trainee.pk] = ChecklistLine(
            key="cases",
            label=_("Kasus praktik yang sudah ditinjau"),
            done=done >= needed,
            progress=_("%(done)d dari %(needed)d kasus")
            % {"done": done, "needed": needed},
            link=link,
            missing=(
                ngettext("%(count)d kasus", "%(count)d kasus", needed - done)
                % {"count": needed - done}
                if done < needed
                else ""
            ),
            amount=done,
        )
    return lines
