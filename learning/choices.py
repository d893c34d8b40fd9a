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


class AuditAction(models.TextChoices):
    """What a line of the audit trail records (`learning.audit.record`)."""

    CASE_VIEWED = "kasus.dilihat", _("Kasus praktik dibuka")
    CASE_CHANGED = "kasus.diubah", _("Kasus praktik diubah atau ditinjau")
    HOURS_VERIFIED = "jam.diverifikasi", _("Jam magang diverifikasi")
    HOURS_RETURNED = "jam.dikembalikan", _("Jam magang dikembalikan")
    PAPER_LOG_SIGNED = "jam.kertas", _("Catatan kertas dinyatakan ditandatangani")
    COMPETENCE_ASSESSED = "kompetensi.dinilai", _("Kompetensi dinilai")
    CERTIFICATE_ISSUED = "sertifikat.diterbitkan", _("Sertifikat diterbitkan")
    CERTIFICATE_REVOKED = "sertifikat.dicabut", _("Sertifikat dicabut")
    ROLES_CHANGED = "orang.peran", _("Peran diubah")
    SCOPE_CHANGED = "orang.cakupan", _("Organisasi atau angkatan diubah")
    PEOPLE_IMPORTED = "impor.orang", _("Daftar orang diimpor")
    HOURS_IMPORTED = "impor.jam", _("Catatan jam magang diimpor")
    QUESTIONS_IMPORTED = "impor.soal", _("Soal diimpor")
    EXPORTED = "unduh.data", _("Data orang diunduh")
    TEMPORARY_PASSWORD = "akun.kata-sandi-sementara", _("Kata sandi sementara dibuat")
    SECOND_FACTOR_ADDED = "akun.faktor-kedua", _("Faktor kedua dipasang")
    SECOND_FACTOR_RESET = "akun.faktor-kedua-direset", _("Faktor kedua direset")
    PERSONAL_DATA_REQUESTED = "pdp.unduh-data-saya", _("Salinan data pribadi diminta")
    PERSON_ANONYMISED = "pdp.dianonimkan", _("Orang dianonimkan")
