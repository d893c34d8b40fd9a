"""Telling a person something: in the app always, by e-mail when they have one.

Higher apps call `notify` for the events their users must hear about (an hour
entry verified or returned, a weekly digest); the home page shows unread
notifications and a person marks them read. The e-mail is sent by a Celery
task (`learning.tasks.send_notification_email`, queued through the outbox),
never inside the request: a bulk verification of fifty entries makes no SMTP
call while the facilitator waits, and a mail server that is down is retried.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User
from .outbox import enqueue


def notify(
    *, recipient: User, message: str, link: str = "", email_body: str = ""
) -> Notification:
    """Record a notification; queue its e-mail in the same transaction.

    `link` is a path on this site; the e-mail carries it as a full address.
    Mail problems never undo the notification: the person still sees it in
    the app.
    """
    from .tasks import send_notification_email  # tasks.py imports this module

    notification = Notification.objects.create(
        recipient=recipient, message=message[:300], link=link, email_body=email_body
    )
    if recipient.email:
        enqueue(send_notification_email, notification.pk)
    return notification


def email_notification(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient; True if it was sent now.

    Sends nothing for a notification e-mailed already (a task delivered
    twice, or run again by hand) or whose recipient has no address any more.
    A mail server's refusal is raised, for the task to retry.
    """
    notification = Notification.objects.select_related("recipient").get(
        pk=notification_id
    )
    address = notification.recipient.email
    if notification.emailed_at is not None or not address:
        return False
    body = notification.email_body or notification.message
    if notification.link:
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        body = f"{body}\n\n{base}{notification.link}"
    send_mail(
        subject=f"Pendamping: {notification.message}"[:150],
        message=body,
        from_email=None,
        recipient_list=[address],
        fail_silently=False,
    )
    # Only the first run that got here marks it: the outbox hands a row over
    # once at a time and the broker redelivers only after the visibility
    # timeout, which is longer than the task may run.
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return True


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def history_of(user: User) -> QuerySet[Notification]:
    """All of a person's notifications, read or not, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's own notifications read; others' untouched."""
    unread = unread_for(user)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
