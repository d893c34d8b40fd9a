from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """The subject areas of the curriculum, used to group the module index."""

    GENDER = "gender", _("Gender dan kesetaraan")
    VIOLENCE = "ktp_kta", _("Kekerasan terhadap perempuan dan anak")
    COUNSELLING = "konseling", _("Konseling awal dan penguatan korban")
    REFERRAL = "rujukan", _("Penanganan dan rujukan kasus")
    DOCUMENTATION = "dokumentasi", _("Pendokumentasian kasus")
    LITIGATION = "litigasi", _("Litigasi dan non-litigasi")
    TRAFFICKING = "tppo", _("Perdagangan orang dan migrasi aman")
    HEALTH = "kesehatan", _("Kesehatan reproduksi, IMS dan HIV")
    ADVOCACY = "advokasi", _("Advokasi dan pencegahan di desa")
    OTHER = "lainnya", _("Lainnya")


class ResourceKind(models.TextChoices):
    FORM = "formulir", _("Formulir")
    LAW = "peraturan", _("Peraturan")
    GUIDE = "panduan", _("Panduan")
    OTHER = "lainnya", _("Lainnya")


class StudiedVia(models.TextChoices):
    """Where a lesson was studied: on the site, or in an in-person workshop."""

    ONLINE = "daring", _("Belajar di situs")
    CLASS = "kelas", _("Pelatihan tatap muka")


class ServiceKind(models.TextChoices):
    """The kinds of public service a companion refers a victim to."""

    UPTD_PPA = "uptd_ppa", _("UPTD PPA / P2TP2A")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    HOSPITAL = "rumah_sakit", _("Rumah sakit")
    POLSEK = "polsek", _("Polsek")
    UNIT_PPA = "unit_ppa", _("Unit PPA Polres")
    LEGAL_AID = "bantuan_hukum", _("LBH / OBH")
    POSBANKUM = "posbankum", _("Posbankum")
    DUKCAPIL = "dukcapil", _("Dukcapil")
    BPJS = "bpjs", _("Kantor BPJS Kesehatan")
    LPSK = "lpsk", _("LPSK")
    MIGRANT_WORKERS = "bp3mi", _("BP3MI / layanan pekerja migran")
    DISABILITY = "disabilitas", _("Organisasi penyandang disabilitas")
    HOTLINE = "sapa129", _("Layanan SAPA 129")
    SHELTER = "rumah_aman", _("Rumah aman / shelter")
    OTHER = "lainnya", _("Lainnya")


class BookletStatus(models.TextChoices):
    WAITING = "menunggu", _("Menunggu")
    BUILDING = "dibuat", _("Sedang dibuat")
    READY = "siap", _("Siap")
    FAILED = "gagal", _("Gagal")
