"""Tests on the real services: PostgreSQL, Redis and the Celery worker CI starts."""

from django.conf import settings

import pytest
import redis


@pytest.fixture(autouse=True)
def services_are_up():
    """Unreachable services fail the run; they never skip it."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail(f"CELERY_BROKER_URL is {settings.CELERY_BROKER_URL!r}, not Redis")
    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {settings.CELERY_BROKER_URL} is unreachable: {error}")


@pytest.fixture(autouse=True)
def tasks_go_to_the_worker(monkeypatch):
    """Here tasks go to CI's worker (elsewhere the suite runs them in-process)."""
    from learning.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
