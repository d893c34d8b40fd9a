from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mentorship.province import (
    FULL,
    CurriculumMissing,
    RealPeoplePresent,
    SyntheticDataExists,
    generate_province,
)


class Command(BaseCommand):
    help = _(
        "Buat program sintetis seukuran NTT untuk uji skala: lembaga, program, "
        "angkatan, peserta dan alumni (nama jelas palsu, akun berawalan "
        "sintetis-) beserta jam magang, kuis, kasus praktik, penilaian "
        "kompetensi, sertifikat dan sesi refleksi sepuluh tahun. Benih dan skala "
        "yang sama memberi data yang sama. Menolak berjalan bila basis data sudah "
        "berisi data sintetis: data itu tidak ditimpa dan tidak dihapus. Butuh "
        "materi contoh (load_sample_curriculum); wilayah dimuat bila belum ada."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("Ukuran dibanding program penuh (%(people)s peserta); mis. 0.01.")
            % {"people": f"{FULL['people']:,}"},
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help=_("Benih acak (bawaan 2026).")
        )
        parser.add_argument(
            "--password",
            default="",
            help=_(
                "Kata sandi untuk semua akun sintetis (untuk uji beban). Tanpa "
                "ini, tidak ada yang bisa masuk sebagai mereka."
            ),
        )

    def handle(self, *args, scale: float, seed: int, password: str, **options):
        if not 0 < scale <= 10:
            raise CommandError(_("Skala harus lebih dari 0 dan paling besar 10."))

        def report(part: str, counts: dict[str, int], seconds: float) -> None:
            made = ", ".join(f"{name} {count:,}" for name, count in counts.items())
            self.stdout.write(f"  {part:<22} {seconds:7.1f} s  {made}")

        self.stdout.write(
            _("Membuat data sintetis: skala %(scale)s, benih %(seed)s.")
            % {"scale": scale, "seed": seed}
        )
        try:
            counts = generate_province(
                scale=scale, seed=seed, password=password or None, report=report
            )
        except (CurriculumMissing, RealPeoplePresent, SyntheticDataExists) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Selesai: %(people)s peserta dan alumni, %(entries)s jam magang.")
                % {
                    "people": f"{counts.get('people', 0):,}",
                    "entries": f"{counts.get('hour_entries', 0):,}",
                }
            )
        )
