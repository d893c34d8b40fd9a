from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.choices import SampleLoadStatus
from assessments.sample_load import load_now
from modules.editions import Outcome
from modules.models import SampleContent

OUTCOMES = {
    Outcome.NEW: gettext_lazy("baru"),
    Outcome.REPLACED: gettext_lazy("diganti"),
    Outcome.NOTICED: gettext_lazy("diberi catatan"),
    Outcome.CURRENT: gettext_lazy("sudah terbaru"),
}


class Command(BaseCommand):
    help = _(
        "Muat atau perbarui materi contoh (sembilan modul, kerangka kompetensi, "
        "kuis dan bank latihan) tanpa akun demo. Materi contoh yang belum diubah "
        "diganti edisi terbaru; yang sudah diubah dibiarkan dan diberi catatan di "
        "beranda admin."
    )

    def handle(self, *args, **options):
        load = load_now()
        if load is None:
            raise CommandError(
                _(
                    "Materi contoh sedang dimuat dari beranda admin; jalankan lagi "
                    "setelah selesai."
                )
            )
        if load.status != SampleLoadStatus.DONE:
            raise CommandError(load.error)
        for slug, outcome in load.outcomes.items():
            self.stdout.write(f"  {slug}: {OUTCOMES[Outcome(outcome)]}")
        notices = SampleContent.objects.filter(newer_edition__isnull=False)
        for record in notices.order_by("kind", "title"):
            self.stdout.write(
                _("  Diubah di situs ini, tidak ditimpa: %(what)s (edisi %(edition)s)")
                % {"what": record, "edition": record.newer_edition}
            )
        self.stdout.write(self.style.SUCCESS(_("Materi contoh sudah diperbarui.")))
