"""README's PostgreSQL backup restores: pg_dump, pg_restore into a fresh
database, and the records are there.

pg_dump refuses a server newer than itself, so the test first picks the
pg_dump that can dump CI's server (Debian's on the PATH, or the server's own
major version under /usr/lib/postgresql/<major>/bin) and fails, saying what
to install, when none can.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import connection

import pytest

from learning.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.services


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def client_major(program: str) -> int:
    version = subprocess.run(
        [program, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"\(PostgreSQL\) (\d+)", version)[1])


def tools_for(major: int) -> Path:
    """The folder of a pg_dump/pg_restore/psql that can dump this server."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin")]
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        program = folder / "pg_dump"
        if program.exists() and client_major(str(program)) >= major:
            return folder
    pytest.fail(
        f"No pg_dump of version {major} or newer: the server is PostgreSQL "
        f"{major}; .ci/run must install postgresql-client-{major}."
    )


@pytest.mark.django_db
def test_pg_dump_can_dump_the_server_ci_runs():
    if connection.vendor != "postgresql":
        pytest.fail("the services run is on PostgreSQL")
    folder = tools_for(server_major())
    assert client_major(str(folder / "pg_dump")) >= server_major()


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_holds_the_records(
    migrated_data, tmp_path
):
    OrganisationFactory(name="Yayasan Pulih dari Cadangan")
    database = connection.settings_dict
    tools = tools_for(server_major())
    environment = {
        **os.environ,
        "PGHOST": database["HOST"] or "127.0.0.1",
        "PGPORT": str(database["PORT"] or 5432),
        "PGUSER": database["USER"] or "postgres",
        "PGPASSWORD": database["PASSWORD"] or "",
    }

    def run(*command: str) -> str:
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    dump = tmp_path / "pendamping.dump"
    fresh = f"{database['NAME']}_pulih"[:63]
    # As README says: the custom format, restored without the old owner.
    run(str(tools / "pg_dump"), "--format=custom", f"--file={dump}", database["NAME"])
    run(
        str(tools / "psql"),
        "-q",
        "-c",
        f'DROP DATABASE IF EXISTS "{fresh}"',
        "postgres",
    )
    run(str(tools / "psql"), "-q", "-c", f'CREATE DATABASE "{fresh}"', "postgres")
    try:
        run(
            str(tools / "pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={fresh}",
            str(dump),
        )
        query = f"SELECT name FROM {Organisation._meta.db_table}"  # noqa: S608
        names = run(str(tools / "psql"), "-At", "-c", query, fresh).splitlines()
        migrations = run(
            str(tools / "psql"),
            "-At",
            "-c",
            "SELECT count(*) FROM django_migrations",
            fresh,
        )
    finally:
        run(
            str(tools / "psql"),
            "-q",
            "-c",
            f'DROP DATABASE IF EXISTS "{fresh}"',
            "postgres",
        )

    assert "Yayasan Pulih dari Cadangan" in names
    assert int(migrations) > 10  # the schema came too, migrations recorded
