"""The core's Celery tasks. Each takes ids, calls a rule, states its retries.

Tasks are queued through `learning.outbox.enqueue` (in the transaction of
the record they serve) or by the beat scheduler; every one is safe to run
twice.
"""

import logging
import smtplib
from dataclasses import asdict

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from celery import shared_task

from . import audit, personal_data
from .health import record_heartbeat
from .models import Notification, PeopleImport, User
from .notifications import email_notification
from .outbox import relay_pending
from .people_import import SOFT_TIME_LIMIT, TIME_LIMIT, run_import

logger = logging.getLogger(__name__)

# A mail server that refuses (SMTPException) or cannot be reached (OSError:
# connection refused, timed out; EMAIL_TIMEOUT bounds the wait).
MAIL_ERRORS = (smtplib.SMTPException, OSError)
MAIL_MAX_RETRIES = 8
# 1, 2, 4 … minutes apart, at most an hour: about four hours in all. Below
# the broker's visibility timeout, or Redis would hand a waiting retry out twice.
MAIL_RETRY_BACKOFF = 60
MAIL_RETRY_BACKOFF_MAX = 60 * 60


@shared_task(
    bind=True,
    autoretry_for=MAIL_ERRORS,
    max_retries=MAIL_MAX_RETRIES,
    retry_backoff=MAIL_RETRY_BACKOFF,
    retry_backoff_max=MAIL_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    time_limit=90,
    soft_time_limit=75,
)
def send_notification_email(self, notification_id: int) -> bool:
    """E-mail one notification (queued by `notify`); True if it was sent now.

    Retried with exponential backoff while the mail server fails; every
    failure is logged, and so is giving up. Safe to run twice: a notification
    e-mailed already is not e-mailed again.
    """
    try:
        return email_notification(notification_id=notification_id)
    except Notification.DoesNotExist:
        # Deleted with its recipient before the mail could leave.
        logger.info("Notification %s no longer exists", notification_id)
        return False
    except MAIL_ERRORS as error:
        tries = self.request.retries + 1
        if self.request.retries < self.max_retries:
            logger.warning(
                "E-mail for notification %s failed (try %s of %s), retrying: %r",
                notification_id,
                tries,
                self.max_retries + 1,
                error,
            )
        else:
            logger.error(
                "E-mail for notification %s given up after %s tries: %r",
                notification_id,
                tries,
                error,
            )
        raise


@shared_task(
    autoretry_for=MAIL_ERRORS,
    max_retries=MAIL_MAX_RETRIES,
    retry_backoff=MAIL_RETRY_BACKOFF,
    retry_backoff_max=MAIL_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    time_limit=90,
    soft_time_limit=75,
)
def send_password_reset(
    user_id: int, *, domain: str, site_name: str, use_https: bool
) -> bool:
    """Mail a person the link to set a new password (queued by the reset form).

    The link is made here, when the mail leaves; retried like the other
    mails. Sent again on a second run: a second link does no harm.
    """
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    PasswordResetForm().send_mail(
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
        context={
            "email": user.email,
            "domain": domain,
            "site_name": site_name,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "user": user,
            "token": default_token_generator.make_token(user),
            "protocol": "https" if use_https else "http",
        },
        from_email=None,
        to_email=user.email,
    )
    return True


@shared_task(time_limit=120, soft_time_limit=100, max_retries=0)
def relay_outbox() -> dict[str, int]:
    """Every minute (beat): hand the broker the tasks that could not leave at once.

    Not retried: the next minute's run is the retry.
    """
    return asdict(relay_pending())


@shared_task(time_limit=60, soft_time_limit=50, max_retries=0, bind=True)
def record_worker_heartbeat(self) -> None:
    """Periodic: lets /sehat/ tell whether a worker is running.

    Not retried: the next minute's beat is the retry.
    """
    record_heartbeat(hostname=self.request.hostname or "worker")


@shared_task(time_limit=600, soft_time_limit=540, max_retries=0)
def clear_expired_sessions() -> int:
    """Daily: forget sessions that have expired (personal data kept no longer).

    Not retried: the next day's run deletes whatever this one left.
    """
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(time_limit=TIME_LIMIT, soft_time_limit=SOFT_TIME_LIMIT, max_retries=0)
def run_people_import(job_id: int) -> None:
    """Import a big people sheet (queued by `start_import` once its row is saved).

    Not retried: a failed import is marked failed and its accounts removed, and
    the person uploads again. Safe to run twice (see `run_import`); a run lost
    with its worker is queued again when the import page is opened.
    """
    try:
        run_import(job_id=job_id)
    except PeopleImport.DoesNotExist:
        logger.info("People import %s no longer exists", job_id)


@shared_task(time_limit=600, soft_time_limit=540, max_retries=0)
def purge_audit_trail() -> int:
    """Remove the audit-trail lines past their retention (`audit.purge`);
    run daily by beat, safe to run twice."""
    removed = audit.purge()
    if removed:
        logger.info("audit trail: %d lines past retention removed", removed)
    return removed


@shared_task(time_limit=600, soft_time_limit=540, max_retries=0)
def build_personal_data_export(export_id: int) -> bool:
    """Write one "Unduh data saya" ZIP (queued by `request_export`).

    Not retried: a failed build is marked failed and the person asks again.
    Safe to run twice: an export already written is left alone.
    """
    return personal_data.build_export(export_id=export_id)


@shared_task(time_limit=600, soft_time_limit=540, max_retries=0)
def purge_personal_data_exports() -> int:
    """Daily: delete "Unduh data saya" files past their time; safe to run twice."""
    return personal_data.purge_expired()


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60, max_retries=0)
def backup_site() -> str:
    """Nightly: the embedded set-up copies its SQLite database and media into
    BACKUP_DIR (`learning.backups`); on PostgreSQL it does nothing (pg_dump).
    Safe to run twice: a second run makes one more set, the oldest go."""
    from .backups import NotEmbedded
    from .backups import backup_site as make_backup

    try:
        report = make_backup()
    except NotEmbedded:
        logger.info("backup_site: not SQLite, nothing to do (use pg_dump)")
        return ""
    logger.info("backup_site: %s, %s", report.database, report.media)
    return str(report.database)
