from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.curriculum_files import QuizFileError
from assessments.sample_curriculum import load_curriculum_assessments
from modules.demo import CurriculumError, load_curriculum
from modules.directory import load_sample_services
from modules.editions import Outcome
from modules.models import ModuleIndexPage, SampleContent

OUTCOMES = {
    Outcome.NEW: gettext_lazy("baru"),
    Outcome.REPLACED: gettext_lazy("diganti"),
    Outcome.NOTICED: gettext_lazy("diberi catatan"),
    Outcome.CURRENT: gettext_lazy("sudah terbaru"),
}


class Command(BaseCommand):
    help = _(
        "Muat atau perbarui materi contoh (sembilan modul, kuisnya dan bank "
        "latihan) tanpa akun demo. Materi contoh yang belum diubah diganti edisi "
        "terbaru; yang sudah diubah dibiarkan dan diberi catatan di beranda admin."
    )

    def handle(self, *args, **options):
        if not ModuleIndexPage.objects.exists():
            raise CommandError(
                _("Situs belum disiapkan: jalankan dulu manage.py prepare_site.")
            )
        try:
            with transaction.atomic():
                load_sample_services()
                outcomes = load_curriculum()
                load_curriculum_assessments()
        except (CurriculumError, QuizFileError) as error:
            raise CommandError(str(error)) from error
        for slug, outcome in outcomes.items():
            self.stdout.write(f"  {slug}: {OUTCOMES[outcome]}")
        notices = SampleContent.objects.filter(newer_edition__isnull=False)
        for record in notices.order_by("kind", "title"):
            self.stdout.write(
                _("  Diubah di situs ini, tidak ditimpa: %(what)s (edisi %(edition)s)")
                % {"what": record, "edition": record.newer_edition}
            )
        self.stdout.write(self.style.SUCCESS(_("Materi contoh sudah diperbarui.")))
