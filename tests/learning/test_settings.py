import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parents[2]


def run_manage(
    *args, env_overrides=None, settings_module="learning.settings.production"
):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CELERY_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": "a-production-like-secret-" + "k7Vq2" * 12,
            "ALLOWED_HOSTS": "pendamping.example.org",
            **(env_overrides or {}),
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check", env_overrides={"SECRET_KEY": "", "DATABASE_URL": "sqlite:///x"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_sqlite_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "options = connection.settings_dict['OPTIONS'];"
        "print(c.fetchone()[0], options['transaction_mode'], options['timeout'])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "learning.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE", "20"]


def test_indonesian_is_the_default_language_and_wita_the_time_zone():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Makassar"


def test_dates_are_written_the_indonesian_way():
    with translation.override("id"):
        assert formats.date_format(date(2022, 11, 17)) == "17 November 2022"
        assert (
            formats.date_format(date(2026, 8, 17), "SHORT_DATE_FORMAT") == "17-08-2026"
        )


def test_wagtail_background_work_stays_on_the_immediate_backend():
    assert settings.TASKS["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )


def test_no_third_party_requests_are_configured():
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAILEMBEDS_FINDERS == []
    assert "ninja" in settings.INSTALLED_APPS  # API docs assets served locally
