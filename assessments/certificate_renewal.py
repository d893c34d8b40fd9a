"""Validity and renewal of certificates by refresher modules.

A programme's rule may set `validity_months` (none by default: certificates
never lapse). `issue_certificate` sets `valid_until` from it; this module
reminds holders before that day and extends it when they study again.

The rules, in the order a holder meets them:

- **Renewable.** A certificate that is not revoked, whose data was not erased
  (`unverifiable_since`), that has a `valid_until`, and whose programme's rule
  still sets `validity_months`. A renewal extends it by the rule's months *as
  they are now*. If a coordinator later empties the validity, the
  certificates already issued keep their date and can no longer be renewed
  (nothing says how long to extend them); say so in the admin.
- **Renewal modules** (`renewal_modules_for`): the rule's `renewal_modules`
  that are live, or, when the rule names none, every live refresher module
  (`ModulePage.is_refresher`) open to the programme (it names the programme
  or no programme). No modules, no renewal: an empty list is never "all done".
- **The renewal window.** Refresher study counts towards a renewal when it is
  done from `RENEWAL_OPENS_MONTHS` (6) months before `valid_until` onwards,
  and never on or before the day the certificate was issued or last renewed
  (so studying during training, right after issue, or for the previous
  renewal does not count again). A lapsed certificate stays renewable: the
  window simply stays open.
- **Studied again.** `ModuleCompletion` and `LessonProgress` are kept forever
  (one row per person and module or lesson), so "completing a module again"
  cannot be a new completion. A renewal module counts as studied in the
  window when, within it, the holder *either* completed it for the first
  time (`ModuleCompletion.completed_at`) *or* passed one of its quizzes,
  practice or graded (`Sitting.passed`, dated by `finished_at`): sittings are
  new rows per attempt and practice quizzes allow any number of attempts. A
  renewal module already completed before the window and without a quiz
  cannot count again: give every renewal module at least a practice quiz.
  No model change was needed for this.
- **Renewing.** When every renewal module has been studied in the window, the
  validity is extended: new `valid_until` = max(old `valid_until`, today) +
  `validity_months`. Renewing early loses nothing (the months left are kept);
  renewing after it lapsed counts from today. A `CertificateRenewal` row keeps
  the history (previous and new date, the modules' titles); it is unique per
  `previous_valid_until`, so completions arriving at once renew once. The
  certificate row is locked while this is checked and written (SQLite's
  IMMEDIATE transactions serialise writers anyway). The PDF is rebuilt (it
  shows the new date) and the holder is told, in the app and by e-mail.
- **When.** At once, when the holder completes a module for the first time
  (`renew_after_refresher`, the completion listener `modules.progress` calls
  inside the completion's transaction) or passes a quiz
  (`renew_after_quiz`, for the quiz engine to call). And every day the beat
  task `remind_expiring_certificates` renews whatever met the condition
  without a listener firing (modules completed offline and synced, a listener
  that failed, a quiz passed again) before it sends reminders.
- **Reminders.** From `REMIND_MONTHS` (3) months before `valid_until`, the
  holder is reminded once per validity period: `Certificate.reminded_for`
  holds the `valid_until` the reminder was for, set by a conditional update in
  the reminder's transaction, so running the task twice (or two beats at
  once) reminds once; a renewal moves `valid_until` and the next period gets
  its own reminder. A certificate that lapsed within the last
  `LATE_REMINDER_DAYS` (30) days without a reminder (a beat that was down)
  still gets one; one that lapsed longer ago is not reminded (a new
  deployment does not send old alumni a flood of notices). Revoked,
  unverifiable and no-expiry certificates, and holders whose account was
  deactivated, are never reminded.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning import audit
from learning.choices import AuditAction
from learning.notifications import notify
from learning.outbox import enqueue
from modules.models import ModuleCompletion, ModulePage

from .certification import _months_later, rule_for
from .models import (
    Certificate,
    CertificateRenewal,
    CertificationRule,
    Sitting,
)

logger = logging.getLogger(__name__)

# Refresher study counts from this many months before a certificate lapses.
RENEWAL_OPENS_MONTHS = 6
# The holder is reminded this many months before it lapses.
REMIND_MONTHS = 3
# A certificate that lapsed this recently without a reminder still gets one.
LATE_REMINDER_DAYS = 30
# Certificates read per query by the daily task.
CHUNK_SIZE = 500


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the site's time zone (WITA)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _long_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _standing() -> QuerySet[Certificate]:
    """Certificates that can lapse and be renewed or reminded."""
    return Certificate.objects.filter(
        revoked_at__isnull=True,
        unverifiable_since__isnull=True,
        valid_until__isnull=False,
    )


# Renewal modules ----------------------------------------------------------


def _renewal_modules_by_programme(
    programme_ids: Iterable[int],
) -> dict[int, list[ModulePage]]:
    """{programme id: its renewal modules in tree order}, in three queries."""
    programme_ids = set(programme_ids)
    if not programme_ids:
        return {}
    chosen = defaultdict(set)
    through = CertificationRule.renewal_modules.through
    for programme_id, module_id in through.objects.filter(
        certificationrule__programme_id__in=programme_ids
    ).values_list("certificationrule__programme_id", "modulepage_id"):
        chosen[programme_id].add(module_id)
    modules = list(
        ModulePage.objects.live()
        .filter(
            Q(is_refresher=True)
            | Q(pk__in={pk for ids in chosen.values() for pk in ids})
        )
        .order_by("path")
    )
    open_to = defaultdict(set)  # module id: programme ids it names
    for module_id, programme_id in ModulePage.programmes.through.objects.filter(
        modulepage_id__in=[module.pk for module in modules]
    ).values_list("modulepage_id", "programme_id"):
        open_to[module_id].add(programme_id)
    result = {}
    for programme_id in programme_ids:
        if chosen[programme_id]:
            result[programme_id] = [m for m in modules if m.pk in chosen[programme_id]]
        else:
            result[programme_id] = [
                m
                for m in modules
                if m.is_refresher
                and (not open_to[m.pk] or programme_id in open_to[m.pk])
            ]
    return result


def renewal_modules_for(certificate: Certificate) -> list[ModulePage]:
    """The live refresher modules whose study renews `certificate`."""
    return _renewal_modules_by_programme([certificate.programme_id])[
        certificate.programme_id
    ]


# The window and what was studied in it -----------------------------------


def _validity_months(certificate: Certificate) -> int | None:
    return rule_for(certificate.programme).validity_months


def _window_start(
    certificate: Certificate, last_renewed_on: datetime.date | None
) -> datetime.date:
    """The first day whose refresher study counts for the next renewal."""
    period_start = (last_renewed_on or certificate.issued_on) + datetime.timedelta(
        days=1
    )
    opens = _months_later(certificate.valid_until, -RENEWAL_OPENS_MONTHS)
    return max(period_start, opens)


def _last_renewed_on(certificate: Certificate) -> datetime.date | None:
    if hasattr(certificate, "last_renewed_on"):  # annotated by the daily task
        return certificate.last_renewed_on
    return certificate.renewals.aggregate(last=Max("renewed_on"))["last"]


def _studies(
    holder_ids: Iterable[int], module_ids: Iterable[int], since: datetime.date
) -> dict[int, list[tuple[int, datetime.datetime]]]:
    """{holder id: [(module id, when studied)]} since `since`: first
    completions and passed quizzes of those modules, in two queries."""
    holder_ids, module_ids = list(set(holder_ids)), list(set(module_ids))
    found = defaultdict(list)
    if not holder_ids or not module_ids:
        return found
    start = _day_start(since)
    for user_id, module_id, when in ModuleCompletion.objects.filter(
        user_id__in=holder_ids, module_id__in=module_ids, completed_at__gte=start
    ).values_list("user_id", "module_id", "completed_at"):
        found[user_id].append((module_id, when))
    for user_id, module_id, when in Sitting.objects.filter(
        user_id__in=holder_ids,
        quiz__module_id__in=module_ids,
        passed=True,
        finished_at__gte=start,
    ).values_list("user_id", "quiz__module_id", "finished_at"):
        found[user_id].append((module_id, when))
    return found


def _studied_modules(
    studies: list[tuple[int, datetime.datetime]], window_start: datetime.date
) -> set[int]:
    start = _day_start(window_start)
    return {module_id for module_id, when in studies if when >= start}


def renewal_window(certificate: Certificate) -> tuple[datetime.date, int] | None:
    """(the first day refresher study counts, the months a renewal adds), or
    None for a certificate that cannot be renewed."""
    if (
        certificate.revoked_at is not None
        or certificate.unverifiable_since is not None
        or certificate.valid_until is None
    ):
        return None
    months = _validity_months(certificate)
    if not months:
        return None
    return _window_start(certificate, _last_renewed_on(certificate)), months


def renewal_status(
    certificate: Certificate, *, today: datetime.date | None = None
) -> tuple[bool, list[tuple[ModulePage, bool]]]:
    """(due, [(module, done)]) for the holder's certificate page.

    `due`: the renewal window is open today (refresher study done now
    counts) and there are modules to study. `done`: the module was studied
    in the window (completed for the first time, or one of its quizzes
    passed). A certificate that cannot be renewed (revoked, no expiry, ...)
    is never due and lists its modules undone. A fixed number of queries.
    """
    today = today or timezone.localdate()
    modules = renewal_modules_for(certificate)
    window = renewal_window(certificate)
    if window is None:
        return False, [(module, False) for module in modules]
    opens, _months = window
    studied = _studied_modules(
        _studies([certificate.holder_id], [m.pk for m in modules], opens)[
            certificate.holder_id
        ],
        opens,
    )
    due = today >= opens and bool(modules)
    return due, [(module, module.pk in studied) for module in modules]


# Renewing ----------------------------------------------------------------


def renew_certificate(
    *, certificate: Certificate, today: datetime.date | None = None
) -> CertificateRenewal | None:
    """Extend `certificate` if its holder studied every renewal module in the
    window; the renewal made now, or None (not earned, or renewed already).

    Checked and written in one transaction with the certificate row locked:
    many completions at once renew once.
    """
    from .tasks import build_certificate_pdf  # tasks import the PDF module

    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update()
            .select_related("holder", "programme")
            .filter(pk=certificate.pk)
            .first()
        )
        if locked is None:
            return None
        due, modules = renewal_status(locked, today=today)
        if not due or not modules or not all(done for _module, done in modules):
            return None
        months = _validity_months(locked)
        previous = locked.valid_until
        new_valid_until = _months_later(max(previous, today), months)
        try:
            with transaction.atomic():
                renewal = CertificateRenewal.objects.create(
                    certificate=locked,
                    renewed_on=today,
                    previous_valid_until=previous,
                    valid_until=new_valid_until,
                    modules=[module.title for module, _done in modules],
                )
        except IntegrityError:
            # Another writer renewed this validity first (no row locks on
            # SQLite without IMMEDIATE): theirs is the renewal.
            return None
        Certificate.objects.filter(pk=locked.pk).update(valid_until=new_valid_until)
        # No member of its own: a renewal is the certificate issued for a
        # longer time, by nobody (the refresher studied earns it).
        audit.record(
            AuditAction.CERTIFICATE_ISSUED,
            actor=None,
            target=locked,
            target_label=f"Sertifikat {locked.code} ({locked.programme_name})",
            subject=locked.holder,
            programme=locked.programme,
            detail={"renewal": True, "valid_until": new_valid_until.isoformat()},
        )
        notify(
            recipient=locked.holder,
            message=_(
                "Masa berlaku sertifikat %(programme)s diperpanjang sampai %(date)s."
            )
            % {
                "programme": locked.programme.short_name,
                "date": _long_date(new_valid_until),
            },
            link=reverse("assessments:my_certificates"),
            email_body=_(
                "Terima kasih sudah belajar lagi. Masa berlaku sertifikat "
                "pelatihan %(programme)s atas namamu diperpanjang sampai "
                "%(date)s. Berkas PDF-nya dibuat ulang dengan tanggal baru."
            )
            % {"programme": locked.programme.name, "date": _long_date(new_valid_until)},
        )
        enqueue(build_certificate_pdf, locked.pk)
    return renewal


def _renew_for_module(*, user_id: int, module_id: int) -> list[CertificateRenewal]:
    """Renew the person's certificates that `module_id` helps renew.

    Called inside a completion's or a quiz's transaction: a failure here is
    logged and undone alone (the daily task tries again), never the
    completion it follows.
    """
    certificates = list(
        _standing().filter(holder_id=user_id).select_related("programme")
    )
    if not certificates:
        return []
    modules = _renewal_modules_by_programme(c.programme_id for c in certificates)
    renewals = []
    for certificate in certificates:
        if module_id not in {m.pk for m in modules[certificate.programme_id]}:
            continue
        try:
            with transaction.atomic():
                renewal = renew_certificate(certificate=certificate)
        except Exception:
            logger.exception(
                "Renewal of certificate %s left for the daily task", certificate.pk
            )
            continue
        if renewal is not None:
            renewals.append(renewal)
    return renewals


def renew_after_refresher(completion: ModuleCompletion) -> None:
    """The completion listener: a first completion of a renewal module may
    complete a renewal. One query for someone who holds no certificate."""
    _renew_for_module(user_id=completion.user_id, module_id=completion.module_id)


def renew_after_quiz(sitting: Sitting) -> None:
    """For the quiz engine, after a sitting is scored: a passed quiz of a
    renewal module counts as studying it again."""
    if sitting.passed and sitting.quiz.module_id:
        _renew_for_module(user_id=sitting.user_id, module_id=sitting.quiz.module_id)


# The daily task ------------------------------------------------------------


@dataclass(frozen=True)
class DailyRun:
    renewed: int
    reminded: int


def _chunks(queryset) -> Iterable[list[Certificate]]:
    """`queryset` in chunks of CHUNK_SIZE by primary key, one query each."""
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:CHUNK_SIZE])
        if not chunk:
            return
        yield chunk
        last_pk = chunk[-1].pk


def _validity_by_programme(programme_ids: Iterable[int]) -> dict[int, int | None]:
    months = dict(
        CertificationRule.objects.filter(
            programme_id__in=set(programme_ids)
        ).values_list("programme_id", "validity_months")
    )
    return {pk: months.get(pk) for pk in programme_ids}


def renew_earned_certificates(*, today: datetime.date | None = None) -> int:
    """Renew every certificate whose holder met the condition but was not
    renewed yet (the safety net under the listeners); how many were.

    A fixed number of queries per chunk to judge, then one transaction per
    certificate renewed.
    """
    today = today or timezone.localdate()
    candidates = (
        _standing()
        .filter(valid_until__lte=_months_later(today, RENEWAL_OPENS_MONTHS))
        .annotate(last_renewed_on=Max("renewals__renewed_on"))
        .select_related("programme")
    )
    renewed = 0
    for chunk in _chunks(candidates):
        validity = _validity_by_programme({c.programme_id for c in chunk})
        modules = _renewal_modules_by_programme(validity)
        windows = {
            c.pk: _window_start(c, c.last_renewed_on)
            for c in chunk
            if validity[c.programme_id] and modules[c.programme_id]
        }
        if not windows:
            continue
        studies = _studies(
            (c.holder_id for c in chunk if c.pk in windows),
            (m.pk for c in chunk if c.pk in windows for m in modules[c.programme_id]),
            min(windows.values()),
        )
        for certificate in chunk:
            opens = windows.get(certificate.pk)
            if opens is None or today < opens:
                continue
            studied = _studied_modules(studies[certificate.holder_id], opens)
            earned = all(m.pk in studied for m in modules[certificate.programme_id])
            if earned and renew_certificate(certificate=certificate, today=today):
                renewed += 1
    return renewed


def _remind(
    certificate: Certificate,
    *,
    modules: list[ModulePage],
    months: int | None,
    today: datetime.date,
) -> bool:
    """Remind the holder once for this validity; True if reminded now."""
    valid_until = certificate.valid_until
    with transaction.atomic():
        # The conditional update is the once-only switch: of two runs at
        # once, one updates the row and reminds.
        won = (
            _standing()
            .filter(pk=certificate.pk, valid_until=valid_until)
            .exclude(reminded_for=valid_until)
            .update(reminded_for=valid_until)
        )
        if not won:
            return False
        values = {
            "programme": certificate.programme.short_name,
            "date": _long_date(valid_until),
        }
        if valid_until >= today:
            message = _("Sertifikat %(programme)s berlaku sampai %(date)s.") % values
        else:
            message = (
                _("Masa berlaku sertifikat %(programme)s berakhir %(date)s.") % values
            )
        body = [
            _(
                "Masa berlaku sertifikat pelatihan %(programme)s atas namamu "
                "sampai %(date)s."
            )
            % {"programme": certificate.programme.name, "date": _long_date(valid_until)}
        ]
        # Their certificate page lists the renewal modules, each marked done
        # or not, and leads on to the refresher library.
        link = reverse("assessments:my_certificates")
        if months and modules:
            message += " " + _("Perpanjang dengan modul penyegaran.")
            body.append(
                ngettext(
                    "Untuk memperpanjangnya %(months)d bulan, pelajari lagi modul "
                    "penyegaran berikut:",
                    "Untuk memperpanjangnya %(months)d bulan, pelajari lagi modul "
                    "penyegaran berikut:",
                    months,
                )
                % {"months": months}
                + "\n"
                + "\n".join(f"- {module.title}" for module in modules)
            )
            body.append(
                _(
                    "Modul yang sudah pernah kamu selesaikan dihitung bila kamu "
                    "lulus lagi salah satu kuisnya."
                )
            )
        else:
            body.append(
                _("Tanyakan kepada koordinator programmu cara memperpanjangnya.")
            )
        notify(
            recipient=certificate.holder,
            message=message,
            link=link,
            email_body="\n\n".join(body),
        )
    return True


def remind_expiring_certificates(*, today: datetime.date | None = None) -> DailyRun:
    """The daily beat job: renew what was earned, then remind those whose
    certificate lapses within REMIND_MONTHS (or lapsed within
    LATE_REMINDER_DAYS) and were not reminded for this validity.

    Safe to run twice the same day: nothing is renewed or reminded twice.
    """
    today = today or timezone.localdate()
    renewed = renew_earned_certificates(today=today)
    due = (
        _standing()
        .filter(
            valid_until__gte=today - datetime.timedelta(days=LATE_REMINDER_DAYS),
            valid_until__lte=_months_later(today, REMIND_MONTHS),
            holder__is_active=True,
        )
        .exclude(reminded_for=F("valid_until"))
        .select_related("holder", "programme")
    )
    reminded = 0
    for chunk in _chunks(due):
        validity = _validity_by_programme({c.programme_id for c in chunk})
        modules = _renewal_modules_by_programme(validity)
        for certificate in chunk:
            if _remind(
                certificate,
                modules=modules[certificate.programme_id],
                months=validity[certificate.programme_id],
                today=today,
            ):
                reminded += 1
    return DailyRun(renewed=renewed, reminded=reminded)
