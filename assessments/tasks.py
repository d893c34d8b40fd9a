"""The assessments app's Celery tasks. Each takes ids, calls a rule, states
its limits; queued through `learning.outbox.enqueue`, safe to run twice."""

from celery import shared_task

from .sample_load import SOFT_TIME_LIMIT, TIME_LIMIT, run_sample_load


@shared_task(max_retries=0, time_limit=TIME_LIMIT, soft_time_limit=SOFT_TIME_LIMIT)
def load_sample_curriculum_task(load_id: int) -> str:
    """Load the sample curriculum asked for in the admin (not retried: a failed
    load is shown on the checklist, where it can be asked for again)."""
    return run_sample_load(load_id=load_id).status


@shared_task(
    time_limit=120,
    soft_time_limit=90,
    autoretry_for=(Exception,),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
)
def build_certificate_pdf(certificate_id: int) -> bool:
    """Draw a certificate's PDF (again: it replaces the file); safe to run twice.

    Retried five times, 30 seconds to 10 minutes apart, on any failure (storage
    or database away, the certificate changing under every build); a missing
    certificate is no failure. Two pages take well under a second to draw.
    """
    from .certificate_pdf import build_certificate_pdf as build

    return build(certificate_id=certificate_id)


@shared_task(
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=5 * 60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
)
def remind_expiring_certificates() -> dict[str, int]:
    """Daily (beat): renew certificates whose refresher study is done, then
    remind holders three months before theirs lapse.

    Retried three times, 5 to 20 minutes apart, on any failure. Safe to run
    twice: nothing is renewed or reminded twice.
    """
    from .certificate_renewal import remind_expiring_certificates as run

    done = run()
    return {"renewed": done.renewed, "reminded": done.reminded}
