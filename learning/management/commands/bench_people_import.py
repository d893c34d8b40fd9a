"""How fast the people import is, measured on a throwaway database.

    python manage.py bench_people_import            # 2,000 rows
    python manage.py bench_people_import --rows 10000

Creates a fresh database beside the configured one (a temporary SQLite
file, or test_<name> on PostgreSQL), migrates it, loads NTT's regions,
imports the rows exactly as the worker does (read, check every row, write in
chunks) and prints the seconds per 1,000 rows. The configured database is
never touched, and the throwaway one is deleted afterwards.
"""

import csv
import io
import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from learning.choices import OrganisationKind, RegionLevel, Role
from learning.models import Cohort, Organisation, Programme, Region, User
from learning.people_import import record_import, run_import
from learning.people_sheet import COLUMNS
from learning.regions import load_regions


class Command(BaseCommand):
    help = (
        "Import people into a fresh throwaway database and print the seconds "
        "per 1,000 rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2000)

    def handle(self, *args, rows: int, **options):
        settings_dict = connection.settings_dict
        original_name = settings_dict["NAME"]
        with tempfile.TemporaryDirectory(prefix="pendamping-bench-") as folder:
            if connection.vendor == "sqlite":
                settings_dict.setdefault("TEST", {})
                settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
            self.stdout.write("Creating a throwaway database (migrations)…")
            connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
            try:
                # Query logging (DEBUG) would measure itself.
                with override_settings(DEBUG=False):
                    seconds = self._bench(rows)
            finally:
                connection.creation.destroy_test_db(original_name, verbosity=0)
        self.stdout.write(
            f"{rows} rows in {seconds:.1f} s on {connection.vendor}: "
            f"{1000 * seconds / rows:.2f} s per 1,000 rows"
        )

    def _bench(self, rows: int) -> float:
        load_regions()
        organisation = Organisation.objects.create(
            name="Lembaga Uji Kecepatan",
            short_name="LUK",
            kind=OrganisationKind.CIVIL_SOCIETY,
            kabupaten=Region.objects.get(code="53.02"),
        )
        importer = User.objects.create_user(
            username="bench-fasilitator", organisation=organisation
        )
        importer.groups.add(Group.objects.get(name=Role.FASILITATOR.value))
        programme = Programme.objects.create(name="Program Uji", short_name="PU")
        programme.organisations.add(organisation)
        programme.save()  # modelcluster: relations are saved with the parent
        cohort = Cohort.objects.create(
            programme=programme, name="Angkatan Uji", start_date=timezone.localdate()
        )
        cohort.facilitators.add(importer)
        cohort.save()
        upload = SimpleUploadedFile("bench.csv", self._sheet(rows))

        started = time.perf_counter()
        job = record_import(upload=upload, actor=importer, cohort=cohort)
        job = run_import(job_id=job.pk)
        seconds = time.perf_counter() - started

        if job.created_count != rows:
            raise RuntimeError(f"{job.status}: {job.problems[:5]} {job.error}")
        return seconds

    def _sheet(self, rows: int) -> bytes:
        """Rows like a real list: village codes, names with a kabupaten, phones."""
        villages = list(
            Region.objects.filter(level=RegionLevel.DESA, code__startswith="53.02.")
            .order_by("code")
            .values_list("code", flat=True)[:300]
        )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for n in range(rows):
            by_name = n % 4 == 0
            writer.writerow(
                [
                    f"peserta-uji-{n:05d}",
                    f"Nama{n}",
                    "Uji",
                    "Peserta",
                    "LUK",
                    "" if by_name else villages[n % len(villages)],
                    "Oelet" if by_name else "",
                    "TTS" if by_name else "",
                    "P" if n % 2 else "L",
                    str(1970 + n % 30),
                    f"0812{n:08d}",
                    "",
                    "",
                ]
            )
        return out.getvalue().encode()
