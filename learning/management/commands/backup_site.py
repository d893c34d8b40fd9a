from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from learning.backups import NotEmbedded, backup_site


class Command(BaseCommand):
    help = _(
        "Cadangkan basis data SQLite dan folder media ke BACKUP_DIR, lalu hapus "
        "cadangan yang lebih tua dari BACKUP_KEEP_DAYS hari. Beat menjalankannya "
        "tiap malam. Di PostgreSQL tidak melakukan apa pun: pakai pg_dump."
    )

    def handle(self, *args, **options):
        try:
            report = backup_site()
        except NotEmbedded:
            self.stdout.write(
                _(
                    "Basis data ini bukan SQLite: cadangkan dengan pg_dump "
                    "(lihat README). Tidak ada yang dicadangkan."
                )
            )
            return
        self.stdout.write(
            _(
                "Cadangan dibuat: %(database)s dan %(media)s; "
                "%(removed)s berkas lama dihapus."
            )
            % {
                "database": report.database,
                "media": report.media,
                "removed": len(report.removed),
            }
        )
