"""Drive a bounded load at the stack on loopback and print the table.

    python manage.py bench_load --stack production --scale 0.01 --clients 8 --seconds 20
    python manage.py bench_load --stack embedded --scale 0

The configured database is never touched: `learning.loadbench` makes its own
(PostgreSQL `pendamping_bench` on the server of --database-url or
DATABASE_URL; a temporary SQLite file for the embedded set-up) and drops it
afterwards unless --keep. Only 127.0.0.1 and localhost are ever sent a request.
"""

import os
import signal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.loadbench import (
    BenchError,
    Options,
    machine_summary,
    people_before_waiting,
    ramp_table,
    report_table,
    run_benchmark,
)


def levels(value: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise CommandError(
            _("--ramp berisi angka dipisah koma, mis. 1,2,4,8,16.")
        ) from None


class Command(BaseCommand):
    help = _(
        "Uji beban: jalankan tumpukan (gunicorn, basis data, Celery) di 127.0.0.1 "
        "di atas basis data uji sekali pakai, lalu ukur p50/p95/p99, permintaan "
        "per detik dan galat tiap skenario terhadap lantai kerangka."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stack", choices=["production", "embedded"], default="production"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=0.01,
            help=_("Skala data sintetis; 0 berarti hanya data demo."),
        )
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument(
            "--seconds", type=float, default=20.0, help=_("Lama tiap skenario.")
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=None,
            help=_("Paling banyak sekian permintaan per skenario."),
        )
        parser.add_argument(
            "--database-url",
            default="",
            help=_("Server PostgreSQL (bawaan: DATABASE_URL bila PostgreSQL)."),
        )
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379")
        parser.add_argument(
            "--redis-db",
            type=int,
            default=13,
            help=_(
                "Nomor basis data Redis untuk antrean; tembolok memakai "
                "berikutnya. Keduanya dikosongkan di awal."
            ),
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--ramp",
            default="1,2,4,8,16",
            help=_("Tumpukan embedded: jumlah orang bekerja bersamaan, bertahap."),
        )
        parser.add_argument(
            "--think",
            type=float,
            default=1.0,
            help=_("Tumpukan embedded: jeda detik antar permintaan tiap orang."),
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help=_("Jangan hapus basis data dan folder uji sesudahnya."),
        )

    def handle(self, *args, **given):
        database_url = given["database_url"]
        if not database_url and os.environ.get("DATABASE_URL", "").startswith(
            "postgres"
        ):
            database_url = os.environ["DATABASE_URL"]
        options = Options(
            stack=given["stack"],
            scale=given["scale"],
            clients=given["clients"],
            seconds=given["seconds"],
            requests=given["requests"],
            database_url=database_url,
            redis_url=given["redis_url"],
            redis_db=given["redis_db"],
            seed=given["seed"],
            keep=given["keep"],
            ramp=levels(given["ramp"]),
            think=given["think"],
        )

        def stop(signum, frame):
            raise KeyboardInterrupt

        # A service manager's TERM stops the stack as Ctrl+C does.
        previous = signal.signal(signal.SIGTERM, stop)
        try:
            outcome = run_benchmark(options, say=self.stdout.write)
        except BenchError as error:
            raise CommandError(str(error)) from error
        finally:
            signal.signal(signal.SIGTERM, previous)

        self.stdout.write("")
        self.stdout.write(
            _(
                "%(date)s · tumpukan %(stack)s · skala %(scale)s · %(clients)s klien · "
                "%(seconds)s detik per skenario"
            )
            % {
                "date": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
                "stack": options.stack,
                "scale": options.scale,
                "clients": options.clients,
                "seconds": options.seconds,
            }
        )
        self.stdout.write(_("Mesin: %(machine)s") % {"machine": machine_summary()})
        self.stdout.write(_("Basis data: %(db)s") % {"db": outcome.database})
        self.stdout.write("")
        self.stdout.write(report_table(outcome.rows))
        if outcome.ramp:
            self.stdout.write("")
            self.stdout.write(ramp_table(outcome.ramp))
            people = people_before_waiting(outcome.ramp)
            if people == max(options.ramp):
                people = _("%(people)s atau lebih (tingkat tertinggi yang dicoba)") % {
                    "people": people
                }
            self.stdout.write(
                _(
                    "Orang yang dapat bekerja bersamaan sebelum orang yang masuk "
                    "menunggu (p95 masuk lebih dari dua kali p95 saat sepi): "
                    "%(people)s, dengan jeda %(think)s detik antar permintaan."
                )
                % {"people": people, "think": options.think}
            )
        for note in outcome.notes:
            self.stdout.write(note)
