from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.question_io import import_questions


class Command(BaseCommand):
    help = _(
        "Impor soal dari berkas GIFT Moodle (.gift, .txt) atau CSV (.csv). Semua soal "
        "atau tidak satu pun: jika ada kesalahan, tidak ada yang disimpan."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Berkas .gift, .txt atau .csv."))
        parser.add_argument(
            "--category",
            help=_(
                "Kategori untuk soal yang tidak punya $CATEGORY atau kolom kategori, "
                "mis. Konseling/Dasar (dibuat bila belum ada)."
            ),
        )

    def handle(self, *args, file: str, category: str | None = None, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Berkas %(file)s tidak bisa dibaca: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from error
        report = import_questions(
            content=content, filename=path.name, category_name=category
        )
        if not report.ok:
            raise CommandError(
                "\n".join(
                    [_("Tidak ada soal yang diimpor. Perbaiki dulu:"), *report.messages]
                )
            )
        self.stdout.write(
            ngettext("%(count)s soal diimpor.", "%(count)s soal diimpor.", report.count)
            % {"count": report.count}
        )
        if report.skipped:
            self.stdout.write(
                ngettext(
                    "%(count)s soal sudah ada di bank soal dan dilewati.",
                    "%(count)s soal sudah ada di bank soal dan dilewati.",
                    report.skipped,
                )
                % {"count": report.skipped}
            )
