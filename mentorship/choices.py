from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityCategory(models.TextChoices):
    """What a trainee did during an hour of magang."""

    COMPLAINTS = "pengaduan", _("Penerimaan pengaduan")
    COUNSELLING_OBSERVATION = "observasi_konseling", _("Observasi konseling")
    HEALTH_REFERRAL = (
        "rujukan_kesehatan",
        _("Pendampingan rujukan ke layanan kesehatan"),
    )
    JUSTICE = "peradilan", _("Pendampingan ke kepolisian / kejaksaan / pengadilan")
    MEDIATION = "mediasi", _("Mediasi / penyelesaian non-litigasi di desa")
    DOCUMENTATION = "dokumentasi", _("Pendokumentasian kasus")
    SIMFONI = "simfoni", _("Input data SIMFONI-PPA")
    SUPERVISION = "supervisi", _("Diskusi kasus dan supervisi")
    OTHER = "lainnya", _("Lainnya")


class EntryStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Menunggu verifikasi")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    RETURNED = "dikembalikan", _("Dikembalikan")


class EntryAction(models.TextChoices):
    """What happened to an hour entry, as its history records it."""

    CREATED = "dibuat", _("Dibuat")
    IMPORTED = "diimpor", _("Diimpor dari catatan kertas")
    EDITED = "diubah", _("Diubah")
    SUBMITTED = "diajukan", _("Diajukan")
    RESUBMITTED = "diajukan_ulang", _("Diajukan ulang")
    VERIFIED = "diverifikasi", _("Diverifikasi")
    RETURNED = "dikembalikan", _("Dikembalikan")
