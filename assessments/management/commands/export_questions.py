from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.question_io import (
    category_by_path,
    export_csv,
    export_gift,
    file_format,
    questions_for_export,
)


class Command(BaseCommand):
    help = _(
        "Ekspor soal ke berkas GIFT Moodle (.gift, .txt) atau CSV (.csv), menurut "
        "akhiran nama berkas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help=_("Berkas .gift, .txt atau .csv yang ditulis.")
        )
        parser.add_argument(
            "--category",
            help=_("Hanya kategori ini dan sub-kategorinya, mis. Konseling/Dasar."),
        )

    def handle(self, *args, file: str, category: str | None = None, **options):
        kind = file_format(file)
        if kind is None:
            raise CommandError(_("Nama berkas harus berakhiran .gift, .txt atau .csv."))
        chosen = None
        if category:
            chosen = category_by_path(category)
            if chosen is None:
                raise CommandError(
                    _("Kategori %(name)s tidak ada.") % {"name": category}
                )
        questions = list(questions_for_export(category=chosen))
        if kind == "gift":
            content = export_gift(questions).encode("utf-8")
        else:
            # The byte-order mark makes spreadsheet programs read UTF-8.
            content = export_csv(questions).encode("utf-8-sig")
        try:
            Path(file).write_bytes(content)
        except OSError as error:
            raise CommandError(
                _("Berkas %(file)s tidak bisa ditulis: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from error
        self.stdout.write(
            _("%(count)s soal diekspor ke %(file)s.")
            % {"count": len(questions), "file": file}
        )
