from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    MULTIPLE_CHOICE = "pilihan_ganda", _("Pilihan ganda")
    TRUE_FALSE = "benar_salah", _("Benar/salah")
    ESSAY = "esai", _("Esai (dinilai fasilitator)")


class QuizMode(models.TextChoices):
    """Practice gives feedback at once and any number of tries; graded counts."""

    PRACTICE = "latihan", _("Latihan")
    GRADED = "ujian", _("Dinilai")


class FeedbackTiming(models.TextChoices):
    AFTER_EACH = "setiap_soal", _("Setelah setiap soal")
    AT_END = "akhir", _("Setelah kuis selesai")
    NEVER = "tidak", _("Tidak ditampilkan")


class SittingStatus(models.TextChoices):
    IN_PROGRESS = "berjalan", _("Sedang dikerjakan")
    AWAITING_MARKING = "menunggu", _("Menunggu penilaian esai")
    FINISHED = "selesai", _("Selesai")


class CompetenceLevel(models.TextChoices):
    NOT_YET = "belum_kompeten", _("Belum kompeten")
    DEVELOPING = "berkembang", _("Berkembang")
    COMPETENT = "kompeten", _("Kompeten")


class SampleLoadStatus(models.TextChoices):
    """Where a load of the sample curriculum, asked for in the admin, is."""

    WAITING = "menunggu", _("Menunggu giliran")
    RUNNING = "berjalan", _("Sedang dimuat")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")


class CertificateStatus(models.TextChoices):
    """What a certificate's public page says about it today."""

    VALID = "berlaku", _("Berlaku")
    EXPIRED = "kedaluwarsa", _("Kedaluwarsa")
    REVOKED = "dicabut", _("Dicabut")
    UNVERIFIABLE = "tidak_dapat_diverifikasi", _("Tidak dapat diverifikasi lagi")
