from dataclasses import asdict

from celery import shared_task

from .digests import send_weekly_digests as send_digests


@shared_task(
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=5 * 60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
)
def send_weekly_digests() -> dict[str, int]:
    """Weekly (beat): remind supervisors of waiting hours, trainees of old drafts.

    Retried three times, 5 to 20 minutes apart, on any failure (a database
    that went away must not cost a week's reminders). Safe to run twice: a
    person is reminded at most once per ISO week.
    """
    return asdict(send_digests())


@shared_task(
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=5 * 60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
)
def remind_checkins() -> int:
    """Monthly (beat): invite trainees and alumni to a wellbeing check-in.

    Retried three times, 5 to 20 minutes apart, on any failure. Safe to run
    twice: a person is reminded at most once per calendar month.
    """
    from .wellbeing import remind_checkins as send_reminders

    return send_reminders()


@shared_task(time_limit=10 * 60, soft_time_limit=9 * 60, max_retries=0)
def refresh_programme_figures() -> int:
    """Every minute (beat): the programme view's readings whose records
    changed are computed again, so the next reader finds them ready. Not
    retried: the next minute's run does the same."""
    from .programme_figures.kept import refresh_kept_figures

    return refresh_kept_figures()
