import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(
    *args,
    env_overrides=None,
    settings_module="learning.settings.production",
    unset=(),
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
            "CELERY_BROKER_URL": "filesystem://",
            "CACHE_URL": "locmemcache://",
            **(env_overrides or {}),
        }
    )
    for name in unset:
        env.pop(name, None)
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


@pytest.mark.parametrize("name", ["DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"])
def test_production_refuses_to_start_half_configured(tmp_path, name):
    result = run_manage(
        "check",
        env_overrides={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        unset=(name,),
    )
    assert result.returncode != 0
    assert f"Production needs {name}" in result.stderr


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


# --- The office set-up (DEMO=0 make run) ------------------------------------


def test_office_settings_refuse_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        settings_module="learning.settings.office",
        env_overrides={"SECRET_KEY": "", "DATABASE_URL": "sqlite:///x"},
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_office_settings_turn_debug_off_and_answer_to_the_office_network(tmp_path):
    code = (
        "import socket; from django.conf import settings;"
        "print(settings.DEBUG, settings.ROOT_URLCONF);"
        "print(socket.gethostname() in settings.ALLOWED_HOSTS,"
        " 'evil.example' in settings.ALLOWED_HOSTS)"
    )
    result = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        settings_module="learning.settings.office",
        unset=["ALLOWED_HOSTS"],
        env_overrides={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "HOST": "0.0.0.0",  # noqa: S104 - what README tells an office to set
            "ALLOWED_HOSTS": "",
            "DEBUG": "true",  # a stray DEBUG in .env does not turn it on
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "learning.urls_office",
        "True",
        "False",
    ]


def test_the_secret_key_is_written_once_and_kept(tmp_path):
    from learning.office import ensure_secret_key

    env_file = tmp_path / ".env"
    env_file.write_text("HOST=0.0.0.0\n")
    assert ensure_secret_key(env_file=env_file) is True
    first = env_file.read_text()
    assert first.startswith("HOST=0.0.0.0\nSECRET_KEY=")
    key = first.split("SECRET_KEY=")[1].strip()
    assert len(key) >= 50
    assert ensure_secret_key(env_file=env_file) is False
    assert env_file.read_text() == first

    fresh = tmp_path / "fresh.env"
    assert ensure_secret_key(env_file=fresh) is True
    assert fresh.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert fresh.read_text().split("=", 1)[1].strip() != key


@pytest.fixture
def office_urls(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ROOT_URLCONF = "learning.urls_office"
    for folder, name in [
        ("original_images", "peta.png"),
        ("images", "peta.width-400.webp"),
        ("documents", "rahasia.pdf"),
        ("buklet", "modul.pdf"),
    ]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_bytes(b"isi " + name.encode())
    (tmp_path.parent / "diluar.txt").write_text("di luar media")
    sys.modules.pop("learning.urls_office", None)  # built from MEDIA settings
    yield tmp_path
    sys.modules.pop("learning.urls_office", None)


@pytest.mark.django_db
def test_the_office_set_up_serves_images_but_not_documents_from_media(
    client, office_urls
):
    image = client.get("/media/original_images/peta.png")
    assert b"".join(image.streaming_content) == b"isi peta.png"
    assert client.get("/media/images/peta.width-400.webp").status_code == 200
    # Documents and booklets only through their views, which check sign-in.
    assert client.get("/media/documents/rahasia.pdf").status_code == 404
    assert client.get("/media/buklet/modul.pdf").status_code == 404
    assert client.get("/media/original_images/../../diluar.txt").status_code == 404
    assert (
        client.get("/media/original_images/%2e%2e/documents/rahasia.pdf").status_code
        == 404
    )


@pytest.mark.django_db
def test_a_document_under_a_sign_in_restriction_still_asks_for_it(
    client, office_urls, trainee
):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    internal = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Rahasia",
        collection=internal,
        file=ContentFile(b"%PDF-1.4 rahasia", name="rahasia.pdf"),
    )
    response = client.get(document.url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert client.get(f"/media/{document.file.name}").status_code == 404
    client.force_login(trainee)
    assert client.get(document.url).status_code == 200


# --- Production: nothing written on import, errors to ADMINS, Celery's limits ---


def test_loading_production_settings_makes_no_directory(tmp_path):
    # The file-system broker is named, whose folders settings used to make.
    code = (
        "import os, sys;"
        "os.mkdir = lambda *a, **k: sys.exit(f'mkdir {a[0]}');"
        "import django; django.setup();"
        "from django.conf import settings;"
        "print(settings.CELERY_BROKER_URL)"
    )
    result = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        env_overrides={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "filesystem://"


def test_starting_a_worker_makes_the_file_system_brokers_folders(tmp_path, monkeypatch):
    from celery.signals import celeryd_init

    from learning.celery import app

    queue = tmp_path / "celery" / "queue"
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://")
    monkeypatch.setitem(
        app.conf,
        "broker_transport_options",
        {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(tmp_path / "celery" / "processed"),
            "control_folder": str(tmp_path / "celery" / "control"),
        },
    )
    assert not (tmp_path / "celery").exists()
    celeryd_init.send(sender="uji@pekerja", instance=None, conf=app.conf, options={})
    assert {path.name for path in (tmp_path / "celery").iterdir()} == {
        "queue",
        "processed",
        "control",
    }


def production_shell(code, tmp_path, **env_overrides):
    return run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        code,
        env_overrides={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env_overrides,
        },
    )


def test_admins_come_from_the_environment_and_get_the_errors(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.ADMINS);"
        "print(settings.LOGGING['root']['handlers'])"
    )
    result = production_shell(
        code, tmp_path, ADMINS="Ana Koordinator:ana@example.org,budi@example.org"
    )
    assert result.returncode == 0, result.stderr
    admins, handlers = result.stdout.strip().splitlines()
    assert admins == (
        "[('Ana Koordinator', 'ana@example.org'), "
        "('budi@example.org', 'budi@example.org')]"
    )
    assert handlers == "['console', 'mail_admins']"

    without = production_shell(code, tmp_path, ADMINS="")
    assert without.stdout.strip().splitlines() == ["[]", "['console']"]


def test_a_malformed_admins_entry_is_refused_by_name(tmp_path):
    result = run_manage(
        "check",
        env_overrides={
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "ADMINS": "Ana:bukan-alamat",
        },
    )
    assert result.returncode != 0
    assert "ADMINS: 'Ana:bukan-alamat' is not 'Name:address'" in result.stderr


def test_an_error_report_leaves_out_variables_posted_values_and_cookies(rf, settings):
    import sys

    from django.views.debug import ExceptionReporter

    settings.DEFAULT_EXCEPTION_REPORTER_FILTER = (
        "learning.error_reports.PersonalDataReporterFilter"
    )
    narrative = "Korban bernama Maria di Oenlasi"  # also a local variable
    request = rf.post("/kasus/", {"narasi": narrative})
    request.COOKIES["sessionid"] = "kunci-sesi-rahasia"
    try:
        raise ValueError("rusak")
    except ValueError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "ValueError" in report
    assert "Maria" not in report
    assert "kunci-sesi-rahasia" not in report
    assert "narasi" in report  # the names stay, to see what was sent


def test_redis_keeps_a_task_unacknowledged_longer_than_any_task_may_run(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])"
    )
    result = production_shell(
        code, tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == settings.BROKER_VISIBILITY_TIMEOUT
    assert settings.BROKER_VISIBILITY_TIMEOUT > settings.LONGEST_TASK_SECONDS


def project_tasks():
    from learning.celery import app

    app.loader.import_default_modules()  # every app's tasks.py
    apps = ("learning", "modules", "assessments", "mentorship")
    tasks = [task for name, task in app.tasks.items() if name.startswith(apps)]
    assert len(tasks) >= 9
    return tasks


def test_every_task_states_its_limits_within_the_visibility_timeout():
    for task in project_tasks():
        assert task.time_limit and task.soft_time_limit, task.name
        assert task.soft_time_limit < task.time_limit, task.name
        assert task.time_limit <= settings.LONGEST_TASK_SECONDS, task.name


def test_every_task_states_its_retries_and_waits_less_than_the_timeout():
    for task in project_tasks():
        retried_on = getattr(task, "autoretry_for", ())
        if not retried_on:
            # Not retried, said in so many words (Celery's default is 3).
            assert task.max_retries == 0, task.name
            continue
        assert 0 < task.max_retries <= 10, task.name
        assert task.retry_backoff, task.name
        assert task.retry_backoff_max <= settings.LONGEST_TASK_SECONDS, task.name


def test_celery_keeps_the_sites_time_zone():
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
