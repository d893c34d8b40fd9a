"""Printable module booklets: one PDF per published state of a module.

For villages where a phone is shared or paper is easier, any module can be
downloaded as a booklet: a cover, every live lesson in order, images, the
reflection prompts with lines to write on, page numbers. A Celery worker
builds it (`build_booklet`) the first time someone asks for the module as it
is now published (`request_booklet`); `content_key` says what "as it is now"
means, so every way of publishing (by hand, workflow approval, the scheduled
`publish_scheduled` command) leads to a fresh booklet on the next request.

How a booklet looks is drawn in `booklet_pdf`.
"""

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from learning.outbox import enqueue

from .booklet_pdf import LAYOUT_VERSION, render_booklet
from .choices import BookletStatus
from .models import Booklet, ModulePage

# The build task's limits; a booklet still waiting or building well after them
# was lost (a worker died, a message vanished) and is queued again on request.
BUILD_SOFT_TIME_LIMIT = 4 * 60
BUILD_TIME_LIMIT = 5 * 60
STUCK_AFTER = timedelta(minutes=30)


# --- Which booklet -----------------------------------------------------------


def content_key(module: ModulePage) -> str:
    """A fingerprint of what the module's booklet would contain now.

    It covers the module and each of its live lessons, in order: their ids,
    live revisions and publication times (pages made without a revision have
    only the time). Publishing anything in the module, by any route, changes
    it; saving a draft does not.
    """
    columns = ("pk", "live_revision_id", "last_published_at")
    rows = [
        *Page.objects.filter(pk=module.pk).values_list(*columns),
        *module.lessons().values_list(*columns),
    ]
    fingerprint = "|".join(
        f"{pk}:{revision_id or ''}:{published.isoformat() if published else ''}"
        for pk, revision_id, published in rows
    )
    return hashlib.sha256(f"{LAYOUT_VERSION}|{fingerprint}".encode()).hexdigest()


def current_booklet(*, module: ModulePage) -> Booklet | None:
    """The booklet for the module as it is published now, if one was asked for."""
    return Booklet.objects.filter(
        module=module, content_key=content_key(module)
    ).first()


def request_booklet(*, module: ModulePage) -> Booklet:
    """The booklet for the module as published now, queued for building if needed.

    Safe to call on every page view and on double clicks: the build is queued
    when the booklet is new, when it failed, or when it has waited far longer
    than a build may take; only one of two simultaneous requests queues it.
    The booklet's row and its build task are written in one transaction.
    """
    with transaction.atomic():
        booklet, created = Booklet.objects.get_or_create(
            module=module,
            content_key=content_key(module),
            defaults={"lessons_total": module.lessons().count()},
        )
        if created:
            _queue_build(booklet)
            return booklet
        in_progress = booklet.status in (BookletStatus.WAITING, BookletStatus.BUILDING)
        stuck = in_progress and booklet.requested_at < timezone.now() - STUCK_AFTER
        if booklet.status == BookletStatus.FAILED or stuck:
            retried = Booklet.objects.filter(
                pk=booklet.pk, status=booklet.status, requested_at=booklet.requested_at
            ).update(
                status=BookletStatus.WAITING,
                requested_at=timezone.now(),
                lessons_done=0,
                error="",
                finished_at=None,
            )
            booklet.refresh_from_db()
            if retried:
                _queue_build(booklet)
        return booklet


def _queue_build(booklet: Booklet) -> None:
    from .tasks import build_booklet_task

    # Written with the booklet's row; it leaves once that has committed.
    enqueue(build_booklet_task, booklet.pk)


# --- Building ------------------------------------------------------------------


def build_booklet(*, booklet_id: int) -> Booklet:
    """Draw the booklet's PDF and store it; safe to run twice.

    Only a waiting booklet is built: a ready one is left alone, one that
    another worker is building is left to it, a failed one waits for
    `request_booklet` to queue it again. Progress is saved lesson by lesson
    (outside any transaction) so the status page can show it. A failure is
    recorded on the booklet and raised again for the task's log.
    """
    claimed = Booklet.objects.filter(
        pk=booklet_id, status=BookletStatus.WAITING
    ).update(status=BookletStatus.BUILDING, lessons_done=0, error="")
    booklet = Booklet.objects.select_related("module").get(pk=booklet_id)
    if not claimed:
        return booklet

    def record_progress(done: int, total: int) -> None:
        Booklet.objects.filter(pk=booklet_id).update(
            lessons_done=done, lessons_total=total
        )

    try:
        data = render_booklet(booklet.module, on_lesson=record_progress)
        booklet.refresh_from_db(fields=["lessons_done", "lessons_total"])
        booklet.file.save(
            f"buklet-{booklet.module_id}-{booklet.content_key[:16]}.pdf",
            ContentFile(data),
            save=False,
        )
        booklet.status = BookletStatus.READY
        booklet.finished_at = timezone.now()
        booklet.save(update_fields=["file", "status", "finished_at"])
    except Exception as error:
        Booklet.objects.filter(pk=booklet_id).update(
            status=BookletStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    _forget_superseded(booklet)
    return booklet


def _forget_superseded(booklet: Booklet) -> None:
    """Delete the module's other finished booklets, files included.

    Kept: this one and the one for the module as published now (unpublishing
    a lesson brings an earlier key back). Booklets still being built are left
    to their workers.
    """
    keep = {booklet.content_key, content_key(booklet.module)}
    superseded = Booklet.objects.filter(
        module_id=booklet.module_id,
        status__in=[BookletStatus.READY, BookletStatus.FAILED],
    ).exclude(content_key__in=keep)
    for old in superseded:
        if old.file:
            old.file.delete(save=False)
        old.delete()
