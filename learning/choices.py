from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles a person can hold; each is a Django group of the same name."""

    PESERTA = "Peserta", _("Peserta")
    FASILITATOR = "Fasilitator", _("Fasilitator")
    ALUMNI = "Alumni", _("Alumni")
    KOORDINATOR = "Koordinator", _("Koordinator")


# Roles whose work happens in the Wagtail admin. Trainees and alumni never see it.
ADMIN_ROLES = frozenset({Role.FASILITATOR, Role.KOORDINATOR})


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DISTRIK = "distrik", _("Distrik")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA_ADAT = "desa_adat", _("Desa adat")


class OrganisationKind(models.TextChoices):
    COMMUNITY_SERVICE = "layanan_komunitas", _("Lembaga layanan berbasis masyarakat")
    CIVIL_SOCIETY = "lsm", _("LSM / organisasi masyarakat sipil")
    LEGAL_AID = "bantuan_hukum", _("Lembaga bantuan hukum")
    GOVERNMENT = "pemerintah", _("Unit pemerintah")
    OTHER = "lainnya", _("Lainnya")


class Sex(models.TextChoices):
    FEMALE = "P", _("Perempuan")
    MALE = "L", _("Laki-laki")


class ImportStatus(models.TextChoices):
    """Where an upload of the people sheet is: checked first, then written."""

    WAITING = "menunggu", _("Menunggu giliran")
    RUNNING = "berjalan", _("Sedang diperiksa dan diimpor")
    DONE = "selesai", _("Selesai")
    REFUSED = "ditolak", _("Tidak diimpor: ada baris yang perlu diperbaiki")
    FAILED = "gagal", _("Gagal; tidak ada akun yang dibuat")


class AppName(models.TextChoices):
    """The name and icon the installed app carries on one phone's home screen.

    "Belajar" (a plain book) is for a person who shares a phone with someone
    who should not see that she trains as a companion of victims.
    """

    PENDAMPING = "pendamping", _("Pendamping")
    BELAJAR = "belajar", _("Belajar")
