"""The person's magang, practice cases, reflections and (in a file of their
own) wellbeing check-ins for "Unduh data saya" (`learning.personal_data`)."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from learning.models import PersonalDataExport, User
from learning.personal_data import CHUNK, PersonalDataKind, name_of, when

from .models import HourEntry, Placement, PracticeCase, Reflection, WellbeingCheckIn


def _placements(person: User) -> Iterable[dict]:
    placements = (
        Placement.objects.filter(trainee=person)
        .select_related("host", "supervisor")
        .order_by("start_date", "pk")
    )
    for placement in placements.iterator(chunk_size=CHUNK):
        yield {
            "lembaga_tempat_magang": placement.host.name,
            "pembimbing": name_of(placement.supervisor)
            or placement.outside_supervisor_name,
            "mulai": when(placement.start_date),
            "selesai": when(placement.end_date),
            "target_jam": placement.target_hours,
        }


def _hours(person: User) -> Iterable[dict]:
    entries = (
        HourEntry.objects.filter(trainee=person)
        .select_related("placement__host", "verified_by")
        .order_by("date", "start_time", "pk")
    )
    for entry in entries.iterator(chunk_size=CHUNK):
        yield {
            "id": str(entry.uuid),
            "tempat_magang": entry.placement.host.name,
            "tanggal": when(entry.date),
            "mulai": entry.start_time.isoformat() if entry.start_time else None,
            "selesai": entry.end_time.isoformat() if entry.end_time else None,
            "menit": entry.minutes,
            "kegiatan": entry.get_category_display(),
            "uraian": entry.activity,
            "status": entry.get_status_display(),
            "komentar_pembimbing": entry.supervisor_comment,
            "diverifikasi_oleh": name_of(entry.verified_by) or entry.verified_by_name,
            "diverifikasi": when(entry.verified_at),
        }


def _cases(person: User) -> Iterable[dict]:
    cases = (
        PracticeCase.objects.filter(trainee=person)
        .select_related("kecamatan", "reviewed_by", "placement__host")
        .prefetch_related("competencies_shown")
        .order_by("year", "month", "pk")
    )
    for case in cases.iterator(chunk_size=CHUNK):
        yield {
            "id": str(case.uuid),
            "tempat_magang": case.placement.host.name if case.placement else None,
            "bulan": case.month,
            "tahun": case.year,
            "kecamatan": case.kecamatan.name,
            "jenis_kekerasan": case.violence_types,
            "jenis_kelamin_korban": case.get_victim_sex_display(),
            "kelompok_umur_korban": case.get_victim_age_group_display(),
            "korban_disabilitas": case.victim_disability,
            "hubungan_pelaku": case.get_perpetrator_relation_display(),
            "umur_pelaku": case.get_perpetrator_age_display(),
            "tempat_kejadian": case.get_incident_place_display(),
            "layanan_dirujuk": case.services,
            "jalur_penyelesaian": case.get_path_display(),
            "peranmu": case.trainee_role,
            "langkah": case.actions,
            "yang_berjalan_baik": case.went_well,
            "yang_sulit": case.was_hard,
            "yang_dipelajari": case.learned,
            "kompetensi_yang_ditunjukkan": [
                competency.name for competency in case.competencies_shown.all()
            ],
            "status": case.get_status_display(),
            "umpan_balik_pembimbing": case.supervisor_feedback,
            "ditinjau_oleh": name_of(case.reviewed_by),
            "ditinjau": when(case.reviewed_at),
            "dibuat": when(case.created_at),
        }


def _reflections(person: User) -> Iterable[dict]:
    reflections = (
        Reflection.objects.filter(person=person)
        .select_related("session__programme", "session__place", "entered_by")
        .order_by("created_at", "pk")
    )
    for reflection in reflections.iterator(chunk_size=CHUNK):
        yield {
            "id": str(reflection.uuid),
            "sesi": str(reflection.session) if reflection.session else None,
            "jumlah_kasus": reflection.case_counts,
            "mitra_rujukan": reflection.partners,
            "hambatan": reflection.obstacles,
            "dukungan_yang_dibutuhkan": reflection.support_needed,
            "kebutuhan_belajar": reflection.learning_needs,
            "diisi_oleh": name_of(reflection.entered_by),
            "dibuat": when(reflection.created_at),
            "diubah": when(reflection.updated_at),
        }


def _checkins(person: User) -> Iterable[dict]:
    checkins = (
        WellbeingCheckIn.objects.filter(person=person)
        .select_related("contacted_by")
        .order_by("created_at", "pk")
    )
    for checkin in checkins.iterator(chunk_size=CHUNK):
        yield {
            "id": str(checkin.uuid),
            "waktu": when(checkin.created_at),
            "perasaan": checkin.get_feeling_display(),
            "ada_ancaman": checkin.threatened,
            "ingin_dihubungi": checkin.wants_contact,
            "catatan": checkin.note,
            "dihubungi": when(checkin.contacted_at),
            "dihubungi_oleh": name_of(checkin.contacted_by),
        }


KINDS = [
    PersonalDataKind(
        "magang.json",
        _("Tempat magangmu, pembimbing, tanggal dan target jam."),
        _placements,
    ),
    PersonalDataKind(
        "jam_magang.json",
        _(
            "Setiap catatan jam magang, dengan status verifikasi dan komentar "
            "pembimbing."
        ),
        _hours,
    ),
    PersonalDataKind(
        "kasus_praktik.json",
        _(
            "Kasus praktik yang kamu catat (tanpa identitas korban), dengan umpan "
            "balik pembimbing."
        ),
        _cases,
    ),
    PersonalDataKind(
        "refleksi_tahunan.json",
        _("Refleksi tahunanmu: jumlah kasus, mitra rujukan, hambatan dan kebutuhan."),
        _reflections,
    ),
    PersonalDataKind(
        "cek_kesejahteraan.json",
        _(
            "Setiap cek kesejahteraan yang kamu isi: perasaan, ancaman, apakah "
            "kamu ingin dihubungi, catatanmu, dan kapan kamu dihubungi."
        ),
        _checkins,
        export=PersonalDataExport.Kind.WELLBEING,
    ),
]
