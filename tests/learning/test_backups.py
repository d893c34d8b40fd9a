"""The embedded set-up's nightly backup: a copy that restores, 14 days kept.

On the SQLite test database (make test) the command copies the database and
the media and the copy is restored and read; on PostgreSQL (CI's full run)
the same command says to use pg_dump and writes nothing (pg_dump's own
restore is tested in tests/services/test_postgres_backup.py).
"""

import shutil
import sqlite3
import tarfile
from datetime import date, datetime, timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

import pytest

from learning.backups import NAME, remove_old
from learning.celery import app
from learning.models import Organisation
from tests.factories import OrganisationFactory


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "cadangan"
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "modul-1.pdf").write_bytes(b"%PDF-isi modul")
    return settings.BACKUP_DIR


@pytest.mark.django_db(transaction=True)
def test_the_backup_restores_into_a_database_holding_the_records(
    migrated_data, backup_dir, tmp_path
):
    OrganisationFactory(name="Yayasan Cadangan Malam")
    output = StringIO()

    call_command("backup_site", stdout=output)

    if connection.vendor != "sqlite":
        assert "pg_dump" in output.getvalue()
        assert not backup_dir.exists() or not any(backup_dir.iterdir())
        return
    [database] = backup_dir.glob("pendamping-*.sqlite3")
    [media] = backup_dir.glob("pendamping-*-media.tar.gz")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    assert database.name.startswith(f"pendamping-{stamp}-")
    assert "Cadangan dibuat" in output.getvalue()
    assert not list(backup_dir.glob("*.part"))

    # Restore as README says: the copy becomes the database file, the media
    # archive is unpacked where MEDIA_ROOT was.
    restored = tmp_path / "pulih" / "db.sqlite3"
    restored.parent.mkdir()
    shutil.copy(database, restored)
    with sqlite3.connect(restored) as reader:
        names = [
            row[0]
            for row in reader.execute(
                f"SELECT name FROM {Organisation._meta.db_table}"  # noqa: S608
            )
        ]
        assert reader.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "Yayasan Cadangan Malam" in names
    with tarfile.open(media) as archive:
        archive.extractall(tmp_path / "pulih", filter="data")
    restored_file = tmp_path / "pulih" / "media" / "documents" / "modul-1.pdf"
    assert restored_file.read_bytes() == b"%PDF-isi modul"


def make_set(folder, day: date) -> None:
    for suffix in (".sqlite3", "-media.tar.gz"):
        (folder / f"pendamping-{day:%Y-%m-%d}-0200{suffix}").write_bytes(b"x")


def test_fifteen_nights_of_backups_leave_fourteen(settings, tmp_path):
    settings.BACKUP_KEEP_DAYS = 14
    today = date(2026, 12, 6)
    for days_ago in range(15):  # tonight's and the 14 nights before
        make_set(tmp_path, today - timedelta(days=days_ago))
    (tmp_path / "catatan-pengelola.txt").write_text("jangan dihapus")
    (tmp_path / "pendamping-lama.sqlite3").write_bytes(b"not ours by name")

    removed = remove_old(tmp_path, today=today)

    assert sorted(path.name for path in removed) == [
        "pendamping-2026-11-22-0200-media.tar.gz",
        "pendamping-2026-11-22-0200.sqlite3",
    ]
    kept_days = {
        NAME.match(p.name)["day"] for p in tmp_path.iterdir() if NAME.match(p.name)
    }
    assert len(kept_days) == 14
    assert min(kept_days) == "2026-11-23"
    assert (tmp_path / "catatan-pengelola.txt").exists()
    assert (tmp_path / "pendamping-lama.sqlite3").exists()


def test_the_backup_runs_every_night_from_the_beat(settings):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "learning.tasks.backup_site"
    ]
    import learning.tasks  # noqa: F401 - the worker imports it the same way

    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    night = datetime(2026, 12, 6, 2, 0)
    assert schedule.is_due(night - timedelta(days=1)) is not None
    assert set(schedule.hour) == {2} and set(schedule.minute) == {0}


def test_backup_settings_have_their_defaults(settings):
    assert settings.BACKUP_KEEP_DAYS == 14
    assert str(settings.BACKUP_DIR).rstrip("/").endswith("var/backups")
