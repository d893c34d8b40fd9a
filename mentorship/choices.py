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
    PAPER_SIGNED = (
        "ttd_kertas",
        _("Diverifikasi dari tanda tangan di catatan kertas"),
    )
    RETURNED = "dikembalikan", _("Dikembalikan")
    WITHDRAWN = "ditarik", _("Ditarik kembali oleh peserta")


# --- Practice cases, in SIMFONI-PPA's categories ----------------------------


class ViolenceType(models.TextChoices):
    PHYSICAL = "fisik", _("Fisik")
    PSYCHOLOGICAL = "psikis", _("Psikis")
    SEXUAL = "seksual", _("Seksual")
    EXPLOITATION = "eksploitasi", _("Eksploitasi")
    TRAFFICKING = "trafficking", _("Trafficking")
    NEGLECT = "penelantaran", _("Penelantaran")
    OTHER = "lainnya", _("Lainnya")


class VictimSex(models.TextChoices):
    FEMALE = "P", _("Perempuan")
    MALE = "L", _("Laki-laki")


class AgeGroup(models.TextChoices):
    UNDER_6 = "0-5", "0-5"
    FROM_6 = "6-12", "6-12"
    FROM_13 = "13-17", "13-17"
    FROM_18 = "18-24", "18-24"
    FROM_25 = "25-44", "25-44"
    FROM_45 = "45-59", "45-59"
    FROM_60 = "60+", "60+"


class Relation(models.TextChoices):
    """Hubungan pelaku dengan korban."""

    PARENT = "orang_tua", _("Orang Tua")
    FAMILY = "keluarga", _("Keluarga/Saudara")
    SPOUSE = "suami_istri", _("Suami/Istri")
    NEIGHBOUR = "tetangga", _("Tetangga")
    PARTNER = "pacar_teman", _("Pacar/Teman")
    TEACHER = "guru", _("Guru")
    EMPLOYER = "majikan", _("Majikan")
    COLLEAGUE = "rekan_kerja", _("Rekan Kerja")
    OTHER = "lainnya", _("Lainnya")


class PerpetratorAge(models.TextChoices):
    ADULT = "dewasa", _("Dewasa (18 tahun ke atas)")
    CHILD = "anak", _("Anak (di bawah 18 tahun)")
    UNKNOWN = "tidak_diketahui", _("Tidak diketahui")


class IncidentPlace(models.TextChoices):
    HOUSEHOLD = "rumah_tangga", _("Rumah Tangga")
    PUBLIC = "fasilitas_umum", _("Fasilitas Umum")
    SCHOOL = "sekolah", _("Sekolah")
    WORKPLACE = "tempat_kerja", _("Tempat Kerja")
    SHORT_COURSE = "lembaga_pendidikan_kilat", _("Lembaga Pendidikan Kilat")
    OTHER = "lainnya", _("Lainnya")


class CaseService(models.TextChoices):
    """Services the victim was referred to: SIMFONI-PPA's, then the local ones."""

    COMPLAINT = "pengaduan", _("Pengaduan")
    HEALTH = "kesehatan", _("Kesehatan")
    LEGAL_AID = "bantuan_hukum", _("Bantuan Hukum")
    LAW_ENFORCEMENT = "penegakan_hukum", _("Penegakan Hukum")
    SOCIAL_REHABILITATION = "rehabilitasi_sosial", _("Rehabilitasi Sosial")
    SOCIAL_REINTEGRATION = "reintegrasi_sosial", _("Reintegrasi Sosial")
    RETURN = "pemulangan", _("Pemulangan")
    RELIGIOUS = "tokoh_agama", _("Pendampingan Tokoh Agama")
    UPTD_PPA = "uptd_ppa", _("UPTD PPA / P2TP2A")
    SAFE_HOUSE = "rumah_aman", _("Rumah aman")
    CIVIL_DOCUMENTS = "dokumen_kependudukan", _("Dokumen kependudukan")
    LPSK = "lpsk", _("LPSK")


class CasePath(models.TextChoices):
    LITIGATION = "litigasi", _("Litigasi")
    NON_LITIGATION = "non_litigasi", _("Non-litigasi")
    BOTH = "keduanya", _("Litigasi dan non-litigasi")
    UNDECIDED = "belum", _("Belum diputuskan")


class CaseStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Menunggu tinjauan")
    REVIEWED = "ditinjau", _("Sudah ditinjau")
    RETURNED = "dikembalikan", _("Dikembalikan")


class CaseAction(models.TextChoices):
    CREATED = "dibuat", _("Dibuat")
    EDITED = "diubah", _("Diubah")
    SUBMITTED = "diajukan", _("Diajukan")
    RESUBMITTED = "diajukan_ulang", _("Diajukan ulang")
    REVIEWED = "ditinjau", _("Ditinjau")
    RETURNED = "dikembalikan", _("Dikembalikan")
    WITHDRAWN = "ditarik", _("Ditarik kembali oleh peserta")


# --- Annual reflection and wellbeing ---------------------------------------


class ReferralPartner(models.TextChoices):
    POLSEK = "polsek", _("Polsek")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    VILLAGE_OFFICE = "kantor_desa", _("Kantor desa")
    UPTD_PPA = "uptd_ppa", _("UPTD PPA")
    LEADERS = "tokoh_agama_adat", _("Tokoh agama / adat")
    LEGAL_AID = "lbh", _("LBH / bantuan hukum")
    DUKCAPIL = "dukcapil", _("Dukcapil")
    OTHER = "lainnya", _("Lainnya")


class Obstacle(models.TextChoices):
    """Kendala: what got in the way of the companion's service this year."""

    DISTANCE = "jarak", _("Jarak / transportasi")
    COST = "biaya", _("Biaya")
    FAMILY_PRESSURE = "tekanan_keluarga", _("Tekanan keluarga / adat")
    OFFICIALS = "respons_aparat", _("Respons aparat")
    LEGAL_KNOWLEDGE = "pengetahuan_hukum", _("Pengetahuan hukum")
    COMPANION_SAFETY = "keamanan", _("Keamanan pendamping")
    OTHER = "lainnya", _("Lainnya")


class Feeling(models.TextChoices):
    WELL = "baik", _("Baik")
    TIRED = "lelah", _("Lelah")
    HEAVY = "berat", _("Berat sekali")
