"""Telling a person something: in the app always, by e-mail when they have one.

Higher apps call `notify` for the events their users must hear about (an hour
entry verified or returned, a weekly digest); the home page shows unread
notifications and a person marks them read.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User


def notify(
    *, recipient: User, message: str, link: str = "", email_body: str = ""
) -> Notification:
    """Record a notification; e-mail it after the transaction commits.

    `link` is a path on this site; the e-mail carries it as a full address.
    Mail problems never undo the notification: the person still sees it in
    the app.
    """
    notification = Notification.objects.create(
        recipient=recipient, message=message[:300], link=link
    )
    if recipient.email:
        body = email_body or message
        if link:
            body = f"{body}\n\n{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{link}"
        transaction.on_commit(
            lambda: send_mail(
                subject=f"Pendamping: {message}"[:150],
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
                fail_silently=True,
            )
        )
    return notification


def unread_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's own notifications read; others' untouched."""
    unread = unread_for(user)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
