"""Magang hours and practice cases as evidence for a competence assessment.

`apps.py` registers both kinds with `assessments.competence`: which of a
trainee's records each offers (verified hours, reviewed cases), how one is
described, and which cases suggest themselves for a competency (those where
the supervisor's review ticked it). A description names no victim: a case is
its month and the kinds of violence, nothing more.
"""

import datetime

from django.db.models import QuerySet
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Competency
from learning.models import User

from .choices import CaseStatus, EntryStatus, ViolenceType
from .models import HourEntry, PracticeCase


def verified_hours_of(trainee: User) -> QuerySet[HourEntry]:
    """The trainee's verified hour entries, latest first."""
    return HourEntry.objects.filter(
        trainee=trainee, status=EntryStatus.VERIFIED
    ).order_by("-date", "-start_time", "-pk")


def hours_label(minutes: int) -> str:
    """ "2 jam", "2,5 jam", "45 menit"."""
    if minutes < 60:
        return ngettext("%(count)d menit", "%(count)d menit", minutes) % {
            "count": minutes
        }
    hours = minutes / 60
    shown = number_format(hours, decimal_pos=0 if minutes % 60 == 0 else 1)
    return _("%(hours)s jam") % {"hours": shown}


def describe_hours(entry: HourEntry) -> str:
    """ "2,5 jam magang, 14 Maret 2026 08:00–10:30: Penerimaan pengaduan"."""
    period = date_format(entry.date, "j F Y")
    if entry.time_label:
        period = f"{period} {entry.time_label}"
    return _("%(hours)s magang, %(period)s: %(activity)s") % {
        "hours": hours_label(entry.minutes),
        "period": period,
        "activity": entry.get_category_display(),
    }


def reviewed_cases_of(trainee: User) -> QuerySet[PracticeCase]:
    """The trainee's reviewed practice cases, latest month first."""
    return PracticeCase.objects.filter(
        trainee=trainee, status=CaseStatus.REVIEWED
    ).order_by("-year", "-month", "-pk")


def describe_case(case: PracticeCase) -> str:
    """ "Kasus Maret 2026: Psikis, Seksual": the month and the kinds of violence.

    Nothing else from the case: no place, no age, no relation.
    """
    labels = dict(ViolenceType.choices)
    kinds = ", ".join(str(labels.get(code, code)) for code in case.violence_types)
    month = date_format(datetime.date(case.year, case.month, 1), "F Y")
    if not kinds:
        return _("Kasus %(month)s") % {"month": month}
    return _("Kasus %(month)s: %(kinds)s") % {"month": month, "kinds": kinds}


def case_shows(case: PracticeCase, competency: Competency) -> bool:
    """The review ticked `competency` on this case (read from the prefetch)."""
    return any(shown.pk == competency.pk for shown in case.competencies_shown.all())
