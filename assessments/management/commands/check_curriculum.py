from django.core.management.base import BaseCommand, CommandError

from assessments.curriculum_files import quiz_problems
from assessments.legal_mapping import mapping_problems
from modules.demo import curriculum_problems


class Command(BaseCommand):
    help = (
        "Periksa berkas kurikulum contoh (modul, kuis, bank latihan GIFT, pemetaan "
        "kompetensi ke hukum) tanpa menyentuh basis data."
    )

    def handle(self, *args, **options):
        problems = curriculum_problems() + quiz_problems() + mapping_problems()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} masalah dalam berkas kurikulum.")
        self.stdout.write(self.style.SUCCESS("Berkas kurikulum lengkap dan rapi."))
