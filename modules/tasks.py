import logging

from django.core.management import call_command

from celery import shared_task

from .booklets import BUILD_SOFT_TIME_LIMIT, BUILD_TIME_LIMIT, build_booklet
from .models import Booklet

logger = logging.getLogger(__name__)


@shared_task(
    time_limit=BUILD_TIME_LIMIT, soft_time_limit=BUILD_SOFT_TIME_LIMIT, max_retries=0
)
def build_booklet_task(booklet_id: int) -> None:
    """Build a module's printable booklet (queued by `request_booklet`).

    Not retried: a failed build is marked failed, and the next request for
    the booklet (its "Coba lagi" button) queues it again. Safe to run twice.
    """
    try:
        build_booklet(booklet_id=booklet_id)
    except Booklet.DoesNotExist:
        # The module was deleted, and its booklets with it: nothing to build.
        logger.info("Booklet %s no longer exists", booklet_id)


@shared_task(time_limit=120, soft_time_limit=100, max_retries=0)
def publish_scheduled_pages() -> None:
    """Every minute: publish what editors scheduled, unpublish what expired.

    Not retried: the next minute's run is the retry.

    Wagtail keeps the schedule; its `publish_scheduled` command carries it
    out. Publishing this way changes a module's booklet key like any other.
    """
    call_command("publish_scheduled", verbosity=0)
