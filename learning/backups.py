"""The embedded set-up backs itself up: its SQLite database and its media.

Every night the beat runs `learning.tasks.backup_site` (or an operator runs
`python manage.py backup_site`): the database is copied with SQLite's online
backup (a consistent copy while the site keeps running, WAL included) and
the media folder is packed into a .tar.gz, both into BACKUP_DIR with the date
and time in their names. Sets older than BACKUP_KEEP_DAYS days are deleted;
nothing else in the folder is touched.

On PostgreSQL this does nothing: the server's own tools (pg_dump) do it
better, and README says how.
"""

import re
import sqlite3
import tarfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

PREFIX = "pendamping-"
# pendamping-2026-12-06-0200.sqlite3 and pendamping-2026-12-06-0200-media.tar.gz
NAME = re.compile(
    r"^pendamping-(?P<day>\d{4}-\d{2}-\d{2})-\d{4}(?:\.sqlite3|-media\.tar\.gz)$"
)


class NotEmbedded(Exception):
    """The database is not SQLite: back it up with pg_dump (README)."""


@dataclass
class BackupReport:
    database: Path
    media: Path
    removed: list[Path] = field(default_factory=list)


def backup_site(*, now: datetime | None = None) -> BackupReport:
    """Copy the database and the media into BACKUP_DIR; forget old copies."""
    database = connections["default"].settings_dict
    if database["ENGINE"] != "django.db.backends.sqlite3":
        raise NotEmbedded
    moment = timezone.localtime(now or timezone.now())
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{PREFIX}{moment:%Y-%m-%d-%H%M}"
    report = BackupReport(
        database=_copy_database(Path(database["NAME"]), folder / f"{stem}.sqlite3"),
        media=_pack_media(Path(settings.MEDIA_ROOT), folder / f"{stem}-media.tar.gz"),
    )
    report.removed = remove_old(folder, today=moment.date())
    return report


def remove_old(folder: Path, *, today: date) -> list[Path]:
    """Delete the sets made more than BACKUP_KEEP_DAYS days ago (today
    counts as one: 14 keeps today's and the 13 days' before)."""
    first_kept = today - timedelta(days=settings.BACKUP_KEEP_DAYS - 1)
    removed = []
    for path in sorted(folder.iterdir()):
        match = NAME.match(path.name)
        if match and date.fromisoformat(match["day"]) < first_kept:
            path.unlink()
            removed.append(path)
    return removed


def _copy_database(source: Path, target: Path) -> Path:
    """SQLite's online backup, into a file renamed only once complete."""
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    # A connection of its own (not the request's or the task's): the copy
    # holds what was committed. Not opened read-only: a WAL database without
    # its -shm file (the site stopped) may then refuse to open.
    reader = sqlite3.connect(source)
    writer = sqlite3.connect(partial)
    try:
        with writer:
            reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    partial.replace(target)
    return target


def _pack_media(media: Path, target: Path) -> Path:
    partial = target.with_name(target.name + ".part")
    with tarfile.open(partial, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname="media")
    partial.replace(target)
    return target
