"""A commit and its task cannot part: every Celery task goes through the outbox.

`enqueue(task, *args)` writes the task as a row (`OutboxMessage`) in the
transaction that writes the record it serves: a rollback takes both back, a
commit keeps both. Once the transaction has committed the row is handed to
the broker at once (`relay_message`); when the broker cannot take it (Redis
down, its folder missing), the row waits and the user's request goes on
untouched. Every minute the beat task `learning.tasks.relay_outbox` (or the
`relay_outbox` command) hands over whatever still waits, oldest first.

A row is handed over at least once: a relay that dies between the broker's
yes and its own commit hands the row over again later, so every task stays
safe to run twice. Two relays never hand over the same row at once: each
locks the rows it takes (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL;
SQLite takes its write lock at BEGIN, so relays there simply take turns).

django-celery-outbox (0.4.3) was weighed and not used: it supports only
databases with SKIP LOCKED (not the embedded SQLite set-up), needs a
long-running relay process of its own, requires sentry-sdk, datadog and
structlog, and sends StatsD metrics unless told not to.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from celery import Task

from .celery import app
from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Rows handed over per transaction by the periodic relay: short transactions,
# so a slow broker holds few row locks.
RELAY_CHUNK = 50
# Rows handed over are kept this long (to see what was sent), then deleted.
KEEP_SENT_FOR = timedelta(days=7)
# Once the broker failed, this process stops handing rows over right after
# commit for this long (the periodic relay goes on trying): a bulk action
# that notifies fifty people does not wait out fifty connection timeouts.
PAUSE_AFTER_FAILURE_SECONDS = 30.0
_paused_until = 0.0  # time.monotonic() value; per process


def enqueue(task: Task, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Queue `task(*args, **kwargs)` in the current transaction.

    Arguments must be JSON (ids, not objects). Outside a transaction the row
    is committed at once and handed over at once, as after a commit.
    """
    message = OutboxMessage.objects.create(
        task_name=task.name, args=list(args), kwargs=kwargs
    )
    # The worker reads the record through its own connection: the task may
    # leave only once the transaction that wrote both has committed.
    transaction.on_commit(partial(relay_message, message_id=message.pk), robust=True)
    return message


def relay_message(*, message_id: int) -> bool:
    """Hand one waiting row to the broker; True if it was handed over now.

    Never raises: called after the user's transaction has committed, it must
    not turn a saved action into an error page. A row it could not hand over
    waits for the periodic relay.
    """
    if time.monotonic() < _paused_until:
        return False
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True)
                .first()
            )
            # Gone, sent already, or another relay is handing it over now.
            if message is None:
                return False
            return _hand_over(message)
    except Exception:
        logger.exception("Outbox row %s left for the relay", message_id)
        return False


@dataclass(frozen=True)
class RelayReport:
    sent: int
    waiting: int
    deleted: int


def relay_pending(*, limit: int = 1000) -> RelayReport:
    """Hand waiting rows to the broker, oldest first, up to `limit` of them.

    Stops at the first row the broker refuses (it is most likely down; the
    next run tries again) and forgets rows sent more than `KEEP_SENT_FOR` ago.
    """
    sent = 0
    broker_failed = False
    while sent < limit and not broker_failed:
        with transaction.atomic():
            chunk = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True)
                .order_by("created_at", "pk")[: min(RELAY_CHUNK, limit - sent)]
            )
            if not chunk:
                break
            for message in chunk:
                if not _hand_over(message):
                    broker_failed = True
                    break
                sent += 1
    deleted, _ = OutboxMessage.objects.filter(
        sent_at__lt=timezone.now() - KEEP_SENT_FOR
    ).delete()
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    return RelayReport(sent=sent, waiting=waiting, deleted=deleted)


def _hand_over(message: OutboxMessage) -> bool:
    """Publish one locked row and record the outcome on it (inside the lock)."""
    global _paused_until
    message.attempts += 1
    try:
        _publish(message)
    except Exception as error:
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
        # Whatever the broker raised (refused, timed out, no such folder):
        # the row waits, and says why.
        message.last_error = f"{type(error).__name__}: {error}"[:300]
        message.save(update_fields=["attempts", "last_error"])
        logger.warning(
            "Outbox: %s #%s not handed to the broker (attempt %s): %s",
            message.task_name,
            message.pk,
            message.attempts,
            message.last_error,
        )
        return False
    _paused_until = 0.0  # the broker is back
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "sent_at", "last_error"])
    return True


def _publish(message: OutboxMessage) -> None:
    signature = app.signature(
        message.task_name, args=message.args, kwargs=message.kwargs
    )
    # A fresh connection to the broker named now (not a pooled one that may
    # be stale), and no retrying inside kombu (it would sleep six seconds on
    # a refused connection): the row waits for the next relay instead.
    with app.connection_for_write(transport_options={"max_retries": 0}) as connection:
        signature.apply_async(connection=connection, retry=False)
